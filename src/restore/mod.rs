//! Restore, pure: (point, choices, facts) → a validated plan of ordered steps with the
//! exact ARM calls and their `az` equivalents; the run journal and its fold into a run's
//! state; undo; the evidence report. No I/O: the backend executes plans and writes the
//! journal; the UI edits choices and shows all of it.
//!
//! A restore creates managed disks from the point's disk restore points
//! (`creationData.createOption: Restore`), then optionally a VM from the configuration the
//! point captured, or swaps the disks into the VM the point was taken from. Azure's rules
//! for each call come from Microsoft's articles on restore points, incremental and instant
//! access snapshots, Premium SSD v2 limitations, creating a VM from a specialized disk and
//! OS disk swaps; they are checked in [`validate`] before any call.

pub mod az;
pub mod choices;
pub mod evidence;
pub mod facts;
pub mod journal;
pub mod names;
pub mod plan;
pub mod point_az;
pub mod runs;
pub mod undo;
pub mod validate;
pub mod vm_patch;

#[cfg(test)]
mod tests;

pub use choices::{DiskChoice, NewVmChoice, RestoreChoices, Target};
pub use facts::{
    DiskPointFacts, LiveDisk, LiveVm, Readiness, RestoreFacts, SafetyPoint, SubnetFacts,
};
pub use journal::{Phase, Record, RunState, StepError, StepOutcome, StepState};
pub use plan::{Plan, PlannedDisk, Step, StepKind, TAG_FROM, TAG_REPLACED, TAG_RUN, plan};
pub use undo::{UndoStep, undo_steps};
pub use validate::{Field, Problem, Stage, problems};
pub use vm_patch::OriginalVm;
