#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use serde_json::json;

use super::*;

/// `expected` is the document's JSON (compact), `none`, or `error L:C: message`.
fn check_with(limits: &Limits, input: &str, expected: &str) {
    let actual = match parse(input, limits) {
        Ok(None) => "none".to_owned(),
        Ok(Some(tree)) => tree.to_json().to_string(),
        Err(error) => format!("error {}: {}", error.at, error.message),
    };
    assert_eq!(actual, expected, "input: {input:?}");
}

fn check(input: &str, expected: &str) {
    check_with(&Limits::default(), input, expected);
}

fn error(input: &str) -> YamlError {
    parse(input, &Limits::default()).unwrap_err()
}

const MANIFEST: &str = "\
version: 1
queues:
  - name: Support
    description: first line
  - name: Sales
    bogusKey: 3
\"odd/key~\": x
";

#[test]
fn positions_of_nested_values_and_keys() {
    let tree = parse(MANIFEST, &Limits::default()).unwrap().unwrap();
    let index = tree.positions();
    let at = |line, column| Some(Position { line, column });

    assert_eq!(index.value(""), at(1, 1));
    assert_eq!(index.value("/queues"), at(3, 3));
    assert_eq!(index.value("/queues/1"), at(5, 5));
    assert_eq!(index.value("/queues/1/name"), at(5, 11));
    assert_eq!(index.key("/queues/1/name"), at(5, 5));
    assert_eq!(index.key("/queues/1/bogusKey"), at(6, 5));
    assert_eq!(index.value("/queues/1/bogusKey"), at(6, 15));
    assert_eq!(index.key("/odd~1key~0"), at(7, 1));
    assert_eq!(index.value("/odd~1key~0"), at(7, 13));
    // An array item has no key; a missing pointer falls back to its nearest ancestor.
    assert_eq!(index.key("/queues/1"), at(5, 5));
    assert_eq!(index.value("/queues/1/missing/deeper"), at(5, 5));
    assert_eq!(index.key("/queues/7"), at(3, 3));
    assert_eq!(index.value("nonsense"), at(1, 1));
}

#[test]
fn to_json_of_a_document() {
    let source = "\
defaults: &d {timeoutSeconds: 30, skills: [a, 'b']}
queue: *d
empty:
tilde: ~
ratio: 1.5
on: yes
'quoted': \"true\"
block: |
  line one
  line two
count: !!str 123
";
    let tree = parse(source, &Limits::default()).unwrap().unwrap();
    let defaults = json!({"timeoutSeconds": 30, "skills": ["a", "b"]});
    assert_eq!(
        tree.to_json(),
        json!({
            "defaults": defaults,
            "queue": defaults,
            "empty": null,
            "tilde": null,
            "ratio": 1.5,
            "on": "yes",
            "quoted": "true",
            "block": "line one\nline two\n",
            "count": "123",
        })
    );
    let Value::Map(entries) = &tree.value else {
        panic!("expected a mapping");
    };
    let keys: Vec<&str> = entries.iter().map(|(key, _)| key.name.as_str()).collect();
    assert_eq!(
        keys,
        [
            "defaults", "queue", "empty", "tilde", "ratio", "on", "quoted", "block", "count"
        ]
    );
    // The copy sits at the alias; what is inside it keeps the anchored positions.
    let index = tree.positions();
    assert_eq!(index.value("/queue"), Some(Position { line: 2, column: 8 }));
    assert_eq!(
        index.value("/queue/skills"),
        Some(Position {
            line: 1,
            column: 43
        })
    );
}

#[test]
fn documents_that_parse() {
    for (input, expected) in [
        ("", "none"),
        ("   \n\n", "none"),
        ("# only a comment\n# and another\n", "none"),
        ("---\n", "null"),
        ("---\na: 1\n", r#"{"a":1}"#),
        ("a: 1\n...\n# trailing comment\n", r#"{"a":1}"#),
        ("- 1\n- -2.5\n- x\n", r#"[1,-2.5,"x"]"#),
        ("\u{feff}a: 1\n", r#"{"a":1}"#),
        ("a: 1\r\nb: 2\r\n", r#"{"a":1,"b":2}"#),
        // Plain scalar keys are taken as written.
        ("1: x\n", r#"{"1":"x"}"#),
        ("on: x\n", r#"{"on":"x"}"#),
        ("true: x\n", r#"{"true":"x"}"#),
        ("null: x\n", r#"{"null":"x"}"#),
        ("\"\": x\n", r#"{"":"x"}"#),
        ("!!str k: v\n", r#"{"k":"v"}"#),
        ("'<<': x\n", r#"{"<<":"x"}"#),
        // Core tags apply whatever the style.
        ("!!int '5'\n", "5"),
        ("!<tag:yaml.org,2002:int> \"5\"\n", "5"),
        ("!!float 3\n", "3.0"),
        ("!!bool \"true\"\n", "true"),
        ("!!null\n", "null"),
        ("!!str\n", r#""""#),
        ("!!seq [1]\n", "[1]"),
        ("!!map {a: 1}\n", r#"{"a":1}"#),
        // An anchored key may be aliased as a value.
        ("&k name: *k\n", r#"{"name":"name"}"#),
        // Anchors may be redefined; an alias takes the latest.
        ("- &a 1\n- &a 2\n- *a\n", "[1,2,2]"),
    ] {
        check(input, expected);
    }
}

#[test]
fn documents_that_are_refused() {
    for (input, expected) in [
        // Scanner and parser errors keep saphyr's words and position.
        (
            "a:\n\tb: 1\n",
            "error 2:1: tabs are not allowed for indentation in YAML",
        ),
        (
            "a:\n  b: 1\n  \tc: 2\n",
            "error 3:3: tabs are not allowed for indentation in YAML",
        ),
        (
            "key: |\n\tfoo\n",
            "error 2:1: tabs are not allowed for indentation in YAML",
        ),
        (
            "a: \"unclosed\n",
            "error 1:4: while scanning a quoted scalar, found unexpected end of stream",
        ),
        (
            "a: 1\n b: 2\n",
            "error 2:3: mapping values are not allowed in this context",
        ),
        (
            "a: *nowhere\n",
            "error 1:4: while parsing node, found unknown anchor",
        ),
        // Structure.
        (
            "name: a\nother: 1\nname: b\n",
            "error 3:1: duplicate key `name` (first at line 1)",
        ),
        (
            "q:\n  - {id: 1, id: 2}\n",
            "error 2:13: duplicate key `id` (first at line 2)",
        ),
        (
            "? [a]\n: b\n",
            "error 1:3: mapping keys must be strings, not a sequence",
        ),
        (
            "{? {a: 1}: b}",
            "error 1:4: mapping keys must be strings, not a mapping",
        ),
        (
            "!!int 1: x\n",
            "error 1:1: mapping keys must be strings, not a !!int value",
        ),
        (
            "a: &k b\n*k : c\n",
            "error 2:1: aliases cannot be used as mapping keys",
        ),
        (": x\n", "error 1:1: a mapping key is missing"),
        (
            "a: 1\n---\nb: 2\n",
            "error 2:1: a manifest file holds one YAML document",
        ),
        (
            "a: 1\n--- \n",
            "error 2:1: a manifest file holds one YAML document",
        ),
        (
            "base: &b {x: 1}\nq:\n  <<: *b\n",
            "error 3:3: merge keys (<<) are not supported; repeat the values or use an environment overlay",
        ),
        (
            "&a [*a]\n",
            "error 1:5: an alias cannot refer to a value that contains it",
        ),
        // Tags.
        ("a: !foo x\n", "error 1:4: unsupported tag `!foo`"),
        (
            "a: !!binary aGk=\n",
            "error 1:4: unsupported tag `!!binary`",
        ),
        ("a: !<tag:x> y\n", "error 1:4: unsupported tag `!<tag:x>`"),
        ("a: ! y\n", "error 1:4: unsupported tag `!`"),
        (
            "%TAG !! tag:example.com:\n---\na: !!str x\n",
            "error 3:4: unsupported tag `tag:example.com:str`",
        ),
        ("a: !!int x\n", "error 1:4: `x` is not a valid !!int"),
        (
            "!!map [a]\n",
            "error 1:1: tag !!map cannot be applied to a sequence",
        ),
        (
            "!!seq {a: 1}\n",
            "error 1:1: tag !!seq cannot be applied to a mapping",
        ),
        (
            "!!seq a\n",
            "error 1:1: tag !!seq cannot be applied to a scalar",
        ),
        // Numbers JSON cannot hold.
        (
            "a: .inf\n",
            "error 1:4: infinite or NaN numbers are not allowed",
        ),
        (
            "- 1\n- .NaN\n",
            "error 2:3: infinite or NaN numbers are not allowed",
        ),
        (
            "a: 99999999999999999999\n",
            "error 1:4: number out of range",
        ),
    ] {
        check(input, expected);
    }
}

#[test]
fn refusals_carry_hints_where_there_is_something_to_do() {
    assert_eq!(
        error("a:\n\tb: 1\n").hint.as_deref(),
        Some("indent with spaces")
    );
    assert!(error("x: 1\nx: 2\n").hint.is_some());
    assert!(error("a: !foo x\n").hint.unwrap().contains("!!str"));
    assert!(error("a: 1\n---\nb: 2\n").hint.is_some());
}

#[test]
fn oversized_input_fails_before_parsing() {
    let source = "#".repeat(9 * 1024 * 1024);
    check(
        &source,
        "error 1:1: the file is 9,437,184 bytes; manifests are limited to 8 MiB",
    );
    let limits = Limits {
        max_bytes: 1000,
        ..Limits::default()
    };
    check_with(
        &limits,
        &"#".repeat(1001),
        "error 1:1: the file is 1,001 bytes; manifests are limited to 1,000 bytes",
    );
}

#[test]
fn depth_and_node_limits() {
    let small = |max_nodes, max_depth| Limits {
        max_nodes,
        max_depth,
        ..Limits::default()
    };
    check_with(&small(100, 4), "[[[[1]]]]", "[[[[1]]]]");
    check_with(
        &small(100, 3),
        "[[[[1]]]]",
        "error 1:4: the document nests deeper than 3 levels",
    );
    // An alias adds the depth of what it copies.
    check_with(
        &small(100, 3),
        "a: &a [[1]]\nb: [*a]\n",
        "error 2:5: the document nests deeper than 3 levels",
    );
    check_with(&small(6, 64), "[1,2,3,4,5]", "[1,2,3,4,5]");
    check_with(
        &small(5, 64),
        "[1,2,3,4,5]",
        "error 1:10: the document has more than 5 values",
    );
    // Keys count too: map, a, seq, 1, 2, 3, b, then four more from the alias.
    check_with(
        &small(10, 64),
        "a: &a [1,2,3]\nb: *a\n",
        "error 2:4: the document expands to more than 10 values (alias expansion); is it a YAML bomb?",
    );
    check_with(
        &small(11, 64),
        "a: &a [1,2,3]\nb: *a\n",
        r#"{"a":[1,2,3],"b":[1,2,3]}"#,
    );
    // The default depth is 64.
    let deep = |n| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(parse(&deep(64), &Limits::default()).is_ok());
    assert_eq!(
        error(&deep(65)).message,
        "the document nests deeper than 64 levels"
    );
    // saphyr's scanner looks ahead in flow collections and stops at 255 levels on its own.
    assert_eq!(
        error(&deep(100_000)).message,
        "the document nests too deeply"
    );
}

#[test]
fn alias_bomb_fails_fast() {
    let mut source = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (previous, name) = (pair[0], pair[1]);
        let items = vec![format!("*{previous}"); 9].join(",");
        source.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    let started = Instant::now();
    let error = error(&source);
    println!("alias bomb refused in {:?}", started.elapsed());
    assert_eq!(
        error.message,
        "the document expands to more than 1000000 values (alias expansion); is it a YAML bomb?"
    );
    assert_eq!(error.at.line, 7);
}

/// A small deterministic generator, so the fuzz loop needs no extra dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }
}

#[test]
fn random_input_never_panics() {
    const PIECES: &[&str] = &[
        "-",
        "- ",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\r",
        "\t",
        ":",
        ": ",
        "? ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "&b ",
        "*b ",
        "!!str ",
        "!!int ",
        "!x ",
        "!<tag:x> ",
        "!",
        "!!",
        "'",
        "\"",
        "|",
        "|-",
        ">",
        "#",
        "%YAML 1.2\n",
        "%TAG !! tag:x:\n",
        "---",
        "...",
        "a",
        "b",
        "key",
        "1",
        "-2",
        "0x1F",
        "1e999",
        ".inf",
        ".nan",
        "<<",
        "~",
        "null",
        "true",
        "\\",
        "\\u00",
        "é",
        "日本",
        "\u{feff}",
        "\u{0}",
        "\u{7f}",
        "\u{2028}",
        "@",
        "`",
        "%",
    ];
    let small = Limits {
        max_bytes: 1 << 20,
        max_nodes: 40,
        max_depth: 4,
    };
    let mut rng = XorShift(0x5eed_cafe_f00d_d00d);
    let mut accepted = 0;
    for round in 0..6000 {
        let mut input = String::new();
        if round % 3 == 0 {
            // Mutations of a valid manifest reach deeper into the parser.
            input.push_str(MANIFEST);
            for _ in 0..=rng.below(4) {
                let mut at = rng.below(input.len() + 1);
                while !input.is_char_boundary(at) {
                    at -= 1;
                }
                input.insert_str(at, PIECES[rng.below(PIECES.len())]);
            }
        } else if round % 3 == 1 {
            let bytes: Vec<u8> = (0..rng.below(64))
                .map(|_| (rng.next() & 0xff) as u8)
                .collect();
            input = String::from_utf8_lossy(&bytes).into_owned();
        } else {
            for _ in 0..rng.below(40) {
                input.push_str(PIECES[rng.below(PIECES.len())]);
            }
        }
        let limits = if round % 2 == 0 {
            small
        } else {
            Limits::default()
        };
        if let Ok(Some(tree)) = parse(&input, &limits) {
            accepted += 1;
            let _ = tree.to_json();
            let _ = tree.positions().key("/a/0");
        }
    }
    // Some inputs must get through, or the loop tests only the error paths.
    assert!(accepted > 100, "only {accepted} inputs parsed");
}
