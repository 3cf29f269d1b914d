//! The `nodal` command: parse the command line, run it, exit with its code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    nodal_cli::run(nodal_cli::Cli::parse())
}
