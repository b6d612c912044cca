//! Running a plan: steps in dependency order, the disk restores of a batch in parallel
//! (within Azure's 50 background copies per subscription; the client paces the writes to
//! ARM's budget), every start and end journaled and fsync'd, a pause with the ARM error on
//! the first failure or on Cancel, resume from the journal, undo, and the evidence.
//! Independent of the UI: tests drive it directly, the backend wraps it in an operation.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::task::JoinSet;

use super::journal_file::{JournalFile, evidence_path};
use super::steps::{Done, Report, StepCtx, StepFail, execute};
use super::undo::execute_undo;
use crate::arm::{ArmClient, ArmError, Cancel};
use crate::backend::create::now_unix;
use crate::backend::error_info;
use crate::restore::journal::{CallIds, Record, StepError, StepOutcome};
use crate::restore::runs::RestoreEvent;
use crate::restore::vm_patch::OriginalVm;
use crate::restore::{Phase, Plan, RunState, StepKind, Target, undo_steps};

/// Azure runs at most 50 background copies per subscription; a restore from a snapshot
/// counts as one.
pub const MAX_PARALLEL_RESTORES: usize = 50;

/// Where events go: records are delivered (waiting when the channel is full, so the
/// watchers' fold never misses one); live progress is offered and may be dropped.
#[derive(Clone)]
pub struct Sink {
    tx: tokio::sync::mpsc::Sender<RestoreEvent>,
    halt: Option<Halt>,
}

/// Which delivered event a run stops at for good (see [`Sink::halting_after`]).
type Halt = Arc<dyn Fn(&RestoreEvent) -> bool + Send + Sync>;

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sink")
            .field("halts", &self.halt.is_some())
            .finish()
    }
}

impl Sink {
    /// A sink over a channel.
    pub fn new(tx: tokio::sync::mpsc::Sender<RestoreEvent>) -> Self {
        Self { tx, halt: None }
    }

    /// A sink that never returns from delivering an event `halt` picks: the run stops
    /// there for good, exactly as if its process died right after that record reached the
    /// journal. For crash tests, which need the stop point exact whatever the load.
    pub fn halting_after(
        tx: tokio::sync::mpsc::Sender<RestoreEvent>,
        halt: impl Fn(&RestoreEvent) -> bool + Send + Sync + 'static,
    ) -> Self {
        Self {
            tx,
            halt: Some(Arc::new(halt)),
        }
    }

    /// Delivers an event (a closed channel means nobody watches: fine).
    pub async fn deliver(&self, event: RestoreEvent) {
        let halt = self.halt.as_ref().is_some_and(|h| h(&event));
        self.tx.send(event).await.ok();
        if halt {
            std::future::pending::<()>().await;
        }
    }

    /// Offers an event, dropping it if the channel is full.
    pub fn offer(&self, event: RestoreEvent) {
        self.tx.try_send(event).ok();
    }
}

/// Runs, resumes, undoes and dismisses restore runs whose journals live in `dir`.
#[derive(Clone)]
pub struct RestoreExecutor {
    client: ArmClient,
    dir: PathBuf,
    sink: Sink,
    cancel: Cancel,
}

/// An open run: its journal and its state, kept in step.
struct Run {
    journal: JournalFile,
    state: RunState,
}

impl RestoreExecutor {
    /// An executor; `cancel` stops it between steps.
    pub fn new(client: ArmClient, dir: PathBuf, sink: Sink, cancel: Cancel) -> Self {
        Self {
            client,
            dir,
            sink,
            cancel,
        }
    }

    /// The journal folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Starts a plan: journals it, then runs it. `Err` only when the journal cannot be
    /// written (then nothing is sent).
    pub async fn start(&self, plan: Plan, principal: String) -> Result<RunState, String> {
        let run_id = plan.run_id.clone();
        let journal = match JournalFile::create(&self.dir, &run_id).await {
            Ok(j) => j,
            Err(e) => {
                return Err(self
                    .failed(&run_id, format!("cannot create the run's journal: {e}"))
                    .await);
            }
        };
        let at = now_unix();
        let state = RunState::new(plan.clone(), principal.clone(), at);
        let mut run = Run { journal, state };
        self.write(
            &mut run,
            Record::Planned {
                plan: Box::new(plan),
                principal,
                at,
            },
        )
        .await?;
        if run.state.plan.target == Target::Swap
            && let Some(vm_id) = run.state.plan.vm_id.clone()
        {
            match self.client.get_vm(&vm_id, true).await {
                Ok(vm) => {
                    let record = Record::VmBefore {
                        vm: OriginalVm::of(&vm),
                        at: now_unix(),
                    };
                    self.write(&mut run, record).await?;
                }
                Err(e) => {
                    let error = step_error(&e);
                    self.write(
                        &mut run,
                        Record::Paused {
                            at: now_unix(),
                            reason: format!("cannot read {} before the swap", vm_id.name()),
                            error: Some(error),
                        },
                    )
                    .await?;
                    return self.end(run).await;
                }
            }
        }
        self.run_steps(&mut run).await?;
        self.end(run).await
    }

    /// Resumes a paused or interrupted run: steps done are skipped, the others run again
    /// (each looks its target up first, so nothing is created twice).
    pub async fn resume(&self, run_id: &str) -> Result<RunState, String> {
        let mut run = self.open(run_id).await?;
        if !run.state.is_unfinished() || matches!(run.state.phase, Phase::UndoPaused { .. }) {
            return Ok(run.state);
        }
        self.write(&mut run, Record::Resumed { at: now_unix() })
            .await?;
        self.run_steps(&mut run).await?;
        self.end(run).await
    }

    /// Undoes a run: a swapped VM goes back on its disks (started if it ran), then what
    /// the run created, and only that, is deleted.
    pub async fn undo(&self, run_id: &str) -> Result<RunState, String> {
        let mut run = self.open(run_id).await?;
        let steps = undo_steps(&run.state);
        let titles = steps.iter().map(|s| s.title()).collect();
        self.write(
            &mut run,
            Record::UndoStarted {
                at: now_unix(),
                steps: titles,
            },
        )
        .await?;
        for (i, step) in steps.iter().enumerate() {
            if self.cancel.is_cancelled() {
                self.write(
                    &mut run,
                    Record::UndoPaused {
                        at: now_unix(),
                        reason: "Cancelled by the operator".into(),
                        error: None,
                    },
                )
                .await?;
                return self.end(run).await;
            }
            let ctx = self.step_ctx(run_id, i, true);
            let result = execute_undo(&ctx, step).await;
            let (outcome, note, _, error) = finished(result);
            self.write(
                &mut run,
                Record::UndoStepFinished {
                    step: i,
                    at: now_unix(),
                    outcome,
                    note,
                    error: error.clone(),
                },
            )
            .await?;
            if !matches!(outcome, StepOutcome::Succeeded | StepOutcome::Skipped) {
                let reason = format!("“{}” did not complete", step.title());
                self.write(
                    &mut run,
                    Record::UndoPaused {
                        at: now_unix(),
                        reason,
                        error,
                    },
                )
                .await?;
                return self.end(run).await;
            }
        }
        self.write(&mut run, Record::UndoFinished { at: now_unix() })
            .await?;
        self.end(run).await
    }

    /// Leaves a run as it is and stops offering it.
    pub async fn dismiss(&self, run_id: &str) -> Result<RunState, String> {
        let mut run = self.open(run_id).await?;
        self.write(&mut run, Record::Dismissed { at: now_unix() })
            .await?;
        self.end(run).await
    }

    async fn open(&self, run_id: &str) -> Result<Run, String> {
        match JournalFile::open(&self.dir, run_id).await {
            Ok((journal, state, _)) => Ok(Run { journal, state }),
            Err(e) => Err(self
                .failed(run_id, format!("cannot read the run's journal: {e}"))
                .await),
        }
    }

    async fn failed(&self, run_id: &str, message: String) -> String {
        self.sink
            .deliver(RestoreEvent::Failed {
                run_id: run_id.to_owned(),
                message: message.clone(),
            })
            .await;
        message
    }

    /// Appends a record (fsync'd), then folds it in and tells the watchers.
    async fn write(&self, run: &mut Run, record: Record) -> Result<(), String> {
        let run_id = run.state.run_id().to_owned();
        if let Err(e) = run.journal.append(&record).await {
            let message = format!(
                "cannot write the journal {}: {e}; the run stops here",
                run.journal.path().display()
            );
            return Err(self.failed(&run_id, message).await);
        }
        run.state.apply(&record);
        self.sink
            .deliver(RestoreEvent::Record { run_id, record })
            .await;
        Ok(())
    }

    fn step_ctx(&self, run_id: &str, step: usize, undo: bool) -> StepCtx {
        let sink = self.sink.clone();
        let id = run_id.to_owned();
        let report: Report = Arc::new(move |status, percent| {
            sink.offer(RestoreEvent::Progress {
                run_id: id.clone(),
                step,
                undo,
                status,
                percent,
            })
        });
        StepCtx {
            client: self.client.clone(),
            run_id: run_id.to_owned(),
            cancel: self.cancel.clone(),
            report,
        }
    }

    /// Runs every step not done yet, in dependency order, until the end or a pause.
    async fn run_steps(&self, run: &mut Run) -> Result<(), String> {
        let run_id = run.state.run_id().to_owned();
        loop {
            let steps = &run.state.plan.steps;
            let done: Vec<bool> = run.state.steps.iter().map(|s| s.is_done()).collect();
            if done.iter().all(|d| *d) {
                return self.write(run, Record::Finished { at: now_unix() }).await;
            }
            if self.cancel.is_cancelled() {
                return self
                    .write(
                        run,
                        Record::Paused {
                            at: now_unix(),
                            reason: "Cancelled by the operator".into(),
                            error: None,
                        },
                    )
                    .await;
            }
            let ready: Vec<usize> = (0..steps.len())
                .filter(|&i| !done[i] && steps[i].depends_on.iter().all(|&d| done[d]))
                .collect();
            let Some(&first) = ready.first() else {
                return self
                    .write(
                        run,
                        Record::Paused {
                            at: now_unix(),
                            reason: "no step can run: a step it depends on is not done".into(),
                            error: None,
                        },
                    )
                    .await;
            };
            // Disk restores are independent: they run together.
            let batch: Vec<usize> = if is_restore(&steps[first].kind) {
                ready
                    .into_iter()
                    .filter(|&i| is_restore(&steps[i].kind))
                    .collect()
            } else {
                vec![first]
            };
            for &i in &batch {
                self.write(
                    run,
                    Record::StepStarted {
                        step: i,
                        at: now_unix(),
                    },
                )
                .await?;
            }
            let permits = Arc::new(tokio::sync::Semaphore::new(MAX_PARALLEL_RESTORES));
            let mut tasks = JoinSet::new();
            for &i in &batch {
                let ctx = self.step_ctx(&run_id, i, false);
                let kind = run.state.plan.steps[i].kind.clone();
                let permits = permits.clone();
                tasks.spawn(async move {
                    let _permit = permits.acquire_owned().await;
                    (i, execute(&ctx, &kind).await)
                });
            }
            let mut failure: Option<(String, Option<StepError>, bool)> = None;
            while let Some(joined) = tasks.join_next().await {
                let (i, result) = match joined {
                    Ok(r) => r,
                    Err(e) => {
                        failure.get_or_insert((format!("a step stopped: {e}"), None, false));
                        continue;
                    }
                };
                let (outcome, note, ids, error) = finished(result);
                if !matches!(outcome, StepOutcome::Succeeded | StepOutcome::Skipped)
                    && failure.is_none()
                {
                    let title = &run.state.plan.steps[i].title;
                    let cancelled = outcome == StepOutcome::Cancelled;
                    let reason = if cancelled {
                        "Cancelled by the operator".to_owned()
                    } else {
                        format!("“{title}” failed")
                    };
                    failure = Some((reason, error.clone(), cancelled));
                }
                self.write(
                    run,
                    Record::StepFinished {
                        step: i,
                        at: now_unix(),
                        outcome,
                        note,
                        ids,
                        error,
                    },
                )
                .await?;
            }
            if let Some((reason, error, _)) = failure {
                return self
                    .write(
                        run,
                        Record::Paused {
                            at: now_unix(),
                            reason,
                            error,
                        },
                    )
                    .await;
            }
        }
    }

    /// Writes the evidence beside the journal and returns the run's state.
    async fn end(&self, run: Run) -> Result<RunState, String> {
        let state = run.state;
        let run_id = state.run_id().to_owned();
        let evidence = crate::restore::evidence::evidence(&state);
        let json_path = evidence_path(&self.dir, &run_id, "json");
        let md_path = evidence_path(&self.dir, &run_id, "md");
        let json = serde_json::to_string_pretty(&evidence).unwrap_or_default();
        let md = crate::restore::evidence::markdown(&evidence);
        let written = async {
            tokio::fs::write(&json_path, json).await?;
            tokio::fs::write(&md_path, md).await
        }
        .await;
        match written {
            Ok(()) => {
                self.sink
                    .deliver(RestoreEvent::Evidence {
                        run_id,
                        json: json_path,
                        markdown: md_path,
                    })
                    .await
            }
            Err(e) => {
                self.failed(&run_id, format!("cannot write the evidence: {e}"))
                    .await;
            }
        }
        Ok(state)
    }
}

fn is_restore(kind: &StepKind) -> bool {
    matches!(kind, StepKind::RestoreDisk { .. })
}

/// An ARM error as the journal keeps it.
pub fn step_error(e: &ArmError) -> StepError {
    let info = error_info(e);
    StepError {
        code: info.code,
        message: info.message,
        status: info.status,
        request_id: info.request_id,
        correlation_id: info.correlation_id,
    }
}

/// A step's result as the journal records it.
fn finished(
    result: Result<Done, StepFail>,
) -> (StepOutcome, Option<String>, CallIds, Option<StepError>) {
    match result {
        Ok(done) => (done.outcome(), done.note, done.ids, None),
        Err(StepFail::Arm(ArmError::Cancelled)) => (
            StepOutcome::Cancelled,
            Some("cancelled while waiting".into()),
            CallIds::default(),
            None,
        ),
        Err(StepFail::Arm(e)) => (
            StepOutcome::Failed,
            None,
            CallIds {
                request_id: e.request_id().map(str::to_owned),
                correlation_id: e.correlation_id().map(str::to_owned),
            },
            Some(step_error(&e)),
        ),
        Err(StepFail::Refused(message)) => (
            StepOutcome::Failed,
            None,
            CallIds::default(),
            Some(StepError {
                code: Some("RefusedByRpdesk".into()),
                message,
                ..Default::default()
            }),
        ),
    }
}
