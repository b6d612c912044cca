//! ARM envelopes: list pages, the error body (both shapes), async operation status.

use serde::{Deserialize, Serialize};

use super::ProvisioningState;

/// One page of a list: `{ "value": [...], "nextLink": "..." }`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
}

/// One ARM error: code, message, target, nested details.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmErrorDetail {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ArmErrorDetail>,
}

/// The ARM error envelope: `{"error":{...}}`, or the unwrapped `{code, message}` shape
/// that Compute's throttling documentation shows. Parse with [`ArmErrorBody::parse`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct ArmErrorBody {
    pub error: ArmErrorDetail,
}

impl ArmErrorBody {
    /// Reads either shape; `None` when the bytes are not an ARM error at all.
    pub fn parse(bytes: &[u8]) -> Option<ArmErrorDetail> {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        let inner = value.get("error").unwrap_or(&value);
        let detail: ArmErrorDetail = serde_json::from_value(inner.clone()).ok()?;
        (!detail.code.is_empty() || !detail.message.is_empty()).then_some(detail)
    }

    /// A wrapped error body, as ARM sends it.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error: ArmErrorDetail {
                code: code.into(),
                message: message.into(),
                ..Default::default()
            },
        }
    }
}

/// The body of an `Azure-AsyncOperation` status resource.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AsyncOperationStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub status: ProvisioningState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_complete: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ArmErrorDetail>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_parses_wrapped_and_unwrapped() {
        let wrapped = br#"{"error":{"code":"ResourceNotFound","message":"gone"}}"#;
        assert_eq!(
            ArmErrorBody::parse(wrapped).unwrap().code,
            "ResourceNotFound"
        );
        let bare = br#"{"code":"OperationNotAllowed","message":"too many","details":[{"code":"TooManyRequests","target":"HighCostGet30Min","message":"{}"}]}"#;
        let d = ArmErrorBody::parse(bare).unwrap();
        assert_eq!(d.code, "OperationNotAllowed");
        assert_eq!(d.details[0].target.as_deref(), Some("HighCostGet30Min"));
        assert!(ArmErrorBody::parse(b"<html>502 Bad Gateway</html>").is_none());
        assert!(ArmErrorBody::parse(b"{}").is_none());
    }

    #[test]
    fn empty_page_with_next_link_is_legal() {
        let p: Page<serde_json::Value> =
            serde_json::from_str(r#"{"value":[],"nextLink":"https://x/y?$skiptoken=1"}"#).unwrap();
        assert!(p.value.is_empty());
        assert!(p.next_link.is_some());
    }
}
