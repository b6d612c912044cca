//! Derived view data, rebuilt only when its inputs change (the inventory generation, the
//! expanded set, the filter): frames stay cheap with 100,000 rows.

use super::assessments::{self, FleetRow, VmAssessments};
use super::table_model::{self, TableModel};
use super::tree_rows::{self, TreeRow};
use crate::inventory::{Inventory, NodeId};
use crate::model::ResourceId;

/// All caches of the UI.
#[derive(Debug, Default)]
pub struct Caches {
    pub expanded_version: u64,
    /// Set when the selection moved by keyboard or search: scroll the tree to it once.
    pub scroll_tree_to_selection: bool,
    /// The highlighted table row (the inspector shows it); reset when the selection moves.
    pub table_cursor: Option<NodeId>,
    /// Set when the cursor moved by keyboard: scroll the table to it once.
    pub scroll_table_to_cursor: bool,
    tree_key: Option<(u64, u64, bool)>,
    tree: Vec<TreeRow>,
    table_key: Option<(u64, Option<NodeId>, bool, bool)>,
    /// When the table was last rebuilt (egui time, seconds), and how long that took.
    table_built_at: f64,
    table_build_secs: f64,
    table: TableModel,
    order_key: Option<(u64, String, Option<usize>, bool)>,
    order: Vec<usize>,
    table_version: u64,
    search_key: Option<(u64, String)>,
    search: Vec<NodeId>,
    assessment_key: Option<(u64, ResourceId, i64)>,
    assessment: Option<VmAssessments>,
    fleet_key: Option<(u64, i64)>,
    fleet: Vec<FleetRow>,
    fleet_built_unix: i64,
    restore_key: Option<(u64, ResourceId, i64)>,
    restore: Option<crate::restore::RestoreFacts>,
    /// The cost views' estate and figures.
    pub cost: super::cost::CostCaches,
}

/// Assessments are redone when the minute turns, so waits that ran out clear.
fn minute(now_unix: i64) -> i64 {
    now_unix.div_euclid(60)
}

impl Caches {
    /// Visible tree rows.
    pub fn tree(
        &mut self,
        inv: &Inventory,
        expanded: &std::collections::HashSet<NodeId>,
        group_by_rg: bool,
    ) -> &[TreeRow] {
        let key = (inv.generation, self.expanded_version, group_by_rg);
        if self.tree_key != Some(key) {
            self.tree = tree_rows::visible_rows(inv, expanded, group_by_rg);
            self.tree_key = Some(key);
        }
        &self.tree
    }

    /// The centre table's model and the row order after filter and sort.
    ///
    /// A new selection rebuilds at once. New data for the same selection rebuilds at most
    /// every [`Self::STREAMING_REBUILD_SECS`] when the table is large, so a fleet-wide
    /// table stays responsive while thousands of results stream in; `Some(secs)` in the
    /// return asks for a repaint then.
    #[allow(clippy::too_many_arguments)]
    pub fn table(
        &mut self,
        inv: &Inventory,
        selection: Option<&NodeId>,
        all_points: bool,
        group_by_rg: bool,
        filter: &str,
        sort: super::state::SortOrder,
        now: f64,
    ) -> (&TableModel, &[usize], Option<f64>) {
        let key = (inv.generation, selection.cloned(), all_points, group_by_rg);
        let mut repaint_in = None;
        if self.table_key.as_ref() != Some(&key) {
            let same_view = self
                .table_key
                .as_ref()
                .is_some_and(|(_, s, a, g)| (s, a, g) == (&key.1, &key.2, &key.3));
            // Back off in proportion to the cost of a rebuild, so it never eats the frames.
            let interval = Self::STREAMING_REBUILD_SECS.max(4.0 * self.table_build_secs);
            let wait = interval - (now - self.table_built_at);
            if same_view && self.table.rows.len() > Self::LARGE_TABLE_ROWS && wait > 0.0 {
                repaint_in = Some(wait);
            } else {
                let started = std::time::Instant::now();
                self.table = table_model::build(inv, selection, all_points, group_by_rg);
                self.table_build_secs = started.elapsed().as_secs_f64();
                self.table_key = Some(key);
                self.table_version += 1;
                self.table_built_at = now;
            }
        }
        let order_key = (
            self.table_version,
            filter.to_lowercase(),
            sort.column,
            sort.descending,
        );
        if self.order_key.as_ref() != Some(&order_key) {
            self.order = self.table.ordered(inv, &order_key.1, sort);
            self.order_key = Some(order_key);
        }
        (&self.table, &self.order, repaint_in)
    }

    /// Tables above this many rows follow streaming data at most every
    /// `STREAMING_REBUILD_SECS` (or four times their build time, if longer).
    pub const LARGE_TABLE_ROWS: usize = 5_000;
    /// How often a large table follows streaming data.
    pub const STREAMING_REBUILD_SECS: f64 = 1.0;

    /// Search hits for `query`.
    pub fn search(&mut self, inv: &Inventory, query: &str) -> &[NodeId] {
        let key = (inv.generation, query.to_lowercase());
        if self.search_key.as_ref() != Some(&key) {
            self.search = super::search_index::search(inv, &key.1, 200);
            self.search_key = Some(key);
        }
        &self.search
    }

    /// Both modes' assessments of a VM, per (inventory generation, VM, minute).
    pub fn assessment(
        &mut self,
        inv: &Inventory,
        vm_id: &ResourceId,
        now_unix: i64,
    ) -> Option<&VmAssessments> {
        let key = (inv.generation, vm_id.clone(), minute(now_unix));
        if self.assessment_key.as_ref() != Some(&key) {
            self.assessment = assessments::assess_vm(inv, vm_id, now_unix);
            self.assessment_key = Some(key);
        }
        self.assessment.as_ref()
    }

    /// Every VM's verdicts for the fleet grid, per (inventory generation, minute).
    /// While the inventory is still loading (the generation moves with every event), the
    /// grid is rebuilt at most every 2 s: with 10,000 VMs a rebuild costs about 0.4 s.
    pub fn fleet(&mut self, inv: &Inventory, now_unix: i64) -> &[FleetRow] {
        let key = (inv.generation, minute(now_unix));
        let settled = inv.progress().is_complete();
        let due = settled || now_unix - self.fleet_built_unix >= 2;
        if self.fleet_key != Some(key) && (due || self.fleet_key.is_none()) {
            self.fleet = assessments::fleet_rows(inv, now_unix);
            self.fleet_key = Some(key);
            self.fleet_built_unix = now_unix;
        }
        &self.fleet
    }

    /// What the restore planner knows about a point, per (inventory generation, point,
    /// minute).
    pub fn restore_facts(
        &mut self,
        inv: &Inventory,
        point_id: &ResourceId,
        now_unix: i64,
    ) -> Option<&crate::restore::RestoreFacts> {
        let key = (inv.generation, point_id.clone(), minute(now_unix));
        if self.restore_key.as_ref() != Some(&key) {
            self.restore = inv.restore_facts(point_id, now_unix);
            self.restore_key = Some(key);
        }
        self.restore.as_ref()
    }
}
