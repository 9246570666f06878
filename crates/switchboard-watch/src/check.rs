//! Drift checks for watch mode: a full check (the whole read, as `switchboard drift`) and a
//! targeted one (the listings plus only the changed objects, as `drift --since`), both
//! attributed from the audit trail.
//!
//! The checker remembers which name each object id had at the last check, because a
//! notification names an object by id only: an object deleted or renamed since is then
//! still compared under the name the manifest knows it by.

use std::collections::{BTreeMap, BTreeSet};

use switchboard_client::Client;
use switchboard_drift::recent::{ChangedEntity, kind_of_entity_type, objects};
use switchboard_drift::{
    ObjectKind, Plans, Report, Targeted, attribute, classify, compare_changed,
};
use switchboard_fetch::{Silent, fetch};
use switchboard_manifest::{Live, Manifest};

use crate::event::{ChangeEvent, audit_topic, queue_users_topic};

/// Why a check could not be made: the org could not be read, or no plan made.
pub use switchboard_drift::CompareError as CheckError;

/// What one check found.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The drift report (attributed).
    pub report: Report,
    /// What was read.
    pub live: Live,
    /// For a targeted check, what was compared, as `kind:NAME`; `None` for a full check.
    pub compared: Option<Vec<String>>,
}

/// Makes checks of one manifest against one org.
#[derive(Debug)]
pub struct Checker {
    client: Client,
    manifest: Manifest,
    /// (kind, id) → the name the object had when last read.
    names: BTreeMap<(ObjectKind, String), String>,
}

impl Checker {
    /// A checker of `manifest` through `client`.
    pub fn new(client: Client, manifest: Manifest) -> Checker {
        Checker {
            client,
            manifest,
            names: BTreeMap::new(),
        }
    }

    /// The client checks read through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The manifest checked.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Reads everything the manifest manages and reports all drift.
    pub async fn full(&mut self) -> Result<Checked, CheckError> {
        let live = fetch(&self.client, &self.manifest).await?;
        let mut report = classify(&Plans::of(&self.manifest, &live)?, &live);
        attribute(&self.client, &mut report).await;
        self.remember(&live);
        Ok(Checked {
            report,
            live,
            compared: None,
        })
    }

    /// Reads and compares only the objects `events` name.
    pub async fn targeted(&mut self, events: &[ChangeEvent]) -> Result<Checked, CheckError> {
        let entities = self.entities(events);
        let Targeted {
            mut report,
            live,
            compared,
        } = compare_changed(&self.client, &self.manifest, &entities, &Silent).await?;
        let compared = compared.iter().map(ToString::to_string).collect();
        attribute(&self.client, &mut report).await;
        self.remember(&live);
        Ok(Checked {
            report,
            live,
            compared: Some(compared),
        })
    }

    /// The changed objects of `events`, each with the name it had at the last check.
    fn entities(&self, events: &[ChangeEvent]) -> Vec<ChangedEntity> {
        let mut found: BTreeMap<(ObjectKind, String), BTreeSet<String>> = BTreeMap::new();
        for event in events {
            let Some(kind) = kind_of_entity_type(&event.entity_type) else {
                continue;
            };
            let key = (kind, event.entity_id.clone());
            let names = found.entry(key.clone()).or_default();
            names.extend(self.names.get(&key).cloned());
        }
        found
            .into_iter()
            .map(|((kind, id), names)| ChangedEntity { kind, id, names })
            .collect()
    }

    /// Notes the name of every object in `live`, by id.
    fn remember(&mut self, live: &Live) {
        for (kind, name, id) in objects(live) {
            self.names.insert((kind, id.clone()), name.clone());
        }
    }

    /// The notification topics of every object the manifest manages that the org has, as
    /// `live` shows them: each object's audit topic, and each queue's membership topic.
    pub fn topics(&self, live: &Live) -> Vec<String> {
        let managed = managed_names(&self.manifest);
        let mut topics = BTreeSet::new();
        for (kind, name, id) in objects(live) {
            if !managed.get(&kind).is_some_and(|names| names.contains(name)) {
                continue;
            }
            topics.insert(audit_topic(kind.audit_entity_type(), id));
            if kind == ObjectKind::Queue {
                topics.insert(queue_users_topic(id));
            }
        }
        topics.into_iter().collect()
    }
}

/// The names the manifest gives its objects, by kind: current and former (`renamedFrom`)
/// names, and agents by lower-case email.
fn managed_names(manifest: &Manifest) -> BTreeMap<ObjectKind, BTreeSet<String>> {
    fn with_former<'a>(name: &'a String, former: &'a [String]) -> impl Iterator<Item = String> {
        std::iter::once(name).chain(former).cloned()
    }
    BTreeMap::from([
        (
            ObjectKind::Skill,
            manifest
                .skills
                .iter()
                .flat_map(|s| with_former(&s.name, &s.renamed_from))
                .collect(),
        ),
        (
            ObjectKind::Language,
            manifest.languages.iter().map(|l| l.name.clone()).collect(),
        ),
        (
            ObjectKind::WrapupCode,
            manifest
                .wrapup_codes
                .iter()
                .flat_map(|c| with_former(&c.name, &c.renamed_from))
                .collect(),
        ),
        (
            ObjectKind::Queue,
            manifest
                .queues
                .iter()
                .flat_map(|q| with_former(&q.name, &q.renamed_from))
                .collect(),
        ),
        (
            ObjectKind::Agent,
            manifest
                .agents
                .iter()
                .map(|a| a.user.to_lowercase())
                .collect(),
        ),
    ])
}
