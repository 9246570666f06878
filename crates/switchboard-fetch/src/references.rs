//! The lookups of the objects a manifest refers to without managing them (flows, prompts,
//! groups; `switchboard_manifest::references`): one read per kind the manifest names
//! anything of, never one per reference, all at once (API-FACTS-LOOKUPS L1.2):
//! - in-queue flows: one listing of the flows of the types the manifest needs
//!   (`GET /api/v2/flows?type=…`, 500 per page);
//! - user prompts: the manifest's names in `name` (`GET /api/v2/architect/prompts`, many names
//!   per request);
//! - directory groups: one search for the manifest's names (`POST /api/v2/groups/search`,
//!   `EXACT` on `name`), the only name lookup groups have;
//! - teams and skill groups: their whole cursor listings (`GET /api/v2/teams`,
//!   `GET /api/v2/routing/skillgroups`), whose name filters take one prefix only;
//! - scripts: their whole listing (`GET /api/v2/scripts`, every state), whose name filter is
//!   undocumented;
//! - canned-response libraries, SMS numbers, edge groups and sites: their whole listings
//!   (lookups J, H, K, L; the name filters are prefixes, "contains" or undocumented); a
//!   deleted edge group or site is left out, as CX as Code does (L1.3);
//! - Open Messaging and WhatsApp recipients: the recipients of that messenger type (I);
//! - outbound email addresses: the email domains (G), then the inbound routes of each domain
//!   the manifest's addresses name (G′), each route named `pattern@domain`.
//!
//! The server's name filters are prefixes or undocumented, so nothing is trusted from them:
//! every object returned is kept and the plan compares names by the one name rule. An object
//! without an id is refused, never guessed at.

use std::collections::{BTreeMap, BTreeSet};

use switchboard_client::{Client, Endpoint, api};
use switchboard_manifest::live::LiveReferent;
use switchboard_manifest::references::{
    NESTED_FIELDS, ReferenceKind, SMS_ADDRESS, api_pointer, email_address, email_addresses,
    email_domain, named_in_queues,
};

use crate::{FetchError, Reading, malformed};

/// What the lookups found, per kind the manifest names anything of.
pub(crate) type Found = BTreeMap<ReferenceKind, Vec<LiveReferent>>;

/// The names of the objects the queue answers `bodies` name, per kind (what export looks up
/// to write names).
pub(crate) fn names_in_queues<'a>(
    bodies: impl IntoIterator<Item = &'a serde_json::Value>,
) -> BTreeMap<ReferenceKind, BTreeSet<String>> {
    let mut names: BTreeMap<ReferenceKind, BTreeSet<String>> = BTreeMap::new();
    let bodies: Vec<&serde_json::Value> = bodies.into_iter().collect();
    for ((kind, _), name) in named_in_queues(bodies.iter().copied()) {
        names.entry(kind).or_default().insert(name);
    }
    // What the answers give by id alone: the listing of the kind is what names them (by id,
    // as the kinds are listed whole); an address's listing is that of its domain's routes.
    let mut by_id = |kind: ReferenceKind, id: Option<&str>| {
        if let Some(id) = id {
            names.entry(kind).or_default().insert(id.to_string());
        }
    };
    for body in bodies {
        let libraries = body
            .pointer("/cannedResponseLibraries/libraryIds")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten();
        for library in libraries {
            by_id(ReferenceKind::Library, library.as_str());
        }
        let sms = body.pointer(&api_pointer(&SMS_ADDRESS));
        by_id(
            ReferenceKind::SmsNumber,
            sms.and_then(|s| s.get("id")).and_then(|id| id.as_str()),
        );
        for field in NESTED_FIELDS {
            let id = body
                .pointer(&api_pointer(field.api))
                .and_then(|r| r.get("id"))
                .and_then(|id| id.as_str());
            by_id(field.kind, id);
        }
        for address in email_addresses(body) {
            if let (Some(route), Some(domain)) = (address.route_id, address.domain) {
                by_id(
                    ReferenceKind::EmailAddress,
                    Some(&format!("{route}@{domain}")),
                );
            }
        }
    }
    names
}

/// Looks up `names`, per kind: one read per kind, all kinds at once.
pub(crate) async fn read_named(
    client: &Client,
    names: BTreeMap<ReferenceKind, BTreeSet<String>>,
) -> Result<Found, FetchError> {
    let wanted: BTreeMap<ReferenceKind, Vec<String>> = names
        .into_iter()
        .map(|(kind, names)| (kind, names.into_iter().collect()))
        .collect();
    let mut found = Found::new();
    if wanted.is_empty() {
        return Ok(found);
    }
    let flow_kinds: Vec<ReferenceKind> = wanted
        .keys()
        .copied()
        .filter(|kind| kind.flow_type().is_some())
        .collect();
    let names = |kind| wanted.get(&kind).cloned().unwrap_or_default();
    let (flows, prompts, groups, teams, skill_groups, scripts) = futures::try_join!(
        read_flows(client, &flow_kinds),
        async {
            let names = names(ReferenceKind::UserPrompt);
            if names.is_empty() {
                return Ok(None);
            }
            let prompts = client
                .find_prompts(&names)
                .await
                .reading(|| "the user prompts the manifest names".into())?;
            let prompts = prompts.into_iter().map(|p| (p.id, p.name));
            referents(api::prompts::LIST, "user prompt", prompts).map(Some)
        },
        async {
            let names = names(ReferenceKind::Group);
            if names.is_empty() {
                return Ok(None);
            }
            let groups = client
                .find_groups_by_name(&names)
                .await
                .reading(|| "the directory groups the manifest names".into())?;
            let groups = groups.into_iter().map(|g| (g.id, g.name));
            referents(api::groups::SEARCH, "directory group", groups).map(Some)
        },
        async {
            if names(ReferenceKind::Team).is_empty() {
                return Ok(None);
            }
            let teams = client.list_teams().await.reading(|| "teams".into())?;
            let teams = teams.into_iter().map(|t| (t.id, t.name));
            referents(api::teams::LIST, "team", teams).map(Some)
        },
        async {
            if names(ReferenceKind::SkillGroup).is_empty() {
                return Ok(None);
            }
            let groups = client
                .list_skill_groups()
                .await
                .reading(|| "skill groups".into())?;
            let groups = groups.into_iter().map(|g| (g.id, g.name));
            referents(api::skill_groups::LIST, "skill group", groups).map(Some)
        },
        async {
            if names(ReferenceKind::Script).is_empty() {
                return Ok(None);
            }
            let scripts = client.list_scripts().await.reading(|| "scripts".into())?;
            // A script without a name is kept, under an empty one: an id can still find it.
            let scripts = scripts
                .into_iter()
                .map(|s| (s.id, s.name.unwrap_or_default()));
            referents(api::scripts::LIST, "script", scripts).map(Some)
        },
    )?;
    found.extend(flows);
    found.extend(read_addresses(client, &wanted).await?);
    for (kind, objects) in [
        (ReferenceKind::UserPrompt, prompts),
        (ReferenceKind::Group, groups),
        (ReferenceKind::Team, teams),
        (ReferenceKind::SkillGroup, skill_groups),
        (ReferenceKind::Script, scripts),
    ] {
        if let Some(objects) = objects {
            found.insert(kind, objects);
        }
    }
    Ok(found)
}

/// The flows of every type in `kinds`, in one listing, sorted into their kinds by `type` (the
/// answer's UPPERCASE spelling of the query's lowercase type).
async fn read_flows(client: &Client, kinds: &[ReferenceKind]) -> Result<Found, FetchError> {
    let mut found: Found = kinds.iter().map(|kind| (*kind, Vec::new())).collect();
    let types: Vec<&str> = kinds.iter().filter_map(|k| k.flow_type()).collect();
    if types.is_empty() {
        return Ok(found);
    }
    let flows = client
        .list_flows(&types)
        .await
        .reading(|| format!("the flows of type {}", types.join(", ")))?;
    for flow in flows {
        let kind = kinds.iter().copied().find(|kind| {
            kind.flow_type()
                .zip(flow.kind.as_deref())
                .is_some_and(|(want, have)| want.eq_ignore_ascii_case(have))
        });
        let Some(kind) = kind else {
            // A flow of a type not asked for: the filter is the server's, so not trusted.
            continue;
        };
        let Some(id) = flow.id else {
            return Err(malformed(
                "flows",
                api::flows::LIST,
                format!("flow {:?} has no id", flow.name),
            ));
        };
        if let Some(objects) = found.get_mut(&kind) {
            objects.push(LiveReferent::new(id, flow.name));
        }
    }
    Ok(found)
}

/// `(id, name)` pairs as referents; one without an id is refused.
fn referents(
    endpoint: Endpoint,
    what: &str,
    objects: impl Iterator<Item = (Option<String>, String)>,
) -> Result<Vec<LiveReferent>, FetchError> {
    objects
        .map(|(id, name)| match id {
            Some(id) => Ok(LiveReferent::new(id, name)),
            None => Err(malformed(
                format!("{what}s"),
                endpoint,
                format!("{what} {name:?} has no id"),
            )),
        })
        .collect()
}

/// The lookups of the objects queue settings name beyond flows, prompts, groups and scripts
/// (libraries, addresses, recipients, edge groups, sites), each kind the manifest names
/// anything of read once, all at once.
async fn read_addresses(
    client: &Client,
    wanted: &BTreeMap<ReferenceKind, Vec<String>>,
) -> Result<Found, FetchError> {
    let named = |kind: ReferenceKind| wanted.get(&kind).is_some_and(|names| !names.is_empty());
    let live = |state: &Option<String>| {
        !state
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("deleted"))
    };
    let (libraries, sms, edge_groups, sites, open, whatsapp, addresses) = futures::try_join!(
        async {
            if !named(ReferenceKind::Library) {
                return Ok(None);
            }
            let libraries = client
                .list_canned_response_libraries()
                .await
                .reading(|| "canned-response libraries".into())?;
            let libraries = libraries.into_iter().map(|l| (l.id, l.name));
            referents(api::libraries::LIST, "canned-response library", libraries).map(Some)
        },
        async {
            if !named(ReferenceKind::SmsNumber) {
                return Ok(None);
            }
            let numbers = client
                .list_sms_phone_numbers()
                .await
                .reading(|| "SMS phone numbers".into())?;
            let numbers = numbers.into_iter().map(|n| (n.id, n.phone_number));
            referents(api::sms_numbers::LIST, "SMS number", numbers).map(Some)
        },
        async {
            if !named(ReferenceKind::EdgeGroup) {
                return Ok(None);
            }
            let groups = client
                .list_edge_groups()
                .await
                .reading(|| "edge groups".into())?;
            let groups = groups
                .into_iter()
                .filter(|g| live(&g.state))
                .map(|g| (g.id, g.name));
            referents(api::telephony::LIST_EDGE_GROUPS, "edge group", groups).map(Some)
        },
        async {
            if !named(ReferenceKind::Site) {
                return Ok(None);
            }
            let sites = client.list_sites().await.reading(|| "sites".into())?;
            let sites = sites
                .into_iter()
                .filter(|s| live(&s.state))
                .map(|s| (s.id, s.name));
            referents(api::telephony::LIST_SITES, "site", sites).map(Some)
        },
        recipients(
            client,
            named(ReferenceKind::OpenMessagingRecipient),
            api::message_recipients::OPEN
        ),
        recipients(
            client,
            named(ReferenceKind::WhatsAppRecipient),
            api::message_recipients::WHATSAPP
        ),
        async {
            let addresses = wanted
                .get(&ReferenceKind::EmailAddress)
                .map_or(&[][..], Vec::as_slice);
            if addresses.is_empty() {
                return Ok(None);
            }
            read_email_routes(client, addresses).await.map(Some)
        },
    )?;
    let mut found = Found::new();
    for (kind, objects) in [
        (ReferenceKind::Library, libraries),
        (ReferenceKind::SmsNumber, sms),
        (ReferenceKind::EdgeGroup, edge_groups),
        (ReferenceKind::Site, sites),
        (ReferenceKind::OpenMessagingRecipient, open),
        (ReferenceKind::WhatsAppRecipient, whatsapp),
        (ReferenceKind::EmailAddress, addresses),
    ] {
        if let Some(objects) = objects {
            found.insert(kind, objects);
        }
    }
    Ok(found)
}

/// The recipients of `messenger_type`, when `wanted`.
async fn recipients(
    client: &Client,
    wanted: bool,
    messenger_type: &str,
) -> Result<Option<Vec<LiveReferent>>, FetchError> {
    if !wanted {
        return Ok(None);
    }
    let recipients = client
        .list_message_recipients(messenger_type)
        .await
        .reading(|| format!("the {messenger_type} message recipients"))?;
    // A recipient of another type is not trusted from the filter; one without a name is
    // kept under an empty one (an id can still find it).
    let recipients = recipients
        .into_iter()
        .filter(|r| {
            r.messenger_type
                .as_deref()
                .is_none_or(|t| t.eq_ignore_ascii_case(messenger_type))
        })
        .map(|r| (r.id, r.name.unwrap_or_default()));
    referents(
        api::message_recipients::LIST,
        "message recipient",
        recipients,
    )
    .map(Some)
}

/// The inbound routes of the domains `addresses` name, as `pattern@domain`: one listing of
/// the domains, then one of each named domain's routes. A domain the org does not have
/// lists nothing, so its addresses are not found (the plan says so, per address).
async fn read_email_routes(
    client: &Client,
    addresses: &[String],
) -> Result<Vec<LiveReferent>, FetchError> {
    let named: BTreeSet<String> = addresses.iter().filter_map(|a| email_domain(a)).collect();
    let domains = client
        .list_email_domains()
        .await
        .reading(|| "email domains".into())?;
    let domains: Vec<String> = domains
        .into_iter()
        .filter_map(|d| d.id)
        .filter(|id| named.contains(&id.to_ascii_lowercase()))
        .collect();
    let routes = futures::future::try_join_all(domains.iter().map(|domain| async move {
        let routes = client
            .list_email_routes(domain)
            .await
            .reading(|| format!("the inbound routes of email domain {domain}"))?;
        let mut senders = Vec::with_capacity(routes.len());
        let routes = routes.into_iter().map(|r| {
            senders.push(r.from_name);
            let address = email_address(&r.pattern, domain).unwrap_or_default();
            (r.id, address)
        });
        let mut found = referents(api::email_domains::LIST_ROUTES, "inbound route", routes)?;
        for (route, from_name) in found.iter_mut().zip(senders) {
            route.from_name = from_name;
        }
        Ok(found)
    }))
    .await?;
    Ok(routes.into_iter().flatten().collect())
}
