//! Subscriptions and resource groups.

use crate::arm::{ArmClient, ArmError, api_versions};
use crate::model::{ResourceGroup, Subscription};

impl ArmClient {
    /// Every subscription the credential can see.
    pub async fn list_subscriptions(&self) -> Result<Vec<Subscription>, ArmError> {
        let url = self.url("/subscriptions", api_versions::SUBSCRIPTIONS, &[])?;
        self.list_all(url).await
    }

    /// Resource groups of a subscription.
    pub async fn list_resource_groups(
        &self,
        subscription_id: &str,
    ) -> Result<Vec<ResourceGroup>, ArmError> {
        let url = self.url(
            &format!("/subscriptions/{subscription_id}/resourcegroups"),
            api_versions::RESOURCE_GROUPS,
            &[],
        )?;
        self.list_all(url).await
    }
}
