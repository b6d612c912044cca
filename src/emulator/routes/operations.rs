//! The async operation status resource (`Azure-AsyncOperation`) and its `Location`
//! variant (`?monitor=true`: 202 while running, then the final result).

use axum::http::StatusCode;
use serde_json::json;

use crate::emulator::errors::{ArmError, ArmResult};
use crate::emulator::lro;
use crate::emulator::render;
use crate::emulator::server::{Ctx, Reply, Req};

pub fn get(ctx: &mut Ctx<'_>, req: &Req, sub: &str, id: &str) -> ArmResult<Reply> {
    let not_found = || {
        ArmError::new(
            StatusCode::NOT_FOUND,
            "OperationNotFound",
            format!("The operation '{id}' could not be found."),
        )
    };
    let op = ctx
        .estate
        .operations
        .get(&id.to_ascii_lowercase())
        .ok_or_else(not_found)?;
    if !op.subscription.eq_ignore_ascii_case(sub) {
        return Err(not_found());
    }
    let done = ctx.now >= op.done_at;
    if req
        .q("monitor")
        .is_some_and(|m| m.eq_ignore_ascii_case("true"))
    {
        if !done {
            let retry = lro::retry_after(ctx, op);
            let url = format!(
                "{}{}?monitor=true&api-version={}",
                ctx.base_url, req.path, ctx.api_version
            );
            return Ok(Reply::empty(StatusCode::ACCEPTED)
                .header("location", url)
                .header("retry-after", retry.to_string()));
        }
        if let Some(f) = &op.failure {
            return Err(f.clone());
        }
        return Ok(Reply::ok(op.result.clone().unwrap_or_else(|| json!({}))));
    }
    let mut reply = Reply::ok(render::operation(op, ctx.now));
    if !done {
        reply = reply.header("retry-after", lro::retry_after(ctx, op).to_string());
    }
    Ok(reply)
}
