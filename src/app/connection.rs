//! Connecting, switching connections, and draining backend events.

use poll_promise::Promise;
use tokio::sync::mpsc;

use super::{App, PersistedConnection};
use crate::arm::ArmClient;
use crate::backend::{Backend, BackendEvent, ConnectionInfo, ConnectionSpec, Waker};
use crate::inventory::{ErrorInfo, Inventory};
use crate::ui::{ConnectionKind, ConnectionStatus, ConnectionView};

/// The connection's life.
pub(super) enum Conn {
    Idle,
    Connecting {
        spec: ConnectionSpec,
        promise: Promise<Result<ConnectionInfo, ErrorInfo>>,
    },
    Connected {
        info: ConnectionInfo,
        backend: Backend,
        events: mpsc::Receiver<BackendEvent>,
    },
    Failed {
        spec: ConnectionSpec,
        error: ErrorInfo,
    },
}

impl Conn {
    pub(super) fn spec(&self) -> Option<&ConnectionSpec> {
        match self {
            Conn::Idle => None,
            Conn::Connecting { spec, .. } | Conn::Failed { spec, .. } => Some(spec),
            Conn::Connected { info, .. } => Some(&info.spec),
        }
    }

    pub(super) fn is_connected(&self) -> bool {
        matches!(self, Conn::Connected { .. })
    }

    pub(super) fn backend(&self) -> Option<&Backend> {
        match self {
            Conn::Connected { backend, .. } => Some(backend),
            _ => None,
        }
    }

    pub(super) fn client(&self) -> Option<&ArmClient> {
        match self {
            Conn::Connected { info, .. } => Some(&info.client),
            _ => None,
        }
    }

    pub(super) fn shutdown(&mut self) {
        if let Conn::Connected { backend, .. } = self {
            backend.shutdown();
        }
        *self = Conn::Idle;
    }
}

impl App {
    /// The spec for a persisted connection choice.
    pub(super) fn spec_for(&mut self, persisted: &PersistedConnection) -> ConnectionSpec {
        match persisted {
            PersistedConnection::Azure(cloud) => ConnectionSpec::Azure { cloud: *cloud },
            PersistedConnection::Custom { endpoint } => {
                // The token was not saved: ask for it, and show the demo meanwhile.
                self.ui.connect_dialog = Some(crate::ui::state::ConnectDialog {
                    endpoint: endpoint.clone(),
                    ..Default::default()
                });
                self.demo_spec()
            }
            PersistedConnection::Demo => self.demo_spec(),
        }
    }

    pub(super) fn demo_spec(&self) -> ConnectionSpec {
        ConnectionSpec::Demo {
            estate: self.demo_estate.clone(),
            state_file: self.demo_state_file.clone(),
            speed: self.demo_speed,
        }
    }

    /// Whether the demo could not start because its state file is damaged.
    pub(super) fn demo_state_is_damaged(&self) -> bool {
        matches!(&self.conn, Conn::Failed { spec: ConnectionSpec::Demo { .. }, error }
            if error.code.as_deref() == Some(crate::backend::DEMO_STATE_CORRUPT))
    }

    /// Moves the damaged demo state file aside (never deleting it) and starts the demo
    /// afresh; the activity log says where the old file went.
    pub(super) fn set_aside_damaged_demo_state(&mut self) {
        let Some(path) = self.demo_state_file.clone() else {
            return;
        };
        let result = crate::emulator::set_aside_corrupt_state(&path);
        if result.is_ok() {
            self.connect(self.demo_spec());
        }
        let (title, status) = match result {
            Ok(kept) => (
                format!(
                    "Set the damaged demo estate aside as {} and started a new one",
                    kept.display()
                ),
                crate::activity::ActivityStatus::Succeeded,
            ),
            Err(e) => (
                format!("Set the damaged demo estate {} aside", path.display()),
                crate::activity::ActivityStatus::Failed(crate::inventory::ErrorInfo {
                    code: Some("SetAsideFailed".into()),
                    message: format!("could not move {} aside: {e}", path.display()),
                    ..Default::default()
                }),
            ),
        };
        self.activity
            .record(crate::activity::ActivityKind::Load, title, status);
    }

    /// Drops the current connection and starts a new one; the old inventory goes.
    pub(super) fn connect(&mut self, spec: ConnectionSpec) {
        self.conn.shutdown();
        let labels = std::mem::take(&mut self.inventory.labels);
        self.inventory = Inventory::default();
        self.inventory.set_labels(labels);
        self.activity.clear();
        self.restores = Default::default();
        self.prices = Default::default();
        self.cost_jobs = 0;
        self.ui.restore_wizard = None;
        self.ui.selection = None;
        self.ui.caches = Default::default();
        self.ui.expanded.clear();
        self.last_connection = match &spec {
            ConnectionSpec::Demo { .. } => PersistedConnection::Demo,
            ConnectionSpec::Azure { cloud } => PersistedConnection::Azure(*cloud),
            ConnectionSpec::Custom { endpoint, .. } => PersistedConnection::Custom {
                endpoint: endpoint.clone(),
            },
        };
        let (sender, promise) = Promise::new();
        let ctx = self.egui_ctx.clone();
        let options = self.client_options.clone();
        let spec_for_task = spec.clone();
        self.runtime.spawn(async move {
            let result = crate::backend::connect(spec_for_task, options).await;
            sender.send(result);
            ctx.request_repaint();
        });
        self.conn = Conn::Connecting { spec, promise };
    }

    pub(super) fn poll_connection(&mut self) {
        if !matches!(self.conn, Conn::Connecting { .. }) {
            return;
        }
        let Conn::Connecting { spec, promise } = std::mem::replace(&mut self.conn, Conn::Idle)
        else {
            return;
        };
        self.conn = match promise.try_take() {
            Err(promise) => Conn::Connecting { spec, promise },
            Ok(Err(error)) => {
                self.activity.record(
                    crate::activity::ActivityKind::Load,
                    format!("Connect to {}", spec.label()),
                    crate::activity::ActivityStatus::Failed(error.clone()),
                );
                Conn::Failed { spec, error }
            }
            Ok(Ok(info)) => {
                let ctx = self.egui_ctx.clone();
                let waker: Waker = std::sync::Arc::new(move || ctx.request_repaint());
                let (backend, events) =
                    Backend::new(info.client.clone(), self.runtime.clone(), waker);
                self.inventory.mark_loading_all();
                backend.load_all();
                // Runs left unfinished (a crash, a pause) are offered again.
                backend.scan_restores(self.runs_dir());
                Conn::Connected {
                    info,
                    backend,
                    events,
                }
            }
        };
    }

    /// Applies every event that arrived since the last frame.
    pub(super) fn drain_events(&mut self) {
        let Conn::Connected { events, .. } = &mut self.conn else {
            return;
        };
        let mut lifecycle = Vec::new();
        while let Ok(event) = events.try_recv() {
            match event {
                BackendEvent::Inventory(e) => self.inventory.apply(e),
                BackendEvent::Activity(e) => self.activity.apply(e),
                BackendEvent::Restore(e) => self.restores.apply(e),
                BackendEvent::Lifecycle(e) => lifecycle.push(e),
                BackendEvent::Prices(book) => {
                    self.prices.book = Some(*book);
                    self.prices.loading = false;
                }
                BackendEvent::Cost {
                    tag,
                    model,
                    elapsed,
                } => {
                    self.cost_jobs = self.cost_jobs.saturating_sub(1);
                    if let Some(slot) = crate::ui::cost::CostSlot::from_tag(tag) {
                        self.ui.caches.cost.receive(slot, model, elapsed);
                    }
                }
            }
        }
        for e in lifecycle {
            self.apply_lifecycle(e);
        }
    }

    /// Which connection restore runs belong to: `demo`, `azure:<cloud>`, or the endpoint.
    pub fn connection_key(&self) -> String {
        match self.conn.spec() {
            Some(ConnectionSpec::Azure { cloud }) => {
                format!("azure:{cloud:?}").to_ascii_lowercase()
            }
            Some(ConnectionSpec::Custom { endpoint, .. }) => endpoint.clone(),
            _ => "demo".to_owned(),
        }
    }

    /// Whether the demo (the embedded emulator) is connected.
    pub(super) fn is_demo(&self) -> bool {
        matches!(self.conn.spec(), Some(ConnectionSpec::Demo { .. }) | None)
    }

    /// What the UI shows about the connection.
    pub fn connection_view(&self) -> ConnectionView {
        let spec = self.conn.spec();
        let kind = match spec {
            Some(ConnectionSpec::Azure { cloud }) => ConnectionKind::Azure(*cloud),
            Some(ConnectionSpec::Custom { .. }) => ConnectionKind::Custom,
            _ => ConnectionKind::Demo,
        };
        let status = match &self.conn {
            Conn::Idle | Conn::Connecting { .. } => ConnectionStatus::Connecting,
            // Connected, but ARM never answered the first list: say so, not "connected".
            Conn::Connected { .. } => match self.inventory.subscriptions.error() {
                Some(error) if self.inventory.subscriptions.value().is_none() => {
                    ConnectionStatus::Failed(error.clone())
                }
                _ => ConnectionStatus::Connected,
            },
            Conn::Failed { error, .. } => ConnectionStatus::Failed(error.clone()),
        };
        let stats = self.conn.client().map(|c| c.stats()).unwrap_or_default();
        ConnectionView {
            kind,
            label: spec
                .map(|s| s.label())
                .unwrap_or_else(|| "Not connected".into()),
            endpoint: self
                .conn
                .client()
                .map(|c| c.base_url().to_string())
                .unwrap_or_default(),
            credential: self
                .conn
                .client()
                .map(|c| c.token_description())
                .unwrap_or_default(),
            status,
            requests: stats.requests,
            throttled: stats.throttled,
        }
    }
}
