//! The rules a schema cannot express: references resolve, names are unique and follow the
//! naming rules, combinations make sense. Findings are by JSON pointer; the loader locates
//! them in the files.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;

use crate::diagnostic::{Diagnostic, Finding};
use crate::model::{
    ActivationMetricKind, Agent, Capacity, CapacityMode, Kind, LibraryMode, Manifest, MediaType,
    MemberGroup, MemberGroupType, Members, Mode, ObjectRef, Proficiencies, Queue,
    QueueMemberGroups, QueueWrapupCodes, RoutingSettings, SettingsPart,
};
use crate::names::{name_key, same_name};

/// Tolerance when adding weights, so that 0.1 + 0.2 + 0.7 is still 1.
const WEIGHT_TOLERANCE: f64 = 1e-9;

/// Every semantic finding in `manifest`.
pub(crate) fn check(manifest: &Manifest) -> Vec<Finding> {
    let mut rules = Rules {
        manifest,
        found: Vec::new(),
    };
    rules.org();
    rules.unique_names();
    rules.naming();
    rules.scope_and_protect();
    rules.divisions();
    rules.renames();
    rules.skill_groups();
    for (index, queue) in manifest.queues.iter().enumerate() {
        rules.queue(index, queue);
    }
    rules.agents();
    rules.org_utilization();
    rules.routing_settings();
    rules.found
}

/// Objects of one kind with their former names.
type Renames<'a> = Vec<(&'a str, &'a [String])>;

struct Rules<'a> {
    manifest: &'a Manifest,
    found: Vec<Finding>,
}

impl<'a> Rules<'a> {
    fn error(&mut self, pointer: String, message: String, hint: Option<&str>) {
        self.found.push(Finding::new(
            pointer,
            with_hint(Diagnostic::error("", message), hint),
        ));
    }

    /// An error about a map entry's key (e.g. an undeclared skill in a proficiency map).
    fn error_at_key(&mut self, pointer: String, message: String, hint: Option<&str>) {
        self.found
            .push(Finding::new(pointer, with_hint(Diagnostic::error("", message), hint)).at_key());
    }

    fn warning(&mut self, pointer: String, message: String, hint: Option<&str>) {
        self.found.push(Finding::new(
            pointer,
            with_hint(Diagnostic::warning("", message), hint),
        ));
    }

    fn names(&self, kind: Kind) -> Vec<&'a str> {
        self.manifest.names(kind)
    }

    fn declared(&self, kind: Kind) -> BTreeSet<&'a str> {
        self.names(kind).into_iter().collect()
    }

    fn org(&mut self) {
        let org = &self.manifest.org;
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if blank(&org.name) && blank(&org.id) {
            self.error(
                "/org".into(),
                "the org guard needs the org's name or id".into(),
                Some("add `name:` (as Genesys Cloud shows it) or `id:` under org"),
            );
        }
        if org.region.trim().is_empty() {
            self.error(
                "/org/region".into(),
                "the region is empty".into(),
                Some("use a region domain such as mypurecloud.ie"),
            );
        }
    }

    fn unique_names(&mut self) {
        for kind in Kind::ALL {
            let mut exact: BTreeMap<&str, usize> = BTreeMap::new();
            let mut folded: BTreeMap<String, &str> = BTreeMap::new();
            let names = self.names(kind);
            let mut findings = Vec::new();
            let mut spaced = Vec::new();
            for (index, name) in names.iter().enumerate() {
                let pointer = format!("/{}/{index}/name", kind.key());
                if name.trim() != *name {
                    spaced.push((
                        pointer.clone(),
                        format!(
                            "{} `{name}` begins or ends with whitespace, which switchboard ignores when it compares names",
                            kind.singular()
                        ),
                    ));
                }
                if let Some(first) = exact.insert(name, index) {
                    findings.push((
                        pointer,
                        format!(
                            "{} `{name}` is declared twice (first at {}[{first}])",
                            kind.singular(),
                            kind.key()
                        ),
                    ));
                } else if let Some(other) = folded.insert(name_key(name), name) {
                    findings.push((
                        pointer,
                        format!(
                            "{} `{name}` is the same name as `{other}`: names that differ only in case or surrounding spaces denote one object (docs/safety.md#one-rule-for-names)",
                            kind.singular()
                        ),
                    ));
                }
            }
            for (pointer, message) in spaced {
                self.warning(
                    pointer,
                    message,
                    Some("drop the spaces, unless the org spells the name with them"),
                );
            }
            for (pointer, message) in findings {
                self.error(
                    pointer,
                    message,
                    Some("names are unique per kind, compared without case and surrounding spaces; remove or rename one"),
                );
            }
        }
    }

    fn naming(&mut self) {
        let Some(rules) = &self.manifest.naming else {
            return;
        };
        let rules = rules.clone();
        for (kind, pattern) in rules {
            let pointer = format!("/naming/{}", kind.key());
            let regex = match Regex::new(&pattern) {
                Ok(regex) => regex,
                Err(error) => {
                    let problem = regex_problem(&error.to_string());
                    self.error(
                        pointer,
                        format!("invalid regular expression: {problem}"),
                        None,
                    );
                    continue;
                }
            };
            let misfits: Vec<(usize, String)> = self
                .names(kind)
                .into_iter()
                .enumerate()
                .filter(|(_, name)| !regex.is_match(name))
                .map(|(index, name)| (index, name.to_string()))
                .collect();
            for (index, name) in misfits {
                self.error(
                    format!("/{}/{index}/name", kind.key()),
                    format!(
                        "{} `{name}` does not match the naming rule `{pattern}`",
                        kind.singular()
                    ),
                    Some("rename it, or check that this manifest is for this region's org"),
                );
            }
        }
    }

    fn scope_and_protect(&mut self) {
        if let Some(scope) = &self.manifest.scope {
            let invalid: Vec<(Kind, String)> = scope
                .names
                .iter()
                .filter_map(|(kind, pattern)| {
                    Regex::new(pattern).err().map(|e| (*kind, e.to_string()))
                })
                .collect();
            for (kind, error) in invalid {
                self.error(
                    format!("/scope/names/{}", kind.key()),
                    format!("invalid regular expression: {}", regex_problem(&error)),
                    None,
                );
            }
        }
        let protect = self.manifest.protect.clone();
        for (index, entry) in protect.iter().enumerate() {
            let valid = entry.split_once(':').is_some_and(|(kind, name)| {
                Kind::ALL.iter().any(|k| k.singular() == kind) && !name.trim().is_empty()
            });
            if !valid {
                self.error(
                    format!("/protect/{index}"),
                    format!("`{entry}` is not `kind:name`"),
                    Some("write e.g. `queue:Billing EN`; kinds are skill, language, wrapupCode, skillGroup, queue, utilizationLabel"),
                );
            }
        }
    }

    fn divisions(&mut self) {
        let scoped: BTreeSet<String> = self
            .manifest
            .scope
            .as_ref()
            .map(|scope| scope.divisions.iter().cloned().collect())
            .unwrap_or_default();
        let m = self.manifest;
        let mut uses: Vec<(String, &str)> = Vec::new();
        uses.extend(m.skills.iter().enumerate().filter_map(|(i, s)| {
            s.division
                .as_deref()
                .map(|d| (format!("/skills/{i}/division"), d))
        }));
        // A wrap-up code may be in every division (`*`), which no scope lists.
        uses.extend(m.wrapup_codes.iter().enumerate().filter_map(|(i, c)| {
            c.division
                .as_deref()
                .filter(|d| *d != crate::model::ALL_DIVISIONS)
                .map(|d| (format!("/wrapupCodes/{i}/division"), d))
        }));
        uses.extend(m.skill_groups.iter().enumerate().filter_map(|(i, g)| {
            g.division
                .as_deref()
                .map(|d| (format!("/skillGroups/{i}/division"), d))
        }));
        uses.extend(m.queues.iter().enumerate().filter_map(|(i, q)| {
            q.division
                .as_deref()
                .map(|d| (format!("/queues/{i}/division"), d))
        }));
        for (pointer, division) in uses {
            if division == crate::model::ALL_DIVISIONS {
                self.error(
                    pointer,
                    "only a wrap-up code can be in every division (`*`)".into(),
                    Some("name one division"),
                );
            } else if !scoped.contains(division) {
                self.error(
                    pointer,
                    format!("division `{division}` is not in scope.divisions"),
                    Some("list every division the manifest uses under scope.divisions"),
                );
            }
        }
    }

    /// Former names (`renamedFrom`) of skills, wrap-up codes and queues: never the object's own
    /// name, never a name the manifest declares, never claimed by two objects.
    fn renames(&mut self) {
        let m: &'a Manifest = self.manifest;
        let kinds: [(Kind, Renames<'a>); 5] = [
            (
                Kind::Skills,
                m.skills
                    .iter()
                    .map(|s| (s.name.as_str(), s.renamed_from.as_slice()))
                    .collect(),
            ),
            (
                Kind::WrapupCodes,
                m.wrapup_codes
                    .iter()
                    .map(|c| (c.name.as_str(), c.renamed_from.as_slice()))
                    .collect(),
            ),
            (
                Kind::SkillGroups,
                m.skill_groups
                    .iter()
                    .map(|g| (g.name.as_str(), g.renamed_from.as_slice()))
                    .collect(),
            ),
            (
                Kind::Queues,
                m.queues
                    .iter()
                    .map(|q| (q.name.as_str(), q.renamed_from.as_slice()))
                    .collect(),
            ),
            (
                Kind::UtilizationLabels,
                m.utilization_labels
                    .iter()
                    .map(|l| (l.name.as_str(), l.renamed_from.as_slice()))
                    .collect(),
            ),
        ];
        for (kind, objects) in kinds {
            let declared = self.declared(kind);
            let mut claimed: BTreeMap<&str, &str> = BTreeMap::new();
            for (index, (name, former)) in objects.iter().enumerate() {
                for (i, old) in former.iter().enumerate() {
                    let pointer = format!("/{}/{index}/renamedFrom/{i}", kind.key());
                    let what = kind.singular();
                    if old == name {
                        self.error(
                            pointer,
                            format!("a {what} cannot be renamed from its own name"),
                            None,
                        );
                    } else if same_name(old, name) {
                        self.error(
                            pointer,
                            format!("`{old}` is the same name as `{name}` (case and surrounding spaces do not count), so it cannot be its former name"),
                            Some(if kind == Kind::Skills {
                                "drop it: the API cannot rename a skill, and switchboard never replaces one by a name the same as its own; see docs/safety.md#one-rule-for-names"
                            } else {
                                "drop it: an object the org spells otherwise is renamed in place without it"
                            }),
                        );
                    } else if declared.iter().any(|d| same_name(d, old)) {
                        self.error(
                            pointer,
                            format!("`{old}` is also declared as a {what}, so it cannot be the former name of `{name}`"),
                            Some("remove the old object from the manifest, or drop renamedFrom"),
                        );
                    } else if let Some(first) = claimed.insert(old.as_str(), name) {
                        self.error(
                            pointer,
                            format!("`{old}` is already the former name of {what} `{first}`"),
                            Some("an object can be renamed into one new name only"),
                        );
                    }
                }
            }
        }
    }

    /// Skill groups' conditions name declared skills and languages; member divisions are
    /// listed once each.
    fn skill_groups(&mut self) {
        let skills = self.declared(Kind::Skills);
        let languages = self.declared(Kind::Languages);
        let m: &'a Manifest = self.manifest;
        for (index, group) in m.skill_groups.iter().enumerate() {
            let mut named = Vec::new();
            for (i, condition) in group.skill_conditions.iter().enumerate() {
                condition.named(
                    &format!("/skillGroups/{index}/skillConditions/{i}"),
                    &mut named,
                );
            }
            for (is_skill, pointer, name) in named {
                let (declared, what, key) = if is_skill {
                    (&skills, "skill", "skills")
                } else {
                    (&languages, "language", "languages")
                };
                if !declared.contains(name.as_str()) {
                    let hint = undeclared(&name, declared, key, "");
                    self.error(
                        pointer,
                        format!("{what} `{name}` is not declared"),
                        Some(&hint),
                    );
                }
            }
            let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
            for (i, division) in group.member_divisions.iter().flatten().enumerate() {
                if let Some(first) = seen.insert(division.as_str(), i) {
                    self.error(
                        format!("/skillGroups/{index}/memberDivisions/{i}"),
                        format!("division `{division}` is listed twice (first at memberDivisions[{first}])"),
                        Some("list each division once"),
                    );
                }
            }
        }
    }

    fn queue(&mut self, index: usize, queue: &Queue) {
        let at = |rest: &str| format!("/queues/{index}{rest}");
        let queues = self.declared(Kind::Queues);
        if let Some(acw) = queue.acw_settings {
            match (acw.wrapup_prompt.takes_timeout(), acw.timeout_ms) {
                (true, None) => self.error(
                    at("/acwSettings"),
                    format!("wrapupPrompt {} needs timeoutMs", serde_name(&acw.wrapup_prompt)),
                    Some("add timeoutMs (1000 to 3600000)"),
                ),
                (false, Some(_)) => self.error(
                    at("/acwSettings/timeoutMs"),
                    format!("timeoutMs has no effect with wrapupPrompt {}", serde_name(&acw.wrapup_prompt)),
                    Some("remove timeoutMs, or use MANDATORY_TIMEOUT, MANDATORY_FORCED_TIMEOUT or AGENT_REQUESTED"),
                ),
                _ => {}
            }
        }
        for (i, rule) in queue.routing_rules.iter().flatten().enumerate() {
            if matches!(
                rule.operator,
                crate::model::RoutingRuleOperator::MeetsThreshold
            ) && rule.threshold.is_none()
            {
                self.error(
                    at(&format!("/routingRules/{i}")),
                    "a MEETS_THRESHOLD rule needs a threshold".into(),
                    None,
                );
            }
        }
        let scripts = queue
            .default_scripts
            .iter()
            .flat_map(|scripts| scripts.entries())
            .map(|(kind, script)| (format!("defaultScripts/{kind}"), script));
        let fields = [
            ("queueFlow", &queue.queue_flow),
            ("emailInQueueFlow", &queue.email_in_queue_flow),
            ("messageInQueueFlow", &queue.message_in_queue_flow),
            ("whisperPrompt", &queue.whisper_prompt),
            ("onHoldPrompt", &queue.on_hold_prompt),
        ]
        .into_iter()
        .map(|(name, object)| (name.to_string(), object))
        .chain(scripts);
        for (name, object) in fields {
            if let Some(ObjectRef { name: by_name, id }) = object
                && by_name.is_some() == id.is_some()
            {
                self.error(
                    at(&format!("/{name}")),
                    format!(
                        "{} needs exactly one of `name` or `id`",
                        name.replace('/', ".")
                    ),
                    None,
                );
            }
        }
        let rings = queue.bullseye.as_ref().map(|b| b.rings.len());
        if let Some(bullseye) = &queue.bullseye {
            let skills = self.declared(Kind::Skills);
            let last = bullseye.rings.len().saturating_sub(1);
            let mut findings = Vec::new();
            for (i, ring) in bullseye.rings.iter().enumerate() {
                if i < last && ring.expansion_timeout_seconds.is_none() {
                    findings.push((
                        at(&format!("/bullseye/rings/{i}")),
                        format!("ring {} needs expansionTimeoutSeconds", i + 1),
                        Some("every ring but the last expands after a timeout".to_string()),
                        true,
                    ));
                }
                if i == last && ring.expansion_timeout_seconds.is_some() {
                    findings.push((
                        at(&format!("/bullseye/rings/{i}/expansionTimeoutSeconds")),
                        "the last ring is the default ring; its timeout is ignored".into(),
                        Some("remove expansionTimeoutSeconds from the last ring".to_string()),
                        false,
                    ));
                }
                for (j, skill) in ring.skills_to_remove.iter().enumerate() {
                    if !skills.contains(skill.as_str()) {
                        findings.push((
                            at(&format!("/bullseye/rings/{i}/skillsToRemove/{j}")),
                            format!("skill `{skill}` is not declared"),
                            Some(undeclared(skill, &skills, "skills", "")),
                            true,
                        ));
                    }
                }
            }
            for (pointer, message, hint, is_error) in findings {
                if is_error {
                    self.error(pointer, message, hint.as_deref())
                } else {
                    self.warning(pointer, message, hint.as_deref())
                }
            }
            for (i, ring) in bullseye.rings.iter().enumerate() {
                if let Some(groups) = &ring.member_groups {
                    let pointer = at(&format!("/bullseye/rings/{i}/memberGroups"));
                    self.groups_once(&pointer, groups);
                }
            }
        }
        if let Some(cgr) = &queue.conditional_group_routing {
            for (i, rule) in cgr.rules.iter().enumerate() {
                if let Some(target) = &rule.queue
                    && !queues.contains(target.as_str())
                {
                    let hint = undeclared(
                        target,
                        &queues,
                        "queues",
                        ", or leave `queue` out to mean this queue",
                    );
                    self.error(
                        at(&format!("/conditionalGroupRouting/rules/{i}/queue")),
                        format!("queue `{target}` is not declared"),
                        Some(&hint),
                    );
                }
                if matches!(rule.metric, crate::model::GroupRoutingMetric::ServiceLevel)
                    && rule.condition_value > 1.0
                {
                    self.error(
                        at(&format!(
                            "/conditionalGroupRouting/rules/{i}/conditionValue"
                        )),
                        format!(
                            "a service level is between 0 and 1, not {}",
                            rule.condition_value
                        ),
                        Some("write 0.8 for 80 %"),
                    );
                }
            }
        }
        self.queue_settings(index, queue, &queues);
        if let Some(codes) = &queue.wrapup_codes {
            self.queue_wrapup_codes(index, codes);
        }
        if let Some(groups) = &queue.member_groups {
            self.member_groups(index, groups);
        }
        if let Some(members) = &queue.members {
            self.members(
                index,
                members,
                rings,
                queue.distribution.is_some_and(|d| d.normalize),
            );
        }
        if let Some(coverage) = &queue.coverage {
            self.coverage(index, coverage);
        }
    }

    /// The rules of the settings that name other objects: nested references, direct
    /// routing's backup queue, conditional group activation, libraries and email addresses.
    fn queue_settings(&mut self, index: usize, queue: &Queue, queues: &BTreeSet<&str>) {
        let at = |rest: &str| format!("/queues/{index}/{rest}");
        for (field, reference) in crate::references::nested_references(queue) {
            if let Some(ObjectRef { name, id }) = reference
                && name.is_some() == id.is_some()
            {
                self.error(
                    at(&field.manifest.join("/")),
                    format!(
                        "{} needs exactly one of `name` or `id`",
                        field.manifest.join(".")
                    ),
                    None,
                );
            }
        }
        let queue_named = |this: &mut Self, pointer: String, target: &str| {
            if !queues.contains(target) {
                let hint = undeclared(
                    target,
                    queues,
                    "queues",
                    ", or leave it out to mean this queue",
                );
                this.error(
                    pointer,
                    format!("queue `{target}` is not declared"),
                    Some(&hint),
                );
            }
        };
        if let Some(target) = queue
            .direct_routing
            .as_ref()
            .and_then(|d| d.backup_queue.as_deref())
        {
            queue_named(self, at("directRouting/backupQueue"), target);
        }
        if let Some(cga) = &queue.conditional_group_activation {
            let pilot = cga.pilot_rule.iter().map(|rule| {
                (
                    "pilotRule".to_string(),
                    &rule.conditions,
                    &rule.condition_expression,
                )
            });
            let rules = cga.rules.iter().flatten().enumerate().map(|(i, rule)| {
                (
                    format!("rules/{i}"),
                    &rule.conditions,
                    &rule.condition_expression,
                )
            });
            for (rule_at, conditions, expression) in pilot.chain(rules) {
                let rule_at = format!("conditionalGroupActivation/{rule_at}");
                for (c, condition) in conditions.iter().enumerate() {
                    let condition_at = format!("{rule_at}/conditions/{c}");
                    if let Some(target) = &condition.simple_metric.queue {
                        queue_named(
                            self,
                            at(&format!("{condition_at}/simpleMetric/queue")),
                            target,
                        );
                    }
                    if condition.simple_metric.metric == ActivationMetricKind::ServiceLevel
                        && !(0.0..=1.0).contains(&condition.value)
                    {
                        self.error(
                            at(&format!("{condition_at}/value")),
                            format!(
                                "a service level is between 0 and 1, not {}",
                                condition.value
                            ),
                            Some("write 0.8 for 80 %"),
                        );
                    }
                }
                if let Some(expression) = expression {
                    self.condition_expression(
                        at(&format!("{rule_at}/conditionExpression")),
                        expression,
                        conditions.len(),
                    );
                }
            }
            for (i, rule) in cga.rules.iter().flatten().enumerate() {
                let pointer = at(&format!("conditionalGroupActivation/rules/{i}/groups"));
                self.groups_once(&pointer, &rule.groups);
            }
        }
        if let Some(libraries) = &queue.canned_response_libraries {
            let pointer = at("cannedResponseLibraries");
            match (libraries.mode, libraries.libraries.is_empty()) {
                (LibraryMode::SelectedOnly, true) => self.error(
                    pointer.clone(),
                    "mode SelectedOnly needs `libraries`".into(),
                    Some("list the libraries by name, or use mode All or None"),
                ),
                (LibraryMode::All | LibraryMode::None, false) => self.error(
                    format!("{pointer}/libraries"),
                    format!(
                        "libraries are listed only with mode SelectedOnly, not {}",
                        serde_name(&libraries.mode)
                    ),
                    Some("use mode SelectedOnly, or remove `libraries`"),
                ),
                _ => {}
            }
            let mut seen = BTreeSet::new();
            for (i, name) in libraries.libraries.iter().enumerate() {
                if !seen.insert(crate::names::name_key(name)) {
                    self.error(
                        format!("{pointer}/libraries/{i}"),
                        format!("library `{name}` is listed twice"),
                        Some("list each library once"),
                    );
                }
            }
        }
        let all = queue
            .media_settings
            .as_ref()
            .and_then(|m| m.email.as_ref())
            .and_then(|e| e.all_outbound_email_addresses.as_ref());
        let mut seen = BTreeSet::new();
        for (i, address) in all.into_iter().flatten().enumerate() {
            let pointer = at(&format!(
                "mediaSettings/email/allOutboundEmailAddresses/{i}"
            ));
            if !address.contains('@') {
                self.error(
                    pointer,
                    format!("`{address}` is not an email address"),
                    Some("write the address the route receives, e.g. billing@support.example.com"),
                );
            } else if !seen.insert(address.to_ascii_lowercase()) {
                self.error(
                    pointer,
                    format!("address `{address}` is listed twice"),
                    Some("list each address once"),
                );
            }
        }
    }

    /// A conditional group activation expression may name only conditions `C1`..`Cn` of its
    /// rule.
    fn condition_expression(&mut self, pointer: String, expression: &str, conditions: usize) {
        // Words `C<digits>` (either case), as the expression's operands.
        let named: Vec<usize> = expression
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter_map(|word| word.strip_prefix(['C', 'c']))
            .filter_map(|digits| digits.parse().ok())
            .collect();
        if let Some(n) = named.iter().find(|n| **n == 0 || **n > conditions) {
            self.error(
                pointer,
                format!("the expression names C{n}, but the rule has {conditions} condition(s)"),
                Some("name the conditions C1, C2, ... in the order they are listed"),
            );
        }
    }

    fn coverage(&mut self, index: usize, coverage: &crate::model::Coverage) {
        let skills = self.declared(Kind::Skills);
        let mut seen = BTreeSet::new();
        for (i, skill) in coverage.required_skills.iter().enumerate() {
            let pointer = format!("/queues/{index}/coverage/requiredSkills/{i}");
            if !skills.contains(skill.as_str()) {
                let hint = undeclared(skill, &skills, "skills", "");
                self.error(
                    pointer,
                    format!("skill `{skill}` is not declared"),
                    Some(&hint),
                );
            } else if !seen.insert(skill.as_str()) {
                self.error(
                    pointer,
                    format!("skill `{skill}` is required twice"),
                    Some("list each required skill once"),
                );
            }
        }
    }

    fn member_groups(&mut self, index: usize, groups: &QueueMemberGroups) {
        let at = format!("/queues/{index}/memberGroups");
        if groups.mode == Mode::Ignore && !groups.groups.is_empty() {
            self.error(
                format!("{at}/groups"),
                "member groups are listed under mode `ignore`".into(),
                Some("use mode authoritative or additive, or remove the list"),
            );
            return;
        }
        self.groups_once(&format!("{at}/groups"), &groups.groups);
    }

    /// Each group of a list once, by type and name (the name rule).
    fn groups_once(&mut self, at: &str, groups: &[MemberGroup]) {
        let list = at.rsplit('/').next().unwrap_or_default();
        let mut seen: BTreeMap<(MemberGroupType, String), usize> = BTreeMap::new();
        let mut findings = Vec::new();
        for (i, group) in groups.iter().enumerate() {
            if let Some(first) = seen.insert((group.kind, name_key(&group.name)), i) {
                findings.push((
                    format!("{at}/{i}"),
                    format!(
                        "group `{}` is listed twice (first at {list}[{first}])",
                        group.name
                    ),
                ));
            }
        }
        for (pointer, message) in findings {
            self.error(pointer, message, Some("list each group once"));
        }
    }

    fn queue_wrapup_codes(&mut self, index: usize, codes: &QueueWrapupCodes) {
        let at = |rest: String| format!("/queues/{index}/wrapupCodes{rest}");
        if codes.mode == Mode::Ignore && !codes.codes.is_empty() {
            self.error(
                at("/codes".into()),
                "codes are listed under mode `ignore`".into(),
                Some("use mode authoritative or additive, or remove the list"),
            );
            return;
        }
        let declared = self.declared(Kind::WrapupCodes);
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut findings = Vec::new();
        for (i, code) in codes.codes.iter().enumerate() {
            if !declared.contains(code.as_str()) {
                findings.push((
                    at(format!("/codes/{i}")),
                    format!("wrap-up code `{code}` is not declared"),
                    undeclared(code, &declared, "wrapupCodes", ""),
                ));
            } else if let Some(first) = seen.insert(code.as_str(), i) {
                findings.push((
                    at(format!("/codes/{i}")),
                    format!("wrap-up code `{code}` is listed twice (first at codes[{first}])"),
                    "list each code once".to_string(),
                ));
            }
        }
        for (pointer, message, hint) in findings {
            self.error(pointer, message, Some(&hint));
        }
    }

    fn members(&mut self, index: usize, members: &Members, rings: Option<usize>, normalize: bool) {
        let at = |rest: String| format!("/queues/{index}/members{rest}");
        if members.mode == Mode::Ignore && !members.users.is_empty() {
            self.error(
                at("/users".into()),
                "members are listed under mode `ignore`".into(),
                Some("use mode authoritative or additive, or remove the list"),
            );
            return;
        }
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut total_weight = 0.0;
        let mut weighted = false;
        for (i, member) in members.users.iter().enumerate() {
            let pointer = at(format!("/users/{i}"));
            if let Some(problem) = email_problem(&member.user) {
                self.error(
                    format!("{pointer}/user"),
                    format!("`{}` is not an email address: {problem}", member.user),
                    None,
                );
            }
            if let Some(first) = seen.insert(member.user.to_lowercase(), i) {
                self.error(
                    format!("{pointer}/user"),
                    format!(
                        "member `{}` is listed twice (first at users[{first}])",
                        member.user
                    ),
                    Some("list each member once"),
                );
            }
            if member.ring.is_some() && member.weight.is_some() {
                self.error(
                    pointer.clone(),
                    "a member has either a ring or a weight, not both".into(),
                    Some("a weight is realised as a ring; drop one of them"),
                );
            }
            if let Some(ring) = member.ring {
                match rings {
                    None if ring > 1 => self.error(
                        format!("{pointer}/ring"),
                        format!("ring {ring} is used, but the queue declares no bullseye rings"),
                        Some("declare bullseye rings on the queue, or leave the member in ring 1"),
                    ),
                    Some(count) if usize::from(ring) > count => self.error(
                        format!("{pointer}/ring"),
                        format!("ring {ring} is beyond the queue's {count} bullseye rings"),
                        Some("add rings to the bullseye, or use a lower ring"),
                    ),
                    _ => {}
                }
            }
            if let Some(weight) = member.weight {
                weighted = true;
                // An out-of-range weight is reported on its own; it does not also count
                // towards the sum.
                total_weight += weight.clamp(0.0, 1.0);
            }
        }
        if weighted && rings.is_none() {
            self.error(
                at("/users".into()),
                "weighted members need bullseye rings: weights are realised as ring numbers".into(),
                Some("declare bullseye rings (2 to 6) on the queue"),
            );
        }
        if weighted && !normalize && total_weight > 1.0 + WEIGHT_TOLERANCE {
            self.error(
                at("/users".into()),
                format!("the members' weights add up to {}, more than 1", round(total_weight)),
                Some("lower the weights, or set `distribution: {normalize: true}` on the queue to rescale them"),
            );
        }
    }

    fn agents(&mut self) {
        let skills = self.declared(Kind::Skills);
        let languages = self.declared(Kind::Languages);
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let agents: Vec<Agent> = self.manifest.agents.clone();
        for (index, agent) in agents.iter().enumerate() {
            let pointer = format!("/agents/{index}");
            if let Some(problem) = email_problem(&agent.user) {
                self.error(
                    format!("{pointer}/user"),
                    format!("`{}` is not an email address: {problem}", agent.user),
                    None,
                );
            }
            if let Some(first) = seen.insert(agent.user.to_lowercase(), index) {
                self.error(
                    format!("{pointer}/user"),
                    format!(
                        "agent `{}` is listed twice (first at agents[{first}])",
                        agent.user
                    ),
                    Some("merge the two entries"),
                );
            }
            for (field, set, declared, what) in [
                ("skills", &agent.skills, &skills, "skill"),
                ("languages", &agent.languages, &languages, "language"),
            ] {
                let Some(Proficiencies { mode, proficiency }) = set else {
                    continue;
                };
                if *mode == Mode::Ignore && !proficiency.is_empty() {
                    self.error(
                        format!("{pointer}/{field}/proficiency"),
                        format!("{field} are listed under mode `ignore`"),
                        Some("use mode authoritative or additive, or remove the list"),
                    );
                    continue;
                }
                let unknown: Vec<String> = proficiency
                    .keys()
                    .filter(|name| !declared.contains(name.as_str()))
                    .cloned()
                    .collect();
                for name in unknown {
                    self.error_at_key(
                        format!(
                            "{pointer}/{field}/proficiency/{}",
                            name.replace('~', "~0").replace('/', "~1")
                        ),
                        format!("{what} `{name}` is not declared"),
                        Some(&undeclared(&name, declared, field, "")),
                    );
                }
            }
            if let Some(capacity) = &agent.capacity {
                self.capacity(&format!("{pointer}/capacity"), capacity);
            }
        }
    }

    /// The org's routing settings: a part written without a field is read as "manage it" but
    /// manages nothing (absent is unmanaged), so it is pointed out. Values are the schema's.
    fn routing_settings(&mut self) {
        let Some(settings) = self.manifest.routing_settings.as_ref() else {
            return;
        };
        let hint = Some("set a field in it, or remove the key");
        for part in [SettingsPart::ContactCenter, SettingsPart::Transcription] {
            let written = match part {
                SettingsPart::ContactCenter => settings.contact_center.is_some(),
                _ => settings.transcription.is_some(),
            };
            if let Some(key) = part.key()
                && written
                && !settings.manages(part)
            {
                self.warning(
                    format!("/routingSettings/{key}"),
                    format!("`{key}` sets no field: it is neither read nor changed"),
                    hint,
                );
            }
        }
        if settings == &RoutingSettings::default() {
            self.warning(
                "/routingSettings".into(),
                "`routingSettings` sets no field: the routing settings are neither read nor changed".into(),
                hint,
            );
        }
    }

    /// The org's utilization: an agent's capacity, without `orgDefault` (the org has no
    /// default of its own to return to).
    fn org_utilization(&mut self) {
        let Some(utilization) = self.manifest.utilization.clone() else {
            return;
        };
        if utilization.mode == CapacityMode::OrgDefault {
            self.error(
                "/utilization/mode".into(),
                "the org's utilization cannot use mode `orgDefault`".into(),
                Some("orgDefault is for agents; use authoritative, additive or ignore"),
            );
            return;
        }
        self.capacity("/utilization", &utilization);
    }

    /// A capacity lists settings only under a mode that sets them; under `authoritative`,
    /// each media type says its maximum capacity (there is nothing else to take it from);
    /// a media type is listed once among those that may interrupt another.
    fn capacity(&mut self, at: &str, capacity: &Capacity) {
        let listed = !capacity.media().is_empty()
            || capacity.max_inbound_calls.is_some()
            || capacity.labels.is_some();
        if listed
            && matches!(
                capacity.mode,
                CapacityMode::OrgDefault | CapacityMode::Ignore
            )
        {
            let mode = serde_name(&capacity.mode);
            self.error(
                format!("{at}/mode"),
                format!("capacity settings are listed under mode `{mode}`"),
                Some(if capacity.mode == CapacityMode::OrgDefault {
                    "the org default applies whole: remove the settings, or use mode authoritative or additive"
                } else {
                    "use mode authoritative or additive, or remove the settings"
                }),
            );
            return;
        }
        let labels = self.declared(Kind::UtilizationLabels);
        for (name, settings) in capacity.labels.iter().flatten() {
            let pointer = format!("{at}/labels/{}", name.replace('~', "~0").replace('/', "~1"));
            if !labels.contains(name.as_str()) {
                self.error_at_key(
                    pointer.clone(),
                    format!("utilization label `{name}` is not declared"),
                    Some(&undeclared(name, &labels, "utilizationLabels", "")),
                );
            }
            if capacity.mode == CapacityMode::Authoritative && settings.maximum_capacity.is_none() {
                self.error(
                    pointer.clone(),
                    format!("label `{name}` is listed without maximumCapacity under mode `authoritative`"),
                    Some("add `maximumCapacity:`, or use mode additive to set only some fields"),
                );
            }
            let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
            for (i, other) in settings.interrupting_labels.iter().flatten().enumerate() {
                let at = format!("{pointer}/interruptingLabels/{i}");
                if !labels.contains(other.as_str()) {
                    self.error(
                        at,
                        format!("utilization label `{other}` is not declared"),
                        Some(&undeclared(other, &labels, "utilizationLabels", "")),
                    );
                } else if let Some(first) = seen.insert(other.as_str(), i) {
                    self.error(
                        at,
                        format!(
                            "label `{other}` is listed twice (first at interruptingLabels[{first}])"
                        ),
                        Some("list each label once"),
                    );
                }
            }
        }
        for (media, settings) in capacity.media() {
            let pointer = format!("{at}/{}", media.as_str());
            if capacity.mode == CapacityMode::Authoritative && settings.maximum_capacity.is_none() {
                self.error(
                    pointer.clone(),
                    format!(
                        "{} is listed without maximumCapacity under mode `authoritative`",
                        media.as_str()
                    ),
                    Some("add `maximumCapacity:` (0 to 25), or use mode additive to set only some fields"),
                );
            }
            let mut seen: BTreeMap<MediaType, usize> = BTreeMap::new();
            for (i, other) in settings
                .interruptable_media_types
                .iter()
                .flatten()
                .enumerate()
            {
                if let Some(first) = seen.insert(*other, i) {
                    self.error(
                        format!("{pointer}/interruptableMediaTypes/{i}"),
                        format!(
                            "media type `{}` is listed twice (first at interruptableMediaTypes[{first}])",
                            other.as_str()
                        ),
                        Some("list each media type once"),
                    );
                }
            }
        }
    }
}

/// The hint for `name`, which the manifest's names of its kind (`declared`, listed under
/// `key`) lack: the nearest declared name when one is near, as every misspelt key gets, then
/// how to declare it (and `otherwise`, another way out).
fn undeclared(name: &str, declared: &BTreeSet<&str>, key: &str, otherwise: &str) -> String {
    match crate::names::closest(name, declared.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? Otherwise declare it under {key}{otherwise}"),
        None => format!("declare it under {key}{otherwise}"),
    }
}

fn with_hint(diagnostic: Diagnostic, hint: Option<&str>) -> Diagnostic {
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// The regex crate's message without its "error:" prefix and the pattern it repeats.
fn regex_problem(message: &str) -> String {
    let last = message.lines().last().unwrap_or_default().trim();
    last.strip_prefix("error:")
        .unwrap_or(last)
        .trim()
        .to_string()
}

/// Why `email` is not a plausible address, if it is not.
pub fn email_problem(email: &str) -> Option<&'static str> {
    let Some((local, domain)) = email.split_once('@') else {
        return Some("no @");
    };
    if local.is_empty() || domain.is_empty() {
        return Some("nothing before or after the @");
    }
    if domain.contains('@') {
        return Some("more than one @");
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it contains spaces");
    }
    if !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return Some("the domain is not a host name");
    }
    None
}

fn round(value: f64) -> f64 {
    (value * 1_000_000.0).round() / 1_000_000.0
}

/// The wire name of an enum value.
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::email_problem;

    #[test]
    fn emails_are_checked_for_shape() {
        for (email, ok) in [
            ("ana@acme.com", true),
            ("ana.b+x@sub.acme.co.uk", true),
            ("ana", false),
            ("@acme.com", false),
            ("ana@", false),
            ("ana@acme", false),
            ("ana@@acme.com", false),
            ("ana b@acme.com", false),
            ("ana@acme..com", false),
        ] {
            assert_eq!(email_problem(email).is_none(), ok, "{email}");
        }
    }
}
