//! `relucert ladder`: the two-block flip points `flip(p)` at one d, each certified, with
//! the identities `flip(1) = I`, `flip(d-1) = II`, `flip(d) = IIsym` checked (see
//! `relucert::ladder` and `relucert::render::ladder`).

use super::args;
use super::output::{errln, out};
use relucert::error::{Error, Result};
use relucert::ladder;
use relucert::output_file::write_file;
use relucert::render::ladder as render;
use std::path::PathBuf;

/// Arguments of `ladder`.
#[derive(clap::Args, Debug)]
pub struct LadderArgs {
    /// Dimension d: an integer in 3..1e12 (e.g. 20, 1e6).
    #[arg(long, allow_hyphen_values = true)]
    d: String,
    /// Which p (numbers of flipped neurons) to search: a list, inclusive ranges A..=B, and
    /// fractions of d (0.1d, d/3, d-1, d), e.g. 1..=6,d/3,d-1,d. Default: 1..=d, allowed
    /// only for d <= 10000.
    #[arg(long, allow_hyphen_values = true)]
    p: Option<String>,
    /// Precision of the interval arithmetic in bits (64..8192).
    #[arg(long, default_value_t = 256)]
    prec: u32,
    /// Output on stdout: text, md, csv, latex, json.
    #[arg(long, default_value = "text")]
    format: String,
    /// The same as --format json.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Also write a plot of the loss and the smallest eigenvalue against p/d to this SVG file.
    #[arg(long)]
    svg: Option<PathBuf>,
}

/// The output formats of `ladder`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Markdown,
    Csv,
    Latex,
    Json,
}

fn parse_format(s: &str) -> Result<Format> {
    match s.to_ascii_lowercase().as_str() {
        "text" | "txt" => Ok(Format::Text),
        "md" | "markdown" => Ok(Format::Markdown),
        "csv" => Ok(Format::Csv),
        "latex" | "tex" => Ok(Format::Latex),
        "json" => Ok(Format::Json),
        _ => Err(Error::bad_input(
            format!("--format {s}"),
            "unknown format",
            "text, md, csv, latex, json",
        )),
    }
}

/// Exact: the largest d for which `--p` may be omitted.
const DEFAULT_P_MAX_D: u64 = 10_000;

/// Run `ladder`: 0 if every listed point is certified with a decided classification, 3 if
/// some is not (it stays listed, with the reason).
pub fn run(a: &LadderArgs) -> Result<i32> {
    let prec = args::check_prec(a.prec)?;
    let format = parse_format(if a.json { "json" } else { &a.format })?;
    let df = args::parse_d(&a.d)?;
    if df.fract() != 0.0 {
        return Err(Error::bad_input(
            format!("--d {}", a.d),
            "the ladder certifies points, which needs an integer d",
            "an integer with 3 <= d <= 1e12",
        ));
    }
    let d = df as u64;
    let ps = match &a.p {
        Some(spec) => ladder::parse_p_spec(spec, d)?,
        None if d <= DEFAULT_P_MAX_D => (1..=d).collect(),
        None => {
            return Err(Error::bad_input(
                format!("--d {}", a.d),
                format!(
                "without --p every p = 1..=d would be searched, allowed for d <= {DEFAULT_P_MAX_D}"
            ),
                "--p SPEC, e.g. --p 1,0.1d,d/3,d-1,d",
            ))
        }
    };
    if let Some(path) = &a.svg {
        relucert::output_file::check_writable(path)?;
    }
    let pb = super::progress::Progress::new(ps.len() as u64, "ladder");
    let l = ladder::ladder(d, &ps, prec, |p| pb.inc(&format!("p = {p}")));
    pb.finish();
    let text = match format {
        Format::Text => render::text(&l),
        Format::Markdown => render::markdown(&l),
        Format::Csv => render::csv(&l),
        Format::Latex => render::latex(&l),
        Format::Json => relucert::render::report::json_text(&render::json(&l)),
    };
    if let Some(path) = &a.svg {
        write_file(path, render::svg(&l).as_bytes())?;
    }
    // A closed pipe (e.g. `| head`) is not an error worth a panic.
    out!("{text}")?;
    let failures = l.failures();
    let named_fail: Vec<String> = l
        .named
        .iter()
        .filter(|n| n.undecided())
        .map(|n| n.family.name())
        .collect();
    if let Some((m, why)) = failures.first() {
        errln!(
            "relucert: not certified: {} at d = {d}: {why} ({} of {} points not certified; more precision (--prec) may help)",
            m.name(),
            failures.len(),
            l.rows.len()
        );
        return Ok(super::EXIT_INCONCLUSIVE);
    }
    if let Some((p, why)) = l.search_failures.first() {
        errln!("relucert: the search of p = {p} failed: {why}");
        return Ok(super::EXIT_INCONCLUSIVE);
    }
    if !named_fail.is_empty() {
        errln!(
            "relucert: inconclusive: the identity with a flip point is not proved for {}",
            named_fail.join(", ")
        );
        return Ok(super::EXIT_INCONCLUSIVE);
    }
    Ok(0)
}
