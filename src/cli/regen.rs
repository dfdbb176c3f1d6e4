//! `relucert regen`: regenerate the shipped certificate set, byte for byte.
//!
//! Writes, under `--dir` (default `certificates`):
//! - `<family>/d<d>.json` for I, II and IIsym at every d from the family's first strict
//!   local minimum (`Family::minimum_from`: 6, 7, 6) to 40, and at 100, 1000, 10^4, 10^6,
//!   10^9; and the saddles just below each onset (I d = 5, II d = 6, IIsym d = 5);
//! - `compare.md`, `compare.json`, `compare.svg`: `relucert compare` of I and II at
//!   d = 7..=40, 100, 1000, 10^4, 10^6, 10^9;
//! - `arcs/*.json`: tangency-point certificates of the minimizing arcs of I and II at
//!   d = 10, 20, 100, at r = 0.01, 0.02, 0.04 (128-bit intervals);
//! - `index.json`, `index.md`: every certificate with its relative path, kind, family, d,
//!   classification (or tangency type), index and loss enclosure.
//!
//! The output depends only on the precision and the relucert version: certificates are
//! computed in parallel and written afterwards in a fixed order, atomically; existing
//! files are overwritten, no other file is touched (`README.md` is written by hand).

use super::args;
use rayon::prelude::*;
use relucert::certificate::critical_point::Certificate;
use relucert::compare::{Comparison, Row};
use relucert::error::{Error, Result};
use relucert::output_file::write_file;
use relucert::prove::{certify_family, NotCertified};
use relucert::render::report;
use relucert::search::families::Family;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Arguments of `regen`.
#[derive(clap::Args, Debug)]
pub struct RegenArgs {
    /// Directory to write the set into (created if missing; existing files overwritten).
    #[arg(long, default_value = "certificates")]
    dir: PathBuf,
    /// Precision of the interval arithmetic in bits (64..8192).
    #[arg(long, default_value_t = 256)]
    prec: u32,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    json: bool,
}

/// Exact: the large d of the set.
const LARGE: [u64; 5] = [100, 1_000, 10_000, 1_000_000, 1_000_000_000];

/// Exact: the certificates of the set, `(family, d)`, in index order.
fn certificate_plan() -> Vec<(Family, u64)> {
    let mut out = Vec::new();
    for f in Family::ALL {
        let Some(first) = f.minimum_from() else {
            continue;
        };
        out.push((f, first - 1));
        out.extend((first..=40).map(|d| (f, d)));
        out.extend(LARGE.iter().map(|&d| (f, d)));
    }
    out
}

/// Exact: the d of the comparison report.
fn compare_plan() -> Vec<u64> {
    (7..=40).chain(LARGE).collect()
}

/// Exact: the families of the comparison report.
const COMPARE_FAMILIES: [Family; 2] = [Family::I, Family::II];

/// Exact: a certificate's path relative to the set's directory.
fn relative_path(f: Family, d: u64) -> String {
    format!("{}/d{d}.json", f.name())
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    write_file(&dir.join(rel), bytes)
}

/// Exact: a sibling of `dir` named `.<name>.<tag>` (same file system, so renames are
/// cheap and atomic).
fn sibling(dir: &Path, tag: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "set".into(), |n| n.to_string_lossy().to_string());
    dir.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.{tag}"))
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let (p, q) = (e.path(), to.join(e.file_name()));
        if e.file_type()?.is_dir() {
            copy_tree(&p, &q)?;
        } else {
            std::fs::copy(&p, &q)?;
        }
    }
    Ok(())
}

/// A staging copy of the set directory: everything is written there, and only a complete
/// set is swapped in ([`Staging::commit`]); an interrupted regen leaves `dir` as it was.
struct Staging {
    dir: PathBuf,
    staging: PathBuf,
}

impl Staging {
    fn new(dir: &Path) -> Result<Staging> {
        let staging = sibling(dir, "regen-staging");
        let io = |e: std::io::Error| Error::io(staging.display(), e);
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io)?;
        }
        if dir.is_dir() {
            // Files regen does not write (README.md) come along.
            copy_tree(dir, &staging).map_err(io)?;
        } else {
            std::fs::create_dir_all(&staging).map_err(io)?;
        }
        Ok(Staging {
            dir: dir.to_path_buf(),
            staging,
        })
    }

    fn commit(self) -> Result<()> {
        let old = sibling(&self.dir, "regen-old");
        let io = |e: std::io::Error| Error::io(self.dir.display(), e);
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(io)?;
        }
        if self.dir.exists() {
            std::fs::rename(&self.dir, &old).map_err(io)?;
        }
        std::fs::rename(&self.staging, &self.dir).map_err(io)?;
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(io)?;
        }
        Ok(())
    }
}

/// Exact: the (family, d) whose minimizing arcs get tangency-point certificates.
const ARC_PLAN: [(Family, u64); 6] = [
    (Family::I, 10),
    (Family::I, 20),
    (Family::I, 100),
    (Family::II, 10),
    (Family::II, 20),
    (Family::II, 100),
];

/// Encloses: the tangency-point certificates of the minimizing arcs of [`ARC_PLAN`] at
/// r = 0.01, 0.02, 0.04, 128-bit intervals (deterministic order).
fn arc_certificates() -> Result<
    Vec<(
        String,
        relucert::certificate::tangency_point::ArcCertificate,
    )>,
> {
    let opts = relucert::arcs::ArcOptions {
        prec: 128,
        radii: Some(vec!["0.01".into(), "0.02".into(), "0.04".into()]),
        extreme_only: true,
        certify_ends: false,
        fast_first: false,
        ..relucert::arcs::ArcOptions::default()
    };
    let mut out = Vec::new();
    for (f, d) in ARC_PLAN {
        let c = certify_family(f, d, opts.prec)
            .map_err(|e| Error::Numerical(format!("family {} at d = {d}: {e}", f.name())))?;
        let results = relucert::arcs::run(&c, &opts);
        let certs = relucert::certificate::tangency_point::point_certificates(
            &c,
            &results,
            relucert::arcs::directions::ArcType::Min,
        );
        if certs.is_empty() {
            return Err(Error::Numerical(format!(
                "no minimizing arc certified for {} at d = {d}; nothing written",
                f.name()
            )));
        }
        out.extend(certs);
    }
    Ok(out)
}

/// Run `regen`: 0 when the whole set was certified and written, 2 otherwise (nothing is
/// written unless every certificate of the set was obtained).
pub fn run(a: &RegenArgs) -> Result<i32> {
    let prec = args::check_prec(a.prec)?;
    let plan = certificate_plan();
    let mut jobs = plan.clone();
    for d in compare_plan() {
        jobs.extend(COMPARE_FAMILIES.iter().map(|&f| (f, d)));
    }
    jobs.sort_unstable();
    jobs.dedup();
    let pb = super::progress::Progress::new(jobs.len() as u64, "regen");
    let done: Vec<(
        (Family, u64),
        std::result::Result<Certificate, NotCertified>,
    )> = jobs
        .par_iter()
        .map(|&(f, d)| {
            let c = certify_family(f, d, prec);
            pb.inc(&format!("{} d = {d}", f.name()));
            ((f, d), c)
        })
        .collect();
    pb.finish();
    let mut certs: BTreeMap<(Family, u64), Certificate> = BTreeMap::new();
    for ((f, d), c) in done {
        match c {
            Ok(c) => {
                certs.insert((f, d), c);
            }
            Err(e) => {
                return Err(Error::Numerical(format!(
                    "family {} at d = {d} was not certified at {prec} bits: {e}; nothing written",
                    f.name()
                )))
            }
        }
    }
    let staged = Staging::new(&a.dir)?;
    let dir = &staged.staging.clone();
    for f in Family::ALL {
        let sub = dir.join(f.name());
        std::fs::create_dir_all(&sub).map_err(|e| Error::io(sub.display(), e))?;
    }
    let mut entries: Vec<report::IndexEntry> = Vec::new();
    for &(f, d) in &plan {
        let c = &certs[&(f, d)];
        let rel = relative_path(f, d);
        write(dir, &rel, &c.to_bytes())?;
        entries.push(report::IndexEntry::critical(rel, c));
    }
    let arc_dir = dir.join("arcs");
    std::fs::create_dir_all(&arc_dir).map_err(|e| Error::io(arc_dir.display(), e))?;
    for (name, a) in arc_certificates()? {
        let rel = format!("arcs/{name}");
        write(dir, &rel, &a.to_bytes())?;
        entries.push(report::IndexEntry {
            path: rel,
            family: a.base.family,
            d: a.base.partition.d() as u64,
            kind: "tangency_point",
            classification: format!("{} at r = {}", a.proof.kind.name(), a.proof.r),
            index: None,
            loss: a.proof.loss.clone(),
            digits: relucert::certificate::critical_point::enclosure_digits(a.base.prec),
        });
    }
    let cmp = Comparison {
        families: COMPARE_FAMILIES.to_vec(),
        prec,
        rows: compare_plan()
            .into_iter()
            .map(|d| Row {
                d,
                certs: COMPARE_FAMILIES
                    .iter()
                    .map(|&f| Ok(certs[&(f, d)].clone()))
                    .collect(),
            })
            .collect(),
    };
    let reports = ["compare.md", "compare.json", "compare.svg"];
    write(dir, "compare.md", report::markdown(&cmp).as_bytes())?;
    write(
        dir,
        "compare.json",
        report::json_text(&report::json(&cmp)).as_bytes(),
    )?;
    write(dir, "compare.svg", report::svg(&cmp).as_bytes())?;
    write(
        dir,
        "index.json",
        report::json_text(&report::index_json(&entries, &reports)).as_bytes(),
    )?;
    write(
        dir,
        "index.md",
        report::index_markdown(&entries, &reports).as_bytes(),
    )?;
    let inconclusive: Vec<String> = entries
        .iter()
        .filter(|e| e.kind == "critical_point" && e.index.is_none())
        .map(|e| e.path.clone())
        .collect();
    staged.commit()?;
    if a.json {
        println!(
            "{}",
            serde_json::json!({
                "dir": a.dir.display().to_string(),
                "certificates": entries.len(),
                "reports": reports,
                "index": ["index.json", "index.md"],
                "inconclusive": inconclusive,
            })
        );
    } else {
        println!(
            "wrote {} certificates, {} reports and index.json, index.md to {}",
            entries.len(),
            reports.len(),
            a.dir.display()
        );
    }
    if !inconclusive.is_empty() {
        eprintln!(
            "relucert: note: inconclusive classification in {}",
            inconclusive.join(", ")
        );
    }
    Ok(0)
}
