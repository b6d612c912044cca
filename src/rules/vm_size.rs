//! Reading a VM size name (`Standard_D4ads_v6`): series letters, features, generation.

/// The parts of a size name that the rules need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SizeName<'a> {
    /// Series letters, e.g. `D`, `DS`, `NC`.
    pub family: &'a str,
    /// Lower-case feature letters after the vCPU count, e.g. `ads`.
    pub features: &'a str,
    /// The `_vN` generation; `None` for first-generation sizes.
    pub version: Option<u32>,
}

impl SizeName<'_> {
    /// AMD processors (`a` feature).
    pub fn is_amd(&self) -> bool {
        self.features.contains('a')
    }

    /// Arm64 processors (`p` feature).
    pub fn is_arm(&self) -> bool {
        self.features.contains('p')
    }

    /// Intel v6+ or AMD v7+: Azure Boost offloads storage (seed 000).
    pub fn is_azure_boost(&self) -> bool {
        let v = self.version.unwrap_or(1);
        if self.is_arm() {
            // Seed 000 names Intel v6+ and AMD v7+ only.
            false
        } else if self.is_amd() {
            v >= 7
        } else {
            v >= 6
        }
    }

    /// Whether the size has a local temporary disk: `d` sizes do; from v4 on, sizes
    /// without `d` do not; older generations and L-series do.
    pub fn has_temp_disk(&self) -> bool {
        self.features.contains('d')
            || self.version.is_none_or(|v| v < 4)
            || self.family.starts_with('L')
    }
}

/// Parses `Standard_E16-4ads_v5` style names; `None` when it does not look like one.
pub(super) fn parse_size(size: &str) -> Option<SizeName<'_>> {
    let rest = size
        .get(..9)
        .filter(|p| p.eq_ignore_ascii_case("standard_"))
        .map(|_| &size[9..])
        .unwrap_or(size);
    let mut parts = rest.split('_');
    let head = parts.next().filter(|h| !h.is_empty())?;
    let version = parts
        .filter_map(|p| p.strip_prefix(['v', 'V']))
        .filter_map(|n| n.parse::<u32>().ok())
        .next_back();
    let family_end = head.find(|c: char| c.is_ascii_digit())?;
    let family = &head[..family_end];
    if family.is_empty() {
        return None;
    }
    let after_digits =
        head[family_end..].trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
    let features_end = after_digits
        .find(|c: char| !c.is_ascii_lowercase())
        .unwrap_or(after_digits.len());
    Some(SizeName {
        family,
        features: &after_digits[..features_end],
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_names_parse() {
        let s = parse_size("Standard_E16-4ads_v5");
        assert_eq!(
            s,
            Some(SizeName {
                family: "E",
                features: "ads",
                version: Some(5)
            })
        );
        assert_eq!(parse_size("Standard_DS3_v2").map(|s| s.family), Some("DS"));
        assert_eq!(parse_size("Standard_B2s").and_then(|s| s.version), None);
        assert!(parse_size("Standard_D4s_v6").is_some_and(|s| s.is_azure_boost()));
        assert!(parse_size("Standard_D4as_v6").is_some_and(|s| !s.is_azure_boost()));
        assert!(parse_size("Standard_D4as_v7").is_some_and(|s| s.is_azure_boost()));
        assert!(parse_size("Standard_D4s_v5").is_some_and(|s| !s.is_azure_boost()));
        assert!(parse_size("Standard_D4s_v5").is_some_and(|s| !s.has_temp_disk()));
        assert!(parse_size("Standard_D4ds_v5").is_some_and(|s| s.has_temp_disk()));
        assert!(parse_size("Standard_D2s_v3").is_some_and(|s| s.has_temp_disk()));
        assert_eq!(parse_size(""), None);
    }
}
