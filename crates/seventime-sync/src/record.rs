//! A record as the mirror receives it from the catalog — JSON text — with its properties found
//! where they lie in the text rather than decoded into a `serde_json::Value` tree.
//!
//! The mirror stores each record whole (`raw`), binds a few dozen top-level properties to
//! columns and leaves nested ones as JSON text. A tree would be built only to be written back
//! out and freed: at 100,000 records those three steps were half of a sync's CPU time.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

/// A record's top-level properties, each as its JSON text, sorted by name.
pub(crate) struct Record<'a> {
    members: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> Record<'a> {
    /// The properties of `text`. JSON that is not an object has none (as `Value::get` finds
    /// nothing in it).
    pub(crate) fn parse(text: &'a RawValue) -> Self {
        let mut members = serde_json::from_str::<Members<'a>>(text.get())
            .map(|members| members.0)
            .unwrap_or_default();
        // Stable, so that of two members with one name the later one is found, as a JSON
        // object decoded into a map keeps the later one.
        members.sort_by(|(a, _), (b, _)| a.cmp(b));
        Self { members }
    }

    /// The JSON text of the property `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&'a RawValue> {
        let after = self
            .members
            .partition_point(|(key, _)| key.as_ref() <= name);
        match after.checked_sub(1).map(|last| &self.members[last]) {
            Some((key, value)) if key == name => Some(*value),
            _ => None,
        }
    }

    /// A reader of properties asked for in ascending order of name, as a table's columns are:
    /// it walks the record once instead of searching it for each.
    pub(crate) fn walk(&self) -> Walk<'_, 'a> {
        Walk {
            record: self,
            next: 0,
        }
    }
}

/// See [`Record::walk`].
pub(crate) struct Walk<'r, 'a> {
    record: &'r Record<'a>,
    /// The first member past the names asked so far.
    next: usize,
}

impl<'a> Walk<'_, 'a> {
    /// The JSON text of the property `name`, as [`Record::get`] finds it.
    pub(crate) fn get(&mut self, name: &str) -> Option<&'a RawValue> {
        let members = &self.record.members;
        if self.next > 0 && members[self.next - 1].0.as_ref() > name {
            // Asked out of order: search.
            return self.record.get(name);
        }
        while self.next < members.len() && members[self.next].0.as_ref() <= name {
            self.next += 1;
        }
        match self.next.checked_sub(1).map(|last| &members[last]) {
            Some((key, value)) if key == name => Some(*value),
            _ => None,
        }
    }
}

/// The JSON text of the property `name` of the record `text`, found without collecting the
/// others: what the reader needs of each record (its modification time) while the page is
/// written.
pub(crate) fn property<'a>(text: &'a RawValue, name: &str) -> Option<&'a RawValue> {
    let mut deserializer = serde_json::Deserializer::from_str(text.get());
    Property(name).deserialize(&mut deserializer).ok().flatten()
}

/// The text a JSON string holds, unescaped; `None` for any other JSON.
pub(crate) fn string(value: &RawValue) -> Option<Cow<'_, str>> {
    if !value.get().starts_with('"') {
        return None;
    }
    serde_json::from_str::<Text<'_>>(value.get())
        .ok()
        .map(|text| text.0)
}

/// The elements of a JSON array; `None` for any other JSON.
pub(crate) fn elements(value: &RawValue) -> Option<Vec<&RawValue>> {
    if !value.get().starts_with('[') {
        return None;
    }
    serde_json::from_str(value.get()).ok()
}

/// A record's key as text (an `_id`, or a numeric `x-record-key`); `None` when it has none.
pub(crate) fn key(value: Option<&RawValue>) -> Option<String> {
    let value = value?;
    match value.get().bytes().next()? {
        b'"' => string(value)
            .filter(|text| !text.is_empty())
            .map(Cow::into_owned),
        b'-' | b'0'..=b'9' => Some(value.get().to_owned()),
        _ => None,
    }
}

/// Whether the JSON is `null`.
pub(crate) fn is_null(value: &RawValue) -> bool {
    value.get() == "null"
}

/// Finds one property of an object, skipping the others.
struct Property<'n>(&'n str);

impl<'de> DeserializeSeed<'de> for Property<'_> {
    type Value = Option<&'de RawValue>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        struct Object<'n>(&'n str);
        impl<'de> Visitor<'de> for Object<'_> {
            type Value = Option<&'de RawValue>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut found = None;
                while let Some(Text(key)) = map.next_key()? {
                    if key == self.0 {
                        found = Some(map.next_value()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(found)
            }
        }
        deserializer.deserialize_map(Object(self.0))
    }
}

/// An object's members in the order written.
struct Members<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = Members<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(32));
                while let Some(Text(key)) = map.next_key()? {
                    members.push((key, map.next_value()?));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Object)
    }
}

/// A JSON string, borrowed from the text unless it has escapes to undo.
struct Text<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct String;
        impl<'de> Visitor<'de> for String {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON string")
            }

            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(text)))
            }

            fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(text.to_owned())))
            }
        }
        deserializer.deserialize_str(String)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_owned()).unwrap()
    }

    #[test]
    fn properties_are_found_as_their_json_text() {
        let text = raw(r#"{"b":[1,{"x":2}],"a\u00e9":"caf\u00e9","n":null,"c":{"d":"e"},"b":7}"#);
        let record = Record::parse(&text);
        // The later of two members with one name, as a decoded map keeps it.
        assert_eq!(record.get("b").map(RawValue::get), Some("7"));
        assert_eq!(record.get("c").map(RawValue::get), Some(r#"{"d":"e"}"#));
        assert_eq!(record.get("aé").map(RawValue::get), Some(r#""caf\u00e9""#));
        assert_eq!(string(record.get("aé").unwrap()).as_deref(), Some("café"));
        assert!(is_null(record.get("n").unwrap()));
        assert!(record.get("z").is_none());
        assert!(record.get("").is_none());
        // One property alone finds the same text.
        for name in ["b", "c", "aé", "n"] {
            assert_eq!(
                property(&text, name).map(RawValue::get),
                record.get(name).map(RawValue::get),
                "{name}"
            );
        }
        assert!(property(&text, "z").is_none());
        // Walking finds the same, in order or not.
        for names in [
            ["", "aé", "b", "c", "n", "z"],
            ["z", "n", "c", "b", "aé", ""],
        ] {
            let mut walk = record.walk();
            for name in names {
                assert_eq!(
                    walk.get(name).map(RawValue::get),
                    record.get(name).map(RawValue::get),
                    "{name} in {names:?}"
                );
            }
        }
        assert!(property(&raw("[1]"), "b").is_none());
    }

    #[test]
    fn json_that_is_not_an_object_has_no_properties() {
        for text in ["[1,2]", "\"a\"", "5", "null"] {
            assert!(Record::parse(&raw(text)).get("a").is_none(), "{text}");
        }
    }

    #[test]
    fn strings_and_arrays_are_read_only_from_their_own_kind() {
        assert_eq!(string(&raw(r#""a\"b""#)).as_deref(), Some("a\"b"));
        assert!(matches!(
            string(&raw(r#""plain""#)),
            Some(Cow::Borrowed("plain"))
        ));
        assert_eq!(string(&raw("5")), None);
        let array = raw(r#"[{"a":1},2,"x"]"#);
        let items: Vec<&str> = elements(&array).unwrap().iter().map(|v| v.get()).collect();
        assert_eq!(items, [r#"{"a":1}"#, "2", r#""x""#]);
        assert!(elements(&raw(r#"{"a":1}"#)).is_none());
    }
}
