//! Restore point writes as data: a collection PUT (for a VM, or for the collection a
//! cross-region copy goes into), a restore point PUT, and a copy PUT. The client sends
//! exactly these bodies, and the `az` equivalents are checked against them.

use std::collections::BTreeMap;

use serde_json::json;

use super::{ArmCall, ConsistencyMode, ResourceId, api_versions};

/// A restore point collection to create: for a VM, or, as the target of a cross-region
/// copy, for the source collection (its `source.id`).
#[derive(Clone, Debug, PartialEq)]
pub struct CollectionRequest {
    pub collection_id: ResourceId,
    pub location: String,
    /// The VM, or the source collection of a copy.
    pub source_id: ResourceId,
    /// `instantAccess`, when asked for.
    pub instant_access: Option<bool>,
    pub tags: BTreeMap<String, String>,
}

impl CollectionRequest {
    /// The collection PUT (synchronous in ARM: 200 or 201).
    pub fn call(&self) -> ArmCall {
        let mut properties = json!({ "source": { "id": self.source_id.as_str() } });
        if let Some(ia) = self.instant_access {
            properties["instantAccess"] = json!(ia);
        }
        ArmCall::put(
            self.collection_id.as_str(),
            api_versions::COMPUTE,
            json!({ "location": self.location, "properties": properties, "tags": self.tags }),
        )
    }
}

/// A restore point to create.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RestorePointRequest {
    /// `None` lets Azure apply its default (application-consistent).
    pub consistency_mode: Option<ConsistencyMode>,
    pub exclude_disks: Vec<ResourceId>,
    /// 60–300 minutes of instant access, where eligible.
    pub instant_access_duration_minutes: Option<i64>,
}

impl RestorePointRequest {
    /// The restore point PUT creating `point_id` (create-only, a long-running operation).
    pub fn call(&self, point_id: &ResourceId) -> ArmCall {
        let mut properties = json!({});
        if !self.exclude_disks.is_empty() {
            let ids: Vec<_> = self
                .exclude_disks
                .iter()
                .map(|d| json!({ "id": d.as_str() }))
                .collect();
            properties["excludeDisks"] = json!(ids);
        }
        if let Some(mode) = &self.consistency_mode {
            properties["consistencyMode"] = json!(mode.as_str());
        }
        if let Some(minutes) = self.instant_access_duration_minutes {
            properties["instantAccessDurationMinutes"] = json!(minutes);
        }
        ArmCall::put(
            point_id.as_str(),
            api_versions::COMPUTE,
            json!({ "properties": properties }),
        )
    }
}

/// The restore point PUT copying `source` (a point in another region) as `point_id`,
/// into a collection whose `source.id` is `source`'s collection.
pub fn copy_point_call(point_id: &ResourceId, source: &ResourceId) -> ArmCall {
    ArmCall::put(
        point_id.as_str(),
        api_versions::COMPUTE,
        json!({ "properties": { "sourceRestorePoint": { "id": source.as_str() } } }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> ResourceId {
        ResourceId::parse(text).expect("valid id")
    }

    #[test]
    fn a_copy_target_collection_names_the_source_collection() {
        let call = CollectionRequest {
            collection_id: id(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/c-westus",
            ),
            location: "westus".into(),
            source_id: id(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/c",
            ),
            instant_access: None,
            tags: BTreeMap::new(),
        }
        .call();
        let body = call.body.expect("a body");
        assert_eq!(body["location"], "westus");
        assert_eq!(
            body["properties"],
            json!({ "source": { "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/c" } })
        );
    }

    #[test]
    fn a_copy_sends_only_its_source() {
        let point = id(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/c-westus/restorePoints/p",
        );
        let source = id(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/c/restorePoints/p",
        );
        let call = copy_point_call(&point, &source);
        assert_eq!(call.path, point.as_str());
        assert_eq!(
            call.body,
            Some(json!({ "properties": { "sourceRestorePoint": { "id": source.as_str() } } }))
        );
    }
}
