//! Classification, pure: three plans of the same manifest against the same live org say
//! everything drift needs.
//!
//! - The plan of the manifest as written: its creates are the **missing** objects, its
//!   updates (and skill replaces) the objects **changed outside git**, collections included
//!   under their owner; its deletes tell which unmanaged objects `apply` would delete.
//! - The plan with `prune` on for every kind: its deletes are exactly the **unmanaged**
//!   objects (in scope, absent from the manifest; former names in use by a rename are not),
//!   whatever the manifest's own `prune` says; a protected one is refused as protected.
//! - The plan with `prune` on for every kind and no `scope`: its deletes are every live
//!   object the manifest does not declare, so the rest of the org is what it **manages**.

use std::collections::{BTreeMap, BTreeSet};

use switchboard_manifest::Manifest;
use switchboard_manifest::model::Prune;
use switchboard_plan::{
    Action, Address, Change, ElementOp, Live, Plan, PlanError, Policy, RefusalReason, ResourceKind,
    Target, diff,
};

use crate::model::{
    AttributionSummary, ChangeOp, Class, Coverage, DriftChange, DriftObject, ObjectKind, Report,
    Share,
};

/// The plans [`classify`] reads, each made with `switchboard_plan::diff` from the same
/// manifest and `Live`:
#[derive(Debug, Clone, PartialEq)]
pub struct Plans {
    /// The manifest as written.
    pub as_written: Plan,
    /// A clone of the manifest with `prune` true for every kind: its deletes are the
    /// unmanaged objects in scope.
    pub prune_all: Plan,
    /// A clone of the manifest with `prune` true for every kind and `scope` removed: its
    /// deletes are every undeclared object (for coverage).
    pub prune_all_unscoped: Plan,
    /// For a targeted check, `prune_all` over every object (for coverage): the targeted one
    /// only sees the targets.
    pub prune_all_untargeted: Option<Plan>,
}

impl Plans {
    /// The three plans of `manifest` against `live`, every object compared.
    pub fn of(manifest: &Manifest, live: &Live) -> Result<Plans, PlanError> {
        let (prune_all, prune_all_unscoped) = pruning(manifest);
        let policy = Policy::default();
        Ok(Plans {
            as_written: diff(manifest, live, &policy)?,
            prune_all: diff(&prune_all, live, &policy)?,
            prune_all_unscoped: diff(&prune_all_unscoped, live, &policy)?,
            prune_all_untargeted: None,
        })
    }

    /// The plans comparing only `targets`, for a `live` read by `fetch_changed` (complete
    /// listings; members, codes and users only of the targets). No targets, nothing
    /// compared: nothing changed.
    pub fn targeted(
        manifest: &Manifest,
        live: &Live,
        targets: Vec<Target>,
    ) -> Result<Plans, PlanError> {
        let (prune_all, prune_all_unscoped) = pruning(manifest);
        let everything = Policy::default();
        let nothing = targets.is_empty();
        let policy = Policy {
            targets,
            ..Policy::default()
        };
        let compare = |manifest: &Manifest| -> Result<Plan, PlanError> {
            let mut plan = diff(manifest, live, &policy)?;
            if nothing {
                plan.changes.clear();
                plan.warnings.clear();
            }
            Ok(plan)
        };
        Ok(Plans {
            as_written: compare(manifest)?,
            prune_all: compare(&prune_all)?,
            prune_all_unscoped: diff(&prune_all_unscoped, live, &everything)?,
            prune_all_untargeted: Some(diff(&prune_all, live, &everything)?),
        })
    }
}

/// The manifest with `prune` on for every kind, and that without `scope`.
fn pruning(manifest: &Manifest) -> (Manifest, Manifest) {
    let mut prune_all = manifest.clone();
    prune_all.prune = Some(Prune {
        skills: true,
        languages: true,
        wrapup_codes: true,
        skill_groups: true,
        queues: true,
        utilization_labels: true,
    });
    let mut prune_all_unscoped = prune_all.clone();
    prune_all_unscoped.scope = None;
    (prune_all, prune_all_unscoped)
}

/// Every differing object, classified, with coverage; attribution not yet done.
pub fn classify(plans: &Plans, live: &Live) -> Report {
    let mut objects: BTreeMap<(ObjectKind, String), DriftObject> = BTreeMap::new();
    for change in &plans.as_written.changes {
        if change.action != Action::Delete {
            changed_or_missing(&mut objects, change);
        }
    }
    // A listed element the org lacks that the plan cannot add (a listed member without an
    // account, or inactive): the org does not match the manifest, so it is drift, although
    // the plan only warns of it.
    for warning in &plans.as_written.warnings {
        let Some(missing) = &warning.missing else {
            continue;
        };
        let (kind, collection) = ObjectKind::of(missing.address.kind);
        let object = objects
            .entry((kind, missing.address.name.clone()))
            .or_insert_with(|| DriftObject::new(kind, &missing.address.name, Class::Changed));
        object.changes.push(DriftChange {
            path: collection.unwrap_or("members").to_string(),
            key: Some(missing.key.clone()),
            op: ChangeOp::Removed,
            before: None,
            after: None,
            note: Some(warning.message.clone()),
            plan_cannot_add: true,
        });
    }
    let pruned_as_written: BTreeSet<&Address> =
        deletes(&plans.as_written).map(|c| &c.address).collect();
    for change in deletes(&plans.prune_all) {
        let (kind, _) = ObjectKind::of(change.address.kind);
        let mut object = DriftObject::new(kind, &change.address.name, Class::Unmanaged);
        object.id.clone_from(&change.id);
        object.protected = change
            .refused
            .as_ref()
            .is_some_and(|r| r.reason == RefusalReason::Protected);
        object.drift = !object.protected && pruned_as_written.contains(&change.address);
        objects.insert((kind, object.name.clone()), object);
    }
    let mut objects: Vec<DriftObject> = objects.into_values().collect();
    for object in &mut objects {
        object.changes.sort_by(|a, b| {
            // Attributes first, in the plan's order; then elements by collection and key.
            let rank = |c: &DriftChange| c.key.as_ref().map(|_| (collection_rank(&c.path), 1));
            rank(a).cmp(&rank(b)).then_with(|| match (&a.key, &b.key) {
                (Some(x), Some(y)) => x.cmp(y).then(a.op.cmp(&b.op)),
                _ => std::cmp::Ordering::Equal,
            })
        });
    }
    objects.sort_by(|a, b| (a.class, a.kind, &a.name).cmp(&(b.class, b.kind, &b.name)));
    let coverage = coverage(plans, live);
    Report {
        org: plans.as_written.org.clone(),
        manifest_hash: plans.as_written.manifest_hash.clone(),
        objects,
        coverage,
        attribution: AttributionSummary::default(),
        warnings: plans.as_written.warnings.clone(),
        since: None,
    }
}

fn deletes(plan: &Plan) -> impl Iterator<Item = &Change> {
    plan.changes.iter().filter(|c| c.action == Action::Delete)
}

fn collection_rank(path: &str) -> usize {
    ["wrapupCodes", "members", "skills", "languages", "capacity"]
        .iter()
        .position(|p| *p == path)
        .unwrap_or(usize::MAX)
}

/// Files a create, update or replace (of an object or one of its collections) under its
/// owner object.
fn changed_or_missing(objects: &mut BTreeMap<(ObjectKind, String), DriftObject>, change: &Change) {
    let (kind, collection) = ObjectKind::of(change.address.kind);
    let name = &change.address.name;
    // A create (of the object, or of a collection of an object being created) means the
    // owner is missing; anything else means it exists and differs.
    let class = if change.action == Action::Create {
        Class::Missing
    } else {
        Class::Changed
    };
    let object = objects
        .entry((kind, name.clone()))
        .or_insert_with(|| DriftObject::new(kind, name, class));
    if class == Class::Missing {
        object.class = Class::Missing;
    }
    if object.id.is_none() {
        object.id.clone_from(&change.id);
    }
    match collection {
        None => {
            let op = if class == Class::Missing {
                ChangeOp::Removed
            } else {
                ChangeOp::Changed
            };
            object
                .changes
                .extend(change.attributes.iter().map(|a| DriftChange {
                    path: a.path.clone(),
                    key: None,
                    op,
                    before: a.after.clone(),
                    after: a.before.clone(),
                    note: None,
                    plan_cannot_add: false,
                }));
            // A replaced skill's elements are the assignments apply would move: mechanics of
            // the rename, not differences.
        }
        // An agent's capacity is fields, not elements: `capacity.chat.maximumCapacity`.
        Some(path) if change.address.kind == ResourceKind::AgentCapacity => {
            object
                .changes
                .extend(change.attributes.iter().map(|a| DriftChange {
                    path: format!("{path}.{}", a.path),
                    key: None,
                    op: ChangeOp::Changed,
                    before: a.after.clone(),
                    after: a.before.clone(),
                    note: None,
                    plan_cannot_add: false,
                }));
        }
        Some(path) => {
            object
                .changes
                .extend(change.elements.iter().map(|e| DriftChange {
                    path: path.to_string(),
                    key: Some(e.key.clone()),
                    op: match e.op {
                        ElementOp::Add => ChangeOp::Removed,
                        ElementOp::Update => ChangeOp::Changed,
                        ElementOp::Remove => ChangeOp::Added,
                    },
                    before: e.after.clone(),
                    after: e.before.clone(),
                    note: e.note.clone(),
                    plan_cannot_add: false,
                }));
        }
    }
}

/// Per kind: managed = live objects − the unscoped prune's deletes; unmanaged = the
/// in-scope prune's deletes (the objects classified unmanaged, when every object was
/// compared).
fn coverage(plans: &Plans, live: &Live) -> Coverage {
    let count = |plan: &Plan, kind: ObjectKind| {
        deletes(plan)
            .filter(|c| ObjectKind::of(c.address.kind).0 == kind)
            .count()
    };
    let in_scope = plans
        .prune_all_untargeted
        .as_ref()
        .unwrap_or(&plans.prune_all);
    let mut by_kind = BTreeMap::new();
    let (mut managed_all, mut unmanaged_all) = (0, 0);
    for kind in ObjectKind::NAMED {
        let in_org = match kind {
            ObjectKind::Skill => live.skills.len(),
            ObjectKind::Language => live.languages.len(),
            ObjectKind::WrapupCode => live.wrapup_codes.len(),
            ObjectKind::SkillGroup => live.skill_groups.len(),
            _ => live.queues.len(),
        };
        let managed = in_org.saturating_sub(count(&plans.prune_all_unscoped, kind));
        let unmanaged = count(in_scope, kind);
        managed_all += managed;
        unmanaged_all += unmanaged;
        by_kind.insert(kind, Share::new(managed, unmanaged));
    }
    Coverage {
        overall: Share::new(managed_all, unmanaged_all),
        by_kind,
    }
}
