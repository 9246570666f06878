//! A fake GitHub and GitLab REST API on 127.0.0.1: only the endpoints the recipes call,
//! with in-memory issues, comments, notes, pull and merge requests, runs and pipelines, and
//! a record of every call. Anything else answers 404, which `curl -f` turns into a failed
//! job.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, put};
use serde_json::{Value, json};

/// The token the recipes must send.
pub const GITHUB_TOKEN: &str = "ghs_fake_github_token";
pub const GITLAB_TOKEN: &str = "glpat-fake-gitlab-token";
pub const GITHUB_REPOSITORY: &str = "acme/routing";
pub const GITLAB_PROJECT_ID: u64 = 42;

/// One request the fake answered.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub status: u16,
}

impl std::fmt::Display for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} -> {}", self.method, self.path, self.status)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Comment {
    pub id: u64,
    pub body: String,
}

/// A GitHub issue or pull request (they share numbers and comment endpoints).
#[derive(Debug, Clone, Default)]
pub struct Issue {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub open: bool,
    pub labels: Vec<String>,
    pub comments: Vec<Comment>,
    /// For a pull request: its head commit, and the commit that merged it.
    pub pull: Option<(String, Option<String>)>,
}

/// A workflow run.
#[derive(Debug, Clone)]
pub struct Run {
    pub id: u64,
    pub workflow: String,
    pub event: String,
    pub head_sha: String,
    pub success: bool,
}

#[derive(Debug, Default)]
pub struct GitHub {
    pub issues: Vec<Issue>,
    pub runs: Vec<Run>,
    next_id: u64,
}

impl GitHub {
    pub fn id(&mut self) -> u64 {
        self.next_id += 1;
        1000 + self.next_id
    }

    /// The issue or pull request `number`.
    pub fn issue(&self, number: u64) -> &Issue {
        self.issues
            .iter()
            .find(|issue| issue.number == number)
            .unwrap()
    }
}

/// A GitLab merge request or issue.
#[derive(Debug, Clone, Default)]
pub struct Thread {
    pub iid: u64,
    pub title: String,
    pub description: String,
    pub open: bool,
    pub labels: Vec<String>,
    pub notes: Vec<Comment>,
    /// For a merge request: its head commit, the merge commit, and its head pipeline.
    pub sha: String,
    pub merge_commit_sha: Option<String>,
    pub head_pipeline: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Pipeline {
    pub id: u64,
    pub sha: String,
    pub success: bool,
    /// (job id, name, success)
    pub jobs: Vec<(u64, String, bool)>,
}

#[derive(Debug, Default)]
pub struct GitLab {
    pub merge_requests: Vec<Thread>,
    pub issues: Vec<Thread>,
    pub pipelines: Vec<Pipeline>,
    next_id: u64,
}

impl GitLab {
    pub fn id(&mut self) -> u64 {
        self.next_id += 1;
        2000 + self.next_id
    }
}

#[derive(Debug, Default)]
pub struct ForgeState {
    pub github: GitHub,
    pub gitlab: GitLab,
    pub calls: Vec<Call>,
}

/// The running fake.
#[derive(Clone)]
pub struct Forge {
    pub url: String,
    state: Arc<Mutex<ForgeState>>,
    /// GitLab job artifacts: `<dir>/<job id>/<path>`.
    pub gitlab_artifacts: PathBuf,
}

impl Forge {
    pub async fn start(gitlab_artifacts: PathBuf) -> Forge {
        let state = Arc::new(Mutex::new(ForgeState::default()));
        let shared = Shared {
            state: state.clone(),
            gitlab_artifacts: gitlab_artifacts.clone(),
        };
        let repo = "/repos/{owner}/{repo}";
        let project = "/api/v4/projects/{project}";
        let app = Router::new()
            .route(
                &format!("{repo}/issues"),
                get(gh_list_issues).post(gh_create_issue),
            )
            .route(&format!("{repo}/issues/{{number}}"), patch(gh_update_issue))
            .route(
                &format!("{repo}/issues/{{number}}/comments"),
                get(gh_list_comments).post(gh_create_comment),
            )
            .route(
                &format!("{repo}/issues/comments/{{id}}"),
                patch(gh_update_comment),
            )
            .route(
                &format!("{repo}/commits/{{sha}}/pulls"),
                get(gh_commit_pulls),
            )
            .route(
                &format!("{repo}/actions/workflows/{{workflow}}/runs"),
                get(gh_workflow_runs),
            )
            .route(
                &format!("{project}/merge_requests/{{iid}}/notes"),
                get(gl_list_notes).post(gl_create_note),
            )
            .route(
                &format!("{project}/merge_requests/{{iid}}/notes/{{note}}"),
                put(gl_update_note),
            )
            .route(
                &format!("{project}/merge_requests/{{iid}}"),
                get(gl_merge_request),
            )
            .route(
                &format!("{project}/repository/commits/{{sha}}/merge_requests"),
                get(gl_commit_merge_requests),
            )
            .route(
                &format!("{project}/pipelines/{{pipeline}}/jobs"),
                get(gl_pipeline_jobs),
            )
            .route(
                &format!("{project}/jobs/{{job}}/artifacts/{{*path}}"),
                get(gl_artifact),
            )
            .route(
                &format!("{project}/issues"),
                get(gl_list_issues).post(gl_create_issue),
            )
            .route(&format!("{project}/issues/{{iid}}"), put(gl_update_issue))
            .route(
                &format!("{project}/issues/{{iid}}/notes"),
                axum::routing::post(gl_issue_note),
            )
            .layer(axum::middleware::from_fn_with_state(shared.clone(), record))
            .with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Forge {
            url,
            state,
            gitlab_artifacts,
        }
    }

    pub fn state(&self) -> MutexGuard<'_, ForgeState> {
        self.state.lock().unwrap()
    }

    /// The calls recorded so far that match `method` and contain `path`.
    pub fn calls(&self, method: &str, path: &str) -> Vec<Call> {
        self.state()
            .calls
            .iter()
            .filter(|call| call.method == method && call.path.contains(path))
            .cloned()
            .collect()
    }

    /// Forgets the recorded calls.
    pub fn clear_calls(&self) {
        self.state().calls.clear();
    }

    /// Every recorded call, one a line (for failure messages).
    pub fn call_log(&self) -> String {
        self.state()
            .calls
            .iter()
            .map(|call| format!("  {call}\n"))
            .collect()
    }
}

#[derive(Clone)]
struct Shared {
    state: Arc<Mutex<ForgeState>>,
    gitlab_artifacts: PathBuf,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, ForgeState> {
        self.state.lock().unwrap()
    }
}

async fn record(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request
        .uri()
        .path_and_query()
        .map(ToString::to_string)
        .unwrap_or_default();
    let response = next.run(request).await;
    shared.lock().calls.push(Call {
        method,
        path,
        status: response.status().as_u16(),
    });
    response
}

type Answer = Result<(StatusCode, axum::Json<Value>), (StatusCode, axum::Json<Value>)>;

fn error(status: StatusCode, message: &str) -> (StatusCode, axum::Json<Value>) {
    (status, axum::Json(json!({ "message": message })))
}

fn ok(value: Value) -> Answer {
    Ok((StatusCode::OK, axum::Json(value)))
}

fn created(value: Value) -> Answer {
    Ok((StatusCode::CREATED, axum::Json(value)))
}

/// GitHub: a bearer (or `token`) authorization for the right repository.
fn github_auth(
    headers: &HeaderMap,
    owner: &str,
    repo: &str,
) -> Result<(), (StatusCode, axum::Json<Value>)> {
    let authorization = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    if authorization != format!("Bearer {GITHUB_TOKEN}")
        && authorization != format!("token {GITHUB_TOKEN}")
    {
        return Err(error(StatusCode::UNAUTHORIZED, "Bad credentials"));
    }
    if format!("{owner}/{repo}") != GITHUB_REPOSITORY {
        return Err(error(StatusCode::NOT_FOUND, "Not Found"));
    }
    Ok(())
}

/// GitLab: the project access token, for the right project.
fn gitlab_auth(headers: &HeaderMap, project: &str) -> Result<(), (StatusCode, axum::Json<Value>)> {
    if headers
        .get("private-token")
        .and_then(|value| value.to_str().ok())
        != Some(GITLAB_TOKEN)
    {
        return Err(error(StatusCode::UNAUTHORIZED, "401 Unauthorized"));
    }
    if project != GITLAB_PROJECT_ID.to_string() {
        return Err(error(StatusCode::NOT_FOUND, "404 Project Not Found"));
    }
    Ok(())
}

/// A JSON body (GitHub reads it whatever the content type says).
fn json_body(body: &Bytes) -> Result<Value, (StatusCode, axum::Json<Value>)> {
    serde_json::from_slice(body)
        .map_err(|_| error(StatusCode::BAD_REQUEST, "Problems parsing JSON"))
}

/// GitLab reads a JSON body only when it says it is JSON.
fn gitlab_body(
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Value, (StatusCode, axum::Json<Value>)> {
    let json = headers
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if !json {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "400 Bad request - send JSON with Content-Type: application/json",
        ));
    }
    json_body(body)
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

fn per_page(query: &HashMap<String, String>) -> usize {
    query
        .get("per_page")
        .and_then(|n| n.parse().ok())
        .unwrap_or(30)
}

fn gh_issue_json(issue: &Issue) -> Value {
    let mut value = json!({
        "number": issue.number,
        "title": issue.title,
        "body": issue.body,
        "state": if issue.open { "open" } else { "closed" },
        "labels": issue.labels.iter().map(|name| json!({ "name": name })).collect::<Vec<_>>(),
        "comments": issue.comments.len(),
    });
    if issue.pull.is_some() {
        value["pull_request"] = json!({ "url": format!("/pulls/{}", issue.number) });
    }
    value
}

async fn gh_list_issues(
    State(shared): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    github_auth(&headers, &owner, &repo)?;
    let labels: Vec<String> = query
        .get("labels")
        .map(|labels| labels.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let state = query.get("state").map_or("open", String::as_str);
    let mut issues: Vec<Value> = shared
        .lock()
        .github
        .issues
        .iter()
        .rev()
        .filter(|issue| labels.iter().all(|label| issue.labels.contains(label)))
        .filter(|issue| state == "all" || (state == "open") == issue.open)
        .map(gh_issue_json)
        .collect();
    issues.truncate(per_page(&query));
    ok(Value::Array(issues))
}

async fn gh_create_issue(
    State(shared): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    github_auth(&headers, &owner, &repo)?;
    let body = json_body(&body)?;
    let title = text(&body, "title")
        .ok_or_else(|| error(StatusCode::UNPROCESSABLE_ENTITY, "title is missing"))?;
    let mut state = shared.lock();
    let number = state
        .github
        .issues
        .iter()
        .map(|i| i.number)
        .max()
        .unwrap_or(0)
        + 1;
    let issue = Issue {
        number,
        title,
        body: text(&body, "body").unwrap_or_default(),
        open: true,
        labels: body["labels"]
            .as_array()
            .map(|labels| {
                labels
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        comments: Vec::new(),
        pull: None,
    };
    let answer = gh_issue_json(&issue);
    state.github.issues.push(issue);
    created(answer)
}

async fn gh_update_issue(
    State(shared): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, u64)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    github_auth(&headers, &owner, &repo)?;
    let body = json_body(&body)?;
    let mut state = shared.lock();
    let issue = state
        .github
        .issues
        .iter_mut()
        .find(|issue| issue.number == number)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "Not Found"))?;
    if let Some(text) = text(&body, "body") {
        issue.body = text;
    }
    match body.get("state").and_then(Value::as_str) {
        Some("closed") => issue.open = false,
        Some("open") => issue.open = true,
        Some(_) => return Err(error(StatusCode::UNPROCESSABLE_ENTITY, "bad state")),
        None => {}
    }
    ok(gh_issue_json(issue))
}

async fn gh_list_comments(
    State(shared): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, u64)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    github_auth(&headers, &owner, &repo)?;
    let state = shared.lock();
    let issue = state
        .github
        .issues
        .iter()
        .find(|issue| issue.number == number)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "Not Found"))?;
    let mut comments: Vec<Value> = issue
        .comments
        .iter()
        .map(|comment| json!({ "id": comment.id, "body": comment.body }))
        .collect();
    comments.truncate(per_page(&query));
    ok(Value::Array(comments))
}

async fn gh_create_comment(
    State(shared): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, u64)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    github_auth(&headers, &owner, &repo)?;
    let body = json_body(&body)?;
    let text = text(&body, "body")
        .ok_or_else(|| error(StatusCode::UNPROCESSABLE_ENTITY, "body is missing"))?;
    let mut state = shared.lock();
    let id = state.github.id();
    let issue = state
        .github
        .issues
        .iter_mut()
        .find(|issue| issue.number == number)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "Not Found"))?;
    issue.comments.push(Comment {
        id,
        body: text.clone(),
    });
    created(json!({ "id": id, "body": text }))
}

async fn gh_update_comment(
    State(shared): State<Shared>,
    Path((owner, repo, id)): Path<(String, String, u64)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    github_auth(&headers, &owner, &repo)?;
    let body = json_body(&body)?;
    let text = text(&body, "body")
        .ok_or_else(|| error(StatusCode::UNPROCESSABLE_ENTITY, "body is missing"))?;
    let mut state = shared.lock();
    let comment = state
        .github
        .issues
        .iter_mut()
        .flat_map(|issue| issue.comments.iter_mut())
        .find(|comment| comment.id == id)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "Not Found"))?;
    comment.body = text.clone();
    ok(json!({ "id": id, "body": text }))
}

async fn gh_commit_pulls(
    State(shared): State<Shared>,
    Path((owner, repo, sha)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Answer {
    github_auth(&headers, &owner, &repo)?;
    let pulls: Vec<Value> = shared
        .lock()
        .github
        .issues
        .iter()
        .filter_map(|issue| issue.pull.as_ref().map(|pull| (issue, pull)))
        .filter(|(_, (head, merge))| *head == sha || merge.as_deref() == Some(sha.as_str()))
        .map(|(issue, (head, merge))| {
            json!({
                "number": issue.number,
                "state": if issue.open { "open" } else { "closed" },
                "head": { "sha": head },
                "merge_commit_sha": merge,
                "merged_at": merge.as_ref().map(|_| "2026-11-21T12:00:00Z"),
            })
        })
        .collect();
    ok(Value::Array(pulls))
}

async fn gh_workflow_runs(
    State(shared): State<Shared>,
    Path((owner, repo, workflow)): Path<(String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    github_auth(&headers, &owner, &repo)?;
    let state = shared.lock();
    if !state.github.runs.iter().any(|run| run.workflow == workflow) {
        return Err(error(StatusCode::NOT_FOUND, "Not Found"));
    }
    let mut runs: Vec<Value> = state
        .github
        .runs
        .iter()
        .rev()
        .filter(|run| run.workflow == workflow)
        .filter(|run| query.get("event").is_none_or(|event| *event == run.event))
        .filter(|run| query.get("head_sha").is_none_or(|sha| *sha == run.head_sha))
        .filter(|run| match query.get("status").map(String::as_str) {
            None => true,
            Some("success") => run.success,
            Some("failure") => !run.success,
            Some("completed") => true,
            Some(_) => false,
        })
        .map(|run| {
            json!({
                "id": run.id,
                "event": run.event,
                "head_sha": run.head_sha,
                "status": "completed",
                "conclusion": if run.success { "success" } else { "failure" },
            })
        })
        .collect();
    let total = runs.len();
    runs.truncate(per_page(&query));
    ok(json!({ "total_count": total, "workflow_runs": runs }))
}

fn gl_note_json(note: &Comment) -> Value {
    json!({ "id": note.id, "body": note.body, "system": false })
}

fn gl_thread(
    threads: &mut [Thread],
    iid: u64,
) -> Result<&mut Thread, (StatusCode, axum::Json<Value>)> {
    threads
        .iter_mut()
        .find(|thread| thread.iid == iid)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "404 Not found"))
}

async fn gl_list_notes(
    State(shared): State<Shared>,
    Path((project, iid)): Path<(String, u64)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    gitlab_auth(&headers, &project)?;
    let mut state = shared.lock();
    let thread = gl_thread(&mut state.gitlab.merge_requests, iid)?;
    let mut notes: Vec<Value> = thread.notes.iter().map(gl_note_json).collect();
    // GitLab's default is newest first.
    if query.get("sort").map(String::as_str) != Some("asc") {
        notes.reverse();
    }
    notes.truncate(per_page(&query).min(100));
    ok(Value::Array(notes))
}

async fn gl_create_note(
    State(shared): State<Shared>,
    Path((project, iid)): Path<(String, u64)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    gitlab_auth(&headers, &project)?;
    let body = gitlab_body(&headers, &body)?;
    let text =
        text(&body, "body").ok_or_else(|| error(StatusCode::BAD_REQUEST, "400 body is missing"))?;
    let mut state = shared.lock();
    let id = state.gitlab.id();
    let note = Comment { id, body: text };
    gl_thread(&mut state.gitlab.merge_requests, iid)?
        .notes
        .push(note.clone());
    created(gl_note_json(&note))
}

async fn gl_update_note(
    State(shared): State<Shared>,
    Path((project, iid, note)): Path<(String, u64, u64)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    gitlab_auth(&headers, &project)?;
    let body = gitlab_body(&headers, &body)?;
    let text =
        text(&body, "body").ok_or_else(|| error(StatusCode::BAD_REQUEST, "400 body is missing"))?;
    let mut state = shared.lock();
    let thread = gl_thread(&mut state.gitlab.merge_requests, iid)?;
    let found = thread
        .notes
        .iter_mut()
        .find(|n| n.id == note)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "404 Not found"))?;
    found.body = text;
    ok(gl_note_json(found))
}

fn gl_mr_json(mr: &Thread, pipelines: &[Pipeline]) -> Value {
    let head_pipeline = mr
        .head_pipeline
        .and_then(|id| pipelines.iter().find(|p| p.id == id))
        .map(|p| json!({ "id": p.id, "sha": p.sha, "status": if p.success { "success" } else { "failed" } }));
    json!({
        "iid": mr.iid,
        "state": if mr.open { "opened" } else { "merged" },
        "sha": mr.sha,
        "merge_commit_sha": mr.merge_commit_sha,
        "head_pipeline": head_pipeline,
    })
}

async fn gl_merge_request(
    State(shared): State<Shared>,
    Path((project, iid)): Path<(String, u64)>,
    headers: HeaderMap,
) -> Answer {
    gitlab_auth(&headers, &project)?;
    let mut state = shared.lock();
    let state = &mut *state;
    let mr = gl_thread(&mut state.gitlab.merge_requests, iid)?;
    ok(gl_mr_json(mr, &state.gitlab.pipelines))
}

async fn gl_commit_merge_requests(
    State(shared): State<Shared>,
    Path((project, sha)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    gitlab_auth(&headers, &project)?;
    let state = shared.lock();
    let mrs: Vec<Value> = state
        .gitlab
        .merge_requests
        .iter()
        .filter(|mr| mr.sha == sha || mr.merge_commit_sha.as_deref() == Some(sha.as_str()))
        .map(|mr| gl_mr_json(mr, &state.gitlab.pipelines))
        .collect();
    ok(Value::Array(mrs))
}

async fn gl_pipeline_jobs(
    State(shared): State<Shared>,
    Path((project, pipeline)): Path<(String, u64)>,
    headers: HeaderMap,
) -> Answer {
    gitlab_auth(&headers, &project)?;
    let state = shared.lock();
    let pipeline = state
        .gitlab
        .pipelines
        .iter()
        .find(|p| p.id == pipeline)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "404 Not found"))?;
    let jobs: Vec<Value> = pipeline
        .jobs
        .iter()
        .map(|(id, name, success)| json!({ "id": id, "name": name, "status": if *success { "success" } else { "failed" } }))
        .collect();
    ok(Value::Array(jobs))
}

async fn gl_artifact(
    State(shared): State<Shared>,
    Path((project, job, path)): Path<(String, u64, String)>,
    headers: HeaderMap,
) -> Response {
    if let Err(answer) = gitlab_auth(&headers, &project) {
        return answer.into_response();
    }
    let file = shared.gitlab_artifacts.join(job.to_string()).join(&path);
    if path.contains("..") {
        return error(StatusCode::BAD_REQUEST, "400").into_response();
    }
    match std::fs::read(file) {
        Ok(bytes) => (StatusCode::OK, bytes).into_response(),
        Err(_) => error(StatusCode::NOT_FOUND, "404 Not found").into_response(),
    }
}

fn gl_issue_json(issue: &Thread) -> Value {
    json!({
        "iid": issue.iid,
        "title": issue.title,
        "description": issue.description,
        "state": if issue.open { "opened" } else { "closed" },
        "labels": issue.labels,
    })
}

async fn gl_list_issues(
    State(shared): State<Shared>,
    Path(project): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    gitlab_auth(&headers, &project)?;
    let labels: Vec<String> = query
        .get("labels")
        .map(|labels| labels.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let state = query.get("state").map_or("all", String::as_str);
    let mut issues: Vec<Value> = shared
        .lock()
        .gitlab
        .issues
        .iter()
        .rev()
        .filter(|issue| labels.iter().all(|label| issue.labels.contains(label)))
        .filter(|issue| match state {
            "opened" => issue.open,
            "closed" => !issue.open,
            _ => true,
        })
        .map(gl_issue_json)
        .collect();
    issues.truncate(per_page(&query).min(100));
    ok(Value::Array(issues))
}

async fn gl_create_issue(
    State(shared): State<Shared>,
    Path(project): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    gitlab_auth(&headers, &project)?;
    let body = gitlab_body(&headers, &body)?;
    let title = text(&body, "title")
        .ok_or_else(|| error(StatusCode::BAD_REQUEST, "400 title is missing"))?;
    let labels = match &body["labels"] {
        Value::String(labels) => labels.split(',').map(str::to_string).collect(),
        Value::Array(labels) => labels
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    let mut state = shared.lock();
    let iid = state.gitlab.issues.iter().map(|i| i.iid).max().unwrap_or(0) + 1;
    let issue = Thread {
        iid,
        title,
        description: text(&body, "description").unwrap_or_default(),
        open: true,
        labels,
        ..Thread::default()
    };
    let answer = gl_issue_json(&issue);
    state.gitlab.issues.push(issue);
    created(answer)
}

async fn gl_update_issue(
    State(shared): State<Shared>,
    Path((project, iid)): Path<(String, u64)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    gitlab_auth(&headers, &project)?;
    let body = gitlab_body(&headers, &body)?;
    let mut state = shared.lock();
    let issue = gl_thread(&mut state.gitlab.issues, iid)?;
    if let Some(description) = text(&body, "description") {
        issue.description = description;
    }
    match body.get("state_event").and_then(Value::as_str) {
        Some("close") => issue.open = false,
        Some("reopen") => issue.open = true,
        Some(_) => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "400 state_event does not have a valid value",
            ));
        }
        None => {}
    }
    ok(gl_issue_json(issue))
}

async fn gl_issue_note(
    State(shared): State<Shared>,
    Path((project, iid)): Path<(String, u64)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    gitlab_auth(&headers, &project)?;
    let body = gitlab_body(&headers, &body)?;
    let text =
        text(&body, "body").ok_or_else(|| error(StatusCode::BAD_REQUEST, "400 body is missing"))?;
    let mut state = shared.lock();
    let id = state.gitlab.id();
    let note = Comment { id, body: text };
    gl_thread(&mut state.gitlab.issues, iid)?
        .notes
        .push(note.clone());
    created(gl_note_json(&note))
}
