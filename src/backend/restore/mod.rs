//! Restore runs in the backend. Each start, resume and undo is an operation on its VM's
//! lane (activity entry, Cancel, "step i of n"); the executor journals every step in the
//! data folder and reports to the UI.

pub mod executor;
pub mod journal_file;
pub mod steps;
mod undo;

use std::path::PathBuf;

use tokio::sync::mpsc;

use super::runner::Operation;
use super::{Backend, BackendEvent};
use crate::activity::ActivityStatus;
use crate::inventory::{ErrorInfo, InventoryEvent};
use crate::model::ResourceId;
use crate::restore::journal::Record;
use crate::restore::{Phase, Plan, RunState};

pub use crate::restore::runs::RestoreEvent;
pub use executor::{MAX_PARALLEL_RESTORES, RestoreExecutor, Sink};

/// What to do with a run.
#[derive(Clone, Debug)]
enum Job {
    Start { plan: Box<Plan>, demo: bool },
    Resume,
    Undo,
    Dismiss,
}

impl Backend {
    /// Loads what the wizard needs beyond the inventory: the subscription's virtual
    /// networks and resource groups, the source VM's primary NIC (its subnet), and the
    /// point's disk restore points and instance view afresh (their readiness).
    pub fn load_restore_context(
        &self,
        subscription_id: String,
        nic_id: Option<ResourceId>,
        point_id: ResourceId,
    ) {
        let this = self.clone();
        self.spawn(async move {
            let sub = subscription_id.as_str();
            let client = this.client();
            let (vnets, groups, nic) = tokio::join!(
                client.list_vnets(sub),
                client.list_resource_groups(sub),
                async {
                    match &nic_id {
                        Some(id) => Some((id.clone(), client.get_nic(id).await)),
                        None => None,
                    }
                }
            );
            // The NIC first: once the lists have arrived, so has it.
            if let Some((id, result)) = nic {
                this.emit_inventory(InventoryEvent::Nic {
                    id,
                    result: result.map_err(|e| super::error_info(&e)),
                })
                .await;
            }
            this.emit_inventory(InventoryEvent::Networks {
                subscription_id: sub.to_owned(),
                result: vnets.map_err(|e| super::error_info(&e)),
            })
            .await;
            this.emit_inventory(InventoryEvent::ResourceGroups {
                subscription_id: sub.to_owned(),
                result: groups
                    .map(|g| g.into_iter().map(|g| g.name).collect())
                    .map_err(|e| super::error_info(&e)),
            })
            .await;
        });
        self.load_point_detail(point_id.clone());
        self.load_disk_points(point_id);
    }

    /// Runs a reviewed plan; its journal goes into `dir`.
    pub fn start_restore(&self, plan: Plan, dir: PathBuf, demo: bool) {
        let run_id = plan.run_id.clone();
        self.run_restore_job(
            run_id,
            dir,
            Job::Start {
                plan: Box::new(plan),
                demo,
            },
        );
    }

    /// Resumes a paused or interrupted run.
    pub fn resume_restore(&self, run_id: String, dir: PathBuf) {
        self.run_restore_job(run_id, dir, Job::Resume);
    }

    /// Undoes a run.
    pub fn undo_restore(&self, run_id: String, dir: PathBuf) {
        self.run_restore_job(run_id, dir, Job::Undo);
    }

    /// Leaves a run as it is and stops offering it.
    pub fn dismiss_restore(&self, run_id: String, dir: PathBuf) {
        self.run_restore_job(run_id, dir, Job::Dismiss);
    }

    /// Reads every run journal in `dir` (at start-up: unfinished runs are offered).
    pub fn scan_restores(&self, dir: PathBuf) {
        let this = self.clone();
        self.spawn(async move {
            let (runs, problems) = journal_file::scan(&dir).await;
            let runs = runs.into_iter().map(|r| r.state).collect();
            this.emit(BackendEvent::Restore(RestoreEvent::Found {
                runs,
                problems,
            }))
            .await;
        });
    }

    fn run_restore_job(&self, run_id: String, dir: PathBuf, job: Job) {
        let this = self.clone();
        self.spawn(async move {
            let (lane, title, steps) = match &job {
                Job::Start { plan, .. } => (
                    plan.vm_id.clone().unwrap_or_else(|| plan.point_id.clone()),
                    format!("Restore {} ({})", plan.point_id.name(), plan.target.label()),
                    plan.steps.len(),
                ),
                _ => match journal_file::JournalFile::open(&dir, &run_id).await {
                    Ok((_, state, _)) => {
                        let verb = match job {
                            Job::Undo => "Undo restore",
                            Job::Dismiss => "Dismiss restore",
                            _ => "Resume restore",
                        };
                        (
                            state
                                .plan
                                .vm_id
                                .clone()
                                .unwrap_or_else(|| state.plan.point_id.clone()),
                            format!("{verb} {} ({})", state.plan.point_id.name(), run_id),
                            state.plan.steps.len(),
                        )
                    }
                    Err(e) => {
                        this.emit(BackendEvent::Restore(RestoreEvent::Failed {
                            run_id: run_id.clone(),
                            message: format!("cannot read the run's journal: {e}"),
                        }))
                        .await;
                        return;
                    }
                },
            };
            let worker = this.clone();
            let subscription = lane.subscription_id().to_owned();
            this.run_operation(title, Some(&lane), steps, |op| async move {
                worker.restore_job(op, run_id, dir, job).await
            })
            .await;
            // The new disks, VM and points appear in the tree.
            this.load_subscription(subscription);
        });
    }

    async fn restore_job(
        &self,
        op: Operation,
        run_id: String,
        dir: PathBuf,
        job: Job,
    ) -> ActivityStatus {
        let (tx, mut rx) = mpsc::channel::<RestoreEvent>(256);
        let executor =
            RestoreExecutor::new(self.client().clone(), dir, Sink::new(tx), op.cancel.clone());
        // Forward every event to the UI, and the step being worked on to the activity log.
        let forward = {
            let this = self.clone();
            let op = op.clone();
            async move {
                let mut state: Option<RunState> = None;
                while let Some(event) = rx.recv().await {
                    track(&mut state, &event, &op);
                    this.emit(BackendEvent::Restore(event)).await;
                }
            }
        };
        let work = async {
            let result = match job {
                Job::Start { plan, demo } => {
                    let principal = if demo {
                        "demo (local emulator)".to_owned()
                    } else {
                        self.client()
                            .signed_in_principal()
                            .await
                            .unwrap_or_else(|| self.client().token_description())
                    };
                    executor.start(*plan, principal).await
                }
                Job::Resume => executor.resume(&run_id).await,
                Job::Undo => executor.undo(&run_id).await,
                Job::Dismiss => executor.dismiss(&run_id).await,
            };
            drop(executor);
            result
        };
        let (result, ()) = tokio::join!(work, forward);
        match result {
            Err(message) => ActivityStatus::Failed(ErrorInfo {
                message,
                ..Default::default()
            }),
            Ok(state) => match &state.phase {
                Phase::Finished | Phase::Undone | Phase::Dismissed => ActivityStatus::Succeeded,
                Phase::Paused { error: None, .. } | Phase::UndoPaused { error: None, .. }
                    if op.cancel.is_cancelled() =>
                {
                    ActivityStatus::Cancelled
                }
                Phase::Paused { reason, error } | Phase::UndoPaused { reason, error } => {
                    ActivityStatus::Failed(ErrorInfo {
                        code: error.as_ref().and_then(|e| e.code.clone()),
                        message: match error {
                            Some(e) => format!("{reason}: {}", e.message),
                            None => reason.clone(),
                        },
                        status: error.as_ref().and_then(|e| e.status),
                        request_id: error.as_ref().and_then(|e| e.request_id.clone()),
                        correlation_id: error.as_ref().and_then(|e| e.correlation_id.clone()),
                        details: Vec::new(),
                    })
                }
                Phase::Running | Phase::Undoing => ActivityStatus::Succeeded,
            },
        }
    }
}

/// Keeps the activity log's line on the step being worked on.
fn track(state: &mut Option<RunState>, event: &RestoreEvent, op: &Operation) {
    match event {
        RestoreEvent::Record { record, .. } => {
            if let Record::Planned {
                plan,
                principal,
                at,
            } = record
            {
                *state = Some(RunState::new((**plan).clone(), principal.clone(), *at));
            }
            if let Some(s) = state.as_mut() {
                s.apply(record);
                if let Record::StepStarted { step, .. } = record
                    && let Some(title) = s.steps.get(*step).map(|t| t.title.clone())
                {
                    op.step(*step, &title, None);
                }
            }
        }
        RestoreEvent::Progress {
            step,
            status,
            percent,
            undo: false,
            ..
        } => op.step(*step, status, *percent),
        RestoreEvent::Progress { status, .. } => op.status(status.clone(), None),
        _ => {}
    }
}
