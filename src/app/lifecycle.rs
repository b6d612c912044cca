//! Deletes, clean-ups and local labels: running what the UI asked for, the labels file
//! (read at start, written on every change, an unreadable one kept aside rather than
//! overwritten), and what the backend says back (the delete dialog reopened when Azure
//! refuses for an active SAS, the clean-up's report filled in as points go).

use std::path::{Path, PathBuf};

use super::App;
use crate::activity::{ActivityKind, ActivityStatus};
use crate::backend::lifecycle::{DeleteOutcome, LifecycleEvent};
use crate::inventory::{ErrorInfo, NodeId};
use crate::lifecycle::{CleanupReport, DeletePlan, DeleteTarget, Labels, PointLabel};
use crate::model::ResourceId;
use crate::ui::lifecycle::{CleanupRun, DeleteDialog};

/// The labels file's name in the data folder.
pub const LABELS_FILE: &str = "labels.json";

impl App {
    /// Reads the labels file, if labels are kept in one. A file that cannot be read is
    /// renamed aside (and said so in the activity log) so the next save loses nothing.
    pub(super) fn load_labels(&mut self) {
        let Some(path) = self.labels_file.clone() else {
            return;
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) => {
                self.labels_failed(format!("{} cannot be read: {e}", path.display()));
                self.labels_file = None;
                return;
            }
        };
        match Labels::parse(&text) {
            Ok(labels) => self.inventory.set_labels(labels),
            Err(e) => {
                let aside = path.with_extension(format!("unreadable-{}.json", Self::now_unix()));
                let kept = std::fs::rename(&path, &aside)
                    .map(|()| format!("it is kept as {}", aside.display()))
                    .unwrap_or_else(|r| {
                        format!("it could not be kept aside ({r}): labels are not saved")
                    });
                if !aside.exists() {
                    self.labels_file = None;
                }
                self.labels_failed(format!("{} — {e}; {kept}", path.display()));
            }
        }
    }

    fn labels_failed(&mut self, message: String) {
        self.activity.record(
            ActivityKind::Load,
            "Read the local labels".into(),
            ActivityStatus::Failed(ErrorInfo {
                code: Some("LabelsUnreadable".into()),
                message,
                ..Default::default()
            }),
        );
    }

    /// Sets a point's label and writes the file.
    pub(super) fn set_label(&mut self, point_id: ResourceId, label: PointLabel) {
        let mut labels = self.inventory.labels.clone();
        if !labels.set(point_id.clone(), label) {
            return;
        }
        self.inventory.set_labels(labels);
        let Some(path) = self.labels_file.clone() else {
            return;
        };
        if let Err(e) = crate::emulator::persist::write_atomic(
            &path,
            self.inventory.labels.to_json().as_bytes(),
        ) {
            self.activity.record(
                ActivityKind::Operation,
                format!("Save the label of {}", point_id.name()),
                ActivityStatus::Failed(ErrorInfo {
                    code: Some("LabelsNotSaved".into()),
                    message: format!(
                        "{} could not be written ({e}): the label holds until rpdesk closes",
                        path.display()
                    ),
                    ..Default::default()
                }),
            );
        }
    }

    pub(super) fn mirror_labels(&mut self, collection_id: ResourceId) {
        let labels: Vec<(String, PointLabel)> = self
            .inventory
            .labels
            .of_collection(&collection_id)
            .into_iter()
            .map(|(name, l)| (name.to_owned(), l.clone()))
            .collect();
        if let Some(backend) = self.conn.backend() {
            backend.mirror_labels(collection_id, labels);
        }
    }

    pub(super) fn delete(&mut self, plan: DeletePlan) {
        if let Some(backend) = self.conn.backend() {
            backend.delete(plan);
        }
    }

    pub(super) fn run_cleanup(
        &mut self,
        title: String,
        targets: Vec<ResourceId>,
        report: CleanupReport,
    ) {
        let Some(backend) = self.conn.backend().cloned() else {
            return;
        };
        self.cleanup_tokens += 1;
        let token = self.cleanup_tokens;
        if let Some(c) = self.ui.lifecycle.cleanup.as_mut() {
            c.run = Some(CleanupRun {
                token,
                activity: None,
                report,
                ended: false,
            });
        }
        backend.run_cleanup(token, title, targets);
    }

    /// Applies what a delete or a clean-up reported.
    pub(super) fn apply_lifecycle(&mut self, event: LifecycleEvent) {
        match event {
            LifecycleEvent::DeleteEnded { plan, outcome } => match outcome {
                DeleteOutcome::Deleted => self.forget_selection_below(&plan.target),
                DeleteOutcome::RefusedForSas(message) => {
                    let mut dialog = DeleteDialog::new(plan.target);
                    dialog.revoke = true;
                    dialog.refused = Some(message);
                    self.ui.lifecycle.delete = Some(dialog);
                }
                DeleteOutcome::Failed(_) | DeleteOutcome::Cancelled => {}
            },
            LifecycleEvent::CleanupStarted { token, activity } => {
                if let Some(run) = self.cleanup_run(token) {
                    run.activity = Some(activity);
                }
            }
            LifecycleEvent::CleanupPoint {
                token,
                point_id,
                outcome,
            } => {
                if let Some(run) = self.cleanup_run(token) {
                    run.report.set(point_id.as_str(), outcome);
                }
            }
            LifecycleEvent::CleanupEnded { token, cancelled } => {
                if let Some(run) = self.cleanup_run(token) {
                    run.ended = true;
                    run.report.cancelled = cancelled;
                }
            }
        }
    }

    fn cleanup_run(&mut self, token: u64) -> Option<&mut CleanupRun> {
        self.ui
            .lifecycle
            .cleanup
            .as_mut()
            .and_then(|c| c.run.as_mut())
            .filter(|r| r.token == token)
    }

    /// Moves the selection up when what it showed was deleted.
    fn forget_selection_below(&mut self, target: &DeleteTarget) {
        let gone = target.id().as_str().to_ascii_lowercase();
        let selected = self
            .ui
            .selection
            .as_ref()
            .and_then(|n| n.resource_id())
            .is_some_and(|id| id.as_str().to_ascii_lowercase().starts_with(&gone));
        if selected {
            self.ui.selection = match target {
                DeleteTarget::Point(id) => id.parent().map(NodeId::Collection),
                DeleteTarget::Collection(_) => None,
            };
            self.ui.caches.table_cursor = None;
        }
    }
}

/// Where labels are kept: the data folder's labels file, unless the session must leave
/// nothing behind and was given no folder of its own (`given`).
pub(super) fn labels_file(data_dir: &Path, given: bool, ephemeral: bool) -> Option<PathBuf> {
    (given || !ephemeral).then(|| data_dir.join(LABELS_FILE))
}

impl App {
    /// `--panel delete[=typed]` (the dialog on the selection, its name typed or not),
    /// `cleanup=N` (the clean-up of the selection keeping N per VM), `label=TICKET` (a
    /// pinned label on the selected point, this session only), `leaks[=N]` (the finder,
    /// the rule keeping N per VM).
    pub(super) fn screenshot_lifecycle(&mut self, panel: &str, arg: &str) {
        let selection = self.ui.selection.clone();
        match panel {
            "delete" => {
                let target = match selection {
                    Some(NodeId::Point(id)) => DeleteTarget::Point(id),
                    Some(NodeId::Collection(id)) => DeleteTarget::Collection(id),
                    _ => return,
                };
                let mut dialog = DeleteDialog::new(target);
                if arg == "typed" {
                    dialog.typed = dialog.target.id().name().to_owned();
                }
                self.ui.lifecycle.delete = Some(dialog);
            }
            "cleanup" => {
                if let Ok(n) = arg.trim().parse::<u32>() {
                    self.ui.lifecycle.rule.keep_last = Some(n);
                }
                crate::ui::lifecycle::open_cleanup(&mut self.ui, selection);
            }
            "label" => {
                if let Some(NodeId::Point(id)) = selection {
                    let label = PointLabel {
                        ticket: arg.to_owned(),
                        reason: "Before the quarterly patch".into(),
                        owner: "alice".into(),
                        pinned: true,
                    };
                    self.set_label(id, label);
                    self.ui.lifecycle.open_label_editor = true;
                }
            }
            "leaks" => {
                if let Ok(n) = arg.trim().parse::<u32>() {
                    self.ui.lifecycle.rule.keep_last = Some(n);
                }
                self.ui.lifecycle.leaks_open = true;
            }
            _ => {}
        }
    }
}
