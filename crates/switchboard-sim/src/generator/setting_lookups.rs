//! The generated objects a queue's other settings reference, in numbers that grow with the
//! queue count `n` (the same `n` as `lookups`): `3 + n/50` canned-response libraries,
//! `1 + n/200` email domains with a route per department each, `1 + n/20` SMS numbers,
//! `1 + n/50` open-messaging and as many WhatsApp recipients, `1 + n/250` edge groups and as
//! many sites. None when `n` is 0. No randomness: names follow from the index, ids from the
//! names, so adding them changes nothing else the seed draws.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::{DEPARTMENTS, LOCALES, unique};
use crate::ids;
use crate::org::{EmailDomain, EmailRoute, NamedLookup, OrgState, Recipient, SmsNumber};

const CITIES: [&str; 8] = [
    "Indianapolis",
    "Dublin",
    "Frankfurt",
    "Sydney",
    "Tokyo",
    "Sao Paulo",
    "Toronto",
    "Mumbai",
];

/// Adds libraries, email domains and routes, SMS numbers, recipients, edge groups and sites
/// for `n` queues.
pub(super) fn generate_setting_lookups(
    org: &mut OrgState,
    ns: &uuid::Uuid,
    now: DateTime<Utc>,
    n: usize,
) {
    if n == 0 {
        return;
    }
    let libraries = named(
        &org.canned_response_libraries,
        ns,
        now,
        "library",
        3 + n / 50,
        |i| {
            format!(
                "{} {} Responses {:03}",
                DEPARTMENTS[i % DEPARTMENTS.len()],
                LOCALES[(i / DEPARTMENTS.len()) % LOCALES.len()],
                i + 1
            )
        },
    );
    org.canned_response_libraries.extend(libraries);
    let groups = named(&org.edge_groups, ns, now, "edgegroup", 1 + n / 250, |i| {
        format!("{} Callback Edges {:02}", CITIES[i % CITIES.len()], i + 1)
    });
    org.edge_groups.extend(groups);
    let sites = named(&org.sites, ns, now, "site", 1 + n / 250, |i| {
        format!("{} Site {:02}", CITIES[i % CITIES.len()], i + 1)
    });
    org.sites.extend(sites);
    for i in 0..1 + n / 200 {
        let id = format!("contact{:02}.example.com", i + 1);
        if org.email_domains.contains_key(&id) {
            continue;
        }
        let routes = DEPARTMENTS
            .iter()
            .map(|dept| {
                let pattern = dept.to_lowercase();
                let route_id = ids::derived(ns, "emailroute", &format!("{id}/{pattern}"));
                let route = EmailRoute {
                    id: route_id.clone(),
                    from_name: format!("{dept} Team"),
                    from_email: format!("{pattern}@{id}"),
                    pattern,
                };
                (route_id, route)
            })
            .collect();
        org.email_domains
            .insert(id.clone(), EmailDomain { id, routes });
    }
    let taken: BTreeSet<String> = org
        .sms_numbers
        .values()
        .map(|s| s.phone_number.clone())
        .collect();
    for i in 0..1 + n / 20 {
        // 555-01xx numbers are reserved for fiction; the area code moves on every 100.
        let number = format!("+1{}55501{:02}", 317 + i / 100, i % 100);
        if taken.contains(&number) {
            continue;
        }
        let id = ids::derived(ns, "smsphonenumber", &number);
        let sms = SmsNumber {
            id: id.clone(),
            phone_number: number,
            date_created: now,
        };
        org.sms_numbers.insert(id, sms);
    }
    for (messenger_type, label) in [("open", "Open Messaging"), ("whatsapp", "WhatsApp")] {
        let mut taken: BTreeSet<String> = org
            .message_recipients
            .values()
            .filter(|r| r.messenger_type == messenger_type)
            .map(|r| r.name.to_lowercase())
            .collect();
        for i in 0..1 + n / 50 {
            let name = unique(
                &mut taken,
                format!(
                    "{} {label} {:03}",
                    DEPARTMENTS[i % DEPARTMENTS.len()],
                    i + 1
                ),
                i,
            );
            let id = ids::derived(ns, &format!("recipient:{messenger_type}"), &name);
            let recipient = Recipient {
                id: id.clone(),
                name,
                messenger_type: messenger_type.to_string(),
                date_created: now,
            };
            org.message_recipients.insert(id, recipient);
        }
    }
}

/// `count` named lookups of `kind`, the `i`th named `name_of(i)` (made unique against
/// `existing`).
fn named(
    existing: &BTreeMap<String, NamedLookup>,
    ns: &uuid::Uuid,
    now: DateTime<Utc>,
    kind: &str,
    count: usize,
    name_of: impl Fn(usize) -> String,
) -> Vec<(String, NamedLookup)> {
    let mut taken: BTreeSet<String> = existing.values().map(|x| x.name.to_lowercase()).collect();
    (0..count)
        .map(|i| {
            let name = unique(&mut taken, name_of(i), i);
            let id = ids::derived(ns, kind, &name);
            let lookup = NamedLookup {
                id: id.clone(),
                name,
                date_created: now,
            };
            (id, lookup)
        })
        .collect()
}
