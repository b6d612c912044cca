//! Virtual machines (`Microsoft.Compute/virtualMachines`) with their instance view.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    CachingType, DiskCreateOption, OsType, PowerState, ProvisioningState, ResourceId, SecurityType,
    StorageAccountType, Timestamp,
};

/// `{ "id": "..." }`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct SubResource {
    pub id: super::Text,
}

/// A VM scale set, as far as rpdesk reads it (`orchestrationMode`).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct VirtualMachineScaleSet {
    pub id: ResourceId,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub properties: ScaleSetProperties,
}

/// `properties` of a scale set.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaleSetProperties {
    /// `Uniform` or `Flexible`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orchestration_mode: Option<String>,
}

/// A virtual machine.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualMachine {
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
    /// Managed identities (system- or user-assigned), as ARM sends them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<serde_json::Value>,
    #[serde(default)]
    pub properties: VirtualMachineProperties,
}

/// `properties` of a VM. Every field is optional: list responses may carry only `id`.
/// The OS profile is not kept (nothing reads it; the Raw JSON view fetches the document).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualMachineProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardware_profile: Option<HardwareProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_profile: Option<StorageProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_profile: Option<SecurityProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_profile: Option<NetworkProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_set: Option<SubResource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_machine_scale_set: Option<SubResource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_capabilities: Option<AdditionalCapabilities>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_type: Option<super::Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<ProvisioningState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_created: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_view: Option<Box<VmInstanceView>>,
}

/// `hardwareProfile`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HardwareProfile {
    #[serde(default)]
    pub vm_size: super::Text,
}

/// `additionalCapabilities`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdditionalCapabilities {
    #[serde(
        default,
        rename = "ultraSSDEnabled",
        skip_serializing_if = "Option::is_none"
    )]
    pub ultra_ssd_enabled: Option<bool>,
}

/// `securityProfile` of a VM.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_type: Option<SecurityType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_at_host: Option<bool>,
}

/// `storageProfile`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_reference: Option<ImageReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_disk: Option<OsDisk>,
    #[serde(default)]
    pub data_disks: Vec<DataDisk>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_controller_type: Option<super::Text>,
}

/// `managedDisk` of a VM disk.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedDiskParameters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<super::Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_account_type: Option<StorageAccountType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_encryption_set: Option<SubResource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_profile: Option<Box<serde_json::Value>>,
}

/// `diffDiskSettings`: present on an ephemeral OS disk.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffDiskSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<String>,
}

/// The OS disk of a VM.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OsDisk {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_type: Option<OsType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_option: Option<DiskCreateOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caching: Option<CachingType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_accelerator_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff_disk_settings: Option<DiffDiskSettings>,
    #[serde(
        default,
        rename = "diskSizeGB",
        skip_serializing_if = "Option::is_none"
    )]
    pub disk_size_gb: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_disk: Option<ManagedDiskParameters>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_option: Option<String>,
}

/// A data disk of a VM.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataDisk {
    pub lun: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_option: Option<DiskCreateOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caching: Option<CachingType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_accelerator_enabled: Option<bool>,
    #[serde(
        default,
        rename = "diskSizeGB",
        skip_serializing_if = "Option::is_none"
    )]
    pub disk_size_gb: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_disk: Option<ManagedDiskParameters>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_resource: Option<SubResource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_option: Option<String>,
}

/// `networkProfile`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkProfile {
    #[serde(default)]
    pub network_interfaces: Vec<NetworkInterfaceReference>,
}

/// `storageProfile.imageReference`: the image a VM was made from (a marketplace image's
/// publisher, offer, SKU and version, or a gallery image's id).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageReference {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<super::Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<super::Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<super::Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<super::Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact_version: Option<super::Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<super::Text>,
}

/// A NIC reference in `networkProfile.networkInterfaces`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkInterfaceReference {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<NicReferenceProperties>,
}

/// `properties` of a NIC reference.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NicReferenceProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_option: Option<super::Text>,
}

impl ImageReference {
    /// A field by its ARM name (`publisher`, `offer`, `sku`, `version`, `exactVersion`, `id`).
    pub fn get(&self, key: &str) -> Option<&str> {
        match key {
            "publisher" => self.publisher.as_deref(),
            "offer" => self.offer.as_deref(),
            "sku" => self.sku.as_deref(),
            "version" => self.version.as_deref(),
            "exactVersion" => self.exact_version.as_deref(),
            "id" => self.id.as_deref(),
            _ => None,
        }
    }
}

impl NetworkProfile {
    /// The primary NIC: the one marked primary, else the only or first one.
    pub fn primary_nic(&self) -> Option<&NetworkInterfaceReference> {
        self.network_interfaces
            .iter()
            .find(|n| n.properties.as_ref().and_then(|p| p.primary) == Some(true))
            .or_else(|| self.network_interfaces.first())
    }
}

/// A status entry: `{ code, level, displayStatus, message, time }`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceViewStatus {
    #[serde(default)]
    pub code: super::Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<super::Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_status: Option<super::Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

/// The runtime view of a VM.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VmInstanceView {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hyper_v_generation: Option<String>,
    /// The guest agent, as it reports itself (`vmAgent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm_agent: Option<VmAgentInstanceView>,
    #[serde(default)]
    pub statuses: Vec<InstanceViewStatus>,
}

/// `instanceView.vmAgent`: the guest agent's version and state.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VmAgentInstanceView {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm_agent_version: Option<String>,
    #[serde(default)]
    pub statuses: Vec<InstanceViewStatus>,
}

impl VmInstanceView {
    /// Gives back the spare capacity parsing left in its lists (see
    /// [`VirtualMachine::shrink_to_fit`]).
    pub fn shrink_to_fit(&mut self) {
        self.statuses.shrink_to_fit();
        if let Some(agent) = self.vm_agent.as_mut() {
            agent.statuses.shrink_to_fit();
        }
    }

    /// The `PowerState/…` status, if reported.
    pub fn power_state(&self) -> Option<PowerState> {
        self.statuses
            .iter()
            .find_map(|s| s.code.strip_prefix("PowerState/").map(PowerState::parse))
    }
}

impl VirtualMachine {
    /// Gives back the spare capacity parsing left in the VM's lists: a list grows by
    /// doubling while it is read (four places for one data disk), and a fleet keeps
    /// 10,000 VMs.
    pub fn shrink_to_fit(&mut self) {
        let props = &mut self.properties;
        if let Some(storage) = props.storage_profile.as_mut() {
            storage.data_disks.shrink_to_fit();
        }
        if let Some(network) = props.network_profile.as_mut() {
            network.network_interfaces.shrink_to_fit();
        }
        if let Some(view) = props.instance_view.as_mut() {
            view.shrink_to_fit();
        }
        self.zones.shrink_to_fit();
    }

    /// The OS disk, if the VM has a storage profile.
    pub fn os_disk(&self) -> Option<&OsDisk> {
        self.properties.storage_profile.as_ref()?.os_disk.as_ref()
    }

    /// Data disks, sorted by LUN.
    pub fn data_disks(&self) -> Vec<&DataDisk> {
        let mut disks: Vec<&DataDisk> = self
            .properties
            .storage_profile
            .as_ref()
            .map(|s| s.data_disks.iter().collect())
            .unwrap_or_default();
        disks.sort_by_key(|d| d.lun);
        disks
    }

    /// `Standard_D4s_v5` or empty.
    pub fn vm_size(&self) -> &str {
        self.properties
            .hardware_profile
            .as_ref()
            .map(|h| h.vm_size.as_str())
            .unwrap_or("")
    }

    /// Windows or Linux, from the OS disk.
    pub fn os_type(&self) -> Option<&OsType> {
        self.os_disk()?.os_type.as_ref()
    }

    /// Power state from the instance view, if it was fetched.
    pub fn power_state(&self) -> Option<PowerState> {
        self.properties.instance_view.as_ref()?.power_state()
    }

    /// The security type (Trusted launch, confidential), if set.
    pub fn security_type(&self) -> Option<&SecurityType> {
        self.properties
            .security_profile
            .as_ref()?
            .security_type
            .as_ref()
    }
}
