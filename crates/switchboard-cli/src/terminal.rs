//! What the terminal gets: colour only on a TTY and never under `NO_COLOR`, a progress
//! bar on stderr only when stderr is a TTY (pipelines and logs see nothing of it), and
//! nothing but errors on stderr under `--quiet`.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use switchboard_fetch::Progress;

/// Set once by `--quiet`.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Whether `--quiet` was given.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether stderr keeps to errors (`--quiet`).
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Writes `text` on stderr unless `--quiet`: notes, warnings and hints that are not data.
/// A closed stderr is not an error worth failing a command for.
pub fn note(text: &str) {
    if !quiet() {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

/// `NO_COLOR` unset or empty (<https://no-color.org>).
fn colour_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Whether stdout may be coloured: a terminal, and `NO_COLOR` unset or empty.
pub fn colour_stdout() -> bool {
    std::io::stdout().is_terminal() && colour_allowed()
}

/// Whether stderr may be coloured: a terminal, and `NO_COLOR` unset or empty.
pub fn colour_stderr() -> bool {
    std::io::stderr().is_terminal() && colour_allowed()
}

/// A progress bar for reading the org; hidden unless stderr is a terminal.
#[derive(Debug)]
pub struct ReadProgress {
    bar: ProgressBar,
}

impl ReadProgress {
    /// A bar titled `message`, drawn only on a terminal.
    pub fn new(message: &'static str) -> Self {
        let target = if std::io::stderr().is_terminal() && !quiet() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(0), target);
        if let Ok(style) =
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {wide_msg:.dim}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(message);
        Self { bar }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for ReadProgress {
    fn planned(&self, steps: u64) {
        self.bar.inc_length(steps);
    }

    fn finished(&self, _what: &str) {
        self.bar.inc(1);
    }
}
