//! The four contenders, behind one trait so every section drives them the same way: raw reqwest
//! and the adapter, for Nodana (`GET /projects`) and Nodion (`GET /regions`).

use crate::error::{BenchError, BenchResult};
use crate::fixtures::{DataEnvelope, ITEMS_PER_ANSWER, RegionsEnvelope};
use crate::raw::RawClient;
use nodal::nodana::{NodanaClient, Project};
use nodal::nodion::NodionClient;
use std::future::Future;

/// Makes one call and says how many items it decoded.
pub trait Caller: Clone + Send + Sync + 'static {
    /// The contender's name, as printed.
    fn name(&self) -> &'static str;

    /// One call; the number of items decoded.
    fn call(&self) -> impl Future<Output = BenchResult<usize>> + Send;

    /// One call that must decode the fixed answer's items (the loopback server's two).
    fn call_checked(&self) -> impl Future<Output = BenchResult<()>> + Send {
        async move {
            let items = self.call().await?;
            if items == ITEMS_PER_ANSWER {
                Ok(())
            } else {
                Err(BenchError::new(format!(
                    "{} decoded {items} items instead of {ITEMS_PER_ANSWER}",
                    self.name()
                )))
            }
        }
    }
}

/// Raw reqwest, `GET /projects` into `{"data": Vec<nodal::nodana::Project>}`.
#[derive(Debug, Clone)]
pub struct RawNodana(pub RawClient);

impl Caller for RawNodana {
    fn name(&self) -> &'static str {
        "raw reqwest"
    }

    async fn call(&self) -> BenchResult<usize> {
        let answer: DataEnvelope<Vec<Project>> = self.0.get().await?;
        Ok(answer.data.len())
    }
}

/// `NodanaClient::projects().list()`.
#[derive(Debug, Clone)]
pub struct NodalNodana(pub NodanaClient);

impl Caller for NodalNodana {
    fn name(&self) -> &'static str {
        "nodal"
    }

    async fn call(&self) -> BenchResult<usize> {
        Ok(self.0.projects().list().await?.len())
    }
}

/// Raw reqwest, `GET /regions` into `{"regions": Vec<nodal::nodion::Region>}`.
#[derive(Debug, Clone)]
pub struct RawNodion(pub RawClient);

impl Caller for RawNodion {
    fn name(&self) -> &'static str {
        "raw reqwest"
    }

    async fn call(&self) -> BenchResult<usize> {
        let answer: RegionsEnvelope = self.0.get().await?;
        Ok(answer.regions.len())
    }
}

/// `NodionClient::catalog().regions()`.
#[derive(Debug, Clone)]
pub struct NodalNodion(pub NodionClient);

impl Caller for NodalNodion {
    fn name(&self) -> &'static str {
        "nodal"
    }

    async fn call(&self) -> BenchResult<usize> {
        Ok(self.0.catalog().regions().await?.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{LOOPBACK_NODANA_KEY, LOOPBACK_NODION_KEY};
    use crate::server::LoopbackServer;

    #[tokio::test]
    async fn every_contender_decodes_the_fixed_answers() {
        let server = LoopbackServer::start().await.unwrap();
        let nodana = NodanaClient::builder()
            .api_key(LOOPBACK_NODANA_KEY)
            .base_url(server.nodana_base_url())
            .build()
            .unwrap();
        let nodion = NodionClient::builder()
            .user_key(LOOPBACK_NODION_KEY)
            .base_url(server.nodion_base_url())
            .build()
            .unwrap();
        let raw_nodana = RawClient::nodana(&server.nodana_base_url(), LOOPBACK_NODANA_KEY).unwrap();
        let raw_nodion = RawClient::nodion(&server.nodion_base_url(), LOOPBACK_NODION_KEY).unwrap();

        RawNodana(raw_nodana).call_checked().await.unwrap();
        NodalNodana(nodana).call_checked().await.unwrap();
        RawNodion(raw_nodion).call_checked().await.unwrap();
        NodalNodion(nodion).call_checked().await.unwrap();
    }

    #[tokio::test]
    async fn a_wrong_item_count_is_an_error() {
        #[derive(Clone)]
        struct Three;
        impl Caller for Three {
            fn name(&self) -> &'static str {
                "three"
            }
            async fn call(&self) -> BenchResult<usize> {
                Ok(3)
            }
        }
        let err = Three.call_checked().await.unwrap_err();
        assert!(err.to_string().contains("decoded 3 items"), "{err}");
    }
}
