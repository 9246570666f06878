//! `GET /api/v2/routing/sms/phonenumbers` (API-FACTS-LOOKUPS L1.2 H): page paging, by number.
//!
//! `phoneNumber` is as the description defines it: only digits and `*`; digits alone match
//! anywhere in the number ("contains"); with a `*`, the pattern matches the whole number's
//! digits, each `*` standing for any run of digits (`1317*`: numbers starting 1317).
//! `phoneNumberType[]` and `phoneNumberStatus[]` filter on the simulated numbers' type
//! (`local`) and status (`active`).
// unverified: a `phoneNumber` with other characters is refused with 400 invalid.value;
// whether `*` may match no digit at all is not documented (here it may). `countryCode`,
// `integration.id`, `supportedContent.id`, `expand` and `sortBy` are refused (not simulated);
// `language` only localizes and is ignored.

use std::sync::Arc;

use axum::extract::State;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, Page, entity_listing, refuse_unsimulated};
use crate::org::SmsNumber;
use crate::request::{ApiResult, QueryParams, Reply};

const PATH: &str = "/api/v2/routing/sms/phonenumbers";

const TYPES: [&str; 5] = ["local", "mobile", "tollfree", "shortcode", "alphanumeric"];
const STATUSES: [&str; 6] = [
    "active",
    "invalid",
    "initiated",
    "porting",
    "pending",
    "pending-cancellation",
];

/// GET: one page of SMS phone numbers.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let page = Page::from_query(&q, MAX_PAGE_SIZE)?;
    refuse_unsimulated(
        &q,
        &[
            "countryCode",
            "integration.id",
            "supportedContent.id",
            "expand",
            "sortBy",
        ],
    )?;
    let descending = matches!(
        q.choice("sortOrder", &["ascending", "descending"])?
            .as_deref(),
        Some("descending")
    );
    let pattern = match q.get("phoneNumber").filter(|p| !p.is_empty()) {
        Some(p) if p.chars().all(|c| c.is_ascii_digit() || c == '*') => Some(p),
        Some(p) => {
            return Err(ApiError::invalid_value(
                "phoneNumber",
                format!(
                    "Value [{p}] is not valid for field [phoneNumber]: only the digits 0-9 and * are allowed"
                ),
            ));
        }
        None => None,
    };
    let types = listed(&q, "phoneNumberType", &TYPES)?;
    let statuses = listed(&q, "phoneNumberStatus", &STATUSES)?;
    let org = ctx.org();
    let mut numbers: Vec<&SmsNumber> = org
        .sms_numbers
        .values()
        .filter(|n| pattern.is_none_or(|p| number_matches(p, &n.phone_number)))
        .filter(|_| types.is_empty() || types.contains(&"local"))
        .filter(|_| statuses.is_empty() || statuses.contains(&"active"))
        .collect();
    numbers.sort_by_key(|n| (n.phone_number.clone(), n.id.clone()));
    if descending {
        numbers.reverse();
    }
    let entities = page
        .slice(&numbers)
        .into_iter()
        .map(|n| org.render_sms_number(n))
        .collect();
    Ok(Reply::Json(entity_listing(
        PATH,
        &q,
        page,
        numbers.len(),
        entities,
    )))
}

/// The values of an array filter, each one of `allowed` (400 otherwise).
fn listed<'q>(q: &'q QueryParams, name: &str, allowed: &[&str]) -> Result<Vec<&'q str>, ApiError> {
    let values = q.all(name);
    match values.iter().find(|v| !allowed.contains(v)) {
        None => Ok(values),
        Some(bad) => Err(ApiError::invalid_value(
            name,
            format!(
                "Value [{bad}] is not valid for field type [{name}]. Allowable values are: {}",
                allowed.join(", ")
            ),
        )),
    }
}

/// Whether `number`'s digits match `pattern` (digits and `*`): contains without a `*`, a
/// whole-number glob with one.
fn number_matches(pattern: &str, number: &str) -> bool {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if !pattern.contains('*') {
        return digits.contains(pattern);
    }
    glob(pattern.as_bytes(), digits.as_bytes())
}

/// `*` matches any run of characters; everything else itself. Iterative, so no input can
/// recurse deeply.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_as_the_description_says() {
        let n = "+13175550100";
        assert!(number_matches("317", n), "digits alone: contains");
        assert!(number_matches("0100", n));
        assert!(!number_matches("318", n));
        assert!(number_matches("1317*", n), "a prefix with *");
        assert!(!number_matches("317*", n), "with a *, the whole number");
        assert!(number_matches("*0100", n));
        assert!(number_matches("1*555*", n));
        assert!(number_matches("*", n));
        assert!(!number_matches("1*9*", n));
    }
}
