//! Lenient (de)serialisers for values that Alibaba Cloud writes either as JSON scalars or as
//! strings: `"Enable": "true"`, `"Interval": "3"`, `"LocalAsn": 65530`. Generated code names
//! these in `#[serde(with = …)]` attributes.
//!
//! Reading accepts both forms (booleans in any letter case); writing follows the spec: as a
//! string for fields that travel as strings, as a JSON scalar otherwise.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;

struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = Option<bool>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, or the string \"true\" or \"false\"")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.eq_ignore_ascii_case("true") {
            Ok(Some(true))
        } else if v.eq_ignore_ascii_case("false") {
            Ok(Some(false))
        } else if v.is_empty() {
            Ok(None)
        } else {
            Err(E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

struct NumVisitor<T>(PhantomData<T>);

impl<T> Visitor<'_> for NumVisitor<T>
where
    T: FromStr + TryFrom<i64> + TryFrom<u64> + FromF64,
{
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or a string holding one")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::try_from(v)
            .map(Some)
            .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::try_from(v)
            .map(Some)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::from_f64(v)
            .map(Some)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<T>()
            .map(Some)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Conversion from a JSON float, for the number types the lenient reader supports.
pub trait FromF64: Sized {
    /// `Some` when `v` is exactly representable.
    fn from_f64(v: f64) -> Option<Self>;
}

macro_rules! int_from_f64 {
    ($($t:ty),*) => {$(
        impl FromF64 for $t {
            fn from_f64(v: f64) -> Option<Self> {
                if v.fract() == 0.0 && v >= <$t>::MIN as f64 && v <= <$t>::MAX as f64 {
                    Some(v as $t)
                } else {
                    None
                }
            }
        }
    )*};
}
int_from_f64!(i32, i64, u32, u64);

/// Lenient `Option<bool>`.
pub mod opt_bool {
    use super::*;

    /// Reads a boolean or a `"true"`/`"false"` string (any case); null or `""` is `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        d.deserialize_any(BoolVisitor)
    }

    /// Writes a JSON boolean.
    pub fn serialize<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.serialize_bool(*b),
            None => s.serialize_none(),
        }
    }
}

/// Lenient `Option<bool>` written as the string `"true"`/`"false"`.
pub mod opt_bool_string {
    use super::*;

    /// Reads a boolean or a `"true"`/`"false"` string (any case).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        d.deserialize_any(BoolVisitor)
    }

    /// Writes `"true"` or `"false"`.
    pub fn serialize<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(true) => s.serialize_str("true"),
            Some(false) => s.serialize_str("false"),
            None => s.serialize_none(),
        }
    }
}

macro_rules! lenient_int {
    ($modname:ident, $strmod:ident, $t:ty) => {
        /// Lenient optional integer: a JSON number or a string holding one.
        pub mod $modname {
            use super::*;

            /// Reads a number or a numeric string; null or `""` is `None`.
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$t>, D::Error> {
                d.deserialize_any(NumVisitor::<$t>(PhantomData))
            }

            /// Writes a JSON number.
            pub fn serialize<S: Serializer>(v: &Option<$t>, s: S) -> Result<S::Ok, S::Error> {
                match v {
                    Some(n) => serde::Serialize::serialize(n, s),
                    None => s.serialize_none(),
                }
            }
        }

        /// Lenient optional integer written as a string (`"3"`).
        pub mod $strmod {
            use super::*;

            /// Reads a number or a numeric string; null or `""` is `None`.
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$t>, D::Error> {
                d.deserialize_any(NumVisitor::<$t>(PhantomData))
            }

            /// Writes the decimal number as a JSON string.
            pub fn serialize<S: Serializer>(v: &Option<$t>, s: S) -> Result<S::Ok, S::Error> {
                match v {
                    Some(n) => s.collect_str(n),
                    None => s.serialize_none(),
                }
            }
        }
    };
}
lenient_int!(opt_i32, opt_i32_string, i32);
lenient_int!(opt_i64, opt_i64_string, i64);

/// Lenient optional float: a JSON number or a string holding one.
pub mod opt_f64 {
    use super::*;

    struct FloatVisitor;
    impl Visitor<'_> for FloatVisitor {
        type Value = Option<f64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number, or a string holding one")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let t = v.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse()
                .map(Some)
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    /// Reads a number or a numeric string; null or `""` is `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        d.deserialize_any(FloatVisitor)
    }

    /// Writes a JSON number.
    pub fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(n) => s.serialize_f64(*n),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Deserialize, Serialize, Debug, PartialEq)]
    struct T {
        #[serde(
            default,
            with = "super::opt_bool_string",
            skip_serializing_if = "Option::is_none"
        )]
        b: Option<bool>,
        #[serde(
            default,
            with = "super::opt_i64",
            skip_serializing_if = "Option::is_none"
        )]
        n: Option<i64>,
        #[serde(
            default,
            with = "super::opt_i32_string",
            skip_serializing_if = "Option::is_none"
        )]
        s: Option<i32>,
        #[serde(
            default,
            with = "super::opt_f64",
            skip_serializing_if = "Option::is_none"
        )]
        f: Option<f64>,
    }

    #[test]
    fn reads_both_forms_and_writes_the_spec_form() {
        let t: T =
            serde_json::from_str(r#"{"b":"True","n":"4294967295","s":3,"f":"1.5"}"#).unwrap();
        assert_eq!(
            t,
            T {
                b: Some(true),
                n: Some(4294967295),
                s: Some(3),
                f: Some(1.5)
            }
        );
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"b":"true","n":4294967295,"s":"3","f":1.5}"#
        );
        let t: T = serde_json::from_str(r#"{"b":false,"n":7,"s":"","f":null}"#).unwrap();
        assert_eq!(
            t,
            T {
                b: Some(false),
                n: Some(7),
                s: None,
                f: None
            }
        );
        assert!(serde_json::from_str::<T>(r#"{"b":"yes"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"s":4294967296}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"n":1.5}"#).is_err());
        assert_eq!(
            serde_json::from_str::<T>(r#"{"n":2.0}"#).unwrap().n,
            Some(2)
        );
    }
}
