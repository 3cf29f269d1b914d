//! A piece of cross-provider automation as a nodal user writes it, and (in `tests/`) its test
//! against the offline twin through nothing but the facade's `testing` feature. The root
//! README's Rust examples are compiled here as well, exactly as shown there.

use nodal::{AppId, AppSpec, Error, ProjectId, Provider, Result};
use std::time::Duration;

/// What [`smoke_test`] did on one provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmokeReport {
    /// The provider's name.
    pub provider: &'static str,
    /// The app that was created, became available and was deleted again.
    pub app: AppId,
}

/// Creates a small app on `provider` in `project`, waits until it serves, and deletes it again,
/// whatever happened in between: the kind of check a team runs before a release.
pub async fn smoke_test(
    provider: &dyn Provider,
    project: Option<&ProjectId>,
) -> Result<SmokeReport> {
    let caps = provider.capabilities();
    let mut spec = if caps.app_from_template {
        AppSpec::from_template("lnbits")
    } else if caps.app_from_image {
        AppSpec::from_image("nginxdemos/hello")
            .name("smoke")
            .region("euc")
            .instance_type("starter")
    } else {
        return Err(Error::unsupported(provider.name(), "create_app"));
    };
    if let Some(project) = project {
        spec = spec.project(project.clone());
    }
    let created = provider.create_app(&spec).await?;
    let app = created.app.id.clone();
    let waited = provider
        .wait_until_available(&app, Duration::from_secs(30))
        .await;
    // Clean up even when the wait failed, then report the first failure.
    let deleted = provider.delete_app(&app).await;
    waited?;
    deleted?;
    Ok(SmokeReport {
        provider: provider.name(),
        app,
    })
}

#[doc = include_str!("../../../README.md")]
mod readme {}
