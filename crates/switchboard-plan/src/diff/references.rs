//! The manifest's references to objects it does not manage (flows, prompts, groups; see
//! `switchboard_manifest::references`), resolved against what the lookups found
//! (`Live::references`) by the one name rule. A name that finds nothing, or more than one
//! object, stops the plan with one located problem per reference: nothing is planned on a
//! guess about which object was meant.

use std::collections::BTreeMap;
use std::fmt;

use switchboard_manifest::live::{Referent, find_referent};
use switchboard_manifest::names::{NameIndex, closest, find_declared, name_key, same_name};
use switchboard_manifest::references::{Reference, ReferenceKind, named_in_queues, references};
use switchboard_manifest::{Live, Manifest};

/// A reference the org does not resolve: where it is, what is wrong, what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceProblem {
    /// Where the reference is in the merged manifest (a JSON pointer), for locating it.
    pub pointer: String,
    /// What is wrong, naming the queue, the kind and the name.
    pub message: String,
    /// What to do: the name it may have meant, or how to find the right one.
    pub hint: String,
}

impl fmt::Display for ReferenceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.hint)
    }
}

/// The manifest's references resolved.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resolution {
    /// `(kind, id)` of each object a reference by name found → the manifest's spelling of its
    /// name (the first, where several references spell one object otherwise).
    pub spelling: BTreeMap<(ReferenceKind, String), String>,
    /// `(kind, name by the rule)` → the id it found.
    found: BTreeMap<(ReferenceKind, String), String>,
}

impl Resolution {
    /// The one spelling the plan uses for the object the manifest names `name` of `kind`,
    /// however this reference spells it.
    pub fn spelling_of(&self, kind: ReferenceKind, name: &str) -> Option<&str> {
        let id = self.found.get(&(kind, name_key(name)))?;
        self.spelling.get(&(kind, id.clone())).map(String::as_str)
    }
}

/// Resolves every reference of `manifest` against `live`.
pub(crate) fn resolve(
    manifest: &Manifest,
    live: &Live,
) -> Result<Resolution, Vec<ReferenceProblem>> {
    let mut resolution = Resolution::default();
    let mut problems = Vec::new();
    for reference in references(manifest) {
        match resolve_one(manifest, live, &reference) {
            Ok(Some(id)) => {
                if let Some(name) = reference.name {
                    resolution
                        .found
                        .insert((reference.kind, name_key(name)), id.clone());
                    resolution
                        .spelling
                        .entry((reference.kind, id))
                        .or_insert_with(|| name.to_string());
                }
            }
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(resolution)
    } else {
        Err(problems)
    }
}

/// The id `reference` resolves to (`None` for a reference by id alone, which the API checks
/// when it is written, and for a skill group this plan creates), or the problem.
fn resolve_one(
    manifest: &Manifest,
    live: &Live,
    reference: &Reference<'_>,
) -> Result<Option<String>, ReferenceProblem> {
    let kind = reference.kind;
    // A skill group the manifest manages is found as the plan finds it (under its name or a
    // former one), or is created by the plan before the queues that name it.
    if kind == ReferenceKind::SkillGroup
        && let Some(name) = reference.name
        && let Some(group) = manifest
            .skill_groups
            .iter()
            .find(|g| same_name(&g.name, name))
    {
        let index = NameIndex::new(live.skill_groups.keys().map(String::as_str));
        return Ok(find_declared(&index, &group.name, &group.renamed_from)
            .ok()
            .flatten()
            .and_then(|live_name| live.skill_groups.get(live_name))
            .map(|found| found.id.clone()));
    }
    let subject = format!("queue {:?}", reference.queue);
    let problem = |message: String, hint: String| ReferenceProblem {
        pointer: reference.pointer.clone(),
        message,
        hint,
    };
    let Some(name) = reference.name else {
        let Some(id) = reference.id else {
            return Ok(None);
        };
        // An id alone: where the lookup lists the kind whole, it must be there.
        return match live.references.get(&kind) {
            Some(found) if kind.listed_whole() && !found.iter().any(|r| r.id == id) => {
                Err(problem(
                    format!("{subject} names {kind} id {id:?}, which the org does not have"),
                    format!("check the id, or give the {kind}'s `name` instead"),
                ))
            }
            _ => Ok(Some(id.to_string())),
        };
    };
    // A kind not looked up (a read made without a manifest, as export's) is known only by
    // what the queues as read point at.
    let used;
    let found = match live.references.get(&kind) {
        Some(found) => find_referent(found, name),
        None => {
            used = live.used_by_queues(kind);
            match find_referent(&used, name) {
                Referent::None => Referent::NotLookedUp,
                found => found,
            }
        }
    };
    match found {
        // Given by id as well, under a name the lookup does not show: the id decides (the
        // API checks it when it is written), as a reference by id alone.
        Referent::None | Referent::NotLookedUp if reference.id.is_some() => {
            Ok(reference.id.map(String::from))
        }
        Referent::One(found) => match reference.id {
            Some(id) if id != found.id => Err(problem(
                format!(
                    "{subject} names {kind} {name:?} with id {id:?}, but the org's {kind} of that name has id {:?}",
                    found.id
                ),
                "remove the `id` (the name is enough) or correct it".into(),
            )),
            _ => Ok(Some(found.id.clone())),
        },
        Referent::Several(found) => Err(problem(
            format!(
                "{subject} names {kind} {name:?}, which {} objects of the org match: {}",
                found.len(),
                found
                    .iter()
                    .map(|r| format!("{:?} (id {})", r.name, r.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!("rename all but one in Genesys Cloud, or give the {kind}'s `id` as well"),
        )),
        Referent::None => {
            let known = live
                .references
                .get(&kind)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let hint = match closest(name, known.iter().map(|r| r.name.as_str())) {
                Some(near) => format!("did you mean {near:?}?"),
                None if kind.listed_whole() && known.is_empty() => {
                    format!("the org has no {kind} at all")
                }
                None if kind.listed_whole() => format!(
                    "the org's {kind}s include {}",
                    known
                        .iter()
                        .take(5)
                        .map(|r| format!("{:?}", r.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => format!(
                    "check the name in Genesys Cloud; {kind}s are matched by name, case and surrounding spaces aside"
                ),
            };
            Err(problem(
                format!("{subject} names {kind} {name:?}, which the org does not have"),
                hint,
            ))
        }
        Referent::NotLookedUp => Err(problem(
            format!("{subject} names {kind} {name:?}, but no {kind} was looked up"),
            "this is a bug in switchboard: the read did not look the name up".into(),
        )),
    }
}

/// Every object the live queues point at with both an id and a name (see
/// [`named_in_queues`]).
pub(crate) fn named_by_queues(live: &Live) -> BTreeMap<(ReferenceKind, String), String> {
    named_in_queues(live.queues.values().map(|queue| &queue.body))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use switchboard_manifest::live::LiveReferent;

    use super::*;

    fn find_referent<'a>(live: &'a Live, kind: ReferenceKind, name: &str) -> Referent<'a> {
        live.references
            .get(&kind)
            .map_or(Referent::NotLookedUp, |found| {
                super::find_referent(found, name)
            })
    }

    fn live_with(kind: ReferenceKind, objects: &[(&str, &str)]) -> Live {
        let mut live = Live::default();
        live.references.insert(
            kind,
            objects
                .iter()
                .map(|(id, name)| LiveReferent::new(*id, *name))
                .collect(),
        );
        live
    }

    #[test]
    fn a_name_finds_its_one_object_by_the_name_rule() {
        let live = live_with(
            ReferenceKind::Team,
            &[("t1", "Billing Team"), ("t2", "Sales")],
        );
        assert_eq!(
            find_referent(&live, ReferenceKind::Team, " billing team"),
            Referent::One(&live.references[&ReferenceKind::Team][0])
        );
        assert_eq!(
            find_referent(&live, ReferenceKind::Team, "Billing"),
            Referent::None
        );
        assert_eq!(
            find_referent(&live, ReferenceKind::Group, "Billing Team"),
            Referent::NotLookedUp
        );
    }

    #[test]
    fn two_objects_of_one_name_are_ambiguous_unless_one_is_spelt_exactly_so() {
        let live = live_with(
            ReferenceKind::Group,
            &[("g1", "Billing"), ("g2", "billing")],
        );
        assert!(matches!(
            find_referent(&live, ReferenceKind::Group, "Billing"),
            Referent::One(found) if found.id == "g1"
        ));
        assert!(matches!(
            find_referent(&live, ReferenceKind::Group, "BILLING"),
            Referent::Several(found) if found.len() == 2
        ));
        let twins = live_with(
            ReferenceKind::Group,
            &[("g1", "Billing"), ("g2", "Billing")],
        );
        assert!(matches!(
            find_referent(&twins, ReferenceKind::Group, "Billing"),
            Referent::Several(_)
        ));
    }
}
