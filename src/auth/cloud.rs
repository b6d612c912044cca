//! Azure clouds: public, China, US Government.

use azure_core::cloud::CloudConfiguration;
use serde::{Deserialize, Serialize};

/// Which Azure cloud to talk to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum Cloud {
    #[default]
    Public,
    China,
    #[value(name = "usgov")]
    UsGov,
}

impl Cloud {
    /// The ARM endpoint.
    pub fn management_endpoint(self) -> &'static str {
        match self {
            Self::Public => "https://management.azure.com",
            Self::China => "https://management.chinacloudapi.cn",
            Self::UsGov => "https://management.usgovcloudapi.net",
        }
    }

    /// The token scope for ARM in this cloud.
    pub fn scope(self) -> String {
        format!("{}/.default", self.management_endpoint())
    }

    /// The azure_core cloud configuration (authority host).
    pub fn configuration(self) -> CloudConfiguration {
        match self {
            Self::Public => CloudConfiguration::AzurePublic,
            Self::China => CloudConfiguration::AzureChina,
            Self::UsGov => CloudConfiguration::AzureGovernment,
        }
    }

    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Public => "Azure",
            Self::China => "Azure China",
            Self::UsGov => "Azure US Government",
        }
    }
}
