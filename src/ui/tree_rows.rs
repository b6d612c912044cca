//! Flattening the navigator tree into the rows currently visible.

use std::collections::HashSet;

use crate::inventory::{Inventory, Loadable, NodeId};

/// One visible row of the navigator.
#[derive(Clone, Debug, PartialEq)]
pub struct TreeRow {
    pub node: NodeId,
    pub depth: usize,
    pub expandable: bool,
}

/// Rows of every expanded node, depth first, in display order.
pub fn visible_rows(
    inv: &Inventory,
    expanded: &HashSet<NodeId>,
    group_by_rg: bool,
) -> Vec<TreeRow> {
    let mut rows = Vec::new();
    for sub in inv.subscription_ids() {
        push(
            inv,
            expanded,
            group_by_rg,
            NodeId::Subscription(sub.into()),
            0,
            &mut rows,
        );
    }
    rows
}

fn push(
    inv: &Inventory,
    expanded: &HashSet<NodeId>,
    group_by_rg: bool,
    node: NodeId,
    depth: usize,
    rows: &mut Vec<TreeRow>,
) {
    let expandable = is_expandable(inv, &node);
    let open = expandable && expanded.contains(&node);
    rows.push(TreeRow {
        node: node.clone(),
        depth,
        expandable,
    });
    if open {
        for child in inv.children(&node, group_by_rg) {
            push(inv, expanded, group_by_rg, child, depth + 1, rows);
        }
    }
}

/// Whether a node has (or may have, once loaded) children.
pub fn is_expandable(inv: &Inventory, node: &NodeId) -> bool {
    match node {
        NodeId::Subscription(_) | NodeId::Group { .. } | NodeId::Unlinked(_) => true,
        NodeId::Vm(id) => !inv.collections_of(id).is_empty(),
        NodeId::Collection(id) => match inv.collections.get(id).map(|c| &c.points) {
            Some(Loadable::Ready(points)) => !points.is_empty(),
            Some(_) => true,
            None => false,
        },
        NodeId::Point(id) => !inv.disk_points_of(id).is_empty(),
        NodeId::DiskPoint(_) => false,
    }
}
