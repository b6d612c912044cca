//! The admin API under `/_emulator/`. Requests reach it only after `gate::check_admin`
//! (bearer token, no `Origin`, JSON bodies). The JSON of each endpoint is documented in
//! the module doc of `emulator`.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::clock::arm_time;
use super::errors::{ArmError, ArmResult};
use super::faults::FaultSpec;
use super::persist;
use super::rules::Limits;
use super::server::{Inner, Reply, Req, Shared};

pub fn handle(shared: &Arc<Shared>, req: &Req) -> ArmResult<Reply> {
    let segs: Vec<String> = req
        .segs
        .iter()
        .skip(1)
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let m = &req.method;
    let mut inner = shared.lock();
    let now = inner.clock.now();
    super::lro::settle(&mut inner.estate, now);
    match (m.clone(), segs.as_slice()) {
        (Method::GET, ["health"]) => Ok(Reply::ok(health(shared, &inner))),
        (Method::GET, ["clock"]) => Ok(Reply::ok(clock_json(&inner))),
        (Method::POST, ["clock", "advance"]) => {
            let body = req.json_or_empty()?;
            let clock = inner.clock.clone();
            if let Some(speed) = body.get("speed") {
                let s = speed
                    .as_f64()
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .ok_or_else(|| {
                        ArmError::bad_request(
                            "InvalidParameter",
                            "speed must be a positive number.",
                        )
                    })?;
                inner.clock.set_speed(s);
            }
            match body.get("seconds") {
                None if body.get("speed").is_some() => {}
                Some(v) => {
                    let secs = v
                        .as_f64()
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .ok_or_else(|| {
                            ArmError::bad_request(
                                "InvalidParameter",
                                "seconds must be a non-negative number.",
                            )
                        })?;
                    inner.clock.advance(secs);
                }
                None => {
                    return Err(ArmError::bad_request(
                        "InvalidParameter",
                        "Body must be {\"seconds\": N} (and/or {\"speed\": X}).",
                    ));
                }
            }
            let now = inner.clock.now();
            super::lro::settle(&mut inner.estate, now);
            // Operations the jump completed are saved, or the jump is undone.
            if let Err(e) = persist::commit(shared, &mut inner) {
                inner.clock = clock;
                return Err(e);
            }
            Ok(Reply::ok(clock_json(&inner)))
        }
        (Method::GET, ["faults"]) => Ok(Reply::ok(json!({ "faults": inner.faults.rules }))),
        (Method::POST, ["faults"]) => {
            let body: Value = serde_json::from_slice(&req.body)
                .map_err(|e| ArmError::invalid_body(format!("fault body is not JSON: {e}")))?;
            let specs: Vec<FaultSpec> = match body {
                Value::Array(_) => serde_json::from_value(body),
                other => serde_json::from_value(other).map(|s| vec![s]),
            }
            .map_err(|e| ArmError::invalid_body(format!("invalid fault: {e}")))?;
            let ids: Vec<u64> = specs.into_iter().map(|s| inner.faults.add(s)).collect();
            Ok(Reply::with(
                StatusCode::CREATED,
                json!({ "ids": ids, "faults": inner.faults.rules }),
            ))
        }
        (Method::DELETE, ["faults"]) => {
            inner.faults.clear();
            Ok(Reply::ok(json!({ "faults": [] })))
        }
        (Method::POST, ["reset"]) => {
            let now = inner.clock.now();
            let fresh = super::estate::build(&shared.settings.estate, now);
            persist::replace(&mut inner, fresh)?;
            inner.faults.clear();
            inner.buckets.clear();
            inner.limits = Limits::default();
            Ok(Reply::ok(
                json!({ "status": "reset", "estate": shared.settings.estate.to_string() }),
            ))
        }
        (Method::GET, ["estate"]) => {
            let v = serde_json::to_value(&inner.estate)
                .map_err(|e| ArmError::internal(format!("cannot export estate: {e}")))?;
            Ok(Reply::ok(v))
        }
        (Method::GET, ["limits"]) => Ok(Reply::ok(json!(inner.limits))),
        (Method::PUT | Method::POST, ["limits"]) => {
            let body = req.json_or_empty()?;
            let mut current = serde_json::to_value(&inner.limits)
                .map_err(|e| ArmError::internal(e.to_string()))?;
            if let (Some(cur), Some(new)) = (current.as_object_mut(), body.as_object()) {
                for (k, v) in new {
                    cur.insert(k.clone(), v.clone());
                }
            }
            inner.limits = serde_json::from_value(current)
                .map_err(|e| ArmError::invalid_body(format!("invalid limits: {e}")))?;
            Ok(Reply::ok(json!(inner.limits)))
        }
        (_, ["health" | "clock" | "faults" | "reset" | "estate" | "limits"])
        | (_, ["clock", "advance"]) => Err(ArmError::method_not_allowed()),
        _ => Err(ArmError::no_route(&req.path)),
    }
}

fn clock_json(inner: &Inner) -> Value {
    let now = inner.clock.now();
    json!({ "now": arm_time(now), "unixSeconds": now, "speed": inner.clock.speed() })
}

fn health(shared: &Shared, inner: &Inner) -> Value {
    let e = &inner.estate;
    let points: usize = e.collections.values().map(|c| c.points.len()).sum();
    json!({
        "status": "ok",
        "estate": shared.settings.estate.to_string(),
        "now": arm_time(inner.clock.now()),
        "speed": inner.clock.speed(),
        "throttling": shared.settings.throttling,
        "counts": {
            "subscriptions": e.subscriptions.len(), "resourceGroups": e.groups.len(),
            "virtualMachines": e.vms.len(), "disks": e.disks.len(),
            "restorePointCollections": e.collections.len(), "restorePoints": points,
            "pendingOperations": e.pending.len(), "faults": inner.faults.rules.len()
        }
    })
}
