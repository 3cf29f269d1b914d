//! `nodal demo`: the whole cross-provider life cycle against an embedded twin, through the
//! neutral traits only. Nothing leaves 127.0.0.1 and no account is needed.

use crate::exit::CliError;
use crate::output::{Cell, Output, Table, Tone, print_stderr};
use nodal::nodana::NodanaClient;
use nodal::nodion::NodionClient;
use nodal::{AppId, AppSpec, DeployOptions, Error, ProjectId, Provider};
use nodal_sim::Sim;
use serde::Serialize;
use std::future::Future;
use std::time::{Duration, Instant};

/// How long a twin app stays pending after a create, start or deploy: long enough to show a
/// real wait, short enough for a quick demo.
const TWIN_DELAY: Duration = Duration::from_secs(2);
/// How long a wait step may take before the demo gives up.
const WAIT_LIMIT: Duration = Duration::from_secs(30);

/// One step of a life cycle.
#[derive(Debug, Serialize)]
struct Step {
    step: &'static str,
    ok: bool,
    skipped: bool,
    result: String,
    elapsed_ms: u64,
}

/// One provider's life cycle.
#[derive(Debug, Serialize)]
struct Run {
    provider: &'static str,
    steps: Vec<Step>,
}

impl Run {
    fn ok(&self) -> bool {
        self.steps.iter().all(|s| s.ok)
    }
}

/// What the twin counted.
#[derive(Debug, Serialize)]
struct Counts {
    requests: u64,
    nodana_rate_limit_violations: u64,
    nodion_quota_rejections: u64,
    apps_created: u64,
    nodana_apps_created: u64,
    nodion_apps_created: u64,
    nodion_deployments_created: u64,
}

/// The demo's JSON document.
#[derive(Debug, Serialize)]
struct Report {
    ok: bool,
    elapsed_ms: u64,
    providers: Vec<Run>,
    counters: Counts,
}

pub(crate) async fn run(out: &Output) -> Result<(), CliError> {
    let started = Instant::now();
    let sim = Sim::builder()
        .nodana_start_delay(TWIN_DELAY)
        .nodion_deploy_delay(TWIN_DELAY)
        .start()
        .await
        .map_err(|e| {
            CliError::Failed(format!("cannot start the embedded twin on 127.0.0.1: {e}"))
        })?;
    out.say(&format!(
        "nodal demo: an embedded twin of the Nodion and Nodana APIs is serving on http://{} (nothing leaves this machine).\n\
         Both life cycles run at once through the same neutral code; Nodana's twin enforces its real limit of 1 request per second.\n\n",
        sim.addr()
    ));
    let nodana = NodanaClient::builder()
        .api_key(sim.nodana_key())
        .base_url(sim.nodana_base_url())
        .build()?;
    let nodion = NodionClient::builder()
        .user_key(sim.nodion_user_key())
        .base_url(sim.nodion_base_url())
        .build()?;

    let (nodion_run, nodana_run) = tokio::join!(life_cycle(&nodion), life_cycle(&nodana));
    let counters = sim.counters();
    sim.shutdown().await;

    let counts = Counts {
        requests: counters.requests,
        nodana_rate_limit_violations: counters.nodana_rate_limit_violations,
        nodion_quota_rejections: counters.nodion_quota_rejections,
        apps_created: counters.apps_created,
        nodana_apps_created: counters.nodana_apps_created,
        nodion_apps_created: counters.nodion_apps_created,
        nodion_deployments_created: counters.deployments_created,
    };
    let runs = vec![nodion_run, nodana_run];
    let steps_ok = runs.iter().all(Run::ok);
    let ok = steps_ok && counts.nodana_rate_limit_violations == 0;
    let report = Report {
        ok,
        elapsed_ms: millis(started.elapsed()),
        providers: runs,
        counters: counts,
    };

    if out.json {
        out.print_json(&report)?;
    } else {
        print_report(&report, out);
    }
    if ok {
        return Ok(());
    }
    let why = if steps_ok {
        format!(
            "the demo counted {} rate-limit violations on Nodana",
            report.counters.nodana_rate_limit_violations
        )
    } else {
        "a demo step failed (see the tables above)".to_owned()
    };
    let error = CliError::Failed(why);
    if out.json {
        // The report already says what failed.
        return Err(CliError::Reported(Box::new(error)));
    }
    Err(error)
}

fn print_report(report: &Report, out: &Output) {
    for run in &report.providers {
        let title = match run.provider {
            "nodana" => "Nodana: Bitcoin and Lightning apps from templates",
            _ => "Nodion: a European PaaS",
        };
        out.say(&format!("{title}\n"));
        let mut table = Table::new(&["STEP", "RESULT", "TIME"]);
        for step in &run.steps {
            let (word, tone) = match (step.ok, step.skipped) {
                (true, false) => ("ok", Tone::Good),
                (true, true) => ("skipped", Tone::Busy),
                (false, _) => ("FAILED", Tone::Bad),
            };
            table.row(vec![
                step.step.into(),
                Cell::toned(format!("{word}: {}", step.result), tone),
                format!("{:.2}s", step.elapsed_ms as f64 / 1000.0).into(),
            ]);
        }
        out.say(&table.render(out.color));
        out.say("\n");
    }
    let c = &report.counters;
    let violations_tone = if c.nodana_rate_limit_violations == 0 {
        Tone::Good
    } else {
        Tone::Bad
    };
    let mut table = Table::new(&["TWIN COUNTER", "VALUE"]);
    table.row(vec!["requests".into(), c.requests.to_string().into()]);
    table.row(vec![
        "nodana rate-limit violations".into(),
        Cell::toned(c.nodana_rate_limit_violations.to_string(), violations_tone),
    ]);
    table.row(vec![
        "nodion quota rejections".into(),
        c.nodion_quota_rejections.to_string().into(),
    ]);
    table.row(vec![
        "apps created".into(),
        format!(
            "{} (nodion {}, nodana {})",
            c.apps_created, c.nodion_apps_created, c.nodana_apps_created
        )
        .into(),
    ]);
    table.row(vec![
        "nodion deployments created".into(),
        c.nodion_deployments_created.to_string().into(),
    ]);
    out.say(&table.render(out.color));
    let verdict = if report.ok {
        "every step passed, 0 rate-limit violations"
    } else {
        "FAILED"
    };
    out.say(&format!(
        "\nDemo finished in {:.1}s: {verdict}.\n",
        report.elapsed_ms as f64 / 1000.0
    ));
    if report.ok {
        out.say(
            "Next: `nodal sim serve` runs the twin on its own, so you can try every command against it.\n",
        );
    }
}

/// Runs the steps one after the other; after a failure the rest are marked as not run.
struct Steps {
    provider: &'static str,
    steps: Vec<Step>,
    failed: bool,
}

impl Steps {
    async fn run<T>(
        &mut self,
        step: &'static str,
        action: impl Future<Output = Result<T, Error>>,
        describe: impl FnOnce(&T) -> String,
    ) -> Option<T> {
        if self.failed {
            self.record(
                step,
                false,
                true,
                "not run: an earlier step failed".into(),
                Duration::ZERO,
            );
            return None;
        }
        let started = Instant::now();
        let result = action.await;
        let elapsed = started.elapsed();
        match result {
            Ok(value) => {
                self.record(step, true, false, describe(&value), elapsed);
                Some(value)
            }
            Err(error) => {
                self.failed = true;
                self.record(step, false, false, error.to_string(), elapsed);
                None
            }
        }
    }

    fn skip(&mut self, step: &'static str, why: String) {
        self.record(step, true, true, why, Duration::ZERO);
    }

    fn record(
        &mut self,
        step: &'static str,
        ok: bool,
        skipped: bool,
        result: String,
        took: Duration,
    ) {
        let word = match (ok, skipped) {
            (true, false) => "ok",
            (true, true) => "skipped",
            (false, _) => "FAILED",
        };
        print_stderr(&format!(
            "  {:<7} {step:<22} {word} ({:.2}s)\n",
            self.provider,
            took.as_secs_f64()
        ));
        self.steps.push(Step {
            step,
            ok,
            skipped,
            result,
            elapsed_ms: millis(took),
        });
    }
}

/// The life cycle, written once against the neutral traits and branching on capabilities only.
async fn life_cycle(provider: &dyn Provider) -> Run {
    let caps = provider.capabilities();
    let name = provider.name();
    let mut s = Steps {
        provider: name,
        steps: Vec::new(),
        failed: false,
    };

    let project: Option<ProjectId> = if caps.create_project {
        s.run(
            "create project",
            provider.create_project("nodal-demo"),
            |p| format!("project {} ({})", p.id, p.name),
        )
        .await
        .map(|p| p.id)
    } else {
        s.skip(
            "create project",
            format!("not supported by {name}; the app goes to the key's default project"),
        );
        None
    };

    let mut spec = if caps.app_from_template {
        AppSpec::from_template("phoenixd").param("auto_liquidity", "2m")
    } else {
        AppSpec::from_image("nginxdemos/hello")
            .image_tag("latest")
            .name("nodal-demo")
            .region("euc")
            .instance_type("starter")
            .instances(1)
    };
    if let Some(project) = &project {
        spec = spec.project(project.clone());
    }
    let app: Option<AppId> = s
        .run("create app", provider.create_app(&spec), |created| {
            let mut text = format!(
                "app {} from {} ({})",
                created.app.id,
                created.app.source.as_deref().unwrap_or("?"),
                created.app.raw_status
            );
            if !created.credentials.is_empty() {
                text.push_str(&format!(
                    " + {} one-time secrets (not shown)",
                    created.credentials.len()
                ));
            }
            text
        })
        .await
        .map(|created| created.app.id);
    let id = app.clone().unwrap_or_else(|| AppId::from("-"));

    s.run(
        "wait until available",
        provider.wait_until_available(&id, WAIT_LIMIT),
        |a| format!("{} ({})", a.status, a.raw_status),
    )
    .await;
    s.run("deploy", provider.deploy(&id, &DeployOptions::new()), |d| {
        let mut text = format!("deployment {} ({})", d.id, d.raw_status);
        if let Some(version) = &d.version {
            text.push_str(&format!(", version {version}"));
        }
        text
    })
    .await;
    s.run(
        "wait after deploy",
        provider.wait_until_available(&id, WAIT_LIMIT),
        |a| format!("{} ({})", a.status, a.raw_status),
    )
    .await;
    s.run("stop", provider.stop_app(&id), |()| "stopped".into())
        .await;
    s.run("start", provider.start_app(&id), |()| "started".into())
        .await;
    s.run("list apps", provider.list_apps(project.as_ref()), |apps| {
        let listed: Vec<String> = apps
            .iter()
            .map(|a| format!("{} {}", a.id, a.raw_status))
            .collect();
        format!("{} app(s): {}", apps.len(), listed.join(", "))
    })
    .await;
    s.run("delete app", provider.delete_app(&id), |()| {
        "deleted".into()
    })
    .await;
    match &project {
        Some(project) => {
            s.run("delete project", provider.delete_project(project), |()| {
                "deleted".into()
            })
            .await;
        }
        // The project was to be created, but an earlier step failed.
        None if caps.create_project => s.record(
            "delete project",
            false,
            true,
            "not run: an earlier step failed".into(),
            Duration::ZERO,
        ),
        None => s.skip("delete project", format!("not supported by {name}")),
    }
    Run {
        provider: name,
        steps: s.steps,
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
