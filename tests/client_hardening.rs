//! The client in a hostile environment: proxies, redirects, oversized answers, secrets in
//! URLs. Each test stands up its own small server on loopback.

mod client_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use client_support::*;
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
