//! Forecast parsing, table-driven: `check(format, input, expect)` where `expect` is the rows
//! as `queue|mediaType|peak@line` lines, or the error exactly as a user reads it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use super::{Forecast, ForecastError, ForecastFormat, MAX_FORECAST_BYTES};

/// Parses `input` and renders the result: rows one per line, or the error's message.
fn render(format: ForecastFormat, input: &str) -> String {
    let name = match format {
        ForecastFormat::Csv => "f.csv",
        ForecastFormat::Yaml => "f.yaml",
    };
    match Forecast::parse(input, format, name) {
        Ok(forecast) => {
            assert_eq!(forecast.source, name);
            forecast
                .rows
                .iter()
                .map(|r| {
                    format!(
                        "{}|{}|{}@{}\n",
                        r.queue, r.media_type, r.peak_concurrent, r.line
                    )
                })
                .collect()
        }
        Err(error) => format!("{error}\n"),
    }
}

fn check(cases: &[(&str, ForecastFormat, &str, &str)]) {
    let mut failures = Vec::new();
    for (name, format, input, expect) in cases {
        let got = render(*format, input);
        if got != *expect {
            failures.push(format!(
                "case {name}:\n--- expected\n{expect}--- got\n{got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

use ForecastFormat::{Csv, Yaml};

#[test]
fn csv_rows() {
    check(&[
        (
            "plain",
            Csv,
            "queue,mediaType,peakConcurrent\nBilling EN,call,12\nBilling EN,chat,3.5\n",
            "Billing EN|call|12@2\nBilling EN|chat|3.5@3\n",
        ),
        (
            "a WFM export: any order and case, snake_case, extra columns, comments, blank lines, quoted commas",
            Csv,
            "# exported by WFM\nInterval,Peak_Concurrent,MEDIA_TYPE,Queue,Notes\n\n2025-01-01T09:00,12,Call,\"Sales, EMEA\",\"busy, very\"\n# a comment\n2025-01-01T09:00, 0 ,email, Sales EN ,\n",
            "Sales, EMEA|call|12@4\nSales EN|email|0@6\n",
        ),
        (
            "CRLF line ends and a byte-order mark",
            Csv,
            "\u{feff}queue,mediaType,peakConcurrent\r\nBilling EN,message,1e1\r\n",
            "Billing EN|message|10@2\n",
        ),
        (
            "a quoted field spanning lines keeps later lines right",
            Csv,
            "queue,mediaType,peakConcurrent,notes\nA,call,1,\"two\nlines\"\nB,call,2,\n",
            "A|call|1@2\nB|call|2@4\n",
        ),
        (
            "negative zero is zero",
            Csv,
            "queue,mediaType,peakConcurrent\nA,callback,-0\n",
            "A|callback|0@2\n",
        ),
    ]);
}

#[test]
fn csv_errors() {
    check(&[
        (
            "missing column",
            Csv,
            "queue,mediaType,agents\nBilling,call,3\n",
            "f.csv:1: the header has no \"peakConcurrent\" column (it has: queue, mediaType, agents)\nhint: the first row that is not blank or a comment names the columns: queue, mediaType, peakConcurrent\n",
        ),
        (
            "missing column after a comment",
            Csv,
            "# header next\nQueue,Load\nBilling,3\n",
            "f.csv:2: the header has no \"mediaType\" column (it has: Queue, Load)\nhint: the first row that is not blank or a comment names the columns: queue, mediaType, peakConcurrent\n",
        ),
        (
            "a column twice",
            Csv,
            "queue,media_type,mediaType,peakConcurrent\n",
            "f.csv:1: the header has column \"mediaType\" twice\n",
        ),
        (
            "unknown media type",
            Csv,
            "queue,mediaType,peakConcurrent\nBilling,call,1\nBilling,voice,3\n",
            "f.csv:3: unknown media type \"voice\"\nhint: use call, callback, chat, email or message\n",
        ),
        (
            "negative load",
            Csv,
            "queue,mediaType,peakConcurrent\nBilling,call,-1.5\n",
            "f.csv:2: peakConcurrent is negative (-1.5)\nhint: give the concurrent interactions expected at peak, 0 or more\n",
        ),
        (
            "non-numeric load",
            Csv,
            "queue,mediaType,peakConcurrent\nBilling,call,lots\n",
            "f.csv:2: peakConcurrent \"lots\" is not a number\nhint: write the load as a plain number such as 12 or 7.5\n",
        ),
        (
            "a decimal comma",
            Csv,
            "queue,mediaType,peakConcurrent\nBilling,call,\"1,5\"\n",
            "f.csv:2: peakConcurrent \"1,5\" is not a number\nhint: write the load as a plain number such as 12 or 7.5\n",
        ),
        (
            "infinite load",
            Csv,
            "queue,mediaType,peakConcurrent\nBilling,call,inf\n",
            "f.csv:2: peakConcurrent must be a finite number\n",
        ),
        (
            "NaN load",
            Csv,
            "queue,mediaType,peakConcurrent\nBilling,call,NaN\n",
            "f.csv:2: peakConcurrent must be a finite number\n",
        ),
        (
            "empty field",
            Csv,
            "queue,mediaType,peakConcurrent\nBilling,,3\n",
            "f.csv:2: the mediaType column is empty\n",
        ),
        (
            "short row",
            Csv,
            "queue,mediaType,peakConcurrent\nBilling,call\n",
            "f.csv:2: the peakConcurrent column is empty\n",
        ),
        (
            "the same queue and media type twice",
            Csv,
            "queue,mediaType,peakConcurrent\nBilling,call,1\nBilling,chat,1\nBilling,Call,2\n",
            "f.csv:4: queue \"Billing\" (call) is forecast twice, on lines 2 and 4\nhint: keep one row per queue and media type\n",
        ),
        (
            "no rows",
            Csv,
            "queue,mediaType,peakConcurrent\n\n# nothing yet\n",
            "f.csv: the forecast has no rows\nhint: give one row per queue and media type: queue, mediaType, peakConcurrent\n",
        ),
        (
            "an empty file",
            Csv,
            "",
            "f.csv: the forecast has no rows\nhint: give one row per queue and media type: queue, mediaType, peakConcurrent\n",
        ),
    ]);
}

#[test]
fn yaml_rows() {
    check(&[
        (
            "a list, flow and block rows",
            Yaml,
            "- {queue: Billing EN, mediaType: call, peakConcurrent: 12}\n- queue: Sales EN\n  mediaType: Chat\n  peakConcurrent: 2.5\n",
            "Billing EN|call|12@1\nSales EN|chat|2.5@2\n",
        ),
        (
            "under forecast:",
            Yaml,
            "# peak of Monday\nforecast:\n  - {queue: Billing EN, mediaType: email, peakConcurrent: 0}\n",
            "Billing EN|email|0@3\n",
        ),
    ]);
}

#[test]
fn yaml_errors() {
    check(&[
        (
            "unknown row key",
            Yaml,
            "- {queue: Billing, mediaType: call, peakConcurrent: 1}\n- {queue: Billing, mediaType: chat, peakConcurrent: 1, agents: 4}\n",
            "f.yaml:2: unknown key \"agents\" in a forecast row; the keys are queue, mediaType and peakConcurrent\n",
        ),
        (
            "unknown top-level key",
            Yaml,
            "forecast: []\nrows: []\n",
            "f.yaml:2: unknown key \"rows\"; the only key here is \"forecast\"\n",
        ),
        (
            "missing key",
            Yaml,
            "- queue: Billing\n  mediaType: call\n",
            "f.yaml:1: the row has no peakConcurrent\n",
        ),
        (
            "a quoted number",
            Yaml,
            "- {queue: Billing, mediaType: call, peakConcurrent: \"12\"}\n",
            "f.yaml:1: peakConcurrent \"12\" is not a number\nhint: write the load as a plain number such as 12 or 7.5\n",
        ),
        (
            "a negative number",
            Yaml,
            "- queue: Billing\n  mediaType: call\n  peakConcurrent: -3\n",
            "f.yaml:1: peakConcurrent is negative (-3)\nhint: give the concurrent interactions expected at peak, 0 or more\n",
        ),
        (
            "a number for the queue",
            Yaml,
            "- queue: Billing\n  mediaType: call\n  peakConcurrent: 3\n- queue: 2024\n  mediaType: call\n  peakConcurrent: 3\n",
            "f.yaml:4: queue must be a string\nhint: quote the value\n",
        ),
        (
            "unknown media type",
            Yaml,
            "- {queue: Billing, mediaType: sms, peakConcurrent: 1}\n",
            "f.yaml:1: unknown media type \"sms\"\nhint: use call, callback, chat, email or message\n",
        ),
        (
            "the same queue and media type twice",
            Yaml,
            "- {queue: Billing, mediaType: call, peakConcurrent: 1}\n- {queue: Billing, mediaType: call, peakConcurrent: 2}\n",
            "f.yaml:2: queue \"Billing\" (call) is forecast twice, on lines 1 and 2\nhint: keep one row per queue and media type\n",
        ),
        (
            "a row that is not a mapping",
            Yaml,
            "- Billing,call,1\n",
            "f.yaml:1: a forecast row is a mapping with queue, mediaType and peakConcurrent\n",
        ),
        (
            "a scalar document",
            Yaml,
            "just text\n",
            "f.yaml:1: a forecast is a list of rows, or a mapping with the list under `forecast`\nhint: write rows as `- {queue: Billing EN, mediaType: call, peakConcurrent: 12}`\n",
        ),
        (
            "invalid YAML",
            Yaml,
            "- {queue: Billing, mediaType: call, peakConcurrent: 1}\n- {queue: \"Billing\n",
            "f.yaml:2: while scanning a quoted scalar, found unexpected end of stream\nhint: check that every quote is closed and that inner quotes are escaped\n",
        ),
        (
            "two documents",
            Yaml,
            "- {queue: A, mediaType: call, peakConcurrent: 1}\n---\n- {queue: B, mediaType: call, peakConcurrent: 1}\n",
            "f.yaml:2: a forecast file holds one YAML document\nhint: remove this `---` or move the next document to its own file\n",
        ),
        (
            "a duplicate key",
            Yaml,
            "- queue: A\n  queue: B\n",
            "f.yaml:2: duplicate key `queue` (first at line 1)\nhint: remove or rename one of the two entries\n",
        ),
        (
            "no rows",
            Yaml,
            "forecast: []\n",
            "f.yaml: the forecast has no rows\nhint: give one row per queue and media type: queue, mediaType, peakConcurrent\n",
        ),
        (
            "only a comment",
            Yaml,
            "# to do\n",
            "f.yaml: the forecast has no rows\nhint: give one row per queue and media type: queue, mediaType, peakConcurrent\n",
        ),
    ]);
}

#[test]
fn the_extension_names_the_format() {
    let format = |p: &str| ForecastFormat::of_path(Path::new(p)).map_err(|e| e.to_string());
    assert_eq!(format("peak.csv"), Ok(Csv));
    assert_eq!(format("dir/PEAK.YML"), Ok(Yaml));
    assert_eq!(format("peak.yaml"), Ok(Yaml));
    assert_eq!(
        format("peak.xlsx"),
        Err("peak.xlsx: unknown forecast format\nhint: give a .csv, .yaml or .yml file".into())
    );
    assert_eq!(
        format("peak"),
        Err("peak: unknown forecast format\nhint: give a .csv, .yaml or .yml file".into())
    );
}

#[test]
fn a_text_over_the_limit_is_refused_before_it_is_parsed() {
    let limit = usize::try_from(MAX_FORECAST_BYTES).unwrap();
    let text = "a".repeat(limit + 1);
    for format in [Csv, Yaml] {
        let error = Forecast::parse(&text, format, "big").unwrap_err();
        assert!(
            matches!(error, ForecastError::TooLarge { size, .. } if size == MAX_FORECAST_BYTES + 1),
            "{error}"
        );
    }
}

#[test]
fn rows_are_looked_up_by_queue() {
    let forecast = Forecast::parse(
        "queue,mediaType,peakConcurrent\nA,call,1\nB,call,2\nA,chat,3\n",
        Csv,
        "f.csv",
    )
    .unwrap();
    let a: Vec<(&str, f64)> = forecast
        .rows_for("A")
        .map(|r| (r.media_type.as_str(), r.peak_concurrent))
        .collect();
    assert_eq!(a, [("call", 1.0), ("chat", 3.0)]);
    assert!(forecast.covers("B"));
    assert!(!forecast.covers("a"));
}

/// Hostile and broken inputs give errors, never panics.
#[test]
fn no_input_panics() {
    let inputs = [
        "\0\0\0",
        "\"",
        "queue,mediaType,peakConcurrent\n\"unclosed,call,1\n",
        "queue,mediaType,peakConcurrent\n,,\n",
        "queue,mediaType,peakConcurrent\nA,call,1e400\n",
        "queue,mediaType,peakConcurrent\nA,call,-1e400\n",
        "queue,mediaType,peakConcurrent\nA,call,0x10\n",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "a: &a [*a, *a, *a, *a]\nb: &b [*a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]",
        "- !!binary aGVsbG8=",
        "- {queue: A, mediaType: call, peakConcurrent: .inf}",
        "- {queue: A, mediaType: call, peakConcurrent: 1e999}",
        "- {queue: ~, mediaType: ~, peakConcurrent: ~}",
        "forecast: 3",
        "forecast:\n  - []\n",
        "\u{feff}",
        "\t- a",
        "{",
        "- {queue: A, mediaType: call, peakConcurrent: 9223372036854775807}",
    ];
    for input in inputs {
        for format in [Csv, Yaml] {
            // Either outcome is fine; reaching the end without a panic is the test.
            let _ = render(format, input);
        }
    }
}
