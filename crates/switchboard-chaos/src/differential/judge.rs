//! Judging a plan made from a faulted read against the plan made from the true state: every
//! destructive item of the former must be in the latter, and nothing the former writes may
//! differ from what the latter writes at the same place.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use switchboard_plan::{Action, Address, Change, ElementOp, Plan};

/// What the true plan destroys and writes, indexed for the comparison.
struct Truth<'a> {
    /// Deleted or replaced objects, with the skill a replace deletes.
    deletes: BTreeMap<&'a Address, Option<&'a str>>,
    /// Removed elements, by (address, key) and by (address, live id).
    removals: BTreeSet<(&'a Address, &'a str)>,
    /// Written attribute values by (address, path).
    attributes: BTreeMap<(&'a Address, &'a str), Option<&'a Value>>,
    /// Written element values by (address, key), removals left out.
    elements: BTreeMap<(&'a Address, &'a str), Option<&'a Value>>,
    /// The holders each replace moves, by the replace's address.
    moved: BTreeMap<&'a Address, BTreeSet<&'a str>>,
}

impl<'a> Truth<'a> {
    fn of(plan: &'a Plan) -> Truth<'a> {
        let mut truth = Truth {
            deletes: BTreeMap::new(),
            removals: BTreeSet::new(),
            attributes: BTreeMap::new(),
            elements: BTreeMap::new(),
            moved: BTreeMap::new(),
        };
        for change in plan.runnable() {
            let address = &change.address;
            if destroys(change) {
                truth
                    .deletes
                    .insert(address, change.renamed_from.as_deref());
            }
            if change.action == Action::Replace {
                truth.moved.insert(address, moved(change));
            }
            for attribute in &change.attributes {
                truth
                    .attributes
                    .insert((address, &attribute.path), attribute.after.as_ref());
            }
            for element in &change.elements {
                if element.op == ElementOp::Remove {
                    truth.removals.insert((address, &element.key));
                    if let Some(id) = &element.id {
                        truth.removals.insert((address, id));
                    }
                } else {
                    truth
                        .elements
                        .insert((address, &element.key), element.after.as_ref());
                }
            }
        }
        truth
    }
}

fn destroys(change: &Change) -> bool {
    matches!(change.action, Action::Delete | Action::Replace)
}

/// The holders a replace moves to the new skill (by email).
fn moved(change: &Change) -> BTreeSet<&str> {
    change
        .elements
        .iter()
        .filter(|e| e.op != ElementOp::Remove)
        .map(|e| e.key.as_str())
        .collect()
}

/// How many destructive items a plan holds: deletes, replaces and element removals of its
/// runnable changes.
pub fn destructive_items(plan: &Plan) -> usize {
    plan.runnable()
        .map(|change| {
            usize::from(destroys(change))
                + change
                    .elements
                    .iter()
                    .filter(|e| e.op == ElementOp::Remove)
                    .count()
        })
        .sum()
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "nothing".to_string(), Value::to_string)
}

/// Every destructive item of `faulted` that `truth` does not justify, in words; empty when
/// the faulted plan is no more destructive than the true one.
///
/// Only runnable changes count (a refused change is never applied). A delete or replace must
/// be in the true plan at the same address (a replace deleting the same old skill, and
/// moving at least the holders the true replace moves); an element removal must be in the
/// true plan (matched by key or by the element's live id); and an attribute or element the
/// faulted plan writes must not have another value in the true plan. A write only the
/// faulted plan makes is the manifest's value written again, not a violation.
pub fn judge(truth: &Plan, faulted: &Plan) -> Vec<String> {
    let expected = Truth::of(truth);
    let mut violations = Vec::new();
    for change in faulted.runnable() {
        let address = &change.address;
        let what = address.kind.describe(&address.name);
        if destroys(change) {
            let deleted = change.renamed_from.as_deref();
            match expected.deletes.get(address) {
                None => violations.push(match deleted {
                    Some(old) => {
                        format!("replace of {what} deletes {old:?}, which the true plan does not")
                    }
                    None => format!("delete of {what}, which the true plan does not delete"),
                }),
                Some(true_deleted) if *true_deleted != deleted => violations.push(format!(
                    "replace of {what} deletes {}, the true plan {}",
                    deleted.unwrap_or("the object itself"),
                    true_deleted.unwrap_or("the object itself"),
                )),
                Some(_) => {}
            }
            if change.action == Action::Replace
                && let Some(true_moved) = expected.moved.get(address)
            {
                let moving = moved(change);
                for holder in true_moved.difference(&moving) {
                    violations.push(format!(
                        "replace of {what} deletes the old skill without moving holder {holder} (the true plan moves them)"
                    ));
                }
            }
        }
        for element in &change.elements {
            if element.op == ElementOp::Remove {
                let by_key = expected.removals.contains(&(address, element.key.as_str()));
                let by_id = element
                    .id
                    .as_deref()
                    .is_some_and(|id| expected.removals.contains(&(address, id)));
                if !by_key && !by_id {
                    violations.push(format!(
                        "removal of {} from {what}, which the true plan keeps",
                        element.key
                    ));
                }
            } else if let Some(true_after) = expected.elements.get(&(address, element.key.as_str()))
                && *true_after != element.after.as_ref()
            {
                violations.push(format!(
                    "{what}: writes {} for {}, the true plan {}",
                    show(element.after.as_ref()),
                    element.key,
                    show(*true_after)
                ));
            }
        }
        for attribute in &change.attributes {
            if let Some(true_after) = expected.attributes.get(&(address, attribute.path.as_str()))
                && *true_after != attribute.after.as_ref()
            {
                violations.push(format!(
                    "{what}: writes {} to {}, the true plan {}",
                    show(attribute.after.as_ref()),
                    attribute.path,
                    show(*true_after)
                ));
            }
        }
    }
    violations
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::{Value, json};

    use super::{destructive_items, judge};
    use crate::tests::plan;

    fn delete(kind: &str, name: &str) -> Value {
        json!({"address": {"kind": kind, "name": name}, "action": "delete", "id": "x"})
    }

    fn members(elements: Value) -> Value {
        json!({"address": {"kind": "queue_members", "name": "Billing EN"}, "action": "update",
               "mode": "authoritative", "elements": elements})
    }

    fn remove(key: &str, id: &str) -> Value {
        json!({"op": "remove", "key": key, "id": id, "before": 1})
    }

    #[test]
    fn a_delete_only_the_faulted_plan_makes_is_a_violation() {
        let truth = plan(json!([delete("queue", "Old Promo")]));
        let faulted = plan(json!([
            delete("queue", "Old Promo"),
            delete("skill", "Legacy CRM")
        ]));
        let violations = judge(&truth, &faulted);
        assert_eq!(
            violations,
            ["delete of skill \"Legacy CRM\", which the true plan does not delete"]
        );
        assert_eq!(destructive_items(&faulted), 2);
    }

    #[test]
    fn a_refused_delete_is_no_violation() {
        let mut refused = delete("queue", "Legacy Escalations");
        refused["refused"] = json!({"reason": "protected", "message": "protected"});
        let faulted = plan(json!([refused]));
        assert!(judge(&plan(json!([])), &faulted).is_empty());
        assert_eq!(destructive_items(&faulted), 0);
    }

    #[test]
    fn a_removal_in_both_plans_is_no_violation() {
        let truth = plan(json!([members(json!([
            remove("a@x", "u1"),
            remove("b@x", "u2")
        ]))]));
        let faulted = plan(json!([members(json!([remove("a@x", "u1")]))]));
        assert!(judge(&truth, &faulted).is_empty());
        // The same user under another key (an email the faulted read lost) is the same
        // removal.
        let by_id = plan(json!([members(json!([remove("u2", "u2")]))]));
        assert!(judge(&truth, &by_id).is_empty());
    }

    #[test]
    fn a_removal_only_the_faulted_plan_makes_is_a_violation() {
        let truth = plan(json!([members(json!([remove("a@x", "u1")]))]));
        let faulted = plan(json!([members(json!([
            remove("a@x", "u1"),
            remove("c@x", "u3")
        ]))]));
        assert_eq!(
            judge(&truth, &faulted),
            ["removal of c@x from members of queue \"Billing EN\", which the true plan keeps"]
        );
    }

    #[test]
    fn an_empty_faulted_plan_is_no_violation() {
        let truth = plan(json!([
            delete("queue", "Old Promo"),
            members(json!([remove("a@x", "u1")]))
        ]));
        assert!(judge(&truth, &plan(json!([]))).is_empty());
    }

    #[test]
    fn another_value_at_a_place_both_plans_write_is_a_violation() {
        let queue = |after: Value| {
            json!({"address": {"kind": "queue", "name": "Billing EN"}, "action": "update",
                   "attributes": [{"path": "acwSettings.timeoutMs", "before": 1, "after": after}]})
        };
        let truth = plan(json!([queue(json!(60000))]));
        assert!(judge(&truth, &plan(json!([queue(json!(60000))]))).is_empty());
        assert_eq!(
            judge(&truth, &plan(json!([queue(json!(0))]))),
            ["queue \"Billing EN\": writes 0 to acwSettings.timeoutMs, the true plan 60000"]
        );
    }

    #[test]
    fn a_write_only_the_faulted_plan_makes_is_no_violation() {
        let update = json!({"address": {"kind": "queue", "name": "Billing ES"}, "action": "update",
                            "attributes": [{"path": "description", "after": "Spanish"}]});
        let add = members(json!([{"op": "add", "key": "bo@x", "after": 1}]));
        assert!(judge(&plan(json!([])), &plan(json!([update, add]))).is_empty());
    }

    fn replace(old: &str, holders: Value) -> Value {
        json!({"address": {"kind": "skill", "name": "Billing Support"}, "action": "replace",
               "id": "s1", "renamed_from": old, "elements": holders})
    }

    fn moved(key: &str, proficiency: f64) -> Value {
        json!({"op": "add", "key": key, "id": key, "after": proficiency, "note": "moved"})
    }

    #[test]
    fn a_replace_must_delete_the_same_skill_and_move_every_holder() {
        let truth = plan(json!([replace(
            "Billing",
            json!([moved("a@x", 5.0), moved("b@x", 3.0)])
        )]));
        assert!(judge(&truth, &truth.clone()).is_empty());
        let other_skill = plan(json!([replace(
            "VIP",
            json!([moved("a@x", 5.0), moved("b@x", 3.0)])
        )]));
        assert_eq!(
            judge(&truth, &other_skill),
            ["replace of skill \"Billing Support\" deletes VIP, the true plan Billing"]
        );
        let holder_lost = plan(json!([replace("Billing", json!([moved("a@x", 5.0)]))]));
        assert_eq!(
            judge(&truth, &holder_lost),
            [
                "replace of skill \"Billing Support\" deletes the old skill without moving holder b@x (the true plan moves them)"
            ]
        );
        let made_up = plan(json!([replace(
            "Billing",
            json!([moved("a@x", 0.0), moved("b@x", 3.0)])
        )]));
        assert_eq!(
            judge(&truth, &made_up),
            ["skill \"Billing Support\": writes 0.0 for a@x, the true plan 5.0"]
        );
    }
}
