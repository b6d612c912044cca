//! Managed disks, including restoring a disk from a disk restore point.

use reqwest::Method;

use super::compute::decode_final;
use super::expect_kind;
use crate::arm::client::Request;
use crate::arm::lro::LroKind;
use crate::arm::{ArmClient, ArmError, Cancel, LroProgress, api_versions};
use crate::model::{Disk, DiskRestoreRequest, ResourceId};

impl ArmClient {
    /// Every managed disk of a subscription.
    pub async fn list_disks(&self, subscription_id: &str) -> Result<Vec<Disk>, ArmError> {
        let mut out = Vec::new();
        self.list_disks_pages(subscription_id, |page| out.extend(page))
            .await?;
        Ok(out)
    }

    /// Every disk of a subscription, a page at a time as pages arrive.
    pub async fn list_disks_pages(
        &self,
        subscription_id: &str,
        on_page: impl FnMut(Vec<Disk>),
    ) -> Result<(), ArmError> {
        let url = self.collection_url(
            subscription_id,
            None,
            "Microsoft.Compute/disks",
            api_versions::DISKS,
            &[],
        )?;
        self.list_pages(url, on_page).await
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
        decode_final(
            self.run_call(&request.call(), on_progress, cancel)
                .await?
                .value,
        )
    }

    /// Replaces a disk's tags.
    pub async fn patch_disk_tags(
        &self,
        id: &ResourceId,
        tags: &std::collections::BTreeMap<String, String>,
        cancel: &Cancel,
    ) -> Result<Disk, ArmError> {
        expect_kind(id, "disks")?;
        let call = crate::model::tags_call(id, api_versions::DISKS, tags);
        decode_final(
            self.run_call(&call, &super::no_progress, cancel)
                .await?
                .value,
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
            create_only: false,
        };
        self.run_lro(req, LroKind::Delete, on_progress, cancel)
            .await?;
        Ok(())
    }
}
