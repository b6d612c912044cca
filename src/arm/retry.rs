//! Retry timing: Retry-After parsing and exponential backoff with jitter.

use std::time::Duration;

use rand::Rng as _;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// `Retry-After` as seconds (ARM sends integers; an HTTP date is accepted too).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
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
    fn retry_after_reads_seconds() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "17".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(17)));
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }
}
