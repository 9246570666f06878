//! The org a manifest is for, before anything was configured: what `switchboard sim
//! --seed-from` serves, and what chaos runs and other end-to-end scenarios start from.

use std::collections::{BTreeMap, BTreeSet};

use switchboard_manifest::Manifest;
use switchboard_manifest::names::name_key;
use switchboard_manifest::references::{ReferenceKind, email_domain, references};
use switchboard_sim::{
    Fixture, FixtureEmailDomain, FixtureEmailRoute, FixtureFlow, FixtureGroup,
    FixtureMessageRecipient, FixtureNamed, FixtureOrg, FixturePrompt, FixtureScript,
    FixtureSmsPhoneNumber, FixtureTeam,
};

/// The org `manifest` guards (its name and id), the divisions it names and every user it
/// references, active; no skills, languages, wrap-up codes or queues. The objects its
/// queues name without managing them (flows, prompts, scripts, groups, teams, libraries,
/// email routes, SMS numbers, message recipients, edge groups, sites) exist, each under the
/// name the manifest gives it: an org keeps them apart from its routing configuration. A
/// reference given by id, and a skill group the manifest does not declare, are not seeded:
/// an id cannot be chosen, and a skill group needs conditions the manifest does not give.
pub fn bare_org(manifest: &Manifest) -> Fixture {
    let mut divisions: BTreeSet<String> = manifest
        .scope
        .iter()
        .flat_map(|s| s.divisions.clone())
        .collect();
    divisions.extend(manifest.queues.iter().filter_map(|q| q.division.clone()));
    divisions.extend(manifest.skills.iter().filter_map(|s| s.division.clone()));
    divisions.extend(
        manifest
            .wrapup_codes
            .iter()
            .filter_map(|c| c.division.clone()),
    );
    let mut emails: BTreeSet<String> = manifest.agents.iter().map(|a| a.user.clone()).collect();
    for queue in &manifest.queues {
        if let Some(members) = &queue.members {
            emails.extend(members.users.iter().map(|m| m.user.clone()));
        }
    }
    let org = FixtureOrg {
        name: manifest.org.name.clone(),
        id: manifest.org.id.clone(),
    };
    let mut fixture = Fixture::bare(org, divisions, emails);
    seed_references(manifest, &mut fixture);
    fixture
}

/// Adds to `fixture` one object per name the manifest's references give (once per name, by
/// the one name rule).
fn seed_references(manifest: &Manifest, fixture: &mut Fixture) {
    let mut seen: BTreeSet<(ReferenceKind, String)> = BTreeSet::new();
    let mut routes: BTreeMap<String, Vec<FixtureEmailRoute>> = BTreeMap::new();
    for reference in references(manifest) {
        let (Some(name), None) = (reference.name, reference.id) else {
            continue;
        };
        if !seen.insert((reference.kind, name_key(name))) {
            continue;
        }
        let name = name.to_string();
        let named = || FixtureNamed { name: name.clone() };
        match reference.kind {
            ReferenceKind::UserPrompt => fixture.prompts.push(FixturePrompt {
                name,
                description: None,
            }),
            ReferenceKind::Script => fixture.scripts.push(FixtureScript {
                name,
                division: None,
                published: None,
            }),
            ReferenceKind::Group => fixture.groups.push(FixtureGroup {
                name,
                description: None,
                members: Vec::new(),
            }),
            ReferenceKind::Team => fixture.teams.push(FixtureTeam {
                name,
                division: None,
                description: None,
                members: Vec::new(),
            }),
            ReferenceKind::Library => fixture.canned_response_libraries.push(named()),
            ReferenceKind::EdgeGroup => fixture.edge_groups.push(named()),
            ReferenceKind::Site => fixture.sites.push(named()),
            ReferenceKind::SmsNumber => fixture
                .sms_phone_numbers
                .push(FixtureSmsPhoneNumber { phone_number: name }),
            ReferenceKind::OpenMessagingRecipient | ReferenceKind::WhatsAppRecipient => {
                let messenger_type = if reference.kind == ReferenceKind::WhatsAppRecipient {
                    "whatsapp"
                } else {
                    "open"
                };
                fixture.message_recipients.push(FixtureMessageRecipient {
                    name,
                    messenger_type: messenger_type.into(),
                });
            }
            ReferenceKind::EmailAddress => {
                if let (Some((pattern, _)), Some(domain)) =
                    (name.rsplit_once('@'), email_domain(&name))
                {
                    routes.entry(domain).or_default().push(FixtureEmailRoute {
                        pattern: pattern.to_string(),
                        from_name: None,
                        from_email: None,
                    });
                }
            }
            ReferenceKind::SkillGroup => {}
            kind => {
                if let Some(flow_type) = kind.flow_type() {
                    fixture.flows.push(FixtureFlow {
                        name,
                        flow_type: flow_type.into(),
                        division: None,
                        description: None,
                        deleted: false,
                    });
                }
            }
        }
    }
    fixture.email_domains.extend(
        routes
            .into_iter()
            .map(|(name, routes)| FixtureEmailDomain { name, routes }),
    );
}
