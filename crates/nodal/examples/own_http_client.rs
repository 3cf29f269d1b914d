//! Bring your own HTTP client: a corporate proxy and a private root certificate.
//!
//! ```sh
//! export NODANA_API_KEY=...
//! export CORP_PROXY=http://proxy.corp.example:3128
//! export CORP_ROOT_CA=/etc/ssl/corp-root.pem
//! cargo run -p nodal --example own_http_client
//! ```
//!
//! nodal still authenticates each request, keeps to the rate limit, retries only when safe,
//! caps answer sizes and refuses redirect answers; the client below decides the proxy, the
//! trusted roots and the connect timeout. Without a client of your own, nodal's client already
//! honours the standard `HTTPS_PROXY` / `NO_PROXY` variables (except for loopback hosts).

use nodal::nodana::NodanaClient;
use nodal::reqwest;
use nodal::{Projects, Provider};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        // Keep redirects off, as nodal's own client does: an API answer never needs one.
        .redirect(reqwest::redirect::Policy::none());
    if let Ok(proxy) = std::env::var("CORP_PROXY") {
        http = http.proxy(reqwest::Proxy::https(&proxy)?);
    }
    if let Ok(path) = std::env::var("CORP_ROOT_CA") {
        let pem = std::fs::read(path)?;
        http = http.add_root_certificate(reqwest::Certificate::from_pem(&pem)?);
    }

    let client = NodanaClient::builder()
        .http_client(http.build()?)
        .api_key(std::env::var("NODANA_API_KEY")?)
        .build()?;
    for project in client.list_projects().await? {
        println!("{} {}", project.id, project.name);
    }
    println!(
        "{} can list projects: {}",
        client.name(),
        client.capabilities().list_projects
    );
    Ok(())
}
