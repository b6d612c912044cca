//! Managed disks, including restoring a disk from a disk restore point.

use reqwest::Method;
use serde_json::json;

use super::compute::decode_final;
use super::expect_kind;
use crate::arm::client::Request;
use crate::arm::lro::LroKind;
use crate::arm::{ArmClient, ArmError, Cancel, LroProgress, api_versions};
use crate::model::{Disk, ResourceId, StorageAccountType};

/// A new disk restored from a disk restore point.
#[derive(Clone, Debug)]
pub struct DiskRestoreRequest {
    /// Id of the disk to create.
    pub disk_id: ResourceId,
    pub location: String,
    /// The disk restore point to restore from.
    pub source_disk_restore_point: ResourceId,
    pub sku: Option<StorageAccountType>,
    pub zones: Vec<String>,
    pub tags: std::collections::BTreeMap<String, String>,
}

impl DiskRestoreRequest {
    /// A restore of `source` into a new disk `disk_id` in `location`, keeping the source's
    /// SKU, with no zone and no tags.
    pub fn new(disk_id: ResourceId, location: impl Into<String>, source: ResourceId) -> Self {
        Self {
            disk_id,
            location: location.into(),
            source_disk_restore_point: source,
            sku: None,
            zones: Vec::new(),
            tags: Default::default(),
        }
    }
}

impl ArmClient {
    /// Every managed disk of a subscription.
    pub async fn list_disks(&self, subscription_id: &str) -> Result<Vec<Disk>, ArmError> {
        let url = self.collection_url(
            subscription_id,
            None,
            "Microsoft.Compute/disks",
            api_versions::DISKS,
            &[],
        )?;
        self.list_all(url).await
    }

    /// One disk.
    pub async fn get_disk(&self, id: &ResourceId) -> Result<Disk, ArmError> {
        expect_kind(id, "disks")?;
        let url = self.url(id.as_str(), api_versions::DISKS, &[])?;
        self.get_json(url).await
    }

    /// Creates a disk with `createOption: Restore` and waits until it is provisioned.
    pub async fn restore_disk(
        &self,
        request: &DiskRestoreRequest,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<Disk, ArmError> {
        expect_kind(&request.disk_id, "disks")?;
        expect_kind(&request.source_disk_restore_point, "diskRestorePoints")?;
        let mut body = json!({
            "location": request.location,
            "properties": { "creationData": {
                "createOption": "Restore",
                "sourceResourceId": request.source_disk_restore_point.as_str(),
            } },
        });
        if let Some(sku) = &request.sku {
            body["sku"] = json!({ "name": sku.as_str() });
        }
        if !request.zones.is_empty() {
            body["zones"] = json!(request.zones);
        }
        if !request.tags.is_empty() {
            body["tags"] = json!(request.tags);
        }
        let url = self.url(request.disk_id.as_str(), api_versions::DISKS, &[])?;
        let req = Request {
            method: Method::PUT,
            url,
            body: Some(body),
            idempotent: true,
        };
        decode_final(
            self.run_lro(req, LroKind::Update, on_progress, cancel)
                .await?,
        )
    }

    /// Deletes a disk and waits.
    pub async fn delete_disk(
        &self,
        id: &ResourceId,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<(), ArmError> {
        expect_kind(id, "disks")?;
        let url = self.url(id.as_str(), api_versions::DISKS, &[])?;
        let req = Request {
            method: Method::DELETE,
            url,
            body: None,
            idempotent: true,
        };
        self.run_lro(req, LroKind::Delete, on_progress, cancel)
            .await?;
        Ok(())
    }
}
