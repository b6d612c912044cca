//! Creating a restore point: a queue that runs one creation at a time and waits for the
//! time Azure allows (minimum frequency, PUTs per hour) instead of collecting a 429, the
//! collection first when the VM has none, the LRO's progress in the activity log, and a
//! reload of the collection's points when it is done.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use super::{Backend, BackendEvent, error_info};
use crate::activity::{ActivityEvent, ActivityId, ActivityKind, ActivityStatus};
use crate::arm::{ArmError, Cancel, LroProgress, RestorePointRequest};
use crate::inventory::{CreatePointPlan, ErrorInfo, InventoryEvent};
use crate::model::{ResourceId, Timestamp};

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Backend {
    /// Queues a restore point creation; progress and the result go to the activity log.
    pub fn create_restore_point(&self, plan: CreatePointPlan) {
        let this = self.clone();
        self.spawn(async move {
            let title = format!(
                "Create {} restore point {} for {}",
                plan.mode,
                plan.point_name,
                plan.vm_id.name()
            );
            let activity = this.begin_activity(ActivityKind::Operation, title).await;
            let cancel = this.cancel_token(activity.0);
            // One creation at a time: Azure refuses concurrent ones on a VM, and the
            // queue keeps the PUT rate of the whole app low.
            let _turn = this.inner.create_queue.lock().await;
            let status = match plan.point_id() {
                _ if cancel.is_cancelled() => ActivityStatus::Cancelled,
                None => ActivityStatus::Failed(ErrorInfo {
                    message: format!("'{}' is not a valid restore point name", plan.point_name),
                    ..Default::default()
                }),
                Some(point_id) => match this
                    .run_creation(&plan, &point_id, activity.0, &cancel)
                    .await
                {
                    Ok(()) => ActivityStatus::Succeeded,
                    Err(ArmError::Cancelled) => ActivityStatus::Cancelled,
                    Err(e) => ActivityStatus::Failed(error_info(&e)),
                },
            };
            this.forget_cancel(activity.0);
            this.end_activity(activity, status).await;
            this.emit_inventory(InventoryEvent::CreationDone {
                vm_id: plan.vm_id.clone(),
            })
            .await;
            if plan.create_collection {
                this.load_subscription(plan.vm_id.subscription_id().to_owned());
            } else {
                this.load_points(plan.collection_id.clone());
            }
        });
    }

    async fn run_creation(
        &self,
        plan: &CreatePointPlan,
        point_id: &ResourceId,
        id: ActivityId,
        cancel: &Cancel,
    ) -> Result<(), ArmError> {
        if let Some(at) = plan.not_before {
            let wait_secs = at.unix_secs() - now_unix();
            if wait_secs > 0 {
                self.progress(
                    id,
                    format!(
                        "Waiting until {} (Azure allows the next point then)",
                        at.local_text()
                    ),
                )
                .await;
                cancel.sleep(Duration::from_secs(wait_secs as u64)).await?;
            }
        }
        if plan.create_collection {
            self.progress(
                id,
                format!("Creating collection {}", plan.collection_id.name()),
            )
            .await;
            self.client()
                .put_collection(
                    &plan.collection_id,
                    &plan.location,
                    &plan.vm_id,
                    plan.instant_access_minutes.map(|_| true),
                    &BTreeMap::new(),
                )
                .await?;
        }
        let request = RestorePointRequest {
            consistency_mode: Some(plan.mode.to_consistency()),
            exclude_disks: plan.exclude_disks.clone(),
            instant_access_duration_minutes: plan.instant_access_minutes,
        };
        self.emit_inventory(InventoryEvent::CreationPut {
            vm_id: plan.vm_id.clone(),
            at: Timestamp::from_unix_secs(now_unix()),
        })
        .await;
        let tx = self.inner.tx.clone();
        let waker = self.inner.waker.clone();
        let on_progress = move |p: LroProgress| {
            let event = ActivityEvent::Progress {
                id,
                status: format!("{} ({} s)", p.status, p.elapsed.as_secs()),
                percent: p.percent_complete,
            };
            // Progress is best effort: a full channel drops a line, never blocks the LRO.
            if tx.try_send(BackendEvent::Activity(event)).is_ok() {
                waker();
            }
        };
        self.client()
            .create_restore_point(point_id, &request, &on_progress, cancel)
            .await
            .map(|_| ())
    }

    async fn progress(&self, id: ActivityId, status: String) {
        self.emit(BackendEvent::Activity(ActivityEvent::Progress {
            id,
            status,
            percent: None,
        }))
        .await;
    }
}
