//! Executing one step of a plan. Every step looks its target up before it writes: a
//! resumed run skips what exists (when it carries the run's tag) and refuses what exists
//! without it, so nothing is created twice and nothing foreign is touched.

// A step's error carries ARM's ids for the journal; rare, off the hot path.
#![allow(clippy::result_large_err)]

use std::future::Future;
use std::sync::Arc;

use crate::arm::{ArmClient, ArmError, CallResult, Cancel, LroProgress, RestorePointRequest};
use crate::model::{ArmCall, PowerState, ProvisioningState, ResourceId};
use crate::restore::journal::{CallIds, StepOutcome};
use crate::restore::vm_patch::{attach_call, detach_call, power_call, swap_os_call};
use crate::restore::{SafetyPoint, StepKind, TAG_REPLACED, TAG_RUN};

/// Reports a step's live progress: a status line and its own percentage.
pub type Report = Arc<dyn Fn(String, Option<f64>) + Send + Sync>;

/// What a step works with.
#[derive(Clone)]
pub struct StepCtx {
    pub client: ArmClient,
    pub run_id: String,
    /// Cancels the waits (for readiness, hydration); a write, once sent, is followed to
    /// its end: Cancel stops between steps.
    pub cancel: Cancel,
    pub report: Report,
}

/// A step that needs no more work.
#[derive(Clone, Debug, Default)]
pub struct Done {
    pub skipped: bool,
    pub note: Option<String>,
    pub ids: CallIds,
}

impl Done {
    fn sent(result: &CallResult) -> Self {
        Self {
            skipped: false,
            note: None,
            ids: ids_of(result),
        }
    }

    fn skipped(note: impl Into<String>) -> Self {
        Self {
            skipped: true,
            note: Some(note.into()),
            ids: CallIds::default(),
        }
    }

    /// The journal's outcome.
    pub fn outcome(&self) -> StepOutcome {
        if self.skipped {
            StepOutcome::Skipped
        } else {
            StepOutcome::Succeeded
        }
    }
}

/// Why a step did not end.
#[derive(Debug)]
pub enum StepFail {
    Arm(ArmError),
    /// rpdesk will not go on: a resource in the way was not created by this run.
    Refused(String),
}

impl From<ArmError> for StepFail {
    fn from(e: ArmError) -> Self {
        Self::Arm(e)
    }
}

fn ids_of(result: &CallResult) -> CallIds {
    CallIds {
        request_id: result.ctx.request_id.clone(),
        correlation_id: result.ctx.correlation_id.clone(),
    }
}

/// Whether a resource carries this run's tag.
pub fn is_ours(tags: &std::collections::BTreeMap<String, String>, run_id: &str) -> bool {
    tags.get(TAG_RUN).is_some_and(|v| v == run_id)
}

fn not_ours(what: &str, id: &ResourceId, run_id: &str) -> StepFail {
    StepFail::Refused(format!(
        "{what} {} already exists and was not created by this run (no {TAG_RUN}={run_id} tag): rpdesk leaves it alone. Undo, then restore again with another name",
        id.name()
    ))
}

impl StepCtx {
    /// A progress callback for a long-running operation: "Restoring: Updating (12 s)".
    pub fn progress(&self, what: &str) -> impl Fn(LroProgress) + Send + Sync + use<> {
        let report = self.report.clone();
        let what = what.to_owned();
        move |p: LroProgress| {
            report(
                format!("{what}: {} ({} s)", p.status, p.elapsed.as_secs()),
                p.percent_complete,
            )
        }
    }

    /// Sends a write, reporting its operation's progress.
    pub async fn send(&self, call: &ArmCall, what: &str) -> Result<CallResult, ArmError> {
        // Never cancelled: a write once sent is followed to its end.
        self.client
            .run_call(call, &self.progress(what), &Cancel::new())
            .await
    }

    /// Polls `probe` until it says done, waiting the client's poll interval between tries.
    pub async fn poll<T, F, Fut>(&self, mut probe: F) -> Result<T, StepFail>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<T>, StepFail>>,
    {
        let interval = self.client.options().default_poll_interval;
        loop {
            if let Some(v) = probe().await? {
                return Ok(v);
            }
            self.cancel.sleep(interval).await?;
        }
    }

    async fn vm_power(&self, vm_id: &ResourceId) -> Result<Option<PowerState>, ArmError> {
        Ok(self.client.get_vm(vm_id, true).await?.power_state())
    }

    /// Deallocates the VM unless it already is.
    pub async fn deallocate(&self, vm_id: &ResourceId) -> Result<Option<CallResult>, ArmError> {
        if self.vm_power(vm_id).await? == Some(PowerState::Deallocated) {
            return Ok(None);
        }
        let call = power_call(vm_id, "deallocate");
        Ok(Some(self.send(&call, "Deallocating").await?))
    }

    /// Starts the VM unless it runs.
    pub async fn start(&self, vm_id: &ResourceId) -> Result<Option<CallResult>, ArmError> {
        if matches!(
            self.vm_power(vm_id).await?,
            Some(PowerState::Running | PowerState::Starting)
        ) {
            return Ok(None);
        }
        let call = power_call(vm_id, "start");
        Ok(Some(self.send(&call, "Starting").await?))
    }
}

/// Runs one step.
pub async fn execute(ctx: &StepCtx, kind: &StepKind) -> Result<Done, StepFail> {
    match kind {
        StepKind::SafetyPoint(sp) => safety_point(ctx, sp).await,
        StepKind::RestoreDisk {
            request,
            wait_ready,
            wait_hydrated,
        } => {
            if *wait_ready {
                wait_ready_point(ctx, &request.source_disk_restore_point).await?;
            }
            let done = match ctx.client.get_disk(&request.disk_id).await {
                Ok(d) if is_ours(&d.tags, &ctx.run_id) => {
                    wait_disk_provisioned(ctx, &request.disk_id).await?;
                    Done::skipped("already restored by this run")
                }
                Ok(_) => return Err(not_ours("Disk", &request.disk_id, &ctx.run_id)),
                Err(e) if e.is_not_found() => {
                    Done::sent(&ctx.send(&request.call(), "Restoring").await?)
                }
                Err(e) => return Err(e.into()),
            };
            if *wait_hydrated {
                wait_hydrated_disk(ctx, &request.disk_id).await?;
            }
            Ok(done)
        }
        StepKind::CreateNic(nic) => match ctx.client.get_nic(&nic.nic_id).await {
            Ok(n) if is_ours(&n.tags, &ctx.run_id) => {
                Ok(Done::skipped("already created by this run"))
            }
            Ok(_) => Err(not_ours("Network interface", &nic.nic_id, &ctx.run_id)),
            Err(e) if e.is_not_found() => Ok(Done::sent(&ctx.send(&nic.call(), "Creating").await?)),
            Err(e) => Err(e.into()),
        },
        StepKind::CreateVm {
            request,
            ultra_disks,
        } => {
            let vm_id = &request.vm_id;
            let existing = match ctx.client.get_vm(vm_id, false).await {
                Ok(vm) => Some(vm),
                Err(e) if e.is_not_found() => None,
                Err(e) => return Err(e.into()),
            };
            if let Some(vm) = existing {
                return if is_ours(&vm.tags, &ctx.run_id) {
                    wait_vm_provisioned(ctx, vm_id).await?;
                    Ok(Done::skipped("already created by this run"))
                } else {
                    Err(not_ours("VM", vm_id, &ctx.run_id))
                };
            }
            let is_ultra = |id: &ResourceId| ultra_disks.contains(id);
            match ctx.send(&request.call(&is_ultra), "Creating").await {
                Ok(r) => Ok(Done::sent(&r)),
                // A lost answer to the first PUT: the VM is there; is it ours?
                Err(e) if e.status() == Some(412) => {
                    let vm = ctx.client.get_vm(vm_id, false).await?;
                    if is_ours(&vm.tags, &ctx.run_id) {
                        wait_vm_provisioned(ctx, vm_id).await?;
                        Ok(Done::skipped("already created by this run"))
                    } else {
                        Err(not_ours("VM", vm_id, &ctx.run_id))
                    }
                }
                Err(e) => Err(e.into()),
            }
        }
        StepKind::Deallocate { vm_id } => Ok(match ctx.deallocate(vm_id).await? {
            Some(r) => Done::sent(&r),
            None => Done::skipped("already deallocated"),
        }),
        StepKind::Start { vm_id } => Ok(match ctx.start(vm_id).await? {
            Some(r) => Done::sent(&r),
            None => Done::skipped("already running"),
        }),
        StepKind::DetachDataDisks { vm_id, disk_ids } => {
            let vm = ctx.client.get_vm(vm_id, false).await?;
            match detach_call(&vm, disk_ids) {
                None => Ok(Done::skipped("already detached")),
                Some(call) => Ok(Done::sent(&ctx.send(&call, "Detaching").await?)),
            }
        }
        StepKind::AttachDataDisks { vm_id, disks } => {
            let vm = ctx.client.get_vm(vm_id, false).await?;
            match attach_call(&vm, disks) {
                None => Ok(Done::skipped("already attached")),
                Some(call) => Ok(Done::sent(&ctx.send(&call, "Attaching").await?)),
            }
        }
        StepKind::SwapOsDisk {
            vm_id,
            disk_id,
            disk_name,
        } => {
            let vm = ctx.client.get_vm(vm_id, false).await?;
            match swap_os_call(&vm, disk_id, disk_name) {
                None => Ok(Done::skipped("the OS disk is already the restored one")),
                Some(call) => Ok(Done::sent(&ctx.send(&call, "Swapping").await?)),
            }
        }
        StepKind::TagReplacedDisks { disk_ids } => {
            let mut done = Done::skipped("already tagged");
            for id in disk_ids {
                let mut disk = match ctx.client.get_disk(id).await {
                    Ok(d) => d,
                    Err(e) if e.is_not_found() => continue,
                    Err(e) => return Err(e.into()),
                };
                if disk
                    .tags
                    .get(TAG_REPLACED)
                    .is_some_and(|v| v == &ctx.run_id)
                {
                    continue;
                }
                disk.tags
                    .insert(TAG_REPLACED.to_owned(), ctx.run_id.clone());
                ctx.client
                    .patch_disk_tags(id, &disk.tags, &Cancel::new())
                    .await?;
                done = Done::default();
            }
            Ok(done)
        }
    }
}

async fn safety_point(ctx: &StepCtx, sp: &SafetyPoint) -> Result<Done, StepFail> {
    let point_id = sp.collection_id.child("restorePoints", &sp.point_name);
    match ctx.client.get_restore_point(&point_id, false).await {
        Ok(_) => return Ok(Done::skipped("already taken")),
        Err(e) if e.is_not_found() => {}
        Err(e) => return Err(e.into()),
    }
    if sp.create_collection {
        match ctx.client.get_collection(&sp.collection_id, false).await {
            Ok(_) => {}
            Err(e) if e.is_not_found() => {
                ctx.client
                    .put_collection(
                        &sp.collection_id,
                        &sp.location,
                        &sp.vm_id,
                        None,
                        &Default::default(),
                    )
                    .await?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    let request = RestorePointRequest {
        consistency_mode: Some(sp.mode.clone()),
        exclude_disks: sp.exclude_disks.clone(),
        instant_access_duration_minutes: None,
    };
    let progress = ctx.progress("Taking the safety point");
    ctx.client
        .create_restore_point(&point_id, &request, &progress, &Cancel::new())
        .await?;
    Ok(Done::default())
}

/// Waits until a disk restore point can be restored (not `Pending`, copy complete).
async fn wait_ready_point(ctx: &StepCtx, drp: &ResourceId) -> Result<(), StepFail> {
    ctx.poll(|| async {
        let d = ctx.client.get_disk_restore_point(drp).await?;
        let p = &d.properties;
        let pending = p
            .snapshot_access_state
            .as_ref()
            .is_some_and(|s| !s.is_restorable());
        let percent = p.completion_percent;
        if !pending && percent.is_none_or(|c| c >= 100.0) {
            return Ok(Some(()));
        }
        (ctx.report)(
            format!(
                "Waiting until {} is ready ({})",
                drp.name(),
                percent.map_or("pending".to_owned(), |c| format!("{c:.0}% copied"))
            ),
            percent,
        );
        Ok(None)
    })
    .await
}

async fn wait_disk_provisioned(ctx: &StepCtx, id: &ResourceId) -> Result<(), StepFail> {
    ctx.poll(|| async {
        let d = ctx.client.get_disk(id).await?;
        terminal(d.properties.provisioning_state.as_ref(), id)
    })
    .await
}

async fn wait_vm_provisioned(ctx: &StepCtx, id: &ResourceId) -> Result<(), StepFail> {
    ctx.poll(|| async {
        let vm = ctx.client.get_vm(id, false).await?;
        terminal(vm.properties.provisioning_state.as_ref(), id)
    })
    .await
}

fn terminal(state: Option<&ProvisioningState>, id: &ResourceId) -> Result<Option<()>, StepFail> {
    match state {
        None | Some(ProvisioningState::Succeeded) => Ok(Some(())),
        Some(s @ (ProvisioningState::Failed | ProvisioningState::Canceled)) => {
            Err(StepFail::Refused(format!("{} ended {s}", id.name())))
        }
        Some(_) => Ok(None),
    }
}

/// Waits until a restored Premium SSD v2 / Ultra disk has hydrated (a VM that is not zonal
/// cannot take it before).
async fn wait_hydrated_disk(ctx: &StepCtx, id: &ResourceId) -> Result<(), StepFail> {
    ctx.poll(|| async {
        let d = ctx.client.get_disk(id).await?;
        match d.properties.completion_percent {
            Some(p) if p < 100.0 => {
                (ctx.report)(format!("{} hydrating ({p:.0}%)", id.name()), Some(p));
                Ok(None)
            }
            _ => Ok(Some(())),
        }
    })
    .await
}
