//! The plan as GitHub-flavoured Markdown, for pull-request comments and CI job summaries.

use std::fmt::Write as _;

use crate::model::{Action, Change, ElementOp, Plan, ResourceKind};
use crate::render::text::summary_line;
use crate::render::values::{self, COMMENT, Line, NONE};

/// The most characters a GitHub comment (and a job summary, per step) holds.
pub const MARKDOWN_LIMIT: usize = 65_536;

/// The plan as Markdown, at most `limit` characters (counted as `char`s).
///
/// In order: a `> [!WARNING]` callout when the plan deletes anything; the org and a table of
/// counts; bullet lists of what is created, updated, replaced, destroyed and removed from
/// collections, of what safety policy refused and of the warnings; then one `<details>` block
/// per change with its diff (the lines of the text renderer, signs moved to the first column
/// so that GitHub colours them), folded in a `<details>` section per kind. The lists put
/// what a reviewer must not miss first: destroyed objects, removed elements, refused changes,
/// then creates, updates and replaces, then warnings.
///
/// When it does not fit, it degrades in this order, and says so in a closing note: the
/// `<details>` blocks are dropped from the end; then the create, update and replace lists are
/// cut short (`… and N more`); then the warnings, then the refused changes; last, removed
/// elements are counted per collection instead of named. Deletions are never dropped: every
/// destroyed object (and every replaced skill's old name) is always listed, with the count of
/// removed elements of every collection. So the result exceeds `limit` only when those
/// alone, with the title and counts, do not fit — thousands of deletions, or a tiny `limit`.
///
/// Names are user data: they are shown in `<code>` (no mentions, links or emoji) with every
/// Markdown and HTML character as an entity, and diffs sit in a fence longer than any run of
/// backticks they hold.
pub fn markdown(plan: &Plan, limit: usize) -> String {
    let doc = Doc::new(plan, limit);
    let mut layout = Layout {
        details: doc.details.len(),
        caps: [None; 3],
        compact: vec![false; doc.removals.len()],
        over: false,
    };
    if doc.measure(&layout) <= limit {
        return doc.render(&layout);
    }
    // What can be cut, least needed first.
    let knobs = [
        Knob::Details,
        Knob::Cap(CHANGES),
        Knob::Cap(WARNINGS),
        Knob::Cap(REFUSED),
    ];
    for knob in knobs {
        if doc.shrink(&mut layout, knob) {
            return doc.render(&layout);
        }
    }
    // Last, count removed elements instead of naming them, for as few collections as needed.
    layout.compact.fill(true);
    if doc.measure(&layout) > limit {
        // Only the deletions are left, and they do not fit: they are all shown anyway.
        layout.over = true;
        return doc.render(&layout);
    }
    for i in 0..layout.compact.len() {
        layout.compact[i] = false;
        if doc.measure(&layout) > limit {
            layout.compact[i] = true;
        }
    }
    // Then give the room that is left back, most needed first.
    for knob in knobs.into_iter().rev() {
        doc.shrink(&mut layout, knob);
    }
    doc.render(&layout)
}

/// The largest `k` in `0..=hi` for which `fits(k)` (`None` if not even 0 fits), by binary
/// search: lengths grow with `k` all but (a `… and N more` line can be longer than one item)
/// always, and the `k` returned fits whatever.
fn largest(hi: usize, fits: impl Fn(usize) -> bool) -> Option<usize> {
    let (mut lo, mut hi) = (0, hi);
    if !fits(lo) {
        return None;
    }
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Some(lo)
}

/// The lists that can be cut short: indexes into [`Layout::caps`] and [`Doc::capped`].
const CHANGES: usize = 0;
const WARNINGS: usize = 1;
const REFUSED: usize = 2;

/// What is cut to make the document fit.
#[derive(Debug, Clone)]
struct Layout {
    /// How many `<details>` blocks are kept (from the start).
    details: usize,
    /// How many items the lists keep: the create/update/replace lists, the warnings, the
    /// refused changes.
    caps: [Option<usize>; 3],
    /// Per collection with removed elements: counted rather than named.
    compact: Vec<bool>,
    /// Whether even the least there is to show is over the limit.
    over: bool,
}

/// One thing [`Doc::shrink`] can cut.
#[derive(Debug, Clone, Copy)]
enum Knob {
    /// The number of `<details>` blocks.
    Details,
    /// The length of some lists.
    Cap(usize),
}

/// A piece of text and its length in chars.
#[derive(Debug, Clone)]
struct Text {
    text: String,
    chars: usize,
}

impl Text {
    fn new(text: String) -> Text {
        Text {
            chars: text.chars().count(),
            text,
        }
    }
}

/// A heading line and one line per item (each without its newline).
#[derive(Debug, Clone)]
struct List {
    heading: String,
    items: Vec<Text>,
}

/// A collection with removed elements: named, or counted.
#[derive(Debug, Clone)]
struct Removal {
    full: Text,
    compact: Text,
}

/// Every part of the document, rendered once; the layout picks which to show.
#[derive(Debug)]
struct Doc {
    limit: usize,
    /// Always shown: the callout, the title and the counts.
    head: Vec<String>,
    /// Create, update, replace.
    changes: Vec<List>,
    /// Destroyed objects (and replaced skills' old names): always shown in full.
    destroy: List,
    /// The heading of the removals.
    removals_heading: String,
    removals: Vec<Removal>,
    refused: List,
    warnings: List,
    /// Each runnable change's diff, with its kind (the plan orders changes by kind).
    details: Vec<(ResourceKind, Text)>,
}

/// Where the document is written: a string, or just a count.
#[derive(Debug)]
struct Out {
    text: Option<String>,
    chars: usize,
}

impl Out {
    fn push(&mut self, text: &str) {
        self.push_counted(text, text.chars().count());
    }

    fn push_counted(&mut self, text: &str, chars: usize) {
        self.chars += chars;
        if let Some(out) = &mut self.text {
            out.push_str(text);
        }
    }

    /// Starts a block: an empty line after the one before.
    fn block(&mut self) {
        if self.chars > 0 {
            self.push("\n");
        }
    }

    fn line(&mut self, text: &Text) {
        self.push_counted(&text.text, text.chars);
        self.push("\n");
    }
}

impl Doc {
    fn new(plan: &Plan, limit: usize) -> Doc {
        let mut head = Vec::new();
        let summary = plan.summary();
        let refused: Vec<&Change> = plan.refused().collect();
        let org = format!("org {} (id {})", code(&plan.org.name), code(&plan.org.id));
        if plan.is_empty() && refused.is_empty() {
            head.push("No changes. The org matches the manifest.\n".to_string());
            head.push(format!("{}.\n", capitalize(&org)));
        } else {
            if plan.has_deletions() {
                head.push(callout(plan));
            }
            let mut title = format!("### switchboard plan for {org}\n\n");
            title.push_str("| To add | To change | To destroy | Refused | Warnings |\n");
            title.push_str("| ---: | ---: | ---: | ---: | ---: |\n");
            let _ = writeln!(
                title,
                "| {} | {} | {} | {} | {} |",
                summary.add, summary.change, summary.destroy, summary.refused, summary.warnings
            );
            head.push(title);
            let mut about = format!("**{}**", summary_line(summary));
            if plan.is_empty() {
                about.push_str(" Safety policy refused every change: nothing will be done.");
            }
            let _ = write!(about, " Manifest {}.", code(&plan.manifest_hash));
            if plan.forced {
                about.push_str(
                    " `--force` lifted the blast-radius thresholds; protection still holds.",
                );
            }
            about.push('\n');
            head.push(about);
            head.extend(super::routing::markdown_blocks(plan));
        }

        let mut create = List::new("Create");
        let mut update = List::new("Update in place");
        let mut replace = List::new("Replace");
        let mut destroy = List::new("Destroy");
        let mut removals = Vec::new();
        let mut removed = 0;
        for change in plan.runnable() {
            let what = code(&change.address.kind.describe(&change.address.name));
            match change.action {
                Action::Create => create.item(format!("{what}{}", gist(change))),
                Action::Update => update.item(format!("{what}{}", gist(change))),
                Action::Replace => {
                    let mut item = what.clone();
                    if let Some(old) = &change.renamed_from {
                        let _ = write!(
                            item,
                            " replaces {}",
                            code(&change.address.kind.describe(old))
                        );
                    }
                    item.push_str(&gist(change));
                    replace.item(item);
                    let old = change
                        .renamed_from
                        .as_deref()
                        .unwrap_or(&change.address.name);
                    let mut item =
                        format!("{}{}", code(&change.address.kind.describe(old)), id(change));
                    let _ = write!(item, ", replaced by {what}");
                    destroy.item(item);
                }
                Action::Delete => destroy.item(format!("{what}{}", id(change))),
            }
            let keys: Vec<String> = change
                .elements
                .iter()
                .filter(|e| e.op == ElementOp::Remove)
                .map(|e| code(&e.key))
                .collect();
            if !keys.is_empty() {
                removed += keys.len();
                let (noun, _) = values::element_noun(change.address.kind);
                let count = values::plural(keys.len(), noun);
                removals.push(Removal {
                    full: Text::new(format!("- {what}: {}", keys.join(", "))),
                    compact: Text::new(format!(
                        "- {what}: {} (named in the job log and `--format text`)",
                        escape(&count)
                    )),
                });
            }
        }

        let mut refused_list = List::new("Refused by safety policy, not applied");
        for change in &refused {
            let Some(refusal) = &change.refused else {
                continue;
            };
            refused_list.item(format!(
                "{} {}: refused (**{}**) — {}",
                code(&change.address.kind.describe(&change.address.name)),
                values::would(change.action),
                values::describe_reason(refusal.reason),
                escape(&refusal.message)
            ));
        }
        let mut warnings = List::new("Warnings");
        for warning in &plan.warnings {
            warnings.item(format!(
                "{}: {}",
                code(&warning.subject),
                escape(&warning.message)
            ));
        }

        Doc {
            limit,
            head,
            changes: vec![create, update, replace],
            destroy,
            removals_heading: format!(
                "**Remove from collections** ({})",
                values::plural(removed, "element")
            ),
            removals,
            refused: refused_list,
            warnings,
            details: by_kind(plan),
        }
    }

    /// The lists each cap applies to.
    fn capped(&self, cap: usize) -> Vec<&List> {
        match cap {
            CHANGES => self.changes.iter().collect(),
            WARNINGS => vec![&self.warnings],
            _ => vec![&self.refused],
        }
    }

    /// Sets `knob` to the most that fits (0 if nothing does); whether the document fits.
    fn shrink(&self, layout: &mut Layout, knob: Knob) -> bool {
        let most = match knob {
            Knob::Details => self.details.len(),
            Knob::Cap(cap) => self
                .capped(cap)
                .iter()
                .map(|list| list.items.len())
                .max()
                .unwrap_or(0),
        };
        let set = |layout: &mut Layout, k: usize| match knob {
            Knob::Details => layout.details = k,
            Knob::Cap(cap) => layout.caps[cap] = Some(k),
        };
        let found = largest(most, |k| {
            let mut candidate = layout.clone();
            set(&mut candidate, k);
            self.measure(&candidate) <= self.limit
        });
        set(layout, found.unwrap_or(0));
        found.is_some()
    }

    fn measure(&self, layout: &Layout) -> usize {
        let mut out = Out {
            text: None,
            chars: 0,
        };
        self.write(&mut out, layout);
        out.chars
    }

    fn render(&self, layout: &Layout) -> String {
        let mut out = Out {
            text: Some(String::new()),
            chars: 0,
        };
        self.write(&mut out, layout);
        out.text.unwrap_or_default()
    }

    fn write(&self, out: &mut Out, layout: &Layout) {
        for block in &self.head {
            out.block();
            out.push(block);
        }
        // What a reviewer must not miss comes first: deletions, removals, refusals.
        let mut shortened = false;
        self.destroy.write(out, None);
        if !self.removals.is_empty() {
            out.block();
            out.push(&self.removals_heading);
            out.push("\n");
            for (removal, compact) in self.removals.iter().zip(&layout.compact) {
                out.line(if *compact {
                    &removal.compact
                } else {
                    &removal.full
                });
            }
        }
        shortened |= self.refused.write(out, layout.caps[REFUSED]);
        for list in &self.changes {
            shortened |= list.write(out, layout.caps[CHANGES]);
        }
        shortened |= self.warnings.write(out, layout.caps[WARNINGS]);
        // The diffs, folded per kind: a section per kind, a block per change inside it.
        let shown = &self.details[..layout.details.min(self.details.len())];
        let mut start = 0;
        while start < shown.len() {
            let kind = shown[start].0;
            let end = start
                + shown[start..]
                    .iter()
                    .take_while(|(k, _)| *k == kind)
                    .count();
            let total = self.details.iter().filter(|(k, _)| *k == kind).count();
            out.block();
            out.push(&format!(
                "<details><summary>{} ({})</summary>\n",
                section(kind),
                values::plural(total, "change")
            ));
            for (_, details) in &shown[start..end] {
                out.block();
                out.push_counted(&details.text, details.chars);
            }
            out.block();
            out.push("</details>\n");
            start = end;
        }
        let omitted = self.details.len().saturating_sub(layout.details);
        let compact = layout.compact.iter().any(|c| *c);
        if omitted > 0 || shortened || compact {
            let mut cuts = Vec::new();
            if omitted > 0 {
                cuts.push(format!(
                    "{} of {} are left out",
                    omitted,
                    values::plural(self.details.len(), "diff")
                ));
            }
            if shortened {
                cuts.push("some lists are cut short".to_string());
            }
            if compact {
                cuts.push("some removed elements are counted rather than named".to_string());
            }
            let why = if layout.over {
                format!(
                    "This is over the limit of {} characters because every deletion is listed",
                    thousands(self.limit)
                )
            } else {
                format!("To fit in {} characters", thousands(self.limit))
            };
            out.block();
            out.push(&format!(
                "> [!NOTE]\n> {why}: {}. The full plan is in the job log (`switchboard plan --format text`), and in the plan file when the job keeps it as an artifact (`--out plan.json`).\n",
                cuts.join("; ")
            ));
        }
    }
}

impl List {
    fn new(heading: &str) -> List {
        List {
            heading: heading.to_string(),
            items: Vec::new(),
        }
    }

    fn item(&mut self, text: String) {
        self.items.push(Text::new(format!("- {text}")));
    }

    /// Writes the list (nothing if it is empty), at most `cap` items; whether it was cut.
    fn write(&self, out: &mut Out, cap: Option<usize>) -> bool {
        if self.items.is_empty() {
            return false;
        }
        out.block();
        out.push(&format!("**{}** ({})\n", self.heading, self.items.len()));
        let shown = cap.unwrap_or(usize::MAX).min(self.items.len());
        for item in &self.items[..shown] {
            out.line(item);
        }
        let rest = self.items.len() - shown;
        if rest > 0 {
            out.push(&format!("- … and {rest} more\n"));
        }
        rest > 0
    }
}

/// `> [!WARNING]` naming how much is deleted.
fn callout(plan: &Plan) -> String {
    let objects = plan
        .runnable()
        .filter(|c| matches!(c.action, Action::Delete | Action::Replace))
        .count();
    let elements: usize = plan
        .runnable()
        .map(|c| {
            c.elements
                .iter()
                .filter(|e| e.op == ElementOp::Remove)
                .count()
        })
        .sum();
    let mut what = Vec::new();
    if objects > 0 {
        what.push(format!(
            "destroys **{}** (listed under **Destroy**)",
            values::plural(objects, "object")
        ));
    }
    if elements > 0 {
        what.push(format!(
            "removes **{}** from collections (listed under **Remove from collections**)",
            values::plural(elements, "element")
        ));
    }
    format!(
        "> [!WARNING]\n> This plan {}. Check every one before applying.\n",
        what.join(" and ")
    )
}

/// What a list item adds after the name: ` — renamed from …`, ` — 2 to add, 1 to remove
/// (authoritative)`.
fn gist(change: &Change) -> String {
    let mut parts = Vec::new();
    if change.action != Action::Replace
        && let Some(old) = &change.renamed_from
    {
        parts.push(format!("renamed from {}", code(old)));
    }
    if change.action == Action::Update && !change.attributes.is_empty() {
        parts.push(values::plural(change.attributes.len(), "attribute"));
    }
    if change.action == Action::Replace {
        let moved = change.elements.len();
        if moved > 0 {
            let verb = if moved == 1 { "moves" } else { "move" };
            parts.push(format!(
                "{} {verb} to it",
                values::plural(moved, "assignment")
            ));
        }
    } else {
        let counts: Vec<String> = values::element_counts(change)
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(op, n)| {
                let verb = match op {
                    ElementOp::Add => "to add",
                    ElementOp::Update => "to update",
                    ElementOp::Remove => "to remove",
                };
                format!("{n} {verb}")
            })
            .collect();
        if !counts.is_empty() {
            let (noun, _) = values::element_noun(change.address.kind);
            let mut text = format!("{noun}s: {}", counts.join(", "));
            if let Some(mode) = change.mode {
                let _ = write!(text, " ({})", values::mode_name(mode));
            }
            parts.push(text);
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" — {}", parts.join("; "))
    }
}

/// ` (id <code>…</code>)` of a live object.
fn id(change: &Change) -> String {
    change
        .id
        .as_deref()
        .map(|id| format!(" (id {})", code(id)))
        .unwrap_or_default()
}

/// Each runnable change's diff block with its kind, the kinds in the order the plan first
/// shows them and each kind's changes together (the plan orders changes by wave).
fn by_kind(plan: &Plan) -> Vec<(ResourceKind, Text)> {
    let mut kinds: Vec<ResourceKind> = Vec::new();
    for change in plan.runnable() {
        if !kinds.contains(&change.address.kind) {
            kinds.push(change.address.kind);
        }
    }
    kinds
        .into_iter()
        .flat_map(|kind| {
            plan.runnable()
                .filter(move |change| change.address.kind == kind)
                .map(move |change| (kind, details(change)))
        })
        .collect()
}

/// The title of a kind's section of diffs.
fn section(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Skill => "Skills",
        ResourceKind::Language => "Languages",
        ResourceKind::WrapupCode => "Wrap-up codes",
        ResourceKind::SkillGroup => "Skill groups",
        ResourceKind::UtilizationLabel => "Utilization labels",
        ResourceKind::Queue => "Queues",
        ResourceKind::QueueWrapupCodes => "Queues' wrap-up codes",
        ResourceKind::QueueMembers => "Queues' members",
        ResourceKind::AgentSkills => "Agents' skills",
        ResourceKind::AgentLanguages => "Agents' languages",
        ResourceKind::AgentCapacity => "Agents' capacity",
        ResourceKind::OrgUtilization => "The org's utilization",
        ResourceKind::RoutingSettings => "The org's routing settings",
    }
}

/// One `<details>` block: the change's lines in a `diff` fence.
fn details(change: &Change) -> Text {
    let fence = diff_fence(&values::change_lines(change));
    let summary = format!(
        "<details><summary>{} {}</summary>\n\n{fence}\n</details>\n",
        code(&format!(
            "{} {}",
            change.action.symbol(),
            change.address.kind.describe(&change.address.name)
        )),
        change.action.verb()
    );
    Text::new(summary)
}

/// Lines in a `diff` fence, each with its sign in the first column (`~` as `!`, which GitHub
/// colours as a change) and its text where the text renderer puts it. The text is shown as
/// written (a fence shows no Markdown or HTML), in a fence longer than any run of backticks
/// it holds. Ends with a newline.
pub fn diff_fence(lines: &[Line]) -> String {
    let mut body = String::new();
    for line in lines {
        body.push_str(&layout(line));
        body.push('\n');
    }
    let fence = "`".repeat(longest_backtick_run(&body).max(2) + 1);
    format!("{fence}diff\n{body}{fence}\n")
}

/// A line of a change in a `diff` fence: the sign in the first column (`~` as `!`, which
/// GitHub colours as a change), then the text where the text renderer puts it.
fn layout(line: &Line) -> String {
    let indent = "    ".repeat(line.depth);
    match line.sign {
        COMMENT => format!("{indent}  # {}", line.text),
        NONE => format!("    {indent}{}", line.text),
        sign => {
            let sign = if sign == Action::Update.symbol() {
                "!"
            } else {
                sign
            };
            format!("{sign:<3} {indent}{}", line.text)
        }
    }
}

fn longest_backtick_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// User data in `<code>`: no mentions, issue links, autolinks or emoji inside, and escaped.
pub fn code(text: &str) -> String {
    format!("<code>{}</code>", escape(text))
}

/// User data as inert Markdown and HTML: control characters escaped, and every character
/// that Markdown or HTML could read as syntax written as an entity (entities work in text,
/// in table cells and inside HTML alike).
pub fn escape(text: &str) -> String {
    let text = values::clean(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '`' | '\\' | '*' | '_' | '[' | ']' | '|' | '~' | '$' | '#' | '@' | '!' => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// `65,536`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
