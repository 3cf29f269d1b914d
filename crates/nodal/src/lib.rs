#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod select;

pub use nodal_core::*;
pub use select::{ProviderKind, from_env, providers_from_env};

/// The Nodana adapter: the whole Nodana API, typed (enabled by the `nodana` feature).
#[cfg(feature = "nodana")]
pub use nodal_nodana as nodana;

/// The Nodion adapter: the whole Nodion API, typed (enabled by the `nodion` feature).
#[cfg(feature = "nodion")]
pub use nodal_nodion as nodion;
