//! The Azure Retail Prices API's shapes (`GET /api/retail/prices`, no token): a page
//! envelope in PascalCase (`Items`, `NextPageLink`, `Count`) around items in camelCase.

use serde::{Deserialize, Serialize};

/// One page of Retail Prices.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct RetailPricePage {
    /// The currency of every item on the page.
    #[serde(rename = "BillingCurrency", default)]
    pub billing_currency: String,
    /// `Default` for the public price list.
    #[serde(rename = "CustomerEntityId", default)]
    pub customer_entity_id: String,
    /// `Retail` for the public price list.
    #[serde(rename = "CustomerEntityType", default)]
    pub customer_entity_type: String,
    /// The prices on this page.
    #[serde(rename = "Items", default)]
    pub items: Vec<RetailPrice>,
    /// The next page; null or empty on the last page (and, the service has been seen
    /// doing this, sometimes before it).
    #[serde(rename = "NextPageLink", default)]
    pub next_page_link: Option<String>,
    /// Items on this page.
    #[serde(rename = "Count", default)]
    pub count: usize,
}

/// One price (a meter in a region, a tier, a currency).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RetailPrice {
    pub currency_code: String,
    pub tier_minimum_units: f64,
    pub retail_price: f64,
    pub unit_price: f64,
    pub arm_region_name: String,
    pub location: String,
    pub effective_start_date: String,
    pub meter_id: String,
    pub meter_name: String,
    pub product_id: String,
    pub sku_id: String,
    pub product_name: String,
    pub sku_name: String,
    pub service_name: String,
    pub service_family: String,
    pub unit_of_measure: String,
    /// `Consumption`, `Reservation`, `DevTestConsumption`.
    #[serde(rename = "type")]
    pub kind: String,
    pub is_primary_meter_region: bool,
}
