//! Restore point collections, restore points and disk restore points.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::json;

use super::compute::decode_final;
use super::{expect_kind, no_progress};
use crate::arm::client::Request;
use crate::arm::lro::LroKind;
use crate::arm::{ArmClient, ArmError, Cancel, LroProgress, api_versions};
pub use crate::model::RestorePointRequest;
use crate::model::{
    ArmCall, CollectionRequest, DiskRestorePoint, ResourceId, RestorePoint, RestorePointCollection,
    copy_point_call,
};

impl ArmClient {
    /// Every collection of a subscription.
    pub async fn list_collections(
        &self,
        subscription_id: &str,
    ) -> Result<Vec<RestorePointCollection>, ArmError> {
        let url = self.collection_url(
            subscription_id,
            None,
            "Microsoft.Compute/restorePointCollections",
            api_versions::COMPUTE,
            &[],
        )?;
        self.list_all(url).await
    }

    /// Collections of one resource group.
    pub async fn list_collections_in_group(
        &self,
        subscription_id: &str,
        resource_group: &str,
    ) -> Result<Vec<RestorePointCollection>, ArmError> {
        let url = self.collection_url(
            subscription_id,
            Some(resource_group),
            "Microsoft.Compute/restorePointCollections",
            api_versions::COMPUTE,
            &[],
        )?;
        self.list_all(url).await
    }

    /// One collection; with `with_points`, its restore points too (`$expand=restorePoints`,
    /// the only way ARM lists restore points).
    pub async fn get_collection(
        &self,
        id: &ResourceId,
        with_points: bool,
    ) -> Result<RestorePointCollection, ArmError> {
        self.get_resource(
            id,
            "restorePointCollections",
            api_versions::COMPUTE,
            with_points.then_some("restorePoints"),
        )
        .await
    }

    /// Creates a collection for a source VM (or a source collection, for a cross-region copy).
    pub async fn put_collection(
        &self,
        id: &ResourceId,
        location: &str,
        source_id: &ResourceId,
        instant_access: Option<bool>,
        tags: &BTreeMap<String, String>,
    ) -> Result<RestorePointCollection, ArmError> {
        expect_kind(id, "restorePointCollections")?;
        let call = CollectionRequest {
            collection_id: id.clone(),
            location: location.to_owned(),
            source_id: source_id.clone(),
            instant_access,
            tags: tags.clone(),
        }
        .call();
        let req = Request {
            method: Method::PUT,
            url: self.url(&call.path, &call.api_version, &[])?,
            body: call.body,
            idempotent: true,
            create_only: false,
        };
        // Synchronous in ARM (200/201), but follow an LRO if a server makes it one.
        decode_final(
            self.run_lro(req, LroKind::Update, &no_progress, &Cancel::new())
                .await?,
        )
    }

    /// Replaces a collection's tags (the only updatable part).
    pub async fn patch_collection_tags(
        &self,
        id: &ResourceId,
        tags: &BTreeMap<String, String>,
    ) -> Result<RestorePointCollection, ArmError> {
        expect_kind(id, "restorePointCollections")?;
        let url = self.url(id.as_str(), api_versions::COMPUTE, &[])?;
        let req = Request {
            method: Method::PATCH,
            url,
            body: crate::model::tags_call(id, api_versions::COMPUTE, tags).body,
            idempotent: true,
            create_only: false,
        };
        decode_final(
            self.run_lro(req, LroKind::Update, &no_progress, &Cancel::new())
                .await?,
        )
    }

    /// Deletes a collection and every restore point in it.
    pub async fn delete_collection(
        &self,
        id: &ResourceId,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<(), ArmError> {
        expect_kind(id, "restorePointCollections")?;
        self.delete_lro(id, api_versions::COMPUTE, on_progress, cancel)
            .await
    }

    /// One restore point; with `with_instance_view`, per-disk replication and access state.
    pub async fn get_restore_point(
        &self,
        id: &ResourceId,
        with_instance_view: bool,
    ) -> Result<RestorePoint, ArmError> {
        self.get_resource(
            id,
            "restorePoints",
            api_versions::COMPUTE,
            with_instance_view.then_some("instanceView"),
        )
        .await
    }

    /// Creates a restore point and follows it to the end.
    pub async fn create_restore_point(
        &self,
        id: &ResourceId,
        request: &RestorePointRequest,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<RestorePoint, ArmError> {
        expect_kind(id, "restorePoints")?;
        self.put_restore_point(&request.call(id), on_progress, cancel)
            .await
    }

    /// Copies a restore point from another region into the collection of `id`.
    pub async fn copy_restore_point(
        &self,
        id: &ResourceId,
        source_restore_point: &ResourceId,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<RestorePoint, ArmError> {
        expect_kind(id, "restorePoints")?;
        expect_kind(source_restore_point, "restorePoints")?;
        self.put_restore_point(
            &copy_point_call(id, source_restore_point),
            on_progress,
            cancel,
        )
        .await
    }

    /// Sends the PUT of a copy of `source_restore_point` (a point in another region) as
    /// `id` and returns the point as ARM answered it (`Creating`), without waiting: a copy
    /// runs for minutes to hours, and its progress is in the point's instance view
    /// (`completionPercent` per disk restore point), read with [`Self::get_restore_point`].
    pub async fn begin_copy_restore_point(
        &self,
        id: &ResourceId,
        source_restore_point: &ResourceId,
    ) -> Result<RestorePoint, ArmError> {
        expect_kind(id, "restorePoints")?;
        expect_kind(source_restore_point, "restorePoints")?;
        let call = copy_point_call(id, source_restore_point);
        let first = self.send(self.put_request(&call)?).await?;
        if first.body.is_empty() {
            // A 202 without a body: the point is readable once ARM has it.
            return self.get_restore_point(id, false).await;
        }
        first.json()
    }

    fn put_request(&self, call: &ArmCall) -> Result<Request, ArmError> {
        // Create-only: a blind resend after a lost answer would be refused, so no retry
        // on 5xx.
        Ok(Request {
            method: Method::PUT,
            url: self.url(&call.path, &call.api_version, &[])?,
            body: call.body.clone(),
            idempotent: false,
            create_only: false,
        })
    }

    async fn put_restore_point(
        &self,
        call: &ArmCall,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<RestorePoint, ArmError> {
        let req = self.put_request(call)?;
        decode_final(
            self.run_lro(req, LroKind::Update, on_progress, cancel)
                .await?,
        )
    }

    /// Deletes a restore point and waits.
    pub async fn delete_restore_point(
        &self,
        id: &ResourceId,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<(), ArmError> {
        expect_kind(id, "restorePoints")?;
        self.delete_lro(id, api_versions::COMPUTE, on_progress, cancel)
            .await
    }

    /// Disk restore points of a restore point (Disk RP api-version).
    pub async fn list_disk_restore_points(
        &self,
        restore_point_id: &ResourceId,
    ) -> Result<Vec<DiskRestorePoint>, ArmError> {
        expect_kind(restore_point_id, "restorePoints")?;
        let url = self.url(
            &format!("{restore_point_id}/diskRestorePoints"),
            api_versions::DISKS,
            &[],
        )?;
        self.list_all(url).await
    }

    /// One disk restore point.
    pub async fn get_disk_restore_point(
        &self,
        id: &ResourceId,
    ) -> Result<DiskRestorePoint, ArmError> {
        expect_kind(id, "diskRestorePoints")?;
        let url = self.url(id.as_str(), api_versions::DISKS, &[])?;
        self.get_json(url).await
    }

    /// Grants read access (a SAS URL) to a disk restore point for `duration_secs`.
    pub async fn grant_disk_restore_point_access(
        &self,
        id: &ResourceId,
        duration_secs: u32,
        cancel: &Cancel,
    ) -> Result<String, ArmError> {
        expect_kind(id, "diskRestorePoints")?;
        let url = self.url(&format!("{id}/beginGetAccess"), api_versions::DISKS, &[])?;
        let body = json!({ "access": "Read", "durationInSeconds": duration_secs });
        let req = Request {
            method: Method::POST,
            url,
            body: Some(body),
            idempotent: false,
            create_only: false,
        };
        let result = self
            .run_lro(req, LroKind::PostLocation, &no_progress, cancel)
            .await?;
        result
            .as_ref()
            .and_then(|v| v.get("accessSAS"))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .ok_or_else(|| ArmError::Decode {
                status: 200,
                message: "no accessSAS in the grant result".into(),
                ctx: Default::default(),
            })
    }

    /// Revokes access granted with [`Self::grant_disk_restore_point_access`].
    pub async fn revoke_disk_restore_point_access(
        &self,
        id: &ResourceId,
        cancel: &Cancel,
    ) -> Result<(), ArmError> {
        expect_kind(id, "diskRestorePoints")?;
        let url = self.url(&format!("{id}/endGetAccess"), api_versions::DISKS, &[])?;
        let req = Request {
            method: Method::POST,
            url,
            body: None,
            idempotent: true,
            create_only: false,
        };
        self.run_lro(req, LroKind::PostNoResult, &no_progress, cancel)
            .await?;
        Ok(())
    }

    async fn delete_lro(
        &self,
        id: &ResourceId,
        api_version: &str,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<(), ArmError> {
        let url = self.url(id.as_str(), api_version, &[])?;
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
