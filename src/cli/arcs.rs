//! `relucert arcs`: the tangency arcs leaving a certified critical point — their types,
//! certified points and ends — and `arcs --compare`, the minimizing arcs of I and II side
//! by side; `arcs --sweep`, the minimizing arcs of the families' minima across d.

use super::args;
use super::output::{errln, out, outln, print_json};
use relucert::arcs::directions::{ArcType, Leading};
use relucert::arcs::ends::{EndProof, LastPoint};
use relucert::arcs::trace::EndKind;
use relucert::arcs::{self, ArcOptions, ArcResult};
use relucert::certificate::critical_point::{
    block_json, enclosure_digits, interval_json, Certificate,
};
use relucert::error::{Error, Result};
use relucert::model::reduced::ArgumentKind;
use relucert::prove::{self, NotCertified};
use relucert::search::families::Family;
use serde_json::{json, Value};
use std::path::PathBuf;

/// Arguments of `arcs`.
#[derive(clap::Args, Debug)]
pub struct ArcsArgs {
    #[command(flatten)]
    point: args::PointArgs,
    /// Put the minimizing and maximizing arcs of I and II at --d side by side.
    #[arg(long, conflicts_with_all = ["family", "partition", "start", "full", "svg"])]
    compare: bool,
    /// Full precision in bits (64..8192; default 128 up to d = 1e7, 192 up to 1e10, 256 beyond): the critical
    /// point's certificate, and tangency points that 64 bits do not decide.
    #[arg(long, value_parser = args::prec_value, allow_negative_numbers = true)]
    prec: Option<u32>,
    /// Radii at which tangency points are certified (decimals, comma-separated); default:
    /// three radii per arc at 20%, 40% and 80% of min(its traced reach, 0.05 s), with the arc
    /// scale s = min(1, sqrt(10/d)).
    #[arg(long, allow_hyphen_values = true)]
    radii: Option<String>,
    /// Enumerate every axial Young subgroup (default: the canonical families, see docs).
    #[arg(long)]
    all_axial: bool,
    /// Trace up to this multiple of min(|C|_F, 32).
    #[arg(long, default_value_t = 2.0, value_parser = args::max_r_value, allow_negative_numbers = true)]
    max_r: f64,
    /// Do not certify the critical points where arcs end.
    #[arg(long)]
    no_ends: bool,
    /// Only the arcs of the smallest and largest eigenvalues (minimizing/maximizing
    /// candidates): every lattice type (at most 5 points split off, Young and non-Young) is
    /// ranked by its certified leading coefficient, and the rank-1 ones are traced.
    #[arg(long)]
    extreme: bool,
    /// With --extreme: trace and certify every lattice type, not only the rank-1 ones.
    #[arg(long, requires = "extreme")]
    all_types: bool,
    /// Also trace in the full d x d space (d <= 12): cross-check the minimizing and
    /// maximizing arcs and compare the [n-2,1,1] Young axis with the non-Young 3-cycle axis.
    #[arg(long)]
    full: bool,
    /// Approximate: search numerically for critical directions of the leading form (cubic or
    /// effective quartic) on the smallest eigenvalue's eigenspace, in the full space
    /// (d <= 12) and in the fixed spaces of k = 2..6 points split off, and compare the lowest
    /// with the best certified axial direction (no arcs are traced).
    #[arg(long, conflicts_with_all = ["compare", "full", "svg", "trace"])]
    search_leading: bool,
    /// Random starts of the descent on each sphere of --search-leading (1..=10000; as many
    /// again start Newton alone).
    #[arg(long, default_value_t = 48, requires = "search_leading", value_parser = args::search_starts_value, allow_negative_numbers = true)]
    search_starts: u64,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// In JSON, include every traced point (r, L, mu) of every arc (large at big d).
    #[arg(long, requires = "json")]
    trace: bool,
    /// Refuse runs that would enumerate more arc types than this.
    #[arg(long, default_value_t = 20_000, value_parser = args::max_types_value, allow_negative_numbers = true)]
    max_types: u64,
    /// Write an SVG plot of the loss along the arcs against r (with --sweep: distance and
    /// barrier of the minimizing arcs against d).
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Sweep d (--d SPEC as in compare: 7,10,1e6, 7..=60, 7..1000:log:20): the minimizing
    /// arcs of each family's minimum, the critical points they reach, distances and barriers.
    #[arg(long, conflicts_with_all = ["family", "partition", "start", "full", "compare", "prec", "radii", "all_axial", "max_r", "no_ends", "extreme", "all_types", "trace", "max_types"])]
    sweep: bool,
    /// With --sweep: the families, comma-separated (default I,II).
    #[arg(long)]
    families: Option<String>,
    /// With --sweep: also write the table as CSV to this file.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// With --sweep: also write the Markdown table to this file.
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// With --sweep: also write the table as a LaTeX tabular to this file.
    #[arg(long)]
    latex: Option<PathBuf>,
    /// With --sweep: refuse runs of more (family, d) points than this (default 200; each
    /// point traces and certifies arcs, about 0.5 s up to d = 1e4 and 2.5 s beyond).
    #[arg(long, value_parser = args::max_points_value, allow_negative_numbers = true)]
    max_points: Option<u64>,
}

/// The default `arcs --sweep --max-points`.
const SWEEP_MAX_POINTS: u64 = 200;

/// Approximate: the rough cost of one (family, d) point of `arcs --sweep`, in seconds:
/// about 0.5 s of CPU up to d = 1e4 and 2-2.5 s beyond (measured on a loaded 2-core
/// machine: `--d 7..1000:log:20`, 82 points, 44 s; `--d 1e4,1e5,1e6,1e9,1e12`, 10 points,
/// 24 s).
fn sweep_secs_per_point(d: u64) -> f64 {
    if d <= 10_000 {
        0.5
    } else {
        2.5
    }
}

fn options(a: &ArcsArgs, d: f64) -> Result<ArcOptions> {
    let prec = match a.prec {
        Some(p) => args::check_prec(p)?,
        None => arcs::auto_prec(d),
    };
    let radii = match &a.radii {
        None => None,
        Some(list) => {
            let mut radii = Vec::new();
            for r in list.split(',') {
                let r = r.trim();
                let ok =
                    relucert::arith::decimal::parse_decimal(r).is_some_and(|q| q > 0 && q < 1000);
                if !ok {
                    return Err(Error::bad_input(
                        format!("--radii {list}"),
                        format!("'{r}' is not a positive decimal below 1000"),
                        "comma-separated positive decimals, e.g. 0.01,0.02,0.04",
                    ));
                }
                radii.push(r.to_string());
            }
            Some(radii)
        }
    };
    if !(a.max_r.is_finite() && a.max_r > 0.0 && a.max_r <= 100.0) {
        return Err(Error::bad_input(
            format!("--max-r {}", a.max_r),
            "out of range",
            "0 < max-r <= 100 (a multiple of |C|_F)",
        ));
    }
    Ok(ArcOptions {
        prec,
        radii,
        all_axial: a.all_axial,
        r_max_factor: a.max_r,
        certify_ends: !a.no_ends,
        extreme_only: a.extreme,
        all_types: a.all_types,
        max_types: u128::from(a.max_types),
        ..ArcOptions::default()
    })
}

fn certified_base(
    family: Option<Family>,
    part: &relucert::model::partition::Partition,
    approx: &[relucert::arith::Mpfr],
    prec: u32,
) -> Result<Certificate> {
    let cert = prove::certify_point(family, part, approx, prec).map_err(|e| match e {
        NotCertified::Newton(m) => Error::Numerical(m),
        NotCertified::NotProved(p) => {
            Error::Numerical(format!("the critical point is not certified: {p}"))
        }
    })?;
    if cert.proof.verdict.index().is_none() {
        return Err(Error::Numerical(
            "the critical point's classification is inconclusive; arcs need a certified spectrum"
                .into(),
        ));
    }
    Ok(cert)
}

fn run_arcs(cert: &Certificate, opts: &ArcOptions) -> Vec<ArcResult> {
    let dirs = arcs::select(arcs::directions_for(cert, opts), opts);
    run_arcs_on(cert, dirs, opts)
}

fn run_arcs_on(
    cert: &Certificate,
    dirs: Vec<relucert::arcs::directions::ArcDirection>,
    opts: &ArcOptions,
) -> Vec<ArcResult> {
    let what = format!(
        "arcs of {}",
        cert.family.map_or("the point".to_string(), |f| format!(
            "{} at d = {}",
            f.name(),
            cert.partition.d()
        ))
    );
    let bar = super::progress::Progress::new(0, &what);
    let results = arcs::run_directions(cert, dirs, opts, &|n| {
        if n > 0 {
            bar.set_total(n as u64)
        } else {
            bar.inc("")
        }
    });
    bar.finish();
    results
}

/// The arc types of `cert` (of about `types`, the count checked against --max-types),
/// with progress while they are enumerated (one item per axis).
fn enumerate_types(
    cert: &Certificate,
    opts: &ArcOptions,
    types: u128,
) -> relucert::arcs::directions::Enumeration {
    let what = format!(
        "enumerating {types} arc types of {}, axis by axis",
        cert.family.map_or("the point".to_string(), |f| format!(
            "{} at d = {}",
            f.name(),
            cert.partition.d()
        ))
    );
    let bar = super::progress::Progress::new(0, &what);
    let listing = arcs::listing_for(cert, opts, &|_done, total| {
        bar.set_total(total as u64);
        bar.inc("");
    });
    bar.finish();
    listing
}

/// Run `arcs`.
pub fn run(a: &ArcsArgs) -> Result<i32> {
    // Output paths are checked before anything is computed.
    if let Some(path) = &a.svg {
        relucert::output_file::check_writable(path)?;
    }
    if a.sweep {
        return run_sweep(a);
    }
    for (given, flag) in [
        (a.families.is_some(), "--families"),
        (a.csv.is_some(), "--csv"),
        (a.markdown.is_some(), "--markdown"),
        (a.latex.is_some(), "--latex"),
        (a.max_points.is_some(), "--max-points"),
    ] {
        if given {
            return Err(Error::bad_input(
                flag,
                "only with --sweep",
                "arcs --sweep --d SPEC [--families I,II] [--csv F] [--markdown F] [--latex F] [--max-points N]",
            ));
        }
    }
    if a.compare {
        return run_compare(a);
    }
    let sel = a.point.select(None, Some("arcs"))?;
    let opts = options(a, sel.partition.d())?;
    if a.full && sel.partition.d() > 12.0 {
        return Err(Error::bad_input(
            "--full",
            format!(
                "d = {} is too large for full-space tracing",
                sel.partition.d()
            ),
            "d <= 12",
        ));
    }
    if a.search_leading && !(1..=10_000).contains(&a.search_starts) {
        return Err(Error::bad_input(
            format!("--search-starts {}", a.search_starts),
            "out of range",
            "1 <= search-starts <= 10000",
        ));
    }
    let cert = certified_base(sel.family, &sel.partition, &sel.found.theta, opts.prec)?;
    if a.search_leading {
        return run_search_leading(&cert, a);
    }
    let types = arcs::count_types(&cert, &opts);
    if types > opts.max_types {
        return Err(Error::bad_input(
            format!("--d {}", sel.partition.d()),
            format!("{types} arc types would be enumerated (more than --max-types {})", opts.max_types),
            "--extreme (the minimizing and maximizing candidates, a number independent of d), or a larger --max-types",
        ));
    }
    let listing = enumerate_types(&cert, &opts, types);
    let results = run_arcs_on(
        &cert,
        arcs::select(listing.directions.clone(), &opts),
        &opts,
    );
    let candidates = arcs::smallest_candidates(&cert, &listing);
    let full = if a.full {
        Some(full_report(&cert, &results, &opts))
    } else {
        None
    };
    if let Some(path) = &a.svg {
        let svg = relucert::render::arcs_plot::svg(&cert, &results);
        relucert::output_file::write_file(path, svg.as_bytes())?;
    }
    if a.json {
        let mut v = report_json(&cert, &results, &opts, a.trace);
        if opts.extreme_only {
            v["candidates"] = candidates_json(&candidates, cert.prec);
            v["candidates_summary"] = candidates_summary_json(&candidates);
        }
        if let Some((j, _)) = &full {
            v["full_space"] = j.clone();
        }
        // One line: a run at d = 1000 has thousands of arcs.
        outln!("{v}")?;
    } else {
        out!("{}", report_text(&cert, &results, &opts))?;
        if opts.extreme_only {
            out!("{}", candidates_text(&candidates, cert.prec))?;
        }
        if let Some((_, t)) = &full {
            out!("{t}")?;
        }
        if let Some(path) = &a.svg {
            outln!("plot written to {}", path.display())?;
        }
    }
    Ok(verdict([results.as_slice()]))
}

/// The exit code of an arcs run: 0 when every tangency point asked for and every critical
/// end is certified, else 3 with one line on stderr naming the first unproved claim and the
/// count (`relucert::arcs::unproved`).
fn verdict<'a>(runs: impl IntoIterator<Item = &'a [ArcResult]>) -> i32 {
    let mut all = Vec::new();
    for results in runs {
        all.extend(arcs::unproved(results).into_iter().map(|u| (u, results)));
    }
    let Some((u, results)) = all.first() else {
        return 0;
    };
    let r = &results[u.arc];
    errln!(
        "relucert: inconclusive: {} of arc {} ({} {} {}) not certified: {} ({} unproved claim{} in all)",
        u.what,
        u.arc + 1,
        r.dir.axis.kind.label(),
        r.dir.isotropy_label(),
        direction_label(r),
        u.reason,
        all.len(),
        if all.len() == 1 { "" } else { "s" }
    );
    super::EXIT_INCONCLUSIVE
}

/// A direction's name in the candidate list: its isotropy and sign.
fn candidate_name(dir: &relucert::arcs::directions::ArcDirection) -> String {
    format!(
        "{} {}",
        relucert::arcs::directions::isotropy(dir).name,
        if dir.mirror_pair {
            "±"
        } else {
            dir.sign.symbol()
        }
    )
}

/// The fewest significant digits (from 4 up to the precision's) at which the printed
/// enclosures (rounded outward) of every two certified coefficients of the same order that
/// the ranking separates print disjoint, compared exactly as decimals. Display only: the
/// ranks come from the enclosures themselves.
fn separating_digits(c: &[arcs::Candidate], prec: u32) -> usize {
    use relucert::arcs::directions::{certainly_below, RankedCoefficient};
    use relucert::arith::decimal::parse_decimal;
    let coefs: Vec<RankedCoefficient> = c
        .iter()
        .filter_map(|x| x.dir.certified_leading.as_ref().ok())
        .map(|l| RankedCoefficient {
            order: l.order,
            value: l.coefficient.clone(),
        })
        .collect();
    let max = relucert::arith::decimal::digits_for_prec(prec);
    (4..max)
        .find(|&digits| {
            let printed: Vec<_> = coefs
                .iter()
                .map(|x| {
                    (
                        parse_decimal(&x.value.lo_decimal(digits)),
                        parse_decimal(&x.value.hi_decimal(digits)),
                    )
                })
                .collect();
            coefs.iter().enumerate().all(|(i, a)| {
                coefs.iter().enumerate().all(|(k, b)| {
                    a.order != b.order
                        || !certainly_below(a, b)
                        || matches!((&printed[i].1, &printed[k].0), (Some(x), Some(y)) if x < y)
                })
            })
        })
        .unwrap_or(max)
}

/// The candidates for the minimizing arc, ranked (text). The coefficient column names its
/// quantity: the certified cubic or effective quartic, or, when not certified, the
/// enclosure along the float direction under its own name (`D3` or `D4`), never ranked.
fn candidates_text(c: &arcs::Candidates, prec: u32) -> String {
    use relucert::render::report::interval_str;
    let (listed, certified) = c.counts();
    let ranked = c
        .listed
        .iter()
        .filter(|x| x.rank.certified().is_some())
        .count();
    let complete = c.incomplete.is_empty();
    let digits = separating_digits(&c.listed, prec);
    let mut s = format!(
        "\ncandidates for the minimizing arc (lattice types of the smallest eigenvalue with at most {} points split off: {}; ranked by the certified leading coefficient, a rank certified only when its enclosure is disjoint from every other):\n",
        relucert::arcs::lattice::MAX_SPLIT,
        if complete {
            "every one"
        } else {
            "not every one, see below"
        },
    );
    s += &format!(
        "{listed} directions (type and sign) listed, {certified} with a certified leading coefficient, {ranked} with a certified rank{}\n",
        if c.omitted.is_empty() {
            String::new()
        } else {
            format!("; {} types without a direction (not certified)", c.omitted.len())
        }
    );
    for why in &c.incomplete {
        s += &format!("not every lattice type is listed: {why}\n");
    }
    s += "| rank | isotropy | dir | leading (certified along the enclosed eigenline) |\n|---|---|---|---|\n";
    for x in &c.listed {
        let lead = match &x.dir.certified_leading {
            Ok(l) if l.order == 3 => format!("cubic {}", interval_str(&l.coefficient, digits)),
            Ok(l) => format!("eff. quartic {}", interval_str(&l.coefficient, digits)),
            Err(e) => format!("not certified ({e}); {}", leading_label(x.dir)),
        };
        s += &format!(
            "| {} | {} | {} | {} |\n",
            x.rank.label(),
            relucert::arcs::directions::isotropy(x.dir).name,
            if x.dir.mirror_pair {
                "±"
            } else {
                x.dir.sign.symbol()
            },
            lead
        );
    }
    for o in &c.omitted {
        s += &format!(
            "| not ranked | {} | - | not certified: no direction ({}) |\n",
            o.name(),
            o.reason
        );
    }
    let first: Vec<String> = c
        .listed
        .iter()
        .filter(|x| x.rank.certified() == Some(1))
        .map(|x| candidate_name(x.dir))
        .collect();
    s += &match c.certified_minimizing() {
        Some(best) => format!(
            "certified minimizing candidate: {}\n",
            best.iter()
                .map(|x| candidate_name(x.dir))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None if !first.is_empty() => format!(
            "rank 1 among the listed directions: {} (not a certified minimizing candidate: not every lattice type is listed)\n",
            first.join(", ")
        ),
        None => "no certified minimizing candidate (rank 1 is not separated from every other listed coefficient, or not certified)\n".to_string(),
    };
    s
}

/// A rank as JSON fields: `rank` (only when certified), `rank_status` (`certified`,
/// `not_separated`, `not_ranked`), `rank_range` (not separated) and `rank_reason` (not
/// ranked).
fn rank_json(rank: &relucert::arcs::directions::Rank, v: &mut Value) {
    use relucert::arcs::directions::Rank;
    match rank {
        Rank::Certified(n) => {
            v["rank"] = json!(n);
            v["rank_status"] = json!("certified");
        }
        Rank::NotSeparated {
            lowest,
            highest,
            overlapping,
            uncertified,
        } => {
            v["rank_status"] = json!("not_separated");
            v["rank_range"] = json!({"lowest": lowest, "highest": highest, "overlapping": overlapping, "uncertified": uncertified});
        }
        Rank::NotRanked { reason } => {
            v["rank_status"] = json!("not_ranked");
            v["rank_reason"] = json!(reason);
        }
    }
}

/// A direction's leading coefficient as JSON fields: `leading_coefficient` and
/// `leading_order` only when certified (the cubic, or `q_eff`); otherwise
/// `leading_failure` and `float_direction` (the enclosure along the float direction,
/// named by its quantity: `D3L[u^3]` or `D4L[u^4]`).
fn leading_json(dir: &relucert::arcs::directions::ArcDirection, digits: usize, v: &mut Value) {
    v["leading_certified"] = json!(dir.certified_leading.is_ok());
    match &dir.certified_leading {
        Ok(l) => {
            v["leading_order"] = json!(l.order);
            v["leading_coefficient"] = interval_json(&l.coefficient, digits);
        }
        Err(e) => {
            v["leading_failure"] = json!(e.to_string());
            v["float_direction"] = json!({
                "quantity": if matches!(dir.leading, Leading::Quartic(_)) { "D4L[u^4]" } else { "D3L[u^3]" },
                "value": interval_json(dir.leading.value(), digits),
            });
        }
    }
}

/// The candidates for the minimizing arc, ranked (JSON): the listed directions, then the
/// types without a direction; coefficients with at least 10 digits, and as many more as
/// the separated ranks need to print disjoint.
fn candidates_json(c: &arcs::Candidates, prec: u32) -> Value {
    // Enough digits that the printed enclosures of separated ranks print disjoint.
    let digits = separating_digits(&c.listed, prec).max(10);
    let mut out: Vec<Value> = c
        .listed
        .iter()
        .map(|x| {
            let iso = relucert::arcs::directions::isotropy(x.dir);
            let mut v = json!({
                "isotropy": {"partition": iso.partition, "h_generators": iso.h_generators, "name": iso.name},
                "direction": x.dir.sign.symbol(),
                "mirror_pair": x.dir.mirror_pair,
            });
            rank_json(&x.rank, &mut v);
            leading_json(x.dir, digits, &mut v);
            v
        })
        .collect();
    out.extend(c.omitted.iter().map(|o| {
        json!({
            "isotropy": {"name": o.name()},
            "rank_status": "not_ranked",
            "rank_reason": "no direction was built",
            "leading_certified": false,
            "leading_failure": o.reason,
        })
    }));
    Value::Array(out)
}

/// The counts and verdict of the candidate list (JSON).
fn candidates_summary_json(c: &arcs::Candidates) -> Value {
    let (listed, certified) = c.counts();
    json!({
        "listed": listed,
        "leading_certified": certified,
        "rank_certified": c.listed.iter().filter(|x| x.rank.certified().is_some()).count(),
        "without_direction": c.omitted.len(),
        "every_lattice_type": c.incomplete.is_empty(),
        "incomplete": c.incomplete,
        "certified_minimizing": c.certified_minimizing().map(|b| b.iter().map(|x| candidate_name(x.dir)).collect::<Vec<_>>()),
    })
}

/// `arcs --search-leading`: the approximate search of `relucert::arcs::leading_search`
/// (text or JSON under `leading_search`); exit 0 when it ran (it proves nothing).
fn run_search_leading(cert: &Certificate, a: &ArcsArgs) -> Result<i32> {
    use relucert::arcs::directions::{self, Base};
    use relucert::arcs::leading_search::{self, SearchOptions};
    let base = Base::new(cert).ok_or_else(|| Error::Numerical("no base point".into()))?;
    let min_kind = cert.proof.min_eigenvalue.kind;
    let part = &cert.partition;
    let dirs = directions::enumerate_on(&base, &|kind| {
        if kind == min_kind {
            directions::extreme_axes(part, kind)
        } else {
            Vec::new()
        }
    });
    let opts = SearchOptions {
        starts: a.search_starts as usize,
        newton_starts: a.search_starts as usize,
        ..SearchOptions::default()
    };
    let bar = super::progress::Progress::new(7, "leading-form search");
    let t0 = std::time::Instant::now();
    let found = leading_search::search(cert, &dirs, &opts, &|name| bar.inc(name))
        .map_err(|e| Error::Numerical(format!("--search-leading: {e}")))?;
    bar.finish();
    let seconds = t0.elapsed().as_secs_f64();
    if a.json {
        let mut v = json!({
            "family": cert.family.map(Family::name),
            "d": cert.partition.d() as u64,
            "partition": cert.partition.int_sizes(),
            "leading_search": search_json(&found, seconds),
        });
        drop_nulls(&mut v);
        outln!("{v}")?;
    } else {
        out!("{}", search_text(cert, &found, seconds))?;
    }
    Ok(0)
}

fn verdict_line(s: &relucert::arcs::leading_search::LeadingSearch) -> String {
    use relucert::render::report::interval_str;
    match (&s.best_axial, s.lowest, s.lower_than_axial) {
        (Some(b), Some(q), Some(false)) => format!(
            "no direction lower than the best axial one (lowest found q = {q:.12e}, best axial q = {} at {})",
            interval_str(&b.coefficient, 10),
            b.label
        ),
        (Some(b), Some(q), Some(true)) => format!(
            "a direction LOWER than the best axial one: q = {q:.12e} (best axial q = {} at {})",
            interval_str(&b.coefficient, 10),
            b.label
        ),
        (None, Some(q), _) => {
            format!("lowest found q = {q:.12e}; no certified axial coefficient to compare with")
        }
        _ => "no critical direction found".into(),
    }
}

fn search_text(
    cert: &Certificate,
    s: &relucert::arcs::leading_search::LeadingSearch,
    seconds: f64,
) -> String {
    let who = relucert::search::families::point_label(cert.family);
    let mut t = format!(
        "leading-form search (approximate: a numerical search, not a proof) at {who}, d = {} (partition {})\n",
        cert.partition.d() as u64,
        cert.partition.label()
    );
    t += &format!(
        "smallest eigenvalue {:.10e} on {}; leading form: {}\n",
        s.lambda,
        s.kind.label(),
        if s.order == 3 {
            "cubic D^3L[v,v,v]"
        } else {
            "effective quartic D^4L[v^4]/24 - (1/8) g^T (H - lambda)^+ g"
        }
    );
    if let Some(why) = &s.full_space_skipped {
        t += &format!("full space not searched: {why}; only the fixed spaces\n");
    }
    t += "\n| space | dim | starts | critical values found | lowest (approx.) | its index | its isotropy (approx.) | s |\n|---|---|---|---|---|---|---|---|\n";
    for sp in &s.spaces {
        let low = sp.lowest();
        t += &format!(
            "| {} | {} | {} | {} | {} | {} | {} | {:.2} |\n",
            sp.name,
            sp.dimension,
            sp.starts,
            sp.critical.len(),
            low.map_or("-".into(), |c| format!("{:.12e}", c.value)),
            low.map_or("-".into(), |c| c.index.to_string()),
            low.map_or("-".into(), |c| c.label.clone()),
            sp.seconds
        );
    }
    t += "\ncritical values (approx.; index on that sphere, hits):\n";
    for sp in &s.spaces {
        let vals: Vec<String> = sp
            .critical
            .iter()
            .map(|c| {
                format!(
                    "{:.10e} (index {}, {}x, {})",
                    c.value, c.index, c.hits, c.label
                )
            })
            .collect();
        t += &format!("  {}: {}\n", sp.name, vals.join("; "));
    }
    t += &format!(
        "\n{} (approximate; tolerance {:.1e}; {:.2} s)\n",
        verdict_line(s),
        s.tolerance,
        seconds
    );
    t
}

fn search_json(s: &relucert::arcs::leading_search::LeadingSearch, seconds: f64) -> Value {
    let spaces: Vec<Value> = s
        .spaces
        .iter()
        .map(|sp| {
            json!({
                "name": sp.name,
                "k": sp.k,
                "dimension": sp.dimension,
                "starts": sp.starts,
                "seconds": sp.seconds,
                "critical": sp.critical.iter().map(|c| json!({
                    "value": c.value, "index": c.index, "degenerate": c.degenerate,
                    "hits": c.hits, "isotropy": c.label, "residual": c.residual,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "approximate": true,
        "component": {"kind": s.kind.name(), "block": block_json(s.kind)},
        "eigenvalue_approx": s.lambda,
        "order": s.order,
        "full_space_skipped": s.full_space_skipped,
        "spaces": spaces,
        "best_axial": s.best_axial.as_ref().map(|b| json!({
            "coefficient": interval_json(&b.coefficient, 12), "order": b.order, "isotropy": b.label,
        })),
        "lowest": s.lowest,
        "tolerance": s.tolerance,
        "lower_than_axial": s.lower_than_axial,
        "verdict": verdict_line(s),
        "seconds": seconds,
    })
}

fn run_compare(a: &ArcsArgs) -> Result<i32> {
    let raw = a
        .point_d()
        .ok_or_else(|| Error::bad_input("--compare", "needs --d", "arcs --compare --d D"))?;
    let d = args::parse_d(&raw)?;
    if d.fract() != 0.0 || d < 7.0 {
        return Err(Error::bad_input(
            format!("--d {raw}"),
            "arcs --compare needs an integer d >= 7 (both I and II minima)",
            "an integer 7 <= d <= 1e12",
        ));
    }
    let opts = &options(a, d)?;
    let mut sides = Vec::new();
    for fam in [Family::I, Family::II] {
        let loc = relucert::search::families::locate(fam, d, None)
            .map_err(|e| Error::Numerical(format!("family {}: {e}", fam.name())))?;
        let cert = certified_base(Some(fam), &loc.partition, &loc.found.theta, opts.prec)?;
        let results = run_arcs(&cert, opts);
        sides.push((fam, cert, results));
    }
    if a.json {
        let v: Vec<Value> = sides
            .iter()
            .map(|(_, c, r)| report_json(c, r, opts, a.trace))
            .collect();
        print_json(&json!({"d": d as u64, "families": v}))?;
        return Ok(verdict(sides.iter().map(|s| s.2.as_slice())));
    }
    outln!(
        "Minimizing and maximizing tangency arcs at d = {} ({}-bit certification; radii {})",
        d as u64,
        opts.prec,
        radii_label(opts)
    )?;
    outln!()?;
    outln!("| family | arc | component | isotropy | direction | leading term | certified types | end |")?;
    outln!("|---|---|---|---|---|---|---|---|")?;
    for (fam, _, results) in &sides {
        for (label, want) in [("minimizing", ArcType::Min), ("maximizing", ArcType::Max)] {
            for r in results.iter().filter(|r| is_type(r, want)) {
                outln!(
                    "| {} | {label} | {} | {} | {} | {} | {} | {} |",
                    fam.name(),
                    r.dir.axis.kind.label(),
                    r.dir.isotropy_label(),
                    direction_label(r),
                    leading_label(&r.dir),
                    certified_label(r),
                    end_label(r)
                )?;
            }
        }
    }
    Ok(verdict(sides.iter().map(|s| s.2.as_slice())))
}

/// `arcs --sweep`: the minimizing arcs of each family's minimum at every d of the
/// specification (library `relucert::sweep`, writers `relucert::render::sweep`). Exit 0
/// when every (family, d) is certified, 3 when some is not (its row says why).
fn run_sweep(a: &ArcsArgs) -> Result<i32> {
    use relucert::render::sweep as render;
    let raw = a.point_d().ok_or_else(|| {
        Error::bad_input(
            "--sweep",
            "needs --d",
            "arcs --sweep --d SPEC (e.g. 7..1000:log:20)",
        )
    })?;
    let families = relucert::compare::parse_families(a.families.as_deref().unwrap_or("I,II"))?;
    let ds = relucert::compare::parse_d_spec(&raw)?;
    relucert::compare::check_families_d(&raw, &ds, &families)?;
    args::check_points(
        "arcs --sweep",
        &raw,
        ds.len(),
        families.len(),
        a.max_points.unwrap_or(SWEEP_MAX_POINTS),
        ds.iter()
            .map(|&d| families.len() as f64 * sweep_secs_per_point(d))
            .sum(),
    )?;
    let files = [
        (&a.csv, "CSV"),
        (&a.markdown, "Markdown"),
        (&a.latex, "LaTeX"),
        (&a.svg, "SVG"),
    ];
    for (path, _) in files {
        if let Some(p) = path {
            relucert::output_file::check_writable(p)?;
        }
    }
    let bar = super::progress::Progress::new((families.len() * ds.len()) as u64, "arcs --sweep");
    let sw = relucert::sweep::sweep(&families, &ds, |f, d| {
        bar.inc(&format!("{} at d = {d}", f.name()))
    });
    bar.finish();
    let mut written = Vec::new();
    for (path, what) in files {
        if let Some(p) = path {
            let text = match what {
                "CSV" => render::csv(&sw),
                "Markdown" => render::markdown(&sw),
                "LaTeX" => render::latex(&sw),
                _ => render::svg(&sw),
            };
            relucert::output_file::write_file(p, text.as_bytes())?;
            written.push(format!("{what} written to {}", p.display()));
        }
    }
    let text = if a.json {
        relucert::render::report::json_text(&render::json(&sw))
    } else {
        let mut t = render::markdown(&sw);
        for w in &written {
            t += w;
            t += "\n";
        }
        t
    };
    out!("{text}")?;
    let failures = sw.failures();
    if let Some((f, d, why)) = failures.first() {
        errln!(
            "relucert: not certified: family {} at d = {d}: {why} ({} of {} (family, d) not certified)",
            f.name(),
            failures.len(),
            sw.rows.len()
        );
        return Ok(super::EXIT_INCONCLUSIVE);
    }
    Ok(0)
}

impl ArcsArgs {
    fn point_d(&self) -> Option<String> {
        self.point.d_raw()
    }
}

fn radii_label(opts: &ArcOptions) -> String {
    match &opts.radii {
        Some(r) => r.join(", "),
        None => "20%, 40%, 80% of min(each arc's reach, 0.05 s), s = min(1, sqrt(10/d))".into(),
    }
}

/// Whether every certified radius proved `want` (and at least one did).
fn is_type(r: &ArcResult, want: ArcType) -> bool {
    r.proved_type() == Some(want)
}

fn direction_label(r: &ArcResult) -> String {
    if r.dir.mirror_pair {
        "± (mirror pair)".into()
    } else {
        r.dir.sign.symbol().into()
    }
}

fn leading_label(dir: &relucert::arcs::directions::ArcDirection) -> String {
    use relucert::render::report::interval_str;
    match &dir.certified_leading {
        Ok(c) if c.order == 3 => format!("cubic {}", interval_str(&c.coefficient, 4)),
        Ok(c) => format!("eff. quartic {}", interval_str(&c.coefficient, 4)),
        Err(_) => {
            let l = &dir.leading;
            let v = interval_str(l.value(), 4);
            match l {
                Leading::Cubic(_) => format!("cubic {v} (along the float direction)"),
                Leading::Quartic(_) => format!("D4 {v} (along the float direction)"),
                Leading::Undetermined(_) => format!("cubic? {v} (along the float direction)"),
            }
        }
    }
}

fn certified_label(r: &ArcResult) -> String {
    r.certified
        .iter()
        .map(|x| match &x.proof {
            Ok(p) => format!("{} @ {}", p.kind.name(), x.r),
            Err(_) => format!("- @ {}", x.r),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn end_label(r: &ArcResult) -> String {
    use relucert::render::report::interval_str;
    let head = match (&r.end.kind, &r.end.critical) {
        (EndKind::CriticalPoint, Some(Ok(c))) => {
            let cls = match c.proof.verdict.index() {
                Some(0) => "minimum".to_string(),
                Some(i) => format!("saddle of index {i}"),
                None => "inconclusive".into(),
            };
            return format!(
                "critical point [{}]: {cls}, loss {}, distance {}",
                c.partition.label(),
                interval_str(&c.proof.loss, 6),
                r.end
                    .distance
                    .as_ref()
                    .map_or("?".into(), |x| interval_str(x, 6))
            );
        }
        (EndKind::CriticalPoint, Some(Err(e))) => format!(
            "critical point near r ≈ {:.4} (approximate; not certified: {e})",
            r.end.r
        ),
        _ => {
            if let Some(Ok(EndProof::Fold(f))) = &r.end.certified {
                return format!(
                    "fold (certified turning point) at r = {}, loss {}",
                    interval_str(&f.r, 6),
                    interval_str(&f.loss, 6)
                );
            }
            format!(
                "{} at r ≈ {:.4} (approximate{})",
                r.end.kind.name(),
                r.end.r,
                if r.end.kind == EndKind::Fold {
                    "; turning point not certified"
                } else {
                    ""
                }
            )
        }
    };
    head + &match &r.end.certified {
        Some(Ok(EndProof::LastPoint(p))) => last_point_label(r, p),
        Some(Err(e)) => format!(
            ", loss ≈ {:.6} (approximate); no point certified: {e}",
            r.end.loss
        ),
        Some(Ok(EndProof::Fold(_))) => String::new(),
        None => format!(", loss ≈ {:.6} (approximate)", r.end.loss),
    }
}

/// The last certified point of an end, appended to its label.
fn last_point_label(r: &ArcResult, p: &LastPoint) -> String {
    use relucert::render::report::{interval_str, lo_str};
    let mut s = format!(
        "; last certified point r = {}: loss {}, {}",
        p.r,
        interval_str(&p.loss, 6),
        p.kind.name()
    );
    if let Some(n) = &p.near {
        let (what, measure) = match n.kind {
            ArgumentKind::Cosine => ("become parallel", "1 - abs(cos)"),
            ArgumentKind::Norm => ("tends to 0", "the norm"),
        };
        s += &format!(
            "; {} of [{}] {what}: {measure} >= {} at the certified point (≈ {:.1e} at the trace's end, approximate)",
            n.argument,
            r.dir.space.fine.label(),
            lo_str(&n.at_point, 3),
            n.approx_at_end
        );
    }
    s
}

/// The full-space part of the report, rendered from [`relucert::arcs::full::study`]:
/// cross-checks of the minimizing and maximizing arcs, and the [n-2,1,1] Young axis
/// against the 3-cycle axis (JSON and text).
fn full_report(cert: &Certificate, results: &[ArcResult], opts: &ArcOptions) -> (Value, String) {
    use relucert::render::report::interval_str;
    let study = relucert::arcs::full::study(cert, results, opts.r_max_factor, opts.max_steps);
    let mut checks = Vec::new();
    let mut text = format!("\nfull-space cross-check ({} unknowns, dense closed-form Hessian, no symmetry reduction):\n", cert.partition.d() * cert.partition.d());
    text += "| arc | component | isotropy | dir | points compared | max rel. dL | max rel. dmu | reduced end (approx.) | full-space end (approx.) |\n|---|---|---|---|---|---|---|---|---|\n";
    for c in &study.cross_checks {
        let (k, r) = (c.arc, &results[c.arc]);
        text += &format!(
            "| {} | {} | {} | {} | {} | {:.1e} | {:.1e} | {} at r = {:.4} | {} at r = {:.4} |\n",
            k + 1,
            r.dir.axis.kind.label(),
            r.dir.isotropy_label(),
            direction_label(r),
            c.compared,
            c.max_loss_diff,
            c.max_mu_diff,
            c.reduced_end.kind.name(),
            c.reduced_end.r,
            c.full_end.kind.name(),
            c.full_end.r
        );
        checks.push(json!({"arc": k + 1, "compared": c.compared, "max_loss_diff": c.max_loss_diff, "max_mu_diff": c.max_mu_diff,
            "reduced_end": {"kind": c.reduced_end.kind.name(), "r": c.reduced_end.r}, "full_end": {"kind": c.full_end.kind.name(), "r": c.full_end.r}}));
    }
    let mut dirs_json = Vec::new();
    if let Some(y) = study.young_arc.map(|k| &results[k]) {
        text += &format!(
            "\n[n-2,1,1] of block 1 (eigenvalue {}): quartic terms along unit directions\n",
            interval_str(&y.dir.lambda, 8)
        );
        text += "| direction | u^T H u (approx.) | D^4 L[u^4] (enclosed) | effective quartic (approx.) | full-space arc end (approx.) |\n|---|---|---|---|---|\n";
        for f in &study.one_one {
            text += &format!(
                "| {} | {:.8} | {} | {:.6e} | {} at r = {:.4}, L = {:.6} |\n",
                f.name,
                f.quartic.rayleigh,
                f.quartic
                    .raw
                    .as_ref()
                    .map_or("-".into(), |x| interval_str(x, 6)),
                f.quartic.effective,
                f.end.kind.name(),
                f.end.r,
                f.end_loss
            );
            dirs_json.push(json!({"direction": f.name, "rayleigh": f.quartic.rayleigh,
                "quartic": f.quartic.raw.as_ref().map(|x| interval_json(x, 20)), "effective_quartic": f.quartic.effective,
                "cubic_approx": f.quartic.cubic, "end": {"kind": f.end.kind.name(), "r": f.end.r, "loss": f.end_loss}}));
        }
        if let Some(lower) = study.three_cycle_lower {
            text += &format!(
                "the non-Young 3-cycle axis is {} than the Young axis in the effective quartic term (approximate comparison)\n",
                if lower { "LOWER" } else { "not lower" }
            );
        }
    }
    (
        json!({"cross_checks": checks, "one_one_directions": dirs_json}),
        text,
    )
}

/// Exact: the JSON report (contract of the arcs issue).
pub fn report_json(
    cert: &Certificate,
    results: &[ArcResult],
    opts: &ArcOptions,
    with_trace: bool,
) -> Value {
    // 10 significant digits, rounded outward (still enclosures, only wider; the certificate
    // files keep every digit the precision carries): a run at d = 1000 has 5000 arcs.
    let digits = enclosure_digits(opts.prec).min(10);
    let dirs: Vec<&relucert::arcs::directions::ArcDirection> =
        results.iter().map(|r| &r.dir).collect();
    let ranks = relucert::arcs::directions::leading_ranks(&dirs);
    let arcs: Vec<Value> = results
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let iso = relucert::arcs::directions::isotropy(&r.dir);
            let certified: Vec<Value> = r
                .certified
                .iter()
                .map(|x| match &x.proof {
                    Ok(p) => {
                        let mut v = json!({"r": {"lo": x.r, "hi": x.r}, "type": p.kind.name(), "mu": interval_json(&p.mu, digits), "loss": interval_json(&p.loss, digits)});
                        // The Krawczyk box radius only with the traces (it is in every
                        // tangency-point certificate file).
                        if with_trace {
                            v["box_radius"] = json!(p.radius);
                        }
                        // The reason is kept where the type is not decided.
                        if p.kind == ArcType::Inconclusive {
                            v["reason"] = json!(p.reason);
                        }
                        v
                    }
                    Err(e) => json!({"r": {"lo": x.r, "hi": x.r}, "type": "inconclusive", "reason": e.to_string()}),
                })
                .collect();
            let end = match (&r.end.kind, &r.end.critical) {
                (EndKind::CriticalPoint, Some(Ok(c))) => json!({
                    "kind": "critical_point",
                    "r": r.end.distance.as_ref().map(|x| interval_json(x, digits)),
                    "loss": interval_json(&c.proof.loss, digits),
                    "classification": c.proof.verdict.name(),
                    "index": c.proof.verdict.index(),
                    "partition": c.partition.int_sizes(),
                    "center": c.center,
                }),
                (k, crit) => {
                    let mut e = json!({
                        "kind": k.name(),
                        "r": {"approx": r.end.r},
                        "loss": {"approx": r.end.loss},
                        "partition": r.dir.space.fine.int_sizes(),
                        "reason": crit.as_ref().and_then(|c| c.as_ref().err()).map(ToString::to_string),
                    });
                    match &r.end.certified {
                        Some(Ok(EndProof::Fold(f))) => {
                            e["certified"] = json!("turning_point");
                            e["r"] = interval_json(&f.r, digits);
                            e["loss"] = interval_json(&f.loss, digits);
                            e["mu"] = interval_json(&f.mu, digits);
                            if with_trace {
                                e["box_radius"] = json!(f.box_radius);
                            }
                        }
                        Some(Ok(EndProof::LastPoint(p))) => {
                            e["certified"] = json!("last_point");
                            e["last_point"] = json!({
                                "r": {"lo": p.r, "hi": p.r},
                                "loss": interval_json(&p.loss, digits),
                                "mu": interval_json(&p.mu, digits),
                                "type": p.kind.name(),
                            });
                            if let Some(n) = &p.near {
                                e["near_set"] = json!({
                                    "argument": n.argument,
                                    "kind": match n.kind { ArgumentKind::Cosine => "one_minus_abs_cos", ArgumentKind::Norm => "row_norm" },
                                    "at_last_point": interval_json(&n.at_point, digits),
                                    "at_trace_end": {"approx": n.approx_at_end},
                                });
                            }
                            if let Some(f) = &p.fold_failure {
                                e["fold_not_certified"] = json!(f);
                            }
                        }
                        Some(Err(why)) => e["not_certified"] = json!(why),
                        None => {}
                    }
                    e
                }
            };
            let mut v = json!({
                "component": {"kind": r.dir.axis.kind.name(), "block": block_json(r.dir.axis.kind)},
                "isotropy": {
                    "partition": iso.partition,
                    "h_generators": iso.h_generators,
                    "name": iso.name,
                },
                "axial_dimension_check": iso.axial_dimension,
                "fourth_derivative": r.dir.certified_leading.as_ref().ok().and_then(|c| c.fourth.as_ref()).map(|x| interval_json(x, digits)),
                "eigenvalue_index": r.dir.index,
                "eigenvalue": interval_json(&r.dir.lambda, digits),
                "direction": r.dir.sign.symbol(),
                "mirror_pair": r.dir.mirror_pair,
                "leading": r.dir.leading.name(),
                "effective_quartic_approx": r.dir.effective_quartic,
                "predicted": r.predicted.name(),
                "certified": certified,
                "end": end,
            });
            leading_json(&r.dir, digits, &mut v);
            rank_json(&ranks[k], &mut v);
            if with_trace {
                v["trace"] = r.trace.iter().map(|p| json!([p.r, p.loss, p.mu])).collect();
            }
            drop_nulls(&mut v);
            v
        })
        .collect();
    json!({
        "family": cert.family.map(Family::name),
        "d": cert.partition.d() as u64,
        "partition": cert.partition.int_sizes(),
        "precision_bits": opts.prec,
        "critical_point": {"classification": cert.proof.verdict.name(), "index": cert.proof.verdict.index(), "loss": interval_json(&cert.proof.loss, digits)},
        "radii": opts.radii.clone().map_or(json!("auto"), |r| json!(r)),
        "arcs": arcs,
    })
}

/// Remove the keys whose value is null (absent means "not applicable" in the arcs JSON).
fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Exact: the text report.
pub fn report_text(cert: &Certificate, results: &[ArcResult], opts: &ArcOptions) -> String {
    let mut s = String::new();
    let who = relucert::search::families::point_label(cert.family);
    s += &format!(
        "tangency arcs at {who}, d = {} (partition {}; {}), certified at r = {} with {}-bit intervals\n",
        cert.partition.d() as u64,
        cert.partition.label(),
        match cert.proof.verdict.index() {
            Some(0) => "strict local minimum".to_string(),
            Some(i) => format!("saddle of index {i}"),
            None => "inconclusive".into(),
        },
        radii_label(opts),
        opts.prec
    );
    let non_young = results.iter().filter(|r| r.dir.non_young.is_some()).count();
    s += &format!(
        "{} arc types traced ({} Young, {non_young} non-Young; component x axial isotropy x eigenvalue x sign){}\n\n",
        results.len(),
        results.len() - non_young,
        if opts.extreme_only && !opts.all_types {
            "; of the smallest eigenvalue only the rank-1 candidates (--all-types: all)"
        } else {
            ""
        }
    );
    for (label, want) in [("minimizing", ArcType::Min), ("maximizing", ArcType::Max)] {
        let sel: Vec<&ArcResult> = results.iter().filter(|r| is_type(r, want)).collect();
        s += &format!(
            "{label} arcs (certified {} at every radius): {}\n",
            want.name(),
            sel.len()
        );
        for r in sel {
            s += &format!(
                "  {} isotropy {} direction {} eigenvalue #{} in {}; {}; ends at {}\n",
                r.dir.axis.kind.label(),
                r.dir.isotropy_label(),
                direction_label(r),
                r.dir.index + 1,
                relucert::render::report::interval_str(&r.dir.lambda, 8),
                leading_label(&r.dir),
                end_label(r)
            );
        }
    }
    s += "\nall arcs:\n";
    s += "| # | component | isotropy | eig | dir | leading | predicted | certified | end |\n|---|---|---|---|---|---|---|---|---|\n";
    for (k, r) in results.iter().enumerate() {
        s += &format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            k + 1,
            r.dir.axis.kind.label(),
            r.dir.isotropy_label(),
            r.dir.index + 1,
            direction_label(r),
            leading_label(&r.dir),
            r.predicted.name(),
            certified_label(r),
            end_label(r)
        );
    }
    s
}
