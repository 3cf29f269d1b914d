//! Decoding helpers shared by every API area: Nodion wraps each resource in a key named after it
//! (`{"application": {...}}`), sends `null` for absent values, and may add fields or status words
//! at any time, so decoding is lenient everywhere.
//!
//! [`Wrapped`] and the wrapper keys are public so that tests and fuzzers can run the adapter's
//! exact decoders over any answer:
//!
//! ```
//! use nodal_core::raw::{Protocol, RawResponse};
//! use nodal_nodion::raw::wire::{RegionsKey, Wrapped};
//! use nodal_nodion::raw::NodionProtocol;
//! use nodal_nodion::{KeyKind, Region};
//!
//! let answer = RawResponse::new("nodion", 200, br#"{"regions": [{"id": "r", "name": "EU Central", "slug": "euc"}]}"#);
//! let regions: Wrapped<RegionsKey, Vec<Region>> = NodionProtocol::new(KeyKind::User).decode(&answer)?;
//! assert_eq!(regions.value[0].slug, "euc");
//! # Ok::<(), nodal_core::Error>(())
//! ```

use serde::de::{
    self, Deserialize, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor,
};
use std::fmt;
use std::marker::PhantomData;

/// The key a resource is wrapped in.
pub trait WrapKey {
    /// The key, e.g. `application`.
    const KEY: &'static str;
}

macro_rules! wrap_keys {
    ($($name:ident = $key:literal),+ $(,)?) => {
        $(
            #[doc = concat!("The `", $key, "` wrapper key.")]
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl WrapKey for $name {
                const KEY: &'static str = $key;
            }
        )+
        /// Every wrapper key the adapter decodes.
        pub const WRAP_KEYS: &[&str] = &[$($key),+];
    };
}

// The wrapped keys of docs/wire-contract.md. DNS records are wrapped as `record` / `records`
// (not `dns_record(s)`), e-mail messages as `messages`.
wrap_keys!(
    RegionsKey = "regions",
    InstanceTypesKey = "instance_types",
    ProjectsKey = "projects",
    ApplicationKey = "application",
    ApplicationsKey = "applications",
    DeploymentKey = "deployment",
    DeploymentsKey = "deployments",
    EnvVariableKey = "env_variable",
    EnvVariablesKey = "env_variables",
    ProcessKey = "process",
    ProcessesKey = "processes",
    DomainKey = "domain",
    DomainsKey = "domains",
    LogsKey = "logs",
    InstancesKey = "instances",
    MetricsKey = "metrics",
    DnsZoneKey = "dns_zone",
    DnsZonesKey = "dns_zones",
    DnsRecordKey = "record",
    DnsRecordsKey = "records",
    SshKeyKey = "ssh_key",
    SshKeysKey = "ssh_keys",
    ScalingEventKey = "scaling_event",
    ScalingEventsKey = "scaling_events",
    IntegrationsKey = "integrations",
    RepositoriesKey = "repositories",
    BranchesKey = "branches",
    EmailZoneKey = "email_zone",
    EmailZonesKey = "email_zones",
    MessagesKey = "messages",
    ContainerRegistryKey = "container_registry",
    ContainerRegistriesKey = "container_registries",
    RunnerKey = "runner",
    RunnersKey = "runners",
    RunKey = "run",
    RunsKey = "runs",
);

/// `{"<K::KEY>": T, ...}`: the value under the key; every other key is ignored.
pub struct Wrapped<K, T> {
    /// The value under the key.
    pub value: T,
    key: PhantomData<fn() -> K>,
}

impl<'de, K: WrapKey, T: DeserializeOwned> Deserialize<'de> for Wrapped<K, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(WrappedVisitor::<K, T>(PhantomData))
    }
}

struct WrappedVisitor<K, T>(PhantomData<fn() -> (K, T)>);

impl<'de, K: WrapKey, T: DeserializeOwned> Visitor<'de> for WrappedVisitor<K, T> {
    type Value = Wrapped<K, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with the key `{}`", K::KEY)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut value = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == K::KEY && value.is_none() {
                value = Some(map.next_value::<T>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        match value {
            Some(value) => Ok(Wrapped {
                value,
                key: PhantomData,
            }),
            None => Err(de::Error::missing_field(K::KEY)),
        }
    }
}

/// `null` (or an absent field, with `#[serde(default)]`) becomes `T::default()`.
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// An identifier sent as a string or a number (`"7"` or `7`), read as text.
pub(crate) fn id<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    match IdText::deserialize(deserializer)? {
        IdText::Text(text) => Ok(T::from(text)),
        IdText::Number(n) => Ok(T::from(n.to_string())),
    }
}

/// Like [`id`], for an identifier that may be absent or `null`.
pub(crate) fn opt_id<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    Ok(match Option::<IdText>::deserialize(deserializer)? {
        None => None,
        Some(IdText::Text(text)) => Some(T::from(text)),
        Some(IdText::Number(n)) => Some(T::from(n.to_string())),
    })
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum IdText {
    Text(String),
    Number(serde_json::Number),
}

#[cfg(test)]
mod tests {
    #![allow(unreachable_pub)]

    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Thing {
        id: String,
    }

    #[test]
    fn wrapped_values_ignore_other_keys() {
        let raw = r#"{"meta": {"x": 1}, "application": {"id": "a", "new": true}, "z": [1]}"#;
        let thing: Wrapped<ApplicationKey, Thing> = serde_json::from_str(raw).unwrap();
        assert_eq!(thing.value.id, "a");
    }

    #[test]
    fn a_missing_key_is_named() {
        let err = serde_json::from_str::<Wrapped<ApplicationKey, Thing>>(r#"{"app": {}}"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("missing field `application`"), "{err}");
        assert!(serde_json::from_str::<Wrapped<ApplicationKey, Thing>>("null").is_err());
    }

    nodal_core::wire_enum!(
        /// Test words.
        pub enum Word {
            /// One.
            One = "one",
        }
    );

    #[test]
    fn unknown_words_are_kept() {
        let words: Vec<Word> = serde_json::from_str(r#"["one", "two"]"#).unwrap();
        assert_eq!(words, [Word::One, Word::Other("two".into())]);
        assert_eq!(serde_json::to_string(&words).unwrap(), r#"["one","two"]"#);
    }
}
