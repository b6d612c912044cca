//! The ARM error envelope and the errors the emulator answers with.
//!
//! Every refusal leaves through [`ArmError`], so every non-2xx answer carries the
//! `{"error":{"code","message",...}}` body that ARM clients program against.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// One ARM error as the emulator sends it (status, code, message, optional target/details).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArmError {
    /// HTTP status as a number, so the error can be persisted with a failed operation.
    pub status: u16,
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Value>,
    /// Real seconds for a `Retry-After` header (429s and some 503s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl ArmError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status: status.as_u16(),
            code: code.to_owned(),
            message: message.into(),
            target: None,
            details: Vec::new(),
            retry_after: None,
        }
    }

    pub fn with_target(mut self, target: &str) -> Self {
        self.target = Some(target.to_owned());
        self
    }

    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs.max(1));
        self
    }

    pub fn with_detail(mut self, detail: Value) -> Self {
        self.details.push(detail);
        self
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The inner `{code, message, ...}` object (also used in LRO status bodies).
    pub fn detail_json(&self) -> Value {
        let mut v = json!({ "code": self.code, "message": self.message });
        if let Some(t) = &self.target {
            v["target"] = json!(t);
        }
        if !self.details.is_empty() {
            v["details"] = json!(self.details);
        }
        v
    }

    /// The full envelope, `{"error": {...}}`.
    pub fn body(&self) -> Value {
        json!({ "error": self.detail_json() })
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_allowed(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "OperationNotAllowed", message)
    }

    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    /// 404 for a missing resource, worded as ARM words it.
    pub fn resource_not_found(kind: &str, name: &str, rg: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            format!(
                "The Resource '{kind}/{name}' under resource group '{rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
            ),
        )
    }

    pub fn group_not_found(rg: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ResourceGroupNotFound",
            format!("Resource group '{rg}' could not be found."),
        )
    }

    pub fn subscription_not_found(sub: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "SubscriptionNotFound",
            format!("The subscription '{sub}' could not be found."),
        )
    }

    pub fn invalid_body(message: impl Into<String>) -> Self {
        Self::bad_request("InvalidRequestContent", message)
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "The requested resource does not support the HTTP method used.",
        )
    }

    pub fn no_route(path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "InvalidResourceType",
            format!("The resource type could not be found for the path '{path}'."),
        )
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            message,
        )
    }
}

impl std::fmt::Display for ArmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

/// Result of a route handler.
pub type ArmResult<T> = Result<T, ArmError>;
