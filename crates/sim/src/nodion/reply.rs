//! Nodion's answers: resources wrapped in a key named after them, errors as in the wire contract.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A refused request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// 400 `{"errors": [...]}`: the body is not a JSON object, or a field is invalid (Nodion
    /// answers validation errors 400, never 422: public client nrdcg/nodion fixtures).
    BadRequest(Vec<String>),
    Unauthorized,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    TooManyRequests {
        retry_after_secs: u64,
    },
}

impl Failure {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::BadRequest(vec![message.into()])
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    pub(crate) fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            Self::BadRequest(errors) => json!({ "errors": errors }),
            Self::Unauthorized => json!({"status": 401, "error": "Unauthorized"}),
            Self::Forbidden => json!({"status": 403, "error": "Forbidden"}),
            Self::NotFound => json!({"status": 404, "error": "Not Found"}),
            Self::PayloadTooLarge => json!({"status": 413, "error": "Payload Too Large"}),
            Self::TooManyRequests { .. } => json!({"status": 429, "error": "Too Many Requests"}),
        };
        let mut response = (status, Json(body)).into_response();
        if let Self::TooManyRequests { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: Option<Value>,
}

pub(crate) type Answer = Result<Reply, Failure>;

impl Reply {
    /// 200 `{"<key>": value}`.
    pub(crate) fn ok(key: &str, value: Value) -> Answer {
        Ok(Self {
            status: StatusCode::OK,
            body: Some(wrap(key, value)),
        })
    }

    /// 200 `{"deleted": true}`: the answer of every DELETE. Sourced for DNS zones and records
    /// (public client nrdcg/nodion fixtures/delete-dns-zone.json); for every other DELETE the
    /// reference shows no answer and the twin reuses this one (INFERRED, docs/wire-contract.md).
    pub(crate) fn deleted() -> Answer {
        Ok(Self {
            status: StatusCode::OK,
            body: Some(json!({ "deleted": true })),
        })
    }

    pub(crate) fn into_response(self) -> Response {
        match self.body {
            Some(body) => (self.status, Json(body)).into_response(),
            None => self.status.into_response(),
        }
    }
}

fn wrap(key: &str, value: Value) -> Value {
    let mut map = serde_json::Map::new();
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

/// The quota answer: 429, `Retry-After` in seconds, the contract's body.
pub(crate) fn too_many_requests(retry_after_secs: u64) -> Response {
    Failure::TooManyRequests { retry_after_secs }.into_response()
}

/// A realistic answer, for the truncated-JSON fault to cut in half.
pub(crate) fn sample_answer() -> String {
    json!({"applications": [{
        "id": "0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10",
        "name": "web-shop",
        "status": "online",
        "state": "default",
        "instance_amount": 1,
        "region": {"id": "5903725b-f554-4294-ab17-c992a765a001", "name": "EU Central", "slug": "euc"},
        "created_at": "2025-05-24T08:07:10.509Z",
        "updated_at": "2025-05-24T08:07:10.509Z"
    }]})
    .to_string()
}
