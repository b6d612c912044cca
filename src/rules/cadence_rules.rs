//! Count and time rules: how many points and collections may exist, and how often and
//! how concurrently points may be created.

use time::Duration;

use crate::model::{ProvisioningState, Timestamp};

use super::check::{Ctx, Finding};
use super::mode::Mode;

/// Restore points retained per VM, across its collections.
pub const MAX_POINTS_PER_VM: usize = 500;
/// Collections per subscription per region.
pub const MAX_COLLECTIONS_PER_SUBSCRIPTION_REGION: usize = 10_000;
/// Restore point PUTs per VM per hour, in each consistency mode.
pub const MAX_PUTS_PER_HOUR: usize = 3;

/// The minimum time between two points of `mode` on one VM.
pub fn minimum_interval(mode: Mode) -> Duration {
    match mode {
        Mode::ApplicationConsistent => Duration::hours(3),
        Mode::CrashConsistent => Duration::hours(1),
    }
}

fn plus(t: Timestamp, d: Duration) -> Timestamp {
    Timestamp(t.0.saturating_add(d))
}

/// At most 500 points per VM.
pub(super) fn at_most_500_points_per_vm(cx: &mut Ctx<'_, '_>) -> Finding {
    let count = cx.facts.points().count();
    let name = cx.vm_name();
    if count >= MAX_POINTS_PER_VM {
        Finding::fail(format!(
            "VM '{name}' already has {count} restore points across {} collection(s) (at most {MAX_POINTS_PER_VM}); delete old points first",
            cx.facts.collections.len()
        ))
    } else {
        Finding::pass(format!(
            "VM '{name}' has {count} of {MAX_POINTS_PER_VM} restore points"
        ))
    }
}

/// At most 10,000 collections per subscription and region; only matters when a new
/// collection has to be created.
pub(super) fn at_most_10000_collections_per_subscription_region(cx: &mut Ctx<'_, '_>) -> Finding {
    let count = cx.facts.collections_in_subscription_region;
    let region = &cx.facts.vm.location;
    if let Some(target) = cx.facts.target_collection {
        return Finding::pass(format!(
            "the point goes into existing collection '{}'",
            target.name()
        ));
    }
    if count >= MAX_COLLECTIONS_PER_SUBSCRIPTION_REGION {
        Finding::fail(format!(
            "VM '{}' has no collection and region '{region}' of its subscription already holds {count} collections (at most {MAX_COLLECTIONS_PER_SUBSCRIPTION_REGION})",
            cx.vm_name()
        ))
    } else {
        Finding::pass(format!(
            "a new collection fits: {count} of {MAX_COLLECTIONS_PER_SUBSCRIPTION_REGION} in region '{region}'"
        ))
    }
}

/// One creation at a time per VM.
pub(super) fn no_concurrent_creation(cx: &mut Ctx<'_, '_>) -> Finding {
    let name = cx.vm_name();
    let creating = cx.facts.points().find(|p| {
        matches!(
            p.properties.provisioning_state,
            Some(
                ProvisioningState::Creating
                    | ProvisioningState::Accepted
                    | ProvisioningState::InProgress
            )
        )
    });
    if let Some(point) = creating {
        return Finding::wait(
            format!(
                "restore point '{}' of VM '{name}' is still being created; wait for it to finish",
                point.name()
            ),
            None,
        );
    }
    if cx.facts.creation_in_flight {
        return Finding::wait(
            format!(
                "rpdesk is already creating a restore point for VM '{name}'; wait for it to finish"
            ),
            None,
        );
    }
    Finding::pass(format!("no restore point is being created for VM '{name}'"))
}

/// Points of one mode on one VM at least 3 h (application) / 1 h (crash) apart. Read
/// per mode: the interval runs from the last point of the same mode; failed and
/// canceled points do not count; `FileSystemConsistent` counts as application.
pub(super) fn minimum_frequency_3h_application_1h_crash(cx: &mut Ctx<'_, '_>) -> Finding {
    let mode = cx.mode;
    let last = cx
        .facts
        .points()
        .filter(|p| {
            !matches!(
                p.properties.provisioning_state,
                Some(ProvisioningState::Failed | ProvisioningState::Canceled)
            )
        })
        .filter(|p| Mode::from_consistency(p.properties.consistency_mode.as_ref()) == Some(mode))
        .filter_map(|p| Some((p.properties.time_created?, p)))
        .max_by_key(|(t, _)| *t);
    let interval = minimum_interval(mode);
    let hours = interval.whole_hours();
    let name = cx.vm_name();
    let Some((last_time, point)) = last else {
        return Finding::pass(format!("VM '{name}' has no earlier {mode} point"));
    };
    let next = plus(last_time, interval);
    if cx.now < next {
        Finding::wait(
            format!(
                "the last {mode} point of VM '{name}' ('{}') was taken at {last_time}; the next may be taken {hours} h later, at {next}",
                point.name()
            ),
            Some(next),
        )
    } else {
        Finding::pass(format!(
            "the last {mode} point of VM '{name}' is more than {hours} h old"
        ))
    }
}

/// How many of `times` fall in the hour before `now`, and, when that is `limit` or more,
/// when the oldest of the newest `limit` leaves the window (a sliding window, the
/// conservative reading of "per hour").
pub(super) fn hourly_window(
    mut times: Vec<Timestamp>,
    now: Timestamp,
    limit: usize,
) -> (usize, Option<Timestamp>) {
    let start = plus(now, Duration::hours(-1));
    times.retain(|t| *t > start);
    times.sort_unstable_by(|a, b| b.cmp(a));
    let until = limit
        .checked_sub(1)
        .and_then(|i| times.get(i))
        .map(|t| plus(*t, Duration::hours(1)));
    (times.len(), until)
}

/// At most 3 PUTs per VM in any hour in the assessed mode (a sliding window, the
/// conservative reading); the other mode has its own budget. File-system-consistent
/// points count as application-consistent.
pub(super) fn at_most_3_puts_per_hour(cx: &mut Ctx<'_, '_>) -> Finding {
    let mode = cx.mode;
    let puts = cx
        .facts
        .recent_puts
        .iter()
        .filter(|p| p.mode == mode)
        .map(|p| p.at)
        .collect();
    let created = cx
        .facts
        .points()
        .filter(|p| Mode::from_consistency(p.properties.consistency_mode.as_ref()) == Some(mode))
        .filter_map(|p| p.properties.time_created)
        .collect();
    let what = format!("{mode} restore point PUTs for VM '{}'", cx.vm_name());
    throttle(puts, created, cx.now, MAX_PUTS_PER_HOUR, &what)
}

/// A throttle's finding from the requests rpdesk logged and the resources they made
/// (which are requests too; the larger count avoids counting a logged one twice).
pub(super) fn throttle(
    logged: Vec<Timestamp>,
    created: Vec<Timestamp>,
    now: Timestamp,
    limit: usize,
    what: &str,
) -> Finding {
    let a = hourly_window(logged, now, limit);
    let b = hourly_window(created, now, limit);
    let (count, until) = if b.0 > a.0 { b } else { a };
    match until {
        Some(until) if count >= limit => Finding::wait(
            format!(
                "{count} {what} in the last hour (at most {limit}); Azure answers 429 until {until}"
            ),
            Some(until),
        ),
        _ => Finding::pass(format!("{count} of {limit} {what} in the last hour")),
    }
}
