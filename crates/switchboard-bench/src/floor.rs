//! Request floors: the fewest requests each job can make given what the API offers
//! (API-FACTS §2 listings and page sizes, §5 writes), computed from a [`Census`] and
//! nothing switchboard itself reports.
//!
//! Every term is one of: a listing read page by page (at least one page), a per-queue read
//! the API has no bulk form of (members, queue wrap-up codes), or a write the API has no
//! wider form of (one create per object, one ring `PATCH` per member, one replace-all per
//! agent). `docs/PERFORMANCE.md` states each formula.

use std::collections::BTreeSet;

use switchboard_client::NAMES_PER_SEARCH;
use switchboard_client::api::{
    divisions, email_domains, flows, languages, members, queue_wrapup_codes, queues, skill_groups,
    skills, teams, user_routing, users, wrapup_codes,
};

use crate::census::{Census, QueueCensus, ReferenceCensus};

/// ⌈items / size⌉.
pub fn pages(items: usize, size: u32) -> usize {
    items.div_ceil(size.max(1) as usize)
}

/// A listing: ⌈items / size⌉, and at least the one page that says it is empty.
pub fn listing(items: usize, size: u32) -> usize {
    pages(items, size).max(1)
}

/// The org-wide listings every read makes: the organization (the org guard), divisions,
/// skills, languages, wrap-up codes and queues.
pub fn listings(c: &Census) -> usize {
    1 + listing(c.divisions, divisions::PAGE_SIZE)
        + listing(c.skills, skills::PAGE_SIZE)
        + listing(c.languages, languages::PAGE_SIZE)
        + listing(c.wrapup_codes, wrapup_codes::PAGE_SIZE)
        + listing(c.queues.len(), queues::PAGE_SIZE)
}

/// One queue's members and wrap-up codes: ⌈members/100⌉ (none for a queue that reports
/// none) and ⌈codes/100⌉ pages, at least one (a queue does not say how many codes it has).
pub fn queue_reads(q: &QueueCensus) -> usize {
    pages(q.members.len(), members::PAGE_SIZE)
        + listing(q.wrapup_codes, queue_wrapup_codes::PAGE_SIZE)
}

/// The users: the listing (500 a page) or a search by email (100 a request), whichever
/// is fewer; none when no user is named.
pub fn user_reads(c: &Census, emails: usize) -> usize {
    if emails == 0 {
        return 0;
    }
    listing(c.users, users::PAGE_SIZE).min(pages(emails, users::SEARCH_PAGE_SIZE as u32))
}

/// Skill groups, `whole` of them read whole: the listing, and per skill group its
/// definition (the listing has no conditions) and its member divisions (no bulk form of
/// either).
pub fn skill_group_reads(c: &Census, whole: usize) -> usize {
    listing(c.skill_groups, skill_groups::PAGE_SIZE) + 2 * whole
}

/// The lookups of what the queues name, one read per kind (a skill group shares the skill
/// groups' listing): ⌈directory group names/100⌉ searches, the teams' listing, the listing of
/// the in-queue call flows.
pub fn reference_reads(r: &ReferenceCensus) -> usize {
    pages(r.group_names, NAMES_PER_SEARCH as u32)
        + if r.names_teams {
            listing(r.teams, teams::PAGE_SIZE)
        } else {
            0
        }
        + if r.flows > 0 {
            listing(r.flows, flows::PAGE_SIZE)
        } else {
            0
        }
        + r.listings
            .iter()
            .map(|(n, page)| listing(*n, *page))
            .sum::<usize>()
        + r.routes
            .iter()
            .map(|n| listing(*n, email_domains::PAGE_SIZE))
            .sum::<usize>()
}

/// Reading everything a manifest that manages the whole org names (plan, full drift,
/// apply's own read and its verification): with every skill group declared, with its
/// member divisions, every reference by name, and the capacity of every agent with settings
/// of its own, as an export with `--capacity` writes them (one utilization read per such
/// agent: the API has no bulk read).
pub fn full_read(c: &Census, managed_emails: usize) -> usize {
    listings(c)
        + c.queues.iter().map(queue_reads).sum::<usize>()
        + user_reads(c, managed_emails)
        + skill_group_reads(c, c.skill_groups)
        + reference_reads(&c.references)
        + c.capacity_agents.len()
}

/// Export with `--capacity`: every listing, every queue's members and codes, every user
/// (the listing), every skill group whole, and every active user's utilization (one read
/// each).
pub fn export(c: &Census) -> usize {
    listings(c)
        + c.queues.iter().map(queue_reads).sum::<usize>()
        + listing(c.users, users::PAGE_SIZE)
        + skill_group_reads(c, c.skill_groups)
        + reference_reads(&c.references)
        + c.active_users
}

/// The writes that make an org with only its users into `target`: one create per skill,
/// language, wrap-up code, skill group and queue (the API has no bulk create); ⌈members/100⌉ member
/// adds and one ring `PATCH` per member outside ring 1 per queue; ⌈codes/100⌉ code adds
/// per queue; per agent one skills replace-all and ⌈languages/50⌉ language `PATCH`es.
pub fn writes_from_empty(target: &Census) -> usize {
    let per_queue: usize = target
        .queues
        .iter()
        .map(|q| {
            pages(q.direct_members.len(), members::MAX_PER_CALL as u32)
                + q.outer_ring_members
                + pages(q.wrapup_codes, queue_wrapup_codes::PAGE_SIZE)
        })
        .sum();
    let per_agent: usize = target
        .agents
        .values()
        .map(|a| usize::from(!a.skills.is_empty()) + pages(a.languages, user_routing::PAGE_SIZE))
        .sum();
    target.skills
        + target.languages
        + target.wrapup_codes
        + target.skill_groups
        + target.queues.len()
        + per_queue
        + per_agent
}

/// Apply from an org with only its users (and the flows and groups the manifest names):
/// read it (looking up what the manifest names), write, read again to verify.
pub fn apply_from_empty(empty: &Census, target: &Census, managed_emails: usize) -> usize {
    full_read(empty, managed_emails)
        + reference_reads(&target.references)
        + writes_from_empty(target)
        + full_read(target, managed_emails)
}

/// Full drift: the full read, and one audit query per drifted object to say who changed it.
pub fn drift_full(c: &Census, managed_emails: usize, drifted: usize) -> usize {
    full_read(c, managed_emails) + drifted
}

/// `drift --since`: the window's audit query, the listings (the skill groups' too, the
/// changed ones read whole), the changed agents' emails
/// (the audit trail names users by id: 100 ids a request), the changed queues' members and
/// codes, one search for the changed agents and the changed queues' members (100 emails a
/// request), the utilization of each changed agent whose capacity is managed, and one audit
/// query per drifted object.
pub fn drift_since(
    c: &Census,
    changed_queues: &BTreeSet<String>,
    changed_agents: &BTreeSet<String>,
    changed_skill_groups: usize,
    drifted: usize,
) -> usize {
    let queues: Vec<&QueueCensus> = c
        .queues
        .iter()
        .filter(|q| changed_queues.contains(&q.name))
        .collect();
    let mut emails: BTreeSet<&str> = changed_agents.iter().map(String::as_str).collect();
    emails.extend(
        queues
            .iter()
            .flat_map(|q| q.direct_members.iter().map(String::as_str)),
    );
    1 + listings(c)
        + skill_group_reads(c, changed_skill_groups)
        + reference_reads(&c.references)
        + pages(changed_agents.len(), users::MAX_IDS_PER_CALL as u32)
        + queues.iter().map(|q| queue_reads(q)).sum::<usize>()
        + pages(emails.len(), users::SEARCH_PAGE_SIZE as u32)
        + changed_agents
            .iter()
            .filter(|email| c.capacity_agents.contains(&email.to_lowercase()))
            .count()
        + drifted
}

/// The per-object pattern PRIOR-ART describes for the vendor's Terraform provider: each
/// queue with the queue, its wrap-up code pages, the queue again (for its member count),
/// its member pages and one more empty page; each user with three GETs (the user, its
/// skills, its languages); each skill, language and wrap-up code with one GET.
pub fn per_object(c: &Census) -> usize {
    let per_queue: usize = c
        .queues
        .iter()
        .map(|q| {
            2 + listing(q.wrapup_codes, queue_wrapup_codes::PAGE_SIZE)
                + pages(q.members.len(), members::PAGE_SIZE)
                + 1
        })
        .sum();
    let per_user: usize = c
        .agents
        .values()
        .map(|a| {
            1 + listing(a.skills.len(), user_routing::PAGE_SIZE)
                + listing(a.languages, user_routing::PAGE_SIZE)
        })
        .sum();
    per_queue + per_user + c.skills + c.languages + c.wrapup_codes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::census::AgentCensus;

    fn org(queues: usize, members: usize, codes: usize, users: usize) -> Census {
        Census {
            divisions: 1,
            skills: 300,
            languages: 10,
            wrapup_codes: 200,
            skill_groups: 0,
            references: ReferenceCensus::default(),
            queues: (0..queues)
                .map(|i| QueueCensus {
                    name: format!("q{i:04}"),
                    members: (0..members).map(|m| format!("u{m}@x")).collect(),
                    direct_members: (0..members).map(|m| format!("u{m}@x")).collect(),
                    outer_ring_members: members / 2,
                    wrapup_codes: codes,
                })
                .collect(),
            users,
            agents: (0..users)
                .map(|u| {
                    (
                        format!("u{u}@x"),
                        AgentCensus {
                            skills: [("S".to_string(), 3.0)].into(),
                            languages: 1,
                        },
                    )
                })
                .collect(),
            ..Census::default()
        }
    }

    #[test]
    fn listings_count_pages_and_never_less_than_one() {
        assert_eq!(pages(0, 100), 0);
        assert_eq!(listing(0, 100), 1);
        assert_eq!(listing(100, 100), 1);
        assert_eq!(listing(101, 100), 2);
    }

    #[test]
    fn the_large_org_reads_at_about_two_requests_a_queue() {
        let c = org(1_000, 25, 5, 5_000);
        // organization, divisions, skills, languages, 2 pages of codes, 2 of queues.
        assert_eq!(listings(&c), 1 + 1 + 1 + 1 + 2 + 2);
        // ... and the one page that says there are no skill groups.
        assert_eq!(full_read(&c, 5_000), 8 + 1_000 * 2 + 10 + 1);
        assert_eq!(export(&c), full_read(&c, 5_000));
        // Ten managed users are cheaper to search for than to list.
        assert_eq!(user_reads(&c, 10), 1);
    }

    #[test]
    fn writes_from_empty_are_one_per_object_and_per_outer_ring_member() {
        let c = org(2, 150, 5, 3);
        // 300 skills, 10 languages, 200 codes, 2 queues; per queue 2 adds, 75 rings,
        // 1 code add; per agent 1 skills replace and 1 languages patch.
        assert_eq!(writes_from_empty(&c), 510 + 2 + 2 * (2 + 75 + 1) + 3 * 2);
    }

    #[test]
    fn a_since_check_grows_with_the_changed_objects_not_the_org() {
        let c = org(1_000, 25, 5, 5_000);
        let none = drift_since(&c, &BTreeSet::new(), &BTreeSet::new(), 0, 0);
        let one: BTreeSet<String> = ["q0001".to_string()].into();
        let ten: BTreeSet<String> = (0..10).map(|i| format!("q{i:04}")).collect();
        // The audit query, the listings, and the skill groups' (empty) listing.
        assert_eq!(none, 1 + listings(&c) + 1);
        // A changed skill group: its definition and member divisions, and one audit query.
        assert_eq!(
            drift_since(&c, &BTreeSet::new(), &BTreeSet::new(), 1, 1),
            none + 2 + 1
        );
        assert_eq!(
            drift_since(&c, &one, &BTreeSet::new(), 0, 1),
            none + 2 + 1 + 1
        );
        assert_eq!(
            drift_since(&c, &ten, &BTreeSet::new(), 0, 10),
            none + 20 + 1 + 10
        );
        let agent: BTreeSet<String> = ["u1@x".to_string()].into();
        assert_eq!(
            drift_since(&c, &BTreeSet::new(), &agent, 0, 1),
            none + 1 + 1 + 1
        );
    }

    #[test]
    fn the_per_object_pattern_matches_prior_art_for_a_mid_size_org() {
        // PRIOR-ART: 200 queues and 2,000 users cost about 7,400 requests.
        let mut c = org(200, 10, 3, 2_000);
        c.skills = 100;
        c.languages = 10;
        c.wrapup_codes = 50;
        let n = per_object(&c);
        assert!((7_000..=7_600).contains(&n), "{n}");
    }
}
