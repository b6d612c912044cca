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
use crate::inventory::{CandidatesJob, CleanupCandidate, Inventory, NodeId};
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

/// Points of the clean-up's candidates read per frame: a fleet's 100,000 take about half
/// a second, which no frame should wait for.
const POINTS_PER_FRAME: usize = 4_000;

/// Something made from a clean-up's candidates, read from the inventory a slice per frame:
/// the last result with the key it was made for (shown, even while a newer one is read),
/// and the read under way.
#[derive(Clone, Debug)]
pub struct Sliced<K, T> {
    pub result: Option<(K, T)>,
    job: Option<(K, CandidatesJob)>,
}

impl<K, T> Default for Sliced<K, T> {
    fn default() -> Self {
        Self {
            result: None,
            job: None,
        }
    }
}

impl<K: Clone + PartialEq, T> Sliced<K, T> {
    /// Reads on towards `key`'s result: starts a read of the candidates below `scope` when
    /// none runs and the result is for another key; a finished read becomes the result
    /// through `make`. True when the result shown is `key`'s.
    pub fn drive(
        &mut self,
        inv: &Inventory,
        key: &K,
        scope: Option<&NodeId>,
        make: impl FnOnce(Vec<CleanupCandidate>) -> T,
    ) -> bool {
        if !self.is_for(key) && self.job.is_none() {
            self.job = Some((key.clone(), inv.candidates_job(scope, false)));
        }
        if let Some((_, job)) = self.job.as_mut()
            && inv.candidates_step(job, &inv.labels, POINTS_PER_FRAME)
            && let Some((k, job)) = self.job.take()
        {
            self.result = Some((k, make(job.finish())));
        }
        self.is_for(key)
    }

    /// Whether the result is `key`'s.
    pub fn is_for(&self, key: &K) -> bool {
        self.result.as_ref().is_some_and(|(k, _)| k == key)
    }

    /// Points read of how many, while a read runs.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.job.as_ref().map(|(_, j)| j.progress())
    }

    /// The result, whichever key it is for.
    pub fn value(&self) -> Option<&T> {
        self.result.as_ref().map(|(_, t)| t)
    }
}

/// Inventory generation, scope, rule and minute a preview is for, and whether empty
/// collections were asked for.
pub type PreviewKey = (u64, Option<NodeId>, RetentionRule, i64, bool);

/// The preview of a rule on a scope.
#[derive(Clone, Debug, Default)]
pub struct Preview {
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
    pub preview: Sliced<PreviewKey, Preview>,
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
    pub leaks: Sliced<(u64, RetentionRule, i64), Vec<crate::inventory::Finding>>,
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

/// Esc: closes the clean-up window (unless a clean-up is running in it), else the leak
/// finder. Whether one closed.
pub fn close_window(state: &mut UiState) -> bool {
    let lifecycle = &mut state.lifecycle;
    let running = |c: &CleanupUi| c.run.as_ref().is_some_and(|r| !r.ended);
    if lifecycle.cleanup.as_ref().is_some_and(|c| !running(c)) {
        lifecycle.cleanup = None;
        true
    } else if lifecycle.leaks_open {
        lifecycle.leaks_open = false;
        true
    } else {
        false
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::test_support::inventory;

    #[test]
    fn a_fleet_is_read_over_frames_and_the_last_result_stays_up_meanwhile() {
        let inv = inventory(POINTS_PER_FRAME * 2 + 10, 0);
        let mut sliced: Sliced<u32, usize> = Sliced::default();
        assert!(!sliced.drive(&inv, &1, None, |c| c.len()));
        assert_eq!(
            sliced.progress(),
            Some((POINTS_PER_FRAME, POINTS_PER_FRAME * 2 + 10))
        );
        assert_eq!(sliced.value(), None, "nothing to show yet");
        assert!(!sliced.drive(&inv, &1, None, |c| c.len()));
        assert!(
            sliced.drive(&inv, &1, None, |c| c.len()),
            "the third frame ends it"
        );
        assert_eq!(sliced.value(), Some(&(POINTS_PER_FRAME * 2 + 10)));
        assert_eq!(sliced.progress(), None);

        // Something changed: the old result stays up, marked as not the current one.
        assert!(!sliced.drive(&inv, &2, None, |c| c.len() + 1));
        assert!(sliced.is_for(&1) && !sliced.is_for(&2));
        assert_eq!(sliced.value(), Some(&(POINTS_PER_FRAME * 2 + 10)));
        while !sliced.drive(&inv, &2, None, |c| c.len() + 1) {}
        assert_eq!(sliced.value(), Some(&(POINTS_PER_FRAME * 2 + 11)));
    }
}
