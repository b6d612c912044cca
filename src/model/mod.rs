//! Serde types mirroring the ARM JSON: camelCase, unknown fields tolerated, unknown enum
//! values kept. No I/O here.

pub mod api_versions;
mod captured_disk;
mod disk;
mod endpoint;
mod enums;
mod envelope;
mod id;
mod network;
mod point_requests;
mod prices;
mod regions;
mod requests;
mod restore_point;
mod subscription;
mod text;
mod time;
mod units;
mod vm;

pub use captured_disk::{CapturedDiskConfig, SourceMetadataDisk};
pub use disk::{CreationData, Disk, DiskProperties, DiskSku, Encryption};
pub use endpoint::{is_loopback, validate_endpoint, without_userinfo};
pub use enums::{
    CachingType, ConsistencyMode, DiskCreateOption, DiskState, OsType, PowerState,
    ProvisioningState, SecurityType, SnapshotAccessState, StorageAccountType,
};
pub use envelope::{ArmErrorBody, ArmErrorDetail, AsyncOperationStatus, Page};
pub use id::{ResourceId, ResourceIdError};
pub use network::{NetworkInterface, Subnet, VirtualNetwork};
pub use point_requests::{CollectionRequest, RestorePointRequest, copy_point_call};
pub use prices::{RetailPrice, RetailPricePage};
pub use regions::has_availability_zones;
pub use requests::{
    ArmCall, AttachedDisk, CallMethod, DiskRestoreRequest, NicRequest, VmFromDisksRequest,
    tags_call,
};
pub use restore_point::{
    CapturedVm, DiskPointId, DiskRestorePoint, DiskRestorePointInstanceView,
    DiskRestorePointProperties, DiskRestorePointRef, ReplicationStatus, RestorePoint,
    RestorePointCollection, RestorePointCollectionProperties, RestorePointInstanceView,
    RestorePointProperties, RestorePointSource, SourceMetadata, SourceMetadataStorageProfile,
};
pub use subscription::{ResourceGroup, Subscription};
pub use text::{Text, shared_texts};
pub use time::{Timestamp, init_local_offset, local_offset};
pub use units::{SizeGib, ago_text, count_text};
pub use vm::{
    DataDisk, DiffDiskSettings, HardwareProfile, ImageReference, InstanceViewStatus,
    ManagedDiskParameters, NetworkInterfaceReference, NicReferenceProperties, OsDisk,
    ScaleSetProperties, SecurityProfile, StorageProfile, SubResource, VirtualMachine,
    VirtualMachineProperties, VirtualMachineScaleSet, VmAgentInstanceView, VmInstanceView,
};
