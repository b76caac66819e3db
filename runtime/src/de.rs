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

/// Reads a JSON string into a value made from its text: what a generated enum's `Deserialize`
/// calls (`T::from` gives a known value, else `Unknown`). The text is read in place when the
/// input allows (a string without escapes), so a known value costs no allocation.
pub fn from_text<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct V<T>(PhantomData<T>);
    impl<T: for<'a> From<&'a str>> Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<T, E> {
            match std::str::from_utf8(v) {
                Ok(text) => Ok(T::from(text)),
                Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
            }
        }
    }
    d.deserialize_str(V(PhantomData))
}

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

    #[derive(Debug, PartialEq)]
    enum Mode {
        Main,
        Unknown(String),
    }
    impl From<&str> for Mode {
        fn from(s: &str) -> Self {
            match s {
                "main" => Mode::Main,
                other => Mode::Unknown(other.to_owned()),
            }
        }
    }
    impl<'de> Deserialize<'de> for Mode {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::from_text(d)
        }
    }

    #[test]
    fn text_values_in_place_escaped_unknown_and_wrong() {
        let read = |json: &str| serde_json::from_str::<Mode>(json);
        assert_eq!(read(r#""main""#).unwrap(), Mode::Main);
        // An escape makes serde_json unescape into a buffer: the same value.
        assert_eq!(read(r#""m\u0061in""#).unwrap(), Mode::Main);
        assert_eq!(
            read(r#""aggressive""#).unwrap(),
            Mode::Unknown("aggressive".into())
        );
        let e = read("3").unwrap_err().to_string();
        assert!(e.contains("expected a string"), "{e}");
        // From a reader (no borrowing possible) as well.
        assert_eq!(
            serde_json::from_reader::<_, Mode>(&br#""main""#[..]).unwrap(),
            Mode::Main
        );
    }

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

/// Compact (de)serialisation of generated objects.
///
/// `#[derive(Deserialize)]` writes a field enum, a visitor and, for every lenient field, a
/// wrapper type: per object, several hundred lines that the compiler type-checks for every
/// shape of every operation. Generated objects instead implement [`object::ObjectFields`] (one match
/// arm per field) and share this one visitor, which cuts the generated crate's compile time
/// several-fold. Unknown keys are skipped, so responses tolerate fields added later.
pub mod object {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

    /// A JSON object's field, set on `Self` from the next value of `map`.
    pub trait ObjectFields: Default {
        /// The object's name, for error messages.
        const NAME: &'static str;
        /// Reads the value of `key` into `self`; `Ok(false)` when `key` is not a field.
        fn field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<bool, A::Error>;
    }

    /// Reads a scalar field leniently into `slot` (see [`super::Lenient`]); `Ok(true)`.
    ///
    /// Generated `field` methods are one `match` of these calls: the generic work is here, so
    /// the generated code stays small and quick to compile.
    #[inline]
    pub fn lenient<'de, A: MapAccess<'de>, T>(
        map: &mut A,
        slot: &mut Option<T>,
    ) -> Result<bool, A::Error>
    where
        super::Lenient<T>: de::Deserialize<'de>,
    {
        *slot = map.next_value::<super::Lenient<T>>()?.0;
        Ok(true)
    }

    /// Reads any other field into `slot`; `Ok(true)`.
    #[inline]
    pub fn value<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
        map: &mut A,
        slot: &mut T,
    ) -> Result<bool, A::Error> {
        *slot = map.next_value()?;
        Ok(true)
    }

    /// An object key, borrowed from the input when it can be.
    enum Key<'de> {
        Borrowed(&'de str),
        Owned(String),
    }

    impl<'de> de::Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Key<'de>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a field name")
                }
                fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                    Ok(Key::Borrowed(v))
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                    Ok(Key::Owned(v.to_owned()))
                }
                fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                    Ok(Key::Owned(v))
                }
            }
            d.deserialize_str(V)
        }
    }

    struct ObjectVisitor<T>(PhantomData<T>);

    impl<'de, T: ObjectFields> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} object", T::NAME)
        }
        /// No body at all (see `client::decode_success`): no field set.
        fn visit_unit<E: de::Error>(self) -> Result<T, E> {
            Ok(T::default())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut out = T::default();
            while let Some(key) = map.next_key::<Key<'de>>()? {
                let k = match &key {
                    Key::Borrowed(s) => s,
                    Key::Owned(s) => s.as_str(),
                };
                if !out.field(k, &mut map)? {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(out)
        }
    }

    /// Deserialises a generated object from a map.
    pub fn deserialize<'de, D: Deserializer<'de>, T: ObjectFields>(d: D) -> Result<T, D::Error> {
        d.deserialize_map(ObjectVisitor(PhantomData))
    }
}

/// Lenient reading of one optional value: `map.next_value::<Lenient<bool>>()?.0`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Lenient<T>(pub Option<T>);

impl<'de> serde::Deserialize<'de> for Lenient<bool> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoolVisitor).map(Lenient)
    }
}

macro_rules! lenient_num {
    ($($t:ty),*) => {$(
        impl<'de> serde::Deserialize<'de> for Lenient<$t> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(NumVisitor::<$t>(PhantomData)).map(Lenient)
            }
        }
    )*};
}
lenient_num!(i32, i64);

impl<'de> serde::Deserialize<'de> for Lenient<f64> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        opt_f64::deserialize(d).map(Lenient)
    }
}

impl<'de> serde::Deserialize<'de> for Lenient<String> {
    /// A string; numbers and booleans are kept as their JSON text, since the service is not
    /// always consistent about quoting.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Option<String>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Some(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Some(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Some(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Some(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Some(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Some(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
        }
        d.deserialize_any(V).map(Lenient)
    }
}

/// Writes a boolean or number as a JSON string (`"true"`, `"3"`), for fields that travel so.
#[derive(Debug)]
pub struct AsString<'a, T>(pub &'a T);

impl<T: fmt::Display> serde::Serialize for AsString<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

/// Writes `key` and the value into a map being serialised when the field is set, nothing
/// when it is not: what a generated `Serialize` does for each field, as one call.
#[inline]
pub fn entry<M: serde::ser::SerializeMap, T: serde::Serialize>(
    m: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(v) => m.serialize_entry(key, v),
        None => Ok(()),
    }
}

/// As [`entry`], the value written as a JSON string ([`AsString`]).
#[inline]
pub fn entry_as_string<M: serde::ser::SerializeMap, T: fmt::Display>(
    m: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(v) => m.serialize_entry(key, &AsString(v)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod object_tests {
    use super::object::{self, ObjectFields};
    use super::Lenient;
    use serde::de::MapAccess;

    #[derive(Default, Debug, PartialEq)]
    struct Obj {
        name: Option<String>,
        on: Option<bool>,
        n: Option<i64>,
        inner: Option<Vec<Obj>>,
    }

    impl ObjectFields for Obj {
        const NAME: &'static str = "Obj";
        fn field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            match key {
                "Name" => self.name = map.next_value::<Lenient<String>>()?.0,
                "On" => self.on = map.next_value::<Lenient<bool>>()?.0,
                "N" => self.n = map.next_value::<Lenient<i64>>()?.0,
                "Inner" => self.inner = map.next_value()?,
                _ => return Ok(false),
            }
            Ok(true)
        }
    }

    impl<'de> serde::Deserialize<'de> for Obj {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            object::deserialize(d)
        }
    }

    #[test]
    fn reads_known_fields_and_skips_the_rest() {
        let o: Obj = serde_json::from_str(
            r#"{"Name":12,"On":"TRUE","N":"7","Extra":{"deep":[1,2]},"Inner":[{"Name":"x"}],"na\u006de":"esc"}"#,
        )
        .unwrap();
        assert_eq!(o.name.as_deref(), Some("12"));
        assert_eq!(o.on, Some(true));
        assert_eq!(o.n, Some(7));
        assert_eq!(o.inner.as_ref().unwrap()[0].name.as_deref(), Some("x"));
        let e = serde_json::from_str::<Obj>(r#"{"N":"seven"}"#).unwrap_err();
        assert!(e.to_string().contains("invalid value"), "{e}");
        assert!(serde_json::from_str::<Obj>("[1]").is_err());
        let null: Obj = serde_json::from_str(r#"{"Name":null,"On":null}"#).unwrap();
        assert_eq!(null, Obj::default());
    }
}
