//! `switchboard apply`: a reviewed plan file applied exactly (refused when stale, for
//! another org, or edited), or a manifest planned, shown and applied after confirmation.
//! Then a new plan must be empty (verification), and every step goes to the audit log.
//! What it prints is text, or Markdown for a pull-request comment (see `render`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, IsTerminal, Write};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use secrecy::ExposeSecret;
use switchboard_apply::verify::{left_over, settle};
use switchboard_apply::{AuditLog, Status, stale};
use switchboard_client::Client;
use switchboard_fetch::fetch;
use switchboard_manifest::Manifest;
use switchboard_plan::document::{FileFacts, PlanDocument, unjustified};
use switchboard_plan::render::markdown;
use switchboard_plan::{Action, Address, Plan, Policy, RefusalReason, diff};

use super::Outcome;
use super::org::{connect, read};
use super::plan::render as render_plan;
use super::plan::{Planned, plan_manifest, refuse_warnings};
use crate::cli::{ApplyArgs, ApplyFormat, PlanFormat};
use crate::secret::plan_key;
use crate::settings::Settings;
use render::{audit_line, plan_room, step_line, steps_heading, summary, verification};

mod render;

/// Applies; exit 1 unless every step applied and the org then matches the manifest.
pub async fn run(args: &ApplyArgs) -> anyhow::Result<Outcome> {
    let settings = Settings::resolve(
        &args.connection,
        args.audit_log.as_deref(),
        &crate::settings::ChecksArgs::of(&args.strict, Some(&args.plan_age)),
        Some(&args.path),
    )?;
    let audit_log = &settings.audit_log.value;
    let mut out = Out::new(args.format);
    let from_file = args.path.is_file()
        && args
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let (plan, manifest, policy, client, live) = if from_file {
        let text = std::fs::read_to_string(&args.path)
            .with_context(|| format!("could not read {}", args.path.display()))?;
        if args.policy.forecast.is_some() {
            bail!(
                "--forecast applies when planning: a plan file already holds the capacity guard's verdict\nhint: make the plan with `switchboard plan --forecast FILE --out plan.json`"
            );
        }
        let key = plan_key()?;
        let (plan, manifest, facts) =
            PlanDocument::read_file(&text, key.as_ref().map(|k| k.expose_secret().as_bytes()))
                .with_context(|| format!("{} is refused", args.path.display()))?;
        check_age(&facts, &settings)
            .with_context(|| format!("{} is refused", args.path.display()))?;
        let client = connect(&manifest, &settings)?;
        let live = read(&client, &manifest).await?;
        if live.org.id != plan.org.id {
            bail!(
                "the plan file was made for org {:?} ({}), but the credentials belong to org {:?} ({})\nhint: use the credentials of the org the plan was made for",
                plan.org.name,
                plan.org.id,
                live.org.name,
                live.org.id
            );
        }
        let stale = stale(&plan, &live);
        if !stale.is_empty() {
            let list: Vec<String> = stale.iter().map(|s| format!("  - {s}")).collect();
            bail!(
                "the plan is stale: {}\n{}\nhint: make the plan again (switchboard plan --out FILE) and review it",
                stale[0],
                list.join("\n")
            );
        }
        // Every change the file holds must be one its own manifest calls for, against the
        // org as it is now, under the plan's own policy: a delete added to the file, or one
        // its scope and prune settings no longer allow, is refused.
        let again = diff(
            &manifest,
            &live,
            &Policy {
                force: plan.forced,
                ..Policy::default()
            },
        )
        .with_context(|| format!("{} is refused", args.path.display()))?;
        let unjustified = unjustified(&plan, &again);
        if !unjustified.is_empty() {
            let list: Vec<String> = unjustified.iter().map(|c| format!("  - {c}")).collect();
            bail!(
                "{} is refused: its manifest, planned again against the org, does not make these changes:\n{}\nhint: the file was edited, or the org changed since; make the plan again (switchboard plan --out FILE) and review it",
                args.path.display(),
                list.join("\n")
            );
        }
        // The plan's own policy: what was refused stays refused; --force was recorded.
        let policy = Policy {
            force: plan.forced,
            ..Policy::default()
        };
        refuse_warnings(&settings, "plan's", &plan.warnings)?;
        (plan, manifest, policy, client, live)
    } else {
        let Some(Planned {
            manifest,
            client,
            live,
            plan,
        }) = plan_manifest(&args.path, args.env.as_deref(), &args.policy, &settings).await?
        else {
            return Ok(Outcome::Failure);
        };
        let policy = args.policy.policy();
        out.block(&match args.format {
            ApplyFormat::Text => render_plan(&plan, PlanFormat::Text),
            // As `plan --format markdown`, in the room the steps leave in a comment.
            ApplyFormat::Markdown => markdown(&plan, plan_room(&plan)),
        })?;
        refuse_warnings(&settings, "plan's", &plan.warnings)?;
        if plan.is_empty() {
            return held_back(&plan, &mut out);
        }
        if !args.auto_approve && !confirmed(args.format)? {
            out.block("Apply cancelled; nothing was changed.\n")?;
            return Ok(Outcome::Failure);
        }
        (plan, manifest, policy, client, live)
    };

    if plan.is_empty() {
        out.block("No changes to apply.\n")?;
        return held_back(&plan, &mut out);
    }
    let checksum = PlanDocument::of(&plan).checksum;
    let mut audit = AuditLog::open(audit_log, &checksum, plan.forced)
        .with_context(|| format!("could not open the audit log {}", audit_log.display()))?;
    let started = Instant::now();
    out.block(&steps_heading(&plan, !from_file, args.format))?;
    // Each step is logged as it ends: a run killed half-way leaves the steps it finished.
    let mut logged = Ok(());
    // The skills replaced, by the address of their replace: its steps name the old one.
    let replaced: BTreeMap<&Address, &str> = plan
        .runnable()
        .filter(|c| c.action == Action::Replace)
        .filter_map(|c| Some((&c.address, c.renamed_from.as_deref()?)))
        .collect();
    let report = switchboard_apply::run_observed(&client, &plan, &live, |step| {
        if logged.is_ok() {
            logged = audit.step(step);
        }
        // One line per step as it ends; a closed stdout does not stop the run.
        let line = step_line(step, replaced.get(&step.address).copied(), args.format);
        let _ = std::io::stdout().lock().write_all(line.as_bytes());
    })
    .await;
    logged
        .and_then(|()| audit.distributions(&plan, &report))
        .with_context(|| format!("could not write the audit log {}", audit_log.display()))?;
    out.block(&summary(&plan, &report, args.format))?;

    let touched: BTreeSet<Address> = plan.runnable().map(|c| c.address.clone()).collect();
    let not_converged = verify(&client, &manifest, &policy, &touched).await;
    let warnings: Vec<String> = plan
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.subject, w.message))
        .collect();
    let duration = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    audit
        .finish(&report, duration, &not_converged, &warnings)
        .with_context(|| format!("could not write the audit log {}", audit_log.display()))?;
    let not_applied = report
        .steps
        .iter()
        .filter(|s| !matches!(s.status, Status::Applied | Status::Adopted))
        .count();
    out.block(&verification(not_applied, &not_converged, args.format))?;
    out.block(&audit_line(audit_log, audit.run_id(), args.format))?;
    let held_back = held_back(&plan, &mut out)?;
    Ok(
        if report.succeeded() && not_converged.is_empty() && held_back == Outcome::Success {
            Outcome::Success
        } else {
            Outcome::Failure
        },
    )
}

/// How far a plan file's clock may be ahead of this one's (clock skew between the machine
/// that planned and the one that applies).
const CLOCK_SKEW: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// A plan file must say when it was written, not in the future, and no longer ago than
/// `--max-plan-age`.
fn check_age(facts: &FileFacts, settings: &Settings) -> anyhow::Result<()> {
    let Some(written) = &facts.created_at else {
        bail!(
            "the plan file does not say when it was written (made by an older switchboard)\nhint: make the plan again with this switchboard (switchboard plan --out FILE)"
        );
    };
    let written = chrono::DateTime::parse_from_rfc3339(written)
        .map_err(|_| anyhow::anyhow!("the plan file's created_at {written:?} is not a time"))?
        .with_timezone(&chrono::Utc);
    let now = chrono::Utc::now();
    if written > now + CLOCK_SKEW {
        bail!(
            "the plan file says it was written at {written}, in the future\nhint: check this machine's clock, or make the plan again"
        );
    }
    let limit = &settings.max_plan_age;
    let age = (now - written).to_std().unwrap_or_default();
    if age > limit.value {
        bail!(
            "the plan file was written {} ago, longer than the {} allowed ({})\nhint: make the plan again and review it, or raise --max-plan-age",
            crate::duration::describe(age),
            crate::duration::describe(limit.value),
            limit.source
        );
    }
    Ok(())
}

/// Failure, after saying so, when safety policy held back changes that `--force` or a
/// manifest edit would let through (blast radius, capacity guard, skill coverage, and what
/// depends on them): the org then does not match the manifest. Protected objects are the
/// manifest's standing wish, not a failure.
fn held_back(plan: &Plan, out: &mut Out) -> anyhow::Result<Outcome> {
    let held: Vec<String> = plan
        .refused()
        .filter(|c| {
            c.refused
                .as_ref()
                .is_some_and(|r| r.reason != RefusalReason::Protected)
        })
        .map(|c| c.address.kind.describe(&c.address.name))
        .collect();
    if held.is_empty() {
        return Ok(Outcome::Success);
    }
    out.block(&render::held_back(&held, out.format))?;
    Ok(Outcome::Failure)
}

/// Asks on the terminal; without one, refuses (pipelines pass --auto-approve or a plan file).
/// With Markdown, stdout is a document: the question goes to stderr.
fn confirmed(format: ApplyFormat) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "refusing to apply without confirmation: there is no terminal to ask on\nhint: review the plan and pass --auto-approve, or apply a saved plan file (switchboard plan --out plan.json)"
        );
    }
    let question = "\nDo you want to apply these changes? Only 'yes' is accepted: ";
    match format {
        ApplyFormat::Text => print(question)?,
        ApplyFormat::Markdown => {
            let mut stderr = std::io::stderr().lock();
            stderr.write_all(question.as_bytes())?;
            stderr.flush()?;
        }
    }
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim() == "yes")
}

/// How long verification waits for the org to show what was written (see
/// `switchboard_apply::verify`).
const SETTLING_WINDOW: Duration = Duration::from_secs(45);

/// Plans again after the writes: whatever the plan touched and a new plan still changes
/// (refused changes aside) did not converge. That also catches a perpetual diff.
async fn verify(
    client: &Client,
    manifest: &Manifest,
    policy: &Policy,
    touched: &BTreeSet<Address>,
) -> Vec<String> {
    settle(SETTLING_WINDOW, || async {
        let live = match fetch(client, manifest).await {
            Ok(live) => live,
            Err(error) => {
                return vec![format!(
                    "the org could not be read again to verify: {error}"
                )];
            }
        };
        match diff(manifest, &live, policy) {
            Ok(plan) => left_over(&plan, Some(touched)),
            Err(error) => vec![format!(
                "the org could not be planned again to verify: {error}"
            )],
        }
    })
    .await
}

/// Apply's stdout, block by block: Markdown blocks are separated by a blank line (text ones
/// follow each other, as they always have).
#[derive(Debug)]
struct Out {
    format: ApplyFormat,
    /// Whether anything was printed yet.
    started: bool,
}

impl Out {
    fn new(format: ApplyFormat) -> Out {
        Out {
            format,
            started: false,
        }
    }

    /// Prints `text` (nothing when it is empty), after a blank line in Markdown when
    /// something came before.
    fn block(&mut self, text: &str) -> anyhow::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        if self.format == ApplyFormat::Markdown && self.started {
            print("\n")?;
        }
        self.started = true;
        print(text)
    }
}

fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}
