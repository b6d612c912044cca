//! What the benchmarks share: a deterministic generator, and an inventory fed the
//! backend's events.

pub mod fleet;
pub mod timing;

use rpdesk::inventory::{Inventory, InventoryEvent};
use rpdesk::model::{Disk, RestorePointCollection, VirtualMachine};

/// A tiny deterministic generator (no dependency, same fleet every run).
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number below `n`.
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// One subscription's VMs, disks and collections (with their points) as the app holds
/// them: the collection list first, then each collection with `$expand=restorePoints`.
pub fn inventory(
    subscription_id: &str,
    vms: Vec<VirtualMachine>,
    disks: Vec<Disk>,
    collections: &[RestorePointCollection],
) -> Inventory {
    let mut inv = Inventory::default();
    inv.apply(InventoryEvent::Vms {
        subscription_id: subscription_id.into(),
        result: Ok(vms.into_iter().map(Box::new).collect()),
    });
    inv.apply(InventoryEvent::Disks {
        subscription_id: subscription_id.into(),
        result: Ok(disks.into_iter().map(Box::new).collect()),
    });
    let listed = collections
        .iter()
        .map(|c| {
            let mut bare = c.clone();
            bare.properties.restore_points = None;
            bare
        })
        .collect();
    inv.apply(InventoryEvent::Collections {
        subscription_id: subscription_id.into(),
        result: Ok(listed),
    });
    for c in collections {
        inv.apply(InventoryEvent::CollectionPoints {
            collection_id: c.id.clone(),
            result: Ok(Box::new(c.clone())),
        });
    }
    inv
}
