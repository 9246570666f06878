//! The plan: every change switchboard would make, typed, sorted and self-describing, so that
//! the renderers, the plan file and apply all read the same thing.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_manifest::model::{Kind, Mode};

use crate::findings::{CapacityReport, CoverageFinding, QueueDistribution};

/// The version of the plan's JSON form (the `--format json` output and the plan file).
pub const FORMAT_VERSION: &str = "1.0";

/// What would change in one org to make it match one manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The org the plan was made against.
    pub org: PlanOrg,
    /// `sha256:<hex>` of the manifest's canonical JSON (after environment overlays).
    pub manifest_hash: String,
    /// Whether `--force` lifted the blast-radius thresholds.
    pub forced: bool,
    /// Every change, in execution order: by first wave, then kind, then name.
    pub changes: Vec<Change>,
    /// Things skipped or worth knowing that do not stop the plan (inactive users, ...).
    pub warnings: Vec<Warning>,
    /// Each weighted queue whose members change: weights, realised rings, balance accuracy.
    pub distributions: Vec<QueueDistribution>,
    /// The capacity guard's projection (`--forecast`), or `Off`.
    pub capacity: CapacityReport,
    /// Required skills the plan leaves short (`coverage`).
    pub coverage: Vec<CoverageFinding>,
}

/// Which org a plan is for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOrg {
    /// Org id.
    pub id: String,
    /// Org name.
    pub name: String,
}

/// One object (or one managed collection of an object) and what happens to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// What is changed: the kind and the name (agents by email).
    pub address: Address,
    /// Create, update, delete or replace.
    pub action: Action,
    /// The live object's id; absent for a create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The live name the object is found under when it is renamed (`renamedFrom`), or the
    /// skill it replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// How a collection is reconciled (members, queue wrap-up codes, agents' skills and
    /// languages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// Attribute-level before → after, only for attributes the manifest sets and that differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeChange>,
    /// Per-element changes of a collection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<ElementChange>,
    /// How many managed attributes (or collection elements) are already as the manifest says.
    #[serde(default)]
    pub unchanged: usize,
    /// Set when safety policy refuses the change: it stays visible but is not applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<Refusal>,
    /// `sha256:<hex>` of the live object as read (see [`crate::fingerprint`]); absent for a
    /// create. Apply re-reads the object and refuses a stale plan when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

impl Change {
    /// A change with nothing but its address and action.
    pub fn new(address: Address, action: Action) -> Change {
        Change {
            address,
            action,
            id: None,
            renamed_from: None,
            mode: None,
            attributes: Vec::new(),
            elements: Vec::new(),
            unchanged: 0,
            refused: None,
            fingerprint: None,
        }
    }

    /// The waves this change has steps in (a replace has three), in order.
    pub fn steps(&self) -> Vec<(Wave, Step)> {
        let kind = self.address.kind;
        match self.action {
            Action::Create => vec![(Wave::create_or_update(kind), Step::Create)],
            Action::Update => vec![(Wave::create_or_update(kind), Step::Update)],
            Action::Delete => vec![(Wave::delete(kind), Step::Delete)],
            Action::Replace => vec![
                (Wave::create_or_update(kind), Step::Create),
                (Wave::Assignments, Step::MoveAssignments),
                (Wave::delete(kind), Step::Delete),
            ],
        }
    }

    /// The first wave the change runs in.
    pub fn first_wave(&self) -> Wave {
        self.steps()
            .first()
            .map_or(Wave::Definitions, |(wave, _)| *wave)
    }
}

/// What a change is about: `queue "Billing EN"`, `members of queue "Billing EN"`, ...
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Address {
    /// The kind of object or collection.
    pub kind: ResourceKind,
    /// Its name; an agent's lower-case email.
    pub name: String,
}

impl Address {
    /// An address.
    pub fn new(kind: ResourceKind, name: impl Into<String>) -> Address {
        Address {
            kind,
            name: name.into(),
        }
    }
}

impl fmt::Display for Address {
    /// `queue["Billing EN"]`: the address as JSON output and `--target` spell it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{:?}]", self.kind.key(), self.name)
    }
}

/// The kinds of thing a plan changes. The order is the order of execution within a wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    /// A routing skill.
    Skill,
    /// A routing language.
    Language,
    /// An org-level wrap-up code.
    WrapupCode,
    /// A skill group.
    SkillGroup,
    /// A utilization label.
    UtilizationLabel,
    /// A queue's settings.
    Queue,
    /// A queue's wrap-up codes.
    QueueWrapupCodes,
    /// A queue's direct members.
    QueueMembers,
    /// An agent's routing skills.
    AgentSkills,
    /// An agent's routing languages.
    AgentLanguages,
    /// An agent's maximum capacity (routing utilization).
    AgentCapacity,
    /// The org's default capacity (routing utilization): one per org, named `org`.
    OrgUtilization,
    /// The org's routing settings (its three parts together): one per org, named `org`.
    RoutingSettings,
}

impl ResourceKind {
    /// The key used in addresses and JSON: `queue`, `queue_members`, ...
    pub fn key(self) -> &'static str {
        match self {
            ResourceKind::Skill => "skill",
            ResourceKind::Language => "language",
            ResourceKind::WrapupCode => "wrapup_code",
            ResourceKind::SkillGroup => "skill_group",
            ResourceKind::UtilizationLabel => "utilization_label",
            ResourceKind::Queue => "queue",
            ResourceKind::QueueWrapupCodes => "queue_wrapup_codes",
            ResourceKind::QueueMembers => "queue_members",
            ResourceKind::AgentSkills => "agent_skills",
            ResourceKind::AgentLanguages => "agent_languages",
            ResourceKind::AgentCapacity => "agent_capacity",
            ResourceKind::OrgUtilization => "org_utilization",
            ResourceKind::RoutingSettings => "routing_settings",
        }
    }

    /// How a person reads an address of this kind: `queue "Billing EN"`,
    /// `members of queue "Billing EN"`, `skills of agent ana@acme.com`.
    pub fn describe(self, name: &str) -> String {
        match self {
            ResourceKind::Skill => format!("skill {name:?}"),
            ResourceKind::Language => format!("language {name:?}"),
            ResourceKind::WrapupCode => format!("wrap-up code {name:?}"),
            ResourceKind::SkillGroup => format!("skill group {name:?}"),
            ResourceKind::UtilizationLabel => format!("utilization label {name:?}"),
            ResourceKind::Queue => format!("queue {name:?}"),
            ResourceKind::QueueWrapupCodes => format!("wrap-up codes of queue {name:?}"),
            ResourceKind::QueueMembers => format!("members of queue {name:?}"),
            ResourceKind::AgentSkills => format!("skills of agent {name}"),
            ResourceKind::AgentLanguages => format!("languages of agent {name}"),
            ResourceKind::AgentCapacity => format!("capacity of agent {name}"),
            ResourceKind::OrgUtilization => "the org's utilization".to_string(),
            ResourceKind::RoutingSettings => "the org's routing settings".to_string(),
        }
    }

    /// What one object of an object kind is called: `skill`, `wrap-up code`, `skill group`.
    /// A collection is called after its owner.
    pub fn noun(self) -> &'static str {
        match self {
            ResourceKind::Skill | ResourceKind::AgentSkills => "skill",
            ResourceKind::Language | ResourceKind::AgentLanguages => "language",
            ResourceKind::WrapupCode => "wrap-up code",
            ResourceKind::SkillGroup => "skill group",
            ResourceKind::UtilizationLabel => "utilization label",
            ResourceKind::Queue | ResourceKind::QueueWrapupCodes | ResourceKind::QueueMembers => {
                "queue"
            }
            ResourceKind::AgentCapacity => "agent",
            ResourceKind::OrgUtilization => "org utilization",
            ResourceKind::RoutingSettings => "routing settings",
        }
    }

    /// [`ResourceKind::noun`] in the plural.
    pub fn plural(self) -> String {
        format!("{}s", self.noun())
    }

    /// The manifest kind of an object (`None` for a collection).
    pub fn object_kind(self) -> Option<Kind> {
        match self {
            ResourceKind::Skill => Some(Kind::Skills),
            ResourceKind::Language => Some(Kind::Languages),
            ResourceKind::WrapupCode => Some(Kind::WrapupCodes),
            ResourceKind::SkillGroup => Some(Kind::SkillGroups),
            ResourceKind::UtilizationLabel => Some(Kind::UtilizationLabels),
            ResourceKind::Queue => Some(Kind::Queues),
            _ => None,
        }
    }

    /// The kind of the objects of a manifest kind.
    pub fn of_objects(kind: Kind) -> ResourceKind {
        match kind {
            Kind::Skills => ResourceKind::Skill,
            Kind::Languages => ResourceKind::Language,
            Kind::WrapupCodes => ResourceKind::WrapupCode,
            Kind::SkillGroups => ResourceKind::SkillGroup,
            Kind::Queues => ResourceKind::Queue,
            Kind::UtilizationLabels => ResourceKind::UtilizationLabel,
        }
    }

    /// Whether this is a collection attached to another object (changes are per element).
    pub fn is_collection(self) -> bool {
        matches!(
            self,
            ResourceKind::QueueWrapupCodes
                | ResourceKind::QueueMembers
                | ResourceKind::AgentSkills
                | ResourceKind::AgentLanguages
        )
    }

    /// Every kind, in order.
    pub const ALL: [ResourceKind; 13] = [
        ResourceKind::Skill,
        ResourceKind::Language,
        ResourceKind::WrapupCode,
        ResourceKind::SkillGroup,
        ResourceKind::UtilizationLabel,
        ResourceKind::Queue,
        ResourceKind::QueueWrapupCodes,
        ResourceKind::QueueMembers,
        ResourceKind::AgentSkills,
        ResourceKind::AgentLanguages,
        ResourceKind::AgentCapacity,
        ResourceKind::OrgUtilization,
        ResourceKind::RoutingSettings,
    ];
}

/// What happens to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// It is created.
    Create,
    /// It is changed in place (including a rename, and any collection change).
    Update,
    /// It is deleted.
    Delete,
    /// It is created under its new name, its assignments move, and the old one is deleted.
    Replace,
}

impl Action {
    /// The Terraform-style symbol: `+`, `~`, `-`, `-/+`.
    pub fn symbol(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Delete => "-",
            Action::Replace => "-/+",
        }
    }

    /// The JSON `actions` array: a replace is `["delete", "create"]`.
    pub fn actions(self) -> &'static [&'static str] {
        match self {
            Action::Create => &["create"],
            Action::Update => &["update"],
            Action::Delete => &["delete"],
            Action::Replace => &["delete", "create"],
        }
    }

    /// What the header says: `will be created`, `will be updated in-place`, ...
    pub fn verb(self) -> &'static str {
        match self {
            Action::Create => "will be created",
            Action::Update => "will be updated in-place",
            Action::Delete => "will be destroyed",
            Action::Replace => "will be replaced",
        }
    }
}

/// One managed attribute whose value changes. `path` is the manifest's spelling, e.g.
/// `mediaSettings.call.alertingTimeoutSeconds`; absent means unset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeChange {
    /// Dotted path in manifest terms.
    pub path: String,
    /// The live value; absent when unset (or on a create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The manifest's value; absent on a delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

impl AttributeChange {
    /// Whether the values are long or nested enough to show as a line diff rather than
    /// `before → after` (arrays, objects, multi-line or long strings).
    pub fn is_long(&self) -> bool {
        let long = |value: &Option<Value>| match value {
            Some(Value::Array(_) | Value::Object(_)) => true,
            Some(Value::String(s)) => s.contains('\n') || s.chars().count() > 60,
            _ => false,
        };
        long(&self.before) || long(&self.after)
    }
}

/// One element of a collection: a member, a queue's wrap-up code, an agent's skill or language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementChange {
    /// Add, update or remove.
    pub op: ElementOp,
    /// The element's key: a member's email, a code's, skill's or language's name.
    pub key: String,
    /// The element's live id (the user, code, skill or language), when it exists already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The element's value: a member's ring, a skill's proficiency; absent for codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value the manifest asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// Why, when it is not obvious (e.g. `moved from skill "Billing"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What happens to one element of a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementOp {
    /// Added.
    Add,
    /// Its value changes.
    Update,
    /// Removed (only in `authoritative` mode).
    Remove,
}

impl ElementOp {
    /// `+`, `~` or `-`.
    pub fn symbol(self) -> &'static str {
        match self {
            ElementOp::Add => "+",
            ElementOp::Update => "~",
            ElementOp::Remove => "-",
        }
    }
}

/// Why safety policy refused a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The rule that refused it.
    pub reason: RefusalReason,
    /// A sentence saying why and what to do.
    pub message: String,
}

/// The safety rules that can refuse a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// The object is listed under `protect`.
    Protected,
    /// Too many objects of one kind would be updated or deleted.
    BlastRadius,
    /// It needs an object whose own change is refused.
    Dependency,
    /// It would push a queue's projected saturation above `capacity.maxSaturation`.
    Capacity,
    /// It would leave a queue short of a required skill (`coverage.enforce`).
    Coverage,
    /// The org spells a skill or language otherwise than the manifest (the same name by the
    /// name rule), and the API cannot rename either.
    CannotRename,
    /// Other objects of the org still use it (a skill group a queue names as a member
    /// group): deleting it would change them without the plan showing it.
    InUse,
}

/// Something the plan skipped or wants a reader to know; never a failure of the plan
/// (`--strict` makes every warning one).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Warning {
    /// What it is about, e.g. `members of queue "Billing EN"`.
    pub subject: String,
    /// What happened.
    pub message: String,
    /// Set when the warning is about an element the manifest lists that the org lacks and
    /// the plan cannot add (a listed member without an account, or inactive): the org does
    /// not match the manifest, so drift reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingElement>,
}

impl Warning {
    /// A warning about `subject`.
    pub fn new(subject: impl Into<String>, message: impl Into<String>) -> Warning {
        Warning {
            subject: subject.into(),
            message: message.into(),
            missing: None,
        }
    }
}

/// An element a collection of the manifest lists, absent from the org.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MissingElement {
    /// The collection, e.g. `members of queue "Billing EN"`.
    pub address: Address,
    /// The element, e.g. the member's email.
    pub key: String,
}

/// The counts of a plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Creates (a replace counts as one add and one destroy).
    pub add: usize,
    /// Updates.
    pub change: usize,
    /// Deletes.
    pub destroy: usize,
    /// Changes refused by safety policy (not counted above).
    pub refused: usize,
    /// Warnings.
    pub warnings: usize,
}

/// The dependency waves, in execution order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wave {
    /// Creates and updates of skills, languages, wrap-up codes and utilization labels, and
    /// the org's routing settings.
    Definitions,
    /// Creates and updates of skill groups (their conditions name skills and languages).
    SkillGroups,
    /// Creates and updates of queues.
    Queues,
    /// Queue wrap-up codes, members, agents' skills, languages and capacity, the org's
    /// utilization (after the labels it names), and a replaced skill's assignments.
    Assignments,
    /// Deletes of queues.
    QueueDeletes,
    /// Deletes of skill groups (after the queues that may name them).
    SkillGroupDeletes,
    /// Deletes of skills, languages and wrap-up codes.
    DefinitionDeletes,
}

impl Wave {
    /// Every wave, in order.
    pub const ALL: [Wave; 7] = [
        Wave::Definitions,
        Wave::SkillGroups,
        Wave::Queues,
        Wave::Assignments,
        Wave::QueueDeletes,
        Wave::SkillGroupDeletes,
        Wave::DefinitionDeletes,
    ];

    /// The wave that creates or updates objects of `kind`.
    pub fn create_or_update(kind: ResourceKind) -> Wave {
        match kind {
            ResourceKind::Skill
            | ResourceKind::Language
            | ResourceKind::WrapupCode
            | ResourceKind::UtilizationLabel
            | ResourceKind::RoutingSettings => Wave::Definitions,
            ResourceKind::SkillGroup => Wave::SkillGroups,
            ResourceKind::Queue => Wave::Queues,
            _ => Wave::Assignments,
        }
    }

    /// The wave that deletes objects of `kind` (deletes run in reverse dependency order).
    pub fn delete(kind: ResourceKind) -> Wave {
        match kind {
            ResourceKind::Queue => Wave::QueueDeletes,
            ResourceKind::SkillGroup => Wave::SkillGroupDeletes,
            ResourceKind::Skill
            | ResourceKind::Language
            | ResourceKind::WrapupCode
            | ResourceKind::UtilizationLabel => Wave::DefinitionDeletes,
            _ => Wave::Assignments,
        }
    }

    /// Its number, from 1.
    pub fn number(self) -> usize {
        match self {
            Wave::Definitions => 1,
            Wave::SkillGroups => 2,
            Wave::Queues => 3,
            Wave::Assignments => 4,
            Wave::QueueDeletes => 5,
            Wave::SkillGroupDeletes => 6,
            Wave::DefinitionDeletes => 7,
        }
    }

    /// A short description.
    pub fn describe(self) -> &'static str {
        match self {
            Wave::Definitions => "create and update skills, languages and wrap-up codes",
            Wave::SkillGroups => "create and update skill groups",
            Wave::Queues => "create and update queues",
            Wave::Assignments => {
                "queue wrap-up codes, queue members, agents' skills, languages and capacity"
            }
            Wave::QueueDeletes => "delete queues",
            Wave::SkillGroupDeletes => "delete skill groups",
            Wave::DefinitionDeletes => "delete skills, languages and wrap-up codes",
        }
    }
}

/// One step of a change inside a wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Create the object.
    Create,
    /// Update it (or its collection).
    Update,
    /// Move a replaced skill's assignments to the new skill.
    MoveAssignments,
    /// Delete the object.
    Delete,
}

impl Step {
    /// The step's name, as plan files and the audit log write it (its serde name).
    pub fn name(self) -> &'static str {
        match self {
            Step::Create => "create",
            Step::Update => "update",
            Step::MoveAssignments => "move_assignments",
            Step::Delete => "delete",
        }
    }
}

impl Plan {
    /// Whether nothing would be done (refused changes do nothing either).
    pub fn is_empty(&self) -> bool {
        self.changes.iter().all(|c| c.refused.is_some())
    }

    /// The changes that would run (not refused).
    pub fn runnable(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.refused.is_none())
    }

    /// The changes safety policy refused.
    pub fn refused(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.refused.is_some())
    }

    /// The counts, Terraform style: a replace is one add and one destroy.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            warnings: self.warnings.len(),
            ..Summary::default()
        };
        for change in &self.changes {
            if change.refused.is_some() {
                summary.refused += 1;
                continue;
            }
            match change.action {
                Action::Create => summary.add += 1,
                Action::Update => summary.change += 1,
                Action::Delete => summary.destroy += 1,
                Action::Replace => {
                    summary.add += 1;
                    summary.destroy += 1;
                }
            }
        }
        summary
    }

    /// The runnable changes' steps, grouped by wave in execution order (empty waves left out).
    pub fn waves(&self) -> Vec<(Wave, Vec<(&Change, Step)>)> {
        Wave::ALL
            .iter()
            .map(|wave| {
                let steps: Vec<(&Change, Step)> = self
                    .runnable()
                    .flat_map(|change| {
                        change
                            .steps()
                            .into_iter()
                            .filter(|(w, _)| w == wave)
                            .map(move |(_, step)| (change, step))
                    })
                    .collect();
                (*wave, steps)
            })
            .filter(|(_, steps)| !steps.is_empty())
            .collect()
    }

    /// Whether any runnable change deletes an object or removes an element.
    pub fn has_deletions(&self) -> bool {
        self.runnable().any(|c| {
            matches!(c.action, Action::Delete | Action::Replace)
                || c.elements.iter().any(|e| e.op == ElementOp::Remove)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Step;

    #[test]
    fn a_steps_name_is_its_serde_name() {
        for step in [
            Step::Create,
            Step::Update,
            Step::MoveAssignments,
            Step::Delete,
        ] {
            assert_eq!(serde_json::to_value(step).unwrap(), step.name());
        }
    }
}
