//! The addresses a queue sends from, which switchboard only looks up, never writes: inbound
//! email domains and their routes, SMS phone numbers and message recipients
//! (API-FACTS-LOOKUPS L1, lookups G, H and I). Each keeps the fields a look-up needs.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// `InboundDomain`: an email domain. Its id *is* the domain name (`example.com`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundDomain {
    /// The domain name, which is the id.
    pub id: Option<String>,
    /// Name; the description marks it optional.
    pub name: Option<String>,
    /// Whether this is a Genesys Cloud sub-domain.
    pub sub_domain: Option<bool>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `InboundRoute`: an inbound email route of one domain, the parts a look-up needs.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundRoute {
    /// Route id.
    pub id: Option<String>,
    /// Name; the description marks it optional.
    pub name: Option<String>,
    /// The mailbox name the route matches (required by the description), which is how a
    /// look-up finds a route (L1.3).
    pub pattern: String,
    /// Sender name of replies (required by the description; kept optional so a route
    /// without one is still found).
    pub from_name: Option<String>,
    /// Sender address of replies.
    pub from_email: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `SmsPhoneNumber`: a number provisioned for SMS, the parts a look-up needs.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsPhoneNumber {
    /// Number id.
    pub id: Option<String>,
    /// Name; the description marks it optional.
    pub name: Option<String>,
    /// The number, E.164 (`+13175550100`; required by the description).
    pub phone_number: String,
    /// `local`, `mobile`, `tollfree`, `shortcode` or `alphanumeric`.
    pub phone_number_type: Option<String>,
    /// `ACTIVE`, `INVALID`, `PORTING`, ...
    pub phone_number_status: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `Recipient`: a messaging recipient, the parts a look-up needs. The description marks no
/// field of it required.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    /// Recipient id.
    pub id: Option<String>,
    /// Recipient name.
    pub name: Option<String>,
    /// `open`, `whatsapp`, `sms`, `facebook`, ...
    pub messenger_type: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}
