//! The token source abstraction and the static token used for the emulator.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A bearer token. `Debug` and `Display` redact it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct BearerToken(String);

impl BearerToken {
    /// Wraps a token.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for the `Authorization` header only.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

impl fmt::Display for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Why no token could be had.
#[derive(Clone, Debug, thiserror::Error)]
pub enum AuthError {
    /// Every credential in the chain failed; each attempt is listed.
    #[error("could not sign in to Azure ({}). Run `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET", .attempts.join("; "))]
    NoCredential { attempts: Vec<String> },
    /// The configured token is empty.
    #[error("the access token is empty")]
    EmptyToken,
}

/// A boxed future returning a token.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<BearerToken, AuthError>> + Send + 'a>>;

/// Anything that can produce a bearer token for ARM.
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// A valid token, from cache when possible.
    fn token(&self) -> TokenFuture<'_>;

    /// What this source is, for the UI ("Azure CLI", "static token").
    fn describe(&self) -> String;
}

/// A fixed token, for the local emulator or a custom endpoint.
#[derive(Debug, Clone)]
pub struct StaticToken(BearerToken);

impl StaticToken {
    /// A source that always returns `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Self(BearerToken::new(token))
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move {
            if token.secret().is_empty() {
                Err(AuthError::EmptyToken)
            } else {
                Ok(token)
            }
        })
    }

    fn describe(&self) -> String {
        "static token".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_debug_and_display_are_redacted() {
        let t = BearerToken::new("eyJ0eXAiOiJKV1QiLCJhbGciOi.secret");
        assert!(!format!("{t:?}").contains("secret"));
        assert!(!format!("{t}").contains("secret"));
        let s = StaticToken::new("eyJ0eXAiOiJKV1QiLCJhbGciOi.secret");
        assert!(!format!("{s:?}").contains("secret"));
    }
}
