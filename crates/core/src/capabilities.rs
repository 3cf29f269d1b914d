//! What a provider can do, so callers branch on abilities instead of provider names.

use serde::Serialize;

/// One flag per neutral operation. An operation whose flag is `false` returns
/// [`crate::Error::Unsupported`] when called.
///
/// Adapters start from [`Capabilities::none`] and switch on what their provider supports:
///
/// ```
/// use nodal_core::Capabilities;
/// let mut caps = Capabilities::none();
/// caps.list_projects = true;
/// assert!(caps.list_projects && !caps.create_project);
/// assert!(!caps.supports("create_project"));
/// assert!(caps.supports("list_projects"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct Capabilities {
    /// `Projects::list_projects`.
    pub list_projects: bool,
    /// `Projects::get_project`.
    pub get_project: bool,
    /// `Projects::create_project`.
    pub create_project: bool,
    /// `Projects::rename_project`.
    pub rename_project: bool,
    /// `Projects::delete_project`.
    pub delete_project: bool,
    /// `Apps::list_apps`.
    pub list_apps: bool,
    /// `Apps::get_app`.
    pub get_app: bool,
    /// `Apps::create_app`.
    pub create_app: bool,
    /// `Apps::delete_app`.
    pub delete_app: bool,
    /// `Apps::start_app`.
    pub start_app: bool,
    /// `Apps::stop_app`.
    pub stop_app: bool,
    /// `Apps::restart_app`.
    pub restart_app: bool,
    /// `Apps::wait_until_available`.
    pub wait_until_available: bool,
    /// `Deployments::deploy`.
    pub deploy: bool,
    /// `Deployments::deploy` honours `DeployOptions::image_tag`.
    pub deploy_image_tag: bool,
    /// `Deployments::deploy` on a stopped app starts it (Nodana: the update restarts the
    /// app). When `false` (Nodion: every process stays at 0 instances), a deployment of a
    /// stopped app never makes it available: start it first.
    pub deploy_starts_stopped_app: bool,
    /// `Deployments::list_deployments`.
    pub list_deployments: bool,
    /// `AppSpec` sources of kind template.
    pub app_from_template: bool,
    /// `AppSpec` sources of kind image.
    pub app_from_image: bool,
    /// `AppSpec` sources of kind git.
    pub app_from_git: bool,
    /// `AppSpec::env` is applied at creation.
    pub app_env: bool,
    /// `create_app` may return one-time credentials.
    pub app_credentials: bool,
}

impl Capabilities {
    /// Nothing supported.
    pub fn none() -> Self {
        Self::default()
    }

    /// Everything supported: the starting point for an adapter, which then switches off what
    /// its provider cannot do, so each adapter states only its exceptions. A flag added to this
    /// struct is therefore on for every adapter until each says otherwise; the conformance
    /// suite, which runs every check a provider claims, catches a wrong claim.
    ///
    /// ```
    /// use nodal_core::Capabilities;
    /// let mut caps = Capabilities::all();
    /// caps.create_project = false;
    /// assert!(caps.deploy && !caps.create_project);
    /// assert!(Capabilities::all().iter().all(|(_, on)| on));
    /// ```
    pub fn all() -> Self {
        Capabilities {
            list_projects: true,
            get_project: true,
            create_project: true,
            rename_project: true,
            delete_project: true,
            list_apps: true,
            get_app: true,
            create_app: true,
            delete_app: true,
            start_app: true,
            stop_app: true,
            restart_app: true,
            wait_until_available: true,
            deploy: true,
            deploy_image_tag: true,
            deploy_starts_stopped_app: true,
            list_deployments: true,
            app_from_template: true,
            app_from_image: true,
            app_from_git: true,
            app_env: true,
            app_credentials: true,
        }
    }

    /// Looks a flag up by its operation name (`"create_project"`, `"deploy"`, ...); unknown
    /// names are unsupported.
    pub fn supports(&self, operation: &str) -> bool {
        self.iter()
            .find(|(name, _)| *name == operation)
            .is_some_and(|(_, on)| on)
    }

    /// Every flag with its operation name, in declaration order (for tables and docs).
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, bool)> {
        [
            ("list_projects", self.list_projects),
            ("get_project", self.get_project),
            ("create_project", self.create_project),
            ("rename_project", self.rename_project),
            ("delete_project", self.delete_project),
            ("list_apps", self.list_apps),
            ("get_app", self.get_app),
            ("create_app", self.create_app),
            ("delete_app", self.delete_app),
            ("start_app", self.start_app),
            ("stop_app", self.stop_app),
            ("restart_app", self.restart_app),
            ("wait_until_available", self.wait_until_available),
            ("deploy", self.deploy),
            ("deploy_image_tag", self.deploy_image_tag),
            ("deploy_starts_stopped_app", self.deploy_starts_stopped_app),
            ("list_deployments", self.list_deployments),
            ("app_from_template", self.app_from_template),
            ("app_from_image", self.app_from_image),
            ("app_from_git", self.app_from_git),
            ("app_env", self.app_env),
            ("app_credentials", self.app_credentials),
        ]
        .into_iter()
    }
}
