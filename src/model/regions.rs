//! Facts about Azure regions that rules on both sides (the planner and the emulator) need.

/// Regions with availability zones (learn.microsoft.com "Azure regions with availability
/// zone support", as of 2026). Premium SSD v2 and Ultra disks need a zone in these.
const ZONAL_REGIONS: &[&str] = &[
    "australiaeast",
    "brazilsouth",
    "canadacentral",
    "centralindia",
    "centralus",
    "chinanorth3",
    "eastasia",
    "eastus",
    "eastus2",
    "francecentral",
    "germanywestcentral",
    "israelcentral",
    "italynorth",
    "japaneast",
    "japanwest",
    "koreacentral",
    "mexicocentral",
    "newzealandnorth",
    "northeurope",
    "norwayeast",
    "polandcentral",
    "qatarcentral",
    "southafricanorth",
    "southcentralus",
    "southeastasia",
    "spaincentral",
    "swedencentral",
    "switzerlandnorth",
    "uaenorth",
    "uksouth",
    "usgovvirginia",
    "westeurope",
    "westus2",
    "westus3",
];

/// Whether a region (ARM name, any case, spaces ignored) has availability zones.
pub fn has_availability_zones(region: &str) -> bool {
    let name: String = region
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    ZONAL_REGIONS.binary_search(&name.as_str()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zonal_regions_are_sorted_and_found_in_any_case() {
        assert!(ZONAL_REGIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(has_availability_zones("westus2"));
        assert!(has_availability_zones("West Europe"));
        assert!(!has_availability_zones("westus"));
        assert!(!has_availability_zones("northcentralus"));
    }
}
