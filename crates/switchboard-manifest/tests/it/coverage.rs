//! Every writable field of the API's queue request (and of the settings nested in it) is
//! either in the manifest's schema or in [`OMITTED`], a short list of deliberate omissions,
//! each with its reason; every field of the utilization request (an agent's capacity, the
//! org's utilization) is in the manifest. The API's fields are read from the vendor's description: the full
//! `openapi.json` beside the repository when it is there, else the subset the simulator
//! embeds (`crates/switchboard-sim/wire/served-operations.json`, which a simulator test keeps
//! equal to the description), so the check always runs.
//!
//! A field the manifest spells otherwise is in [`RENAMED`]; a field that is a reference to
//! another object (a `DomainEntityRef`, a member group, ...) counts as covered when the
//! manifest has its key, whatever shape the manifest gives it (a name, `{name}` or `{id}`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// `(API path, why the manifest leaves it out)`. Paths are dotted, `[]` for a list's items,
/// `{}` for a map's values.
const OMITTED: &[(&str, &str)] = &[
    ("id", "read-only: the API assigns it"),
    ("selfUri", "read-only"),
    ("dateCreated", "read-only"),
    ("dateModified", "read-only"),
    ("createdBy", "read-only"),
    ("modifiedBy", "read-only"),
    (
        "memberCount",
        "read-only: a count of the members, which `members` manages",
    ),
    ("userMemberCount", "read-only"),
    ("joinedMemberCount", "read-only"),
    (
        "sourceQueueId",
        "create only: copies another queue's settings at create time, so the new queue would \
         hold settings the manifest does not show and the plan could not review; share \
         settings between queues with YAML anchors or environment overlays instead \
         (docs/manifest.md)",
    ),
    (
        "bullseye.rings[].expansionCriteria[].type",
        "always TIMEOUT_SECONDS, the only type the description gives; the manifest writes the \
         threshold as `expansionTimeoutSeconds`",
    ),
];

/// `(API path, manifest path)`: fields the manifest spells otherwise.
const RENAMED: &[(&str, &str)] = &[
    (
        "bullseye.rings[].expansionCriteria",
        "bullseye.rings[].expansionTimeoutSeconds",
    ),
    (
        "bullseye.rings[].expansionCriteria[].threshold",
        "bullseye.rings[].expansionTimeoutSeconds",
    ),
    (
        "bullseye.rings[].actions",
        "bullseye.rings[].skillsToRemove",
    ),
    (
        "bullseye.rings[].actions.skillsToRemove",
        "bullseye.rings[].skillsToRemove",
    ),
    (
        "mediaSettings.message.inactivityTimeoutSettings.flowId",
        "mediaSettings.message.inactivityTimeoutSettings.flow",
    ),
    (
        "cannedResponseLibraries.libraryIds",
        "cannedResponseLibraries.libraries",
    ),
    ("directRouting.backupQueueId", "directRouting.backupQueue"),
];

/// Definitions that are references to other objects: covered by their key.
const REFERENCES: &[&str] = &[
    "DomainEntityRef",
    "WritableDivision",
    "MemberGroup",
    "Script",
    "QueueEmailAddress",
    "InboundRoute",
    "WritableStarrableDivision",
    "SkillsToRemove",
];

fn api_description() -> (Value, PathBuf) {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let full = crate_dir.join("../../../shared/genesys/openapi.json");
    let embedded = crate_dir.join("../switchboard-sim/wire/served-operations.json");
    let path = if full.is_file() { full } else { embedded };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (doc, path)
}

fn manifest_schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/manifest.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The name of the definition a `$ref` names (`#/definitions/X` or `#/$defs/X`).
fn ref_name(node: &Value) -> Option<&str> {
    node.get("$ref")?.as_str()?.rsplit('/').next()
}

/// Every field path below the definition `name` of `doc` (`definitions`), recursing into
/// objects, list items (`[]`) and map values (`{}`), but not into references.
fn api_paths(doc: &Value, name: &str, prefix: &str, out: &mut BTreeSet<String>, depth: usize) {
    let Some(definition) = doc.pointer(&format!("/definitions/{name}")) else {
        panic!("the description has no definition {name}");
    };
    assert!(depth < 12, "{prefix}: the definitions nest too deep");
    let Some(properties) = definition.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (key, node) in properties {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        out.insert(path.clone());
        let (inner, suffix) = match node.get("type").and_then(Value::as_str) {
            Some("array") => (node.get("items"), "[]"),
            Some("object") => (node.get("additionalProperties"), "{}"),
            _ => (Some(node), ""),
        };
        if let Some(target) = inner.and_then(ref_name)
            && !REFERENCES.contains(&target)
        {
            api_paths(doc, target, &format!("{path}{suffix}"), out, depth + 1);
        }
    }
}

/// Every path of the manifest schema below `$defs.<name>`, as [`api_paths`] spells them.
fn manifest_paths(schema: &Value, node: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    let node = match ref_name(node) {
        Some(name) => &schema["$defs"][name],
        None => node,
    };
    // `Option<T>` is `anyOf: [T, null]` or `type: [.., "null"]`; `oneOf` for enums.
    for alternatives in ["anyOf", "oneOf", "allOf"] {
        for alternative in node
            .get(alternatives)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            manifest_paths(schema, alternative, prefix, out);
        }
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        for (key, child) in properties {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            out.insert(path.clone());
            manifest_paths(schema, child, &path, out);
        }
    }
    if let Some(items) = node.get("items") {
        manifest_paths(schema, items, &format!("{prefix}[]"), out);
    }
    if let Some(values) = node.get("additionalProperties").filter(|v| v.is_object()) {
        manifest_paths(schema, values, &format!("{prefix}{{}}"), out);
    }
}

/// The API paths below `definition` that neither the manifest's `$defs.<manifest>` has, nor
/// `renamed` maps to a path it has, nor `omitted` explains. `at_least`: the fewest fields
/// `definition` is known to have, so that a walk finding none fails rather than passes.
fn uncovered(
    definition: &str,
    manifest: &str,
    at_least: usize,
    renamed: &[(&str, &str)],
    omitted: &[(&str, &str)],
) -> (Vec<String>, PathBuf) {
    let (doc, path) = api_description();
    let schema = manifest_schema();
    let mut api = BTreeSet::new();
    api_paths(&doc, definition, "", &mut api, 0);
    assert!(
        api.len() >= at_least,
        "{definition} has too few fields: {api:?}"
    );
    let mut have = BTreeSet::new();
    manifest_paths(&schema, &schema["$defs"][manifest], "", &mut have);
    assert!(!have.is_empty(), "the manifest schema has no {manifest}");
    let missing = api
        .into_iter()
        .filter(|field| {
            let to = renamed
                .iter()
                .find(|(from, _)| from == field)
                .map(|(_, to)| *to);
            let omitted = omitted.iter().any(|(p, _)| p == field);
            !omitted && !have.contains(to.unwrap_or(field))
        })
        .collect();
    (missing, path)
}

#[test]
fn every_writable_queue_field_is_in_the_manifest_or_omitted_with_a_reason() {
    for definition in ["QueueRequest", "CreateQueueRequest"] {
        let (missing, path) = uncovered(definition, "Queue", 6, RENAMED, OMITTED);
        assert!(
            missing.is_empty(),
            "fields of {definition} ({}) that the manifest's Queue neither has nor omits with a \
             reason:\n  {}",
            path.display(),
            missing.join("\n  ")
        );
    }
}

/// `(API path, manifest path)` of `UtilizationRequest` (an agent's `capacity` and the org's
/// `utilization`): the API's map of media type → settings is one key per media type in the
/// manifest (each checked through `call`, which has the same fields as the others), and
/// labels are named by name, not id.
const UTILIZATION_RENAMED: &[(&str, &str)] = &[
    ("utilization", "call"),
    ("utilization{}.maximumCapacity", "call.maximumCapacity"),
    (
        "utilization{}.interruptableMediaTypes",
        "call.interruptableMediaTypes",
    ),
    ("utilization{}.includeNonAcd", "call.includeNonAcd"),
    ("labelUtilizations", "labels"),
    (
        "labelUtilizations{}.maximumCapacity",
        "labels{}.maximumCapacity",
    ),
    (
        "labelUtilizations{}.interruptingLabelIds",
        "labels{}.interruptingLabels",
    ),
];

#[test]
fn every_writable_utilization_field_is_in_the_manifest() {
    let (missing, path) = uncovered(
        "UtilizationRequest",
        "Capacity",
        3,
        UTILIZATION_RENAMED,
        &[],
    );
    assert!(
        missing.is_empty(),
        "fields of UtilizationRequest ({}) that the manifest's Capacity (an agent's `capacity`, \
         the org's `utilization`) lacks:\n  {}",
        path.display(),
        missing.join("\n  ")
    );
    // Every media type the manifest knows has the fields `call` stands in for.
    let schema = manifest_schema();
    let mut have = BTreeSet::new();
    manifest_paths(&schema, &schema["$defs"]["Capacity"], "", &mut have);
    for media in ["call", "callback", "chat", "email", "message"] {
        for field in [
            "maximumCapacity",
            "interruptableMediaTypes",
            "includeNonAcd",
        ] {
            assert!(
                have.contains(&format!("{media}.{field}")),
                "{media}.{field}"
            );
        }
    }
}

#[test]
fn every_routing_settings_field_is_in_the_manifest() {
    // `(API definition, manifest definition, its field count)`: none is omitted, nor read-only.
    for (definition, manifest, fields) in [
        ("RoutingSettings", "RoutingSettings", 1),
        ("ContactCenterSettings", "ContactCenterSettings", 1),
        ("TranscriptionSettings", "TranscriptionSettings", 6),
    ] {
        let (missing, path) = uncovered(definition, manifest, fields, &[], &[]);
        assert!(
            missing.is_empty(),
            "fields of {definition} ({}) that the manifest's {manifest} lacks:\n  {}",
            path.display(),
            missing.join("\n  ")
        );
    }
}

#[test]
fn the_omissions_are_few_and_each_has_a_reason() {
    assert!(
        OMITTED.len() <= 12,
        "the list of omissions is meant to stay short"
    );
    for (path, why) in OMITTED {
        assert!(why.len() > 8, "{path}: say why it is left out");
    }
    // An omission that the manifest has after all is stale.
    let schema = manifest_schema();
    let mut have = BTreeSet::new();
    manifest_paths(&schema, &schema["$defs"]["Queue"], "", &mut have);
    for (path, _) in OMITTED {
        assert!(
            !have.contains(*path),
            "{path} is in the manifest: drop it from OMITTED"
        );
    }
}

#[test]
fn the_check_finds_a_field_the_manifest_lacks() {
    // The walk sees nested fields: a field the manifest has is found, one it lacks is not.
    let (doc, _) = api_description();
    let mut api = BTreeSet::new();
    api_paths(&doc, "QueueRequest", "", &mut api, 0);
    for nested in [
        "mediaSettings.callback.liveVoiceFlow",
        "mediaSettings.message.subTypeSettings{}.enableInactivityTimeout",
        "conditionalGroupActivation.rules[].conditions[].simpleMetric.metric",
        "directRouting.callMediaSettings.useAgentAddressOutbound",
    ] {
        assert!(api.contains(nested), "{nested} not among {api:?}");
    }
    let schema = manifest_schema();
    let mut have = BTreeSet::new();
    manifest_paths(&schema, &schema["$defs"]["Queue"], "", &mut have);
    assert!(have.contains("mediaSettings.message.subTypeSettings{}.enableInactivityTimeout"));
    assert!(!have.contains("mediaSettings.workitem"));
}
