//! `drift --since DURATION`: compare only what the audit trail says changed in the window,
//! so the check costs O(changes) rather than O(org); a full check when the audit trail
//! cannot say.

use std::time::Duration;

use anyhow::Context;
use chrono::{SecondsFormat, TimeDelta, Utc};
use switchboard_client::Client;
use switchboard_drift::recent::{self, RecentChanges};
use switchboard_drift::{Plans, Report, Since, Targeted, classify, compare_changed};
use switchboard_manifest::Manifest;

use super::org::read;
use crate::terminal::ReadProgress;

/// The report of the objects changed in the last `window`, or of the whole org when the
/// audit query fails (said on stderr).
pub async fn report_since(
    client: &Client,
    manifest: &Manifest,
    window: Duration,
) -> anyhow::Result<Report> {
    let window = TimeDelta::from_std(window).context("the --since window is too long")?;
    let recent = match recent::recent_changes(client, window, Utc::now()).await {
        Ok(recent) => recent,
        Err(error) => {
            eprintln!("note: {error}; checking the whole org instead");
            let live = read(client, manifest).await?;
            return Ok(classify(&Plans::of(manifest, &live)?, &live));
        }
    };
    let progress = ReadProgress::new("reading what changed");
    let targeted = compare_changed(client, manifest, &recent.entities, &progress).await;
    progress.finish();
    let Targeted {
        mut report,
        compared,
        ..
    } = targeted?;
    let checked = compared.iter().map(ToString::to_string).collect();
    report.since = Some(since(&recent, checked));
    Ok(report)
}

fn since(recent: &RecentChanges, checked: Vec<String>) -> Since {
    let time = |t: Option<chrono::DateTime<Utc>>| {
        t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    Since {
        start: time(recent.start),
        end: time(recent.end),
        audit_records: recent.records,
        checked,
    }
}
