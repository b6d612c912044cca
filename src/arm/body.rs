//! Reading a response body with a size cap: a broken or hostile server could otherwise
//! send hundreds of megabytes that would all be held in memory before being refused.

use bytes::{Bytes, BytesMut};

/// Why a body could not be read.
pub(crate) enum BodyError {
    /// Past the cap (declared in `Content-Length`, or reached while reading).
    TooLarge,
    /// The connection failed while reading.
    Transport(reqwest::Error),
}

/// Memory reserved up front, whatever `Content-Length` claims.
const INITIAL_CAPACITY: usize = 1024 * 1024;

/// The body, read chunk by chunk; stops as soon as it would pass `limit` bytes.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Bytes, BodyError> {
    let declared = response.content_length();
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    let capacity = declared.map_or(0, |n| n as usize).min(INITIAL_CAPACITY);
    let mut body = BytesMut::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// A byte count as the limit is usually given: `64 MiB`, `256 KiB`, or bytes.
pub(crate) fn byte_size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * KIB;
    match bytes {
        0 => "0 bytes".to_owned(),
        b if b % MIB == 0 => format!("{} MiB", b / MIB),
        b if b % KIB == 0 => format!("{} KiB", b / KIB),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_they_are_given() {
        assert_eq!(byte_size(64 * 1024 * 1024), "64 MiB");
        assert_eq!(byte_size(256 * 1024), "256 KiB");
        assert_eq!(byte_size(1000), "1000 bytes");
        assert_eq!(byte_size(0), "0 bytes");
    }
}
