//! Global search over the inventory: names, ids, tags, regions, VM sizes and disk SKUs.

use crate::inventory::{Inventory, NodeId};

/// Nodes matching every word of `query` (lower-case), best first, at most `limit`.
pub fn search(inv: &Inventory, query: &str, limit: usize) -> Vec<NodeId> {
    let terms: Vec<&str> = query.split_whitespace().collect();
    if terms.is_empty() {
        return Vec::new();
    }
    let matches = |text: &str| terms.iter().all(|t| text.contains(t));
    // Exact-name hits first, then VMs, collections, points.
    let mut hits: Vec<(u8, String, NodeId)> = Vec::new();
    for vm in inv.vms.values() {
        let mut text = format!(
            "{} {} {} {}",
            vm.id,
            vm.location,
            vm.vm_size(),
            vm.os_type().map(|o| o.as_str()).unwrap_or("")
        );
        for (k, v) in &vm.tags {
            text.push_str(&format!(" {k}={v} {k} {v}"));
        }
        for disk in inv.disks_of_vm(vm) {
            if let Some(sku) = disk.storage_type() {
                text.push(' ');
                text.push_str(sku.as_str());
                text.push(' ');
                text.push_str(sku.short_label());
            }
        }
        let text = text.to_lowercase();
        if matches(&text) {
            let rank = u8::from(!vm.name.eq_ignore_ascii_case(query));
            hits.push((rank, vm.name.to_lowercase(), NodeId::Vm(vm.id.clone())));
        }
    }
    for c in inv.collections.values() {
        let mut text = format!("{} {}", c.collection.id, c.collection.location);
        for (k, v) in &c.collection.tags {
            text.push_str(&format!(" {k}={v}"));
        }
        if matches(&text.to_lowercase()) {
            hits.push((
                2,
                c.collection.name.to_lowercase(),
                NodeId::Collection(c.collection.id.clone()),
            ));
        }
    }
    if hits.len() < limit {
        for p in inv.points.values() {
            let mut text = p.point.id.as_str().to_lowercase();
            if let Some(label) = inv.labels.get(&p.point.id) {
                text.push(' ');
                text.push_str(&label.search_text());
            }
            if matches(&text) {
                hits.push((
                    3,
                    p.point.name().to_lowercase(),
                    NodeId::Point(p.point.id.clone()),
                ));
            }
        }
    }
    hits.sort();
    hits.truncate(limit);
    hits.into_iter().map(|(_, _, n)| n).collect()
}
