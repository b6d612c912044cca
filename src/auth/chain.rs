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

/// Tries each Azure credential in order and remembers the first that worked: a refresh
/// asks that one first (as azure_identity's developer tools credential does), and only
/// one refresh runs at a time (concurrent misses wait for it and share its token).
pub struct AzureCredentialChain {
    cloud: Cloud,
    credentials: Vec<(&'static str, Arc<dyn TokenCredential>)>,
    cache: Mutex<Option<Cached>>,
    /// Index of the credential that worked last.
    worked: Mutex<Option<usize>>,
    refreshing: tokio::sync::Mutex<()>,
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
        Self::with_credentials(cloud, credentials)
    }

    /// A chain over the given credentials, tried in order (for embedding and tests).
    pub fn with_credentials(
        cloud: Cloud,
        credentials: Vec<(&'static str, Arc<dyn TokenCredential>)>,
    ) -> Self {
        Self {
            cloud,
            credentials,
            cache: Mutex::new(None),
            worked: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
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
        // The source that worked last goes first; the others keep their order after it.
        let first = self.worked.lock().ok().and_then(|w| *w);
        let mut order: Vec<usize> = first.into_iter().collect();
        order.extend((0..self.credentials.len()).filter(|i| Some(*i) != first));
        for index in order {
            let (name, credential) = &self.credentials[index];
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
                    if let Ok(mut w) = self.worked.lock() {
                        *w = Some(index);
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
            let _turn = self.refreshing.lock().await;
            // Whoever held the lock before may have refreshed already.
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use azure_core::credentials::{AccessToken, Secret, TokenRequestOptions};
    use azure_core::error::{Error, ErrorKind};

    use super::*;

    /// A credential that counts its calls and hands out tokens living `lifetime_secs`.
    #[derive(Debug)]
    struct Counting {
        calls: AtomicUsize,
        lifetime_secs: i64,
        fails: bool,
        delay_ms: u64,
    }

    #[async_trait::async_trait]
    impl TokenCredential for Counting {
        async fn get_token(
            &self,
            scopes: &[&str],
            _: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            assert_eq!(scopes, ["https://management.azure.com/.default"]);
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            if self.delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(self.delay_ms)).await;
            }
            if self.fails {
                return Err(Error::with_message(
                    ErrorKind::Credential,
                    "Azure CLI not found on path",
                ));
            }
            let expires_on =
                OffsetDateTime::now_utc() + time::Duration::seconds(self.lifetime_secs);
            Ok(AccessToken::new(
                Secret::new(format!("token-{n}")),
                expires_on,
            ))
        }
    }

    fn counting(lifetime_secs: i64, fails: bool) -> Arc<Counting> {
        Arc::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime_secs,
            fails,
            delay_ms: 0,
        })
    }

    #[tokio::test]
    async fn a_refresh_starts_with_the_source_that_worked() {
        let cli = counting(60, true);
        let sp = counting(60, false);
        let chain = AzureCredentialChain::with_credentials(
            Cloud::Public,
            vec![
                ("Azure CLI", cli.clone()),
                ("service principal", sp.clone()),
            ],
        );
        for _ in 0..3 {
            chain.token().await.unwrap();
        }
        assert_eq!(
            sp.calls.load(Ordering::SeqCst),
            3,
            "short-lived: refreshed each time"
        );
        assert_eq!(
            cli.calls.load(Ordering::SeqCst),
            1,
            "the Azure CLI that failed is not asked again at each refresh"
        );
    }

    #[tokio::test]
    async fn concurrent_misses_fetch_one_token() {
        let slow = Arc::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime_secs: 3600,
            fails: false,
            delay_ms: 50,
        });
        let chain = Arc::new(AzureCredentialChain::with_credentials(
            Cloud::Public,
            vec![("slow", slow.clone())],
        ));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let c = chain.clone();
                tokio::spawn(async move { c.token().await.map(|t| t.secret().to_owned()) })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), "token-0");
        }
        assert_eq!(
            slow.calls.load(Ordering::SeqCst),
            1,
            "one refresh at a time"
        );
    }

    #[tokio::test]
    async fn tokens_are_cached_until_shortly_before_expiry() {
        let long = counting(3600, false);
        let chain =
            AzureCredentialChain::with_credentials(Cloud::Public, vec![("long", long.clone())]);
        let a = chain.token().await.unwrap();
        let b = chain.token().await.unwrap();
        assert_eq!(a, b);
        assert_eq!(
            long.calls.load(Ordering::SeqCst),
            1,
            "the second call came from the cache"
        );

        let short = counting(120, false);
        let chain =
            AzureCredentialChain::with_credentials(Cloud::Public, vec![("short", short.clone())]);
        chain.token().await.unwrap();
        chain.token().await.unwrap();
        assert_eq!(
            short.calls.load(Ordering::SeqCst),
            2,
            "a token within five minutes of expiry is refreshed"
        );
    }

    #[tokio::test]
    async fn the_chain_falls_through_to_the_first_credential_that_works() {
        let cli = counting(3600, true);
        let sp = counting(3600, false);
        let chain = AzureCredentialChain::with_credentials(
            Cloud::Public,
            vec![
                ("Azure CLI", cli.clone()),
                ("service principal", sp.clone()),
            ],
        );
        assert_eq!(chain.token().await.unwrap().secret(), "token-0");
        assert_eq!(cli.calls.load(Ordering::SeqCst), 1);
        assert!(chain.describe().contains("service principal"));
    }

    #[tokio::test]
    async fn when_every_credential_fails_the_error_says_how_to_sign_in() {
        let chain = AzureCredentialChain::with_credentials(
            Cloud::Public,
            vec![("Azure CLI", counting(3600, true))],
        );
        let message = chain.token().await.unwrap_err().to_string();
        assert!(message.contains("az login"), "{message}");
        assert!(message.contains("Azure CLI: "), "{message}");
    }
}
