//! Creating a restore point, as an operation on the VM's lane: it waits for the time Azure
//! allows (minimum frequency, PUTs per hour) instead of collecting a 429, creates the
//! collection first when the VM has none, shows the LRO's progress in the activity log,
//! and reloads the collection's points when it is done. Copying a point to another
//! region works the same way on the target collection's lane.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use super::Backend;
use super::runner::{Operation, status_of};
use crate::activity::ActivityStatus;
use crate::arm::{ArmError, RestorePointRequest};
use crate::inventory::{CopyPointPlan, CreatePointPlan, ErrorInfo, InventoryEvent};
use crate::model::{ResourceId, Timestamp};

pub(super) fn now_unix() -> i64 {
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
            let steps = if plan.create_collection { 3 } else { 2 };
            let vm_id = plan.vm_id.clone();
            let (worker, job) = (this.clone(), plan.clone());
            this.run_operation(title, Some(&vm_id), steps, |op| async move {
                let (this, plan) = (worker, job);
                match plan.point_id() {
                    None => ActivityStatus::Failed(ErrorInfo {
                        message: format!("'{}' is not a valid restore point name", plan.point_name),
                        ..Default::default()
                    }),
                    Some(point_id) => status_of(this.run_creation(&plan, &point_id, &op).await),
                }
            })
            .await;
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

    /// Queues a copy of a restore point into a collection in another region; progress
    /// and the result go to the activity log.
    pub fn copy_restore_point(&self, plan: CopyPointPlan) {
        let this = self.clone();
        self.spawn(async move {
            let title = format!(
                "Copy restore point {} to {} as {}",
                plan.source_point_id.name(),
                plan.target_region,
                plan.point_name
            );
            let steps = if plan.create_collection { 3 } else { 2 };
            let lane = plan.target_collection_id.clone();
            let (worker, job) = (this.clone(), plan.clone());
            this.run_operation(title, Some(&lane), steps, |op| async move {
                let (this, plan) = (worker, job);
                match plan.point_id() {
                    None => ActivityStatus::Failed(ErrorInfo {
                        message: format!("'{}' is not a valid restore point name", plan.point_name),
                        ..Default::default()
                    }),
                    Some(point_id) => status_of(this.run_copy(&plan, &point_id, &op).await),
                }
            })
            .await;
            if plan.create_collection {
                this.load_subscription(plan.target_collection_id.subscription_id().to_owned());
            } else {
                this.load_points(plan.target_collection_id.clone());
            }
        });
    }

    async fn run_copy(
        &self,
        plan: &CopyPointPlan,
        point_id: &ResourceId,
        op: &Operation,
    ) -> Result<(), ArmError> {
        wait_until_allowed(op, plan.not_before, "the next copy").await?;
        let mut step = 1;
        if plan.create_collection {
            op.step(
                step,
                &format!("Creating collection {}", plan.target_collection_id.name()),
                None,
            );
            self.client()
                .put_collection(
                    &plan.target_collection_id,
                    &plan.target_region,
                    &plan.source_collection_id,
                    None,
                    &BTreeMap::new(),
                )
                .await?;
            step += 1;
        }
        self.emit_inventory(InventoryEvent::CopyPut {
            collection_id: plan.target_collection_id.clone(),
            at: Timestamp::from_unix_secs(now_unix()),
        })
        .await;
        let progress = op.lro_progress(step, format!("Copying to {}", plan.point_name));
        self.client()
            .copy_restore_point(point_id, &plan.source_point_id, &progress, &op.cancel)
            .await
            .map(|_| ())
    }

    async fn run_creation(
        &self,
        plan: &CreatePointPlan,
        point_id: &ResourceId,
        op: &Operation,
    ) -> Result<(), ArmError> {
        wait_until_allowed(op, plan.not_before, "the next point").await?;
        let mut step = 1;
        if plan.create_collection {
            op.step(
                step,
                &format!("Creating collection {}", plan.collection_id.name()),
                None,
            );
            self.client()
                .put_collection(
                    &plan.collection_id,
                    &plan.location,
                    &plan.vm_id,
                    plan.instant_access_minutes.map(|_| true),
                    &BTreeMap::new(),
                )
                .await?;
            step += 1;
        }
        let request = RestorePointRequest {
            consistency_mode: Some(plan.mode.to_consistency()),
            exclude_disks: plan.exclude_disks.clone(),
            instant_access_duration_minutes: plan.instant_access_minutes,
        };
        self.emit_inventory(InventoryEvent::CreationPut {
            vm_id: plan.vm_id.clone(),
            at: Timestamp::from_unix_secs(now_unix()),
            mode: plan.mode,
        })
        .await;
        let progress = op.lro_progress(step, format!("Creating {}", plan.point_name));
        self.client()
            .create_restore_point(point_id, &request, &progress, &op.cancel)
            .await
            .map(|_| ())
    }
}

/// Step 0 of a creation or copy: sleeps until `not_before` (cancellable), saying so.
async fn wait_until_allowed(
    op: &Operation,
    not_before: Option<Timestamp>,
    what: &str,
) -> Result<(), ArmError> {
    let Some(at) = not_before else {
        return Ok(());
    };
    let wait_secs = at.unix_secs() - now_unix();
    if wait_secs > 0 {
        op.step(
            0,
            &format!(
                "Waiting until {} (Azure allows {what} then)",
                at.local_text()
            ),
            None,
        );
        op.cancel
            .sleep(Duration::from_secs(wait_secs as u64))
            .await?;
    }
    Ok(())
}
