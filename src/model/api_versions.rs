//! API versions, per resource provider family: the newest stable versions that have what
//! rpdesk reads (Compute 2025-04-01 is the first with instant access; disk restore points
//! belong to the Disk RP family even under a restore point's path).

/// `Microsoft.Resources/subscriptions`.
pub const SUBSCRIPTIONS: &str = "2022-12-01";
/// `Microsoft.Resources/resourceGroups`.
pub const RESOURCE_GROUPS: &str = "2021-04-01";
/// Compute RP: VMs, restore point collections, restore points.
pub const COMPUTE: &str = "2025-04-01";
/// Disk RP: disks, snapshots and disk restore points (even under a restore point's URL).
pub const DISKS: &str = "2025-01-02";
/// `Microsoft.Network`: virtual networks, subnets, NICs.
pub const NETWORK: &str = "2024-05-01";
