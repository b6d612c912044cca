//! The glue between the inventory and the rules engine: [`rules::VmFacts`] for one VM,
//! built from what the inventory holds (disks resolved, the VM's collections with their
//! points, collections per subscription and region, restore point PUTs rpdesk sent and
//! creations in flight). Pure: the caller passes `now` to `assess`.

use std::collections::HashMap;

use super::{CollectionLink, CreationLog, Inventory};
use crate::model::{Disk, ResourceId, RestorePointCollection, Timestamp, VirtualMachine};
use crate::rules::{self, VmFacts, normalize_region};

/// Collections per (subscription, region), both lower case: computed once per inventory
/// generation and shared by every VM's facts.
#[derive(Clone, Debug, Default)]
pub struct RegionCounts(HashMap<(String, String), usize>);

impl RegionCounts {
    /// Counts every collection the inventory holds.
    pub fn of(inv: &Inventory) -> Self {
        let mut map: HashMap<(String, String), usize> = HashMap::new();
        for entry in inv.collections.values() {
            let key = (
                entry.collection.id.subscription_id().to_ascii_lowercase(),
                normalize_region(&entry.collection.location),
            );
            *map.entry(key).or_default() += 1;
        }
        Self(map)
    }

    /// Every (subscription, region) with its count, both lower case.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, usize)> {
        self.0
            .iter()
            .map(|((sub, region), n)| (sub.as_str(), region.as_str(), *n))
    }

    /// Collections in a subscription and region.
    pub fn get(&self, subscription_id: &str, region: &str) -> usize {
        self.0
            .get(&(
                subscription_id.to_ascii_lowercase(),
                normalize_region(region),
            ))
            .copied()
            .unwrap_or(0)
    }
}

/// Everything [`VmFacts`] borrows, owned or borrowed from the inventory: collections are
/// rebuilt with their points (the store keeps points apart from their collection).
#[derive(Clone, Debug)]
pub struct FactsSource<'a> {
    pub vm: &'a VirtualMachine,
    pub disks: Vec<&'a Disk>,
    pub collections: Vec<RestorePointCollection>,
    pub collections_in_subscription_region: usize,
    pub creation: CreationLog,
    pub orchestration: Option<rules::Orchestration>,
}

impl FactsSource<'_> {
    /// The facts the rules read.
    pub fn facts(&self) -> VmFacts<'_> {
        let mut facts = VmFacts::new(self.vm).with_collections(self.collections.iter());
        facts.disks = self.disks.clone();
        facts.collections_in_subscription_region = self.collections_in_subscription_region;
        facts.creation_in_flight = self.creation.in_flight;
        facts.recent_puts = self.creation.puts.clone();
        facts.orchestration = self.orchestration;
        facts
    }
}

impl Inventory {
    /// The facts source for a VM, or `None` if the VM is not loaded.
    pub fn facts_source<'a>(
        &'a self,
        vm_id: &ResourceId,
        counts: &RegionCounts,
    ) -> Option<FactsSource<'a>> {
        let vm = self.vms.get(vm_id)?;
        let disks = rules::managed_disk_ids(vm)
            .filter_map(|id| ResourceId::parse(id).ok())
            .filter_map(|id| self.disks.get(&id).map(Box::as_ref))
            .collect();
        let collections = self
            .candidate_collections(vm)
            .into_iter()
            .filter_map(|id| self.collection_with_points(&id))
            .filter(|c| rules::collection_belongs_to_vm(c, vm))
            .collect();
        Some(FactsSource {
            vm,
            disks,
            collections,
            collections_in_subscription_region: counts.get(vm.id.subscription_id(), &vm.location),
            creation: self.creations.get(vm_id).cloned().unwrap_or_default(),
            orchestration: self.orchestration_of(vm),
        })
    }

    /// The orchestration of the VM's scale set, if it has one and it was loaded.
    fn orchestration_of(&self, vm: &VirtualMachine) -> Option<rules::Orchestration> {
        let set = ResourceId::parse(&vm.properties.virtual_machine_scale_set.as_ref()?.id).ok()?;
        let mode = self.scale_set_modes.get(&set)?;
        if mode.eq_ignore_ascii_case("Uniform") {
            Some(rules::Orchestration::Uniform)
        } else if mode.eq_ignore_ascii_case("Flexible") {
            Some(rules::Orchestration::Flexible)
        } else {
            None
        }
    }

    /// A collection with its loaded points put back into `properties.restorePoints`.
    pub fn collection_with_points(&self, id: &ResourceId) -> Option<RestorePointCollection> {
        let entry = self.collections.get(id)?;
        let mut collection = entry.collection.clone();
        let points = self
            .points_of(id)
            .iter()
            .filter_map(|p| self.points.get(p))
            .map(|p| p.point.clone())
            .collect();
        collection.properties.restore_points = Some(points);
        Some(collection)
    }

    /// Collections that may hold a VM's points: linked to it, linked to it after a move,
    /// or without a known VM in its subscription (the rules check `sourceMetadata.vmId`).
    fn candidate_collections(&self, vm: &VirtualMachine) -> Vec<ResourceId> {
        let mut ids: Vec<ResourceId> = self.collections_of(&vm.id).to_vec();
        let sub = vm.id.subscription_id();
        for id in self.unlinked_of(sub) {
            let Some(entry) = self.collections.get(id) else {
                continue;
            };
            let related = match &entry.link {
                CollectionLink::Moved { now, .. } => now == &vm.id,
                CollectionLink::MissingVm(_) | CollectionLink::Unknown => true,
                CollectionLink::Vm(_) | CollectionLink::CopyOf(_) => false,
            };
            if related {
                ids.push(id.clone());
            }
        }
        ids
    }

    /// Records a creation queued, started or over for a VM.
    pub fn set_creation_in_flight(&mut self, vm_id: &ResourceId, in_flight: bool) {
        self.generation += 1;
        self.creations.entry(vm_id.clone()).or_default().in_flight = in_flight;
    }

    /// Records a restore point PUT sent for a VM in `mode`.
    pub fn record_put(&mut self, vm_id: &ResourceId, at: Timestamp, mode: rules::Mode) {
        self.generation += 1;
        let log = self.creations.entry(vm_id.clone()).or_default();
        log.puts.push(rules::PointPut { at, mode });
        log.puts.sort_by_key(|p| p.at);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::inventory::InventoryEvent;
    use crate::rules::{Mode, Verdict, assess};

    const SUB: &str = "00000000-0000-0000-0000-000000000001";

    fn id(kind: &str, name: &str) -> String {
        format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute/{kind}/{name}")
    }

    fn parse<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Option<T> {
        serde_json::from_value(v).ok()
    }

    fn inventory() -> Inventory {
        let mut inv = Inventory::default();
        let vm = json!({
            "id": id("virtualMachines", "vm1"), "name": "vm1", "location": "West US 2",
            "properties": { "vmId": "11111111-0000-0000-0000-000000000001",
                "hardwareProfile": { "vmSize": "Standard_D4s_v5" },
                "storageProfile": {
                    "osDisk": { "osType": "Linux", "name": "os", "caching": "ReadWrite",
                        "managedDisk": { "id": id("disks", "os"), "storageAccountType": "Premium_LRS" } },
                    "dataDisks": [ { "lun": 0, "name": "ultra", "createOption": "Attach", "caching": "None",
                        "managedDisk": { "id": id("disks", "ultra"), "storageAccountType": "UltraSSD_LRS" } } ] } } });
        let disks = [("os", "Premium_LRS"), ("ultra", "UltraSSD_LRS")].map(|(n, sku)| {
            json!({ "id": id("disks", n), "name": n, "location": "westus2",
                "sku": { "name": sku }, "properties": { "maxShares": 1 } })
        });
        let rpc = |name: &str, location: &str| {
            json!({ "id": id("restorePointCollections", name), "name": name, "location": location,
                "properties": { "source": { "id": id("virtualMachines", "vm1") } } })
        };
        inv.apply(InventoryEvent::Vms {
            subscription_id: SUB.into(),
            result: Ok(parse(vm).into_iter().map(Box::new).collect()),
        });
        inv.apply(InventoryEvent::Disks {
            subscription_id: SUB.into(),
            result: Ok(disks.into_iter().filter_map(parse).map(Box::new).collect()),
        });
        inv.apply(InventoryEvent::Collections {
            subscription_id: SUB.into(),
            result: Ok([rpc("rpc1", "westus2"), rpc("other", "eastus")]
                .into_iter()
                .filter_map(parse)
                .collect()),
        });
        let mut with_points: Option<RestorePointCollection> = parse(json!({
            "id": id("restorePointCollections", "rpc1"), "name": "rpc1", "location": "westus2",
            "properties": { "source": { "id": id("virtualMachines", "vm1") }, "restorePoints": [
                { "id": format!("{}/restorePoints/rp1", id("restorePointCollections", "rpc1")), "name": "rp1",
                  "properties": { "consistencyMode": "CrashConsistent",
                    "timeCreated": "2026-01-10T11:30:00Z", "provisioningState": "Succeeded" } } ] } }));
        if let Some(c) = with_points.take() {
            inv.apply(InventoryEvent::CollectionPoints {
                collection_id: c.id.clone(),
                result: Ok(Box::new(c)),
            });
        }
        inv
    }

    fn vm_id() -> ResourceId {
        ResourceId::parse(&id("virtualMachines", "vm1")).expect("valid id")
    }

    #[test]
    fn facts_resolve_disks_collections_points_and_region_count() {
        let inv = inventory();
        let counts = RegionCounts::of(&inv);
        let source = inv.facts_source(&vm_id(), &counts).expect("vm loaded");
        let facts = source.facts();
        assert_eq!(facts.disks.len(), 2);
        assert_eq!(facts.collections.len(), 2);
        assert_eq!(facts.points().count(), 1);
        assert_eq!(
            facts.target().map(|c| c.name.as_str()),
            Some("rpc1"),
            "the collection in the VM's region is the target"
        );
        assert_eq!(facts.collections_in_subscription_region, 1);
        assert!(!facts.creation_in_flight);
    }

    #[test]
    fn ultra_disk_is_excluded_for_crash_consistent_from_inventory_facts() {
        let inv = inventory();
        let counts = RegionCounts::of(&inv);
        let source = inv.facts_source(&vm_id(), &counts).expect("vm loaded");
        let now = Timestamp::from_unix_secs(1_768_046_400 + 6 * 3600);
        let crash = assess(&source.facts(), Mode::CrashConsistent, now);
        assert_eq!(crash.verdict, Verdict::SupportedWithExclusions);
        assert_eq!(crash.exclude_disks.len(), 1);
        assert_eq!(crash.exclude_disks[0].name(), "ultra");
    }

    #[test]
    fn creations_in_flight_and_puts_reach_the_facts() {
        let mut inv = inventory();
        let at = Timestamp::from_unix_secs(1_768_046_400);
        inv.set_creation_in_flight(&vm_id(), true);
        inv.record_put(&vm_id(), at, Mode::CrashConsistent);
        let counts = RegionCounts::of(&inv);
        let source = inv.facts_source(&vm_id(), &counts).expect("vm loaded");
        let facts = source.facts();
        assert!(facts.creation_in_flight);
        assert_eq!(
            facts.recent_puts,
            vec![rules::PointPut {
                at,
                mode: Mode::CrashConsistent
            }]
        );
    }

    #[test]
    fn unknown_vm_has_no_facts() {
        let inv = inventory();
        let other = ResourceId::parse(&id("virtualMachines", "nope")).expect("valid id");
        assert!(inv.facts_source(&other, &RegionCounts::default()).is_none());
    }
}
