//! Restore commands: opening the wizard (and loading what it reads), running, resuming,
//! undoing and dismissing runs, and saving their evidence where the operator says.

use std::path::PathBuf;

use super::App;
use super::export::SaveOutcome;
use crate::model::ResourceId;
use crate::restore::Plan;
use crate::ui::state::RestoreWizard;

impl App {
    /// Opens the wizard on a point (or one of its disk restore points) and loads what it
    /// reads: subnets, resource groups, the VM's NIC, fresh readiness.
    pub(super) fn open_restore_wizard(
        &mut self,
        point_id: ResourceId,
        only_disk: Option<ResourceId>,
    ) {
        self.ui.restore_wizard = Some(RestoreWizard::new(point_id.clone(), only_disk));
        let Some(backend) = self.conn.backend().cloned() else {
            return;
        };
        let sub = point_id.subscription_id().to_owned();
        let nic = self
            .inventory
            .restore_facts(&point_id, Self::now_unix())
            .and_then(|f| f.live_vm)
            .and_then(|v| {
                v.vm.properties
                    .network_profile
                    .as_ref()?
                    .primary_nic()
                    .and_then(|n| ResourceId::parse(&n.id).ok())
            });
        self.inventory.mark_loading_restore_context(&sub);
        self.inventory.mark_loading_point_detail(&point_id);
        self.inventory.mark_loading_disk_points(&point_id);
        backend.load_restore_context(sub, nic, point_id);
    }

    pub(super) fn start_restore(&mut self, plan: Plan) {
        let demo = self.is_demo();
        if let Some(backend) = self.conn.backend() {
            if let Some(w) = self.ui.restore_wizard.as_mut() {
                w.run_id = Some(plan.run_id.clone());
            }
            backend.start_restore(plan, self.runs_dir(), demo);
        }
    }

    pub(super) fn resume_restore(&mut self, run_id: String, undo: bool) {
        let Some(backend) = self.conn.backend().cloned() else {
            return;
        };
        self.restores.set_busy(&run_id);
        // The wizard follows the run it acts on.
        let point = self
            .restores
            .get(&run_id)
            .map(|r| r.state.plan.point_id.clone());
        if let Some(point) = point {
            let keep = self
                .ui
                .restore_wizard
                .as_ref()
                .is_some_and(|w| w.run_id.as_deref() == Some(run_id.as_str()));
            if !keep {
                let mut w = RestoreWizard::new(point, None);
                w.run_id = Some(run_id.clone());
                w.step = crate::ui::state::WizardStep::Run;
                self.ui.restore_wizard = Some(w);
            }
            if let Some(w) = self.ui.restore_wizard.as_mut() {
                w.hidden = false;
                w.step = crate::ui::state::WizardStep::Run;
            }
        }
        if undo {
            backend.undo_restore(run_id, self.runs_dir());
        } else {
            backend.resume_restore(run_id, self.runs_dir());
        }
    }

    pub(super) fn dismiss_restore(&mut self, run_id: String) {
        if let Some(backend) = self.conn.backend() {
            self.restores.set_busy(&run_id);
            backend.dismiss_restore(run_id, self.runs_dir());
        }
    }

    /// Cancels a run between steps.
    pub(super) fn cancel_restore(&mut self, run_id: &str) {
        let Some(backend) = self.conn.backend() else {
            return;
        };
        // The run's operation is the newest running activity that names it.
        let id = self
            .activity
            .entries()
            .iter()
            .rev()
            .find(|e| {
                matches!(e.status, crate::activity::ActivityStatus::Running { .. })
                    && (e.title.contains(run_id)
                        || self
                            .restores
                            .get(run_id)
                            .is_some_and(|r| e.title.contains(r.state.plan.point_id.name())))
            })
            .map(|e| e.id);
        if let Some(id) = id {
            backend.cancel(id);
        }
    }

    /// Saves a run's evidence: through the save dialog, or to `path` when given (the
    /// wizard's path field, shown when no dialog can open).
    pub(super) fn save_evidence(&mut self, run_id: &str, markdown: bool, path: Option<PathBuf>) {
        let Some(entry) = self.restores.get(run_id) else {
            return;
        };
        let evidence = crate::restore::evidence::evidence(&entry.state);
        let (contents, ext, filter) = if markdown {
            (
                crate::restore::evidence::markdown(&evidence),
                "md",
                "Markdown",
            )
        } else {
            (
                serde_json::to_string_pretty(&evidence).unwrap_or_default(),
                "json",
                "JSON",
            )
        };
        let file_name = format!("{run_id}-evidence.{ext}");
        let outcome = match path {
            Some(p) => {
                if let Some(backend) = self.conn.backend() {
                    backend.write_export(p, contents);
                }
                SaveOutcome::Saved
            }
            None => self.save_with_dialog(
                "Save the restore evidence",
                &file_name,
                filter,
                ext,
                contents,
            ),
        };
        if let Some(w) = self.ui.restore_wizard.as_mut() {
            w.evidence_path_needed = outcome == SaveOutcome::NoDialog;
            if w.evidence_path_needed && w.evidence_path.is_empty() {
                w.evidence_path = super::export::fallback_dir()
                    .join(&file_name)
                    .display()
                    .to_string();
            }
        }
    }
}
