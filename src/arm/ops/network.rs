//! Virtual networks and network interfaces: enough to give a restored VM a NIC.

use super::compute::decode_final;
use super::{expect_kind, no_progress};
use crate::arm::{ArmClient, ArmError, Cancel, api_versions};
use crate::model::{ArmCall, NetworkInterface, NicRequest, ResourceId, VirtualNetwork};

impl ArmClient {
    /// Every virtual network (with subnets) of a subscription.
    pub async fn list_vnets(&self, subscription_id: &str) -> Result<Vec<VirtualNetwork>, ArmError> {
        let url = self.collection_url(
            subscription_id,
            None,
            "Microsoft.Network/virtualNetworks",
            api_versions::NETWORK,
            &[],
        )?;
        self.list_all(url).await
    }

    /// Creates a NIC in `subnet_id` (dynamic private IP, no public IP) and waits for it.
    pub async fn put_nic(
        &self,
        id: &ResourceId,
        location: &str,
        subnet_id: &ResourceId,
        cancel: &Cancel,
    ) -> Result<NetworkInterface, ArmError> {
        let request = NicRequest {
            nic_id: id.clone(),
            location: location.to_owned(),
            subnet_id: subnet_id.clone(),
            tags: Default::default(),
        };
        self.create_nic(&request, cancel).await
    }

    /// Creates a NIC as requested and waits for it.
    pub async fn create_nic(
        &self,
        request: &NicRequest,
        cancel: &Cancel,
    ) -> Result<NetworkInterface, ArmError> {
        expect_kind(&request.nic_id, "networkInterfaces")?;
        expect_kind(&request.subnet_id, "subnets")?;
        decode_final(
            self.run_call(&request.call(), &no_progress, cancel)
                .await?
                .value,
        )
    }

    /// One NIC.
    pub async fn get_nic(&self, id: &ResourceId) -> Result<NetworkInterface, ArmError> {
        self.get_resource(id, "networkInterfaces", api_versions::NETWORK, None)
            .await
    }

    /// Deletes a NIC and waits.
    pub async fn delete_nic(&self, id: &ResourceId, cancel: &Cancel) -> Result<(), ArmError> {
        expect_kind(id, "networkInterfaces")?;
        let call = ArmCall::delete(id.as_str(), api_versions::NETWORK);
        self.run_call(&call, &no_progress, cancel).await.map(drop)
    }
}
