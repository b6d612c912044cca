//! Retry timing: Retry-After parsing and exponential backoff with jitter.

use std::time::Duration;

use rand::Rng as _;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How long the server asks to wait: `retry-after-ms` and `x-ms-retry-after-ms` (in
/// milliseconds, the most precise, as Azure's own SDKs read them first), then
/// `x-ms-retry-after` and `Retry-After` (seconds; an HTTP date is accepted too).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let number =
        |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
    if let Some(ms) = number("retry-after-ms").or_else(|| number("x-ms-retry-after-ms")) {
        return Some(Duration::from_millis(ms));
    }
    if let Some(secs) = number("x-ms-retry-after") {
        return Some(Duration::from_secs(secs));
    }
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when =
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc2822).ok()?;
    let delta = when - time::OffsetDateTime::now_utc();
    Some(Duration::from_secs(delta.whole_seconds().max(0) as u64))
}

/// Full-jitter exponential backoff: uniform in [base·2ⁿ/2, base·2ⁿ], capped.
pub(crate) fn backoff(attempt: u32, base: Duration, cap: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(16)).min(cap);
    let half = exp / 2;
    let jitter_ms = rand::rng().random_range(0..=half.as_millis().max(1) as u64);
    half + Duration::from_millis(jitter_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let base = Duration::from_millis(100);
        let cap = Duration::from_secs(2);
        for attempt in 0..10 {
            let d = backoff(attempt, base, cap);
            assert!(d <= cap + Duration::from_millis(1), "{d:?}");
        }
        assert!(backoff(0, base, cap) <= Duration::from_millis(101));
        assert!(backoff(4, base, cap) >= Duration::from_millis(800));
    }

    #[test]
    fn retry_after_reads_the_millisecond_and_ms_headers_too() {
        let mut h = HeaderMap::new();
        h.insert("retry-after-ms", "1500".parse().unwrap());
        h.insert(RETRY_AFTER, "9".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_millis(1500)));
        let mut h = HeaderMap::new();
        h.insert("x-ms-retry-after-ms", "250".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_millis(250)));
        let mut h = HeaderMap::new();
        h.insert("x-ms-retry-after", "3".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
    }

    #[test]
    fn retry_after_reads_seconds() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "17".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(17)));
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }
}
