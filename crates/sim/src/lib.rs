#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod contract;
mod faults;
mod gateway;
mod nodana;
mod nodion;
mod observe;
mod provider;
mod server;
mod sim;
mod time;
mod util;

pub use crate::faults::{Fault, FaultKind};
pub use crate::nodion::{NODION_SCOPES, NodionKeySpec};
pub use crate::observe::{Counters, RequestRecord};
pub use crate::provider::Provider;
pub use crate::sim::{Sim, SimBuilder};
