//! What the UI asks for. Collected while drawing, executed by the app after the frame.

use crate::inventory::NodeId;
use crate::model::ResourceId;

/// A user intent.
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Select a node (`None`: the root) and load what it needs.
    Select(Option<NodeId>),
    /// Select a node and reveal it (expand its ancestors), e.g. from search.
    Reveal(NodeId),
    /// Reload everything, keeping what is shown until new data arrives.
    Refresh,
    /// Retry a node whose load failed.
    Retry(NodeId),
    /// Retry the subscription list.
    RetrySubscriptions,
    /// Fetch a resource's document as the server sends it.
    LoadRaw(ResourceId),
    /// Read the points of collections read on demand.
    ReadPoints(Vec<ResourceId>),
    /// Switch connection.
    ConnectDemo,
    ConnectAzure(crate::auth::Cloud),
    ConnectCustom {
        endpoint: String,
        token: crate::auth::BearerToken,
    },
    /// Put the demo estate back as it was shipped.
    ResetDemo,
    /// Stop a running operation (an activity log entry).
    CancelActivity(crate::activity::ActivityId),
    /// Put text on the clipboard.
    Copy(String),
    /// Create a restore point (and its collection if needed), as the dialog settled it.
    CreateRestorePoint(Box<crate::inventory::CreatePointPlan>),
    /// Copy a restore point to another region (creating the target collection if needed).
    CopyRestorePoint(Box<crate::inventory::CopyPointPlan>),
    /// One restore point per member of an availability set or VMSS Flex set, in sequence.
    CreateGroupPoints(Box<crate::inventory::GroupPlan>),
    /// Load restore point storage prices for `regions` in `currency` (from the cache
    /// while fresh unless `refresh`).
    LoadPrices {
        currency: String,
        regions: Vec<String>,
        refresh: bool,
    },
    /// Compute a cost view's figures off the UI thread (`tag` names the view).
    ComputeCost {
        tag: usize,
        estate: std::sync::Arc<crate::cost::CostEstate>,
        inputs: Box<crate::cost::CostInputs>,
        /// An estate no longer used, to be freed off the UI thread.
        retired: Option<std::sync::Arc<crate::cost::CostEstate>>,
    },
    /// Write a cost table (`part` of `cost::TABLES`) as CSV: to `path`, or where the save
    /// dialog says (a path field is shown when no dialog can open).
    ExportCostCsv {
        file_name: String,
        part: String,
        estate: std::sync::Arc<crate::cost::CostEstate>,
        model: std::sync::Arc<crate::cost::CostModel>,
        path: Option<std::path::PathBuf>,
    },
    /// Export the inventory or the supportability (the export dialog): to `path`, or
    /// where the save dialog says (the dialog shows a path field when none can open).
    Export {
        export: crate::export::Export,
        path: Option<std::path::PathBuf>,
    },
    /// Write the fleet grid's CSV: ask where (save dialog), then write it.
    ExportFleetCsv {
        file_name: String,
        csv: String,
    },
    /// Open the restore wizard on a point (or only one of its disk restore points).
    OpenRestoreWizard {
        point_id: ResourceId,
        only_disk: Option<ResourceId>,
    },
    /// Run a reviewed restore plan.
    StartRestore(Box<crate::restore::Plan>),
    /// Resume a paused or interrupted restore run.
    ResumeRestore(String),
    /// Undo a restore run.
    UndoRestore(String),
    /// Leave a run as it is and stop offering it.
    DismissRestore(String),
    /// Stop a run between steps.
    CancelRestore(String),
    /// Delete a restore point or a collection as the dialog showed it (typed confirmation),
    /// revoking access to its disk restore points first when the plan says so.
    Delete(Box<crate::lifecycle::DeletePlan>),
    /// Run a clean-up: delete `points`, a few at a time, filling in `report` as they go.
    RunCleanup {
        title: String,
        /// Restore points to delete, then empty collections (each deleted only if it is
        /// still empty when its turn comes).
        targets: Vec<ResourceId>,
        report: Box<crate::lifecycle::CleanupReport>,
    },
    /// Set a point's local label (an empty one removes it); kept in the labels file.
    SetLabel {
        point_id: ResourceId,
        label: crate::lifecycle::PointLabel,
    },
    /// Mirror a collection's point labels into its tags.
    MirrorLabels(ResourceId),
    /// Write a clean-up report's CSV: ask where (save dialog), then write it.
    ExportCleanupReport {
        file_name: String,
        csv: String,
    },
    /// Save a run's evidence (JSON or Markdown): to `path`, or where the dialog says.
    SaveEvidence {
        run_id: String,
        markdown: bool,
        path: Option<std::path::PathBuf>,
    },
}

impl Command {
    /// True when running it changes the estate (Azure's resources or the demo's), so
    /// read-only mode refuses it. Every command is listed: a new one must be placed.
    pub fn is_write(&self) -> bool {
        match self {
            Command::ResetDemo
            | Command::CreateRestorePoint(_)
            | Command::CopyRestorePoint(_)
            | Command::StartRestore(_)
            | Command::ResumeRestore(_)
            | Command::UndoRestore(_)
            | Command::Delete(_)
            | Command::RunCleanup { .. }
            | Command::MirrorLabels(_)
            | Command::CreateGroupPoints(_) => true,
            // Reads, local files, and stopping what runs (never a write of its own).
            Command::Select(_)
            | Command::Reveal(_)
            | Command::Refresh
            | Command::Retry(_)
            | Command::RetrySubscriptions
            | Command::LoadRaw(_)
            | Command::ReadPoints(_)
            | Command::ConnectDemo
            | Command::ConnectAzure(_)
            | Command::ConnectCustom { .. }
            | Command::CancelActivity(_)
            | Command::Copy(_)
            | Command::LoadPrices { .. }
            | Command::ComputeCost { .. }
            | Command::ExportCostCsv { .. }
            | Command::ExportFleetCsv { .. }
            | Command::OpenRestoreWizard { .. }
            | Command::DismissRestore(_)
            | Command::CancelRestore(_)
            | Command::SaveEvidence { .. }
            | Command::Export { .. }
            // Local labels live in rpdesk's own file, not in Azure.
            | Command::SetLabel { .. }
            | Command::ExportCleanupReport { .. } => false,
        }
    }

    /// What a write does, in words for the activity log (`None` for everything else).
    pub fn write_title(&self) -> Option<String> {
        let title = match self {
            Command::ResetDemo => "Reset the demo estate".to_owned(),
            Command::CreateRestorePoint(plan) => {
                format!("Create a restore point for {}", plan.vm_id.name())
            }
            Command::CopyRestorePoint(plan) => {
                format!("Copy restore point {}", plan.source_point_id.name())
            }
            Command::StartRestore(plan) => format!("Restore from {}", plan.point_id.name()),
            Command::ResumeRestore(run) => format!("Resume restore run {run}"),
            Command::UndoRestore(run) => format!("Undo restore run {run}"),
            Command::Delete(plan) => plan.title(),
            Command::RunCleanup { title, .. } => title.clone(),
            Command::MirrorLabels(collection) => {
                format!("Mirror labels into the tags of {}", collection.name())
            }
            _ => return None,
        };
        Some(title)
    }
}
