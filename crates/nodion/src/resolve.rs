//! Region and instance-type resolution. A neutral spec names them by slug (`euc`, `starter`) or
//! display name; Nodion's create takes ids. One resolver serves both, over a catalogue fetched
//! once per client and shared by its clones and project views.

use crate::client::{NodionClient, lock};
use crate::protocol::PROVIDER;
use crate::regions::{InstanceType, Region};
use nodal_core::raw::is_uuid;
use nodal_core::{Error, Result};
use std::future::Future;
use std::sync::{Arc, Mutex};

/// An entry of a catalogue, named by id, slug or display name.
pub(crate) trait Entry {
    /// The input field a bad name is reported on, e.g. `instance_type`.
    const FIELD: &'static str;
    /// What an entry is called in messages, e.g. `instance type`.
    const WHAT: &'static str;
    fn id(&self) -> &str;
    fn slug(&self) -> &str;
    fn name(&self) -> &str;
}

impl Entry for Region {
    const FIELD: &'static str = "region";
    const WHAT: &'static str = "region";
    fn id(&self) -> &str {
        &self.id
    }
    fn slug(&self) -> &str {
        &self.slug
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Entry for InstanceType {
    const FIELD: &'static str = "instance_type";
    const WHAT: &'static str = "instance type";
    fn id(&self) -> &str {
        &self.id
    }
    fn slug(&self) -> &str {
        &self.slug
    }
    fn name(&self) -> &str {
        &self.name
    }
}

/// A catalogue fetched on first use, then kept. Only resolution fills it, so the public
/// catalogue calls stay plain requests.
pub(crate) struct Catalogue<T> {
    entries: Mutex<Option<Arc<[T]>>>,
}

impl<T> Default for Catalogue<T> {
    fn default() -> Self {
        Catalogue {
            entries: Mutex::new(None),
        }
    }
}

impl<T: Entry> Catalogue<T> {
    /// The id `given` names. A UUID-like value is taken as an id without a lookup; anything
    /// else is looked up by id, slug or (case-insensitive) display name in the catalogue that
    /// `fetch` returns.
    pub(crate) async fn resolve<F, Fut>(&self, given: &str, fetch: F) -> Result<String>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<T>>>,
    {
        let given = given.trim();
        if is_uuid(given) {
            return Ok(given.to_owned());
        }
        let entries = self.entries(fetch).await?;
        if let Some(found) = entries
            .iter()
            .find(|e| e.id() == given || e.slug() == given || e.name().eq_ignore_ascii_case(given))
        {
            return Ok(found.id().to_owned());
        }
        let known: Vec<String> = entries
            .iter()
            .map(|e| format!("{} ({})", e.slug(), e.name()))
            .collect();
        Err(Error::invalid_input(
            PROVIDER,
            T::FIELD,
            format!(
                "`{given}` is not a Nodion {what} id or slug; known {what}s: {}",
                known.join(", "),
                what = T::WHAT
            ),
        ))
    }

    async fn entries<F, Fut>(&self, fetch: F) -> Result<Arc<[T]>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<T>>>,
    {
        if let Some(entries) = lock(&self.entries).clone() {
            return Ok(entries);
        }
        let entries: Arc<[T]> = fetch().await?.into();
        *lock(&self.entries) = Some(Arc::clone(&entries));
        Ok(entries)
    }
}

impl NodionClient {
    /// A region id from an id, a slug or a name (`GET /regions`, once per client).
    pub(crate) async fn resolve_region(&self, given: &str) -> Result<String> {
        self.shared
            .regions
            .resolve(given, || async move { self.catalog().regions().await })
            .await
    }

    /// An instance type id from an id, a slug or a name (`GET /instance_types`, once per
    /// client).
    pub(crate) async fn resolve_instance_type(&self, given: &str) -> Result<String> {
        self.shared
            .instance_types
            .resolve(
                given,
                || async move { self.catalog().instance_types().await },
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(id: &str, slug: &str, name: &str) -> Region {
        serde_json::from_value(serde_json::json!({"id": id, "slug": slug, "name": name})).unwrap()
    }

    #[tokio::test]
    async fn names_resolve_once_and_unknown_names_list_the_known_ones() {
        let catalogue = Catalogue::<Region>::default();
        let fetches = std::sync::atomic::AtomicUsize::new(0);
        let fetch = || async {
            fetches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(vec![region("r-1", "euc", "EU Central")])
        };
        assert_eq!(catalogue.resolve(" euc ", fetch).await.unwrap(), "r-1");
        assert_eq!(catalogue.resolve("eu central", fetch).await.unwrap(), "r-1");
        let uuid = "5903725b-f554-4294-ab17-c992a765a001";
        assert_eq!(catalogue.resolve(uuid, fetch).await.unwrap(), uuid);
        let err = catalogue.resolve("mars", fetch).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidInput { field: Some(ref f), .. } if f == "region"),
            "{err:?}"
        );
        assert!(err.to_string().contains("euc (EU Central)"), "{err}");
        assert_eq!(fetches.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
