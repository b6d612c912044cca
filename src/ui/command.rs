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
    /// Save a run's evidence (JSON or Markdown): to `path`, or where the dialog says.
    SaveEvidence {
        run_id: String,
        markdown: bool,
        path: Option<std::path::PathBuf>,
    },
}
