//! Instant access (preview): who may use it, for how long, how many at once.
//! It is requested by creating the point in a collection with `instantAccess: true`.

use crate::model::StorageAccountType;

use super::check::{Ctx, Finding};
use super::facts::normalize_region;
use super::mode::Mode;
use super::vm_rules::api_date;

/// Regions where instant access is offered (seed 000, normalised).
pub const INSTANT_ACCESS_REGIONS: &[&str] = &[
    "westcentralus",
    "westus",
    "northcentralus",
    "westus2",
    "southcentralus",
];
/// The first CRP api-version with instant access.
pub const INSTANT_ACCESS_API_VERSION: &str = "2025-04-01";
/// Default `instantAccessDurationMinutes`.
pub const INSTANT_ACCESS_DEFAULT_MINUTES: i64 = 300;
/// Allowed `instantAccessDurationMinutes`.
pub const INSTANT_ACCESS_MINUTES: std::ops::RangeInclusive<i64> = 60..=300;
/// The subscription feature instant access needs (seed 000's allowlist step).
pub const INSTANT_ACCESS_FEATURE: &str = "AppConsistentInstantAccessSnapshotForDirectDriveDisks";
/// The Azure CLI command that registers it (seed 000 gives the PowerShell one).
pub const INSTANT_ACCESS_FEATURE_REGISTER_COMMAND: &str = "az feature register --namespace Microsoft.Compute --name AppConsistentInstantAccessSnapshotForDirectDriveDisks";

/// Concurrent instant access creations per subscription per region.
pub const INSTANT_ACCESS_MAX_CONCURRENT: usize = 50;

/// The target collection has `instantAccess: true`.
fn requested(cx: &Ctx<'_, '_>) -> Option<String> {
    let target = cx.facts.target()?;
    (target.properties.instant_access == Some(true)).then(|| target.name.clone())
}

/// Why a point in this mode could not use instant access (empty: eligible).
fn ineligibility(cx: &Ctx<'_, '_>) -> Vec<String> {
    let mut why = Vec::new();
    if cx.mode != Mode::ApplicationConsistent {
        why.push("instant access is for application-consistent points only".to_owned());
    }
    let fast = cx.included().any(|s| {
        !s.is_os
            && s.sku.is_some_and(|k| {
                matches!(
                    k,
                    StorageAccountType::UltraSsdLrs | StorageAccountType::PremiumV2Lrs
                )
            })
    });
    if !fast {
        why.push(format!(
            "VM '{}' has no captured Premium SSD v2 or Ultra data disk",
            cx.vm_name()
        ));
    }
    let region = normalize_region(&cx.facts.vm.location);
    if !INSTANT_ACCESS_REGIONS.contains(&region.as_str()) {
        why.push(format!(
            "region '{}' is not one of the instant access regions",
            cx.facts.vm.location
        ));
    }
    let version = cx.facts.api_version;
    if api_date(version).is_none_or(|d| d < INSTANT_ACCESS_API_VERSION) {
        why.push(format!(
            "api-version {version} is older than {INSTANT_ACCESS_API_VERSION}"
        ));
    }
    why
}

/// Instant access needs app-consistent mode, Premium SSD v2 / Ultra data disks captured
/// by the point, a listed region and api-version 2025-04-01. A point that cannot have it
/// in a collection that has it is created without it (as the emulator does); asking for
/// it with `instantAccessDurationMinutes` is refused.
pub(super) fn instant_access_eligibility(cx: &mut Ctx<'_, '_>) -> Finding {
    let why = ineligibility(cx);
    cx.instant_access_eligible = why.is_empty();
    cx.instant_access = cx.instant_access_eligible && requested(cx).is_some();
    if let Some(rpc) = requested(cx)
        && cx.mode == Mode::CrashConsistent
    {
        // Seed 000: instant access is "not supported for crash-consistent restore
        // points": such a point in an instant access collection is created as a plain
        // point (as the emulator and the demo's history do), not refused.
        return Finding::warn(format!(
            "collection '{rpc}' has instant access, but a crash-consistent point is created without it"
        ));
    }
    match (requested(cx), why.is_empty()) {
        (Some(rpc), true) => Finding::pass(format!(
            "collection '{rpc}' has instant access and VM '{}' is eligible",
            cx.vm_name()
        )),
        (Some(rpc), false) if cx.facts.instant_access_duration_minutes.is_some() => {
            Finding::fail(format!(
                "collection '{rpc}' has instant access, but this point cannot use it and a duration asks for it: {}",
                why.join("; ")
            ))
        }
        (Some(rpc), false) => Finding::warn(format!(
            "collection '{rpc}' has instant access, but this point is created without instant access: {}",
            why.join("; ")
        )),
        (None, true) => Finding::pass(format!(
            "VM '{}' is eligible for instant access",
            cx.vm_name()
        )),
        (None, false) => Finding::na(format!(
            "not eligible for instant access: {}",
            why.join("; ")
        )),
    }
}

/// Whenever instant access is offered or used, the subscription feature it needs.
pub(super) fn instant_access_needs_feature_registration(cx: &mut Ctx<'_, '_>) -> Finding {
    if !cx.instant_access_eligible && !cx.instant_access {
        return Finding::na("instant access is not offered for this point");
    }
    Finding::warn(format!(
        "instant access works only once subscription {} has the feature Microsoft.Compute/{INSTANT_ACCESS_FEATURE} registered, which rpdesk cannot see; register it with: {INSTANT_ACCESS_FEATURE_REGISTER_COMMAND}",
        cx.facts.vm.id.subscription_id()
    ))
}

/// `instantAccessDurationMinutes` must be 60–300.
pub(super) fn instant_access_duration_60_to_300(cx: &mut Ctx<'_, '_>) -> Finding {
    if requested(cx).is_none() {
        return Finding::na("instant access is not enabled on the target collection");
    }
    if cx.mode == Mode::CrashConsistent {
        return match cx.facts.instant_access_duration_minutes {
            Some(m) => Finding::fail(format!(
                "instant access duration {m} minutes cannot be sent with a crash-consistent point"
            )),
            None => Finding::na("crash-consistent points do not use instant access"),
        };
    }
    let minutes = cx
        .facts
        .instant_access_duration_minutes
        .unwrap_or(INSTANT_ACCESS_DEFAULT_MINUTES);
    if INSTANT_ACCESS_MINUTES.contains(&minutes) {
        Finding::pass(format!(
            "instant access for {minutes} minutes (allowed 60–300)"
        ))
    } else {
        Finding::fail(format!(
            "instant access duration {minutes} minutes is outside 60–300"
        ))
    }
}

/// At most 50 instant access creations at once per subscription and region.
pub(super) fn instant_access_at_most_50_concurrent_per_subscription_region(
    cx: &mut Ctx<'_, '_>,
) -> Finding {
    if !cx.instant_access {
        return Finding::na("this point is created without instant access");
    }
    let running = cx.facts.instant_access_in_flight_in_subscription_region;
    if running >= INSTANT_ACCESS_MAX_CONCURRENT {
        Finding::wait(
            format!(
                "{running} instant access creations are running in region '{}' of this subscription (at most {INSTANT_ACCESS_MAX_CONCURRENT}); wait for one to finish",
                cx.facts.vm.location
            ),
            None,
        )
    } else {
        Finding::pass(format!(
            "{running} of {INSTANT_ACCESS_MAX_CONCURRENT} concurrent instant access creations in use"
        ))
    }
}
