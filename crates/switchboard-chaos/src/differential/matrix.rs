//! The figures of many seeds, per fault class, as docs/RELIABILITY.md shows them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::fault::ReadFault;
use super::org::Scenario;
use super::{Outcome, Verdict};

/// One fault class's figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Row {
    /// Seeds run.
    pub seeds: usize,
    /// Seeds whose fault altered at least one answer.
    pub fired: usize,
    /// Faulted reads refused (an error from fetch or from the diff).
    pub refused: usize,
    /// Plans made from a faulted read and judged.
    pub plans: usize,
    /// Of those, plans no more destructive than the true one.
    pub clean: usize,
    /// Plans with a destructive item the true state does not justify.
    pub violations: usize,
    /// Reads that hung or panicked.
    pub hangs: usize,
}

/// A violation or hang found, with what reproduces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The seed (`run(seed)` reproduces it).
    pub seed: u64,
    /// The fault, in words.
    pub fault: String,
    /// What went wrong: each destructive item the true plan lacks, or the hang.
    pub items: Vec<String>,
}

/// Outcomes gathered per fault class.
#[derive(Debug, Clone, Default)]
pub struct Matrix {
    rows: BTreeMap<ReadFault, Row>,
    findings: Vec<Finding>,
    true_destructive: BTreeMap<Scenario, usize>,
}

impl Matrix {
    /// An empty matrix.
    pub fn new() -> Matrix {
        Matrix::default()
    }

    /// Counts one outcome.
    pub fn add(&mut self, outcome: &Outcome) {
        let row = self.rows.entry(outcome.fault.class).or_default();
        row.seeds += 1;
        row.fired += usize::from(outcome.fired);
        self.true_destructive
            .insert(outcome.fault.scenario, outcome.true_destructive);
        let failed = |items: Vec<String>| Finding {
            seed: outcome.fault.seed,
            fault: outcome.fault.to_string(),
            items,
        };
        match &outcome.verdict {
            Verdict::Refused(_) => row.refused += 1,
            Verdict::Plan { .. } => {
                row.plans += 1;
                row.clean += 1;
            }
            Verdict::Violation(items) => {
                row.plans += 1;
                row.violations += 1;
                self.findings.push(failed(items.clone()));
            }
            Verdict::Hang(what) => {
                row.hangs += 1;
                self.findings.push(failed(vec![what.clone()]));
            }
        }
    }

    /// The figures of one class (zeros when it had no seed).
    pub fn row(&self, class: ReadFault) -> Row {
        self.rows.get(&class).copied().unwrap_or_default()
    }

    /// Every violation and hang, in the order they were added.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The figures of every class together.
    pub fn total(&self) -> Row {
        self.rows.values().fold(Row::default(), |sum, row| Row {
            seeds: sum.seeds + row.seeds,
            fired: sum.fired + row.fired,
            refused: sum.refused + row.refused,
            plans: sum.plans + row.plans,
            clean: sum.clean + row.clean,
            violations: sum.violations + row.violations,
            hangs: sum.hangs + row.hangs,
        })
    }

    /// The matrix as a Markdown table (a row per class and a total), then the findings.
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "| fault class | seeds | fired | never fired | refused | plans checked | no more destructive | violations | hangs or panics |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        let line = |out: &mut String, name: &str, r: Row| {
            let _ = writeln!(
                out,
                "| {name} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r.seeds,
                r.fired,
                r.seeds - r.fired,
                r.refused,
                r.plans,
                r.clean,
                r.violations,
                r.hangs
            );
        };
        for class in ReadFault::ALL {
            line(&mut out, &class.to_string(), self.row(class));
        }
        line(&mut out, "**all**", self.total());
        for (scenario, count) in &self.true_destructive {
            let _ = writeln!(
                out,
                "\nThe true plan of the {scenario} scenario holds {count} destructive items (deletes, replaces, removals)."
            );
        }
        for finding in &self.findings {
            let _ = writeln!(out, "\n- seed {}: {}", finding.seed, finding.fault);
            for item in &finding.items {
                let _ = writeln!(out, "  - {item}");
            }
        }
        out
    }
}
