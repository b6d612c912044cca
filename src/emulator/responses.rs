//! Turning replies and errors into HTTP responses, including the deliberately broken
//! ones fault injection asks for.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use super::errors::ArmError;
use super::request::Reply;

pub fn reply_response(reply: Reply) -> Response {
    let mut builder = Response::builder().status(reply.status);
    let body = match reply.body {
        Some(v) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json; charset=utf-8");
            Body::from(serde_json::to_vec(&v).unwrap_or_default())
        }
        None => Body::empty(),
    };
    for (name, value) in reply.headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            builder = builder.header(name, v);
        }
    }
    builder
        .body(body)
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

pub fn error_response(e: &ArmError) -> Response {
    let mut reply = Reply::with(e.status_code(), e.body());
    if let Some(s) = e.retry_after {
        reply = reply.header("retry-after", s.to_string());
    }
    if e.status == 401 {
        reply = reply.header(
            "www-authenticate",
            "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\", error_description=\"The authentication failed because of missing 'Authorization' header.\"",
        );
    }
    reply = reply.header("x-ms-failure-cause", "gateway");
    reply_response(reply)
}

pub fn malformed_response() -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::from("{\"value\": [{\"id\": \"/subscriptions/"))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

/// Headers go out, then the body errors: hyper cuts the connection mid-response.
pub fn dropped_response() -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::new(BrokenBody))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

struct BrokenBody;

impl http_body::Body for BrokenBody {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected dropped connection",
        ))))
    }
}
