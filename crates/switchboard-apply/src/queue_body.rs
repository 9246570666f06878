//! The body of a queue create or update, from a plan's attribute changes: the inverse of the
//! plan's view of a live queue (`switchboard-plan`'s `diff/view.rs`), which reads the API's
//! spelling into the manifest's. Here each attribute's `after` (manifest vocabulary, dotted
//! manifest path) is written back in the API's shape (`QueueRequest` / `CreateQueueRequest`
//! in openapi.json, API-FACTS §5 "Queue").
//!
//! The API has no PATCH for queues and no version: an update is read-modify-write. The body
//! starts as the queue just read with GET, every field kept (including fields switchboard
//! does not model and fields it has never heard of), and only the plan's attributes change.
//!
//! Translations, by the attribute's first path segment:
//! - `name`: the body's name (a rename); it must agree with the name the body is made for.
//! - `description`, `skillEvaluationMethod`, `scoringMethod`, `lastAgentRoutingMode`,
//!   `autoAnswerOnly`, `enableTranscription`, `enableAudioMonitoring`,
//!   `enableManualAssignment`, `suppressInQueueCallRecording`, `callingPartyName`,
//!   `callingPartyNumber`: the same field, as is.
//! - `mediaSettings…`, `acwSettings…`: the same nested path, intermediate objects created,
//!   siblings left alone; an object value is deep-merged into what is there.
//! - `routingRules`: as is (the manifest and the API spell rules alike).
//! - `division`: on a create, `division: {id}` (the id from [`Ids::division`]); on an update
//!   the body's division is left as read, because the API moves a queue between divisions
//!   with `POST /api/v2/authorization/divisions/{divisionId}/objects/QUEUE` (body
//!   `["<queueId>"]`), which the caller runs, not through the PUT body.
//! - `bullseye`, `bullseye.rings`: each ring `{expansionTimeoutSeconds?, skillsToRemove?,
//!   memberGroups?}`
//!   becomes `{expansionCriteria: [{type: TIMEOUT_SECONDS, threshold}], actions:
//!   {skillsToRemove: [{id}]}}`, without `expansionCriteria` when there is no timeout and
//!   without `actions` when no skill is removed, and with `memberGroups` written as the
//!   queue's own are. Ring *i* starts from the base's ring *i*, so a ring's `memberGroups`
//!   the manifest does not give are kept.
//! - `conditionalGroupRouting`, `conditionalGroupRouting.rules`: each rule `{queue, metric,
//!   operator, conditionValue, waitSeconds?, groups: [{name, type}]}` becomes `{queue: {id},
//!   metric, operator, conditionValue, waitSeconds?, groups: [{id, name?, type}]}`, each
//!   group's id the one the manifest gives, else the one the lookups of the fresh read found
//!   under that name and type ([`Ids::referent`]: directory groups, teams, skill groups),
//!   else that of a group of the name the queue as read already routes to. A rule about
//!   this queue itself gets the base's id, or on a create no `queue` at all, which the API
//!   reads as "the current queue" (`ConditionalGroupRoutingRule.queue`: "If null, the
//!   current queue will be used").
//! - `memberGroups` (`{groups: [{name, id?, type}]}`, or the leaf `memberGroups.groups`):
//!   the API's `memberGroups: [{id, name, type}]`, each id found as a rule's group's is.
//! - `queueFlow`, `emailInQueueFlow`, `messageInQueueFlow`, `whisperPrompt`, `onHoldPrompt`
//!   (whole, or the leaves `….id` / `….name`): a `DomainEntityRef`, `{id}` when given by id;
//!   given by name, `{id, name}` with the id the lookups of the fresh read found for that
//!   name (flows of the field's type, user prompts; [`Ids::referent`]), else the id of the
//!   one the queue as read already uses under that name.
//!
//! - `defaultScripts` (whole, or `defaultScripts.<type>`, or its leaves `….id` / `….name`):
//!   each type's `Script` as a flow's reference is written, `{id}` or `{id, name}` with the
//!   id the scripts' lookup found; the types the plan does not touch are kept as read.
//!
//! An `after` that is absent (or null) unsets: the field at that path is removed (a PUT
//! sends the whole queue, so an absent field is an unset one). Numbers are written exactly
//! as given.

mod translated;

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use switchboard_plan::live::LiveReferent;

use switchboard_plan::AttributeChange;
use switchboard_plan::SCALAR_QUEUE_SETTINGS;
use switchboard_plan::references::{QUEUE_FIELDS, ReferenceKind};
pub use translated::queues_named;
use translated::{leaves, nested_field};

/// Ids the body needs, by name: resolved by the caller from the live org and from what
/// earlier waves created.
pub trait Ids {
    /// A routing skill's id.
    fn skill(&self, name: &str) -> Option<String>;
    /// A queue's id.
    fn queue(&self, name: &str) -> Option<String>;
    /// A division's id.
    fn division(&self, name: &str) -> Option<String>;
    /// The id of the flow, prompt or group of `kind` named `name`, as the lookups found it
    /// (by the name rule; `None` when no one object has the name).
    fn referent(&self, kind: ReferenceKind, name: &str) -> Option<String>;
    /// The inbound email route the lookups found for `address` (`pattern@domain`, by the
    /// name rule), with its sender name: a queue's address carries the route's `pattern` and
    /// `fromName`, which `InboundRoute` requires.
    fn email_route(&self, address: &str) -> Option<LiveReferent>;
}

/// Why a queue body cannot be written. Every variant names the queue (and, where there is
/// one, the manifest path of the attribute) and says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// The queue as read is not a JSON object.
    #[error(
        "queue {queue:?}: the queue as read is not a JSON object, so it cannot be updated field by field"
    )]
    BaseNotObject {
        /// The queue.
        queue: String,
    },
    /// The path is not something switchboard writes into a queue body.
    #[error("queue {queue:?}: `{path}` cannot be written into the queue body: {reason}")]
    Unsupported {
        /// The queue.
        queue: String,
        /// The attribute's path.
        path: String,
        /// Why.
        reason: String,
    },
    /// The value at the path has the wrong type.
    #[error("queue {queue:?}: `{path}` must be {expected}, not {found}")]
    WrongType {
        /// The queue.
        queue: String,
        /// Where the value is (array items as `[i]`).
        path: String,
        /// What it must be.
        expected: &'static str,
        /// What it is.
        found: String,
    },
    /// The queue as read holds something other than an object where the path goes through.
    #[error(
        "queue {queue:?}: `{path}` cannot be set: `{at}` in the queue as read is {found}, not an object"
    )]
    NotAnObject {
        /// The queue.
        queue: String,
        /// The attribute's path.
        path: String,
        /// The part of the path that is not an object.
        at: String,
        /// What it is.
        found: String,
    },
    /// A rename to a name other than the one the body is made for.
    #[error(
        "queue {queue:?}: the plan renames the queue to {found:?}, but the body is being made for {queue:?}"
    )]
    NameMismatch {
        /// The queue.
        queue: String,
        /// The name the `name` attribute asks for.
        found: String,
    },
    /// `name` unset.
    #[error("queue {queue:?}: `name` cannot be unset: a queue must have a name")]
    NameUnset {
        /// The queue.
        queue: String,
    },
    /// A division with no id.
    #[error(
        "queue {queue:?}: `{path}`: division {division:?} has no id: it is not in the org (or not in scope)"
    )]
    UnknownDivision {
        /// The queue.
        queue: String,
        /// The attribute's path.
        path: String,
        /// The division's name.
        division: String,
    },
    /// A skill with no id.
    #[error(
        "queue {queue:?}: `{path}`: skill {skill:?} has no id: it is neither in the org nor created by an earlier step; declare it under `skills` or fix the name"
    )]
    UnknownSkill {
        /// The queue.
        queue: String,
        /// Where the skill is named.
        path: String,
        /// The skill's name.
        skill: String,
    },
    /// A queue named by a conditional group routing rule, with no id.
    #[error(
        "queue {queue:?}: `{path}`: queue {target:?} has no id: it is neither in the org nor created by an earlier step; declare it under `queues` or fix the name"
    )]
    UnknownQueue {
        /// The queue.
        queue: String,
        /// Where the other queue is named.
        path: String,
        /// The other queue's name.
        target: String,
    },
    /// A group that neither the org's lookups nor the queue as read show under its name.
    #[error(
        "queue {queue:?}: `{path}`: group {group:?} ({kind}) was not found: the lookups of the \
         fresh read do not show one object of that name, and the queue does not route to one; \
         plan again (the group may have been renamed or deleted since the plan was made)"
    )]
    UnknownGroup {
        /// The queue.
        queue: String,
        /// Where the group is named.
        path: String,
        /// The group's name.
        group: String,
        /// Its type (`GROUP`, `TEAM`, `SKILLGROUP`), or `any type`.
        kind: String,
    },
    /// A flow or prompt given by a name that the fresh read's lookups do not resolve.
    #[error(
        "queue {queue:?}: `{path}`: {what} {name:?} was not found: the lookups of the fresh read \
         do not show one {what} of that name, and the queue does not already use one; plan again \
         (it may have been renamed or deleted since the plan was made), or give it by id \
         (`{key}: {{ id: <id> }}`)"
    )]
    ReferenceByName {
        /// The queue.
        queue: String,
        /// The attribute's path.
        path: String,
        /// What it is (`in-queue call flow`, `user prompt`, ...).
        what: ReferenceKind,
        /// The name given.
        name: String,
        /// The manifest key (`queueFlow`, `whisperPrompt`, ...).
        key: String,
    },
}

/// The body of `PUT /api/v2/routing/queues/{id}` (when `base` is the queue as just read with
/// GET: every field kept, only the plan's attributes changed — read-modify-write) or of
/// `POST /api/v2/routing/queues` (when `base` is None), named `name`, with each attribute's
/// `after` value (manifest vocabulary, dotted manifest path) written in the API's shape.
///
/// A division change on an update is not in the body: the caller moves the queue with
/// `POST /api/v2/authorization/divisions/{divisionId}/objects/QUEUE`. See the module
/// documentation for every translation.
pub fn queue_body(
    base: Option<&Value>,
    name: &str,
    attributes: &[AttributeChange],
    ids: &dyn Ids,
) -> Result<Value, BodyError> {
    let base = match base {
        None => None,
        Some(Value::Object(map)) => Some(map),
        Some(_) => {
            return Err(BodyError::BaseNotObject {
                queue: name.to_string(),
            });
        }
    };
    let cx = Cx {
        queue: name,
        base,
        ids,
    };
    let mut body = base.cloned().unwrap_or_default();
    body.insert("name".into(), Value::String(name.to_string()));
    // References by where they go in the API's body (a path of keys).
    let mut references: BTreeMap<Vec<String>, Wanted> = BTreeMap::new();
    for (path, after) in leaves(attributes) {
        let path = path.as_str();
        let after = after.filter(|v| !v.is_null());
        let segments: Vec<&str> = path.split('.').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(cx.unsupported(path, "it is not a dotted manifest path"));
        }
        if let Some((field, rest)) = nested_field(&segments) {
            let wanted = references
                .entry(field.api.iter().map(|k| k.to_string()).collect())
                .or_insert_with(|| Wanted::new(field.kind));
            cx.want_reference(wanted, rest, path, after)?;
            continue;
        }
        if cx.translated(&mut body, &mut references, &segments, path, after)? {
            continue;
        }
        let top = segments[0];
        let rest = &segments[1..];
        let Some(kind) = classify(top) else {
            return Err(cx.unsupported(path, "it is not a queue setting switchboard manages"));
        };
        match kind {
            Top::Name => {
                cx.leaf_only(path, rest)?;
                match after {
                    None => {
                        return Err(BodyError::NameUnset {
                            queue: name.to_string(),
                        });
                    }
                    Some(Value::String(s)) if s == name => {}
                    Some(Value::String(s)) => {
                        return Err(BodyError::NameMismatch {
                            queue: name.to_string(),
                            found: s.clone(),
                        });
                    }
                    Some(other) => return Err(cx.wrong_type(path, "a string", other)),
                }
            }
            Top::Division => {
                cx.leaf_only(path, rest)?;
                let division = match after {
                    None => None,
                    Some(Value::String(s)) => Some(s),
                    Some(other) => return Err(cx.wrong_type(path, "a division name", other)),
                };
                match (cx.base, division) {
                    // On an update the division stays as read: a move is its own call.
                    (Some(_), _) => {}
                    (None, None) => {
                        body.remove("division");
                    }
                    (None, Some(division)) => {
                        let id = cx.ids.division(division).ok_or_else(|| {
                            BodyError::UnknownDivision {
                                queue: name.to_string(),
                                path: path.to_string(),
                                division: division.clone(),
                            }
                        })?;
                        body.insert("division".into(), id_ref(id));
                    }
                }
            }
            Top::Scalar => {
                cx.leaf_only(path, rest)?;
                cx.write(&mut body, &segments, path, after)?;
            }
            Top::Object => cx.write(&mut body, &segments, path, after)?,
            Top::RoutingRules => {
                cx.leaf_only(path, rest)?;
                match after {
                    None => {
                        body.remove(top);
                    }
                    Some(rules @ Value::Array(_)) => {
                        body.insert(top.into(), rules.clone());
                    }
                    Some(other) => return Err(cx.wrong_type(path, "a list of rules", other)),
                }
            }
            Top::ListHolder(holder) => cx.list_holder(&mut body, rest, path, after, holder)?,
            Top::MemberGroups => cx.member_groups(&mut body, rest, path, after)?,
            Top::Reference(key, what) => {
                let wanted = references
                    .entry(vec![key.to_string()])
                    .or_insert_with(|| Wanted::new(what));
                cx.want_reference(wanted, rest, path, after)?;
            }
            Top::Scripts => match rest {
                [] => match after {
                    None => {
                        body.remove(top);
                    }
                    Some(Value::Object(scripts)) => {
                        for (kind, script) in scripts {
                            let wanted = references
                                .entry(vec![SCRIPTS.to_string(), kind.clone()])
                                .or_insert_with(|| Wanted::new(ReferenceKind::Script));
                            let at = format!("{path}.{kind}");
                            cx.want_reference(wanted, &[], &at, Some(script))?;
                        }
                    }
                    Some(other) => {
                        return Err(cx.wrong_type(path, "scripts by communication type", other));
                    }
                },
                [kind, tail @ ..] => {
                    let wanted = references
                        .entry(vec![SCRIPTS.to_string(), (*kind).to_string()])
                        .or_insert_with(|| Wanted::new(ReferenceKind::Script));
                    cx.want_reference(wanted, tail, path, after)?;
                }
            },
            Top::NotInBody(reason) => return Err(cx.unsupported(path, reason)),
        }
    }
    for (api_path, wanted) in references {
        cx.resolve_reference(&mut body, &api_path, wanted)?;
    }
    Ok(Value::Object(body))
}

/// What a top-level manifest key is, for the body.
#[derive(Clone, Copy)]
enum Top {
    Name,
    Division,
    /// A scalar written as is.
    Scalar,
    /// An object whose leaves are written as is.
    Object,
    RoutingRules,
    /// `bullseye` or `conditionalGroupRouting`.
    ListHolder(ListHolder),
    /// `memberGroups` (`{groups}` in the manifest, a list in the API).
    MemberGroups,
    /// A flow or prompt: the key and what it is.
    Reference(&'static str, ReferenceKind),
    /// `defaultScripts`: scripts by communication type.
    Scripts,
    /// A manifest key that is applied some other way.
    NotInBody(&'static str),
}

/// A setting that is an object holding one list, and how the list is written for the API.
#[derive(Clone, Copy)]
struct ListHolder {
    outer: &'static str,
    list: &'static str,
    only: &'static str,
    translate: fn(&Cx<'_>, &Value, &str) -> Result<Value, BodyError>,
}

const BULLSEYE: ListHolder = ListHolder {
    outer: "bullseye",
    list: "rings",
    only: "a bullseye has only `rings`",
    translate: |cx, rings, path| cx.rings(rings, path),
};

const GROUP_ROUTING: ListHolder = ListHolder {
    outer: "conditionalGroupRouting",
    list: "rules",
    only: "conditional group routing has only `rules`",
    translate: |cx, rules, path| cx.rules(rules, path),
};

fn classify(key: &str) -> Option<Top> {
    if let Some((key, kind)) = QUEUE_FIELDS.iter().find(|(k, _)| *k == key) {
        return Some(Top::Reference(key, *kind));
    }
    if SCALAR_QUEUE_SETTINGS.contains(&key) {
        return Some(Top::Scalar);
    }
    Some(match key {
        "name" => Top::Name,
        "division" => Top::Division,
        "mediaSettings" | "acwSettings" | "agentOwnedRouting" | "directRouting" => Top::Object,
        "routingRules" => Top::RoutingRules,
        "memberGroups" => Top::MemberGroups,
        SCRIPTS => Top::Scripts,
        "bullseye" => Top::ListHolder(BULLSEYE),
        "conditionalGroupRouting" => Top::ListHolder(GROUP_ROUTING),
        "renamedFrom" => {
            Top::NotInBody("former names are not a setting; a rename is the `name` attribute")
        }
        "wrapupCodes" => Top::NotInBody(
            "a queue's wrap-up codes are applied through /api/v2/routing/queues/{id}/wrapupcodes",
        ),
        "members" => Top::NotInBody(
            "a queue's members are applied through /api/v2/routing/queues/{id}/members",
        ),
        "distribution" => Top::NotInBody(
            "member weights are realised as the members' bullseye rings, not as a queue setting",
        ),
        "coverage" => Top::NotInBody(
            "skill coverage is checked by the plan against the members' skills, not sent to the API",
        ),
        _ => return None,
    })
}

/// The queue's default scripts, by communication type.
const SCRIPTS: &str = "defaultScripts";

/// A flow, prompt or script as the plan's attributes ask for it.
struct Wanted {
    what: ReferenceKind,
    id: Option<String>,
    name: Option<String>,
    /// The path that asked for the name, for errors.
    name_path: String,
}

impl Wanted {
    fn new(what: ReferenceKind) -> Wanted {
        Wanted {
            what,
            id: None,
            name: None,
            name_path: String::new(),
        }
    }
}

struct Cx<'a> {
    queue: &'a str,
    base: Option<&'a Map<String, Value>>,
    ids: &'a dyn Ids,
}

impl Cx<'_> {
    fn unsupported(&self, path: &str, reason: &str) -> BodyError {
        BodyError::Unsupported {
            queue: self.queue.to_string(),
            path: path.to_string(),
            reason: reason.to_string(),
        }
    }

    fn wrong_type(&self, path: &str, expected: &'static str, found: &Value) -> BodyError {
        BodyError::WrongType {
            queue: self.queue.to_string(),
            path: path.to_string(),
            expected,
            found: describe(found),
        }
    }

    /// Refuses a path below a key that is a leaf in the manifest.
    fn leaf_only(&self, path: &str, rest: &[&str]) -> Result<(), BodyError> {
        if rest.is_empty() {
            Ok(())
        } else {
            Err(self.unsupported(path, "the setting has no fields of its own"))
        }
    }

    /// Sets (or with `None` removes) the value at `segments`, creating intermediate objects
    /// and deep-merging an object into an object.
    fn write(
        &self,
        body: &mut Map<String, Value>,
        segments: &[&str],
        path: &str,
        after: Option<&Value>,
    ) -> Result<(), BodyError> {
        let Some((last, parents)) = segments.split_last() else {
            return Err(self.unsupported(path, "the path is empty"));
        };
        let Some(after) = after else {
            remove_at(body, parents, last);
            return Ok(());
        };
        let mut here = body;
        for (i, segment) in parents.iter().enumerate() {
            here = object_entry(here, segment)
                .map_err(|found| self.not_an_object(path, segments[..=i].join("."), found))?;
        }
        match (after, here.get_mut(*last)) {
            (Value::Object(patch), Some(Value::Object(existing))) => merge(existing, patch),
            _ => {
                here.insert((*last).to_string(), without_nulls(after));
            }
        }
        Ok(())
    }

    /// The object at `key` of `body`, created when absent (or null).
    fn object_at<'m>(
        &self,
        body: &'m mut Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<&'m mut Map<String, Value>, BodyError> {
        object_entry(body, key).map_err(|found| self.not_an_object(path, key.to_string(), found))
    }

    /// `path` cannot be set because `at`, on its way, holds `found`.
    fn not_an_object(&self, path: &str, at: String, found: &Value) -> BodyError {
        BodyError::NotAnObject {
            queue: self.queue.to_string(),
            path: path.to_string(),
            at,
            found: describe(found),
        }
    }

    /// `bullseye {rings}` and `conditionalGroupRouting {rules}`: an object holding one list
    /// that `holder.translate` writes in the API's shape. `rest` is the path below it.
    fn list_holder(
        &self,
        body: &mut Map<String, Value>,
        rest: &[&str],
        path: &str,
        after: Option<&Value>,
        holder: ListHolder,
    ) -> Result<(), BodyError> {
        let ListHolder {
            outer,
            list,
            only,
            translate,
        } = holder;
        match (rest, after) {
            ([], None) => {
                body.remove(outer);
            }
            ([], Some(Value::Object(object))) => {
                let mut items = None;
                for (key, value) in object {
                    if key == list {
                        items = Some(value);
                    } else {
                        return Err(self.unsupported(&format!("{path}.{key}"), only));
                    }
                }
                let target = self.object_at(body, outer, path)?;
                match items.filter(|r| !r.is_null()) {
                    None => {
                        target.remove(list);
                    }
                    Some(items) => {
                        let items = translate(self, items, &format!("{path}.{list}"))?;
                        target.insert(list.into(), items);
                    }
                }
            }
            ([], Some(other)) => return Err(self.wrong_type(path, "an object", other)),
            ([key], None) if *key == list => {
                if let Some(Value::Object(object)) = body.get_mut(outer) {
                    object.remove(list);
                }
            }
            ([key], Some(items)) if *key == list => {
                let items = translate(self, items, path)?;
                self.object_at(body, outer, path)?
                    .insert(list.into(), items);
            }
            _ => return Err(self.unsupported(path, only)),
        }
        Ok(())
    }

    // ---- member groups --------------------------------------------------------------------

    /// `memberGroups` (`{groups: [...]}`, or its `groups` leaf) as the API's `memberGroups`
    /// list, each group's id found as a rule's group's is ([`Cx::group`]).
    fn member_groups(
        &self,
        body: &mut Map<String, Value>,
        rest: &[&str],
        path: &str,
        after: Option<&Value>,
    ) -> Result<(), BodyError> {
        const ONLY: &str = "member groups have only `mode` and `groups`";
        let groups = match (rest, after) {
            ([] | ["groups"], None) => None,
            ([], Some(Value::Object(object))) => {
                if let Some(key) = object.keys().find(|k| *k != "groups") {
                    return Err(self.unsupported(&format!("{path}.{key}"), ONLY));
                }
                object.get("groups").filter(|g| !g.is_null())
            }
            ([], Some(other)) => return Err(self.wrong_type(path, "an object", other)),
            (["groups"], Some(groups)) => Some(groups),
            _ => return Err(self.unsupported(path, ONLY)),
        };
        let Some(groups) = groups else {
            body.remove("memberGroups");
            return Ok(());
        };
        let Value::Array(groups) = groups else {
            return Err(self.wrong_type(path, "a list of groups", groups));
        };
        let groups = groups
            .iter()
            .enumerate()
            .map(|(j, group)| self.group(group, &format!("memberGroups.groups[{j}]")))
            .collect::<Result<Vec<_>, _>>()?;
        body.insert("memberGroups".into(), Value::Array(groups));
        Ok(())
    }

    // ---- bullseye -------------------------------------------------------------------------

    /// The API's rings for the manifest's. Ring `i` starts from the base's ring `i`.
    fn rings(&self, rings: &Value, path: &str) -> Result<Value, BodyError> {
        let Value::Array(rings) = rings else {
            return Err(self.wrong_type(path, "a list of rings", rings));
        };
        let base_rings = self.base_array(&["bullseye", "rings"]);
        let mut out = Vec::with_capacity(rings.len());
        for (i, ring) in rings.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let Value::Object(ring) = ring else {
                return Err(self.wrong_type(&at, "a ring (an object)", ring));
            };
            let mut timeout = None;
            let mut skills: &[Value] = &[];
            let mut groups: Option<&[Value]> = None;
            for (key, value) in ring {
                match (key.as_str(), value) {
                    (_, Value::Null) => {}
                    ("memberGroups", Value::Array(list)) => groups = Some(list),
                    ("memberGroups", other) => {
                        return Err(self.wrong_type(
                            &format!("{at}.{key}"),
                            "a list of groups",
                            other,
                        ));
                    }
                    ("expansionTimeoutSeconds", Value::Number(_)) => timeout = Some(value),
                    ("expansionTimeoutSeconds", other) => {
                        return Err(self.wrong_type(&format!("{at}.{key}"), "a number", other));
                    }
                    ("skillsToRemove", Value::Array(names)) => skills = names,
                    ("skillsToRemove", other) => {
                        return Err(self.wrong_type(
                            &format!("{at}.{key}"),
                            "a list of skill names",
                            other,
                        ));
                    }
                    _ => {
                        return Err(self.unsupported(
                            &format!("{at}.{key}"),
                            "a ring has only `expansionTimeoutSeconds`, `skillsToRemove` and `memberGroups`",
                        ));
                    }
                }
            }
            let mut api = match base_rings.get(i) {
                Some(Value::Object(base)) => base.clone(),
                _ => Map::new(),
            };
            match timeout {
                Some(threshold) => {
                    let criterion =
                        serde_json::json!({"type": "TIMEOUT_SECONDS", "threshold": threshold});
                    api.insert("expansionCriteria".into(), Value::Array(vec![criterion]));
                }
                None => {
                    api.remove("expansionCriteria");
                }
            }
            let mut remove = Vec::with_capacity(skills.len());
            for (j, skill) in skills.iter().enumerate() {
                let at = format!("{at}.skillsToRemove[{j}]");
                let Value::String(skill) = skill else {
                    return Err(self.wrong_type(&at, "a skill name", skill));
                };
                remove.push(id_ref(self.skill_id(skill, &at)?));
            }
            let mut actions = match api.remove("actions") {
                Some(Value::Object(actions)) => actions,
                _ => Map::new(),
            };
            if remove.is_empty() {
                actions.remove("skillsToRemove");
            } else {
                actions.insert("skillsToRemove".into(), Value::Array(remove));
            }
            if !actions.is_empty() {
                api.insert("actions".into(), Value::Object(actions));
            }
            // Given, the ring's groups are these; absent, the base ring's stay.
            if let Some(groups) = groups {
                let groups = groups
                    .iter()
                    .enumerate()
                    .map(|(j, group)| self.group(group, &format!("{at}.memberGroups[{j}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                api.insert("memberGroups".into(), Value::Array(groups));
            }
            out.push(Value::Object(api));
        }
        Ok(Value::Array(out))
    }

    /// A skill's id: from the caller, else from a ring of the base that removes a skill of
    /// that name (or, as the plan's view shows an unnamed unknown skill, that id).
    fn skill_id(&self, skill: &str, path: &str) -> Result<String, BodyError> {
        if let Some(id) = self.ids.skill(skill) {
            return Ok(id);
        }
        self.base_array(&["bullseye", "rings"])
            .iter()
            .filter_map(|ring| ring.pointer("/actions/skillsToRemove"))
            .filter_map(Value::as_array)
            .flatten()
            .find_map(|known| known_id(known, skill))
            .ok_or_else(|| BodyError::UnknownSkill {
                queue: self.queue.to_string(),
                path: path.to_string(),
                skill: skill.to_string(),
            })
    }

    // ---- conditional group routing -------------------------------------------------------

    fn rules(&self, rules: &Value, path: &str) -> Result<Value, BodyError> {
        let Value::Array(rules) = rules else {
            return Err(self.wrong_type(path, "a list of rules", rules));
        };
        let mut out = Vec::with_capacity(rules.len());
        for (i, rule) in rules.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let Value::Object(rule) = rule else {
                return Err(self.wrong_type(&at, "a rule (an object)", rule));
            };
            let mut api = Map::new();
            let mut queue = None;
            for (key, value) in rule {
                let field = format!("{at}.{key}");
                match (key.as_str(), value) {
                    (_, Value::Null) => {}
                    ("queue", Value::String(name)) => queue = Some(name.as_str()),
                    ("queue", other) => return Err(self.wrong_type(&field, "a queue name", other)),
                    ("metric" | "operator" | "conditionValue" | "waitSeconds", _) => {
                        api.insert(key.clone(), value.clone());
                    }
                    ("groups", Value::Array(groups)) => {
                        let groups = groups
                            .iter()
                            .enumerate()
                            .map(|(j, group)| self.group(group, &format!("{field}[{j}]")))
                            .collect::<Result<Vec<_>, _>>()?;
                        api.insert("groups".into(), Value::Array(groups));
                    }
                    ("groups", other) => {
                        return Err(self.wrong_type(&field, "a list of groups", other));
                    }
                    _ => {
                        return Err(self.unsupported(
                            &field,
                            "a rule has only `queue`, `metric`, `operator`, `conditionValue`, `waitSeconds` and `groups`",
                        ));
                    }
                }
            }
            if let Some(id) = self.rule_queue_id(queue, &format!("{at}.queue"))? {
                api.insert("queue".into(), id_ref(id));
            }
            out.push(Value::Object(api));
        }
        Ok(Value::Array(out))
    }

    /// The id of the queue a rule evaluates; `None` for this queue when it has no id yet
    /// (the API reads a rule without `queue` as the current queue).
    fn rule_queue_id(&self, queue: Option<&str>, path: &str) -> Result<Option<String>, BodyError> {
        let known: Vec<&Value> = self
            .base_array(&["conditionalGroupRouting", "rules"])
            .iter()
            .filter_map(|rule| rule.get("queue"))
            .collect();
        self.queue_id(queue.unwrap_or(self.queue), path, &known)
    }

    /// The id of the queue `queue`: this queue's own (`None` when it is being created), else
    /// the caller's, else that of one of `known` (references the base holds) of that name.
    fn queue_id(
        &self,
        queue: &str,
        path: &str,
        known: &[&Value],
    ) -> Result<Option<String>, BodyError> {
        if queue == self.queue {
            // A new queue has no id yet; the API reads an absent queue as the current one.
            let Some(base) = self.base else {
                return Ok(None);
            };
            let own = base.get("id").and_then(Value::as_str).map(String::from);
            return Ok(own.or_else(|| self.ids.queue(queue)));
        }
        if let Some(id) = self.ids.queue(queue) {
            return Ok(Some(id));
        }
        known
            .iter()
            .find_map(|known| known_id(known, queue))
            .map(Some)
            .ok_or_else(|| BodyError::UnknownQueue {
                queue: self.queue.to_string(),
                path: path.to_string(),
                target: queue.to_string(),
            })
    }

    /// A rule's group `{name, type}` as the API's `{id, name, type}`, the id (and the name as
    /// the API spells it, when it gave one) taken from a group the base already routes to.
    fn group(&self, group: &Value, path: &str) -> Result<Value, BodyError> {
        let Value::Object(group) = group else {
            return Err(self.wrong_type(path, "a group (an object with `name` and `type`)", group));
        };
        let mut name = None;
        let mut id = None;
        let mut kind = None;
        for (key, value) in group {
            match (key.as_str(), value) {
                (_, Value::Null) => {}
                ("name", Value::String(s)) => name = Some(s.as_str()),
                ("id", Value::String(s)) => id = Some(s.as_str()),
                ("type", Value::String(s)) => kind = Some(s.as_str()),
                ("name" | "id" | "type", other) => {
                    return Err(self.wrong_type(&format!("{path}.{key}"), "a string", other));
                }
                _ => {
                    return Err(self.unsupported(
                        &format!("{path}.{key}"),
                        "a group has only `name`, `id` and `type`",
                    ));
                }
            }
        }
        let Some(name) = name else {
            return Err(self.wrong_type(&format!("{path}.name"), "a group name", &Value::Null));
        };
        // Given by id, taken as it is; else the id the lookups found for the name and type.
        // The manifest's name is written beside it (what the API echoes back).
        let looked_up = || {
            kind.and_then(ReferenceKind::of_group_type)
                .and_then(|of| self.ids.referent(of, name))
        };
        if let Some(id) = id.map(String::from).or_else(looked_up) {
            let mut api = Map::new();
            api.insert("id".into(), Value::String(id));
            api.insert("name".into(), Value::String(name.to_string()));
            if let Some(kind) = kind {
                api.insert("type".into(), Value::String(kind.to_string()));
            }
            return Ok(Value::Object(api));
        }
        let found = self.known_groups().into_iter().find(|known| {
            let same_type = match (kind, known.get("type").and_then(Value::as_str)) {
                (Some(want), Some(have)) => want == have,
                _ => true,
            };
            same_type && known_id(known, name).is_some()
        });
        let Some(found) = found else {
            return Err(BodyError::UnknownGroup {
                queue: self.queue.to_string(),
                path: path.to_string(),
                group: name.to_string(),
                kind: kind.unwrap_or("any type").to_string(),
            });
        };
        let mut api = Map::new();
        if let Some(id) = known_id(found, name) {
            api.insert("id".into(), Value::String(id));
        }
        // The name as the queue already has it (`MemberGroup` declares it): what the plan's
        // view reads a group by when the answer carries it.
        if let Some(known_name) = found.get("name").filter(|n| n.is_string()) {
            api.insert("name".into(), known_name.clone());
        }
        let kind = kind
            .map(|k| Value::String(k.to_string()))
            .or_else(|| found.get("type").filter(|t| t.is_string()).cloned());
        if let Some(kind) = kind {
            api.insert("type".into(), kind);
        }
        Ok(Value::Object(api))
    }

    /// The groups the base already routes to: its conditional group routing rules' groups,
    /// its member groups and its rings' member groups.
    fn known_groups(&self) -> Vec<&Value> {
        let rules = self.base_array(&["conditionalGroupRouting", "rules"]);
        let in_rules = rules
            .iter()
            .filter_map(|rule| rule.get("groups"))
            .filter_map(Value::as_array)
            .flatten();
        let members = self.base_array(&["memberGroups"]).iter();
        let in_rings = self
            .base_array(&["bullseye", "rings"])
            .iter()
            .filter_map(|ring| ring.get("memberGroups"))
            .filter_map(Value::as_array)
            .flatten();
        in_rules.chain(members).chain(in_rings).collect()
    }

    // ---- flows and prompts ---------------------------------------------------------------

    fn want_reference(
        &self,
        wanted: &mut Wanted,
        rest: &[&str],
        path: &str,
        after: Option<&Value>,
    ) -> Result<(), BodyError> {
        let string = |value: &Value, field: &str| match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            other => Err(self.wrong_type(field, "a string", other)),
        };
        match rest {
            [] => match after {
                None => {
                    wanted.id = None;
                    wanted.name = None;
                }
                Some(Value::Object(reference)) => {
                    wanted.id = None;
                    wanted.name = None;
                    for (key, value) in reference {
                        let field = format!("{path}.{key}");
                        match key.as_str() {
                            "id" => wanted.id = string(value, &field)?,
                            "name" => {
                                wanted.name = string(value, &field)?;
                                wanted.name_path = path.to_string();
                            }
                            _ => {
                                return Err(self.unsupported(
                                    &field,
                                    "a flow or prompt is given by `id` or `name`",
                                ));
                            }
                        }
                    }
                }
                Some(other) => {
                    return Err(self.wrong_type(path, "an object with `id` or `name`", other));
                }
            },
            ["id"] => wanted.id = after.map(|v| string(v, path)).transpose()?.flatten(),
            ["name"] => {
                wanted.name = after.map(|v| string(v, path)).transpose()?.flatten();
                wanted.name_path = path.to_string();
            }
            _ => {
                return Err(self.unsupported(path, "a flow or prompt is given by `id` or `name`"));
            }
        }
        Ok(())
    }

    /// Writes the reference `wanted` at `api_path` of the body, objects on the way created.
    fn resolve_reference(
        &self,
        body: &mut Map<String, Value>,
        api_path: &[String],
        wanted: Wanted,
    ) -> Result<(), BodyError> {
        let Some((key, parents)) = api_path.split_last() else {
            return Ok(());
        };
        let dotted = api_path.join(".");
        let mut base = self.base;
        let mut here = body;
        for (i, parent) in parents.iter().enumerate() {
            base = base.and_then(|b| b.get(parent)).and_then(Value::as_object);
            here = object_entry(here, parent)
                .map_err(|found| self.not_an_object(&dotted, parents[..=i].join("."), found))?;
        }
        let body = here;
        match (wanted.id, wanted.name) {
            (Some(id), _) => {
                body.insert(key.to_string(), id_ref(id));
            }
            (None, Some(name)) => {
                let already_used = || {
                    base.and_then(|b| b.get(key))
                        .filter(|r| r.get("name").and_then(Value::as_str) == Some(name.as_str()))
                        .and_then(|r| r.get("id"))
                        .and_then(Value::as_str)
                        .map(String::from)
                };
                let id = self
                    .ids
                    .referent(wanted.what, &name)
                    .or_else(already_used)
                    .ok_or_else(|| BodyError::ReferenceByName {
                        queue: self.queue.to_string(),
                        path: wanted.name_path.clone(),
                        what: wanted.what,
                        name: name.clone(),
                        key: dotted.clone(),
                    })?;
                let mut reference = Map::new();
                reference.insert("id".into(), Value::String(id));
                // A number or an address is not the object's name: only its id is written.
                if !wanted.what.written_as_text() {
                    reference.insert("name".into(), Value::String(name));
                }
                body.insert(key.to_string(), Value::Object(reference));
            }
            (None, None) => {
                body.remove(key);
            }
        }
        Ok(())
    }

    // ---- helpers -------------------------------------------------------------------------

    /// The array at `keys` in the base; empty when there is none.
    fn base_array(&self, keys: &[&str]) -> &[Value] {
        let mut here = self.base;
        let Some((last, parents)) = keys.split_last() else {
            return &[];
        };
        for key in parents {
            here = here.and_then(|m| m.get(*key)).and_then(Value::as_object);
        }
        here.and_then(|m| m.get(*last))
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
}

/// `{"id": id}`.
fn id_ref(id: String) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), Value::String(id));
    Value::Object(map)
}

/// The id of an entity reference of the base (`{id, name, ...}`) when it is the one called
/// `name`: by its name, or, as the plan's view shows a reference without a name, by its id.
fn known_id(known: &Value, name: &str) -> Option<String> {
    let id = known.get("id").and_then(Value::as_str)?;
    let matches = match known.get("name").and_then(Value::as_str) {
        Some(known_name) => known_name == name || id == name,
        None => id == name,
    };
    matches.then(|| id.to_string())
}

/// The object at `key` of `map`, created when absent (or null); what is there when it is
/// something else.
fn object_entry<'m>(
    map: &'m mut Map<String, Value>,
    key: &str,
) -> Result<&'m mut Map<String, Value>, &'m Value> {
    let slot = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if slot.is_null() {
        *slot = Value::Object(Map::new());
    }
    match slot {
        Value::Object(map) => Ok(map),
        other => Err(other),
    }
}

/// Removes the value at `parents.last`, if it is there.
fn remove_at(body: &mut Map<String, Value>, parents: &[&str], last: &str) {
    let mut here = body;
    for segment in parents {
        match here.get_mut(*segment) {
            Some(Value::Object(map)) => here = map,
            _ => return,
        }
    }
    here.remove(last);
}

/// Deep-merges `patch` into `target`: objects key by key, anything else replaced, a null
/// removing the key.
fn merge(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        match (value, target.get_mut(key)) {
            (Value::Null, _) => {
                target.remove(key);
            }
            (Value::Object(patch), Some(Value::Object(existing))) => merge(existing, patch),
            _ => {
                target.insert(key.clone(), without_nulls(value));
            }
        }
    }
}

/// `value` with null object members left out (an unset field is an absent one).
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// How an error shows a value it did not expect.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}
