//! A disk captured in a restore point's `sourceMetadata`: its configuration, shared by the
//! points that captured the same disk alike, and its disk restore point, the point's own.
//!
//! The points of one VM capture the same disks (names, LUNs, sizes, caching, managed disk
//! ids) again and again; only the disk restore point differs. A fleet keeps 300,000 of
//! them, so while a response is parsed inside [`super::shared_texts`], equal configurations
//! become one allocation.

use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{CachingType, DiskRestorePointRef, ManagedDiskParameters, OsType, Text};

/// What a point captured of one disk, apart from its disk restore point.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapturedDiskConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lun: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_type: Option<OsType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
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
}

/// A captured disk (OS or data) in `sourceMetadata`. Reads through to its configuration
/// (`disk.name`, `disk.lun`, `disk.managed_disk`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceMetadataDisk {
    config: Arc<CapturedDiskConfig>,
    pub disk_restore_point: Option<DiskRestorePointRef>,
}

impl SourceMetadataDisk {
    pub fn new(
        config: CapturedDiskConfig,
        disk_restore_point: Option<DiskRestorePointRef>,
    ) -> Self {
        Self {
            config: super::text::share_disk(config),
            disk_restore_point,
        }
    }

    /// Whether two disks share one configuration (for tests of the pool).
    pub fn shares_config_with(&self, other: &SourceMetadataDisk) -> bool {
        Arc::ptr_eq(&self.config, &other.config)
    }
}

impl From<CapturedDiskConfig> for SourceMetadataDisk {
    fn from(config: CapturedDiskConfig) -> Self {
        Self::new(config, None)
    }
}

impl Deref for SourceMetadataDisk {
    type Target = CapturedDiskConfig;
    fn deref(&self) -> &CapturedDiskConfig {
        &self.config
    }
}

/// The wire form: the configuration's fields and `diskRestorePoint` side by side (spelt
/// out rather than flattened, which would buffer every value while parsing).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    #[serde(default)]
    lun: Option<i32>,
    #[serde(default)]
    os_type: Option<OsType>,
    #[serde(default)]
    name: Option<Text>,
    #[serde(default)]
    caching: Option<CachingType>,
    #[serde(default, rename = "diskSizeGB")]
    disk_size_gb: Option<f64>,
    #[serde(default)]
    write_accelerator_enabled: Option<bool>,
    #[serde(default)]
    managed_disk: Option<ManagedDiskParameters>,
    #[serde(default)]
    disk_restore_point: Option<DiskRestorePointRef>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireRef<'a> {
    #[serde(flatten)]
    config: &'a CapturedDiskConfig,
    #[serde(skip_serializing_if = "Option::is_none")]
    disk_restore_point: &'a Option<DiskRestorePointRef>,
}

impl Serialize for SourceMetadataDisk {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WireRef {
            config: &self.config,
            disk_restore_point: &self.disk_restore_point,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for SourceMetadataDisk {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = Wire::deserialize(d)?;
        let config = CapturedDiskConfig {
            lun: w.lun,
            os_type: w.os_type,
            name: w.name,
            caching: w.caching,
            disk_size_gb: w.disk_size_gb,
            write_accelerator_enabled: w.write_accelerator_enabled,
            managed_disk: w.managed_disk,
        };
        Ok(Self::new(config, w.disk_restore_point))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RestorePointCollection, shared_texts};

    fn collection() -> serde_json::Value {
        let point = |n: u32, size: f64| {
            let id = format!(
                "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/c/restorePoints/rp-{n}"
            );
            serde_json::json!({
                "id": id,
                "name": format!("rp-{n}"),
                "properties": {"excludeDisks": [], "sourceMetadata": {
                    "vmId": "0b6c0a52-2b1c-4c4e-9a43-3c5f3f1d2a10",
                    "hardwareProfile": {"vmSize": if size > 64.0 { "Standard_D8s_v5" } else { "Standard_D4s_v5" }},
                    "storageProfile": {
                    "osDisk": {"osType": "Linux", "name": "vm_OsDisk", "caching": "ReadWrite",
                        "diskSizeGB": 30.0,
                        "managedDisk": {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/disks/vm_OsDisk", "storageAccountType": "Premium_LRS"},
                        "diskRestorePoint": {"id": format!("{id}/diskRestorePoints/os_{n}"),
                            "encryption": {"type": "EncryptionAtRestWithPlatformKey"}}},
                    "dataDisks": [{"lun": 0, "name": "data0", "diskSizeGB": size,
                        "writeAcceleratorEnabled": false,
                        "diskRestorePoint": {"id": format!("{id}/diskRestorePoints/data0_{n}")}}]
                }}}
            })
        };
        serde_json::json!({
            "id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/c",
            "properties": {"restorePoints": [point(1, 64.0), point(2, 64.0), point(3, 128.0)]}
        })
    }

    fn disks(c: &RestorePointCollection) -> Vec<Vec<&SourceMetadataDisk>> {
        c.restore_points()
            .iter()
            .map(|p| p.captured_disks())
            .collect()
    }

    #[test]
    fn points_that_captured_a_disk_or_their_vm_alike_share_it_and_keep_their_own_disk_points() {
        let json = collection().to_string();
        let c: RestorePointCollection = shared_texts(|| serde_json::from_str(&json)).unwrap();
        let d = disks(&c);
        assert!(d[0][0].shares_config_with(d[1][0]) && d[0][0].shares_config_with(d[2][0]));
        assert!(d[0][1].shares_config_with(d[1][1]));
        // The third point's data disk was resized: its own configuration.
        assert!(!d[0][1].shares_config_with(d[2][1]));
        // What the points captured of their VM is shared while it is the same.
        let meta = |i: usize| {
            c.restore_points()[i]
                .properties
                .source_metadata
                .as_ref()
                .unwrap()
        };
        assert!(meta(0).shares_vm_with(meta(1)));
        assert!(!meta(0).shares_vm_with(meta(2)));
        assert_eq!(
            meta(2).hardware_profile.as_ref().unwrap().vm_size,
            "Standard_D8s_v5"
        );
        assert_eq!(d[2][1].disk_size_gb, Some(128.0));
        assert_eq!(d[0][1].lun, Some(0));
        let name = |disk: &SourceMetadataDisk| {
            disk.disk_restore_point
                .as_ref()
                .unwrap()
                .id
                .name()
                .into_owned()
        };
        assert_eq!([name(d[0][0]), name(d[1][0])], ["os_1", "os_2"]);
        // Written back, each point reads as it was sent.
        assert_eq!(
            serde_json::to_value(&c).unwrap()["properties"],
            collection()["properties"]
        );
        // Outside a shared parse nothing is pooled.
        let alone: RestorePointCollection = serde_json::from_str(&json).unwrap();
        let d = disks(&alone);
        assert!(!d[0][0].shares_config_with(d[1][0]));
        let first = alone.restore_points()[0]
            .properties
            .source_metadata
            .as_ref();
        let second = alone.restore_points()[1]
            .properties
            .source_metadata
            .as_ref();
        assert!(!first.unwrap().shares_vm_with(second.unwrap()));
        assert_eq!(**d[0][0], **d[1][0]);
    }
}
