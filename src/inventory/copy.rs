//! Cross-region copies of a restore point as the store knows them: the copy PUTs rpdesk
//! sent per target collection (Azure allows 3 an hour), the facts `rules::assess_copy`
//! reads, and the plan the copy dialog hands to the backend.

use super::{CollectionLink, Inventory};
use crate::model::{
    ArmCall, ResourceId, RestorePointCollection, Timestamp, api_versions, collection_call,
    copy_point_body,
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
    /// The ARM calls the copy sends, in order: the target collection PUT when it is new
    /// (its source the source collection), then the copy's PUT naming its source point.
    pub fn calls(&self) -> Vec<ArmCall> {
        let mut calls = Vec::new();
        if self.create_collection {
            calls.push(collection_call(
                &self.target_collection_id,
                &self.target_region,
                &self.source_collection_id,
                None,
            ));
        }
        if let Some(id) = self.point_id() {
            let body = copy_point_body(&self.source_point_id);
            calls.push(ArmCall::put(id.as_str(), api_versions::COMPUTE, body));
        }
        calls
    }

    /// The copy's id.
    pub fn point_id(&self) -> Option<ResourceId> {
        super::point_in(&self.target_collection_id, &self.point_name)
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
        })
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
