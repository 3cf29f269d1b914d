//! The fixed answers of the loopback server (the providers' reference examples) and the typed
//! envelopes the raw client decodes them into, so both sides of a comparison decode the same JSON
//! into the same structs.

use serde::Deserialize;

/// `GET /projects` as Nodana's reference shows it: two projects in the `data` envelope.
pub const NODANA_PROJECTS_BODY: &str = r#"{"data":[{"id":"<project-id>","userId":"<user-id>","name":"New Project 1","deleted":false,"createdAt":"2025-05-01T07:46:12.368Z","updatedAt":"2025-05-01T07:46:12.368Z"},{"id":"<project-id>","userId":"<user-id>","name":"New Project 2","deleted":false,"createdAt":"2025-05-01T07:46:12.368Z","updatedAt":"2025-05-01T07:46:12.368Z"}]}"#;

/// `GET /regions` as Nodion's authentication page shows it.
pub const NODION_REGIONS_BODY: &str = r#"{"regions":[{"id":"5903725b-f554-4294-ab17-c992a765a001","name":"EU Central","slug":"euc"},{"id":"5e4ce16b-7409-4bb4-849a-9aec0ec0c7af","name":"US East","slug":"use"}]}"#;

/// How many items each fixed answer holds; every call checks it decoded exactly these.
pub const ITEMS_PER_ANSWER: usize = 2;

/// The Nodana key the loopback server is called with (it checks nothing; the header is sent so
/// both sides do the same work).
pub const LOOPBACK_NODANA_KEY: &str = "bench-nodana-key";

/// The Nodion key the loopback server is called with.
pub const LOOPBACK_NODION_KEY: &str = "bench-nodion-key";

/// Nodana's success envelope, `{"data": T}`.
#[derive(Debug, Deserialize)]
pub struct DataEnvelope<T> {
    /// The payload.
    pub data: T,
}

/// Nodion's `{"regions": [...]}`.
#[derive(Debug, Deserialize)]
pub struct RegionsEnvelope {
    /// The regions.
    pub regions: Vec<nodal::nodion::Region>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_decode_into_the_adapters_types() {
        let projects: DataEnvelope<Vec<nodal::nodana::Project>> =
            serde_json::from_str(NODANA_PROJECTS_BODY).unwrap();
        assert_eq!(projects.data.len(), ITEMS_PER_ANSWER);
        assert_eq!(projects.data[1].name, "New Project 2");

        let regions: RegionsEnvelope = serde_json::from_str(NODION_REGIONS_BODY).unwrap();
        assert_eq!(regions.regions.len(), ITEMS_PER_ANSWER);
        assert_eq!(regions.regions[0].slug, "euc");
    }
}
