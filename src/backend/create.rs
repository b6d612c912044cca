//! Creating a restore point, as an operation on the VM's lane: it waits for the time Azure
//! allows (minimum frequency, PUTs per hour) instead of collecting a 429, creates the
//! collection first when the VM has none, shows the LRO's progress in the activity log,
//! and reloads the collection's points when it is done. Copying a point to another
//! region works the same way on the target collection's lane.

use std::time::{Duration, SystemTime};

use super::Backend;
use super::runner::{Operation, status_of};
use crate::activity::ActivityStatus;
use crate::arm::ArmError;
use crate::inventory::{
    CopyPointPlan, CopyProgress, CopyState, CopyWatch, CreatePointPlan, ErrorInfo, InventoryEvent,
};
use crate::model::{CollectionRequest, ResourceId, RestorePoint, Timestamp};

pub(super) fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Backend {
    /// Queues a restore point creation; progress and the result go to the activity log.
    pub fn create_restore_point(&self, plan: CreatePointPlan) {
        self.run_point_job(PointJob::Create(plan));
    }

    /// Queues a copy of a restore point into a collection in another region; progress
    /// and the result go to the activity log.
    pub fn copy_restore_point(&self, plan: CopyPointPlan) {
        self.run_point_job(PointJob::Copy(plan));
    }

    /// Runs a creation or a copy as an operation on its lane, then reloads what it changed.
    fn run_point_job(&self, job: PointJob) {
        let this = self.clone();
        self.spawn(async move {
            let lane = job.lane().clone();
            let (worker, work) = (this.clone(), job.clone());
            this.run_operation(job.title(), Some(&lane), job.steps(), |op| async move {
                let Some(point_id) = work.point_id() else {
                    return ActivityStatus::Failed(ErrorInfo {
                        message: format!(
                            "'{}' is not a valid restore point name",
                            work.point_name()
                        ),
                        ..Default::default()
                    });
                };
                let step = match worker.prepare(&work, &op).await {
                    Ok(step) => step,
                    Err(e) => return status_of(Err(e)),
                };
                status_of(match &work {
                    PointJob::Create(plan) => worker
                        .run_creation(plan, &point_id, &op, step)
                        .await
                        .map(|_| ()),
                    PointJob::Copy(plan) => worker.run_copy(plan, &point_id, &op, step).await,
                })
            })
            .await;
            if let PointJob::Create(plan) = &job {
                this.emit_inventory(InventoryEvent::CreationDone {
                    vm_id: plan.vm_id.clone(),
                })
                .await;
            }
            let (collection, created) = job.collection();
            if created {
                this.load_subscription(collection.subscription_id().to_owned());
            } else {
                this.load_points(collection.clone());
            }
        });
    }

    /// The steps before the PUT: waiting for the time Azure allows, then creating the
    /// collection when the job needs one. Returns the PUT's step.
    async fn prepare(&self, job: &PointJob, op: &Operation) -> Result<usize, ArmError> {
        let (not_before, what) = match job {
            PointJob::Create(p) => (p.not_before, "the next point"),
            PointJob::Copy(p) => (p.not_before, "the next copy"),
        };
        wait_until_allowed(op, not_before, what).await?;
        if !job.collection().1 {
            return Ok(1);
        }
        self.create_collection(job, op, 1).await?;
        Ok(2)
    }

    /// Creates the job's collection as step `step` (a copy's target collection has the
    /// source collection as its `source`).
    pub(super) async fn create_collection(
        &self,
        job: &PointJob,
        op: &Operation,
        step: usize,
    ) -> Result<(), ArmError> {
        let Some(request) = job.collection_request() else {
            return Ok(());
        };
        op.step(
            step,
            &format!("Creating collection {}", request.collection_id.name()),
            None,
        );
        self.client()
            .put_collection(
                &request.collection_id,
                &request.location,
                &request.source_id,
                request.instant_access,
                &request.tags,
            )
            .await?;
        Ok(())
    }

    async fn run_copy(
        &self,
        plan: &CopyPointPlan,
        point_id: &ResourceId,
        op: &Operation,
        step: usize,
    ) -> Result<(), ArmError> {
        self.emit_inventory(InventoryEvent::CopyPut {
            collection_id: plan.target_collection_id.clone(),
            at: Timestamp::from_unix_secs(now_unix()),
        })
        .await;
        op.step(step, &format!("Sending the copy {}", plan.point_name), None);
        let mut watch = CopyWatch {
            point_id: point_id.clone(),
            source_point_id: plan.source_point_id.clone(),
            target_region: plan.target_region.clone(),
            activity: op.id,
            progress: None,
            stopped: None,
        };
        self.emit_watch(&watch).await;
        let result = self.follow_copy(plan, &mut watch, op, step).await;
        if let Err(e) = &result {
            watch.stopped = Some(match e {
                ArmError::Cancelled => {
                    "rpdesk stopped following it; Azure goes on copying (delete the point to stop the copy)".into()
                }
                other => super::error_info(other).message,
            });
            self.emit_watch(&watch).await;
        }
        result
    }

    /// Sends the copy and reads its instance view until every disk is copied or the copy
    /// failed, reporting each disk's `completionPercent`.
    async fn follow_copy(
        &self,
        plan: &CopyPointPlan,
        watch: &mut CopyWatch,
        op: &Operation,
        step: usize,
    ) -> Result<(), ArmError> {
        let client = self.client();
        client
            .begin_copy_restore_point(&watch.point_id, &plan.source_point_id)
            .await?;
        for polls in 0u32.. {
            let point = client.get_restore_point(&watch.point_id, true).await?;
            let progress = CopyProgress::of(&point);
            op.step(
                step,
                &format!("Copying {}: {}", plan.point_name, progress.summary()),
                Some(progress.percent()),
            );
            watch.progress = Some(progress.clone());
            self.emit_watch(watch).await;
            match progress.state {
                CopyState::Done => return Ok(()),
                CopyState::Failed(e) => {
                    return Err(ArmError::OperationFailed {
                        status: "Failed".into(),
                        code: e.code.unwrap_or_else(|| "CopyFailed".into()),
                        message: e.message,
                        details: Vec::new(),
                        ctx: Default::default(),
                    });
                }
                CopyState::Copying => op.cancel.sleep(copy_poll_interval(polls)).await?,
            }
        }
        Ok(())
    }

    async fn emit_watch(&self, watch: &CopyWatch) {
        self.emit_inventory(InventoryEvent::CopyWatch(Box::new(watch.clone())))
            .await;
    }

    /// Sends a creation's PUT as step `step` and waits for the point.
    pub(super) async fn run_creation(
        &self,
        plan: &CreatePointPlan,
        point_id: &ResourceId,
        op: &Operation,
        step: usize,
    ) -> Result<RestorePoint, ArmError> {
        let request = plan.point_request();
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
    }
}

/// How long to wait before reading a copy's progress again: every 2 s for its first
/// minute (a small disk is done by then), then every 10 s (a large one takes hours).
fn copy_poll_interval(polls: u32) -> Duration {
    Duration::from_secs(if polls < 30 { 2 } else { 10 })
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

/// A restore point PUT the backend runs: a creation or a cross-region copy.
#[derive(Clone)]
pub(super) enum PointJob {
    Create(CreatePointPlan),
    Copy(CopyPointPlan),
}

impl PointJob {
    fn title(&self) -> String {
        match self {
            PointJob::Create(p) => format!(
                "Create {} restore point {} for {}",
                p.mode,
                p.point_name,
                p.vm_id.name()
            ),
            PointJob::Copy(p) => format!(
                "Copy restore point {} to {} as {}",
                p.source_point_id.name(),
                p.target_region,
                p.point_name
            ),
        }
    }

    /// Creations queue on their VM's lane, copies on their target collection's.
    fn lane(&self) -> &ResourceId {
        match self {
            PointJob::Create(p) => &p.vm_id,
            PointJob::Copy(p) => &p.target_collection_id,
        }
    }

    /// The collection the point goes into, and whether the job creates it.
    fn collection_request(&self) -> Option<CollectionRequest> {
        match self {
            PointJob::Create(p) => p.collection_request(),
            PointJob::Copy(p) => p.collection_request(),
        }
    }

    fn collection(&self) -> (&ResourceId, bool) {
        match self {
            PointJob::Create(p) => (&p.collection_id, p.create_collection),
            PointJob::Copy(p) => (&p.target_collection_id, p.create_collection),
        }
    }

    fn steps(&self) -> usize {
        if self.collection().1 { 3 } else { 2 }
    }

    fn point_name(&self) -> &str {
        match self {
            PointJob::Create(p) => &p.point_name,
            PointJob::Copy(p) => &p.point_name,
        }
    }

    fn point_id(&self) -> Option<ResourceId> {
        crate::inventory::point_in(self.collection().0, self.point_name())
    }
}
