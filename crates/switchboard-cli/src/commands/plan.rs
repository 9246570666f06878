//! `switchboard plan`: load the manifest, read the org at the request floor, diff, render.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use secrecy::ExposeSecret;
use switchboard_client::Client;
use switchboard_fetch::{fetch_guard_inputs, fetch_skill_group_members};
use switchboard_guard::Forecast;
use switchboard_manifest::{Live, Manifest};
use switchboard_plan::document::{PlanDocument, json};
use switchboard_plan::render::{MARKDOWN_LIMIT, TextStyle, markdown, text};
use switchboard_plan::{Plan, PlanError, Warning, diff};

use super::Outcome;
use super::org::{connect, load_manifest_checked, read};
use crate::cli::{PlanArgs, PlanFormat, PolicyArgs};
use crate::secret::plan_key;
use crate::settings::Settings;
use crate::terminal::colour_stdout;

/// Plans; exit 2 with `--detailed-exitcode` when there are changes; exit 1 with `--strict`
/// when the plan has warnings (the plan is still shown, and no plan file is written).
pub async fn run(args: &PlanArgs) -> anyhow::Result<Outcome> {
    let settings = Settings::resolve(
        &args.connection,
        None,
        &crate::settings::ChecksArgs::of(&args.strict, None),
        Some(&args.path),
    )?;
    // The key is read before anything is sent: a broken key setting fails fast.
    let key = match &args.out {
        Some(_) => plan_key()?,
        None => None,
    };
    let Some(Planned { manifest, plan, .. }) =
        plan_manifest(&args.path, args.env.as_deref(), &args.policy, &settings).await?
    else {
        return Ok(Outcome::Failure);
    };
    let output = render(&plan, args.format);
    std::io::stdout().lock().write_all(output.as_bytes())?;
    refuse_warnings(&settings, "plan's", &plan.warnings)?;
    if let Some(out) = &args.out {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let key = key.as_ref().map(|k| k.expose_secret().as_bytes());
        let document = PlanDocument::file(&plan, &manifest, &now, key).to_json();
        std::fs::write(out, document)
            .with_context(|| format!("could not write the plan file {}", out.display()))?;
        tracing::info!(
            file = %out.display(),
            sealed = key.is_some(),
            "plan file written"
        );
    }
    Ok(if args.detailed_exitcode && !plan.changes.is_empty() {
        Outcome::Changes
    } else {
        Outcome::Success
    })
}

/// With `--strict`, the error listing `whose` (`plan's`, `report's`) warnings, each of
/// which counts as one.
pub(crate) fn refuse_warnings(
    settings: &Settings,
    whose: &str,
    warnings: &[Warning],
) -> anyhow::Result<()> {
    if !settings.strict.value || warnings.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = warnings
        .iter()
        .map(|w| format!("  - {}: {}", w.subject, w.message))
        .collect();
    bail!(
        "refusing: --strict ({}) makes the {whose} {} warning(s) errors:\n{}\nhint: fix what each names (an account, a protect entry, a spelling), or drop --strict",
        settings.strict.source,
        warnings.len(),
        list.join("\n")
    )
}

/// A manifest planned against the org, and what the plan was made with.
pub(crate) struct Planned {
    /// The manifest (with its environment overlay).
    pub manifest: Manifest,
    /// The client for its org.
    pub client: Client,
    /// The org as read (with what the guards read).
    pub live: Live,
    /// The plan, guards evaluated.
    pub plan: Plan,
}

/// What `plan` and `apply` do first: load and validate the manifest (`None`, its findings
/// printed, when it has an error), read the `--forecast` file, connect, read the org, and
/// make the guarded plan. Nothing is sent before the manifest and the forecast are valid.
pub(crate) async fn plan_manifest(
    path: &Path,
    env: Option<&str>,
    args: &PolicyArgs,
    settings: &Settings,
) -> anyhow::Result<Option<Planned>> {
    let Some(manifest) = load_manifest_checked(path, env, settings.strict.value)? else {
        return Ok(None);
    };
    let forecast = load_forecast(args)?;
    let client = connect(&manifest, settings)?;
    let mut live = read(&client, &manifest).await?;
    refuse_unmatched_targets(&args.policy(), &manifest, &live)?;
    let plan = guarded_plan(&client, &manifest, &mut live, args, forecast.as_ref())
        .await
        .map_err(|error| located(error, path, env))?;
    Ok(Some(Planned {
        manifest,
        client,
        live,
        plan,
    }))
}

/// A `--target` that names nothing, in the manifest or the org, is an error: planning nothing
/// for it would read as "no changes".
pub(crate) fn refuse_unmatched_targets(
    policy: &switchboard_plan::Policy,
    manifest: &Manifest,
    live: &Live,
) -> anyhow::Result<()> {
    let unmatched = policy.unmatched_targets(manifest, live);
    if unmatched.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = unmatched.iter().map(|t| format!("`{t}`")).collect();
    bail!(
        "--target {} matches nothing in the manifest or the org\nhint: check the spelling (KIND:NAME, e.g. queue:Billing EN or agent:ana@example.com); names compare without case and surrounding spaces",
        list.join(", ")
    )
}

/// `error`, with each reference the org does not resolve (a `PlanError::UnresolvedReferences`)
/// placed at the `file:line:column` of the manifest that makes it, like a validation finding.
pub(crate) fn located(error: anyhow::Error, path: &Path, env: Option<&str>) -> anyhow::Error {
    let Some(PlanError::UnresolvedReferences { problems }) = error.downcast_ref::<PlanError>()
    else {
        return error;
    };
    let loaded = switchboard_manifest::load(
        path,
        &switchboard_manifest::LoadOptions {
            env: env.map(String::from),
            ..switchboard_manifest::LoadOptions::default()
        },
    );
    let findings: String = problems
        .iter()
        .map(|problem| {
            let finding = switchboard_manifest::Diagnostic::error("", problem.message.clone())
                .with_hint(problem.hint.clone());
            format!("{}\n", loaded.locate(&problem.pointer, finding))
        })
        .collect();
    anyhow::anyhow!(
        "refusing to plan: {} the org does not resolve; nothing was changed\n{}hint: fix the names above (or the objects in Genesys Cloud), then plan again",
        if problems.len() == 1 {
            "a reference the manifest makes".to_string()
        } else {
            format!("{} references the manifest makes", problems.len())
        },
        findings.trim_end_matches('\n').to_string() + "\n"
    )
}

/// The `--forecast` file, read and checked before anything is sent to the org.
fn load_forecast(args: &PolicyArgs) -> anyhow::Result<Option<Forecast>> {
    // The error's message already names its cause; converting it whole would print the
    // cause a second time in the error chain.
    args.forecast
        .as_deref()
        .map(Forecast::load)
        .transpose()
        .map_err(|error| anyhow::anyhow!("{error}"))
}

/// The plan of `manifest` against `live` under the flags' policy, with skill coverage and
/// (given a forecast) the capacity guard evaluated: what they need beyond the snapshot —
/// the queue members' users and the agents' capacity — is read into `live` first.
async fn guarded_plan(
    client: &Client,
    manifest: &Manifest,
    live: &mut Live,
    args: &PolicyArgs,
    forecast: Option<&Forecast>,
) -> anyhow::Result<Plan> {
    let policy = args.policy();
    let mut plan = diff(manifest, live, &policy)?;
    let mut needs = switchboard_guard::needs(&plan, manifest, live, forecast);
    // The members of skill groups the plan adds or removes are users to read too.
    if !needs.skill_groups.is_empty() {
        fetch_skill_group_members(client, live, &needs.skill_groups).await?;
        needs = switchboard_guard::needs(&plan, manifest, live, forecast);
    }
    if !needs.is_empty() {
        fetch_guard_inputs(client, live, &needs.users, &needs.capacity).await?;
    }
    switchboard_guard::evaluate(&mut plan, manifest, live, forecast, policy.force);
    Ok(plan)
}

/// The plan in `format`; text is coloured only on a terminal without `NO_COLOR`.
pub(crate) fn render(plan: &Plan, format: PlanFormat) -> String {
    match format {
        PlanFormat::Text => text(
            plan,
            &TextStyle {
                color: colour_stdout(),
            },
        ),
        PlanFormat::Json => json(plan),
        PlanFormat::Markdown => markdown(plan, MARKDOWN_LIMIT),
    }
}
