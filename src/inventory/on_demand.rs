//! Where restore points are read on demand. Reading a collection's points is one ARM GET
//! (`$expand=restorePoints`) per collection, and ARM refills a subscription's reads at
//! 25 a second: the 8,000 collections of a subscription-region near Azure's 10,000 would
//! take that subscription's whole read budget for over five minutes, throttling every
//! other read in it (a restore's included). There, the collections are listed as usual
//! (their count is the finding) and a collection's points are read when it is opened,
//! or all of them when the user asks.

use std::collections::{HashMap, HashSet};

use super::{Inventory, NodeId, near_limit};
use crate::model::{ResourceId, RestorePointCollection};
use crate::rules::{MAX_COLLECTIONS_PER_SUBSCRIPTION_REGION, normalize_region};

/// ARM's sustained read rate per subscription (requests a second).
pub const ARM_READS_PER_SECOND: usize = 25;

/// The regions (normalised) of one subscription's collection list whose collections'
/// points are read on demand: those near Azure's limit of collections.
pub fn on_demand_regions(collections: &[RestorePointCollection]) -> HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for c in collections {
        *counts.entry(normalize_region(&c.location)).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(_, n)| near_limit(*n, MAX_COLLECTIONS_PER_SUBSCRIPTION_REGION))
        .map(|(region, _)| region)
        .collect()
}

/// Whether `collection`'s points are read on demand, given its list's
/// [`on_demand_regions`].
pub fn reads_on_demand(collection: &RestorePointCollection, regions: &HashSet<String>) -> bool {
    !regions.is_empty() && regions.contains(&normalize_region(&collection.location))
}

/// How long reading `collections` collections' points takes at ARM's read rate, in
/// whole minutes (at least one): what the "Read all" button says.
pub fn read_minutes(collections: usize) -> usize {
    collections.div_ceil(ARM_READS_PER_SECOND * 60).max(1)
}

impl Inventory {
    /// The collections of a subscription and region (normalised) whose points are read on
    /// demand and have not been read.
    pub fn unread_collections_in(&self, subscription_id: &str, region: &str) -> Vec<ResourceId> {
        let mut ids: Vec<ResourceId> = self
            .collections
            .iter()
            .filter(|(id, c)| {
                c.points_unread()
                    && id.subscription_id().eq_ignore_ascii_case(subscription_id)
                    && normalize_region(&c.collection.location) == region
            })
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort();
        ids
    }

    /// The collections under `node` (`None`: the fleet) whose points are read on demand
    /// and have not been read: what a fleet view over `node` cannot count.
    pub fn unread_collections_below(
        &self,
        node: Option<&NodeId>,
        group_by_rg: bool,
    ) -> Vec<ResourceId> {
        self.collections_below(node, group_by_rg, |c| c.points_unread())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(region: &str, n: usize) -> Vec<RestorePointCollection> {
        (0..n)
            .map(|i| {
                serde_json::from_value(serde_json::json!({
                    "id": format!("/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/restorePointCollections/c{i}"),
                    "name": format!("c{i}"),
                    "location": region,
                }))
                .expect("a collection")
            })
            .collect()
    }

    #[test]
    fn only_a_region_near_the_limit_is_read_on_demand() {
        let mut all = list("East US", 8_000);
        all.extend(list("westus2", 7_999));
        let regions = on_demand_regions(&all);
        assert_eq!(regions, HashSet::from(["eastus".to_owned()]));
        assert!(reads_on_demand(&all[0], &regions));
        assert!(!reads_on_demand(&all[8_000], &regions));
        assert!(on_demand_regions(&list("eastus", 7_999)).is_empty());
    }

    #[test]
    fn the_inventory_leaves_them_unread_and_counts_them_per_scope() {
        use crate::inventory::InventoryEvent;
        let mut inv = Inventory::default();
        let mut all = list("eastus", 8_000);
        all.extend(list("westus2", 3).into_iter().map(|mut c| {
            let name = format!("w-{}", c.name);
            c.id = crate::model::ResourceId::parse(&format!(
                "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/restorePointCollections/{name}"
            ))
            .expect("an id");
            c.name = name;
            c
        }));
        inv.apply(InventoryEvent::Collections {
            subscription_id: "s".into(),
            result: Ok(all),
        });
        let p = inv.progress();
        assert_eq!((p.collections_on_demand, p.collections_total), (8_000, 3));
        assert_eq!(inv.unread_collections_below(None, false).len(), 8_000);
        assert_eq!(inv.unread_collections_in("S", "eastus").len(), 8_000);
        assert!(inv.unread_collections_in("s", "westus2").is_empty());
        let one = inv.unread_collections_in("s", "eastus")[0].clone();
        assert_eq!(
            inv.unread_collections_below(Some(&NodeId::Collection(one.clone())), false),
            vec![one.clone()]
        );
        inv.mark_loading_points(&one);
        assert_eq!(inv.progress().collections_on_demand, 7_999);
        assert!(!inv.progress().is_complete(), "being read");
    }

    #[test]
    fn reading_takes_a_minute_per_1500_collections() {
        assert_eq!(read_minutes(1), 1);
        assert_eq!(read_minutes(1_500), 1);
        assert_eq!(read_minutes(1_501), 2);
        assert_eq!(read_minutes(8_120), 6);
    }
}
