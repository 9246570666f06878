//! The queue settings that reference other objects, and the ones around them: accepted on
//! create and replace, stored and answered with names and `selfUri`s, and each kind of bad
//! value refused with the API's error shape.

use serde_json::{Value, json};

use crate::lookup_org::{id_named, start};
use crate::support::Api;

const QUEUES: &str = "/api/v2/routing/queues";

/// The ids a full body needs, looked up through the API by name.
struct Ids {
    inbound_flow: String,
    in_queue_flow: String,
    library: String,
    other_library: String,
    route: String,
    eu_route: String,
    sales_route: String,
    sms: String,
    open: String,
    whatsapp: String,
    edge_group: String,
    site: String,
    billing_queue: String,
    sales_queue: String,
    group: String,
    team: String,
}

async fn ids(api: &Api) -> Ids {
    let list = |path: &'static str| async move { api.get(path).await.body };
    let flows = list("/api/v2/flows").await;
    let libraries = list("/api/v2/responsemanagement/libraries").await;
    let routes = list("/api/v2/routing/email/domains/support.example.com/routes").await;
    let sales_routes = list("/api/v2/routing/email/domains/sales.example.com/routes").await;
    let sms = list("/api/v2/routing/sms/phonenumbers").await;
    let open = list("/api/v2/routing/message/recipients?messengerType=open").await;
    let whatsapp =
        list("/api/v2/routing/message/recipients?messengerType=whatsapp&name=Billing").await;
    let edges = list("/api/v2/telephony/providers/edges/edgegroups").await;
    let sites = list("/api/v2/telephony/providers/edges/sites").await;
    let queues = list(QUEUES).await;
    let groups = api
        .post(
            "/api/v2/groups/search",
            json!({"query": [{"type": "EXACT", "fields": ["name"], "value": "Billing Agents"}]}),
        )
        .await
        .body;
    let teams = list("/api/v2/teams").await;
    let route = |body: &Value, pattern: &str| {
        body["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["pattern"] == pattern)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    Ids {
        inbound_flow: id_named(&flows, "Billing Inbound"),
        in_queue_flow: id_named(&flows, "Sales In-Queue"),
        library: id_named(&libraries, "Billing Answers"),
        other_library: id_named(&libraries, "Sales Answers"),
        route: route(&routes, "billing"),
        eu_route: route(&routes, "billing-eu"),
        sales_route: route(&sales_routes, "sales"),
        sms: sms["entities"][0]["id"].as_str().unwrap().to_string(),
        open: id_named(&open, "Web Chat"),
        whatsapp: id_named(&whatsapp, "Billing WhatsApp"),
        edge_group: id_named(&edges, "Callback Edges"),
        site: id_named(&sites, "Dublin"),
        billing_queue: id_named(&queues, "Billing EN"),
        sales_queue: id_named(&queues, "Sales EN"),
        group: id_named(&groups, "Billing Agents"),
        team: id_named(&teams, "Team Alpha"),
    }
}

/// A queue body with every setting that references another object, and the settings around
/// them.
fn full_body(x: &Ids) -> Value {
    json!({
        "name": "Everything",
        "defaultMediaLanguage": "en-US",
        "mediaSettings": {
            "callback": {
                "alertingTimeoutSeconds": 30, "mode": "CustomerFirst", "enableAutoDialAndEnd": true,
                "autoDialDelaySeconds": 10, "autoEndDelaySeconds": 20, "pacingModifier": 1.5,
                "maxRetryCount": 3, "retryDelaySeconds": 300,
                "liveVoiceReactionType": "TransferToFlow", "liveVoiceFlow": {"id": x.inbound_flow},
                "answeringMachineReactionType": "TransferToFlow",
                "answeringMachineFlow": {"id": x.inbound_flow},
                "edgeGroup": {"id": x.edge_group}
            },
            "email": {
                "alertingTimeoutSeconds": 300,
                "allOutboundEmailAddresses": [
                    {"domain": {"id": "support.example.com"}, "route": {"id": x.route}},
                    {"domain": {"id": "Sales.Example.com"}, "route": {"id": x.sales_route}}
                ]
            },
            "message": {
                "alertingTimeoutSeconds": 40,
                "subTypeSettings": {"whatsapp": {"enableAutoAnswer": true, "enableInactivityTimeout": true}},
                "enableInactivityTimeout": true,
                "inactivityTimeoutSettings": {"timeoutSeconds": 600, "actionType": "SEND_TO_ARCHITECT_FLOW",
                                              "flowId": {"id": x.in_queue_flow}}
            }
        },
        "outboundEmailAddress": {"domain": {"id": "support.example.com"}, "route": {"id": x.eu_route}},
        "outboundMessagingAddresses": {
            "smsAddress": {"id": x.sms},
            "openMessagingRecipient": {"id": x.open},
            "whatsAppRecipient": {"id": x.whatsapp}
        },
        "cannedResponseLibraries": {"mode": "SelectedOnly", "libraryIds": [x.library, x.other_library]},
        "directRouting": {
            "callMediaSettings": {"useAgentAddressOutbound": true},
            "emailMediaSettings": {"useAgentAddressOutbound": false},
            "messageMediaSettings": {"useAgentAddressOutbound": true},
            "backupQueueId": x.billing_queue, "waitForAgent": true, "agentWaitSeconds": 120
        },
        "agentOwnedRouting": {"enableAgentOwnedCallbacks": true, "maxOwnedCallbackHours": 24,
                              "maxOwnedCallbackDelayHours": 72},
        "conditionalGroupActivation": {
            "pilotRule": {"conditions": [{"simpleMetric": {"metric": "EstimatedWaitTime", "queue": {"id": x.sales_queue}},
                                          "operator": "GreaterThan", "value": 30}],
                          "conditionExpression": "C1"},
            "rules": [{"conditions": [{"simpleMetric": {"metric": "IdleAgentCount"}, "operator": "LessThan", "value": 2}],
                       "conditionExpression": "C1",
                       "groups": [{"id": x.group, "type": "GROUP"}, {"id": x.team, "type": "TEAM"}]}]
        }
    })
}

#[tokio::test]
async fn every_reference_is_stored_and_answered_with_its_name() {
    let api = start().await;
    let x = ids(&api).await;
    let created = api.post(QUEUES, full_body(&x)).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_string();
    let got = api.get(&format!("{QUEUES}/{id}")).await;
    assert_eq!(got.body, created.body);
    let q = &got.body;
    let callback = &q["mediaSettings"]["callback"];
    assert_eq!(callback["liveVoiceFlow"]["name"], "Billing Inbound");
    assert_eq!(
        callback["liveVoiceFlow"]["selfUri"],
        format!("/api/v2/flows/{}", x.inbound_flow)
    );
    assert_eq!(callback["edgeGroup"]["name"], "Callback Edges");
    assert_eq!(callback["pacingModifier"], 1.5);
    assert_eq!(
        q["mediaSettings"]["message"]["inactivityTimeoutSettings"]["flowId"]["name"],
        "Sales In-Queue"
    );
    assert_eq!(
        q["mediaSettings"]["message"]["subTypeSettings"]["whatsapp"]["enableAutoAnswer"],
        true
    );
    // Email addresses: the domain as a reference, lowercase; the route whole.
    let address = &q["outboundEmailAddress"];
    assert_eq!(address["domain"]["id"], "support.example.com");
    assert_eq!(address["route"]["pattern"], "billing-eu");
    assert_eq!(address["route"]["fromEmail"], "eu@support.example.com");
    let all = &q["mediaSettings"]["email"]["allOutboundEmailAddresses"];
    assert_eq!(all[1]["domain"]["id"], "sales.example.com");
    assert_eq!(all[1]["route"]["fromName"], "sales");
    let messaging = &q["outboundMessagingAddresses"];
    assert_eq!(messaging["smsAddress"]["name"], "+13175550100");
    assert_eq!(messaging["openMessagingRecipient"]["name"], "Web Chat");
    assert_eq!(messaging["whatsAppRecipient"]["name"], "Billing WhatsApp");
    assert_eq!(
        q["cannedResponseLibraries"]["libraryIds"],
        json!([x.library, x.other_library])
    );
    assert_eq!(q["directRouting"]["backupQueueId"], x.billing_queue);
    assert_eq!(q["defaultMediaLanguage"], "en-US");
    let cga = &q["conditionalGroupActivation"];
    assert_eq!(
        cga["pilotRule"]["conditions"][0]["simpleMetric"]["queue"]["name"],
        "Sales EN"
    );
    assert_eq!(cga["rules"][0]["groups"][0]["name"], "Billing Agents");
    assert_eq!(cga["rules"][0]["groups"][1]["name"], "Team Alpha");
    // The answer goes back whole as a replace, and nothing changes.
    let replaced = api.put(&format!("{QUEUES}/{id}"), got.body.clone()).await;
    assert_eq!(replaced.status, 200, "{}", replaced.body);
    let mut again = replaced.body.clone();
    again["dateModified"] = got.body["dateModified"].clone();
    assert_eq!(again, got.body);
    // A queue may name itself as its direct-routing backup once it exists.
    let mut own = got.body.clone();
    own["directRouting"]["backupQueueId"] = json!(id);
    assert_eq!(api.put(&format!("{QUEUES}/{id}"), own).await.status, 200);
}

#[tokio::test]
async fn bad_settings_are_refused_by_kind() {
    let api = start().await;
    let x = ids(&api).await;
    let unknown = "00000000-0000-4000-8000-000000000000";
    // (what, JSON pointer to set, value, code, the field the error names)
    let cases: Vec<(&str, &str, Value, &str, &str)> = vec![
        (
            "unknown library",
            "/cannedResponseLibraries/libraryIds/1",
            json!(unknown),
            "invalid.value",
            "cannedResponseLibraries.libraryIds",
        ),
        (
            "selected, none given",
            "/cannedResponseLibraries",
            json!({"mode": "SelectedOnly"}),
            "required.field.missing",
            "cannedResponseLibraries.libraryIds",
        ),
        (
            "ids with mode All",
            "/cannedResponseLibraries/mode",
            json!("All"),
            "invalid.value",
            "cannedResponseLibraries.libraryIds",
        ),
        (
            "library mode",
            "/cannedResponseLibraries/mode",
            json!("Some"),
            "invalid.value",
            "cannedResponseLibraries.mode",
        ),
        (
            "unknown domain",
            "/outboundEmailAddress/domain/id",
            json!("nowhere.example.com"),
            "invalid.value",
            "outboundEmailAddress.domain.id",
        ),
        (
            "route of another domain",
            "/outboundEmailAddress/route/id",
            json!(x.sales_route),
            "invalid.value",
            "outboundEmailAddress.route.id",
        ),
        (
            "route without domain",
            "/outboundEmailAddress",
            json!({"route": {"id": x.route}}),
            "required.field.missing",
            "outboundEmailAddress.domain.id",
        ),
        (
            "unknown route in the list",
            "/mediaSettings/email/allOutboundEmailAddresses/1/route/id",
            json!(unknown),
            "invalid.value",
            "mediaSettings.email.allOutboundEmailAddresses[1].route.id",
        ),
        (
            "unknown SMS number",
            "/outboundMessagingAddresses/smsAddress/id",
            json!(unknown),
            "invalid.value",
            "outboundMessagingAddresses.smsAddress.id",
        ),
        (
            "open recipient of WhatsApp",
            "/outboundMessagingAddresses/openMessagingRecipient/id",
            json!(x.whatsapp),
            "invalid.value",
            "outboundMessagingAddresses.openMessagingRecipient.id",
        ),
        (
            "WhatsApp recipient of open",
            "/outboundMessagingAddresses/whatsAppRecipient/id",
            json!(x.open),
            "invalid.value",
            "outboundMessagingAddresses.whatsAppRecipient.id",
        ),
        (
            "reference without id",
            "/outboundMessagingAddresses/smsAddress",
            json!({"name": "x"}),
            "required.field.missing",
            "outboundMessagingAddresses.smsAddress.id",
        ),
        (
            "live voice flow of another type",
            "/mediaSettings/callback/liveVoiceFlow/id",
            json!(x.in_queue_flow),
            "invalid.value",
            "mediaSettings.callback.liveVoiceFlow.id",
        ),
        (
            "unknown answering machine flow",
            "/mediaSettings/callback/answeringMachineFlow/id",
            json!(unknown),
            "invalid.value",
            "mediaSettings.callback.answeringMachineFlow.id",
        ),
        (
            "transfer to no flow",
            "/mediaSettings/callback/liveVoiceFlow",
            Value::Null,
            "required.field.missing",
            "mediaSettings.callback.liveVoiceFlow",
        ),
        (
            "unknown edge group",
            "/mediaSettings/callback/edgeGroup/id",
            json!(unknown),
            "invalid.value",
            "mediaSettings.callback.edgeGroup.id",
        ),
        (
            "edge group and site",
            "/mediaSettings/callback/site",
            json!({"id": x.site}),
            "invalid.value",
            "mediaSettings.callback.site",
        ),
        (
            "callback mode",
            "/mediaSettings/callback/mode",
            json!("Sometimes"),
            "invalid.value",
            "mediaSettings.callback.mode",
        ),
        (
            "auto-dial delay",
            "/mediaSettings/callback/autoDialDelaySeconds",
            json!(1201),
            "invalid.value",
            "mediaSettings.callback.autoDialDelaySeconds",
        ),
        (
            "retry delay",
            "/mediaSettings/callback/retryDelaySeconds",
            json!(10),
            "invalid.value",
            "mediaSettings.callback.retryDelaySeconds",
        ),
        (
            "retries",
            "/mediaSettings/callback/maxRetryCount",
            json!(21),
            "invalid.value",
            "mediaSettings.callback.maxRetryCount",
        ),
        (
            "unknown inactivity flow",
            "/mediaSettings/message/inactivityTimeoutSettings/flowId/id",
            json!(unknown),
            "invalid.value",
            "mediaSettings.message.inactivityTimeoutSettings.flowId.id",
        ),
        (
            "flow action without flow",
            "/mediaSettings/message/inactivityTimeoutSettings/flowId",
            Value::Null,
            "required.field.missing",
            "mediaSettings.message.inactivityTimeoutSettings.flowId",
        ),
        (
            "inactivity action",
            "/mediaSettings/message/inactivityTimeoutSettings/actionType",
            json!("WAIT"),
            "invalid.value",
            "mediaSettings.message.inactivityTimeoutSettings.actionType",
        ),
        (
            "unknown backup queue",
            "/directRouting/backupQueueId",
            json!(unknown),
            "invalid.value",
            "directRouting.backupQueueId",
        ),
        (
            "agent wait",
            "/directRouting/agentWaitSeconds",
            json!(59),
            "invalid.value",
            "directRouting.agentWaitSeconds",
        ),
        (
            "owned callback hours",
            "/agentOwnedRouting/maxOwnedCallbackHours",
            json!(169),
            "invalid.value",
            "agentOwnedRouting.maxOwnedCallbackHours",
        ),
        (
            "unknown evaluated queue",
            "/conditionalGroupActivation/pilotRule/conditions/0/simpleMetric/queue/id",
            json!(unknown),
            "invalid.value",
            "conditionalGroupActivation.pilotRule.conditions[0].simpleMetric.queue.id",
        ),
        (
            "activation metric",
            "/conditionalGroupActivation/rules/0/conditions/0/simpleMetric/metric",
            json!("Mood"),
            "invalid.value",
            "conditionalGroupActivation.rules[0].conditions[0].simpleMetric.metric",
        ),
        (
            "unknown activated group",
            "/conditionalGroupActivation/rules/0/groups/1/id",
            json!(unknown),
            "invalid.value",
            "conditionalGroupActivation.rules[0].groups[1].id",
        ),
        (
            "activated group without type",
            "/conditionalGroupActivation/rules/0/groups/0",
            json!({"id": x.group}),
            "required.field.missing",
            "conditionalGroupActivation.rules[0].groups[0].type",
        ),
        (
            "language",
            "/defaultMediaLanguage",
            json!("english"),
            "invalid.value",
            "defaultMediaLanguage",
        ),
    ];
    let queue = id_named(&api.get(QUEUES).await.body, "Plain");
    for (what, pointer, value, code, field) in cases {
        let mut body = full_body(&x);
        set(&mut body, pointer, value);
        for (method, path) in [
            ("POST", QUEUES.to_string()),
            ("PUT", format!("{QUEUES}/{queue}")),
        ] {
            let mut body = body.clone();
            if method == "PUT" {
                body["name"] = json!("Plain");
            }
            let r = if method == "POST" {
                api.post(&path, body).await
            } else {
                api.put(&path, body).await
            };
            assert_eq!(r.status, 400, "{what} ({method}): {}", r.body);
            assert_eq!(r.code(), code, "{what} ({method}): {}", r.body);
            assert_eq!(
                r.body["details"][0]["fieldName"], field,
                "{what} ({method}): {}",
                r.body
            );
        }
    }
    assert_eq!(
        api.get(QUEUES).await.body["total"],
        3,
        "nothing refused was created"
    );
}

#[tokio::test]
async fn a_route_named_by_id_alone_is_a_reference_not_a_route() {
    let api = start().await;
    let x = ids(&api).await;
    // `QueueEmailAddress.route` is an `InboundRoute`, which requires `pattern` and `fromName`;
    // a queue names its route by id, as CX as Code does.
    let body = json!({"name": "Email only",
                      "outboundEmailAddress": {"domain": {"id": "support.example.com"}, "route": {"id": x.route}}});
    let created = api.post(QUEUES, body).await;
    assert_eq!(created.status, 200, "{}", created.body);
    // Other required fields of a route are still required where a route is a route.
    let body = json!({"name": "Bad route", "outboundEmailAddress": {"domain": {"id": "support.example.com"},
                      "route": {"id": x.route, "priority": "high"}}});
    assert_eq!(api.post(QUEUES, body).await.status, 400);
    // Libraries with mode None and no ids, and an address of a domain alone, are kept.
    let body = json!({"name": "No libraries", "cannedResponseLibraries": {"mode": "None", "libraryIds": []},
                      "outboundEmailAddress": {"domain": {"id": "SALES.example.com"}}});
    let created = api.post(QUEUES, body).await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(
        created.body["outboundEmailAddress"],
        json!({"domain": {"id": "sales.example.com", "name": "sales.example.com",
                          "selfUri": "/api/v2/routing/email/domains/sales.example.com"}})
    );
}

/// Sets (or, for `null`, removes) the value at a JSON pointer, creating nothing.
fn set(body: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let slot = body
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{pointer}"));
    match (slot, value) {
        (Value::Object(map), Value::Null) => {
            map.remove(key);
        }
        (Value::Object(map), value) => {
            map.insert(key.to_string(), value);
        }
        (Value::Array(items), value) => items[key.parse::<usize>().unwrap()] = value,
        (other, _) => panic!("{pointer}: {other}"),
    }
}

#[tokio::test]
async fn generated_settings_are_answered_as_described_and_written_back_as_they_are() {
    let spec = switchboard_sim::GeneratorSpec {
        member_group_percent: 30,
        queue_settings_percent: 100,
        ..switchboard_sim::GeneratorSpec::small()
    };
    let api = Api::start(switchboard_sim::Sim::builder().generate(spec)).await;
    // Every answer is checked against the description (`Api::get`).
    let listing = api.get(&format!("{QUEUES}?pageSize=100")).await;
    let queues = listing.body["entities"].as_array().unwrap();
    assert_eq!(queues.len(), 50);
    assert!(queues.iter().all(|q| q["defaultMediaLanguage"].is_string()));
    let named = queues
        .iter()
        .find(|q| q["mediaSettings"]["callback"]["liveVoiceFlow"].is_object())
        .expect("a customer-first callback with a flow");
    assert!(
        named["mediaSettings"]["callback"]["liveVoiceFlow"]["name"]
            .as_str()
            .unwrap()
            .contains("Inbound Call")
    );
    for queue in queues {
        let id = queue["id"].as_str().unwrap();
        let put = api.put(&format!("{QUEUES}/{id}"), queue.clone()).await;
        assert_eq!(put.status, 200, "{}: {}", queue["name"], put.body);
    }
}
