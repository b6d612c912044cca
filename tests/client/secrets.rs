//! Tokens never reach logs, Debug output, errors or saved settings.

use std::io::Write;
use std::sync::{Arc, Mutex};

use rpdesk::arm::ArmClient;
use rpdesk::auth::StaticToken;
use rpdesk::backend::ConnectionSpec;

const SECRET: &str = "eyJ0eXAiOiJKV1Qi.s3cr3t-token-payload.sig";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn token_never_reaches_logs_debug_or_errors() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emu = crate::client_support::emulator().await;
    let client = ArmClient::new(
        &emu.base_url(),
        Arc::new(StaticToken::new(SECRET)),
        crate::client_support::fast_options(),
    )
    .unwrap();
    let subs = client.list_subscriptions().await.unwrap();
    assert!(!subs.is_empty());
    let err = client
        .get_vm(
            &crate::client_support::vm_id(crate::client_support::PROD, "rg-x", "missing"),
            false,
        )
        .await
        .unwrap_err();
    tracing::debug!(?client, ?err, "client and error");

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(!logs.is_empty(), "the capture saw the logs");
    assert!(!logs.contains("s3cr3t"), "token leaked into logs");
    assert!(!format!("{client:?} {err:?} {err}").contains("s3cr3t"));
}

#[test]
fn custom_connection_token_is_not_serialized() {
    let spec = ConnectionSpec::Custom {
        endpoint: "https://arm.example.test".into(),
        token: rpdesk::auth::BearerToken::new(SECRET),
    };
    let json = serde_json::to_string(&spec).unwrap();
    assert!(!json.contains("s3cr3t"), "{json}");
    assert!(!format!("{spec:?}").contains("s3cr3t"));
    assert!(!format!("{:?}", StaticToken::new(SECRET)).contains("s3cr3t"));
}
