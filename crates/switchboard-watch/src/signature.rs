//! The signature scheme of watch mode's webhooks, both ways: what the receiver demands of a
//! relay, and what the notifier sends.
//!
//! A signed request carries two headers:
//!
//! ```text
//! X-Switchboard-Timestamp: <unix seconds>
//! X-Switchboard-Signature: sha256=<lower-case hex of HMAC-SHA256(secret, "{timestamp}.{raw body}")>
//! ```
//!
//! The timestamp is inside the signed text, so it cannot be changed without the secret, and
//! a request more than [`TOLERANCE`] from the receiver's clock (either way) is refused: a
//! captured request cannot be replayed later. Within the tolerance, [`SeenRequests`]
//! remembers the signatures already accepted, so the same request cannot be replayed sooner
//! either. The signature is compared in constant time (`hmac`'s `verify_slice`), so timing
//! does not reveal how much of a forgery was right. Rejections name their reason for logs,
//! never the secret or the expected signature.

use std::collections::BTreeSet;
use std::time::Duration;

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

/// `X-Switchboard-Timestamp`: when the request was signed, in unix seconds.
pub const TIMESTAMP_HEADER: &str = "x-switchboard-timestamp";
/// `X-Switchboard-Signature`: `sha256=` and the HMAC in lower-case hex.
pub const SIGNATURE_HEADER: &str = "x-switchboard-signature";
/// How far a request's timestamp may be from the receiver's clock, either way.
pub const TOLERANCE: Duration = Duration::from_secs(300);
/// How many accepted signatures [`SeenRequests`] remembers at most (about 1 MiB).
pub const MAX_REMEMBERED: usize = 10_000;

const SCHEME: &str = "sha256=";

type HmacSha256 = Hmac<Sha256>;

/// Why a request's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// A signature header is absent.
    #[error("the {0} header is missing")]
    Missing(&'static str),
    /// A signature header is not in the documented form.
    #[error("the {0} header is malformed")]
    Malformed(&'static str),
    /// The signature is not the body's under the shared secret.
    #[error("the signature does not match the body")]
    Mismatch,
    /// The timestamp is too far from now: a replay, or a badly wrong clock.
    #[error("the timestamp is {skew_seconds}s from now, more than the {}s allowed", TOLERANCE.as_secs())]
    Stale {
        /// Signed time minus now; negative when the request is old.
        skew_seconds: i64,
    },
    /// A request with this very signature was already accepted: a replay.
    #[error("a request with this signature was already received")]
    Replayed,
}

/// A request whose signature verified: when it was signed, and the signature itself, which
/// identifies it (it covers the timestamp and the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// When the request was signed, in unix seconds.
    pub timestamp: i64,
    mac: Vec<u8>,
}

/// The signatures accepted within the tolerance, so that the same request is accepted once.
///
/// A signature is forgotten once its timestamp is more than [`TOLERANCE`] in the past, when
/// [`check_timestamp`] refuses it anyway. Memory is bounded: past `capacity` signatures, the
/// oldest is forgotten first. That takes more than `capacity` signed requests within the
/// tolerance window, which only the relay can send; replaying a forgotten one costs no more
/// than the drift check its event asks for.
#[derive(Debug)]
pub struct SeenRequests {
    capacity: usize,
    seen: BTreeSet<(i64, Vec<u8>)>,
}

impl SeenRequests {
    /// Remembers at most `capacity` signatures (at least one).
    pub fn new(capacity: usize) -> SeenRequests {
        SeenRequests {
            capacity: capacity.max(1),
            seen: BTreeSet::new(),
        }
    }

    /// Accepts a verified request the first time it is seen and refuses it as
    /// [`Rejection::Replayed`] after that; `now` is the receiver's clock (unix seconds).
    pub fn first_time(&mut self, request: &Verified, now: i64) -> Result<(), Rejection> {
        let expired = now.saturating_sub(i64::try_from(TOLERANCE.as_secs()).unwrap_or(i64::MAX));
        while self
            .seen
            .first()
            .is_some_and(|(signed, _)| *signed < expired)
        {
            self.seen.pop_first();
        }
        if !self.seen.insert((request.timestamp, request.mac.clone())) {
            return Err(Rejection::Replayed);
        }
        while self.seen.len() > self.capacity {
            self.seen.pop_first();
        }
        Ok(())
    }

    /// How many signatures are remembered.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// True when no signature is remembered.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

fn keyed(secret: &SecretString, timestamp: i64, body: &[u8]) -> HmacSha256 {
    let key = secret.expose_secret().as_bytes();
    // HMAC accepts keys of any length (RFC 2104 §2), so this never falls back; the
    // fallback (an all-zero key) only avoids a panic path.
    let mut mac = HmacSha256::new_from_slice(key)
        .unwrap_or_else(|_| <HmacSha256 as Mac>::new(&Default::default()));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `X-Switchboard-Signature` value of `body` signed at `timestamp` (unix seconds).
pub fn sign(secret: &SecretString, timestamp: i64, body: &[u8]) -> String {
    let digest = keyed(secret, timestamp, body).finalize().into_bytes();
    format!("{SCHEME}{}", lower_hex(&digest))
}

/// Both headers of a request carrying `body`, signed at `timestamp` (unix seconds).
pub fn signed_headers(secret: &SecretString, timestamp: i64, body: &[u8]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        HeaderName::from_static(TIMESTAMP_HEADER),
        HeaderValue::from(timestamp),
    );
    // Only `sha256=` and hex digits: always a valid header value.
    if let Ok(value) = HeaderValue::from_str(&sign(secret, timestamp, body)) {
        headers.insert(HeaderName::from_static(SIGNATURE_HEADER), value);
    }
    headers
}

/// Checks a request's signature headers against its raw body and the receiver's clock
/// (`now`, unix seconds).
pub fn verify(
    secret: &SecretString,
    headers: &HeaderMap,
    body: &[u8],
    now: i64,
) -> Result<Verified, Rejection> {
    let timestamp = check_timestamp(headers, now)?;
    let signature = header(headers, SIGNATURE_HEADER)?;
    let hex = signature
        .strip_prefix(SCHEME)
        .ok_or(Rejection::Malformed(SIGNATURE_HEADER))?;
    let expected_len = <HmacSha256 as hmac::digest::OutputSizeUser>::output_size();
    let given = parse_hex(hex)
        .filter(|bytes| bytes.len() == expected_len)
        .ok_or(Rejection::Malformed(SIGNATURE_HEADER))?;
    keyed(secret, timestamp, body)
        .verify_slice(&given)
        .map_err(|_| Rejection::Mismatch)?;
    Ok(Verified {
        timestamp,
        mac: given,
    })
}

/// The timestamp header, checked for form and freshness; what the receiver can decide
/// before it reads a body.
pub fn check_timestamp(headers: &HeaderMap, now: i64) -> Result<i64, Rejection> {
    let value = header(headers, TIMESTAMP_HEADER)?;
    // Digits only: `parse` alone would take a sign.
    let timestamp: i64 = value
        .parse()
        .ok()
        .filter(|_| value.bytes().all(|b| b.is_ascii_digit()))
        .ok_or(Rejection::Malformed(TIMESTAMP_HEADER))?;
    let skew = timestamp.saturating_sub(now);
    if skew.unsigned_abs() > TOLERANCE.as_secs() {
        return Err(Rejection::Stale { skew_seconds: skew });
    }
    Ok(timestamp)
}

fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, Rejection> {
    let mut values = headers.get_all(name).iter();
    let value = values.next().ok_or(Rejection::Missing(name))?;
    // Two values would leave open which one was checked.
    if values.next().is_some() {
        return Err(Rejection::Malformed(name));
    }
    value
        .to_str()
        .map(str::trim)
        .map_err(|_| Rejection::Malformed(name))
}

fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

fn parse_hex(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// A secret for signing, refused when empty: an empty key signs nothing anyone could not
/// forge.
pub fn require_secret(secret: SecretString) -> Result<SecretString, EmptySecret> {
    if secret.expose_secret().is_empty() {
        Err(EmptySecret)
    } else {
        Ok(secret)
    }
}

/// The shared secret is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the webhook secret is empty\nhint: set it to a long random value (for example 32 random bytes, hex-encoded) shared with the relay"
)]
pub struct EmptySecret;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn secret() -> SecretString {
        SecretString::from("test-secret")
    }

    const NOW: i64 = 1_767_225_600;

    fn headers_with(timestamp: &str, signature: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(TIMESTAMP_HEADER, HeaderValue::from_str(timestamp).unwrap());
        h.insert(SIGNATURE_HEADER, HeaderValue::from_str(signature).unwrap());
        h
    }

    #[test]
    fn a_known_vector() {
        // Python: hmac.new(b"test-secret", b'1767225600.{"a":1}', hashlib.sha256).hexdigest()
        assert_eq!(
            sign(&secret(), NOW, br#"{"a":1}"#),
            "sha256=52bf485ae55934ce2466b2cc43e8ecb1865a356eeadb03616d37b73605885773"
        );
    }

    #[test]
    fn valid_signatures_verify() {
        let body = br#"{"topicName":"x"}"#;
        let headers = signed_headers(&secret(), NOW, body);
        let verified = verify(&secret(), &headers, body, NOW).unwrap();
        assert_eq!(verified.timestamp, NOW);
        // Within the tolerance either way.
        assert_eq!(
            verify(&secret(), &headers, body, NOW + 300),
            Ok(verified.clone())
        );
        assert_eq!(
            verify(&secret(), &headers, body, NOW - 300),
            Ok(verified.clone())
        );
        // Upper-case hex is the same signature.
        let upper = sign(&secret(), NOW, body)
            .to_uppercase()
            .replace("SHA256=", "sha256=");
        let h = headers_with(&NOW.to_string(), &upper);
        assert_eq!(verify(&secret(), &h, body, NOW), Ok(verified));
    }

    #[test]
    fn forgeries_do_not_verify() {
        let body = b"{}";
        let other = SecretString::from("another-secret");
        let forged = signed_headers(&other, NOW, body);
        assert_eq!(
            verify(&secret(), &forged, body, NOW),
            Err(Rejection::Mismatch)
        );
        let headers = signed_headers(&secret(), NOW, body);
        assert_eq!(
            verify(&secret(), &headers, b"{ }", NOW),
            Err(Rejection::Mismatch)
        );
        // The timestamp is signed: moving it breaks the signature.
        let moved = headers_with(&(NOW + 1).to_string(), &sign(&secret(), NOW, body));
        assert_eq!(
            verify(&secret(), &moved, body, NOW),
            Err(Rejection::Mismatch)
        );
    }

    #[test]
    fn stale_and_future_timestamps_are_replays() {
        let body = b"{}";
        let old = signed_headers(&secret(), NOW - 301, body);
        assert_eq!(
            verify(&secret(), &old, body, NOW),
            Err(Rejection::Stale { skew_seconds: -301 })
        );
        let future = signed_headers(&secret(), NOW + 301, body);
        assert_eq!(
            verify(&secret(), &future, body, NOW),
            Err(Rejection::Stale { skew_seconds: 301 })
        );
    }

    #[test]
    fn missing_and_malformed_headers() {
        let body = b"{}";
        let good = sign(&secret(), NOW, body);
        assert_eq!(
            verify(&secret(), &HeaderMap::new(), body, NOW),
            Err(Rejection::Missing(TIMESTAMP_HEADER))
        );
        let mut only_time = HeaderMap::new();
        only_time.insert(TIMESTAMP_HEADER, HeaderValue::from(NOW));
        assert_eq!(
            verify(&secret(), &only_time, body, NOW),
            Err(Rejection::Missing(SIGNATURE_HEADER))
        );
        for timestamp in [
            "",
            "abc",
            "-5",
            "+1767225600",
            "1.5",
            "99999999999999999999",
        ] {
            assert_eq!(
                verify(&secret(), &headers_with(timestamp, &good), body, NOW),
                Err(Rejection::Malformed(TIMESTAMP_HEADER)),
                "{timestamp}"
            );
        }
        let hex = good.trim_start_matches("sha256=");
        for signature in [
            hex.to_string(),
            format!("sha1={hex}"),
            format!("sha256={}", &hex[1..]),
            format!("sha256={}zz", &hex[2..]),
            format!("sha256={hex}00"),
            "sha256=".to_string(),
        ] {
            assert_eq!(
                verify(
                    &secret(),
                    &headers_with(&NOW.to_string(), &signature),
                    body,
                    NOW
                ),
                Err(Rejection::Malformed(SIGNATURE_HEADER)),
                "{signature}"
            );
        }
        let mut twice = headers_with(&NOW.to_string(), &good);
        twice.append(SIGNATURE_HEADER, HeaderValue::from_str(&good).unwrap());
        assert_eq!(
            verify(&secret(), &twice, body, NOW),
            Err(Rejection::Malformed(SIGNATURE_HEADER))
        );
    }

    #[test]
    fn rejections_never_show_the_expected_signature() {
        let body = b"{}";
        let expected = sign(&secret(), NOW, body);
        let hex = expected.trim_start_matches("sha256=");
        for rejection in [
            Rejection::Mismatch,
            Rejection::Missing(SIGNATURE_HEADER),
            Rejection::Malformed(SIGNATURE_HEADER),
            Rejection::Stale { skew_seconds: 400 },
            Rejection::Replayed,
        ] {
            let shown = format!("{rejection} {rejection:?}");
            assert!(!shown.contains(hex) && !shown.contains("test-secret"));
        }
    }

    #[test]
    fn a_request_is_accepted_once_within_the_tolerance() {
        let mut seen = SeenRequests::new(MAX_REMEMBERED);
        let body = b"{}";
        let first = verify(&secret(), &signed_headers(&secret(), NOW, body), body, NOW).unwrap();
        assert_eq!(seen.first_time(&first, NOW), Ok(()));
        assert_eq!(seen.first_time(&first, NOW + 1), Err(Rejection::Replayed));
        assert_eq!(seen.first_time(&first, NOW + 300), Err(Rejection::Replayed));
        // Another body, or the same body signed a second later, is another request.
        let other = verify(
            &secret(),
            &signed_headers(&secret(), NOW, b"[]"),
            b"[]",
            NOW,
        )
        .unwrap();
        assert_eq!(seen.first_time(&other, NOW), Ok(()));
        let later = signed_headers(&secret(), NOW + 1, body);
        let later = verify(&secret(), &later, body, NOW + 1).unwrap();
        assert_eq!(seen.first_time(&later, NOW + 1), Ok(()));
        assert_eq!(seen.len(), 3);
        // Once the timestamps are past the tolerance they are forgotten, as the timestamp
        // check refuses them from then on.
        let fresh = signed_headers(&secret(), NOW + 302, body);
        let fresh = verify(&secret(), &fresh, body, NOW + 302).unwrap();
        assert_eq!(seen.first_time(&fresh, NOW + 302), Ok(()));
        assert_eq!(seen.len(), 1);
    }

    #[test]
    fn memory_is_bounded_by_forgetting_the_oldest() {
        let mut seen = SeenRequests::new(3);
        let requests: Vec<Verified> = (0..5)
            .map(|i| {
                let headers = signed_headers(&secret(), NOW + i, b"{}");
                verify(&secret(), &headers, b"{}", NOW + i).unwrap()
            })
            .collect();
        for request in &requests {
            assert_eq!(seen.first_time(request, NOW), Ok(()));
        }
        assert_eq!(seen.len(), 3);
        assert_eq!(seen.first_time(&requests[4], NOW), Err(Rejection::Replayed));
        assert_eq!(seen.first_time(&requests[0], NOW), Ok(()));
    }

    #[test]
    fn empty_secrets_are_refused() {
        assert_eq!(
            require_secret(SecretString::from("")).err(),
            Some(EmptySecret)
        );
        assert!(require_secret(secret()).is_ok());
    }
}
