//! Nodion's API keys: user keys (scopes, allow-list, expiry) and project keys.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use axum::http::{HeaderMap, header};

use crate::time::{millis, system_time_ms};

/// The six scopes of Nodion's scope table (`docs/providers/nodion.md`), in its order.
pub const NODION_SCOPES: [&str; 6] = [
    "read",
    "write",
    "deploy",
    "env:read",
    "env:write",
    "logs:read",
];

/// What a Nodion user key may do; build it, then pass it to
/// [`Sim::issue_nodion_user_key`](crate::Sim::issue_nodion_user_key).
///
/// By default a key has no scopes, no allow-list (every project of the user), the user's default
/// project and no expiry. Scope names are compared exactly; an unknown name grants nothing.
///
/// ```
/// use nodal_sim::NodionKeySpec;
/// use std::time::Duration;
/// let spec = NodionKeySpec::new()
///     .scopes(["read", "deploy"])
///     .expires_in(Duration::from_secs(30 * 24 * 3600));
/// # let _ = spec;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodionKeySpec {
    scopes: Vec<String>,
    allow_list: Vec<String>,
    default_project: Option<String>,
    expiry: Expiry,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Expiry {
    #[default]
    Never,
    In(Duration),
    At(SystemTime),
    Expired,
}

impl NodionKeySpec {
    /// A key with no scopes, no allow-list and no expiry.
    pub fn new() -> Self {
        Self::default()
    }

    /// A key with all six scopes.
    pub fn all_scopes() -> Self {
        Self::new().scopes(NODION_SCOPES)
    }

    /// Sets the scopes (replacing earlier ones), e.g. `["read", "logs:read"]`.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Restricts the key to these project ids; empty means every project of the user.
    pub fn allow_list<I, S>(mut self, projects: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allow_list = projects.into_iter().map(Into::into).collect();
        self
    }

    /// The project used when a request has no `X-Nodion-Project` header (default: the user's
    /// default project). It must still be in the allow-list, if there is one.
    pub fn default_project(mut self, project_id: impl Into<String>) -> Self {
        self.default_project = Some(project_id.into());
        self
    }

    /// A key that has already expired (every request answers 401).
    pub fn expired(mut self) -> Self {
        self.expiry = Expiry::Expired;
        self
    }

    /// A key that expires this long after it is issued.
    pub fn expires_in(mut self, ttl: Duration) -> Self {
        self.expiry = Expiry::In(ttl);
        self
    }

    /// A key that expires at this wall-clock time.
    pub fn expires_at(mut self, at: SystemTime) -> Self {
        self.expiry = Expiry::At(at);
        self
    }
}

#[derive(Debug, Clone)]
pub(crate) enum KeyKind {
    User {
        scopes: Vec<String>,
        allow_list: Vec<String>,
        default_project: Option<String>,
        /// Milliseconds since the epoch on the sim clock.
        expires_at_ms: Option<u64>,
    },
    Project {
        project_id: String,
    },
}

#[derive(Debug)]
pub(crate) struct KeyRecord {
    pub(crate) id: String,
    pub(crate) kind: KeyKind,
    pub(crate) revoked: bool,
    /// Arrival times of the requests counted by the quota's sliding window.
    recent: VecDeque<Duration>,
}

impl KeyRecord {
    pub(crate) fn user(id: String, spec: NodionKeySpec, now_ms: u64) -> Self {
        let expires_at_ms = match spec.expiry {
            Expiry::Never => None,
            Expiry::In(ttl) => Some(now_ms.saturating_add(millis(ttl))),
            Expiry::At(at) => Some(system_time_ms(at)),
            Expiry::Expired => Some(0),
        };
        Self::new(
            id,
            KeyKind::User {
                scopes: spec.scopes,
                allow_list: spec.allow_list,
                default_project: spec.default_project,
                expires_at_ms,
            },
        )
    }

    pub(crate) fn project(id: String, project_id: String) -> Self {
        Self::new(id, KeyKind::Project { project_id })
    }

    fn new(id: String, kind: KeyKind) -> Self {
        Self {
            id,
            kind,
            revoked: false,
            recent: VecDeque::new(),
        }
    }

    pub(crate) fn usable(&self, now_ms: u64) -> bool {
        let expired = match self.kind {
            KeyKind::User {
                expires_at_ms: Some(at),
                ..
            } => now_ms >= at,
            _ => false,
        };
        !self.revoked && !expired
    }

    /// Counts a request against a sliding-window quota of `limit` requests per `window`; when
    /// the window is full, the whole seconds (rounded up, at least 1) until a slot frees.
    pub(crate) fn take_quota(
        &mut self,
        now: Duration,
        limit: u32,
        window: Duration,
    ) -> Result<(), u64> {
        while self
            .recent
            .front()
            .is_some_and(|&at| now.saturating_sub(at) >= window)
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= usize::try_from(limit).unwrap_or(usize::MAX) {
            let oldest = self.recent.front().copied().unwrap_or(now);
            let wait = (oldest + window).saturating_sub(now);
            return Err((wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1));
        }
        self.recent.push_back(now);
        Ok(())
    }
}

/// The token of `Authorization: Bearer <token>`.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_is_a_sliding_window() {
        let mut key = KeyRecord::project("k".into(), "p".into());
        let window = Duration::from_secs(10);
        assert!(key.take_quota(Duration::from_secs(0), 2, window).is_ok());
        assert!(
            key.take_quota(Duration::from_millis(500), 2, window)
                .is_ok()
        );
        assert_eq!(key.take_quota(Duration::from_secs(1), 2, window), Err(9));
        assert!(key.take_quota(Duration::from_secs(10), 2, window).is_ok());
    }

    #[test]
    fn expiry_and_revocation() {
        let key = KeyRecord::user("k".into(), NodionKeySpec::new().expired(), 1_000);
        assert!(!key.usable(1_000));
        let key = KeyRecord::user(
            "k".into(),
            NodionKeySpec::new().expires_in(Duration::from_secs(1)),
            1_000,
        );
        assert!(key.usable(1_999));
        assert!(!key.usable(2_000));
    }
}
