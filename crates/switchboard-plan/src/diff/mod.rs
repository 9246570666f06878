//! `diff(&Manifest, &Live, &Policy) -> Plan`: the whole comparison, pure.
//!
//! Order of work: the org guard; the named objects (skills, languages, wrap-up codes,
//! queues: creates, updates, renames, skill replaces, prunes); the collections (queue
//! wrap-up codes, members, agents' skills and languages); agents' capacity; then safety (protect, blast
//! radius) and `--target`; finally everything is sorted.

mod capacity;
mod collections;
mod labels;
mod objects;
mod references;
mod routing_settings;
mod safety;
mod skill_groups;
mod translate;
mod view;
mod weights;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use switchboard_manifest::live::LiveUser;
use switchboard_manifest::model::{ALL_DIVISIONS, Kind};
use switchboard_manifest::names::{NameIndex, find_declared};
use switchboard_manifest::{Live, Manifest};

pub use capacity::{AGENT_LEVEL, ORG, ORGANIZATION_LEVEL, updated_capacity};
pub use references::ReferenceProblem;
pub use routing_settings::{changed_settings, part_of, updated_settings};
pub use skill_groups::{normalized as skill_conditions, rename_condition_names};
pub use view::{LiveNames, SCALAR_QUEUE_SETTINGS, queue_settings};

use crate::findings::CapacityReport;
use crate::fingerprint;
use crate::model::{Address, Change, Plan, PlanOrg, Warning};
use crate::policy::Policy;

/// Why no plan can be made at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The manifest's org guard does not match the org the credentials belong to.
    #[error(
        "refusing to plan: the manifest is for org {expected}, but the credentials belong to org {actual:?} ({actual_id}): {differs}\nhint: check GENESYS_REGION and the client credentials, or the manifest's `org` (with --env, the environment's overlay)"
    )]
    OrgMismatch {
        /// Which of the guard's fields differ, e.g. `the ids differ (the names match)`.
        differs: String,
        /// What the manifest's `org` says.
        expected: String,
        /// The live org's name.
        actual: String,
        /// The live org's id.
        actual_id: String,
    },
    /// A name the manifest gives matches several objects of the org by switchboard's name
    /// rule (trimmed, case folded), none spelt exactly as the manifest spells it.
    #[error(
        "{object} is ambiguous: the org has {spellings} — the same name by switchboard's name rule (case and surrounding spaces do not count)\nhint: rename all but one of them in Genesys Cloud, or spell the name in the manifest exactly as the one to manage"
    )]
    AmbiguousName {
        /// Which object, e.g. `queue "Billing EN"`.
        object: String,
        /// The org's spellings, quoted and joined.
        spellings: String,
    },
    /// The read does not show enough to justify a removal or delete the manifest calls for:
    /// nothing is planned rather than a guess.
    #[error(
        "refusing to plan: the org's answers do not show enough to decide safely:\n{}\nhint: nothing was changed; run the command again (the org may have changed while it was read), and if it persists, fix what each line names",
        .problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n")
    )]
    Unjustified {
        /// One line per decision that could not be made, naming the object and what is
        /// missing.
        problems: Vec<String>,
    },
    /// References the org does not resolve (flows, prompts, groups by a name that finds
    /// nothing or several objects).
    #[error(
        "refusing to plan: {} the manifest makes cannot be resolved in the org:\n{}",
        if .problems.len() == 1 { "a reference".to_string() } else { format!("{} references", .problems.len()) },
        .problems.iter().map(|p| format!("  - {}\n    hint: {}", p.message, p.hint)).collect::<Vec<_>>().join("\n")
    )]
    UnresolvedReferences {
        /// One per reference, each with where it is in the manifest.
        problems: Vec<ReferenceProblem>,
    },
    /// The manifest names a division the org does not have.
    #[error(
        "{object} names division {division:?}, which the org does not have\nhint: the org's divisions are: {known}"
    )]
    UnknownDivision {
        /// Which object, e.g. `queue "Billing EN"`.
        object: String,
        /// The division's name.
        division: String,
        /// The divisions the org has.
        known: String,
    },
}

/// Compares `manifest` with `live` under `policy`.
///
/// Returns an error only when no plan can be shown at all (the org guard, an unknown
/// division). Everything else — inactive or unknown users, refused changes — is part of
/// the plan.
pub fn diff(manifest: &Manifest, live: &Live, policy: &Policy) -> Result<Plan, PlanError> {
    org_guard(manifest, live)?;
    let resolution = references::resolve(manifest, live)
        .map_err(|problems| PlanError::UnresolvedReferences { problems })?;
    let mut cx = Cx::new(manifest, live, policy);
    cx.references = resolution;
    objects::plan(&mut cx)?;
    collections::plan(&mut cx);
    capacity::plan(&mut cx);
    capacity::org(&mut cx);
    routing_settings::plan(&mut cx);
    collections::reconcile_moves(&mut cx.changes);
    safety::unmatched_protect(&mut cx);
    let Cx {
        mut changes,
        warnings,
        mut distributions,
        unjustified,
        ..
    } = cx;
    if !unjustified.is_empty() {
        return Err(PlanError::Unjustified {
            problems: unjustified,
        });
    }
    changes.retain(|c| policy.targets(&c.address));
    distributions.retain(|d| {
        policy.targets(&crate::model::Address::new(
            crate::model::ResourceKind::QueueMembers,
            d.queue.clone(),
        ))
    });
    distributions.sort_by(|a, b| a.queue.cmp(&b.queue));
    safety::apply(manifest, live, policy, &mut changes);
    changes.sort_by(|a, b| (a.first_wave(), &a.address).cmp(&(b.first_wave(), &b.address)));
    let warnings: BTreeSet<Warning> = warnings.into_iter().collect();
    Ok(Plan {
        org: PlanOrg {
            id: live.org.id.clone(),
            name: live.org.name.clone(),
        },
        manifest_hash: fingerprint::of(manifest),
        forced: policy.force,
        changes,
        warnings: warnings.into_iter().collect(),
        distributions,
        capacity: CapacityReport::Off,
        coverage: Vec::new(),
    })
}

fn org_guard(manifest: &Manifest, live: &Live) -> Result<(), PlanError> {
    let guard = &manifest.org;
    let id_ok = guard
        .id
        .as_ref()
        .is_none_or(|id| id.eq_ignore_ascii_case(&live.org.id));
    let name_ok = guard
        .name
        .as_ref()
        .is_none_or(|name| *name == live.org.name);
    if id_ok && name_ok {
        return Ok(());
    }
    let differs = match (&guard.name, &guard.id, name_ok, id_ok) {
        (Some(_), Some(_), true, false) => "the ids differ (the names match)",
        (Some(_), Some(_), false, true) => "the names differ (the ids match)",
        (Some(_), Some(_), _, _) => "the names and the ids differ",
        (_, _, false, _) => "the names differ",
        _ => "the ids differ",
    }
    .to_string();
    let expected = match (&guard.name, &guard.id) {
        (Some(name), Some(id)) => format!("{name:?} ({id})"),
        (Some(name), None) => format!("{name:?}"),
        (None, Some(id)) => id.clone(),
        (None, None) => "(none)".into(),
    };
    Err(PlanError::OrgMismatch {
        differs,
        expected,
        actual: live.org.name.clone(),
        actual_id: live.org.id.clone(),
    })
}

/// The live names of each kind, indexed by the name rule (`switchboard_manifest::names`).
#[derive(Debug, Default)]
pub(crate) struct Indexes {
    skills: NameIndex,
    languages: NameIndex,
    wrapup_codes: NameIndex,
    skill_groups: NameIndex,
    queues: NameIndex,
    utilization_labels: NameIndex,
}

impl Indexes {
    fn new(live: &Live) -> Indexes {
        Indexes {
            skills: NameIndex::new(live.names(Kind::Skills)),
            languages: NameIndex::new(live.names(Kind::Languages)),
            wrapup_codes: NameIndex::new(live.names(Kind::WrapupCodes)),
            skill_groups: NameIndex::new(live.names(Kind::SkillGroups)),
            queues: NameIndex::new(live.names(Kind::Queues)),
            utilization_labels: NameIndex::new(live.names(Kind::UtilizationLabels)),
        }
    }

    /// The index of an object kind (collections use their owner's).
    pub fn of(&self, kind: crate::model::ResourceKind) -> &NameIndex {
        use crate::model::ResourceKind as K;
        match kind {
            // An agent's capacity and the org's settings name no object: any index does.
            K::Skill
            | K::AgentSkills
            | K::AgentCapacity
            | K::OrgUtilization
            | K::RoutingSettings => &self.skills,
            K::Language | K::AgentLanguages => &self.languages,
            K::WrapupCode | K::QueueWrapupCodes => &self.wrapup_codes,
            K::SkillGroup => &self.skill_groups,
            K::UtilizationLabel => &self.utilization_labels,
            K::Queue | K::QueueMembers => &self.queues,
        }
    }
}

/// The live users, found by lower-case email or by id.
pub(crate) struct UserIndex<'a> {
    by_email: HashMap<&'a str, &'a LiveUser>,
    email_by_id: HashMap<&'a str, &'a str>,
}

impl<'a> UserIndex<'a> {
    fn new(live: &'a Live) -> Self {
        UserIndex {
            by_email: live.users.iter().map(|(e, u)| (e.as_str(), u)).collect(),
            email_by_id: live
                .users
                .iter()
                .map(|(e, u)| (u.id.as_str(), e.as_str()))
                .collect(),
        }
    }

    /// The user with `email` (lower case).
    pub fn get(&self, email: &str) -> Option<&'a LiveUser> {
        self.by_email.get(email).copied()
    }

    /// The lower-case email of the user with `id`.
    pub fn email_of(&self, id: &str) -> Option<&'a str> {
        self.email_by_id.get(id).copied()
    }
}

/// What the diff builds up, and the name resolution every part shares.
pub(crate) struct Cx<'a> {
    pub manifest: &'a Manifest,
    pub live: &'a Live,
    /// The policy: with `--target`, collections outside the targets are not compared at
    /// all, so their unread members or users raise no warnings.
    pub policy: &'a Policy,
    pub changes: Vec<Change>,
    pub warnings: Vec<Warning>,
    /// The weighted queues whose members change.
    pub distributions: Vec<crate::findings::QueueDistribution>,
    /// Manifest queue name → the live queue name it is found under (itself or a former name).
    pub queue_found_as: BTreeMap<String, String>,
    /// Manifest wrap-up code name → the live code name it is found under.
    pub code_found_as: BTreeMap<String, String>,
    /// Live skill id → the manifest skill name it counts as (a replaced skill's old id counts
    /// as the new name, so agents' diffs do not repeat the replace's moves).
    pub skill_names: BTreeMap<String, String>,
    /// Live language id → name.
    pub language_names: BTreeMap<String, String>,
    /// Live wrap-up code id → the manifest name it counts as.
    pub code_names: BTreeMap<String, String>,
    /// The live users by lower-case email and by id, hashed: the diff of a large org looks
    /// up tens of thousands of members and agents.
    pub users: UserIndex<'a>,
    /// Live skill id → the manifest's spelling, for skills found under another spelling
    /// (`names`): a queue's bullseye rings name them as the manifest does.
    pub skill_spelling: BTreeMap<String, String>,
    /// The live names of each kind, found by the name rule.
    pub index: Indexes,
    /// Decisions the read could not justify (see [`PlanError::Unjustified`]).
    pub unjustified: Vec<String>,
    /// Manifest names of skills being created (or replaced), languages and codes being
    /// created: references to them are fine although the org lacks them yet.
    pub creating: BTreeSet<(crate::model::ResourceKind, String)>,
    /// The manifest's references to flows, prompts and groups, resolved.
    pub references: references::Resolution,
}

impl<'a> Cx<'a> {
    fn new(manifest: &'a Manifest, live: &'a Live, policy: &'a Policy) -> Self {
        let invert = |pairs: Vec<(&String, &String)>| -> BTreeMap<String, String> {
            pairs
                .into_iter()
                .map(|(name, id)| (id.clone(), name.clone()))
                .collect()
        };
        Cx {
            manifest,
            live,
            policy,
            changes: Vec::new(),
            warnings: Vec::new(),
            distributions: Vec::new(),
            queue_found_as: BTreeMap::new(),
            code_found_as: BTreeMap::new(),
            skill_names: invert(live.skills.iter().map(|(n, s)| (n, &s.id)).collect()),
            language_names: invert(live.languages.iter().map(|(n, l)| (n, &l.id)).collect()),
            code_names: invert(live.wrapup_codes.iter().map(|(n, c)| (n, &c.id)).collect()),
            users: UserIndex::new(live),
            creating: BTreeSet::new(),
            skill_spelling: BTreeMap::new(),
            index: Indexes::new(live),
            unjustified: Vec::new(),
            references: references::Resolution::default(),
        }
    }

    /// A decision the read does not justify: the plan is refused.
    pub fn unjustified(&mut self, subject: &str, problem: impl Into<String>) {
        self.unjustified
            .push(format!("{subject}: {}", problem.into()));
    }

    /// The live name the manifest's `name` (formerly `former`) of `kind` is found under, by
    /// the name rule; an ambiguous name is an error.
    pub fn find_declared(
        &self,
        kind: crate::model::ResourceKind,
        name: &str,
        former: &[String],
    ) -> Result<Option<&str>, PlanError> {
        find_declared(self.index.of(kind), name, former).map_err(|spellings| {
            PlanError::AmbiguousName {
                object: kind.describe(name),
                spellings: spellings
                    .iter()
                    .map(|s| format!("{s:?}"))
                    .collect::<Vec<_>>()
                    .join(" and "),
            }
        })
    }

    pub fn warn(&mut self, subject: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning::new(subject, message));
    }

    /// A warning that `key`, listed in the collection at `address`, is absent from the org
    /// and cannot be added: drift reports it.
    pub fn warn_missing(&mut self, address: Address, key: &str, message: impl Into<String>) {
        let mut warning = Warning::new(address.kind.describe(&address.name), message);
        warning.missing = Some(crate::model::MissingElement {
            address,
            key: key.to_string(),
        });
        self.warnings.push(warning);
    }

    /// The fingerprint of the live object behind `address`, found under `live_name`.
    pub fn fingerprint(&self, address: &Address, live_name: &str) -> Option<String> {
        fingerprint::of_live(self.live, address, live_name)
    }

    /// A division's name → id, or the error naming the object.
    pub fn division_id(&self, object: &str, division: &str) -> Result<&'a str, PlanError> {
        // Every division: the API's id is the same `*`.
        if division == ALL_DIVISIONS {
            return Ok(ALL_DIVISIONS);
        }
        self.live
            .divisions
            .get(division)
            .map(|d| d.id.as_str())
            .ok_or_else(|| PlanError::UnknownDivision {
                object: object.into(),
                division: division.into(),
                known: self
                    .live
                    .divisions
                    .keys()
                    .map(|k| format!("{k:?}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// A division id → its name (the id itself when the org does not list it).
    pub fn division_name(&self, id: &str) -> String {
        self.live
            .divisions
            .iter()
            .find(|(_, d)| d.id == id)
            .map_or_else(|| id.to_string(), |(name, _)| name.clone())
    }
}
