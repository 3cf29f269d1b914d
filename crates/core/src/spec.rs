//! What to create: the neutral app specification. Each adapter validates it against what its
//! provider accepts and refuses the rest with [`crate::Error::InvalidInput`] before sending anything.

use crate::ids::ProjectId;
use secrecy::SecretString;
use std::collections::BTreeMap;
use std::fmt;

/// What an app runs.
#[non_exhaustive]
pub enum AppSource {
    /// A provider template (Nodana), with its parameters. Values are secrets because some are
    /// (a nutshell mint's LND macaroon); they are redacted in `Debug`.
    Template {
        /// Template name, e.g. `phoenixd`.
        name: String,
        /// Template parameters by name.
        params: BTreeMap<String, SecretString>,
    },
    /// A prebuilt container image (Nodion `prebuilt_image`).
    Image {
        /// Image reference without tag, e.g. `ghcr.io/acme/web`.
        image: String,
        /// Tag to run, e.g. `1.4.2`.
        tag: Option<String>,
    },
    /// A git repository reached through a provider integration (Nodion).
    Git {
        /// The provider's integration id.
        integration_id: String,
        /// The provider's repository id.
        repository_id: String,
        /// The provider's branch id.
        branch_id: String,
    },
}

impl fmt::Debug for AppSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppSource::Template { name, params } => f
                .debug_struct("Template")
                .field("name", name)
                .field("params", &RedactedKeys(params.keys()))
                .finish(),
            AppSource::Image { image, tag } => f
                .debug_struct("Image")
                .field("image", image)
                .field("tag", tag)
                .finish(),
            AppSource::Git {
                integration_id,
                repository_id,
                branch_id,
            } => f
                .debug_struct("Git")
                .field("integration_id", integration_id)
                .field("repository_id", repository_id)
                .field("branch_id", branch_id)
                .finish(),
        }
    }
}

/// An environment variable for a new app. The value is a secret.
#[non_exhaustive]
pub struct EnvVar {
    /// Variable name.
    pub key: String,
    /// Variable value.
    pub value: SecretString,
    /// Whether the value is needed at build time (Nodion `buildtime`).
    pub build_time: bool,
}

impl EnvVar {
    /// A runtime variable.
    ///
    /// ```
    /// let var = nodal_core::EnvVar::new("DATABASE_URL", "postgres://u:p@h/db");
    /// assert!(!format!("{var:?}").contains("postgres"));
    /// ```
    pub fn new(key: impl Into<String>, value: impl Into<SecretString>) -> Self {
        EnvVar {
            key: key.into(),
            value: value.into(),
            build_time: false,
        }
    }

    /// Marks the variable as needed at build time.
    pub fn at_build_time(mut self) -> Self {
        self.build_time = true;
        self
    }
}

impl fmt::Debug for EnvVar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvVar")
            .field("key", &self.key)
            .field("value", &"[redacted]")
            .field("build_time", &self.build_time)
            .finish()
    }
}

/// Everything needed to create an app on some provider. Fields a provider does not use are
/// refused by its adapter (for example a region on Nodana), so nothing is silently dropped.
///
/// ```
/// use nodal_core::AppSpec;
/// let spec = AppSpec::from_template("phoenixd")
///     .param("auto_liquidity", "2m")
///     .project("prj-5fd3");
/// assert_eq!(spec.project.as_ref().map(|p| p.as_str()), Some("prj-5fd3"));
///
/// let web = AppSpec::from_image("ghcr.io/acme/web")
///     .image_tag("1.4.2")
///     .name("web")
///     .region("euc")
///     .instance_type("starter")
///     .instances(2)
///     .env("API_TOKEN", "s3cr3t");
/// assert_eq!(web.instances, Some(2));
/// assert!(!format!("{web:?}").contains("s3cr3t"));
/// ```
#[non_exhaustive]
pub struct AppSpec {
    /// Display name (required by Nodion; Nodana apps have none).
    pub name: Option<String>,
    /// The project to create the app in. Nodana creates a new project when absent; Nodion uses
    /// the client's selected (or default) project.
    pub project: Option<ProjectId>,
    /// Region id or slug (Nodion).
    pub region: Option<String>,
    /// Instance type id or slug (Nodion).
    pub instance_type: Option<String>,
    /// Number of instances (Nodion).
    pub instances: Option<u32>,
    /// What the app runs.
    pub source: AppSource,
    /// Environment variables (Nodion).
    pub env: Vec<EnvVar>,
}

impl AppSpec {
    /// An app from a provider template.
    pub fn from_template(template: impl Into<String>) -> Self {
        Self::with_source(AppSource::Template {
            name: template.into(),
            params: BTreeMap::new(),
        })
    }

    /// An app from a prebuilt image.
    pub fn from_image(image: impl Into<String>) -> Self {
        Self::with_source(AppSource::Image {
            image: image.into(),
            tag: None,
        })
    }

    /// An app from a git repository connected through a provider integration.
    pub fn from_git(
        integration_id: impl Into<String>,
        repository_id: impl Into<String>,
        branch_id: impl Into<String>,
    ) -> Self {
        Self::with_source(AppSource::Git {
            integration_id: integration_id.into(),
            repository_id: repository_id.into(),
            branch_id: branch_id.into(),
        })
    }

    /// An app with the given source and nothing else set.
    pub fn with_source(source: AppSource) -> Self {
        AppSpec {
            name: None,
            project: None,
            region: None,
            instance_type: None,
            instances: None,
            source,
            env: Vec::new(),
        }
    }

    /// Sets a template parameter. Ignored (and kept out of the request) unless the source is a
    /// template; adapters refuse params on non-template sources when validating.
    pub fn param(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        if let AppSource::Template { params, .. } = &mut self.source {
            params.insert(key.into(), SecretString::from(value.into()));
        }
        self
    }

    /// Sets the image tag of an image source (no effect on other sources).
    pub fn image_tag(mut self, new_tag: impl Into<String>) -> Self {
        if let AppSource::Image { tag, .. } = &mut self.source {
            *tag = Some(new_tag.into());
        }
        self
    }

    /// Sets the display name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the project.
    pub fn project(mut self, project: impl Into<ProjectId>) -> Self {
        self.project = Some(project.into());
        self
    }

    /// Sets the region (id or slug).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the instance type (id or slug).
    pub fn instance_type(mut self, instance_type: impl Into<String>) -> Self {
        self.instance_type = Some(instance_type.into());
        self
    }

    /// Sets the number of instances.
    pub fn instances(mut self, count: u32) -> Self {
        self.instances = Some(count);
        self
    }

    /// Adds a runtime environment variable.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env
            .push(EnvVar::new(key, SecretString::from(value.into())));
        self
    }

    /// Adds an environment variable built with [`EnvVar`].
    pub fn env_var(mut self, var: EnvVar) -> Self {
        self.env.push(var);
        self
    }
}

impl fmt::Debug for AppSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppSpec")
            .field("name", &self.name)
            .field("project", &self.project)
            .field("region", &self.region)
            .field("instance_type", &self.instance_type)
            .field("instances", &self.instances)
            .field("source", &self.source)
            .field("env", &self.env)
            .finish()
    }
}

/// Prints map keys with every value shown as `[redacted]`.
pub(crate) struct RedactedKeys<I>(pub(crate) I);

impl<'a, I> fmt::Debug for RedactedKeys<I>
where
    I: Iterator<Item = &'a String> + Clone,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for key in self.0.clone() {
            map.entry(key, &"[redacted]");
        }
        map.finish()
    }
}
