//! Managed disks (`Microsoft.Compute/disks`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    DiskCreateOption, DiskState, OsType, ProvisioningState, ResourceId, StorageAccountType,
    Timestamp,
};

/// A managed disk.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Disk {
    pub id: ResourceId,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub location: super::Text,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<DiskSku>,
    #[serde(default)]
    pub properties: DiskProperties,
}

/// `sku` of a disk.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskSku {
    pub name: StorageAccountType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<super::Text>,
}

/// `creationData` of a disk, as far as rpdesk reads it: how it was made and from what.
/// The image reference and the source's unique id are not kept (nothing reads them, a
/// fleet holds one per disk, and the Raw JSON view fetches the whole document).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreationData {
    pub create_option: DiskCreateOption,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_resource_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logical_sector_size: Option<i64>,
}

/// `encryption` of a disk.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Encryption {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_encryption_set_id: Option<super::Text>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<super::Text>,
}

/// `properties` of a disk.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_type: Option<OsType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hyper_v_generation: Option<super::Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_data: Option<Box<CreationData>>,
    #[serde(
        default,
        rename = "diskSizeGB",
        skip_serializing_if = "Option::is_none"
    )]
    pub disk_size_gb: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_size_bytes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_state: Option<DiskState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_shares: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Encryption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<ProvisioningState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_created: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_percent: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_profile: Option<Box<serde_json::Value>>,
}

impl Disk {
    /// The disk SKU, if reported.
    pub fn storage_type(&self) -> Option<&StorageAccountType> {
        self.sku.as_ref().map(|s| &s.name)
    }

    /// Shared disks (`maxShares` > 1) can never be in a restore point.
    pub fn is_shared(&self) -> bool {
        self.properties.max_shares.unwrap_or(1) > 1
    }

    /// Whether the disk is encrypted with a customer-managed key.
    pub fn uses_customer_key(&self) -> bool {
        self.properties
            .encryption
            .as_ref()
            .and_then(|e| e.kind.as_deref())
            .is_some_and(|k| k.contains("CustomerKey"))
    }
}
