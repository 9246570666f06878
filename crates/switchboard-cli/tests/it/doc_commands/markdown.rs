//! Fenced shell blocks in Markdown, split into the commands a reader would type.

use std::process::Command;

/// What the harness does with a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// `sh` or `bash`: run against the simulator.
    Run,
    /// `sh real-org` or `bash real-org`: syntax and switchboard flags checked only.
    RealOrg,
    /// `sh dev`: switchboard's own development commands (cargo bench, cargo test of a
    /// suite, cargo deny), which need the source tree, minutes, or the network; checked as
    /// `real-org` blocks are.
    Dev,
    /// `sh install`: installing switchboard itself (downloading a release, running its
    /// container image, cargo install), which needs the network or a container engine;
    /// checked as `real-org` blocks are.
    Install,
}

/// One fenced `sh`/`bash` block.
#[derive(Debug, Clone)]
pub struct Block {
    pub treatment: Treatment,
    /// The 1-based line of its first content line.
    pub line: usize,
    /// Its content lines, de-indented as far as the fence was.
    pub lines: Vec<String>,
}

/// One command: a logical line (continuations joined) or a multi-line construct.
#[derive(Debug, Clone)]
pub struct DocCommand {
    /// The 1-based line where it starts in the Markdown file.
    pub line: usize,
    /// Its text as written (continuation lines kept).
    pub text: String,
}

/// Every `sh`/`bash` block of `markdown`; panics on an `sh` block with an unknown attribute,
/// so that a typo cannot skip a block silently.
pub fn shell_blocks(markdown: &str, file: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        let fence_char = match trimmed.chars().next() {
            Some(c @ ('`' | '~')) => c,
            _ => continue,
        };
        let fence_len = trimmed.chars().take_while(|&c| c == fence_char).count();
        if fence_len < 3 {
            continue;
        }
        let info = trimmed[fence_len..].trim();
        let mut words = info.split_whitespace();
        let language = words.next().unwrap_or("");
        let attributes: Vec<&str> = words.collect();
        let mut content = Vec::new();
        for (_, inner) in lines.by_ref() {
            let inner_trimmed = inner.trim_start();
            if inner_trimmed.starts_with(&fence_char.to_string().repeat(fence_len))
                && inner_trimmed
                    .trim_start_matches(fence_char)
                    .trim()
                    .is_empty()
            {
                break;
            }
            let strip = inner.len() - inner_trimmed.len();
            content.push(inner[strip.min(indent)..].to_string());
        }
        if language != "sh" && language != "bash" {
            continue;
        }
        let treatment = match attributes.as_slice() {
            [] => Treatment::Run,
            ["real-org"] => Treatment::RealOrg,
            ["dev"] => Treatment::Dev,
            ["install"] => Treatment::Install,
            other => panic!(
                "{file}:{}: unknown attributes {other:?} on a `{language}` block: only \
                 `{language}` (run), `{language} real-org`, `{language} dev` and \
                 `{language} install` are known",
                index + 1
            ),
        };
        blocks.push(Block {
            treatment,
            line: index + 2,
            lines: content,
        });
    }
    blocks
}

/// Whether `text` is complete shell syntax (`bash -n`).
fn complete(text: &str) -> bool {
    Command::new("bash")
        .args(["-n", "-c", text])
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false)
}

/// The commands of a block: blank and comment-only lines are dropped, `\` continuations
/// joined, and lines gathered until they are complete shell syntax (`if ... fi`, heredocs).
pub fn commands(block: &Block) -> Vec<DocCommand> {
    let mut commands = Vec::new();
    let mut buffer = String::new();
    let mut start = 0;
    for (offset, line) in block.lines.iter().enumerate() {
        if buffer.is_empty() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            start = block.line + offset;
        } else {
            buffer.push('\n');
        }
        buffer.push_str(line);
        if line.trim_end().ends_with('\\') {
            continue;
        }
        if complete(&buffer) {
            commands.push(DocCommand {
                line: start,
                text: std::mem::take(&mut buffer),
            });
        }
    }
    if !buffer.trim().is_empty() {
        commands.push(DocCommand {
            line: start,
            text: buffer,
        });
    }
    commands
}

/// A word or an operator of a shell command, as far as the harness needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Word(String),
    Operator(String),
}

/// Splits shell text into words (quotes removed) and operators; a `#` that starts a word
/// starts a comment to the end of the line; `\` + newline joins lines.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    let flush = |word: &mut String, in_word: &mut bool, tokens: &mut Vec<Token>| {
        if *in_word {
            tokens.push(Token::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(next) => {
                    word.push(next);
                    in_word = true;
                }
            },
            '\'' => {
                in_word = true;
                for next in chars.by_ref() {
                    if next == '\'' {
                        break;
                    }
                    word.push(next);
                }
            }
            '"' => {
                in_word = true;
                while let Some(next) = chars.next() {
                    match next {
                        '"' => break,
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                word.push(escaped);
                            }
                        }
                        other => word.push(other),
                    }
                }
            }
            '#' if !in_word => {
                for next in chars.by_ref() {
                    if next == '\n' {
                        tokens.push(Token::Operator("\n".into()));
                        break;
                    }
                }
            }
            '\n' => {
                flush(&mut word, &mut in_word, &mut tokens);
                tokens.push(Token::Operator("\n".into()));
            }
            c if c.is_whitespace() => flush(&mut word, &mut in_word, &mut tokens),
            '|' | '&' | ';' | '<' | '>' | '(' | ')' => {
                flush(&mut word, &mut in_word, &mut tokens);
                let mut operator = c.to_string();
                while let Some(&next) = chars.peek() {
                    if matches!(next, '|' | '&' | ';' | '<' | '>') {
                        operator.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push(Token::Operator(operator));
            }
            other => {
                word.push(other);
                in_word = true;
            }
        }
    }
    flush(&mut word, &mut in_word, &mut tokens);
    tokens
}

/// The words of the first simple command of `text`, leading `NAME=value` assignments left
/// out.
pub fn first_command(text: &str) -> Vec<String> {
    tokens(text)
        .into_iter()
        .map_while(|token| match token {
            Token::Word(word) => Some(word),
            Token::Operator(_) => None,
        })
        .skip_while(|word| is_assignment(word))
        .collect()
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// Every `switchboard SUBCOMMAND --flag...` use in `text`: the subcommand and the long flags
/// up to the end of that simple command (a redirection's target is not a flag).
pub fn switchboard_uses(text: &str) -> Vec<(String, Vec<String>)> {
    let tokens = tokens(text);
    let mut uses = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        if tokens[index] == Token::Word("switchboard".into()) {
            let Some(Token::Word(subcommand)) = tokens.get(index + 1) else {
                index += 1;
                continue;
            };
            let mut flags = Vec::new();
            let mut next = index + 2;
            while let Some(Token::Word(word)) = tokens.get(next) {
                if word == "--" {
                    break;
                }
                if let Some(flag) = word.strip_prefix("--") {
                    flags.push(format!("--{}", flag.split('=').next().unwrap_or(flag)));
                }
                next += 1;
            }
            uses.push((subcommand.clone(), flags));
            index = next;
        } else {
            index += 1;
        }
    }
    uses
}
