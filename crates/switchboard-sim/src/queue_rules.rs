//! The range rules a queue body must satisfy beyond its JSON shape.
//!
//! The shape (fields, JSON types, enums) is checked against the spec by `request_definitions`;
//! these are the value ranges API-FACTS §5 and the brief list (most come from the vendor's
//! Terraform provider validation, which mirrors what the API refuses):
//! `mediaSettings.*.alertingTimeoutSeconds` ≥ 7, `serviceLevel.percentage` 0–1,
//! `serviceLevel.durationMs` ≥ 1000, `acwSettings.timeoutMs` 1 s–60 min, 2–6 bullseye rings,
//! expansion thresholds 0–259200 s, at most 6 routing rules, agent-owned routing hours
//! 1–168 / 1–720, `directRouting.agentWaitSeconds` 60–864000, callback auto-dial and auto-end
//! delays 0–1200 s (their descriptions), and the customer-first callback settings CX as Code
//! validates (COVERAGE §1.3): `pacingModifier` ≥ 1, `maxRetryCount` 0–20, `retryDelaySeconds`
//! 60–86400.
//!
//! [`check_dependencies`] holds the rules between fields: a `TransferToFlow` reaction needs
//! its flow, a `SEND_TO_ARCHITECT_FLOW` inactivity action its `flowId`, a callback names an
//! edge group or a site but not both, and `defaultMediaLanguage` is a language code.

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
    for (name, min, max) in CALLBACK_RANGES {
        in_range(
            &root,
            &format!("/mediaSettings/callback/{name}"),
            &format!("mediaSettings.callback.{name}"),
            min,
            max,
        )?;
    }
    Ok(())
}

/// `CallbackMediaSettings` ranges: (field, least, most).
const CALLBACK_RANGES: [(&str, f64, f64); 5] = [
    ("autoDialDelaySeconds", 0.0, 1200.0),
    ("autoEndDelaySeconds", 0.0, 1200.0),
    ("pacingModifier", 1.0, f64::MAX),
    ("maxRetryCount", 0.0, 20.0),
    ("retryDelaySeconds", 60.0, 86_400.0),
];

/// Checks the rules between fields of a queue body (already shape-checked).
// unverified: none of these is documented as refused; each is a setting that cannot work
// (a transfer to no flow, a site and an edge group both placing the calls, a language that is
// not a code), refused so that a client bug shows here.
pub(crate) fn check_dependencies(body: &Map<String, Value>) -> Result<(), ApiError> {
    let callback = body.get("mediaSettings").and_then(|m| m.get("callback"));
    for (reaction, flow) in [
        ("liveVoiceReactionType", "liveVoiceFlow"),
        ("answeringMachineReactionType", "answeringMachineFlow"),
    ] {
        let transfers = callback
            .and_then(|c| c.get(reaction))
            .and_then(Value::as_str)
            == Some("TransferToFlow");
        if transfers && callback.and_then(|c| c.get(flow)).is_none() {
            return Err(ApiError::required_missing(&format!(
                "mediaSettings.callback.{flow}"
            )));
        }
    }
    if let Some(c) = callback
        && c.get("edgeGroup").is_some()
        && c.get("site").is_some()
    {
        return Err(ApiError::invalid_value(
            "mediaSettings.callback.site",
            "A callback names an edge group or a site to place its calls, not both.",
        ));
    }
    let inactivity = body
        .get("mediaSettings")
        .and_then(|m| m.pointer("/message/inactivityTimeoutSettings"));
    if let Some(t) = inactivity
        && t.get("actionType").and_then(Value::as_str) == Some("SEND_TO_ARCHITECT_FLOW")
        && t.get("flowId").is_none()
    {
        return Err(ApiError::required_missing(
            "mediaSettings.message.inactivityTimeoutSettings.flowId",
        ));
    }
    if let Some(language) = body.get("defaultMediaLanguage").and_then(Value::as_str)
        && !is_language_code(language)
    {
        return Err(ApiError::invalid_value(
            "defaultMediaLanguage",
            format!(
                "Value [{language}] is not valid for field [defaultMediaLanguage]: it must be a canonical language code such as en-US"
            ),
        ));
    }
    Ok(())
}

/// A canonical language code: a 2–3 letter lowercase language, then `-` subtags of 2–8
/// letters or digits (`en`, `en-US`, `zh-Hant-TW`).
fn is_language_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()));
    language_ok
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
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
    fn callback_ranges_and_dependencies_are_enforced() {
        let callback = |c: Value| json!({"mediaSettings": {"callback": c}});
        assert!(check(callback(json!({"autoDialDelaySeconds": 1200}))).is_ok());
        assert!(check(callback(json!({"autoEndDelaySeconds": 1201}))).is_err());
        assert!(check(callback(json!({"pacingModifier": 0.5}))).is_err());
        assert!(check(callback(json!({"maxRetryCount": 21}))).is_err());
        assert!(check(callback(json!({"retryDelaySeconds": 59}))).is_err());
        let deps = |v: Value| check_dependencies(v.as_object().unwrap());
        assert!(deps(callback(json!({"liveVoiceReactionType": "TransferToFlow"}))).is_err());
        assert!(
            deps(callback(
                json!({"liveVoiceReactionType": "TransferToFlow", "liveVoiceFlow": {"id": "f"}})
            ))
            .is_ok()
        );
        assert!(deps(callback(json!({"answeringMachineReactionType": "HangUp"}))).is_ok());
        assert!(
            deps(callback(
                json!({"edgeGroup": {"id": "e"}, "site": {"id": "s"}})
            ))
            .is_err()
        );
        let inactivity =
            |t: Value| json!({"mediaSettings": {"message": {"inactivityTimeoutSettings": t}}});
        assert!(deps(inactivity(json!({"actionType": "SEND_TO_ARCHITECT_FLOW"}))).is_err());
        assert!(deps(inactivity(json!({"actionType": "DISCONNECT"}))).is_ok());
        for good in ["en", "en-US", "zh-Hant-TW", "fil-PH"] {
            assert!(is_language_code(good), "{good}");
        }
        for bad in ["", "EN-us", "english", "en_US", "en-", "e"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }

    #[test]
    fn nulls_are_stripped() {
        let mut v = json!({"a": null, "b": {"c": null, "d": 1}, "e": [null, {"f": null}, 2]});
        strip_nulls(&mut v);
        assert_eq!(v, json!({"b": {"d": 1}, "e": [{}, 2]}));
    }
}
