//! The client in a hostile environment: proxies, redirects, oversized answers, secrets in
//! URLs. Each test stands up its own small server on loopback.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode, Uri};

use crate::client_support::*;
use rpdesk::arm::{ArmClient, ArmError, ClientOptions, ProxyConfig};
use rpdesk::auth::StaticToken;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A TCP listener that writes down the first line of every connection and answers 502.
struct Recorder {
    url: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let lines = Arc::new(Mutex::new(Vec::new()));
        let seen = lines.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let seen = seen.clone();
                tokio::spawn(async move {
                    let mut reader = BufReader::new(stream);
                    let mut line = String::new();
                    let _ =
                        tokio::time::timeout(Duration::from_secs(2), reader.read_line(&mut line))
                            .await;
                    seen.lock().unwrap().push(line.trim().to_owned());
                    let _ = reader
                        .get_mut()
                        .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
                        .await;
                });
            }
        });
        Self { url, lines }
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}

/// Serves `app` on an ephemeral loopback port; its base URL.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    url
}

fn subscriptions_page() -> serde_json::Value {
    serde_json::json!({ "value": [{
        "id": "/subscriptions/11111111-0000-4000-8000-000000000001",
        "subscriptionId": "11111111-0000-4000-8000-000000000001",
        "displayName": "Elsewhere"
    }] })
}

fn one_shot(proxy: ProxyConfig) -> ClientOptions {
    ClientOptions {
        max_retries: 0,
        request_timeout: Duration::from_secs(5),
        proxy,
        ..fast_options()
    }
}

fn via(proxy: &Recorder) -> ProxyConfig {
    ProxyConfig {
        https: Some(proxy.url.clone()),
        no_proxy: None,
    }
}

#[tokio::test]
async fn loopback_endpoints_never_go_through_the_proxy() {
    let proxy = Recorder::start().await;
    let emu = emulator().await;
    let c = ArmClient::new(
        &emu.base_url(),
        Arc::new(StaticToken::new("test-token")),
        one_shot(via(&proxy)),
    )
    .unwrap();
    assert!(!c.list_subscriptions().await.unwrap().is_empty());

    // Https on loopback too: the connection goes to the endpoint itself.
    let direct = Recorder::start().await;
    let endpoint = direct.url.replace("http://", "https://");
    let c = ArmClient::new(
        &endpoint,
        Arc::new(StaticToken::new("test-token")),
        one_shot(via(&proxy)),
    )
    .unwrap();
    assert!(c.list_subscriptions().await.is_err(), "not a TLS server");
    assert_eq!(direct.lines().len(), 1, "the endpoint was reached directly");
    assert!(
        proxy.lines().is_empty(),
        "the proxy saw {:?}",
        proxy.lines()
    );
}

#[tokio::test]
async fn https_endpoints_go_through_the_proxy_unless_no_proxy_names_them() {
    let proxy = Recorder::start().await;
    let c = ArmClient::new(
        "https://arm.example.test",
        Arc::new(StaticToken::new("test-token")),
        one_shot(via(&proxy)),
    )
    .unwrap();
    assert!(c.list_subscriptions().await.is_err());
    assert_eq!(
        proxy.lines(),
        vec!["CONNECT arm.example.test:443 HTTP/1.1".to_owned()]
    );

    let bypass = ProxyConfig {
        no_proxy: Some("localhost, .example.test".into()),
        ..via(&proxy)
    };
    let c = ArmClient::new(
        "https://arm.example.test",
        Arc::new(StaticToken::new("test-token")),
        one_shot(bypass),
    )
    .unwrap();
    assert!(c.list_subscriptions().await.is_err(), "no such host");
    assert_eq!(proxy.lines().len(), 1, "NO_PROXY kept it off the proxy");
}

#[test]
fn a_password_in_the_endpoint_url_is_refused_and_not_repeated() {
    let err = ArmClient::new(
        "https://alice:hunter2@arm.example.test",
        Arc::new(StaticToken::new("test-token")),
        one_shot(ProxyConfig::none()),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ArmError::Endpoint(_)), "{err:?}");
    assert!(text.contains("user name or password"), "{text}");
    assert!(!text.contains("hunter2") && !format!("{err:?}").contains("hunter2"));
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    let elsewhere_hits = Arc::new(AtomicUsize::new(0));
    let hits = elsewhere_hits.clone();
    let elsewhere = serve(axum::Router::new().fallback(move || {
        hits.fetch_add(1, Ordering::SeqCst);
        async { axum::Json(subscriptions_page()) }
    }))
    .await;
    let endpoint_hits = Arc::new(AtomicUsize::new(0));
    let hits = endpoint_hits.clone();
    let target = format!("{elsewhere}/subscriptions?api-version=2022-12-01");
    let endpoint = serve(axum::Router::new().fallback(move || {
        hits.fetch_add(1, Ordering::SeqCst);
        let target = target.clone();
        async move { (StatusCode::FOUND, [("location", target)]) }
    }))
    .await;
    let c = ArmClient::new(
        &endpoint,
        Arc::new(StaticToken::new("test-token")),
        fast_options(),
    )
    .unwrap();
    let err = c.list_subscriptions().await.unwrap_err();
    let text = err.to_string();
    let other = elsewhere.trim_start_matches("http://");
    assert!(
        text.contains(other) && text.contains("not followed"),
        "{text}"
    );
    assert_eq!(
        elsewhere_hits.load(Ordering::SeqCst),
        0,
        "the other server was asked"
    );
    assert_eq!(
        endpoint_hits.load(Ordering::SeqCst),
        1,
        "a refused redirect is not retried"
    );
}

#[tokio::test]
async fn a_redirect_on_the_same_origin_is_followed_with_the_token() {
    let app = axum::Router::new().fallback(|uri: Uri, headers: HeaderMap| async move {
        use axum::response::IntoResponse;
        if !uri.path().starts_with("/moved") {
            let to = format!("/moved{}", uri.path_and_query().map_or("", |p| p.as_str()));
            return (StatusCode::TEMPORARY_REDIRECT, [("location", to)]).into_response();
        }
        match headers.get("authorization") {
            Some(v) if v == "Bearer test-token" => axum::Json(subscriptions_page()).into_response(),
            _ => StatusCode::UNAUTHORIZED.into_response(),
        }
    });
    let endpoint = serve(app).await;
    let c = ArmClient::new(
        &endpoint,
        Arc::new(StaticToken::new("test-token")),
        fast_options(),
    )
    .unwrap();
    let subs = c.list_subscriptions().await.unwrap();
    assert_eq!(subs[0].display_name, "Elsewhere");
}

/// A raw HTTP server that answers every request with a JSON list of `total` bytes, sent
/// in 64 KiB writes, with or without a `Content-Length`. Counts requests and the bytes it
/// managed to write; `done` turns true when it stopped writing.
struct Streamer {
    url: String,
    requests: Arc<AtomicUsize>,
    written: Arc<AtomicUsize>,
    done: Arc<std::sync::atomic::AtomicBool>,
}

async fn streamer(total: usize, declare_length: bool) -> Streamer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let written = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (r, w, d) = (requests.clone(), written.clone(), done.clone());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            r.fetch_add(1, Ordering::SeqCst);
            let (w, d) = (w.clone(), d.clone());
            tokio::spawn(async move {
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                while reader.read_line(&mut line).await.is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let stream = reader.get_mut();
                let length = if declare_length {
                    format!("content-length: {total}\r\n")
                } else {
                    "connection: close\r\n".to_owned()
                };
                let head =
                    format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{length}\r\n");
                let mut sent = 0;
                if stream.write_all(head.as_bytes()).await.is_ok() {
                    let mut chunk = vec![b' '; 64 * 1024];
                    chunk[0] = b'[';
                    while sent < total {
                        let n = chunk.len().min(total - sent);
                        if stream.write_all(&chunk[..n]).await.is_err() {
                            break;
                        }
                        sent += n;
                        chunk[0] = b' ';
                    }
                }
                w.fetch_add(sent, Ordering::SeqCst);
                d.store(true, Ordering::SeqCst);
            });
        }
    });
    Streamer {
        url,
        requests,
        written,
        done,
    }
}

#[tokio::test]
async fn a_response_past_the_size_cap_is_cut_off_with_a_clear_error() {
    const TOTAL: usize = 32 * 1024 * 1024;
    for declare_length in [false, true] {
        let server = streamer(TOTAL, declare_length).await;
        let options = ClientOptions {
            max_response_bytes: 256 * 1024,
            ..fast_options()
        };
        let c = ArmClient::new(&server.url, Arc::new(StaticToken::new("t")), options).unwrap();
        let err = c.list_subscriptions().await.unwrap_err();
        let text = err.to_string();
        assert!(text.contains("256 KiB limit"), "{declare_length}: {text}");
        assert_eq!(server.requests.load(Ordering::SeqCst), 1, "not retried");
        drop(c);
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while !server.done.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let written = server.written.load(Ordering::SeqCst);
        assert!(
            written < TOTAL / 2,
            "{declare_length}: the client read on to {written} bytes"
        );
    }
}
