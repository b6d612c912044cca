//! Write requests as data: the exact call (method, path, api-version, body) that a typed
//! request sends. The client sends them; the restore planner shows them in its review and
//! renders their `az` equivalents, so what is reviewed is what is sent.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{CachingType, OsType, ResourceId, StorageAccountType, api_versions};

/// The HTTP method of a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallMethod {
    Put,
    Patch,
    Post,
    Delete,
}

impl CallMethod {
    /// `PUT`, `PATCH`…
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Post => "POST",
            Self::Delete => "DELETE",
        }
    }
}

/// One ARM write, exactly as it goes on the wire (the host aside).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArmCall {
    pub method: CallMethod,
    /// Resource path (a resource id, or an id plus an action such as `/deallocate`).
    pub path: String,
    pub api_version: String,
    /// Extra query pairs after `api-version`, e.g. `forceDeletion=false`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// Send `If-None-Match: *`: create only, never overwrite.
    #[serde(default)]
    pub create_only: bool,
}

impl ArmCall {
    fn new(method: CallMethod, path: impl Into<String>, api_version: &str) -> Self {
        Self {
            method,
            path: path.into(),
            api_version: api_version.to_owned(),
            query: Vec::new(),
            body: None,
            create_only: false,
        }
    }

    /// `PUT path` with a body.
    pub fn put(path: impl Into<String>, api_version: &str, body: Value) -> Self {
        Self {
            body: Some(body),
            ..Self::new(CallMethod::Put, path, api_version)
        }
    }

    /// `PATCH path` with a body.
    pub fn patch(path: impl Into<String>, api_version: &str, body: Value) -> Self {
        Self {
            body: Some(body),
            ..Self::new(CallMethod::Patch, path, api_version)
        }
    }

    /// `POST path` without a body (VM actions).
    pub fn post(path: impl Into<String>, api_version: &str) -> Self {
        Self::new(CallMethod::Post, path, api_version)
    }

    /// `DELETE path`.
    pub fn delete(path: impl Into<String>, api_version: &str) -> Self {
        Self::new(CallMethod::Delete, path, api_version)
    }

    /// Adds a query pair.
    pub fn with_query(mut self, key: &str, value: &str) -> Self {
        self.query.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Path and query as they go on the wire: `/subscriptions/…?api-version=…`.
    pub fn path_and_query(&self) -> String {
        let mut text = format!("{}?api-version={}", self.path, self.api_version);
        for (k, v) in &self.query {
            text.push_str(&format!("&{k}={v}"));
        }
        text
    }

    /// One line for a review: `PUT /subscriptions/…?api-version=…`.
    pub fn summary(&self) -> String {
        let mut line = format!("{} {}", self.method.as_str(), self.path_and_query());
        if self.create_only {
            line.push_str("  (If-None-Match: *)");
        }
        line
    }
}

/// A new disk restored from a disk restore point (`createOption: Restore`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiskRestoreRequest {
    /// Id of the disk to create.
    pub disk_id: ResourceId,
    pub location: String,
    /// The disk restore point to restore from.
    pub source_disk_restore_point: ResourceId,
    /// `None`: the source's SKU.
    pub sku: Option<StorageAccountType>,
    /// `None`: the source's size. Never below it.
    pub size_gb: Option<i64>,
    pub zones: Vec<String>,
    pub tags: BTreeMap<String, String>,
    /// A restore point does not keep the source's customer-managed key: set it here.
    pub disk_encryption_set_id: Option<String>,
}

impl DiskRestoreRequest {
    /// A restore of `source` into a new disk `disk_id` in `location`, keeping the source's
    /// SKU and size, with no zone, no tags and platform-managed keys.
    pub fn new(disk_id: ResourceId, location: impl Into<String>, source: ResourceId) -> Self {
        Self {
            disk_id,
            location: location.into(),
            source_disk_restore_point: source,
            sku: None,
            size_gb: None,
            zones: Vec::new(),
            tags: BTreeMap::new(),
            disk_encryption_set_id: None,
        }
    }

    /// The disk PUT. `securityProfile`, `osType` and `hyperVGeneration` are left out on
    /// purpose: the disk restore point carries them, and Azure refuses a security type
    /// sent with a copy.
    pub fn call(&self) -> ArmCall {
        let mut properties = json!({ "creationData": {
            "createOption": "Restore",
            "sourceResourceId": self.source_disk_restore_point.as_str(),
        } });
        if let Some(size) = self.size_gb {
            properties["diskSizeGB"] = json!(size);
        }
        if let Some(des) = &self.disk_encryption_set_id {
            properties["encryption"] = json!({
                "diskEncryptionSetId": des,
                "type": "EncryptionAtRestWithCustomerKey",
            });
        }
        let mut body = json!({ "location": self.location, "properties": properties });
        if let Some(sku) = &self.sku {
            body["sku"] = json!({ "name": sku.as_str() });
        }
        if !self.zones.is_empty() {
            body["zones"] = json!(self.zones);
        }
        if !self.tags.is_empty() {
            body["tags"] = json!(self.tags);
        }
        ArmCall::put(self.disk_id.as_str(), api_versions::DISKS, body)
    }
}

/// A new network interface in a subnet, with a dynamic private IP and no public IP.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NicRequest {
    pub nic_id: ResourceId,
    pub location: String,
    pub subnet_id: ResourceId,
    pub tags: BTreeMap<String, String>,
}

impl NicRequest {
    /// The NIC PUT.
    pub fn call(&self) -> ArmCall {
        let mut body = json!({
            "location": self.location,
            "properties": { "ipConfigurations": [ {
                "name": "ipconfig1",
                "properties": {
                    "subnet": { "id": self.subnet_id.as_str() },
                    "privateIPAllocationMethod": "Dynamic"
                }
            } ] }
        });
        if !self.tags.is_empty() {
            body["tags"] = json!(self.tags);
        }
        ArmCall::put(self.nic_id.as_str(), api_versions::NETWORK, body)
    }
}

/// `PATCH` of a resource's tags (disks, VMs, NICs: the whole tag set is replaced).
pub fn tags_call(id: &ResourceId, api_version: &str, tags: &BTreeMap<String, String>) -> ArmCall {
    ArmCall::patch(id.as_str(), api_version, json!({ "tags": tags }))
}

/// A disk attached to a VM at creation (`createOption: Attach`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachedDisk {
    /// `None` for the OS disk.
    pub lun: Option<i32>,
    pub disk_id: ResourceId,
    pub caching: CachingType,
    pub write_accelerator: bool,
}

/// A VM built around existing (restored) disks: no image, no `osProfile` (Azure refuses
/// both with an attached OS disk), every disk `Attach` with `deleteOption: Detach` so
/// deleting the VM never deletes a disk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VmFromDisksRequest {
    pub vm_id: ResourceId,
    pub location: String,
    pub zones: Vec<String>,
    pub tags: BTreeMap<String, String>,
    pub vm_size: String,
    pub os_type: OsType,
    pub os_disk: AttachedDisk,
    pub data_disks: Vec<AttachedDisk>,
    pub nic_id: ResourceId,
    /// The captured `securityProfile` (security type, UEFI settings): it must match the
    /// OS disk's security type.
    pub security_profile: Option<Value>,
    pub disk_controller_type: Option<String>,
    pub license_type: Option<String>,
    pub availability_set_id: Option<String>,
    /// `identity` of the VM copied (system- or user-assigned), if any.
    pub identity: Option<Value>,
    pub user_data: Option<String>,
}

impl VmFromDisksRequest {
    /// Whether any attached disk is an Ultra disk (the VM must enable them).
    fn needs_ultra(&self, ultra: &dyn Fn(&ResourceId) -> bool) -> bool {
        std::iter::once(&self.os_disk)
            .chain(&self.data_disks)
            .any(|d| ultra(&d.disk_id))
    }

    /// The VM PUT (create only: `If-None-Match: *`). `ultra` tells which disks are Ultra.
    pub fn call(&self, ultra: &dyn Fn(&ResourceId) -> bool) -> ArmCall {
        let data: Vec<Value> = self
            .data_disks
            .iter()
            .map(|d| {
                json!({
                    "lun": d.lun.unwrap_or(0),
                    "createOption": "Attach",
                    "caching": d.caching.as_str(),
                    "writeAcceleratorEnabled": d.write_accelerator,
                    "managedDisk": { "id": d.disk_id.as_str() },
                    "deleteOption": "Detach",
                })
            })
            .collect();
        let mut storage = json!({
            "osDisk": {
                "osType": self.os_type.as_str(),
                "createOption": "Attach",
                "caching": self.os_disk.caching.as_str(),
                "managedDisk": { "id": self.os_disk.disk_id.as_str() },
                "deleteOption": "Detach",
            },
            "dataDisks": data,
        });
        if let Some(c) = &self.disk_controller_type {
            storage["diskControllerType"] = json!(c);
        }
        let mut properties = json!({
            "hardwareProfile": { "vmSize": self.vm_size },
            "storageProfile": storage,
            "diagnosticsProfile": { "bootDiagnostics": { "enabled": true } },
            "networkProfile": { "networkInterfaces": [ {
                "id": self.nic_id.as_str(),
                "properties": { "primary": true, "deleteOption": "Detach" }
            } ] },
        });
        if let Some(p) = &self.security_profile {
            properties["securityProfile"] = p.clone();
        }
        if self.needs_ultra(ultra) {
            properties["additionalCapabilities"] = json!({ "ultraSSDEnabled": true });
        }
        if let Some(l) = &self.license_type {
            properties["licenseType"] = json!(l);
        }
        if let Some(a) = &self.availability_set_id {
            properties["availabilitySet"] = json!({ "id": a });
        }
        if let Some(u) = &self.user_data {
            properties["userData"] = json!(u);
        }
        let mut body = json!({ "location": self.location, "properties": properties });
        if !self.zones.is_empty() {
            body["zones"] = json!(self.zones);
        }
        if !self.tags.is_empty() {
            body["tags"] = json!(self.tags);
        }
        if let Some(i) = &self.identity {
            body["identity"] = i.clone();
        }
        ArmCall {
            create_only: true,
            ..ArmCall::put(self.vm_id.as_str(), api_versions::COMPUTE, body)
        }
    }
}

/// The body of a collection PUT: its region, its source (a VM, or the source collection
/// of a cross-region copy), `instantAccess` when set, its tags.
pub fn collection_body(
    location: &str,
    source_id: &ResourceId,
    instant_access: Option<bool>,
    tags: &BTreeMap<String, String>,
) -> Value {
    let mut properties = json!({ "source": { "id": source_id.as_str() } });
    if let Some(ia) = instant_access {
        properties["instantAccess"] = json!(ia);
    }
    json!({ "location": location, "properties": properties, "tags": tags })
}

/// The collection PUT.
pub fn collection_call(
    id: &ResourceId,
    location: &str,
    source_id: &ResourceId,
    instant_access: Option<bool>,
) -> ArmCall {
    let body = collection_body(location, source_id, instant_access, &BTreeMap::new());
    ArmCall::put(id.as_str(), api_versions::COMPUTE, body)
}

/// The body of a restore point PUT: the mode (none: Azure's default,
/// application-consistent), the disks left out, the instant access minutes.
pub fn restore_point_body(
    mode: Option<&super::ConsistencyMode>,
    exclude_disks: &[ResourceId],
    instant_access_minutes: Option<i64>,
) -> Value {
    let mut properties = json!({});
    if !exclude_disks.is_empty() {
        let ids: Vec<_> = exclude_disks
            .iter()
            .map(|d| json!({ "id": d.as_str() }))
            .collect();
        properties["excludeDisks"] = json!(ids);
    }
    if let Some(mode) = mode {
        properties["consistencyMode"] = json!(mode.as_str());
    }
    if let Some(minutes) = instant_access_minutes {
        properties["instantAccessDurationMinutes"] = json!(minutes);
    }
    json!({ "properties": properties })
}

/// The body of a cross-region copy: a restore point PUT naming its source point.
pub fn copy_point_body(source_restore_point: &ResourceId) -> Value {
    json!({ "properties": { "sourceRestorePoint": { "id": source_restore_point.as_str() } } })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> ResourceId {
        ResourceId::parse(text).expect("valid id")
    }

    #[test]
    fn a_disk_restore_names_its_source_and_carries_the_key_it_is_given() {
        let mut r = DiskRestoreRequest::new(
            id("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d1"),
            "eastus",
            id(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/c/restorePoints/p/diskRestorePoints/x_1",
            ),
        );
        r.size_gb = Some(256);
        r.disk_encryption_set_id = Some("/subscriptions/s/des".into());
        let call = r.call();
        assert_eq!(call.method, CallMethod::Put);
        let body = call.body.clone().expect("a body");
        assert_eq!(
            body["properties"]["creationData"]["createOption"],
            "Restore"
        );
        assert_eq!(body["properties"]["diskSizeGB"], 256);
        assert_eq!(
            body["properties"]["encryption"]["type"],
            "EncryptionAtRestWithCustomerKey"
        );
        assert!(
            body.get("sku").is_none(),
            "the source's SKU unless one is chosen"
        );
        assert!(body["properties"].get("securityProfile").is_none());
        assert!(call.path_and_query().ends_with("?api-version=2025-01-02"));
    }
}
