//! The report: every figure of a run, printed as tables and written as JSON.

use crate::cli_wait::{self, CliWaitResult};
use crate::concurrency::{self, ConcurrencyResult};
use crate::fleet::{FleetResult, FleetRun};
use crate::footprint::FootprintResult;
use crate::jitter::{self, JitterResult};
use crate::limiter::LimiterResult;
use crate::machine::Machine;
use crate::overhead::{self, OverheadRow};
use crate::settings::Settings;
use crate::table::Table;
use serde::Serialize;

/// Every figure of one run (sections that were not run are `null` in JSON).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `quick` or `full`.
    pub mode: &'static str,
    /// What it ran on.
    pub machine: Machine,
    /// The sizes used.
    pub settings: Settings,
    /// Section 1.
    pub overhead: Option<Vec<OverheadRow>>,
    /// Section 2.
    pub limiter: Option<LimiterResult>,
    /// Section 3.
    pub concurrency: Option<ConcurrencyResult>,
    /// Section 4.
    pub footprint: Option<FootprintResult>,
    /// Section 5.
    pub jitter: Option<JitterResult>,
    /// Section 6.
    pub fleet: Option<FleetResult>,
    /// Section 7.
    pub cli_wait: Option<CliWaitResult>,
    /// One line per goal.
    pub goals: Vec<Goal>,
}

/// A goal and whether this run met it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Goal {
    /// What is measured.
    pub name: String,
    /// The target, e.g. `≤ 1.03`.
    pub target: String,
    /// The figure measured.
    pub figure: String,
    /// Whether the figure meets the target.
    pub met: bool,
    /// Whether the figure counts: timing goals are not judged in quick mode.
    pub judged: bool,
}

impl Goal {
    /// `met`, `MISSED`, or either with `(quick mode: not judged)`.
    pub fn verdict(&self) -> String {
        let word = if self.met { "met" } else { "MISSED" };
        if self.judged {
            word.to_owned()
        } else {
            format!("{word} (quick mode: not judged)")
        }
    }
}

impl Report {
    /// Derives the goal lines from the sections that ran.
    pub fn judge(&mut self) {
        let timed = !self.settings.quick;
        let mut goals = Vec::new();
        for row in self.overhead.iter().flatten() {
            goals.push(Goal {
                name: format!(
                    "overhead {} (nodal/raw median, median of rounds)",
                    row.adapter
                ),
                target: format!("≤ {:.2}", overhead::GOAL_MAX_RATIO),
                figure: format!("{:.3}", row.median_ratio),
                met: row.meets_goal(),
                judged: timed,
            });
        }
        if let Some(limiter) = &self.limiter {
            // Violations are a promise, not a time: judged in every mode.
            goals.push(Goal {
                name: "limiter violations (nodal)".into(),
                target: "0".into(),
                figure: format!(
                    "{} violations, {} failed calls",
                    limiter.violations, limiter.failed_calls
                ),
                met: limiter.meets_goal(),
                judged: true,
            });
        }
        if let Some(result) = &self.concurrency {
            goals.push(Goal {
                name: format!(
                    "concurrency throughput nodal/raw ({} workers, median of rounds)",
                    result.workers
                ),
                target: format!("≥ {:.2}", concurrency::GOAL_MIN_RATIO),
                figure: format!("{:.3}", result.ratio),
                met: result.meets_goal(),
                judged: timed,
            });
        }
        if let Some(result) = &self.jitter {
            goals.push(Goal {
                name: format!("limiter under jitter: violations ({} calls)", result.calls),
                target: "0".into(),
                figure: format!(
                    "{} violations, {} failed calls",
                    result.violations, result.failed_calls
                ),
                met: result.meets_safety_goal(),
                judged: true,
            });
            goals.push(Goal {
                name: "limiter under jitter: throughput / limit".into(),
                target: format!("≥ {:.2}", jitter::GOAL_MIN_THROUGHPUT),
                figure: format!("{:.3}", result.throughput_ratio),
                met: result.meets_throughput_goal(),
                judged: timed,
            });
        }
        if let Some(fleet) = &self.fleet {
            for (store, run) in [("file", &fleet.file), ("redis", &fleet.redis)] {
                fleet_goals(&mut goals, store, run.as_ref(), timed);
            }
        }
        if let Some(result) = &self.cli_wait {
            goals.push(Goal {
                name: "`nodal projects list` while another command waits (s)".into(),
                target: format!("< {:.0}", cli_wait::GOAL_MAX_S),
                figure: result.list_s.map_or_else(
                    || format!("not run: {}", result.note.clone().unwrap_or_default()),
                    |s| format!("{s:.2} ({} violations)", result.violations),
                ),
                met: result.meets_goal(),
                judged: timed,
            });
        }
        self.goals = goals;
    }

    /// The judged goals that were missed.
    pub fn missed(&self) -> Vec<&Goal> {
        self.goals.iter().filter(|g| g.judged && !g.met).collect()
    }

    /// The goal lines as a table.
    pub fn render_goals(&self) -> String {
        let mut table = Table::new("Goals", &["goal", "target", "figure", "result"]);
        for goal in &self.goals {
            table.row([
                goal.name.clone(),
                goal.target.clone(),
                goal.figure.clone(),
                goal.verdict(),
            ]);
        }
        table.render()
    }
}

fn fleet_goals(goals: &mut Vec<Goal>, store: &str, run: Option<&FleetRun>, timed: bool) {
    let Some(run) = run else {
        // A fleet that could not run is a missed goal (judged in full mode).
        goals.push(Goal {
            name: format!("fleet through {store}: violations"),
            target: "0".into(),
            figure: "not run".into(),
            met: false,
            judged: timed,
        });
        return;
    };
    let size = format!("{} processes × {}", run.processes, run.calls_per_process);
    goals.push(Goal {
        name: format!("fleet through {store} ({size}): violations"),
        target: "0".into(),
        figure: format!(
            "{} violations, {} failed calls",
            run.violations, run.failed_calls
        ),
        met: run.meets_safety_goal(),
        judged: true,
    });
    goals.push(Goal {
        name: format!("fleet through {store}: aggregate throughput / limit"),
        target: format!("≥ {:.2}", jitter::GOAL_MIN_THROUGHPUT),
        figure: format!("{:.3}", run.throughput_ratio),
        met: run.meets_throughput_goal(),
        judged: timed,
    });
}

/// Section 5 as a table.
pub fn render_jitter(result: &JitterResult) -> String {
    let mut table = Table::new(
        format!(
            "5. Limiter under jitter: {} concurrent Nodana calls from one client, zero-tolerance twin (1 req/s), uplink latency U({}, {} ms)",
            result.calls, result.uplink_ms.0, result.uplink_ms.1
        ),
        &[
            "calls",
            "elapsed s",
            "throughput / limit",
            "min gap ms",
            "violations",
            "errors",
        ],
    );
    table.row([
        result.calls.to_string(),
        format!("{:.3}", result.elapsed_s),
        format!("{:.3}", result.throughput_ratio),
        gap(result.min_gap_ms),
        result.violations.to_string(),
        result.failed_calls.to_string(),
    ]);
    table.render()
}

/// Section 6 as two tables: the fleets, then the stores' per-request cost.
pub fn render_fleet(result: &FleetResult) -> String {
    let mut table = Table::new(
        "6. Fleet: worker processes on one Nodana key, calls all at once, zero-tolerance twin, uplink U(0, 200 ms)",
        &[
            "store",
            "processes × calls",
            "elapsed s",
            "aggregate throughput / limit",
            "min gap ms",
            "violations",
            "errors",
        ],
    );
    for run in [&result.file, &result.redis].into_iter().flatten() {
        table.row([
            run.store.to_owned(),
            format!("{} × {}", run.processes, run.calls_per_process),
            format!("{:.3}", run.elapsed_s),
            format!("{:.3}", run.throughput_ratio),
            gap(run.min_gap_ms),
            run.violations.to_string(),
            match &run.first_error {
                Some(error) => format!("{} ({error})", run.failed_calls),
                None => run.failed_calls.to_string(),
            },
        ]);
    }
    let mut costs = Table::new(
        "6b. Per-request cost of the budget store: sequential Nodana GETs on loopback, no server limit (µs per call)",
        &["store", "calls", "median", "mean", "mean − memory"],
    );
    for cost in &result.costs {
        costs.row([
            cost.store.to_owned(),
            cost.calls.to_string(),
            us(cost.median_us),
            us(cost.mean_us),
            if cost.store == "memory" {
                "-".to_owned()
            } else {
                us(cost.overhead_us)
            },
        ]);
    }
    let mut out = table.render();
    out.push_str(&costs.render());
    for why in &result.skipped {
        out.push_str(&format!("skipped: {why}\n"));
    }
    out
}

/// Section 7 as a table.
pub fn render_cli_wait(result: &CliWaitResult) -> String {
    let mut table = Table::new(
        format!(
            "7. A command while another waits: `nodal projects list` during `nodal apps wait` (app starts in {:.0} s), one key, file store",
            result.start_delay_s
        ),
        &[
            "binary",
            "projects list s",
            "apps wait",
            "violations",
            "note",
        ],
    );
    table.row([
        result.binary.clone(),
        result
            .list_s
            .map_or_else(|| "-".to_owned(), |s| format!("{s:.3}")),
        match result.wait_ok {
            Some(true) => "ok".to_owned(),
            Some(false) => "failed".to_owned(),
            None => "-".to_owned(),
        },
        result.violations.to_string(),
        result.note.clone().unwrap_or_default(),
    ]);
    table.render()
}

fn gap(ms: Option<f64>) -> String {
    ms.map_or_else(|| "-".to_owned(), |gap| format!("{gap:.1}"))
}

/// Section 1 as a table.
pub fn render_overhead(rows: &[OverheadRow], settings: &Settings) -> String {
    let mut table = Table::new(
        format!(
            "1. Per-call overhead: sequential GETs on loopback, {} calls per side in {} alternating rounds (µs per call)",
            settings.overhead_calls, settings.overhead_rounds
        ),
        &[
            "adapter / call",
            "client",
            "median",
            "p99",
            "mean",
            "ratio of medians",
            "p99 ratio",
            "ratio (median of rounds)",
        ],
    );
    for row in rows {
        let name = format!("{} {}", row.adapter, row.call);
        table.row([
            name.clone(),
            "raw reqwest".into(),
            us(row.raw.median_us),
            us(row.raw.p99_us),
            us(row.raw.mean_us),
            String::new(),
            String::new(),
            String::new(),
        ]);
        table.row([
            name,
            "nodal".into(),
            us(row.nodal.median_us),
            us(row.nodal.p99_us),
            us(row.nodal.mean_us),
            format!("{:.3}", row.overall_median_ratio),
            format!("{:.3}", row.p99_ratio),
            format!("{:.3}", row.median_ratio),
        ]);
    }
    table.render()
}

/// Section 2 as a table.
pub fn render_limiter(result: &LimiterResult) -> String {
    let mut table = Table::new(
        format!(
            "2. Limiter precision: {} concurrent Nodana projects().list() against the strict twin (1 req/s per key, 50 ms tolerance)",
            result.calls
        ),
        &[
            "run",
            "calls",
            "clones",
            "elapsed s",
            "ideal s",
            "ratio",
            "min gap ms",
            "violations",
            "errors",
        ],
    );
    table.row([
        "nodal (default limiter)".to_owned(),
        result.calls.to_string(),
        result.clones.to_string(),
        format!("{:.3}", result.elapsed_s),
        format!("{:.3}", result.ideal_s),
        format!("{:.4}", result.ratio),
        result
            .min_gap_ms
            .map_or_else(|| "-".to_owned(), |gap| format!("{gap:.1}")),
        result.violations.to_string(),
        result.failed_calls.to_string(),
    ]);
    let base = &result.baseline;
    table.row([
        "raw reqwest (no limiter)".to_owned(),
        base.calls.to_string(),
        "-".into(),
        format!("{:.3}", base.elapsed_s),
        "-".into(),
        "-".into(),
        "-".into(),
        base.violations.to_string(),
        format!("{} refused", base.rejected),
    ]);
    table.render()
}

/// Section 3 as a table.
pub fn render_concurrency(result: &ConcurrencyResult) -> String {
    let mut table = Table::new(
        format!(
            "3. Concurrency: {} concurrent workers of Nodion regions() (no quota) on loopback, {} calls per side",
            result.workers, result.calls_per_side
        ),
        &[
            "client",
            "calls/s",
            "ratio (all rounds)",
            "ratio (median of rounds)",
        ],
    );
    table.row([
        "raw reqwest".to_owned(),
        format!("{:.0}", result.raw_calls_per_s),
        String::new(),
        String::new(),
    ]);
    table.row([
        "nodal".to_owned(),
        format!("{:.0}", result.nodal_calls_per_s),
        format!("{:.3}", result.total_ratio),
        format!("{:.3}", result.ratio),
    ]);
    table.render()
}

/// Section 4 as a table.
pub fn render_footprint(result: &FootprintResult) -> String {
    let mut table = Table::new(
        "4. Footprint: unique crates in `cargo tree -p nodal -e normal` (nodal's own included), CLI binary",
        &["what", "figure"],
    );
    for tree in &result.trees {
        let figure = match (tree.crates, &tree.error) {
            (Some(count), _) => format!("{count} crates"),
            (None, Some(error)) => format!("n/a ({error})"),
            (None, None) => "n/a".to_owned(),
        };
        table.row([format!("nodal features: {}", tree.features), figure]);
    }
    let cli = &result.cli;
    let figure = match cli.bytes {
        Some(bytes) => format!("{} ({})", mib(bytes), cli.status),
        None => cli.status.clone(),
    };
    table.row(["CLI binary, release (`nodal`)".to_owned(), figure]);
    table.render()
}

fn us(value: f64) -> String {
    format!("{value:.1}")
}

/// Bytes as MiB with one decimal.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::footprint::{CliBinary, TreeCount};
    use crate::limiter::BaselineResult;
    use crate::stats::Summary;

    fn summary(median_us: f64) -> Summary {
        Summary {
            count: 10,
            median_us,
            p99_us: median_us * 2.0,
            mean_us: median_us,
            min_us: median_us,
            max_us: median_us * 3.0,
        }
    }

    fn report(quick: bool) -> Report {
        let settings = if quick {
            Settings::quick()
        } else {
            Settings::full()
        };
        Report {
            mode: settings.mode(),
            machine: crate::machine::Machine::detect(),
            settings,
            overhead: Some(vec![OverheadRow {
                adapter: "Nodana",
                call: "projects().list()",
                raw: summary(50.0),
                nodal: summary(52.0),
                median_ratio: 1.04,
                overall_median_ratio: 1.04,
                p99_ratio: 1.04,
            }]),
            limiter: Some(LimiterResult {
                calls: 5,
                clones: 4,
                elapsed_s: 4.01,
                ideal_s: 4.0,
                ratio: 1.0025,
                min_gap_ms: Some(1000.2),
                failed_calls: 0,
                violations: 0,
                baseline: BaselineResult {
                    calls: 5,
                    elapsed_s: 0.01,
                    succeeded: 1,
                    rejected: 4,
                    violations: 4,
                },
            }),
            concurrency: Some(ConcurrencyResult {
                workers: 64,
                calls_per_side: 1280,
                raw_calls_per_s: 10_000.0,
                nodal_calls_per_s: 9_800.0,
                ratio: 0.98,
                total_ratio: 0.98,
            }),
            footprint: Some(FootprintResult {
                trees: vec![TreeCount {
                    features: "nodana",
                    command: "cargo tree".into(),
                    crates: Some(131),
                    error: None,
                }],
                cli: CliBinary {
                    path: "/t/release/nodal".into(),
                    bytes: Some(3 * 1024 * 1024),
                    status: "found".into(),
                },
            }),
            jitter: None,
            fleet: None,
            cli_wait: None,
            goals: Vec::new(),
        }
    }

    fn fleet_run(store: &'static str, violations: u64) -> FleetRun {
        FleetRun {
            store,
            processes: 3,
            calls_per_process: 10,
            elapsed_s: 33.0,
            throughput_ratio: 0.9,
            min_gap_ms: Some(1003.0),
            failed_calls: 0,
            violations,
            first_error: None,
        }
    }

    #[test]
    fn budget_sections_are_judged_and_rendered() {
        let mut report = report(false);
        report.jitter = Some(JitterResult {
            calls: 30,
            uplink_ms: (0, 200),
            elapsed_s: 32.4,
            throughput_ratio: 0.899,
            min_gap_ms: Some(1010.5),
            failed_calls: 0,
            violations: 0,
        });
        report.fleet = Some(FleetResult {
            file: Some(fleet_run("file", 0)),
            redis: None,
            costs: Vec::new(),
            skipped: vec!["Redis: not here".into()],
        });
        report.cli_wait = Some(CliWaitResult {
            binary: "nodal".into(),
            start_delay_s: 10.0,
            list_s: Some(1.1),
            wait_ok: Some(true),
            violations: 0,
            note: None,
        });
        report.judge();
        let missed: Vec<&str> = report.missed().iter().map(|g| g.name.as_str()).collect();
        // The overhead fixture misses; so does the Redis fleet that did not run.
        assert_eq!(
            missed,
            [
                "overhead Nodana (nodal/raw median, median of rounds)",
                "fleet through redis: violations"
            ]
        );
        assert!(render_jitter(report.jitter.as_ref().unwrap()).contains("0.899"));
        let fleet = render_fleet(report.fleet.as_ref().unwrap());
        assert!(fleet.contains("3 × 10") && fleet.contains("skipped: Redis: not here"));
        assert!(render_cli_wait(report.cli_wait.as_ref().unwrap()).contains("1.100"));
        report.fleet = Some(FleetResult {
            file: Some(fleet_run("file", 1)),
            redis: Some(fleet_run("redis", 0)),
            costs: Vec::new(),
            skipped: Vec::new(),
        });
        report.settings = Settings::quick();
        report.judge();
        // Violations are judged even in quick mode.
        let missed: Vec<&str> = report.missed().iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            missed,
            ["fleet through file (3 processes × 10): violations"]
        );
    }

    #[test]
    fn goals_are_judged_in_full_mode() {
        let mut report = report(false);
        report.judge();
        assert_eq!(report.goals.len(), 3);
        let missed: Vec<&str> = report.missed().iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            missed,
            ["overhead Nodana (nodal/raw median, median of rounds)"]
        );
        assert_eq!(report.goals[0].verdict(), "MISSED");
        assert_eq!(report.goals[2].verdict(), "met");
    }

    #[test]
    fn quick_mode_judges_only_violations() {
        let mut report = report(true);
        report.judge();
        assert!(report.missed().is_empty());
        assert_eq!(report.goals[0].verdict(), "MISSED (quick mode: not judged)");
        assert!(report.goals[1].judged);
        assert!(report.render_goals().contains("limiter violations (nodal)"));
    }

    #[test]
    fn tables_show_the_figures() {
        let report = report(false);
        let overhead = render_overhead(report.overhead.as_ref().unwrap(), &report.settings);
        assert!(overhead.contains("raw reqwest"));
        assert!(overhead.contains("52.0"));
        assert!(overhead.contains("1.040"));
        let limiter = render_limiter(report.limiter.as_ref().unwrap());
        assert!(limiter.contains("1000.2"));
        assert!(limiter.contains("4 refused"));
        let concurrency = render_concurrency(report.concurrency.as_ref().unwrap());
        assert!(concurrency.contains("9800"));
        assert!(concurrency.contains("0.980"));
        let footprint = render_footprint(report.footprint.as_ref().unwrap());
        assert!(footprint.contains("131 crates"));
        assert!(footprint.contains("3.0 MiB (found)"));
    }

    #[test]
    fn json_holds_every_section() {
        let mut report = report(false);
        report.judge();
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["mode"], "full");
        assert_eq!(json["overhead"][0]["adapter"], "Nodana");
        assert_eq!(json["limiter"]["baseline"]["violations"], 4);
        assert_eq!(json["concurrency"]["workers"], 64);
        assert_eq!(json["footprint"]["trees"][0]["crates"], 131);
        assert_eq!(json["goals"].as_array().unwrap().len(), 3);
        assert_eq!(json["settings"]["limiter_calls"], 30);
    }
}
