//! The YAML form: a list of `{queue, mediaType, peakConcurrent}` mappings, or the same list
//! under `forecast:`. Read with the manifest's YAML reader, which refuses hostile input
//! (aliases that expand without bound, duplicate keys) and positions every value, so each
//! problem names its line.

use switchboard_manifest::yaml::{self, Key, Limits, Spanned, Value};

use super::{ForecastRow, MAX_FORECAST_BYTES, Problem, row};

/// The keys of a row, in the order messages list them.
const KEYS: [&str; 3] = ["queue", "mediaType", "peakConcurrent"];

/// The rows of a YAML forecast.
pub(super) fn rows(text: &str) -> Result<Vec<ForecastRow>, Problem> {
    let limits = Limits {
        max_bytes: usize::try_from(MAX_FORECAST_BYTES).unwrap_or(usize::MAX),
        ..Limits::default()
    };
    let Some(root) = yaml::parse(text, &limits).map_err(from_yaml)? else {
        return Ok(Vec::new());
    };
    list(&root)?.iter().map(data_row).collect()
}

/// The reader's error, reworded where it speaks of manifests.
fn from_yaml(error: yaml::YamlError) -> Problem {
    let line = usize::try_from(error.at.line).unwrap_or(usize::MAX);
    let message = if error.message == "a manifest file holds one YAML document" {
        "a forecast file holds one YAML document".to_string()
    } else {
        error.message
    };
    let problem = Problem::new(line, message);
    match error.hint {
        Some(hint) if !hint.contains("manifest") => problem.with_hint(hint),
        _ => problem,
    }
}

fn line(at: &Spanned) -> usize {
    usize::try_from(at.at.line).unwrap_or(usize::MAX)
}

fn key_line(key: &Key) -> usize {
    usize::try_from(key.at.line).unwrap_or(usize::MAX)
}

/// The list of rows: the document itself, or its `forecast` key.
fn list(root: &Spanned) -> Result<&[Spanned], Problem> {
    let shape = || {
        Problem::new(
            line(root),
            "a forecast is a list of rows, or a mapping with the list under `forecast`",
        )
        .with_hint("write rows as `- {queue: Billing EN, mediaType: call, peakConcurrent: 12}`")
    };
    match &root.value {
        Value::Seq(items) => Ok(items),
        Value::Map(entries) => {
            let mut rows = None;
            for (key, value) in entries {
                if key.name != "forecast" {
                    return Err(Problem::new(
                        key_line(key),
                        format!(
                            "unknown key {:?}; the only key here is \"forecast\"",
                            key.name
                        ),
                    ));
                }
                rows = Some(value);
            }
            match rows.map(|v| &v.value) {
                Some(Value::Seq(items)) => Ok(items),
                Some(Value::Null) => Ok(&[]),
                _ => Err(shape()),
            }
        }
        _ => Err(shape()),
    }
}

fn data_row(item: &Spanned) -> Result<ForecastRow, Problem> {
    let at = line(item);
    let Value::Map(entries) = &item.value else {
        return Err(Problem::new(
            at,
            "a forecast row is a mapping with queue, mediaType and peakConcurrent",
        ));
    };
    let mut values: [Option<&Spanned>; 3] = [None; 3];
    for (key, value) in entries {
        let Some(index) = KEYS.iter().position(|k| *k == key.name) else {
            return Err(Problem::new(
                key_line(key),
                format!(
                    "unknown key {:?} in a forecast row; the keys are queue, mediaType and peakConcurrent",
                    key.name
                ),
            ));
        };
        values[index] = Some(value);
    }
    let [queue, media_type, peak] = values;
    let queue = text(queue, "queue", at)?;
    let media_type = text(media_type, "mediaType", at)?;
    let peak = number(peak, at)?;
    row(at, queue, media_type, peak)
}

fn missing(key: &str, at: usize) -> Problem {
    Problem::new(at, format!("the row has no {key}"))
}

fn text<'a>(value: Option<&'a Spanned>, key: &str, at: usize) -> Result<&'a str, Problem> {
    let value = value.ok_or_else(|| missing(key, at))?;
    match &value.value {
        Value::String(s) => Ok(s),
        _ => Err(Problem::new(line(value), format!("{key} must be a string"))
            .with_hint("quote the value")),
    }
}

fn number(value: Option<&Spanned>, at: usize) -> Result<f64, Problem> {
    let value = value.ok_or_else(|| missing("peakConcurrent", at))?;
    match &value.value {
        // i64 → f64 may round above 2^53; a peak load is nowhere near that.
        Value::Int(n) => Ok(*n as f64),
        Value::Float(f) => Ok(*f),
        Value::String(s) => Err(Problem::new(
            line(value),
            format!("peakConcurrent {s:?} is not a number"),
        )
        .with_hint("write the load as a plain number such as 12 or 7.5")),
        _ => Err(Problem::new(line(value), "peakConcurrent must be a number")),
    }
}
