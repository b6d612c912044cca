//! `Timestamp`: an ARM date-time (RFC 3339, up to 7 fractional digits).

use std::fmt;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

static LOCAL_OFFSET: std::sync::OnceLock<time::UtcOffset> = std::sync::OnceLock::new();

/// Reads the local UTC offset. Call once from `main` before any thread starts: on Linux
/// the offset can only be read safely while the process is single-threaded.
pub fn init_local_offset() {
    let offset = time::UtcOffset::current_local_offset().unwrap_or(time::UtcOffset::UTC);
    LOCAL_OFFSET.get_or_init(|| offset);
}

/// The local offset read by [`init_local_offset`], or UTC.
pub fn local_offset() -> time::UtcOffset {
    LOCAL_OFFSET.get().copied().unwrap_or(time::UtcOffset::UTC)
}

/// An instant as ARM writes it, e.g. `2021-01-27T20:35:05.8401519+00:00`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub OffsetDateTime);

impl Timestamp {
    /// Parses RFC 3339 text.
    pub fn parse(text: &str) -> Result<Self, time::error::Parse> {
        OffsetDateTime::parse(text, &Rfc3339).map(Self)
    }

    /// Seconds since the Unix epoch.
    pub fn unix_secs(&self) -> i64 {
        self.0.unix_timestamp()
    }

    /// From seconds since the Unix epoch (clamped to a valid date).
    pub fn from_unix_secs(secs: i64) -> Self {
        Self(OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH))
    }

    /// "2026-11-22 03:31" in the local time zone (see [`init_local_offset`]), for people.
    pub fn local_text(&self) -> String {
        let t = self.0.to_offset(local_offset());
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        )
    }

    /// "20261122T033105" (UTC): a compact stamp for file and resource names, in order
    /// when sorted.
    pub fn compact_stamp(&self) -> String {
        let t = self.0.to_offset(time::UtcOffset::UTC);
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }

    /// RFC 3339 text in UTC, as ARM writes it.
    pub fn to_rfc3339(&self) -> String {
        self.0
            .to_offset(time::UtcOffset::UTC)
            .format(&Rfc3339)
            .unwrap_or_else(|_| self.0.unix_timestamp().to_string())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.to_rfc3339())
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text)
            .map_err(|e| serde::de::Error::custom(format!("bad timestamp {text:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arm_timestamps() {
        let t = Timestamp::parse("2021-01-27T20:35:05.8401519+00:00").unwrap();
        assert_eq!(t.unix_secs(), 1611779705);
        assert!(Timestamp::parse("yesterday").is_err());
    }
}
