//! Node identities in the navigator.

use crate::model::{ResourceId, Text};

/// One node of the navigator tree (24 bytes: a table of every point keeps one per row).
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum NodeId {
    Subscription(Text),
    /// A resource group folder (when grouping by resource group).
    Group {
        subscription_id: Text,
        resource_group: Text,
    },
    Vm(ResourceId),
    /// Collections whose source VM is gone, was moved, or is another collection.
    Unlinked(Text),
    Collection(ResourceId),
    Point(ResourceId),
    DiskPoint(ResourceId),
}

impl NodeId {
    /// The ARM resource behind the node, if it is one.
    pub fn resource_id(&self) -> Option<&ResourceId> {
        match self {
            Self::Vm(id) | Self::Collection(id) | Self::Point(id) | Self::DiskPoint(id) => Some(id),
            _ => None,
        }
    }

    /// The subscription the node lives in.
    pub fn subscription_id(&self) -> &str {
        match self {
            Self::Subscription(s) | Self::Unlinked(s) => s,
            Self::Group {
                subscription_id, ..
            } => subscription_id,
            Self::Vm(id) | Self::Collection(id) | Self::Point(id) | Self::DiskPoint(id) => {
                id.subscription_id()
            }
        }
    }
}

/// How a collection relates to a VM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CollectionLink {
    /// `source.id` is a VM we know.
    Vm(ResourceId),
    /// `source.id` names a VM that is not there, but a VM of the same name is in another
    /// resource group: it was moved and the id went stale.
    Moved { stale: ResourceId, now: ResourceId },
    /// `source.id` names a VM that does not exist.
    MissingVm(ResourceId),
    /// A cross-region copy: `source.id` is another collection.
    CopyOf(ResourceId),
    /// No usable `source.id`.
    Unknown,
}
