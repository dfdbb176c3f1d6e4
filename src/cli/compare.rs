//! `relucert compare`: certify several families at a list of d and tabulate the
//! O(d^-1/2) distinction: which component holds each family's smallest Hessian eigenvalue,
//! whether disjoint enclosures certify it, the margin to the next eigenvalue, and the gaps
//! between the families' matched eigenvalues, each also times sqrt(d). Every number is an
//! enclosure (see `relucert::compare` and `relucert::render::report`); the SVG plot is a drawing of them.

use super::args;
use super::output::{errln, out};
use relucert::compare;
use relucert::error::{Error, Result};
use relucert::output_file::write_file;
use relucert::render::report;
use std::path::PathBuf;

/// Arguments of `compare`.
#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// Values of d: a list (7,10,1e6), an inclusive range (7..=60), a log range
    /// (10..1e9:log:30 = 30 integers log-spaced, rounded, deduplicated, endpoints
    /// included), or a comma-separated mix; every d an integer in 3..1e12.
    #[arg(long, allow_hyphen_values = true)]
    d: String,
    /// Families, comma-separated (I, II, IIsym). Gaps are computed between families of the
    /// same partition (I and II), later minus earlier; IIsym is shown side by side.
    #[arg(long, default_value = "I,II")]
    families: String,
    /// Precision of the interval arithmetic in bits (64..8192).
    #[arg(long, default_value_t = 256, value_parser = args::prec_value, allow_negative_numbers = true)]
    prec: u32,
    /// Output on stdout: md (headline and per-component tables), csv (headline table),
    /// latex (two tabulars), json (everything, full enclosure digits).
    #[arg(long, default_value = "md")]
    format: String,
    /// The same as --format json.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Also write a plot of the eigenvalues below 1 against d (log axis) to this SVG file.
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Refuse runs of more (family, d) points than this (each is one certification, about
    /// 0.03 s); larger runs are refused before any work, with their size and rough cost.
    #[arg(long, default_value_t = 2000, value_parser = args::max_points_value, allow_negative_numbers = true)]
    max_points: u64,
}

/// Approximate: the rough cost of one (family, d) point of `compare`, in seconds (about
/// 0.012 s of CPU per point at d = 7 .. 10^9 and 256 bits, 0.03-0.04 s wall: measured on
/// a loaded 2-core machine; the cost barely depends on d).
const SECS_PER_POINT: f64 = 0.03;

/// The output formats of `compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Markdown,
    Csv,
    Latex,
    Json,
}

fn parse_format(s: &str) -> Result<Format> {
    match s.to_ascii_lowercase().as_str() {
        "md" | "markdown" => Ok(Format::Markdown),
        "csv" => Ok(Format::Csv),
        "latex" | "tex" => Ok(Format::Latex),
        "json" => Ok(Format::Json),
        _ => Err(Error::bad_input(
            format!("--format {s}"),
            "unknown format",
            "md, csv, latex, json",
        )),
    }
}

/// Run `compare`: 0 if every family was certified at every d, 3 otherwise (the tables
/// still show what was proved, and the failures).
pub fn run(a: &CompareArgs) -> Result<i32> {
    let prec = args::check_prec(a.prec)?;
    let format = parse_format(if a.json { "json" } else { &a.format })?;
    let families = compare::parse_families(&a.families)?;
    let ds = compare::parse_d_spec(&a.d)?;
    compare::check_families_d(&a.d, &ds, &families)?;
    args::check_points(
        "compare",
        &a.d,
        ds.len(),
        families.len(),
        a.max_points,
        (ds.len() * families.len()) as f64 * SECS_PER_POINT,
    )?;
    if let Some(path) = &a.svg {
        relucert::output_file::check_writable(path)?;
    }
    let pb = super::progress::Progress::new(ds.len() as u64, "compare");
    let cmp = compare::compare(&families, &ds, prec, |d| {
        pb.inc(&format!("d = {d}"));
    });
    pb.finish();
    let text = match format {
        Format::Markdown => report::markdown(&cmp),
        Format::Csv => report::csv(&cmp),
        Format::Latex => report::latex(&cmp),
        Format::Json => report::json_text(&report::json(&cmp)),
    };
    if let Some(path) = &a.svg {
        write_file(path, report::svg(&cmp).as_bytes())?;
    }
    out!("{text}")?;
    let exceptions = cmp.ordering_exceptions();
    if !exceptions.is_empty() {
        let list: Vec<String> = exceptions
            .iter()
            .map(|(d, f)| format!("{} at d = {d}", f.name()))
            .collect();
        errln!(
            "relucert: note: the smallest eigenvalue is not certified on the expected component for {}",
            list.join(", ")
        );
    }
    let failures = cmp.failures();
    if let Some((d, f, why)) = failures.first() {
        errln!(
            "relucert: not certified: family {} at d = {d}: {why} ({} failure(s) in all; more precision (--prec) may help)",
            f.name(),
            failures.len()
        );
        return Ok(super::EXIT_INCONCLUSIVE);
    }
    Ok(0)
}
