//! Hostile input: huge files, alias bombs, deep nesting and thousands of garbage inputs must
//! each end in a diagnostic, never in a panic. Peak memory of the worst cases is measured
//! in the separate `hostile_memory` test target, which needs its own global allocator.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use switchboard_manifest::{LoadOptions, Loaded, load, load_str};

/// A valid manifest touching most of the format, the seed of the mutated inputs.
const VALID: &str = r#"# yaml-language-server: $schema=../schemas/manifest.schema.json
version: 1
org:
  name: Acme Contact Centre
  region: mypurecloud.ie
scope:
  divisions: [Customer Care, Sales]
  names:
    queues: "^(Billing|Sales) "
prune:
  skills: true
  queues: true
protect:
  - "queue:Billing EN"
  - "skill:VIP"
naming:
  queues: " (EN|ES)$"
skills:
  - name: Billing
  - name: Sales
    division: Sales
  - name: VIP
languages:
  - name: English
  - name: Spanish
wrapupCodes:
  - name: Resolved
    description: Issue solved on first contact
  - name: Escalated
  - name: Sale Completed
    division: Sales
queues:
  - name: Billing EN
    renamedFrom: [Billing]
    division: Customer Care
    description: Billing questions in English
    skillEvaluationMethod: BEST
    mediaSettings:
      call:
        alertingTimeoutSeconds: 8
        serviceLevel: {percentage: 0.8, durationMs: 20000}
      callback:
        alertingTimeoutSeconds: 30
        mode: AgentFirst
        autoDialDelaySeconds: 10
      email:
        alertingTimeoutSeconds: 300
        serviceLevel: {percentage: 0.8, durationMs: 86400000}
    acwSettings: {wrapupPrompt: MANDATORY_TIMEOUT, timeoutMs: 120000}
    routingRules:
      - {operator: MEETS_THRESHOLD, threshold: 9, waitSeconds: 300}
      - {operator: ANY, waitSeconds: 600}
    bullseye:
      rings:
        - expansionTimeoutSeconds: 15
          skillsToRemove: [VIP]
        - expansionTimeoutSeconds: 30
        - {}
    conditionalGroupRouting:
      rules:
        - metric: EstimatedWaitTime
          operator: GreaterThan
          conditionValue: 120
          waitSeconds: 20
          groups: [{name: Billing Overflow, type: GROUP}]
    queueFlow: {name: Billing In-Queue}
    wrapupCodes:
      mode: authoritative
      codes: [Resolved, Escalated]
    members:
      mode: authoritative
      users:
        - {user: ana.silva@example.com, weight: 0.5}
        - {user: bo.berg@example.com, weight: 0.3}
        - user: chen.okafor@example.com
          weight: 0.2
    distribution:
      normalize: false
      utilizationTarget: 0.85
  - name: Sales ES
    division: Sales
    scoringMethod: TimestampAndPriority
    lastAgentRoutingMode: QueueMembersOnly
    enableTranscription: true
    acwSettings:
      wrapupPrompt: OPTIONAL
    wrapupCodes: {mode: additive, codes: [Sale Completed]}
    members:
      mode: additive
      users:
        - user: dara.novak@example.com
agents:
  - user: ana.silva@example.com
    skills:
      mode: authoritative
      proficiency: {Billing: 5, VIP: 3}
    languages:
      mode: additive
      proficiency:
        English: 5
        Spanish: 4
  - user: dara.novak@example.com
    skills: {mode: ignore}
"#;

/// A small deterministic generator (xorshift64*), so every run sees the same inputs.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn pick(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

/// Loads `text`, failing the test with the input if anything panics, and checks that what
/// comes back is coherent: errors mean no manifest, and every position is inside the text.
fn load_without_panic(name: &str, text: &str) -> Loaded {
    let loaded = match catch_unwind(AssertUnwindSafe(|| load_str(name, text))) {
        Ok(loaded) => loaded,
        Err(_) => panic!("load_str panicked on {name}:\n{text:?}"),
    };
    let incoherent = incoherence(&loaded, text);
    assert!(
        incoherent.is_empty(),
        "{name}: {}\n{text:?}",
        incoherent.join("\n")
    );
    loaded
}

/// What is wrong with a result: an error with a manifest, or a position outside the input.
fn incoherence(loaded: &Loaded, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if loaded.has_errors() && loaded.manifest.is_some() {
        problems.push("errors but a manifest".to_string());
    }
    // YAML breaks lines at `\n`, `\r\n` and a lone `\r`; the end of the input counts as a
    // line of its own (a file that ends without a line break ends there).
    let lines = text.replace("\r\n", "\n").split(['\n', '\r']).count()
        + usize::from(!text.ends_with(['\n', '\r']));
    for diagnostic in &loaded.diagnostics {
        let shown = diagnostic.to_string();
        if let Some(at) = diagnostic.position
            && (at.line < 1 || at.column < 1 || usize::try_from(at.line).unwrap() > lines)
        {
            problems.push(format!("{shown} is outside the input of {lines} lines"));
        }
    }
    problems
}

fn messages(loaded: &Loaded) -> String {
    loaded.findings_text().trim_end().to_string()
}

/// A directory of its own under the system temp dir, removed when dropped.
#[derive(Debug)]
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new(label: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("switchboard-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A syntactically plausible manifest of at least `bytes` bytes: one long list of skills.
fn huge_manifest(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 64);
    text.push_str("version: 1\norg: {name: Acme, region: mypurecloud.ie}\nskills:\n");
    let mut n = 0_u64;
    while text.len() < bytes {
        text.push_str(&format!("  - name: Skill {n:09}\n"));
        n += 1;
    }
    text
}

/// The "billion laughs": nine levels of ten aliases, 10^9 strings once expanded.
fn billion_laughs() -> String {
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    let mut text = format!("a: &a [{}]\n", ["\"lol\""; 10].join(", "));
    for pair in names.windows(2) {
        let (previous, name) = (pair[0], pair[1]);
        text.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{previous}"); 10].join(", ")
        ));
    }
    text
}

const FIFTY_MB: usize = 50 * 1024 * 1024;

#[test]
fn the_valid_seed_loads_cleanly() {
    let loaded = load_without_panic("valid.yaml", VALID);
    assert!(loaded.diagnostics.is_empty(), "{}", messages(&loaded));
    assert!(loaded.manifest.is_some());
}

#[test]
fn a_50_mb_file_is_refused_for_its_size() {
    let dir = TempDir::new("hostile-size");
    let path = dir.0.join("huge.yaml");
    std::fs::write(&path, huge_manifest(FIFTY_MB)).unwrap();
    let loaded = load(&path, &LoadOptions::default());
    assert!(loaded.has_errors() && loaded.manifest.is_none());
    let shown = messages(&loaded);
    assert!(shown.contains("limited to"), "{shown}");
    assert_eq!(loaded.diagnostics.len(), 1, "{shown}");
    let relative = shown.replace(&format!("{}/", dir.0.display()), "");
    insta::assert_snapshot!("hostile-50-mb-file", relative);
}

#[test]
fn a_50_mb_string_is_refused_for_its_size() {
    let loaded = load_without_panic("huge.yaml", &huge_manifest(FIFTY_MB));
    let shown = messages(&loaded);
    assert!(
        loaded.has_errors() && shown.contains("limited to"),
        "{shown}"
    );
}

#[test]
fn the_billion_laughs_is_refused_before_it_expands() {
    let loaded = load_without_panic("bomb.yaml", &billion_laughs());
    let shown = messages(&loaded);
    assert!(
        loaded.has_errors() && shown.contains("alias expansion"),
        "{shown}"
    );
    insta::assert_snapshot!("hostile-billion-laughs", shown);
}

#[test]
fn deep_nesting_is_refused_cleanly() {
    let inputs = [
        ("flow-seq.yaml", "[".repeat(10_000)),
        (
            "flow-seq-closed.yaml",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        ),
        ("flow-map.yaml", "{a: ".repeat(10_000)),
        ("block-seq.yaml", format!("{}x\n", "- ".repeat(10_000))),
        (
            "block-map.yaml",
            (0..1_000)
                .map(|depth| format!("{}k:\n", "  ".repeat(depth)))
                .collect(),
        ),
        (
            "value-in-key.yaml",
            format!("version: 1\nqueues: {}\n", "[".repeat(10_000)),
        ),
    ];
    for (name, text) in inputs {
        let loaded = load_without_panic(name, &text);
        let shown = messages(&loaded);
        assert!(loaded.has_errors(), "{name}: {shown}");
        assert!(
            shown.contains("nest") || shown.contains("flow"),
            "{name}: {shown}"
        );
    }
}

#[test]
fn garbage_never_panics() {
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let tokens = crate::fuzz::TOKENS;
    let lines: Vec<&str> = VALID.lines().collect();
    let mut inputs = 0;
    let mut problems = Vec::new();
    for round in 0..3_000 {
        let text = match round % 6 {
            // Random bytes, lossily decoded.
            0 => {
                let bytes: Vec<u8> = (0..rng.below(400))
                    .map(|_| u8::try_from(rng.next() >> 56).unwrap())
                    .collect();
                String::from_utf8_lossy(&bytes).into_owned()
            }
            // Random YAML-ish tokens.
            1 => (0..rng.below(120)).map(|_| rng.pick(tokens)).collect(),
            // The valid manifest with lines deleted, duplicated, swapped or re-indented.
            2 | 3 => {
                let mut mutated = lines.clone();
                let mut owned: Vec<String> = Vec::new();
                for _ in 0..=rng.below(4) {
                    let i = rng.below(mutated.len());
                    let j = rng.below(mutated.len());
                    match rng.below(5) {
                        0 => {
                            mutated.remove(i);
                        }
                        1 => mutated.insert(j, mutated[i]),
                        2 => mutated.swap(i, j),
                        3 => owned.push(format!("  {}", mutated[i])),
                        _ => owned.push(mutated[i].trim_start().to_string()),
                    }
                    if mutated.is_empty() {
                        mutated.push("");
                    }
                }
                let mut text = mutated.join("\n");
                for line in owned {
                    let at = rng.below(text.len() + 1);
                    let at = (0..=at)
                        .rev()
                        .find(|k| text.is_char_boundary(*k))
                        .unwrap_or(0);
                    text.insert_str(at, &format!("\n{line}\n"));
                }
                text
            }
            // The valid manifest with tokens inserted at random places.
            4 => {
                let mut text = VALID.to_string();
                for _ in 0..=rng.below(6) {
                    let at = rng.below(text.len() + 1);
                    let at = (0..=at)
                        .rev()
                        .find(|k| text.is_char_boundary(*k))
                        .unwrap_or(0);
                    text.insert_str(at, rng.pick(tokens));
                }
                text
            }
            // The valid manifest cut short.
            _ => {
                let at = rng.below(VALID.len() + 1);
                let at = (0..=at)
                    .rev()
                    .find(|k| VALID.is_char_boundary(*k))
                    .unwrap_or(0);
                VALID[..at].to_string()
            }
        };
        let name = format!("garbage-{round}.yaml");
        let loaded = match catch_unwind(AssertUnwindSafe(|| load_str(&name, &text))) {
            Ok(loaded) => loaded,
            Err(_) => panic!("load_str panicked on {name}:\n{text:?}"),
        };
        for problem in incoherence(&loaded, &text) {
            problems.push(format!("{name}: {problem}\n  input: {text:?}"));
        }
        inputs += 1;
    }
    assert_eq!(inputs, 3_000);
    assert!(
        problems.is_empty(),
        "{} incoherent results, the first ones:\n{}",
        problems.len(),
        problems[..problems.len().min(5)].join("\n")
    );
}
