//! Profiling aid: N sequential calls through ONE contender against the loopback server, so a
//! profiler (`valgrind --tool=callgrind`, `perf record`) sees one side only.
//!
//! ```sh
//! cargo build --release -p nodal-bench --example profile_calls
//! valgrind --tool=callgrind target/release/examples/profile_calls nodana-nodal 2000
//! ```
//!
//! Contenders: `nodana-raw`, `nodana-nodal`, `nodion-raw`, `nodion-nodal`.

use nodal::nodana::NodanaClient;
use nodal::nodion::NodionClient;
use nodal::{Quota, RateLimit};
use nodal_bench::callers::{Caller, NodalNodana, NodalNodion, RawNodana, RawNodion};
use nodal_bench::fixtures::{LOOPBACK_NODANA_KEY, LOOPBACK_NODION_KEY};
use nodal_bench::overhead::NEVER_WAITING_QUOTA;
use nodal_bench::raw::RawClient;
use nodal_bench::server::LoopbackServer;
use nodal_bench::{BenchError, BenchResult};
use std::time::Instant;

async fn drive<C: Caller>(caller: C, calls: usize) -> BenchResult<()> {
    caller.call_checked().await?;
    let start = Instant::now();
    for _ in 0..calls {
        caller.call_checked().await?;
    }
    let per_call = start.elapsed().as_secs_f64() * 1e6 / calls.max(1) as f64;
    println!("{calls} calls, {per_call:.1} µs per call on average");
    Ok(())
}

async fn run(contender: &str, calls: usize) -> BenchResult<()> {
    let server = LoopbackServer::start().await?;
    let quota = RateLimit::new(Quota::per_second(NEVER_WAITING_QUOTA));
    match contender {
        "nodana-raw" => {
            let raw = RawClient::nodana(&server.nodana_base_url(), LOOPBACK_NODANA_KEY)?;
            drive(RawNodana(raw), calls).await
        }
        "nodana-nodal" => {
            let client = NodanaClient::builder()
                .api_key(LOOPBACK_NODANA_KEY)
                .base_url(server.nodana_base_url())
                .rate_limit(quota)
                .build()?;
            drive(NodalNodana(client), calls).await
        }
        "nodion-raw" => {
            let raw = RawClient::nodion(&server.nodion_base_url(), LOOPBACK_NODION_KEY)?;
            drive(RawNodion(raw), calls).await
        }
        "nodion-nodal" => {
            let client = NodionClient::builder()
                .user_key(LOOPBACK_NODION_KEY)
                .base_url(server.nodion_base_url())
                .rate_limit(quota)
                .build()?;
            drive(NodalNodion(client), calls).await
        }
        other => Err(BenchError::new(format!(
            "unknown contender `{other}`; use nodana-raw, nodana-nodal, nodion-raw or nodion-nodal"
        ))),
    }
}

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let contender = args.next().unwrap_or_else(|| "nodana-nodal".into());
    let calls = args.next().and_then(|n| n.parse().ok()).unwrap_or(2_000);
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(BenchError::from)
        .and_then(|runtime| runtime.block_on(run(&contender, calls)));
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("profile_calls: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
