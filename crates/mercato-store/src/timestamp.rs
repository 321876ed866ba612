//! A UTC instant stored natively on both backends: `timestamptz` on
//! PostgreSQL, and on SQLite fixed-width text (`2026-11-29T04:30:00.123456Z`,
//! always six fraction digits) so that text order is time order. sqlx's own
//! `OffsetDateTime` on SQLite writes a variable number of digits, which
//! compares wrongly as text.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Postgres, Sqlite, Type};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// A UTC timestamp with microsecond precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

const SQLITE_FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

impl Timestamp {
    /// Now, truncated to microseconds (PostgreSQL's precision), so a value
    /// read back equals the value written.
    pub fn now() -> Self {
        Self::from(OffsetDateTime::now_utc())
    }

    /// The instant as `time` sees it.
    pub fn as_offset(&self) -> OffsetDateTime {
        self.0
    }

    /// `self + d`.
    pub fn plus(&self, d: time::Duration) -> Self {
        Self::from(self.0 + d)
    }

    fn sqlite_text(&self) -> String {
        // Cannot fail for years 0..=9999 with a fixed UTC offset.
        self.0.format(SQLITE_FORMAT).unwrap_or_default()
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(t: OffsetDateTime) -> Self {
        let t = t.to_offset(UtcOffset::UTC);
        let micros = t.microsecond();
        Self(t.replace_nanosecond(micros * 1000).unwrap_or(t))
    }
}

impl Type<Sqlite> for Timestamp {
    fn type_info() -> <Sqlite as Database>::TypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl Encode<'_, Sqlite> for Timestamp {
    fn encode_by_ref(
        &self,
        buf: &mut <Sqlite as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<'_, Sqlite>>::encode(self.sqlite_text(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for Timestamp {
    fn decode(value: <Sqlite as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let s = <String as Decode<'r, Sqlite>>::decode(value)?;
        let p = PrimitiveDateTime::parse(&s, SQLITE_FORMAT)?;
        Ok(Self(p.assume_utc()))
    }
}

impl Type<Postgres> for Timestamp {
    fn type_info() -> <Postgres as Database>::TypeInfo {
        <OffsetDateTime as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for Timestamp {
    fn encode_by_ref(
        &self,
        buf: &mut <Postgres as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        <OffsetDateTime as Encode<'_, Postgres>>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> Decode<'r, Postgres> for Timestamp {
    fn decode(value: <Postgres as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Self(<OffsetDateTime as Decode<'r, Postgres>>::decode(
            value,
        )?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_text_is_fixed_width_and_sorts() {
        let a = Timestamp::from(time::macros::datetime!(2026-11-29 04:30:00 UTC));
        let b = a.plus(time::Duration::microseconds(5));
        assert_eq!(a.sqlite_text(), "2026-11-29T04:30:00.000000Z");
        assert_eq!(b.sqlite_text(), "2026-11-29T04:30:00.000005Z");
        assert!(a.sqlite_text() < b.sqlite_text());
    }
}
