//! Canonical JSON written straight from a value's `Serialize`: object keys sorted at every
//! level, no whitespace — byte for byte what `serde_json::to_value(value)` prints, without
//! building that tree. Fingerprints hash it; the manifest's hash made this the plan's most
//! expensive step when it went through a `Value` (docs/PERFORMANCE.md).
//!
//! Each object's entries are written where they fall, in the order the value gives them,
//! and rewritten in key order when the object ends (a later entry with the same key
//! replaces an earlier one, as in a `Value`'s map). Scalars and strings are written by
//! serde_json itself, so numbers and escapes are its own.

use std::borrow::Cow;

use serde::ser::{self, Error as _, Serialize};
use serde_json::Error;

/// The canonical JSON of `value`; `null` when it cannot be written as JSON (a map whose
/// keys are not strings or numbers), as its `Value` would be.
pub(crate) fn to_vec<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut buffers = Buffers::default();
    match value.serialize(Canonical { out: &mut buffers }) {
        Ok(()) => buffers.out,
        Err(_) => b"null".to_vec(),
    }
}

/// What the writing shares: the output, the entries of the objects still open (each object
/// owns the tail from where it opened: inner objects close before outer ones go on), and a
/// scratch buffer to sort an object's entries in. Nothing is allocated per object.
#[derive(Default)]
struct Buffers {
    out: Vec<u8>,
    /// Each entry's key and where `"key":value` lies in `out`.
    entries: Vec<(Cow<'static, str>, usize, usize)>,
    scratch: Vec<u8>,
}

/// Serializer methods that write a scalar as serde_json writes it.
macro_rules! scalars {
    ($($method:ident($ty:ty)),*) => {$(
        fn $method(self, v: $ty) -> Result<(), Error> {
            self.scalar(&v)
        }
    )*};
}

/// Serializer methods that spell a map key as text, as a `Value`'s map holds it.
macro_rules! keys_as_text {
    ($($method:ident($ty:ty)),*) => {$(
        fn $method(self, v: $ty) -> Result<String, Error> {
            Ok(v.to_string())
        }
    )*};
}

/// The serde traits of a sequence (a sequence, a tuple, a tuple struct, a tuple variant):
/// each item written by [`Array::item`].
macro_rules! array_traits {
    ($($name:ident::$method:ident),*) => {$(
        impl ser::$name for Array<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.item(value)
            }
            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    )*};
}

/// The serde traits of a struct and a struct variant: each field an entry.
macro_rules! struct_traits {
    ($($name:ident),*) => {$(
        impl ser::$name for Object<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.entry(Cow::Borrowed(key), value)
            }
            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    )*};
}

/// Writes one value into `out`.
struct Canonical<'a> {
    out: &'a mut Buffers,
}

impl Canonical<'_> {
    fn scalar<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        serde_json::to_writer(&mut self.out.out, value)
    }

    /// `{"variant":` before a variant's content; the content's end writes the `}`.
    fn open_variant(&mut self, variant: &str) -> Result<(), Error> {
        self.out.out.push(b'{');
        serde_json::to_writer(&mut self.out.out, variant)?;
        self.out.out.push(b':');
        Ok(())
    }
}

impl<'a> ser::Serializer for Canonical<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Array<'a>;
    type SerializeTuple = Array<'a>;
    type SerializeTupleStruct = Array<'a>;
    type SerializeTupleVariant = Array<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_char(char)
    );
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        // A `Value` holds only what fits 64 bits.
        match (i64::try_from(v), u64::try_from(v)) {
            (Ok(v), _) => self.scalar(&v),
            (_, Ok(v)) => self.scalar(&v),
            _ => Err(Error::custom("number out of range")),
        }
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        match u64::try_from(v) {
            Ok(v) => self.scalar(&v),
            Err(_) => Err(Error::custom("number out of range")),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        // A `Value` keeps an `f32` as the `f64` it widens to.
        self.scalar(&f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        // Not finite: `null`, as serde_json writes it and as a `Value` holds it.
        self.scalar(&v)
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.scalar(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.scalar(v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.scalar(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.open_variant(variant)?;
        value.serialize(Canonical {
            out: &mut *self.out,
        })?;
        self.out.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Array<'a>, Error> {
        Ok(Array::open(self.out, false))
    }
    fn serialize_tuple(self, len: usize) -> Result<Array<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Array<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Array<'a>, Error> {
        self.open_variant(variant)?;
        Ok(Array::open(self.out, true))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Object<'a>, Error> {
        Ok(Object::open(self.out, false))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Object<'a>, Error> {
        Ok(Object::open(self.out, false))
    }
    fn serialize_struct_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Object<'a>, Error> {
        self.open_variant(variant)?;
        Ok(Object::open(self.out, true))
    }
}

/// An array being written: `[`, items between commas, `]`.
struct Array<'a> {
    out: &'a mut Buffers,
    empty: bool,
    /// A variant's array, inside `{"variant":…}`.
    in_variant: bool,
}

impl<'a> Array<'a> {
    fn open(out: &'a mut Buffers, in_variant: bool) -> Self {
        out.out.push(b'[');
        Array {
            out,
            empty: true,
            in_variant,
        }
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if !self.empty {
            self.out.out.push(b',');
        }
        self.empty = false;
        value.serialize(Canonical {
            out: &mut *self.out,
        })
    }

    fn close(self) -> Result<(), Error> {
        self.out.out.push(b']');
        if self.in_variant {
            self.out.out.push(b'}');
        }
        Ok(())
    }
}

array_traits!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// An object being written: each entry, `"key":value`, is written into `out` as it comes
/// and remembered with its key; at the end, unless they came in key order (a struct whose
/// fields are declared so, an object of one entry), the entries are rewritten in key order.
struct Object<'a> {
    out: &'a mut Buffers,
    /// Where the object's entries start in `out` (after its `{`).
    start: usize,
    /// Where its entries start in `out.entries`.
    base: usize,
    /// A map's key, until its value comes.
    key: Option<String>,
    /// A variant's object, inside `{"variant":…}`.
    in_variant: bool,
}

impl<'a> Object<'a> {
    fn open(out: &'a mut Buffers, in_variant: bool) -> Self {
        out.out.push(b'{');
        Object {
            start: out.out.len(),
            base: out.entries.len(),
            out,
            key: None,
            in_variant,
        }
    }

    fn entry<T: Serialize + ?Sized>(
        &mut self,
        key: Cow<'static, str>,
        value: &T,
    ) -> Result<(), Error> {
        if self.out.entries.len() > self.base {
            self.out.out.push(b',');
        }
        let from = self.out.out.len();
        serde_json::to_writer(&mut self.out.out, key.as_ref())?;
        self.out.out.push(b':');
        value.serialize(Canonical {
            out: &mut *self.out,
        })?;
        let to = self.out.out.len();
        self.out.entries.push((key, from, to));
        Ok(())
    }

    fn close(self) -> Result<(), Error> {
        let Buffers {
            out,
            entries,
            scratch,
        } = &mut *self.out;
        let mine = &mut entries[self.base..];
        if !mine.is_sorted_by(|a, b| a.0 < b.0) {
            // Stable, so that of two entries with one key the later stays last and wins.
            mine.sort_by(|a, b| a.0.cmp(&b.0));
            scratch.clear();
            let mut kept = mine.iter().peekable();
            while let Some((key, from, to)) = kept.next() {
                if kept.peek().is_some_and(|next| next.0 == *key) {
                    continue;
                }
                if !scratch.is_empty() {
                    scratch.push(b',');
                }
                scratch.extend_from_slice(&out[*from..*to]);
            }
            out.truncate(self.start);
            out.extend_from_slice(scratch);
        }
        entries.truncate(self.base);
        out.push(b'}');
        if self.in_variant {
            out.push(b'}');
        }
        Ok(())
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(MapKey)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error::custom("a map value without its key"))?;
        self.entry(Cow::Owned(key), value)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

struct_traits!(SerializeStruct, SerializeStructVariant);

/// A map's key as the string a `Value`'s map holds: strings as they are, numbers (finite
/// ones), booleans and characters as text, a unit variant by its name; anything else is not a key.
struct MapKey;

fn not_a_key() -> Error {
    Error::custom("key must be a string")
}

impl ser::Serializer for MapKey {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    keys_as_text!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_char(char)
    );

    fn serialize_f32(self, v: f32) -> Result<String, Error> {
        if v.is_finite() {
            serde_json::to_string(&v)
        } else {
            Err(not_a_key())
        }
    }
    fn serialize_f64(self, v: f64) -> Result<String, Error> {
        if v.is_finite() {
            serde_json::to_string(&v)
        } else {
            Err(not_a_key())
        }
    }
    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String, Error> {
        Err(not_a_key())
    }
    fn serialize_none(self) -> Result<String, Error> {
        Err(not_a_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<String, Error> {
        Err(not_a_key())
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Err(not_a_key())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, Error> {
        Err(not_a_key())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String, Error> {
        Err(not_a_key())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(not_a_key())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(not_a_key())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(not_a_key())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(not_a_key())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use serde::Serialize;
    use serde_json::{Value, json};

    use super::to_vec;

    /// What a `Value` of `value` prints: serde_json's map keeps its keys sorted, so its
    /// compact form is the canonical one.
    fn through_value<T: Serialize>(value: &T) -> String {
        serde_json::to_value(value).map_or_else(|_| "null".to_string(), |v| v.to_string())
    }

    fn canonical<T: Serialize>(value: &T) -> String {
        String::from_utf8(to_vec(value)).unwrap()
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        Struct { zeta: bool, alpha: Option<f64> },
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Everything {
        zulu: String,
        alpha: Vec<Shape>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        none: Option<u8>,
        map: HashMap<String, i64>,
        numbered: BTreeMap<u32, &'static str>,
        floats: Vec<f64>,
        narrow: f32,
        unit: (),
        chars: (char, char),
        #[serde(flatten)]
        flattened: BTreeMap<String, Value>,
        big: i128,
        bytes: &'static [u8],
    }

    #[test]
    fn it_prints_what_a_value_prints_for_every_shape_serde_has() {
        let value = Everything {
            zulu: "quote \" backslash \\ newline \n tab \t bell \u{7} é 😀 \u{2028}".into(),
            alpha: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(-3, "x".into()),
                Shape::Struct {
                    zeta: true,
                    alpha: None,
                },
                Shape::Struct {
                    zeta: false,
                    alpha: Some(0.1),
                },
            ],
            skipped: None,
            none: None,
            map: [("b", 2), ("a", 1), ("é", 3), ("B", 4), ("\"q", 5), ("", 6)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            numbered: [(10, "ten"), (9, "nine"), (100, "hundred")].into(),
            floats: vec![
                1.0,
                -0.0,
                1e300,
                2.5e-8,
                f64::NAN,
                f64::INFINITY,
                123_456_789.125,
            ],
            narrow: 0.1,
            unit: (),
            chars: ('"', 'z'),
            flattened: [
                (
                    "mid".to_string(),
                    json!({"z": [1, {"y": null, "b": {}}], "a": []}),
                ),
                ("aardvark".to_string(), json!("first")),
            ]
            .into(),
            big: -5,
            bytes: b"\x00\xff",
        };
        assert_eq!(canonical(&value), through_value(&value));
    }

    #[test]
    fn a_later_entry_with_the_same_key_wins_as_in_a_value() {
        #[derive(Serialize)]
        struct Twice {
            a: u8,
            #[serde(flatten)]
            rest: BTreeMap<&'static str, u8>,
        }
        let value = Twice {
            a: 1,
            rest: [("a", 2), ("b", 3)].into(),
        };
        assert_eq!(canonical(&value), through_value(&value));
        assert_eq!(canonical(&value), r#"{"a":2,"b":3}"#);
    }

    #[test]
    fn empty_containers_and_a_key_that_is_not_a_string() {
        let empty: (Vec<u8>, BTreeMap<String, u8>, HashMap<u8, u8>) =
            (Vec::new(), BTreeMap::new(), HashMap::new());
        assert_eq!(canonical(&empty), through_value(&empty));
        let bools: BTreeMap<bool, u8> = [(true, 1), (false, 0)].into();
        assert_eq!(canonical(&bools), through_value(&bools));
        struct FloatKeys;
        impl Serialize for FloatKeys {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map([(1.5_f64, 1_u8), (0.1, 2)])
            }
        }
        assert_eq!(canonical(&FloatKeys), through_value(&FloatKeys));
        let tuple_keys: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        assert_eq!(canonical(&tuple_keys), "null");
        assert_eq!(through_value(&tuple_keys), "null");
    }
}
