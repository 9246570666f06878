//! Fingerprints: `sha256:<hex>` of a value's canonical JSON (object keys sorted at every
//! level, no whitespace). The plan records one for every live object a change touches;
//! apply recomputes them from a fresh read with [`of_live`] and refuses a stale plan.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use switchboard_manifest::Live;

use crate::canonical;
use crate::model::{Address, ResourceKind};

/// Read-only queue fields that change when members join or leave; they are not part of the
/// queue's settings, so a member change does not make the queue's fingerprint stale.
const VOLATILE_QUEUE_FIELDS: [&str; 3] = ["memberCount", "userMemberCount", "joinedMemberCount"];

/// The canonical JSON of `value`: keys sorted at every level, no insignificant whitespace.
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> String {
    String::from_utf8(canonical::to_vec(value))
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `sha256:<hex>` of `value`'s canonical JSON.
pub fn of<T: Serialize + ?Sized>(value: &T) -> String {
    sha256(&canonical::to_vec(value))
}

/// `sha256:<hex>` of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

/// `bytes` in lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xf)]));
    }
    hex
}

/// The fingerprint of the live object at `address` (found under `live_name`, which differs
/// from the address's name for a rename), or `None` when the org has no such object.
pub fn of_live(live: &Live, address: &Address, live_name: &str) -> Option<String> {
    match address.kind {
        ResourceKind::Skill => live.skills.get(live_name).map(of),
        ResourceKind::Language => live.languages.get(live_name).map(of),
        ResourceKind::WrapupCode => live.wrapup_codes.get(live_name).map(of),
        ResourceKind::UtilizationLabel => live.utilization_labels.get(live_name).map(of),
        ResourceKind::SkillGroup => live.skill_groups.get(live_name).map(|group| {
            of_skill_group(
                &group.id,
                group.body.as_ref(),
                group.member_division_ids.as_ref(),
            )
        }),
        ResourceKind::Queue => live
            .queues
            .get(live_name)
            .map(|queue| of_queue(&queue.id, queue.division_id.as_deref(), &queue.body)),
        ResourceKind::QueueMembers => live.queues.get(live_name).map(|queue| {
            let mut members: Vec<_> = queue.members.iter().flatten().collect();
            members.sort_by(|a, b| a.user_id.cmp(&b.user_id));
            of(&members)
        }),
        ResourceKind::QueueWrapupCodes => live
            .queues
            .get(live_name)
            .map(|queue| of(&queue.wrapup_code_ids)),
        ResourceKind::AgentSkills => live
            .users
            .get(live_name)
            .map(|u| of(&(&u.state, &u.skills))),
        ResourceKind::AgentLanguages => live
            .users
            .get(live_name)
            .map(|u| of(&(&u.state, &u.languages))),
        ResourceKind::AgentCapacity => live
            .users
            .get(live_name)
            .map(|u| of_capacity(u.utilization.as_ref())),
        ResourceKind::OrgUtilization => live
            .org_utilization
            .as_ref()
            .map(|read| of_capacity(Some(read))),
        ResourceKind::RoutingSettings => live.routing_settings.as_ref().map(of_routing_settings),
    }
}

/// The fingerprint of the org's routing settings as read (the parts the manifest manages):
/// the one a plan records, and the one apply checks against its read just before writing.
pub fn of_routing_settings(read: &switchboard_manifest::live::LiveRoutingSettings) -> String {
    of(read)
}

/// The fingerprint of an agent's utilization as read (`None`: not read): the one a plan
/// records, and the one apply checks against the utilization it reads just before writing.
pub fn of_capacity(utilization: Option<&switchboard_manifest::live::LiveUtilization>) -> String {
    of(&utilization)
}

/// The fingerprint of the queue `id` (in division `division_id`) whose API body is `body`:
/// the one a plan records, and the one apply checks against the queue as it reads it just
/// before writing it back.
pub fn of_queue(id: &str, division_id: Option<&str>, body: &Value) -> String {
    let mut body = body.clone();
    if let Some(map) = body.as_object_mut() {
        for field in VOLATILE_QUEUE_FIELDS {
            map.remove(field);
        }
    }
    of(&(id, division_id, body))
}

/// Read-only skill group fields that change without an edit: the estimated member count
/// and the filling status follow agents' skills, and the modification time follows any
/// write, including one that changes nothing the definition holds.
const VOLATILE_SKILL_GROUP_FIELDS: [&str; 3] = ["memberCount", "status", "dateModified"];

/// The fingerprint of the skill group `id` whose definition (as read by id) is `body` and
/// whose member divisions are `member_division_ids` (each `None` when not read): the one a
/// plan records, and the one apply checks against the skill group as it reads it just
/// before writing it.
pub fn of_skill_group(
    id: &str,
    body: Option<&Value>,
    member_division_ids: Option<&std::collections::BTreeSet<String>>,
) -> String {
    let mut body = body.cloned();
    if let Some(map) = body.as_mut().and_then(Value::as_object_mut) {
        for field in VOLATILE_SKILL_GROUP_FIELDS {
            map.remove(field);
        }
    }
    of(&(id, body, member_division_ids))
}

/// The fingerprint of a skill replace's old skill `old_name` and of who holds it, with what
/// proficiency (by lower-case email): apply refuses the plan when someone was given the old
/// skill after it was made, since the plan would not move them. `None` when the org has no
/// such skill.
pub fn of_replaced(live: &Live, old_name: &str) -> Option<String> {
    let skill = live.skills.get(old_name)?;
    let holders: std::collections::BTreeMap<&str, f64> = live
        .users
        .iter()
        .filter_map(|(email, user)| Some((email.as_str(), *user.skills.get(&skill.id)?)))
        .collect();
    Some(of(&(skill, holders)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let a = json!({"b": 1, "a": {"d": [1, {"z": 0, "y": 1}], "c": "x"}});
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"c":"x","d":[1,{"y":1,"z":0}]},"b":1}"#
        );
        assert_eq!(
            of(&a),
            of(&json!({"a": {"c": "x", "d": [1, {"y": 1, "z": 0}]}, "b": 1}))
        );
        assert!(of(&a).starts_with("sha256:") && of(&a).len() == 71);
    }

    /// The manifest hash a plan file carries is the one earlier versions wrote: the canonical
    /// writer prints what the manifest's `Value` prints, for every example manifest.
    #[test]
    fn every_examples_manifest_hashes_as_its_value_does() {
        let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        for (example, env) in [
            ("quickstart", None),
            ("contact-center", None),
            ("multi-environment", Some("prod")),
            ("promotion", Some("prod")),
        ] {
            let options = switchboard_manifest::LoadOptions {
                env: env.map(String::from),
                ..Default::default()
            };
            let loaded = switchboard_manifest::load(&examples.join(example), &options);
            let manifest = loaded.manifest.unwrap();
            let value = serde_json::to_value(&manifest).unwrap().to_string();
            assert_eq!(canonical_json(&manifest), value, "{example}");
            assert_eq!(of(&manifest), sha256(value.as_bytes()), "{example}");
        }
    }

    #[test]
    fn member_counts_do_not_make_a_queue_stale() {
        let mut live = Live::default();
        let queue = switchboard_manifest::live::LiveQueue {
            id: "q1".into(),
            body: json!({"name": "Q", "memberCount": 3, "description": "d"}),
            ..Default::default()
        };
        live.queues.insert("Q".into(), queue);
        let address = Address::new(ResourceKind::Queue, "Q");
        let before = of_live(&live, &address, "Q");
        if let Some(q) = live.queues.get_mut("Q") {
            q.body["memberCount"] = json!(4);
        }
        assert_eq!(before, of_live(&live, &address, "Q"));
        if let Some(q) = live.queues.get_mut("Q") {
            q.body["description"] = json!("changed");
        }
        assert_ne!(before, of_live(&live, &address, "Q"));
    }
}
