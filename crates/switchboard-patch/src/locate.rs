//! Where things are in the merged manifest, as JSON pointers: objects by name, agents and
//! members by email (case-insensitively, as the plan matches them), list items by value.

use serde_json::Value;
use switchboard_plan::ResourceKind;

/// A JSON pointer of segments, escaped (RFC 6901).
pub(crate) fn pointer(segments: &[&str]) -> String {
    segments
        .iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// The manifest key of the list an object kind is declared in.
pub(crate) fn list_key(kind: ResourceKind) -> Option<&'static str> {
    match kind {
        ResourceKind::Skill => Some("skills"),
        ResourceKind::Language => Some("languages"),
        ResourceKind::WrapupCode => Some("wrapupCodes"),
        ResourceKind::SkillGroup => Some("skillGroups"),
        ResourceKind::Queue => Some("queues"),
        ResourceKind::UtilizationLabel => Some("utilizationLabels"),
        _ => None,
    }
}

fn items<'a>(json: &'a Value, pointer: &str) -> &'a [Value] {
    json.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The index of the object named `name` in the list `key` (`queues`, ...).
pub(crate) fn object(json: &Value, key: &str, name: &str) -> Option<usize> {
    items(json, &pointer(&[key]))
        .iter()
        .position(|item| item.get("name").and_then(Value::as_str) == Some(name))
}

/// The index of the item of the list at `list` whose `user` is `email`, ignoring case.
pub(crate) fn by_email(json: &Value, list: &str, email: &str) -> Option<usize> {
    items(json, list).iter().position(|item| {
        item.get("user")
            .and_then(Value::as_str)
            .is_some_and(|user| user.eq_ignore_ascii_case(email))
    })
}

/// The index of the string `value` in the list at `list`.
pub(crate) fn string_item(json: &Value, list: &str, value: &str) -> Option<usize> {
    items(json, list)
        .iter()
        .position(|item| item.as_str() == Some(value))
}

/// Whether the list `key` declares `name`.
pub(crate) fn declares(json: &Value, key: &str, name: &str) -> bool {
    object(json, key, name).is_some()
}
