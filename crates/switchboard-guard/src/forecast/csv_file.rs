//! The CSV form: a header row naming `queue`, `mediaType` and `peakConcurrent` in any
//! order (any case; `media_type` and `peak_concurrent` too), then one row per queue and
//! media type. Other columns are ignored, because WFM exports carry many; blank lines and
//! lines starting with `#` are skipped; quoted fields may hold commas.

use csv::{ReaderBuilder, StringRecord, Trim};

use super::{ForecastRow, Problem, row};

/// The columns a forecast needs, as the messages name them.
const COLUMNS: [&str; 3] = ["queue", "mediaType", "peakConcurrent"];

/// Where each needed column is in a row.
struct Layout {
    queue: usize,
    media_type: usize,
    peak: usize,
}

/// The rows of a CSV forecast.
pub(super) fn rows(text: &str) -> Result<Vec<ForecastRow>, Problem> {
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(Trim::All)
        .from_reader(text.as_bytes());
    let mut lines = Lines::new(text);
    let mut layout = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| unreadable(&error, &mut lines))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let line = lines.of(record.position());
        match &layout {
            None => layout = Some(header(&record, line)?),
            Some(layout) => rows.push(data_row(layout, &record, line)?),
        }
    }
    Ok(rows)
}

/// Line numbers of records. The reader's own count is where it started reading, before the
/// blank lines, comments and the `\n` of a `\r\n` it skips, so the line is found from the
/// record's byte offset instead: the first byte after those skipped lines. Records come in
/// order, so counting resumes where the last one stopped and the whole file is walked once.
struct Lines<'t> {
    text: &'t [u8],
    /// Bytes before this offset are counted...
    offset: usize,
    /// ... and hold this many line ends.
    newlines: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        Lines {
            text: text.as_bytes(),
            offset: 0,
            newlines: 0,
        }
    }

    /// The 1-based line of the record the reader started reading at `position`.
    fn of(&mut self, position: Option<&csv::Position>) -> usize {
        let start = position.map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let start = self.skip_blank_and_comments(start.max(self.offset));
        let counted = self.text.get(self.offset..start).unwrap_or_default();
        self.newlines += counted.iter().filter(|b| **b == b'\n').count();
        self.offset = start;
        self.newlines + 1
    }

    fn skip_blank_and_comments(&self, mut at: usize) -> usize {
        loop {
            match self.text.get(at) {
                Some(b'\r' | b'\n') => at += 1,
                Some(b'#') if at == 0 || matches!(self.text.get(at - 1), Some(b'\n' | b'\r')) => {
                    let rest = self.text.get(at..).unwrap_or_default();
                    at += rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
                }
                _ => return at.min(self.text.len()),
            }
        }
    }
}

fn unreadable(error: &csv::Error, lines: &mut Lines<'_>) -> Problem {
    Problem::new(
        lines.of(error.position()),
        format!("cannot read the CSV: {error}"),
    )
}

/// A header name reduced to what identifies it: `Media_Type` and `mediaType` are one.
fn normalize(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn header(record: &StringRecord, line: usize) -> Result<Layout, Problem> {
    let mut found: [Option<usize>; 3] = [None; 3];
    for (index, name) in record.iter().enumerate() {
        let key = normalize(name);
        let Some(column) = COLUMNS.iter().position(|c| normalize(c) == key) else {
            continue;
        };
        if found[column].is_some() {
            return Err(Problem::new(
                line,
                format!("the header has column {:?} twice", COLUMNS[column]),
            ));
        }
        found[column] = Some(index);
    }
    match found {
        [Some(queue), Some(media_type), Some(peak)] => Ok(Layout {
            queue,
            media_type,
            peak,
        }),
        _ => Err(missing_column(record, &found, line)),
    }
}

fn missing_column(record: &StringRecord, found: &[Option<usize>; 3], line: usize) -> Problem {
    let missing = COLUMNS
        .iter()
        .zip(found)
        .find(|(_, index)| index.is_none())
        .map_or(COLUMNS[0], |(name, _)| *name);
    let have: Vec<&str> = record.iter().collect();
    Problem::new(
        line,
        format!(
            "the header has no {missing:?} column (it has: {})",
            have.join(", ")
        ),
    )
    .with_hint("the first row that is not blank or a comment names the columns: queue, mediaType, peakConcurrent")
}

fn data_row(layout: &Layout, record: &StringRecord, line: usize) -> Result<ForecastRow, Problem> {
    let field = |index: usize, column: &str| {
        record
            .get(index)
            .filter(|value| !value.is_empty())
            .ok_or_else(|| Problem::new(line, format!("the {column} column is empty")))
    };
    let queue = field(layout.queue, "queue")?;
    let media_type = field(layout.media_type, "mediaType")?;
    let peak_text = field(layout.peak, "peakConcurrent")?;
    let peak = peak_text.parse::<f64>().map_err(|_| {
        Problem::new(
            line,
            format!("peakConcurrent {peak_text:?} is not a number"),
        )
        .with_hint("write the load as a plain number such as 12 or 7.5")
    })?;
    row(line, queue, media_type, peak)
}
