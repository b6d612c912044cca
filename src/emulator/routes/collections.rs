//! Restore point collections: list (all / by group), GET (`$expand=restorePoints`),
//! PUT (synchronous, 200/201), PATCH (tags only), DELETE (LRO that deletes the points).

use axum::http::{Method, StatusCode};
use serde_json::Value;
use uuid::Uuid;

use super::{norm_location, page, parse_tags, require_scope, scope_prefix, str_at};
use crate::emulator::errors::{ArmError, ArmResult};
use crate::emulator::lro;
use crate::emulator::render;
use crate::emulator::rules;
use crate::emulator::server::{Ctx, Reply, Req};
use crate::emulator::state::{Collection, Effect, key};

pub fn coll_key(sub: &str, rg: &str, name: &str) -> String {
    key(&format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/restorePointCollections/{name}"
    ))
}

pub fn list(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: Option<&str>) -> ArmResult<Reply> {
    require_scope(ctx, sub, rg)?;
    let prefix = scope_prefix(sub, rg);
    let items: Vec<&Collection> = ctx
        .estate
        .collections
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(_, c)| c)
        .collect();
    let e = &*ctx.estate;
    let now = ctx.now;
    let expand = req.expand_has("restorePoints");
    page(ctx, req, &items, |c| render::collection(e, c, expand, now))
}

pub fn collection(
    ctx: &mut Ctx<'_>,
    req: &Req,
    sub: &str,
    rg: &str,
    name: &str,
) -> ArmResult<Reply> {
    require_scope(ctx, sub, Some(rg))?;
    let k = coll_key(sub, rg, name);
    let not_found =
        || ArmError::resource_not_found("Microsoft.Compute/restorePointCollections", name, rg);
    match req.method {
        Method::GET => {
            let c = ctx.estate.collections.get(&k).ok_or_else(not_found)?;
            Ok(Reply::ok(render::collection(
                ctx.estate,
                c,
                req.expand_has("restorePoints"),
                ctx.now,
            )))
        }
        Method::PUT => put(ctx, req, sub, rg, name),
        Method::PATCH => {
            let body = req.json()?;
            let tags = parse_tags(&body)?;
            let c = ctx.estate.collections.get_mut(&k).ok_or_else(not_found)?;
            if let Some(src) = str_at(&body, &["properties", "source", "id"])
                && !src.eq_ignore_ascii_case(&c.source_id)
            {
                return Err(only_tags());
            }
            if let Some(t) = tags {
                c.tags = t;
            }
            let c = ctx.estate.collections.get(&k).ok_or_else(not_found)?;
            Ok(Reply::ok(render::collection(ctx.estate, c, false, ctx.now)))
        }
        Method::DELETE => {
            let now = ctx.now;
            let Some(c) = ctx.estate.collections.get_mut(&k) else {
                return Ok(Reply::empty(StatusCode::NO_CONTENT));
            };
            if c.points
                .iter()
                .any(|p| p.disks.iter().any(|d| d.sas_until.is_some_and(|t| t > now)))
            {
                return Err(ArmError::conflict(
                    "DiskRestorePointUsedByCustomer",
                    format!(
                        "A disk restore point in restore point collection '{name}' has an active SAS. Call EndGetAccess before deleting the restore point collection."
                    ),
                ));
            }
            c.provisioning = "Deleting".into();
            for p in &mut c.points {
                p.provisioning = "Deleting".into();
            }
            let secs = 20.0 + c.points.len() as f64;
            let loc = c.location.clone();
            let op = lro::start(
                ctx,
                sub,
                &loc,
                secs,
                Effect::DeleteCollection { collection: k },
                None,
            );
            Ok(lro::headers(ctx, Reply::empty(StatusCode::ACCEPTED), op))
        }
        _ => Err(ArmError::method_not_allowed()),
    }
}

fn only_tags() -> ArmError {
    ArmError::bad_request(
        "PropertyChangeNotAllowed",
        "When updating a restore point collection, only tags may be modified.",
    )
}

fn put(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    let body = req.json()?;
    super::resources::valid_name(name)?;
    let k = coll_key(sub, rg, name);
    let tags = parse_tags(&body)?;
    let location = str_at(&body, &["location"]).map(norm_location);
    let source = str_at(&body, &["properties", "source", "id"]).map(str::to_owned);
    let instant = match body.pointer("/properties/instantAccess") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            return Err(ArmError::bad_request(
                "InvalidParameter",
                "instantAccess must be a boolean.",
            )
            .with_target("properties.instantAccess"));
        }
    };
    if let Some(c) = ctx.estate.collections.get_mut(&k) {
        let changed = location.as_ref().is_some_and(|l| *l != c.location)
            || source
                .as_ref()
                .is_some_and(|s| !s.eq_ignore_ascii_case(&c.source_id))
            || instant.is_some_and(|i| i != c.instant_access);
        if changed {
            return Err(only_tags());
        }
        if let Some(t) = tags {
            c.tags = t;
        }
        let c = ctx
            .estate
            .collections
            .get(&k)
            .ok_or_else(|| ArmError::internal("collection vanished"))?;
        return Ok(Reply::ok(render::collection(ctx.estate, c, false, ctx.now)));
    }
    let location = location.ok_or_else(|| {
        ArmError::bad_request(
            "LocationRequired",
            "The location property is required for this definition.",
        )
    })?;
    let source = source.ok_or_else(|| {
        ArmError::bad_request(
            "InvalidParameter",
            "Required parameter 'source.id' is missing (null).",
        )
        .with_target("properties.source.id")
    })?;
    let source_key = key(&source);
    let (source_location, source_vm) = if let Some(vm) = ctx.estate.vms.get(&source_key) {
        (vm.location.clone(), Some(vm))
    } else if let Some(src) = ctx.estate.collections.get(&source_key) {
        // Cross-region copy target: source is the source region's collection.
        if src.location == location {
            return Err(ArmError::bad_request(
                "InvalidParameter",
                "A restore point collection that copies another collection must be in a different region.",
            )
            .with_target("location"));
        }
        (src.location.clone(), None)
    } else {
        return Err(ArmError::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("The source resource '{source}' was not found."),
        )
        .with_target("properties.source.id"));
    };
    if instant == Some(true) {
        rules::check_instant_access_collection(ctx.estate, &location, source_vm)?;
    }
    rules::check_collection_quota(ctx.estate, ctx.limits, sub, &location)?;
    let c = Collection {
        id: format!(
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/restorePointCollections/{name}"
        ),
        name: name.to_owned(),
        location,
        tags: tags.unwrap_or_default(),
        source_id: source,
        source_location,
        instant_access: instant.unwrap_or(false),
        uuid: Uuid::new_v4(),
        provisioning: "Succeeded".into(),
        points: Vec::new(),
    };
    let body = render::collection(ctx.estate, &c, false, ctx.now);
    ctx.estate.collections.insert(k, c);
    Ok(Reply::with(StatusCode::CREATED, body))
}
