//! Restore points (GET with `$expand=instanceView`, create-only PUT as an LRO including
//! cross-region copies via `sourceRestorePoint`, DELETE as an LRO) and disk restore points
//! (list, get, beginGetAccess / endGetAccess).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use super::collections::coll_key;
use super::{page, require_scope, str_at};
use crate::emulator::background_copy::region_copy_secs;
use crate::emulator::errors::{ArmError, ArmResult};
use crate::emulator::lro;
use crate::emulator::render;
use crate::emulator::rules;
use crate::emulator::server::{Ctx, Reply, Req};
use crate::emulator::state::{
    Collection, CopyInfo, DiskPoint, Effect, PLATFORM_KEY, Point, PointEncryption, SnapDisk, key,
};

fn find_coll<'a>(ctx: &'a Ctx<'_>, sub: &str, rg: &str, rpc: &str) -> ArmResult<&'a Collection> {
    require_scope(ctx, sub, Some(rg))?;
    ctx.estate
        .collections
        .get(&coll_key(sub, rg, rpc))
        .ok_or_else(|| {
            ArmError::resource_not_found("Microsoft.Compute/restorePointCollections", rpc, rg)
        })
}

fn point_not_found(rpc: &str, rp: &str, rg: &str) -> ArmError {
    ArmError::resource_not_found(
        "Microsoft.Compute/restorePointCollections/restorePoints",
        &format!("{rpc}/{rp}"),
        rg,
    )
}

pub fn point(
    ctx: &mut Ctx<'_>,
    req: &Req,
    sub: &str,
    rg: &str,
    rpc: &str,
    rp: &str,
) -> ArmResult<Reply> {
    match req.method {
        Method::GET => {
            let c = find_coll(ctx, sub, rg, rpc)?;
            let p = c.point(rp).ok_or_else(|| point_not_found(rpc, rp, rg))?;
            Ok(Reply::ok(render::point(
                ctx.estate,
                c,
                p,
                req.expand_has("instanceView"),
                ctx.now,
            )))
        }
        Method::PUT => create(ctx, req, sub, rg, rpc, rp),
        Method::DELETE => delete(ctx, sub, rg, rpc, rp),
        _ => Err(ArmError::method_not_allowed()),
    }
}

fn delete(ctx: &mut Ctx<'_>, sub: &str, rg: &str, rpc: &str, rp: &str) -> ArmResult<Reply> {
    find_coll(ctx, sub, rg, rpc)?;
    let ck = coll_key(sub, rg, rpc);
    let now = ctx.now;
    let Some(c) = ctx.estate.collections.get_mut(&ck) else {
        return Ok(Reply::empty(StatusCode::NO_CONTENT));
    };
    let loc = c.location.clone();
    let Some(p) = c.point_mut(rp) else {
        return Ok(Reply::empty(StatusCode::NO_CONTENT));
    };
    if p.disks.iter().any(|d| d.sas_until.is_some_and(|t| t > now)) {
        return Err(ArmError::conflict(
            "DiskRestorePointUsedByCustomer",
            format!(
                "Restore point '{rp}' has a disk restore point with an active SAS (access granted by beginGetAccess). Call EndGetAccess before deleting the restore point."
            ),
        ));
    }
    if p.provisioning == "Creating" {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!("Restore point '{rp}' is still being created and cannot be deleted yet."),
        ));
    }
    if p.provisioning == "Deleting" {
        return Ok(Reply::empty(StatusCode::ACCEPTED));
    }
    p.provisioning = "Deleting".into();
    let name = p.name.clone();
    let op = lro::start(
        ctx,
        sub,
        &loc,
        10.0,
        Effect::DeletePoint {
            collection: ck,
            point: name,
        },
        None,
    );
    Ok(lro::headers(ctx, Reply::empty(StatusCode::ACCEPTED), op))
}

fn create(
    ctx: &mut Ctx<'_>,
    req: &Req,
    sub: &str,
    rg: &str,
    rpc: &str,
    rp: &str,
) -> ArmResult<Reply> {
    let body = req.json()?;
    super::resources::valid_name(rp)?;
    let c = find_coll(ctx, sub, rg, rpc)?;
    if c.point(rp).is_some() {
        return Err(ArmError::conflict(
            "Conflict",
            format!(
                "Restore point '{rp}' already exists. Updating properties of an existing restore point is not allowed."
            ),
        ));
    }
    if c.provisioning == "Deleting" {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!("Restore point collection '{rpc}' is being deleted."),
        ));
    }
    let props = body.get("properties").cloned().unwrap_or(Value::Null);
    if let Some(src) = str_at(&props, &["sourceRestorePoint", "id"]) {
        let src = src.to_owned();
        return copy(ctx, sub, rg, rpc, rp, &src);
    }
    let mode = rules::consistency(str_at(&props, &["consistencyMode"]))?;
    let exclude = parse_exclude(&props)?;
    let encryption = parse_encryption(&props)?;
    let minutes = match props.get("instantAccessDurationMinutes") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_i64().ok_or_else(|| {
            ArmError::bad_request(
                "InvalidParameter",
                "instantAccessDurationMinutes must be an integer.",
            )
            .with_target("properties.instantAccessDurationMinutes")
        })?),
    };
    let ck = coll_key(sub, rg, rpc);
    let (vm_key, vm_location) = {
        let c = find_coll(ctx, sub, rg, rpc)?;
        let vm = rules::source_vm(ctx.estate, c)?;
        (key(&vm.id), vm.location.clone())
    };
    // Every attempt that reaches a VM counts against its 3-per-hour budget for the mode,
    // like Azure's throttle, which meters requests rather than successes.
    if let Err(wait) = rules::take_put_slot(
        ctx.estate,
        &rules::put_budget(&vm_key, mode),
        ctx.now,
        ctx.limits.puts_per_vm_per_hour,
    ) {
        let what = if mode == rules::CRASH {
            "crash-consistent restore point PUT requests per hour are allowed per VirtualMachine"
        } else {
            "application-consistent restore point PUT requests per hour are allowed per VirtualMachine"
        };
        let limit = ctx.limits.puts_per_vm_per_hour;
        return Err(put_throttled(ctx, wait, "VirtualMachine", limit, what));
    }
    let (c, vm) = {
        let c = find_coll(ctx, sub, rg, rpc)?;
        let vm = rules::source_vm(ctx.estate, c)?;
        (c, vm)
    };
    rules::check_vm_kind(vm)?;
    rules::check_not_concurrent(ctx.estate, vm)?;
    rules::check_running_for_app_consistency(vm, mode)?;
    rules::check_guest_for_app_consistency(vm, mode)?;
    for x in &exclude {
        let known = vm
            .all_disks()
            .any(|d| rules::is_excluded(std::slice::from_ref(x), d.disk_id.as_deref(), &d.name));
        if !known {
            return Err(ArmError::bad_request(
                "InvalidParameter",
                format!(
                    "Disk '{x}' in excludeDisks is not attached to VM '{}'.",
                    vm.name
                ),
            )
            .with_target("properties.excludeDisks"));
        }
    }
    rules::check_disks(ctx.estate, vm, mode, &exclude)?;
    rules::check_point_count(ctx.estate, ctx.limits, vm)?;
    rules::check_frequency(ctx.estate, ctx.limits, vm, mode, ctx.now)?;
    let ia = rules::instant_access_for_point(ctx.estate, c, vm, mode, minutes, &exclude)?;
    if ia.is_some() {
        rules::check_instant_access_concurrency(ctx.estate, ctx.limits, sub, &c.location)?;
    }
    let coll_uuid = c.uuid;
    // Seed 001: customer-managed key points "created directly in the target region are
    // created as platform-managed key encrypted restore points".
    let cross_region = c.location != vm_location;
    let snapshot = ctx
        .estate
        .snapshot_of(&vm_key)
        .ok_or_else(|| ArmError::internal("the source VM disappeared"))?;
    let snap = ctx
        .estate
        .snapshots
        .get(snapshot)
        .ok_or_else(|| ArmError::internal("snapshot missing"))?;
    let disks: Vec<DiskPoint> = snap
        .disks
        .iter()
        .enumerate()
        .filter(|(_, d)| !rules::is_excluded(&exclude, Some(&d.disk_id), &d.name))
        .map(|(i, d)| DiskPoint {
            disk: i,
            uid: Uuid::new_v4(),
            family_id: Uuid::from_u128(coll_uuid.as_u128() ^ d.source_unique_id.as_u128()),
            sas_until: None,
            source_drp: None,
            encryption: encryption
                .iter()
                .find(|(slot, _)| slot.names(d))
                .filter(|_| !cross_region)
                .map(|(_, e)| Box::new(e.clone())),
        })
        .collect();
    let secs = 15.0 + 4.0 * disks.len() as f64 + if mode == rules::CRASH { 0.0 } else { 10.0 };
    let point = Point {
        name: rp.to_owned(),
        consistency: mode.to_owned(),
        exclude,
        instant_access_minutes: ia,
        created: ctx.now,
        ready_at: ctx.now + secs,
        provisioning: "Creating".into(),
        snapshot,
        disks,
        copy: None,
        failure: None,
    };
    finish_create(ctx, sub, &ck, &vm_location, point, secs)
}

fn finish_create(
    ctx: &mut Ctx<'_>,
    sub: &str,
    ck: &str,
    location: &str,
    point: Point,
    secs: f64,
) -> ArmResult<Reply> {
    let name = point.name.clone();
    let c = ctx
        .estate
        .collections
        .get_mut(ck)
        .ok_or_else(|| ArmError::internal("collection vanished"))?;
    c.points.push(point);
    let op = lro::start(
        ctx,
        sub,
        location,
        secs,
        Effect::PointReady {
            collection: ck.to_owned(),
            point: name.clone(),
        },
        None,
    );
    let c = ctx
        .estate
        .collections
        .get(ck)
        .ok_or_else(|| ArmError::internal("collection vanished"))?;
    let p = c
        .point(&name)
        .ok_or_else(|| ArmError::internal("point vanished"))?;
    let body = render::point(ctx.estate, c, p, false, ctx.now);
    Ok(lro::headers(
        ctx,
        Reply::with(StatusCode::CREATED, body),
        op,
    ))
}

fn put_throttled(
    ctx: &Ctx<'_>,
    wait_virtual: f64,
    scope: &str,
    limit: usize,
    what: &str,
) -> ArmError {
    let secs = ctx.clock.real_wait(wait_virtual);
    crate::emulator::server::throttled_error("RestorePointOperationPut1Hour", secs).with_detail(
        json!({
            "code": "TooManyRequests",
            "target": scope,
            "message": format!("At most {limit} {what}.")
        }),
    )
}

/// The disk a `diskRestorePoint.encryption` of the create request is for.
enum DiskSlot {
    Os,
    /// A data disk, by LUN or by managed disk id.
    Data(Option<i64>, Option<String>),
}

impl DiskSlot {
    fn names(&self, d: &SnapDisk) -> bool {
        match self {
            DiskSlot::Os => d.lun.is_none(),
            DiskSlot::Data(lun, id) => {
                d.lun.is_some()
                    && (lun.is_some_and(|l| d.lun == Some(l))
                        || id
                            .as_ref()
                            .is_some_and(|i| i.eq_ignore_ascii_case(&d.disk_id)))
            }
        }
    }
}

/// Per-disk encryption of the create request:
/// `sourceMetadata.storageProfile.{osDisk|dataDisks[]}.diskRestorePoint.encryption`.
/// Platform-managed keys are what a point gets anyway, so only customer keys are kept.
fn parse_encryption(props: &Value) -> ArmResult<Vec<(DiskSlot, PointEncryption)>> {
    let invalid = |m: String| {
        ArmError::bad_request("InvalidParameter", m)
            .with_target("properties.sourceMetadata.storageProfile")
    };
    let Some(sp) = props.pointer("/sourceMetadata/storageProfile") else {
        return Ok(Vec::new());
    };
    let data = sp.get("dataDisks").and_then(Value::as_array);
    let disks = sp
        .get("osDisk")
        .map(|d| (DiskSlot::Os, d))
        .into_iter()
        .chain(data.into_iter().flatten().map(|d| {
            let lun = d.get("lun").and_then(Value::as_i64);
            let id = str_at(d, &["managedDisk", "id"]).map(str::to_owned);
            (DiskSlot::Data(lun, id), d)
        }));
    let mut out = Vec::new();
    for (slot, d) in disks {
        let Some(enc) = d.pointer("/diskRestorePoint/encryption") else {
            continue;
        };
        let des = str_at(enc, &["diskEncryptionSet", "id"]).map(str::to_owned);
        let kind = str_at(enc, &["type"]).map(str::to_owned);
        match (kind.as_deref(), des) {
            (Some(PLATFORM_KEY) | None, None) => {}
            (
                Some(
                    k @ ("EncryptionAtRestWithCustomerKey"
                    | "EncryptionAtRestWithPlatformAndCustomerKeys"),
                ),
                Some(des),
            ) => out.push((
                slot,
                PointEncryption {
                    kind: k.to_owned(),
                    disk_encryption_set: des,
                },
            )),
            // A disk encryption set without a type means customer-managed keys.
            (None, Some(des)) => out.push((
                slot,
                PointEncryption {
                    kind: "EncryptionAtRestWithCustomerKey".to_owned(),
                    disk_encryption_set: des,
                },
            )),
            (Some(k), _) => {
                return Err(invalid(format!(
                    "Encryption type '{}' of a disk restore point is not valid with{} a disk encryption set. Allowed values are EncryptionAtRestWithPlatformKey, EncryptionAtRestWithCustomerKey, EncryptionAtRestWithPlatformAndCustomerKeys.",
                    k.chars().take(60).collect::<String>(),
                    if str_at(enc, &["diskEncryptionSet", "id"]).is_some() {
                        ""
                    } else {
                        "out"
                    }
                )));
            }
        }
    }
    Ok(out)
}

fn parse_exclude(props: &Value) -> ArmResult<Vec<String>> {
    match props.get("excludeDisks") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                str_at(i, &["id"]).map(str::to_owned).ok_or_else(|| {
                    ArmError::bad_request(
                        "InvalidParameter",
                        "Each excludeDisks entry needs an 'id'.",
                    )
                    .with_target("properties.excludeDisks")
                })
            })
            .collect(),
        Some(_) => Err(
            ArmError::bad_request("InvalidParameter", "excludeDisks must be an array.")
                .with_target("properties.excludeDisks"),
        ),
    }
}

/// Cross-region copy: the target collection's `source.id` is the source collection.
fn copy(
    ctx: &mut Ctx<'_>,
    sub: &str,
    rg: &str,
    rpc: &str,
    rp: &str,
    src: &str,
) -> ArmResult<Reply> {
    let lower = key(src);
    let not_found = || {
        ArmError::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("The source restore point '{src}' was not found."),
        )
        .with_target("properties.sourceRestorePoint.id")
    };
    let (src_ck, src_name) = lower.rsplit_once("/restorepoints/").ok_or_else(not_found)?;
    let ck = coll_key(sub, rg, rpc);
    let (target_loc, target_source) = {
        let c = find_coll(ctx, sub, rg, rpc)?;
        (c.location.clone(), c.source_id.clone())
    };
    let src_c = ctx.estate.collections.get(src_ck).ok_or_else(not_found)?;
    let src_p = src_c.point(src_name).ok_or_else(not_found)?;
    if !target_source.eq_ignore_ascii_case(&src_c.id) {
        return Err(ArmError::bad_request(
            "InvalidParameter",
            format!("Restore point collection '{rpc}' copies '{target_source}', not '{}'. Create the target collection with source.id set to the source restore point collection.", src_c.id),
        )
        .with_target("properties.sourceRestorePoint.id"));
    }
    if src_c.location == target_loc {
        return Err(ArmError::bad_request(
            "InvalidParameter",
            "A restore point can only be copied to a collection in another region.",
        ));
    }
    if src_p.provisioning != "Succeeded" {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!(
                "Source restore point '{}' is '{}'; only succeeded restore points can be copied.",
                src_p.name, src_p.provisioning
            ),
        ));
    }
    check_copyable(ctx, src_c, src_p)?;
    if let Err(wait) = rules::take_put_slot(
        ctx.estate,
        &ck,
        ctx.now,
        ctx.limits.copies_per_target_collection_per_hour,
    ) {
        return Err(put_throttled(
            ctx,
            wait,
            "RestorePointCollection",
            ctx.limits.copies_per_target_collection_per_hour,
            "restore point copy PUT requests per hour are allowed per target RestorePointCollection",
        ));
    }
    let src_c = ctx.estate.collections.get(src_ck).ok_or_else(not_found)?;
    let src_p = src_c.point(src_name).ok_or_else(not_found)?;
    let mut snap = ctx
        .estate
        .snapshots
        .get(src_p.snapshot)
        .cloned()
        .ok_or_else(not_found)?;
    snap.location = target_loc.clone();
    // Each disk restore point copies on its own; the point is done with its largest.
    let secs = src_p
        .disks
        .iter()
        .filter_map(|d| snap.disks.get(d.disk).map(|x| region_copy_secs(x.size_gb)))
        .fold(region_copy_secs(0), f64::max);
    // A copy that fails (an injected `failLro`) stops part-way, as a replication error
    // would, and keeps the percentages it reached.
    let ends_after = if ctx.fail_lro.is_some() {
        secs * FAILED_COPY_STOPS_AT
    } else {
        secs
    };
    if let Some(f) = ctx.fail_lro.as_mut() {
        f.message = format!(
            "Replication of restore point '{}' to region '{target_loc}' failed. (injected fault)",
            src_p.name
        );
    }
    let disks: Vec<DiskPoint> = src_p
        .disks
        .iter()
        .map(|d| DiskPoint {
            disk: d.disk,
            uid: Uuid::new_v4(),
            family_id: d.family_id,
            sas_until: None,
            source_drp: Some(render::drp_id(ctx.estate, src_c, src_p, d)),
            // Seed 000: "CMK-encrypted restore points are copied as PMK-encrypted".
            encryption: None,
        })
        .collect();
    let point = Point {
        name: rp.to_owned(),
        consistency: src_p.consistency.clone(),
        exclude: src_p.exclude.clone(),
        instant_access_minutes: None,
        created: ctx.now,
        ready_at: ctx.now + ends_after,
        provisioning: "Creating".into(),
        snapshot: 0,
        disks,
        copy: Some(Box::new(CopyInfo {
            source_point_id: format!("{}/restorePoints/{}", src_c.id, src_p.name),
            source_location: src_c.location.clone(),
            started: ctx.now,
            duration: secs,
        })),
        failure: None,
    };
    ctx.estate.snapshots.push(snap);
    let point = Point {
        snapshot: ctx.estate.snapshots.len() - 1,
        ..point
    };
    finish_create(ctx, sub, &ck, &target_loc, point, ends_after)
}

/// How far (a fraction of its duration) a copy that fails gets before it stops.
const FAILED_COPY_STOPS_AT: f64 = 0.4;

/// A copy needs disk restore points whose snapshots can be copied: the Compute REST API's
/// `SnapshotAccessState` says a `Pending` one "cannot be used for restore, copy or
/// download to offline" and an `InstantAccess` one "can be used for restoring disks with
/// fast performance but cannot be copied or downloaded".
fn check_copyable(ctx: &Ctx<'_>, src_c: &Collection, src_p: &Point) -> ArmResult<()> {
    for dp in &src_p.disks {
        let state = render::access_state(ctx.estate, src_p, dp, ctx.now);
        if matches!(state, "Pending" | "InstantAccess" | "Unknown") {
            let drp = render::drp_id(ctx.estate, src_c, src_p, dp);
            let name = drp.rsplit('/').next().unwrap_or_default().to_owned();
            return Err(ArmError::conflict(
                "OperationNotAllowed",
                format!(
                    "Disk restore point '{name}' of restore point '{}' has snapshotAccessState '{state}' and cannot be copied to another region yet.",
                    src_p.name
                ),
            )
            .with_target("properties.sourceRestorePoint.id"));
        }
    }
    Ok(())
}

pub fn list_disk_points(
    ctx: &mut Ctx<'_>,
    req: &Req,
    sub: &str,
    rg: &str,
    rpc: &str,
    rp: &str,
) -> ArmResult<Reply> {
    let c = find_coll(ctx, sub, rg, rpc)?;
    let p = c.point(rp).ok_or_else(|| point_not_found(rpc, rp, rg))?;
    let e = &*ctx.estate;
    let now = ctx.now;
    let items: Vec<&DiskPoint> = p.disks.iter().collect();
    page(ctx, req, &items, |d| render::disk_point(e, c, p, d, now))
}

fn drp_not_found(drp: &str, rg: &str) -> ArmError {
    ArmError::resource_not_found(
        "Microsoft.Compute/restorePointCollections/restorePoints/diskRestorePoints",
        drp,
        rg,
    )
}

pub fn get_disk_point(
    ctx: &mut Ctx<'_>,
    sub: &str,
    rg: &str,
    rpc: &str,
    rp: &str,
    drp: &str,
) -> ArmResult<Reply> {
    let c = find_coll(ctx, sub, rg, rpc)?;
    let p = c.point(rp).ok_or_else(|| point_not_found(rpc, rp, rg))?;
    let id = format!("{}/restorePoints/{rp}/diskRestorePoints/{drp}", c.id);
    let (_, _, di) = ctx
        .estate
        .find_disk_point(&id)
        .ok_or_else(|| drp_not_found(drp, rg))?;
    let d = p.disks.get(di).ok_or_else(|| drp_not_found(drp, rg))?;
    Ok(Reply::ok(render::disk_point(ctx.estate, c, p, d, ctx.now)))
}

#[allow(clippy::too_many_arguments)]
pub fn disk_point_action(
    ctx: &mut Ctx<'_>,
    req: &Req,
    sub: &str,
    rg: &str,
    rpc: &str,
    rp: &str,
    drp: &str,
    action: &str,
) -> ArmResult<Reply> {
    if req.method != Method::POST {
        return Err(ArmError::method_not_allowed());
    }
    let c = find_coll(ctx, sub, rg, rpc)?;
    let p = c.point(rp).ok_or_else(|| point_not_found(rpc, rp, rg))?;
    let id = format!("{}/restorePoints/{rp}/diskRestorePoints/{drp}", c.id);
    let (ck, pi, di) = ctx
        .estate
        .find_disk_point(&id)
        .ok_or_else(|| drp_not_found(drp, rg))?;
    let dp = p.disks.get(di).ok_or_else(|| drp_not_found(drp, rg))?;
    let state = render::access_state(ctx.estate, p, dp, ctx.now);
    let loc = c.location.clone();
    let now = ctx.now;
    match action {
        "begingetaccess" => {
            let body = req.json()?;
            let secs = super::disks::grant_duration(&body)?;
            if state == "Pending" || state == "Unknown" || state == "InstantAccess" {
                return Err(ArmError::conflict(
                    "OperationNotAllowed",
                    format!(
                        "Disk restore point '{drp}' cannot be downloaded while its snapshotAccessState is '{state}'."
                    ),
                ));
            }
            let sas = super::disks::sas_url(drp, now, secs);
            if let Some(d) = ctx
                .estate
                .collections
                .get_mut(&ck)
                .and_then(|c| c.points.get_mut(pi))
                .and_then(|p| p.disks.get_mut(di))
            {
                d.sas_until = Some(now + secs as f64);
            }
            let op = lro::start(
                ctx,
                sub,
                &loc,
                3.0,
                Effect::None,
                Some(json!({ "accessSAS": sas })),
            );
            Ok(lro::headers(ctx, Reply::empty(StatusCode::ACCEPTED), op))
        }
        "endgetaccess" => {
            if let Some(d) = ctx
                .estate
                .collections
                .get_mut(&ck)
                .and_then(|c| c.points.get_mut(pi))
                .and_then(|p| p.disks.get_mut(di))
            {
                d.sas_until = None;
            }
            let op = lro::start(ctx, sub, &loc, 2.0, Effect::None, None);
            Ok(lro::headers(ctx, Reply::empty(StatusCode::ACCEPTED), op))
        }
        _ => Err(ArmError::no_route(&req.path)),
    }
}
