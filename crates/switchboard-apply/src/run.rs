//! Running a plan: wave after wave, the steps of a wave concurrently (the client's limiter
//! sets the pace), each step with the widest real write the API offers (API-FACTS §5).
//! Creates never duplicate: the fresh read is checked by name first, and a create that
//! fails uncertainly or on a name conflict is resolved by reading the name again and
//! adopting what is there. A step whose inputs are missing (a failed create before it) is
//! skipped, not attempted.

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;
use switchboard_client::api::users::UserFilter;
use switchboard_client::models::{
    EntityRef, QueueFilter, UserRoutingLanguagePost, UserRoutingSkillPost, WrapupCodeRequest,
};
use switchboard_client::{Client, Error, counting_attempts};
use switchboard_plan::fingerprint;
use switchboard_plan::live::LiveWrapupCode;
use switchboard_plan::names::NameIndex;
use switchboard_plan::{
    Action, Address, Change, ElementChange, ElementOp, Live, Plan, ResourceKind, Step,
};

use crate::ids::Ids;
use crate::queue_body::queue_body;

mod capacity;
mod routing_settings;
mod skill_groups;

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Written.
    Applied,
    /// The object already existed under its name (it appeared after the plan, or an earlier
    /// attempt created it): it was taken as the created one.
    Adopted,
    /// The API refused or failed; the message says how.
    Failed(String),
    /// Not attempted, because something it needs is missing.
    Skipped(String),
}

/// One step's result.
#[derive(Debug, Clone, PartialEq)]
pub struct StepResult {
    /// Which change, e.g. `queue "Billing EN"`.
    pub object: String,
    /// Its address.
    pub address: Address,
    /// The change's action.
    pub action: Action,
    /// Which of its steps.
    pub step: Step,
    /// How it ended.
    pub status: Status,
    /// What the step asked for: the changed attributes' and elements' planned values.
    pub requested: Value,
    /// The HTTP status of a failure, when the API answered.
    pub http_status: Option<u16>,
    /// The failure's `ININ-Correlation-Id`, for Genesys support.
    pub correlation_id: Option<String>,
    /// For a failed step that wrote part of its change first: what it wrote (`added 3
    /// member(s), set 2 ring(s)`).
    pub partial: Option<String>,
    /// HTTP attempts the step made: requests, retries and repeats after re-authentication.
    pub attempts: u32,
    /// When the step started.
    pub started_at: chrono::DateTime<chrono::Utc>,
    /// How long the step took.
    pub latency_ms: u64,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Every step, in execution order.
    pub steps: Vec<StepResult>,
}

impl Report {
    /// Whether every step was applied or adopted.
    pub fn succeeded(&self) -> bool {
        self.steps
            .iter()
            .all(|s| matches!(s.status, Status::Applied | Status::Adopted))
    }
}

/// How long a write to a just-created object may keep answering 404 before it is a failure
/// (the API is eventually consistent: a member add right after a queue create may 404).
const CONSISTENCY_WINDOW: Duration = Duration::from_secs(30);

/// Runs the plan's runnable changes against the org behind `client`. `live` is a read made
/// just before (the one the stale check used).
pub async fn run(client: &Client, plan: &Plan, live: &Live) -> Report {
    run_observed(client, plan, live, |_| {}).await
}

/// [`run`], handing each step's result to `on_step` as soon as the step ends (in plan
/// order), so that an audit log holds every finished step even if the process is killed.
pub async fn run_observed(
    client: &Client,
    plan: &Plan,
    live: &Live,
    mut on_step: impl FnMut(&StepResult),
) -> Report {
    let ids = Ids::new(live, plan);
    let cx = Cx {
        client,
        live,
        ids: &ids,
    };
    let concurrency = client.config().max_concurrency.get();
    let mut report = Report::default();
    // Changes with a step that did not succeed: their later steps are not run (a replaced
    // skill whose successor was not created, or whose holders were not moved, is kept).
    let mut unfinished: BTreeSet<Address> = BTreeSet::new();
    for steps in plan
        .waves()
        .into_iter()
        .flat_map(|(_, steps)| rounds(steps))
    {
        let unfinished_before = &unfinished;
        let results: Vec<StepResult> = futures::stream::iter(steps)
            .map(|(change, step)| {
                let cx = &cx;
                async move {
                    let started_at = chrono::Utc::now();
                    let started = std::time::Instant::now();
                    let (outcome, attempts) = if unfinished_before.contains(&change.address) {
                        let skipped = Problem::Missing(
                            "an earlier step of this change did not succeed".into(),
                        );
                        (Err(skipped), 0)
                    } else {
                        counting_attempts(cx.step(change, step)).await
                    };
                    let latency_ms =
                        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                    let (mut http_status, mut correlation_id, mut partial) = (None, None, None);
                    let status = match outcome {
                        Ok(status) => status,
                        Err(Problem::Api(error)) => {
                            http_status = error.status();
                            correlation_id = correlation(&error);
                            Status::Failed(error.to_string())
                        }
                        Err(Problem::Partial { written, error }) => {
                            http_status = error.status();
                            correlation_id = correlation(&error);
                            let status = Status::Failed(format!(
                                "partially applied ({written}), then: {error}"
                            ));
                            partial = Some(written);
                            status
                        }
                        Err(Problem::Missing(what)) => Status::Skipped(what),
                        Err(Problem::Invalid(what)) => Status::Failed(what),
                    };
                    StepResult {
                        object: change.address.kind.describe(&change.address.name),
                        address: change.address.clone(),
                        action: change.action,
                        step,
                        status,
                        requested: requested(change),
                        http_status,
                        correlation_id,
                        partial,
                        attempts,
                        started_at,
                        latency_ms,
                    }
                }
            })
            .buffered(concurrency)
            .inspect(|result| on_step(result))
            .collect()
            .await;
        for result in &results {
            if !matches!(result.status, Status::Applied | Status::Adopted) {
                unfinished.insert(result.address.clone());
            }
        }
        report.steps.extend(results);
    }
    report
}

/// A wave's steps in rounds, run one after another: a queue step whose body names a queue
/// the same wave creates (a group routing rule's or activation condition's queue, a backup
/// queue) runs in a round after that create. Queues naming each other in a cycle run in the
/// last round as they are: a body naming a queue not yet created then fails, naming it.
fn rounds(steps: Vec<(&Change, Step)>) -> Vec<Vec<(&Change, Step)>> {
    let created: BTreeSet<&str> = steps
        .iter()
        .filter(|(change, step)| {
            change.address.kind == ResourceKind::Queue && *step == Step::Create
        })
        .map(|(change, _)| change.address.name.as_str())
        .collect();
    if created.is_empty() {
        return vec![steps];
    }
    let mut waiting: Vec<((&Change, Step), BTreeSet<String>)> = steps
        .into_iter()
        .map(|(change, step)| {
            let mut needs = BTreeSet::new();
            if change.address.kind == ResourceKind::Queue {
                needs = crate::queue_body::queues_named(&change.attributes);
                needs
                    .retain(|name| name != &change.address.name && created.contains(name.as_str()));
            }
            ((change, step), needs)
        })
        .collect();
    let mut rounds = Vec::new();
    while !waiting.is_empty() {
        let (ready, rest): (Vec<_>, Vec<_>) =
            waiting.into_iter().partition(|(_, needs)| needs.is_empty());
        if ready.is_empty() {
            rounds.push(rest.into_iter().map(|(step, _)| step).collect());
            break;
        }
        let done: BTreeSet<String> = ready
            .iter()
            .map(|((change, _), _)| change.address.name.clone())
            .collect();
        rounds.push(ready.into_iter().map(|(step, _)| step).collect());
        waiting = rest
            .into_iter()
            .map(|(step, mut needs)| {
                needs.retain(|name| !done.contains(name));
                (step, needs)
            })
            .collect();
    }
    rounds
}

/// Why a step did not apply.
enum Problem {
    Api(Error),
    /// Some of the step's writes were made before `error`.
    Partial {
        written: String,
        error: Error,
    },
    Missing(String),
    Invalid(String),
}

/// What a members step has written so far.
#[derive(Default)]
struct Written {
    added: usize,
    rings: usize,
}

impl Written {
    fn any(&self) -> bool {
        self.added > 0 || self.rings > 0
    }

    /// `added 3 members, set 2 rings`.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.added > 0 {
            parts.push(format!("added {} member(s)", self.added));
        }
        if self.rings > 0 {
            parts.push(format!("set {} ring(s)", self.rings));
        }
        parts.join(", ")
    }
}

impl From<Error> for Problem {
    fn from(error: Error) -> Self {
        Problem::Api(error)
    }
}

struct Cx<'a> {
    client: &'a Client,
    live: &'a Live,
    ids: &'a Ids,
}

fn missing(kind: ResourceKind, name: &str) -> Problem {
    Problem::Missing(format!(
        "needs {}, which does not exist (its create failed or was skipped)",
        kind.describe(name)
    ))
}

/// Retries `write` while it answers 404, with backoff, within the consistency window.
async fn tolerating_lag<T, F, Fut>(mut write: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let started = tokio::time::Instant::now();
    let mut pause = Duration::from_millis(200);
    loop {
        match write().await {
            Err(error)
                if error.is_not_found() && started.elapsed() + pause < CONSISTENCY_WINDOW =>
            {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
            other => return other,
        }
    }
}

impl Cx<'_> {
    fn id(&self, kind: ResourceKind, name: &str) -> Result<String, Problem> {
        self.ids.get(kind, name).ok_or_else(|| missing(kind, name))
    }

    /// The id of the division the plan names.
    fn division_id(&self, name: &str) -> Result<String, Problem> {
        self.ids
            .division_id(name)
            .ok_or_else(|| Problem::Invalid(format!("no division {name:?}")))
    }

    async fn step(&self, change: &Change, step: Step) -> Result<Status, Problem> {
        let name = change.address.name.as_str();
        match (change.address.kind, step) {
            (kind, Step::Create) if !kind.is_collection() => self.create(change).await,
            (kind, Step::Delete) if !kind.is_collection() => self.delete(change).await,
            (ResourceKind::Skill, Step::MoveAssignments) => self.move_assignments(change).await,
            (ResourceKind::Skill, Step::Update) => {
                let division = attribute(change, "division")
                    .and_then(Value::as_str)
                    .ok_or_else(|| Problem::Invalid("a skill update without a division".into()))?;
                let division = self.division_id(division)?;
                self.client
                    .set_skill_division(&self.id(ResourceKind::Skill, name)?, &division)
                    .await?;
                Ok(Status::Applied)
            }
            (ResourceKind::WrapupCode, Step::Update) => {
                let id = self.id(ResourceKind::WrapupCode, name)?;
                self.write_code(change, &id).await?;
                Ok(Status::Applied)
            }
            (ResourceKind::SkillGroup, Step::Update) => {
                let id = self.id(ResourceKind::SkillGroup, name)?;
                self.write_skill_group(change, &id).await?;
                Ok(Status::Applied)
            }
            (ResourceKind::UtilizationLabel, Step::Update) => {
                let id = self.id(ResourceKind::UtilizationLabel, name)?;
                self.client.rename_utilization_label(&id, name).await?;
                Ok(Status::Applied)
            }
            (ResourceKind::Queue, Step::Update) => {
                let id = self.id(ResourceKind::Queue, name)?;
                self.update_queue(change, &id).await?;
                Ok(Status::Applied)
            }
            (ResourceKind::QueueMembers, _) => self.members(change).await,
            (ResourceKind::QueueWrapupCodes, _) => self.queue_codes(change).await,
            (ResourceKind::AgentSkills, _) => self.agent_skills(change).await,
            (ResourceKind::AgentLanguages, _) => self.agent_languages(change).await,
            (ResourceKind::AgentCapacity, _) => self.agent_capacity(change).await,
            (ResourceKind::OrgUtilization, Step::Update) => self.org_utilization(change).await,
            (ResourceKind::RoutingSettings, Step::Update) => self.routing_settings(change).await,
            (kind, step) => Err(Problem::Invalid(format!(
                "a {step:?} step of a {} is not something a plan contains",
                kind.key()
            ))),
        }
    }

    /// Looks the name up in the fresh read first (by the name rule); creates; on an
    /// uncertain outcome or a name conflict, reads the name from the API and adopts what is
    /// there (retrying the create once if nothing is).
    async fn create(&self, change: &Change) -> Result<Status, Problem> {
        let kind = change.address.kind;
        let name = change.address.name.as_str();
        // The fresh read was made just before the run, so asking the API again here would
        // cost one request per create and close no race: an object created since is caught
        // by the create's name conflict below.
        if let Some(id) = self.fresh(kind, name) {
            self.adopt(change, &id).await?;
            return Ok(Status::Adopted);
        }
        for attempt in 0..2 {
            match self.create_once(change).await {
                Ok((id, division)) => {
                    self.ids.insert(kind, name, id.clone());
                    self.ids.made(&id);
                    if kind == ResourceKind::Skill {
                        self.skill_division(change, &id, division.as_deref())
                            .await?;
                    }
                    return Ok(Status::Applied);
                }
                Err(Problem::Api(error))
                    if error.is_name_conflict() || error.is_outcome_unknown() =>
                {
                    if let Some(id) = self.find(kind, name).await? {
                        self.adopt(change, &id).await?;
                        return Ok(Status::Adopted);
                    }
                    if attempt == 1 || error.is_name_conflict() {
                        return Err(Problem::Api(error));
                    }
                }
                Err(other) => return Err(other),
            }
        }
        Err(Problem::Invalid(format!("{name:?} could not be created")))
    }

    /// Takes `id` as the created object: it may have been made by someone else, or by an
    /// earlier attempt, with other settings. It is read again, and only what the plan shows
    /// and the object lacks is written; every other field it has is kept.
    async fn adopt(&self, change: &Change, id: &str) -> Result<(), Problem> {
        self.ids
            .insert(change.address.kind, &change.address.name, id.to_string());
        self.ids.made(id);
        match change.address.kind {
            ResourceKind::Queue => self.update_queue(change, id).await,
            ResourceKind::WrapupCode => self.write_code(change, id).await,
            ResourceKind::SkillGroup => self.write_skill_group(change, id).await,
            ResourceKind::Skill => {
                let division = tolerating_lag(|| self.client.get_skill(id))
                    .await?
                    .division
                    .and_then(|d| d.id);
                self.skill_division(change, id, division.as_deref()).await
            }
            _ => Ok(()),
        }
    }

    /// Moves a created or adopted skill to the division the plan names, unless it is there
    /// (`division`, its division id, when known): a skill is created with its name only
    /// (`CreateRoutingSkill`), and its division is changed by the skill PATCH.
    async fn skill_division(
        &self,
        change: &Change,
        id: &str,
        division: Option<&str>,
    ) -> Result<(), Problem> {
        let Some(wanted) = attribute(change, "division").and_then(Value::as_str) else {
            return Ok(());
        };
        let wanted = self.division_id(wanted)?;
        if division != Some(wanted.as_str()) {
            tolerating_lag(|| self.client.set_skill_division(id, &wanted)).await?;
        }
        Ok(())
    }

    /// Creates the object; answers its id and, for a skill, the division the API put it in.
    async fn create_once(&self, change: &Change) -> Result<(String, Option<String>), Problem> {
        let name = change.address.name.as_str();
        let mut division = None;
        let created = match change.address.kind {
            ResourceKind::Skill => {
                let skill = self.client.create_skill(name).await?;
                division = skill.division.and_then(|d| d.id);
                skill.id
            }
            ResourceKind::Language => self.client.create_language(name).await?.id,
            ResourceKind::WrapupCode => self.create_code(change).await?,
            ResourceKind::SkillGroup => self.create_skill_group(change).await?,
            ResourceKind::UtilizationLabel => self.client.create_utilization_label(name).await?.id,
            ResourceKind::Queue => {
                let body = queue_body(None, name, &change.attributes, self.ids)
                    .map_err(|e| Problem::Invalid(e.to_string()))?;
                let queue = serde_json::from_value(body)
                    .map_err(|e| Problem::Invalid(format!("queue body: {e}")))?;
                self.client.create_queue(&queue).await?.id
            }
            kind => {
                return Err(Problem::Invalid(format!("a {} is not created", kind.key())));
            }
        };
        let id = created
            .ok_or_else(|| Problem::Invalid(format!("the API returned {name:?} without an id")))?;
        Ok((id, division))
    }

    /// The id of `kind` `name` in the fresh read, by the name rule (`None` when absent or
    /// ambiguous: the plan refuses an ambiguous name, and a create then meets the conflict).
    fn fresh(&self, kind: ResourceKind, name: &str) -> Option<String> {
        let live = self.live;
        let named = |n: &String, id: &String| (n.clone(), Some(id.clone()));
        let objects: Vec<(String, Option<String>)> = match kind {
            ResourceKind::Skill => live.skills.iter().map(|(n, s)| named(n, &s.id)).collect(),
            ResourceKind::Language => live
                .languages
                .iter()
                .map(|(n, l)| named(n, &l.id))
                .collect(),
            ResourceKind::WrapupCode => live
                .wrapup_codes
                .iter()
                .map(|(n, c)| named(n, &c.id))
                .collect(),
            ResourceKind::SkillGroup => live
                .skill_groups
                .iter()
                .map(|(n, g)| named(n, &g.id))
                .collect(),
            ResourceKind::Queue => live.queues.iter().map(|(n, q)| named(n, &q.id)).collect(),
            ResourceKind::UtilizationLabel => live
                .utilization_labels
                .iter()
                .map(|(n, l)| named(n, &l.id))
                .collect(),
            _ => return None,
        };
        id_named(objects, name)
    }

    /// The id of `kind` `name` as the org has it now, by the name rule: the fresh read
    /// first, then the API's whole listing (the server's name filters are prefix matches of
    /// undocumented case: API-FACTS §2). Several objects the same by the rule, none spelt
    /// exactly so, are none: nothing is adopted that could be the wrong one.
    async fn find(&self, kind: ResourceKind, name: &str) -> Result<Option<String>, Problem> {
        if let Some(id) = self.fresh(kind, name) {
            return Ok(Some(id));
        }
        let listed: Vec<(String, Option<String>)> = match kind {
            ResourceKind::Skill => self
                .client
                .list_skills()
                .await?
                .into_iter()
                .filter(|s| s.is_live())
                .map(|s| (s.name, s.id))
                .collect(),
            ResourceKind::Language => self
                .client
                .list_languages()
                .await?
                .into_iter()
                .filter(|l| l.is_live())
                .map(|l| (l.name, l.id))
                .collect(),
            ResourceKind::WrapupCode => self
                .client
                .list_wrapup_codes()
                .await?
                .into_iter()
                .map(|c| (c.name, c.id))
                .collect(),
            ResourceKind::SkillGroup => self
                .client
                .list_skill_groups()
                .await?
                .into_iter()
                .map(|g| (g.name, g.id))
                .collect(),
            ResourceKind::Queue => self
                .client
                .list_queues(&QueueFilter::default())
                .await?
                .into_iter()
                .map(|q| (q.name, q.id))
                .collect(),
            ResourceKind::UtilizationLabel => self
                .client
                .list_utilization_labels()
                .await?
                .into_iter()
                .filter_map(|l| Some((l.name?, l.id)))
                .collect(),
            _ => Vec::new(),
        };
        Ok(id_named(listed, name))
    }

    async fn delete(&self, change: &Change) -> Result<Status, Problem> {
        // A replace deletes the old skill, whose id the change carries.
        let id = change
            .id
            .clone()
            .ok_or_else(|| Problem::Invalid("a delete without an id".into()))?;
        if self.ids.was_made(&id) {
            return Err(Problem::Invalid(format!(
                "{id} was created or adopted by this run, so it is not the object the plan deletes"
            )));
        }
        if change.action == Action::Replace {
            self.holders_unchanged(change, &id).await?;
        }
        let deleted = match change.address.kind {
            ResourceKind::Skill => self.client.delete_skill(&id).await,
            ResourceKind::Language => self.client.delete_language(&id).await,
            ResourceKind::WrapupCode => self.client.delete_wrapup_code(&id).await,
            ResourceKind::SkillGroup => self.client.delete_skill_group(&id).await,
            ResourceKind::Queue => self.client.delete_queue(&id, false).await,
            // Never forced: the API refuses a label in use, which the plan did not show.
            ResourceKind::UtilizationLabel => self.client.delete_utilization_label(&id).await,
            kind => return Err(Problem::Invalid(format!("a {} is not deleted", kind.key()))),
        };
        match deleted {
            // Already gone: the plan's intent holds.
            Err(error) if error.is_not_found() => Ok(Status::Applied),
            other => other.map(|()| Status::Applied).map_err(Problem::from),
        }
    }

    /// Creates a wrap-up code with the plan's values.
    async fn create_code(&self, change: &Change) -> Result<Option<String>, Problem> {
        let division = match attribute(change, "division").and_then(Value::as_str) {
            Some(division) => Some(EntityRef::id(self.division_id(division)?)),
            None => None,
        };
        let request = WrapupCodeRequest {
            name: change.address.name.clone(),
            division,
            description: attribute(change, "description")
                .and_then(Value::as_str)
                .map(String::from),
        };
        Ok(self.client.create_wrapup_code(&request).await?.id)
    }

    /// Read-modify-write of a wrap-up code: read it, set what the plan shows (its name,
    /// description, division), keep everything else as read, and write only when something
    /// differs. A code whose answer has no division is not rewritten unless the plan sets
    /// one: a PUT without a division could move it (a code without a division belongs to
    /// every division, per the vendor's provider).
    async fn write_code(&self, change: &Change, id: &str) -> Result<(), Problem> {
        let current = tolerating_lag(|| self.client.get_wrapup_code(id)).await?;
        // The precondition, just before the write: the code is as the plan saw it.
        if let Some(recorded) = &change.fingerprint {
            let read = LiveWrapupCode {
                id: id.to_string(),
                description: current.description.clone(),
                division_id: current.division.as_ref().and_then(|d| d.id.clone()),
            };
            if fingerprint::of(&read) != *recorded {
                return Err(Problem::Invalid(format!(
                    "wrap-up code {:?} read just before its write differs from the plan's (edited since, or an incomplete answer); it is not written: make the plan again",
                    change.address.name
                )));
            }
        }
        let planned = |path: &str| change.attributes.iter().find(|a| a.path == path);
        let description = match planned("description") {
            Some(a) => a.after.as_ref().and_then(Value::as_str).map(String::from),
            None => current.description.clone(),
        };
        let current_division = current.division.as_ref().and_then(|d| d.id.clone());
        let division = match attribute(change, "division").and_then(Value::as_str) {
            Some(division) => Some(self.division_id(division)?),
            None => current_division.clone(),
        };
        let Some(division) = division else {
            return Err(Problem::Invalid(format!(
                "wrap-up code {id} was read without a division, so it is not rewritten (a write without one could move it); make the plan again"
            )));
        };
        let name = change.address.name.clone();
        if name == current.name
            && description == current.description
            && Some(&division) == current_division.as_ref()
        {
            return Ok(());
        }
        let request = WrapupCodeRequest {
            name,
            division: Some(EntityRef::id(division)),
            description,
        };
        self.client.update_wrapup_code(id, &request).await?;
        Ok(())
    }

    /// Read-modify-write: GET the queue, change the plan's attributes, PUT it whole; a
    /// division change goes through the division's object move.
    async fn update_queue(&self, change: &Change, id: &str) -> Result<(), Problem> {
        let name = change.address.name.as_str();
        let current = self.client.get_queue(id).await?;
        let base = serde_json::to_value(&current)
            .map_err(|e| Problem::Invalid(format!("queue body: {e}")))?;
        // The precondition, just before the write: the queue is as the plan saw it. A queue
        // edited since, or an answer missing some of its fields, is not written back whole.
        let division = current.division.as_ref().and_then(|d| d.id.as_deref());
        if let Some(recorded) = &change.fingerprint
            && fingerprint::of_queue(id, division, &base) != *recorded
        {
            return Err(Problem::Invalid(format!(
                "queue {name:?} read just before its write differs from the plan's (edited since, or an incomplete answer); it is not written: make the plan again"
            )));
        }
        let body = queue_body(Some(&base), name, &change.attributes, self.ids)
            .map_err(|e| Problem::Invalid(e.to_string()))?;
        if body != base {
            let queue = serde_json::from_value(body)
                .map_err(|e| Problem::Invalid(format!("queue body: {e}")))?;
            self.client.update_queue(id, &queue).await?;
        }
        if let Some(division) = attribute(change, "division").and_then(Value::as_str) {
            let division_id = self.division_id(division)?;
            if current.division.as_ref().and_then(|d| d.id.as_deref()) != Some(&division_id) {
                self.client
                    .move_queues_to_division(&division_id, &[id.to_string()])
                    .await?;
            }
        }
        Ok(())
    }

    /// A queue's members and rings, one unit: adds, then rings, then removals. When a write
    /// fails after others succeeded, the step is reported as partially applied, naming what
    /// was written; a re-run plans only what is left.
    async fn members(&self, change: &Change) -> Result<Status, Problem> {
        let mut written = Written::default();
        match self.write_members(change, &mut written).await {
            Err(Problem::Api(error)) if written.any() => Err(Problem::Partial {
                written: written.describe(),
                error,
            }),
            other => other,
        }
    }

    async fn write_members(
        &self,
        change: &Change,
        written: &mut Written,
    ) -> Result<Status, Problem> {
        let queue = self.id(ResourceKind::Queue, &change.address.name)?;
        let ids_of = |op: ElementOp| -> Vec<(String, Option<i64>)> {
            change
                .elements
                .iter()
                .filter(|e| e.op == op)
                .filter_map(|e| Some((e.id.clone()?, e.after.as_ref().and_then(Value::as_i64))))
                .collect()
        };
        let adds = ids_of(ElementOp::Add);
        let removes: Vec<String> = ids_of(ElementOp::Remove)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        if let Some((user, _)) = adds.iter().find(|(id, _)| removes.contains(id)) {
            return Err(Problem::Invalid(format!(
                "user {user} is both added and removed: the plan contradicts itself and is not applied"
            )));
        }
        if !adds.is_empty() {
            let users: Vec<String> = adds.iter().map(|(id, _)| id.clone()).collect();
            tolerating_lag(|| self.client.add_queue_members(&queue, &users)).await?;
            written.added = users.len();
        }
        // Added members start in ring 1; any other ring is set member by member.
        let rings = adds
            .into_iter()
            .filter(|(_, ring)| *ring != Some(1))
            .chain(ids_of(ElementOp::Update));
        for (user, ring) in rings {
            if let Some(ring) = ring {
                tolerating_lag(|| self.client.set_queue_member_ring(&queue, &user, ring)).await?;
                written.rings += 1;
            }
        }
        if !removes.is_empty() {
            self.client.remove_queue_members(&queue, &removes).await?;
        }
        Ok(Status::Applied)
    }

    async fn queue_codes(&self, change: &Change) -> Result<Status, Problem> {
        let queue = self.id(ResourceKind::Queue, &change.address.name)?;
        let mut adds = Vec::new();
        for element in change.elements.iter().filter(|e| e.op == ElementOp::Add) {
            adds.push(self.id(ResourceKind::WrapupCode, &element.key)?);
        }
        let removes: Vec<&String> = change
            .elements
            .iter()
            .filter(|e| e.op == ElementOp::Remove)
            .filter_map(|e| e.id.as_ref())
            .collect();
        // A code the plan adds under one name and removes under another (an id the plan knew
        // only from the queue) would be added and removed in one step: refused whole.
        if let Some(code) = removes.iter().find(|code| adds.contains(code)) {
            return Err(Problem::Invalid(format!(
                "wrap-up code {code} is both added and removed: the plan contradicts itself and is not applied"
            )));
        }
        if !adds.is_empty() {
            tolerating_lag(|| self.client.add_queue_wrapup_codes(&queue, &adds)).await?;
        }
        for code in removes {
            self.client.remove_queue_wrapup_code(&queue, code).await?;
        }
        Ok(Status::Applied)
    }

    fn user(&self, change: &Change) -> Result<String, Problem> {
        change
            .id
            .clone()
            .ok_or_else(|| Problem::Invalid("an agent change without the user's id".into()))
    }

    /// The proficiencies the elements add or update, by id of `kind`.
    fn wanted(&self, change: &Change, kind: ResourceKind) -> Result<Vec<(String, f64)>, Problem> {
        change
            .elements
            .iter()
            .filter(|e| e.op != ElementOp::Remove)
            .map(|e| Ok((self.id(kind, &e.key)?, proficiency(e)?)))
            .collect()
    }

    /// Only the planned delta: the bulk PATCH of what the plan adds or updates, then one
    /// DELETE per skill it removes. Never the replace-all PUT: built from a read taken before
    /// a long, rate-limited run, it would overwrite skills someone assigned meanwhile, which
    /// the plan never showed.
    async fn agent_skills(&self, change: &Change) -> Result<Status, Problem> {
        let user = self.user(change)?;
        let wanted = self.wanted(change, ResourceKind::Skill)?;
        if !wanted.is_empty() {
            self.client
                .patch_user_skills(&user, &skill_posts(wanted))
                .await?;
        }
        for element in change.elements.iter().filter(|e| e.op == ElementOp::Remove) {
            // A skill known only by name (a replace's new skill) by the id it was created with.
            let Some(skill) = element
                .id
                .clone()
                .or_else(|| self.ids.get(ResourceKind::Skill, &element.key))
            else {
                return Err(missing(ResourceKind::Skill, &element.key));
            };
            match self.client.remove_user_skill(&user, &skill).await {
                // Already gone: the plan's intent holds.
                Err(error) if error.is_not_found() => {}
                other => other?,
            }
        }
        Ok(Status::Applied)
    }

    /// Languages have no replace-all: the bulk PATCH, then one DELETE per removal.
    async fn agent_languages(&self, change: &Change) -> Result<Status, Problem> {
        let user = self.user(change)?;
        let languages: Vec<UserRoutingLanguagePost> = self
            .wanted(change, ResourceKind::Language)?
            .into_iter()
            .map(|(id, proficiency)| UserRoutingLanguagePost { id, proficiency })
            .collect();
        if !languages.is_empty() {
            self.client.patch_user_languages(&user, &languages).await?;
        }
        for element in change.elements.iter().filter(|e| e.op == ElementOp::Remove) {
            if let Some(language) = &element.id {
                self.client.remove_user_language(&user, language).await?;
            }
        }
        Ok(Status::Applied)
    }

    /// Right before a replaced skill is deleted: who holds it now must be who the plan moved
    /// (those it showed, now holding the new skill too). Anyone given the old skill since the
    /// plan was made would lose it with the delete, without the plan having shown them: the
    /// delete is refused, and the next plan finishes the replace (it moves them, then
    /// deletes). Reads the user listing with skills, ⌈users/500⌉ requests, and the skills of
    /// each user whose expansion is absent or empty ([`Client::with_every_skill`]), only for
    /// a replace.
    async fn holders_unchanged(&self, change: &Change, old: &str) -> Result<(), Problem> {
        let filter = UserFilter {
            state: Some("any".into()),
            expand: vec!["skills".into()],
            ids: Vec::new(),
        };
        let moved: BTreeSet<&str> = change
            .elements
            .iter()
            .filter_map(|e| e.id.as_deref())
            .collect();
        // Holders of the new skill too keep it when the old one goes (a replace an earlier
        // run left half done moved them).
        let new = self.ids.get(ResourceKind::Skill, &change.address.name);
        let mut unexpected = Vec::new();
        let users = self.client.list_users(&filter).await?;
        for user in self.client.with_every_skill(users).await? {
            let id = user.id.as_deref().unwrap_or_default();
            let holds = |skill: &str| {
                user.skills
                    .iter()
                    .flatten()
                    .any(|s| s.id.as_deref() == Some(skill))
            };
            if holds(old) && !moved.contains(id) && !new.as_deref().is_some_and(holds) {
                unexpected.push(user.email.clone().unwrap_or_else(|| id.to_string()));
            }
        }
        if unexpected.is_empty() {
            return Ok(());
        }
        Err(Problem::Invalid(format!(
            "skill {:?} was given to {} since the plan was made, which the plan does not move; it is not deleted: make the plan again to finish the replace",
            change.renamed_from.as_deref().unwrap_or(old),
            unexpected.join(", ")
        )))
    }

    /// A replaced skill's holders get the new skill at the same proficiency.
    async fn move_assignments(&self, change: &Change) -> Result<Status, Problem> {
        let skill = self.id(ResourceKind::Skill, &change.address.name)?;
        for element in &change.elements {
            let Some(user) = &element.id else { continue };
            let post = [UserRoutingSkillPost {
                id: skill.clone(),
                proficiency: proficiency(element)?,
            }];
            tolerating_lag(|| self.client.patch_user_skills(user, &post)).await?;
        }
        Ok(Status::Applied)
    }
}

/// The correlation id of the API's answer behind `error`.
/// The id of the object `name` finds among `objects` (name, id) by the name rule: none
/// when absent or ambiguous.
fn id_named(objects: Vec<(String, Option<String>)>, name: &str) -> Option<String> {
    let index = NameIndex::new(objects.iter().map(|(n, _)| n.as_str()));
    let wanted = index.find(name).name()?;
    objects
        .iter()
        .find(|(n, _)| n == wanted)
        .and_then(|(_, id)| id.clone())
}

fn correlation(error: &Error) -> Option<String> {
    match error {
        Error::Api(api) => api.correlation_id.clone(),
        Error::RetriesExhausted { last, .. } | Error::CreateOutcomeUnknown { cause: last, .. } => {
            correlation(last)
        }
        _ => None,
    }
}

/// The planned values of a change: attributes by path, elements by key (`true` for an
/// element without a value, `null` for a removal).
fn requested(change: &Change) -> Value {
    let mut out = serde_json::Map::new();
    for attribute in &change.attributes {
        out.insert(
            attribute.path.clone(),
            attribute.after.clone().unwrap_or(Value::Null),
        );
    }
    for element in &change.elements {
        let value = match element.op {
            ElementOp::Remove => Value::Null,
            _ => element.after.clone().unwrap_or(Value::Bool(true)),
        };
        out.insert(element.key.clone(), value);
    }
    Value::Object(out)
}

/// The body of a skills PUT or PATCH.
fn skill_posts(skills: impl IntoIterator<Item = (String, f64)>) -> Vec<UserRoutingSkillPost> {
    skills
        .into_iter()
        .map(|(id, proficiency)| UserRoutingSkillPost { id, proficiency })
        .collect()
}

fn attribute<'c>(change: &'c Change, path: &str) -> Option<&'c Value> {
    change
        .attributes
        .iter()
        .find(|a| a.path == path)
        .and_then(|a| a.after.as_ref())
}

fn proficiency(element: &ElementChange) -> Result<f64, Problem> {
    element
        .after
        .as_ref()
        .and_then(Value::as_f64)
        .ok_or_else(|| Problem::Invalid(format!("no proficiency for {}", element.key)))
}
