//! The implementer API of the Nodana adapter: its [`Protocol`](nodal_core::raw::Protocol)
//! implementation, for tests and fuzzers that run the adapter's exact decoding and error mapping
//! over any answer without a server. Applications use [`NodanaClient`](crate::NodanaClient) and
//! the neutral traits instead.

pub use crate::protocol::NodanaProtocol;
