//! One typed error for everything the client can meet.

use crate::auth::AuthError;
use crate::model::ArmErrorDetail;

/// Where an error happened: the request and ARM's tracing ids.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestContext {
    pub method: String,
    /// Path and query of the request (no host, never a token).
    pub path: String,
    pub request_id: Option<String>,
    pub correlation_id: Option<String>,
    /// `Retry-After` the server asked for, in seconds, when it asked.
    pub retry_after_secs: Option<u64>,
}

/// Everything that can go wrong talking to ARM.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ArmError {
    /// ARM answered with its error envelope.
    #[error("{code}: {message}")]
    Api {
        status: u16,
        code: String,
        message: String,
        target: Option<String>,
        details: Vec<ArmErrorDetail>,
        ctx: RequestContext,
    },
    /// An error status without an ARM error body (an HTML error page, a proxy).
    #[error("HTTP {status} from the server: {summary}")]
    UnexpectedResponse {
        status: u16,
        summary: String,
        ctx: RequestContext,
    },
    /// A success status whose body is not what ARM sends.
    #[error("malformed response (HTTP {status}): {message}")]
    Decode {
        status: u16,
        message: String,
        ctx: RequestContext,
    },
    /// The body passed `ClientOptions::max_response_bytes`; reading stopped there.
    #[error(
        "response too large (HTTP {status}): more than the {} limit for one answer; stopped reading",
        super::body::byte_size(*limit)
    )]
    TooLarge {
        status: u16,
        /// The limit in bytes.
        limit: usize,
        ctx: RequestContext,
    },
    /// The request never got an answer.
    #[error("network error: {message}")]
    Transport {
        message: String,
        ctx: RequestContext,
    },
    /// A long-running operation ended Failed or Canceled.
    #[error("operation {status}: {code}: {message}")]
    OperationFailed {
        status: String,
        code: String,
        message: String,
        details: Vec<ArmErrorDetail>,
        ctx: RequestContext,
    },
    /// No token.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// The caller cancelled.
    #[error("cancelled")]
    Cancelled,
    /// The endpoint is unusable.
    #[error("invalid endpoint: {0}")]
    Endpoint(String),
    /// The caller asked for something malformed (caught before any request).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

impl ArmError {
    /// The ARM error code (`ResourceNotFound`, `OperationNotAllowed`, …), if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } | Self::OperationFailed { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The HTTP status, if a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. }
            | Self::UnexpectedResponse { status, .. }
            | Self::Decode { status, .. }
            | Self::TooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The request context, if the error came from a request.
    pub fn context(&self) -> Option<&RequestContext> {
        match self {
            Self::Api { ctx, .. }
            | Self::UnexpectedResponse { ctx, .. }
            | Self::Decode { ctx, .. }
            | Self::TooLarge { ctx, .. }
            | Self::Transport { ctx, .. }
            | Self::OperationFailed { ctx, .. } => Some(ctx),
            _ => None,
        }
    }

    /// `x-ms-correlation-request-id`, for support tickets.
    pub fn correlation_id(&self) -> Option<&str> {
        self.context()?.correlation_id.as_deref()
    }

    /// `x-ms-request-id`.
    pub fn request_id(&self) -> Option<&str> {
        self.context()?.request_id.as_deref()
    }

    /// True for 404s.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}
