//! The leak and blocker finder: what keeps costing or will soon block a new restore
//! point, each with the action that fixes it. Collections whose VM is gone or was moved,
//! VMs near Azure's 500 points, subscription-regions near its 10,000 collections, points
//! Azure refused to delete for an active SAS, points past the retention rule, and Azure
//! Backup's own collections (shown, never touched).

use std::collections::BTreeMap;

use super::{CleanupCandidate, CollectionLink, Inventory, NodeId, RegionCounts};
use crate::lifecycle::{DeleteTarget, Labels, RetentionRule, select};
use crate::model::count_text;
use crate::rules::{MAX_COLLECTIONS_PER_SUBSCRIPTION_REGION, MAX_POINTS_PER_VM};

/// A count this share of Azure's limit or more is "near" it.
pub const NEAR_LIMIT_PERCENT: usize = 80;

/// Whether `count` is near `limit` (at least [`NEAR_LIMIT_PERCENT`] of it).
pub fn near_limit(count: usize, limit: usize) -> bool {
    count.saturating_mul(100) >= limit.saturating_mul(NEAR_LIMIT_PERCENT)
}

/// What was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    /// A collection whose source VM no longer exists.
    VmGone,
    /// A collection whose VM was moved to another resource group.
    VmMoved,
    /// A VM near the 500 points Azure keeps.
    NearPointLimit,
    /// A subscription-region near the 10,000 collections Azure allows.
    NearCollectionLimit,
    /// A point or collection Azure refused to delete for an active SAS.
    ActiveSas,
    /// Points past the retention rule.
    PastRetention,
    /// A collection Azure Backup owns.
    AzureBackup,
}

impl FindingKind {
    /// Every kind, in the order the view lists them.
    pub const ALL: [FindingKind; 7] = [
        Self::VmGone,
        Self::VmMoved,
        Self::NearPointLimit,
        Self::NearCollectionLimit,
        Self::ActiveSas,
        Self::PastRetention,
        Self::AzureBackup,
    ];

    /// The view's heading for the kind.
    pub fn title(self) -> &'static str {
        match self {
            Self::VmGone => "Collections whose VM is gone",
            Self::VmMoved => "Collections whose VM was moved",
            Self::NearPointLimit => "VMs near 500 restore points",
            Self::NearCollectionLimit => "Subscription-regions near 10,000 collections",
            Self::ActiveSas => "Disk restore points with an active SAS",
            Self::PastRetention => "Points past the retention rule",
            Self::AzureBackup => "Azure Backup's collections (read-only)",
        }
    }
}

/// The action that fixes a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fix {
    /// Delete the collection (the delete dialog, typed confirmation).
    Delete(DeleteTarget),
    /// Revoke access to its disk restore points, then delete it.
    RevokeAndDelete(DeleteTarget),
    /// Open the clean-up on a node (`None`: the fleet).
    CleanUp(Option<NodeId>),
    /// Show it in the tree.
    Open(NodeId),
    /// Read the points of a subscription-region's collections read on demand.
    ReadPoints {
        subscription: String,
        region: String,
    },
    /// Open the clean-up on a node with its empty collections to delete.
    DeleteEmpty(NodeId),
}

impl Fix {
    /// The button's text.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Delete(_) => "Delete…",
            Self::RevokeAndDelete(_) => "Revoke and delete…",
            Self::CleanUp(_) => "Clean up…",
            Self::Open(_) => "Open in the tree",
            Self::ReadPoints { .. } => "Read their points",
            Self::DeleteEmpty(_) => "Delete empty collections…",
        }
    }
}

/// One row of the finder.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    /// What it is about (opened by a click on its name).
    pub node: NodeId,
    /// Its name.
    pub name: String,
    /// What is wrong, in a sentence.
    pub detail: String,
    pub fix: Fix,
}

impl Inventory {
    /// Everything the finder finds, by kind then name.
    pub fn find_leaks(&self, labels: &Labels, rule: &RetentionRule, now_unix: i64) -> Vec<Finding> {
        let candidates = self.cleanup_candidates(None, false, labels);
        self.find_leaks_from(&candidates, rule, now_unix)
    }

    /// Everything the finder finds, given the fleet's clean-up candidates (read a slice at
    /// a time by the window: [`Inventory::candidates_job`]).
    pub fn find_leaks_from(
        &self,
        candidates: &[CleanupCandidate],
        rule: &RetentionRule,
        now_unix: i64,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        self.collection_findings(&mut out);
        self.limit_findings(&mut out);
        for (id, refusal) in &self.sas_refusals {
            let target = if id.kind().eq_ignore_ascii_case("restorePointCollections") {
                DeleteTarget::Collection(id.clone())
            } else {
                DeleteTarget::Point(id.clone())
            };
            let node = match &target {
                DeleteTarget::Point(p) => NodeId::Point(p.clone()),
                DeleteTarget::Collection(c) => NodeId::Collection(c.clone()),
            };
            out.push(Finding {
                kind: FindingKind::ActiveSas,
                node,
                name: id.name().to_owned(),
                detail: format!(
                    "Azure refused to delete it at {}: {}",
                    refusal.at.local_text(),
                    refusal.message
                ),
                fix: Fix::RevokeAndDelete(target),
            });
        }
        if rule.problems().is_empty() {
            self.retention_findings(candidates, rule, now_unix, &mut out);
        }
        // Keys made once per finding, not per comparison (a fleet has thousands).
        out.sort_by_cached_key(|f| (f.kind, f.name.to_ascii_lowercase()));
        out
    }

    fn collection_findings(&self, out: &mut Vec<Finding>) {
        for entry in self.collections.values() {
            let id = &entry.collection.id;
            let node = NodeId::Collection(id.clone());
            let points = self.points_of(id).len();
            let name = id.name().to_owned();
            if entry.collection.is_azure_backup() {
                out.push(Finding {
                    kind: FindingKind::AzureBackup,
                    node: node.clone(),
                    name,
                    detail: format!(
                        "{points} point(s) kept by Azure Backup in {}: its vault manages them, rpdesk only shows them",
                        id.resource_group().unwrap_or_default()
                    ),
                    fix: Fix::Open(node),
                });
                continue;
            }
            match &entry.link {
                CollectionLink::MissingVm(vm) => out.push(Finding {
                    kind: FindingKind::VmGone,
                    node,
                    name,
                    detail: format!(
                        "Its VM {} no longer exists; its {points} point(s) are still billed",
                        vm.name()
                    ),
                    fix: Fix::Delete(DeleteTarget::Collection(id.clone())),
                }),
                CollectionLink::Moved { stale, now } => out.push(Finding {
                    kind: FindingKind::VmMoved,
                    node,
                    name,
                    detail: format!(
                        "Its VM {} moved from {} to {}: the collection still names the old group, so its {points} point(s) no longer grow and age out only if cleaned up",
                        now.name(),
                        stale.resource_group().unwrap_or_default(),
                        now.resource_group().unwrap_or_default()
                    ),
                    fix: Fix::CleanUp(Some(NodeId::Collection(id.clone()))),
                }),
                _ => {}
            }
        }
    }

    fn limit_findings(&self, out: &mut Vec<Finding>) {
        for vm in self.vms.values() {
            // A count: no need to look each point up and sort them by age.
            let count: usize = self
                .collections_of(&vm.id)
                .iter()
                .map(|c| self.points_of(c).len())
                .sum();
            if near_limit(count, MAX_POINTS_PER_VM) {
                out.push(Finding {
                    kind: FindingKind::NearPointLimit,
                    node: NodeId::Vm(vm.id.clone()),
                    name: vm.name.clone(),
                    detail: format!(
                        "{count} of the {MAX_POINTS_PER_VM} restore points Azure keeps per VM: at {MAX_POINTS_PER_VM} every new point is refused"
                    ),
                    fix: Fix::CleanUp(Some(NodeId::Vm(vm.id.clone()))),
                });
            }
        }
        let counts = RegionCounts::of(self);
        for (sub, region, count) in counts.iter() {
            if near_limit(count, MAX_COLLECTIONS_PER_SUBSCRIPTION_REGION) {
                let node = NodeId::Subscription(sub.into());
                let mut detail = format!(
                    "{} of the {} collections Azure allows per subscription and region: a VM without a collection there cannot get a first point once it is full",
                    count_text(count),
                    count_text(MAX_COLLECTIONS_PER_SUBSCRIPTION_REGION)
                );
                let unread = self.unread_collections_in(sub, region).len();
                let fix = if unread > 0 {
                    detail.push_str(&format!(
                        ". Their restore points are read when a collection is opened: {} not read yet (reading them all takes about {} min of the subscription's ARM reads)",
                        count_text(unread),
                        super::read_minutes(unread)
                    ));
                    Fix::ReadPoints {
                        subscription: sub.to_owned(),
                        region: region.to_owned(),
                    }
                } else {
                    let empty = self
                        .empty_collections_below(Some(&node), false)
                        .into_iter()
                        .filter(|id| {
                            self.collections.get(id).is_some_and(|c| {
                                crate::rules::normalize_region(&c.collection.location) == region
                            })
                        })
                        .count();
                    if empty > 0 {
                        detail.push_str(&format!(
                            ". {} of them hold no restore point",
                            count_text(empty)
                        ));
                        Fix::DeleteEmpty(node.clone())
                    } else {
                        Fix::Open(node.clone())
                    }
                };
                out.push(Finding {
                    kind: FindingKind::NearCollectionLimit,
                    name: format!("{} · {region}", self.label(&node)),
                    node,
                    detail,
                    fix,
                });
            }
        }
    }

    fn retention_findings(
        &self,
        candidates: &[CleanupCandidate],
        rule: &RetentionRule,
        now_unix: i64,
        out: &mut Vec<Finding>,
    ) {
        let plain: Vec<_> = candidates.iter().map(|c| &c.candidate).collect();
        let selection = select(rule, &plain, now_unix);
        // Per VM (or collection without one): how many points the rule would delete, and
        // one of them (to name the finding's node).
        let mut past: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for i in selection.delete {
            past.entry(candidates[i].candidate.group.as_str())
                .or_insert((i, 0))
                .1 += 1;
        }
        for (group, (i, count)) in past {
            let c = &candidates[i];
            let node = match crate::model::ResourceId::parse(group) {
                Ok(id) if self.vms.contains_key(&id) => NodeId::Vm(id),
                _ => c
                    .point_id
                    .parent()
                    .map_or(NodeId::Point(c.point_id.clone()), NodeId::Collection),
            };
            let name = c.vm.clone();
            out.push(Finding {
                kind: FindingKind::PastRetention,
                detail: format!("{count} point(s) the retention rule would delete"),
                fix: Fix::CleanUp(Some(node.clone())),
                node,
                name,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::inventory::InventoryEvent;

    use crate::inventory::test_support::{SUB, inventory};

    fn kinds(inv: &Inventory) -> Vec<FindingKind> {
        let rule = RetentionRule {
            keep_last: Some(500),
            keep_days: None,
        };
        inv.find_leaks(&Labels::default(), &rule, 1_768_046_400)
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    #[test]
    fn near_means_eighty_percent_of_the_limit() {
        assert!(!near_limit(399, 500));
        assert!(near_limit(400, 500));
        assert!(!near_limit(7_999, 10_000));
        assert!(near_limit(8_000, 10_000));
    }

    #[test]
    fn a_vm_with_400_points_is_near_the_limit_and_one_with_399_is_not() {
        assert!(!kinds(&inventory(399, 0)).contains(&FindingKind::NearPointLimit));
        let inv = inventory(400, 0);
        let found = inv.find_leaks(&Labels::default(), &RetentionRule::default(), 0);
        let near: Vec<_> = found
            .iter()
            .filter(|f| f.kind == FindingKind::NearPointLimit)
            .collect();
        assert_eq!(near.len(), 1);
        assert_eq!(near[0].name, "vm1");
        assert!(matches!(&near[0].fix, Fix::CleanUp(Some(NodeId::Vm(_)))));
    }

    #[test]
    fn a_subscription_region_with_8000_collections_is_near_the_limit() {
        assert!(!kinds(&inventory(1, 7_998)).contains(&FindingKind::NearCollectionLimit));
        let inv = inventory(1, 7_999);
        let found = inv.find_leaks(&Labels::default(), &RetentionRule::default(), 0);
        let near: Vec<_> = found
            .iter()
            .filter(|f| f.kind == FindingKind::NearCollectionLimit)
            .collect();
        assert_eq!(near.len(), 1, "{found:?}");
        assert!(
            near[0].detail.starts_with("8,000 of the 10,000"),
            "{}",
            near[0].detail
        );
        // Read on demand: the fix reads them first.
        assert!(
            near[0].detail.contains("7,999 not read yet"),
            "{}",
            near[0].detail
        );
        assert!(matches!(&near[0].fix, Fix::ReadPoints { region, .. } if region == "westus2"));
    }

    #[test]
    fn once_read_the_empty_collections_near_the_limit_are_the_fix() {
        let mut inv = inventory(1, 7_999);
        let others: Vec<crate::model::ResourceId> = inv.unread_collections_in(SUB, "westus2");
        assert_eq!(others.len(), 7_999);
        for id in others {
            let empty = json!({ "id": id.as_str(), "name": id.name(), "location": "westus2",
                "properties": { "restorePoints": [] } });
            if let Ok(c) = serde_json::from_value::<crate::model::RestorePointCollection>(empty) {
                inv.apply(InventoryEvent::CollectionPoints {
                    collection_id: id,
                    result: Ok(Box::new(c)),
                });
            }
        }
        let found = inv.find_leaks(&Labels::default(), &RetentionRule::default(), 0);
        let near = found
            .iter()
            .find(|f| f.kind == FindingKind::NearCollectionLimit)
            .expect("still near the limit");
        assert!(
            near.detail.ends_with("7,999 of them hold no restore point"),
            "{}",
            near.detail
        );
        assert_eq!(
            near.fix,
            Fix::DeleteEmpty(NodeId::Subscription(SUB.to_ascii_lowercase().into()))
        );
        assert_eq!(inv.empty_collections_below(None, false).len(), 7_999);
    }
}
