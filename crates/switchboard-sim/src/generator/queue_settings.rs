//! The settings of generated queues that reference other objects, on `queueSettingsPercent`
//! percent of the queues: each such queue gets a default media language and, each on its own
//! chance, a customer-first callback transferring to inbound call flows and dialling through
//! an edge group or a site, message sub-type settings with an inactivity timeout, outbound
//! email addresses of its department's route, outbound messaging addresses, canned-response
//! libraries, direct routing with a backup queue, agent-owned callbacks, and conditional group
//! activation over member groups.
//!
//! It draws from an RNG of its own, seeded from the spec's seed, so the rest of a generated
//! org is the same whatever the percentage; with 0 it draws nothing and changes nothing. What
//! it writes is stored as a create would store it (references as `{id}`), and passes the
//! queue checks (a test holds it to that).

use rand::rngs::StdRng;
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};

use super::{DEPARTMENTS, LOCALES};
use crate::org::{GroupKind, OrgState};

/// Mixed into the spec's seed, so this RNG draws another sequence than the main one.
const SALT: u64 = 0x5157_5345_5454_494e;

/// The default media language of a queue named with each of [`LOCALES`].
const LANGUAGES: [&str; 5] = ["en-US", "es-ES", "fr-FR", "de-DE", "pt-BR"];

/// What the settings may name, collected once.
struct Pool {
    inbound_flows: Vec<String>,
    message_flows: Vec<String>,
    edge_groups: Vec<String>,
    sites: Vec<String>,
    libraries: Vec<String>,
    /// (domain id, route ids).
    domains: Vec<(String, Vec<(String, String)>)>,
    sms: Vec<String>,
    open: Vec<String>,
    whatsapp: Vec<String>,
    groups: Vec<(GroupKind, String)>,
}

impl Pool {
    fn of(org: &OrgState) -> Pool {
        let flows = |kind: &str| {
            org.flows
                .values()
                .filter(|f| f.flow_type == kind && !f.deleted)
                .map(|f| f.id.clone())
                .collect()
        };
        let recipients = |kind: &str| {
            org.message_recipients
                .values()
                .filter(|r| r.messenger_type == kind)
                .map(|r| r.id.clone())
                .collect()
        };
        let groups = org
            .groups
            .keys()
            .map(|id| (GroupKind::Group, id.clone()))
            .chain(org.teams.keys().map(|id| (GroupKind::Team, id.clone())))
            .chain(
                org.skill_groups
                    .keys()
                    .map(|id| (GroupKind::SkillGroup, id.clone())),
            )
            .collect();
        Pool {
            inbound_flows: flows("INBOUNDCALL"),
            message_flows: flows("INBOUNDSHORTMESSAGE"),
            edge_groups: org.edge_groups.keys().cloned().collect(),
            sites: org.sites.keys().cloned().collect(),
            libraries: org.canned_response_libraries.keys().cloned().collect(),
            domains: org
                .email_domains
                .values()
                .map(|d| {
                    let routes = d
                        .routes
                        .values()
                        .map(|r| (r.id.clone(), r.pattern.clone()))
                        .collect();
                    (d.id.clone(), routes)
                })
                .collect(),
            sms: org.sms_numbers.keys().cloned().collect(),
            open: recipients("open"),
            whatsapp: recipients("whatsapp"),
            groups,
        }
    }
}

/// One of `items`, if any.
fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.random_range(0..items.len())])
}

/// Whether a draw of `percent` percent succeeds.
fn chance(rng: &mut StdRng, percent: u8) -> bool {
    rng.random_range(0..100u8) < percent
}

/// Gives `percent` percent of `queues` (ids, in generation order; the `i`th named after
/// department `i % 8` and locale `i / 8 % 5`) the settings of the module.
pub(super) fn generate_queue_settings(
    org: &mut OrgState,
    seed: u64,
    queues: &[String],
    percent: u8,
) {
    if percent == 0 || queues.is_empty() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(seed ^ SALT);
    let pool = Pool::of(org);
    for (i, queue_id) in queues.iter().enumerate() {
        if !chance(&mut rng, percent) {
            continue;
        }
        let mut settings = Map::new();
        let locale = (i / DEPARTMENTS.len()) % LOCALES.len();
        settings.insert("defaultMediaLanguage".into(), json!(LANGUAGES[locale]));
        let department = DEPARTMENTS[i % DEPARTMENTS.len()].to_lowercase();
        callback(&mut rng, &pool, &mut settings);
        message(&mut rng, &pool, &mut settings);
        email(&mut rng, &pool, &department, &mut settings);
        messaging(&mut rng, &pool, &mut settings);
        libraries(&mut rng, &pool, &mut settings);
        routing(&mut rng, queues, queue_id, &mut settings);
        activation(&mut rng, &pool, queues, &mut settings);
        let Some(queue) = org.queues.get_mut(queue_id) else {
            continue;
        };
        for (key, value) in settings {
            match (queue.settings.get_mut(&key), value) {
                // `mediaSettings` merges into the media types the queue already has.
                (Some(Value::Object(have)), Value::Object(add)) => {
                    for (media, more) in add {
                        match (have.get_mut(&media), more) {
                            (Some(Value::Object(a)), Value::Object(b)) => a.extend(b),
                            (_, more) => {
                                have.insert(media, more);
                            }
                        }
                    }
                }
                (_, value) => {
                    queue.settings.insert(key, value);
                }
            }
        }
    }
}

/// A customer-first callback on 60 %: transfers live voices to an inbound flow, answering
/// machines to one or hangs up, and dials through an edge group or a site (or the default).
fn callback(rng: &mut StdRng, pool: &Pool, settings: &mut Map<String, Value>) {
    if !chance(rng, 60) {
        return;
    }
    let mut callback = json!({
        "alertingTimeoutSeconds": rng.random_range(20..=60u32),
        "serviceLevel": {"percentage": 0.8, "durationMs": 60_000},
        "mode": "CustomerFirst",
        "enableAutoDialAndEnd": true,
        "autoDialDelaySeconds": rng.random_range(0..=30u32) * 10,
        "autoEndDelaySeconds": rng.random_range(0..=12u32) * 10,
        "pacingModifier": f64::from(rng.random_range(10..=30u32)) / 10.0,
        "maxRetryCount": rng.random_range(0..=5u32),
        "retryDelaySeconds": rng.random_range(1..=20u32) * 60,
        "liveVoiceReactionType": "TransferToQueue",
        "answeringMachineReactionType": "HangUp",
    });
    if let Some(flow) = pick(rng, &pool.inbound_flows) {
        callback["liveVoiceReactionType"] = json!("TransferToFlow");
        callback["liveVoiceFlow"] = json!({"id": flow});
        if chance(rng, 40) {
            callback["answeringMachineReactionType"] = json!("TransferToFlow");
            callback["answeringMachineFlow"] = json!({"id": flow});
        }
    }
    match rng.random_range(0..3u8) {
        0 => {
            if let Some(group) = pick(rng, &pool.edge_groups) {
                callback["edgeGroup"] = json!({"id": group});
            }
        }
        1 => {
            if let Some(site) = pick(rng, &pool.sites) {
                callback["site"] = json!({"id": site});
            }
        }
        _ => {}
    }
    media(settings, "callback", callback);
}

/// Message settings on 70 %: sub-type settings for web messaging and WhatsApp, and an
/// inactivity timeout that disconnects or hands over to an in-queue message flow.
fn message(rng: &mut StdRng, pool: &Pool, settings: &mut Map<String, Value>) {
    if !chance(rng, 70) {
        return;
    }
    let timeout = rng.random_range(1..=24u32) * 300;
    let mut inactivity = json!({"timeoutSeconds": timeout, "actionType": "DISCONNECT"});
    if chance(rng, 50)
        && let Some(flow) = pick(rng, &pool.message_flows)
    {
        inactivity = json!({"timeoutSeconds": timeout, "actionType": "SEND_TO_ARCHITECT_FLOW",
                            "flowId": {"id": flow}});
    }
    let message = json!({
        "alertingTimeoutSeconds": rng.random_range(30..=120u32),
        "serviceLevel": {"percentage": 0.8, "durationMs": 60_000},
        "subTypeSettings": {
            "webmessaging": {"enableAutoAnswer": chance(rng, 30), "enableInactivityTimeout": true},
            "whatsapp": {"enableAutoAnswer": false, "enableInactivityTimeout": chance(rng, 50)},
        },
        "enableInactivityTimeout": true,
        "inactivityTimeoutSettings": inactivity,
    });
    media(settings, "message", message);
}

/// Outbound email on 50 %: the department's route of a domain, and that address with, on
/// half of them, another domain's in the email media's list.
fn email(rng: &mut StdRng, pool: &Pool, department: &str, settings: &mut Map<String, Value>) {
    if !chance(rng, 50) {
        return;
    }
    let Some((domain, routes)) = pick(rng, &pool.domains) else {
        return;
    };
    let route = routes
        .iter()
        .find(|(_, pattern)| pattern == department)
        .or_else(|| routes.first());
    let mut address = json!({"domain": {"id": domain}});
    if let Some((route, _)) = route {
        address["route"] = json!({"id": route});
    }
    let mut all = vec![address.clone()];
    if chance(rng, 50)
        && let Some((other, routes)) = pick(rng, &pool.domains)
        && other != domain
        && let Some((route, _)) = routes.first()
    {
        all.push(json!({"domain": {"id": other}, "route": {"id": route}}));
    }
    settings.insert("outboundEmailAddress".into(), address);
    media(
        settings,
        "email",
        json!({"alertingTimeoutSeconds": 300, "allOutboundEmailAddresses": all}),
    );
}

/// Outbound messaging addresses on 40 %: an SMS number, an open-messaging and a WhatsApp
/// recipient, each when the org has one.
fn messaging(rng: &mut StdRng, pool: &Pool, settings: &mut Map<String, Value>) {
    if !chance(rng, 40) {
        return;
    }
    let mut addresses = Map::new();
    for (key, ids) in [
        ("smsAddress", &pool.sms),
        ("openMessagingRecipient", &pool.open),
        ("whatsAppRecipient", &pool.whatsapp),
    ] {
        if let Some(id) = pick(rng, ids) {
            addresses.insert(key.into(), json!({"id": id}));
        }
    }
    if !addresses.is_empty() {
        settings.insert(
            "outboundMessagingAddresses".into(),
            Value::Object(addresses),
        );
    }
}

/// Canned-response libraries on 50 %: one to three selected, or all of them.
fn libraries(rng: &mut StdRng, pool: &Pool, settings: &mut Map<String, Value>) {
    if !chance(rng, 50) {
        return;
    }
    let value = if pool.libraries.is_empty() || chance(rng, 25) {
        json!({"mode": "All", "libraryIds": []})
    } else {
        let count = rng.random_range(1..=3usize).min(pool.libraries.len());
        let ids: Vec<&String> = sample(rng, pool.libraries.len(), count)
            .into_iter()
            .map(|i| &pool.libraries[i])
            .collect();
        json!({"mode": "SelectedOnly", "libraryIds": ids})
    };
    settings.insert("cannedResponseLibraries".into(), value);
}

/// Direct routing on 30 % (backed up by another queue), agent-owned callbacks on 30 %.
fn routing(rng: &mut StdRng, queues: &[String], own: &str, settings: &mut Map<String, Value>) {
    if chance(rng, 30) {
        let backup = pick(rng, queues).map_or(own, String::as_str);
        settings.insert(
            "directRouting".into(),
            json!({
                "callMediaSettings": {"useAgentAddressOutbound": true},
                "emailMediaSettings": {"useAgentAddressOutbound": chance(rng, 50)},
                "messageMediaSettings": {"useAgentAddressOutbound": true},
                "backupQueueId": backup,
                "waitForAgent": chance(rng, 50),
                "agentWaitSeconds": rng.random_range(1..=10u32) * 60,
            }),
        );
    }
    if chance(rng, 30) {
        settings.insert(
            "agentOwnedRouting".into(),
            json!({
                "enableAgentOwnedCallbacks": true,
                "maxOwnedCallbackHours": rng.random_range(1..=168u32),
                "maxOwnedCallbackDelayHours": rng.random_range(1..=720u32),
            }),
        );
    }
}

/// Conditional group activation on 20 %: a pilot rule on this queue's estimated wait, and a
/// rule that activates one or two member groups while another queue has few idle agents.
fn activation(rng: &mut StdRng, pool: &Pool, queues: &[String], settings: &mut Map<String, Value>) {
    if !chance(rng, 20) || pool.groups.is_empty() {
        return;
    }
    let count = rng.random_range(1..=2usize).min(pool.groups.len());
    let groups: Vec<Value> = sample(rng, pool.groups.len(), count)
        .into_iter()
        .map(|i| json!({"id": pool.groups[i].1, "type": pool.groups[i].0.wire()}))
        .collect();
    let mut idle = json!({"metric": "IdleAgentCount"});
    if let Some(other) = pick(rng, queues) {
        idle["queue"] = json!({"id": other});
    }
    settings.insert(
        "conditionalGroupActivation".into(),
        json!({
            "pilotRule": {
                "conditions": [{"simpleMetric": {"metric": "EstimatedWaitTime"},
                                "operator": "GreaterThan", "value": rng.random_range(2..=20u32) * 15}],
                "conditionExpression": "C1",
            },
            "rules": [{
                "conditions": [{"simpleMetric": idle, "operator": "LessThan",
                                "value": rng.random_range(1..=5u32)}],
                "conditionExpression": "C1",
                "groups": groups,
            }],
        }),
    );
}

/// Adds one media type's settings under `mediaSettings`.
fn media(settings: &mut Map<String, Value>, kind: &str, value: Value) {
    let media = settings
        .entry("mediaSettings")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(media) = media {
        media.insert(kind.into(), value);
    }
}
