//! The UI's own state: what is expanded, typed, chosen. The persisted part survives
//! restarts (eframe storage); caches are rebuilt.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::inventory::NodeId;
use crate::model::ResourceId;
use crate::rules::Mode;

/// Inspector tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum InspectorTab {
    #[default]
    Overview,
    Consistency,
    Supportability,
    Cost,
}

impl InspectorTab {
    /// Every tab, in order.
    pub const ALL: [InspectorTab; 4] = [
        Self::Overview,
        Self::Consistency,
        Self::Supportability,
        Self::Cost,
    ];

    /// Tab title.
    pub fn label(self) -> &'static str {
        match self {
            Self::Overview => "Overview",
            Self::Consistency => "Consistency",
            Self::Supportability => "Supportability",
            Self::Cost => "Cost",
        }
    }
}

/// Light, dark, or follow the system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

/// The connect dialog's fields (never persisted: the token is a secret).
#[derive(Clone, Debug, Default)]
pub struct ConnectDialog {
    pub endpoint: String,
    pub token: String,
    pub cloud: crate::auth::Cloud,
}

/// What the centre panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CentreView {
    #[default]
    Table,
    Fleet,
    /// The fleet's retention cost.
    Cost,
}

/// Where a cost table goes when no save dialog can open.
#[derive(Clone, Debug, Default)]
pub struct CostExport {
    /// The path typed (prefilled with the download folder and the table's file name).
    pub path: String,
    /// No dialog could open: show the path field.
    pub path_needed: bool,
    /// The file name and table part last asked for (what the path field saves).
    pub last: Option<(String, String)>,
}

/// The cost views' choices: two policies to compare, the assumptions, the currency.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct CostUi {
    /// Policy A (edited on the left) and policy B (on the right).
    pub policies: [crate::cost::Policy; 2],
    /// Used fraction and churn, for the fleet and overridden per VM or disk.
    pub assumptions: crate::cost::AssumptionSet,
    /// ISO currency code asked for.
    pub currency: String,
    /// What the projection plot stacks.
    pub stack_by: crate::cost::StackBy,
    /// Exports waiting for a path.
    #[serde(skip)]
    pub export: CostExport,
    /// Scroll the fleet Cost view to its policies once (a screenshot asks for it).
    #[serde(skip)]
    pub scroll_to_policies: bool,
}

impl Default for CostUi {
    fn default() -> Self {
        Self {
            policies: crate::cost::default_policies(),
            assumptions: Default::default(),
            currency: "USD".into(),
            stack_by: Default::default(),
            export: Default::default(),
            scroll_to_policies: false,
        }
    }
}

/// The fleet grid's filters (empty: all).
#[derive(Clone, Debug, Default)]
pub struct FleetFilter {
    pub subscription_id: Option<String>,
    pub region: Option<String>,
    pub verdict: Option<super::assessments::VerdictClass>,
    pub rule: Option<crate::rules::RuleId>,
}

/// The copy restore point dialog: the point and the region it goes to.
#[derive(Clone, Debug)]
pub struct CopyDialog {
    pub point_id: ResourceId,
    /// The target region (ARM name); empty until chosen.
    pub region: String,
    /// Why the input cannot be sent, shown in the dialog.
    pub error: Option<String>,
    /// The checked plan awaiting confirmation.
    pub pending: Option<crate::inventory::CopyPointPlan>,
}

impl CopyDialog {
    /// A dialog for copying `point_id`.
    pub fn new(point_id: ResourceId) -> Self {
        Self {
            point_id,
            region: String::new(),
            error: None,
            pending: None,
        }
    }
}

/// The group restore point dialog: the VM it was opened from (its set is the group) and
/// the mode; the plan is settled from each member's assessment, again when either changes.
#[derive(Clone, Debug)]
pub struct GroupDialog {
    pub vm_id: ResourceId,
    pub mode: Mode,
    /// The plan and the inventory generation and mode it was made for.
    pub plan: Option<(u64, Mode, crate::inventory::GroupPlan)>,
}

impl GroupDialog {
    /// A dialog for the group of `vm_id`.
    pub fn new(vm_id: ResourceId) -> Self {
        Self {
            vm_id,
            mode: Mode::CrashConsistent,
            plan: None,
        }
    }
}

/// The group report window: the set whose next report it shows, and how many reports
/// there were when the run was sent (the window waits for a newer one).
#[derive(Clone, Debug)]
pub struct GroupReportView {
    pub set_id: ResourceId,
    pub after: usize,
}

/// The create restore point dialog. Mode and exclusions are preselected from the
/// assessment on its first frame (`prepared_for`), and again when the mode changes.
#[derive(Clone, Debug)]
pub struct CreateDialog {
    pub vm_id: ResourceId,
    pub mode: Mode,
    /// The mode the exclusions were preselected for; `None` until the first frame.
    pub prepared_for: Option<Mode>,
    /// The mode was chosen by whoever opened the dialog: keep it instead of the recommendation.
    pub mode_chosen: bool,
    pub exclude_disks: Vec<ResourceId>,
    pub instant_access: bool,
    pub duration_minutes: String,
    /// Why the input cannot be sent, shown in the dialog.
    pub error: Option<String>,
    /// The checked plan awaiting confirmation (the dialog's last step).
    pub pending: Option<crate::inventory::CreatePointPlan>,
}

impl CreateDialog {
    /// A dialog for `vm_id`, to be prepared from its assessment.
    pub fn new(vm_id: ResourceId) -> Self {
        Self {
            vm_id,
            mode: Mode::ApplicationConsistent,
            prepared_for: None,
            mode_chosen: false,
            exclude_disks: Vec::new(),
            instant_access: false,
            duration_minutes: crate::rules::INSTANT_ACCESS_DEFAULT_MINUTES.to_string(),
            error: None,
            pending: None,
        }
    }
}

/// The steps of the restore wizard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum WizardStep {
    #[default]
    Source,
    Disks,
    Target,
    Review,
    Run,
    Evidence,
}

impl WizardStep {
    /// Every step, in order.
    pub const ALL: [WizardStep; 6] = [
        Self::Source,
        Self::Disks,
        Self::Target,
        Self::Review,
        Self::Run,
        Self::Evidence,
    ];

    /// Its title in the stepper.
    pub fn label(self) -> &'static str {
        match self {
            Self::Source => "Source",
            Self::Disks => "Disks",
            Self::Target => "Target",
            Self::Review => "Review",
            Self::Run => "Run",
            Self::Evidence => "Evidence",
        }
    }

    /// The validation stage that must be clear to leave this step.
    pub fn stage(self) -> Option<crate::restore::Stage> {
        use crate::restore::Stage;
        match self {
            Self::Source => Some(Stage::Source),
            Self::Disks => Some(Stage::Disks),
            Self::Target => Some(Stage::Target),
            Self::Review => Some(Stage::Review),
            Self::Run | Self::Evidence => None,
        }
    }

    /// The step after this one.
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Self::ALL[(i + 1).min(Self::ALL.len() - 1)]
    }

    /// The step before this one.
    pub fn previous(self) -> Self {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Self::ALL[i.saturating_sub(1)]
    }
}

/// The restore wizard: what is restored, the choices so far, and the run once started.
#[derive(Clone, Debug)]
pub struct RestoreWizard {
    pub point_id: ResourceId,
    /// Opened on a disk restore point: that disk only.
    pub only_disk: Option<ResourceId>,
    pub step: WizardStep,
    /// `None` until the point's facts are known (the first frame they are).
    pub choices: Option<crate::restore::RestoreChoices>,
    /// The run, once started (or the run resumed).
    pub run_id: Option<String>,
    /// The window is closed while the run goes on (reopened from the activity log).
    pub hidden: bool,
    /// Where to save the evidence when no save dialog can open.
    pub evidence_path: String,
    pub evidence_path_needed: bool,
    /// The run id's random part, fixed when the wizard opens.
    pub salt: u16,
}

impl RestoreWizard {
    /// A wizard on `point_id`.
    pub fn new(point_id: ResourceId, only_disk: Option<ResourceId>) -> Self {
        Self {
            point_id,
            only_disk,
            step: WizardStep::Source,
            choices: None,
            run_id: None,
            hidden: false,
            evidence_path: String::new(),
            evidence_path_needed: false,
            salt: rand::random(),
        }
    }
}

/// Sort order of the centre table; `column: None` keeps each table's natural order
/// (VMs by name, newest restore point first, disks by LUN).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortOrder {
    pub column: Option<usize>,
    pub descending: bool,
}

/// Everything the UI keeps between frames.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    pub theme: ThemeChoice,
    pub group_by_rg: bool,
    pub inspector_tab: InspectorTab,
    /// Show every restore point below the selection instead of its direct children.
    pub table_all_points: bool,
    pub sort: SortOrder,
    pub activity_collapsed: bool,
    #[serde(skip)]
    pub selection: Option<NodeId>,
    #[serde(skip)]
    pub expanded: HashSet<NodeId>,
    #[serde(skip)]
    pub table_filter: String,
    #[serde(skip)]
    pub search_open: bool,
    #[serde(skip)]
    pub search_query: String,
    #[serde(skip)]
    pub show_raw: bool,
    #[serde(skip)]
    pub connect_dialog: Option<ConnectDialog>,
    #[serde(skip)]
    pub confirm_reset_demo: bool,
    #[serde(skip)]
    pub caches: super::cache::Caches,
    /// The mode whose rules the Supportability tab lists; `None`: the recommended one.
    #[serde(skip)]
    pub support_mode: Option<Mode>,
    /// The centre panel shows the fleet grid instead of the table.
    pub centre: CentreView,
    #[serde(skip)]
    pub fleet: FleetFilter,
    #[serde(skip)]
    pub create_dialog: Option<CreateDialog>,
    #[serde(skip)]
    pub copy_dialog: Option<CopyDialog>,
    #[serde(skip)]
    pub group_dialog: Option<GroupDialog>,
    /// The cross-region copies window is open.
    #[serde(skip)]
    pub copies_open: bool,
    #[serde(skip)]
    pub group_report: Option<GroupReportView>,
    #[serde(skip)]
    pub export_dialog: Option<super::export_dialog::ExportDialog>,
    #[serde(skip)]
    pub restore_wizard: Option<RestoreWizard>,
    /// The operator put off the unfinished-runs prompt for this session.
    #[serde(skip)]
    pub resume_later: bool,
    /// The cost views' policies, assumptions and currency.
    pub cost: CostUi,
    /// Read-only mode, as a setting: every write is refused and its button disabled.
    pub read_only: bool,
    /// Deletes, clean-ups, labels and the leak finder (the retention rule persists).
    pub lifecycle: super::lifecycle::LifecycleUi,
}

impl UiState {
    /// Expands or collapses a tree node.
    pub fn set_expanded(&mut self, node: &NodeId, expanded: bool) {
        let changed = if expanded {
            self.expanded.insert(node.clone())
        } else {
            self.expanded.remove(node)
        };
        if changed {
            self.caches.expanded_version += 1;
        }
    }

    /// The centre table for the current selection, filter and sort (see `Caches::table`).
    pub fn table_view(
        &mut self,
        inv: &crate::inventory::Inventory,
        now: f64,
    ) -> (&super::table_model::TableModel, &[usize], Option<f64>) {
        let selection = self.selection.clone();
        self.caches.table(
            inv,
            selection.as_ref(),
            self.table_all_points,
            self.group_by_rg,
            &self.table_filter,
            self.sort,
            now,
        )
    }

    /// Whether a node is expanded.
    pub fn is_expanded(&self, node: &NodeId) -> bool {
        self.expanded.contains(node)
    }
}
