//! `relucert arcs`: the tangency arcs leaving a certified critical point — their types,
//! certified points and ends — and `arcs --compare`, the minimizing arcs of I and II side
//! by side.

use super::args;
use super::output::print_json;
use crate::arcs::directions::{ArcType, Leading};
use crate::arcs::trace::EndKind;
use crate::arcs::{self, ArcOptions, ArcResult};
use crate::certify::certificate::{block_json, enclosure_digits, interval_json, Certificate};
use crate::certify::{self, NotCertified};
use crate::error::{Error, Result};
use crate::families::Family;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Value};
use std::path::PathBuf;

/// Arguments of `arcs`.
#[derive(clap::Args, Debug)]
pub struct ArcsArgs {
    #[command(flatten)]
    point: args::PointArgs,
    /// Put the minimizing and maximizing arcs of I and II at --d side by side.
    #[arg(long)]
    compare: bool,
    /// Precision of every certification in bits (64..8192).
    #[arg(long, default_value_t = 128)]
    prec: u32,
    /// Radii at which tangency points are certified (decimals, comma-separated).
    #[arg(long, default_value = "0.01,0.02,0.04")]
    radii: String,
    /// Enumerate every axial Young subgroup (default: the canonical families, see docs).
    #[arg(long)]
    all_axial: bool,
    /// Trace up to this multiple of |C|_F.
    #[arg(long, default_value_t = 2.0)]
    max_r: f64,
    /// Do not certify the critical points where arcs end.
    #[arg(long)]
    no_ends: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Write an SVG plot of the loss along the arcs against r.
    #[arg(long)]
    svg: Option<PathBuf>,
}

fn options(a: &ArcsArgs) -> Result<ArcOptions> {
    let prec = args::check_prec(a.prec)?;
    let mut radii = Vec::new();
    for r in a.radii.split(',') {
        let r = r.trim();
        let ok = crate::arith::decimal::parse_decimal(r).is_some_and(|q| q > 0 && q < 1000);
        if !ok {
            return Err(Error::bad_input(
                format!("--radii {}", a.radii),
                format!("'{r}' is not a positive decimal below 1000"),
                "comma-separated positive decimals, e.g. 0.01,0.02,0.04",
            ));
        }
        radii.push(r.to_string());
    }
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
        ..ArcOptions::default()
    })
}

fn certified_base(
    family: Option<Family>,
    part: &crate::symmetry::partition::Partition,
    approx: &[crate::arith::Mpfr],
    prec: u32,
) -> Result<Certificate> {
    let cert = certify::certify_point(family, part, approx, prec).map_err(|e| match e {
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

fn run_arcs(cert: &Certificate, opts: &ArcOptions, quiet: bool) -> Vec<ArcResult> {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if quiet {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} arcs ({elapsed})")
            .expect("template"),
    );
    bar.set_message(format!(
        "tracing arcs of {}",
        cert.family.map_or("the point".to_string(), |f| format!(
            "{} at d = {}",
            f.name(),
            cert.partition.d()
        ))
    ));
    let results = arcs::run_with_progress(cert, opts, &|n| {
        if n > 0 {
            bar.set_length(n as u64)
        } else {
            bar.inc(1)
        }
    });
    bar.finish_and_clear();
    results
}

/// Run `arcs`.
pub fn run(a: &ArcsArgs) -> Result<i32> {
    let opts = options(a)?;
    if a.compare {
        return run_compare(a, &opts);
    }
    let sel = a.point.select(None, Some("arcs"))?;
    let cert = certified_base(sel.family, &sel.partition, &sel.found.theta, opts.prec)?;
    let results = run_arcs(&cert, &opts, a.json);
    if let Some(path) = &a.svg {
        let svg = crate::arcs::plot::svg(&cert, &results);
        crate::certify::certificate::write_atomic(path, svg.as_bytes())?;
    }
    if a.json {
        print_json(&report_json(&cert, &results, &opts));
    } else {
        print!("{}", report_text(&cert, &results, &opts));
        if let Some(path) = &a.svg {
            println!("plot written to {}", path.display());
        }
    }
    Ok(0)
}

fn run_compare(a: &ArcsArgs, opts: &ArcOptions) -> Result<i32> {
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
    let mut sides = Vec::new();
    for fam in [Family::I, Family::II] {
        let loc = crate::families::locate(fam, d, None)
            .map_err(|e| Error::Numerical(format!("family {}: {e}", fam.name())))?;
        let cert = certified_base(Some(fam), &loc.partition, &loc.found.theta, opts.prec)?;
        let results = run_arcs(&cert, opts, a.json);
        sides.push((fam, cert, results));
    }
    if a.json {
        let v: Vec<Value> = sides
            .iter()
            .map(|(_, c, r)| report_json(c, r, opts))
            .collect();
        print_json(&json!({"d": d as u64, "families": v}));
        return Ok(0);
    }
    println!(
        "Minimizing and maximizing tangency arcs at d = {} ({}-bit certification; radii {})",
        d as u64,
        opts.prec,
        opts.radii.join(", ")
    );
    println!();
    println!("| family | arc | component | isotropy | direction | leading term | certified types | end |");
    println!("|---|---|---|---|---|---|---|---|");
    for (fam, _, results) in &sides {
        for (label, want) in [("minimizing", ArcType::Min), ("maximizing", ArcType::Max)] {
            for r in results.iter().filter(|r| is_type(r, want)) {
                println!(
                    "| {} | {label} | {} | [{}] | {} | {} | {} | {} |",
                    fam.name(),
                    r.dir.axis.kind.label(),
                    r.dir.fine.label(),
                    direction_label(r),
                    leading_label(&r.dir.leading),
                    certified_label(r),
                    end_label(r)
                );
            }
        }
    }
    Ok(0)
}

impl ArcsArgs {
    fn point_d(&self) -> Option<String> {
        self.point.d_raw()
    }
}

/// Whether every certified radius proved `want` (and at least one did).
fn is_type(r: &ArcResult, want: ArcType) -> bool {
    let proved: Vec<ArcType> = r
        .certified
        .iter()
        .filter_map(|(_, x)| x.as_ref().ok().map(|p| p.kind))
        .collect();
    !proved.is_empty() && proved.iter().all(|&t| t == want)
}

fn direction_label(r: &ArcResult) -> String {
    if r.dir.mirror_pair {
        "± (mirror pair)".into()
    } else {
        r.dir.sign.symbol().into()
    }
}

fn leading_label(l: &Leading) -> String {
    let v = l.value();
    match l {
        Leading::Cubic(_) => format!("cubic {}", crate::report::interval_str(v, 4)),
        Leading::Quartic(_) => format!("quartic {}", crate::report::interval_str(v, 4)),
        Leading::Undetermined(_) => format!("cubic? {}", crate::report::interval_str(v, 4)),
    }
}

fn certified_label(r: &ArcResult) -> String {
    r.certified
        .iter()
        .map(|(rad, x)| match x {
            Ok(p) => format!("{} @ {rad}", p.kind.name()),
            Err(_) => format!("- @ {rad}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn end_label(r: &ArcResult) -> String {
    match (&r.end.kind, &r.end.critical) {
        (EndKind::CriticalPoint, Some(Ok(c))) => {
            let cls = match c.proof.verdict.index() {
                Some(0) => "minimum".to_string(),
                Some(i) => format!("saddle of index {i}"),
                None => "inconclusive".into(),
            };
            format!(
                "critical point [{}]: {cls}, loss {}, distance {}",
                c.partition.label(),
                crate::report::interval_str(&c.proof.loss, 6),
                r.end
                    .distance
                    .as_ref()
                    .map_or("?".into(), |x| crate::report::interval_str(x, 6))
            )
        }
        (EndKind::CriticalPoint, Some(Err(e))) => format!(
            "critical point near r = {:.4} (not certified: {e})",
            r.end.r
        ),
        (k, _) => format!(
            "{} at r ≈ {:.4} (loss ≈ {:.6})",
            k.name(),
            r.end.r,
            r.end.loss
        ),
    }
}

/// Exact: the JSON report (contract of the arcs issue).
pub fn report_json(cert: &Certificate, results: &[ArcResult], opts: &ArcOptions) -> Value {
    let digits = enclosure_digits(opts.prec);
    let arcs: Vec<Value> = results
        .iter()
        .map(|r| {
            let certified: Vec<Value> = r
                .certified
                .iter()
                .map(|(rad, x)| match x {
                    Ok(p) => json!({"r": {"lo": rad, "hi": rad}, "type": p.kind.name(), "mu": interval_json(&p.mu, digits), "loss": interval_json(&p.loss, digits), "box_radius": p.radius, "reason": p.reason}),
                    Err(e) => json!({"r": {"lo": rad, "hi": rad}, "type": "inconclusive", "reason": e}),
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
                (k, crit) => json!({
                    "kind": k.name(),
                    "r": {"approx": r.end.r},
                    "loss": Value::Null,
                    "loss_approx": r.end.loss,
                    "classification": Value::Null,
                    "index": Value::Null,
                    "partition": r.dir.fine.int_sizes(),
                    "reason": crit.as_ref().and_then(|c| c.as_ref().err()),
                }),
            };
            json!({
                "component": {"kind": r.dir.axis.kind.name(), "block": block_json(r.dir.axis.kind)},
                "isotropy": r.dir.fine.int_sizes(),
                "eigenvalue_index": r.dir.index,
                "eigenvalue": interval_json(&r.dir.lambda, digits),
                "direction": r.dir.sign.symbol(),
                "mirror_pair": r.dir.mirror_pair,
                "leading": r.dir.leading.name(),
                "leading_coefficient": interval_json(r.dir.leading.value(), digits),
                "predicted": r.predicted.name(),
                "certified": certified,
                "end": end,
                "trace": r.trace.iter().map(|(rr, l, mu)| json!([rr, l, mu])).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "family": cert.family.map(Family::name),
        "d": cert.partition.d() as u64,
        "partition": cert.partition.int_sizes(),
        "precision_bits": opts.prec,
        "critical_point": {"classification": cert.proof.verdict.name(), "index": cert.proof.verdict.index(), "loss": interval_json(&cert.proof.loss, digits)},
        "radii": opts.radii,
        "arcs": arcs,
    })
}

/// Exact: the text report.
pub fn report_text(cert: &Certificate, results: &[ArcResult], opts: &ArcOptions) -> String {
    let mut s = String::new();
    let who = cert.family.map_or("critical point".to_string(), |f| {
        format!("family {}", f.name())
    });
    s += &format!(
        "tangency arcs at {who}, d = {} (partition {}; {}), certified at r = {} with {}-bit intervals\n",
        cert.partition.d() as u64,
        cert.partition.label(),
        match cert.proof.verdict.index() {
            Some(0) => "strict local minimum".to_string(),
            Some(i) => format!("saddle of index {i}"),
            None => "inconclusive".into(),
        },
        opts.radii.join(", "),
        opts.prec
    );
    s += &format!(
        "{} Young arc types (component x axial isotropy x eigenvalue x sign)\n\n",
        results.len()
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
                "  {} isotropy [{}] direction {} eigenvalue #{} in {}; {}; ends at {}\n",
                r.dir.axis.kind.label(),
                r.dir.fine.label(),
                direction_label(r),
                r.dir.index + 1,
                crate::report::interval_str(&r.dir.lambda, 8),
                leading_label(&r.dir.leading),
                end_label(r)
            );
        }
    }
    s += "\nall arcs:\n";
    s += "| # | component | isotropy | eig | dir | leading | predicted | certified | end |\n|---|---|---|---|---|---|---|---|---|\n";
    for (k, r) in results.iter().enumerate() {
        s += &format!(
            "| {} | {} | [{}] | {} | {} | {} | {} | {} | {} |\n",
            k + 1,
            r.dir.axis.kind.label(),
            r.dir.fine.label(),
            r.dir.index + 1,
            direction_label(r),
            leading_label(&r.dir.leading),
            r.predicted.name(),
            certified_label(r),
            end_label(r)
        );
    }
    s
}
