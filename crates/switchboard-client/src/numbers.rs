//! Numbers from servers and for logs, read and written without overflow.

use std::time::Duration;

/// `text` as a whole non-negative number when it is all ASCII digits; a number too large
/// for `u64` saturates. Anything else (a sign, a fraction, an HTTP date, words) is `None`.
pub(crate) fn whole_number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits: only overflow makes the parse fail, and then the number is huge.
    Some(text.parse::<u64>().unwrap_or(u64::MAX))
}

/// Milliseconds for a log field, saturating.
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_digits_are_a_whole_number() {
        assert_eq!(whole_number("61"), Some(61));
        assert_eq!(whole_number("99999999999999999999999"), Some(u64::MAX));
        for text in ["", " 1", "-1", "1.5", "1e3", "soon", "+1"] {
            assert_eq!(whole_number(text), None, "{text:?}");
        }
        assert_eq!(millis(Duration::MAX), u64::MAX);
    }
}
