//! Choosing providers at run time, from names and from the environment.

use nodal_core::{Error, Provider};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// The providers nodal knows, whether or not this build enables them.
///
/// ```
/// use nodal::ProviderKind;
/// let kind: ProviderKind = "Nodana".parse().unwrap();
/// assert_eq!(kind, ProviderKind::Nodana);
/// assert_eq!(kind.api_key_var(), "NODANA_API_KEY");
/// assert!("heroku".parse::<ProviderKind>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ProviderKind {
    /// Nodion, the European PaaS.
    Nodion,
    /// Nodana, Bitcoin and Lightning apps from templates.
    Nodana,
}

impl ProviderKind {
    /// Every provider, in a stable order.
    pub const ALL: [ProviderKind; 2] = [ProviderKind::Nodion, ProviderKind::Nodana];

    /// Lowercase name (`nodion`, `nodana`), as `Provider::name` reports it.
    pub fn name(self) -> &'static str {
        match self {
            ProviderKind::Nodion => "nodion",
            ProviderKind::Nodana => "nodana",
        }
    }

    /// The environment variable holding this provider's API key.
    pub fn api_key_var(self) -> &'static str {
        match self {
            ProviderKind::Nodion => "NODION_API_KEY",
            ProviderKind::Nodana => "NODANA_API_KEY",
        }
    }

    /// Whether this build includes the provider's adapter (its cargo feature is on).
    pub fn is_enabled(self) -> bool {
        match self {
            ProviderKind::Nodion => cfg!(feature = "nodion"),
            ProviderKind::Nodana => cfg!(feature = "nodana"),
        }
    }

    /// Whether the provider's API key variable is set to something non-empty.
    pub fn has_key_in_env(self) -> bool {
        std::env::var(self.api_key_var()).is_ok_and(|key| !key.trim().is_empty())
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a provider name nodal does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProvider(String);

impl fmt::Display for UnknownProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown provider `{}`; expected `nodion` or `nodana`",
            self.0
        )
    }
}

impl std::error::Error for UnknownProvider {}

impl FromStr for ProviderKind {
    type Err = UnknownProvider;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        ProviderKind::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownProvider(name.to_owned()))
    }
}

/// Builds one provider from its environment variables (`NODANA_API_KEY` and
/// `NODANA_API_BASE_URL`; `NODION_API_KEY`, `NODION_API_BASE_URL`, `NODION_PROJECT`,
/// `NODION_KEY_KIND`), as a shareable trait object.
///
/// A provider this build does not include is an [`Error::Config`] naming the cargo feature.
///
/// ```
/// use nodal::{from_env, Error, ProviderKind};
/// // SAFETY of the example: no other thread reads the environment here.
/// unsafe { std::env::remove_var("NODANA_API_KEY") };
/// let missing = from_env(ProviderKind::Nodana).unwrap_err();
/// assert!(matches!(missing, Error::Config { .. }));
/// ```
pub fn from_env(kind: ProviderKind) -> Result<Arc<dyn Provider>, Error> {
    match kind {
        #[cfg(feature = "nodion")]
        ProviderKind::Nodion => Ok(Arc::new(nodal_nodion::NodionClient::from_env()?)),
        #[cfg(feature = "nodana")]
        ProviderKind::Nodana => Ok(Arc::new(nodal_nodana::NodanaClient::from_env()?)),
        #[allow(unreachable_patterns)]
        other => Err(Error::Config {
            provider: other.name(),
            message: format!(
                "this build of nodal does not include {other}; enable the `{other}` feature of the `nodal` crate"
            ),
        }),
    }
}

/// Builds every provider this build includes whose API key variable is set, in
/// [`ProviderKind::ALL`] order. None set is an empty list, not an error; a key that is set but
/// unusable (e.g. a plain-http base URL) is an error.
///
/// ```
/// // With neither NODION_API_KEY nor NODANA_API_KEY set, there is nothing to build.
/// unsafe {
///     std::env::remove_var("NODION_API_KEY");
///     std::env::remove_var("NODANA_API_KEY");
/// }
/// assert!(nodal::providers_from_env().unwrap().is_empty());
/// ```
pub fn providers_from_env() -> Result<Vec<Arc<dyn Provider>>, Error> {
    ProviderKind::ALL
        .into_iter()
        .filter(|kind| kind.is_enabled() && kind.has_key_in_env())
        .map(from_env)
        .collect()
}
