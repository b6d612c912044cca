//! Keeping restore points tidy and documented: the delete dialog (what is freed, typed
//! confirmation, revoke first when Azure refused for an active SAS), the clean-up window
//! (a retention rule → a preview of every point it deletes and the money freed → a run
//! with progress and Stop → its report), the label editor of a point, and the leak and
//! blocker finder. Each write goes out as a [`Command`].

mod cleanup;
mod delete_dialog;
mod labels;
mod leaks;

use serde::{Deserialize, Serialize};

use super::state::UiState;
use super::{Command, View};
use crate::activity::ActivityId;
use crate::inventory::{CleanupCandidate, NodeId};
use crate::lifecycle::{CleanupReport, DeleteTarget, PointLabel, RetentionRule, Selection};
use crate::model::ResourceId;

pub use labels::label_editor_ui;

/// The delete dialog.
#[derive(Clone, Debug)]
pub struct DeleteDialog {
    pub target: DeleteTarget,
    /// The name as typed to confirm.
    pub typed: String,
    /// Revoke access to its disk restore points first.
    pub revoke: bool,
    /// Azure refused the last attempt for an active SAS: its message.
    pub refused: Option<String>,
    /// The name field has had the keyboard once (it takes it when the dialog opens).
    pub focused: bool,
}

impl DeleteDialog {
    /// A dialog deleting `target`.
    pub fn new(target: DeleteTarget) -> Self {
        Self {
            target,
            typed: String::new(),
            revoke: false,
            refused: None,
            focused: false,
        }
    }
}

/// A clean-up running or done: its token, its activity (for Stop) and its report.
#[derive(Clone, Debug)]
pub struct CleanupRun {
    pub token: u64,
    pub activity: Option<ActivityId>,
    pub report: CleanupReport,
    pub ended: bool,
}

/// The preview of a rule on a scope, kept while neither changes.
#[derive(Clone, Debug, Default)]
pub struct Preview {
    /// Inventory generation, scope, rule and minute it was made for, and whether empty
    /// collections were asked for.
    pub key: Option<(u64, Option<NodeId>, RetentionRule, i64, bool)>,
    pub candidates: Vec<CleanupCandidate>,
    pub selection: Selection,
    /// Collections in scope read on demand whose points were not read (not previewed).
    pub unread: Vec<ResourceId>,
    /// Empty collections in scope to delete too (when asked for).
    pub empty: Vec<ResourceId>,
}

/// The clean-up window: its scope, the rule as typed, the preview, the run.
#[derive(Clone, Debug, Default)]
pub struct CleanupUi {
    /// Below which node (`None`: the fleet).
    pub scope: Option<NodeId>,
    /// "Keep the newest N per VM", as typed (empty: no such limit).
    pub keep_last: String,
    /// "Keep points younger than D days", as typed (empty: no such limit).
    pub keep_days: String,
    /// Also delete the collections in scope that hold no restore point.
    pub empty_collections: bool,
    pub preview: Preview,
    pub run: Option<CleanupRun>,
}

impl CleanupUi {
    /// A clean-up below `scope` with `rule` prefilled.
    pub fn new(scope: Option<NodeId>, rule: RetentionRule) -> Self {
        let text = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
        Self {
            scope,
            keep_last: text(rule.keep_last),
            keep_days: text(rule.keep_days),
            ..Default::default()
        }
    }
}

/// The lifecycle views' state; only the retention rule persists.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LifecycleUi {
    /// The last retention rule applied (the leak finder's "past retention" uses it).
    pub rule: RetentionRule,
    #[serde(skip)]
    pub delete: Option<DeleteDialog>,
    #[serde(skip)]
    pub cleanup: Option<CleanupUi>,
    /// The leak finder is open.
    #[serde(skip)]
    pub leaks_open: bool,
    /// The label being edited: its point and the fields as typed.
    #[serde(skip)]
    pub label_draft: Option<(ResourceId, PointLabel)>,
    /// Open the label editor on its next frame (it starts closed).
    #[serde(skip)]
    pub open_label_editor: bool,
    /// What deleting some points frees, by the cost figures (their address) and the
    /// points: the last two asked for (the dialog and the clean-up may both be open).
    #[serde(skip)]
    pub freed: Vec<(usize, Vec<String>, String)>,
    /// The leak finder's findings for an inventory generation, rule and minute.
    #[serde(skip)]
    pub leaks: Option<((u64, RetentionRule, i64), Vec<crate::inventory::Finding>)>,
}

/// Draws the lifecycle windows that are open.
pub fn lifecycle_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    delete_dialog::delete_dialog_ui(ctx, view, state, commands);
    cleanup::cleanup_ui(ctx, view, state, commands);
    leaks::leaks_ui(ctx, view, state, commands);
}

/// What deleting `points` frees per month, from the fleet's cost figures: "3.2 GiB,
/// $0.16 per month", or why it is not known yet.
fn freed_text(
    view: &View<'_>,
    state: &mut UiState,
    points: Vec<String>,
    commands: &mut Vec<Command>,
) -> String {
    let (estate, model) = super::cost::fleet_figures(view, state, commands);
    let Some(model) = model else {
        return "being computed…".to_owned();
    };
    let key = std::sync::Arc::as_ptr(&model) as usize;
    let cache = &mut state.lifecycle.freed;
    if let Some((_, _, text)) = cache.iter().find(|(k, p, _)| *k == key && *p == points) {
        return text.clone();
    }
    let indices: std::collections::HashSet<usize> = points
        .iter()
        .filter_map(|p| estate.point_index(p))
        .collect();
    let freed = crate::cost::freed_by_deleting_points(&estate, &model.estimate, &indices);
    let text = format!(
        "{}, {} per month",
        crate::cost::format_gib(freed.gib),
        crate::cost::format_money(freed.money, &model.inputs.prices.currency)
    );
    cache.push((key, points, text.clone()));
    if cache.len() > 2 {
        cache.remove(0);
    }
    text
}

/// Opens the delete dialog on a point or a collection.
pub fn open_delete(state: &mut UiState, target: DeleteTarget) {
    state.lifecycle.delete = Some(DeleteDialog::new(target));
}

/// Opens the clean-up window below a node (`None`: the fleet), unless one is running.
pub fn open_cleanup(state: &mut UiState, scope: Option<NodeId>) {
    let busy = state
        .lifecycle
        .cleanup
        .as_ref()
        .and_then(|c| c.run.as_ref())
        .is_some_and(|r| !r.ended);
    if !busy {
        state.lifecycle.cleanup = Some(CleanupUi::new(scope, state.lifecycle.rule));
    }
}
