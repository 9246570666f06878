//! Live → Manifest, by name, with nothing the plan would see as a change.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use switchboard_manifest::live::{
    LiveMember, LiveQueue, LiveRoutingSettings, LiveUser, LiveUtilization, Referent, find_referent,
};
use switchboard_manifest::model::ALL_DIVISIONS;
use switchboard_manifest::model::{
    Agent, Capacity, CapacityMode, Kind, Language, MediaCapacity, MediaType, Member, Members, Mode,
    ObjectRef, OrgGuard, Proficiencies, Proficiency, Queue, QueueWrapupCodes, RoutingRuleOperator,
    RoutingSettings, Scope, Skill, TranscriptionSettings, WrapupCode,
};
use switchboard_manifest::names::NameIndex;
use switchboard_manifest::references::{QUEUE_FIELDS, ReferenceKind, nested_references_mut};
use switchboard_manifest::{Live, Manifest};

use crate::fit::{Schema, omit_defaults};
use crate::{ExportError, ExportOptions, Section};

/// Refuses an org holding two objects of one kind with the same name by the name rule.
fn same_names(live: &Live) -> Result<(), ExportError> {
    for (kind, label) in [
        (Kind::Skills, "skills"),
        (Kind::Languages, "languages"),
        (Kind::WrapupCodes, "wrap-up codes"),
        (Kind::SkillGroups, "skill groups"),
        (Kind::Queues, "queues"),
    ] {
        let index = NameIndex::new(live.names(kind));
        if let Some(spellings) = index.clashes().next() {
            return Err(ExportError::SameName {
                kind: label.to_string(),
                spellings: spellings
                    .iter()
                    .map(|s| format!("{s:?}"))
                    .collect::<Vec<_>>()
                    .join(" and "),
            });
        }
    }
    Ok(())
}

/// A note before it is placed in a file: about a section, and for queues their division.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct RawNote {
    /// `None`: about the org itself (its routing settings), in `org.yaml`.
    pub section: Option<Section>,
    /// The queue's division, for a note about a queue.
    pub division: Option<String>,
    pub subject: String,
    pub message: String,
}

struct Cx<'a> {
    live: &'a Live,
    notes: Vec<RawNote>,
    /// Division id → name.
    division_names: BTreeMap<&'a str, &'a str>,
    home: Option<&'a str>,
    /// User id → email, as the read keys users.
    emails: BTreeMap<&'a str, &'a str>,
    /// Skill id → name.
    skill_names: BTreeMap<&'a str, &'a str>,
    /// Language id → name.
    language_names: BTreeMap<&'a str, &'a str>,
    /// Wrap-up code id → name.
    code_names: BTreeMap<&'a str, &'a str>,
    /// What queue settings refer to by id, named.
    queue_names: switchboard_plan::LiveNames<'a>,
}

impl<'a> Cx<'a> {
    fn new(live: &'a Live) -> Cx<'a> {
        Cx {
            live,
            queue_names: switchboard_plan::LiveNames::of(live),
            notes: Vec::new(),
            division_names: live
                .divisions
                .iter()
                .map(|(name, d)| (d.id.as_str(), name.as_str()))
                .collect(),
            home: live
                .divisions
                .values()
                .find(|d| d.home)
                .map(|d| d.id.as_str()),
            emails: live
                .users
                .iter()
                .map(|(email, user)| (user.id.as_str(), email.as_str()))
                .collect(),
            skill_names: live
                .skills
                .iter()
                .map(|(name, s)| (s.id.as_str(), name.as_str()))
                .collect(),
            language_names: live
                .languages
                .iter()
                .map(|(name, l)| (l.id.as_str(), name.as_str()))
                .collect(),
            code_names: live
                .wrapup_codes
                .iter()
                .map(|(name, code)| (code.id.as_str(), name.as_str()))
                .collect(),
        }
    }

    fn note(
        &mut self,
        section: Section,
        division: Option<&str>,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.notes.push(RawNote {
            section: Some(section),
            division: division.map(String::from),
            subject: subject.into(),
            message: message.into(),
        });
    }

    /// The division's name when it is not the home division (where objects go by default).
    /// A wrap-up code's division, always written: a code created without one goes to every
    /// division (`*`), not the home division, so the home division is named too.
    fn code_division(&self, id: Option<&str>) -> Option<String> {
        match id? {
            ALL_DIVISIONS => Some(ALL_DIVISIONS.to_string()),
            id => self.division_names.get(id).map(|n| (*n).to_string()),
        }
    }

    fn non_home_division(&self, id: Option<&str>) -> Option<String> {
        let id = id?;
        (Some(id) != self.home)
            .then(|| self.division_names.get(id).map(|n| (*n).to_string()))
            .flatten()
    }
}

pub(crate) fn manifest(
    live: &Live,
    options: &ExportOptions,
) -> Result<(Manifest, Vec<RawNote>), ExportError> {
    let division_id = match &options.division {
        Some(name) => match live.divisions.get(name) {
            Some(division) => Some(division.id.as_str()),
            None => {
                return Err(ExportError::UnknownDivision {
                    division: name.clone(),
                    known: live
                        .divisions
                        .keys()
                        .map(|k| format!("{k:?}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        },
        None => None,
    };
    same_names(live)?;
    let mut cx = Cx::new(live);
    let sections = options.sections();
    for section in sections.difference(&options.include) {
        let by: Vec<&str> = options
            .include
            .iter()
            .filter(|s| s.needs().contains(section))
            .map(|s| s.key())
            .collect();
        cx.note(
            *section,
            None,
            section.key(),
            format!("written because {} refer to them by name", by.join(" and ")),
        );
    }
    let mut manifest = Manifest {
        version: 1,
        org: OrgGuard {
            name: Some(live.org.name.clone()).filter(|n| !n.trim().is_empty()),
            id: Some(live.org.id.clone()).filter(|n| !n.trim().is_empty()),
            region: options.region.clone(),
        },
        ..Manifest::default()
    };
    if sections.contains(&Section::Skills) {
        manifest.skills = live
            .skills
            .iter()
            .map(|(name, skill)| Skill {
                name: name.clone(),
                division: cx.non_home_division(skill.division_id.as_deref()),
                ..Skill::default()
            })
            .collect();
    }
    if sections.contains(&Section::Languages) {
        manifest.languages = live
            .languages
            .keys()
            .map(|name| Language { name: name.clone() })
            .collect();
    }
    if sections.contains(&Section::WrapupCodes) {
        manifest.wrapup_codes = live
            .wrapup_codes
            .iter()
            .map(|(name, code)| WrapupCode {
                name: name.clone(),
                description: code.description.clone().filter(|d| !d.trim().is_empty()),
                division: cx.code_division(code.division_id.as_deref()),
                ..WrapupCode::default()
            })
            .collect();
    }
    if sections.contains(&Section::SkillGroups) {
        let (groups, notes) = crate::skill_groups::skill_groups(
            live,
            &manifest,
            |id| cx.non_home_division(id),
            |id| cx.division_names.get(id).map(|n| (*n).to_string()),
        );
        manifest.skill_groups = groups;
        for (subject, message) in notes {
            cx.note(Section::SkillGroups, None, subject, message);
        }
    }
    let exported: BTreeSet<&str> = live
        .queues
        .iter()
        .filter(|(_, q)| division_id.is_none_or(|id| q.division_id.as_deref() == Some(id)))
        .map(|(name, _)| name.as_str())
        .collect();
    if sections.contains(&Section::Queues) {
        let schema = Schema::manifest();
        let skills: BTreeSet<&str> = manifest.skills.iter().map(|s| s.name.as_str()).collect();
        manifest.queues = exported
            .iter()
            .filter_map(|name| {
                Some(queue(
                    &mut cx,
                    &schema,
                    name,
                    live.queues.get(*name)?,
                    &exported,
                    &skills,
                ))
            })
            .collect();
    }
    if sections.contains(&Section::Agents) {
        let members_of_exported: Option<BTreeSet<&str>> = division_id.map(|_| {
            exported
                .iter()
                .filter_map(|name| live.queues.get(*name)?.members.as_ref())
                .flatten()
                .filter(|m| !m.by_group)
                .map(|m| m.user_id.as_str())
                .collect()
        });
        manifest.agents = live
            .users
            .iter()
            .filter(|(_, user)| {
                members_of_exported
                    .as_ref()
                    .is_none_or(|ids| ids.contains(user.id.as_str()))
            })
            .filter_map(|(email, user)| agent(&mut cx, email, user))
            .collect();
    }
    let mut used: BTreeSet<String> = BTreeSet::new();
    used.extend(manifest.skills.iter().filter_map(|s| s.division.clone()));
    used.extend(
        manifest
            .wrapup_codes
            .iter()
            .filter_map(|c| c.division.clone())
            .filter(|d| d != ALL_DIVISIONS),
    );
    used.extend(
        manifest
            .skill_groups
            .iter()
            .filter_map(|g| g.division.clone()),
    );
    used.extend(manifest.queues.iter().filter_map(|q| q.division.clone()));
    if !used.is_empty() {
        manifest.scope = Some(Scope {
            divisions: used.into_iter().collect(),
            ..Scope::default()
        });
    }
    if let Some(read) = &live.routing_settings {
        manifest.routing_settings = Some(routing_settings(&mut cx, read));
    }
    let mut notes = cx.notes;
    notes.sort();
    notes.dedup();
    Ok((manifest, notes))
}

/// One queue: its settings fitted to the manifest, its direct members and its wrap-up codes.
fn queue(
    cx: &mut Cx<'_>,
    schema: &Schema,
    name: &str,
    live_queue: &LiveQueue,
    exported: &BTreeSet<&str>,
    skills: &BTreeSet<&str>,
) -> Queue {
    let subject = format!("queue {name:?}");
    let mut settings: Map<String, Value> = cx.queue_names.queue_settings(name).unwrap_or_default();
    // A division the org does not list cannot be planned by name.
    let division = settings
        .remove("division")
        .and_then(|d| d.as_str().map(String::from));
    let division = match division {
        Some(d) if cx.live.divisions.contains_key(&d) => Some(d),
        Some(d) => {
            cx.note(
                Section::Queues,
                None,
                &subject,
                format!("division {d:?} is not in the org's division listing; not written"),
            );
            None
        }
        None => None,
    };
    let division_of_note = division.clone();
    let note = |cx: &mut Cx<'_>, message: String| {
        cx.note(
            Section::Queues,
            division_of_note.as_deref(),
            &subject,
            message,
        );
    };
    omit_defaults(&mut settings);
    // The queue's member groups, all of them: authoritative, as members are.
    if let Some(Value::Object(groups)) = settings.get_mut("memberGroups") {
        groups.insert("mode".into(), Value::String("authoritative".into()));
    }
    let mut dropped = Vec::new();
    let mut fitted = schema.fit_object("Queue", &settings, &mut dropped);
    for (path, why) in dropped {
        note(cx, format!("{path} not written: {why}"));
    }
    fitted.insert("name".into(), Value::String(name.to_string()));
    if let Some(division) = &division {
        fitted.insert("division".into(), Value::String(division.clone()));
    }
    let mut queue: Queue = match serde_json::from_value(Value::Object(fitted)) {
        Ok(queue) => queue,
        Err(error) => {
            note(cx, format!("settings not written: {error}"));
            Queue {
                name: name.to_string(),
                division: division.clone(),
                ..Queue::default()
            }
        }
    };
    semantic_fixes(cx, &mut queue, exported, skills, &note);
    queue.members = members(cx, &queue, live_queue, &note);
    queue.wrapup_codes = wrapup_codes(cx, live_queue, &note);
    queue
}

/// Whether `name` finds the object of `kind` with `id` among what the export's lookups found;
/// `None` when the kind was not looked up.
/// A flow, prompt or script by name when the name finds this very object, else by id (the
/// manifest takes exactly one of the two).
fn by_name_or_id(live: &Live, kind: ReferenceKind, reference: &mut Option<ObjectRef>) {
    match reference {
        Some(ObjectRef {
            name: Some(name),
            id,
        }) => {
            // Not looked up: by the name the queue's answer gives, as the plan knows it.
            if names_it(live, kind, name, id.as_deref()).unwrap_or(true) {
                *id = None;
            } else if id.is_some() {
                *reference = Some(ObjectRef {
                    name: None,
                    id: id.take(),
                });
            }
        }
        Some(ObjectRef {
            name: None,
            id: None,
        }) => *reference = None,
        _ => {}
    }
}

fn names_it(live: &Live, kind: ReferenceKind, name: &str, id: Option<&str>) -> Option<bool> {
    let found = live.references.get(&kind)?;
    Some(matches!(
        find_referent(found, name),
        Referent::One(one) if Some(one.id.as_str()) == id
    ))
}

/// What the manifest's semantic rules need beyond its schema, fixed the way that changes
/// nothing in the plan.
fn semantic_fixes(
    cx: &mut Cx<'_>,
    queue: &mut Queue,
    exported: &BTreeSet<&str>,
    skills: &BTreeSet<&str>,
    note: &impl Fn(&mut Cx<'_>, String),
) {
    if let Some(acw) = &mut queue.acw_settings {
        match (acw.wrapup_prompt.takes_timeout(), acw.timeout_ms) {
            // The API keeps a timeout it ignores; the manifest refuses it.
            (false, Some(_)) => acw.timeout_ms = None,
            (true, None) => {
                note(
                    cx,
                    "acwSettings not written: its wrapupPrompt needs timeoutMs, which the org does not have".into(),
                );
                queue.acw_settings = None;
            }
            _ => {}
        }
    }
    if queue.routing_rules.as_ref().is_some_and(|rules| {
        rules
            .iter()
            .any(|r| r.operator == RoutingRuleOperator::MeetsThreshold && r.threshold.is_none())
    }) {
        note(
            cx,
            "routingRules not written: a MEETS_THRESHOLD rule has no threshold".into(),
        );
        queue.routing_rules = None;
    }
    let live = cx.live;
    let fields = [
        &mut queue.queue_flow,
        &mut queue.email_in_queue_flow,
        &mut queue.message_in_queue_flow,
        &mut queue.whisper_prompt,
        &mut queue.on_hold_prompt,
    ];
    for ((_, kind), reference) in QUEUE_FIELDS.into_iter().zip(fields) {
        by_name_or_id(live, kind, reference);
    }
    if let Some(scripts) = &mut queue.default_scripts {
        for (_, script) in scripts.entries_mut() {
            by_name_or_id(live, ReferenceKind::Script, script);
        }
    }
    // Groups by name where the name finds that very group; with the id as well otherwise.
    let member_groups = queue
        .member_groups
        .iter_mut()
        .flat_map(|groups| groups.groups.iter_mut());
    let ring_groups = queue
        .bullseye
        .iter_mut()
        .flat_map(|bullseye| bullseye.rings.iter_mut())
        .filter_map(|ring| ring.member_groups.as_mut())
        .flatten();
    let rule_groups = queue
        .conditional_group_routing
        .iter_mut()
        .flat_map(|routing| routing.rules.iter_mut())
        .flat_map(|rule| rule.groups.iter_mut());
    let activation_groups = queue
        .conditional_group_activation
        .iter_mut()
        .flat_map(|cga| cga.rules.iter_mut().flatten())
        .flat_map(|rule| rule.groups.iter_mut());
    let groups = member_groups
        .chain(ring_groups)
        .chain(rule_groups)
        .chain(activation_groups);
    for group in groups {
        let kind = ReferenceKind::of_group(group.kind);
        // Not looked up: the id stays beside the name.
        if group.id.as_deref() != Some(group.name.as_str())
            && names_it(live, kind, &group.name, group.id.as_deref()) == Some(true)
        {
            group.id = None;
        }
    }
    if let Some(bullseye) = &queue.bullseye {
        let last = bullseye.rings.len().saturating_sub(1);
        let untimed = bullseye
            .rings
            .iter()
            .take(last)
            .any(|r| r.expansion_timeout_seconds.is_none());
        let unknown: Vec<&String> = bullseye
            .rings
            .iter()
            .flat_map(|r| &r.skills_to_remove)
            .filter(|s| !skills.contains(s.as_str()))
            .collect();
        if untimed {
            note(
                cx,
                "bullseye not written: a ring before the last has no expansion timeout".into(),
            );
            queue.bullseye = None;
        } else if let Some(skill) = unknown.first() {
            note(
                cx,
                format!(
                    "bullseye not written: it removes skill {skill:?}, which the org does not list"
                ),
            );
            queue.bullseye = None;
        }
    }
    if let Some(routing) = &mut queue.conditional_group_routing {
        let mut problem = None;
        for rule in &mut routing.rules {
            match rule.queue.as_deref() {
                // This queue is what a rule without `queue` means.
                Some(target) if target == queue.name => rule.queue = None,
                Some(target) if !exported.contains(target) => {
                    problem = Some(format!(
                        "a rule watches queue {target:?}, which is not exported"
                    ));
                }
                _ => {}
            }
            if rule.metric == switchboard_manifest::model::GroupRoutingMetric::ServiceLevel
                && rule.condition_value > 1.0
            {
                problem = Some(format!(
                    "a ServiceLevel rule's conditionValue is {}, above 1",
                    rule.condition_value
                ));
            }
        }
        if let Some(problem) = problem {
            note(
                cx,
                format!("conditionalGroupRouting not written: {problem}"),
            );
            queue.conditional_group_routing = None;
        }
    }
    settings_by_name(cx, queue, exported, note);
}

/// The settings that name objects beyond flows, prompts, scripts and groups, by name where
/// the name finds that very object: a setting whose object the lookups do not name, or
/// whose queue is not exported, is not written (and said so).
fn settings_by_name(
    cx: &mut Cx<'_>,
    queue: &mut Queue,
    exported: &BTreeSet<&str>,
    note: &impl Fn(&mut Cx<'_>, String),
) {
    let live = cx.live;
    let found = |kind: ReferenceKind, name: &str| {
        live.references
            .get(&kind)
            .is_some_and(|found| matches!(find_referent(found, name), Referent::One(_)))
    };
    let this = queue.name.clone();
    for (field, reference) in nested_references_mut(queue) {
        by_name_or_id(live, field.kind, reference);
    }
    if let Some(email) = queue
        .media_settings
        .as_mut()
        .and_then(|media| media.email.as_mut())
        && let Some(all) = &email.all_outbound_email_addresses
        && let Some(missing) = all.iter().find(|a| !found(ReferenceKind::EmailAddress, a))
    {
        let missing = missing.clone();
        note(
            cx,
            format!(
                "mediaSettings.email.allOutboundEmailAddresses not written: the org's email routes do not show {missing:?}"
            ),
        );
        email.all_outbound_email_addresses = None;
    }
    if let Some(address) = &queue.outbound_email_address
        && !found(ReferenceKind::EmailAddress, address)
    {
        let message = format!(
            "outboundEmailAddress not written: the org's email routes do not show {address:?}"
        );
        note(cx, message);
        queue.outbound_email_address = None;
    }
    if let Some(messaging) = &mut queue.outbound_messaging_addresses {
        by_name_or_id(
            live,
            ReferenceKind::OpenMessagingRecipient,
            &mut messaging.open_messaging_recipient,
        );
        by_name_or_id(
            live,
            ReferenceKind::WhatsAppRecipient,
            &mut messaging.whats_app_recipient,
        );
        if let Some(number) = &messaging.sms_address
            && !found(ReferenceKind::SmsNumber, number)
        {
            let message = format!(
                "outboundMessagingAddresses.smsAddress not written: the org's SMS numbers do not show {number:?}"
            );
            messaging.sms_address = None;
            note(cx, message);
        }
    }
    if let Some(libraries) = &queue.canned_response_libraries
        && let Some(missing) = libraries
            .libraries
            .iter()
            .find(|name| !found(ReferenceKind::Library, name))
    {
        let message = format!(
            "cannedResponseLibraries not written: the org's libraries do not show {missing:?}"
        );
        note(cx, message);
        queue.canned_response_libraries = None;
    }
    if let Some(direct) = &mut queue.direct_routing
        && let Some(backup) = &direct.backup_queue
        && *backup != this
        && !exported.contains(backup.as_str())
    {
        let message =
            format!("directRouting.backupQueue not written: queue {backup:?} is not exported");
        direct.backup_queue = None;
        note(cx, message);
    }
    if let Some(cga) = &mut queue.conditional_group_activation {
        let rules = cga.rules.iter_mut().flatten();
        let mut problem = None;
        let conditions = cga
            .pilot_rule
            .iter_mut()
            .flat_map(|rule| rule.conditions.iter_mut())
            .chain(rules.flat_map(|rule| rule.conditions.iter_mut()));
        for condition in conditions {
            match condition.simple_metric.queue.as_deref() {
                // This queue is what a condition without `queue` means.
                Some(target) if target == this => condition.simple_metric.queue = None,
                Some(target) if !exported.contains(target) => {
                    problem = Some(format!(
                        "a condition watches queue {target:?}, which is not exported"
                    ));
                }
                _ => {}
            }
        }
        if let Some(problem) = problem {
            note(
                cx,
                format!("conditionalGroupActivation not written: {problem}"),
            );
            queue.conditional_group_activation = None;
        }
    }
}

/// The queue's direct members by email, `authoritative`; `additive` when a member cannot be
/// written (no email, a ring the written bullseye does not have), so the plan never removes it.
fn members(
    cx: &mut Cx<'_>,
    queue: &Queue,
    live_queue: &LiveQueue,
    note: &impl Fn(&mut Cx<'_>, String),
) -> Option<Members> {
    let read = live_queue.members.as_ref()?;
    let rings = queue.bullseye.as_ref().map(|b| b.rings.len());
    let mut users: BTreeMap<String, Member> = BTreeMap::new();
    let mut left_out = Vec::new();
    for member in read.iter().filter(|m| !m.by_group) {
        let email = cx
            .emails
            .get(member.user_id.as_str())
            .map(|e| (*e).to_string())
            .or_else(|| member.email.as_ref().map(|e| e.to_lowercase()));
        match (email, member_ring(member, rings)) {
            (Some(email), Ok(ring)) if plausible_email(&email) => {
                users.insert(
                    email.clone(),
                    Member {
                        user: email,
                        ring,
                        weight: None,
                    },
                );
            }
            (Some(email), Ok(_)) => left_out.push(format!("{email} (not an email address)")),
            (None, _) => left_out.push(format!(
                "{} (no email)",
                member.name.as_deref().unwrap_or(&member.user_id)
            )),
            (Some(email), Err(why)) => left_out.push(format!("{email} ({why})")),
        }
    }
    let mode = if left_out.is_empty() {
        Mode::Authoritative
    } else {
        let shown = left_out.len().min(5);
        let more = if left_out.len() > shown {
            format!(" and {} more", left_out.len() - shown)
        } else {
            String::new()
        };
        note(
            cx,
            format!(
                "members are additive: {} of {} direct members could not be listed: {}{more}",
                left_out.len(),
                left_out.len() + users.len(),
                left_out[..shown].join(", ")
            ),
        );
        Mode::Additive
    };
    Some(Members {
        mode,
        users: users.into_values().collect(),
    })
}

/// A member's ring as the manifest writes it: absent for ring 1 (the default).
fn member_ring(member: &LiveMember, rings: Option<usize>) -> Result<Option<u8>, String> {
    let ring = member.ring.unwrap_or(1);
    let Some(ring) = u8::try_from(ring).ok().filter(|r| (1..=6).contains(r)) else {
        return Err(format!("ring {ring}"));
    };
    if ring == 1 {
        return Ok(None);
    }
    match rings {
        Some(count) if usize::from(ring) <= count => Ok(Some(ring)),
        Some(count) => Err(format!("ring {ring} of {count}")),
        None => Err(format!(
            "ring {ring}, but no bullseye rings are written for the queue"
        )),
    }
}

/// The queue's wrap-up codes by name, `authoritative`; `additive` when a code the org does
/// not list is on the queue.
fn wrapup_codes(
    cx: &mut Cx<'_>,
    live_queue: &LiveQueue,
    note: &impl Fn(&mut Cx<'_>, String),
) -> Option<QueueWrapupCodes> {
    let ids = live_queue.wrapup_code_ids.as_ref()?;
    let mut codes = BTreeSet::new();
    let mut unknown = Vec::new();
    for id in ids {
        match cx.code_names.get(id.as_str()) {
            Some(name) => {
                codes.insert((*name).to_string());
            }
            None => unknown.push(id.as_str()),
        }
    }
    let mode = if unknown.is_empty() {
        Mode::Authoritative
    } else {
        note(
            cx,
            format!(
                "wrap-up codes are additive: the org does not list code(s) {}",
                unknown.join(", ")
            ),
        );
        Mode::Additive
    };
    Some(QueueWrapupCodes {
        mode,
        codes: codes.into_iter().collect(),
    })
}

/// An agent: an active user holding skills or languages, or with capacity settings of its
/// own (when read), `authoritative`. Inactive users are left out with a note.
fn agent(cx: &mut Cx<'_>, email: &str, user: &LiveUser) -> Option<Agent> {
    let own_capacity = user.utilization.as_ref().filter(|u| u.is_own());
    if user.skills.is_empty() && user.languages.is_empty() && own_capacity.is_none() {
        return None;
    }
    let subject = format!("agent {email}");
    if user.state != "active" {
        let state = if user.state.is_empty() {
            "not active"
        } else {
            &user.state
        };
        cx.note(
            Section::Agents,
            None,
            subject,
            format!("{state}; its skills and languages are not written (the plan skips users who are not active)"),
        );
        return None;
    }
    if !plausible_email(email) {
        cx.note(
            Section::Agents,
            None,
            subject,
            "not written: not an email address",
        );
        return None;
    }
    let skills = by_name(&user.skills, &cx.skill_names);
    let languages = by_name(&user.languages, &cx.language_names);
    let mut written = |(proficiency, bad): (BTreeMap<String, Proficiency>, Vec<String>), what| {
        let mode = if bad.is_empty() {
            Mode::Authoritative
        } else {
            cx.note(
                Section::Agents,
                None,
                &subject,
                format!(
                    "{what} are additive: proficiency out of 0 to 5: {}",
                    bad.join(", ")
                ),
            );
            Mode::Additive
        };
        (!proficiency.is_empty()).then_some(Proficiencies { mode, proficiency })
    };
    let skills = written(skills, "skills");
    let languages = written(languages, "languages");
    let capacity = own_capacity.map(|read| capacity(cx, &subject, read));
    if skills.is_none() && languages.is_none() && capacity.is_none() {
        return None;
    }
    Some(Agent {
        user: email.to_string(),
        skills,
        languages,
        capacity,
    })
}

/// An agent's own capacity settings as read: `authoritative` when every field of every media
/// type is there (without the fields that hold the API's empty value, which `authoritative`
/// means when a field is left out), else `additive` with the fields there are. What the manifest cannot say (a
/// media type it does not know, a capacity out of 0 to 25, label utilizations) is left out
/// with a note, and so left as it is by the plan.
fn capacity(cx: &mut Cx<'_>, subject: &str, read: &LiveUtilization) -> Capacity {
    let mut capacity = Capacity::default();
    let mut complete = true;
    let mut left_out = Vec::new();
    for (name, settings) in &read.utilization {
        let Some(media) = MediaType::parse(name) else {
            left_out.push(format!(
                "media type `{name}`, which the manifest does not know"
            ));
            continue;
        };
        let interrupting: Option<Vec<MediaType>> = match &settings.interruptable_media_types {
            // A set to the API (and to the plan): each once, in order.
            Some(types) => types
                .iter()
                .map(|t| MediaType::parse(t))
                .collect::<Option<BTreeSet<MediaType>>>()
                .map(|set| set.into_iter().collect()),
            None => Some(Vec::new()),
        };
        let Some(interrupting) = interrupting else {
            left_out.push(format!(
                "{name}: an interrupting media type the manifest does not know"
            ));
            continue;
        };
        let maximum = match settings.maximum_capacity.map(u32::try_from) {
            Some(Ok(max)) if max <= 25 => Some(max),
            Some(_) => {
                left_out.push(format!("{name}: a maximum capacity out of 0 to 25"));
                continue;
            }
            None => None,
        };
        complete &= maximum.is_some()
            && settings.interruptable_media_types.is_some()
            && settings.include_non_acd.is_some();
        *capacity.get_mut(media) = Some(MediaCapacity {
            maximum_capacity: maximum,
            interruptable_media_types: settings
                .interruptable_media_types
                .as_ref()
                .map(|_| interrupting),
            include_non_acd: settings.include_non_acd,
        });
    }
    capacity.max_inbound_calls = read.max_inbound_calls.and_then(|n| u32::try_from(n).ok());
    if read.max_inbound_calls.is_some() && capacity.max_inbound_calls.is_none() {
        left_out.push("a negative maxInboundCalls".into());
    }
    if !read.label_utilizations.is_empty() {
        left_out.push(format!(
            "{} label utilization(s): export does not write utilizationLabels yet, so it cannot name them",
            read.label_utilizations.len()
        ));
    }
    capacity.mode = if complete {
        // Authoritative, a field left out is the API's empty value: not written.
        for media in MediaType::ALL {
            if let Some(settings) = capacity.get_mut(media) {
                settings.include_non_acd = settings.include_non_acd.filter(|counts| *counts);
                settings.interruptable_media_types = settings
                    .interruptable_media_types
                    .take()
                    .filter(|types| !types.is_empty());
            }
        }
        CapacityMode::Authoritative
    } else {
        CapacityMode::Additive
    };
    if !left_out.is_empty() {
        cx.note(
            Section::Agents,
            None,
            subject,
            format!(
                "capacity: not written, and so left as it is: {}",
                left_out.join("; ")
            ),
        );
    }
    capacity
}

/// The proficiencies `held` (by id) by name, and those out of 0 to 5 as `name (value)`. An id
/// `names` does not list (a deleted skill) is left out: the plan does not compare it either.
fn by_name(
    held: &BTreeMap<String, f64>,
    names: &BTreeMap<&str, &str>,
) -> (BTreeMap<String, Proficiency>, Vec<String>) {
    let mut proficiency = BTreeMap::new();
    let mut bad = Vec::new();
    for (id, value) in held {
        let Some(name) = names.get(id.as_str()) else {
            continue;
        };
        if value.is_finite() && (0.0..=5.0).contains(value) {
            proficiency.insert((*name).to_string(), Proficiency(*value));
        } else {
            bad.push(format!("{name} ({value})"));
        }
    }
    (proficiency, bad)
}

/// The manifest's email check (one `@`, something before it, a host name after it, no
/// spaces), and the schema's length bounds.
fn plausible_email(email: &str) -> bool {
    switchboard_manifest::email_problem(email).is_none()
        && (3..=254).contains(&email.chars().count())
}

/// The org's routing settings as read, every field the manifest has (a part not read is
/// left out). A value the manifest cannot hold (a transcription mode the description does
/// not have, a threshold out of 1 to 100, a value of the wrong type) is left out with a note:
/// left out, the plan leaves it alone.
fn routing_settings(cx: &mut Cx<'_>, read: &LiveRoutingSettings) -> RoutingSettings {
    let mut left_out = Vec::new();
    let mut settings: RoutingSettings = fields_of(read.settings.as_ref(), "", &mut left_out);
    settings.contact_center = read
        .contact_center
        .as_ref()
        .map(|part| fields_of(Some(part), "contactCenter.", &mut left_out));
    settings.transcription = read.transcription.as_ref().map(|part| {
        let mut transcription: TranscriptionSettings =
            fields_of(Some(part), "transcription.", &mut left_out);
        if let Some(threshold) = transcription.transcription_confidence_threshold
            && !(1..=100).contains(&threshold)
        {
            left_out.push(format!(
                "transcription.transcriptionConfidenceThreshold: {threshold} is out of 1 to 100"
            ));
            transcription.transcription_confidence_threshold = None;
        }
        transcription
    });
    if !left_out.is_empty() {
        cx.notes.push(RawNote {
            section: None,
            division: None,
            subject: "the org's routing settings".into(),
            message: format!(
                "not written, and so left as they are: {}",
                left_out.join("; ")
            ),
        });
    }
    settings
}

/// The fields of `read` that `T` (a part of the manifest's routing settings) holds, each
/// taken alone so that one the manifest cannot hold leaves only itself out (named with
/// `prefix` in `left_out`). Fields the manifest does not have are not its to write.
fn fields_of<T: DeserializeOwned + Default>(
    read: Option<&Map<String, Value>>,
    prefix: &str,
    left_out: &mut Vec<String>,
) -> T {
    let mut kept = Map::new();
    for (field, value) in read.into_iter().flatten() {
        if value.is_null() {
            continue;
        }
        let alone = |value: &Value| -> Value {
            Value::Object(Map::from_iter([(field.clone(), value.clone())]))
        };
        // A field `T` has takes `null` (every field is optional); one it does not is refused.
        if serde_json::from_value::<T>(alone(&Value::Null)).is_err() {
            continue;
        }
        if serde_json::from_value::<T>(alone(value)).is_ok() {
            kept.insert(field.clone(), value.clone());
        } else {
            left_out.push(format!(
                "{prefix}{field}: {value} is not a value the manifest can hold"
            ));
        }
    }
    serde_json::from_value(Value::Object(kept)).unwrap_or_default()
}
