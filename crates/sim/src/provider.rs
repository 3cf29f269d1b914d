//! The two providers the twin speaks.

use std::fmt;

/// One of the two simulated providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provider {
    /// Nodana, served under `/nodana/v1`.
    Nodana,
    /// Nodion, served under `/nodion/v1`.
    Nodion,
}

impl Provider {
    /// The path prefix the provider is served under, e.g. `/nodana/v1`.
    pub fn base_path(self) -> &'static str {
        match self {
            Self::Nodana => "/nodana/v1",
            Self::Nodion => "/nodion/v1",
        }
    }

    /// Splits a request path into the provider and the path relative to its `/v1`
    /// (`/nodana/v1/apps` → `(Nodana, "/apps")`; `/nodana/v1` → `(Nodana, "")`).
    pub(crate) fn split_path(path: &str) -> Option<(Self, &str)> {
        [Self::Nodana, Self::Nodion]
            .into_iter()
            .find_map(|provider| {
                let rest = path.strip_prefix(provider.base_path())?;
                (rest.is_empty() || rest.starts_with('/')).then_some((provider, rest))
            })
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Nodana => "nodana",
            Self::Nodion => "nodion",
        })
    }
}
