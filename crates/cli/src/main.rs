//! The `nodal` command: parse the command line, run it, exit with its code.

use std::process::ExitCode;

fn main() -> ExitCode {
    nodal_cli::run_from_args(std::env::args_os())
}
