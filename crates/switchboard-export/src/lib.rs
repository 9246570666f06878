//! Export: a manifest written from the live org.
//!
//! [`export`] turns a [`Live`] snapshot of a whole org (what
//! `switchboard_fetch::fetch_everything` reads) into a [`Manifest`] and the files of a
//! manifest directory, deterministically: the same org gives byte-identical files. It is
//! pure (no I/O): the caller reads the org and writes the files.
//!
//! What it writes loads with `switchboard_manifest::load` and plans to no changes against
//! the same org:
//! - every reference is by name (flows, prompts and the groups of conditional group routing
//!   by name when the API gives one, else by id; plan looks the names up);
//! - queue settings are the live ones in manifest vocabulary
//!   (`switchboard_plan::queue_settings`), with the API's defaults left out (see
//!   [`OMITTED_DEFAULTS`]) and anything the manifest cannot express left out as well — which
//!   is safe, because the plan leaves every setting a manifest does not set alone;
//! - members, queue wrap-up codes, and agents' skills and languages are `authoritative`
//!   (members through a group are not listed: the group brings them).
//!
//! Whatever could not be written is reported as a [`Note`], and as a comment at the top of
//! the file it concerns.

mod convert;
mod files;
mod fit;
mod skill_groups;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use switchboard_manifest::{Live, Manifest};

pub use fit::{DefaultValue, OMITTED_DEFAULTS};

/// A kind of object an export can write, one file (or, for queues, one folder) each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// Routing skills: `skills.yaml`.
    Skills,
    /// Routing languages: `languages.yaml`.
    Languages,
    /// Wrap-up codes: `wrapup-codes.yaml`.
    WrapupCodes,
    /// Skill groups: `skill-groups.yaml`.
    SkillGroups,
    /// Queues with their settings, members and wrap-up codes: `queues/<division>.yaml`.
    Queues,
    /// Agents' routing skills and languages: `agents.yaml`.
    Agents,
}

impl Section {
    /// Every section, in file order.
    pub const ALL: [Section; 6] = [
        Section::Skills,
        Section::Languages,
        Section::WrapupCodes,
        Section::SkillGroups,
        Section::Queues,
        Section::Agents,
    ];

    /// The manifest key (and `--include` spelling): `skills`, `languages`, `wrapupCodes`,
    /// `skillGroups`, `queues`, `agents`.
    pub fn key(self) -> &'static str {
        match self {
            Section::Skills => "skills",
            Section::Languages => "languages",
            Section::WrapupCodes => "wrapupCodes",
            Section::SkillGroups => "skillGroups",
            Section::Queues => "queues",
            Section::Agents => "agents",
        }
    }

    /// The sections this one refers to by name, which a manifest must declare too: queues
    /// name wrap-up codes and skills (bullseye `skillsToRemove`); agents and skill groups'
    /// conditions name skills and languages.
    pub fn needs(self) -> &'static [Section] {
        match self {
            Section::Queues => &[Section::WrapupCodes, Section::Skills],
            Section::Agents | Section::SkillGroups => &[Section::Skills, Section::Languages],
            _ => &[],
        }
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A section name `--include` does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind `{0}`; use skills, languages, wrapupCodes, skillGroups, queues or agents")]
pub struct UnknownSection(pub String);

impl FromStr for Section {
    type Err = UnknownSection;

    /// The manifest key, in any case, `wrapup-codes` and `wrapup_codes` too.
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let folded: String = raw
            .trim()
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        Section::ALL
            .into_iter()
            .find(|s| s.key().to_ascii_lowercase() == folded)
            .ok_or_else(|| UnknownSection(raw.to_string()))
    }
}

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// The region written in the org guard (`org.region`), e.g. `mypurecloud.ie`.
    pub region: String,
    /// The sections to write; the sections they refer to are written too (see
    /// [`Section::needs`]).
    pub include: BTreeSet<Section>,
    /// Only the queues of this division (by name), and as agents only their direct members.
    pub division: Option<String>,
}

impl ExportOptions {
    /// Everything, for the org in `region`.
    pub fn all(region: impl Into<String>) -> Self {
        ExportOptions {
            region: region.into(),
            include: Section::ALL.into_iter().collect(),
            division: None,
        }
    }

    /// The sections written: those asked for and those they need.
    pub fn sections(&self) -> BTreeSet<Section> {
        let mut sections = self.include.clone();
        for section in &self.include {
            sections.extend(section.needs());
        }
        sections
    }
}

/// An export: the manifest, its files, and what could not be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// The manifest the files hold together.
    pub manifest: Manifest,
    /// The files, by relative path (`/`-separated), sorted by path.
    pub files: Vec<ExportFile>,
    /// What was left out or changed in form, and why, sorted.
    pub notes: Vec<Note>,
}

/// One file of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// The path relative to the export directory, `/`-separated, e.g. `queues/sales.yaml`.
    pub path: String,
    /// The YAML text.
    pub contents: String,
}

/// Something the export could not write as the org has it, or wrote in another form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// The file it concerns.
    pub file: String,
    /// What it is about, e.g. `queue "Billing EN"` or `agent hugo@example.com`.
    pub subject: String,
    /// What happened, e.g. `inactive; not written`.
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.subject, self.file, self.message)
    }
}

/// Why nothing could be exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// `division` names a division the org does not have.
    #[error("the org has no division {division:?}\nhint: its divisions are: {known}")]
    UnknownDivision {
        /// The division asked for.
        division: String,
        /// The org's divisions.
        known: String,
    },
    /// The org holds several objects of one kind whose names are the same by switchboard's
    /// name rule (trimmed, case-folded): a manifest can declare only one of them, and
    /// which one it means would be a guess.
    #[error(
        "cannot export: the org has {kind} {spellings}, the same name by switchboard's name rule (case and surrounding spaces do not count)\nhint: rename all but one of them in Genesys Cloud, then export again"
    )]
    SameName {
        /// The kind, plural (`skills`).
        kind: String,
        /// The spellings, quoted and joined.
        spellings: String,
    },
    /// A file could not be serialised.
    #[error("could not write {file} as YAML: {message}")]
    Yaml {
        /// The file.
        file: String,
        /// The serialiser's message.
        message: String,
    },
}

/// The files an export writes at the top of its directory (queues go in `queues/`).
pub fn top_level_files() -> Vec<String> {
    files::top_level_files()
}

/// Exports `live` as `options` says.
pub fn export(live: &Live, options: &ExportOptions) -> Result<Export, ExportError> {
    let (manifest, notes) = convert::manifest(live, options)?;
    let (files, notes) = files::render(&manifest, notes)?;
    Ok(Export {
        manifest,
        files,
        notes,
    })
}

/// A division name as a file name: lower case, runs of anything but letters and digits
/// as one `-`, e.g. `Customer Care` → `customer-care`; `division` when nothing is left.
pub fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        "division".into()
    } else {
        slug
    }
}
