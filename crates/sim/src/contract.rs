//! The twin's own tables of provider facts, read-only, so a drift test can hold an adapter's
//! tables against them: Nodana's templates and the scopes each Nodion request needs. The twin
//! keeps these facts once, in the modules that serve them; this module only exposes them.

/// The facts the twin keeps about one Nodana template.
///
/// ```
/// let phoenixd = nodal_sim::contract::nodana_templates()
///     .into_iter()
///     .find(|t| t.name == "phoenixd")
///     .unwrap();
/// assert!(phoenixd.params.contains(&"auto_liquidity"));
/// assert!(phoenixd.returns_secrets);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NodanaTemplate {
    /// The template's name, as `POST /apps` takes it.
    pub name: &'static str,
    /// The params it accepts, in the twin's order.
    pub params: Vec<&'static str>,
    /// The values a param accepts, when it is a closed set (e.g. `auto_liquidity`).
    pub allowed: Vec<(&'static str, &'static [&'static str])>,
    /// Whether the create answer carries one-time secrets (seed phrase, passwords).
    pub returns_secrets: bool,
}

/// Every template the twin serves.
pub fn nodana_templates() -> Vec<NodanaTemplate> {
    crate::nodana::template_facts()
}

/// The scopes a Nodion user key needs for `method path` (a path relative to `/v1` with real
/// segments, e.g. `GET /applications/a/logs`), or `None` when the twin has no such endpoint.
///
/// ```
/// assert_eq!(
///     nodal_sim::contract::nodion_scopes("GET", "/applications/a/logs"),
///     Some(vec!["read", "logs:read"])
/// );
/// assert_eq!(nodal_sim::contract::nodion_scopes("GET", "/nowhere"), None);
/// ```
pub fn nodion_scopes(method: &str, path: &str) -> Option<Vec<&'static str>> {
    crate::nodion::scopes_for(method, path)
}
