//! The one rule by which switchboard decides that two names denote the same object, used by
//! validation, the diff, adoption, prune, protect, `--target` and export alike.
//!
//! **Two names are the same when they are equal once surrounding whitespace is trimmed and
//! case is folded** (`" Billing"`, `"billing"` and `"BILLING "` are one name).
//!
//! Why this rule: the API description documents no uniqueness rule for skill, language,
//! wrap-up code or queue names. It lists `400 duplicate.name` for a wrap-up code POST and a
//! queue PUT and `409 general.conflict` for a skill POST (API-FACTS §4), but not whether
//! case or whitespace count; the vendor's SDK calls skill and language names
//! "case-sensitive" where SCIM matches them (platform-client-sdk-go
//! `scimuserroutingskill.go`, `scimuserroutinglanguage.go`), and the vendor's Terraform
//! provider looks names up exactly (`genesyscloud_routing_skill_proxy.go`: `*routingSkill.Name
//! == name`). So the org may or may not accept "billing" beside "Billing". switchboard takes
//! the side that cannot destroy: it never creates an object beside one whose name is the same
//! by this rule, never deletes (prunes) one because the manifest spells its name otherwise,
//! and where the org's spelling differs from the manifest's it plans an in-place rename
//! (queues, wrap-up codes) or refuses (skills and languages, which the API cannot rename).
//! Where the org holds several objects with the same name by this rule and none spelt
//! exactly as the manifest, the name is ambiguous and the plan refuses.

use std::collections::BTreeMap;

/// The form two names are compared in: surrounding whitespace trimmed, case folded.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Whether `a` and `b` denote the same object.
pub fn same_name(a: &str, b: &str) -> bool {
    a == b || name_key(a) == name_key(b)
}

/// The candidate closest to `name`, when it is close enough to be a typo of it (an edit
/// distance, case aside, of at most a third of the candidate's length, and at least 2): the
/// "did you mean" of keys and names alike.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let name = name.trim().to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                edit_distance(&name, &candidate.trim().to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .min()
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Names of one kind, found by the rule: built once, asked many times.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    by_key: BTreeMap<String, Vec<String>>,
}

/// What a name finds in a [`NameIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found<'a> {
    /// Spelt exactly so.
    Exact(&'a str),
    /// One name, spelt otherwise (case or surrounding whitespace).
    Variant(&'a str),
    /// Several names the same by the rule, none spelt exactly so.
    Ambiguous(&'a [String]),
    /// None.
    Absent,
}

impl<'a> Found<'a> {
    /// The name found exactly or as the one variant.
    pub fn name(self) -> Option<&'a str> {
        match self {
            Found::Exact(name) | Found::Variant(name) => Some(name),
            Found::Ambiguous(_) | Found::Absent => None,
        }
    }
}

impl NameIndex {
    /// The index of `names`.
    pub fn new<'n>(names: impl IntoIterator<Item = &'n str>) -> NameIndex {
        let mut by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for name in names {
            let spellings = by_key.entry(name_key(name)).or_default();
            if !spellings.iter().any(|s| s == name) {
                spellings.push(name.to_string());
            }
        }
        for spellings in by_key.values_mut() {
            spellings.sort();
        }
        NameIndex { by_key }
    }

    /// What `wanted` finds: itself, else its one variant, else several, else nothing.
    pub fn find(&self, wanted: &str) -> Found<'_> {
        let Some(spellings) = self.by_key.get(&name_key(wanted)) else {
            return Found::Absent;
        };
        if let Some(exact) = spellings.iter().find(|s| *s == wanted) {
            return Found::Exact(exact);
        }
        match spellings.as_slice() {
            [one] => Found::Variant(one),
            many => Found::Ambiguous(many),
        }
    }

    /// Whether any name is the same as `wanted` by the rule.
    pub fn contains(&self, wanted: &str) -> bool {
        self.by_key.contains_key(&name_key(wanted))
    }

    /// Each group of several spellings the rule takes as one name.
    pub fn clashes(&self) -> impl Iterator<Item = &[String]> {
        self.by_key
            .values()
            .filter(|spellings| spellings.len() > 1)
            .map(Vec::as_slice)
    }

    /// Every spelling the same as `wanted` by the rule.
    pub fn spellings(&self, wanted: &str) -> &[String] {
        self.by_key
            .get(&name_key(wanted))
            .map_or(&[], Vec::as_slice)
    }
}

/// The live name of an object the manifest declares as `name`, formerly `former`: its own
/// name (exactly, else its one variant), else the first former name found so. `Err` with the
/// spellings when a name it would be found under is ambiguous.
pub fn find_declared<'i>(
    index: &'i NameIndex,
    name: &str,
    former: &[String],
) -> Result<Option<&'i str>, &'i [String]> {
    for candidate in std::iter::once(name).chain(former.iter().map(String::as_str)) {
        match index.find(candidate) {
            Found::Exact(found) | Found::Variant(found) => return Ok(Some(found)),
            Found::Ambiguous(many) => return Err(many),
            Found::Absent => {}
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("rings", "ring"), 1);
        assert_eq!(edit_distance("queus", "queues"), 1);
        assert_eq!(edit_distance("abc", "xyz"), 3);
    }

    #[test]
    fn closest_suggests_a_near_name_and_nothing_for_a_far_one() {
        let names = ["Billing In-Queue", "Sales In-Queue"];
        assert_eq!(closest("billing in-queu", names), Some("Billing In-Queue"));
        assert_eq!(closest("Warranty", names), None);
    }

    #[test]
    fn names_are_the_same_trimmed_and_case_folded() {
        assert!(same_name("Billing", "billing"));
        assert!(same_name(" Billing", "BILLING "));
        assert!(same_name("Facturación", "FACTURACIÓN"));
        assert!(!same_name("Billing", "Billing EN"));
        assert!(!same_name("Bill ing", "Billing"));
    }

    #[test]
    fn the_index_prefers_the_exact_spelling_and_reports_ambiguity() {
        let index = NameIndex::new(["Billing", "billing", "Sales ", "Support"]);
        assert_eq!(index.find("Billing"), Found::Exact("Billing"));
        assert_eq!(index.find("sales"), Found::Variant("Sales "));
        assert_eq!(index.find("Support"), Found::Exact("Support"));
        assert_eq!(index.find("none"), Found::Absent);
        let Found::Ambiguous(both) = index.find("BILLING") else {
            panic!("{:?}", index.find("BILLING"))
        };
        assert_eq!(both, ["Billing".to_string(), "billing".to_string()]);
        assert!(index.contains(" support "));
        assert_eq!(find_declared(&index, "SUPPORT", &[]), Ok(Some("Support")));
        assert_eq!(
            find_declared(&index, "Help", &["Gone".into(), "support".into()]),
            Ok(Some("Support"))
        );
        assert_eq!(find_declared(&index, "Help", &["Gone".into()]), Ok(None));
        assert!(find_declared(&index, "BILLING", &[]).is_err());
        assert_eq!(index.spellings("billing").len(), 2);
        assert_eq!(
            index.clashes().collect::<Vec<_>>(),
            [["Billing".to_string(), "billing".to_string()]]
        );
    }
}
