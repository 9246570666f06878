//! What the terminal gets: colour only on a TTY and never under `NO_COLOR`, and a progress
//! bar on stderr only when stderr is a TTY (pipelines and logs see nothing of it).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use switchboard_fetch::Progress;

/// Whether stdout may be coloured: a terminal, and `NO_COLOR` unset or empty
/// (<https://no-color.org>).
pub fn colour_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A progress bar for reading the org; hidden unless stderr is a terminal.
#[derive(Debug)]
pub struct ReadProgress {
    bar: ProgressBar,
}

impl ReadProgress {
    /// A bar titled `message`, drawn only on a terminal.
    pub fn new(message: &'static str) -> Self {
        let target = if std::io::stderr().is_terminal() {
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
