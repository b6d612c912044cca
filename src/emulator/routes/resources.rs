//! Subscriptions and resource groups.

use axum::http::{Method, StatusCode};

use super::{page, parse_tags, require_scope};
use crate::emulator::errors::{ArmError, ArmResult};
use crate::emulator::render;
use crate::emulator::server::{Ctx, Reply, Req};
use crate::emulator::state::{Estate, ResourceGroup};

pub fn list_subscriptions(ctx: &mut Ctx<'_>, req: &Req) -> ArmResult<Reply> {
    let subs: Vec<_> = ctx.estate.subscriptions.values().collect();
    page(ctx, req, &subs, |s| render::subscription(s))
}

pub fn get_subscription(ctx: &mut Ctx<'_>, sub: &str) -> ArmResult<Reply> {
    let s = ctx
        .estate
        .subscriptions
        .get(&sub.to_ascii_lowercase())
        .ok_or_else(|| ArmError::subscription_not_found(sub))?;
    Ok(Reply::ok(render::subscription(s)))
}

pub fn list_groups(ctx: &mut Ctx<'_>, req: &Req, sub: &str) -> ArmResult<Reply> {
    require_scope(ctx, sub, None)?;
    let prefix = super::scope_prefix(sub, None);
    let groups: Vec<_> = ctx
        .estate
        .groups
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(_, g)| g)
        .collect();
    page(ctx, req, &groups, |g| render::group(g))
}

pub fn group(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: &str) -> ArmResult<Reply> {
    require_scope(ctx, sub, None)?;
    let k = Estate::rg_key(sub, rg);
    match req.method {
        Method::GET => {
            let g = ctx
                .estate
                .groups
                .get(&k)
                .ok_or_else(|| ArmError::group_not_found(rg))?;
            Ok(Reply::ok(render::group(g)))
        }
        Method::PUT => {
            let body = req.json()?;
            let location = super::str_at(&body, &["location"])
                .map(super::norm_location)
                .ok_or_else(|| {
                    ArmError::bad_request(
                        "LocationRequired",
                        "The location property is required for this definition.",
                    )
                })?;
            valid_name(rg)?;
            let tags = parse_tags(&body)?.unwrap_or_default();
            let existed = ctx.estate.groups.contains_key(&k);
            let g = ctx.estate.groups.get_or_insert_with(k, || ResourceGroup {
                id: format!("/subscriptions/{sub}/resourceGroups/{rg}"),
                name: rg.to_owned(),
                location: location.clone(),
                tags: Default::default(),
                managed_by: None,
            });
            if existed && !g.location.eq_ignore_ascii_case(&location) {
                return Err(ArmError::bad_request(
                    "InvalidResourceGroupLocation",
                    format!(
                        "Invalid resource group location '{location}'. The Resource group already exists in location '{}'.",
                        g.location
                    ),
                ));
            }
            g.tags = tags;
            let status = if existed {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            Ok(Reply::with(status, render::group(g)))
        }
        _ => Err(ArmError::method_not_allowed()),
    }
}

/// ARM resource names: 1–90 chars of letters, digits, `-_.()`, not ending in `.`.
pub fn valid_name(name: &str) -> ArmResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 90
        && !name.ends_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.()".contains(c));
    if ok {
        Ok(())
    } else {
        Err(ArmError::bad_request(
            "InvalidResourceName",
            format!(
                "The resource name '{}' is invalid. It must be 1-90 characters of letters, digits, '-', '_', '.', '(' or ')', and not end with '.'.",
                name.chars().take(100).collect::<String>()
            ),
        ))
    }
}
