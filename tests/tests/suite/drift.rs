//! Drift: the adapters' declarative tables held against the twin's (`nodal_sim::contract`), so
//! a template or a scope changed on one side only fails here instead of passing offline and
//! failing against the real API. Neither side is the reference: a failure names both values,
//! and the fix is to find out which one the provider's documentation supports.

use nodal::Method;
use nodal::nodana::Template;
use nodal::nodion::{ScopeSet, endpoints};
use nodal_core::Endpoint;
use std::collections::BTreeSet;

/// The segment put in place of every `{placeholder}` of a path template.
const SEGMENT: &str = "x1";

/// Every method a twin route could answer, for the reverse probe.
const METHODS: [Method; 5] = [
    Method::Get,
    Method::Post,
    Method::Put,
    Method::Patch,
    Method::Delete,
];

/// Same templates in the same order; for each the same parameters in order, the same closed
/// value sets, and whether the create answer carries one-time secrets.
#[test]
fn nodana_templates_match_the_twin() {
    let adapter = Template::catalogue();
    let twin = nodal_sim::contract::nodana_templates();
    assert!(!adapter.is_empty(), "the adapter lists no template");
    let adapter_slugs: Vec<&str> = adapter.iter().map(|row| row.slug).collect();
    let twin_slugs: Vec<&str> = twin.iter().map(|t| t.name).collect();
    assert_eq!(adapter_slugs, twin_slugs, "template slugs (adapter, twin)");

    let mut problems = Vec::new();
    for (row, t) in adapter.iter().zip(&twin) {
        let params: Vec<&str> = row.param_names().collect();
        if params != t.params {
            problems.push(format!(
                "{}: params {params:?} in the adapter, {:?} in the twin",
                row.slug, t.params
            ));
        }
        let allowed: Vec<(&str, &[&str])> = row
            .params
            .iter()
            .filter_map(|param| param.allowed().map(|words| (param.name, words)))
            .collect();
        if allowed != t.allowed {
            problems.push(format!(
                "{}: closed value sets {allowed:?} in the adapter, {:?} in the twin",
                row.slug, t.allowed
            ));
        }
        if row.returns_secrets() != t.returns_secrets {
            problems.push(format!(
                "{}: returns secrets {} in the adapter, {} in the twin",
                row.slug,
                row.returns_secrets(),
                t.returns_secrets
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `path` with every `{placeholder}` replaced by [`SEGMENT`].
fn filled(template: &str) -> String {
    template
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                SEGMENT
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Scope words, sorted and without repeats.
fn words<'a>(scopes: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    scopes.into_iter().collect()
}

/// The scopes a row's permission names, parsed as a [`ScopeSet`] (the adapter's reading).
fn row_scopes(row: &Endpoint) -> Result<BTreeSet<&'static str>, String> {
    let permission = row
        .permission()
        .ok_or_else(|| format!("{row}: the row names no scopes"))?;
    let set: ScopeSet = permission
        .parse()
        .map_err(|e| format!("{row}: `{permission}` does not parse: {e}"))?;
    Ok(words(set.iter().map(|scope| scope.as_str())))
}

/// Every row of the Nodion adapter is an endpoint the twin serves, and needs the scopes the
/// twin demands for it.
#[test]
fn nodion_scopes_match_the_twin() {
    let mut problems = Vec::new();
    for row in endpoints::ALL {
        let path = filled(row.path());
        let method = row.method().as_str();
        let Some(twin) = nodal_sim::contract::nodion_scopes(method, &path) else {
            problems.push(format!("{row}: the twin has no `{method} {path}`"));
            continue;
        };
        match row_scopes(&row) {
            Ok(adapter) if adapter == words(twin.iter().copied()) => {}
            Ok(adapter) => problems.push(format!(
                "{row}: scopes {adapter:?} in the adapter, {twin:?} in the twin"
            )),
            Err(problem) => problems.push(problem),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Whether `path` (real segments) fits `template` (a `{placeholder}` fits any one segment).
fn fits(template: &str, path: &str) -> bool {
    let (want, got): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), path.split('/').collect());
    want.len() == got.len()
        && want
            .iter()
            .zip(&got)
            .all(|(w, g)| (w.starts_with('{') && w.ends_with('}')) || w == g)
}

/// The reverse: every endpoint the twin serves, as far as a probe built from the adapter's own
/// path words finds them, is a row of the adapter, except the reads listed here that the twin
/// serves and the adapter does not call.
///
/// The probe tries every method on every path of the form `/word(/id/word)*(/id)?` with up to
/// five segments, where the words are the literal segments of the adapter's rows. A twin route
/// with a word the adapter never uses is out of its reach (such a route is not one the adapter
/// could be missing by drift, only by design).
#[test]
fn every_nodion_endpoint_of_the_twin_is_a_row_of_the_adapter() {
    /// Served by the twin, not called by the adapter (single-resource reads of lists it has).
    const TWIN_ONLY: &[&str] = &[
        "GET /applications/x1/deployments/x1",
        "GET /applications/x1/domains/x1",
        "GET /applications/x1/processes/x1",
        "GET /dns_zones/x1",
    ];
    let vocabulary: BTreeSet<&str> = endpoints::ALL
        .iter()
        .flat_map(|row| row.path().split('/'))
        .filter(|segment| !segment.is_empty() && !segment.starts_with('{'))
        .collect();
    let mut paths: Vec<String> = vocabulary.iter().map(|word| format!("/{word}")).collect();
    let mut frontier = paths.clone();
    for _ in 0..2 {
        let mut next = Vec::new();
        for path in &frontier {
            let with_id = format!("{path}/{SEGMENT}");
            for word in &vocabulary {
                next.push(format!("{with_id}/{word}"));
            }
            paths.push(with_id);
        }
        paths.extend(next.iter().cloned());
        frontier = next;
    }

    let mut unlisted = BTreeSet::new();
    for path in &paths {
        for method in METHODS {
            if nodal_sim::contract::nodion_scopes(method.as_str(), path).is_none() {
                continue;
            }
            let listed = endpoints::ALL
                .iter()
                .any(|row| row.method() == method && fits(row.path(), path));
            if !listed {
                unlisted.insert(format!("{} {path}", method.as_str()));
            }
        }
    }
    let expected: BTreeSet<String> = TWIN_ONLY.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        unlisted, expected,
        "endpoints the twin serves without a row in the adapter (left), against the known list"
    );
}
