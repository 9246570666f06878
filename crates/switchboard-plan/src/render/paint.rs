//! ANSI colour for terminal output, on only when asked: with `Paint(false)` nothing adds an
//! escape code. Shared by every terminal renderer (plans, drift reports).

/// Reset.
pub const RESET: &str = "\x1b[0m";
/// Bold.
pub const BOLD: &str = "\x1b[1m";
/// Dim.
pub const DIM: &str = "\x1b[2m";
/// Red.
pub const RED: &str = "\x1b[31m";
/// Green.
pub const GREEN: &str = "\x1b[32m";
/// Yellow.
pub const YELLOW: &str = "\x1b[33m";
/// Bold red.
pub const BOLD_RED: &str = "\x1b[1;31m";
/// Bold yellow.
pub const BOLD_YELLOW: &str = "\x1b[1;33m";
/// The sign of a refused change.
pub const REFUSED: &str = "!";

/// Whether to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paint(pub bool);

impl Paint {
    /// `text` in `code`, when colouring.
    pub fn paint(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// `text` in bold.
    pub fn bold(self, text: &str) -> String {
        self.paint(BOLD, text)
    }

    /// A change's sign in its colour: green `+`, yellow `~`, red `-`, `-/+`, bold red `!`.
    pub fn sign(self, sign: &str) -> String {
        match sign {
            "+" => self.paint(GREEN, sign),
            "~" => self.paint(YELLOW, sign),
            "-" => self.paint(RED, sign),
            "-/+" => format!("{}/{}", self.paint(RED, "-"), self.paint(GREEN, "+")),
            REFUSED => self.paint(BOLD_RED, sign),
            _ => sign.to_string(),
        }
    }
}
