//! Decoder fuzzing: proptest strategies for hostile answers, every response decoder of both
//! adapters, and the rule each decoded answer must follow.
//!
//! The rule: decoding never panics (nor does printing its result); a failure on a 2xx answer is
//! [`Error::Decode`] (on Nodana, unless the body is a well-formed error payload, which Nodana sends
//! with HTTP 200 and which maps to its meaning); a non-2xx answer is never `Decode`.

use crate::Adapter;
use nodal::nodana::raw::NodanaProtocol;
use nodal::nodana::{
    App, AppAction, AppUpdate, CreatedApp, CreatedProject, DeletedProject,
    Project as NodanaProject, RenamedProject, Service, ServiceUpdate,
};
use nodal::nodion::raw::NodionProtocol;
use nodal::nodion::raw::wire::{
    ApplicationKey, ApplicationsKey, DeploymentKey, DeploymentsKey, DnsRecordKey, DnsRecordsKey,
    DnsZoneKey, DnsZonesKey, DomainKey, DomainsKey, EnvVariableKey, EnvVariablesKey,
    InstanceTypesKey, InstancesKey, LogsKey, MetricsKey, ProcessKey, ProcessesKey, ProjectsKey,
    RegionsKey, RunKey, RunnersKey, ScalingEventsKey, SshKeyKey, SshKeysKey, WRAP_KEYS, WrapKey,
    Wrapped,
};
use nodal::nodion::{
    Application, Deployment, DnsRecord, DnsZone, Domain, EnvVariable, Instance, InstanceType,
    KeyKind, LogLine, Metrics, Process, Project as NodionProject, Region, Run, Runner,
    ScalingEvent, SshKey,
};
use nodal_core::Error;
use nodal_core::raw::{Protocol, RawResponse};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::{Map, Value, json};
use std::fmt::Debug;

/// Cases per provider when `NODAL_FUZZ_CASES` is not set: about ten seconds in a debug build.
pub const DEFAULT_CASES: u32 = 10_000;

/// Cases per provider: `NODAL_FUZZ_CASES`, else [`DEFAULT_CASES`].
pub fn cases_per_provider() -> u32 {
    std::env::var("NODAL_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// `percent` of the provider's cases (at least one), for one of its fuzz tests.
pub fn share(percent: u32) -> u32 {
    (u64::from(cases_per_provider()) * u64::from(percent) / 100).max(1) as u32
}

/// A runner for `cases` cases that writes no regression files into the source tree.
pub fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    })
}

/// Decodes a hand-built answer into one response type; the value's `Debug` is formatted too.
pub type Decoder = fn(&RawResponse<'_>) -> Result<(), Error>;

fn nodana_decode<T: DeserializeOwned + Debug>(raw: &RawResponse<'_>) -> Result<(), Error> {
    NodanaProtocol.decode::<T>(raw).map(|value| {
        let _ = format!("{value:?}");
    })
}

/// Every type the Nodana adapter decodes, through [`NodanaProtocol`].
pub fn nodana_decoders() -> Vec<(&'static str, Decoder)> {
    vec![
        ("Vec<Project>", nodana_decode::<Vec<NodanaProject>>),
        ("Project", nodana_decode::<NodanaProject>),
        ("CreatedProject", nodana_decode::<CreatedProject>),
        ("RenamedProject", nodana_decode::<RenamedProject>),
        ("DeletedProject", nodana_decode::<DeletedProject>),
        ("Vec<App>", nodana_decode::<Vec<App>>),
        ("App", nodana_decode::<App>),
        ("CreatedApp", nodana_decode::<CreatedApp>),
        ("AppAction", nodana_decode::<AppAction>),
        ("AppUpdate", nodana_decode::<AppUpdate>),
        ("Vec<Service>", nodana_decode::<Vec<Service>>),
        ("ServiceUpdate", nodana_decode::<ServiceUpdate>),
    ]
}

fn nodion_decode<K: WrapKey, T: DeserializeOwned + Debug>(
    raw: &RawResponse<'_>,
) -> Result<(), Error> {
    let protocol = NodionProtocol::new(KeyKind::User);
    protocol.decode::<Wrapped<K, T>>(raw).map(|wrapped| {
        let _ = format!("{:?}", wrapped.value);
    })
}

fn nodion_ignore(raw: &RawResponse<'_>) -> Result<(), Error> {
    // Deletes and other calls whose answer is ignored (a 204 or any JSON).
    NodionProtocol::new(KeyKind::Project)
        .decode::<IgnoredAny>(raw)
        .map(|_| ())
}

/// Every type the Nodion adapter decodes, under its wrapping key, through [`NodionProtocol`].
pub fn nodion_decoders() -> Vec<(&'static str, Decoder)> {
    vec![
        ("regions", nodion_decode::<RegionsKey, Vec<Region>>),
        (
            "instance_types",
            nodion_decode::<InstanceTypesKey, Vec<InstanceType>>,
        ),
        ("projects", nodion_decode::<ProjectsKey, Vec<NodionProject>>),
        ("application", nodion_decode::<ApplicationKey, Application>),
        (
            "applications",
            nodion_decode::<ApplicationsKey, Vec<Application>>,
        ),
        ("deployment", nodion_decode::<DeploymentKey, Deployment>),
        (
            "deployments",
            nodion_decode::<DeploymentsKey, Vec<Deployment>>,
        ),
        ("env_variable", nodion_decode::<EnvVariableKey, EnvVariable>),
        (
            "env_variables",
            nodion_decode::<EnvVariablesKey, Vec<EnvVariable>>,
        ),
        ("process", nodion_decode::<ProcessKey, Process>),
        ("processes", nodion_decode::<ProcessesKey, Vec<Process>>),
        ("domain", nodion_decode::<DomainKey, Domain>),
        ("domains", nodion_decode::<DomainsKey, Vec<Domain>>),
        ("logs", nodion_decode::<LogsKey, Vec<LogLine>>),
        ("instances", nodion_decode::<InstancesKey, Vec<Instance>>),
        ("metrics", nodion_decode::<MetricsKey, Metrics>),
        ("dns_zone", nodion_decode::<DnsZoneKey, DnsZone>),
        ("dns_zones", nodion_decode::<DnsZonesKey, Vec<DnsZone>>),
        ("dns_record", nodion_decode::<DnsRecordKey, DnsRecord>),
        (
            "dns_records",
            nodion_decode::<DnsRecordsKey, Vec<DnsRecord>>,
        ),
        ("ssh_key", nodion_decode::<SshKeyKey, SshKey>),
        ("ssh_keys", nodion_decode::<SshKeysKey, Vec<SshKey>>),
        (
            "scaling_events",
            nodion_decode::<ScalingEventsKey, Vec<ScalingEvent>>,
        ),
        ("runners", nodion_decode::<RunnersKey, Vec<Runner>>),
        ("run", nodion_decode::<RunKey, Run>),
        ("ignored (deletes)", nodion_ignore),
    ]
}

/// The decoders of `adapter`.
pub fn decoders(adapter: Adapter) -> Vec<(&'static str, Decoder)> {
    match adapter {
        Adapter::Nodana => nodana_decoders(),
        Adapter::Nodion => nodion_decoders(),
    }
}

/// How much the checker may assume about a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Generated as JSON (no duplicate keys): an error payload must map to its meaning.
    GeneratedJson,
    /// Any bytes: only the general rule holds.
    Bytes,
}

/// Whether Nodana's decoder reads `body` as an error payload: `error` set and `data` absent or
/// null. Probed with the adapter's own envelope layout (same fields, same order, same leniency:
/// unknown keys are skipped unread, and serde also accepts a four-element array for a struct).
pub fn is_nodana_error_payload(body: &[u8]) -> bool {
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Probe {
        data: Option<IgnoredAny>,
        error: Option<Value>,
        message: Option<Value>,
        #[serde(rename = "statusCode")]
        status_code: Option<Value>,
    }
    serde_json::from_slice::<Probe>(body)
        .is_ok_and(|probe| probe.error.is_some() && probe.data.is_none())
}

/// Checks one decoded answer against the rule; `Err` says what broke.
pub fn check(
    adapter: Adapter,
    status: u16,
    body: &[u8],
    shape: Shape,
    result: &Result<(), Error>,
) -> Result<(), String> {
    if let Err(error) = result {
        // Printing an error must not panic either.
        let _ = format!("{error} {error:?}");
    }
    let success = (200..300).contains(&status);
    let decode = matches!(result, Err(Error::Decode { .. }));
    if !success {
        return match result {
            Ok(()) => Err(format!("HTTP {status} decoded as a success")),
            Err(_) if decode => Err(format!("HTTP {status} reported as Decode: {result:?}")),
            Err(_) => Ok(()),
        };
    }
    let error_payload = adapter == Adapter::Nodana && is_nodana_error_payload(body);
    match result {
        Ok(()) => Ok(()),
        Err(_) if decode && error_payload && shape == Shape::GeneratedJson => Err(format!(
            "a well-formed Nodana error payload reported as Decode: {result:?}"
        )),
        Err(_) if decode || error_payload => Ok(()),
        Err(error) => Err(format!("HTTP {status} failed with {error:?}, not Decode")),
    }
}

/// How the decodes of a run ended, to show the fuzzing reaches successful decodes too.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Decoded to a value.
    pub ok: u64,
    /// [`Error::Decode`].
    pub decode: u64,
    /// Another error (a mapped status or error payload).
    pub mapped: u64,
}

impl Tally {
    /// Counts one result.
    pub fn add(&mut self, result: &Result<(), Error>) {
        match result {
            Ok(()) => self.ok += 1,
            Err(Error::Decode { .. }) => self.decode += 1,
            Err(_) => self.mapped += 1,
        }
    }
}

/// Runs every decoder of `adapter` on one answer, checks each result and counts it.
pub fn check_all(
    adapter: Adapter,
    status: u16,
    body: &[u8],
    shape: Shape,
    tally: &mut Tally,
) -> Result<(), String> {
    let raw = RawResponse::new(adapter.name(), status, body);
    for (name, decode) in decoders(adapter) {
        let result = decode(&raw);
        tally.add(&result);
        check(adapter, status, body, shape, &result).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// Field names the adapters read, so generated objects reach past "missing field".
pub const NODANA_FIELDS: &[&str] = &[
    "data",
    "error",
    "message",
    "statusCode",
    "id",
    "userId",
    "projectId",
    "template",
    "rate",
    "url",
    "status",
    "createdAt",
    "updatedAt",
    "name",
    "deleted",
    "updated",
    "image",
    "version",
    "appId",
    "service",
    "slug",
    "region",
    "serviceId",
    "seedPhrase",
    "httpPassword",
];

/// Field names the Nodion adapter reads (wrapping keys included).
pub const NODION_FIELDS: &[&str] = &[
    "id",
    "name",
    "status",
    "state",
    "instance_amount",
    "instance_type_id",
    "region",
    "workers",
    "deployment_strategy",
    "image_name",
    "image_tag",
    "project_id",
    "created_at",
    "updated_at",
    "deploy_number",
    "git_sha",
    "strategy",
    "image_reference",
    "application_id",
    "record_type",
    "content",
    "ttl",
    "prio",
    "port",
    "weight",
    "zone_id",
    "domain_type",
    "domain_name",
    "verification_code",
    "process_id",
    "values",
    "ts",
    "msg",
    "instance_id",
    "slug",
    "entrypoint",
    "instance_type",
    "ports",
    "protocol",
    "category",
    "cpu",
    "mem",
    "price_month",
    "price_second",
    "hypervisor_name",
    "deployment",
    "records",
    "instance_amount_old",
    "instance_amount_new",
    "argv",
    "exit_code",
    "fingerprint",
    "public_key",
    "env_key",
    "env_val",
    "buildtime",
    "errors",
    "error",
];

/// Words the decoders give meaning to.
const WORDS: &[&str] = &[
    "",
    "available",
    "pending",
    "cordoned",
    "online",
    "offline",
    "created",
    "waiting",
    "failed",
    "expired",
    "verified",
    "a",
    "mx",
    "srv",
    "tcp",
    "2025-05-24T08:07:10.509Z",
    "0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10",
    "TooManyRequestsError",
    "NotFoundError",
    "ForbiddenError",
    "UnauthorizedError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "Project limit reached: at most 4 projects",
    "Only empty projects can be deleted",
    "429",
    "404",
];

fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (0u16..1000).prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        prop::sample::select(WORDS).prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ]
    .boxed()
}

fn key(fields: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        4 => prop::sample::select(fields).prop_map(str::to_owned),
        1 => "[a-zA-Z_]{0,10}",
        1 => any::<String>(),
    ]
    .boxed()
}

/// Arbitrary JSON whose object keys are mostly the adapter's field names.
pub fn json(fields: &'static [&'static str]) -> BoxedStrategy<Value> {
    leaf()
        .prop_recursive(4, 64, 8, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((key(fields), inner), 0..10)
                    .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
            ]
        })
        .boxed()
}

/// Nodana's envelope around arbitrary JSON: `data`, an error payload (loose or well-formed),
/// both, or neither.
pub fn nodana_envelope() -> BoxedStrategy<Value> {
    let any_json = json(NODANA_FIELDS);
    let code = prop_oneof![
        (400u16..600).prop_map(Value::from),
        (0u16..1000).prop_map(|c| Value::from(c.to_string())),
        any_json.clone(),
    ];
    let name = prop_oneof![
        prop::sample::select(WORDS).prop_map(Value::from),
        any_json.clone()
    ];
    prop_oneof![
        3 => any_json.clone().prop_map(|data| json!({ "data": data })),
        2 => (name.clone(), any_json.clone(), code)
            .prop_map(|(error, message, code)| json!({"error": error, "message": message, "statusCode": code})),
        1 => (any_json.clone(), name).prop_map(|(data, error)| json!({"data": data, "error": error})),
        1 => any_json,
    ]
    .boxed()
}

/// Nodion's shapes: `{"<resource>": ...}` (often a list of objects), `{"errors": [...]}`,
/// `{"status", "error"}`, or anything.
pub fn nodion_envelope() -> BoxedStrategy<Value> {
    let any_json = json(NODION_FIELDS);
    let resource = prop::sample::select(WRAP_KEYS);
    prop_oneof![
        2 => (resource.clone(), any_json.clone()).prop_map(|(k, v)| json!({ k: v })),
        2 => (resource, prop::collection::vec(any_json.clone(), 0..4))
            .prop_map(|(k, items)| json!({ k: items })),
        1 => prop::collection::vec(any_json.clone(), 0..4).prop_map(|e| json!({"errors": e})),
        1 => ((0u16..1000), any_json.clone()).prop_map(|(s, e)| json!({"status": s, "error": e})),
        1 => any_json,
    ]
    .boxed()
}

/// The envelope strategy of `adapter`.
pub fn envelope(adapter: Adapter) -> BoxedStrategy<Value> {
    match adapter {
        Adapter::Nodana => nodana_envelope(),
        Adapter::Nodion => nodion_envelope(),
    }
}

/// HTTP statuses, mostly the ones the decoders branch on.
pub fn status() -> BoxedStrategy<u16> {
    prop_oneof![
        4 => Just(200u16),
        1 => Just(201u16),
        1 => Just(204u16),
        2 => 200u16..300,
        1 => prop::sample::select(vec![400u16, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503]),
        2 => 300u16..600,
        1 => 100u16..1000,
    ]
    .boxed()
}

/// Real-looking answers of each provider, to be cut and bit-flipped.
pub fn samples(adapter: Adapter) -> Vec<Vec<u8>> {
    let values = match adapter {
        Adapter::Nodana => vec![
            json!({"data": {"id": "app-1", "userId": "u-1", "projectId": "prj-1", "template": "phoenixd",
                "rate": 0.000233, "url": "https://phoenixd-ad4f.nodana.app:8080", "status": "available",
                "createdAt": "2025-05-24T08:07:10.509Z", "updatedAt": "2025-05-24T08:07:10.509Z"}}),
            json!({"data": [{"id": "prj-1", "userId": "u-1", "name": "p", "deleted": false,
                "createdAt": "2025-05-24T08:07:10.509Z", "updatedAt": "2025-05-24T08:07:10.509Z"}]}),
            json!({"data": {"projectId": "prj-1", "id": "app-1", "url": "https://x.nodana.app",
                "seedPhrase": "abandon ability able", "httpPassword": "pw"}}),
            json!({"data": [{"id": "svc-1", "appId": "app-1", "service": "phoenixd", "slug": "phoenixd",
                "region": "ewr", "status": "running", "version": "0.1.0"}]}),
            json!({"data": {"id": "app-1", "serviceId": "svc-1", "version": "0.1.1", "updated": true}}),
            json!({"message": "Too many requests", "error": "TooManyRequestsError", "statusCode": 429}),
            json!({"data": {"id": "app-1"}}),
        ],
        Adapter::Nodion => vec![
            json!({"application": {"id": "0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10", "name": "web", "status": "online",
                "state": "running", "instance_amount": 1,
                "region": {"id": "5903725b-f554-4294-ab17-c992a765a001", "name": "EU Central", "slug": "euc"},
                "created_at": "2025-05-24T08:07:10.509Z"}}),
            json!({"env_variables": [{"id": 7, "env_key": "K", "env_val": "v", "buildtime": false}]}),
            json!({"processes": [{"id": "p-1", "status": "running", "name": "web", "instance_amount": 1,
                "ports": [{"id": "x", "port": 80, "protocol": "tcp"}], "instance_type": {"id": "t", "name": "starter"}}]}),
            json!({"logs": [{"ts": "2025-05-24T08:07:10.509Z", "msg": "hi", "instance_id": "i-1"}]}),
            json!({"dns_record": {"id": "r-1", "record_type": "mx", "name": "@", "content": "mx.example.com",
                "ttl": 3600, "prio": 10, "zone_id": "z-1"}}),
            json!({"deployments": [{"id": "d-1", "status": "available", "deploy_number": 1}]}),
            json!({"errors": ["Name can't be blank"]}),
            json!({"metrics": {"cpu_percent": 3.5}}),
        ],
    };
    values
        .into_iter()
        .map(|v| serde_json::to_vec(&v).unwrap_or_default())
        .collect()
}

/// One of the real-looking answers, intact.
pub fn sample(adapter: Adapter) -> BoxedStrategy<Vec<u8>> {
    prop::sample::select(samples(adapter)).boxed()
}

/// A real-looking answer, damaged: cut short, bytes flipped, or bytes inserted.
pub fn mutated(adapter: Adapter) -> BoxedStrategy<Vec<u8>> {
    let samples = samples(adapter);
    (
        prop::sample::select(samples),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    )
        .prop_map(|(mut body, edits)| {
            for (at, byte, how) in edits {
                if body.is_empty() {
                    break;
                }
                let i = at.index(body.len());
                match how {
                    0 => body.truncate(i),
                    1 => body[i] = byte,
                    _ => body.insert(i, byte),
                }
            }
            body
        })
        .boxed()
}
