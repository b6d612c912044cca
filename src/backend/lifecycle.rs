//! Deletes, clean-ups and label mirroring, as operations (activity entry, progress,
//! Cancel). A delete sends its plan's calls exactly as the dialog showed them; a refusal
//! for an active SAS is recorded so the dialog can offer to revoke access first, and the
//! leak finder can list it. A clean-up deletes with a few deletes in flight (the client
//! paces them within ARM's delete budget); Cancel stops starting new ones and lets the
//! ones in flight finish. The tree loses what was deleted at once, without a reload.

use std::collections::BTreeMap;

use tokio::task::JoinSet;

use super::runner::status_of;
use super::{Backend, BackendEvent, error_info};
use crate::activity::{ActivityId, ActivityStatus};
use crate::arm::{ArmClient, ArmError, Cancel};
use crate::inventory::{ErrorInfo, InventoryEvent};
use crate::lifecycle::{
    DeletePlan, DeleteTarget, Outcome, PointLabel, SAS_REFUSAL_CODE, mirrored_tags,
};
use crate::model::{ArmCall, ResourceId, Timestamp, api_versions};

/// Deletes of one clean-up in flight at once.
pub const CLEANUP_CONCURRENCY: usize = 4;

/// What a delete, a clean-up or a tag mirror tells the UI beyond the activity log.
#[derive(Clone, Debug, PartialEq)]
pub enum LifecycleEvent {
    /// A delete ended.
    DeleteEnded {
        plan: DeletePlan,
        outcome: DeleteOutcome,
    },
    /// Clean-up `token` runs as activity `activity` (its Cancel stops it).
    CleanupStarted { token: u64, activity: ActivityId },
    /// One point of clean-up `token` is done.
    CleanupPoint {
        token: u64,
        point_id: ResourceId,
        outcome: Outcome,
    },
    /// Clean-up `token` ended (`cancelled`: stopped before the end).
    CleanupEnded { token: u64, cancelled: bool },
}

/// How a delete ended.
#[derive(Clone, Debug, PartialEq)]
pub enum DeleteOutcome {
    Deleted,
    /// Azure refused: a disk restore point has an active SAS (its message).
    RefusedForSas(String),
    Failed(ErrorInfo),
    Cancelled,
}

impl Backend {
    /// Runs a delete plan: revokes first if it says so, then deletes.
    pub fn delete(&self, plan: DeletePlan) {
        let this = self.clone();
        self.spawn(async move {
            let mut calls = plan.calls();
            let Some(delete) = calls.pop() else {
                return;
            };
            let revokes = calls;
            let worker = this.clone();
            let steps = if revokes.is_empty() { 1 } else { 2 };
            let status = this
                .run_operation(plan.title(), None, steps, |op| async move {
                    if !revokes.is_empty() {
                        op.step(
                            0,
                            &format!("Revoking access to {} disk restore point(s)", revokes.len()),
                            None,
                        );
                        let client = worker.client().clone();
                        if let Err(e) = run_all(&client, revokes, &op.cancel).await {
                            return status_of(Err(e));
                        }
                    }
                    let title = format!("Deleting {}", delete_name(&delete));
                    let progress = op.lro_progress(steps - 1, title);
                    status_of(
                        worker
                            .client()
                            .run_call(&delete, &progress, &op.cancel)
                            .await
                            .map(|_| ()),
                    )
                })
                .await;
            let id = plan.target.id().clone();
            let outcome = match status {
                ActivityStatus::Succeeded => {
                    this.emit_inventory(InventoryEvent::Deleted(id)).await;
                    DeleteOutcome::Deleted
                }
                ActivityStatus::Failed(e) if e.code.as_deref() == Some(SAS_REFUSAL_CODE) => {
                    this.record_sas_refusal(id, &e).await;
                    DeleteOutcome::RefusedForSas(e.message)
                }
                other => {
                    // What Azure did is unknown: read the truth back.
                    this.reload_after_delete(&plan.target);
                    match other {
                        ActivityStatus::Failed(e) => DeleteOutcome::Failed(e),
                        _ => DeleteOutcome::Cancelled,
                    }
                }
            };
            if !plan.revoke.is_empty() && outcome != DeleteOutcome::Cancelled {
                this.emit_inventory(InventoryEvent::SasRevoked {
                    id: plan.target.id().clone(),
                })
                .await;
            }
            this.emit(BackendEvent::Lifecycle(LifecycleEvent::DeleteEnded {
                plan,
                outcome,
            }))
            .await;
        });
    }

    async fn record_sas_refusal(&self, id: ResourceId, e: &ErrorInfo) {
        self.emit_inventory(InventoryEvent::SasRefused {
            id,
            message: e.message.clone(),
            at: Timestamp::from_unix_secs(super::create::now_unix()),
        })
        .await;
    }

    /// Reloads what a delete touched, when its outcome is unknown.
    fn reload_after_delete(&self, target: &DeleteTarget) {
        match target {
            DeleteTarget::Point(id) => {
                if let Some(collection) = id.parent() {
                    self.load_points(collection);
                }
            }
            DeleteTarget::Collection(id) => self.load_subscription(id.subscription_id().to_owned()),
        }
    }

    /// Deletes `targets` as clean-up `token` (titled `title`), a few at a time: restore
    /// points, and collections only while they hold no point (read just before the delete:
    /// a point made since the preview is never deleted with its collection).
    pub fn run_cleanup(&self, token: u64, title: String, targets: Vec<ResourceId>) {
        let points = targets;
        let this = self.clone();
        self.spawn(async move {
            let worker = this.clone();
            let total = points.len();
            let status = this
                .run_operation(title, None, total, |op| async move {
                    worker
                        .emit(BackendEvent::Lifecycle(LifecycleEvent::CleanupStarted {
                            token,
                            activity: op.id,
                        }))
                        .await;
                    let mut running = JoinSet::new();
                    let (mut next, mut done, mut failed) = (0, 0, 0);
                    loop {
                        while !op.cancel.is_cancelled()
                            && running.len() < CLEANUP_CONCURRENCY
                            && next < total
                        {
                            let client = worker.client().clone();
                            let id = points[next].clone();
                            running.spawn(async move {
                                let result = if is_collection(&id) {
                                    delete_if_empty(&client, &id).await
                                } else {
                                    delete_point(&client, &id).await.map_err(|e| error_info(&e))
                                };
                                (id, result)
                            });
                            next += 1;
                        }
                        let Some(joined) = running.join_next().await else {
                            break;
                        };
                        let Ok((id, result)) = joined else {
                            failed += 1;
                            continue;
                        };
                        done += 1;
                        let outcome = match result {
                            Ok(()) => {
                                worker
                                    .emit_inventory(InventoryEvent::Deleted(id.clone()))
                                    .await;
                                Outcome::Deleted
                            }
                            Err(info) => {
                                failed += 1;
                                if info.code.as_deref() == Some(SAS_REFUSAL_CODE) {
                                    worker.record_sas_refusal(id.clone(), &info).await;
                                }
                                Outcome::Failed(info.summary())
                            }
                        };
                        worker
                            .emit(BackendEvent::Lifecycle(LifecycleEvent::CleanupPoint {
                                token,
                                point_id: id,
                                outcome,
                            }))
                            .await;
                        op.status(
                            format!("{done} of {total} deleted or failed ({failed} failed)"),
                            Some(done as f64 * 100.0 / total.max(1) as f64),
                        );
                    }
                    if op.cancel.is_cancelled() {
                        ActivityStatus::Cancelled
                    } else if failed > 0 {
                        ActivityStatus::Failed(ErrorInfo {
                            code: Some("CleanupIncomplete".into()),
                            message: format!(
                                "{failed} of {total} could not be deleted: the report says why"
                            ),
                            ..Default::default()
                        })
                    } else {
                        ActivityStatus::Succeeded
                    }
                })
                .await;
            this.emit(BackendEvent::Lifecycle(LifecycleEvent::CleanupEnded {
                token,
                cancelled: status == ActivityStatus::Cancelled,
            }))
            .await;
        });
    }

    /// Mirrors a collection's point labels into its tags (`rpdesk-label-<point>`), keeping
    /// its other tags, within Azure's 50 tags per resource; then reloads it.
    pub fn mirror_labels(&self, collection_id: ResourceId, labels: Vec<(String, PointLabel)>) {
        let this = self.clone();
        self.spawn(async move {
            let worker = this.clone();
            let id = collection_id.clone();
            let title = format!("Mirror labels into the tags of {}", id.name());
            this.run_operation(title, Some(&collection_id), 2, |op| async move {
                op.step(0, "Reading the collection's tags", None);
                let current = match worker.client().get_collection(&id, false).await {
                    Ok(c) => c,
                    Err(e) => return status_of(Err(e)),
                };
                let refs: Vec<(&str, &PointLabel)> =
                    labels.iter().map(|(n, l)| (n.as_str(), l)).collect();
                let tags: BTreeMap<String, String> =
                    match mirrored_tags(id.name(), &current.tags, &refs) {
                        Ok(t) => t,
                        Err(limit) => {
                            return ActivityStatus::Failed(ErrorInfo {
                                code: Some("TooManyTags".into()),
                                message: limit.to_string(),
                                ..Default::default()
                            });
                        }
                    };
                op.step(1, "Writing the tags", None);
                status_of(
                    worker
                        .client()
                        .patch_collection_tags(&id, &tags)
                        .await
                        .map(|_| ()),
                )
            })
            .await;
            this.load_points(collection_id);
        });
    }
}

/// Deletes one point and waits for it to go (its own cancel token: a clean-up's Cancel
/// lets deletes in flight finish).
fn is_collection(id: &ResourceId) -> bool {
    id.kind().eq_ignore_ascii_case("restorePointCollections")
}

/// Deletes a collection only if it holds no restore point now.
async fn delete_if_empty(client: &ArmClient, id: &ResourceId) -> Result<(), ErrorInfo> {
    let collection = client
        .get_collection(id, true)
        .await
        .map_err(|e| error_info(&e))?;
    let held = collection.restore_points().len();
    if held > 0 {
        return Err(ErrorInfo {
            code: Some("CollectionNotEmpty".into()),
            message: format!(
                "it holds {held} restore point(s) now: rpdesk deletes a collection only while it is empty"
            ),
            ..Default::default()
        });
    }
    delete_point(client, id).await.map_err(|e| error_info(&e))
}

async fn delete_point(client: &ArmClient, id: &ResourceId) -> Result<(), ArmError> {
    let call = ArmCall::delete(id.as_str(), api_versions::COMPUTE);
    client
        .run_call(&call, &crate::arm::no_progress, &Cancel::new())
        .await
        .map(|_| ())
}

/// The name of what a DELETE removes.
fn delete_name(call: &ArmCall) -> &str {
    call.path.rsplit('/').next().unwrap_or_default()
}

/// Sends `calls` (revokes: order does not matter), a few at a time; the first failure
/// ends it.
async fn run_all(client: &ArmClient, calls: Vec<ArmCall>, cancel: &Cancel) -> Result<(), ArmError> {
    let mut running = JoinSet::new();
    let mut pending = calls.into_iter();
    loop {
        while running.len() < CLEANUP_CONCURRENCY {
            let Some(call) = pending.next() else { break };
            let (client, cancel) = (client.clone(), cancel.clone());
            running.spawn(async move {
                client
                    .run_call(&call, &crate::arm::no_progress, &cancel)
                    .await
                    .map(|_| ())
            });
        }
        match running.join_next().await {
            None => return Ok(()),
            Some(Ok(Ok(()))) => {}
            Some(Ok(Err(e))) => return Err(e),
            Some(Err(e)) => return Err(ArmError::InvalidRequest(format!("a revoke stopped: {e}"))),
        }
    }
}
