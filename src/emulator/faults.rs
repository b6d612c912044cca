//! Fault injection: rules added through `POST /_emulator/faults` that make matching
//! requests slow, throttled, failing, cut off, malformed, lose their next-page link, or
//! that make the next long-running operations end `Failed`.

use rand::Rng;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultKind {
    /// Adds `latencyMs` before the request is handled.
    Latency,
    /// 429 with `Retry-After` (`retryAfter` real seconds, default 5).
    #[serde(alias = "429")]
    Throttle,
    /// 500 InternalServerError.
    #[serde(alias = "500")]
    ServerError,
    /// 503 ServiceUnavailable with `Retry-After`.
    #[serde(alias = "503")]
    Unavailable,
    /// Response headers, then the connection is cut mid-body.
    #[serde(alias = "dropConnection")]
    Drop,
    /// 200 with a truncated JSON body.
    #[serde(alias = "malformedBody")]
    Malformed,
    /// The request is accepted, but the long-running operation it starts ends `Failed`.
    #[serde(alias = "failingLro")]
    FailLro,
    /// A list page comes back without its link to the next page (`nextLink`, or the
    /// Retail Prices `NextPageLink`), though more items remain: the Retail Prices API has
    /// been seen doing this.
    #[serde(alias = "emptyNextPageLink")]
    EmptyNextLink,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultSpec {
    pub kind: FaultKind,
    /// Case-insensitive substring of the request path (e.g. a subscription id); empty = all.
    #[serde(default)]
    pub path_contains: String,
    /// HTTP method to match (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// Probability (0..=1) that a matching request is hit; default 1.
    #[serde(default)]
    pub rate: Option<f64>,
    /// How many hits before the rule retires itself; unlimited when absent.
    #[serde(default)]
    pub count: Option<u64>,
    #[serde(default)]
    pub latency_ms: Option<u64>,
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// Error code used by `failLro` (default `InternalOperationError`).
    #[serde(default)]
    pub code: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub id: u64,
    #[serde(flatten)]
    pub spec: FaultSpec,
    pub hits: u64,
}

#[derive(Debug, Default)]
pub struct Faults {
    next_id: u64,
    pub rules: Vec<Fault>,
}

impl Faults {
    pub fn add(&mut self, spec: FaultSpec) -> u64 {
        self.next_id += 1;
        self.rules.push(Fault {
            id: self.next_id,
            spec,
            hits: 0,
        });
        self.next_id
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// Faults that fire for this request (each rule rolls its own rate; spent rules go).
    pub fn fire(&mut self, method: &str, path: &str) -> Vec<FaultSpec> {
        let path_lower = path.to_ascii_lowercase();
        let mut rng = rand::rng();
        let mut fired = Vec::new();
        for rule in &mut self.rules {
            let s = &rule.spec;
            if !path_lower.contains(&s.path_contains.to_ascii_lowercase()) {
                continue;
            }
            if s.method
                .as_ref()
                .is_some_and(|m| !m.eq_ignore_ascii_case(method))
            {
                continue;
            }
            if s.count.is_some_and(|c| rule.hits >= c) {
                continue;
            }
            let rate = s.rate.unwrap_or(1.0);
            if rate < 1.0 && !rng.random_bool(rate.clamp(0.0, 1.0)) {
                continue;
            }
            rule.hits += 1;
            fired.push(s.clone());
        }
        self.rules
            .retain(|r| r.spec.count.is_none_or(|c| r.hits < c));
        fired
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_fault_retires_after_its_hits() {
        let mut f = Faults::default();
        f.add(FaultSpec {
            kind: FaultKind::ServerError,
            path_contains: "ABC".into(),
            method: None,
            rate: None,
            count: Some(2),
            latency_ms: None,
            retry_after: None,
            code: None,
        });
        assert!(f.fire("GET", "/x/abc").len() == 1);
        assert!(f.fire("GET", "/x/other").is_empty());
        assert!(f.fire("GET", "/x/abc").len() == 1);
        assert!(f.fire("GET", "/x/abc").is_empty());
        assert!(f.rules.is_empty());
    }
}
