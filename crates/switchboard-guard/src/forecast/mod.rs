//! The forecast the capacity guard reads (`--forecast FILE`): for each queue and media type,
//! the concurrent interactions expected at peak. A CSV file (what WFM tools export) or a
//! YAML file; either way every problem is reported at `file:line`.
//!
//! Architecture Invariant: [`Forecast::parse`] does no I/O and never panics, whatever the
//! text; only [`Forecast::load`] touches the file system.

mod csv_file;
mod yaml_file;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::Serialize;

/// The media types a forecast row may name: the ones routing utilization has a maximum
/// capacity for (API-FACTS §8).
pub const MEDIA_TYPES: [&str; 5] = ["call", "callback", "chat", "email", "message"];

/// The largest forecast file read, in bytes (10 MiB): far above any real export, small
/// enough that a wrong path (a log, a dump) fails fast instead of filling memory.
pub const MAX_FORECAST_BYTES: u64 = 10 * 1024 * 1024;

/// Expected peak load per queue and media type, as read from a forecast file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Where it was read from, as given (used in messages and the plan's capacity report).
    pub source: String,
    /// The rows, in file order.
    pub rows: Vec<ForecastRow>,
}

/// One queue and media type of a forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastRow {
    /// The queue's name, as the manifest spells it.
    pub queue: String,
    /// One of [`MEDIA_TYPES`], lower case.
    pub media_type: String,
    /// Concurrent interactions expected at peak: finite, 0 or more, maybe fractional.
    pub peak_concurrent: f64,
    /// The line the row starts on (1-based).
    pub line: usize,
}

/// The file formats a forecast can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForecastFormat {
    /// Comma-separated values with a header row (`.csv`).
    Csv,
    /// A YAML list of rows, or `{forecast: [...]}` (`.yaml`, `.yml`).
    Yaml,
}

impl ForecastFormat {
    /// The format a file's extension names.
    ///
    /// # Errors
    ///
    /// [`ForecastError::Format`] when the extension is not `.csv`, `.yaml` or `.yml`.
    pub fn of_path(path: &Path) -> Result<ForecastFormat, ForecastError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("csv") => Ok(ForecastFormat::Csv),
            Some("yaml" | "yml") => Ok(ForecastFormat::Yaml),
            _ => Err(ForecastError::Format {
                path: path.display().to_string(),
            }),
        }
    }
}

/// Why a forecast could not be read. Each message says where and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ForecastError {
    /// The file could not be opened or read.
    #[error("cannot read the forecast {path}: {source}")]
    Read {
        /// The file, as given.
        path: String,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FORECAST_BYTES`].
    #[error(
        "{path}: the forecast is larger than 10 MiB ({size} bytes)\nhint: check the path; a forecast has one short row per queue and media type"
    )]
    TooLarge {
        /// The file, as given.
        path: String,
        /// Its size in bytes (at least the limit + 1).
        size: u64,
    },
    /// The file's extension names no known format.
    #[error("{path}: unknown forecast format\nhint: give a .csv, .yaml or .yml file")]
    Format {
        /// The file, as given.
        path: String,
    },
    /// A row, the header or the YAML is wrong, at a line.
    #[error("{file}:{line}: {message}{}", hint_line(.hint.as_deref()))]
    Invalid {
        /// The file, as given.
        file: String,
        /// The line (1-based).
        line: usize,
        /// What is wrong, lower case, no trailing period.
        message: String,
        /// What to do about it, when there is something to say.
        hint: Option<String>,
    },
    /// The file holds no rows at all.
    #[error(
        "{file}: the forecast has no rows\nhint: give one row per queue and media type: queue, mediaType, peakConcurrent"
    )]
    Empty {
        /// The file, as given.
        file: String,
    },
}

fn hint_line(hint: Option<&str>) -> String {
    hint.map(|h| format!("\nhint: {h}")).unwrap_or_default()
}

impl Forecast {
    /// Reads the forecast at `path`; the extension says the format.
    ///
    /// # Errors
    ///
    /// Any [`ForecastError`]: an unknown extension, an unreadable or too large file, or
    /// content that [`Forecast::parse`] refuses.
    pub fn load(path: &Path) -> Result<Forecast, ForecastError> {
        let format = ForecastFormat::of_path(path)?;
        let name = path.display().to_string();
        let read_error = |source| ForecastError::Read {
            path: name.clone(),
            source,
        };
        let file = std::fs::File::open(path).map_err(read_error)?;
        // Read one byte past the limit rather than trust the metadata: a FIFO or a file
        // that grows reports no useful size.
        let mut bytes = Vec::new();
        file.take(MAX_FORECAST_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read_error)?;
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if size > MAX_FORECAST_BYTES {
            return Err(ForecastError::TooLarge { path: name, size });
        }
        let text = utf8(bytes, &name)?;
        Forecast::parse(&text, format, &name)
    }

    /// Parses a forecast held in memory; `source_name` is used in messages.
    ///
    /// # Errors
    ///
    /// [`ForecastError::TooLarge`], [`ForecastError::Empty`], or
    /// [`ForecastError::Invalid`] at the first problem found.
    pub fn parse(
        text: &str,
        format: ForecastFormat,
        source_name: &str,
    ) -> Result<Forecast, ForecastError> {
        let size = u64::try_from(text.len()).unwrap_or(u64::MAX);
        if size > MAX_FORECAST_BYTES {
            return Err(ForecastError::TooLarge {
                path: source_name.to_string(),
                size,
            });
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let rows = match format {
            ForecastFormat::Csv => csv_file::rows(text),
            ForecastFormat::Yaml => yaml_file::rows(text),
        }
        .map_err(|problem| problem.in_file(source_name))?;
        if rows.is_empty() {
            return Err(ForecastError::Empty {
                file: source_name.to_string(),
            });
        }
        no_duplicates(&rows).map_err(|problem| problem.in_file(source_name))?;
        Ok(Forecast {
            source: source_name.to_string(),
            rows,
        })
    }

    /// The rows for one queue (exact name), in file order.
    pub fn rows_for<'a>(&'a self, queue: &'a str) -> impl Iterator<Item = &'a ForecastRow> {
        self.rows.iter().filter(move |row| row.queue == queue)
    }

    /// Whether any row is for `queue`.
    pub fn covers(&self, queue: &str) -> bool {
        self.rows_for(queue).next().is_some()
    }
}

fn utf8(bytes: Vec<u8>, name: &str) -> Result<String, ForecastError> {
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let line = error
            .as_bytes()
            .get(..valid)
            .map_or(1, |head| 1 + head.iter().filter(|b| **b == b'\n').count());
        ForecastError::Invalid {
            file: name.to_string(),
            line,
            message: "the file is not UTF-8 text".into(),
            hint: Some("export the forecast as UTF-8".into()),
        }
    })
}

/// A problem at a line, before the file name is known to attach.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    line: usize,
    message: String,
    hint: Option<String>,
}

impl Problem {
    fn new(line: usize, message: impl Into<String>) -> Problem {
        Problem {
            line,
            message: message.into(),
            hint: None,
        }
    }

    fn with_hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    fn in_file(self, file: &str) -> ForecastError {
        ForecastError::Invalid {
            file: file.to_string(),
            line: self.line,
            message: self.message,
            hint: self.hint,
        }
    }
}

/// The row fields as both formats hand them over, checked the same way.
fn row(line: usize, queue: &str, media_type: &str, peak: f64) -> Result<ForecastRow, Problem> {
    let queue = queue.trim();
    if queue.is_empty() {
        return Err(Problem::new(line, "the queue name is empty"));
    }
    Ok(ForecastRow {
        queue: queue.to_string(),
        media_type: media_type_of(line, media_type)?.to_string(),
        peak_concurrent: peak_of(line, peak)?,
        line,
    })
}

fn media_type_of(line: usize, text: &str) -> Result<&'static str, Problem> {
    let text = text.trim();
    MEDIA_TYPES
        .iter()
        .find(|m| m.eq_ignore_ascii_case(text))
        .copied()
        .ok_or_else(|| {
            Problem::new(line, format!("unknown media type {text:?}"))
                .with_hint("use call, callback, chat, email or message")
        })
}

fn peak_of(line: usize, value: f64) -> Result<f64, Problem> {
    if !value.is_finite() {
        return Err(Problem::new(line, "peakConcurrent must be a finite number"));
    }
    if value < 0.0 {
        return Err(
            Problem::new(line, format!("peakConcurrent is negative ({value})"))
                .with_hint("give the concurrent interactions expected at peak, 0 or more"),
        );
    }
    // `-0` parses as negative zero; keep the report free of `-0`.
    Ok(value.abs())
}

fn no_duplicates(rows: &[ForecastRow]) -> Result<(), Problem> {
    let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for row in rows {
        let key = (row.queue.as_str(), row.media_type.as_str());
        if let Some(first) = seen.insert(key, row.line) {
            return Err(Problem::new(
                row.line,
                format!(
                    "queue {:?} ({}) is forecast twice, on lines {first} and {}",
                    row.queue, row.media_type, row.line
                ),
            )
            .with_hint("keep one row per queue and media type"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
