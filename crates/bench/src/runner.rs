//! Runs the selected sections in order, printing each table as soon as it is ready.

use crate::error::{BenchError, BenchResult};
use crate::machine::Machine;
use crate::report::{self, Report};
use crate::server::LoopbackServer;
use crate::settings::{Section, Settings};
use crate::{cli_wait, concurrency, fleet, footprint, jitter, limiter, overhead};
use std::time::Duration;

/// Runs `sections` (all when empty) with `settings`, handing each rendered table to `print`.
/// Must run on a multi-thread tokio runtime.
pub async fn run(
    settings: Settings,
    sections: &[Section],
    mut print: impl FnMut(&str),
) -> BenchResult<Report> {
    let wanted = |section: Section| sections.is_empty() || sections.contains(&section);
    let machine = Machine::detect();
    print(&format!(
        "nodal-bench, {} mode, on {}\n",
        settings.mode(),
        machine.describe()
    ));
    let mut report = Report {
        mode: settings.mode(),
        machine,
        settings: settings.clone(),
        overhead: None,
        limiter: None,
        concurrency: None,
        footprint: None,
        jitter: None,
        fleet: None,
        cli_wait: None,
        goals: Vec::new(),
    };

    let server = LoopbackServer::start()
        .await
        .map_err(|e| BenchError::new(format!("the loopback server did not start: {e}")))?;
    if wanted(Section::Overhead) {
        let rows = overhead::run(&server, &settings).await?;
        print(&report::render_overhead(&rows, &settings));
        report.overhead = Some(rows);
    }
    if wanted(Section::Limiter) {
        let result = limiter::run(&settings)
            .await
            .map_err(|e| e.context("limiter"))?;
        print(&report::render_limiter(&result));
        report.limiter = Some(result);
    }
    if wanted(Section::Concurrency) {
        let result = concurrency::run(&server, &settings).await?;
        print(&report::render_concurrency(&result));
        report.concurrency = Some(result);
    }
    drop(server);
    if wanted(Section::Footprint) {
        let build_cli = settings.build_cli;
        let result = tokio::task::spawn_blocking(move || footprint::run(build_cli)).await?;
        print(&report::render_footprint(&result));
        report.footprint = Some(result);
    }
    if wanted(Section::Jitter) {
        let result = jitter::run(&settings)
            .await
            .map_err(|e| e.context("limiter under jitter"))?;
        print(&report::render_jitter(&result));
        report.jitter = Some(result);
    }
    if wanted(Section::Fleet) {
        let worker = worker_binary();
        let result = fleet::run(&settings, worker.as_deref())
            .await
            .map_err(|e| e.context("fleet"))?;
        print(&report::render_fleet(&result));
        report.fleet = Some(result);
    }
    if wanted(Section::CliWait) {
        let delay = Duration::from_millis(settings.cli_wait_start_delay_ms);
        let result = cli_wait::run(delay, settings.build_cli)
            .await
            .map_err(|e| e.context("a command while another waits"))?;
        print(&report::render_cli_wait(&result));
        report.cli_wait = Some(result);
    }
    report.judge();
    print(&report.render_goals());
    Ok(report)
}

/// This binary, when it is `nodal-bench` (the fleet's worker); not a test harness.
fn worker_binary() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let name = exe.file_stem()?.to_str()?;
    (name == "nodal-bench").then_some(exe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn selected_sections_only_and_every_table_printed() {
        let settings = Settings {
            overhead_calls: 20,
            overhead_rounds: 2,
            warmup_calls: 1,
            concurrency_workers: 4,
            concurrency_calls_per_worker: 4,
            ..Settings::quick()
        };
        let mut printed = String::new();
        let report = run(
            settings,
            &[Section::Overhead, Section::Concurrency],
            |text| printed.push_str(text),
        )
        .await
        .unwrap();
        assert!(report.overhead.is_some());
        assert!(report.concurrency.is_some());
        assert!(report.limiter.is_none());
        assert!(report.footprint.is_none());
        assert_eq!(report.goals.len(), 3);
        assert!(printed.contains("quick mode"));
        assert!(printed.contains("1. Per-call overhead"));
        assert!(printed.contains("3. Concurrency"));
        assert!(!printed.contains("2. Limiter"));
        assert!(printed.contains("Goals"));
    }
}
