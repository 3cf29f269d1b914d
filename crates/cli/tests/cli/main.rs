//! End-to-end tests of the `nodal` binary, each against its own twin started in the test.
//! Tokens reach the tool only through environment variables, and every run asserts that no
//! token appears in its stdout or stderr.

mod common;
mod demo;
mod errors;
mod guard;
mod nodana;
mod nodion;
mod offline;
mod sim_serve;
