//! The inventory without a window: the app's own loader, its events folded into an
//! [`Inventory`] until everything has answered. For scripts, benchmarks and tests.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::{Backend, BackendEvent};
use crate::arm::ArmClient;
use crate::inventory::Inventory;
use crate::model::ResourceId;

/// How long to wait for the next answer before giving up.
const STALL: Duration = Duration::from_secs(120);

/// A headless loader over `client`.
pub struct Headless {
    backend: Backend,
    events: mpsc::Receiver<BackendEvent>,
    /// What has been loaded.
    pub inventory: Inventory,
}

impl Headless {
    /// A loader on the current tokio runtime.
    pub fn new(client: ArmClient) -> Self {
        let (backend, events) =
            Backend::new(client, tokio::runtime::Handle::current(), Arc::new(|| {}));
        Self {
            backend,
            events,
            inventory: Inventory::default(),
        }
    }

    /// Folds events in until `done` holds; `Err` if the backend stalls.
    async fn until(&mut self, done: impl Fn(&Inventory) -> bool) -> Result<(), String> {
        while !done(&self.inventory) {
            match tokio::time::timeout(STALL, self.events.recv()).await {
                Ok(Some(BackendEvent::Inventory(e))) => self.inventory.apply(e),
                Ok(Some(_)) => {}
                Ok(None) => return Err("the backend stopped".into()),
                Err(_) => return Err(format!("no answer for {} s", STALL.as_secs())),
            }
        }
        Ok(())
    }

    /// Loads everything, as the app does at start-up; stops at once, with the reason, when
    /// the subscriptions cannot be listed.
    pub async fn load_all(&mut self) -> Result<(), String> {
        self.inventory.mark_loading_all();
        self.backend.load_all();
        self.until(|inv| {
            let subs = &inv.subscriptions;
            subs.error().is_some()
                || (subs.value().is_some() && !subs.is_loading() && inv.progress().is_complete())
        })
        .await?;
        match self.inventory.subscriptions.error() {
            Some(e) => Err(format!(
                "the subscriptions could not be listed: {}",
                e.summary()
            )),
            None => Ok(()),
        }
    }

    /// Reads the points of every collection read on demand (near Azure's limit of
    /// collections: minutes at ARM's read rate) and waits for them.
    pub async fn read_on_demand(&mut self) -> Result<(), String> {
        let ids: Vec<ResourceId> = self
            .inventory
            .collections
            .iter()
            .filter(|(_, c)| c.points_unread())
            .map(|(id, _)| id.clone())
            .collect();
        for id in &ids {
            self.inventory.mark_loading_points(id);
        }
        self.backend.load_points_of(ids);
        self.until(|inv| inv.progress().is_complete()).await
    }

    /// Loads what the restore wizard reads for `point` (its instance view and disk restore
    /// points, the subscription's networks and resource groups, the VM's NIC).
    pub async fn load_for_restore(
        &mut self,
        point: &ResourceId,
        now_unix: i64,
    ) -> Result<(), String> {
        let sub = point.subscription_id().to_owned();
        let key = sub.to_ascii_lowercase();
        let nic = self
            .inventory
            .restore_facts(point, now_unix)
            .and_then(|f| f.live_vm)
            .and_then(|v| {
                let profile = v.vm.properties.network_profile?;
                ResourceId::parse(&profile.primary_nic()?.id).ok()
            });
        self.inventory.mark_loading_restore_context(&sub);
        self.inventory.mark_loading_point_detail(point);
        self.inventory.mark_loading_disk_points(point);
        self.backend.load_restore_context(sub, nic, point.clone());
        self.until(|inv| {
            let entry = inv.points.get(point);
            let lists = inv.networks.get(&key).is_some_and(|n| !n.is_loading())
                && inv
                    .resource_groups
                    .get(&key)
                    .is_some_and(|g| !g.is_loading());
            lists
                && entry.is_some_and(|p| !p.detail().is_loading() && !p.disk_points().is_loading())
        })
        .await
    }
}
