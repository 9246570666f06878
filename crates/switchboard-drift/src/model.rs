//! The drift report: every object that differs between the manifest and the org, classified,
//! with who changed it, and how much of the org the manifest covers.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_plan::{Action, ElementOp, PlanOrg, ResourceKind, Target, TargetKind, Warning};

/// The version of the report's JSON form (`switchboard drift --format json`).
pub const FORMAT_VERSION: &str = "1.0";

/// How the org differs from the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The org compared.
    pub org: PlanOrg,
    /// `sha256:<hex>` of the manifest's canonical JSON (after environment overlays), as in a
    /// plan.
    pub manifest_hash: String,
    /// Every differing object, sorted by class, kind and name.
    pub objects: Vec<DriftObject>,
    /// How much of the org, in the manifest's scope, the manifest manages.
    pub coverage: Coverage,
    /// Whether the audit trail could be read, and over which window.
    pub attribution: AttributionSummary,
    /// What the comparison skipped (inactive or unknown users, unread collections, ...).
    pub warnings: Vec<Warning>,
    /// Set when only what the audit trail says changed in a window was compared
    /// (`drift --since`); absent for a full check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Since>,
}

/// The window of a targeted check and what it compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Since {
    /// The window's start, RFC 3339.
    pub start: String,
    /// The window's end, RFC 3339.
    pub end: String,
    /// How many audit records the window held.
    pub audit_records: usize,
    /// The objects compared, as `kind:NAME` (`--target` syntax), sorted.
    pub checked: Vec<String>,
}

impl Report {
    /// Whether nothing counts as drift: no object changed outside git or missing, and no
    /// unmanaged object that `apply` would delete.
    pub fn in_sync(&self) -> bool {
        self.objects.iter().all(|o| !o.drift)
    }

    /// The counts.
    pub fn summary(&self) -> Summary {
        let count = |class: Class| self.objects.iter().filter(|o| o.class == class).count();
        Summary {
            drifted: self.objects.iter().filter(|o| o.drift).count(),
            changed: count(Class::Changed),
            missing: count(Class::Missing),
            unmanaged: count(Class::Unmanaged),
        }
    }

    /// The objects of one class, in report order.
    pub fn of_class(&self, class: Class) -> impl Iterator<Item = &DriftObject> {
        self.objects.iter().filter(move |o| o.class == class)
    }
}

/// The counts of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Objects that count as drift (`drift: true`).
    pub drifted: usize,
    /// Objects changed outside git.
    pub changed: usize,
    /// Objects in the manifest and gone from the org.
    pub missing: usize,
    /// Objects in the org, in scope, absent from the manifest (drift only where pruned).
    pub unmanaged: usize,
}

/// One object that differs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftObject {
    /// `queue["Billing EN"]`, `agent["ana@example.com"]`.
    pub address: String,
    /// What kind of object.
    pub kind: ObjectKind,
    /// Its name (an agent's lower-case email).
    pub name: String,
    /// Changed, missing or unmanaged.
    pub class: Class,
    /// Whether it counts as drift (exit 2): always for changed and missing objects; for an
    /// unmanaged one, only when the manifest prunes its kind and it is not protected, so
    /// that `apply` would delete it.
    pub drift: bool,
    /// Unmanaged and listed under `protect`: never deleted.
    pub protected: bool,
    /// The live object's id (absent for a missing object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What differs: `before` is what the manifest says, `after` what the org has.
    pub changes: Vec<DriftChange>,
    /// The most recent audited changes of the object, newest first.
    pub attribution: Vec<Attribution>,
}

impl DriftObject {
    /// An object with nothing found yet.
    pub fn new(kind: ObjectKind, name: &str, class: Class) -> DriftObject {
        DriftObject {
            address: kind.address(name),
            kind,
            name: name.to_string(),
            class,
            drift: class != Class::Unmanaged,
            protected: false,
            id: None,
            changes: Vec::new(),
            attribution: Vec::new(),
        }
    }

    /// How a person reads the object: `queue "Billing EN"`, `agent ana@example.com`.
    pub fn describe(&self) -> String {
        self.kind.describe(&self.name)
    }

    /// The sign a plan of the manifest shows for the object, what apply would do to it:
    /// [`Class::symbol`], but none for an unmanaged object apply leaves alone (its kind is not
    /// pruned, or it is protected).
    pub fn sign(&self) -> &'static str {
        if self.class == Class::Unmanaged && !self.drift {
            switchboard_plan::render::NONE
        } else {
            self.class.symbol()
        }
    }
}

/// How an object differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// It exists in both and differs (including its members, queue wrap-up codes, an agent's
    /// skills or languages): changed outside git.
    Changed,
    /// The manifest declares it and the org does not have it.
    Missing,
    /// The org has it, inside the manifest's scope, and the manifest does not declare it.
    Unmanaged,
}

impl Class {
    /// Every class, in report order.
    pub const ALL: [Class; 3] = [Class::Changed, Class::Missing, Class::Unmanaged];

    /// The key used in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Class::Changed => "changed",
            Class::Missing => "missing",
            Class::Unmanaged => "unmanaged",
        }
    }

    /// The sign a plan shows for an object of this class, what apply would do to it: `~` a
    /// changed one is updated, `+` a missing one created, `-` an unmanaged one deleted (when
    /// its kind is pruned: see [`DriftObject::sign`]).
    pub fn symbol(self) -> &'static str {
        match self {
            Class::Changed => Action::Update.symbol(),
            Class::Missing => Action::Create.symbol(),
            Class::Unmanaged => Action::Delete.symbol(),
        }
    }

    /// A section title.
    pub fn title(self) -> &'static str {
        match self {
            Class::Changed => "Changed outside git",
            Class::Missing => "Missing from the org",
            Class::Unmanaged => "Unmanaged: in the org and in scope, not in the manifest",
        }
    }
}

/// The kinds of object drift reports on. Collections belong to their owner: a queue's
/// members and wrap-up codes to the queue, an agent's skills and languages to the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// A routing skill.
    Skill,
    /// A routing language.
    Language,
    /// An org-level wrap-up code.
    WrapupCode,
    /// A skill group.
    SkillGroup,
    /// A queue, with its members and wrap-up codes.
    Queue,
    /// An agent's routing skills and languages (a user, by lower-case email).
    Agent,
    /// The org's own settings: its utilization (named `org`).
    Org,
    /// A utilization label.
    UtilizationLabel,
    /// The org's routing settings (named `org`).
    RoutingSettings,
}

impl ObjectKind {
    /// The kinds coverage is computed for: those a manifest can prune.
    pub const NAMED: [ObjectKind; 5] = [
        ObjectKind::Skill,
        ObjectKind::Language,
        ObjectKind::WrapupCode,
        ObjectKind::SkillGroup,
        ObjectKind::Queue,
    ];

    /// The key used in addresses and JSON.
    pub fn key(self) -> &'static str {
        match self {
            ObjectKind::Skill => "skill",
            ObjectKind::Language => "language",
            ObjectKind::WrapupCode => "wrapup_code",
            ObjectKind::SkillGroup => "skill_group",
            ObjectKind::Queue => "queue",
            ObjectKind::Agent => "agent",
            ObjectKind::Org => "org",
            ObjectKind::UtilizationLabel => "utilization_label",
            ObjectKind::RoutingSettings => "routing_settings",
        }
    }

    /// `queue["Billing EN"]`, spelled as plan addresses are.
    pub fn address(self, name: &str) -> String {
        format!("{}[{name:?}]", self.key())
    }

    /// `queue "Billing EN"`, `agent ana@example.com`.
    pub fn describe(self, name: &str) -> String {
        match self {
            ObjectKind::Skill => ResourceKind::Skill.describe(name),
            ObjectKind::Language => ResourceKind::Language.describe(name),
            ObjectKind::WrapupCode => ResourceKind::WrapupCode.describe(name),
            ObjectKind::SkillGroup => ResourceKind::SkillGroup.describe(name),
            ObjectKind::Queue => ResourceKind::Queue.describe(name),
            ObjectKind::Agent => format!("agent {name}"),
            ObjectKind::Org => "the org's settings".to_string(),
            ObjectKind::UtilizationLabel => ResourceKind::UtilizationLabel.describe(name),
            ObjectKind::RoutingSettings => ResourceKind::RoutingSettings.describe(name),
        }
    }

    /// The plural, for coverage lines.
    pub fn plural(self) -> &'static str {
        match self {
            ObjectKind::Skill => "skills",
            ObjectKind::Language => "languages",
            ObjectKind::WrapupCode => "wrap-up codes",
            ObjectKind::SkillGroup => "skill groups",
            ObjectKind::Queue => "queues",
            ObjectKind::Agent => "agents",
            ObjectKind::Org => "org settings",
            ObjectKind::UtilizationLabel => "utilization labels",
            ObjectKind::RoutingSettings => "routing settings",
        }
    }

    /// The audit service's `entityType` for the object (API-FACTS §6).
    pub fn audit_entity_type(self) -> &'static str {
        match self {
            ObjectKind::Skill => "RoutingSkill",
            ObjectKind::Language => "RoutingLanguage",
            ObjectKind::WrapupCode => "WrapupCode",
            ObjectKind::SkillGroup => "SkillGroup",
            ObjectKind::Queue => "Queue",
            ObjectKind::Agent => "User",
            // unverified: API-FACTS §6 does not list the entity type the audit service gives
            // the org's utilization; this is the simulator's.
            ObjectKind::Org => "MaxOrgRoutingUtilizationCapacity",
            // unverified: not in API-FACTS §6 either; the simulator's.
            ObjectKind::UtilizationLabel => "UtilizationLabel",
            // unverified: not in API-FACTS §6 either; the simulator's, for all three parts.
            ObjectKind::RoutingSettings => "RoutingSettings",
        }
    }

    /// The collection of this kind's objects that the manifest calls `path` (`members`,
    /// `wrapupCodes`, `skills`, `languages`): the inverse of [`ObjectKind::of`].
    pub fn collection(self, path: &str) -> Option<ResourceKind> {
        [
            ResourceKind::QueueWrapupCodes,
            ResourceKind::QueueMembers,
            ResourceKind::AgentSkills,
            ResourceKind::AgentLanguages,
        ]
        .into_iter()
        .find(|kind| ObjectKind::of(*kind) == (self, Some(path)))
    }

    /// The object kind a plan address belongs to, and the collection it names, if any
    /// (`members`, `wrapupCodes`, `skills`, `languages`, `capacity`: the manifest's keys).
    pub fn of(kind: ResourceKind) -> (ObjectKind, Option<&'static str>) {
        match kind {
            ResourceKind::Skill => (ObjectKind::Skill, None),
            ResourceKind::Language => (ObjectKind::Language, None),
            ResourceKind::WrapupCode => (ObjectKind::WrapupCode, None),
            ResourceKind::SkillGroup => (ObjectKind::SkillGroup, None),
            ResourceKind::Queue => (ObjectKind::Queue, None),
            ResourceKind::QueueWrapupCodes => (ObjectKind::Queue, Some("wrapupCodes")),
            ResourceKind::QueueMembers => (ObjectKind::Queue, Some("members")),
            ResourceKind::AgentSkills => (ObjectKind::Agent, Some("skills")),
            ResourceKind::AgentLanguages => (ObjectKind::Agent, Some("languages")),
            ResourceKind::AgentCapacity => (ObjectKind::Agent, Some("capacity")),
            ResourceKind::OrgUtilization => (ObjectKind::Org, None),
            ResourceKind::UtilizationLabel => (ObjectKind::UtilizationLabel, None),
            ResourceKind::RoutingSettings => (ObjectKind::RoutingSettings, None),
        }
    }
}

impl ObjectKind {
    /// The `--target` of the object of this kind named `name` (an agent by email).
    pub fn target(self, name: impl Into<String>) -> Target {
        let kind = match self {
            ObjectKind::Skill => TargetKind::Skill,
            ObjectKind::Language => TargetKind::Language,
            ObjectKind::WrapupCode => TargetKind::WrapupCode,
            ObjectKind::SkillGroup => TargetKind::SkillGroup,
            ObjectKind::Queue => TargetKind::Queue,
            ObjectKind::Agent => TargetKind::Agent,
            ObjectKind::Org => TargetKind::Utilization,
            ObjectKind::UtilizationLabel => TargetKind::UtilizationLabel,
            ObjectKind::RoutingSettings => TargetKind::RoutingSettings,
        };
        Target {
            kind,
            name: name.into(),
        }
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One difference of an object: an attribute (no `key`) or an element of a collection
/// (`key` set). `before` is what the manifest says, `after` what the org has; a side is
/// absent when it is unset there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftChange {
    /// The attribute's dotted path in manifest terms (`mediaSettings.call.alertingTimeoutSeconds`),
    /// or the collection's key (`members`, `wrapupCodes`, `skills`, `languages`), or an agent's
    /// capacity field (`capacity.chat.maximumCapacity`).
    pub path: String,
    /// The element: a member's email, a wrap-up code's, skill's or language's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// What happened in the org, compared with the manifest.
    pub op: ChangeOp,
    /// The manifest's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The org's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// A note from the plan (e.g. `weight 0.5 realised as ring 2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Apply cannot undo it: an element the manifest lists and the org lacks that the plan
    /// cannot add (a listed member without an account, or inactive), so only warns of. The
    /// text and Markdown reports show it without a sign; the JSON has the warning as `note`.
    #[serde(skip)]
    pub plan_cannot_add: bool,
}

/// What happened to an attribute or element, seen from the org.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    /// Its value differs.
    Changed,
    /// The org has it and the manifest does not (an element, in `authoritative` mode).
    Added,
    /// The manifest has it and the org does not.
    Removed,
}

impl ChangeOp {
    /// What apply does to an element with this difference, as a plan says it: a changed one
    /// is updated, one the org added is removed, one the org lacks is added.
    pub fn element_op(self) -> ElementOp {
        match self {
            ChangeOp::Changed => ElementOp::Update,
            ChangeOp::Added => ElementOp::Remove,
            ChangeOp::Removed => ElementOp::Add,
        }
    }

    /// The sign a plan shows for it, what apply would do: `~`, `-` (the org added it) or `+`
    /// (the org lacks it).
    pub fn symbol(self) -> &'static str {
        self.element_op().symbol()
    }
}

/// One audited change of an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// The person's name, or the OAuth client's name (its id when it has none).
    pub who: String,
    /// A person or an OAuth client.
    pub who_kind: WhoKind,
    /// The person's or client's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who_id: Option<String>,
    /// When, as the audit service gives it (ISO-8601).
    pub when: String,
    /// The audit action: `Create`, `Update`, `Delete`, `MemberAdd`, `MemberUpdate`, ...
    pub action: String,
    /// The properties the change touched, as the audit service names them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<String>,
    /// Made by the OAuth client this report was read with: switchboard's own apply (or
    /// another tool sharing its client), not a change outside git.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub own_client: bool,
}

/// Who made an audited change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhoKind {
    /// A person (in the admin UI, or an app acting for them).
    User,
    /// An OAuth client (client credentials), such as a pipeline.
    Client,
}

impl WhoKind {
    /// `user` or `client`.
    pub fn key(self) -> &'static str {
        match self {
            WhoKind::User => "user",
            WhoKind::Client => "client",
        }
    }
}

/// Whether attribution was done, and how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributionSummary {
    /// How it went.
    pub status: AttributionStatus,
    /// The audit window queried, in days back from now.
    pub window_days: u32,
    /// The one note to show when attribution is missing or incomplete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Default for AttributionSummary {
    fn default() -> Self {
        AttributionSummary {
            status: AttributionStatus::NotRequested,
            window_days: crate::attribution::WINDOW_DAYS,
            message: None,
        }
    }
}

/// How attribution went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributionStatus {
    /// Not attempted (the report was only classified).
    NotRequested,
    /// Nothing drifted that the audit trail could explain.
    NotNeeded,
    /// Every audit query answered.
    Complete,
    /// The audit API answered 403: the OAuth client lacks `audits:audit:view`.
    NotPermitted,
    /// Some audit queries failed; what answered is shown.
    Failed,
}

/// Managed ÷ (managed + unmanaged), per kind and overall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// All four kinds together.
    pub overall: Share,
    /// `skill`, `language`, `wrapup_code`, `queue`.
    pub by_kind: BTreeMap<ObjectKind, Share>,
}

/// One coverage figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// Objects in the org that the manifest declares (under their name or a `renamedFrom`).
    pub managed: usize,
    /// Objects in the org, in scope, that the manifest does not declare.
    pub unmanaged: usize,
    /// `managed / (managed + unmanaged)`, rounded to 4 decimals; `null` when both are 0.
    pub ratio: Option<f64>,
}

impl Share {
    /// The figure for these counts.
    pub fn new(managed: usize, unmanaged: usize) -> Share {
        let total = managed + unmanaged;
        #[allow(clippy::cast_precision_loss)]
        let ratio =
            (total > 0).then(|| ((managed as f64 / total as f64) * 10_000.0).round() / 10_000.0);
        Share {
            managed,
            unmanaged,
            ratio,
        }
    }

    /// `76.9 %`, or `n/a`.
    pub fn percent(&self) -> String {
        self.ratio
            .map_or_else(|| "n/a".to_string(), |r| format!("{:.1} %", r * 100.0))
    }
}
