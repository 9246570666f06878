//! Looking up what a queue's other settings reference: canned-response libraries, email
//! domains and routes, SMS numbers, message recipients, edge groups and sites (page paging);
//! each filter as the simulator matches it, 400s on what it refuses, and seeded ids.

use serde_json::Value;
use switchboard_sim::{GeneratorSpec, Sim};

use crate::lookup_org::{ORG_A, ORG_B, lookup_org, names, start};
use crate::support::Api;

fn field(body: &Value, key: &str) -> Vec<String> {
    body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[key].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn libraries_match_a_case_insensitive_prefix() {
    let api = start().await;
    let all = api.get("/api/v2/responsemanagement/libraries").await;
    assert_eq!(all.status, 200);
    assert_eq!(
        names(&all.body),
        ["Billing Answers", "Billing Forms", "Sales Answers"]
    );
    let billing = api
        .get("/api/v2/responsemanagement/libraries?libraryPrefix=billing")
        .await;
    assert_eq!(names(&billing.body), ["Billing Answers", "Billing Forms"]);
    let none = api
        .get("/api/v2/responsemanagement/libraries?libraryPrefix=Answers")
        .await;
    assert_eq!(none.body["total"], 0, "a prefix, not contains");
    let refused = api
        .get("/api/v2/responsemanagement/libraries?messagingTemplateFilter=whatsapp")
        .await;
    assert_eq!(refused.status, 400);
}

#[tokio::test]
async fn email_domains_are_known_by_name_and_list_their_routes() {
    let api = start().await;
    let domains = api.get("/api/v2/routing/email/domains").await;
    assert_eq!(
        field(&domains.body, "id"),
        ["sales.example.com", "support.example.com"],
        "the id is the domain name, lowercase"
    );
    assert_eq!(domains.body["entities"][0]["mxRecordStatus"], "VALID");
    let bare = api
        .get("/api/v2/routing/email/domains?excludeStatus=true")
        .await;
    assert!(bare.body["entities"][0].get("mxRecordStatus").is_none());
    assert_eq!(
        api.get("/api/v2/routing/email/domains?filter=**sales**")
            .await
            .status,
        400
    );
    // The domain in the path is matched case-insensitively.
    let routes = api
        .get("/api/v2/routing/email/domains/SUPPORT.example.com/routes")
        .await;
    assert_eq!(routes.status, 200);
    assert_eq!(field(&routes.body, "pattern"), ["billing", "billing-eu"]);
    let first = &routes.body["entities"][0];
    assert_eq!(first["fromName"], "Billing Team");
    assert_eq!(first["fromEmail"], "billing@support.example.com");
    assert_eq!(
        routes.body["entities"][1]["fromEmail"],
        "eu@support.example.com"
    );
    let eu = api
        .get("/api/v2/routing/email/domains/support.example.com/routes?pattern=EU")
        .await;
    assert_eq!(field(&eu.body, "pattern"), ["billing-eu"]);
    let unknown = api
        .get("/api/v2/routing/email/domains/nowhere.example.com/routes")
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.code(), "not.found");
}

#[tokio::test]
async fn sms_numbers_match_digits_anywhere_or_a_wildcard_pattern() {
    let api = start().await;
    let get = |filter: &'static str| {
        let api = &api;
        async move {
            let r = api
                .get(&format!(
                    "/api/v2/routing/sms/phonenumbers?phoneNumber={filter}"
                ))
                .await;
            assert_eq!(r.status, 200, "{filter}: {}", r.body);
            field(&r.body, "phoneNumber")
        }
    };
    assert_eq!(get("0100").await, ["+13175550100", "+442075550100"]);
    assert_eq!(get("1317*").await, ["+13175550100", "+13175550199"]);
    assert_eq!(get("317*").await, Vec::<String>::new(), "anchored with a *");
    assert_eq!(get("*99").await, ["+13175550199"]);
    let bad = api
        .get("/api/v2/routing/sms/phonenumbers?phoneNumber=%2B1317")
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.code(), "invalid.value");
    let local = api
        .get("/api/v2/routing/sms/phonenumbers?phoneNumberType=local&phoneNumberStatus=active")
        .await;
    assert_eq!(local.body["total"], 3);
    let tollfree = api
        .get("/api/v2/routing/sms/phonenumbers?phoneNumberType=tollfree")
        .await;
    assert_eq!(tollfree.body["total"], 0);
    let wrong = api
        .get("/api/v2/routing/sms/phonenumbers?phoneNumberType=landline")
        .await;
    assert_eq!(wrong.status, 400);
}

#[tokio::test]
async fn recipients_filter_by_messenger_type_and_name() {
    let api = start().await;
    let open = api
        .get("/api/v2/routing/message/recipients?messengerType=open")
        .await;
    assert_eq!(names(&open.body), ["Web Chat"]);
    assert_eq!(open.body["entities"][0]["messengerType"], "open");
    let whatsapp = api
        .get("/api/v2/routing/message/recipients?messengerType=whatsapp&name=web")
        .await;
    assert_eq!(names(&whatsapp.body), ["Web Chat"]);
    assert_ne!(
        whatsapp.body["entities"][0]["id"], open.body["entities"][0]["id"],
        "one name, two messenger types, two recipients"
    );
    let all = api.get("/api/v2/routing/message/recipients").await;
    assert_eq!(all.body["total"], 3);
    let bad = api
        .get("/api/v2/routing/message/recipients?messengerType=linkedin")
        .await;
    assert_eq!(bad.status, 400, "not in the listing's enum");
}

#[tokio::test]
async fn edge_groups_and_sites_list_by_name() {
    let api = start().await;
    let groups = api
        .get("/api/v2/telephony/providers/edges/edgegroups")
        .await;
    assert_eq!(names(&groups.body), ["Backup Edges", "Callback Edges"]);
    assert_eq!(groups.body["totalNumberOfEntities"], 2);
    let callback = api
        .get("/api/v2/telephony/providers/edges/edgegroups?name=callback")
        .await;
    assert_eq!(names(&callback.body), ["Callback Edges"]);
    let managed = api
        .get("/api/v2/telephony/providers/edges/edgegroups?managed=true")
        .await;
    assert_eq!(managed.body["total"], 0);
    let sites = api
        .get("/api/v2/telephony/providers/edges/sites?sortOrder=DESC")
        .await;
    assert_eq!(names(&sites.body), ["Indianapolis", "Dublin"]);
    assert!(sites.body["entities"][0]["location"]["id"].is_string());
    for refused in [
        "/api/v2/telephony/providers/edges/sites?location.id=x",
        "/api/v2/telephony/providers/edges/sites?sortBy=state",
        "/api/v2/telephony/providers/edges/edgegroups?sortBy=state",
    ] {
        assert_eq!(api.get(refused).await.status, 400, "{refused}");
    }
}

#[tokio::test]
async fn seeded_ids_are_stable_per_org() {
    let a = start().await;
    let again = start().await;
    let b = Api::start(Sim::builder().fixture(lookup_org(ORG_B))).await;
    for path in [
        "/api/v2/responsemanagement/libraries",
        "/api/v2/routing/email/domains/support.example.com/routes",
        "/api/v2/routing/sms/phonenumbers",
        "/api/v2/routing/message/recipients",
        "/api/v2/telephony/providers/edges/edgegroups",
        "/api/v2/telephony/providers/edges/sites",
    ] {
        let ids = |body: Value| field(&body, "id");
        let (x, y, z) = (
            ids(a.get(path).await.body),
            ids(again.get(path).await.body),
            ids(b.get(path).await.body),
        );
        assert_eq!(x, y, "{path}: the same fixture, the same ids");
        assert!(
            x.iter().all(|id| !z.contains(id)),
            "{path}: shared by two orgs"
        );
    }
    let _ = ORG_A;
}

#[tokio::test]
async fn the_generator_gives_every_kind_page_by_page() {
    let api = Api::start(Sim::builder().generate(GeneratorSpec::small())).await;
    for (path, total) in [
        ("/api/v2/responsemanagement/libraries", 4),
        ("/api/v2/routing/email/domains", 1),
        ("/api/v2/routing/sms/phonenumbers", 3),
        ("/api/v2/routing/message/recipients", 4),
        ("/api/v2/telephony/providers/edges/edgegroups", 1),
        ("/api/v2/telephony/providers/edges/sites", 1),
    ] {
        let first = api.get(&format!("{path}?pageSize=1")).await;
        assert_eq!(first.body["total"], total, "{path}");
        if total > 1 {
            let last = api
                .get(&format!("{path}?pageSize=1&pageNumber={total}"))
                .await;
            assert_eq!(last.body["entities"].as_array().unwrap().len(), 1);
            assert!(last.body.get("nextUri").is_none(), "{path}");
        }
    }
    let domain = api.get("/api/v2/routing/email/domains").await;
    let id = domain.body["entities"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let routes = api
        .get(&format!("/api/v2/routing/email/domains/{id}/routes"))
        .await;
    assert_eq!(routes.body["total"], 8, "a route per department");
}

#[tokio::test]
async fn fixture_errors_name_the_object() {
    let cases = [
        (
            "emailDomains: [{name: not-a-domain}]\n",
            "fixture: email domain \"not-a-domain\": not a domain name",
        ),
        (
            "emailDomains: [{name: a.example.com, routes: [{pattern: x}, {pattern: X}]}]\n",
            "fixture: email domain \"a.example.com\", route \"X\": the name is used twice",
        ),
        (
            "smsPhoneNumbers: [{phoneNumber: \"3175550100\"}]\n",
            "fixture: SMS phone number \"3175550100\": not an E.164 number (+ and up to 15 digits)",
        ),
        (
            "messageRecipients: [{name: R, messengerType: pigeon}]\n",
            "fixture: message recipient \"R\": \"pigeon\" is not a messenger type (sms, facebook, twitter, whatsapp, webmessaging, instagram, open, apple, linkedin)",
        ),
        (
            "sites: [{name: S}, {name: s}]\n",
            "fixture: site \"s\": the name is used twice",
        ),
    ];
    for (yaml, want) in cases {
        let f = switchboard_sim::Fixture::from_yaml(yaml).unwrap();
        let error = Sim::builder().fixture(f).start().await.unwrap_err();
        assert_eq!(error.to_string(), want, "{yaml}");
    }
    assert!(
        switchboard_sim::Fixture::from_yaml("edgeGroups: [{name: E, site: x}]\n").is_err(),
        "unknown fields are refused"
    );
}
