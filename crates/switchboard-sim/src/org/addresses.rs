//! The addresses a queue sends from: inbound email domains with their routes, SMS phone
//! numbers and message recipients. Seeded lookups a queue names (`outboundEmailAddress`,
//! `mediaSettings.email.allOutboundEmailAddresses`, `outboundMessagingAddresses`) that the
//! API subset cannot change. An email domain's id is its name (API-FACTS-LOOKUPS L1.3).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{OrgState, iso};

/// An inbound email domain; its id is the domain name, lowercase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EmailDomain {
    pub id: String,
    /// Route id → route.
    pub routes: BTreeMap<String, EmailRoute>,
}

/// An inbound email route of one domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EmailRoute {
    pub id: String,
    /// The mailbox name the route matches (`billing` for billing@domain).
    pub pattern: String,
    pub from_name: String,
    pub from_email: String,
}

/// A number provisioned for SMS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SmsNumber {
    pub id: String,
    /// E.164, e.g. `+13175550100`.
    pub phone_number: String,
    pub date_created: DateTime<Utc>,
}

/// A messaging recipient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Recipient {
    pub id: String,
    pub name: String,
    /// A `Recipient.messengerType` value: `open`, `whatsapp`, `sms`, ...
    pub messenger_type: String,
    pub date_created: DateTime<Utc>,
}

/// The `Recipient.messengerType` values (the listing's filter allows a subset).
pub(crate) const MESSENGER_TYPES: [&str; 9] = [
    "sms",
    "facebook",
    "twitter",
    "whatsapp",
    "webmessaging",
    "instagram",
    "open",
    "apple",
    "linkedin",
];

impl OrgState {
    /// The `InboundDomain` JSON.
    // unverified: `name` repeating the id, and `mxRecordStatus` VALID, are the simulator's.
    pub(crate) fn render_email_domain(&self, d: &EmailDomain) -> Value {
        json!({
            "id": d.id,
            "name": d.id,
            "mxRecordStatus": "VALID",
            "subDomain": false,
            "selfUri": format!("/api/v2/routing/email/domains/{}", d.id),
        })
    }

    /// `{id, name, selfUri}` of a domain, as a queue's email address names it.
    pub(crate) fn domain_ref(&self, d: &EmailDomain) -> Value {
        json!({
            "id": d.id,
            "name": d.id,
            "selfUri": format!("/api/v2/routing/email/domains/{}", d.id),
        })
    }

    /// The `InboundRoute` JSON of a route of `domain`.
    // unverified: the route's `selfUri` is not documented; it names the route under its
    // domain. `name` is left out (the description has it, but nothing says what it holds).
    pub(crate) fn render_email_route(&self, domain: &str, r: &EmailRoute) -> Value {
        json!({
            "id": r.id,
            "pattern": r.pattern,
            "fromName": r.from_name,
            "fromEmail": r.from_email,
            "status": "Active",
            "selfUri": format!("/api/v2/routing/email/domains/{domain}/routes/{}", r.id),
        })
    }

    /// The `SmsPhoneNumber` JSON.
    // unverified: `name` repeating the number, type `local` and status `ACTIVE` are the
    // simulator's.
    pub(crate) fn render_sms_number(&self, n: &SmsNumber) -> Value {
        json!({
            "id": n.id,
            "name": n.phone_number,
            "phoneNumber": n.phone_number,
            "phoneNumberType": "local",
            "phoneNumberStatus": "ACTIVE",
            "provisionedThroughPureCloud": true,
            "version": 1,
            "dateCreated": iso(n.date_created),
            "supportsSms": true,
            "supportsMms": false,
            "supportsVoice": false,
            "selfUri": format!("/api/v2/routing/sms/phonenumbers/{}", n.id),
        })
    }

    /// The `Recipient` JSON.
    pub(crate) fn render_recipient(&self, r: &Recipient) -> Value {
        json!({
            "id": r.id,
            "name": r.name,
            "messengerType": r.messenger_type,
            "dateCreated": iso(r.date_created),
            "dateModified": iso(r.date_created),
            "selfUri": format!("/api/v2/routing/message/recipients/{}", r.id),
        })
    }
}
