//! Nodion's path table and the scopes each request needs (`docs/wire-contract.md`).

use axum::http::Method;

/// Every endpoint, with its path ids (`a` = application, `z` = DNS zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route<'a> {
    Regions,
    InstanceTypes,
    Projects,
    ListApps,
    CreateApp,
    GetApp(&'a str),
    UpdateApp(&'a str),
    DeleteApp(&'a str),
    ListDeployments(&'a str),
    CreateDeployment(&'a str),
    GetDeployment(&'a str, &'a str),
    ListEnv(&'a str),
    CreateEnv(&'a str),
    GetEnv(&'a str, &'a str),
    UpdateEnv(&'a str, &'a str),
    DeleteEnv(&'a str, &'a str),
    ListProcesses(&'a str),
    GetProcess(&'a str, &'a str),
    ScaleProcess(&'a str, &'a str),
    ListDomains(&'a str),
    CreateDomain(&'a str),
    GetDomain(&'a str, &'a str),
    VerifyDomain(&'a str, &'a str),
    ConnectDomain(&'a str, &'a str),
    DeleteDomain(&'a str, &'a str),
    Logs(&'a str),
    Instances(&'a str),
    Metrics(&'a str),
    ListScalingEvents(&'a str),
    CreateScalingEvent(&'a str),
    ListZones,
    CreateZone,
    GetZone(&'a str),
    DeleteZone(&'a str),
    ListRecords(&'a str),
    CreateRecord(&'a str),
    DeleteRecord(&'a str, &'a str),
    ListSshKeys,
    CreateSshKey,
    DeleteSshKey(&'a str),
    Integrations,
    Repositories(&'a str),
    Branches(&'a str, &'a str),
    ListEmailZones,
    GetEmailZone(&'a str),
    EmailMessages(&'a str),
    ListRegistries,
    GetRegistry(&'a str),
    ListRunners,
    GetRunner(&'a str),
    ListRuns(&'a str),
    CreateRun(&'a str),
    GetRun(&'a str, &'a str),
}

/// The route for a method and a path relative to `/v1`; `None` is answered 404.
pub(crate) fn parse<'a>(method: &Method, path: &'a str) -> Option<Route<'a>> {
    use Route as R;
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    let (get, post) = (method == Method::GET, method == Method::POST);
    let (patch, delete) = (method == Method::PATCH, method == Method::DELETE);
    Some(match segments.as_slice() {
        ["regions"] if get => R::Regions,
        ["instance_types"] if get => R::InstanceTypes,
        ["projects"] if get => R::Projects,
        ["applications"] if get => R::ListApps,
        ["applications"] if post => R::CreateApp,
        ["applications", a] if get => R::GetApp(a),
        ["applications", a] if patch => R::UpdateApp(a),
        ["applications", a] if delete => R::DeleteApp(a),
        ["applications", a, "deployments"] if get => R::ListDeployments(a),
        ["applications", a, "deployments"] if post => R::CreateDeployment(a),
        ["applications", a, "deployments", d] if get => R::GetDeployment(a, d),
        ["applications", a, "env_variables"] if get => R::ListEnv(a),
        ["applications", a, "env_variables"] if post => R::CreateEnv(a),
        ["applications", a, "env_variables", e] if get => R::GetEnv(a, e),
        ["applications", a, "env_variables", e] if patch => R::UpdateEnv(a, e),
        ["applications", a, "env_variables", e] if delete => R::DeleteEnv(a, e),
        ["applications", a, "processes"] if get => R::ListProcesses(a),
        ["applications", a, "processes", p] if get => R::GetProcess(a, p),
        ["applications", a, "processes", p] if patch => R::ScaleProcess(a, p),
        ["applications", a, "domains"] if get => R::ListDomains(a),
        ["applications", a, "domains"] if post => R::CreateDomain(a),
        ["applications", a, "domains", d] if get => R::GetDomain(a, d),
        ["applications", a, "domains", d, "verify"] if post => R::VerifyDomain(a, d),
        ["applications", a, "domains", d, "connect"] if post => R::ConnectDomain(a, d),
        ["applications", a, "domains", d] if delete => R::DeleteDomain(a, d),
        ["applications", a, "logs"] if get => R::Logs(a),
        ["applications", a, "instances"] if get => R::Instances(a),
        ["applications", a, "metrics"] if get => R::Metrics(a),
        ["applications", a, "scaling_events"] if get => R::ListScalingEvents(a),
        ["applications", a, "scaling_events"] if post => R::CreateScalingEvent(a),
        ["dns_zones"] if get => R::ListZones,
        ["dns_zones"] if post => R::CreateZone,
        ["dns_zones", z] if get => R::GetZone(z),
        ["dns_zones", z] if delete => R::DeleteZone(z),
        ["dns_zones", z, "records"] if get => R::ListRecords(z),
        ["dns_zones", z, "records"] if post => R::CreateRecord(z),
        ["dns_zones", z, "records", r] if delete => R::DeleteRecord(z, r),
        ["ssh_keys"] if get => R::ListSshKeys,
        ["ssh_keys"] if post => R::CreateSshKey,
        ["ssh_keys", k] if delete => R::DeleteSshKey(k),
        ["integrations"] if get => R::Integrations,
        ["integrations", i, "repositories"] if get => R::Repositories(i),
        ["integrations", i, "repositories", r, "branches"] if get => R::Branches(i, r),
        ["email_zones"] if get => R::ListEmailZones,
        ["email_zones", z] if get => R::GetEmailZone(z),
        ["email_zones", z, "messages"] if get => R::EmailMessages(z),
        ["container_registries"] if get => R::ListRegistries,
        ["container_registries", c] if get => R::GetRegistry(c),
        ["runners"] if get => R::ListRunners,
        ["runners", r] if get => R::GetRunner(r),
        ["runners", r, "runs"] if get => R::ListRuns(r),
        ["runners", r, "runs"] if post => R::CreateRun(r),
        ["runners", r, "runs", n] if get => R::GetRun(r, n),
        _ => return None,
    })
}

impl Route<'_> {
    /// Every scope a user key needs for this request (all of them).
    pub(crate) fn scopes(&self, method: &Method) -> &'static [&'static str] {
        match self {
            Self::ListEnv(_) | Self::GetEnv(..) => &["read", "env:read"],
            Self::Logs(_) => &["read", "logs:read"],
            Self::CreateDeployment(_) => &["deploy"],
            Self::CreateEnv(_) | Self::UpdateEnv(..) | Self::DeleteEnv(..) => &["env:write"],
            _ if method == Method::GET => &["read"],
            _ => &["write"],
        }
    }

    /// Whether the request acts inside the selected project (everything but the catalogue, the
    /// project list and the user's git integrations).
    pub(crate) fn project_scoped(&self) -> bool {
        !matches!(
            self,
            Self::Regions
                | Self::InstanceTypes
                | Self::Projects
                | Self::Integrations
                | Self::Repositories(_)
                | Self::Branches(..)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_follow_the_wire_contract() {
        let scopes = |m: Method, p: &str| parse(&m, p).unwrap().scopes(&m);
        assert_eq!(scopes(Method::GET, "/applications"), ["read"]);
        assert_eq!(
            scopes(Method::GET, "/applications/a/env_variables"),
            ["read", "env:read"]
        );
        assert_eq!(
            scopes(Method::GET, "/applications/a/logs"),
            ["read", "logs:read"]
        );
        assert_eq!(
            scopes(Method::POST, "/applications/a/deployments"),
            ["deploy"]
        );
        assert_eq!(
            scopes(Method::DELETE, "/applications/a/env_variables/e"),
            ["env:write"]
        );
        assert_eq!(
            scopes(Method::PATCH, "/applications/a/processes/p"),
            ["write"]
        );
        assert_eq!(scopes(Method::POST, "/applications"), ["write"]);
        assert_eq!(
            scopes(Method::POST, "/applications/a/scaling_events"),
            ["write"]
        );
        assert_eq!(
            scopes(Method::POST, "/applications/a/domains/d/connect"),
            ["write"]
        );
        assert_eq!(scopes(Method::POST, "/runners/r/runs"), ["write"]);
        assert_eq!(
            scopes(Method::GET, "/integrations/i/repositories/r/branches"),
            ["read"]
        );
        assert_eq!(scopes(Method::GET, "/runners/r/runs/n"), ["read"]);
    }

    #[test]
    fn unknown_paths_and_methods() {
        assert_eq!(parse(&Method::PUT, "/applications/a"), None);
        assert_eq!(parse(&Method::GET, "/applications/a/nope"), None);
        assert_eq!(parse(&Method::GET, ""), None);
    }
}
