//! Undo: what to do to leave nothing tagged with the run and a swapped VM on its old
//! disks. Each step looks its target up first; only resources tagged with the run id are
//! deleted, so rpdesk never deletes a disk it did not create.

use serde::{Deserialize, Serialize};

use super::choices::Target;
use super::journal::RunState;
use super::vm_patch::OriginalVm;
use crate::model::ResourceId;

/// One undo step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum UndoStep {
    /// Put the VM back on its original disks (deallocating it if needed) and start it if
    /// it ran before.
    PutBackVm {
        original: OriginalVm,
        restored: Vec<ResourceId>,
    },
    /// Remove the run's tag from the disks the swap replaced.
    UntagReplaced {
        disk_ids: Vec<ResourceId>,
    },
    DeleteVm {
        vm_id: ResourceId,
    },
    DeleteNic {
        nic_id: ResourceId,
    },
    DeleteDisk {
        disk_id: ResourceId,
    },
}

impl UndoStep {
    /// For the wizard and the journal.
    pub fn title(&self) -> String {
        match self {
            Self::PutBackVm { original, .. } => format!(
                "Put {} back on its original disks{}",
                original.vm_id.name(),
                if original.was_running {
                    " and start it"
                } else {
                    ""
                }
            ),
            Self::UntagReplaced { disk_ids } => format!(
                "Untag the original disks ({})",
                disk_ids
                    .iter()
                    .map(|d| d.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::DeleteVm { vm_id } => {
                format!("Delete VM {} (if the run created it)", vm_id.name())
            }
            Self::DeleteNic { nic_id } => {
                format!(
                    "Delete network interface {} (if the run created it)",
                    nic_id.name()
                )
            }
            Self::DeleteDisk { disk_id } => {
                format!("Delete disk {} (if the run created it)", disk_id.name())
            }
        }
    }
}

/// The undo of a run, in order: the VM first, then what the run created.
pub fn undo_steps(state: &RunState) -> Vec<UndoStep> {
    let plan = &state.plan;
    let restored: Vec<ResourceId> = plan.disks.iter().map(|d| d.disk_id.clone()).collect();
    let mut out = Vec::new();
    match plan.target {
        Target::Swap => {
            if let Some(original) = state.vm_before.clone().or_else(|| plan.original_vm.clone()) {
                let mut replaced: Vec<ResourceId> = original
                    .data_disks
                    .iter()
                    .map(|d| d.disk_id.clone())
                    .collect();
                replaced.extend(original.os_disk_id.clone());
                out.push(UndoStep::PutBackVm {
                    original,
                    restored: restored.clone(),
                });
                out.push(UndoStep::UntagReplaced { disk_ids: replaced });
            }
        }
        Target::NewVm => {
            out.extend(plan.vm_id.clone().map(|vm_id| UndoStep::DeleteVm { vm_id }));
            out.extend(
                plan.nic_id
                    .clone()
                    .map(|nic_id| UndoStep::DeleteNic { nic_id }),
            );
        }
        Target::DisksOnly => {}
    }
    out.extend(
        restored
            .into_iter()
            .map(|disk_id| UndoStep::DeleteDisk { disk_id }),
    );
    out
}
