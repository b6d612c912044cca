//! Progressive inventory loading: subscriptions, then each subscription's VMs, disks and
//! collections in parallel, then each collection's restore points. Every result is sent
//! the moment it arrives, so the tree fills in while the rest loads.

use std::time::Instant;

use super::Backend;
use super::error_info;
use crate::arm::{ArmError, api_versions};
use crate::inventory::{InventoryEvent, on_demand_regions, reads_on_demand};
use crate::model::{ProvisioningState, ResourceId};

impl Backend {
    /// Loads (or reloads) everything.
    pub fn load_all(&self) {
        let this = self.clone();
        self.spawn(async move {
            let started = Instant::now();
            let result = this.client().list_subscriptions().await;
            if let Err(e) = &result {
                this.log_failure("List subscriptions".into(), started, e)
                    .await;
            }
            let ids: Vec<String> = result
                .as_ref()
                .map(|l| l.iter().map(|s| s.subscription_id.clone()).collect())
                .unwrap_or_default();
            this.emit_inventory(InventoryEvent::Subscriptions(
                result.map_err(|e| error_info(&e)),
            ))
            .await;
            this.report_unreadable().await;
            for id in ids {
                this.load_subscription(id);
            }
        });
    }

    /// Loads one subscription's VMs (with power states), disks and collections.
    pub fn load_subscription(&self, subscription_id: String) {
        let this = self.clone();
        self.spawn(async move {
            let sub = subscription_id.as_str();
            tokio::join!(
                this.load_vms(sub),
                this.load_disks(sub),
                this.load_collections(sub)
            );
            this.report_unreadable().await;
        });
    }

    async fn load_vms(&self, sub: &str) {
        let started = Instant::now();
        let mut vms = Vec::new();
        let result = self
            .client()
            .list_vms_pages(sub, boxed_into(&mut vms))
            .await
            .map(|()| vms);
        if let Err(e) = &result {
            self.log_failure(format!("List VMs of {sub}"), started, e)
                .await;
        }
        let ok = result.is_ok();
        let mut scale_sets: Vec<ResourceId> = result
            .as_ref()
            .map(|vms| {
                vms.iter()
                    .filter_map(|v| v.properties.virtual_machine_scale_set.as_ref())
                    .filter_map(|s| ResourceId::parse(&s.id).ok())
                    .collect()
            })
            .unwrap_or_default();
        scale_sets.sort();
        scale_sets.dedup();
        self.emit_inventory(InventoryEvent::Vms {
            subscription_id: sub.to_owned(),
            result: result.map_err(|e| error_info(&e)),
        })
        .await;
        // Scale sets' orchestration decides whether their VMs may have restore points.
        let mut modes = Vec::new();
        for id in scale_sets {
            match self.client().get_scale_set(&id).await {
                Ok(set) => modes.extend(set.properties.orchestration_mode.map(|m| (id, m))),
                Err(e) => {
                    self.log_failure(format!("Get scale set {}", id.name()), started, &e)
                        .await
                }
            }
        }
        if !modes.is_empty() {
            self.emit_inventory(InventoryEvent::ScaleSets(modes)).await;
        }
        if ok {
            // Power states are a second, cheaper listing; a failure only hides the icons.
            match self.client().list_vm_statuses(sub).await {
                Ok(statuses) => {
                    self.emit_inventory(InventoryEvent::VmStatuses {
                        subscription_id: sub.to_owned(),
                        statuses,
                    })
                    .await;
                }
                Err(e) => {
                    self.log_failure(format!("List VM power states of {sub}"), started, &e)
                        .await
                }
            }
        }
    }

    async fn load_disks(&self, sub: &str) {
        let started = Instant::now();
        let mut disks = Vec::new();
        let result = self
            .client()
            .list_disks_pages(sub, boxed_into(&mut disks))
            .await
            .map(|()| disks);
        if let Err(e) = &result {
            self.log_failure(format!("List disks of {sub}"), started, e)
                .await;
        }
        self.emit_inventory(InventoryEvent::Disks {
            subscription_id: sub.to_owned(),
            result: result.map_err(|e| error_info(&e)),
        })
        .await;
    }

    /// Reads the points of each collection in `ids` (collections read on demand).
    pub fn load_points_of(&self, ids: Vec<ResourceId>) {
        for id in ids {
            self.load_points(id);
        }
    }

    async fn load_collections(&self, sub: &str) {
        let started = Instant::now();
        let result = self.client().list_collections(sub).await;
        if let Err(e) = &result {
            self.log_failure(
                format!("List restore point collections of {sub}"),
                started,
                e,
            )
            .await;
        }
        // Near Azure's limit of collections, points are read on demand (see
        // `inventory::on_demand`); the inventory applies the same rule to the same list.
        let ids: Vec<ResourceId> = result
            .as_ref()
            .map(|l| {
                let on_demand = on_demand_regions(l);
                l.iter()
                    .filter(|c| !reads_on_demand(c, &on_demand))
                    .map(|c| c.id.clone())
                    .collect()
            })
            .unwrap_or_default();
        self.emit_inventory(InventoryEvent::Collections {
            subscription_id: sub.to_owned(),
            result: result.map_err(|e| error_info(&e)),
        })
        .await;
        for id in ids {
            self.load_points(id);
        }
    }

    /// Loads a collection's restore points (`$expand=restorePoints`), then the instance
    /// view of points still in progress or copied from another region.
    pub fn load_points(&self, collection_id: ResourceId) {
        let this = self.clone();
        self.spawn(async move {
            let started = Instant::now();
            let result = this.client().get_collection(&collection_id, true).await;
            if let Err(e) = &result {
                this.log_failure(
                    format!("Get restore points of {}", collection_id.name()),
                    started,
                    e,
                )
                .await;
            }
            let follow: Vec<ResourceId> = result
                .as_ref()
                .map(|c| {
                    c.restore_points()
                        .iter()
                        .filter(|p| {
                            let state = p
                                .properties
                                .provisioning_state
                                .clone()
                                .unwrap_or(ProvisioningState::Succeeded);
                            !state.is_terminal() || p.properties.source_restore_point.is_some()
                        })
                        .map(|p| p.id.clone())
                        .collect()
                })
                .unwrap_or_default();
            this.emit_inventory(InventoryEvent::CollectionPoints {
                collection_id,
                result: result.map(Box::new).map_err(|e| error_info(&e)),
            })
            .await;
            for id in follow {
                this.load_point_detail(id);
            }
        });
    }

    /// Loads a restore point with its instance view (replication, instant access).
    pub fn load_point_detail(&self, point_id: ResourceId) {
        let this = self.clone();
        self.spawn(async move {
            let started = Instant::now();
            let result = this.client().get_restore_point(&point_id, true).await;
            if let Err(e) = &result {
                this.log_failure(format!("Get restore point {}", point_id.name()), started, e)
                    .await;
            }
            this.emit_inventory(InventoryEvent::PointDetail {
                point_id,
                result: result.map(Box::new).map_err(|e| error_info(&e)),
            })
            .await;
        });
    }

    /// Lists a restore point's disk restore points.
    pub fn load_disk_points(&self, point_id: ResourceId) {
        let this = self.clone();
        self.spawn(async move {
            let started = Instant::now();
            let result = this.client().list_disk_restore_points(&point_id).await;
            if let Err(e) = &result {
                this.log_failure(
                    format!("List disk restore points of {}", point_id.name()),
                    started,
                    e,
                )
                .await;
            }
            this.emit_inventory(InventoryEvent::DiskPoints {
                point_id,
                result: result.map_err(|e| error_info(&e)),
            })
            .await;
        });
    }

    /// Fetches a resource's document exactly as the server sends it.
    pub fn load_raw(&self, id: ResourceId) {
        let this = self.clone();
        self.spawn(async move {
            let started = Instant::now();
            let result = this
                .client()
                .get_raw(id.as_str(), api_version_for(&id))
                .await;
            if let Err(e) = &result {
                this.log_failure(format!("Get {}", id.name()), started, e)
                    .await;
            }
            this.emit_inventory(InventoryEvent::Raw {
                id,
                result: result.map_err(|e: ArmError| error_info(&e)),
            })
            .await;
        });
    }
}

/// Takes a listing's pages into `out`, each item boxed as its page arrives: the inventory
/// keeps VMs and disks boxed, and a list of boxes grows by pointers, not by whole items.
fn boxed_into<T>(out: &mut Vec<Box<T>>) -> impl FnMut(Vec<T>) + '_ {
    move |page| out.extend(page.into_iter().map(Box::new))
}

/// Disk restore points and disks belong to the Disk RP's api-version family.
fn api_version_for(id: &ResourceId) -> &'static str {
    match id.kind().to_ascii_lowercase().as_str() {
        "diskrestorepoints" | "disks" | "snapshots" => api_versions::DISKS,
        _ => api_versions::COMPUTE,
    }
}

impl Backend {
    /// Adds a fault rule to the demo emulator (screenshots of failures); logged if refused.
    pub fn inject_fault(&self, fault: serde_json::Value) {
        let this = self.clone();
        self.spawn(async move {
            let started = std::time::Instant::now();
            if let Err(e) = this.client().emulator_add_fault(fault).await {
                this.log_failure("Inject a fault".into(), started, &e).await;
            }
        });
    }

    /// Resets the demo emulator's estate, then reloads everything.
    pub fn reset_demo(&self) {
        let this = self.clone();
        self.spawn(async move {
            let activity = this
                .begin_activity(
                    crate::activity::ActivityKind::Operation,
                    "Reset the demo estate".into(),
                )
                .await;
            match this.client().emulator_reset().await {
                Ok(()) => {
                    this.end_activity(activity, crate::activity::ActivityStatus::Succeeded)
                        .await;
                    this.load_all();
                }
                Err(e) => {
                    this.end_activity(
                        activity,
                        crate::activity::ActivityStatus::Failed(error_info(&e)),
                    )
                    .await
                }
            }
        });
    }
}
