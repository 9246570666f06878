//! The plan's JSON form: what `switchboard plan --format json` prints and what
//! `--out plan.json` writes; `switchboard apply plan.json` reads it back. One document for
//! both, versioned by `format_version`.
//!
//! A plan file is protected three ways, because its checksum alone (an unkeyed hash
//! anyone can recompute) proves nothing against a deliberate edit:
//! - the **seal**: with a key the pipeline holds (`SWITCHBOARD_PLAN_KEY`), an HMAC-SHA256
//!   of the document, which nobody without the key can recompute after an edit;
//! - its **creation time** (`created_at`), so apply can refuse an old plan;
//! - apply's **re-derivation**: [`unjustified`] lists every runnable change of the file that
//!   a plan made again from the file's own manifest, against the org as apply reads it,
//!   does not make identically; apply refuses the file if there is any.
//!
//! Documented for users in `docs/plan.md` and `docs/apply.md`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use switchboard_manifest::Manifest;
use switchboard_manifest::model::Mode;

use crate::findings::{CapacityReport, CoverageFinding, QueueDistribution};
use crate::fingerprint;
use crate::model::{
    Action, Address, AttributeChange, Change, ElementChange, ElementOp, FORMAT_VERSION, Plan,
    PlanOrg, Refusal, ResourceKind, Step, Summary, Warning,
};

/// The JSON document of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanDocument {
    /// `"1.0"`.
    pub format_version: String,
    /// The switchboard version that wrote it.
    pub switchboard_version: String,
    /// The org the plan was made against.
    pub org: PlanOrg,
    /// `sha256:<hex>` of the manifest's canonical JSON.
    pub manifest_hash: String,
    /// Whether `--force` lifted the blast-radius thresholds.
    pub forced: bool,
    /// The counts.
    pub summary: Summary,
    /// Every change, in execution order.
    pub resource_changes: Vec<ResourceChange>,
    /// Warnings (skipped users and the like).
    pub warnings: Vec<Warning>,
    /// The refused changes' addresses and reasons (they are also in `resource_changes`).
    pub refused: Vec<RefusedChange>,
    /// The runnable changes' steps by dependency wave, in execution order.
    pub waves: Vec<WaveSteps>,
    /// Each weighted queue whose members change: weights, realised rings, balance accuracy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distributions: Vec<QueueDistribution>,
    /// The capacity guard's projection: `{"state": "off"}` without `--forecast`.
    #[serde(default)]
    pub capacity: CapacityReport,
    /// Required skills the plan leaves short.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coverage: Vec<CoverageFinding>,
    /// The manifest the plan was made from (after environment overlays), in plan files only:
    /// apply reads what it manages, to check for a stale plan and to verify afterwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<Value>,
    /// When the plan file was written (RFC 3339, UTC), set by `switchboard plan --out`;
    /// apply refuses a plan file older than its `--max-plan-age`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// `sha256:<hex>` of the document's canonical JSON with this field and `seal` empty.
    pub checksum: String,
    /// `hmac-sha256:<hex>` of the document's canonical JSON with this field empty, keyed
    /// with `SWITCHBOARD_PLAN_KEY`: present when the plan was made with a key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<String>,
}

/// What a plan file says about itself beyond its plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    /// When it was written (RFC 3339), if it says.
    pub created_at: Option<String>,
    /// Whether it carries a seal (checked against the key given to [`PlanDocument::read_file`]).
    pub sealed: bool,
}

/// One change, Terraform style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceChange {
    /// `queue["Billing EN"]`.
    pub address: String,
    /// `skill`, `language`, `wrapup_code`, `queue`, `queue_wrapup_codes`, `queue_members`,
    /// `agent_skills`, `agent_languages`.
    pub kind: ResourceKind,
    /// The object's name (an agent's email).
    pub name: String,
    /// `["create"]`, `["update"]`, `["delete"]`, or `["delete", "create"]` for a replace.
    pub actions: Vec<String>,
    /// The live id, when the object exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The live name of a renamed object, or the skill a replace deletes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// `authoritative` or `additive`, for collections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// The changed attributes' and elements' live values (`null` on a create). An element
    /// without a value (a queue's wrap-up code) is `true`.
    pub before: Value,
    /// Their planned values (`null` on a delete).
    pub after: Value,
    /// Attribute-level detail.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeChange>,
    /// Per-element detail of a collection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<ElementChange>,
    /// Managed attributes or elements already right.
    pub unchanged: usize,
    /// Set when safety policy refused the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<Refusal>,
    /// The live object's fingerprint, checked by apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// A refused change, listed on its own for tools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefusedChange {
    /// Its address.
    pub address: String,
    /// The refusal.
    #[serde(flatten)]
    pub refusal: Refusal,
}

/// One dependency wave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaveSteps {
    /// 1 to 5.
    pub wave: usize,
    /// What the wave does.
    pub description: String,
    /// The steps, in order.
    pub steps: Vec<WaveStep>,
}

/// One step of one change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaveStep {
    /// The change's address.
    pub address: String,
    /// `create`, `update`, `move_assignments` or `delete`.
    pub step: Step,
}

/// Why a plan document was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Not JSON, or not a plan document.
    #[error("not a switchboard plan file: {0}")]
    Malformed(String),
    /// Written by an incompatible switchboard.
    #[error(
        "plan file format_version {found:?} is not supported (this switchboard reads {FORMAT_VERSION:?})\nhint: make the plan again with this version of switchboard"
    )]
    Version {
        /// What the file says.
        found: String,
    },
    /// The content does not match the checksum: the file was edited.
    #[error(
        "the plan file was modified after it was written (its checksum does not match)\nhint: never edit a plan file; make the plan again"
    )]
    Tampered,
    /// The seal does not match the content under the key given: edited, or sealed with
    /// another key.
    #[error(
        "the plan file's seal does not match its content under the configured SWITCHBOARD_PLAN_KEY: it was modified after it was written, or sealed with another key\nhint: never edit a plan file; make the plan again with the pipeline's key"
    )]
    BadSeal,
    /// A key is configured but the file carries no seal.
    #[error(
        "the plan file is not sealed, but SWITCHBOARD_PLAN_KEY is set: an unsealed file could have been edited by anyone\nhint: make the plan with the same SWITCHBOARD_PLAN_KEY set (switchboard plan --out FILE), or unset it to accept unsealed plan files"
    )]
    Unsealed,
    /// The file carries a seal but no key is configured to check it.
    #[error(
        "the plan file is sealed, but no key is configured to check its seal\nhint: set SWITCHBOARD_PLAN_KEY (or SWITCHBOARD_PLAN_KEY_FILE) to the key the plan was made with"
    )]
    NoKey,
}

fn element_value(value: &Option<Value>) -> Value {
    value.clone().unwrap_or(Value::Bool(true))
}

fn before_after(change: &Change) -> (Value, Value) {
    let mut before = Map::new();
    let mut after = Map::new();
    for attribute in &change.attributes {
        if let Some(value) = &attribute.before {
            before.insert(attribute.path.clone(), value.clone());
        }
        if let Some(value) = &attribute.after {
            after.insert(attribute.path.clone(), value.clone());
        }
    }
    for element in &change.elements {
        if element.op != ElementOp::Add {
            before.insert(element.key.clone(), element_value(&element.before));
        }
        if element.op != ElementOp::Remove {
            after.insert(element.key.clone(), element_value(&element.after));
        }
    }
    match change.action {
        Action::Create => (Value::Null, Value::Object(after)),
        Action::Delete => (Value::Object(before), Value::Null),
        Action::Update | Action::Replace => (Value::Object(before), Value::Object(after)),
    }
}

impl PlanDocument {
    /// The document of `plan`, sealed with its checksum.
    pub fn of(plan: &Plan) -> PlanDocument {
        let resource_changes = plan
            .changes
            .iter()
            .map(|change| {
                let (before, after) = before_after(change);
                ResourceChange {
                    address: change.address.to_string(),
                    kind: change.address.kind,
                    name: change.address.name.clone(),
                    actions: change
                        .action
                        .actions()
                        .iter()
                        .map(|a| (*a).into())
                        .collect(),
                    id: change.id.clone(),
                    renamed_from: change.renamed_from.clone(),
                    mode: change.mode,
                    before,
                    after,
                    attributes: change.attributes.clone(),
                    elements: change.elements.clone(),
                    unchanged: change.unchanged,
                    refused: change.refused.clone(),
                    fingerprint: change.fingerprint.clone(),
                }
            })
            .collect();
        let mut document = PlanDocument {
            format_version: FORMAT_VERSION.into(),
            switchboard_version: env!("CARGO_PKG_VERSION").into(),
            org: plan.org.clone(),
            manifest_hash: plan.manifest_hash.clone(),
            forced: plan.forced,
            summary: plan.summary(),
            resource_changes,
            warnings: plan.warnings.clone(),
            refused: plan
                .refused()
                .filter_map(|c| {
                    c.refused.clone().map(|refusal| RefusedChange {
                        address: c.address.to_string(),
                        refusal,
                    })
                })
                .collect(),
            waves: plan
                .waves()
                .into_iter()
                .map(|(wave, steps)| WaveSteps {
                    wave: wave.number(),
                    description: wave.describe().into(),
                    steps: steps
                        .into_iter()
                        .map(|(change, step)| WaveStep {
                            address: change.address.to_string(),
                            step,
                        })
                        .collect(),
                })
                .collect(),
            distributions: plan.distributions.clone(),
            capacity: plan.capacity.clone(),
            coverage: plan.coverage.clone(),
            manifest: None,
            created_at: None,
            checksum: String::new(),
            seal: None,
        };
        document.checksum = document.expected_checksum();
        document
    }

    /// The plan file of `plan`: its document with the manifest it was made from and the
    /// time it was written (`created_at`, RFC 3339: the caller reads the clock), with its
    /// checksum, and sealed with `key` when one is given.
    pub fn file(
        plan: &Plan,
        manifest: &Manifest,
        created_at: &str,
        key: Option<&[u8]>,
    ) -> PlanDocument {
        let mut document = PlanDocument::of(plan);
        document.manifest = serde_json::to_value(manifest).ok();
        document.created_at = Some(created_at.to_string());
        document.checksum = document.expected_checksum();
        document.seal = key.map(|key| document.expected_seal(key));
        document
    }

    fn expected_checksum(&self) -> String {
        let mut unsealed = self.clone();
        unsealed.checksum = String::new();
        unsealed.seal = None;
        fingerprint::of(&unsealed)
    }

    /// The canonical JSON of the document without its seal: what the seal is of.
    fn unsealed_json(&self) -> String {
        let mut unsealed = self.clone();
        unsealed.seal = None;
        fingerprint::canonical_json(&unsealed)
    }

    /// `hmac-sha256:<hex>` of the canonical JSON without the seal, keyed.
    fn expected_seal(&self, key: &[u8]) -> String {
        let mac = seal_mac(key, self.unsealed_json().as_bytes());
        format!(
            "hmac-sha256:{}",
            fingerprint::hex(&hmac::Mac::finalize(mac).into_bytes())
        )
    }

    /// Whether the seal is the document's under `key`, compared in constant time.
    fn seal_holds(&self, key: &[u8]) -> bool {
        let Some(given) = self
            .seal
            .as_deref()
            .and_then(|seal| seal.strip_prefix("hmac-sha256:"))
            .and_then(unhex)
        else {
            return false;
        };
        hmac::Mac::verify_slice(seal_mac(key, self.unsealed_json().as_bytes()), &given).is_ok()
    }

    /// The plan back from the document.
    pub fn into_plan(self) -> Result<Plan, DocumentError> {
        let changes = self
            .resource_changes
            .into_iter()
            .map(|rc| {
                let action = match rc.actions.iter().map(String::as_str).collect::<Vec<_>>()[..] {
                    ["create"] => Action::Create,
                    ["update"] => Action::Update,
                    ["delete"] => Action::Delete,
                    ["delete", "create"] => Action::Replace,
                    _ => {
                        return Err(DocumentError::Malformed(format!(
                            "{}: unknown actions {:?}",
                            rc.address, rc.actions
                        )));
                    }
                };
                let mut change = Change::new(Address::new(rc.kind, rc.name), action);
                change.id = rc.id;
                change.renamed_from = rc.renamed_from;
                change.mode = rc.mode;
                change.attributes = rc.attributes;
                change.elements = rc.elements;
                change.unchanged = rc.unchanged;
                change.refused = rc.refused;
                change.fingerprint = rc.fingerprint;
                Ok(change)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Plan {
            org: self.org,
            manifest_hash: self.manifest_hash,
            forced: self.forced,
            changes,
            warnings: self.warnings,
            distributions: self.distributions,
            capacity: self.capacity,
            coverage: self.coverage,
        })
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a plan document: checks the version first, then the checksum, then the shape.
    pub fn read(text: &str) -> Result<Plan, DocumentError> {
        Self::parse(text)?.into_plan()
    }

    /// Reads a plan file (`--out`): a plan document that also holds its manifest, whose
    /// hash must be the plan's `manifest_hash`. With `key`, the file must carry a seal that
    /// holds under it; without, a sealed file is refused (its seal cannot be checked).
    pub fn read_file(
        text: &str,
        key: Option<&[u8]>,
    ) -> Result<(Plan, Manifest, FileFacts), DocumentError> {
        let mut document = Self::parse(text)?;
        match (key, document.seal.is_some()) {
            (Some(_), false) => return Err(DocumentError::Unsealed),
            (None, true) => return Err(DocumentError::NoKey),
            (Some(key), true) if !document.seal_holds(key) => return Err(DocumentError::BadSeal),
            _ => {}
        }
        let facts = FileFacts {
            created_at: document.created_at.clone(),
            sealed: document.seal.is_some(),
        };
        let manifest: Manifest = match document.manifest.take() {
            Some(value) => serde_json::from_value(value)
                .map_err(|e| DocumentError::Malformed(format!("its manifest: {e}")))?,
            None => {
                return Err(DocumentError::Malformed(
                    "it holds no manifest (a `--format json` output is not a plan file; write one with `switchboard plan --out FILE`)".into(),
                ));
            }
        };
        if fingerprint::of(&manifest) != document.manifest_hash {
            return Err(DocumentError::Tampered);
        }
        Ok((document.into_plan()?, manifest, facts))
    }

    fn parse(text: &str) -> Result<PlanDocument, DocumentError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| DocumentError::Malformed(e.to_string()))?;
        match value.get("format_version").and_then(Value::as_str) {
            Some(FORMAT_VERSION) => {}
            Some(found) => {
                return Err(DocumentError::Version {
                    found: found.into(),
                });
            }
            None => {
                return Err(DocumentError::Malformed("it has no format_version".into()));
            }
        }
        let document: PlanDocument =
            serde_json::from_value(value).map_err(|e| DocumentError::Malformed(e.to_string()))?;
        if document.checksum != document.expected_checksum() {
            return Err(DocumentError::Tampered);
        }
        Ok(document)
    }
}

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

fn seal_mac(key: &[u8], message: &[u8]) -> HmacSha256 {
    use hmac::Mac;
    // HMAC accepts keys of any length (RFC 2104 §2), so this never falls back; the
    // fallback (an all-zero key) only avoids a panic path.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| <HmacSha256 as Mac>::new(&Default::default()));
    mac.update(message);
    mac
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The runnable changes of `file` (a plan read from a plan file) that `again` (a plan made
/// again from the file's manifest, under its policy, against the org as it is now) does not
/// make identically — same action, ids, attributes, elements and mode — and not refused.
/// Each is a change nobody reviewing the manifest asked for: an edited file, or a file made
/// by another switchboard. Described as `queue "Billing EN" will be destroyed`.
pub fn unjustified(file: &Plan, again: &Plan) -> Vec<String> {
    file.runnable()
        .filter(|change| {
            !again.runnable().any(|made| {
                made.address == change.address
                    && made.action == change.action
                    && made.id == change.id
                    && made.renamed_from == change.renamed_from
                    && made.mode == change.mode
                    && made.attributes == change.attributes
                    && made.elements == change.elements
            })
        })
        .map(|change| {
            format!(
                "{} {}",
                change.address.kind.describe(&change.address.name),
                change.action.verb()
            )
        })
        .collect()
}

/// The plan as pretty JSON (`--format json`, `--out`).
pub fn json(plan: &Plan) -> String {
    PlanDocument::of(plan).to_json()
}
