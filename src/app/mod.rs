//! The one place that wires the UI to the backend: owns the connection, the inventory,
//! the activity log and the UI state; drains backend events before each frame, runs the
//! UI, then executes the commands it returned.

mod commands;
mod connection;
mod cost;
mod export;
mod export_run;
mod lifecycle;
mod memory;
mod persist;
mod restore;
mod screenshot;

use std::path::PathBuf;

use tokio::runtime::Handle;

use crate::activity::ActivityLog;
use crate::arm::ClientOptions;
use crate::backend::ConnectionSpec;
use crate::inventory::Inventory;
use crate::restore::runs::Runs;
use crate::ui::{self, UiState};

pub use commands::READ_ONLY_CODE;
pub use persist::PersistedConnection;
pub use screenshot::{ScreenshotOutcome, ScreenshotRequest};

use connection::Conn;

/// How the app starts.
pub struct AppOptions {
    pub runtime: Handle,
    /// A connection chosen on the command line; `None` uses the last one (the demo at first).
    pub connection: Option<ConnectionSpec>,
    pub screenshot: Option<ScreenshotRequest>,
    pub theme: Option<ui::state::ThemeChoice>,
    pub client_options: ClientOptions,
    /// Where the demo estate persists; `None` keeps it in memory.
    pub demo_state_file: Option<PathBuf>,
    /// Demo estate spec (`demo`, `large:N`).
    pub demo_estate: String,
    /// The demo's clock: virtual seconds per real second.
    pub demo_speed: f64,
    /// Skip eframe storage (tests).
    pub ephemeral: bool,
    /// Where restore journals and evidence go (`runs/` inside); `None`: the user's data
    /// folder, or a temporary one when ephemeral.
    pub data_dir: Option<PathBuf>,
    /// The Retail Prices endpoint, or `offline` for the cache and the embedded table;
    /// `None`: the demo's emulator for the demo, `https://prices.azure.com` otherwise.
    pub prices_endpoint: Option<String>,
    /// `--read-only`: no write for this session, whatever the setting says.
    pub read_only: bool,
}

impl AppOptions {
    /// Defaults for the demo on `runtime`.
    pub fn new(runtime: Handle) -> Self {
        Self {
            runtime,
            connection: None,
            screenshot: None,
            theme: None,
            client_options: ClientOptions::default(),
            demo_state_file: None,
            demo_estate: "demo".into(),
            demo_speed: 1.0,
            ephemeral: false,
            data_dir: None,
            prices_endpoint: None,
            read_only: false,
        }
    }
}

/// The application.
pub struct App {
    /// UI state (persisted part included).
    pub ui: UiState,
    pub inventory: Inventory,
    pub activity: ActivityLog,
    last_connection: PersistedConnection,
    conn: Conn,
    runtime: Handle,
    client_options: ClientOptions,
    demo_state_file: Option<PathBuf>,
    demo_estate: String,
    demo_speed: f64,
    screenshot: Option<screenshot::ScreenshotJob>,
    applied_theme: Option<ui::state::ThemeChoice>,
    ephemeral: bool,
    egui_ctx: egui::Context,
    /// Restore runs, as the backend reports them.
    pub restores: Runs,
    /// The export dialog's export, while it reads the inventory.
    export_job: Option<export_run::RunningExport>,
    data_dir: PathBuf,
    /// Prices for the cost views.
    pub prices: ui::PricesView,
    prices_endpoint: Option<String>,
    /// Cost computations sent to the backend and not yet back.
    cost_jobs: usize,
    /// Started with `--read-only`.
    read_only_flag: bool,
    /// Where local labels are kept (`None`: in memory only).
    labels_file: Option<PathBuf>,
    /// Clean-ups started so far (each one's token).
    cleanup_tokens: u64,
    /// The temporary data folder of an ephemeral session, removed when the app goes.
    temp_data_dir: Option<PathBuf>,
    /// Memory given back after each load.
    settling: memory::Settling,
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(dir) = &self.temp_data_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl App {
    /// Builds the app from eframe's creation context.
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> Self {
        let loaded = if options.ephemeral {
            persist::Loaded::default()
        } else {
            cc.storage.map(persist::load).unwrap_or_default()
        };
        let persisted = loaded.state;
        let (mut ui_state, last_connection) = persisted.unwrap_or_default();
        if let Some(theme) = options.theme {
            ui_state.theme = theme;
        }
        let data_dir_given = options.data_dir.is_some();
        let temp_data_dir = (!data_dir_given && options.ephemeral).then(ephemeral_data_dir);
        let mut app = Self {
            ui: ui_state,
            inventory: Inventory::default(),
            activity: ActivityLog::default(),
            last_connection,
            conn: Conn::Idle,
            runtime: options.runtime,
            client_options: options.client_options,
            demo_state_file: options.demo_state_file,
            demo_estate: options.demo_estate,
            demo_speed: options.demo_speed,
            screenshot: options.screenshot.map(screenshot::ScreenshotJob::new),
            applied_theme: None,
            ephemeral: options.ephemeral,
            egui_ctx: cc.egui_ctx.clone(),
            restores: Runs::default(),
            export_job: None,
            data_dir: options
                .data_dir
                .or_else(|| temp_data_dir.clone())
                .unwrap_or_else(default_data_dir),
            prices: Default::default(),
            prices_endpoint: options.prices_endpoint,
            cost_jobs: 0,
            read_only_flag: options.read_only,
            labels_file: None,
            cleanup_tokens: 0,
            temp_data_dir,
            settling: Default::default(),
        };
        app.labels_file = lifecycle::labels_file(&app.data_dir, data_dir_given, options.ephemeral);
        let spec = options
            .connection
            .unwrap_or_else(|| app.spec_for(&app.last_connection.clone()));
        app.connect(spec);
        // After connecting, which starts a fresh activity log.
        if let Some(raw) = loaded.unreadable {
            app.report_unreadable_settings(&raw);
        }
        app.load_labels();
        app
    }

    /// The connection being used or attempted.
    pub fn connection_spec(&self) -> Option<&ConnectionSpec> {
        self.conn.spec()
    }

    /// True once connected and nothing is loading.
    pub fn is_idle(&self) -> bool {
        self.conn.is_connected()
            && self.inventory.progress().is_complete()
            && self.activity.running() == 0
    }

    /// True while prices load or cost figures are being computed.
    pub fn cost_busy(&self) -> bool {
        self.prices.loading || self.cost_jobs > 0
    }

    /// The base URL of the connected endpoint (the demo emulator's for the demo).
    pub fn endpoint(&self) -> Option<String> {
        self.conn.client().map(|c| c.base_url().to_string())
    }

    /// Requests sent on the current connection.
    pub fn request_count(&self) -> u64 {
        self.conn.client().map(|c| c.stats().requests).unwrap_or(0)
    }

    /// The outcome of `--screenshot`, once taken.
    pub fn screenshot_outcome(&self) -> Option<ScreenshotOutcome> {
        self.screenshot.as_ref().and_then(|s| s.outcome())
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.applied_theme != Some(self.ui.theme) {
            ui::theme::apply(ctx, self.ui.theme);
            self.applied_theme = Some(self.ui.theme);
        }
    }

    /// Says once that the saved settings could not be read, and keeps them aside.
    fn report_unreadable_settings(&mut self, raw: &str) {
        let status = match persist::keep_aside(&self.data_dir, raw, Self::now_unix()) {
            Ok(path) => crate::activity::ActivityStatus::Failed(crate::inventory::ErrorInfo {
                code: Some("SettingsUnreadable".into()),
                message: format!(
                    "The saved settings could not be read: defaults are in use, the old ones are kept in {}",
                    path.display()
                ),
                ..Default::default()
            }),
            Err(e) => crate::activity::ActivityStatus::Failed(crate::inventory::ErrorInfo {
                code: Some("SettingsUnreadable".into()),
                message: format!(
                    "The saved settings could not be read and could not be kept aside ({e}): defaults are in use"
                ),
                ..Default::default()
            }),
        };
        self.activity.record(
            crate::activity::ActivityKind::Load,
            "Read the saved settings".into(),
            status,
        );
    }

    /// Why writes are refused, when they are: `--read-only`, or the setting.
    pub fn read_only_reason(&self) -> Option<&'static str> {
        if self.read_only_flag {
            Some("Read-only mode: rpdesk was started with --read-only, so it changes nothing")
        } else if self.ui.read_only {
            Some("Read-only mode is on (top bar): rpdesk changes nothing until it is turned off")
        } else {
            None
        }
    }

    /// Where restore journals and evidence are kept.
    pub fn runs_dir(&self) -> PathBuf {
        self.data_dir.join("runs")
    }

    pub(super) fn now_unix() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.apply_theme(ctx);
        self.poll_connection();
        self.drain_events();
        self.settle_memory();
        self.read_opened_collections();
        self.drive_export();
        self.drive_screenshot(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let connection = self.connection_view();
        let connection_key = self.connection_key();
        let runs_dir = self.runs_dir();
        let read_only = self.read_only_reason();
        let view = ui::View {
            inventory: &self.inventory,
            activity: &self.activity,
            connection: &connection,
            now_unix: Self::now_unix(),
            restores: &self.restores,
            connection_key: &connection_key,
            runs_dir: &runs_dir,
            prices: &self.prices,
            read_only,
            read_only_flag: self.read_only_flag,
        };
        let commands = ui::app_ui(ui, &view, &mut self.ui);
        for command in commands {
            self.run(command);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if !self.ephemeral {
            persist::save(storage, &self.ui, &self.last_connection);
        }
    }

    fn persist_egui_memory(&self) -> bool {
        !self.ephemeral
    }

    fn on_exit(&mut self) {
        self.conn.shutdown();
    }
}

/// The user's data folder (`~/.local/share/rpdesk`), or a temporary one without a home.
fn default_data_dir() -> PathBuf {
    crate::backend::user_data_dir().unwrap_or_else(ephemeral_data_dir)
}

/// A temporary data folder of its own for a session that must leave nothing behind (one
/// per app: tests run several in one process); the app removes it when it goes.
fn ephemeral_data_dir() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("rpdesk-{}-{n}", std::process::id()))
}
