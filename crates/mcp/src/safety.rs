//! The two memories that keep an agent's repeats safe: confirmation tokens for destructive
//! calls, and the results of creates by `request_id`. Both live in memory for the server's
//! lifetime (a restarted server has forgotten them: a token must be asked for again, and a
//! repeated `request_id` creates again, so agents should list before re-creating after a
//! restart).

use serde_json::Value;
use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// How long a dry run's confirmation token stays valid.
pub const CONFIRMATION_TTL: Duration = Duration::from_secs(120);

/// Tokens handed out by dry runs, each bound to one tool and its exact arguments, single use.
#[derive(Debug, Default)]
pub(crate) struct Confirmations {
    issued: Mutex<HashMap<String, Issued>>,
    counter: AtomicU64,
}

#[derive(Debug)]
struct Issued {
    binding: String,
    expires: Instant,
}

/// Why a confirmation token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No token was given.
    Missing,
    /// The server never issued it, or it was used already.
    Unknown,
    /// It was issued for another tool or other arguments.
    OtherCall,
    /// It is older than [`CONFIRMATION_TTL`].
    Expired,
}

impl Confirmations {
    /// A new token for `binding` (the tool and its canonical arguments).
    pub(crate) fn issue(&self, binding: String) -> String {
        // Not a secret: it only proves that a dry run of this exact call came first. Still
        // unguessable enough that an agent cannot make one up (random per-process keys).
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut token = String::from("confirm-");
        for part in 0..2u64 {
            let mut hasher = RandomState::new().build_hasher();
            hasher.write_u64(n);
            hasher.write_u64(part);
            hasher.write(binding.as_bytes());
            if let Ok(now) = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH) {
                hasher.write_u128(now.as_nanos());
            }
            token.push_str(&format!("{:016x}", hasher.finish()));
        }
        let mut issued = self.issued.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        issued.retain(|_, entry| entry.expires > now);
        issued.insert(
            token.clone(),
            Issued {
                binding,
                expires: now + CONFIRMATION_TTL,
            },
        );
        token
    }

    /// Takes `token` for `binding`: accepted once, for the call it was issued for.
    pub(crate) fn redeem(&self, token: Option<&str>, binding: &str) -> Result<(), Refusal> {
        let token = token
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(Refusal::Missing)?;
        let mut issued = self.issued.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = issued.get(token).ok_or(Refusal::Unknown)?;
        if entry.binding != binding {
            // Left in place: the dry run's own call may still come.
            return Err(Refusal::OtherCall);
        }
        let expired = entry.expires <= Instant::now();
        issued.remove(token);
        if expired {
            Err(Refusal::Expired)
        } else {
            Ok(())
        }
    }
}

/// What a create with a `request_id` produced, kept to answer a repeat. Its `Debug` shows
/// neither: the arguments may hold secret template parameters, the result revealed credentials.
#[derive(Clone)]
pub(crate) struct Outcome {
    /// The arguments of the first call, to refuse the same id with other arguments.
    pub arguments: String,
    /// The result (or the error that may have been performed) the first call returned.
    pub result: Result<Value, Value>,
}

impl fmt::Debug for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outcome")
            .field("arguments", &"[redacted]")
            .field("succeeded", &self.result.is_ok())
            .finish()
    }
}

/// One `(tool, request_id)`: empty until its first call has an outcome worth keeping.
pub(crate) type Slot = Arc<tokio::sync::Mutex<Option<Outcome>>>;

/// The results of creates by `(tool, request_id)`. A second call with an id waits for the
/// first one to finish, then returns its result: two calls at once create one app.
#[derive(Debug, Default)]
pub(crate) struct Requests {
    slots: Mutex<HashMap<(String, String), Slot>>,
}

impl Requests {
    /// The slot of `(tool, request_id)`; lock it, then look for an earlier outcome.
    pub(crate) fn slot(&self, tool: &str, request_id: &str) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots
            .entry((tool.to_owned(), request_id.to_owned()))
            .or_default()
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_works_once_and_only_for_its_call() {
        let confirmations = Confirmations::default();
        let token = confirmations.issue("delete_app nodana a-1".into());
        assert!(token.starts_with("confirm-"));
        assert_eq!(
            confirmations.redeem(Some(&token), "delete_app nodana a-2"),
            Err(Refusal::OtherCall)
        );
        assert_eq!(
            confirmations.redeem(Some(&token), "delete_app nodana a-1"),
            Ok(())
        );
        assert_eq!(
            confirmations.redeem(Some(&token), "delete_app nodana a-1"),
            Err(Refusal::Unknown)
        );
        assert_eq!(confirmations.redeem(None, "x"), Err(Refusal::Missing));
        assert_eq!(confirmations.redeem(Some("  "), "x"), Err(Refusal::Missing));
    }

    #[test]
    fn tokens_differ() {
        let confirmations = Confirmations::default();
        let a = confirmations.issue("same".into());
        let b = confirmations.issue("same".into());
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn one_slot_per_tool_and_id() {
        let requests = Requests::default();
        let first = requests.slot("create_app", "r-1");
        *first.lock().await = Some(Outcome {
            arguments: "{}".into(),
            result: Ok(Value::Null),
        });
        let kept = requests.slot("create_app", "r-1");
        let kept = kept.lock().await;
        assert!(kept.is_some());
        assert!(!format!("{kept:?}").contains("{}"), "{kept:?}");
        assert!(requests.slot("create_app", "r-2").lock().await.is_none());
        assert!(requests.slot("deploy_app", "r-1").lock().await.is_none());
    }
}
