//! The inventory's side of deletes and clean-ups: taking a deleted point or collection out
//! at once (the tree updates without a reload), the points below a node, a clean-up's
//! candidates, what rpdesk must not delete, and which disk restore points a revoke reaches.

use super::{CollectionEntry, CollectionLink, Inventory, NodeId, PointEntry};
use crate::lifecycle::{Candidate, DeleteTarget, Labels};
use std::collections::HashMap;

use crate::model::{ConsistencyMode, ProvisioningState, ResourceId, RestorePoint};

/// A restore point a clean-up looks at, with what its preview and report show.
#[derive(Clone, Debug, PartialEq)]
pub struct CleanupCandidate {
    /// What the retention rule reads.
    pub candidate: Candidate,
    pub point_id: ResourceId,
    /// Its VM's name (its collection's when it has no VM of its own).
    pub vm: String,
    pub collection: String,
    /// Its consistency mode, as ARM says it.
    pub mode: String,
}

/// What a collection's points share in a clean-up: its retention group, VM name, name
/// and why rpdesk will not delete it.
type CollectionFacts = (String, String, String, Option<String>);

/// A clean-up's candidates being read from the inventory a slice at a time, so that no
/// frame waits for a whole fleet (see [`Inventory::candidates_step`]).
#[derive(Clone, Debug, Default)]
pub struct CandidatesJob {
    points: Vec<ResourceId>,
    next: usize,
    shared: HashMap<ResourceId, CollectionFacts>,
    out: Vec<CleanupCandidate>,
    sorted: bool,
}

impl CandidatesJob {
    /// Points read so far, of how many.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.points.len())
    }

    /// Whether every point was read (and the candidates sorted).
    pub fn is_done(&self) -> bool {
        self.sorted
    }

    /// The candidates, by VM, collection and age (oldest first), once done.
    pub fn finish(self) -> Vec<CleanupCandidate> {
        self.out
    }
}

impl Inventory {
    /// Replaces the local labels (the views built from the inventory rebuild).
    pub fn set_labels(&mut self, labels: Labels) {
        self.labels = labels;
        self.generation += 1;
    }

    /// Takes a deleted point, or a collection and its points, out of the store.
    pub(super) fn remove_deleted(&mut self, id: &ResourceId) {
        self.sas_refusals.remove(id);
        if id.kind().eq_ignore_ascii_case("restorePoints") {
            if let Some(points) = id
                .parent()
                .and_then(|c| self.collections.get_mut(&c))
                .and_then(|c| c.points.value_mut())
            {
                points.retain(|p| p != id);
            }
            self.forget_point(id);
            return;
        }
        let Some(entry) = self.collections.remove(id) else {
            return;
        };
        for point in entry.points.value().into_iter().flatten() {
            self.forget_point(point);
        }
        for list in self.collections_by_vm.values_mut() {
            list.retain(|c| c != id);
        }
        self.collections_by_vm.retain(|_, list| !list.is_empty());
        for list in self.unlinked_by_sub.values_mut() {
            list.retain(|c| c != id);
        }
    }

    fn forget_point(&mut self, id: &ResourceId) {
        self.sas_refusals.remove(id);
        if let Some(entry) = self.points.remove(id) {
            for drp in entry.disk_points().value().into_iter().flatten() {
                self.disk_points.remove(drp);
            }
        }
        self.raw.remove(id);
    }

    /// Every restore point below a node (`None`: the whole connection).
    pub fn points_below(&self, node: Option<&NodeId>, group_by_rg: bool) -> Vec<&PointEntry> {
        match node {
            None => self.points.values().map(|e| &**e).collect(),
            Some(NodeId::Collection(id)) => self
                .points_of(id)
                .iter()
                .filter_map(|p| self.point_entry(p))
                .collect(),
            Some(NodeId::Point(id)) | Some(NodeId::DiskPoint(id)) => {
                self.point_entry(id).into_iter().collect()
            }
            Some(NodeId::Vm(id)) => self.points_of_vm(id),
            Some(node) => {
                let mut out = Vec::new();
                let mut stack = vec![node.clone()];
                while let Some(n) = stack.pop() {
                    match &n {
                        NodeId::Collection(id) => out.extend(
                            self.points_of(id)
                                .iter()
                                .filter_map(|p| self.point_entry(p)),
                        ),
                        NodeId::Point(_) | NodeId::DiskPoint(_) => {}
                        _ => stack.extend(self.children(&n, group_by_rg)),
                    }
                }
                out
            }
        }
    }

    /// The collections under `node` (`None`: the fleet) for which `keep` holds, by id.
    pub fn collections_below(
        &self,
        node: Option<&NodeId>,
        group_by_rg: bool,
        keep: impl Fn(&CollectionEntry) -> bool,
    ) -> Vec<ResourceId> {
        let kept = |id: &ResourceId| self.collections.get(id).is_some_and(|e| keep(e));
        let mut out: Vec<ResourceId> = match node {
            None => self
                .collections
                .keys()
                .filter(|id| kept(id))
                .cloned()
                .collect(),
            Some(NodeId::Point(_) | NodeId::DiskPoint(_)) => Vec::new(),
            Some(node) => {
                let mut out = Vec::new();
                let mut stack = vec![node.clone()];
                while let Some(n) = stack.pop() {
                    match n {
                        NodeId::Collection(id) => {
                            if kept(&id) {
                                out.push(id);
                            }
                        }
                        NodeId::Point(_) | NodeId::DiskPoint(_) => {}
                        _ => stack.extend(self.children(&n, group_by_rg)),
                    }
                }
                out
            }
        };
        out.sort();
        out
    }

    /// The collections under `node` that hold no restore point (read, and found empty)
    /// and that rpdesk may delete: a clean-up's "empty collections". They cost nothing,
    /// but each counts towards Azure's 10,000 per subscription and region.
    pub fn empty_collections_below(
        &self,
        node: Option<&NodeId>,
        group_by_rg: bool,
    ) -> Vec<ResourceId> {
        self.collections_below(
            node,
            group_by_rg,
            |c| matches!(&c.points, super::Loadable::Ready(points) if points.is_empty()),
        )
        .into_iter()
        .filter(|id| {
            self.delete_blocker(&DeleteTarget::Collection(id.clone()))
                .is_none()
                && !self.sas_refusals.contains_key(id)
        })
        .collect()
    }

    /// Why rpdesk will not delete this (Azure Backup owns it, or it is mid-operation).
    pub fn delete_blocker(&self, target: &DeleteTarget) -> Option<String> {
        let collection_id = match target {
            DeleteTarget::Point(id) => id.parent()?,
            DeleteTarget::Collection(id) => id.clone(),
        };
        if let Some(reason) = self.collection_blocker(&collection_id) {
            return Some(reason);
        }
        let DeleteTarget::Point(id) = target else {
            return None;
        };
        point_state_blocker(self.point(id)?)
    }

    /// Why rpdesk will not delete anything in this collection, if so.
    fn collection_blocker(&self, collection_id: &ResourceId) -> Option<String> {
        let collection = self.collections.get(collection_id)?;
        if collection.collection.is_azure_backup() {
            return Some(
                "Owned by Azure Backup: its vault manages these points (stop protection there)"
                    .to_owned(),
            );
        }
        if collection.collection.properties.provisioning_state == Some(ProvisioningState::Deleting)
        {
            return Some("Its collection is already being deleted".to_owned());
        }
        None
    }

    /// The disk restore points a revoke must reach before deleting `target`: the point's,
    /// or every point's of the collection (Azure does not say which one has the SAS).
    pub fn revoke_targets(&self, target: &DeleteTarget) -> Vec<ResourceId> {
        match target {
            DeleteTarget::Point(id) => self.disk_points_of(id),
            DeleteTarget::Collection(id) => self
                .points_of(id)
                .iter()
                .flat_map(|p| self.disk_points_of(p))
                .collect(),
        }
    }

    /// What "per VM" means for a collection's points: its VM (still there, moved, or
    /// gone), else the collection itself (a cross-region copy, a collection without a
    /// source).
    /// The name of a collection's VM (the collection's own without one), as reports say.
    pub fn collection_vm_name(&self, collection_id: &ResourceId) -> String {
        self.retention_group(collection_id).1
    }

    fn retention_group(&self, collection_id: &ResourceId) -> (String, String) {
        let link = self.collections.get(collection_id).map(|c| &c.link);
        match link {
            Some(
                CollectionLink::Vm(vm)
                | CollectionLink::Moved { now: vm, .. }
                | CollectionLink::MissingVm(vm),
            ) => (vm.as_str().to_ascii_lowercase(), vm.name().to_owned()),
            _ => (
                collection_id.as_str().to_ascii_lowercase(),
                collection_id.name().to_owned(),
            ),
        }
    }

    /// The clean-up's candidates below a node (`None`: the fleet), by VM, collection and
    /// age (oldest first), read in one go.
    pub fn cleanup_candidates(
        &self,
        scope: Option<&NodeId>,
        group_by_rg: bool,
        labels: &Labels,
    ) -> Vec<CleanupCandidate> {
        let mut job = self.candidates_job(scope, group_by_rg);
        while !self.candidates_step(&mut job, labels, usize::MAX) {}
        job.finish()
    }

    /// Starts reading the clean-up's candidates below a node (`None`: the fleet).
    pub fn candidates_job(&self, scope: Option<&NodeId>, group_by_rg: bool) -> CandidatesJob {
        CandidatesJob {
            points: self
                .points_below(scope, group_by_rg)
                .into_iter()
                .map(|e| e.point.id.clone())
                .collect(),
            ..Default::default()
        }
    }

    /// Reads up to `points` more points into `job`; true once every point is read and the
    /// candidates are sorted. A point gone from the inventory meanwhile is skipped.
    pub fn candidates_step(&self, job: &mut CandidatesJob, labels: &Labels, points: usize) -> bool {
        let end = job.next.saturating_add(points).min(job.points.len());
        for i in job.next..end {
            let id = &job.points[i];
            if let Some(c) = self.candidate(id, labels, &mut job.shared) {
                job.out.push(c);
            }
        }
        job.next = end;
        if job.next >= job.points.len() && !job.sorted {
            // Keys made once per candidate, not per comparison (a fleet has 100,000).
            job.out.sort_by_cached_key(|c| {
                (
                    c.vm.to_ascii_lowercase(),
                    c.collection.to_ascii_lowercase(),
                    c.candidate.time_unix,
                )
            });
            job.sorted = true;
        }
        job.sorted
    }

    /// One point as a clean-up sees it; what its collection's points share is worked out
    /// once per collection, in `shared`.
    fn candidate(
        &self,
        id: &ResourceId,
        labels: &Labels,
        shared: &mut HashMap<ResourceId, CollectionFacts>,
    ) -> Option<CleanupCandidate> {
        let collection = id.parent()?;
        let (group, vm, collection_name, collection_blocked) = shared
            .entry(collection)
            .or_insert_with_key(|c| {
                let (group, vm) = self.retention_group(c);
                (group, vm, c.name().to_owned(), self.collection_blocker(c))
            })
            .clone();
        let point = self.point(id)?;
        let mode = point.properties.consistency_mode.as_ref();
        Some(CleanupCandidate {
            candidate: Candidate {
                id: id.to_string(),
                group,
                time_unix: point.properties.time_created.map(|t| t.unix_secs()),
                app_consistent: mode == Some(&ConsistencyMode::ApplicationConsistent),
                pinned: labels.is_pinned(id),
                blocked: collection_blocked.or_else(|| point_state_blocker(point)),
            },
            point_id: id.clone(),
            vm,
            collection: collection_name,
            mode: mode.map(|m| m.to_string()).unwrap_or_default(),
        })
    }
}

/// Why rpdesk will not delete a point in its state, if so (Azure refuses a point being
/// created or deleted).
fn point_state_blocker(point: &RestorePoint) -> Option<String> {
    match &point.properties.provisioning_state {
        Some(
            ProvisioningState::Succeeded | ProvisioningState::Failed | ProvisioningState::Canceled,
        )
        | None => None,
        Some(ProvisioningState::Deleting) => Some("Already being deleted".to_owned()),
        Some(ProvisioningState::Creating) => {
            Some("Still being created: Azure refuses to delete it yet".to_owned())
        }
        Some(other) => Some(format!("Its state is {other}: Azure refuses to delete it")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::inventory;
    use super::*;

    #[test]
    fn a_read_a_slice_at_a_time_finds_what_one_read_does() {
        let inv = inventory(50, 3);
        let labels = Labels::default();
        let whole = inv.cleanup_candidates(None, false, &labels);
        assert_eq!(whole.len(), 50);
        let mut job = inv.candidates_job(None, false);
        let mut steps = 0;
        while !inv.candidates_step(&mut job, &labels, 7) {
            steps += 1;
            assert_eq!(job.progress(), ((steps * 7).min(50), 50));
            assert!(!job.is_done());
        }
        assert_eq!(steps, 7, "50 points, 7 at a time");
        assert!(job.is_done());
        assert_eq!(job.finish(), whole);
    }
}
