//! The check before a patch is given: the patched manifest, planned against the same org,
//! differs from it only where the original did and the patch did not adopt.

use std::collections::BTreeSet;
use std::fmt;

use switchboard_manifest::Live;
use switchboard_manifest::edit::Editable;
use switchboard_plan::{Action, Address, ElementOp, Plan, Policy, diff};

use crate::PatchError;
use crate::adopt::Adoption;

/// One difference a plan shows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Item {
    /// An object created, deleted or replaced.
    Object(Address, Action),
    /// An attribute of an object updated, by its dotted path.
    Attribute(Address, String),
    /// An element of a collection added, updated or removed, by its key.
    Element(Address, String, ElementOp),
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Object(address, action) => {
                write!(
                    f,
                    "{} {}",
                    address.kind.describe(&address.name),
                    action.verb()
                )
            }
            Item::Attribute(address, path) => {
                write!(
                    f,
                    "{}: {path} differs",
                    address.kind.describe(&address.name)
                )
            }
            Item::Element(address, key, op) => write!(
                f,
                "{}: {key} would be {}",
                address.kind.describe(&address.name),
                match op {
                    ElementOp::Add => "added",
                    ElementOp::Update => "updated",
                    ElementOp::Remove => "removed",
                }
            ),
        }
    }
}

/// Every difference of `plan`.
pub(crate) fn items(plan: &Plan) -> BTreeSet<Item> {
    let mut items = BTreeSet::new();
    for change in &plan.changes {
        let address = &change.address;
        match change.action {
            Action::Update => {
                items.extend(
                    change
                        .attributes
                        .iter()
                        .map(|a| Item::Attribute(address.clone(), a.path.clone())),
                );
                items.extend(
                    change
                        .elements
                        .iter()
                        .map(|e| Item::Element(address.clone(), e.key.clone(), e.op)),
                );
            }
            action => {
                items.insert(Item::Object(address.clone(), action));
            }
        }
    }
    items
}

/// Fails unless `patched`, planned against `live`, shows nothing but the differences of
/// `before` that `adoption` left alone.
pub(crate) fn adopted(
    before: &Plan,
    patched: &Editable,
    live: &Live,
    adoption: &Adoption,
) -> Result<(), PatchError> {
    // A member the patch lists was not among the users the snapshot read (it reads the users
    // a manifest names); the next read will find it, as the active member the queue lists.
    let mut live = live.clone();
    for (email, user) in &adoption.users {
        live.users
            .entry(email.clone())
            .or_insert_with(|| user.clone());
    }
    let after = diff(patched.manifest(), &live, &Policy::default())?;
    let adopted = adoption.adopted_items();
    let before = items(before);
    let allowed: BTreeSet<&Item> = before.difference(&adopted).collect();
    let differences: Vec<String> = items(&after)
        .iter()
        .filter(|item| !allowed.contains(item))
        .map(ToString::to_string)
        .collect();
    if differences.is_empty() {
        Ok(())
    } else {
        Err(PatchError::NotAdopted { differences })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use switchboard_manifest::edit::SourceFile;
    use switchboard_manifest::live::LiveOrg;
    use switchboard_plan::ResourceKind;

    use super::*;

    #[test]
    fn a_difference_claimed_but_still_planned_fails_the_patch() {
        let text =
            "version: 1\norg: { name: Acme, region: mypurecloud.ie }\nskills: [{ name: A }]\n";
        let manifest = Editable::from_sources(
            "m",
            vec![SourceFile {
                path: "m/m.yaml".into(),
                text: text.into(),
            }],
            false,
        )
        .unwrap();
        let live = Live {
            org: LiveOrg {
                id: "0a000000-0000-4000-8000-000000000001".into(),
                name: "Acme".into(),
            },
            ..Live::default()
        };
        let plan = diff(manifest.manifest(), &live, &Policy::default()).unwrap();
        let create = Item::Object(Address::new(ResourceKind::Skill, "A"), Action::Create);
        assert!(items(&plan).contains(&create));
        // Claimed adopted, yet the manifest is unchanged: the skill would still be created.
        let error =
            adopted(&plan, &manifest, &live, &Adoption::claiming(vec![create])).unwrap_err();
        assert_eq!(
            error,
            PatchError::NotAdopted {
                differences: vec!["skill \"A\" will be created".into()]
            }
        );
        // Claimed nothing: what was there may stay.
        assert!(adopted(&plan, &manifest, &live, &Adoption::default()).is_ok());
    }
}
