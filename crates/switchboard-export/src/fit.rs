//! Fitting a live queue's settings (already in manifest vocabulary) to what a manifest
//! accepts: the API's defaults left out, fields the manifest does not model dropped, and
//! values outside the manifest's ranges left unmanaged, all by the manifest's own JSON
//! schema, so the export follows the model as it grows.
//!
//! Leaving a setting out is always safe: the plan compares only what the manifest sets. But
//! the plan compares objects key by key and arrays whole, so a value inside an array (a
//! bullseye ring, a routing rule) cannot be dropped alone: the whole array goes.

use serde_json::{Map, Value};

/// Settings left out when they hold the API's default value. Paths are in manifest
/// vocabulary; `*` is any media type.
pub const OMITTED_DEFAULTS: &[(&str, DefaultValue)] = &[
    ("description", DefaultValue::EmptyString),
    ("callingPartyName", DefaultValue::EmptyString),
    ("callingPartyNumber", DefaultValue::EmptyString),
    ("autoAnswerOnly", DefaultValue::False),
    ("enableTranscription", DefaultValue::False),
    ("enableAudioMonitoring", DefaultValue::False),
    ("enableManualAssignment", DefaultValue::False),
    ("mediaSettings.*.enableAutoAnswer", DefaultValue::False),
    (
        "mediaSettings.message.subTypeSettings.*.enableAutoAnswer",
        DefaultValue::False,
    ),
    (
        "mediaSettings.callback.enableAutoDialAndEnd",
        DefaultValue::False,
    ),
    (
        "mediaSettings.callback.autoDialDelaySeconds",
        DefaultValue::Number(300),
    ),
    (
        "mediaSettings.callback.autoEndDelaySeconds",
        DefaultValue::Number(300),
    ),
];

/// A default value of [`OMITTED_DEFAULTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultValue {
    /// `false`.
    False,
    /// `""`.
    EmptyString,
    /// A whole number.
    Number(i64),
}

impl DefaultValue {
    fn matches(self, value: &Value) -> bool {
        match self {
            DefaultValue::False => value == &Value::Bool(false),
            DefaultValue::EmptyString => value.as_str().is_some_and(|s| s.trim().is_empty()),
            DefaultValue::Number(n) => value.as_f64() == Some(n as f64),
        }
    }
}

/// Removes the settings that hold their default (see [`OMITTED_DEFAULTS`]), then any object
/// left empty.
pub(crate) fn omit_defaults(settings: &mut Map<String, Value>) {
    for (path, default) in OMITTED_DEFAULTS {
        let parts: Vec<&str> = path.split('.').collect();
        remove_default(settings, &parts, *default);
    }
    drop_empty_objects(settings);
}

fn remove_default(object: &mut Map<String, Value>, path: &[&str], default: DefaultValue) {
    match path {
        [] => {}
        [last] => {
            if object.get(*last).is_some_and(|v| default.matches(v)) {
                object.remove(*last);
            }
        }
        [first, rest @ ..] => {
            let children: Vec<&mut Value> = if *first == "*" {
                object.values_mut().collect()
            } else {
                object.get_mut(*first).into_iter().collect()
            };
            for child in children {
                if let Value::Object(child) = child {
                    remove_default(child, rest, default);
                }
            }
        }
    }
}

fn drop_empty_objects(object: &mut Map<String, Value>) {
    for value in object.values_mut() {
        if let Value::Object(child) = value {
            drop_empty_objects(child);
        }
    }
    object.retain(|_, v| !matches!(v, Value::Object(o) if o.is_empty()));
}

/// The manifest's JSON schema, for fitting values to it.
pub(crate) struct Schema {
    root: Value,
}

impl Schema {
    pub(crate) fn manifest() -> Schema {
        Schema {
            root: switchboard_manifest::json_schema(),
        }
    }

    /// The schema of the definition `name` (e.g. `Queue`).
    fn definition(&self, name: &str) -> Option<&Value> {
        self.root.get("$defs").and_then(|defs| defs.get(name))
    }

    /// Follows `$ref`s.
    fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..16 {
            let Some(target) = node.get("$ref").and_then(Value::as_str) else {
                return node;
            };
            let Some(found) = target
                .strip_prefix("#/$defs/")
                .and_then(|name| self.definition(name))
            else {
                return node;
            };
            node = found;
        }
        node
    }

    /// `settings` fitted to the definition `name`: keys the definition does not have are
    /// dropped silently (fields the manifest does not model); values that do not fit are
    /// dropped and reported in `dropped` with why, by path.
    pub(crate) fn fit_object(
        &self,
        name: &str,
        settings: &Map<String, Value>,
        dropped: &mut Vec<(String, String)>,
    ) -> Map<String, Value> {
        let Some(node) = self.definition(name) else {
            return Map::new();
        };
        // The root's required keys (the queue's `name`) are the caller's to add.
        self.fit_map(settings, node, false, "", dropped, false)
            .unwrap_or_default()
    }

    /// Fits `value` to `node`. Outside arrays (`strict` false), an object keeps what fits and
    /// drops the rest; inside arrays anything that does not fit fails the whole value.
    fn fit(
        &self,
        value: &Value,
        node: &Value,
        strict: bool,
        path: &str,
        dropped: &mut Vec<(String, String)>,
    ) -> Result<Value, String> {
        let node = self.resolve(node);
        if let Some(options) = node.get("oneOf").and_then(Value::as_array) {
            let allowed: Vec<&Value> = options.iter().filter_map(|o| o.get("const")).collect();
            if !allowed.is_empty() {
                return if allowed.contains(&value) {
                    Ok(value.clone())
                } else {
                    Err(format!(
                        "{value} is not one of the values the manifest accepts"
                    ))
                };
            }
        }
        if let Some(constant) = node.get("const") {
            return if constant == value {
                Ok(value.clone())
            } else {
                Err(format!("{value} is not {constant}"))
            };
        }
        match node.get("type").and_then(Value::as_str) {
            Some("object") => {
                let Value::Object(object) = value else {
                    return Err("not a mapping".into());
                };
                self.fit_map(object, node, strict, path, dropped, true)
                    .map(Value::Object)
            }
            Some("array") => {
                let Value::Array(items) = value else {
                    return Err("not a list".into());
                };
                let len = items.len() as u64;
                if let Some(min) = node.get("minItems").and_then(Value::as_u64)
                    && len < min
                {
                    return Err(format!("{len} items; the manifest needs at least {min}"));
                }
                if let Some(max) = node.get("maxItems").and_then(Value::as_u64)
                    && len > max
                {
                    return Err(format!("{len} items; the manifest takes at most {max}"));
                }
                let item_node = node.get("items").unwrap_or(&Value::Null);
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        self.fit(item, item_node, true, &format!("{path}[{i}]"), dropped)
                            .map_err(|why| format!("item {}: {why}", i + 1))
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array)
            }
            Some("string") => {
                let Some(text) = value.as_str() else {
                    return Err("not text".into());
                };
                let len = text.chars().count() as u64;
                if let Some(min) = node.get("minLength").and_then(Value::as_u64)
                    && len < min
                {
                    return Err("too short".into());
                }
                if let Some(max) = node.get("maxLength").and_then(Value::as_u64)
                    && len > max
                {
                    return Err(format!("longer than {max} characters"));
                }
                Ok(value.clone())
            }
            Some("boolean") => value
                .is_boolean()
                .then(|| value.clone())
                .ok_or_else(|| "not true or false".into()),
            Some("integer") => {
                let whole = value
                    .as_i64()
                    .map(|n| n as f64)
                    .or_else(|| value.as_u64().map(|n| n as f64))
                    .or_else(|| value.as_f64().filter(|f| f.fract() == 0.0));
                let Some(number) = whole else {
                    return Err(format!("{value} is not a whole number"));
                };
                let (low, high) = match node.get("format").and_then(Value::as_str) {
                    Some("uint8") => (0.0, f64::from(u8::MAX)),
                    Some("uint16") => (0.0, f64::from(u16::MAX)),
                    Some("uint32") => (0.0, f64::from(u32::MAX)),
                    Some("int32") => (f64::from(i32::MIN), f64::from(i32::MAX)),
                    Some("uint64") => (0.0, f64::MAX),
                    _ => (f64::MIN, f64::MAX),
                };
                if number < low || number > high {
                    return Err(format!("{value} is out of range"));
                }
                in_range(number, node)?;
                Ok(normalised_number(number))
            }
            Some("number") => {
                let Some(number) = value.as_f64().filter(|f| f.is_finite()) else {
                    return Err(format!("{value} is not a number"));
                };
                in_range(number, node)?;
                Ok(value.clone())
            }
            _ => Ok(value.clone()),
        }
    }

    fn fit_map(
        &self,
        object: &Map<String, Value>,
        node: &Value,
        strict: bool,
        path: &str,
        dropped: &mut Vec<(String, String)>,
        check_required: bool,
    ) -> Result<Map<String, Value>, String> {
        let properties = node.get("properties").and_then(Value::as_object);
        let mut out = Map::new();
        for (key, child) in object {
            let child_path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            // A map (`additionalProperties`, e.g. message sub-types) fits each value to it.
            let entries = node
                .get("additionalProperties")
                .filter(|schema| schema.is_object());
            let Some(child_node) = properties.and_then(|p| p.get(key)).or(entries) else {
                if strict {
                    return Err(format!("`{key}` is not part of the manifest"));
                }
                continue;
            };
            match self.fit(child, child_node, strict, &child_path, dropped) {
                Ok(fitted) => {
                    out.insert(key.clone(), fitted);
                }
                Err(why) if strict => return Err(format!("`{key}`: {why}")),
                Err(why) => dropped.push((child_path, why)),
            }
        }
        let required = node
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|_| check_required);
        for key in required {
            if !out.contains_key(key) {
                return Err(format!("`{key}` is missing"));
            }
        }
        Ok(out)
    }
}

fn in_range(number: f64, node: &Value) -> Result<(), String> {
    if let Some(min) = node.get("minimum").and_then(Value::as_f64)
        && number < min
    {
        return Err(format!(
            "{} is below the manifest's minimum {}",
            normalised_number(number),
            normalised_number(min)
        ));
    }
    if let Some(max) = node.get("maximum").and_then(Value::as_f64)
        && number > max
    {
        return Err(format!(
            "{} is above the manifest's maximum {}",
            normalised_number(number),
            normalised_number(max)
        ));
    }
    Ok(())
}

/// A number as JSON, whole numbers as integers.
fn normalised_number(number: f64) -> Value {
    whole(number).map_or_else(|| Value::from(number), Value::from)
}

/// `number` as an integer, when it is whole and well inside `i64`.
pub(crate) fn whole(number: f64) -> Option<i64> {
    #[allow(clippy::cast_possible_truncation)]
    (number.fract() == 0.0 && number.abs() < 9.0e15).then_some(number as i64)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn defaults_are_left_out_and_empty_objects_with_them() {
        let mut settings = object(json!({
            "description": "",
            "enableTranscription": false,
            "enableAudioMonitoring": true,
            "suppressInQueueCallRecording": false,
            "mediaSettings": {
                "call": {"enableAutoAnswer": false, "alertingTimeoutSeconds": 8},
                "chat": {"enableAutoAnswer": false},
                "callback": {"autoDialDelaySeconds": 300, "autoEndDelaySeconds": 120, "enableAutoDialAndEnd": false},
            },
        }));
        omit_defaults(&mut settings);
        assert_eq!(
            Value::Object(settings),
            json!({
                "enableAudioMonitoring": true,
                "suppressInQueueCallRecording": false,
                "mediaSettings": {
                    "call": {"alertingTimeoutSeconds": 8},
                    "callback": {"autoEndDelaySeconds": 120},
                },
            })
        );
    }

    #[test]
    fn unmodelled_fields_go_silently_and_bad_values_are_reported() {
        let schema = Schema::manifest();
        let settings = object(json!({
            "skillEvaluationMethod": "BEST",
            "scoringMethod": "Sometimes",
            "mediaSettings": {
                "call": {"alertingTimeoutSeconds": 3, "serviceLevel": {"percentage": 0.8, "durationMs": 20000}},
                "message": {"alertingTimeoutSeconds": 30, "subTypeSettings": {"x": {"enableAutoAnswer": true, "later": 1}}},
            },
            "acwSettings": {"timeoutMs": 5000},
            "identityResolution": {"callOnBehalfOfQueue": true},
            "routingRules": [{"operator": "ANY", "waitSeconds": 1}],
            "bullseye": {"rings": [{"expansionTimeoutSeconds": 10}, {}]},
        }));
        let mut dropped = Vec::new();
        let fitted = schema.fit_object("Queue", &settings, &mut dropped);
        assert_eq!(
            Value::Object(fitted),
            json!({
                "skillEvaluationMethod": "BEST",
                "mediaSettings": {
                    "call": {"serviceLevel": {"percentage": 0.8, "durationMs": 20000}},
                    "message": {"alertingTimeoutSeconds": 30, "subTypeSettings": {"x": {"enableAutoAnswer": true}}},
                },
                "bullseye": {"rings": [{"expansionTimeoutSeconds": 10}, {}]},
            })
        );
        let paths: Vec<&str> = dropped.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "acwSettings",
                "mediaSettings.call.alertingTimeoutSeconds",
                "routingRules",
                "scoringMethod"
            ]
        );
    }
}
