//! Cross-region copies of a restore point as the store knows them: the copy PUTs rpdesk
//! sent per target collection (Azure allows 3 an hour), the facts `rules::assess_copy`
//! reads, and the plan the copy dialog hands to the backend.

use super::{CollectionLink, Inventory};
use crate::model::{
    ArmCall, CollectionRequest, ResourceId, RestorePointCollection, Timestamp, copy_point_call,
};
use crate::rules::{self, CopyFacts, normalize_region};

/// A copy to send, as settled in the dialog from the copy assessment.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyPointPlan {
    /// The restore point to copy.
    pub source_point_id: ResourceId,
    /// Its collection: the target collection's `source.id`.
    pub source_collection_id: ResourceId,
    /// The region the copy goes to (normalised, e.g. `westus`).
    pub target_region: String,
    /// The collection in that region the copy goes into.
    pub target_collection_id: ResourceId,
    /// The target collection does not exist yet: create it first.
    pub create_collection: bool,
    /// The copy's name.
    pub point_name: String,
    /// Azure accepts the copy from this time on (the copy throttle): the backend waits.
    pub not_before: Option<Timestamp>,
}

impl CopyPointPlan {
    /// The copy's id.
    pub fn point_id(&self) -> Option<ResourceId> {
        super::point_in(&self.target_collection_id, &self.point_name)
    }

    /// The target collection's PUT (its `source` the source collection), when the plan
    /// creates it.
    pub fn collection_request(&self) -> Option<CollectionRequest> {
        self.create_collection.then(|| CollectionRequest {
            collection_id: self.target_collection_id.clone(),
            location: self.target_region.clone(),
            source_id: self.source_collection_id.clone(),
            instant_access: None,
            tags: Default::default(),
        })
    }

    /// The ARM calls the plan sends, in order.
    pub fn calls(&self) -> Vec<ArmCall> {
        let copy = self
            .point_id()
            .map(|p| copy_point_call(&p, &self.source_point_id));
        self.collection_request()
            .map(|c| c.call())
            .into_iter()
            .chain(copy)
            .collect()
    }
}

/// The collection rpdesk creates for copies of `source` into `region`: `<source>-<region>`
/// beside it.
pub fn default_copy_collection_id(source: &ResourceId, region: &str) -> Option<ResourceId> {
    ResourceId::parse(&format!("{}-{}", source.as_str(), normalize_region(region))).ok()
}

/// Everything [`CopyFacts`] borrows, owned or borrowed from the inventory.
#[derive(Clone, Debug)]
pub struct CopySource {
    pub source_collection: RestorePointCollection,
    pub point_id: ResourceId,
    pub target_region: String,
    pub target: Option<RestorePointCollection>,
    pub recent_copies: Vec<Timestamp>,
    /// Each disk restore point's `snapshotAccessState`, when loaded.
    pub disk_access: Option<Vec<(String, crate::model::SnapshotAccessState)>>,
}

impl CopySource {
    /// The facts the copy rules read; `None` if the point is no longer in its collection.
    pub fn facts(&self) -> Option<CopyFacts<'_>> {
        let point = self
            .source_collection
            .restore_points()
            .iter()
            .find(|p| p.id == self.point_id)?;
        let mut facts = CopyFacts::new(point, &self.source_collection, &self.target_region);
        facts.target = self.target.as_ref();
        facts.recent_copies = self.recent_copies.clone();
        facts.disk_access = self.disk_access.clone();
        Some(facts)
    }
}

impl Inventory {
    /// The collection in `region` that copies `source`, if one is loaded.
    pub fn copy_target(&self, source: &ResourceId, region: &str) -> Option<ResourceId> {
        let region = normalize_region(region);
        let mut found: Vec<&ResourceId> = self
            .collections
            .iter()
            .filter(|(_, e)| matches!(&e.link, CollectionLink::CopyOf(s) if s == source))
            .filter(|(_, e)| normalize_region(&e.collection.location) == region)
            .map(|(id, _)| id)
            .collect();
        found.sort();
        found.first().map(|id| (*id).clone())
    }

    /// The facts source for copying `point_id` to `region`, or `None` if the point or
    /// its collection is not loaded.
    pub fn copy_source(&self, point_id: &ResourceId, region: &str) -> Option<CopySource> {
        let source_id = point_id.parent()?;
        let source_collection = self.collection_with_points(&source_id)?;
        let target_id = self.copy_target(&source_id, region);
        let target = target_id
            .as_ref()
            .and_then(|id| self.collection_with_points(id));
        let recent_copies = target_id
            .as_ref()
            .and_then(|id| self.copies.get(id))
            .cloned()
            .unwrap_or_default();
        Some(CopySource {
            source_collection,
            point_id: point_id.clone(),
            target_region: normalize_region(region),
            target,
            recent_copies,
            disk_access: self.disk_access_of(point_id),
        })
    }

    /// Each disk restore point's `snapshotAccessState`, from its loaded resource or else
    /// from the point's instance view; `None` until one of them is loaded. A disk restore
    /// point that states none (older api-versions) is left out: nothing says it waits.
    pub fn disk_access_of(
        &self,
        point_id: &ResourceId,
    ) -> Option<Vec<(String, crate::model::SnapshotAccessState)>> {
        let entry = self.points.get(point_id)?;
        if let Some(ids) = entry.disk_points().value() {
            return Some(
                ids.iter()
                    .filter_map(|id| {
                        let state = self
                            .disk_points
                            .get(id)?
                            .properties
                            .snapshot_access_state
                            .clone()?;
                        Some((id.name().to_owned(), state))
                    })
                    .collect(),
            );
        }
        let view = entry.detail().value()?.properties.instance_view.as_ref()?;
        Some(
            view.disk_restore_points
                .iter()
                .filter_map(|d| {
                    let name = d.id.rsplit('/').next().unwrap_or_default().to_owned();
                    Some((name, d.snapshot_access_state.clone()?))
                })
                .collect(),
        )
    }

    /// Records a copy PUT sent to a target collection.
    pub fn record_copy(&mut self, collection_id: &ResourceId, at: Timestamp) {
        self.generation += 1;
        let log = self.copies.entry(collection_id.clone()).or_default();
        log.push(at);
        log.sort();
    }
}

/// Assesses a copy of `point_id` to `region` at `now_unix`, if the point is loaded.
pub fn assess_copy_of(
    inv: &Inventory,
    point_id: &ResourceId,
    region: &str,
    now_unix: i64,
) -> Option<rules::CopyAssessment> {
    let source = inv.copy_source(point_id, region)?;
    let facts = source.facts()?;
    Some(rules::assess_copy(
        &facts,
        Timestamp::from_unix_secs(now_unix),
    ))
}

/// Settles a copy of `point_id` to `region` from its assessment, into `target` (the
/// region's collection copying the source collection) or a new one; an error is the
/// reason it cannot be sent.
pub fn copy_plan(
    inv: &Inventory,
    point_id: &ResourceId,
    region: &str,
    assessment: &rules::CopyAssessment,
    target: Option<ResourceId>,
) -> Result<CopyPointPlan, String> {
    let source = point_id
        .parent()
        .ok_or("The restore point has no collection")?;
    let (target_collection_id, create_collection) = match target {
        Some(t) => (t, false),
        None => (
            default_copy_collection_id(&source, region).ok_or("No collection name for the copy")?,
            true,
        ),
    };
    let point_name = format!("{}-{region}", point_id.name());
    let taken = inv
        .points_of(&target_collection_id)
        .iter()
        .any(|p| p.name().eq_ignore_ascii_case(&point_name));
    if taken {
        return Err(format!(
            "Collection {} already holds {point_name}: this point was copied there",
            target_collection_id.name()
        ));
    }
    let not_before = match assessment.verdict {
        rules::Verdict::NotYet { until } => until,
        _ => None,
    };
    Ok(CopyPointPlan {
        source_point_id: point_id.clone(),
        source_collection_id: source,
        target_region: region.to_owned(),
        target_collection_id,
        create_collection,
        point_name,
        not_before,
    })
}
