//! The implementer API of the Nodion adapter: its [`Protocol`](nodal_core::raw::Protocol)
//! implementation and the decoders of Nodion's wrapped answers, for tests and fuzzers that run
//! the adapter's exact decoding over any answer without a server. Applications use
//! [`NodionClient`](crate::NodionClient) and the neutral traits instead.

pub use crate::protocol::NodionProtocol;

pub mod wire;
