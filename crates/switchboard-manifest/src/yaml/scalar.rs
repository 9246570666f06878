//! Scalar resolution: the YAML 1.2 core schema, narrowed to what JSON can hold.
//!
//! Only plain scalars are resolved; quoted and block scalars are always strings. YAML 1.1
//! spellings (`yes`, `no`, `on`, `off`, `y`, `n`, sexagesimal `1:30`, octal `017`) are *not*
//! special here: `on` is the string "on" and `017` is the integer 17, as YAML 1.2 says.

use saphyr_parser::Tag;

use super::{Position, Value, YamlError};

/// The prefix `!!` expands to unless a `%TAG` directive redefines it.
const CORE_PREFIX: &str = "tag:yaml.org,2002:";

/// A core schema tag, the only tags a manifest may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CoreTag {
    Str,
    Int,
    Float,
    Bool,
    Null,
    Seq,
    Map,
}

impl CoreTag {
    /// Reads a tag from the parser, refusing anything outside the core schema.
    pub(super) fn from_tag(tag: &Tag, at: Position) -> Result<CoreTag, YamlError> {
        // `!!int` arrives as handle "tag:yaml.org,2002:" + suffix "int"; the verbatim form
        // `!<tag:yaml.org,2002:int>` arrives as handle "" + the whole URI as suffix.
        let full = format!("{}{}", tag.handle, tag.suffix);
        let name = full.strip_prefix(CORE_PREFIX).unwrap_or("");
        match name {
            "str" => Ok(CoreTag::Str),
            "int" => Ok(CoreTag::Int),
            "float" => Ok(CoreTag::Float),
            "bool" => Ok(CoreTag::Bool),
            "null" => Ok(CoreTag::Null),
            "seq" => Ok(CoreTag::Seq),
            "map" => Ok(CoreTag::Map),
            _ => Err(
                YamlError::new(format!("unsupported tag `{}`", display_tag(tag)), at).with_hint(
                    "only the core schema tags !!str, !!int, !!float, !!bool, !!null, !!seq \
                 and !!map are allowed",
                ),
            ),
        }
    }

    /// The tag as written in YAML, for messages.
    pub(super) fn name(self) -> &'static str {
        match self {
            CoreTag::Str => "!!str",
            CoreTag::Int => "!!int",
            CoreTag::Float => "!!float",
            CoreTag::Bool => "!!bool",
            CoreTag::Null => "!!null",
            CoreTag::Seq => "!!seq",
            CoreTag::Map => "!!map",
        }
    }
}

/// Spells a tag the way a user would have written it.
fn display_tag(tag: &Tag) -> String {
    if tag.handle == CORE_PREFIX {
        format!("!!{}", tag.suffix)
    } else if tag.handle == "!" {
        format!("!{}", tag.suffix)
    } else if tag.handle.is_empty() && tag.suffix == "!" {
        "!".to_owned()
    } else if tag.handle.is_empty() {
        format!("!<{}>", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// Resolves an untagged plain scalar by the core schema.
pub(super) fn resolve_plain(text: &str, at: Position) -> Result<Value, YamlError> {
    if is_null(text) {
        return Ok(Value::Null);
    }
    if let Some(b) = as_bool(text) {
        return Ok(Value::Bool(b));
    }
    if let Some(int) = as_int(text, at)? {
        return Ok(Value::Int(int));
    }
    if let Some(float) = as_float(text, at)? {
        return Ok(Value::Float(float));
    }
    Ok(Value::String(text.to_owned()))
}

/// Resolves a scalar carrying an explicit core tag, whatever its style.
pub(super) fn resolve_tagged(tag: CoreTag, text: &str, at: Position) -> Result<Value, YamlError> {
    let value = match tag {
        CoreTag::Str => Some(Value::String(text.to_owned())),
        CoreTag::Null => is_null(text).then_some(Value::Null),
        CoreTag::Bool => as_bool(text).map(Value::Bool),
        CoreTag::Int => as_int(text, at)?.map(Value::Int),
        // The float grammar covers integer spellings too (`!!float 3` is 3.0).
        CoreTag::Float => as_float(text, at)?.map(Value::Float),
        CoreTag::Seq | CoreTag::Map => {
            return Err(YamlError::new(
                format!("tag {} cannot be applied to a scalar", tag.name()),
                at,
            ));
        }
    };
    value.ok_or_else(|| {
        YamlError::new(
            format!("`{}` is not a valid {}", shorten(text), tag.name()),
            at,
        )
    })
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn as_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`; `Ok(None)` when the text is not an integer.
fn as_int(text: &str, at: Position) -> Result<Option<i64>, YamlError> {
    let parsed = if let Some(octal) = text.strip_prefix("0o") {
        if octal.is_empty() || !octal.bytes().all(|b| matches!(b, b'0'..=b'7')) {
            return Ok(None);
        }
        i64::from_str_radix(octal, 8)
    } else if let Some(hex) = text.strip_prefix("0x") {
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        i64::from_str_radix(hex, 16)
    } else {
        let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(None);
        }
        text.parse::<i64>()
    };
    parsed.map(Some).map_err(|_| out_of_range(at))
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, refusing `.inf`, `.nan` and overflow.
fn as_float(text: &str, at: Position) -> Result<Option<f64>, YamlError> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Err(
            YamlError::new("infinite or NaN numbers are not allowed", at)
                .with_hint("JSON has no such numbers; quote it if it is meant as text"),
        );
    }
    if !is_core_float(unsigned) {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(float) if float.is_finite() => Ok(Some(float)),
        Ok(_) => Err(out_of_range(at)),
        // The grammar check above accepts only what Rust parses; stay a string if not.
        Err(_) => Ok(None),
    }
}

/// The unsigned part of the core float grammar.
fn is_core_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut i = digits(0);
    let integer_digits = i;
    if bytes.get(i) == Some(&b'.') {
        let fraction_digits = digits(i + 1);
        if integer_digits == 0 && fraction_digits == 0 {
            return false;
        }
        i += 1 + fraction_digits;
    } else if integer_digits == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exponent_digits = digits(i);
        if exponent_digits == 0 {
            return false;
        }
        i += exponent_digits;
    }
    i == bytes.len()
}

fn out_of_range(at: Position) -> YamlError {
    YamlError::new("number out of range", at).with_hint(
        "integers must fit in 64 bits and floats must be finite; quote it if it is meant as text",
    )
}

/// Keeps messages readable when the offending scalar is long.
fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    const AT: Position = Position { line: 1, column: 1 };

    /// `expected` is the JSON of the value, or `error: <message>`.
    fn check(input: &str, expected: &str) {
        let actual = match resolve_plain(input, AT) {
            Ok(value) => super::super::Spanned { value, at: AT }
                .to_json()
                .to_string(),
            Err(error) => format!("error: {}", error.message),
        };
        assert_eq!(actual, expected, "plain scalar `{input}`");
    }

    #[test]
    fn plain_scalars_resolve_by_the_core_schema() {
        for (input, expected) in [
            ("", "null"),
            ("~", "null"),
            ("null", "null"),
            ("Null", "null"),
            ("NULL", "null"),
            ("nULL", "\"nULL\""),
            ("true", "true"),
            ("True", "true"),
            ("TRUE", "true"),
            ("false", "false"),
            ("False", "false"),
            ("FALSE", "false"),
            ("tRUE", "\"tRUE\""),
            // YAML 1.1 booleans stay strings.
            ("yes", "\"yes\""),
            ("no", "\"no\""),
            ("on", "\"on\""),
            ("off", "\"off\""),
            ("y", "\"y\""),
            ("0", "0"),
            ("-17", "-17"),
            ("+17", "17"),
            ("017", "17"),
            ("9223372036854775807", "9223372036854775807"),
            ("-9223372036854775808", "-9223372036854775808"),
            ("9223372036854775808", "error: number out of range"),
            ("0o17", "15"),
            ("0o18", "\"0o18\""),
            ("0o", "\"0o\""),
            ("0x1F", "31"),
            ("0x1f", "31"),
            ("0xG", "\"0xG\""),
            ("0x", "\"0x\""),
            ("0x8000000000000000", "error: number out of range"),
            ("1.5", "1.5"),
            ("-1.5", "-1.5"),
            ("1.", "1.0"),
            (".5", "0.5"),
            ("+.5", "0.5"),
            ("1e3", "1000.0"),
            ("1.5E-2", "0.015"),
            ("1.e2", "100.0"),
            ("1e", "\"1e\""),
            (".", "\".\""),
            ("1e400", "error: number out of range"),
            ("1_000", "\"1_000\""),
            (".inf", "error: infinite or NaN numbers are not allowed"),
            ("-.Inf", "error: infinite or NaN numbers are not allowed"),
            ("+.INF", "error: infinite or NaN numbers are not allowed"),
            (".nan", "error: infinite or NaN numbers are not allowed"),
            (".NaN", "error: infinite or NaN numbers are not allowed"),
            ("-.nan", "\"-.nan\""),
            ("inf", "\"inf\""),
            ("NaN", "\"NaN\""),
            ("1:30", "\"1:30\""),
            ("2024-01-01", "\"2024-01-01\""),
            ("+14155551234", "14155551234"),
            ("hello world", "\"hello world\""),
        ] {
            check(input, expected);
        }
    }

    #[test]
    fn tags_force_a_type() {
        let ok = |tag, text| resolve_tagged(tag, text, AT).unwrap();
        let err = |tag, text| resolve_tagged(tag, text, AT).unwrap_err().message;
        assert_eq!(ok(CoreTag::Str, "123"), Value::String("123".into()));
        assert_eq!(ok(CoreTag::Str, "true"), Value::String("true".into()));
        assert_eq!(ok(CoreTag::Int, "0x10"), Value::Int(16));
        assert_eq!(ok(CoreTag::Float, "3"), Value::Float(3.0));
        assert_eq!(ok(CoreTag::Float, "1e2"), Value::Float(100.0));
        assert_eq!(ok(CoreTag::Bool, "False"), Value::Bool(false));
        assert_eq!(ok(CoreTag::Null, ""), Value::Null);
        assert_eq!(err(CoreTag::Int, "abc"), "`abc` is not a valid !!int");
        assert_eq!(err(CoreTag::Int, "1.5"), "`1.5` is not a valid !!int");
        assert_eq!(err(CoreTag::Bool, "yes"), "`yes` is not a valid !!bool");
        assert_eq!(err(CoreTag::Null, "0"), "`0` is not a valid !!null");
        assert_eq!(
            err(CoreTag::Seq, "a"),
            "tag !!seq cannot be applied to a scalar"
        );
    }
}
