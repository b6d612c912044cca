//! Executing what the UI asked for.

use super::App;
use crate::backend::ConnectionSpec;
use crate::inventory::{Loadable, NodeId};
use crate::model::ResourceId;
use crate::ui::Command;

/// The activity log's code for a write refused in read-only mode.
pub const READ_ONLY_CODE: &str = "ReadOnlyMode";

impl App {
    /// Runs one command.
    pub fn run(&mut self, command: Command) {
        if command.is_write()
            && let Some(reason) = self.read_only_reason()
        {
            self.refuse_write(&command, reason);
            return;
        }
        match command {
            Command::Select(node) => self.select(node),
            Command::Reveal(node) => self.reveal(node),
            Command::Refresh | Command::RetrySubscriptions => self.refresh(),
            Command::Retry(node) => self.retry(&node),
            Command::LoadRaw(id) => {
                if let Some(backend) = self.conn.backend() {
                    self.inventory.mark_loading_raw(&id);
                    backend.load_raw(id);
                }
            }
            Command::ReadPoints(ids) => self.read_points(ids),
            Command::ConnectDemo => {
                let spec = self.demo_spec();
                self.connect(spec);
            }
            Command::ConnectAzure(cloud) => self.connect(ConnectionSpec::Azure { cloud }),
            Command::ConnectCustom { endpoint, token } => {
                self.connect(ConnectionSpec::Custom { endpoint, token })
            }
            Command::ResetDemo => {
                if self.demo_state_is_damaged() {
                    self.set_aside_damaged_demo_state();
                } else if let Some(backend) = self.conn.backend() {
                    self.inventory.mark_loading_all();
                    backend.reset_demo();
                }
            }
            Command::CancelActivity(id) => {
                if let Some(backend) = self.conn.backend() {
                    backend.cancel(id);
                }
            }
            Command::Copy(text) => self.egui_ctx.copy_text(text),
            Command::CreateRestorePoint(plan) => {
                if let Some(backend) = self.conn.backend() {
                    self.inventory.set_creation_in_flight(&plan.vm_id, true);
                    backend.create_restore_point(*plan);
                }
            }
            Command::CopyRestorePoint(plan) => {
                if let Some(backend) = self.conn.backend() {
                    backend.copy_restore_point(*plan);
                }
            }
            Command::CreateGroupPoints(plan) => {
                if let Some(backend) = self.conn.backend() {
                    for p in plan.creations() {
                        self.inventory.set_creation_in_flight(&p.vm_id, true);
                    }
                    backend.create_group_points(*plan);
                }
            }
            Command::ExportFleetCsv { file_name, csv } => {
                self.export_csv("Export fleet supportability", &file_name, &csv)
            }
            Command::Export { export, path } => self.start_export(export, path),
            Command::LoadPrices {
                currency,
                regions,
                refresh,
            } => self.load_prices(currency, regions, refresh),
            Command::ComputeCost {
                tag,
                estate,
                inputs,
                retired,
            } => {
                if let Some(backend) = self.conn.backend() {
                    self.cost_jobs += 1;
                    backend.compute_cost(tag, estate, *inputs, retired);
                }
            }
            Command::ExportCostCsv {
                file_name,
                part,
                estate,
                model,
                path,
            } => self.export_cost_csv(file_name, part, estate, model, path),
            Command::OpenRestoreWizard {
                point_id,
                only_disk,
            } => self.open_restore_wizard(point_id, only_disk),
            Command::StartRestore(plan) => self.start_restore(*plan),
            Command::ResumeRestore(run_id) => self.resume_restore(run_id, false),
            Command::UndoRestore(run_id) => self.resume_restore(run_id, true),
            Command::DismissRestore(run_id) => self.dismiss_restore(run_id),
            Command::CancelRestore(run_id) => self.cancel_restore(&run_id),
            Command::Delete(plan) => self.delete(*plan),
            Command::RunCleanup {
                title,
                targets,
                report,
            } => self.run_cleanup(title, targets, *report),
            Command::SetLabel { point_id, label } => self.set_label(point_id, label),
            Command::MirrorLabels(collection_id) => self.mirror_labels(collection_id),
            Command::ExportCleanupReport { file_name, csv } => {
                self.export_csv("Export the clean-up report", &file_name, &csv)
            }
            Command::SaveEvidence {
                run_id,
                markdown,
                path,
            } => self.save_evidence(&run_id, markdown, path),
        }
    }

    /// Says in the activity log that a write was not done, and why.
    fn refuse_write(&mut self, command: &Command, reason: &str) {
        let title = command
            .write_title()
            .unwrap_or_else(|| "A change to the estate".into());
        self.activity.record(
            crate::activity::ActivityKind::Operation,
            title,
            crate::activity::ActivityStatus::Failed(crate::inventory::ErrorInfo {
                code: Some(READ_ONLY_CODE.into()),
                message: format!("Not done. {reason}."),
                ..Default::default()
            }),
        );
    }

    fn select(&mut self, node: Option<NodeId>) {
        self.ui.caches.table_cursor = None;
        if let Some(n) = &node {
            self.ensure_loaded(n);
        }
        self.ui.selection = node;
    }

    /// Selects a node and expands everything above it so the tree shows it.
    fn reveal(&mut self, node: NodeId) {
        let chain = self.inventory.ancestry(&node, self.ui.group_by_rg);
        for ancestor in &chain[..chain.len().saturating_sub(1)] {
            self.ui.set_expanded(ancestor, true);
        }
        self.ui.caches.scroll_tree_to_selection = true;
        self.select(Some(node));
    }

    /// Fetches what a node shows lazily: a point's instance view and disk restore points.
    fn ensure_loaded(&mut self, node: &NodeId) {
        let point = match node {
            NodeId::Point(id) => Some(id.clone()),
            NodeId::DiskPoint(id) => id.parent(),
            _ => None,
        };
        let (Some(point), Some(backend)) = (point, self.conn.backend()) else {
            return;
        };
        let Some(entry) = self.inventory.points.get(&point) else {
            return;
        };
        let (need_detail, need_disks) = (
            matches!(entry.detail(), Loadable::NotRequested),
            matches!(entry.disk_points(), Loadable::NotRequested),
        );
        if need_detail {
            self.inventory.mark_loading_point_detail(&point);
            backend.load_point_detail(point.clone());
        }
        if need_disks {
            self.inventory.mark_loading_disk_points(&point);
            backend.load_disk_points(point);
        }
    }

    /// Reads the points of collections read on demand (those not already read or being
    /// read).
    fn read_points(&mut self, ids: Vec<ResourceId>) {
        let Some(backend) = self.conn.backend().cloned() else {
            return;
        };
        let unread: Vec<ResourceId> = ids
            .into_iter()
            .filter(|id| {
                self.inventory
                    .collections
                    .get(id)
                    .is_some_and(|c| c.points_unread())
            })
            .collect();
        for id in &unread {
            self.inventory.mark_loading_points(id);
        }
        backend.load_points_of(unread);
    }

    /// Reads the points of on-demand collections the user has opened: selected, or
    /// expanded in the tree (by click, keyboard or search).
    pub(super) fn read_opened_collections(&mut self) {
        let opened: Vec<ResourceId> = self
            .ui
            .expanded
            .iter()
            .chain(self.ui.selection.as_ref())
            .filter_map(|n| match n {
                NodeId::Collection(id) => Some(id),
                _ => None,
            })
            .filter(|id| {
                self.inventory
                    .collections
                    .get(id)
                    .is_some_and(|c| c.points_unread())
            })
            .cloned()
            .collect();
        if !opened.is_empty() {
            self.read_points(opened);
        }
    }

    fn refresh(&mut self) {
        let Some(backend) = self.conn.backend().cloned() else {
            if let Some(spec) = self.conn.spec().cloned() {
                self.connect(spec);
            }
            return;
        };
        self.inventory.mark_loading_all();
        backend.load_all();
        if let Some(NodeId::Point(id)) = &self.ui.selection {
            self.inventory.mark_loading_point_detail(id);
            backend.load_point_detail(id.clone());
        }
    }

    fn retry(&mut self, node: &NodeId) {
        let Some(backend) = self.conn.backend().cloned() else {
            return;
        };
        match node {
            NodeId::Subscription(sub) => {
                self.inventory.mark_loading_subscription(sub);
                backend.load_subscription(sub.to_string());
            }
            NodeId::Collection(id) => {
                self.inventory.mark_loading_points(id);
                backend.load_points(id.clone());
            }
            NodeId::Point(id) => {
                self.inventory.mark_loading_point_detail(id);
                backend.load_point_detail(id.clone());
                self.inventory.mark_loading_disk_points(id);
                backend.load_disk_points(id.clone());
            }
            other => {
                let sub = other.subscription_id().to_owned();
                self.inventory.mark_loading_subscription(&sub);
                backend.load_subscription(sub);
            }
        }
    }
}
