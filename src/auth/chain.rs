//! The Azure credential chain: Azure CLI login, then a service principal from the
//! environment, then workload identity, then managed identity. Tokens are cached until
//! five minutes before they expire (the CLI credential does not cache on its own).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use azure_core::credentials::TokenCredential;
use azure_core::http::ClientOptions;
use azure_identity::{
    AzureCliCredential, ClientSecretCredential, ClientSecretCredentialOptions,
    ManagedIdentityCredential, ManagedIdentityCredentialOptions, WorkloadIdentityCredential,
};
use time::OffsetDateTime;

use super::{AuthError, BearerToken, Cloud, TokenFuture, TokenSource};

/// How long one credential may take before the chain moves on (IMDS can hang off Azure).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);
/// Refresh this long before expiry.
const REFRESH_MARGIN_SECS: i64 = 300;

/// Tries each Azure credential in order and remembers the first that worked.
pub struct AzureCredentialChain {
    cloud: Cloud,
    credentials: Vec<(&'static str, Arc<dyn TokenCredential>)>,
    cache: Mutex<Option<Cached>>,
}

struct Cached {
    token: BearerToken,
    expires_on: OffsetDateTime,
    source: &'static str,
}

impl std::fmt::Debug for AzureCredentialChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.credentials.iter().map(|(n, _)| *n).collect();
        f.debug_struct("AzureCredentialChain")
            .field("cloud", &self.cloud)
            .field("credentials", &names)
            .finish_non_exhaustive()
    }
}

impl AzureCredentialChain {
    /// Builds the chain for `cloud` from what the environment offers.
    pub fn new(cloud: Cloud) -> Self {
        let mut credentials: Vec<(&'static str, Arc<dyn TokenCredential>)> = Vec::new();
        let client_options = || ClientOptions {
            cloud: Some(Arc::new(cloud.configuration())),
            ..Default::default()
        };
        if let Ok(c) = AzureCliCredential::new(None) {
            credentials.push(("Azure CLI", c));
        }
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let (Some(tenant), Some(client), Some(secret)) = (
            env("AZURE_TENANT_ID"),
            env("AZURE_CLIENT_ID"),
            env("AZURE_CLIENT_SECRET"),
        ) {
            let options = ClientSecretCredentialOptions {
                client_options: client_options(),
            };
            if let Ok(c) =
                ClientSecretCredential::new(&tenant, client, secret.into(), Some(options))
            {
                credentials.push(("service principal (environment)", c));
            }
        }
        if env("AZURE_FEDERATED_TOKEN_FILE").is_some()
            && let Ok(c) = WorkloadIdentityCredential::new(None)
        {
            credentials.push(("workload identity", c));
        }
        let mi = ManagedIdentityCredentialOptions {
            client_options: client_options(),
            ..Default::default()
        };
        if let Ok(c) = ManagedIdentityCredential::new(Some(mi)) {
            credentials.push(("managed identity", c));
        }
        Self {
            cloud,
            credentials,
            cache: Mutex::new(None),
        }
    }

    fn cached(&self) -> Option<BearerToken> {
        let guard = self.cache.lock().ok()?;
        let cached = guard.as_ref()?;
        let fresh = cached.expires_on.unix_timestamp() - OffsetDateTime::now_utc().unix_timestamp()
            > REFRESH_MARGIN_SECS;
        fresh.then(|| cached.token.clone())
    }

    async fn fetch(&self) -> Result<BearerToken, AuthError> {
        let scope = self.cloud.scope();
        let mut attempts = Vec::new();
        for (name, credential) in &self.credentials {
            let result = tokio::time::timeout(
                ATTEMPT_TIMEOUT,
                credential.get_token(&[scope.as_str()], None),
            )
            .await;
            match result {
                Ok(Ok(token)) => {
                    let bearer = BearerToken::new(token.token.secret().to_owned());
                    if let Ok(mut guard) = self.cache.lock() {
                        *guard = Some(Cached {
                            token: bearer.clone(),
                            expires_on: token.expires_on,
                            source: name,
                        });
                    }
                    tracing::info!(source = name, "signed in to {}", self.cloud.label());
                    return Ok(bearer);
                }
                Ok(Err(e)) => attempts.push(format!("{name}: {}", first_line(&e.to_string()))),
                Err(_) => attempts.push(format!("{name}: timed out")),
            }
        }
        Err(AuthError::NoCredential { attempts })
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or(text)
        .chars()
        .take(200)
        .collect()
}

impl TokenSource for AzureCredentialChain {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            if let Some(token) = self.cached() {
                return Ok(token);
            }
            self.fetch().await
        })
    }

    fn describe(&self) -> String {
        let source = self
            .cache
            .lock()
            .ok()
            .and_then(|g| g.as_ref().map(|c| c.source))
            .unwrap_or("not signed in yet");
        format!("{} ({source})", self.cloud.label())
    }
}
