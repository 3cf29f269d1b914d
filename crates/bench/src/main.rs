//! `nodal-bench`: prints the benchmark tables (see `docs/performance.md`).

use clap::Parser;
use nodal_bench::{Section, Settings, fleet, runner};
use std::path::PathBuf;
use std::process::ExitCode;

/// Benchmarks nodal against raw reqwest: per-call overhead, limiter precision, concurrency,
/// footprint, the limiter under jitter, shared budgets across processes, a command while
/// another waits. Full mode (the default) produces the figures in docs/performance.md.
#[derive(Debug, Parser)]
#[command(name = "nodal-bench", version)]
struct Args {
    /// Small sizes (seconds, even in a debug build); figures are printed but timing goals are
    /// not judged. CI runs this so the harness never rots.
    #[arg(long)]
    quick: bool,
    /// Also write every figure as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Run only this section (repeatable; default: all).
    #[arg(long, value_enum, value_name = "SECTION")]
    only: Vec<Section>,
    /// Sequential calls per side and adapter in the overhead section.
    #[arg(long, value_name = "N")]
    overhead_calls: Option<usize>,
    /// Concurrent Nodana calls in the limiter section (at least 2).
    #[arg(long, value_name = "N")]
    limiter_calls: Option<usize>,
    /// Calls per worker and side in the concurrency section.
    #[arg(long, value_name = "N")]
    concurrency_calls: Option<usize>,
    /// Never build the release CLI (footprint and cli-wait then use what exists: a debug
    /// binary after the tests, or report "not built").
    #[arg(long)]
    no_build: bool,
    /// Concurrent calls from one client in the jitter section (at least 2).
    #[arg(long, value_name = "N")]
    jitter_calls: Option<usize>,
}

impl Args {
    fn settings(&self) -> Result<Settings, String> {
        let mut settings = if self.quick {
            Settings::quick()
        } else {
            Settings::full()
        };
        if let Some(n) = self.overhead_calls {
            settings.overhead_calls = n.max(1);
        }
        if let Some(n) = self.limiter_calls {
            if n < 2 {
                return Err("--limiter-calls must be at least 2 (the ideal is (N-1) s)".into());
            }
            settings.limiter_calls = n;
        }
        if self.no_build {
            settings.build_cli = false;
        }
        if let Some(n) = self.jitter_calls {
            settings.jitter_calls = n.max(2);
        }
        if let Some(n) = self.concurrency_calls {
            settings.concurrency_calls_per_worker = n.max(1);
        }
        Ok(settings)
    }
}

fn main() -> ExitCode {
    // The fleet section starts this binary as its worker processes.
    if std::env::args().nth(1).as_deref() == Some(fleet::WORKER_ARG) {
        return match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => {
                ExitCode::from(u8::try_from(runtime.block_on(fleet::worker())).unwrap_or(1))
            }
            Err(e) => {
                eprintln!("nodal-bench worker: the tokio runtime could not start: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let args = Args::parse();
    let settings = match args.settings() {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("nodal-bench: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("nodal-bench: the tokio runtime could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let sections = args.only.clone();
    // The sections run as one task on a worker thread, as an application's calls would.
    let outcome = runtime.block_on(async move {
        tokio::spawn(
            async move { runner::run(settings, &sections, |text| println!("{text}")).await },
        )
        .await
    });
    let report = match outcome {
        Ok(Ok(report)) => report,
        Ok(Err(error)) => {
            eprintln!("nodal-bench: {error}");
            return ExitCode::FAILURE;
        }
        Err(error) => {
            eprintln!("nodal-bench: the benchmark task failed: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &args.json {
        let written = serde_json::to_vec_pretty(&report)
            .map_err(|e| e.to_string())
            .and_then(|json| std::fs::write(path, json).map_err(|e| e.to_string()));
        match written {
            Ok(()) => println!("figures written to {}", path.display()),
            Err(e) => {
                eprintln!("nodal-bench: could not write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
