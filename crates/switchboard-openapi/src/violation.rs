//! What a validation finds: one [`Violation`] per departure from the description, with a
//! sentence for people and a [`ViolationKind`] for programs (the simulator builds its error
//! bodies from the kind).

use std::fmt;

/// One way a body or query string departs from the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// `"<METHOD> <template>"` of the matched operation (or of the request, when no operation
    /// matched), or `"definition <Name>"` for [`crate::Spec::validate_definition`].
    pub operation: String,
    /// JSON pointer into the body (`/mediaSettings/call/alertingTimeoutSeconds`, `""` for the
    /// whole body), or `?name` for a query parameter.
    pub location: String,
    /// What is wrong, as a sentence naming the definition where there is one.
    pub problem: String,
    /// What is wrong, as data.
    pub kind: ViolationKind,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = if self.location.is_empty() {
            "(root)"
        } else {
            &self.location
        };
        write!(f, "{} {location}: {}", self.operation, self.problem)
    }
}

/// The kind of a [`Violation`]; the location says where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViolationKind {
    /// A key that a closed object's definition does not declare, or a query parameter that
    /// the operation does not.
    UnknownField,
    /// A required field (absent or `null`), query parameter or request body is missing.
    MissingRequired,
    /// A value of the wrong JSON type, a query value that does not parse as its type, or (in
    /// [`crate::ValidationMode::Received`]) an integer outside its `int32` range.
    WrongType {
        /// The type the description asks for.
        expected: JsonType,
    },
    /// A value that is not one of the declared `enum` values.
    NotInEnum {
        /// The value found.
        value: String,
        /// The values allowed, in the description's order.
        allowed: Vec<String>,
    },
    /// A string that does not have its declared `format`.
    BadFormat {
        /// The format: `date-time` (RFC 3339) or `date` (`YYYY-MM-DD`).
        format: &'static str,
    },
    /// A query parameter given more than once that is not an array parameter.
    Repeated,
    /// A query string that is not valid `application/x-www-form-urlencoded`.
    Malformed,
    /// A body where the description declares none.
    UnexpectedBody,
    /// The operation, the response status or the definition is not in the description.
    NotInSpec,
    /// The description itself is broken here (an unresolved `$ref` or a `$ref` cycle).
    BrokenSpec,
}

/// A JSON type as Swagger 2.0 names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    /// `string`.
    String,
    /// `integer`: a JSON number without a fraction.
    Integer,
    /// `number`: any JSON number.
    Number,
    /// `boolean`.
    Boolean,
    /// `array`.
    Array,
    /// `object`.
    Object,
}

impl JsonType {
    /// The Swagger name: `string`, `integer`, `number`, `boolean`, `array` or `object`.
    pub fn as_str(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }
}

impl fmt::Display for JsonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
