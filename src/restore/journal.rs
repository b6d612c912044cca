//! The run journal: one JSON record per line, written (and fsync'd) before a step starts
//! and after it ends. Folding the records gives the run's state, the same fold for the
//! file read at start-up and for the events the UI receives while the run goes on.

use serde::{Deserialize, Serialize};

use super::plan::Plan;
use super::vm_patch::OriginalVm;

/// An error as the journal and the evidence keep it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StepError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
}

impl StepError {
    /// `Code: message`.
    pub fn summary(&self) -> String {
        match &self.code {
            Some(c) => format!("{c}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepOutcome {
    Succeeded,
    /// Its target was already as planned (a resumed run).
    Skipped,
    Failed,
    Cancelled,
}

/// The ids ARM gave the step's last write.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CallIds {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
}

/// One line of the journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum Record {
    /// The first line: the plan as reviewed, and who ran it.
    Planned {
        plan: Box<Plan>,
        principal: String,
        at: i64,
    },
    /// The VM's disks and power state read when the run (or its resumption) began.
    VmBefore {
        vm: OriginalVm,
        at: i64,
    },
    StepStarted {
        step: usize,
        at: i64,
    },
    StepFinished {
        step: usize,
        at: i64,
        outcome: StepOutcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        #[serde(default)]
        ids: CallIds,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<StepError>,
    },
    /// The run stopped before its end (a failure, or Cancel): Resume or Undo.
    Paused {
        at: i64,
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<StepError>,
    },
    Resumed {
        at: i64,
    },
    Finished {
        at: i64,
    },
    UndoStarted {
        at: i64,
        steps: Vec<String>,
    },
    UndoStepFinished {
        step: usize,
        at: i64,
        outcome: StepOutcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<StepError>,
    },
    UndoPaused {
        at: i64,
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<StepError>,
    },
    UndoFinished {
        at: i64,
    },
    /// The operator chose to leave the run as it is.
    Dismissed {
        at: i64,
    },
}

/// A step as the run knows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepState {
    pub title: String,
    pub started: Option<i64>,
    pub ended: Option<i64>,
    pub outcome: Option<StepOutcome>,
    pub note: Option<String>,
    pub ids: CallIds,
    pub error: Option<StepError>,
    /// Live progress of a running step (not journaled).
    pub progress: Option<(String, Option<f64>)>,
}

impl StepState {
    /// Whether the step needs no more work.
    pub fn is_done(&self) -> bool {
        matches!(
            self.outcome,
            Some(StepOutcome::Succeeded | StepOutcome::Skipped)
        )
    }

    /// Whether it started and did not end (a crash in the middle of it).
    pub fn is_running(&self) -> bool {
        self.started.is_some() && self.outcome.is_none()
    }
}

/// Where a run is.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Running,
    Paused {
        reason: String,
        error: Option<StepError>,
    },
    Finished,
    Undoing,
    UndoPaused {
        reason: String,
        error: Option<StepError>,
    },
    Undone,
    Dismissed,
}

/// A run: its plan, each step's state, and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct RunState {
    pub plan: Plan,
    pub principal: String,
    pub started_at: i64,
    pub vm_before: Option<OriginalVm>,
    pub steps: Vec<StepState>,
    pub phase: Phase,
    pub finished_at: Option<i64>,
    pub undo_steps: Vec<StepState>,
}

impl RunState {
    /// A run from its first record.
    pub fn new(plan: Plan, principal: String, at: i64) -> Self {
        let steps = plan
            .steps
            .iter()
            .map(|s| StepState {
                title: s.title.clone(),
                ..Default::default()
            })
            .collect();
        Self {
            plan,
            principal,
            started_at: at,
            vm_before: None,
            steps,
            phase: Phase::Running,
            finished_at: None,
            undo_steps: Vec::new(),
        }
    }

    /// Folds one record in.
    pub fn apply(&mut self, record: &Record) {
        match record {
            Record::Planned { .. } => {}
            Record::VmBefore { vm, .. } => {
                // The first reading is the one to go back to.
                if self.vm_before.is_none() {
                    self.vm_before = Some(vm.clone());
                }
            }
            Record::StepStarted { step, at } => {
                if let Some(s) = self.steps.get_mut(*step) {
                    s.started = Some(*at);
                    s.ended = None;
                    s.outcome = None;
                    s.error = None;
                }
                self.phase = Phase::Running;
            }
            Record::StepFinished {
                step,
                at,
                outcome,
                note,
                ids,
                error,
            } => {
                if let Some(s) = self.steps.get_mut(*step) {
                    s.ended = Some(*at);
                    s.outcome = Some(*outcome);
                    s.note = note.clone();
                    s.ids = ids.clone();
                    s.error = error.clone();
                    s.progress = None;
                }
            }
            Record::Paused { reason, error, .. } => {
                self.phase = Phase::Paused {
                    reason: reason.clone(),
                    error: error.clone(),
                };
            }
            Record::Resumed { .. } => self.phase = Phase::Running,
            Record::Finished { at } => {
                self.phase = Phase::Finished;
                self.finished_at = Some(*at);
            }
            Record::UndoStarted { steps, .. } => {
                self.phase = Phase::Undoing;
                self.undo_steps = steps
                    .iter()
                    .map(|t| StepState {
                        title: t.clone(),
                        ..Default::default()
                    })
                    .collect();
            }
            Record::UndoStepFinished {
                step,
                at,
                outcome,
                note,
                error,
            } => {
                if let Some(s) = self.undo_steps.get_mut(*step) {
                    s.ended = Some(*at);
                    s.outcome = Some(*outcome);
                    s.note = note.clone();
                    s.error = error.clone();
                }
            }
            Record::UndoPaused { reason, error, .. } => {
                self.phase = Phase::UndoPaused {
                    reason: reason.clone(),
                    error: error.clone(),
                };
            }
            Record::UndoFinished { at } => {
                self.phase = Phase::Undone;
                self.finished_at = Some(*at);
            }
            Record::Dismissed { .. } => self.phase = Phase::Dismissed,
        }
    }

    /// Whether the run needs a decision: Resume, Undo or Dismiss.
    pub fn is_unfinished(&self) -> bool {
        !matches!(
            self.phase,
            Phase::Finished | Phase::Undone | Phase::Dismissed
        )
    }

    /// Steps done (succeeded or skipped).
    pub fn done_steps(&self) -> usize {
        self.steps.iter().filter(|s| s.is_done()).count()
    }

    /// Overall progress, 0–100.
    pub fn percent(&self) -> f64 {
        let (steps, done) = match self.phase {
            Phase::Undoing | Phase::UndoPaused { .. } | Phase::Undone => (
                self.undo_steps.len(),
                self.undo_steps.iter().filter(|s| s.is_done()).count(),
            ),
            _ => (self.steps.len(), self.done_steps()),
        };
        if steps == 0 {
            return 100.0;
        }
        done as f64 * 100.0 / steps as f64
    }

    /// The run id.
    pub fn run_id(&self) -> &str {
        &self.plan.run_id
    }
}

/// Reads a journal's text. A torn last line (a crash mid-write) is left out and said;
/// any other unreadable line makes the journal unreadable.
pub fn read_journal(text: &str) -> Result<(RunState, Vec<Record>, Option<String>), String> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut records = Vec::with_capacity(lines.len());
    let mut torn = None;
    for (i, line) in lines.iter().enumerate() {
        match serde_json::from_str::<Record>(line) {
            Ok(r) => records.push(r),
            Err(e) if i + 1 == lines.len() => {
                torn = Some(format!(
                    "the last line was cut short ({e}) and was left out"
                ));
            }
            Err(e) => return Err(format!("line {} cannot be read: {e}", i + 1)),
        }
    }
    let Some(Record::Planned {
        plan,
        principal,
        at,
    }) = records.first()
    else {
        return Err("the journal does not start with its plan".into());
    };
    let mut state = RunState::new((**plan).clone(), principal.clone(), *at);
    for r in &records[1..] {
        state.apply(r);
    }
    // A step that started and never ended was interrupted: the run is paused there.
    if state.phase == Phase::Running
        && let Some(s) = state.steps.iter().find(|s| s.is_running())
    {
        state.phase = Phase::Paused {
            reason: format!("rpdesk stopped during “{}”", s.title),
            error: None,
        };
    } else if state.phase == Phase::Running && state.done_steps() < state.steps.len() {
        state.phase = Phase::Paused {
            reason: "rpdesk stopped between steps".into(),
            error: None,
        };
    } else if state.phase == Phase::Undoing {
        state.phase = Phase::UndoPaused {
            reason: "rpdesk stopped while undoing".into(),
            error: None,
        };
    }
    Ok((state, records, torn))
}

/// One journal line, newline included.
pub fn record_line(record: &Record) -> Result<String, serde_json::Error> {
    let mut line = serde_json::to_string(record)?;
    line.push('\n');
    Ok(line)
}
