//! Runs the selected sections in order, printing each table as soon as it is ready.

use crate::error::{BenchError, BenchResult};
use crate::machine::Machine;
use crate::report::{self, Report};
use crate::server::LoopbackServer;
use crate::settings::{Section, Settings};
use crate::{concurrency, footprint, limiter, overhead};

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
    report.judge();
    print(&report.render_goals());
    Ok(report)
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
