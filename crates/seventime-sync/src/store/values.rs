//! How a property's JSON text becomes a column's parameter: the value when it has the
//! column's type, otherwise NULL (the row's `raw` keeps it as received).

use serde_json::value::RawValue;
use seventime::Timestamp;

use super::Param;
use crate::record;
use crate::schema::Kind;

/// A property's value as the column of `kind` stores it: the value when it has the column's
/// type, otherwise NULL (`raw` holds every value as received, so nothing is lost). Objects and
/// lists in a text column are kept as JSON text.
///
/// `value` is JSON as serde_json writes it (the catalog's text, or a part of it): no
/// whitespace, so its first byte says what it is, and a number is written as a JSON value
/// decoded from it would print.
pub(crate) fn bind(kind: Kind, value: Option<&RawValue>) -> Param<'_> {
    let Some(value) = value else {
        return Param::Null;
    };
    let text = value.get().trim();
    let first = text.bytes().next().unwrap_or(b'n');
    match (kind, first) {
        (_, b'n') => Param::Null,
        (Kind::Json, _) => text.into(),
        (Kind::Text | Kind::Timestamp, b'"') => match record::string(value) {
            Some(string) if kind == Kind::Text || is_moment(&string) => string.into(),
            _ => Param::Null,
        },
        (Kind::Text, _) => text.into(),
        (Kind::Integer, b'-' | b'0'..=b'9') => text.parse().map_or(Param::Null, Param::Integer),
        (Kind::Number, b'-' | b'0'..=b'9') => match text.parse() {
            Ok(whole) => Param::Integer(whole),
            Err(_) => text.parse().map_or(Param::Null, Param::Real),
        },
        (Kind::Boolean, b't') => Param::Boolean(true),
        (Kind::Boolean, b'f') => Param::Boolean(false),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// `value` as the catalog's text holds it.
    fn text(value: Value) -> Box<RawValue> {
        serde_json::value::to_raw_value(&value).unwrap()
    }

    fn bound(kind: Kind, value: Value) -> Param<'static> {
        match bind(kind, Some(&text(value))) {
            Param::Text(text) => Param::Text(text.into_owned().into()),
            Param::Null => Param::Null,
            Param::Integer(value) => Param::Integer(value),
            Param::Real(value) => Param::Real(value),
            Param::Boolean(flag) => Param::Boolean(flag),
        }
    }

    #[test]
    fn a_value_of_another_type_than_the_column_is_null_there() {
        assert_eq!(bound(Kind::Integer, json!(7)), Param::Integer(7));
        assert_eq!(bound(Kind::Integer, json!(-7)), Param::Integer(-7));
        assert_eq!(bound(Kind::Integer, json!("7")), Param::Null);
        assert_eq!(bound(Kind::Integer, json!(7.5)), Param::Null);
        assert_eq!(bound(Kind::Integer, json!(u64::MAX)), Param::Null);
        assert_eq!(bound(Kind::Number, json!(1.5)), Param::Real(1.5));
        assert_eq!(bound(Kind::Number, json!(-2)), Param::Integer(-2));
        assert_eq!(bound(Kind::Number, json!(1e300)), Param::Real(1e300));
        assert_eq!(
            bound(Kind::Number, json!(u64::MAX)),
            Param::Real(u64::MAX as f64)
        );
        assert_eq!(bound(Kind::Number, json!("1")), Param::Null);
        assert_eq!(bound(Kind::Boolean, json!(true)), Param::Boolean(true));
        assert_eq!(bound(Kind::Boolean, json!(false)), Param::Boolean(false));
        assert_eq!(bound(Kind::Boolean, json!(1)), Param::Null);
        assert_eq!(bound(Kind::Boolean, json!("true")), Param::Null);
        assert_eq!(
            bound(Kind::Text, json!({"a": 1})),
            Param::Text(r#"{"a":1}"#.into())
        );
        assert_eq!(
            bound(Kind::Text, json!([1, "b"])),
            Param::Text(r#"[1,"b"]"#.into())
        );
        assert_eq!(bound(Kind::Text, json!(2.5)), Param::Text("2.5".into()));
        assert_eq!(bound(Kind::Text, json!(false)), Param::Text("false".into()));
        assert_eq!(bound(Kind::Json, json!("x")), Param::Text(r#""x""#.into()));
        assert_eq!(
            bound(Kind::Json, json!({"b": [true, null]})),
            Param::Text(r#"{"b":[true,null]}"#.into())
        );
        for kind in [Kind::Text, Kind::Json, Kind::Integer, Kind::Boolean] {
            assert_eq!(bound(kind, Value::Null), Param::Null, "{kind:?}");
            assert_eq!(bind(kind, None), Param::Null, "{kind:?}");
        }
    }

    #[test]
    fn text_is_stored_unescaped() {
        assert_eq!(
            bound(Kind::Text, json!("Söder \"Gatan\" 1\n")),
            Param::Text("Söder \"Gatan\" 1\n".into())
        );
        let escaped = RawValue::from_string(r#""caf\u00e9""#.to_owned()).unwrap();
        assert_eq!(bind(Kind::Text, Some(&escaped)), Param::Text("café".into()));
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
                bound(Kind::Timestamp, json!(good)),
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
            assert_eq!(bound(Kind::Timestamp, json!(bad)), Param::Null, "{bad}");
        }
    }
}
