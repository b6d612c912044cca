//! Virtual networks and network interfaces: enough to give a restored VM a NIC.

use reqwest::Method;

use super::compute::decode_final;
use super::{expect_kind, no_progress};
use crate::arm::client::Request;
use crate::arm::lro::LroKind;
use crate::arm::{ArmClient, ArmError, Cancel, api_versions};
use crate::model::{NetworkInterface, ResourceId, VirtualNetwork};

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

    /// Creates a NIC in `subnet_id` and waits for it.
    pub async fn put_nic(
        &self,
        id: &ResourceId,
        location: &str,
        subnet_id: &ResourceId,
        cancel: &Cancel,
    ) -> Result<NetworkInterface, ArmError> {
        expect_kind(id, "networkInterfaces")?;
        let body = serde_json::json!({
            "location": location,
            "properties": { "ipConfigurations": [ {
                "name": "ipconfig1",
                "properties": { "subnet": { "id": subnet_id.as_str() }, "privateIPAllocationMethod": "Dynamic" }
            } ] }
        });
        let url = self.url(id.as_str(), api_versions::NETWORK, &[])?;
        let req = Request {
            method: Method::PUT,
            url,
            body: Some(body),
            idempotent: true,
        };
        decode_final(
            self.run_lro(req, LroKind::Update, &no_progress, cancel)
                .await?,
        )
    }
}
