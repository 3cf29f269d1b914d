//! Built URLs of fixed-path requests (no placeholders, no query), kept per client.
//!
//! Building a URL from the base and a template costs about as much as the rest of the client's
//! own work per call (the `url` crate re-parses each pushed segment). A template without
//! placeholders and without query always gives the same URL for a client, so it is built once.

use super::request::Request;
use crate::error::Error;
use std::sync::OnceLock;
use url::Url;

/// More distinct fixed templates than any adapter has; past it, URLs are built every time.
const MAX_ENTRIES: usize = 32;

/// The cache; one per client, shared by its clones. Slots are filled once and never change, so
/// a lookup is a few atomic loads: concurrent callers never contend on a lock.
pub(crate) struct UrlCache {
    slots: [OnceLock<(&'static str, Url)>; MAX_ENTRIES],
}

impl Default for UrlCache {
    fn default() -> Self {
        UrlCache {
            slots: std::array::from_fn(|_| OnceLock::new()),
        }
    }
}

impl UrlCache {
    /// The URL of `request` on `base`: from the cache for a fixed path, else built.
    pub(crate) fn url_for(
        &self,
        request: &Request,
        base: &Url,
        provider: &'static str,
    ) -> Result<Url, Error> {
        if !request.has_fixed_url() {
            return request.url(base, provider);
        }
        let template = request.template();
        for slot in &self.slots {
            match slot.get() {
                Some((t, url)) if *t == template => return Ok(url.clone()),
                Some(_) => continue,
                None => break,
            }
        }
        let url = request.url(base, provider)?;
        for slot in &self.slots {
            // Another caller may fill this slot first; then look at what it put there.
            if slot.get().is_none() {
                let _ = slot.set((template, url.clone()));
            }
            if slot.get().is_some_and(|(t, _)| *t == template) {
                break;
            }
        }
        Ok(url)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots
            .iter()
            .filter(|slot| slot.get().is_some())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::endpoint::Endpoint;

    fn base() -> Url {
        Url::parse("https://api.example.com/v1").unwrap()
    }

    #[test]
    fn fixed_paths_are_built_once_and_equal_a_fresh_build() {
        let cache = UrlCache::default();
        let request = Endpoint::get("/projects").request();
        let first = cache.url_for(&request, &base(), "t").unwrap();
        let second = cache.url_for(&request, &base(), "t").unwrap();
        assert_eq!(first, request.url(&base(), "t").unwrap());
        assert_eq!(first, second);
        assert_eq!(first.as_str(), "https://api.example.com/v1/projects");
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn parameters_and_queries_are_never_cached() {
        let cache = UrlCache::default();
        let a = cache
            .url_for(
                &Endpoint::get("/apps/{app_id}").request().param("a"),
                &base(),
                "t",
            )
            .unwrap();
        let b = cache
            .url_for(
                &Endpoint::get("/apps/{app_id}").request().param("b"),
                &base(),
                "t",
            )
            .unwrap();
        assert_eq!(a.path(), "/v1/apps/a");
        assert_eq!(b.path(), "/v1/apps/b");
        let q = cache
            .url_for(
                &Endpoint::get("/logs").request().query("limit", 5),
                &base(),
                "t",
            )
            .unwrap();
        assert_eq!(q.query(), Some("limit=5"));
        let plain = cache
            .url_for(&Endpoint::get("/logs").request(), &base(), "t")
            .unwrap();
        assert_eq!(plain.query(), None);
        assert_eq!(cache.len(), 1, "only the plain /logs is cached");
    }

    #[test]
    fn errors_are_not_cached() {
        let cache = UrlCache::default();
        // A placeholder without a value is an adapter bug reported every time.
        for _ in 0..2 {
            assert!(
                cache
                    .url_for(&Endpoint::get("/apps/{app_id}").request(), &base(), "t")
                    .is_err()
            );
        }
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn the_cache_is_bounded() {
        let cache = UrlCache::default();
        let templates: Vec<&'static str> = (0..MAX_ENTRIES + 5)
            .map(|i| &*Box::leak(format!("/t{i}").into_boxed_str()))
            .collect();
        for template in &templates {
            let url = cache
                .url_for(&Endpoint::get(template).request(), &base(), "t")
                .unwrap();
            assert_eq!(url.path(), format!("/v1{template}"));
        }
        assert_eq!(cache.len(), MAX_ENTRIES);
    }
}
