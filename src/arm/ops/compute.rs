//! Virtual machines.

use reqwest::Method;

use super::expect_kind;
use crate::arm::client::Request;
use crate::arm::lro::LroKind;
use crate::arm::{ArmClient, ArmError, Cancel, LroProgress, api_versions};
use crate::model::{
    ArmCall, ResourceId, VirtualMachine, VirtualMachineScaleSet, VmFromDisksRequest, VmInstanceView,
};

impl ArmClient {
    /// One scale set (its `orchestrationMode` tells Uniform instances from Flexible members).
    pub async fn get_scale_set(&self, id: &ResourceId) -> Result<VirtualMachineScaleSet, ArmError> {
        expect_kind(id, "virtualMachineScaleSets")?;
        let url = self.url(id.as_str(), api_versions::COMPUTE, &[])?;
        self.get_json(url).await
    }

    /// Every VM of a subscription (`VirtualMachines_ListAll`).
    pub async fn list_vms(&self, subscription_id: &str) -> Result<Vec<VirtualMachine>, ArmError> {
        let mut out = Vec::new();
        self.list_vms_pages(subscription_id, |page| out.extend(page))
            .await?;
        Ok(out)
    }

    /// Every VM of a subscription, a page at a time as pages arrive.
    pub async fn list_vms_pages(
        &self,
        subscription_id: &str,
        on_page: impl FnMut(Vec<VirtualMachine>),
    ) -> Result<(), ArmError> {
        let url = self.collection_url(
            subscription_id,
            None,
            "Microsoft.Compute/virtualMachines",
            api_versions::COMPUTE,
            &[],
        )?;
        self.list_pages(url, on_page).await
    }

    /// Power states of every VM of a subscription (`statusOnly=true`), by VM id.
    pub async fn list_vm_statuses(
        &self,
        subscription_id: &str,
    ) -> Result<Vec<(ResourceId, VmInstanceView)>, ArmError> {
        let url = self.collection_url(
            subscription_id,
            None,
            "Microsoft.Compute/virtualMachines",
            api_versions::COMPUTE,
            &[("statusOnly", "true")],
        )?;
        // Page by page: only the instance views are kept, never the whole listing.
        let mut statuses = Vec::new();
        self.list_pages(url, |vms: Vec<VirtualMachine>| {
            statuses.extend(
                vms.into_iter()
                    .filter_map(|vm| Some((vm.id, *vm.properties.instance_view?))),
            )
        })
        .await?;
        Ok(statuses)
    }

    /// VMs of one resource group.
    pub async fn list_vms_in_group(
        &self,
        subscription_id: &str,
        resource_group: &str,
    ) -> Result<Vec<VirtualMachine>, ArmError> {
        let url = self.collection_url(
            subscription_id,
            Some(resource_group),
            "Microsoft.Compute/virtualMachines",
            api_versions::COMPUTE,
            &[],
        )?;
        self.list_all(url).await
    }

    /// One VM, optionally with its instance view (power state).
    pub async fn get_vm(
        &self,
        id: &ResourceId,
        with_instance_view: bool,
    ) -> Result<VirtualMachine, ArmError> {
        self.get_resource(
            id,
            "virtualMachines",
            api_versions::COMPUTE,
            with_instance_view.then_some("instanceView"),
        )
        .await
    }

    /// A VM's instance view.
    pub async fn vm_instance_view(&self, id: &ResourceId) -> Result<VmInstanceView, ArmError> {
        expect_kind(id, "virtualMachines")?;
        let url = self.url(&format!("{id}/instanceView"), api_versions::COMPUTE, &[])?;
        self.get_json(url).await
    }

    /// Creates or replaces a VM (`body` is the full VM document) and waits for it.
    pub async fn put_vm(
        &self,
        id: &ResourceId,
        body: serde_json::Value,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<VirtualMachine, ArmError> {
        self.update_vm(Method::PUT, id, body, on_progress, cancel)
            .await
    }

    /// Patches a VM (e.g. an OS-disk swap) and waits for it.
    pub async fn patch_vm(
        &self,
        id: &ResourceId,
        body: serde_json::Value,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<VirtualMachine, ArmError> {
        self.update_vm(Method::PATCH, id, body, on_progress, cancel)
            .await
    }

    async fn update_vm(
        &self,
        method: Method,
        id: &ResourceId,
        body: serde_json::Value,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<VirtualMachine, ArmError> {
        expect_kind(id, "virtualMachines")?;
        let url = self.url(id.as_str(), api_versions::COMPUTE, &[])?;
        let idempotent = method == Method::PUT;
        let result = self
            .run_lro(
                Request {
                    method,
                    url,
                    body: Some(body),
                    idempotent,
                    create_only: false,
                },
                LroKind::Update,
                on_progress,
                cancel,
            )
            .await?;
        decode_final(result)
    }

    /// Creates a VM around existing disks and waits for it; refuses to overwrite a VM of
    /// the same name (`If-None-Match: *`).
    pub async fn create_vm(
        &self,
        request: &VmFromDisksRequest,
        ultra: &dyn Fn(&ResourceId) -> bool,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<VirtualMachine, ArmError> {
        expect_kind(&request.vm_id, "virtualMachines")?;
        expect_kind(&request.nic_id, "networkInterfaces")?;
        decode_final(
            self.run_call(&request.call(ultra), on_progress, cancel)
                .await?
                .value,
        )
    }

    /// Deletes a VM and waits (`forceDeletion=false`: ARM may otherwise force-delete a VM
    /// whose disks are all marked for deletion).
    pub async fn delete_vm(
        &self,
        id: &ResourceId,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<(), ArmError> {
        expect_kind(id, "virtualMachines")?;
        let call = ArmCall::delete(id.as_str(), api_versions::COMPUTE)
            .with_query("forceDeletion", "false");
        self.run_call(&call, on_progress, cancel).await.map(drop)
    }

    /// Stops and deallocates a VM.
    pub async fn deallocate_vm(
        &self,
        id: &ResourceId,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<(), ArmError> {
        self.vm_action(id, "deallocate", on_progress, cancel).await
    }

    /// Starts a VM.
    pub async fn start_vm(
        &self,
        id: &ResourceId,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<(), ArmError> {
        self.vm_action(id, "start", on_progress, cancel).await
    }

    /// Powers a VM off (keeps it allocated).
    pub async fn power_off_vm(
        &self,
        id: &ResourceId,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<(), ArmError> {
        self.vm_action(id, "powerOff", on_progress, cancel).await
    }

    async fn vm_action(
        &self,
        id: &ResourceId,
        action: &str,
        on_progress: &(dyn Fn(LroProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<(), ArmError> {
        expect_kind(id, "virtualMachines")?;
        let url = self.url(&format!("{id}/{action}"), api_versions::COMPUTE, &[])?;
        let request = Request {
            method: Method::POST,
            url,
            body: None,
            idempotent: false,
            create_only: false,
        };
        self.run_lro(request, LroKind::PostNoResult, on_progress, cancel)
            .await?;
        Ok(())
    }
}

/// Decodes the final GET of an LRO into `T`.
pub(crate) fn decode_final<T: serde::de::DeserializeOwned>(
    value: Option<serde_json::Value>,
) -> Result<T, ArmError> {
    let value = value.ok_or_else(|| ArmError::Decode {
        status: 200,
        message: "the operation finished without returning the resource".into(),
        ctx: Default::default(),
    })?;
    serde_json::from_value(value).map_err(|e| ArmError::Decode {
        status: 200,
        message: e.to_string(),
        ctx: Default::default(),
    })
}
