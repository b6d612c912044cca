//! Sending a planned write ([`ArmCall`]) exactly as it was reviewed, following its
//! long-running operation to the end.

use reqwest::Method;

use super::client::Request;
use super::lro::LroKind;
use super::{ArmClient, ArmError, Cancel, LroProgress, RequestContext};
use crate::model::{ArmCall, CallMethod};

/// What a write returned: the final resource, if the operation has one, and the ids of
/// the first response (`x-ms-request-id`, correlation id) for the activity log and
/// evidence.
#[derive(Clone, Debug, Default)]
pub struct CallResult {
    pub value: Option<serde_json::Value>,
    pub ctx: RequestContext,
}

impl ArmClient {
    /// Sends `call` and follows its operation: PUT and PATCH end with the resource, DELETE
    /// when it is gone, POST actions when they end. A create-only PUT (`If-None-Match: *`)
    /// is never resent blindly: after a lost answer the caller looks the resource up.
    pub async fn run_call(
        &self,
        call: &ArmCall,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<CallResult, ArmError> {
        let query: Vec<(&str, &str)> = call
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let url = self.url(&call.path, &call.api_version, &query)?;
        let (method, kind, idempotent) = match call.method {
            CallMethod::Put => (Method::PUT, LroKind::Update, !call.create_only),
            CallMethod::Patch => (Method::PATCH, LroKind::Update, true),
            CallMethod::Post => (Method::POST, LroKind::PostNoResult, false),
            CallMethod::Delete => (Method::DELETE, LroKind::Delete, true),
        };
        let request = Request {
            method,
            url,
            body: call.body.clone(),
            idempotent,
            create_only: call.create_only,
        };
        let (value, ctx) = self
            .run_lro_traced(request, kind, on_progress, cancel)
            .await?;
        Ok(CallResult { value, ctx })
    }
}
