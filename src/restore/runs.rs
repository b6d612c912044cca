//! Every restore run the app knows of, as the backend reports them: the runs found in the
//! journal folder at start-up, and each record and progress line of the runs going on.
//! The same fold as the journal file, so the window shows what the file says.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::journal::{Record, RunState};

/// What the backend reports about restore runs.
#[derive(Clone, Debug)]
pub enum RestoreEvent {
    /// A record was appended to a run's journal.
    Record { run_id: String, record: Record },
    /// Live progress of a step (not journaled).
    Progress {
        run_id: String,
        step: usize,
        undo: bool,
        status: String,
        percent: Option<f64>,
    },
    /// The runs found in the journal folder, and the journals that could not be read.
    Found {
        runs: Vec<RunState>,
        problems: Vec<String>,
    },
    /// The evidence files of a run were written.
    Evidence {
        run_id: String,
        json: PathBuf,
        markdown: PathBuf,
    },
    /// Something outside a step failed (the journal could not be written).
    Failed { run_id: String, message: String },
}

/// One run.
#[derive(Clone, Debug)]
pub struct RunEntry {
    pub state: RunState,
    /// Where its evidence was written (JSON, Markdown).
    pub evidence: Option<(PathBuf, PathBuf)>,
    /// A failure outside the steps (the journal).
    pub failure: Option<String>,
    /// A backend job (run, resume, undo) is working on it.
    pub busy: bool,
}

/// Every run, by id.
#[derive(Clone, Debug, Default)]
pub struct Runs {
    pub runs: BTreeMap<String, RunEntry>,
    /// Journals that could not be read.
    pub problems: Vec<String>,
    /// Failures of runs not known here.
    pub orphan_failures: Vec<String>,
    /// The journal folder was read.
    pub scanned: bool,
}

impl Runs {
    /// Folds an event in.
    pub fn apply(&mut self, event: RestoreEvent) {
        match event {
            RestoreEvent::Record { run_id, record } => {
                if let Record::Planned {
                    plan,
                    principal,
                    at,
                } = &record
                {
                    self.runs.insert(
                        run_id.clone(),
                        RunEntry {
                            state: RunState::new((**plan).clone(), principal.clone(), *at),
                            evidence: None,
                            failure: None,
                            busy: true,
                        },
                    );
                }
                if let Some(entry) = self.runs.get_mut(&run_id) {
                    entry.state.apply(&record);
                    entry.busy = !matches!(
                        record,
                        Record::Finished { .. }
                            | Record::Paused { .. }
                            | Record::UndoFinished { .. }
                            | Record::UndoPaused { .. }
                            | Record::Dismissed { .. }
                    );
                }
            }
            RestoreEvent::Progress {
                run_id,
                step,
                undo,
                status,
                percent,
            } => {
                if let Some(entry) = self.runs.get_mut(&run_id) {
                    let steps = if undo {
                        &mut entry.state.undo_steps
                    } else {
                        &mut entry.state.steps
                    };
                    if let Some(s) = steps.get_mut(step) {
                        s.progress = Some((status, percent));
                    }
                }
            }
            RestoreEvent::Found { runs, problems } => {
                for state in runs {
                    let id = state.run_id().to_owned();
                    self.runs.entry(id).or_insert(RunEntry {
                        state,
                        evidence: None,
                        failure: None,
                        busy: false,
                    });
                }
                self.problems = problems;
                self.scanned = true;
            }
            RestoreEvent::Evidence {
                run_id,
                json,
                markdown,
            } => {
                if let Some(entry) = self.runs.get_mut(&run_id) {
                    entry.evidence = Some((json, markdown));
                    entry.busy = false;
                }
            }
            RestoreEvent::Failed { run_id, message } => match self.runs.get_mut(&run_id) {
                Some(entry) => {
                    entry.failure = Some(message);
                    entry.busy = false;
                }
                None => self.orphan_failures.push(format!("{run_id}: {message}")),
            },
        }
    }

    /// Marks a run as being worked on (a command was sent for it).
    pub fn set_busy(&mut self, run_id: &str) {
        if let Some(e) = self.runs.get_mut(run_id) {
            e.busy = true;
            e.failure = None;
        }
    }

    /// A run by id.
    pub fn get(&self, run_id: &str) -> Option<&RunEntry> {
        self.runs.get(run_id)
    }

    /// Runs of this connection that need a decision and nothing works on, oldest first.
    pub fn unfinished(&self, connection: &str) -> Vec<&RunEntry> {
        self.runs
            .values()
            .filter(|e| !e.busy && e.state.is_unfinished() && e.state.plan.connection == connection)
            .collect()
    }
}
