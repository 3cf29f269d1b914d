//! A minimal loopback HTTP server answering the fixed JSON bodies at once, so the figures measure
//! the clients, not a server.

use crate::fixtures::{NODANA_PROJECTS_BODY, NODION_REGIONS_BODY};
use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::serve::ListenerExt as _;
use std::net::{Ipv4Addr, SocketAddr};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The server; it stops when dropped.
#[derive(Debug)]
pub struct LoopbackServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl LoopbackServer {
    /// Binds `127.0.0.1:0` and serves on the current tokio runtime:
    /// `GET /nodana/v1/projects` and `GET /nodion/v1/regions`.
    pub async fn start() -> std::io::Result<LoopbackServer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        // Small answers go out in one write either way; no Nagle delay on any socket.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let app = Router::new()
            .route("/nodana/v1/projects", get(nodana_projects))
            .route("/nodion/v1/regions", get(nodion_regions));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(LoopbackServer { addr, task })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Base URL of the Nodana answers, `http://127.0.0.1:PORT/nodana/v1`.
    pub fn nodana_base_url(&self) -> String {
        format!("http://{}/nodana/v1", self.addr)
    }

    /// Base URL of the Nodion answers, `http://127.0.0.1:PORT/nodion/v1`.
    pub fn nodion_base_url(&self) -> String {
        format!("http://{}/nodion/v1", self.addr)
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn nodana_projects() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], NODANA_PROJECTS_BODY)
}

async fn nodion_regions() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], NODION_REGIONS_BODY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn answers_the_fixed_bodies_on_loopback() {
        let server = LoopbackServer::start().await.unwrap();
        assert!(server.addr().ip().is_loopback());
        let http = reqwest::Client::new();
        let body = http
            .get(format!("{}/projects", server.nodana_base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(body.headers()[CONTENT_TYPE.as_str()], "application/json");
        assert_eq!(body.text().await.unwrap(), NODANA_PROJECTS_BODY);
        let regions = http
            .get(format!("{}/regions", server.nodion_base_url()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(regions, NODION_REGIONS_BODY);
    }
}
