//! Nodion's six API-key scopes, and which of them each request needs.
//!
//! User API keys carry scopes; a request outside them is answered 403. Project API keys are not
//! scope-gated. Which request needs which scopes is written once, on its row in
//! [`crate::endpoints`]; [`required_for`] reads it.

use nodal_core::{Endpoint, Error};
use std::fmt;
use std::str::FromStr;

/// One permission of a Nodion user API key.
///
/// ```
/// use nodal_nodion::Scope;
/// let scope: Scope = "env:read".parse()?;
/// assert_eq!(scope, Scope::EnvRead);
/// assert_eq!(scope.as_str(), "env:read");
/// assert!("admin".parse::<Scope>().is_err());
/// # Ok::<(), nodal_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// `read`: every GET (apps, deployments, envs, logs, metrics, projects).
    Read,
    /// `write`: generic create / update / delete (applications, domains, processes, SSH keys, DNS).
    Write,
    /// `deploy`: creating deployments (`POST /applications/:id/deployments`).
    Deploy,
    /// `env:read`: reading environment variable values.
    EnvRead,
    /// `env:write`: creating, updating or deleting environment variables.
    EnvWrite,
    /// `logs:read`: reading application and deployment logs.
    LogsRead,
}

impl Scope {
    /// The six scopes, in the provider's order.
    pub const ALL: [Scope; 6] = [
        Scope::Read,
        Scope::Write,
        Scope::Deploy,
        Scope::EnvRead,
        Scope::EnvWrite,
        Scope::LogsRead,
    ];

    /// The scope's name as Nodion spells it (`read`, `env:write`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Deploy => "deploy",
            Scope::EnvRead => "env:read",
            Scope::EnvWrite => "env:write",
            Scope::LogsRead => "logs:read",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self, Error> {
        let word = raw.trim();
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == word)
            .ok_or_else(|| {
                Error::invalid_input(
                    "nodion",
                    "scope",
                    format!(
                        "`{word}` is not a Nodion scope; the scopes are read, write, deploy, env:read, env:write and logs:read"
                    ),
                )
            })
    }
}

/// A set of [`Scope`]s: the scopes a key was declared with, or the scopes a call needs.
///
/// ```
/// use nodal_nodion::{Scope, ScopeSet};
/// let granted: ScopeSet = "read, deploy logs:read".parse()?;
/// assert!(granted.contains(Scope::Deploy));
/// let needed = ScopeSet::from_iter([Scope::Read, Scope::EnvRead]);
/// assert!(!granted.contains_all(needed));
/// assert_eq!(needed.missing_from(granted).to_string(), "env:read");
/// assert_eq!(needed.to_string(), "read + env:read");
/// # Ok::<(), nodal_core::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ScopeSet(u8);

impl ScopeSet {
    /// No scope.
    pub const fn empty() -> Self {
        ScopeSet(0)
    }

    /// All six scopes.
    pub fn all() -> Self {
        Scope::ALL.into_iter().collect()
    }

    /// This set plus `scope`.
    pub fn with(self, scope: Scope) -> Self {
        ScopeSet(self.0 | scope.bit())
    }

    /// Whether `scope` is in the set.
    pub fn contains(self, scope: Scope) -> bool {
        self.0 & scope.bit() != 0
    }

    /// Whether every scope of `other` is in the set.
    pub fn contains_all(self, other: ScopeSet) -> bool {
        self.0 & other.0 == other.0
    }

    /// The scopes of this set that `granted` lacks.
    pub fn missing_from(self, granted: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 & !granted.0)
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The scopes, in the provider's order.
    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL.into_iter().filter(move |s| self.contains(*s))
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        iter.into_iter().fold(ScopeSet::empty(), ScopeSet::with)
    }
}

impl From<Scope> for ScopeSet {
    fn from(scope: Scope) -> Self {
        ScopeSet::empty().with(scope)
    }
}

impl fmt::Display for ScopeSet {
    /// `read + env:read`; `(none)` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("(none)");
        }
        for (i, scope) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(" + ")?;
            }
            f.write_str(scope.as_str())?;
        }
        Ok(())
    }
}

impl fmt::Debug for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(Scope::as_str))
            .finish()
    }
}

impl FromStr for ScopeSet {
    type Err = Error;

    /// Scope names separated by commas, spaces or `+` (`"read, deploy"`, `"read+logs:read"`).
    fn from_str(raw: &str) -> Result<Self, Error> {
        raw.split(|c: char| c == ',' || c == '+' || c.is_whitespace())
            .filter(|word| !word.is_empty())
            .map(str::parse::<Scope>)
            .collect()
    }
}

/// The scopes a user key needs for `endpoint`: its row's permission, read as a [`ScopeSet`].
/// Every row of [`crate::endpoints`] names its scopes (a unit test there checks that each one
/// parses); a row without a permission needs none.
pub(crate) fn required_for(endpoint: &Endpoint) -> ScopeSet {
    endpoint
        .permission()
        .and_then(|permission| permission.parse().ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_parse_and_print() {
        let set: ScopeSet = "read,deploy + logs:read".parse().unwrap();
        assert_eq!(set.to_string(), "read + deploy + logs:read");
        assert_eq!(format!("{set:?}"), r#"{"read", "deploy", "logs:read"}"#);
        assert!(ScopeSet::all().contains_all(set));
        assert_eq!(ScopeSet::empty().to_string(), "(none)");
        assert!("read, admin".parse::<ScopeSet>().is_err());
    }
}
