//! Long-running operations, as ARM's async operations contract describes them:
//! `Azure-AsyncOperation`, then `Location`, then the resource's `provisioningState`; waits
//! follow `Retry-After`; polling URLs are opaque; PUT and PATCH end with a GET of the
//! resource.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use tokio::sync::Notify;
use url::Url;

use super::client::{Request, Response};
use super::retry::retry_after;
use super::{ArmClient, ArmError, RequestContext};
use crate::model::{AsyncOperationStatus, ProvisioningState};

/// Cancels waiting on an operation. Azure may still finish it; the caller stops following.
#[derive(Clone, Debug, Default)]
pub struct Cancel {
    flag: Arc<AtomicBool>,
    notify: Arc<Notify>,
}

impl Cancel {
    /// A fresh, not-cancelled token.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels; every waiter wakes.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Whether `cancel` was called.
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Returns once `cancel` is called (at once if it was).
    pub async fn cancelled(&self) {
        let notified = self.notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if self.is_cancelled() {
            return;
        }
        notified.await;
    }

    /// Waits `d`, or until cancelled (then `Err(Cancelled)`).
    pub async fn sleep(&self, d: Duration) -> Result<(), ArmError> {
        // Register as a waiter before checking the flag, so a cancel in between is seen.
        let notified = self.notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if self.is_cancelled() {
            return Err(ArmError::Cancelled);
        }
        tokio::select! {
            () = tokio::time::sleep(d) => Ok(()),
            () = notified => Err(ArmError::Cancelled),
        }
    }
}

/// What a long-running operation is doing, reported after each poll.
#[derive(Clone, Debug, PartialEq)]
pub struct LroProgress {
    /// `InProgress`, `Creating`, `Succeeded`…
    pub status: String,
    pub percent_complete: Option<f64>,
    pub elapsed: Duration,
    pub polls: u32,
}

/// The kind of initial request, which decides the final step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LroKind {
    /// PUT/PATCH: finish with a GET of the resource.
    Update,
    /// DELETE: done when the operation ends or the resource is gone.
    Delete,
    /// POST with `final-state-via: location`: the result is the Location body.
    PostLocation,
    /// POST with no result (deallocate, start).
    PostNoResult,
}

enum Poll {
    AsyncOperation(Url),
    Location(Url),
    Resource,
}

impl ArmClient {
    /// Sends the initial request and follows the operation to its end.
    pub(crate) async fn run_lro(
        &self,
        request: Request,
        kind: LroKind,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<Option<serde_json::Value>, ArmError> {
        self.run_lro_traced(request, kind, on_progress, cancel)
            .await
            .map(|(value, _)| value)
    }

    /// [`Self::run_lro`], also returning the initial response's request and correlation
    /// ids (what a change ticket cites).
    pub(crate) async fn run_lro_traced(
        &self,
        request: Request,
        kind: LroKind,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<(Option<serde_json::Value>, RequestContext), ArmError> {
        let first = self.send(request.clone()).await?;
        let ctx = first.ctx.clone();
        self.follow_lro(request.url, first, kind, on_progress, cancel)
            .await
            .map(|value| (value, ctx))
    }

    async fn follow_lro(
        &self,
        resource_url: Url,
        first: Response,
        kind: LroKind,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<Option<serde_json::Value>, ArmError> {
        let started = Instant::now();
        let mut polls = 0u32;
        let report = |status: &str, percent: Option<f64>, polls: u32| {
            on_progress(LroProgress {
                status: status.to_owned(),
                percent_complete: percent,
                elapsed: started.elapsed(),
                polls,
            })
        };

        // For POSTs whose result lives at `Location` (final-state-via: location), that URL is
        // read once the operation ends, even if progress came from Azure-AsyncOperation.
        let final_location = match first.header("location") {
            Some(link) if kind == LroKind::PostLocation => Some(self.follow_url(&link)?),
            _ => None,
        };
        let mut mode = if let Some(link) = first.header("azure-asyncoperation") {
            Poll::AsyncOperation(self.follow_url(&link)?)
        } else if let Some(link) = first
            .header("location")
            .filter(|_| first.status == StatusCode::ACCEPTED || kind != LroKind::Update)
        {
            Poll::Location(self.follow_url(&link)?)
        } else {
            // No header: the body (or its absence) tells.
            let state = provisioning_state(&first);
            match (kind, state) {
                (LroKind::Update, Some(s)) if !s.is_terminal() => Poll::Resource,
                (
                    LroKind::Update,
                    Some(ProvisioningState::Failed | ProvisioningState::Canceled),
                ) => {
                    return Err(failed_from_resource(&first));
                }
                (LroKind::Delete, _) if first.status == StatusCode::ACCEPTED => Poll::Resource,
                _ => {
                    report("Succeeded", Some(100.0), 0);
                    return Ok(body_value(&first));
                }
            }
        };
        report("InProgress", None, 0);
        let mut wait = self.poll_wait(&first);

        let location_result = loop {
            cancel.sleep(wait).await?;
            polls += 1;
            match &mut mode {
                Poll::AsyncOperation(url) => {
                    let resp = self.poll_get(url.clone()).await?;
                    let status: AsyncOperationStatus = resp.json()?;
                    report(status.status.as_str(), status.percent_complete, polls);
                    match status.status {
                        ProvisioningState::Succeeded => break None,
                        ProvisioningState::Failed | ProvisioningState::Canceled => {
                            let err = status.error.unwrap_or_default();
                            return Err(ArmError::OperationFailed {
                                status: status.status.to_string(),
                                code: if err.code.is_empty() {
                                    "OperationFailed".into()
                                } else {
                                    err.code
                                },
                                message: err.message,
                                details: err.details,
                                ctx: resp.ctx,
                            });
                        }
                        _ => wait = self.poll_wait(&resp),
                    }
                }
                Poll::Location(url) => {
                    let resp = self.poll_get(url.clone()).await?;
                    if resp.status == StatusCode::ACCEPTED {
                        if let Some(next) = resp.header("location") {
                            *url = self.follow_url(&next)?;
                        }
                        report("InProgress", None, polls);
                        wait = self.poll_wait(&resp);
                    } else {
                        report("Succeeded", Some(100.0), polls);
                        break Some(body_value(&resp));
                    }
                }
                Poll::Resource => {
                    let outcome = self.poll_get(resource_url.clone()).await;
                    match (kind, outcome) {
                        (LroKind::Delete, Err(e)) if e.is_not_found() => {
                            report("Succeeded", Some(100.0), polls);
                            return Ok(None);
                        }
                        (_, Err(e)) => return Err(e),
                        (_, Ok(resp)) => {
                            let state =
                                provisioning_state(&resp).unwrap_or(ProvisioningState::Succeeded);
                            report(state.as_str(), None, polls);
                            match state {
                                ProvisioningState::Succeeded if kind != LroKind::Delete => {
                                    return Ok(body_value(&resp));
                                }
                                ProvisioningState::Failed | ProvisioningState::Canceled => {
                                    return Err(failed_from_resource(&resp));
                                }
                                _ => wait = self.poll_wait(&resp),
                            }
                        }
                    }
                }
            }
        };

        match kind {
            LroKind::Update => {
                let resp = self.poll_get(resource_url).await?;
                Ok(body_value(&resp))
            }
            LroKind::PostLocation => match (location_result, final_location) {
                (Some(body), _) => Ok(body),
                (None, Some(url)) => Ok(body_value(&self.poll_get(url).await?)),
                (None, None) => Ok(None),
            },
            LroKind::Delete | LroKind::PostNoResult => Ok(None),
        }
    }

    async fn poll_get(&self, url: Url) -> Result<Response, ArmError> {
        self.send(Request {
            method: Method::GET,
            url,
            body: None,
            idempotent: true,
            create_only: false,
        })
        .await
    }

    fn poll_wait(&self, resp: &Response) -> Duration {
        let opts = self.options();
        retry_after(&resp.headers)
            .unwrap_or(opts.default_poll_interval)
            .min(opts.max_poll_interval)
    }
}

fn body_value(resp: &Response) -> Option<serde_json::Value> {
    if resp.body.is_empty() {
        return None;
    }
    serde_json::from_slice(&resp.body).ok()
}

fn provisioning_state(resp: &Response) -> Option<ProvisioningState> {
    let v = body_value(resp)?;
    let s = v.get("properties")?.get("provisioningState")?.as_str()?;
    Some(ProvisioningState::parse(s))
}

fn failed_from_resource(resp: &Response) -> ArmError {
    let state = provisioning_state(resp).unwrap_or(ProvisioningState::Failed);
    ArmError::OperationFailed {
        status: state.to_string(),
        code: "ProvisioningFailed".into(),
        message: format!("the resource ended in provisioning state {state}"),
        details: Vec::new(),
        ctx: resp.ctx.clone(),
    }
}
