//! Managed disks: list, get, PUT (Empty, Copy, FromImage, Restore from a disk restore
//! point), PATCH (tags, grow, SKU), delete, beginGetAccess / endGetAccess.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{norm_location, page, parse_tags, require_scope, scope_prefix, str_at};
use crate::emulator::background_copy::hydration_for;
use crate::emulator::clock::sas_time;
use crate::emulator::disk_rules::zone_required;
use crate::emulator::errors::{ArmError, ArmResult};
use crate::emulator::lro;
use crate::emulator::render;
use crate::emulator::restore_rules::restore_source;
use crate::emulator::server::{Ctx, Reply, Req};
use crate::emulator::state::{Disk, Effect, key};

pub const DISK_SKUS: &[&str] = &[
    "Standard_LRS",
    "Premium_LRS",
    "StandardSSD_LRS",
    "UltraSSD_LRS",
    "Premium_ZRS",
    "StandardSSD_ZRS",
    "PremiumV2_LRS",
];

pub fn disk_key(sub: &str, rg: &str, name: &str) -> String {
    key(&format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/disks/{name}"
    ))
}

pub fn list(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: Option<&str>) -> ArmResult<Reply> {
    require_scope(ctx, sub, rg)?;
    let prefix = scope_prefix(sub, rg);
    let disks: Vec<&Disk> = ctx
        .estate
        .disks
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(_, d)| d)
        .collect();
    let e = &*ctx.estate;
    let now = ctx.now;
    page(ctx, req, &disks, |d| render::disk(e, d, now))
}

pub fn disk(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    require_scope(ctx, sub, Some(rg))?;
    let k = disk_key(sub, rg, name);
    let not_found = || ArmError::resource_not_found("Microsoft.Compute/disks", name, rg);
    match req.method {
        Method::GET => {
            let d = ctx.estate.disks.get(&k).ok_or_else(not_found)?;
            Ok(Reply::ok(render::disk(ctx.estate, d, ctx.now)))
        }
        Method::PUT => put(ctx, req, sub, rg, name),
        Method::PATCH => {
            let body = req.json()?;
            patch(ctx, &body, &k, rg, name)?;
            let d = ctx.estate.disks.get(&k).ok_or_else(not_found)?;
            Ok(Reply::ok(render::disk(ctx.estate, d, ctx.now)))
        }
        Method::DELETE => {
            let Some(d) = ctx.estate.disks.get_mut(&k) else {
                return Ok(Reply::empty(StatusCode::NO_CONTENT));
            };
            if let Some(m) = &d.managed_by {
                return Err(ArmError::conflict(
                    "OperationNotAllowed",
                    format!("Disk {name} is attached to VM {m}."),
                ));
            }
            if d.sas_until.is_some_and(|t| t > ctx.now) {
                return Err(ArmError::conflict(
                    "OperationNotAllowed",
                    format!(
                        "Disk {name} has an active SAS URI. Call endGetAccess before deleting it."
                    ),
                ));
            }
            d.provisioning = "Deleting".into();
            let loc = d.location.clone();
            let op = lro::start(ctx, sub, &loc, 10.0, Effect::DeleteDisk { disk: k }, None);
            Ok(lro::headers(ctx, Reply::empty(StatusCode::ACCEPTED), op))
        }
        _ => Err(ArmError::method_not_allowed()),
    }
}

fn sku_of(body: &Value) -> ArmResult<Option<String>> {
    match str_at(body, &["sku", "name"]) {
        None => Ok(None),
        Some(s) => DISK_SKUS
            .iter()
            .find(|k| k.eq_ignore_ascii_case(s))
            .map(|k| Some((*k).to_owned()))
            .ok_or_else(|| {
                ArmError::bad_request(
                    "InvalidParameter",
                    format!("The value '{s}' of parameter 'sku.name' is not allowed. Allowed values are {}.", DISK_SKUS.join(", ")),
                )
                .with_target("sku.name")
            }),
    }
}

fn size_of(body: &Value) -> ArmResult<Option<i64>> {
    match body.pointer("/properties/diskSizeGB") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_i64() {
            Some(n) if (1..=65_536).contains(&n) => Ok(Some(n)),
            _ => Err(ArmError::bad_request(
                "InvalidParameter",
                "diskSizeGB must be an integer between 1 and 65536.",
            )
            .with_target("diskSizeGB")),
        },
    }
}

fn patch(ctx: &mut Ctx<'_>, body: &Value, k: &str, rg: &str, name: &str) -> ArmResult<()> {
    let tags = parse_tags(body)?;
    let sku = sku_of(body)?;
    let size = size_of(body)?;
    let running = {
        let d = ctx
            .estate
            .disks
            .get(k)
            .ok_or_else(|| ArmError::resource_not_found("Microsoft.Compute/disks", name, rg))?;
        d.managed_by
            .as_ref()
            .and_then(|m| ctx.estate.vms.get(&key(m)))
            .is_some_and(|v| v.power != "deallocated")
    };
    let Some(d) = ctx.estate.disks.get_mut(k) else {
        return Err(ArmError::resource_not_found(
            "Microsoft.Compute/disks",
            name,
            rg,
        ));
    };
    if let Some(s) = size {
        if s < d.size_gb {
            return Err(ArmError::bad_request(
                "BadRequest",
                format!(
                    "Disk size can only be increased: '{name}' is {} GB, requested {s} GB.",
                    d.size_gb
                ),
            ));
        }
        if s != d.size_gb && running {
            return Err(ArmError::conflict(
                "OperationNotAllowed",
                format!(
                    "Disk '{name}' is attached to a running VM. Resizes are only allowed if the disk is not attached to a running VM."
                ),
            ));
        }
        d.size_gb = s;
    }
    if let Some(s) = sku {
        if s != d.sku && running {
            return Err(ArmError::conflict(
                "OperationNotAllowed",
                format!("Changing the SKU of disk '{name}' requires the VM to be deallocated."),
            ));
        }
        d.sku = s;
    }
    if let Some(t) = tags {
        d.tags = t;
    }
    Ok(())
}

fn put(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    let body = req.json()?;
    super::resources::valid_name(name)?;
    let k = disk_key(sub, rg, name);
    if ctx.estate.disks.contains_key(&k) {
        patch(ctx, &body, &k, rg, name)?;
        let d = ctx
            .estate
            .disks
            .get(&k)
            .ok_or_else(|| ArmError::internal("disk vanished"))?;
        return Ok(Reply::ok(render::disk(ctx.estate, d, ctx.now)));
    }
    let location = str_at(&body, &["location"])
        .map(norm_location)
        .ok_or_else(|| {
            ArmError::bad_request(
                "LocationRequired",
                "The location property is required for this definition.",
            )
        })?;
    let option =
        str_at(&body, &["properties", "creationData", "createOption"]).ok_or_else(|| {
            ArmError::bad_request(
                "InvalidParameter",
                "Required parameter 'creationData.createOption' is missing (null).",
            )
            .with_target("creationData.createOption")
        })?;
    let source =
        str_at(&body, &["properties", "creationData", "sourceResourceId"]).map(str::to_owned);
    let mut sku = sku_of(&body)?;
    let mut size = size_of(&body)?;
    let mut os_type = str_at(&body, &["properties", "osType"]).map(str::to_owned);
    let mut hyperv = str_at(&body, &["properties", "hyperVGeneration"]).map(str::to_owned);
    let mut source_unique = None;
    let mut security =
        str_at(&body, &["properties", "securityProfile", "securityType"]).map(str::to_owned);
    let mut duration = 20.0;
    let create_option = match option.to_ascii_lowercase().as_str() {
        "empty" => {
            if size.is_none() {
                return Err(ArmError::bad_request(
                    "InvalidParameter",
                    "Required parameter 'diskSizeGB' is missing (null).",
                )
                .with_target("diskSizeGB"));
            }
            "Empty"
        }
        "restore" => {
            let src = source.as_deref().ok_or_else(|| {
                ArmError::bad_request(
                    "InvalidParameter",
                    "Required parameter 'creationData.sourceResourceId' is missing (null).",
                )
                .with_target("creationData.sourceResourceId")
            })?;
            let info = restore_source(ctx, src, &location)?;
            let chosen = sku.unwrap_or_else(|| info.sku.clone());
            size = Some(info.target_size(&chosen, size, "sku.name")?);
            sku = Some(chosen);
            os_type = os_type.or(info.os_type);
            hyperv = hyperv.or(Some(info.hyperv));
            security = security.or(info.security);
            source_unique = Some(info.unique);
            // Hydration time grows with size; instant access restores start at once.
            duration = if info.instant {
                5.0
            } else {
                30.0 + info.size_gb as f64 / 16.0
            };
            "Restore"
        }
        "copy" => {
            let src = source.as_deref().ok_or_else(|| {
                ArmError::bad_request(
                    "InvalidParameter",
                    "Required parameter 'creationData.sourceResourceId' is missing (null).",
                )
            })?;
            let d = ctx.estate.disks.get(&key(src)).ok_or_else(|| {
                ArmError::new(
                    StatusCode::NOT_FOUND,
                    "NotFound",
                    format!("Source resource '{src}' was not found."),
                )
            })?;
            sku = sku.or(Some(d.sku.clone()));
            size = Some(size.unwrap_or(d.size_gb).max(d.size_gb));
            os_type = os_type.or(d.os_type.clone());
            hyperv = hyperv.or(d.hyperv_gen.clone());
            source_unique = Some(d.unique_id.to_string());
            duration = 20.0 + d.size_gb as f64 / 32.0;
            "Copy"
        }
        "fromimage" => {
            if str_at(
                &body,
                &["properties", "creationData", "imageReference", "id"],
            )
            .is_none()
            {
                return Err(ArmError::bad_request(
                    "InvalidParameter",
                    "Required parameter 'creationData.imageReference' is missing (null).",
                ));
            }
            size = size.or(Some(127));
            "FromImage"
        }
        _ => {
            return Err(ArmError::bad_request(
                "InvalidParameter",
                format!("The value '{}' of parameter 'creationData.createOption' is not supported by the emulator. Supported: Empty, Copy, FromImage, Restore.", option.chars().take(40).collect::<String>()),
            )
            .with_target("creationData.createOption"));
        }
    };
    let sku = sku.unwrap_or_else(|| "Standard_LRS".into());
    let size_gb = size.unwrap_or(32);
    let max_shares = body
        .pointer("/properties/maxShares")
        .and_then(Value::as_i64);
    let zones: Vec<String> = body
        .get("zones")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|z| z.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    zone_required(&sku, &location, &zones)?;
    let des =
        str_at(&body, &["properties", "encryption", "diskEncryptionSetId"]).map(str::to_owned);
    // A disk encryption set without a type means customer-managed keys, as in Azure.
    let encryption_type = str_at(&body, &["properties", "encryption", "type"])
        .map(str::to_owned)
        .unwrap_or_else(|| {
            if des.is_some() {
                "EncryptionAtRestWithCustomerKey".into()
            } else {
                "EncryptionAtRestWithPlatformKey".into()
            }
        });
    let hydration = if create_option == "Restore" {
        hydration_for(&sku, size_gb, ctx.now + duration)
    } else {
        None
    };
    let disk = Disk {
        id: format!(
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/disks/{name}"
        ),
        name: name.to_owned(),
        location: location.clone(),
        tags: parse_tags(&body)?.unwrap_or_default(),
        zones,
        sku: sku.clone(),
        size_gb,
        os_type,
        hyperv_gen: hyperv,
        create_option: create_option.into(),
        source_resource_id: source,
        source_unique_id: source_unique,
        image_reference_id: str_at(
            &body,
            &["properties", "creationData", "imageReference", "id"],
        )
        .map(str::to_owned),
        managed_by: None,
        managed_by_extended: Vec::new(),
        max_shares,
        encryption_type,
        disk_encryption_set: des,
        security_type: security,
        unique_id: Uuid::new_v4(),
        time_created: ctx.now,
        provisioning: "Updating".into(),
        iops: body
            .pointer("/properties/diskIOPSReadWrite")
            .and_then(Value::as_i64),
        mbps: body
            .pointer("/properties/diskMBpsReadWrite")
            .and_then(Value::as_i64),
        network_access_policy: "AllowAll".into(),
        public_network_access: "Enabled".into(),
        sas_until: None,
        hydration,
    };
    ctx.estate.disks.insert(k.clone(), disk);
    let op = lro::start(
        ctx,
        sub,
        &location,
        duration,
        Effect::DiskReady { disk: k.clone() },
        None,
    );
    let d = ctx
        .estate
        .disks
        .get(&k)
        .ok_or_else(|| ArmError::internal("disk vanished"))?;
    let reply = Reply::with(StatusCode::ACCEPTED, render::disk(ctx.estate, d, ctx.now));
    Ok(lro::headers(ctx, reply, op))
}

pub fn action(
    ctx: &mut Ctx<'_>,
    req: &Req,
    sub: &str,
    rg: &str,
    name: &str,
    action: &str,
) -> ArmResult<Reply> {
    if req.method != Method::POST {
        return Err(ArmError::method_not_allowed());
    }
    require_scope(ctx, sub, Some(rg))?;
    let k = disk_key(sub, rg, name);
    let running = ctx
        .estate
        .disks
        .get(&k)
        .and_then(|d| d.managed_by.as_ref())
        .and_then(|m| ctx.estate.vms.get(&key(m)))
        .is_some_and(|v| v.power != "deallocated");
    let Some(d) = ctx.estate.disks.get_mut(&k) else {
        return Err(ArmError::resource_not_found(
            "Microsoft.Compute/disks",
            name,
            rg,
        ));
    };
    let loc = d.location.clone();
    match action {
        "begingetaccess" => {
            let body = req.json()?;
            let secs = grant_duration(&body)?;
            if running {
                return Err(ArmError::conflict(
                    "OperationNotAllowed",
                    format!(
                        "Disk '{name}' is attached to a running VM. Deallocate the VM before exporting the disk."
                    ),
                ));
            }
            d.sas_until = Some(ctx.now + secs as f64);
            let sas = sas_url(&d.name, ctx.now, secs);
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
            d.sas_until = None;
            let op = lro::start(ctx, sub, &loc, 2.0, Effect::None, None);
            Ok(lro::headers(ctx, Reply::empty(StatusCode::ACCEPTED), op))
        }
        _ => Err(ArmError::no_route(&req.path)),
    }
}

/// Validates a `GrantAccessData` body and returns its duration in seconds.
pub fn grant_duration(body: &Value) -> ArmResult<i64> {
    let access = str_at(body, &["access"]).ok_or_else(|| {
        ArmError::bad_request(
            "InvalidParameter",
            "Required parameter 'access' is missing (null).",
        )
        .with_target("access")
    })?;
    if !["read", "write", "none"].contains(&access.to_ascii_lowercase().as_str()) {
        return Err(ArmError::bad_request(
            "InvalidParameter",
            "The value of parameter 'access' must be None, Read or Write.",
        )
        .with_target("access"));
    }
    match body.get("durationInSeconds").and_then(Value::as_i64) {
        Some(s) if (1..=5_184_000).contains(&s) => Ok(s),
        _ => Err(ArmError::bad_request(
            "InvalidParameter",
            "Required parameter 'durationInSeconds' must be an integer between 1 and 5184000.",
        )
        .with_target("durationInSeconds")),
    }
}

pub fn sas_url(name: &str, now: f64, secs: i64) -> String {
    let blob: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    format!(
        "https://md-{blob}.z1.blob.storage.azure.net/{}/abcd?sv=2018-03-28&sr=b&si=emulator&sig=EMULATOR&st={}&se={}&sp=r",
        Uuid::new_v4().simple(),
        sas_time(now),
        sas_time(now + secs as f64)
    )
}
