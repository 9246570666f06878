//! Utilization labels (API-FACTS-LOOKUPS L2.2): created by name, renamed in place
//! (`renamedFrom`), and deleted under `prune.utilizationLabels` only when no agent uses one.
//! switchboard never deletes with `forceDelete`, which would remove agents' label
//! utilizations the plan never showed.

use serde_json::Value;
use switchboard_manifest::model::Kind;

use super::objects::{former_still_live, name_attribute};
use super::{Cx, PlanError};
use crate::model::{
    Action, Address, AttributeChange, Change, Refusal, RefusalReason, ResourceKind,
};

pub(super) fn plan(cx: &mut Cx<'_>) -> Result<(), PlanError> {
    let manifest = cx.manifest;
    let live = cx.live;
    for label in &manifest.utilization_labels {
        let address = Address::new(ResourceKind::UtilizationLabel, &label.name);
        let found = cx
            .find_declared(
                ResourceKind::UtilizationLabel,
                &label.name,
                &label.renamed_from,
            )?
            .and_then(|n| live.utilization_labels.get_key_value(n));
        let Some((found_as, found)) = found else {
            cx.creating
                .insert((ResourceKind::UtilizationLabel, label.name.clone()));
            let mut change = Change::new(address, Action::Create);
            change.attributes.push(name_attribute(&label.name));
            cx.changes.push(change);
            continue;
        };
        former_still_live(
            cx,
            Kind::UtilizationLabels,
            &label.name,
            &label.renamed_from,
            found_as,
        );
        let mut attributes = Vec::new();
        if found_as != &label.name {
            attributes.push(AttributeChange {
                path: "name".into(),
                before: Some(Value::String(found_as.clone())),
                after: Some(Value::String(label.name.clone())),
            });
        }
        cx.update(address, &found.id, found_as, attributes, 0);
    }
    Ok(())
}

/// Refuses the delete of a label agents still use (or whose use was not read): the API
/// would refuse it too, and forcing it would remove their label utilizations unseen.
pub(super) fn refuse_in_use(live: &switchboard_manifest::Live, deletes: &mut [Change]) {
    for change in deletes
        .iter_mut()
        .filter(|c| c.address.kind == ResourceKind::UtilizationLabel)
    {
        let agents = live
            .utilization_labels
            .get(&change.address.name)
            .and_then(|l| l.agents);
        let message = match agents {
            Some(0) => continue,
            Some(n) => format!(
                "{n} agent{} still use{} it (GET /api/v2/routing/utilization/labels/{{labelId}}/agents); remove it from their label utilizations first, and a later plan deletes it",
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" },
            ),
            None => {
                "who uses it was not read, so its delete cannot be justified; run the plan again"
                    .into()
            }
        };
        change.refused = Some(Refusal {
            reason: RefusalReason::InUse,
            message,
        });
    }
}
