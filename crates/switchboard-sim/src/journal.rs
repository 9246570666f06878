//! The request journal: every request the simulator answered (or dropped), in memory and
//! optionally as JSON lines in a file. Secrets are never recorded: no header is recorded at
//! all, `/oauth/token` requests carry no body in the journal, and the `access_token` of its
//! answers is redacted.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::SimError;

/// One journaled request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// 1, 2, 3... in arrival order.
    pub seq: u64,
    /// When the request arrived (RFC 3339, UTC).
    pub time: String,
    /// The HTTP method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query string (empty when none).
    pub query: String,
    /// The status answered; 0 when the connection was dropped without an answer.
    pub status: u16,
    /// The OAuth client the request was made as, when known.
    pub client_id: Option<String>,
    /// The request body (JSON, or a JSON string when not JSON); never for `/oauth/token`.
    pub request_body: Option<Value>,
    /// The response body, when response bodies are journaled (tokens redacted).
    pub response_body: Option<Value>,
}

/// The journal's storage.
#[derive(Debug)]
pub(crate) struct Journal {
    inner: Mutex<JournalInner>,
    pub response_bodies: bool,
}

#[derive(Debug)]
struct JournalInner {
    next_seq: u64,
    entries: Vec<JournalEntry>,
    file: Option<File>,
}

impl Journal {
    pub(crate) fn new(file: Option<&Path>, response_bodies: bool) -> Result<Journal, SimError> {
        let file = match file {
            None => None,
            Some(path) => Some(File::create(path).map_err(|source| SimError::Journal {
                path: path.to_path_buf(),
                source,
            })?),
        };
        Ok(Journal {
            inner: Mutex::new(JournalInner {
                next_seq: 1,
                entries: Vec::new(),
                file,
            }),
            response_bodies,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, JournalInner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records an entry, giving it the next sequence number.
    pub(crate) fn record(&self, mut entry: JournalEntry) {
        let mut inner = self.lock();
        entry.seq = inner.next_seq;
        inner.next_seq += 1;
        if let Some(file) = inner.file.as_mut() {
            let written = serde_json::to_string(&entry)
                .map_err(std::io::Error::other)
                .and_then(|line| writeln!(file, "{line}"));
            if let Err(error) = written {
                tracing::warn!(%error, "cannot write the journal file");
            }
        }
        inner.entries.push(entry);
    }

    pub(crate) fn entries(&self) -> Vec<JournalEntry> {
        self.lock().entries.clone()
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub(crate) fn clear(&self) {
        self.lock().entries.clear();
    }
}

/// The journal form of a request or response body.
pub(crate) fn body_value(bytes: &[u8]) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    Some(
        serde_json::from_slice(bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned())),
    )
}
