//! Restore point collections, restore points and disk restore points.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    CachingType, ConsistencyMode, InstanceViewStatus, ManagedDiskParameters, OsType,
    ProvisioningState, ResourceId, SnapshotAccessState, SubResource, Timestamp,
};

/// A restore point collection (`Microsoft.Compute/restorePointCollections`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePointCollection {
    pub id: ResourceId,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub location: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub properties: RestorePointCollectionProperties,
}

/// `properties` of a collection.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePointCollectionProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<RestorePointSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<ProvisioningState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore_point_collection_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instant_access: Option<bool>,
    /// Only filled by `GET …?$expand=restorePoints`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore_points: Option<Vec<RestorePoint>>,
}

/// `source` of a collection: a VM id, or a collection id for a cross-region copy.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePointSource {
    #[serde(default)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl RestorePointCollection {
    /// The source VM or collection id, parsed; `None` if absent or malformed.
    pub fn source_id(&self) -> Option<ResourceId> {
        ResourceId::parse(&self.properties.source.as_ref()?.id).ok()
    }

    /// The collection's restore points (empty unless fetched with `$expand=restorePoints`).
    pub fn restore_points(&self) -> &[RestorePoint] {
        self.properties.restore_points.as_deref().unwrap_or(&[])
    }

    /// Whether this collection was made by Azure Backup (`AzureBackupRG_<region>_1`).
    pub fn is_azure_backup(&self) -> bool {
        self.id
            .resource_group()
            .is_some_and(|rg| rg.to_ascii_lowercase().starts_with("azurebackuprg_"))
    }
}

/// A VM restore point.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePoint {
    pub id: ResourceId,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub properties: RestorePointProperties,
}

/// `properties` of a restore point.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePointProperties {
    #[serde(default)]
    pub exclude_disks: Vec<SubResource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_metadata: Option<SourceMetadata>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<ProvisioningState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consistency_mode: Option<ConsistencyMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_created: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_restore_point: Option<SubResource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instant_access_duration_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_view: Option<RestorePointInstanceView>,
}

/// The VM configuration captured with the point.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardware_profile: Option<super::HardwareProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_profile: Option<SourceMetadataStorageProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_profile: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostics_profile: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_profile: Option<super::SecurityProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hyper_v_generation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data: Option<String>,
}

/// `sourceMetadata.storageProfile`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceMetadataStorageProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_disk: Option<SourceMetadataDisk>,
    #[serde(default)]
    pub data_disks: Vec<SourceMetadataDisk>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_controller_type: Option<String>,
}

/// A captured disk (OS or data) in `sourceMetadata`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceMetadataDisk {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lun: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_type: Option<OsType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caching: Option<CachingType>,
    #[serde(
        default,
        rename = "diskSizeGB",
        skip_serializing_if = "Option::is_none"
    )]
    pub disk_size_gb: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_accelerator_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_disk: Option<ManagedDiskParameters>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_restore_point: Option<DiskRestorePointRef>,
}

/// `diskRestorePoint` inside `sourceMetadata`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskRestorePointRef {
    #[serde(default)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_disk_restore_point: Option<SubResource>,
}

/// `instanceView` of a restore point.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePointInstanceView {
    #[serde(default)]
    pub disk_restore_points: Vec<DiskRestorePointInstanceView>,
    #[serde(default)]
    pub statuses: Vec<InstanceViewStatus>,
}

/// Per-disk runtime state in a restore point's instance view.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskRestorePointInstanceView {
    #[serde(default)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication_status: Option<ReplicationStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_access_state: Option<SnapshotAccessState>,
}

/// `replicationStatus` of a disk restore point copy.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicationStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<InstanceViewStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_percent: Option<f64>,
}

impl RestorePoint {
    /// Captured disks: the OS disk first, then data disks by LUN.
    pub fn captured_disks(&self) -> Vec<&SourceMetadataDisk> {
        let Some(sp) = self
            .properties
            .source_metadata
            .as_ref()
            .and_then(|m| m.storage_profile.as_ref())
        else {
            return Vec::new();
        };
        let mut data: Vec<&SourceMetadataDisk> = sp.data_disks.iter().collect();
        data.sort_by_key(|d| d.lun);
        sp.os_disk.iter().chain(data).collect()
    }

    /// The lowest copy progress across disks, if any disk reports one.
    pub fn min_completion_percent(&self) -> Option<f64> {
        self.properties
            .instance_view
            .as_ref()?
            .disk_restore_points
            .iter()
            .filter_map(|d| d.replication_status.as_ref()?.completion_percent)
            .reduce(f64::min)
    }
}

/// A disk restore point (served by the Disk RP).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskRestorePoint {
    pub id: ResourceId,
    #[serde(default)]
    pub name: String,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub properties: DiskRestorePointProperties,
}

/// `properties` of a disk restore point.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskRestorePointProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_created: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_resource_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_type: Option<OsType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hyper_v_generation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_unique_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_access_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_network_access: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_resource_location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_percent: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logical_sector_size: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_access_state: Option<SnapshotAccessState>,
}
