use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

use super::NamedEntity;

/// The OAuth token endpoint's answer.
///
/// It is read only by [`TokenResponse::from_answer`], never by serde: serde's messages quote
/// the values they reject, and this answer holds the access token.
#[derive(Clone)]
pub struct TokenResponse {
    /// The bearer token.
    pub access_token: String,
    /// `bearer`.
    pub token_type: Option<String>,
    /// Lifetime in seconds, as the server said it.
    pub expires_in: u64,
}

impl TokenResponse {
    /// Reads the token endpoint's answer. A failure says which field is missing or mistyped,
    /// by name only: no part of the answer is ever repeated.
    pub fn from_answer(body: &[u8]) -> Result<TokenResponse, &'static str> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err("the token answer is empty");
        }
        let Ok(answer) = serde_json::from_slice::<Value>(body) else {
            return Err("the token answer is not JSON");
        };
        let Value::Object(fields) = answer else {
            return Err("the token answer is not a JSON object");
        };
        let access_token = match fields.get("access_token") {
            None | Some(Value::Null) => return Err("the token answer has no `access_token`"),
            Some(Value::String(token)) if token.is_empty() => {
                return Err("the token answer's `access_token` is empty");
            }
            // A bearer token is sent in a header: visible ASCII only.
            Some(Value::String(token)) if !token.bytes().all(|b| b.is_ascii_graphic()) => {
                return Err(
                    "the token answer's `access_token` holds characters a bearer token cannot have",
                );
            }
            Some(Value::String(token)) => token.clone(),
            Some(_) => return Err("the token answer's `access_token` is not a string"),
        };
        let expires_in = match fields.get("expires_in") {
            None | Some(Value::Null) => return Err("the token answer has no `expires_in`"),
            Some(value) => whole_seconds(value)
                .ok_or("the token answer's `expires_in` is not a whole number of seconds")?,
        };
        // Kept only when it is a plain word (`bearer`): it is shown in `Debug`.
        let token_type = match fields.get("token_type") {
            Some(Value::String(kind))
                if kind.len() <= 16 && kind.bytes().all(|b| b.is_ascii_alphabetic()) =>
            {
                Some(kind.clone())
            }
            _ => None,
        };
        Ok(TokenResponse {
            access_token,
            token_type,
            expires_in,
        })
    }
}

/// A non-negative whole number of seconds: an integer, an integral float (`3600.0`, or
/// one past `u64`, which saturates) or a string of digits (some OAuth servers send one).
fn whole_seconds(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64().or_else(|| {
            number
                .as_f64()
                .filter(|seconds| seconds.is_finite() && *seconds >= 0.0 && seconds.fract() == 0.0)
                // `as` saturates at `u64::MAX`; the caller clamps the lifetime anyway.
                .map(|seconds| seconds as u64)
        }),
        Value::String(text) => crate::numbers::whole_number(text),
        _ => None,
    }
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &"[redacted]")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// `TokenInfo` from `GET /api/v2/tokens/me`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// The org the token acts in.
    pub organization: Option<NamedEntity>,
    /// The token's home org.
    pub home_organization: Option<NamedEntity>,
    /// Granted scopes.
    pub authorized_scope: Option<Vec<String>>,
    /// The OAuth client.
    #[serde(rename = "OAuthClient")]
    pub oauth_client: Option<OAuthClientInfo>,
    /// When the token idles out.
    pub date_token_idles: Option<String>,
}

/// The parts of `OrgOAuthClient` switchboard shows.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthClientInfo {
    /// Client id.
    pub id: Option<String>,
    /// Client name.
    pub name: Option<String>,
    /// Grant type.
    pub authorized_grant_type: Option<String>,
    /// Org.
    pub organization: Option<NamedEntity>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "eyJ0b2tlbi1tdXN0LW5ldmVyLWxlYWs";

    fn check(body: &str, expected: Result<u64, &str>) {
        let got = TokenResponse::from_answer(body.as_bytes());
        match (&got, expected) {
            (Ok(token), Ok(expires_in)) => {
                assert_eq!(token.expires_in, expires_in, "{body}");
                assert_eq!(token.access_token, TOKEN, "{body}");
            }
            (Err(problem), Err(expected)) => {
                assert_eq!(*problem, expected, "{body}");
                assert!(!problem.contains(TOKEN));
            }
            _ => panic!("{body}: {got:?}"),
        }
    }

    #[test]
    fn reads_the_answer_and_names_what_is_wrong_by_field_only() {
        let ok = |expires: &str| {
            format!(r#"{{"access_token":"{TOKEN}","token_type":"bearer","expires_in":{expires}}}"#)
        };
        check(&ok("86400"), Ok(86_400));
        check(&ok("0"), Ok(0));
        check(&ok("3600.0"), Ok(3_600));
        check(&ok("\"300\""), Ok(300));
        check(&ok("18446744073709551615"), Ok(u64::MAX));
        check(&ok("1e300"), Ok(u64::MAX));
        check(&ok("99999999999999999999999"), Ok(u64::MAX));
        let not_seconds = Err("the token answer's `expires_in` is not a whole number of seconds");
        for bad in [
            "-1",
            "-9223372036854775808",
            "1.5",
            "-1e300",
            "\"soon\"",
            "\"\"",
            "true",
            "[]",
            "{}",
        ] {
            check(&ok(bad), not_seconds);
        }
        check("", Err("the token answer is empty"));
        check(
            &format!("<html>{TOKEN}</html>"),
            Err("the token answer is not JSON"),
        );
        check(
            &format!(r#"{{"access_token":"{TOKEN}""#),
            Err("the token answer is not JSON"),
        );
        check(
            &format!(r#"["{TOKEN}"]"#),
            Err("the token answer is not a JSON object"),
        );
        check(
            r#"{"expires_in":60}"#,
            Err("the token answer has no `access_token`"),
        );
        check(
            &format!(r#"{{"access_token":"{TOKEN}"}}"#),
            Err("the token answer has no `expires_in`"),
        );
        check(
            r#"{"access_token":123,"expires_in":60}"#,
            Err("the token answer's `access_token` is not a string"),
        );
        check(
            r#"{"access_token":"","expires_in":60}"#,
            Err("the token answer's `access_token` is empty"),
        );
        check(
            &format!(r#"{{"access_token":"{TOKEN}\n","expires_in":60}}"#),
            Err("the token answer's `access_token` holds characters a bearer token cannot have"),
        );
    }

    #[test]
    fn debug_never_shows_the_token_nor_an_odd_token_type() {
        let answer =
            format!(r#"{{"access_token":"{TOKEN}","token_type":"{TOKEN}-x","expires_in":60}}"#);
        let token = TokenResponse::from_answer(answer.as_bytes()).unwrap();
        assert_eq!(token.token_type, None);
        assert!(!format!("{token:?}").contains(TOKEN));
    }
}
