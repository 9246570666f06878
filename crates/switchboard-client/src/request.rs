//! A request described as data: built by pure functions in [`crate::api`], sent by
//! [`crate::Client`]. Building never touches the network, so it is testable on its own.

use std::fmt;

use serde::Serialize;

/// The HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// The method as the HTTP stack spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    pub(crate) fn to_http(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One operation of the API: method, path template and the permissions it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// HTTP method.
    pub method: Method,
    /// Path template as the API description writes it, e.g. `/api/v2/routing/queues/{queueId}`.
    pub template: &'static str,
    /// Permissions of which the caller needs any (from `x-inin-requires-permissions`);
    /// shown when the API answers 403.
    pub permissions: &'static [&'static str],
    /// OAuth scopes of which a token needs one (the description's `security`), where they
    /// are recorded; empty where not. Shown in a 403 hint when no permission is required.
    pub scopes: &'static [&'static str],
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.template)
    }
}

/// What happens if a request is sent twice: decides what may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// Reads, and writes whose repetition has the same effect (PUT, DELETE, bulk member
    /// adds and removes): retried on transient failures.
    Idempotent,
    /// Creates a named object (`POST /routing/queues`, ...). The API has no idempotency
    /// header (API-FACTS §7), so a create whose outcome is unknown is never retried here:
    /// the caller re-reads by name first.
    Create,
}

/// A fully described request, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiRequest {
    /// The operation.
    pub endpoint: Endpoint,
    /// The concrete path, with path parameters filled in and percent-encoded.
    pub path: String,
    /// Query parameters in order; a repeated name is how `collectionFormat: multi` is sent.
    pub query: Vec<(&'static str, String)>,
    /// The JSON body, if any.
    pub body: Option<serde_json::Value>,
    /// Whether a retry is safe.
    pub kind: RequestKind,
}

impl ApiRequest {
    /// A request for `endpoint` with its path parameters filled in order.
    pub fn new(endpoint: Endpoint, params: &[&str]) -> Self {
        let kind = if endpoint.method == Method::Post {
            RequestKind::Create
        } else {
            RequestKind::Idempotent
        };
        ApiRequest {
            path: fill_template(endpoint.template, params),
            endpoint,
            query: Vec::new(),
            body: None,
            kind,
        }
    }

    /// Adds one query parameter.
    pub fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Asks for one page of a listing (`pageNumber` from 1, `pageSize`).
    pub fn page(self, page: crate::paging::Page) -> Self {
        self.query("pageNumber", page.number)
            .query("pageSize", page.size)
    }

    /// Asks for one page of a cursor listing (`pageSize`, and `after` past the first page).
    pub fn cursor(self, cursor: crate::paging::Cursor<'_>) -> Self {
        let request = self.query("pageSize", cursor.size);
        match cursor.after {
            Some(after) => request.query("after", after),
            None => request,
        }
    }

    /// Adds one query parameter per value (`collectionFormat: multi`).
    pub fn query_multi<I, V>(mut self, name: &'static str, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: ToString,
    {
        self.query
            .extend(values.into_iter().map(|value| (name, value.to_string())));
        self
    }

    /// Sets the JSON body. Wire models always serialize, so this cannot fail for them;
    /// a value that does not serialize becomes JSON `null` and the API rejects it.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        self.body = Some(serde_json::to_value(body).unwrap_or(serde_json::Value::Null));
        self
    }

    /// Marks the request as safe to repeat even though it is a POST (bulk adds, searches,
    /// queries).
    pub fn idempotent(mut self) -> Self {
        self.kind = RequestKind::Idempotent;
        self
    }

    /// The request line for logs and errors, without the query (which may hold emails).
    pub fn describe(&self) -> String {
        format!("{} {}", self.endpoint.method, self.path)
    }
}

/// Fills `{name}` placeholders in order, percent-encoding each value as one path segment.
fn fill_template(template: &str, params: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 40);
    let mut params = params.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        match params.next() {
            Some(value) => encode_segment(value, &mut out),
            None => out.push_str(&rest[open..open + close + 1]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so an id can never
/// change the path's shape.
fn encode_segment(value: &str, out: &mut String) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMBER: Endpoint = Endpoint {
        method: Method::Patch,
        template: "/api/v2/routing/queues/{queueId}/members/{memberId}",
        permissions: &[],
        scopes: &[],
    };

    #[test]
    fn fills_and_encodes_path_parameters() {
        let request = ApiRequest::new(MEMBER, &["q-1", "../etc/passwd?x=1"]);
        assert_eq!(
            request.path,
            "/api/v2/routing/queues/q-1/members/..%2Fetc%2Fpasswd%3Fx%3D1"
        );
    }

    #[test]
    fn posts_are_creates_unless_marked_idempotent() {
        let create = Endpoint {
            method: Method::Post,
            template: "/api/v2/routing/skills",
            permissions: &[],
            scopes: &[],
        };
        assert_eq!(ApiRequest::new(create, &[]).kind, RequestKind::Create);
        assert_eq!(
            ApiRequest::new(create, &[]).idempotent().kind,
            RequestKind::Idempotent
        );
        assert_eq!(
            ApiRequest::new(MEMBER, &["a", "b"]).kind,
            RequestKind::Idempotent
        );
    }

    #[test]
    fn multi_query_repeats_the_name() {
        let list = Endpoint {
            method: Method::Get,
            template: "/api/v2/users",
            permissions: &[],
            scopes: &[],
        };
        let request = ApiRequest::new(list, &[])
            .query_multi("id", ["a", "b"])
            .query("pageSize", 100);
        assert_eq!(
            request.query,
            vec![
                ("id", "a".into()),
                ("id", "b".into()),
                ("pageSize", "100".into())
            ]
        );
    }
}
