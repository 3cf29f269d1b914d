//! Plain-reqwest helpers shared by the modules (deliberately not our adapters, so the twin is
//! checked independently of them).

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use nodal_sim::Sim;
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

pub(crate) fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// Standard base64, for hand-made `Authorization` headers.
pub(crate) fn base64(text: &str) -> String {
    STANDARD.encode(text)
}

/// `Basic base64(":" + key)`.
pub(crate) fn basic(key: &str) -> String {
    format!("Basic {}", base64(&format!(":{key}")))
}

/// A sim whose Nodana rate limit is off and whose lifecycles are short, for tests that are
/// about something else.
pub(crate) async fn fast_sim() -> Sim {
    Sim::builder()
        .nodana_min_interval(Duration::ZERO)
        .nodana_start_delay(Duration::from_millis(300))
        .nodion_deploy_delay(Duration::from_millis(300))
        .start()
        .await
        .unwrap()
}

/// A Nodana caller with one key.
pub(crate) struct Nodana {
    pub(crate) client: Client,
    pub(crate) base: String,
    pub(crate) key: String,
}

impl Nodana {
    pub(crate) fn new(sim: &Sim) -> Self {
        Self::with_key(sim, &sim.nodana_key())
    }

    pub(crate) fn with_key(sim: &Sim, key: &str) -> Self {
        Self {
            client: client(),
            base: sim.nodana_base_url(),
            key: key.to_owned(),
        }
    }

    /// Sends a request and returns the JSON payload, asserting the envelope rules: HTTP 200 and
    /// exactly one of `data` and `error`.
    pub(crate) async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", basic(&self.key));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "Nodana answers 200");
        let payload: Value = response.json().await.unwrap();
        assert_ne!(
            payload.get("data").is_some(),
            payload.get("error").is_some(),
            "exactly one of data and error: {payload}"
        );
        payload
    }

    pub(crate) async fn get(&self, path: &str) -> Value {
        self.call(Method::GET, path, None).await
    }

    pub(crate) async fn post(&self, path: &str, body: Option<Value>) -> Value {
        self.call(Method::POST, path, body).await
    }

    /// `data` of a successful call.
    pub(crate) async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let payload = self.call(method, path, body).await;
        payload
            .get("data")
            .cloned()
            .unwrap_or_else(|| panic!("expected data: {payload}"))
    }
}

/// Sends a request with the sim's Nodana key and returns the answer unchecked (faults may break
/// the envelope or the connection).
pub(crate) async fn raw_nodana(
    sim: &Sim,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Result<reqwest::Response> {
    let mut request = client()
        .request(method, format!("{}{path}", sim.nodana_base_url()))
        .header("Authorization", basic(&sim.nodana_key()));
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await
}

/// Asserts a Nodana error payload and returns its message.
pub(crate) fn nodana_error(payload: &Value, name: &str, code: u16) -> String {
    assert_eq!(payload["error"], name, "{payload}");
    assert_eq!(payload["statusCode"], code, "{payload}");
    payload["message"].as_str().unwrap().to_owned()
}

/// Nodion's 401 body.
pub(crate) fn nodion_unauthorized() -> Value {
    serde_json::json!({"status": 401, "error": "Unauthorized"})
}

/// Nodion's 403 body.
pub(crate) fn nodion_forbidden() -> Value {
    serde_json::json!({"status": 403, "error": "Forbidden"})
}

/// A Nodion answer.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Value,
}

/// A Nodion caller.
pub(crate) struct Nodion {
    pub(crate) client: Client,
    pub(crate) base: String,
}

impl Nodion {
    pub(crate) fn new(sim: &Sim) -> Self {
        Self {
            client: client(),
            base: sim.nodion_base_url(),
        }
    }

    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        key: &str,
        project: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(key);
        if let Some(project) = project {
            request = request.header("X-Nodion-Project", project);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            // A non-JSON body (e.g. an injected 502 page) is kept as a string.
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    pub(crate) async fn get(&self, path: &str, key: &str) -> Answer {
        self.call(Method::GET, path, key, None, None).await
    }

    /// Creates a prebuilt-image app in the key's default (or the given) project; returns it.
    pub(crate) async fn create_app(&self, key: &str, project: Option<&str>, name: &str) -> Value {
        let answer = self
            .call(
                Method::POST,
                "/applications",
                key,
                project,
                Some(app_body(name)),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        answer.body["application"].clone()
    }

    /// Triggers a deployment of `app` (creating an app does not deploy it); returns it.
    pub(crate) async fn deploy(&self, key: &str, app: &str) -> Value {
        let answer = self
            .call(
                Method::POST,
                &format!("/applications/{app}/deployments"),
                key,
                None,
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        answer.body["deployment"].clone()
    }

    /// Creates an app and triggers its first deployment; returns the app's id.
    pub(crate) async fn create_deployed_app_id(&self, key: &str, name: &str) -> String {
        let id = self.create_app_id(key, None, name).await;
        self.deploy(key, &id).await;
        id
    }

    /// [`Nodion::create_app`], returning only the new app's id.
    pub(crate) async fn create_app_id(
        &self,
        key: &str,
        project: Option<&str>,
        name: &str,
    ) -> String {
        let app = self.create_app(key, project, name).await;
        app["id"].as_str().unwrap().to_owned()
    }
}

pub(crate) const EU_CENTRAL: &str = "5903725b-f554-4294-ab17-c992a765a001";

/// A valid prebuilt-image app body.
pub(crate) fn app_body(name: &str) -> Value {
    serde_json::json!({
        "name": name,
        "region_id": EU_CENTRAL,
        "instance_type_id": "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a51",
        "instance_amount": 1,
        "image_name": "nginx",
        "image_tag": "1.27",
    })
}

/// Polls `check` every 50 ms until it returns true or `limit` passes.
pub(crate) async fn eventually<F, Fut>(limit: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}
