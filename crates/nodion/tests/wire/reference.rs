//! Every example of Nodion's API reference kept under `tests/fixtures/reference` goes through
//! the adapter's own decoder (`NodionProtocol` + the wrapper key, exactly as the client decodes
//! an answer) and keeps its values: prices as exact text, `mem` in GB, every status word.

use nodal_core::Error;
use nodal_core::raw::{Protocol, RawResponse};
use nodal_nodion::raw::NodionProtocol;
use nodal_nodion::raw::wire::*;
use nodal_nodion::*;
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use std::path::Path;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/reference");

/// A fixture: the body without its `# ` header lines, and the status its header names (200
/// when it names none).
struct Fixture {
    name: String,
    status: u16,
    body: String,
}

impl Fixture {
    fn read(path: &Path) -> Fixture {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".json.txt"))
            .unwrap()
            .to_owned();
        let mut status = 200;
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next_if(|l| l.starts_with("# ")) {
            if let Some(rest) = line.strip_prefix("# status: ") {
                status = rest[..3].parse().unwrap();
            }
        }
        let body = lines.collect::<Vec<_>>().join("\n");
        assert!(body.trim_start().starts_with('{'), "{name}: no JSON body");
        Fixture { name, status, body }
    }

    fn raw(&self) -> RawResponse<'_> {
        RawResponse::new("nodion", self.status, self.body.as_bytes())
    }

    /// The value under `K`, decoded the way the client decodes it.
    fn decode<K: WrapKey, T: DeserializeOwned>(&self) -> T {
        let protocol = NodionProtocol::new(KeyKind::User);
        match protocol.decode::<Wrapped<K, T>>(&self.raw()) {
            Ok(wrapped) => wrapped.value,
            Err(err) => panic!("{}: {err}", self.name),
        }
    }

    /// The error the adapter makes of this answer.
    fn error(&self) -> Error {
        let protocol = NodionProtocol::new(KeyKind::User);
        match protocol.decode::<serde_json::Value>(&self.raw()) {
            Ok(value) => panic!("{}: decoded as success: {value}", self.name),
            Err(err) => err,
        }
    }
}

type Check = fn(&Fixture);

/// File name (without `.json.txt`) → the decoder of its call and the values that must survive.
const TABLE: &[(&str, Check)] = &[
    ("applications--list", applications_list),
    ("applications--list-older-crawl", applications_list_older),
    ("applications--get", applications_get),
    ("application-processes--list", processes_list),
    ("application-scaling--list", scaling_list),
    ("application-instances--list", instances_list),
    ("application-domains--list", domains_list),
    ("application-domains--create", domains_create),
    ("application-logs--list", logs_list),
    ("application-deployments--list", deployments_list),
    (
        "application-deployments--list-older-crawl",
        deployments_list_older,
    ),
    ("application-deployments--trigger", deployments_trigger),
    ("application-environment-variables--list", env_list),
    ("application-environment-variables--get", env_get),
    ("dns-zones--list", dns_zones_list),
    ("dns-zones--create", dns_zones_create),
    ("dns-zones--create-error", dns_zones_create_error),
    ("dns-zones--records-list", dns_records_list),
    ("dns-zones--record-create", dns_record_create),
    ("dns-zones--record-create-error", dns_record_create_error),
    ("email-zones--list", email_zones_list),
    ("email-zones--get", email_zones_get),
    ("email-zones--messages", email_zones_messages),
    ("runners--list", runners_list),
    ("runners--list-older-crawl", runners_list_older),
    ("runners--get", runners_get),
    ("runner-runs--list", runs_list),
    ("runner-runs--list-older-crawl", runs_list_older),
    ("runner-runs--get", runs_get),
    ("integrations--list", integrations_list),
    ("integrations--repositories", integrations_repositories),
    ("container-registries--list", registries_list),
    ("container-registries--get", registries_get),
];

#[test]
fn every_reference_example_decodes_through_the_adapter() {
    let mut seen = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_str().is_some_and(|p| p.ends_with(".json.txt")))
        .collect();
    entries.sort();
    assert!(entries.len() >= TABLE.len(), "fixtures missing in {DIR}");
    for path in entries {
        let fixture = Fixture::read(&path);
        let check = TABLE
            .iter()
            .find(|(name, _)| *name == fixture.name)
            .map(|(_, check)| *check)
            .unwrap_or_else(|| {
                panic!(
                    "{}: no decoder in the table; add the file to TABLE",
                    fixture.name
                )
            });
        check(&fixture);
        seen.push(fixture.name);
    }
    for (name, _) in TABLE {
        assert!(seen.iter().any(|s| s == name), "{name}: no such fixture");
    }
}

fn applications_list(f: &Fixture) {
    let apps: Vec<Application> = f.decode::<ApplicationsKey, _>();
    let app = &apps[0];
    assert_eq!(app.id.as_str(), "0ce705eb-fb11-485a-b380-82cdb8b97036");
    assert_eq!(app.status, Some(ApplicationStatus::Online));
    assert_eq!(app.state.as_deref(), Some("default"));
    assert_eq!(app.name, "My App");
    assert_eq!(app.instance_amount, Some(1));
    assert_eq!(
        app.deployment_strategy,
        Some(DeploymentStrategy::Dockerfile)
    );
    assert_eq!(app.container_registry_id, None);
    assert_eq!(
        (app.image_name.as_ref(), app.image_tag.as_ref()),
        (None, None)
    );
    let region = app.region.as_ref().unwrap();
    assert_eq!(
        (region.name.as_str(), region.slug.as_str()),
        ("Frankfurt, DE", "fra")
    );
    let worker = &app.workers[0];
    assert_eq!(
        worker.id.as_deref(),
        Some("62dc41e5-df5b-45b1-86d7-625e7102b3dc")
    );
    assert_eq!(worker.status, Some(ProcessStatus::Available));
    assert_eq!(worker.state, Some(ProcessState::Default));
    assert_eq!(worker.name, "My App Worker #1");
    assert_eq!(worker.instance_amount, Some(2));
    assert_eq!(
        worker.instance_type_id.as_deref(),
        Some("428c904f-db6b-4e89-9e90-741669155bd4")
    );
}

fn applications_list_older(f: &Fixture) {
    let apps: Vec<Application> = f.decode::<ApplicationsKey, _>();
    assert_eq!(apps[0].status, Some(ApplicationStatus::Online));
    assert_eq!(apps[0].deployment_strategy, None);
    assert_eq!(apps[0].workers.len(), 1);
}

fn applications_get(f: &Fixture) {
    let app: Application = f.decode::<ApplicationKey, _>();
    assert_eq!(app.id.as_str(), "0ce705eb-fb11-485a-b380-82cdb8b97036");
    assert_eq!(app.state.as_deref(), Some("default"));
    assert_eq!(
        app.instance_type_id.as_deref(),
        Some("ccdcd297-702b-4f51-ad21-7ca481c08920")
    );
    assert_eq!(app.workers[0].state, Some(ProcessState::Default));
}

fn processes_list(f: &Fixture) {
    let processes: Vec<Process> = f.decode::<ProcessesKey, _>();
    let (web, worker) = (&processes[0], &processes[1]);
    assert_eq!(web.status, Some(ProcessStatus::Available));
    assert_eq!(web.state, Some(ProcessState::Default));
    assert_eq!(
        (web.name.as_str(), web.slug.as_deref()),
        ("Web", Some("web"))
    );
    assert_eq!(
        web.image_name.as_deref(),
        Some("registry.euc.nodion.net/my-app/web")
    );
    assert_eq!(
        (web.instance_amount, worker.instance_amount),
        (Some(2), Some(1))
    );
    assert_eq!(web.entrypoint.as_deref(), Some("web"));
    assert_eq!(worker.entrypoint, None);
    assert_eq!(
        web.instance_type_id.as_deref(),
        Some("b2c3d4e5-f6a7-8901-bcde-f12345678901")
    );
    let t = web.instance_type.as_ref().unwrap();
    assert_eq!(
        (t.name.as_str(), t.category.as_deref()),
        ("GP-G2-4GB1C", Some("gp"))
    );
    assert_eq!((t.cpu, t.mem), (Some(1.0), Some(4.0)));
    assert_eq!(t.price_month.as_ref().unwrap().as_str(), "16.0");
    assert_eq!(
        t.price_second.as_ref().unwrap().as_str(),
        "0.000006088280061"
    );
    let w = worker.instance_type.as_ref().unwrap();
    assert_eq!((w.cpu, w.mem), (Some(0.5), Some(1.0)));
    assert_eq!(
        w.price_second.as_ref().unwrap().to_string(),
        "0.000001522070015"
    );
    let port = &web.ports[0];
    assert_eq!(
        port.id.as_deref(),
        Some("c3d4e5f6-a7b8-9012-cdef-123456789012")
    );
    assert_eq!(
        (port.port, port.protocol.as_deref()),
        (Some(3000), Some("http"))
    );
    assert!(worker.ports.is_empty());
}

fn scaling_list(f: &Fixture) {
    let events: Vec<ScalingEvent> = f.decode::<ScalingEventsKey, _>();
    let e = &events[0];
    assert_eq!(e.id.as_str(), "1e2308c7-34a5-4617-b79c-1f1cf0a36f17");
    assert_eq!(e.status, Some(ScalingEventStatus::Finished));
    assert_eq!(e.trigger_type, Some(ScalingTrigger::Manual));
    assert_eq!(
        (e.instance_amount_old, e.instance_amount_new),
        (Some(2), Some(1))
    );
    assert_eq!(
        e.instance_type_id_new.as_deref(),
        Some("c047eab3-7574-44f5-b25a-5ae9b490500c")
    );
    assert_eq!(
        e.finished_at.as_deref(),
        Some("2023-06-02T19:01:27.308+02:00")
    );
    assert_eq!(e.worker, None);
    assert_eq!(events[1].instance_amount_new, Some(2));
}

fn instances_list(f: &Fixture) {
    let instances: Vec<Instance> = f.decode::<InstancesKey, _>();
    let i = &instances[0];
    assert_eq!(i.status, Some(InstanceStatus::Online));
    assert_eq!(i.name.as_deref(), Some("3e5ac35cc2"));
    assert_eq!(i.hypervisor_name.as_deref(), Some("16475"));
    assert_eq!(
        i.created_at.as_deref(),
        Some("2023-06-03T17:13:17.093+02:00")
    );
    let d = i.deployment.as_ref().unwrap();
    assert_eq!(d.status, Some(DeploymentStatus::Available));
    assert_eq!(d.deploy_number, Some(38));
    assert_eq!(d.committer_username.as_deref(), Some("John Doe"));
    let t = i.instance_type.as_ref().unwrap();
    assert_eq!((t.cpu, t.mem), (Some(0.125), Some(0.5)));
    assert_eq!(t.price_month.as_ref().unwrap().as_str(), "4.0");
    assert_eq!(i.worker, None);
}

fn domains_list(f: &Fixture) {
    let domains: Vec<Domain> = f.decode::<DomainsKey, _>();
    assert_eq!(domains[0].status, Some(DomainStatus::Available));
    assert_eq!(domains[0].domain_type, Some(DomainType::Sub));
    assert_eq!(domains[0].domain_name, "example.nodion.app");
    assert_eq!(
        domains[0].verification_code.as_deref(),
        Some("nodion=9b4dc071f491619da2d9")
    );
    assert_eq!(domains[1].domain_type, Some(DomainType::Main));
}

fn domains_create(f: &Fixture) {
    assert_eq!(f.status, 200);
    let domain: Domain = f.decode::<DomainKey, _>();
    assert_eq!(domain.id.as_str(), "b37f41cb-81f9-4396-9163-4ad09b8ae203");
    assert_eq!(domain.status, Some(DomainStatus::Available));
    assert_eq!(
        domain.updated_at.as_deref(),
        Some("2023-05-22T15:21:45.859+02:00")
    );
}

fn logs_list(f: &Fixture) {
    let lines: Vec<LogLine> = f.decode::<LogsKey, _>();
    assert_eq!(lines[0].ts, "2026-05-05T08:14:22.115Z");
    assert_eq!(lines[0].msg, "[web.1] Listening on 0.0.0.0:3000");
    assert_eq!(lines[0].instance_id, None);
}

fn deployments_list(f: &Fixture) {
    let deployments: Vec<Deployment> = f.decode::<DeploymentsKey, _>();
    let (git, image) = (&deployments[0], &deployments[1]);
    assert_eq!(git.strategy, Some(DeploymentStrategy::Dockerfile));
    assert_eq!(git.image_reference, None);
    assert_eq!(
        git.git_sha.as_deref(),
        Some("d77ead8cbbdc37d04aa8c3466c6e35b7c55a508e")
    );
    assert_eq!(image.strategy, Some(DeploymentStrategy::PrebuiltImage));
    assert_eq!(
        image.image_reference.as_deref(),
        Some("docker.io/nginx:1.25")
    );
    assert_eq!(image.git_sha, None);
    assert_eq!(image.committer_name.as_deref(), Some("Container Registry"));
    assert_eq!(
        image.committer_username.as_deref(),
        Some("Container Registry")
    );
    assert_eq!(image.deploy_number, Some(1));
}

fn deployments_list_older(f: &Fixture) {
    let deployments: Vec<Deployment> = f.decode::<DeploymentsKey, _>();
    assert_eq!(deployments[0].strategy, None);
    assert_eq!(deployments[0].status, Some(DeploymentStatus::Available));
}

fn deployments_trigger(f: &Fixture) {
    assert_eq!(f.status, 200);
    let d: Deployment = f.decode::<DeploymentKey, _>();
    assert_eq!(d.status, Some(DeploymentStatus::Created));
    assert_eq!(d.deploy_number, Some(3));
    assert_eq!(d.committer_email.as_deref(), Some("info@nodion.com"));
}

fn env_list(f: &Fixture) {
    let vars: Vec<EnvVariable> = f.decode::<EnvVariablesKey, _>();
    assert_eq!(vars[0].key, "NODION_DOCKERFILE_PATH");
    assert_eq!(vars[0].value.expose_secret(), "Dockerfile.test");
    assert!(!vars[0].build_time);
    // The example's `updated_at` precedes its `created_at`: both kept as given.
    assert_eq!(
        vars[0].created_at.as_deref(),
        Some("2025-06-01T17:00:34.142+01:00")
    );
    assert_eq!(
        vars[0].updated_at.as_deref(),
        Some("2024-06-01T17:00:34.142+01:00")
    );
    assert_eq!(vars[1].value.expose_secret(), "ok");
}

fn env_get(f: &Fixture) {
    let var: EnvVariable = f.decode::<EnvVariableKey, _>();
    assert_eq!(var.id.as_str(), "0cff843a-2487-4fba-9e50-fb4ef68191e2");
    assert_eq!(var.value.expose_secret(), "Dockerfile.test");
}

fn default_records(records: &[DnsRecord], with_zone: bool) {
    assert_eq!(records.len(), 5);
    let words: Vec<(&str, &str, &str)> = records
        .iter()
        .map(|r| {
            (
                r.record_type.as_ref().map_or("", RecordType::as_str),
                r.name.as_str(),
                r.content.as_str(),
            )
        })
        .collect();
    assert_eq!(
        words,
        [
            ("a", "@", "1.2.3.4"),
            ("a", "*", "1.2.3.4"),
            ("a", "www", "1.2.3.4"),
            ("ns", "@", "ns1.nodion.com"),
            ("ns", "@", "ns2.nodion.com"),
        ]
    );
    for r in records {
        assert_eq!(r.ttl, Some(3600));
        assert_eq!((r.prio, r.port, r.weight), (None, None, None));
        assert_eq!(r.zone_id.is_some(), with_zone);
        assert_eq!(
            r.updated_at.as_deref(),
            Some("2023-01-01T10:00:00.000+01:00")
        );
    }
}

fn dns_zones_list(f: &Fixture) {
    let zones: Vec<DnsZone> = f.decode::<DnsZonesKey, _>();
    assert_eq!(zones[0].name, "nodionsample.com");
    assert_eq!(
        zones[0].updated_at.as_deref(),
        Some("2023-01-01T10:00:00.000+01:00")
    );
    default_records(&zones[0].records, true);
    assert_eq!(zones[0].records[0].zone_id.as_ref(), Some(&zones[0].id));
}

fn dns_zones_create(f: &Fixture) {
    let zone: DnsZone = f.decode::<DnsZoneKey, _>();
    assert_eq!(zone.id.as_str(), "52be5f1b-fee7-4a42-b668-85890c41be5b");
    default_records(&zone.records, true);
}

fn dns_zones_create_error(f: &Fixture) {
    let err = f.error();
    let text = err.to_string();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(
        text.contains(
            "Name can't be blank; Name must be between 1 and 255 characters long; Name is not a fully qualified domain name"
        ),
        "{text}"
    );
}

fn dns_records_list(f: &Fixture) {
    let records: Vec<DnsRecord> = f.decode::<DnsRecordsKey, _>();
    default_records(&records, false);
    assert_eq!(
        records[0].id.as_str(),
        "8231bac6-39f0-4f06-bd6c-076fb9abea9e"
    );
}

fn dns_record_create(f: &Fixture) {
    let record: DnsRecord = f.decode::<DnsRecordKey, _>();
    assert_eq!(record.record_type, Some(RecordType::A));
    assert_eq!(
        (record.name.as_str(), record.content.as_str()),
        ("www", "1.2.3.4")
    );
    assert_eq!(record.ttl, Some(60));
    assert_eq!(record.zone_id, None);
    assert_eq!(
        record.created_at.as_deref(),
        Some("2023-02-10T21:32:54.749+01:00")
    );
}

fn dns_record_create_error(f: &Fixture) {
    let err = f.error();
    let text = err.to_string();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(text.contains("Duplicate record in RRset"), "{text}");
}

fn email_zones_list(f: &Fixture) {
    let zones: Vec<EmailZone> = f.decode::<EmailZonesKey, _>();
    let z = &zones[0];
    assert_eq!(z.status, Some(EmailZoneStatus::Available));
    assert_eq!(z.name, "Sample Zone");
    assert_eq!(
        (z.message_count, z.delivered_count, z.bounced_count),
        (Some(648), Some(50), Some(1))
    );
}

fn email_zones_get(f: &Fixture) {
    let z: EmailZone = f.decode::<EmailZoneKey, _>();
    assert_eq!(z.id.as_str(), "ef77b949-cc49-4edb-9ac1-2a51a99c9ef9");
    assert_eq!(
        z.updated_at.as_deref(),
        Some("2025-04-24T16:23:15.683+02:00")
    );
}

fn email_zones_messages(f: &Fixture) {
    let messages: Vec<EmailMessage> = f.decode::<MessagesKey, _>();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].status, Some(EmailMessageStatus::Created));
    assert_eq!(messages[0].to_address.as_deref(), Some("sample@nodion.com"));
    assert_eq!(
        messages[1].to_address.as_deref(),
        Some("john.doe@nodion.com")
    );
}

fn numeric_instance_type(t: &InstanceType) {
    assert_eq!(t.name, "Standard S");
    assert_eq!((t.cpu, t.mem), (Some(1.0), Some(1024.0)));
    assert_eq!(t.category, None);
    assert_eq!(t.price_month.as_ref().unwrap().as_str(), "5.0");
    assert_eq!(t.price_second.as_ref().unwrap().as_str(), "0.0000019");
}

fn runners_list(f: &Fixture) {
    let runners: Vec<Runner> = f.decode::<RunnersKey, _>();
    let r = &runners[0];
    assert_eq!(r.status, Some(RunnerStatus::Available));
    assert_eq!(r.name, "Database Backup");
    assert_eq!(r.image_name.as_deref(), Some("mycompany/backup-tool"));
    assert_eq!(r.run_command.as_deref(), Some("python backup.py"));
    assert!(r.argv.is_empty());
    assert_eq!(r.timeout_seconds, Some(3600));
    assert_eq!(r.warmed_at, None);
    let region = r.region.as_ref().unwrap();
    assert_eq!(region.status.as_deref(), Some("available"));
    assert_eq!(region.slug, "fra");
    numeric_instance_type(r.instance_type.as_ref().unwrap());
    assert_eq!(r.container_registry, None);
}

fn runners_list_older(f: &Fixture) {
    let runners: Vec<Runner> = f.decode::<RunnersKey, _>();
    assert!(runners[0].argv.is_empty());
    numeric_instance_type(runners[0].instance_type.as_ref().unwrap());
}

fn runners_get(f: &Fixture) {
    let r: Runner = f.decode::<RunnerKey, _>();
    assert_eq!(r.id.as_str(), "a1b2c3d4-e5f6-7890-abcd-ef1234567890");
    assert_eq!(
        r.warmed_at.as_deref(),
        Some("2026-01-15T10:00:30.000+01:00")
    );
    assert_eq!(r.instance_type, None);
}

fn runs_list(f: &Fixture) {
    let runs: Vec<Run> = f.decode::<RunsKey, _>();
    assert_eq!(runs[0].status, Some(RunStatus::Succeeded));
    assert_eq!(runs[0].exit_code, Some(0));
    assert_eq!(runs[0].command, None);
    assert_eq!(runs[0].argv, ["python", "migrate.py", "--env", "staging"]);
    assert_eq!(runs[1].status, Some(RunStatus::Failed));
    assert_eq!(runs[1].exit_code, Some(1));
    assert_eq!(
        runs[1].completed_at.as_deref(),
        Some("2026-01-14T08:02:15.000+01:00")
    );
}

fn runs_list_older(f: &Fixture) {
    let runs: Vec<Run> = f.decode::<RunsKey, _>();
    assert_eq!(runs[0].status, Some(RunStatus::Succeeded));
    assert!(runs[0].argv.is_empty());
}

fn runs_get(f: &Fixture) {
    let run: Run = f.decode::<RunKey, _>();
    assert_eq!(run.id.as_str(), "c3f85434-5470-46de-bbeb-ce668ca2c351");
    assert_eq!(
        run.command.as_deref(),
        Some("python migrate.py --env=staging")
    );
    assert!(run.argv.is_empty());
}

fn integrations_list(f: &Fixture) {
    let integrations: Vec<Integration> = f.decode::<IntegrationsKey, _>();
    let (gh, gl) = (&integrations[0], &integrations[1]);
    assert_eq!(gh.status, Some(IntegrationStatus::Authorized));
    assert_eq!(gh.access_type.as_deref(), Some("is_private"));
    assert_eq!(gh.service_type, Some(GitService::Github));
    assert_eq!(gh.service_url, None);
    assert_eq!(gh.username.as_deref(), Some("myuser"));
    assert_eq!(gl.service_type, Some(GitService::Gitlab));
}

fn integrations_repositories(f: &Fixture) {
    let repos: Vec<Repository> = f.decode::<RepositoriesKey, _>();
    let r = &repos[0];
    assert_eq!(r.service_id.as_deref(), Some("123456789"));
    assert_eq!(r.full_name.as_deref(), Some("myuser/my-frontend"));
    assert_eq!(r.default_branch.as_deref(), Some("main"));
    assert_eq!(
        (r.private, r.fork, r.archived, r.disabled),
        (Some(false), Some(false), Some(false), Some(false))
    );
    assert_eq!(r.branches_count, Some(3));
    assert_eq!(repos[1].private, Some(true));
}

fn registries_list(f: &Fixture) {
    let registries: Vec<ContainerRegistry> = f.decode::<ContainerRegistriesKey, _>();
    let (nodion, hub) = (&registries[0], &registries[1]);
    assert_eq!(nodion.status, Some(RegistryStatus::Available));
    assert_eq!(nodion.registry_type, Some(RegistryType::Nodion));
    assert_eq!(nodion.hostname.as_deref(), Some("registry.fra.nodion.net"));
    assert_eq!(nodion.has_credentials, Some(false));
    assert_eq!(
        nodion.region_id.as_deref(),
        Some("428d037e-9ba6-4dab-92bd-8d816c523126")
    );
    assert_eq!(hub.registry_type, Some(RegistryType::DockerHub));
    assert_eq!(hub.region_id, None);
}

fn registries_get(f: &Fixture) {
    let r: ContainerRegistry = f.decode::<ContainerRegistryKey, _>();
    assert_eq!(r.name, "My Docker Hub");
    assert_eq!(r.has_credentials, Some(true));
    assert_eq!(r.updated_at, None);
}

/// The 404 body the public client's fixtures quote (not kept as a file: not stored).
#[test]
fn the_reference_not_found_body_is_not_found() {
    let body = br#"{"status": 404, "error": "Not Found"}"#;
    let raw = RawResponse::new("nodion", 404, body);
    let err = NodionProtocol::new(KeyKind::User)
        .decode::<serde_json::Value>(&raw)
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("Not Found"), "{err}");
}
