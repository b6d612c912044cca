//! The admin API: health, clock, faults, reset, estate export; and `--state` persistence.

use std::time::{Duration, Instant};

use crate::common::*;
use reqwest::Method;
use rpdesk::emulator::{EmulatorConfig, EstateSpec};
use serde_json::json;

#[tokio::test]
async fn health_reports_the_estate() {
    let e = start().await;
    let h = e.admin(Method::GET, "health", None).await;
    assert_eq!(h["status"], "ok");
    assert_eq!(h["estate"], "demo");
    assert_eq!(h["counts"]["subscriptions"], 4);
    assert!(h["counts"]["virtualMachines"].as_u64().unwrap() >= 25);
}

#[tokio::test]
async fn clock_advances_and_changes_speed() {
    let e = start().await;
    let c0 = e.admin(Method::GET, "clock", None).await;
    let c1 = e
        .admin(
            Method::POST,
            "clock/advance",
            Some(json!({ "seconds": 7200 })),
        )
        .await;
    let jump = c1["unixSeconds"].as_f64().unwrap() - c0["unixSeconds"].as_f64().unwrap();
    assert!((7200.0..7260.0).contains(&jump), "{jump}");
    let c2 = e
        .admin(Method::POST, "clock/advance", Some(json!({ "speed": 120 })))
        .await;
    assert_eq!(c2["speed"], 120.0);
    let r = e
        .http
        .post(format!("{}/_emulator/clock/advance", e.base))
        .bearer_auth(&e.token)
        .json(&json!({ "seconds": -5 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
}

#[tokio::test]
async fn throttle_fault_targets_one_subscription_for_a_count() {
    let e = start().await;
    e.admin(
        Method::POST,
        "faults",
        Some(json!({ "kind": "throttle", "pathContains": DEV, "count": 2, "retryAfter": 7 })),
    )
    .await;
    let dev = format!("/subscriptions/{DEV}/resourcegroups");
    for _ in 0..2 {
        let r = e.send(Method::GET, &e.url(&dev, "2021-04-01"), None).await;
        assert_eq!(r.status().as_u16(), 429);
        assert_eq!(r.headers()["retry-after"], "7");
    }
    assert_eq!(
        e.get(&dev, "2021-04-01").await.0,
        200,
        "the fault retires after its count"
    );
    assert_eq!(
        e.get(
            &format!("/subscriptions/{PROD}/resourcegroups"),
            "2021-04-01"
        )
        .await
        .0,
        200
    );
}

#[tokio::test]
async fn server_error_unavailable_and_cleared_faults() {
    let e = start().await;
    e.admin(Method::POST, "faults", Some(json!([{ "kind": "500", "pathContains": "resourcegroups/rg-web-prod", "method": "GET" },
                                                  { "kind": "unavailable", "pathContains": "/disks" }]))).await;
    let (s, b) = e
        .get(&vm_id(PROD, "rg-web-prod", "web-frontend-01"), CRP)
        .await;
    assert_eq!((s, code(&b)), (500, "InternalServerError"));
    let (s, b) = e
        .get(
            &format!("/subscriptions/{PROD}/providers/Microsoft.Compute/disks"),
            DRP,
        )
        .await;
    assert_eq!((s, code(&b)), (503, "ServiceUnavailable"));
    let listed = e.admin(Method::GET, "faults", None).await;
    assert_eq!(listed["faults"].as_array().unwrap().len(), 2);
    e.admin(Method::DELETE, "faults", None).await;
    assert_eq!(
        e.get(&vm_id(PROD, "rg-web-prod", "web-frontend-01"), CRP)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn dropped_connections_and_malformed_bodies() {
    let e = start().await;
    e.admin(
        Method::POST,
        "faults",
        Some(json!({ "kind": "drop", "pathContains": "rg-sql-prod", "count": 1 })),
    )
    .await;
    let r = e
        .http
        .get(e.url(&vm_id(PROD, "rg-sql-prod", "sql-prod-01"), CRP))
        .bearer_auth("x")
        .send()
        .await;
    let failed = match r {
        Err(_) => true,
        Ok(resp) => resp.bytes().await.is_err(),
    };
    assert!(failed, "the connection is cut");
    e.admin(
        Method::POST,
        "faults",
        Some(json!({ "kind": "malformed", "pathContains": "rg-sql-prod", "count": 1 })),
    )
    .await;
    let r = e
        .send(
            Method::GET,
            &e.url(&vm_id(PROD, "rg-sql-prod", "sql-prod-01"), CRP),
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&r.bytes().await.unwrap()).is_err());
    assert_eq!(
        e.get(&vm_id(PROD, "rg-sql-prod", "sql-prod-01"), CRP)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn latency_fault_slows_matching_requests() {
    let e = start().await;
    e.admin(Method::POST, "faults", Some(json!({ "kind": "latency", "latencyMs": 300, "pathContains": "/subscriptions", "count": 1 }))).await;
    let t = Instant::now();
    assert_eq!(e.get("/subscriptions", "2022-12-01").await.0, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn failing_lro_fault_ends_the_operation_failed_with_an_error() {
    let e = start().await;
    e.admin(Method::POST, "faults", Some(json!({ "kind": "failLro", "pathContains": "web-frontend-02-rpc/restorePoints", "code": "VMRestorePointInternalError", "count": 1 }))).await;
    let rp = format!(
        "{}/restorePoints/doomed",
        rpc_path(PROD, "rg-web-prod", "web-frontend-02-rpc")
    );
    let r = e
        .send(
            Method::PUT,
            &e.url(&rp, CRP),
            Some(json!({ "properties": {} })),
        )
        .await;
    assert_eq!(r.status().as_u16(), 201);
    let op = r.headers()["azure-asyncoperation"]
        .to_str()
        .unwrap()
        .to_owned();
    let done = e.wait_op(&op).await;
    assert_eq!(done["status"], "Failed");
    assert_eq!(done["error"]["code"], "VMRestorePointInternalError");
    let (_, p) = e.get(&format!("{rp}?$expand=instanceView"), CRP).await;
    assert_eq!(p["properties"]["provisioningState"], "Failed");
}

#[tokio::test]
async fn reset_rebuilds_the_estate_and_export_shows_it() {
    let e = start().await;
    let rpc = rpc_path(PROD, "rg-ops-prod", "jumpbox-01-rpc");
    let r = e.send(Method::DELETE, &e.url(&rpc, CRP), None).await;
    assert_eq!(r.status().as_u16(), 202);
    e.advance(600.0).await;
    assert_eq!(e.get(&rpc, CRP).await.0, 404);
    let out = e.admin(Method::POST, "reset", None).await;
    assert_eq!(out["status"], "reset");
    assert_eq!(e.get(&rpc, CRP).await.0, 200);
    let estate = e.admin(Method::GET, "estate", None).await;
    assert!(estate["vms"].as_object().unwrap().len() >= 25);
}

#[tokio::test]
async fn state_file_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("rpdesk-emu-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let file = dir.join("estate.json");
    let config = EmulatorConfig {
        state_file: Some(file.clone()),
        estate: EstateSpec::Demo,
        ..Default::default()
    };
    let e = start_with(config.clone()).await;
    let rpc = rpc_path(DEV, "rg-dev-sandbox", "kept-rpc");
    let (s, _) = e.put(&rpc, CRP, json!({ "location": "northeurope", "properties": { "source": { "id": vm_id(DEV, "rg-dev-sandbox", "dev-sandbox-01") } } })).await;
    assert_eq!(s, 201);
    assert!(file.exists(), "written after the change");
    e.emu.shutdown().await;
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|f| f.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    let e2 = start_with(config).await;
    let (s, c) = e2.get(&rpc, CRP).await;
    assert_eq!(s, 200, "{c}");
    e2.emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn empty_and_large_estates() {
    let e = start_with(EmulatorConfig {
        estate: EstateSpec::Empty,
        ..Default::default()
    })
    .await;
    let (_, b) = e.get("/subscriptions", "2022-12-01").await;
    assert_eq!(b["value"], json!([]));
    let t = Instant::now();
    let e = start_with(EmulatorConfig {
        estate: EstateSpec::Large(1200),
        ..Default::default()
    })
    .await;
    assert!(t.elapsed() < Duration::from_secs(20));
    let h = e.admin(Method::GET, "health", None).await;
    assert_eq!(h["counts"]["subscriptions"], 2);
    assert_eq!(h["counts"]["virtualMachines"], 1200);
    assert_eq!(h["counts"]["restorePoints"], 12_000);
}

#[tokio::test]
async fn admin_api_needs_the_bearer_token() {
    let e = start().await;
    for (method, path) in [
        (Method::GET, "health"),
        (Method::GET, "estate"),
        (Method::POST, "reset"),
        (Method::POST, "faults"),
    ] {
        let r = e
            .http
            .request(method.clone(), format!("{}/_emulator/{path}", e.base))
            .send()
            .await
            .unwrap();
        let (status, body) = status_json(r).await;
        assert_eq!(status, 401, "{method} {path}: {body}");
        assert_eq!(code(&body), "AuthenticationFailed");
    }

    let e = start_with(EmulatorConfig {
        token: Some("admin-secret".into()),
        ..Default::default()
    })
    .await;
    let url = format!("{}/_emulator/estate", e.base);
    let wrong = e.http.get(&url).bearer_auth("guess").send().await.unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    let right = e
        .http
        .get(&url)
        .bearer_auth("admin-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status().as_u16(), 200);
}

#[tokio::test]
async fn a_web_page_cannot_reset_the_estate() {
    let e = start().await;
    let rpc = rpc_path(PROD, "rg-ops-prod", "jumpbox-01-rpc");
    assert_eq!(
        e.send(Method::DELETE, &e.url(&rpc, CRP), None)
            .await
            .status(),
        202
    );
    e.advance(600.0).await;
    // What a cross-site `fetch(…, {method: "POST", mode: "no-cors"})` sends.
    let r = e
        .http
        .post(format!("{}/_emulator/reset", e.base))
        .header("origin", "https://evil.example")
        .header("content-type", "text/plain;charset=UTF-8")
        .body("{}")
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(r).await;
    assert_eq!(status, 403, "{body}");
    assert!(code(&body).len() > 1, "an ARM error envelope: {body}");
    // Even with the token, a request from a web page is refused.
    let r = e
        .http
        .post(format!("{}/_emulator/reset", e.base))
        .bearer_auth(&e.token)
        .header("origin", "http://localhost:8000")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(e.get(&rpc, CRP).await.0, 404, "the estate was not reset");
}

#[tokio::test]
async fn admin_bodies_must_be_json() {
    let e = start().await;
    let fault = json!({ "kind": "500" }).to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut r = e
            .http
            .post(format!("{}/_emulator/faults", e.base))
            .bearer_auth(&e.token)
            .body(fault.clone());
        if let Some(t) = content_type {
            r = r.header("content-type", t);
        }
        let (status, body) = status_json(r.send().await.unwrap()).await;
        assert_eq!(status, 415, "{content_type:?}: {body}");
        assert_eq!(code(&body), "UnsupportedMediaType");
    }
    let listed = e.admin(Method::GET, "faults", None).await;
    assert_eq!(listed["faults"], json!([]), "no fault was added");
    let r = e
        .http
        .post(format!("{}/_emulator/faults", e.base))
        .bearer_auth(&e.token)
        .header("content-type", "application/json; charset=utf-8")
        .body(fault)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
}

#[tokio::test]
async fn a_blank_token_is_refused_not_taken_as_no_token() {
    for token in ["", " \t"] {
        let config = EmulatorConfig {
            token: Some(token.into()),
            ..Default::default()
        };
        let started =
            rpdesk::emulator::RunningEmulator::start(config, "127.0.0.1:0".parse().unwrap()).await;
        let err = started.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("token is empty"), "{token:?}: {err:?}");
    }
}

#[test]
fn estate_specs_parse() {
    assert_eq!("demo".parse::<EstateSpec>(), Ok(EstateSpec::Demo));
    assert_eq!(
        "large:10000".parse::<EstateSpec>(),
        Ok(EstateSpec::Large(10_000))
    );
    assert_eq!("EMPTY".parse::<EstateSpec>(), Ok(EstateSpec::Empty));
    assert!("large:".parse::<EstateSpec>().is_err());
    assert!("large:0".parse::<EstateSpec>().is_err());
    assert!("prod".parse::<EstateSpec>().is_err());
}
