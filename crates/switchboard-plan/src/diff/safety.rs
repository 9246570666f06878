//! Safety decided at plan time: `scope` (which live objects pruning may consider),
//! `protect` (never deleted), and blast-radius thresholds (octoDNS style: refuse updates,
//! or deletes, of more than 30 % of a kind once the org has at least 10 of it, unless
//! `--force`). Refused changes stay in the plan, marked, and are never applied.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;
use switchboard_manifest::model::Kind;
use switchboard_manifest::{Live, Manifest};

use switchboard_manifest::names::same_name;

use super::Cx;
use crate::model::{Action, Change, Refusal, RefusalReason, ResourceKind};
use crate::policy::Policy;

/// The manifest's `scope`, resolved once: division ids and compiled name patterns.
pub(super) struct ScopeFilter {
    /// Division ids in scope; `None` when the scope names no divisions.
    divisions: Option<BTreeSet<String>>,
    /// A pattern per kind; `None` for a pattern that does not compile (validation reports
    /// it), which matches nothing, so nothing is pruned by mistake.
    names: BTreeMap<Kind, Option<Regex>>,
}

impl ScopeFilter {
    /// The scope of `manifest` in the org `live`. No scope means everything.
    pub(super) fn new(manifest: &Manifest, live: &Live) -> ScopeFilter {
        let Some(scope) = &manifest.scope else {
            return ScopeFilter {
                divisions: None,
                names: BTreeMap::new(),
            };
        };
        let divisions = (!scope.divisions.is_empty()).then(|| {
            scope
                .divisions
                .iter()
                .filter_map(|d| live.divisions.get(d))
                .map(|d| d.id.clone())
                .collect()
        });
        let names = scope
            .names
            .iter()
            .map(|(kind, pattern)| (*kind, Regex::new(pattern).ok()))
            .collect();
        ScopeFilter { divisions, names }
    }

    /// Whether the live object `name` of `kind` (in `division`, an id) is inside the scope.
    /// Languages have no division and are inside any division scope. Any other object whose
    /// division the read did not give is outside a division scope: scope fails closed, so an
    /// object of another division is never pruned because its answer left the division out.
    pub(super) fn contains(&self, kind: Kind, name: &str, division: Option<&str>) -> bool {
        if let Some(divisions) = &self.divisions {
            let inside = match division {
                Some(division) => divisions.contains(division),
                // Languages and utilization labels have no division: org-wide.
                None => matches!(kind, Kind::Languages | Kind::UtilizationLabels),
            };
            if !inside {
                return false;
            }
        }
        match self.names.get(&kind) {
            Some(pattern) => pattern.as_ref().is_some_and(|re| re.is_match(name)),
            None => true,
        }
    }
}

/// Marks the changes safety refuses.
pub(super) fn apply(manifest: &Manifest, live: &Live, policy: &Policy, changes: &mut [Change]) {
    protect(manifest, changes);
    if !policy.force {
        blast_radius(live, policy, changes);
    }
    dependents_of_refused_skills(changes);
}

/// A refused skill create or replace means the skill will not exist: changes that need it
/// (an agent given it, a bullseye ring removing it, a skill group's condition) are refused
/// too, rather than fail at apply time.
fn dependents_of_refused_skills(changes: &mut [Change]) {
    let missing: BTreeSet<String> = changes
        .iter()
        .filter(|c| c.address.kind == ResourceKind::Skill && c.refused.is_some())
        .filter(|c| matches!(c.action, Action::Create | Action::Replace))
        .map(|c| c.address.name.clone())
        .collect();
    if missing.is_empty() {
        return;
    }
    for change in changes.iter_mut().filter(|c| c.refused.is_none()) {
        let needs = |name: &String| match change.address.kind {
            ResourceKind::AgentSkills => change
                .elements
                .iter()
                .any(|e| &e.key == name && e.op != crate::model::ElementOp::Remove),
            ResourceKind::Queue => change.attributes.iter().any(|a| {
                let rings = match (a.path.as_str(), &a.after) {
                    ("bullseye.rings", Some(rings)) => Some(rings),
                    ("bullseye", Some(bullseye)) => bullseye.get("rings"),
                    _ => None,
                };
                rings
                    .and_then(serde_json::Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|ring| ring.get("skillsToRemove")?.as_array())
                    .flatten()
                    .any(|skill| skill.as_str() == Some(name.as_str()))
            }),
            ResourceKind::SkillGroup => change
                .attributes
                .iter()
                .filter(|a| a.path == "skillConditions")
                .filter_map(|a| a.after.as_ref())
                .any(|conditions| names_skill(conditions, name)),
            _ => false,
        };
        if let Some(name) = missing.iter().find(|name| needs(name)) {
            change.refused = Some(Refusal {
                reason: RefusalReason::Dependency,
                message: format!(
                    "it needs skill {name:?}, whose change is refused; it is planned again once that skill exists"
                ),
            });
        }
    }
}

/// Whether skill group conditions (API JSON) name the skill `name`, at any depth.
fn names_skill(conditions: &serde_json::Value, name: &str) -> bool {
    let mut named = false;
    let _: Result<(), ()> =
        super::skill_groups::rename_condition_names(&mut conditions.clone(), |key, found| {
            named |= key == "routingSkill" && found == name;
            Ok(found.to_string())
        });
    named
}

/// The `protect` entries as (kind, name): `queue:Billing EN` → (`queue`, `Billing EN`).
fn protect_entries(manifest: &Manifest) -> Vec<(&str, &str, &str)> {
    manifest
        .protect
        .iter()
        .filter_map(|entry| {
            let (kind, name) = entry.split_once(':')?;
            Some((entry.as_str(), kind, name))
        })
        .collect()
}

fn protect(manifest: &Manifest, changes: &mut [Change]) {
    let protected = protect_entries(manifest);
    for change in changes.iter_mut() {
        if !matches!(change.action, Action::Delete | Action::Replace) {
            continue;
        }
        let Some(kind) = change.address.kind.object_kind() else {
            continue;
        };
        // A replace deletes the old skill, which is the one protect would name.
        let deleted = change
            .renamed_from
            .as_deref()
            .unwrap_or(&change.address.name);
        let entry = protected
            .iter()
            .find(|(_, k, name)| *k == kind.singular() && same_name(name, deleted));
        if let Some((entry, _, _)) = entry {
            change.refused = Some(Refusal {
                reason: RefusalReason::Protected,
                message: format!(
                    "{} is protected (`protect: {entry}`) and is never deleted; remove it from `protect` to allow this",
                    change.address.kind.describe(deleted)
                ),
            });
        }
    }
}

/// Warns of each `protect` entry that names no object of its kind, in the org or in the
/// manifest, by the name rule: a misspelt entry protects nothing.
pub(super) fn unmatched_protect(cx: &mut Cx<'_>) {
    let manifest = cx.manifest;
    for (entry, kind, name) in protect_entries(manifest) {
        let Some(kind) = Kind::ALL.into_iter().find(|k| k.singular() == kind) else {
            continue;
        };
        let resource = ResourceKind::of_objects(kind);
        let declared = manifest.names(kind).into_iter().any(|n| same_name(n, name));
        if !declared && !cx.index.of(resource).contains(name) {
            let noun = resource.noun();
            cx.warn(
                "protect",
                format!(
                    "`{entry}` matches no {noun} in the org or the manifest, so it protects nothing (names compare without case and surrounding spaces)"
                ),
            );
        }
    }
}

fn blast_radius(live: &Live, policy: &Policy, changes: &mut [Change]) {
    for kind in [
        ResourceKind::Skill,
        ResourceKind::Language,
        ResourceKind::WrapupCode,
        ResourceKind::SkillGroup,
        ResourceKind::Queue,
    ] {
        let total = match kind {
            ResourceKind::Skill => live.skills.len(),
            ResourceKind::Language => live.languages.len(),
            ResourceKind::WrapupCode => live.wrapup_codes.len(),
            ResourceKind::SkillGroup => live.skill_groups.len(),
            _ => live.queues.len(),
        };
        if total < policy.min_objects {
            continue;
        }
        for (verb, deleting) in [("updated", false), ("deleted", true)] {
            let counts = |c: &Change| {
                c.address.kind == kind
                    && c.refused.is_none()
                    && match c.action {
                        Action::Update => !deleting,
                        Action::Delete | Action::Replace => deleting,
                        Action::Create => false,
                    }
            };
            let count = changes.iter().filter(|c| counts(c)).count();
            #[allow(clippy::cast_precision_loss)]
            let share = count as f64 / total as f64;
            if share <= policy.max_change_share {
                continue;
            }
            let plural = kind.plural();
            let message = format!(
                "{count} of the org's {total} {plural} ({:.0} %) would be {verb}, over the {:.0} % blast-radius limit; review the plan and re-run with --force if it is intended",
                share * 100.0,
                policy.max_change_share * 100.0
            );
            for change in changes.iter_mut().filter(|c| counts(c)) {
                change.refused = Some(Refusal {
                    reason: RefusalReason::BlastRadius,
                    message: message.clone(),
                });
            }
        }
    }
}
