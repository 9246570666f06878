//! The knobs of a plan that do not come from the manifest: `--force`, the blast-radius
//! threshold, and `--target`.

use std::fmt;
use std::str::FromStr;

use switchboard_manifest::model::Kind;
use switchboard_manifest::names::same_name;
use switchboard_manifest::{Live, Manifest};

use crate::model::{Address, ResourceKind};

/// How a plan is made.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Lift the blast-radius thresholds (`--force`). `protect` still holds.
    pub force: bool,
    /// Refuse updates, or deletes, of more than this share of a kind (0 to 1; 0.3 is 30 %).
    pub max_change_share: f64,
    /// ... once the kind has at least this many objects in the org.
    pub min_objects: usize,
    /// Only plan these objects (`--target KIND:NAME`); everything when empty.
    pub targets: Vec<Target>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            force: false,
            max_change_share: 0.30,
            min_objects: 10,
            targets: Vec::new(),
        }
    }
}

impl Policy {
    /// Whether a change at `address` is inside the `--target` selection.
    pub fn targets(&self, address: &Address) -> bool {
        self.targets.is_empty() || self.targets.iter().any(|t| t.matches(address))
    }
}

/// `--target KIND:NAME`: a skill, language, wrap-up code or queue by name (a queue includes
/// its members and wrap-up codes), or an agent by email (its skills and languages).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    /// What kind of object.
    pub kind: TargetKind,
    /// Its name, or the agent's email.
    pub name: String,
}

/// The kinds `--target` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TargetKind {
    /// `skill:NAME`.
    Skill,
    /// `language:NAME`.
    Language,
    /// `wrapupCode:NAME`.
    WrapupCode,
    /// `skillGroup:NAME`.
    SkillGroup,
    /// `queue:NAME`.
    Queue,
    /// `agent:EMAIL`.
    Agent,
    /// `utilization:org`: the org's utilization.
    Utilization,
    /// `utilizationLabel:NAME`.
    UtilizationLabel,
    /// `routingSettings:org`: the org's routing settings.
    RoutingSettings,
}

impl Target {
    /// Whether `address` belongs to this target.
    pub fn matches(&self, address: &Address) -> bool {
        let kinds: &[ResourceKind] = match self.kind {
            TargetKind::Skill => &[ResourceKind::Skill],
            TargetKind::Language => &[ResourceKind::Language],
            TargetKind::WrapupCode => &[ResourceKind::WrapupCode],
            TargetKind::SkillGroup => &[ResourceKind::SkillGroup],
            TargetKind::Queue => &[
                ResourceKind::Queue,
                ResourceKind::QueueMembers,
                ResourceKind::QueueWrapupCodes,
            ],
            TargetKind::Agent => &[
                ResourceKind::AgentSkills,
                ResourceKind::AgentLanguages,
                ResourceKind::AgentCapacity,
            ],
            TargetKind::Utilization => &[ResourceKind::OrgUtilization],
            TargetKind::RoutingSettings => &[ResourceKind::RoutingSettings],
            TargetKind::UtilizationLabel => &[ResourceKind::UtilizationLabel],
        };
        let same = if self.kind == TargetKind::Agent {
            address.name.eq_ignore_ascii_case(&self.name)
        } else {
            same_name(&address.name, &self.name)
        };
        same && kinds.contains(&address.kind)
    }
}

impl Policy {
    /// The targets that name nothing: no object of their kind in the manifest or in the org
    /// (by the name rule; agents by email, among the manifest's agents and the users read).
    /// A target that matches nothing is almost always a typo, and planning nothing for it
    /// would read as "no changes".
    pub fn unmatched_targets(&self, manifest: &Manifest, live: &Live) -> Vec<&Target> {
        self.targets
            .iter()
            .filter(|target| {
                let name = target.name.as_str();
                let named = |names: Vec<&str>| names.into_iter().any(|n| same_name(n, name));
                let kind = match target.kind {
                    TargetKind::Skill => Kind::Skills,
                    TargetKind::Language => Kind::Languages,
                    TargetKind::WrapupCode => Kind::WrapupCodes,
                    TargetKind::SkillGroup => Kind::SkillGroups,
                    TargetKind::Queue => Kind::Queues,
                    TargetKind::UtilizationLabel => Kind::UtilizationLabels,
                    TargetKind::Utilization => return manifest.utilization.is_none(),
                    TargetKind::RoutingSettings => {
                        return manifest.routing_settings.is_none() || !same_name(name, crate::ORG);
                    }
                    TargetKind::Agent => {
                        return !manifest
                            .agents
                            .iter()
                            .any(|a| a.user.eq_ignore_ascii_case(name))
                            && !live.users.contains_key(&name.to_lowercase());
                    }
                };
                !named(manifest.names(kind)) && !named(live.names(kind))
            })
            .collect()
    }
}

/// A `--target` that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid target {given:?}: expected KIND:NAME with KIND one of skill, language, wrapupCode, skillGroup, queue, agent, utilization, utilizationLabel, routingSettings (e.g. queue:Billing EN, utilization:org, routingSettings:org)"
)]
pub struct TargetError {
    /// What was given.
    pub given: String,
}

impl FromStr for Target {
    type Err = TargetError;

    fn from_str(given: &str) -> Result<Self, Self::Err> {
        let error = || TargetError {
            given: given.to_string(),
        };
        let (kind, name) = given.split_once(':').ok_or_else(error)?;
        let kind = match kind {
            "skill" => TargetKind::Skill,
            "language" => TargetKind::Language,
            "wrapupCode" => TargetKind::WrapupCode,
            "skillGroup" => TargetKind::SkillGroup,
            "queue" => TargetKind::Queue,
            "agent" => TargetKind::Agent,
            "utilization" => TargetKind::Utilization,
            "routingSettings" => TargetKind::RoutingSettings,
            "utilizationLabel" => TargetKind::UtilizationLabel,
            _ => return Err(error()),
        };
        if name.is_empty() {
            return Err(error());
        }
        Ok(Target {
            kind,
            name: name.to_string(),
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TargetKind::Skill => "skill",
            TargetKind::Language => "language",
            TargetKind::WrapupCode => "wrapupCode",
            TargetKind::SkillGroup => "skillGroup",
            TargetKind::Queue => "queue",
            TargetKind::Agent => "agent",
            TargetKind::Utilization => "utilization",
            TargetKind::UtilizationLabel => "utilizationLabel",
            TargetKind::RoutingSettings => "routingSettings",
        };
        write!(f, "{kind}:{}", self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_and_select_a_queue_with_its_collections() {
        let target: Target = "queue:Billing EN".parse().unwrap();
        assert!(target.matches(&Address::new(ResourceKind::Queue, "Billing EN")));
        assert!(target.matches(&Address::new(ResourceKind::QueueMembers, "Billing EN")));
        assert!(!target.matches(&Address::new(ResourceKind::Skill, "Billing EN")));
        assert!(!target.matches(&Address::new(ResourceKind::Queue, "Billing")));
        assert_eq!(target.to_string(), "queue:Billing EN");
        let agent: Target = "agent:Ana@Example.com".parse().unwrap();
        assert!(agent.matches(&Address::new(ResourceKind::AgentSkills, "ana@example.com")));
        assert!(agent.matches(&Address::new(
            ResourceKind::AgentCapacity,
            "ana@example.com"
        )));
        let org: Target = "utilization:org".parse().unwrap();
        assert!(org.matches(&Address::new(ResourceKind::OrgUtilization, "org")));
        assert!(!org.matches(&Address::new(ResourceKind::AgentCapacity, "org")));
        assert_eq!(org.to_string(), "utilization:org");
        let settings: Target = "routingSettings:org".parse().unwrap();
        assert!(settings.matches(&Address::new(ResourceKind::RoutingSettings, "org")));
        assert!(!settings.matches(&Address::new(ResourceKind::OrgUtilization, "org")));
        assert_eq!(settings.to_string(), "routingSettings:org");
        for bad in ["queue", "queues:X", "queue:", ":X"] {
            let err = bad.parse::<Target>().unwrap_err();
            assert!(err.to_string().contains("KIND:NAME"), "{err}");
        }
    }

    #[test]
    fn a_routing_settings_target_matches_only_a_declared_section_named_org() {
        let policy = |target: &str| Policy {
            targets: vec![target.parse().unwrap()],
            ..Policy::default()
        };
        let live = Live::default();
        let mut manifest = Manifest::default();
        let org = policy("routingSettings:org");
        assert_eq!(
            org.unmatched_targets(&manifest, &live).len(),
            1,
            "not declared"
        );
        manifest.routing_settings = Some(switchboard_manifest::model::RoutingSettings {
            reset_agent_score_on_presence_change: Some(true),
            ..Default::default()
        });
        assert!(org.unmatched_targets(&manifest, &live).is_empty());
        let other = policy("routingSettings:acme");
        assert_eq!(
            other.unmatched_targets(&manifest, &live).len(),
            1,
            "one per org: `org`"
        );
    }
}
