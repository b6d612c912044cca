//! Creating a restore point, as an operation on the VM's lane: it waits for the time Azure
//! allows (minimum frequency, PUTs per hour) instead of collecting a 429, creates the
//! collection first when the VM has none, shows the LRO's progress in the activity log,
//! and reloads the collection's points when it is done.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use super::Backend;
use super::runner::{Operation, status_of};
use crate::activity::ActivityStatus;
use crate::arm::{ArmError, RestorePointRequest};
use crate::inventory::{CreatePointPlan, ErrorInfo, InventoryEvent};
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

    async fn run_creation(
        &self,
        plan: &CreatePointPlan,
        point_id: &ResourceId,
        op: &Operation,
    ) -> Result<(), ArmError> {
        let mut step = 0;
        if let Some(at) = plan.not_before {
            let wait_secs = at.unix_secs() - now_unix();
            if wait_secs > 0 {
                op.step(
                    step,
                    &format!(
                        "Waiting until {} (Azure allows the next point then)",
                        at.local_text()
                    ),
                    None,
                );
                op.cancel
                    .sleep(Duration::from_secs(wait_secs as u64))
                    .await?;
            }
        }
        step += 1;
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
