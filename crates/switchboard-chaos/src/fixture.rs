//! The org a manifest is for, before anything was configured: what chaos runs (and other
//! end-to-end scenarios) start from.

use std::collections::BTreeSet;

use switchboard_manifest::Manifest;
use switchboard_sim::{Fixture, FixtureOrg};

/// The org `manifest` guards (its name and id), the divisions it names and every user it
/// references, active; no skills, languages, wrap-up codes or queues.
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
    Fixture::bare(org, divisions, emails)
}
