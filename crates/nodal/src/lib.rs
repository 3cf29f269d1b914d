#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod select;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

// The neutral API at the root; core's implementer API stays behind `nodal::raw`, where core
// keeps it.
pub use nodal_core::*;
pub use select::{ProviderKind, from_env, providers_from_env};

/// The Nodana adapter: the whole Nodana API, typed (enabled by the `nodana` feature).
#[cfg(feature = "nodana")]
#[cfg_attr(docsrs, doc(cfg(feature = "nodana")))]
#[doc(inline)]
pub use nodal_nodana as nodana;

/// The Nodion adapter: the whole Nodion API, typed (enabled by the `nodion` feature).
#[cfg(feature = "nodion")]
#[cfg_attr(docsrs, doc(cfg(feature = "nodion")))]
#[doc(inline)]
pub use nodal_nodion as nodion;
