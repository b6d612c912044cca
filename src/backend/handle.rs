//! `Backend`: the handle the app holds. Spawns work on the runtime; results come back on
//! a bounded channel, each followed by a wake-up of the UI.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use tokio::runtime::Handle;
use tokio::sync::{mpsc, watch};

use super::error_info;
use crate::activity::{ActivityEvent, ActivityId, ActivityKind, ActivityStatus};
use crate::arm::{ArmClient, ArmError};
use crate::inventory::InventoryEvent;

/// Asks the UI to repaint (an `egui::Context::request_repaint` in the app).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// What the backend tells the UI.
#[derive(Clone, Debug)]
pub enum BackendEvent {
    Inventory(InventoryEvent),
    Activity(ActivityEvent),
    Restore(super::restore::RestoreEvent),
    /// Deletes and clean-ups.
    Lifecycle(super::lifecycle::LifecycleEvent),
    /// Prices for the cost views (always a book: the embedded table at worst).
    Prices(Box<crate::cost::PriceBook>),
    /// A cost view's figures (`tag` as asked), and how long they took.
    Cost {
        tag: usize,
        model: std::sync::Arc<crate::cost::CostModel>,
        elapsed: std::time::Duration,
    },
}

/// Events buffered between the backend and the UI; senders wait when it is full.
const CHANNEL_CAPACITY: usize = 4096;

/// Cheap to clone; every clone drives the same tasks and channel.
#[derive(Clone)]
pub struct Backend {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub client: ArmClient,
    runtime: Handle,
    pub(super) tx: mpsc::Sender<BackendEvent>,
    pub(super) waker: Waker,
    /// Bumped by [`Backend::shutdown`]: every task started before stops at its next await.
    /// (A list of abort handles would keep each finished task's memory until pruned, and
    /// pruning it at each spawn is quadratic in a fleet's 10,000 collection loads.)
    stop: watch::Sender<u64>,
    /// Tasks started and not yet ended.
    running: Arc<AtomicUsize>,
    next_activity: AtomicU64,
    /// One lane per VM: operations on a VM run one at a time (see `runner`).
    pub(super) lanes:
        Mutex<std::collections::HashMap<crate::model::ResourceId, Arc<tokio::sync::Mutex<()>>>>,
    /// Cancel tokens of operations still running, by activity id.
    pub(super) cancels: Mutex<std::collections::HashMap<ActivityId, crate::arm::Cancel>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.stop.send_modify(|generation| *generation += 1);
    }
}

/// Counts a task as running until dropped.
struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Backend {
    /// A backend over `client`, spawning on `runtime`; returns the event receiver too.
    pub fn new(
        client: ArmClient,
        runtime: Handle,
        waker: Waker,
    ) -> (Self, mpsc::Receiver<BackendEvent>) {
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        let inner = Inner {
            client,
            runtime,
            tx,
            waker,
            stop: watch::channel(0).0,
            running: Arc::new(AtomicUsize::new(0)),
            next_activity: AtomicU64::new(1),
            lanes: Mutex::new(Default::default()),
            cancels: Mutex::new(Default::default()),
        };
        (
            Self {
                inner: Arc::new(inner),
            },
            rx,
        )
    }

    /// The ARM client.
    pub fn client(&self) -> &ArmClient {
        &self.inner.client
    }

    /// Stops every task this backend started.
    pub fn shutdown(&self) {
        self.inner.stop.send_modify(|generation| *generation += 1);
    }

    /// Cancels a running operation (waiting stops; what Azure already started may finish).
    pub fn cancel(&self, id: ActivityId) {
        if let Some(cancel) = self
            .inner
            .cancels
            .lock()
            .ok()
            .and_then(|mut c| c.remove(&id))
        {
            cancel.cancel();
        }
    }

    /// A cancel token for an operation, registered under its activity id.
    pub(super) fn cancel_token(&self, id: ActivityId) -> crate::arm::Cancel {
        let cancel = crate::arm::Cancel::new();
        if let Ok(mut c) = self.inner.cancels.lock() {
            c.insert(id, cancel.clone());
        }
        cancel
    }

    /// Forgets an operation's cancel token once it has ended.
    pub(super) fn forget_cancel(&self, id: ActivityId) {
        if let Ok(mut c) = self.inner.cancels.lock() {
            c.remove(&id);
        }
    }

    /// Number of tasks still running.
    pub fn running_tasks(&self) -> usize {
        self.inner.running.load(Ordering::Relaxed)
    }

    pub(super) fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        let mut stop = self.inner.stop.subscribe();
        let started_in = *stop.borrow_and_update();
        self.inner.running.fetch_add(1, Ordering::Relaxed);
        let running = Running(self.inner.running.clone());
        self.inner.runtime.spawn(async move {
            let _running = running;
            // The stop's read guard (`wait_for`'s `Ref`) is let go inside its own branch:
            // select! drops the losing future afterwards, and if that future holds the last
            // `Backend`, `Inner::drop` bumps the stop, which needs the write lock. Held
            // across that drop, the guard deadlocked the thread (seen at exit mid-copy).
            tokio::select! {
                () = future => {}
                () = async {
                    let _ = stop
                        .wait_for(|generation| *generation != started_in)
                        .await
                        .map(|_| ());
                } => {}
            }
        });
    }

    pub(super) async fn emit(&self, event: BackendEvent) {
        if self.inner.tx.send(event).await.is_ok() {
            (self.inner.waker)();
        }
    }

    pub(super) async fn emit_inventory(&self, event: InventoryEvent) {
        self.emit(BackendEvent::Inventory(event)).await;
    }

    /// Starts an activity log entry and returns its id.
    pub(super) async fn begin_activity(
        &self,
        kind: ActivityKind,
        title: String,
    ) -> (ActivityId, Instant) {
        let id = self.inner.next_activity.fetch_add(1, Ordering::Relaxed);
        self.emit(BackendEvent::Activity(ActivityEvent::Started {
            id,
            kind,
            title,
            started: SystemTime::now(),
        }))
        .await;
        (id, Instant::now())
    }

    /// Ends an activity log entry.
    pub(super) async fn end_activity(
        &self,
        (id, started): (ActivityId, Instant),
        status: ActivityStatus,
    ) {
        let duration = started.elapsed();
        self.emit(BackendEvent::Activity(ActivityEvent::Finished {
            id,
            status,
            duration,
        }))
        .await;
    }

    /// Puts list items the client had to skip (unreadable JSON) in the activity log, so
    /// nothing goes missing without a word.
    pub(super) async fn report_unreadable(&self) {
        let items = self.inner.client.take_unreadable();
        if items.is_empty() {
            return;
        }
        let title = format!(
            "{} list item(s) could not be read and were skipped",
            items.len()
        );
        let error = crate::inventory::ErrorInfo {
            code: Some("UnreadableItem".into()),
            message: items.iter().take(5).cloned().collect::<Vec<_>>().join("; "),
            ..Default::default()
        };
        let activity = self.begin_activity(ActivityKind::Load, title).await;
        self.end_activity(activity, ActivityStatus::Failed(error))
            .await;
    }

    /// Logs a failed background request as a finished activity.
    pub(super) async fn log_failure(&self, title: String, started: Instant, error: &ArmError) {
        let (id, _) = self.begin_activity(ActivityKind::Load, title).await;
        self.end_activity((id, started), ActivityStatus::Failed(error_info(error)))
            .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A task that holds the last `Backend` when the stop comes drops it from inside its
    /// own select: that must not deadlock on the stop's lock (it did, at exit mid-copy).
    #[test]
    fn a_task_holding_the_last_backend_stops_without_deadlock() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let client = ArmClient::new(
            "http://127.0.0.1:9/",
            Arc::new(crate::auth::StaticToken::new("t")),
            Default::default(),
        )
        .expect("a client");
        let (backend, _events) = Backend::new(client, rt.handle().clone(), Arc::new(|| {}));
        let running = backend.inner.running.clone();
        let keep = backend.clone();
        backend.spawn(async move {
            let _last = keep;
            std::future::pending::<()>().await
        });
        // The task starts waiting before the stop comes.
        std::thread::sleep(std::time::Duration::from_millis(50));
        backend.shutdown();
        drop(backend);
        let started = std::time::Instant::now();
        while running.load(Ordering::Relaxed) > 0
            && started.elapsed() < std::time::Duration::from_secs(5)
        {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let left = running.load(Ordering::Relaxed);
        // A deadlocked worker would hang the runtime's drop too.
        rt.shutdown_background();
        assert_eq!(left, 0, "the task ended");
    }
}
