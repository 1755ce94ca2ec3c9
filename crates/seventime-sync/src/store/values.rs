//! How a property's JSON value becomes a column's parameter: the value when it has the
//! column's type, otherwise NULL (the row's `raw` keeps it as received).

use serde_json::Value;
use seventime::Timestamp;

use super::Param;
use crate::schema::Kind;

/// A property's value as the column of `kind` stores it: the value when it has the column's
/// type, otherwise NULL (`raw` holds every value as received, so nothing is lost). Objects and
/// lists in a text column are kept as JSON text.
pub(crate) fn bind(kind: Kind, value: Option<&Value>) -> Param {
    let Some(value) = value else {
        return Param::Null;
    };
    match (kind, value) {
        (_, Value::Null) => Param::Null,
        (Kind::Json, value) => Param::Text(json_text(value)),
        (Kind::Text, Value::String(text)) => Param::Text(text.clone()),
        (Kind::Text, Value::Number(number)) => Param::Text(number.to_string()),
        (Kind::Text, Value::Bool(flag)) => Param::Text(flag.to_string()),
        (Kind::Text, other) => Param::Text(json_text(other)),
        (Kind::Timestamp, Value::String(text)) if is_moment(text) => Param::Text(text.clone()),
        (Kind::Integer, Value::Number(number)) => {
            number.as_i64().map_or(Param::Null, Param::Integer)
        }
        (Kind::Number, Value::Number(number)) => match number.as_i64() {
            Some(whole) => Param::Integer(whole),
            None => number.as_f64().map_or(Param::Null, Param::Real),
        },
        (Kind::Boolean, Value::Bool(flag)) => Param::Boolean(*flag),
        _ => Param::Null,
    }
}

/// Whether `text` is an ISO 8601 date or moment a timestamp column takes: a valid date and
/// time of day, then optional fractions of a second and an optional zone (`Z`, `+01:00`).
fn is_moment(text: &str) -> bool {
    if text.len() == 10 {
        return Timestamp::from_record(text).is_some();
    }
    if text.len() < 19
        || !text.is_char_boundary(19)
        || Timestamp::from_record(&text[..19]).is_none()
    {
        return false;
    }
    let rest = &text[19..];
    let rest = match rest.strip_prefix('.') {
        Some(fraction) => {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return false;
            }
            &fraction[digits..]
        }
        None => rest,
    };
    match rest.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', zone @ ..] => {
            let zone: Vec<u8> = zone.iter().copied().filter(|b| *b != b':').collect();
            matches!(zone.len(), 2 | 4) && zone.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// `value` as JSON text. `serde_json::to_string` writes bytes straight into the string, where
/// `Value`'s `Display` goes through the formatter piece by piece (a fifth of a sync's time was
/// there); a `Value` always serializes, so the empty fallback is never taken.
pub(crate) fn json_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_value_of_another_type_than_the_column_is_null_there() {
        assert_eq!(bind(Kind::Integer, Some(&json!(7))), Param::Integer(7));
        assert_eq!(bind(Kind::Integer, Some(&json!("7"))), Param::Null);
        assert_eq!(bind(Kind::Integer, Some(&json!(u64::MAX))), Param::Null);
        assert_eq!(bind(Kind::Number, Some(&json!(1.5))), Param::Real(1.5));
        assert_eq!(
            bind(Kind::Boolean, Some(&json!(true))),
            Param::Boolean(true)
        );
        assert_eq!(bind(Kind::Boolean, Some(&json!(1))), Param::Null);
        assert_eq!(
            bind(Kind::Text, Some(&json!({"a": 1}))),
            Param::Text(r#"{"a":1}"#.into())
        );
        assert_eq!(
            bind(Kind::Json, Some(&json!("x"))),
            Param::Text(r#""x""#.into())
        );
        assert_eq!(bind(Kind::Text, None), Param::Null);
    }

    #[test]
    fn timestamp_columns_take_iso_moments_only() {
        for good in [
            "2018-10-01T18:12:06.025Z",
            "2018-10-01T18:12:06",
            "2018-10-01 18:12:06+02:00",
            "2018-10-01T18:12:06-0500",
            "2018-10-01",
        ] {
            assert!(is_moment(good), "{good}");
            assert_eq!(
                bind(Kind::Timestamp, Some(&json!(good))),
                Param::Text(good.into())
            );
        }
        for bad in [
            "",
            "2018-13-01",
            "2018-10-01T18:12:06.Z",
            "2018-10-01T18:12:06 CET",
            "soon",
            "2018-10-01T18:12:0é",
        ] {
            assert!(!is_moment(bad), "{bad}");
        }
    }
}
