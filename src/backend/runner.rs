//! The operation runner: every user operation (a restore point creation, a restore run,
//! its undo) runs through it. It gives the operation an activity log entry, a cancel
//! token, "step i of n" progress, and a lane: operations on one VM wait their turn (Azure
//! refuses concurrent changes to a VM) while other VMs go on.

use std::future::Future;
use std::sync::Arc;

use super::{Backend, BackendEvent, error_info};
use crate::activity::{ActivityEvent, ActivityId, ActivityKind, ActivityStatus};
use crate::arm::{ArmError, Cancel, LroProgress};
use crate::model::ResourceId;

/// A running operation, handed to its work.
#[derive(Clone)]
pub(super) struct Operation {
    backend: Backend,
    pub id: ActivityId,
    pub cancel: Cancel,
    total_steps: usize,
}

impl Operation {
    /// Reports a status line with an overall percentage (best effort: a full channel drops
    /// a line rather than slowing the operation).
    pub fn status(&self, status: impl Into<String>, percent: Option<f64>) {
        let event = ActivityEvent::Progress {
            id: self.id,
            status: status.into(),
            percent,
        };
        if self
            .backend
            .inner
            .tx
            .try_send(BackendEvent::Activity(event))
            .is_ok()
        {
            (self.backend.inner.waker)();
        }
    }

    /// "Step 3 of 9: …", with the overall percentage (`within` is the step's own, 0–100).
    pub fn step(&self, index: usize, title: &str, within: Option<f64>) {
        let total = self.total_steps.max(1);
        let percent = (index as f64 + within.unwrap_or(0.0) / 100.0) * 100.0 / total as f64;
        self.status(
            format!("Step {} of {total}: {title}", index + 1),
            Some(percent.clamp(0.0, 100.0)),
        );
    }

    /// A progress callback for a long-running operation of step `index`.
    pub fn lro_progress(&self, index: usize, title: String) -> impl Fn(LroProgress) + Send + Sync {
        let op = self.clone();
        move |p: LroProgress| {
            op.step(
                index,
                &format!("{title} — {} ({} s)", p.status, p.elapsed.as_secs()),
                p.percent_complete,
            )
        }
    }
}

/// An activity status from a result.
pub(super) fn status_of(result: Result<(), ArmError>) -> ActivityStatus {
    match result {
        Ok(()) => ActivityStatus::Succeeded,
        Err(ArmError::Cancelled) => ActivityStatus::Cancelled,
        Err(e) => ActivityStatus::Failed(error_info(&e)),
    }
}

impl Backend {
    /// The lane of a VM (or any resource operations queue on).
    fn lane(&self, key: &ResourceId) -> Arc<tokio::sync::Mutex<()>> {
        let mut lanes = match self.inner.lanes.lock() {
            Ok(l) => l,
            Err(poisoned) => poisoned.into_inner(),
        };
        lanes.retain(|_, l| Arc::strong_count(l) > 1);
        lanes.entry(key.clone()).or_default().clone()
    }

    /// Runs `work` as an operation: logged, cancellable, waiting for its lane first.
    pub(super) async fn run_operation<F, Fut>(
        &self,
        title: String,
        lane: Option<&ResourceId>,
        total_steps: usize,
        work: F,
    ) -> ActivityStatus
    where
        F: FnOnce(Operation) -> Fut,
        Fut: Future<Output = ActivityStatus>,
    {
        let activity = self.begin_activity(ActivityKind::Operation, title).await;
        let cancel = self.cancel_token(activity.0);
        let op = Operation {
            backend: self.clone(),
            id: activity.0,
            cancel: cancel.clone(),
            total_steps,
        };
        let lane = lane.map(|key| (key.name().to_owned(), self.lane(key)));
        let status = 'run: {
            let _turn = match &lane {
                None => None,
                Some((name, lane)) => match lane.clone().try_lock_owned() {
                    Ok(guard) => Some(guard),
                    Err(_) => {
                        op.status(
                            format!("Waiting for another operation on {name} to end"),
                            None,
                        );
                        tokio::select! {
                            guard = lane.clone().lock_owned() => Some(guard),
                            () = cancel.cancelled() => break 'run ActivityStatus::Cancelled,
                        }
                    }
                },
            };
            if cancel.is_cancelled() {
                break 'run ActivityStatus::Cancelled;
            }
            work(op).await
        };
        self.forget_cancel(activity.0);
        self.end_activity(activity, status.clone()).await;
        status
    }
}
