//! Reading a forecast file.

use std::path::{Path, PathBuf};

use switchboard_guard::forecast::MAX_FORECAST_BYTES;
use switchboard_guard::{Forecast, ForecastError};

/// A fresh file under the system's temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let dir = std::env::temp_dir().join(format!("switchboard-guard-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        TempFile(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn a_csv_file_loads_with_its_path_as_source() {
    let file = TempFile::new(
        "peak.csv",
        b"queue,mediaType,peakConcurrent\nBilling EN,call,4\n",
    );
    let forecast = Forecast::load(file.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(forecast.source, file.path().display().to_string());
    assert_eq!(forecast.rows.len(), 1);
}

#[test]
fn a_yaml_file_loads() {
    let file = TempFile::new(
        "peak.yml",
        b"forecast:\n  - {queue: A, mediaType: chat, peakConcurrent: 2}\n",
    );
    let forecast = Forecast::load(file.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(forecast.rows[0].media_type, "chat");
}

#[test]
fn errors_name_the_file() {
    let file = TempFile::new(
        "latin1.csv",
        b"queue,mediaType,peakConcurrent\nFacturaci\xf3n,call,4\n",
    );
    let path = file.path().display().to_string();
    assert_eq!(
        Forecast::load(file.path()).map_err(|e| e.to_string()),
        Err(format!(
            "{path}:2: the file is not UTF-8 text\nhint: export the forecast as UTF-8"
        ))
    );

    let bad = TempFile::new("bad.csv", b"queue,mediaType,peakConcurrent\nA,fax,1\n");
    let path = bad.path().display().to_string();
    assert_eq!(
        Forecast::load(bad.path()).map_err(|e| e.to_string()),
        Err(format!(
            "{path}:2: unknown media type \"fax\"\nhint: use call, callback, chat, email or message"
        ))
    );

    let missing = std::env::temp_dir().join("switchboard-guard-no-such-file.csv");
    let error = Forecast::load(&missing).map(|_| ()).unwrap_err();
    assert!(matches!(error, ForecastError::Read { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("cannot read the forecast {}: ", missing.display())),
        "{error}"
    );

    // The format comes from the extension, before the file is opened.
    let error = Forecast::load(Path::new("no/such/peak.txt"))
        .map(|_| ())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "no/such/peak.txt: unknown forecast format\nhint: give a .csv, .yaml or .yml file"
    );
}

#[test]
fn a_file_over_the_limit_is_refused() {
    let size = usize::try_from(MAX_FORECAST_BYTES).unwrap_or(usize::MAX) + 1;
    let file = TempFile::new("huge.csv", &vec![b'a'; size]);
    let error = Forecast::load(file.path()).map(|_| ()).unwrap_err();
    assert!(
        matches!(error, ForecastError::TooLarge { size, .. } if size == MAX_FORECAST_BYTES + 1),
        "{error}"
    );
}
