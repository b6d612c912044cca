//! Credentials: where the bearer token on each ARM request comes from.
//!
//! Tokens are wrapped in [`BearerToken`], whose `Debug` never prints the secret, so they
//! cannot reach logs by accident.

mod chain;
mod claims;
mod cloud;
mod token;

pub use chain::AzureCredentialChain;
pub use claims::principal_of;
pub use cloud::Cloud;
pub use token::{AuthError, BearerToken, StaticToken, TokenFuture, TokenSource};
