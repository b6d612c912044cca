//! What route handlers work with: the parsed request, the reply, and the context.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, Method, StatusCode};
use serde_json::Value;

use super::clock::VirtualClock;
use super::errors::{ArmError, ArmResult};
use super::rules::Limits;
use super::state::Estate;

/// A parsed request as the route handlers see it.
#[derive(Debug)]
pub struct Req {
    pub method: Method,
    pub path: String,
    /// Path segments, percent-decoded, original case.
    pub segs: Vec<String>,
    pub query: Vec<(String, String)>,
    pub body: Bytes,
    pub headers: HeaderMap,
}

impl Req {
    /// A query parameter by case-insensitive name (`$skipToken` and `$skiptoken` alike).
    pub fn q(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> ArmResult<Value> {
        if self.body.is_empty() {
            return Err(ArmError::invalid_body(
                "The request content was invalid and could not be deserialized: the body is empty.",
            ));
        }
        let v: Value = serde_json::from_slice(&self.body).map_err(|e| {
            ArmError::invalid_body(format!(
                "The request content was invalid and could not be deserialized: '{e}'."
            ))
        })?;
        if !v.is_object() {
            return Err(ArmError::invalid_body(
                "The request content was invalid and could not be deserialized: expected a JSON object.",
            ));
        }
        Ok(v)
    }

    /// Body as JSON when present, `{}` when empty (POST actions with optional bodies).
    pub fn json_or_empty(&self) -> ArmResult<Value> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            Ok(Value::Object(Default::default()))
        } else {
            self.json()
        }
    }

    pub fn expand_has(&self, what: &str) -> bool {
        self.q("$expand")
            .or_else(|| self.q("expand"))
            .is_some_and(|e| e.split(',').any(|x| x.trim().eq_ignore_ascii_case(what)))
    }
}

/// A successful answer.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Option<Value>,
    pub headers: Vec<(HeaderName, String)>,
}

impl Reply {
    pub fn ok(body: Value) -> Self {
        Self::with(StatusCode::OK, body)
    }
    pub fn with(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            headers: Vec::new(),
        }
    }
    pub fn empty(status: StatusCode) -> Self {
        Self {
            status,
            body: None,
            headers: Vec::new(),
        }
    }
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers
            .push((HeaderName::from_static(name), value.into()));
        self
    }
}

/// What a handler gets besides the request.
pub struct Ctx<'a> {
    pub estate: &'a mut Estate,
    pub clock: &'a VirtualClock,
    pub limits: &'a Limits,
    pub now: f64,
    pub base_url: &'a str,
    pub page_size: usize,
    pub api_version: String,
    /// Set when a `failLro` fault fired: the LRO this request starts ends with it.
    pub fail_lro: Option<ArmError>,
}
