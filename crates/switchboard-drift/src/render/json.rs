//! The report as JSON: versioned, sorted, the same bytes for the same inputs. Documented in
//! `docs/drift.md`.

use serde::{Deserialize, Serialize};
use switchboard_plan::{PlanOrg, Warning};

use crate::model::{
    AttributionSummary, Coverage, DriftObject, FORMAT_VERSION, Report, Since, Summary,
};

/// The JSON document of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftDocument {
    /// `"1.0"`.
    pub format_version: String,
    /// The switchboard version that wrote it.
    pub switchboard_version: String,
    /// The org compared.
    pub org: PlanOrg,
    /// `sha256:<hex>` of the manifest's canonical JSON.
    pub manifest_hash: String,
    /// No object counts as drift.
    pub in_sync: bool,
    /// The counts.
    pub summary: Summary,
    /// Managed ÷ (managed + unmanaged), overall and per kind.
    pub coverage: Coverage,
    /// How attribution went, over which window.
    pub attribution: AttributionSummary,
    /// Every differing object, sorted by class, kind and name.
    pub objects: Vec<DriftObject>,
    /// What the comparison skipped.
    pub warnings: Vec<Warning>,
    /// Only for `--since`: the window, and the objects compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Since>,
}

impl DriftDocument {
    /// The document of `report`.
    pub fn of(report: &Report) -> DriftDocument {
        DriftDocument {
            format_version: FORMAT_VERSION.to_string(),
            switchboard_version: env!("CARGO_PKG_VERSION").to_string(),
            org: report.org.clone(),
            manifest_hash: report.manifest_hash.clone(),
            in_sync: report.in_sync(),
            summary: report.summary(),
            coverage: report.coverage.clone(),
            attribution: report.attribution.clone(),
            objects: report.objects.clone(),
            warnings: report.warnings.clone(),
            since: report.since.clone(),
        }
    }
}

/// The report as pretty JSON, ending with a newline.
pub fn json(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(&DriftDocument::of(report)).unwrap_or_default();
    out.push('\n');
    out
}
