//! [`Timestamp`]: a moment in the form the service's filters accept (`lastModified`).

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

/// A date and time of day, to the second, with no time zone — the form the service reads in
/// filters such as `lastModified`. It is sent as `YYYY-MM-DDTHH:MM:SS`.
///
/// The service does not say in which zone it reads these; its records are stamped in UTC
/// (`2018-10-01T18:12:06.025Z`), and [`Timestamp::from_system_time`] converts to UTC. For
/// incremental sync, ask from a little before the last sync: a record is then seen twice
/// rather than never.
///
/// ```
/// use seventime::Timestamp;
///
/// let since: Timestamp = "2024-05-01 08:30".parse().unwrap();
/// assert_eq!(since.to_string(), "2024-05-01T08:30:00");
/// assert_eq!(Timestamp::new(2024, 5, 1, 8, 30, 0).unwrap(), since);
/// assert!("2024-02-30 08:00".parse::<Timestamp>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

/// Why a [`Timestamp`] could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid timestamp `{input}`: {reason}; write it as YYYY-MM-DD, YYYY-MM-DD HH:MM, YYYY-MM-DD HH:MM:SS or with `T` between date and time (no time zone)"
)]
pub struct TimestampError {
    input: String,
    reason: &'static str,
}

impl Timestamp {
    /// The moment `year-month-day hour:minute:second`; an error if there is no such moment
    /// (month 13, 30 February, hour 24, a year outside 1970–9999).
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Result<Self, TimestampError> {
        let input = || format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}");
        let fail = |reason| TimestampError {
            input: input(),
            reason,
        };
        if !(1970..=9999).contains(&year) {
            return Err(fail("the year is outside 1970–9999"));
        }
        if !(1..=12).contains(&month) {
            return Err(fail("the month is outside 1–12"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(fail("the month has no such day"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(fail("the time of day is outside 00:00:00–23:59:59"));
        }
        Ok(Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// The moment `time`, in UTC, to the second (earlier moments than 1970 become 1970-01-01).
    pub fn from_system_time(time: SystemTime) -> Self {
        let seconds = time
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        Self::from_unix_seconds(seconds)
    }

    /// The moment `seconds` after 1970-01-01T00:00:00 UTC (capped at the end of year 9999).
    pub fn from_unix_seconds(seconds: u64) -> Self {
        const LAST: u64 = 253_402_300_799; // 9999-12-31T23:59:59
        let seconds = seconds.min(LAST);
        let days = seconds / 86_400;
        let of_day = seconds % 86_400;
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            hour: (of_day / 3600) as u8,
            minute: (of_day % 3600 / 60) as u8,
            second: (of_day % 60) as u8,
        }
    }

    /// Reads a moment as records carry it (`modifiedDate`: `2018-10-01T18:12:06.025Z`), to the
    /// second: any form [`FromStr`] takes, or one of them followed by fractional seconds and a
    /// zone, which are dropped. `None` when the text starts with no such moment.
    pub fn from_record(text: &str) -> Option<Self> {
        let text = text.trim();
        text.parse().ok().or_else(|| text.get(..19)?.parse().ok())
    }

    /// Seconds since 1970-01-01T00:00:00, reading this moment as UTC.
    pub fn unix_seconds(&self) -> u64 {
        days_from_civil(self.year, self.month, self.day) * 86_400
            + u64::from(self.hour) * 3600
            + u64::from(self.minute) * 60
            + u64::from(self.second)
    }
}

fn is_leap(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date in 1970–9999.
fn days_from_civil(year: u16, month: u8, day: u8) -> u64 {
    let before_year: u64 = (1970..year)
        .map(|y| if is_leap(y) { 366 } else { 365 })
        .sum();
    let before_month: u64 = (1..month).map(|m| u64::from(days_in_month(year, m))).sum();
    before_year + before_month + u64::from(day) - 1
}

/// The date `days` after 1970-01-01.
fn civil_from_days(mut days: u64) -> (u16, u8, u8) {
    let mut year = 1970u16;
    loop {
        let length = if is_leap(year) { 366 } else { 365 };
        if days < length {
            break;
        }
        days -= length;
        year += 1;
    }
    let mut month = 1u8;
    loop {
        let length = u64::from(days_in_month(year, month));
        if days < length {
            break;
        }
        days -= length;
        month += 1;
    }
    (year, month, days as u8 + 1)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    /// Reads `YYYY-MM-DD`, `YYYY-MM-DD HH:MM`, `YYYY-MM-DD HH:MM:SS`, or either of the latter
    /// with `T` in place of the space: the forms the service documents, and a date alone for
    /// midnight.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = |reason| TimestampError {
            input: text.to_string(),
            reason,
        };
        let bytes = text.trim().as_bytes();
        let number = |range: std::ops::Range<usize>| -> Result<u16, TimestampError> {
            let digits = bytes.get(range).ok_or_else(|| fail("it is too short"))?;
            digits.iter().try_fold(0u16, |value, &b| {
                if b.is_ascii_digit() {
                    Ok(value * 10 + u16::from(b - b'0'))
                } else {
                    Err(fail("a digit was expected"))
                }
            })
        };
        let expect = |at: usize, wanted: &[u8], reason| {
            if bytes.get(at).is_some_and(|b| wanted.contains(b)) {
                Ok(())
            } else {
                Err(fail(reason))
            }
        };
        expect(4, b"-", "the date is not YYYY-MM-DD")?;
        expect(7, b"-", "the date is not YYYY-MM-DD")?;
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let (hour, minute, second) = match bytes.len() {
            10 => (0, 0, 0),
            16 | 19 => {
                expect(
                    10,
                    b"T ",
                    "date and time are not separated by `T` or a space",
                )?;
                expect(13, b":", "the time is not HH:MM or HH:MM:SS")?;
                let second = if bytes.len() == 19 {
                    expect(16, b":", "the time is not HH:MM or HH:MM:SS")?;
                    number(17..19)?
                } else {
                    0
                };
                (number(11..13)?, number(14..16)?, second)
            }
            _ if bytes.len() > 19 => {
                return Err(fail(
                    "fractions of a second and time zones are not accepted by the service",
                ));
            }
            _ => return Err(fail("it is not one of the accepted lengths")),
        };
        let narrow = |v: u16| u8::try_from(v).map_err(|_| fail("a field is out of range"));
        Self::new(
            year,
            narrow(month)?,
            narrow(day)?,
            narrow(hour)?,
            narrow(minute)?,
            narrow(second)?,
        )
        .map_err(|error| TimestampError {
            input: text.to_string(),
            reason: error.reason,
        })
    }
}

impl TryFrom<&str> for Timestamp {
    type Error = TimestampError;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl TryFrom<String> for Timestamp {
    type Error = TimestampError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<SystemTime> for Timestamp {
    fn from(time: SystemTime) -> Self {
        Self::from_system_time(time)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> String {
        "Timestamp".to_string()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            string: Some(Box::new(schemars::schema::StringValidation {
                pattern: Some(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$".to_string()),
                ..Default::default()
            })),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_form_parses_to_the_same_moment() {
        let expected = Timestamp::new(2024, 5, 1, 8, 30, 0).unwrap();
        for text in [
            "2024-05-01 08:30",
            "2024-05-01 08:30:00",
            "2024-05-01T08:30",
            "2024-05-01T08:30:00",
            " 2024-05-01T08:30:00 ",
        ] {
            assert_eq!(text.parse::<Timestamp>().unwrap(), expected, "{text}");
        }
        assert_eq!(
            "2024-05-01".parse::<Timestamp>().unwrap(),
            Timestamp::new(2024, 5, 1, 0, 0, 0).unwrap()
        );
    }

    #[test]
    fn impossible_or_unaccepted_forms_say_why() {
        for (text, reason) in [
            ("2023-02-29 00:00", "no such day"),
            ("2024-13-01", "month"),
            ("2024-05-01 24:00", "time of day"),
            ("2024-05-01T08:30:00Z", "time zones"),
            ("2024-05-01T08:30:00.000", "fractions"),
            ("01/05/2024", "YYYY-MM-DD"),
            ("2024-05-01X08:30", "separated"),
            ("", "YYYY-MM-DD"),
        ] {
            let error = text.parse::<Timestamp>().unwrap_err().to_string();
            assert!(error.contains(reason), "{text}: {error}");
            assert!(error.contains("YYYY-MM-DD HH:MM"), "{error}");
        }
    }

    #[test]
    fn unix_seconds_round_trip_through_the_calendar() {
        for seconds in [0, 951_782_400, 1_709_164_800, 1_714_552_200, 4_102_444_799] {
            let moment = Timestamp::from_unix_seconds(seconds);
            assert_eq!(moment.unix_seconds(), seconds, "{moment}");
        }
        assert_eq!(
            Timestamp::from_unix_seconds(951_782_400).to_string(),
            "2000-02-29T00:00:00"
        );
    }
}
