//! With the proxy variables set in the real environment, requests to a loopback endpoint
//! (the demo, a local emulator) still go straight to it: a proxy would see the bearer
//! token, and a corporate proxy cannot reach the user's loopback anyway. This binary holds
//! one test only, because environment variables are process-wide.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

mod client_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rpdesk::arm::ArmClient;
use rpdesk::auth::StaticToken;

#[test]
fn loopback_requests_ignore_the_proxy_variables() {
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = connections.clone();
    std::thread::spawn(move || {
        for stream in proxy.incoming() {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    // SAFETY: set before any other thread of this binary reads the environment (the only
    // thread so far is the listener above, which does not), and this is the binary's only
    // test.
    unsafe {
        for name in [
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
        ] {
            std::env::set_var(name, &proxy_url);
        }
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let emu = client_support::emulator().await;
        let mut options = client_support::fast_options();
        options.max_retries = 0;
        let c = ArmClient::new(
            &emu.base_url(),
            Arc::new(StaticToken::new("test-token")),
            options,
        )
        .unwrap();
        let subs = c.list_subscriptions().await;
        assert!(subs.is_ok(), "{subs:?}");
    });
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a loopback request went to the proxy"
    );
}
