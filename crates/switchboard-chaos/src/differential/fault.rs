//! A seed → one read fault: its class, the listing it hits, and the simulator rule that
//! makes it. Classes go round by seed so every class gets seeds; within a class the
//! candidates go round too (so a short run still tries the first few of each), and the seed
//! draws the details: which page, how many entries survive, how likely an omission is.

use std::fmt;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use switchboard_sim::{FaultRule, Faults, JournalEntry, Mutation};

use super::org::Scenario;
use Listing as L;
use Template as T;

/// The classes of read fault the safety invariant covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReadFault {
    /// A field the read needs is missing: the entity list itself, an id, a name, a
    /// proficiency, a ring.
    MissingField,
    /// A page ends early: fewer entries than it should hold, and no `nextUri`.
    ShortPage,
    /// Paging never ends: every page request is answered with page 1 and a next page.
    EndlessPage,
    /// A count lies: `pageCount`, `total`, a queue's `memberCount`, a division's user count.
    LyingCount,
    /// An expansion (users' `skills` or `languages`, a member's `user`, divisions'
    /// `objectCounts`) is left out, in whole or in part.
    MissingExpansion,
    /// An optional field is absent: a division, an email, a name, `memberBy`, a description.
    MissingOptional,
    /// Eventual-consistency lag: objects missing from a listing.
    Lag,
}

impl ReadFault {
    /// Every class, in the order seeds go round them.
    pub const ALL: [ReadFault; 7] = [
        ReadFault::MissingField,
        ReadFault::ShortPage,
        ReadFault::EndlessPage,
        ReadFault::LyingCount,
        ReadFault::MissingExpansion,
        ReadFault::MissingOptional,
        ReadFault::Lag,
    ];

    /// The class seed `seed` tries.
    pub fn of_seed(seed: u64) -> ReadFault {
        let classes = ReadFault::ALL.len() as u64;
        let index = usize::try_from(seed % classes).unwrap_or(0);
        ReadFault::ALL[index]
    }

    /// This class's candidate faults, the most telling first.
    fn candidates(self) -> &'static [Candidate] {
        match self {
            ReadFault::MissingField => MISSING_FIELD,
            ReadFault::ShortPage => SHORT_PAGE,
            ReadFault::EndlessPage => ENDLESS_PAGE,
            ReadFault::LyingCount => LYING_COUNT,
            ReadFault::MissingExpansion => MISSING_EXPANSION,
            ReadFault::MissingOptional => MISSING_OPTIONAL,
            ReadFault::Lag => LAG,
        }
    }
}

impl fmt::Display for ReadFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReadFault::MissingField => "required field missing",
            ReadFault::ShortPage => "page ends early",
            ReadFault::EndlessPage => "page never ends",
            ReadFault::LyingCount => "count lies",
            ReadFault::MissingExpansion => "expansion left out",
            ReadFault::MissingOptional => "optional field absent",
            ReadFault::Lag => "object missing (lag)",
        })
    }
}

/// The answers a fault can alter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Listing {
    /// `GET /api/v2/routing/queues`.
    Queues,
    /// `GET /api/v2/routing/skills`.
    Skills,
    /// `GET /api/v2/routing/wrapupcodes`.
    WrapupCodes,
    /// `GET /api/v2/routing/languages`.
    Languages,
    /// `GET /api/v2/authorization/divisions`.
    Divisions,
    /// `GET /api/v2/routing/queues/{id}/members`, of one queue or of every queue.
    QueueMembers(Option<&'static str>),
    /// `GET /api/v2/routing/queues/{id}/wrapupcodes`, of one queue or of every queue.
    QueueWrapupCodes(Option<&'static str>),
    /// `GET /api/v2/users`.
    Users,
    /// `POST /api/v2/users/search`.
    UserSearch,
    /// `GET /api/v2/users/{id}/routingskills`: one user's skills, read when the users'
    /// `skills` expansion is missing.
    UserSkills,
    /// `GET /api/v2/users/{id}/routinglanguages`: one user's languages, likewise.
    UserLanguages,
}

impl Listing {
    /// The queue a per-queue listing is narrowed to.
    fn queue(self) -> Option<&'static str> {
        match self {
            Listing::QueueMembers(queue) | Listing::QueueWrapupCodes(queue) => queue,
            _ => None,
        }
    }

    /// The rule's method, path prefix and suffix; a per-queue listing narrowed to one queue
    /// needs that queue's id (`None`: no rule can be made).
    fn rule(
        self,
        mutation: Mutation,
        queue_id: &dyn Fn(&str) -> Option<String>,
    ) -> Option<FaultRule> {
        let rule = FaultRule::mutate(mutation);
        let per_queue = |suffix: &str| -> Option<FaultRule> {
            let prefix = match self.queue() {
                Some(name) => format!("/api/v2/routing/queues/{}/", queue_id(name)?),
                None => "/api/v2/routing/queues/".to_string(),
            };
            Some(
                rule.clone()
                    .method("GET")
                    .path_prefix(prefix)
                    .path_suffix(suffix),
            )
        };
        let listing = |path: &str, suffix: &str| {
            Some(
                rule.clone()
                    .method("GET")
                    .path_prefix(path)
                    .path_suffix(suffix),
            )
        };
        match self {
            Listing::Queues => listing("/api/v2/routing/queues", "/queues"),
            Listing::Skills => listing("/api/v2/routing/skills", "/skills"),
            Listing::WrapupCodes => listing("/api/v2/routing/wrapupcodes", "/wrapupcodes"),
            Listing::Languages => listing("/api/v2/routing/languages", "/languages"),
            Listing::Divisions => listing("/api/v2/authorization/divisions", "/divisions"),
            Listing::QueueMembers(_) => per_queue("/members"),
            Listing::QueueWrapupCodes(_) => per_queue("/wrapupcodes"),
            Listing::Users => listing("/api/v2/users", "/users"),
            Listing::UserSkills => listing("/api/v2/users/", "/routingskills"),
            Listing::UserLanguages => listing("/api/v2/users/", "/routinglanguages"),
            Listing::UserSearch => Some(
                rule.clone()
                    .method("POST")
                    .path_prefix("/api/v2/users/search")
                    .path_suffix("/search"),
            ),
        }
    }
}

impl fmt::Display for Listing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let of = |f: &mut fmt::Formatter<'_>, what: &str, queue: &Option<&str>| match queue {
            Some(queue) => write!(f, "{what} of queue {queue:?}"),
            None => write!(f, "{what} of every queue"),
        };
        match self {
            Listing::Queues => f.write_str("queue listing"),
            Listing::Skills => f.write_str("skill listing"),
            Listing::WrapupCodes => f.write_str("wrap-up code listing"),
            Listing::Languages => f.write_str("language listing"),
            Listing::Divisions => f.write_str("division listing"),
            Listing::QueueMembers(queue) => of(f, "members", queue),
            Listing::QueueWrapupCodes(queue) => of(f, "wrap-up codes", queue),
            Listing::Users => f.write_str("user listing"),
            Listing::UserSearch => f.write_str("user search"),
            Listing::UserSkills => f.write_str("each user's skills"),
            Listing::UserLanguages => f.write_str("each user's languages"),
        }
    }
}

/// A mutation with its parameters left for the seed to draw.
#[derive(Debug, Clone, Copy)]
enum Template {
    /// Remove the fields at the path.
    Remove(&'static str),
    /// Set the fields at the path to one of these numbers.
    Set(&'static str, &'static [u64]),
    /// Set the fields at each path to the same one of these numbers: a consistent lie.
    SetAll(&'static [&'static str], &'static [u64]),
    /// Keep fewer of the entries at the path than one page holds: the sizes of the pages
    /// the org's answers have (the seed picks one page, and how many of its entries stay).
    Truncate(&'static str, &'static [usize]),
    /// Drop each entry at the path with one of these probabilities (in percent).
    Omit(&'static str, &'static [u32]),
    /// Serve page 1 for every page.
    RepeatPage,
}

/// One candidate fault of a class, and a second one some need: the read that stands in for
/// what the first took away (a user's own skills, read when the expansion is missing).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    listing: Listing,
    template: Template,
    then: Option<(Listing, Template)>,
}

const fn c(listing: Listing, template: Template) -> Candidate {
    Candidate {
        listing,
        template,
        then: None,
    }
}

const fn and(first: Candidate, listing: Listing, template: Template) -> Candidate {
    Candidate {
        then: Some((listing, template)),
        ..first
    }
}

const BILLING_EN: Option<&str> = Some("Billing EN");
const TECH_SUPPORT_EN: Option<&str> = Some("Tech Support EN");
const HUGE: u64 = 1_000_000_000;

const MISSING_FIELD: &[Candidate] = &[
    c(L::UserSearch, T::Remove("results")),
    c(L::Queues, T::Remove("entities")),
    c(L::QueueMembers(BILLING_EN), T::Remove("entities")),
    c(L::Users, T::Remove("entities")),
    c(L::WrapupCodes, T::Remove("entities")),
    c(L::Skills, T::Remove("entities/*/id")),
    c(L::QueueMembers(None), T::Remove("entities/*/id")),
    c(L::QueueWrapupCodes(None), T::Remove("entities")),
    c(L::Languages, T::Remove("entities")),
    c(L::Divisions, T::Remove("entities")),
    c(L::Users, T::Remove("entities/*/skills/*/proficiency")),
    and(
        c(L::Users, T::Remove("entities/*/skills")),
        L::UserSkills,
        T::Remove("entities/*/proficiency"),
    ),
    c(L::UserSearch, T::Remove("results/*/skills/*/proficiency")),
    c(
        L::QueueMembers(TECH_SUPPORT_EN),
        T::Remove("entities/*/ringNumber"),
    ),
    c(L::Queues, T::Remove("entities/*/id")),
    c(L::WrapupCodes, T::Remove("entities/*/name")),
    c(L::Skills, T::Remove("entities")),
    c(L::Users, T::Remove("entities/*/skills/*/id")),
    c(L::QueueWrapupCodes(None), T::Remove("entities/*/id")),
    c(L::Languages, T::Remove("entities/*/id")),
    c(L::QueueMembers(None), T::Remove("entities/*/joined")),
    c(L::UserSearch, T::Remove("results/*/id")),
    c(L::Users, T::Remove("entities/*/languages/*/proficiency")),
    c(L::Queues, T::Remove("entities/*/name")),
    c(L::Divisions, T::Remove("entities/*/id")),
    c(L::UserSearch, T::Remove("results/*/state")),
    c(L::Divisions, T::Remove("entities/*/name")),
    c(L::Users, T::Remove("entities/*/state")),
];

const SHORT_PAGE: &[Candidate] = &[
    c(
        L::QueueMembers(BILLING_EN),
        T::Truncate("entities", &[100, 11]),
    ),
    c(L::UserSearch, T::Truncate("results", &[66])),
    and(
        c(L::Users, T::Remove("entities/*/skills")),
        L::UserSkills,
        T::Truncate("entities", &[2]),
    ),
    c(L::WrapupCodes, T::Truncate("entities", &[100, 6])),
    c(L::Queues, T::Truncate("entities", &[8])),
    c(L::Users, T::Truncate("entities", &[126])),
    c(L::Skills, T::Truncate("entities", &[8])),
    c(
        L::QueueWrapupCodes(BILLING_EN),
        T::Truncate("entities", &[4]),
    ),
    c(L::Languages, T::Truncate("entities", &[5])),
    c(L::Divisions, T::Truncate("entities", &[3])),
    c(
        L::QueueMembers(TECH_SUPPORT_EN),
        T::Truncate("entities", &[4]),
    ),
    c(L::QueueMembers(None), T::Truncate("entities", &[1])),
];

const ENDLESS_PAGE: &[Candidate] = &[
    c(L::QueueMembers(BILLING_EN), T::RepeatPage),
    c(L::UserSearch, T::RepeatPage),
    and(
        c(L::Users, T::Remove("entities/*/skills")),
        L::UserSkills,
        T::RepeatPage,
    ),
    c(L::WrapupCodes, T::RepeatPage),
    c(L::Queues, T::RepeatPage),
    c(L::Users, T::RepeatPage),
    c(L::Skills, T::RepeatPage),
    c(L::QueueWrapupCodes(None), T::RepeatPage),
    c(L::Languages, T::RepeatPage),
    c(L::Divisions, T::RepeatPage),
    c(L::QueueMembers(None), T::RepeatPage),
];

/// Every member count of a queue, so that they agree with each other.
const MEMBER_COUNTS: &[&str] = &[
    "entities/*/memberCount",
    "entities/*/userMemberCount",
    "entities/*/joinedMemberCount",
];

const LYING_COUNT: &[Candidate] = &[
    c(L::Queues, T::SetAll(MEMBER_COUNTS, &[0])),
    c(L::Queues, T::Set("entities/*/memberCount", &[HUGE])),
    c(L::Queues, T::Set("entities/*/memberCount", &[0])),
    c(L::WrapupCodes, T::Set("pageCount", &[1])),
    c(L::UserSearch, T::Set("pageCount", &[1_000_000, 0])),
    c(L::Queues, T::SetAll(MEMBER_COUNTS, &[1, 10, 100])),
    c(
        L::QueueMembers(BILLING_EN),
        T::Set("pageCount", &[1_000_000, 1]),
    ),
    c(L::WrapupCodes, T::Set("pageCount", &[1_000_000])),
    c(L::Users, T::Set("pageCount", &[1_000_000, 0])),
    c(
        L::Divisions,
        T::Set("entities/*/objectCounts/USER", &[0, HUGE]),
    ),
    and(
        c(L::Users, T::Remove("entities/*/skills")),
        L::UserSkills,
        T::Set("pageCount", &[1_000_000, 0]),
    ),
    c(L::Skills, T::Set("pageCount", &[1_000_000])),
    c(L::UserSearch, T::Set("total", &[0, 1, HUGE])),
    c(L::Languages, T::Set("pageCount", &[1_000_000])),
    c(
        L::QueueWrapupCodes(None),
        T::Set("pageCount", &[1_000_000, 0]),
    ),
    c(L::Queues, T::Set("entities/*/userMemberCount", &[0, HUGE])),
    c(L::WrapupCodes, T::Set("total", &[1, HUGE])),
    c(L::Queues, T::Set("pageCount", &[1_000_000, 0])),
    c(
        L::Queues,
        T::Set("entities/*/joinedMemberCount", &[0, HUGE]),
    ),
    c(L::Users, T::Set("total", &[0, HUGE])),
];

/// An expansion left out: absent, or present but empty (an expansion that failed looks like
/// a user without skills). Not an expansion that lists some of a user's skills and drops
/// others: no answer can tell that from the truth at less than one read per user, and the
/// API is not known to answer so; docs/RELIABILITY.md says what guards it instead (apply
/// re-reads who holds a replaced skill just before deleting it).
const MISSING_EXPANSION: &[Candidate] = &[
    c(L::Users, T::Remove("entities/*/skills")),
    c(L::UserSearch, T::Remove("results/*/skills")),
    c(L::Users, T::Remove("entities/*/languages")),
    c(L::UserSearch, T::Remove("results/*/languages")),
    c(L::Users, T::Truncate("entities/*/skills", &[0])),
    c(L::UserSearch, T::Truncate("results/*/skills", &[0])),
    and(
        c(L::UserSearch, T::Remove("results/*/languages")),
        L::UserLanguages,
        T::Remove("entities"),
    ),
    c(L::QueueMembers(None), T::Remove("entities/*/user")),
    c(L::Divisions, T::Remove("entities/*/objectCounts")),
    c(L::UserSearch, T::Omit("results/*/languages", &[20, 50])),
    c(L::Users, T::Truncate("entities/*/languages", &[0, 1])),
];

const MISSING_OPTIONAL: &[Candidate] = &[
    c(L::Skills, T::Remove("entities/*/division")),
    c(L::Queues, T::Remove("entities/*/division")),
    c(L::WrapupCodes, T::Remove("entities/*/division")),
    c(L::QueueMembers(None), T::Remove("entities/*/user/email")),
    c(L::UserSearch, T::Remove("results/*/email")),
    c(L::Users, T::Remove("entities/*/email")),
    c(L::QueueMembers(None), T::Remove("entities/*/name")),
    c(L::QueueMembers(None), T::Remove("entities/*/memberBy")),
    c(L::WrapupCodes, T::Remove("entities/*/description")),
    c(L::Users, T::Remove("entities/*/name")),
    c(L::QueueWrapupCodes(None), T::Remove("entities/*/name")),
    c(L::Queues, T::Remove("entities/*/acwSettings")),
    c(L::Users, T::Remove("entities/*/division")),
    c(L::QueueMembers(None), T::Remove("entities/*/user/name")),
    c(L::Queues, T::Remove("entities/*/bullseye")),
    c(L::UserSearch, T::Remove("results/*/primaryContactInfo")),
    c(L::QueueMembers(None), T::Remove("entities/*/user/state")),
    c(L::Divisions, T::Remove("entities/*/homeDivision")),
];

const LAG: &[Candidate] = &[
    c(
        L::QueueMembers(BILLING_EN),
        T::Omit("entities", &[5, 20, 50]),
    ),
    c(L::UserSearch, T::Omit("results", &[5, 20, 50])),
    c(L::Users, T::Omit("entities", &[5, 20, 50])),
    and(
        c(L::Users, T::Remove("entities/*/skills")),
        L::UserSkills,
        T::Omit("entities", &[50]),
    ),
    c(L::WrapupCodes, T::Omit("entities", &[5, 20, 50])),
    c(L::Skills, T::Omit("entities", &[50])),
    c(L::Queues, T::Omit("entities", &[20, 50])),
    c(L::QueueWrapupCodes(None), T::Omit("entities", &[50])),
    c(L::Languages, T::Omit("entities", &[50])),
    c(L::Divisions, T::Omit("entities", &[50])),
    c(L::QueueMembers(None), T::Omit("entities", &[5, 20, 50])),
    c(
        L::QueueMembers(TECH_SUPPORT_EN),
        T::Omit("entities", &[50, 100]),
    ),
];

/// The read fault one seed tries: reproducible from the seed alone (up to the order in
/// which concurrent requests reach the simulator, which `skip` and `omit` count by).
#[derive(Debug, Clone, PartialEq)]
pub struct SeededFault {
    /// The seed.
    pub seed: u64,
    /// The class of fault.
    pub class: ReadFault,
    /// Which manifest is planned (the replace reads users from the listing, the other by
    /// search).
    pub scenario: Scenario,
    /// The answer altered.
    pub listing: Listing,
    /// How it is altered.
    pub mutation: Mutation,
    /// Matching requests let through first (which page is hit).
    pub skip: u32,
    /// How many matching requests are altered at most (all when absent).
    pub times: Option<u32>,
    /// A second answer altered, every time: the read that stands in for what the first
    /// fault took away.
    pub then: Option<(Listing, Mutation)>,
}

impl SeededFault {
    /// The fault seed `seed` tries.
    pub fn of_seed(seed: u64) -> SeededFault {
        let class = ReadFault::of_seed(seed);
        let candidates = class.candidates();
        let round = seed / ReadFault::ALL.len() as u64;
        let index = usize::try_from(round % candidates.len() as u64).unwrap_or(0);
        let Candidate {
            listing,
            template,
            then,
        } = candidates[index];
        let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed_d1ff);
        let (mutation, skip, times) = instantiate(listing, template, &mut rng);
        // The stand-in read is hit every time: any of its answers may be the one that
        // matters.
        let then =
            then.map(|(listing, template)| (listing, instantiate(listing, template, &mut rng).0));
        let scenario = match listing {
            Listing::UserSearch => Scenario::Search,
            Listing::Users => Scenario::Replace,
            _ if rng.random_bool(0.5) => Scenario::Search,
            _ => Scenario::Replace,
        };
        SeededFault {
            seed,
            class,
            scenario,
            listing,
            mutation,
            skip,
            times,
            then,
        }
    }

    /// The simulator's rules; `queue_id` gives a queue's id by name, for a fault narrowed to
    /// one queue. `None` when that queue has no id.
    pub fn rules(&self, queue_id: &dyn Fn(&str) -> Option<String>) -> Option<Vec<FaultRule>> {
        let mut rule = self
            .listing
            .rule(self.mutation.clone(), queue_id)?
            .skip(self.skip);
        if let Some(times) = self.times {
            rule = rule.times(times);
        }
        let mut rules = vec![rule];
        if let Some((listing, mutation)) = &self.then {
            rules.push(listing.rule(mutation.clone(), queue_id)?);
        }
        Some(rules)
    }

    /// The simulator's faults: the rules, and the seed for their random draws.
    pub fn faults(&self, queue_id: &dyn Fn(&str) -> Option<String>) -> Option<Faults> {
        let faults = Faults::none().seed(self.seed);
        Some(self.rules(queue_id)?.into_iter().fold(faults, Faults::rule))
    }
}

/// A template's mutation with the seed's draws, and the `skip` and `times` of its rule.
fn instantiate(
    listing: Listing,
    template: Template,
    rng: &mut StdRng,
) -> (Mutation, u32, Option<u32>) {
    match template {
        Template::Remove(path) => (Mutation::remove(path), 0, None),
        Template::Set(path, values) => {
            let value = values.choose(rng).copied().unwrap_or(0);
            (Mutation::set(path, Value::from(value)), 0, None)
        }
        Template::SetAll(paths, values) => {
            let value = values.choose(rng).copied().unwrap_or(0);
            let each = paths.iter().map(|path| Mutation::set(*path, value));
            (Mutation::all(each), 0, None)
        }
        Template::Truncate(path, pages) => {
            let page = rng.random_range(0..pages.len().max(1));
            let size = pages.get(page).copied().unwrap_or(1);
            let keep = rng.random_range(0..size.max(1));
            // A listing read page 1 first and then the rest has its pages arrive in
            // order, so `skip` picks the page that ends early. A queue's member pages
            // are read all at once and arrive in any order: every one is cut, to fewer
            // entries than the picked page holds, so the seed's fault stays the same.
            let in_order = pages.len() > 1 && !matches!(listing, Listing::QueueMembers(_));
            if in_order {
                let skip = u32::try_from(page).unwrap_or(0);
                (Mutation::truncate(path, keep), skip, Some(1))
            } else {
                (Mutation::truncate(path, keep), 0, None)
            }
        }
        Template::Omit(path, percents) => {
            let percent = percents.choose(rng).copied().unwrap_or(50);
            (Mutation::omit(path, f64::from(percent) / 100.0), 0, None)
        }
        Template::RepeatPage => (Mutation::RepeatPage, 0, None),
    }
}

impl fmt::Display for SeededFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} scenario): {}: ",
            self.class, self.scenario, self.listing
        )?;
        f.write_str(&describe(&self.mutation))?;
        if self.skip > 0 {
            write!(f, ", after {} matching request(s)", self.skip)?;
        }
        if let Some(times) = self.times {
            write!(f, ", {times} time(s)")?;
        }
        if let Some((listing, mutation)) = &self.then {
            write!(f, "; then {listing}: {}", describe(mutation))?;
        }
        Ok(())
    }
}

/// A mutation in words.
fn describe(mutation: &Mutation) -> String {
    match mutation {
        Mutation::Remove { path } => format!("remove `{path}`"),
        Mutation::Set { path, value } => format!("set `{path}` to {value}"),
        Mutation::Truncate { path, keep } => format!("cut `{path}` to {keep}"),
        Mutation::Omit { path, probability } => {
            format!("omit each of `{path}` with p={probability}")
        }
        Mutation::All { mutations } => mutations
            .iter()
            .map(describe)
            .collect::<Vec<_>>()
            .join(" and "),
        Mutation::RepeatPage => "serve page 1 for every page".to_string(),
    }
}

/// Whether `entry` is a request `rule` matches (as the simulator matches: method, path
/// prefix, suffix).
pub(crate) fn matches(rule: &FaultRule, entry: &JournalEntry) -> bool {
    rule.matches(&entry.method, &entry.path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_gets_seeds_and_each_candidate_a_turn() {
        for (i, class) in ReadFault::ALL.iter().enumerate() {
            assert_eq!(ReadFault::of_seed(i as u64), *class);
            let rounds = class.candidates().len() as u64;
            let listings: std::collections::BTreeSet<String> = (0..rounds)
                .map(|round| {
                    SeededFault::of_seed(i as u64 + round * 7)
                        .listing
                        .to_string()
                })
                .collect();
            assert!(listings.len() > 1, "{class}");
        }
    }

    #[test]
    fn a_seed_gives_the_same_fault() {
        for seed in 0..50 {
            assert_eq!(SeededFault::of_seed(seed), SeededFault::of_seed(seed));
        }
    }

    #[test]
    fn user_faults_plan_the_scenario_that_reads_users_that_way() {
        for seed in 0..300 {
            let fault = SeededFault::of_seed(seed);
            match fault.listing {
                Listing::UserSearch => assert_eq!(fault.scenario, Scenario::Search),
                Listing::Users => assert_eq!(fault.scenario, Scenario::Replace),
                _ => {}
            }
        }
    }
}
