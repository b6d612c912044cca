//! Restore point collections, restore points and disk restore points.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{
    ConsistencyMode, Encryption, InstanceViewStatus, OsType, ProvisioningState, ResourceId,
    SnapshotAccessState, SourceMetadataDisk, SubResource, Text, Timestamp,
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
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePoint {
    pub id: ResourceId,
    /// The name as sent, until [`RestorePoint::shrink_to_fit`] finds it is the id's last
    /// segment (as ARM always sends it) and drops it. Read it with [`RestorePoint::name`].
    #[serde(default)]
    name: Option<Text>,
    #[serde(default)]
    pub properties: RestorePointProperties,
}

/// The wire form, written with the name whether it was kept or not.
#[derive(Serialize)]
struct RestorePointWireRef<'a> {
    id: &'a ResourceId,
    name: &'a str,
    properties: &'a RestorePointProperties,
}

impl Serialize for RestorePoint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RestorePointWireRef {
            id: &self.id,
            name: self.name(),
            properties: &self.properties,
        }
        .serialize(s)
    }
}

/// `properties` of a restore point.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePointProperties {
    /// A boxed slice (16 bytes, not a list's 24): a point's list never grows.
    #[serde(default)]
    pub exclude_disks: Box<[SubResource]>,
    /// Inline, not boxed: every point has one, and a box is an allocation more per point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_metadata: Option<SourceMetadata>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<ProvisioningState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consistency_mode: Option<ConsistencyMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_created: Option<Timestamp>,
    /// Boxed: only a copy has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_restore_point: Option<Box<SubResource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instant_access_duration_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_view: Option<Box<RestorePointInstanceView>>,
}

/// The VM configuration captured with the point, as far as rpdesk reads it (the OS and
/// diagnostics profiles are not kept: nothing reads them, and a fleet holds one per
/// point; the Raw JSON view fetches the whole document).
///
/// What the points of a VM capture alike (its id, size, security, licence, location…) is
/// one [`CapturedVm`] that the points parsed together share, read through this type
/// (`meta.vm_id`, `meta.hardware_profile`); the storage profile, which names each point's
/// own disk restore points, is the point's.
#[derive(Clone, Debug, Default)]
pub struct SourceMetadata {
    vm: Arc<CapturedVm>,
    pub storage_profile: Option<SourceMetadataStorageProfile>,
}

/// The part of `sourceMetadata` the points of one VM capture alike.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapturedVm {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vm_id: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hardware_profile: Option<super::HardwareProfile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_profile: Option<Box<super::SecurityProfile>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_type: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hyper_v_generation: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_data: Option<Text>,
}

impl std::ops::Deref for SourceMetadata {
    type Target = CapturedVm;
    fn deref(&self) -> &CapturedVm {
        &self.vm
    }
}

impl SourceMetadata {
    /// Whether two points share one captured VM (for tests of the pool).
    pub fn shares_vm_with(&self, other: &SourceMetadata) -> bool {
        Arc::ptr_eq(&self.vm, &other.vm)
    }
}

/// The wire form of `sourceMetadata`: every field side by side (spelt out rather than
/// flattened, which would buffer every value while parsing).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SourceMetadataWire {
    #[serde(default)]
    vm_id: Option<Text>,
    #[serde(default)]
    hardware_profile: Option<super::HardwareProfile>,
    #[serde(default)]
    storage_profile: Option<SourceMetadataStorageProfile>,
    #[serde(default)]
    security_profile: Option<Box<super::SecurityProfile>>,
    #[serde(default)]
    license_type: Option<Text>,
    #[serde(default)]
    hyper_v_generation: Option<Text>,
    #[serde(default)]
    location: Option<Text>,
    #[serde(default)]
    user_data: Option<Text>,
}

impl<'de> Deserialize<'de> for SourceMetadata {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = SourceMetadataWire::deserialize(d)?;
        let vm = CapturedVm {
            vm_id: w.vm_id,
            hardware_profile: w.hardware_profile,
            security_profile: w.security_profile,
            license_type: w.license_type,
            hyper_v_generation: w.hyper_v_generation,
            location: w.location,
            user_data: w.user_data,
        };
        Ok(Self {
            vm: super::text::share_vm(vm),
            storage_profile: w.storage_profile,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SourceMetadataWireRef<'a> {
    #[serde(flatten)]
    vm: &'a CapturedVm,
    #[serde(skip_serializing_if = "Option::is_none")]
    storage_profile: &'a Option<SourceMetadataStorageProfile>,
}

impl Serialize for SourceMetadata {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        SourceMetadataWireRef {
            vm: &self.vm,
            storage_profile: &self.storage_profile,
        }
        .serialize(s)
    }
}

/// `sourceMetadata.storageProfile`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceMetadataStorageProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_disk: Option<SourceMetadataDisk>,
    /// A boxed slice (16 bytes, not a list's 24): a point's list never grows.
    #[serde(default)]
    pub data_disks: Box<[SourceMetadataDisk]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_controller_type: Option<Text>,
}

/// `diskRestorePoint` inside `sourceMetadata`.
///
/// A fleet keeps one per captured disk per point (about 250,000), so what most of them
/// leave out or repeat costs a pointer: the encryption is shared with the equal ones of
/// the same parse, the copy's source is boxed.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskRestorePointRef {
    #[serde(default)]
    pub id: DiskPointId,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::text::shared_encryption"
    )]
    pub encryption: Option<Arc<Encryption>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_disk_restore_point: Option<Box<SubResource>>,
}

/// The id of a disk restore point as a point's `sourceMetadata` names it.
///
/// Parsed, it is the whole id. [`RestorePoint::shrink_to_fit`] keeps only the name when
/// the id is `<the point's id>/diskRestorePoints/<name>`, as it is in practice, and shares
/// the point's id for the rest: a fleet's 250,000 disk restore point ids would otherwise
/// each repeat their point's. Azure names a disk restore point `<disk name>_<GUID>`; such
/// a name keeps the GUID alone (16 bytes) and shares the disk's name with the captured
/// disk, instead of a text of about 90 characters per disk restore point.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiskPointId(DiskPointIdRepr);

#[derive(Clone, Debug, PartialEq)]
enum DiskPointIdRepr {
    Whole(Text),
    InPoint {
        point: ResourceId,
        name: Text,
    },
    /// `<point>/diskRestorePoints/<disk>_<guid>`, the GUID in its lower-case hyphenated form.
    OfDisk {
        point: ResourceId,
        disk: Text,
        guid: uuid::Uuid,
    },
}

impl Default for DiskPointIdRepr {
    fn default() -> Self {
        Self::Whole(Text::default())
    }
}

impl DiskPointId {
    /// The id, parsed (`None` if the server sent something that is not an id).
    pub fn resource_id(&self) -> Option<ResourceId> {
        match &self.0 {
            DiskPointIdRepr::Whole(text) => ResourceId::parse(text).ok(),
            DiskPointIdRepr::InPoint { point, .. } | DiskPointIdRepr::OfDisk { point, .. } => {
                Some(point.child("diskRestorePoints", &self.name()))
            }
        }
    }

    /// The last segment: the disk restore point's name.
    pub fn name(&self) -> std::borrow::Cow<'_, str> {
        match &self.0 {
            DiskPointIdRepr::Whole(text) => text.rsplit('/').next().unwrap_or_default().into(),
            DiskPointIdRepr::InPoint { name, .. } => name.as_str().into(),
            DiskPointIdRepr::OfDisk { disk, guid, .. } => format!("{disk}_{guid}").into(),
        }
    }

    /// Keeps the name alone when the id lies directly under `point`, and of the name only
    /// the GUID when it is `<disk>_<GUID>`.
    fn share_point(&mut self, point: &ResourceId, disk: Option<&Text>) {
        let DiskPointIdRepr::Whole(text) = &self.0 else {
            return;
        };
        let prefix = point.as_str();
        let Some(rest) = text
            .get(..prefix.len())
            .filter(|p| p.eq_ignore_ascii_case(prefix))
            .and_then(|_| text.get(prefix.len()..))
        else {
            return;
        };
        let Some(name) = rest
            .strip_prefix('/')
            .and_then(|r| r.split_once('/'))
            .filter(|(kind, _)| kind.eq_ignore_ascii_case("diskRestorePoints"))
            .map(|(_, name)| name)
            .filter(|n| !n.is_empty() && !n.contains('/'))
        else {
            return;
        };
        // Only when rebuilding gives back the same text (the case of the kind, no extras).
        if point.child("diskRestorePoints", name).as_str() != &**text {
            return;
        }
        let guid = disk.and_then(|disk| {
            let suffix = name.strip_prefix(disk.as_str())?.strip_prefix('_')?;
            let guid = uuid::Uuid::try_parse(suffix).ok()?;
            (guid.hyphenated().to_string() == suffix).then(|| (disk.clone(), guid))
        });
        self.0 = match guid {
            Some((disk, guid)) => DiskPointIdRepr::OfDisk {
                point: point.clone(),
                disk,
                guid,
            },
            None => DiskPointIdRepr::InPoint {
                point: point.clone(),
                name: Text::from(name),
            },
        };
    }
}

impl From<&str> for DiskPointId {
    fn from(s: &str) -> Self {
        Self(DiskPointIdRepr::Whole(Text::from(s)))
    }
}

impl std::fmt::Display for DiskPointId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            DiskPointIdRepr::Whole(text) => f.write_str(text),
            DiskPointIdRepr::InPoint { point, name } => {
                write!(f, "{point}/diskRestorePoints/{name}")
            }
            DiskPointIdRepr::OfDisk { point, disk, guid } => {
                write!(f, "{point}/diskRestorePoints/{disk}_{guid}")
            }
        }
    }
}

impl Serialize for DiskPointId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DiskPointId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Text::deserialize(d).map(|t| Self(DiskPointIdRepr::Whole(t)))
    }
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
    /// A point named by its id (the name is the id's last segment).
    pub fn new(id: ResourceId, properties: RestorePointProperties) -> Self {
        Self {
            id,
            name: None,
            properties,
        }
    }

    /// The point's name: as sent, or the id's last segment when none was sent.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_else(|| self.id.name())
    }

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

    /// Drops what parsing left over (a fleet keeps 100,000 points): a name equal to the
    /// id's last segment, disk restore point ids that repeat the point's, and the spare
    /// capacity of the instance view's lists (a list grows by doubling while it is read).
    pub fn shrink_to_fit(&mut self) {
        if self.name.as_deref() == Some(self.id.name()) {
            self.name = None;
        }
        let props = &mut self.properties;
        if let Some(sp) = props
            .source_metadata
            .as_mut()
            .and_then(|m| m.storage_profile.as_mut())
        {
            for disk in sp.os_disk.iter_mut().chain(sp.data_disks.iter_mut()) {
                let name = disk.name.clone();
                if let Some(r) = disk.disk_restore_point.as_mut() {
                    r.id.share_point(&self.id, name.as_ref());
                }
            }
        }
        if let Some(view) = props.instance_view.as_mut() {
            view.disk_restore_points.shrink_to_fit();
            view.statuses.shrink_to_fit();
        }
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
    pub encryption: Option<Encryption>,
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

#[cfg(test)]
mod tests {
    use super::*;

    const POINT: &str = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/vm-rpc/restorePoints/rp-1";

    fn point_with(drp_ids: &[&str]) -> RestorePoint {
        let disks: Vec<serde_json::Value> = drp_ids
            .iter()
            .map(|id| serde_json::json!({"name": "d", "diskRestorePoint": {"id": id}}))
            .collect();
        let json = serde_json::json!({
            "id": POINT,
            "name": "rp-1",
            "properties": {"sourceMetadata": {"storageProfile": {
                "osDisk": disks[0],
                "dataDisks": disks[1..],
            }}}
        });
        serde_json::from_value(json).unwrap()
    }

    /// The ids of a point's disk restore points, the OS disk's first.
    fn disk_point_ids(p: &RestorePoint) -> Vec<&DiskPointId> {
        p.captured_disks()
            .into_iter()
            .filter_map(|d| d.disk_restore_point.as_ref().map(|r| &r.id))
            .collect()
    }

    #[test]
    fn a_disk_point_id_under_its_point_keeps_only_its_name_and_reads_back_the_same() {
        let os = format!("{POINT}/diskRestorePoints/vm_OsDisk_1_abc_0001");
        let data = format!("{POINT}/diskRestorePoints/vm-data-00_0002");
        let mut p = point_with(&[&os, &data]);
        let before = serde_json::to_value(&p).unwrap();
        p.shrink_to_fit();
        let ids = disk_point_ids(&p);
        assert!(
            ids.iter()
                .all(|id| matches!(id.0, DiskPointIdRepr::InPoint { .. })),
            "{ids:?}"
        );
        assert_eq!(ids[0].to_string(), os);
        assert_eq!(ids[0].name(), "vm_OsDisk_1_abc_0001");
        assert_eq!(ids[1].resource_id().unwrap().as_str(), data);
        assert_eq!(serde_json::to_value(&p).unwrap(), before);
    }

    #[test]
    fn a_disk_point_named_after_its_disk_keeps_only_the_guid_and_reads_back_the_same() {
        const GUID: &str = "f50be27e-22a7-4317-a598-b3b75d074c63";
        let drp = |disk: &str, name: &str| {
            serde_json::json!({"name": disk,
                "diskRestorePoint": {"id": format!("{POINT}/diskRestorePoints/{name}")}})
        };
        let json = serde_json::json!({
            "id": POINT,
            "name": "rp-1",
            "properties": {"sourceMetadata": {"storageProfile": {
                "osDisk": drp("vm_OsDisk_1_abc", &format!("vm_OsDisk_1_abc_{GUID}")),
                "dataDisks": [
                    // Upper case, another disk's name, no GUID: the name is kept as sent.
                    drp("data0", &format!("data0_{}", GUID.to_uppercase())),
                    drp("data1", &format!("data0_{GUID}")),
                    drp("data2", "data2_1"),
                ],
            }}}
        });
        let mut p: RestorePoint = serde_json::from_value(json).unwrap();
        let before = serde_json::to_value(&p).unwrap();
        p.shrink_to_fit();
        let ids = disk_point_ids(&p);
        assert!(
            matches!(ids[0].0, DiskPointIdRepr::OfDisk { .. }),
            "{:?}",
            ids[0]
        );
        assert!(
            ids[1..]
                .iter()
                .all(|id| matches!(id.0, DiskPointIdRepr::InPoint { .. })),
            "{ids:?}"
        );
        let os = format!("{POINT}/diskRestorePoints/vm_OsDisk_1_abc_{GUID}");
        assert_eq!(ids[0].to_string(), os);
        assert_eq!(ids[0].name(), format!("vm_OsDisk_1_abc_{GUID}"));
        assert_eq!(ids[0].resource_id().unwrap().as_str(), os);
        assert_eq!(ids[1].name(), format!("data0_{}", GUID.to_uppercase()));
        assert_eq!(serde_json::to_value(&p).unwrap(), before);
    }

    #[test]
    fn a_name_that_repeats_the_id_is_not_kept_and_still_reads_and_writes_the_same() {
        let mut p = point_with(&["d_1"]);
        let before = serde_json::to_value(&p).unwrap();
        assert!(p.name.is_some());
        p.shrink_to_fit();
        assert!(p.name.is_none());
        assert_eq!(p.name(), "rp-1");
        assert_eq!(serde_json::to_value(&p).unwrap(), before);
        // A name other than the id's last segment is kept as sent.
        let json = serde_json::json!({"id": POINT, "name": "RP-1 (renamed)"});
        let mut other: RestorePoint = serde_json::from_value(json.clone()).unwrap();
        other.shrink_to_fit();
        assert_eq!(other.name(), "RP-1 (renamed)");
        assert_eq!(serde_json::to_value(&other).unwrap()["name"], json["name"]);
        // No name sent: the id's.
        let unnamed: RestorePoint =
            serde_json::from_value(serde_json::json!({"id": POINT})).unwrap();
        assert_eq!(unnamed.name(), "rp-1");
    }

    #[test]
    fn a_disk_point_id_elsewhere_or_cased_differently_stays_whole() {
        let elsewhere = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/other-rpc/restorePoints/rp-1/diskRestorePoints/d_1";
        let cased = format!("{POINT}/DISKRESTOREPOINTS/d_2");
        let mut p = point_with(&[elsewhere, &cased]);
        p.shrink_to_fit();
        let disks = p.captured_disks();
        for (d, text) in disks.iter().zip([elsewhere, cased.as_str()]) {
            let id = &d.disk_restore_point.as_ref().unwrap().id;
            assert!(matches!(id.0, DiskPointIdRepr::Whole(_)));
            assert_eq!(id.to_string(), text);
            assert_eq!(id.resource_id().unwrap().as_str(), text);
        }
    }
}
