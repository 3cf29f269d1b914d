//! SSH keys, per project (inferred endpoints).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use serde_json::{Map, Value};

use super::Ctx;
use super::fields::Checks;
use super::reply::{Answer, Failure, Reply};
use super::state::{SshKey, State};
use crate::util::stable_hash;

const KEY_TYPES: [&str; 6] = [
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
];

/// The key blob of `<type> <base64> [comment]`, if the line is an OpenSSH public key.
fn key_blob(line: &str) -> Option<Vec<u8>> {
    let mut parts = line.split_whitespace();
    let kind = parts.next()?;
    let blob = STANDARD.decode(parts.next()?).ok()?;
    (KEY_TYPES.contains(&kind) && !blob.is_empty()).then_some(blob)
}

/// A stable `SHA256:`-style fingerprint. Not a real SHA-256 (the twin carries no hash crate);
/// it only has to be stable and distinct per key.
fn fingerprint(blob: &[u8]) -> String {
    let text = String::from_utf8_lossy(blob);
    let bytes: Vec<u8> = (0..4u8)
        .flat_map(|n| stable_hash(&[&text, &n.to_string()]).to_be_bytes())
        .collect();
    format!("SHA256:{}", STANDARD_NO_PAD.encode(bytes))
}

pub(crate) fn list(state: &State, ctx: &Ctx<'_>) -> Answer {
    let keys = state
        .ssh_keys
        .values()
        .filter(|k| k.project_id == ctx.project_id)
        .map(SshKey::to_json)
        .collect();
    Reply::ok("ssh_keys", Value::Array(keys))
}

pub(crate) fn create(state: &mut State, ctx: &Ctx<'_>, body: &Map<String, Value>) -> Answer {
    let mut checks = Checks::default();
    let name = checks.required(body, "name", "Name");
    let public_key = checks.required(body, "public_key", "Public key");
    let blob = public_key.as_deref().and_then(|line| {
        let blob = key_blob(line);
        if blob.is_none() {
            checks.fail("Public key is invalid");
        }
        blob
    });
    let fingerprint = blob.as_deref().map(fingerprint);
    if let Some(fp) = &fingerprint
        && state
            .ssh_keys
            .values()
            .any(|k| k.project_id == ctx.project_id && &k.fingerprint == fp)
    {
        checks.fail("Public key has already been taken");
    }
    checks.finish()?;
    let (Some(name), Some(public_key), Some(fingerprint)) = (name, public_key, fingerprint) else {
        return Err(Failure::invalid("Public key is invalid"));
    };
    let key = SshKey {
        id: state.rng.uuid(),
        project_id: ctx.project_id.to_owned(),
        name,
        public_key,
        fingerprint,
        created_ms: ctx.now_ms,
    };
    let answer = key.to_json();
    state.ssh_keys.insert(key.id.clone(), key);
    Reply::ok("ssh_key", answer)
}

pub(crate) fn delete(state: &mut State, ctx: &Ctx<'_>, id: &str) -> Answer {
    state
        .ssh_keys
        .get(id)
        .filter(|k| k.project_id == ctx.project_id)
        .ok_or(Failure::NotFound)?;
    state.ssh_keys.remove(id);
    Reply::deleted()
}
