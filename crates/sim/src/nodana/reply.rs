//! Nodana's envelope: every answer is HTTP 200 with either `{"data": ...}` or
//! `{"message", "error", "statusCode"}`.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The error names of the wire contract (plus `PayloadTooLargeError`, the name body parsers
/// conventionally give an over-long body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PayloadTooLarge,
    TooManyRequests,
}

impl ErrorKind {
    fn name(self) -> &'static str {
        match self {
            Self::BadRequest => "BadRequestError",
            Self::Unauthorized => "UnauthorizedError",
            Self::Forbidden => "ForbiddenError",
            Self::NotFound => "NotFoundError",
            Self::Conflict => "ConflictError",
            Self::PayloadTooLarge => "PayloadTooLargeError",
            Self::TooManyRequests => "TooManyRequestsError",
        }
    }

    pub(crate) fn status_code(self) -> u16 {
        match self {
            Self::BadRequest => 400,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict => 409,
            Self::PayloadTooLarge => 413,
            Self::TooManyRequests => 429,
        }
    }
}

/// A failed request: answered HTTP 200 with the error payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) kind: ErrorKind,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    /// The reference's own example error, verbatim: `{"message": "Request is forbidden",
    /// "error": "ForbiddenError", "statusCode": 403}`. The twin answers it for ids that exist
    /// but belong to another account (key).
    pub(crate) fn forbidden() -> Self {
        Self::new(ErrorKind::Forbidden, "Request is forbidden")
    }

    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }

    pub(crate) fn unauthorized() -> Self {
        Self::new(
            ErrorKind::Unauthorized,
            "Unauthorized: send the API key as the password of Basic auth with an empty user name",
        )
    }

    pub(crate) fn too_many_requests() -> Self {
        Self::new(ErrorKind::TooManyRequests, "Too many requests")
    }

    pub(crate) fn into_response(self) -> Response {
        Json(json!({
            "message": self.message,
            "error": self.kind.name(),
            "statusCode": self.kind.status_code(),
        }))
        .into_response()
    }
}

pub(crate) fn data(value: Value) -> Response {
    let mut envelope = serde_json::Map::new();
    envelope.insert("data".to_owned(), value);
    Json(Value::Object(envelope)).into_response()
}

/// The rate-limit answer of the wire contract.
pub(crate) fn too_many_requests() -> Response {
    ApiError::too_many_requests().into_response()
}

/// A realistic answer, for the truncated-JSON fault to cut in half.
pub(crate) fn sample_answer() -> String {
    json!({"data": [{
        "id": "app-3f9c2a1b7d4e",
        "userId": "usr-9a8b7c6d5e4f",
        "projectId": "prj-1a2b3c4d5e6f",
        "template": "phoenixd",
        "rate": 0.000233,
        "url": "https://phoenixd-ad4f.nodana.app:8080",
        "status": "available",
        "createdAt": "2025-05-24T08:07:10.509Z",
        "updatedAt": "2025-05-24T08:07:10.509Z"
    }]})
    .to_string()
}
