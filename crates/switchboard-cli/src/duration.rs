//! Durations on the command line: `500ms`, `90s`, `15m`, `2h`, `1d`, or combined (`1h30m`).

use std::time::Duration;

/// Reads `500ms`, `90s`, `15m`, `2h`, `1d` or a sum of such parts (`1h30m`); more than
/// zero.
pub fn parse_duration(given: &str) -> Result<Duration, String> {
    let error = || {
        format!(
            "invalid duration {given:?}: expected a number and a unit (ms, s, m, h, d), e.g. 500ms, 30s, 15m, 2h, 1d or 1h30m"
        )
    };
    let mut total: u128 = 0;
    let mut rest = given.trim();
    if rest.is_empty() {
        return Err(error());
    }
    while !rest.is_empty() {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let (number, after) = rest.split_at(digits);
        let letters = after.chars().take_while(char::is_ascii_alphabetic).count();
        let (unit, after) = after.split_at(letters);
        let millis: u128 = match unit {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => return Err(error()),
        };
        let count: u128 = number.parse().map_err(|_| error())?;
        total = count
            .checked_mul(millis)
            .and_then(|part| total.checked_add(part))
            .filter(|t| *t <= u128::from(u64::MAX))
            .ok_or_else(error)?;
        rest = after;
    }
    if total == 0 {
        return Err(error());
    }
    Ok(Duration::from_millis(
        u64::try_from(total).map_err(|_| error())?,
    ))
}

/// A duration as [`parse_duration`] reads it, in its largest units: `1d`, `1h30m`, `30s`,
/// `250ms`.
pub fn describe(duration: Duration) -> String {
    let mut millis = duration.as_millis();
    if millis == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
    ] {
        if millis >= size {
            out.push_str(&format!("{}{unit}", millis / size));
            millis %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_in_the_largest_units_and_reads_back() {
        for (duration, text) in [
            (Duration::from_secs(86_400), "1d"),
            (Duration::from_secs(5_400), "1h30m"),
            (Duration::from_secs(30), "30s"),
            (Duration::from_millis(250), "250ms"),
            (Duration::from_millis(61_500), "1m1s500ms"),
        ] {
            assert_eq!(describe(duration), text);
            assert_eq!(parse_duration(text), Ok(duration));
        }
    }

    #[test]
    fn reads_units_and_sums() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
    }

    #[test]
    fn refuses_what_is_not_a_duration() {
        for bad in [
            "",
            "0s",
            "10",
            "h",
            "1x",
            "-1h",
            "1.5h",
            "1 h",
            "99999999999999999999d",
        ] {
            let err = parse_duration(bad).unwrap_err();
            assert!(err.contains("invalid duration"), "{bad}: {err}");
        }
    }
}
