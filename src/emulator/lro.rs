//! Long-running operations as ARM runs them: an operation record with a virtual end time,
//! the `Azure-AsyncOperation` / `Location` / `Retry-After` headers pointing at it, and
//! `settle`, which applies the effects of operations whose time has come (called before
//! every request, so state moves exactly with the virtual clock).

use serde_json::Value;
use uuid::Uuid;

use super::server::{Ctx, Reply};
use super::state::{Effect, Estate, Operation, key};

/// Starts an operation that completes after `duration` virtual seconds.
pub fn start(
    ctx: &mut Ctx<'_>,
    sub: &str,
    location: &str,
    duration: f64,
    effect: Effect,
    result: Option<Value>,
) -> Uuid {
    let id = Uuid::new_v4();
    let op = Operation {
        id,
        subscription: sub.to_owned(),
        location: super::routes::norm_location(location),
        started: ctx.now,
        done_at: ctx.now + duration.max(0.0),
        failure: ctx.fail_lro.take(),
        effect,
        applied: false,
        result,
    };
    let k = id.to_string();
    ctx.estate.operations.insert(k.clone(), op);
    ctx.estate.pending.edit().push(k);
    id
}

/// Adds the LRO headers (both kinds, as Compute sends them) to a reply.
pub fn headers(ctx: &Ctx<'_>, reply: Reply, op_id: Uuid) -> Reply {
    let Some(op) = ctx.estate.operations.get(&op_id.to_string()) else {
        return reply;
    };
    let base = format!(
        "{}/subscriptions/{}/providers/Microsoft.Compute/locations/{}/operations/{}",
        ctx.base_url, op.subscription, op.location, op.id
    );
    let retry = retry_after(ctx, op);
    reply
        .header(
            "azure-asyncoperation",
            format!("{base}?api-version={}", ctx.api_version),
        )
        .header(
            "location",
            format!("{base}?monitor=true&api-version={}", ctx.api_version),
        )
        .header("retry-after", retry.to_string())
}

/// Real seconds until the next poll is worth making: the rest of the operation, but at
/// most 15 virtual seconds so progress (copy percentages) stays visible.
pub fn retry_after(ctx: &Ctx<'_>, op: &Operation) -> u64 {
    let remaining = (op.done_at - ctx.now).clamp(0.0, 15.0);
    ctx.clock.real_wait(remaining)
}

/// Applies every due effect.
pub fn settle(e: &mut Estate, now: f64) {
    if e.pending.is_empty() {
        return;
    }
    let mut due: Vec<(f64, String)> = Vec::new();
    e.pending.edit().retain(|id| match e.operations.get(id) {
        Some(op) if op.done_at <= now => {
            due.push((op.done_at, id.clone()));
            false
        }
        Some(_) => true,
        None => false,
    });
    due.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, id) in due {
        let Some(op) = e.operations.get_mut(&id) else {
            continue;
        };
        op.applied = true;
        let effect = op.effect.clone();
        let failure = op.failure.clone();
        apply(e, effect, failure);
    }
    // Status resources stay readable for a day of virtual time, like ARM's; after that
    // they go, so a long-running emulator does not grow without bound.
    if e.operations.len() > 5_000 {
        e.operations
            .retain(|_, op| !op.applied || op.done_at > now - 86_400.0);
    }
}

fn apply(e: &mut Estate, effect: Effect, failure: Option<super::errors::ArmError>) {
    let failed = failure.is_some();
    match effect {
        Effect::None => {}
        Effect::PointReady { collection, point } => {
            if let Some(p) = e
                .collections
                .get_mut(&collection)
                .and_then(|c| c.point_mut(&point))
            {
                p.provisioning = if failed { "Failed" } else { "Succeeded" }.into();
                p.failure = failure.map(Box::new);
            }
        }
        Effect::DeletePoint { collection, point } => {
            if let Some(c) = e.collections.get_mut(&collection) {
                if failed {
                    if let Some(p) = c.point_mut(&point) {
                        p.provisioning = "Succeeded".into();
                    }
                } else {
                    c.points.retain(|p| !p.name.eq_ignore_ascii_case(&point));
                }
            }
        }
        Effect::DeleteCollection { collection } => {
            if failed {
                if let Some(c) = e.collections.get_mut(&collection) {
                    c.provisioning = "Succeeded".into();
                }
            } else {
                e.collections.remove(&collection);
            }
        }
        Effect::DiskReady { disk } => {
            if let Some(d) = e.disks.get_mut(&disk) {
                d.provisioning = if failed { "Failed" } else { "Succeeded" }.into();
            }
        }
        Effect::DeleteDisk { disk } => {
            if failed {
                if let Some(d) = e.disks.get_mut(&disk) {
                    d.provisioning = "Succeeded".into();
                }
            } else {
                e.disks.remove(&disk);
            }
        }
        Effect::VmReady { vm } => {
            if let Some(v) = e.vms.get_mut(&vm) {
                v.provisioning = if failed { "Failed" } else { "Succeeded" }.into();
            }
        }
        Effect::VmPower {
            vm,
            power,
            previous,
        } => {
            if let Some(v) = e.vms.get_mut(&vm) {
                v.power = if failed { previous } else { power };
                v.provisioning = "Succeeded".into();
            }
        }
        Effect::DeleteVm { vm } => {
            if failed {
                if let Some(v) = e.vms.get_mut(&vm) {
                    v.provisioning = "Succeeded".into();
                }
                return;
            }
            if let Some(v) = e.vms.remove(&vm) {
                for n in &v.nics {
                    if let Some(props) = e
                        .nics
                        .get_mut(&key(n))
                        .and_then(|n| n.get_mut("properties"))
                        .and_then(|p| p.as_object_mut())
                    {
                        props.remove("virtualMachine");
                    }
                }
                for d in v.all_disks() {
                    let Some(id) = &d.disk_id else { continue };
                    let k = key(id);
                    if d.delete_option.eq_ignore_ascii_case("Delete") {
                        e.disks.remove(&k);
                    } else if let Some(disk) = e.disks.get_mut(&k) {
                        disk.managed_by = None;
                        disk.managed_by_extended
                            .retain(|m| !m.eq_ignore_ascii_case(&v.id));
                    }
                }
            }
        }
    }
}
