//! The emulator never panics and always answers with a well-formed response: malformed
//! paths, query strings, bodies and methods get a status and, when refused, an ARM JSON
//! error body.

use crate::common::*;
use proptest::prelude::*;
use reqwest::Method;
use rpdesk::emulator::EmulatorConfig;
use serde_json::Value;

const SEGMENTS: &[&str] = &[
    "subscriptions",
    "SUBSCRIPTIONS",
    PROD,
    DEV,
    "00000000-0000-0000-0000-000000000000",
    "resourceGroups",
    "resourcegroups",
    "rg-sql-prod",
    "rg-web-prod",
    "AzureBackupRG_eastus_1",
    "providers",
    "Microsoft.Compute",
    "microsoft.network",
    "virtualMachines",
    "disks",
    "restorePointCollections",
    "sql-prod-01-rpc",
    "restorePoints",
    "rp-001-app",
    "diskRestorePoints",
    "beginGetAccess",
    "endGetAccess",
    "instanceView",
    "deallocate",
    "locations",
    "eastus",
    "operations",
    "virtualNetworks",
    "subnets",
    "networkInterfaces",
    "sql-prod-01",
    "_emulator",
    "clock",
    "faults",
    "..",
    ".",
    "%2F",
    "%00",
    "%ZZ",
    "ü",
    "名前",
    "a b",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "",
    "'",
    "\"",
    "{}",
];

const QUERY: &[&str] = &[
    "api-version=2025-04-01",
    "api-version=2025-01-02",
    "api-version=2022-12-01",
    "api-version=2021-04-01",
    "api-version=",
    "api-version=9999-99-99",
    "api-version=2026-03-01-preview",
    "api-version=２０２５",
    "$expand=instanceView",
    "$expand=restorePoints",
    "$expand=",
    "$skiptoken=cnBkZXNrLWVtdWxhdG9yOjIw",
    "$skiptoken=%%%",
    "$skiptoken=cnBkZXNrLWVtdWxhdG9yOjk5OTk5OTk5OTk5OTk5OTk5OTk5OQ",
    "$top=0",
    "$top=-1",
    "$top=99999999999999999999",
    "$filter='virtualMachineScaleSet/id' eq 'x'",
    "monitor=true",
    "&&&",
    "=",
];

fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        Just(b"{}".to_vec()),
        Just(b"null".to_vec()),
        Just(b"[]".to_vec()),
        Just(br#"{"location":"eastus","properties":{"source":{"id":"/subscriptions/x"}}}"#.to_vec()),
        Just(br#"{"properties":{"consistencyMode":"CrashConsistent","excludeDisks":[{"id":5}],"instantAccessDurationMinutes":"x"}}"#.to_vec()),
        Just(br#"{"properties":{"sourceRestorePoint":{"id":"/subscriptions/a/restorePoints/b"}}}"#.to_vec()),
        Just(br#"{"location":"eastus","properties":{"creationData":{"createOption":"Restore","sourceResourceId":"/x/diskRestorePoints/y"}}}"#.to_vec()),
        Just(br#"{"location":"eastus","properties":{"hardwareProfile":{"vmSize":"x"},"storageProfile":{"osDisk":{"createOption":"Attach","managedDisk":{"id":"/nope"}},"dataDisks":[{"lun":99}]}}}"#.to_vec()),
        Just(br#"{"access":"Read","durationInSeconds":-1}"#.to_vec()),
        Just(br#"{"kind":"nonsense"}"#.to_vec()),
        Just(br#"{"seconds":1e308}"#.to_vec()),
        Just(br#"{"tags":{"a":[1,2]},"location":7}"#.to_vec()),
        prop::collection::vec(any::<u8>(), 0..200),
        "[ -~]{0,120}".prop_map(String::into_bytes),
    ]
}

fn method_strategy() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::GET),
        Just(Method::PUT),
        Just(Method::PATCH),
        Just(Method::POST),
        Just(Method::DELETE),
        Just(Method::HEAD),
        Just(Method::OPTIONS),
        Just(Method::from_bytes(b"PURGE").unwrap()),
    ]
}

fn path_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(SEGMENTS), 0..12)
            .prop_map(|s| format!("/{}", s.join("/"))),
        "(/[a-zA-Z0-9%._~-]{0,20}){0,10}",
    ]
}

fn query_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(QUERY), 0..4).prop_map(|q| q.join("&")),
        "[a-zA-Z0-9$=&%-]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn malformed_requests_always_get_a_well_formed_answer(
        method in method_strategy(),
        path in path_strategy(),
        query in query_strategy(),
        body in body_strategy(),
        with_auth in prop::bool::weighted(0.9),
    ) {
        let rt = runtime();
        rt.block_on(async {
            let e = emulator().await;
            let url = format!("{}{}?{}", e.base, path, query);
            let Ok(parsed) = reqwest::Url::parse(&url) else { return Ok(()) };
            let mut r = e.http.request(method.clone(), parsed).body(body.clone());
            if with_auth {
                r = r.bearer_auth("fuzz");
            }
            let resp = r.send().await.map_err(|err| TestCaseError::fail(format!("{method} {url}: no response: {err}")))?;
            let status = resp.status();
            let has_id = resp.headers().contains_key("x-ms-request-id");
            let bytes = resp.bytes().await.map_err(|err| TestCaseError::fail(format!("{method} {url}: body cut: {err}")))?;
            prop_assert!(has_id, "{} {} without x-ms-request-id", method, url);
            if !status.is_success() && method != Method::HEAD {
                let v: Value = serde_json::from_slice(&bytes).map_err(|err| TestCaseError::fail(format!("{method} {url} -> {status}: not JSON: {err}")))?;
                prop_assert!(v["error"]["code"].is_string(), "{} {} -> {}: {}", method, url, status, v);
                prop_assert!(v["error"]["message"].is_string());
                // The server turns a handler panic into a 500 with this text; none may happen.
                prop_assert!(!v["error"]["message"].as_str().unwrap_or_default().contains("internal error handling this request"), "{} {} panicked", method, url);
            } else if !bytes.is_empty() && method != Method::HEAD {
                prop_assert!(serde_json::from_slice::<Value>(&bytes).is_ok(), "{} {} -> {}: body not JSON", method, url, status);
            }
            Ok(())
        })?;
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

/// One emulator for all cases (started on the shared runtime).
async fn emulator() -> &'static Emu {
    static EMU: tokio::sync::OnceCell<Emu> = tokio::sync::OnceCell::const_new();
    EMU.get_or_init(|| async {
        start_with(EmulatorConfig {
            throttling: false,
            ..Default::default()
        })
        .await
    })
    .await
}

#[test]
fn the_emulator_still_answers_after_the_fuzzing() {
    let rt = runtime();
    rt.block_on(async {
        let e = emulator().await;
        let (s, _) = e.get("/subscriptions", "2022-12-01").await;
        assert_eq!(s, 200);
    });
}
