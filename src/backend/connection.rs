//! What rpdesk is connected to: the embedded demo emulator, Azure, or a custom endpoint.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::arm::{ArmClient, ClientOptions};
use crate::auth::{AzureCredentialChain, BearerToken, Cloud, StaticToken, TokenSource};
use crate::emulator::{EmulatorConfig, EstateSpec, RunningEmulator, StateError, StateErrorKind};
use crate::inventory::ErrorInfo;

/// Where to connect. Never holds a secret that would be persisted: the custom token is
/// kept out of serialization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ConnectionSpec {
    /// The in-process emulator with the demo estate, state kept in `state_file`.
    Demo {
        estate: String,
        state_file: Option<PathBuf>,
        /// Virtual clock speed.
        speed: f64,
    },
    Azure {
        cloud: Cloud,
    },
    Custom {
        endpoint: String,
        #[serde(skip)]
        token: BearerToken,
    },
}

impl ConnectionSpec {
    /// Short name for the top bar.
    pub fn label(&self) -> String {
        match self {
            Self::Demo { .. } => "Demo".to_owned(),
            Self::Azure { cloud } => cloud.label().to_owned(),
            Self::Custom { endpoint, .. } => endpoint.clone(),
        }
    }
}

/// A live connection: the client and, for the demo, the emulator serving it.
pub struct ConnectionInfo {
    pub spec: ConnectionSpec,
    pub client: ArmClient,
    pub emulator: Option<RunningEmulator>,
}

impl std::fmt::Debug for ConnectionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionInfo")
            .field("spec", &self.spec)
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

/// Connects: starts the emulator for the demo, builds the credential and the client.
pub async fn connect(
    spec: ConnectionSpec,
    options: ClientOptions,
) -> Result<ConnectionInfo, ErrorInfo> {
    let fail = |message: String| ErrorInfo {
        message,
        ..Default::default()
    };
    match &spec {
        ConnectionSpec::Demo {
            estate,
            state_file,
            speed,
        } => {
            let estate: EstateSpec = estate
                .parse()
                .map_err(|e| fail(format!("estate {estate:?}: {e}")))?;
            let config = EmulatorConfig {
                estate,
                state_file: state_file.clone(),
                speed: *speed,
                ..Default::default()
            };
            let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
            let emulator = RunningEmulator::start(config, listen).await.map_err(|e| {
                let mut info = fail(format!("could not start the demo emulator: {e:#}"));
                if let Some(state) = e.chain().find_map(|c| c.downcast_ref::<StateError>()) {
                    info.code = Some(demo_state_code(state.kind()).to_owned());
                    info.details = vec![format!("file: {}", state.path().display())];
                }
                info
            })?;
            let tokens: Arc<dyn TokenSource> = Arc::new(StaticToken::new("rpdesk-demo"));
            let client = ArmClient::new(&emulator.base_url(), tokens, options)
                .map_err(|e| fail(e.to_string()))?;
            Ok(ConnectionInfo {
                spec,
                client,
                emulator: Some(emulator),
            })
        }
        ConnectionSpec::Azure { cloud } => {
            let tokens: Arc<dyn TokenSource> = Arc::new(AzureCredentialChain::new(*cloud));
            // Sign in now, so a missing `az login` is said at once, not on the first list.
            tokens
                .token()
                .await
                .map_err(|e| sign_in_failed(*cloud, e))?;
            let client = ArmClient::new(cloud.management_endpoint(), tokens, options)
                .map_err(|e| fail(e.to_string()))?;
            Ok(ConnectionInfo {
                spec,
                client,
                emulator: None,
            })
        }
        ConnectionSpec::Custom { endpoint, token } => {
            let tokens: Arc<dyn TokenSource> = Arc::new(StaticToken::new(token.secret()));
            let client =
                ArmClient::new(endpoint, tokens, options).map_err(|e| fail(e.to_string()))?;
            Ok(ConnectionInfo {
                spec,
                client,
                emulator: None,
            })
        }
    }
}

/// A failed sign-in, with each credential source and why it failed.
fn sign_in_failed(cloud: Cloud, e: crate::auth::AuthError) -> ErrorInfo {
    match e {
        crate::auth::AuthError::NoCredential { attempts } => ErrorInfo {
            code: Some("SignInFailed".into()),
            message: format!("Could not sign in to {}", cloud.label()),
            details: attempts,
            ..Default::default()
        },
        other => ErrorInfo {
            code: Some("SignInFailed".into()),
            message: other.to_string(),
            ..Default::default()
        },
    }
}

/// The `ErrorInfo` code of a demo that could not start because of its state file: the UI
/// offers what fits (setting a damaged file aside; closing the other window).
pub const DEMO_STATE_CORRUPT: &str = "DemoStateCorrupt";
pub const DEMO_STATE_IN_USE: &str = "DemoStateInUse";
pub const DEMO_STATE_UNREADABLE: &str = "DemoStateUnreadable";

fn demo_state_code(kind: StateErrorKind) -> &'static str {
    match kind {
        StateErrorKind::Corrupt => DEMO_STATE_CORRUPT,
        StateErrorKind::InUse => DEMO_STATE_IN_USE,
        StateErrorKind::Unreadable => DEMO_STATE_UNREADABLE,
    }
}
