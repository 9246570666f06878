//! Property-based fuzzing of loading and validation: arbitrary text, near-valid manifests
//! generated from the schema's keys, and mutated examples (as strings and as directories on
//! disk) must load without a panic, with every finding located inside the input, and with a
//! manifest exactly when there is no error.
//!
//! By default each property runs a fixed, seeded number of cases (a few seconds in a debug
//! build). A long run gives every property its own time budget, with a random seed:
//!
//! ```text
//! SWITCHBOARD_FUZZ_SECONDS=600 cargo test --release -p switchboard-manifest --test it fuzz -- --nocapture --test-threads 4
//! ```
//!
//! The four properties then run side by side for 600 s and print how many cases each ran;
//! `SWITCHBOARD_FUZZ_SEED=<n>` replays a run's seed. A failure is shrunk and printed as the
//! input text; add it to `hostile.rs` or to the regressions at the end of this file.

use std::borrow::Cow;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use switchboard_manifest::{LoadOptions, Loaded, load, load_str};

use crate::hostile::TempDir;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

// ---------------------------------------------------------------------------------------
// Running a property: a fixed number of cases, or until a deadline.

/// How long, or how many cases, each property runs.
#[derive(Debug, Clone, Copy)]
enum Budget {
    /// The default: this many cases from a fixed seed, the same on every run.
    Cases(u32),
    /// `SWITCHBOARD_FUZZ_SECONDS`: batches of cases from a random seed until the deadline.
    Until(Instant, u64),
}

fn budget(default_cases: u32) -> Budget {
    let seconds = std::env::var("SWITCHBOARD_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| *s > 0);
    match seconds {
        None => Budget::Cases(default_cases),
        Some(seconds) => {
            let seed = std::env::var("SWITCHBOARD_FUZZ_SEED")
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or_else(random_seed);
            Budget::Until(Instant::now() + Duration::from_secs(seconds), seed)
        }
    }
}

fn random_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(Instant::now())
}

/// What a property saw, printed at the end (visible with `--nocapture`).
#[derive(Debug, Default)]
struct Tally {
    cases: Cell<u64>,
    clean: Cell<u64>,
    errors: Cell<u64>,
}

impl Tally {
    fn count(&self, loaded: &Loaded) {
        self.cases.set(self.cases.get() + 1);
        if loaded.has_errors() {
            self.errors.set(self.errors.get() + 1);
        } else {
            self.clean.set(self.clean.get() + 1);
        }
    }
}

/// Runs `check` on values of `strategy` within `budget`, failing with the shrunk input.
fn fuzz<S>(
    name: &str,
    default_cases: u32,
    strategy: S,
    check: impl Fn(&S::Value, &Tally) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let tally = Tally::default();
    let started = Instant::now();
    let config = |cases: u32, seed: u64| Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        // Shrinking a deep input can take long; a smaller failing input is a nicety.
        max_shrink_time: 60_000,
        ..Config::default()
    };
    let run = |cases: u32, seed: u64| {
        let mut runner = TestRunner::new(config(cases, seed));
        let result = runner.run(&strategy, |value| check(&value, &tally));
        if let Err(error) = result {
            match error {
                TestError::Fail(reason, value) => {
                    panic!("fuzz {name} (seed {seed}): {reason}\nminimal input: {value:#?}")
                }
                TestError::Abort(reason) => panic!("fuzz {name} (seed {seed}) aborted: {reason}"),
            }
        }
    };
    match budget(default_cases) {
        Budget::Cases(cases) => run(cases, 0x5317_c4b0_a7d5_0001),
        Budget::Until(deadline, seed) => {
            let mut batch = 0_u64;
            while Instant::now() < deadline {
                run(32, seed.wrapping_add(batch));
                batch += 1;
            }
        }
    }
    eprintln!(
        "fuzz {name}: {} cases in {:.1} s ({} loaded cleanly, {} with errors)",
        tally.cases.get(),
        started.elapsed().as_secs_f64(),
        tally.clean.get(),
        tally.errors.get()
    );
}

// ---------------------------------------------------------------------------------------
// The properties every load must keep.

/// Loads `text` with `load_str`, checking that it does not panic and is coherent.
fn check_text(text: &str, tally: &Tally) -> Result<(), TestCaseError> {
    let loaded = catch_unwind(AssertUnwindSafe(|| load_str("fuzz.yaml", text)))
        .map_err(|_| TestCaseError::fail("load_str panicked"))?;
    tally.count(&loaded);
    let problems = incoherence(&loaded, |file| {
        (file == Path::new("fuzz.yaml")).then_some(Cow::Borrowed(text))
    });
    if problems.is_empty() {
        Ok(())
    } else {
        Err(TestCaseError::fail(problems.join("\n")))
    }
}

/// What is incoherent in a result. `source` gives the text of a file the findings may name
/// (`None` for a file that is not part of the input).
fn incoherence<'a>(loaded: &Loaded, source: impl Fn(&Path) -> Option<Cow<'a, str>>) -> Vec<String> {
    let mut problems = Vec::new();
    if loaded.has_errors() == loaded.manifest.is_some() {
        problems.push(format!(
            "has_errors is {} but the manifest is {}",
            loaded.has_errors(),
            if loaded.manifest.is_some() {
                "there"
            } else {
                "missing"
            }
        ));
    }
    for diagnostic in &loaded.diagnostics {
        let shown = diagnostic.to_string();
        if diagnostic.message.trim().is_empty() {
            problems.push(format!("{shown}: no message"));
        }
        // What reaches the terminal holds no control character but the hint's line break.
        if shown.chars().any(|c| c.is_control() && c != '\n') {
            problems.push(format!("{shown:?}: a control character is shown raw"));
        }
        let Some(file) = &diagnostic.file else {
            problems.push(format!("{shown}: no file"));
            continue;
        };
        let Some(text) = source(file) else {
            problems.push(format!(
                "{shown}: names a file that is not part of the input"
            ));
            continue;
        };
        let Some(at) = diagnostic.position else {
            // Only reading a file can fail without a position (it was not read).
            if !diagnostic.message.starts_with("cannot read") {
                problems.push(format!("{shown}: no position"));
            }
            continue;
        };
        if let Some(outside) = outside(&text, at.line, at.column) {
            problems.push(format!("{shown}: {outside}"));
        }
    }
    problems
}

/// Why `line:column` is not inside `text`, if it is not. YAML breaks lines at `\n`, `\r\n`
/// and a lone `\r`; a position may be just past a line's last character (a missing value at
/// the end of a line), and the end of the input is where a line after the last one starts.
fn outside(text: &str, line: u32, column: u32) -> Option<String> {
    let lines: Vec<&str> = text
        .split("\r\n")
        .flat_map(|l| l.split(['\n', '\r']))
        .collect();
    let (Ok(line_index), Ok(column)) = (usize::try_from(line), usize::try_from(column)) else {
        return Some("the position does not fit a usize".into());
    };
    if line_index == 0 || column == 0 {
        return Some("positions start at 1:1".into());
    }
    match lines.get(line_index - 1) {
        Some(content) if column <= content.chars().count() + 1 => None,
        Some(content) => Some(format!(
            "column {column} is past the end of line {line} ({} characters)",
            content.chars().count()
        )),
        None if line_index == lines.len() + 1 && column == 1 => None,
        None => Some(format!(
            "line {line} is past the input's {} lines",
            lines.len()
        )),
    }
}

// ---------------------------------------------------------------------------------------
// (a) Arbitrary text.

/// Pieces of YAML syntax and of the manifest's vocabulary, to make random text meet the
/// parser's corners more often than random characters do.
pub(crate) const TOKENS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ":",
    ": ",
    "- ",
    "-",
    ",",
    "?",
    "? ",
    "|",
    ">",
    "|-",
    ">+",
    "|2",
    "'",
    "\"",
    "\\",
    "\n",
    "\n  ",
    "\n    ",
    " ",
    "\t",
    "#",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!!int ",
    "!!map ",
    "!!binary ",
    "!x ",
    "!<tag:x> ",
    "<<: ",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "%TAG ! tag:x:\n",
    "~",
    "null",
    "true",
    "1e999",
    "-0",
    "0x1F",
    "0o17",
    ".inf",
    ".nan",
    "18446744073709551616",
    "-9223372036854775809",
    "version: 1\n",
    "org: {name: x}\n",
    "queues:\n",
    "  - name: q\n",
    "members:",
    "users:",
    "user: a@b.c",
    "ring: ",
    "weight: ",
    "bullseye:",
    "rings:",
    "é",
    "\u{feff}",
    "\u{0}",
    "\r",
    "\r\n",
    "\u{2028}",
    "\u{85}",
    "\u{1b}[2J",
    "💥",
    "名前",
];

fn arbitrary_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(any::<u8>(), 0..600)
            .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        prop::collection::vec(select(TOKENS), 0..200).prop_map(|tokens| tokens.concat()),
        prop::collection::vec(
            prop_oneof![select(TOKENS).prop_map(str::to_string), any::<String>()],
            0..80
        )
        .prop_map(|pieces| pieces.concat()),
    ]
}

#[test]
fn fuzz_arbitrary_text() {
    fuzz("arbitrary text", 2000, arbitrary_text(), |text, tally| {
        check_text(text, tally)
    });
}

// ---------------------------------------------------------------------------------------
// (b) Near-valid manifests built from the schema's keys.

/// A YAML document before it is written out.
#[derive(Debug, Clone)]
enum Node {
    /// A scalar, already written as YAML (`1e999`, `"quoted"`, `!!str 5`).
    Scalar(String),
    Seq(Vec<Node>),
    /// Keys already written as YAML; the same key may come twice.
    Map(Vec<(String, Node)>),
    /// Written in flow style (`{a: 1}`, `[1, 2]`) instead of block style.
    Flow(Box<Node>),
    /// `&aN` before the value.
    Anchor(u8, Box<Node>),
    /// `*aN`, defined or not.
    Alias(u8),
}

impl Node {
    fn is_block(&self) -> bool {
        match self {
            Node::Seq(items) => !items.is_empty(),
            Node::Map(entries) => !entries.is_empty(),
            Node::Anchor(_, inner) => inner.is_block(),
            Node::Scalar(_) | Node::Flow(_) | Node::Alias(_) => false,
        }
    }
}

/// The document as YAML text, in block style but where a node asks for flow style.
fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    block(node, 0, &mut out);
    out
}

fn block(node: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match node {
        Node::Map(entries) if !entries.is_empty() => {
            for (key, value) in entries {
                out.push_str(&format!("{pad}{key}:"));
                value_after_key(value, indent, out);
            }
        }
        Node::Seq(items) if !items.is_empty() => {
            for item in items {
                if item.is_block() && !matches!(item, Node::Anchor(..)) {
                    // `- key: value` with the rest of the mapping aligned under `key`.
                    let mut inner = String::new();
                    block(item, indent + 2, &mut inner);
                    out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                } else {
                    out.push_str(&format!("{pad}-"));
                    value_after_key(item, indent, out);
                }
            }
        }
        Node::Anchor(n, inner) => {
            out.push_str(&format!("{pad}&a{n}\n"));
            block(inner, indent, out);
        }
        other => {
            out.push_str(&pad);
            flow(other, out);
            out.push('\n');
        }
    }
}

/// A value after `key:` or `-`: on the same line when it is a scalar or in flow style,
/// indented on the next lines otherwise.
fn value_after_key(value: &Node, indent: usize, out: &mut String) {
    match value {
        Node::Anchor(n, inner) if inner.is_block() => {
            out.push_str(&format!(" &a{n}\n"));
            block(inner, indent + 2, out);
        }
        value if value.is_block() => {
            out.push('\n');
            block(value, indent + 2, out);
        }
        value => {
            out.push(' ');
            flow(value, out);
            out.push('\n');
        }
    }
}

fn flow(node: &Node, out: &mut String) {
    match node {
        Node::Scalar(text) => out.push_str(text),
        Node::Alias(n) => out.push_str(&format!("*a{n}")),
        Node::Anchor(n, inner) => {
            out.push_str(&format!("&a{n} "));
            flow(inner, out);
        }
        Node::Flow(inner) => flow(inner, out),
        Node::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow(item, out);
            }
            out.push(']');
        }
        Node::Map(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push_str(": ");
                flow(value, out);
            }
            out.push('}');
        }
    }
}

type Gen = BoxedStrategy<Node>;

fn scalars(pool: &'static [&'static str]) -> Gen {
    select(pool)
        .prop_map(|s| Node::Scalar(s.to_string()))
        .boxed()
}

const NAMES: &[&str] = &[
    "Billing",
    "Billing EN",
    "Billing ES",
    "Sales",
    "Sales ES",
    "VIP",
    "Refunds",
    "English",
    "Spanish",
    "Resolved",
    "Escalated",
    "Customer Care",
    "Technical Support",
    "\"Billing EN\"",
    "'Sales'",
    "billing",
    "BILLING",
    "\"\"",
    "\"名前\"",
    "💥",
    "\"\\e[2J\"",
    "\"a\\u0000b\"",
    "\"tab\\there\"",
    "\"line\\nbreak\"",
    "\"é\"",
    "x",
    "\"  padded  \"",
];
const EMAILS: &[&str] = &[
    "ana.silva@example.com",
    "bo.berg@example.com",
    "chen.okafor@example.com",
    "dara.novak@example.com",
    "ANA.SILVA@example.com",
    "not-an-email",
    "\"@\"",
    "a@b",
    "\"a b@c.d\"",
    "\"\"",
];
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "5",
    "6",
    "7",
    "8",
    "15",
    "30",
    "0.5",
    "0.8",
    "1.5",
    "0.85",
    "-0.0",
    "1e308",
    "1e999",
    "-1e999",
    ".inf",
    "-.inf",
    ".nan",
    ".NaN",
    "4294967296",
    "9223372036854775807",
    "18446744073709551616",
    "-9223372036854775809",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "3600001",
    "86400000",
    "120000",
    "0.0000001",
    "1.0",
    "!!int 5",
    "!!float 1",
    "!!str 5",
    "\"5\"",
];
const BOOLS: &[&str] = &[
    "true", "false", "True", "FALSE", "yes", "no", "on", "off", "1", "0", "null", "~",
];
const UUIDS: &[&str] = &[
    "5b5e6a2c-7d1f-4c3b-9a8e-0d15c0a1b2c3",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "\"\"",
];
const REGIONS: &[&str] = &[
    "mypurecloud.ie",
    "mypurecloud.com",
    "\"\"",
    "example.com",
    "🙂",
];
const PATTERNS: &[&str] = &[
    "\"^(Billing|Sales) \"",
    "\" (EN|ES)$\"",
    "\".*\"",
    "\"(\"",
    "\"[a-\"",
    "\"(?P<x>a)\"",
    "\"a{99999}{99999}\"",
    "\"(a*)*$\"",
    "\"\\\\p{Greek}\"",
    "\"(?<!x)y\"",
    "\"\"",
];
const PROTECTS: &[&str] = &[
    "\"queue:Billing EN\"",
    "\"skill:VIP\"",
    "\"wrapupCode:Resolved\"",
    "\"language:English\"",
    "bogus",
    "\"queue:\"",
    "\":x\"",
    "\"agent:ana.silva@example.com\"",
];
const MODES: &[&str] = &["authoritative", "additive", "ignore"];
const WRAPUP_PROMPTS: &[&str] = &[
    "MANDATORY",
    "OPTIONAL",
    "MANDATORY_TIMEOUT",
    "MANDATORY_FORCED_TIMEOUT",
    "AGENT_REQUESTED",
];
const SKILL_EVALUATION: &[&str] = &["NONE", "BEST", "ALL"];
const SCORING: &[&str] = &["TimestampAndPriority", "PriorityOnly"];
const LAST_AGENT: &[&str] = &["Disabled", "QueueMembersOnly", "AnyAgent"];
const CALLBACK_MODES: &[&str] = &["AgentFirst", "CustomerFirst"];
const METRICS: &[&str] = &["EstimatedWaitTime", "ServiceLevel"];
const OPERATORS: &[&str] = &[
    "GreaterThan",
    "GreaterThanOrEqualTo",
    "LessThan",
    "LessThanOrEqualTo",
];
const RULE_OPERATORS: &[&str] = &["MEETS_THRESHOLD", "ANY"];
const GROUP_TYPES: &[&str] = &["TEAM", "GROUP", "SKILLGROUP"];
/// Enum values that are not: wrong case, near misses, other enums' values.
const NOT_ENUMS: &[&str] = &[
    "Authoritative",
    "merge",
    "mandatory",
    "best",
    "Priority",
    "None",
    "Whenever",
    "Abandons",
    "Equals",
    "ALL",
    "team",
    "\"\"",
    "BEST ",
];
const TRUE_FALSE: &[&str] = &["true", "false"];
/// Every key of the schema, and keys a manifest must not have.
const KEYS: &[&str] = &[
    "version",
    "org",
    "name",
    "id",
    "region",
    "scope",
    "divisions",
    "names",
    "prune",
    "protect",
    "naming",
    "skills",
    "languages",
    "wrapupCodes",
    "queues",
    "agents",
    "capacity",
    "maxSaturation",
    "division",
    "renamedFrom",
    "description",
    "members",
    "mode",
    "users",
    "user",
    "ring",
    "weight",
    "bullseye",
    "rings",
    "expansionTimeoutSeconds",
    "skillsToRemove",
    "routingRules",
    "operator",
    "threshold",
    "waitSeconds",
    "mediaSettings",
    "call",
    "callback",
    "chat",
    "email",
    "message",
    "alertingTimeoutSeconds",
    "serviceLevel",
    "percentage",
    "durationMs",
    "acwSettings",
    "wrapupPrompt",
    "timeoutMs",
    "codes",
    "proficiency",
    "queueFlow",
    "distribution",
    "normalize",
    "utilizationTarget",
    "coverage",
    "requiredSkills",
    "minAgents",
    "minProficiency",
    "enforce",
    "conditionalGroupRouting",
    "rules",
    "groups",
    "type",
    "metric",
    "conditionValue",
    "queue",
    "unknownKey",
    "<<",
    "\"\"",
    "\"on\"",
    "on",
    "1",
    "true",
    "null",
    "~",
    "[1, 2]",
    "{a: 1}",
    "名前",
    "\"\\e[2J\"",
    "\"a/b~c\"",
    "\"version \"",
];

/// Any value at all, nested up to a few levels, sometimes very deep.
fn any_value() -> Gen {
    let leaf = prop_oneof![
        6 => prop_oneof![
            scalars(NAMES),
            scalars(NUMBERS),
            scalars(BOOLS),
            scalars(EMAILS),
            scalars(PATTERNS),
            scalars(&["", "\"\"", "''", "|\n  block\n", ">-\n  folded\n", "!!binary aGk=", "!x y", "!!timestamp 2001-12-14", "!!null ''", "!!bool maybe", "!!map {}", "!!seq []", "? a", "- - x", "a: b: c"]),
        ],
        1 => (0..4_u8).prop_map(Node::Alias),
    ];
    let nested = leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Node::Seq),
            prop::collection::vec((select(KEYS).prop_map(str::to_string), inner.clone()), 0..5)
                .prop_map(Node::Map),
            inner.clone().prop_map(|n| Node::Flow(Box::new(n))),
            (0..4_u8, inner).prop_map(|(n, value)| Node::Anchor(n, Box::new(value))),
        ]
    });
    prop_oneof![
        20 => nested,
        1 => (1..100_usize, any::<bool>()).prop_map(|(depth, map)| deep(depth, map)),
    ]
    .boxed()
}

/// `depth` nested lists or mappings around one scalar.
fn deep(depth: usize, map: bool) -> Node {
    let mut node = Node::Scalar("x".into());
    for level in 0..depth {
        node = if map {
            Node::Map(vec![(format!("k{level}"), node)])
        } else {
            Node::Seq(vec![node])
        };
    }
    if depth.is_multiple_of(2) {
        Node::Flow(Box::new(node))
    } else {
        node
    }
}

/// Builds the manifest's shapes at a noise level: at 0 every value has the right type and
/// every required key is there (semantic mistakes remain, from the pools), at 1 a wrong value,
/// an alias or an unknown key now and then, at 2 often.
#[derive(Debug, Clone, Copy)]
struct Shapes {
    noise: u32,
}

/// Values of the right type, mostly in range, for the noiseless level.
const SMALL: &[&str] = &["1", "2", "3"];
const FRACTIONS: &[&str] = &["0.2", "0.5", "0.8", "1"];
const SECONDS: &[&str] = &["8", "15", "30", "300"];
const MILLIS: &[&str] = &["20000", "120000"];
const FEW_NAMES: &[&str] = &[
    "Billing",
    "Sales",
    "VIP",
    "English",
    "Resolved",
    "Customer Care",
];
const FEW_EMAILS: &[&str] = &["ana.silva@example.com", "bo.berg@example.com"];

impl Shapes {
    /// A scalar from `valid`, or at a noise level above 0 sometimes from `noisy`.
    fn pick(self, valid: &'static [&'static str], noisy: &'static [&'static str]) -> Gen {
        match self.noise {
            0 => scalars(valid),
            1 => prop_oneof![8 => scalars(valid), 1 => scalars(noisy)].boxed(),
            _ => prop_oneof![scalars(valid), scalars(noisy)].boxed(),
        }
    }

    /// Usually `right`, sometimes in flow style; with noise, sometimes any value, an
    /// anchored `right`, or an alias.
    fn fuzzy(self, right: Gen) -> Gen {
        let flow = right.clone().prop_map(|n| Node::Flow(Box::new(n)));
        if self.noise == 0 {
            return prop_oneof![8 => right, 1 => flow].boxed();
        }
        let wrong = if self.noise == 1 { 1 } else { 6 };
        prop_oneof![
            96 => right.clone(),
            8 => flow,
            wrong => any_value(),
            wrong => (0..4_u8, right).prop_map(|(n, value)| Node::Anchor(n, Box::new(value))),
            wrong => (0..4_u8).prop_map(Node::Alias),
        ]
        .boxed()
    }

    /// A mapping with a random subset of `fields` (each value fuzzy) and every `required`
    /// one; with noise, sometimes an unknown or a repeated key.
    fn object(self, fields: Vec<(&'static str, Gen)>, required: &[&str]) -> Gen {
        let chosen: Vec<BoxedStrategy<Option<(String, Node)>>> = fields
            .into_iter()
            .map(|(key, value)| {
                let entry = self.fuzzy(value).prop_map(move |v| (key.to_string(), v));
                if self.noise == 0 && required.contains(&key) {
                    entry.prop_map(Some).boxed()
                } else {
                    prop::option::weighted(0.6, entry).boxed()
                }
            })
            .collect();
        let (extra, repeat) = match self.noise {
            0 => (0.0, 0.0),
            1 => (0.02, 0.01),
            _ => (0.3, 0.1),
        };
        let extra = sometimes(extra, (select(KEYS).prop_map(str::to_string), any_value()));
        let repeat = sometimes(repeat, any::<Index>());
        (chosen, extra, repeat)
            .prop_map(|(chosen, extra, repeat)| {
                let mut entries: Vec<(String, Node)> = chosen.into_iter().flatten().collect();
                if let Some(which) = repeat
                    && !entries.is_empty()
                {
                    let again = entries[which.index(entries.len())].clone();
                    entries.push(again);
                }
                entries.extend(extra);
                Node::Map(entries)
            })
            .boxed()
    }

    fn list(self, item: Gen, most: usize) -> Gen {
        self.list_of(item, 0, most)
    }

    /// A list of `least..most` items; with noise, of `0..most`.
    fn list_of(self, item: Gen, least: usize, most: usize) -> Gen {
        let least = if self.noise == 0 { least } else { 0 };
        prop::collection::vec(item, least..most)
            .prop_map(Node::Seq)
            .boxed()
    }

    fn names(self) -> Gen {
        self.list(self.pick(FEW_NAMES, NAMES), 4)
    }

    fn service_level(self) -> Gen {
        self.object(
            vec![
                ("percentage", self.pick(FRACTIONS, NUMBERS)),
                ("durationMs", self.pick(MILLIS, NUMBERS)),
            ],
            &["percentage", "durationMs"],
        )
    }

    fn media(self) -> Gen {
        self.object(
            vec![
                ("alertingTimeoutSeconds", self.pick(SECONDS, NUMBERS)),
                ("serviceLevel", self.service_level()),
                ("enableAutoAnswer", self.pick(TRUE_FALSE, BOOLS)),
                ("autoAnswerAlertToneSeconds", self.pick(SMALL, NUMBERS)),
                ("manualAnswerAlertToneSeconds", self.pick(SMALL, NUMBERS)),
            ],
            &[],
        )
    }

    fn callback_media(self) -> Gen {
        self.object(
            vec![
                ("alertingTimeoutSeconds", self.pick(SECONDS, NUMBERS)),
                ("serviceLevel", self.service_level()),
                ("mode", self.pick(CALLBACK_MODES, NOT_ENUMS)),
                ("autoDialDelaySeconds", self.pick(SECONDS, NUMBERS)),
                ("autoEndDelaySeconds", self.pick(SECONDS, NUMBERS)),
                ("enableAutoDialAndEnd", self.pick(TRUE_FALSE, BOOLS)),
            ],
            &[],
        )
    }

    fn object_ref(self) -> Gen {
        self.object(
            vec![
                ("name", self.pick(FEW_NAMES, NAMES)),
                ("id", self.pick(UUIDS, NAMES)),
            ],
            &["name"],
        )
    }

    fn queue(self) -> Gen {
        let member = self.object(
            vec![
                ("user", self.pick(FEW_EMAILS, EMAILS)),
                ("ring", self.pick(SMALL, NUMBERS)),
                ("weight", self.pick(FRACTIONS, NUMBERS)),
            ],
            &["user"],
        );
        let members = self.object(
            vec![
                ("mode", self.pick(MODES, NOT_ENUMS)),
                ("users", self.list(member, 5)),
            ],
            &["mode"],
        );
        let ring = self.object(
            vec![
                ("expansionTimeoutSeconds", self.pick(SECONDS, NUMBERS)),
                ("skillsToRemove", self.names()),
            ],
            &[],
        );
        let bullseye = self.object(vec![("rings", self.list(ring, 8))], &["rings"]);
        let routing_rule = self.object(
            vec![
                ("operator", self.pick(RULE_OPERATORS, NOT_ENUMS)),
                ("threshold", self.pick(SMALL, NUMBERS)),
                ("waitSeconds", self.pick(SECONDS, NUMBERS)),
            ],
            &["operator", "waitSeconds"],
        );
        let group = self.object(
            vec![
                ("name", self.pick(FEW_NAMES, NAMES)),
                ("id", self.pick(UUIDS, NAMES)),
                ("type", self.pick(GROUP_TYPES, NOT_ENUMS)),
            ],
            &["name", "type"],
        );
        let group_rule = self.object(
            vec![
                ("metric", self.pick(METRICS, NOT_ENUMS)),
                ("operator", self.pick(OPERATORS, NOT_ENUMS)),
                ("conditionValue", self.pick(SECONDS, NUMBERS)),
                ("waitSeconds", self.pick(SECONDS, NUMBERS)),
                ("queue", self.pick(FEW_NAMES, NAMES)),
                ("groups", self.list_of(group, 1, 3)),
            ],
            &[
                "metric",
                "operator",
                "conditionValue",
                "waitSeconds",
                "groups",
            ],
        );
        let group_routing =
            self.object(vec![("rules", self.list_of(group_rule, 1, 7))], &["rules"]);
        self.object(
            vec![
                ("name", self.pick(FEW_NAMES, NAMES)),
                ("renamedFrom", self.names()),
                ("division", self.pick(FEW_NAMES, NAMES)),
                ("description", self.pick(FEW_NAMES, NAMES)),
                (
                    "skillEvaluationMethod",
                    self.pick(SKILL_EVALUATION, NOT_ENUMS),
                ),
                ("scoringMethod", self.pick(SCORING, NOT_ENUMS)),
                ("lastAgentRoutingMode", self.pick(LAST_AGENT, NOT_ENUMS)),
                ("enableTranscription", self.pick(TRUE_FALSE, BOOLS)),
                ("autoAnswerOnly", self.pick(TRUE_FALSE, BOOLS)),
                (
                    "mediaSettings",
                    self.object(
                        vec![
                            ("call", self.media()),
                            ("callback", self.callback_media()),
                            ("chat", self.media()),
                            ("email", self.media()),
                            ("message", self.media()),
                        ],
                        &[],
                    ),
                ),
                (
                    "acwSettings",
                    self.object(
                        vec![
                            ("wrapupPrompt", self.pick(WRAPUP_PROMPTS, NOT_ENUMS)),
                            ("timeoutMs", self.pick(MILLIS, NUMBERS)),
                        ],
                        &["wrapupPrompt"],
                    ),
                ),
                ("routingRules", self.list(routing_rule, 8)),
                ("bullseye", bullseye),
                ("conditionalGroupRouting", group_routing),
                ("queueFlow", self.object_ref()),
                (
                    "wrapupCodes",
                    self.object(
                        vec![
                            ("mode", self.pick(MODES, NOT_ENUMS)),
                            ("codes", self.names()),
                        ],
                        &["mode"],
                    ),
                ),
                ("members", members),
                (
                    "distribution",
                    self.object(
                        vec![
                            ("normalize", self.pick(TRUE_FALSE, BOOLS)),
                            ("utilizationTarget", self.pick(FRACTIONS, NUMBERS)),
                        ],
                        &[],
                    ),
                ),
                (
                    "coverage",
                    self.object(
                        vec![
                            ("requiredSkills", self.names()),
                            ("minAgents", self.pick(SMALL, NUMBERS)),
                            ("minProficiency", self.pick(SMALL, NUMBERS)),
                            ("enforce", self.pick(TRUE_FALSE, BOOLS)),
                        ],
                        &["requiredSkills"],
                    ),
                ),
            ],
            &["name"],
        )
    }

    fn proficiencies(self) -> Gen {
        let levels = prop::collection::vec(
            (
                select(if self.noise == 0 { FEW_NAMES } else { NAMES }).prop_map(str::to_string),
                self.pick(SMALL, NUMBERS),
            ),
            0..4,
        )
        .prop_map(Node::Map)
        .boxed();
        self.object(
            vec![
                ("mode", self.pick(MODES, NOT_ENUMS)),
                ("proficiency", levels),
            ],
            &["mode"],
        )
    }

    fn named(self, extra: Vec<(&'static str, Gen)>) -> Gen {
        let mut fields = vec![("name", self.pick(FEW_NAMES, NAMES))];
        fields.extend(extra);
        self.object(fields, &["name"])
    }

    fn per_kind(self, values: Gen) -> Gen {
        const KINDS: &[&str] = &["queues", "skills", "wrapupCodes", "languages"];
        prop::collection::vec((select(KINDS).prop_map(str::to_string), values), 0..3)
            .prop_map(Node::Map)
            .boxed()
    }

    fn manifest(self) -> Gen {
        let org = self.object(
            vec![
                ("name", self.pick(FEW_NAMES, NAMES)),
                ("id", self.pick(UUIDS, NAMES)),
                ("region", self.pick(&["mypurecloud.ie"], REGIONS)),
            ],
            &["name", "region"],
        );
        let scope = self.object(
            vec![
                ("divisions", self.names()),
                ("names", self.per_kind(self.pick(&["\".*\""], PATTERNS))),
            ],
            &[],
        );
        let prune = self.object(
            vec![
                ("skills", self.pick(TRUE_FALSE, BOOLS)),
                ("queues", self.pick(TRUE_FALSE, BOOLS)),
                ("wrapupCodes", self.pick(TRUE_FALSE, BOOLS)),
                ("languages", self.pick(TRUE_FALSE, BOOLS)),
            ],
            &[],
        );
        let skill = self.named(vec![
            ("division", self.pick(FEW_NAMES, NAMES)),
            ("renamedFrom", self.names()),
        ]);
        let wrapup_code = self.named(vec![
            ("description", self.pick(FEW_NAMES, NAMES)),
            ("division", self.pick(FEW_NAMES, NAMES)),
            ("renamedFrom", self.names()),
        ]);
        let agent = self.object(
            vec![
                ("user", self.pick(FEW_EMAILS, EMAILS)),
                ("skills", self.proficiencies()),
                ("languages", self.proficiencies()),
            ],
            &["user"],
        );
        self.object(
            vec![
                (
                    "version",
                    self.pick(&["1"], &["2", "0", "\"1\"", "1.0", "-1"]),
                ),
                ("org", org),
                ("scope", scope),
                ("prune", prune),
                ("protect", self.list(self.pick(PROTECTS, NAMES), 4)),
                ("naming", self.per_kind(self.pick(&["\".*\""], PATTERNS))),
                (
                    "capacity",
                    self.object(vec![("maxSaturation", self.pick(FRACTIONS, NUMBERS))], &[]),
                ),
                ("skills", self.list(skill, 5)),
                ("languages", self.list(self.named(vec![]), 3)),
                ("wrapupCodes", self.list(wrapup_code, 4)),
                ("queues", self.list(self.queue(), 4)),
                ("agents", self.list(agent, 4)),
            ],
            &["version", "org"],
        )
    }
}

/// `Some` value with `probability`, which may be 0.
fn sometimes<S>(probability: f64, value: S) -> BoxedStrategy<Option<S::Value>>
where
    S: Strategy + 'static,
    S::Value: Clone,
{
    if probability > 0.0 {
        prop::option::weighted(probability, value).boxed()
    } else {
        Just(None).boxed()
    }
}

fn near_valid_manifest() -> impl Strategy<Value = String> {
    let manifest = prop_oneof![
        Shapes { noise: 0 }.manifest(),
        Shapes { noise: 1 }.manifest(),
        Shapes { noise: 2 }.manifest(),
    ];
    let prefix = select(
        &[
            "",
            "",
            "",
            "---\n",
            "# comment\n",
            "\u{feff}",
            "%YAML 1.2\n---\n",
        ][..],
    );
    (manifest, prefix).prop_map(|(node, prefix)| format!("{prefix}{}", to_yaml(&node)))
}

#[test]
fn fuzz_near_valid_manifests() {
    fuzz(
        "near-valid manifests",
        1000,
        near_valid_manifest(),
        |text, tally| check_text(text, tally),
    );
}

// ---------------------------------------------------------------------------------------
// (c) The examples, mutated.

/// The example files: `(path relative to examples/, bytes)`.
fn example_files() -> &'static [(String, Vec<u8>)] {
    static FILES: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let mut files = Vec::new();
        let mut pending = vec![PathBuf::from(EXAMPLES)];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml")
                    && !path.starts_with(Path::new(EXAMPLES).join("sim-org.yaml"))
                    && !path.starts_with(Path::new(EXAMPLES).join("sim-faults.yaml"))
                {
                    let relative = path.strip_prefix(EXAMPLES).unwrap().display().to_string();
                    files.push((relative, std::fs::read(&path).unwrap()));
                }
            }
        }
        files.sort();
        assert!(files.len() >= 10, "{files:?}");
        files
    })
}

/// One edit of a file's bytes.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit(Index, u8),
    Delete(Index, usize),
    Insert(Index, &'static str),
    InsertByte(Index, u8),
    DuplicateLine(Index),
    DeleteLine(Index),
    SwapLines(Index, Index),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 0..8_u8).prop_map(|(at, bit)| Mutation::FlipBit(at, bit)),
        (any::<Index>(), 1..40_usize).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<Index>(), select(TOKENS)).prop_map(|(at, t)| Mutation::Insert(at, t)),
        (any::<Index>(), any::<u8>()).prop_map(|(at, b)| Mutation::InsertByte(at, b)),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        any::<Index>().prop_map(Mutation::DeleteLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    for mutation in mutations {
        let len = bytes.len();
        let at = |i: &Index| if len == 0 { 0 } else { i.index(len + 1) };
        match mutation {
            Mutation::FlipBit(i, bit) if len > 0 => bytes[i.index(len)] ^= 1 << bit,
            Mutation::Delete(i, n) => {
                let start = at(i);
                bytes.drain(start..(start + n).min(len));
            }
            Mutation::Insert(i, token) => {
                let start = at(i);
                bytes.splice(start..start, token.bytes());
            }
            Mutation::InsertByte(i, byte) => bytes.insert(at(i), *byte),
            Mutation::DuplicateLine(i) | Mutation::DeleteLine(i) => {
                let mut lines: Vec<Vec<u8>> = bytes
                    .split_inclusive(|b| *b == b'\n')
                    .map(<[u8]>::to_vec)
                    .collect();
                if !lines.is_empty() {
                    let n = i.index(lines.len());
                    if matches!(mutation, Mutation::DuplicateLine(_)) {
                        let copy = lines[n].clone();
                        lines.insert(n, copy);
                    } else {
                        lines.remove(n);
                    }
                }
                bytes = lines.concat();
            }
            Mutation::SwapLines(a, b) => {
                let mut lines: Vec<Vec<u8>> = bytes
                    .split_inclusive(|b| *b == b'\n')
                    .map(<[u8]>::to_vec)
                    .collect();
                if !lines.is_empty() {
                    let (a, b) = (a.index(lines.len()), b.index(lines.len()));
                    lines.swap(a, b);
                }
                bytes = lines.concat();
            }
            Mutation::Truncate(i) => bytes.truncate(at(i)),
            Mutation::FlipBit(..) => {}
        }
    }
    bytes
}

fn mutated_example() -> impl Strategy<Value = (String, String)> {
    let files = example_files();
    (0..files.len(), prop::collection::vec(mutation(), 1..5)).prop_map(move |(file, mutations)| {
        let (name, bytes) = &files[file];
        let text = String::from_utf8_lossy(&mutate(bytes, &mutations)).into_owned();
        (name.clone(), text)
    })
}

#[test]
fn fuzz_mutated_examples() {
    fuzz(
        "mutated examples",
        2000,
        mutated_example(),
        |(_, text), tally| check_text(text, tally),
    );
}

// ---------------------------------------------------------------------------------------
// The examples as directories on disk, files mutated, with or without an environment.

/// A manifest directory: which example, which files mutated how, which environment.
#[derive(Debug, Clone)]
struct DirectoryCase {
    example: &'static str,
    mutated: Vec<(Index, Vec<Mutation>)>,
    env: Option<&'static str>,
}

fn directory_case() -> impl Strategy<Value = DirectoryCase> {
    (
        select(&["contact-center", "multi-environment"][..]),
        prop::collection::vec(
            (any::<Index>(), prop::collection::vec(mutation(), 1..4)),
            0..3,
        ),
        prop::option::weighted(0.5, select(&["prod", "dev", "staging", "../x", ""][..])),
    )
        .prop_map(|(example, mutated, env)| DirectoryCase {
            example,
            mutated,
            env,
        })
}

#[test]
fn fuzz_mutated_directories() {
    let dir = TempDir::new("fuzz-directories");
    fuzz(
        "mutated directories",
        200,
        directory_case(),
        |case, tally| {
            let root = dir.0.join("manifest");
            let _ = std::fs::remove_dir_all(&root);
            let prefix = format!("{}/", case.example);
            let mut files: Vec<(PathBuf, Vec<u8>)> = example_files()
                .iter()
                .filter_map(|(name, bytes)| {
                    let relative = name.strip_prefix(&prefix)?;
                    Some((root.join(relative), bytes.clone()))
                })
                .collect();
            for (which, mutations) in &case.mutated {
                let file = which.index(files.len());
                files[file].1 = mutate(&files[file].1, mutations);
            }
            for (path, bytes) in &files {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, bytes).unwrap();
            }
            let options = LoadOptions {
                env: case.env.map(str::to_string),
                ..LoadOptions::default()
            };
            let loaded = catch_unwind(AssertUnwindSafe(|| load(&root, &options)))
                .map_err(|_| TestCaseError::fail("load panicked"))?;
            tally.count(&loaded);
            let problems = incoherence(&loaded, |file| {
                files
                    .iter()
                    .find(|(path, _)| path == file)
                    .map(|(_, bytes)| String::from_utf8_lossy(bytes))
                    .map(|text| Cow::Owned(text.into_owned()))
            });
            // An environment that is not there is named without a file; nothing else may be.
            let problems: Vec<String> = problems
                .into_iter()
                .filter(|p| !(p.ends_with(": no file") && p.contains("environment")))
                .collect();
            if problems.is_empty() {
                Ok(())
            } else {
                Err(TestCaseError::fail(problems.join("\n")))
            }
        },
    );
}

// ---------------------------------------------------------------------------------------
// Regressions: inputs the fuzzer found, each checked as a case of its own.

/// The position of the only error in `loaded`, as `line:column`.
fn only_error_at(loaded: &Loaded) -> String {
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{}", loaded.findings_text());
    errors[0]
        .position
        .map(|at| at.to_string())
        .unwrap_or_default()
}

#[test]
fn an_error_after_a_non_ascii_directive_is_located_in_characters() {
    // saphyr counts a directive's name in bytes: the byte order mark was put at 2:48 of a
    // line of 28 characters.
    let found = "~: {{~%TAG ! tag:x:\n%🬂🫶\u{11f3a}\u{c47}\u{1e018}🕴(:\u{a3c}�𮶾@*<3\u{1cf3d}&a \u{feff}queues:\n";
    check_text(found, &Tally::default()).unwrap();
    let loaded = load_str("fuzz.yaml", found);
    assert_eq!(only_error_at(&loaded), "2:21");
    // The same in small: the mark is the 4th character of `%é \u{feff}x`.
    let loaded = load_str("fuzz.yaml", "%é \u{feff}x\n");
    assert!(
        loaded.findings_text().contains("byte order mark"),
        "{}",
        loaded.findings_text()
    );
    assert_eq!(only_error_at(&loaded), "1:4");
}

#[test]
fn bytes_that_are_not_utf8_after_a_lone_carriage_return_are_located_on_its_next_line() {
    let dir = TempDir::new("fuzz-carriage-return");
    let file = dir.0.join("manifest.yaml");
    std::fs::write(&file, b"version: 1\rorg: \xee\n").unwrap();
    let loaded = load(&file, &LoadOptions::default());
    assert!(
        loaded.findings_text().contains("not UTF-8"),
        "{}",
        loaded.findings_text()
    );
    assert_eq!(only_error_at(&loaded), "2:6");
}
