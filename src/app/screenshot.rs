//! `--screenshot FILE.png [--select ID] [--panel NAME]`: wait for the inventory, select,
//! let lazy loads settle, render one frame to PNG, exit.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::App;
use crate::inventory::{Loadable, NodeId};
use crate::model::ResourceId;
use crate::ui::state::InspectorTab;

/// What to capture.
#[derive(Clone, Debug)]
pub struct ScreenshotRequest {
    pub path: PathBuf,
    /// A resource id (VM, collection, restore point, disk restore point) or subscription id.
    pub select: Option<String>,
    /// `overview`, `consistency`, `supportability`, `cost`, `raw`, `search=TEXT`, `connect`,
    /// `all-points`, `group-by-rg`, `expand`, `select-first-child`, `fleet`, `cost-view`,
    /// `cost-compare`, `currency=EUR`…
    pub panel: Vec<String>,
    /// Give up after this long.
    pub timeout: Duration,
    /// Where the outcome is reported (read by `main` after the window closes).
    pub outcome: Arc<Mutex<Option<ScreenshotOutcome>>>,
}

/// How it went.
#[derive(Clone, Debug, PartialEq)]
pub enum ScreenshotOutcome {
    Saved(PathBuf),
    Failed(String),
}

#[derive(Debug)]
enum Phase {
    WaitInventory,
    /// `quiet`: frames in a row with nothing loading or computing.
    Settle {
        frames: u32,
        quiet: u32,
    },
    Requested,
}

pub(super) struct ScreenshotJob {
    request: ScreenshotRequest,
    phase: Phase,
    /// `restore-step` panels waiting until the wizard knows its point (they need its
    /// disk restore points and subnets, which load after the inventory).
    pending_restore: std::collections::VecDeque<String>,
    /// `copy-run`: the shot is taken once a copy is this far along (the copy itself runs
    /// for minutes and keeps its activity busy).
    copy_percent: Option<f64>,
    started: Instant,
    outcome: Arc<Mutex<Option<ScreenshotOutcome>>>,
}

impl ScreenshotJob {
    pub(super) fn new(request: ScreenshotRequest) -> Self {
        let outcome = request.outcome.clone();
        Self {
            request,
            phase: Phase::WaitInventory,
            pending_restore: Default::default(),
            copy_percent: None,
            started: Instant::now(),
            outcome,
        }
    }

    pub(super) fn outcome(&self) -> Option<ScreenshotOutcome> {
        self.outcome.lock().ok()?.clone()
    }

    fn finish(&self, outcome: ScreenshotOutcome) {
        if let Ok(mut o) = self.outcome.lock() {
            *o = Some(outcome);
        }
    }
}

/// A selection argument as a node: the kind comes from the id's last type segment.
pub fn node_for(text: &str) -> Result<NodeId, String> {
    let trimmed = text.trim();
    if !trimmed.contains('/') {
        return Ok(NodeId::Subscription(trimmed.to_ascii_lowercase().into()));
    }
    let id = ResourceId::parse(trimmed).map_err(|e| e.to_string())?;
    Ok(match id.kind().to_ascii_lowercase().as_str() {
        "subscriptions" => NodeId::Subscription(id.subscription_id().to_ascii_lowercase().into()),
        "virtualmachines" => NodeId::Vm(id),
        "restorepointcollections" => NodeId::Collection(id),
        "restorepoints" => NodeId::Point(id),
        "diskrestorepoints" => NodeId::DiskPoint(id),
        other => return Err(format!("cannot select a {other} resource")),
    })
}

impl App {
    pub(super) fn drive_screenshot(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.screenshot else { return };
        if job.outcome().is_some() {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        ctx.request_repaint();
        if job.started.elapsed() > job.request.timeout {
            job.finish(ScreenshotOutcome::Failed(format!(
                "timed out after {:?} in phase {:?}",
                job.request.timeout, job.phase
            )));
            return;
        }
        match job.phase {
            Phase::WaitInventory => {
                let failed = matches!(self.conn, super::connection::Conn::Failed { .. });
                let answered = matches!(
                    self.inventory.subscriptions,
                    Loadable::Ready(_) | Loadable::Failed { .. }
                );
                let loaded =
                    self.conn.is_connected() && answered && self.inventory.progress().is_complete();
                if !(loaded || failed) {
                    return;
                }
                let request = job.request.clone();
                if let Some(select) = &request.select {
                    match node_for(select) {
                        Ok(node) => self.run(crate::ui::Command::Reveal(node)),
                        Err(e) => {
                            if let Some(job) = &self.screenshot {
                                job.finish(ScreenshotOutcome::Failed(format!(
                                    "--select {select:?}: {e}"
                                )));
                            }
                            return;
                        }
                    }
                }
                for panel in &request.panel {
                    self.apply_panel(panel);
                }
                if let Some(job) = &mut self.screenshot {
                    job.phase = Phase::Settle {
                        frames: 0,
                        quiet: 0,
                    };
                }
            }
            Phase::Settle { .. } if !job.pending_restore.is_empty() => {
                if self.restore_facts_ready()
                    && let Some(step) = self
                        .screenshot
                        .as_mut()
                        .and_then(|j| j.pending_restore.pop_front())
                {
                    self.screenshot_restore_step(&step);
                }
            }
            Phase::Settle { frames, quiet } => {
                let copy_far_enough = job.copy_percent.is_some_and(|p| {
                    self.inventory
                        .copy_watches
                        .iter()
                        .any(|w| w.progress.as_ref().is_some_and(|pr| pr.percent() >= p))
                });
                let idle = copy_far_enough
                    || (self.activity.running() == 0
                        && !self.lazy_loads_pending()
                        && !self.cost_busy());
                let quiet = if idle { quiet + 1 } else { 0 };
                // Quiet for a few frames: what arrived last (prices, cost figures) may ask
                // for more on the frame after.
                let settled = frames >= 6 && quiet >= 4;
                if settled || frames > 600 {
                    let outcome = job.outcome.clone();
                    let path = job.request.path.clone();
                    let repaint = ctx.clone();
                    ctx.request_screenshot(move |image| {
                        let result = save_png(&path, &image);
                        if let Ok(mut o) = outcome.lock() {
                            *o = Some(match result {
                                Ok(()) => ScreenshotOutcome::Saved(path),
                                Err(e) => ScreenshotOutcome::Failed(e),
                            });
                        }
                        repaint.request_repaint();
                    });
                    if let Some(job) = &mut self.screenshot {
                        job.phase = Phase::Requested;
                    }
                } else if let Some(job) = &mut self.screenshot {
                    job.phase = Phase::Settle {
                        frames: frames + 1,
                        quiet,
                    };
                }
            }
            Phase::Requested => {}
        }
    }

    fn lazy_loads_pending(&self) -> bool {
        let lifecycle = &self.ui.lifecycle;
        let reading = lifecycle.leaks.progress().is_some()
            || lifecycle
                .cleanup
                .as_ref()
                .is_some_and(|c| c.preview.progress().is_some());
        if reading {
            return true;
        }
        let inv = &self.inventory;
        inv.raw.values().any(|l| l.is_loading())
            || inv
                .points
                .values()
                .any(|p| p.detail().is_loading() || p.disk_points().is_loading())
    }

    fn apply_panel(&mut self, panel: &str) {
        let (name, arg) = panel.split_once('=').unwrap_or((panel, ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "overview" => self.ui.inspector_tab = InspectorTab::Overview,
            "consistency" => self.ui.inspector_tab = InspectorTab::Consistency,
            "supportability" => self.ui.inspector_tab = InspectorTab::Supportability,
            "cost" => self.ui.inspector_tab = InspectorTab::Cost,
            "raw" => {
                self.ui.inspector_tab = InspectorTab::Overview;
                self.ui.show_raw = true;
            }
            "search" => {
                self.ui.search_query = arg.to_owned();
                self.ui.search_open = true;
            }
            "connect" => self.ui.connect_dialog = Some(Default::default()),
            "export" => {
                // `export=csv`: the export dialog at CSV, Save… pressed (no save dialog
                // opens for a screenshot: the path field).
                let mut dialog = crate::ui::export_dialog::ExportDialog::default();
                if arg.eq_ignore_ascii_case("csv") {
                    dialog.format = crate::export::Format::Csv;
                }
                let export = dialog.export();
                self.ui.export_dialog = Some(dialog);
                self.start_export(export, None);
            }
            "all-points" => self.ui.table_all_points = true,
            "fleet" => self.ui.centre = crate::ui::state::CentreView::Fleet,
            "cost-view" => self.ui.centre = crate::ui::state::CentreView::Cost,
            "cost-compare" => {
                // The fleet Cost view scrolled to the policies, policy B a thinner one.
                self.ui.centre = crate::ui::state::CentreView::Cost;
                self.ui.cost.policies[1] = crate::cost::Policy {
                    every_hours: 12,
                    retention: crate::cost::Retention::Days(7),
                    mode: crate::rules::Mode::CrashConsistent,
                    ..Default::default()
                };
                self.ui.cost.scroll_to_policies = true;
            }
            "currency" => self.ui.cost.currency = arg.trim().to_ascii_uppercase(),
            "crash" => self.ui.support_mode = Some(crate::rules::Mode::CrashConsistent),
            "app" => self.ui.support_mode = Some(crate::rules::Mode::ApplicationConsistent),
            "copy" => {
                if let Some(crate::inventory::NodeId::Point(point)) = self.ui.selection.clone() {
                    let mut dialog = crate::ui::state::CopyDialog::new(point);
                    dialog.region = arg.trim().to_ascii_lowercase();
                    self.ui.copy_dialog = Some(dialog);
                }
            }
            "copy-confirm" | "copy-run" => self.screenshot_copy(name, arg),
            "group" | "group-run" => {
                let vm = match self.ui.selection.clone() {
                    Some(crate::inventory::NodeId::Vm(vm)) => vm,
                    _ => return,
                };
                let mut dialog = crate::ui::state::GroupDialog::new(vm.clone());
                if let Some(mode) = self.ui.support_mode {
                    dialog.mode = mode;
                }
                let group = self.inventory.point_group_of(&vm);
                if name == "group-run"
                    && let Some(group) = group
                {
                    let plan = crate::inventory::plan_group(
                        &self.inventory,
                        &group,
                        dialog.mode,
                        Self::now_unix(),
                    );
                    self.ui.group_report = Some(crate::ui::state::GroupReportView {
                        set_id: group.set_id.clone(),
                        after: self.inventory.group_reports.len(),
                    });
                    self.run(crate::ui::Command::CreateGroupPoints(Box::new(plan)));
                } else {
                    self.ui.group_dialog = Some(dialog);
                }
            }
            "create" => {
                if let Some(crate::inventory::NodeId::Vm(vm)) = self.ui.selection.clone() {
                    let mut dialog = crate::ui::state::CreateDialog::new(vm);
                    // `--panel crash --panel create` opens the dialog in crash-consistent mode.
                    if let Some(mode) = self.ui.support_mode {
                        dialog.mode = mode;
                        dialog.mode_chosen = true;
                    }
                    self.ui.create_dialog = Some(dialog);
                }
            }
            "restore" => {
                let command = crate::ui::keys::restore_command(self.ui.selection.as_ref());
                if let Some(command) = command {
                    self.run(command);
                }
            }
            "restore-step" => {
                if let Some(job) = self.screenshot.as_mut() {
                    job.pending_restore.push_back(arg.to_owned());
                }
            }
            "fault" => {
                // `fault=KIND:PATH`: the demo emulator answers matching requests with a
                // fault (a paused run for the docs).
                let (kind, path) = arg.split_once(':').unwrap_or((arg, ""));
                if let Some(backend) = self.conn.backend() {
                    backend.inject_fault(serde_json::json!({
                        "kind": kind, "pathContains": path, "count": 20
                    }));
                }
            }
            "delete" | "cleanup" | "label" | "leaks" => self.screenshot_lifecycle(name.trim(), arg),
            "group-by-rg" => self.ui.group_by_rg = true,
            "expand" => {
                if let Some(sel) = self.ui.selection.clone() {
                    self.ui.set_expanded(&sel, true);
                }
            }
            "select-first-child" => {
                let child = self.ui.selection.as_ref().and_then(|s| {
                    self.inventory
                        .children(s, self.ui.group_by_rg)
                        .into_iter()
                        .next()
                });
                if let Some(child) = child {
                    self.run(crate::ui::Command::Reveal(child));
                }
            }
            other => tracing::warn!("unknown --panel {other:?}"),
        }
    }
}

/// How far along a `copy-run` screenshot shows the copy.
const SHOWN_COPY_PERCENT: f64 = 50.0;

impl App {
    /// `copy-confirm=REGION`: the copy dialog's confirmation for the selected point;
    /// `copy-run=REGION`: the copy sent, its progress window open.
    fn screenshot_copy(&mut self, name: &str, region: &str) {
        let Some(crate::inventory::NodeId::Point(point)) = self.ui.selection.clone() else {
            return;
        };
        let region = region.trim().to_ascii_lowercase();
        let inv = &self.inventory;
        let Some(assessment) =
            crate::inventory::assess_copy_of(inv, &point, &region, Self::now_unix())
        else {
            return;
        };
        let target = point.parent().and_then(|s| inv.copy_target(&s, &region));
        let plan = match crate::inventory::copy_plan(inv, &point, &region, &assessment, target) {
            Ok(plan) => plan,
            Err(e) => {
                tracing::warn!("--panel {name}: {e}");
                return;
            }
        };
        if name == "copy-run" {
            if let Some(job) = &mut self.screenshot {
                job.copy_percent = Some(SHOWN_COPY_PERCENT);
            }
            self.ui.copies_open = true;
            self.run(crate::ui::Command::CopyRestorePoint(Box::new(plan)));
        } else {
            let mut dialog = crate::ui::state::CopyDialog::new(point);
            dialog.region = region;
            dialog.pending = Some(plan);
            self.ui.copy_dialog = Some(dialog);
        }
    }

    /// Whether the open wizard's point is fully read (disk restore points, subnets).
    fn restore_facts_ready(&self) -> bool {
        let Some(w) = &self.ui.restore_wizard else {
            return true;
        };
        self.inventory
            .restore_facts(&w.point_id, Self::now_unix())
            .is_some_and(|f| f.subnets.is_some() && f.disks.iter().all(|d| d.details_loaded))
    }

    /// `--panel restore-step=disks|target|review|new-vm|swap|run|evidence`: moves the open
    /// wizard on; `run` and `evidence` start the run with the choices so far.
    fn screenshot_restore_step(&mut self, arg: &str) {
        use crate::restore::{RestoreChoices, Target};
        use crate::ui::state::WizardStep;
        let now = Self::now_unix();
        let key = self.connection_key();
        let Some(w) = self.ui.restore_wizard.as_mut() else {
            return;
        };
        let Some(facts) = self.inventory.restore_facts(&w.point_id, now) else {
            return;
        };
        let choices = w
            .choices
            .get_or_insert_with(|| RestoreChoices::defaults(&facts, w.only_disk.as_ref()));
        choices.fill_late_defaults(&facts);
        match arg {
            "disks" => w.step = WizardStep::Disks,
            "target" => w.step = WizardStep::Target,
            "new-vm" => {
                choices.set_target(&facts, Target::NewVm);
                w.step = WizardStep::Target;
            }
            "swap" => {
                choices.set_target(&facts, Target::Swap);
                w.step = WizardStep::Target;
            }
            "review" => {
                choices.reason = "INC-4711: the 02:00 patch broke the service".into();
                if let Some(live) = &facts.live_vm {
                    choices.confirm_name = live.vm.name.clone();
                }
                w.step = WizardStep::Review;
            }
            "run" | "evidence" => {
                choices.reason = "INC-4711: the 02:00 patch broke the service".into();
                if let Some(live) = &facts.live_vm {
                    choices.confirm_name = live.vm.name.clone();
                }
                let run_id = crate::restore::names::run_id(now, w.salt);
                match crate::restore::plan(&facts, choices, &run_id, &key) {
                    Ok(plan) => {
                        w.step = if arg == "run" {
                            WizardStep::Run
                        } else {
                            WizardStep::Evidence
                        };
                        self.run(crate::ui::Command::StartRestore(Box::new(plan)));
                    }
                    Err(problems) => tracing::warn!(?problems, "--panel restore-step={arg}"),
                }
            }
            other => tracing::warn!("unknown restore step {other:?}"),
        }
    }
}

fn save_png(path: &std::path::Path, image: &egui::ColorImage) -> Result<(), String> {
    let [w, h] = image.size;
    if image.pixels.len() != w * h {
        return Err("screenshot buffer has the wrong size".to_owned());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    // Encoded from the pixels as they are (RGBA bytes): no copy of a 6 MB frame.
    image::save_buffer(
        path,
        image.as_raw(),
        w as u32,
        h as u32,
        image::ExtendedColorType::Rgba8,
    )
    .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
