//! The activity log: every operation that ran and every request that failed. Pure data;
//! the backend produces events, the app folds them in, the UI shows them.

use std::time::{Duration, SystemTime};

use crate::inventory::ErrorInfo;

/// Identifies one activity across its start, progress and end events.
pub type ActivityId = u64;

/// Background loading or a user operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivityKind {
    Load,
    Operation,
}

/// Where an activity is.
#[derive(Clone, Debug, PartialEq)]
pub enum ActivityStatus {
    Running {
        status: String,
        percent: Option<f64>,
    },
    Succeeded,
    Failed(ErrorInfo),
    Cancelled,
}

/// One line of the activity log.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityEntry {
    pub id: ActivityId,
    pub kind: ActivityKind,
    pub title: String,
    pub started: SystemTime,
    pub duration: Option<Duration>,
    pub status: ActivityStatus,
}

/// A change to the log.
#[derive(Clone, Debug, PartialEq)]
pub enum ActivityEvent {
    Started {
        id: ActivityId,
        kind: ActivityKind,
        title: String,
        started: SystemTime,
    },
    Progress {
        id: ActivityId,
        status: String,
        percent: Option<f64>,
    },
    Finished {
        id: ActivityId,
        status: ActivityStatus,
        duration: Duration,
    },
}

impl ActivityEntry {
    /// Applies an event to the matching entry.
    pub fn update(&mut self, event: &ActivityEvent) {
        match event {
            ActivityEvent::Started { .. } => {}
            ActivityEvent::Progress {
                status, percent, ..
            } => {
                self.status = ActivityStatus::Running {
                    status: status.clone(),
                    percent: *percent,
                };
            }
            ActivityEvent::Finished {
                status, duration, ..
            } => {
                self.status = status.clone();
                self.duration = Some(*duration);
            }
        }
    }
}

/// How many finished entries the log keeps; older ones roll off.
const MAX_ENTRIES: usize = 2000;

/// Ids of entries the app records itself (connecting happens before any backend exists)
/// start here, far from the backend's.
const LOCAL_IDS: ActivityId = 1 << 62;

/// The log, newest last.
#[derive(Clone, Debug, Default)]
pub struct ActivityLog {
    entries: Vec<ActivityEntry>,
    local_ids: ActivityId,
}

impl ActivityLog {
    /// Applies a backend event.
    pub fn apply(&mut self, event: ActivityEvent) {
        match &event {
            ActivityEvent::Started {
                id,
                kind,
                title,
                started,
            } => {
                self.entries.push(ActivityEntry {
                    id: *id,
                    kind: *kind,
                    title: title.clone(),
                    started: *started,
                    duration: None,
                    status: ActivityStatus::Running {
                        status: "Started".into(),
                        percent: None,
                    },
                });
                if self.entries.len() > MAX_ENTRIES {
                    let excess = self.entries.len() - MAX_ENTRIES;
                    self.entries.drain(..excess);
                }
            }
            ActivityEvent::Progress { id, .. } | ActivityEvent::Finished { id, .. } => {
                if let Some(e) = self.entries.iter_mut().rev().find(|e| e.id == *id) {
                    e.update(&event);
                }
            }
        }
    }

    /// Records an activity that has already ended (e.g. a connection attempt).
    pub fn record(&mut self, kind: ActivityKind, title: String, status: ActivityStatus) {
        self.local_ids += 1;
        let id = LOCAL_IDS + self.local_ids;
        self.apply(ActivityEvent::Started {
            id,
            kind,
            title,
            started: SystemTime::now(),
        });
        self.apply(ActivityEvent::Finished {
            id,
            status,
            duration: Duration::ZERO,
        });
    }

    /// Entries, oldest first.
    pub fn entries(&self) -> &[ActivityEntry] {
        &self.entries
    }

    /// Entries still running.
    pub fn running(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e.status, ActivityStatus::Running { .. }))
            .count()
    }

    /// Failed entries.
    pub fn failures(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e.status, ActivityStatus::Failed(_)))
            .count()
    }

    /// Forgets everything (new connection).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
