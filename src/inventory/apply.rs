//! Folding backend events into the store, and keeping the indexes in step.

use std::collections::{HashMap, HashSet};

use super::store::{CollectionEntry, PointEntry, SubscriptionEntry};
use super::{CollectionLink, Inventory, InventoryEvent, Loadable};
use crate::model::{ResourceId, RestorePointCollection};

impl Inventory {
    /// Applies one backend event.
    pub fn apply(&mut self, event: InventoryEvent) {
        self.generation += 1;
        match event {
            InventoryEvent::Subscriptions(result) => self.apply_subscriptions(result),
            InventoryEvent::Vms {
                subscription_id,
                result,
            } => {
                let key = subscription_id.to_ascii_lowercase();
                let ok = result.as_ref().map(|_| ()).map_err(Clone::clone);
                if let Ok(vms) = result {
                    self.vms
                        .retain(|id, _| !id.subscription_id().eq_ignore_ascii_case(&key));
                    let mut ids: Vec<ResourceId> = vms.iter().map(|v| v.id.clone()).collect();
                    ids.sort_by_key(|id| id.name().to_ascii_lowercase());
                    for mut vm in vms {
                        vm.shrink_to_fit();
                        self.vms.insert(vm.id.clone(), vm);
                    }
                    self.vms_by_sub.insert(key.clone(), ids);
                    self.relink(&key);
                }
                if let Some(e) = self.sub_entry(&key) {
                    e.vms.finish(ok);
                }
            }
            InventoryEvent::VmStatuses { statuses, .. } => {
                for (id, mut view) in statuses {
                    view.shrink_to_fit();
                    if let Some(vm) = self.vms.get_mut(&id) {
                        vm.properties.instance_view = Some(Box::new(view));
                    }
                }
            }
            InventoryEvent::Disks {
                subscription_id,
                result,
            } => {
                let key = subscription_id.to_ascii_lowercase();
                let ok = result.as_ref().map(|_| ()).map_err(Clone::clone);
                if let Ok(disks) = result {
                    self.disks
                        .retain(|id, _| !id.subscription_id().eq_ignore_ascii_case(&key));
                    self.disks
                        .extend(disks.into_iter().map(|d| (d.id.clone(), d)));
                }
                if let Some(e) = self.sub_entry(&key) {
                    e.disks.finish(ok);
                }
            }
            InventoryEvent::Collections {
                subscription_id,
                result,
            } => {
                let key = subscription_id.to_ascii_lowercase();
                let ok = result.as_ref().map(|_| ()).map_err(Clone::clone);
                if let Ok(list) = result {
                    self.replace_collections(&key, list);
                    self.relink(&key);
                }
                if let Some(e) = self.sub_entry(&key) {
                    e.collections.finish(ok);
                }
            }
            InventoryEvent::CollectionPoints {
                collection_id,
                result,
            } => self.apply_points(collection_id, result.map(|c| *c)),
            InventoryEvent::PointDetail { point_id, result } => {
                if let Some(entry) = self.points.get_mut(&point_id) {
                    entry.detail_mut().finish(result);
                }
            }
            InventoryEvent::DiskPoints { point_id, result } => {
                let ids = result.map(|list| {
                    let ids: Vec<ResourceId> = list.iter().map(|d| d.id.clone()).collect();
                    self.disk_points
                        .extend(list.into_iter().map(|d| (d.id.clone(), d)));
                    ids
                });
                if let Some(entry) = self.points.get_mut(&point_id) {
                    entry.disk_points_mut().finish(ids);
                }
            }
            InventoryEvent::CreationPut { vm_id, at, mode } => self.record_put(&vm_id, at, mode),
            InventoryEvent::CopyPut { collection_id, at } => self.record_copy(&collection_id, at),
            InventoryEvent::CopyWatch(watch) => self.record_copy_watch(*watch),
            InventoryEvent::GroupReport(report) => {
                self.generation += 1;
                self.group_reports.push(*report);
            }
            InventoryEvent::CreationDone { vm_id } => self.set_creation_in_flight(&vm_id, false),
            InventoryEvent::ScaleSets(modes) => self.scale_set_modes.extend(modes),
            InventoryEvent::Raw { id, result } => self.raw.entry(id).or_default().finish(result),
            InventoryEvent::Networks {
                subscription_id,
                result,
            } => self
                .networks
                .entry(subscription_id.to_ascii_lowercase())
                .or_default()
                .finish(result),
            InventoryEvent::ResourceGroups {
                subscription_id,
                result,
            } => self
                .resource_groups
                .entry(subscription_id.to_ascii_lowercase())
                .or_default()
                .finish(result.map(|mut groups| {
                    groups.sort_by_key(|g| g.to_ascii_lowercase());
                    groups
                })),
            InventoryEvent::Nic { id, result } => {
                if let Ok(nic) = result {
                    self.nics.insert(id, nic);
                }
            }
            InventoryEvent::Deleted(id) => self.remove_deleted(&id),
            InventoryEvent::SasRefused { id, message, at } => {
                self.sas_refusals
                    .insert(id, super::SasRefusal { at, message });
            }
            InventoryEvent::SasRevoked { id } => {
                self.sas_refusals.remove(&id);
            }
        }
    }

    /// Marks the subscription list and every list inside each subscription as reloading.
    pub fn mark_loading_all(&mut self) {
        self.generation += 1;
        self.subscriptions.start_loading();
    }

    /// Marks one subscription's lists as reloading.
    pub fn mark_loading_subscription(&mut self, subscription_id: &str) {
        self.generation += 1;
        if let Some(e) = self.sub_entry(&subscription_id.to_ascii_lowercase()) {
            e.vms.start_loading();
            e.disks.start_loading();
            e.collections.start_loading();
        }
    }

    /// Marks a collection's points as reloading.
    pub fn mark_loading_points(&mut self, collection_id: &ResourceId) {
        self.generation += 1;
        if let Some(c) = self.collections.get_mut(collection_id) {
            c.points.start_loading();
        }
    }

    /// Marks a point's instance view as reloading.
    pub fn mark_loading_point_detail(&mut self, point_id: &ResourceId) {
        self.generation += 1;
        if let Some(p) = self.points.get_mut(point_id) {
            p.detail_mut().start_loading();
        }
    }

    /// Marks a point's disk restore point list as reloading.
    pub fn mark_loading_disk_points(&mut self, point_id: &ResourceId) {
        self.generation += 1;
        if let Some(p) = self.points.get_mut(point_id) {
            p.disk_points_mut().start_loading();
        }
    }

    /// Marks what a restore reads about a subscription as reloading.
    pub fn mark_loading_restore_context(&mut self, subscription_id: &str) {
        self.generation += 1;
        let key = subscription_id.to_ascii_lowercase();
        self.networks
            .entry(key.clone())
            .or_default()
            .start_loading();
        self.resource_groups.entry(key).or_default().start_loading();
    }

    /// Marks a raw document as reloading.
    pub fn mark_loading_raw(&mut self, id: &ResourceId) {
        self.generation += 1;
        self.raw.entry(id.clone()).or_default().start_loading();
    }

    fn sub_entry(&mut self, key: &str) -> Option<&mut SubscriptionEntry> {
        self.subs
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    fn apply_subscriptions(
        &mut self,
        result: Result<Vec<crate::model::Subscription>, super::ErrorInfo>,
    ) {
        let list = match result {
            Ok(list) => list,
            Err(e) => return self.subscriptions.finish(Err(e)),
        };
        let mut ids = Vec::with_capacity(list.len());
        let mut kept: HashMap<String, SubscriptionEntry> = HashMap::new();
        for sub in list {
            let key = sub.subscription_id.to_ascii_lowercase();
            let mut entry = match self.subs.remove(&key) {
                Some(mut old) => {
                    old.subscription = sub;
                    old
                }
                None => SubscriptionEntry {
                    subscription: sub,
                    vms: Loadable::NotRequested,
                    disks: Loadable::NotRequested,
                    collections: Loadable::NotRequested,
                },
            };
            // The backend loads each subscription's lists right after the subscriptions.
            entry.vms.start_loading();
            entry.disks.start_loading();
            entry.collections.start_loading();
            ids.push(key.clone());
            kept.insert(key, entry);
        }
        ids.sort_by_key(|k| {
            kept.get(k)
                .map(|e| e.subscription.display_name.to_ascii_lowercase())
        });
        self.subs = kept;
        self.subscriptions.finish(Ok(ids));
    }

    fn replace_collections(&mut self, key: &str, list: Vec<RestorePointCollection>) {
        let mut old: HashMap<ResourceId, Box<CollectionEntry>> = self
            .collections
            .extract_if(|id, _| id.subscription_id().eq_ignore_ascii_case(key))
            .collect();
        let mut old_points: Vec<ResourceId> = Vec::new();
        let on_demand = super::on_demand_regions(&list);
        for mut collection in list {
            // Points arrive through CollectionPoints; a plain listing carries none.
            let inline_points = collection.properties.restore_points.take();
            let previous = old.remove(&collection.id).map(|e| e.points);
            let points = if super::reads_on_demand(&collection, &on_demand) {
                // Read again when opened: the points read before go (below).
                if let Some(p) = previous {
                    old_points.extend(p.value().into_iter().flatten().cloned());
                }
                Loadable::NotRequested
            } else {
                // The backend loads each collection's points right after the listing.
                let mut points = previous.unwrap_or_default();
                points.start_loading();
                points
            };
            let id = collection.id.clone();
            self.collections.insert(
                id.clone(),
                Box::new(CollectionEntry {
                    collection,
                    link: CollectionLink::Unknown,
                    points,
                }),
            );
            if let Some(points) = inline_points {
                let mut with_points = self.collections[&id].collection.clone();
                with_points.properties.restore_points = Some(points);
                self.apply_points(id, Ok(with_points));
            }
        }
        // Collections that disappeared take their points with them.
        for entry in old.values() {
            old_points.extend(entry.points.value().into_iter().flatten().cloned());
        }
        for id in &old_points {
            self.points.remove(id);
        }
    }

    fn apply_points(
        &mut self,
        collection_id: ResourceId,
        result: Result<RestorePointCollection, super::ErrorInfo>,
    ) {
        let Some(entry) = self.collections.get_mut(&collection_id) else {
            return;
        };
        let mut collection = match result {
            Ok(c) => c,
            Err(e) => return entry.points.finish(Err(e)),
        };
        let mut points = collection
            .properties
            .restore_points
            .take()
            .unwrap_or_default();
        points.sort_by_key(|p| p.properties.time_created);
        let ids: Vec<ResourceId> = points.iter().map(|p| p.id.clone()).collect();
        // Points this collection had before and no longer has: found through the previous
        // id list, not by scanning every point (that was quadratic at fleet scale).
        let keep: HashSet<&ResourceId> = ids.iter().collect();
        let gone: Vec<ResourceId> = entry
            .points
            .value()
            .map(|old| {
                old.iter()
                    .filter(|id| !keep.contains(id))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        entry.collection.properties = collection.properties;
        entry.collection.tags = collection.tags;
        entry.points.finish(Ok(ids.clone()));
        for id in gone {
            self.points.remove(&id);
        }
        for mut point in points {
            point.shrink_to_fit();
            match self.points.get_mut(&point.id) {
                Some(existing) => existing.point = point,
                None => {
                    let id = point.id.clone();
                    self.points.insert(id, Box::new(PointEntry::new(point)));
                }
            }
        }
    }

    /// Recomputes how each collection of a subscription attaches to its VM.
    fn relink(&mut self, key: &str) {
        let mut by_name: HashMap<String, ResourceId> = HashMap::new();
        for id in self.vms_of(key) {
            by_name.insert(id.name().to_ascii_lowercase(), id.clone());
        }
        let mut unlinked = Vec::new();
        let mut by_vm: HashMap<ResourceId, Vec<ResourceId>> = HashMap::new();
        for (id, entry) in self
            .collections
            .iter_mut()
            .filter(|(id, _)| id.subscription_id().eq_ignore_ascii_case(key))
        {
            entry.link = match entry.collection.source_id() {
                None => CollectionLink::Unknown,
                Some(src) if src.kind().eq_ignore_ascii_case("restorePointCollections") => {
                    CollectionLink::CopyOf(src)
                }
                Some(src) if self.vms.contains_key(&src) => CollectionLink::Vm(src),
                Some(src) => match by_name.get(&src.name().to_ascii_lowercase()) {
                    Some(now) => CollectionLink::Moved {
                        stale: src,
                        now: now.clone(),
                    },
                    None => CollectionLink::MissingVm(src),
                },
            };
            match &entry.link {
                CollectionLink::Vm(vm) => by_vm.entry(vm.clone()).or_default().push(id.clone()),
                _ => unlinked.push(id.clone()),
            }
        }
        self.collections_by_vm
            .retain(|vm, _| !vm.subscription_id().eq_ignore_ascii_case(key));
        for (vm, mut list) in by_vm {
            list.sort_by_key(|id| id.name().to_ascii_lowercase());
            self.collections_by_vm.insert(vm, list);
        }
        unlinked.sort_by_key(|id| id.name().to_ascii_lowercase());
        self.unlinked_by_sub.insert(key.to_owned(), unlinked);
    }
}
