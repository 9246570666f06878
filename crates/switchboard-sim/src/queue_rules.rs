//! The range rules a queue body must satisfy beyond its JSON shape.
//!
//! The shape (fields, JSON types, enums) is checked against the spec by `request_definitions`;
//! these are the value ranges API-FACTS §5 and the brief list (most come from the vendor's
//! Terraform provider validation, which mirrors what the API refuses):
//! `mediaSettings.*.alertingTimeoutSeconds` ≥ 7, `serviceLevel.percentage` 0–1,
//! `serviceLevel.durationMs` ≥ 1000, `acwSettings.timeoutMs` 1 s–60 min, 2–6 bullseye rings,
//! expansion thresholds 0–259200 s, at most 6 routing rules, agent-owned routing hours
//! 1–168 / 1–720, `directRouting.agentWaitSeconds` 60–864000.

use serde_json::{Map, Value};

use crate::api_error::ApiError;

/// The media types of `QueueMediaSettings`.
const QUEUE_MEDIA: [&str; 5] = ["call", "callback", "chat", "email", "message"];

fn number_at(v: &Value, pointer: &str) -> Option<f64> {
    v.pointer(pointer).and_then(Value::as_f64)
}

fn in_range(root: &Value, pointer: &str, field: &str, min: f64, max: f64) -> Result<(), ApiError> {
    if let Some(n) = number_at(root, pointer)
        && (n < min || n > max)
    {
        let bound = if max == f64::MAX {
            format!("at least {min}")
        } else {
            format!("between {min} and {max}")
        };
        return Err(ApiError::invalid_value(
            field,
            format!("Value [{n}] is not valid for field [{field}]: it must be {bound}"),
        ));
    }
    Ok(())
}

/// Checks every range rule of a queue body (already shape-checked).
pub(crate) fn check_ranges(body: &Map<String, Value>) -> Result<(), ApiError> {
    let root = Value::Object(body.clone());
    for media in QUEUE_MEDIA {
        let base = format!("/mediaSettings/{media}");
        let field = format!("mediaSettings.{media}");
        in_range(
            &root,
            &format!("{base}/alertingTimeoutSeconds"),
            &format!("{field}.alertingTimeoutSeconds"),
            7.0,
            f64::MAX,
        )?;
        in_range(
            &root,
            &format!("{base}/serviceLevel/percentage"),
            &format!("{field}.serviceLevel.percentage"),
            0.0,
            1.0,
        )?;
        in_range(
            &root,
            &format!("{base}/serviceLevel/durationMs"),
            &format!("{field}.serviceLevel.durationMs"),
            1000.0,
            f64::MAX,
        )?;
    }
    in_range(
        &root,
        "/acwSettings/timeoutMs",
        "acwSettings.timeoutMs",
        1000.0,
        3_600_000.0,
    )?;
    if let Some(rings) = root.pointer("/bullseye/rings").and_then(Value::as_array)
        && !rings.is_empty()
    {
        if !(2..=6).contains(&rings.len()) {
            return Err(ApiError::invalid_value(
                "bullseye.rings",
                format!(
                    "A bullseye must have between 2 and 6 rings; {} given",
                    rings.len()
                ),
            ));
        }
        for (i, ring) in rings.iter().enumerate() {
            let criteria = ring
                .get("expansionCriteria")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for (j, c) in criteria.iter().enumerate() {
                in_range(
                    c,
                    "/threshold",
                    &format!("bullseye.rings[{i}].expansionCriteria[{j}].threshold"),
                    0.0,
                    259_200.0,
                )?;
            }
        }
    }
    if let Some(rules) = root.get("routingRules").and_then(Value::as_array)
        && rules.len() > 6
    {
        return Err(ApiError::invalid_value(
            "routingRules",
            format!("At most 6 routing rules are allowed; {} given", rules.len()),
        ));
    }
    in_range(
        &root,
        "/agentOwnedRouting/maxOwnedCallbackHours",
        "agentOwnedRouting.maxOwnedCallbackHours",
        1.0,
        168.0,
    )?;
    in_range(
        &root,
        "/agentOwnedRouting/maxOwnedCallbackDelayHours",
        "agentOwnedRouting.maxOwnedCallbackDelayHours",
        1.0,
        720.0,
    )?;
    in_range(
        &root,
        "/directRouting/agentWaitSeconds",
        "directRouting.agentWaitSeconds",
        60.0,
        864_000.0,
    )?;
    Ok(())
}

/// Removes `null`s from objects and arrays, recursively: the API's JSON binding reads them as
/// absent (`ValidationMode::Received`), and the simulator must not answer them back.
pub(crate) fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => {
            items.retain(|v| !v.is_null());
            items.iter_mut().for_each(strip_nulls);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    fn check(v: Value) -> Result<(), ApiError> {
        check_ranges(v.as_object().unwrap())
    }

    #[test]
    fn ranges_are_enforced() {
        assert!(check(json!({"mediaSettings": {"call": {"alertingTimeoutSeconds": 7}}})).is_ok());
        assert!(check(json!({"mediaSettings": {"call": {"alertingTimeoutSeconds": 6}}})).is_err());
        assert!(
            check(json!({"mediaSettings": {"email": {"serviceLevel": {"percentage": 1.2}}}}))
                .is_err()
        );
        assert!(check(json!({"acwSettings": {"timeoutMs": 999}})).is_err());
        assert!(check(json!({"bullseye": {"rings": [{}]}})).is_err());
        assert!(check(json!({"bullseye": {"rings": []}})).is_ok());
        assert!(check(json!({"routingRules": [{},{},{},{},{},{},{}]})).is_err());
        assert!(check(json!({"directRouting": {"agentWaitSeconds": 59}})).is_err());
        let e = check(json!({"acwSettings": {"timeoutMs": 0}})).unwrap_err();
        assert_eq!(e.code, "invalid.value");
    }

    #[test]
    fn nulls_are_stripped() {
        let mut v = json!({"a": null, "b": {"c": null, "d": 1}, "e": [null, {"f": null}, 2]});
        strip_nulls(&mut v);
        assert_eq!(v, json!({"b": {"d": 1}, "e": [{}, 2]}));
    }
}
