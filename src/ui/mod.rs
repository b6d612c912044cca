//! egui only: reads the inventory and UI state, returns [`Command`]s. No I/O, no tokio,
//! no `arm`: the app executes what the UI asks for.

mod activity_log;
pub mod assessments;
mod badges;
mod cache;
mod command;
mod copy_dialog;
mod copy_progress;
pub mod cost;
mod create_dialog;
pub mod export_dialog;
mod fleet;
mod group_dialog;
mod group_report;
pub(crate) mod inspector;
pub(crate) mod keys;
pub mod lifecycle;
mod not_connected;
mod restore;
mod search;
pub mod search_index;
pub mod state;
mod status_bar;
mod table;
pub mod table_model;
pub mod theme;
pub mod timeline;
mod top_bar;
mod tree;
pub mod tree_rows;
mod widgets;

pub use command::Command;
pub use state::UiState;

use crate::activity::ActivityLog;
use crate::auth::Cloud;
use crate::inventory::{ErrorInfo, Inventory};

/// Which kind of connection is active.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionKind {
    Demo,
    Azure(Cloud),
    Custom,
}

/// Whether the connection is up.
#[derive(Clone, Debug, PartialEq)]
pub enum ConnectionStatus {
    Connecting,
    Connected,
    Failed(ErrorInfo),
}

/// What the UI shows about the connection.
#[derive(Clone, Debug)]
pub struct ConnectionView {
    pub kind: ConnectionKind,
    pub label: String,
    pub endpoint: String,
    pub credential: String,
    pub status: ConnectionStatus,
    pub requests: u64,
    pub throttled: u64,
}

/// The prices the cost views use, as the app holds them.
#[derive(Clone, Debug, Default)]
pub struct PricesView {
    /// The last price book loaded.
    pub book: Option<crate::cost::PriceBook>,
    /// A load is running.
    pub loading: bool,
    /// What was last asked for: currency and regions.
    pub requested: Option<(String, Vec<String>)>,
}

/// Everything the UI reads in a frame.
pub struct View<'a> {
    pub inventory: &'a Inventory,
    pub activity: &'a ActivityLog,
    pub connection: &'a ConnectionView,
    pub now_unix: i64,
    /// Restore runs.
    pub restores: &'a crate::restore::runs::Runs,
    /// Which connection runs belong to (runs of other connections are not offered).
    pub connection_key: &'a str,
    /// Where runs' journals and evidence are kept (shown, never read here).
    pub runs_dir: &'a std::path::Path,
    /// Prices for the cost views.
    pub prices: &'a PricesView,
    /// Why writes are refused, in read-only mode (`None`: they are allowed).
    pub read_only: Option<&'a str>,
    /// Read-only mode comes from `--read-only` (the setting cannot lift it).
    pub read_only_flag: bool,
}

/// Draws the whole window and returns what the user asked for.
pub fn app_ui(ui: &mut egui::Ui, view: &View<'_>, state: &mut UiState) -> Vec<Command> {
    let mut commands = Vec::new();
    keys::keyboard(ui.ctx(), view, state, &mut commands);
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.add_space(2.0);
        top_bar::top_bar_ui(ui, view, state, &mut commands);
        ui.add_space(2.0);
    });
    egui::Panel::bottom("status_bar").show(ui, |ui| status_bar::status_bar_ui(ui, view));
    egui::Panel::bottom("activity")
        .resizable(true)
        .default_size(150.0)
        .min_size(60.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong("Activity");
                let (running, failed) = (view.activity.running(), view.activity.failures());
                ui.label(
                    egui::RichText::new(format!("{running} running · {failed} failed")).weak(),
                );
            });
            activity_log::activity_ui(ui, view, &mut commands);
        });
    // Side panels never take more than a share of the window, so the table stays usable;
    // their content truncates or wraps instead of widening them.
    let width = ui.available_width();
    egui::Panel::left("navigator")
        .resizable(true)
        .default_size(340.0)
        .min_size(220.0)
        .max_size((width * 0.4).max(240.0))
        .show(ui, |ui| {
            // Claim the whole width, or the panel shrinks to a short "Loading…" line.
            ui.expand_to_include_x(ui.max_rect().right());
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            tree::tree_ui(ui, view, state, &mut commands);
        });
    egui::Panel::right("inspector")
        .resizable(true)
        .default_size(420.0)
        .min_size(260.0)
        .max_size((width * 0.45).max(280.0))
        .show(ui, |ui| {
            ui.expand_to_include_x(ui.max_rect().right());
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            inspector::inspector_ui(ui, view, state, &mut commands);
        });
    egui::CentralPanel::default().show(ui, |ui| {
        if not_connected::not_connected_ui(ui, view, &mut commands) {
            return;
        }
        match state.centre {
            state::CentreView::Table => table::table_ui(ui, view, state, &mut commands),
            state::CentreView::Fleet => fleet::fleet_ui(ui, view, state, &mut commands),
            state::CentreView::Cost => cost::cost_view_ui(ui, view, state, &mut commands),
        }
    });
    search::search_results_ui(ui.ctx(), view, state, &mut commands);
    top_bar::connect_dialog_ui(ui.ctx(), state, &mut commands);
    create_dialog::create_dialog_ui(ui.ctx(), view, state, &mut commands);
    copy_dialog::copy_dialog_ui(ui.ctx(), view, state, &mut commands);
    lifecycle::lifecycle_ui(ui.ctx(), view, state, &mut commands);
    group_dialog::group_dialog_ui(ui.ctx(), view, state, &mut commands);
    open_progress_views(view, state, &commands);
    copy_progress::copies_ui(ui.ctx(), view, &mut state.copies_open, &mut commands);
    group_report::group_report_ui(ui.ctx(), view, &mut state.group_report, &mut commands);
    export_dialog::export_dialog_ui(ui.ctx(), view, &mut state.export_dialog, &mut commands);
    restore::resume_prompt_ui(ui.ctx(), view, state, &mut commands);
    restore::wizard_ui(ui.ctx(), view, state, &mut commands);
    commands
}

/// A copy or a group run just sent opens the view that follows it.
fn open_progress_views(view: &View<'_>, state: &mut UiState, commands: &[Command]) {
    for c in commands {
        match c {
            Command::CopyRestorePoint(_) => state.copies_open = true,
            Command::CreateGroupPoints(plan) => {
                state.group_report = Some(state::GroupReportView {
                    set_id: plan.group.set_id.clone(),
                    after: view.inventory.group_reports.len(),
                });
            }
            _ => {}
        }
    }
}
