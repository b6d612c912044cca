//! Shared helpers for the emulator integration tests: start an emulator on an ephemeral
//! port and talk to it over real HTTP.
#![allow(dead_code)]

use reqwest::{Client, Method, Response};
use rpdesk::emulator::{EmulatorConfig, RunningEmulator};
use serde_json::{Value, json};

pub const PROD: &str = "6f1c0d7e-2b7a-4c55-9a43-1d1e0a5b7c01";
pub const DEV: &str = "8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02";
pub const CRP: &str = "2025-04-01";
pub const DRP: &str = "2025-01-02";

pub struct Emu {
    pub emu: RunningEmulator,
    pub base: String,
    pub http: Client,
    /// The bearer token sent: the configured one, or any for an emulator without one.
    pub token: String,
}

pub async fn start() -> Emu {
    start_with(EmulatorConfig::default()).await
}

pub async fn start_with(config: EmulatorConfig) -> Emu {
    let token = config
        .token
        .clone()
        .unwrap_or_else(|| "test-token".to_owned());
    let emu = RunningEmulator::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = emu.base_url();
    Emu {
        emu,
        base,
        http: Client::new(),
        token,
    }
}

impl Emu {
    pub fn url(&self, path: &str, api: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{}{path}{sep}api-version={api}", self.base)
    }

    pub async fn send(&self, method: Method, url: &str, body: Option<Value>) -> Response {
        let mut r = self.http.request(method, url).bearer_auth(&self.token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        r.send().await.unwrap()
    }

    pub async fn get(&self, path: &str, api: &str) -> (u16, Value) {
        let r = self.send(Method::GET, &self.url(path, api), None).await;
        status_json(r).await
    }

    pub async fn put(&self, path: &str, api: &str, body: Value) -> (u16, Value) {
        let r = self
            .send(Method::PUT, &self.url(path, api), Some(body))
            .await;
        status_json(r).await
    }

    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut r = self
            .http
            .request(method, format!("{}/_emulator/{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let resp = r.send().await.unwrap();
        assert!(
            resp.status().is_success(),
            "admin {path}: {}",
            resp.status()
        );
        resp.json().await.unwrap()
    }

    pub async fn advance(&self, seconds: f64) {
        self.admin(
            Method::POST,
            "clock/advance",
            Some(json!({ "seconds": seconds })),
        )
        .await;
    }

    /// Follows `nextLink` (bounded) and returns every item.
    pub async fn list_all(&self, path: &str, api: &str) -> Vec<Value> {
        let mut url = self.url(path, api);
        let mut items = Vec::new();
        for _ in 0..10_000 {
            let r = self.send(Method::GET, &url, None).await;
            let (status, body) = status_json(r).await;
            assert_eq!(status, 200, "{url}: {body}");
            items.extend(body["value"].as_array().cloned().unwrap_or_default());
            match body.get("nextLink").and_then(Value::as_str) {
                Some(next) => url = next.to_owned(),
                None => return items,
            }
        }
        panic!("paging did not end");
    }

    /// Polls an `Azure-AsyncOperation` URL until terminal, advancing the clock.
    pub async fn wait_op(&self, op_url: &str) -> Value {
        for _ in 0..100 {
            let r = self.send(Method::GET, op_url, None).await;
            let (status, body) = status_json(r).await;
            assert_eq!(status, 200, "{body}");
            if body["status"] != "InProgress" {
                return body;
            }
            self.advance(30.0).await;
        }
        panic!("operation never finished");
    }
}

pub async fn status_json(r: Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

pub fn rg_path(sub: &str, rg: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}")
}

pub fn rpc_path(sub: &str, rg: &str, rpc: &str) -> String {
    format!(
        "{}/providers/Microsoft.Compute/restorePointCollections/{rpc}",
        rg_path(sub, rg)
    )
}

pub fn vm_id(sub: &str, rg: &str, vm: &str) -> String {
    format!(
        "{}/providers/Microsoft.Compute/virtualMachines/{vm}",
        rg_path(sub, rg)
    )
}
