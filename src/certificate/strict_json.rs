//! Reading certificate JSON strictly: a duplicate key anywhere is an error (serde_json
//! keeps the last value silently), and every object's key set is checked against the
//! format by [`expect_keys`].
//!
//! **Contract.** [`parse`] returns the same value as `serde_json::from_str` when no
//! object repeats a key, and an error naming the repeated key otherwise.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

struct Strict(Value);

impl<'de> de::Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // serde_json's arbitrary_precision numbers arrive as a one-key map.
            if key == "$serde_json::private::Number" {
                let s: String = map.next_value()?;
                let n: serde_json::Number = s.parse().map_err(de::Error::custom)?;
                return Ok(Value::Number(n));
            }
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key '{key}'")));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Exact: the JSON value of `text`, refusing a repeated key in any object.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let Strict(v) = de::Deserialize::deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(v)
}

/// Exact: `Ok` when the object `v` has every key of `required`, optionally keys of
/// `optional`, and no other; otherwise the first offending key, described.
pub fn expect_keys(
    v: &Value,
    what: &str,
    required: &[&str],
    optional: &[&str],
) -> Result<(), String> {
    let Some(obj) = v.as_object() else {
        return Err(format!("'{what}' must be an object"));
    };
    for k in required {
        if !obj.contains_key(*k) {
            return Err(format!("{what}: missing key '{k}'"));
        }
    }
    for k in obj.keys() {
        if !required.contains(&k.as_str()) && !optional.contains(&k.as_str()) {
            return Err(format!("{what}: unknown key '{k}'"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_refused_and_values_agree_with_serde_json() {
        let text = r#"{"a": [1, 2.5, "x", null, true, {"b": 12345678901234567890123}], "c": -3}"#;
        let strict = parse(text).unwrap();
        let plain: Value = serde_json::from_str(text).unwrap();
        assert_eq!(strict, plain);
        assert!(parse(r#"{"a": 1, "a": 2}"#)
            .unwrap_err()
            .contains("duplicate key 'a'"));
        assert!(parse(r#"{"x": {"a": 1, "b": 2, "a": 3}}"#).is_err());
        assert!(parse(r#"{"a": 1} trailing"#).is_err());
        let v = parse(r#"{"lo": "1", "hi": "2"}"#).unwrap();
        assert!(expect_keys(&v, "x", &["lo", "hi"], &[]).is_ok());
        assert!(expect_keys(&v, "x", &["lo"], &[])
            .unwrap_err()
            .contains("unknown key 'hi'"));
        assert!(expect_keys(&v, "x", &["lo", "hi", "mid"], &[])
            .unwrap_err()
            .contains("missing"));
    }
}
