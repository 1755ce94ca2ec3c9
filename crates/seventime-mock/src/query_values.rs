//! Reading query values exactly as the spec's schemas admit them, no more and no less.
//!
//! A property-based run over the spec (`.ci/run`'s schemathesis step) sends values the schemas
//! admit and expects them accepted, and values they do not admit and expects `400`. So these
//! readers follow JSON's grammar rather than Rust's `parse`, which is laxer (`+5`, `05`, `inf`,
//! `infinity`).

use seventime::Timestamp;

/// An integer as JSON writes it (an optional `-`, then `0` or digits not starting with `0`)
/// that fits the `int64` format every integer parameter of the spec has.
pub(crate) fn integer(text: &str) -> Option<i64> {
    is_integer(text).then(|| text.parse().ok()).flatten()
}

/// Whether `text` is an integer as JSON writes it, of any size.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
}

/// A number as JSON writes it: an integer, then optionally `.digits`, then optionally an
/// exponent (`e`/`E`, an optional sign, digits).
pub(crate) fn is_number(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    is_integer(whole)
        && fraction.is_none_or(digits)
        && exponent
            .is_none_or(|exponent| digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent)))
}

/// `true` or `false`, spelt exactly so.
pub(crate) fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// A moment in one of the four forms of the spec's `Timestamp`: `YYYY-MM-DDTHH:MM`,
/// `YYYY-MM-DDTHH:MM:SS`, or either with a space for the `T`. [`Timestamp`]'s own reading also
/// takes a date alone and surrounding spaces, which the schema does not admit; the lengths
/// rule those out before the calendar is checked.
pub(crate) fn timestamp(text: &str) -> Result<Timestamp, String> {
    if !matches!(text.len(), 16 | 19) || text.trim() != text {
        return Err(format!(
            "invalid timestamp `{text}`: write it as YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (a space may replace the T; no time zone)"
        ));
    }
    text.parse().map_err(|error| format!("{error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_json_within_int64() {
        for good in [
            "0",
            "-0",
            "7",
            "-15",
            "500",
            "9223372036854775807",
            "-9223372036854775808",
        ] {
            assert!(integer(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "-",
            "+5",
            "05",
            " 5",
            "5 ",
            "5.0",
            "1e2",
            "0x10",
            "٣",
            "9223372036854775808",
            "-9223372036854775809",
        ] {
            assert!(integer(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn numbers_follow_json() {
        for good in [
            "0",
            "-0.5",
            "1.25",
            "1e5",
            "1E+5",
            "2.5e-3",
            "123456789.123456789",
        ] {
            assert!(is_number(good), "{good}");
        }
        for bad in [
            "", ".5", "5.", "+1", "01", "1e", "1e+", "inf", "NaN", "1_0", " 1",
        ] {
            assert!(!is_number(bad), "{bad:?}");
        }
    }

    #[test]
    fn timestamps_take_the_four_forms_only() {
        for good in [
            "2024-05-01T08:30",
            "2024-05-01 08:30",
            "2024-05-01T08:30:59",
            "2024-02-29 23:59:00",
        ] {
            assert!(timestamp(good).is_ok(), "{good}");
        }
        for bad in [
            "2024-05-01",
            " 2024-05-01T08:30",
            "2024-05-01T08:30 ",
            "2024-05-01T08:30:00Z",
            "2023-02-29T00:00",
            "2024-13-01T00:00",
            "2024-01-01T24:00",
        ] {
            assert!(timestamp(bad).is_err(), "{bad:?}");
        }
    }
}
