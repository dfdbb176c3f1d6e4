//! Presentation of `descend`: the table of endpoint types per d, the JSON object, the CSV
//! rows and the SVG plot of the fractions. Enclosures (loss, smallest eigenvalue,
//! distances) are printed rounded outward, so every printed interval contains the proved
//! one; fractions and their intervals are sampling statistics (approximate).

use crate::arith::Interval;
use crate::descend::classify::Endpoint;
use crate::descend::probe::{Probe, Shell};
use crate::descend::stats::{self, Proportion};
use crate::descend::{Batch, Stop, PUBLISHED};
use crate::identify::name::Name;
use crate::render::report::{bracket as iv, no_negative_zero as zero};
use serde_json::{json, Value};

/// Exact: the method named beside every upper bound.
pub const UPPER_METHOD: &str = "exact one-sided 95 % Clopper-Pearson";

fn iv_json(x: &Interval, digits: usize) -> Value {
    json!({"lo": zero(x.lo_decimal(digits)), "hi": zero(x.hi_decimal(digits))})
}

/// Exact: the endpoints of a batch in the order printed: most runs first, ties by label
/// and then by first run.
pub fn ordered(b: &Batch) -> Vec<&Endpoint> {
    let mut e: Vec<&Endpoint> = b.assignment.endpoints.iter().collect();
    e.sort_by(|x, y| {
        y.runs
            .len()
            .cmp(&x.runs.len())
            .then(x.label().cmp(&y.label()))
            .then(x.runs[0].cmp(&y.runs[0]))
    });
    e
}

/// Exact: the partition of an endpoint as printed (`d` for the global minimum).
pub fn partition_label(e: &Endpoint) -> String {
    match &e.identified.certificate {
        Some(c) => c.partition.label(),
        None => e.identified.symmetry.partition.label(),
    }
}

/// Exact: the classification word of an endpoint.
pub fn classification(e: &Endpoint) -> &'static str {
    e.identified.classification().unwrap_or("not_certified")
}

fn fraction(e: &Endpoint, b: &Batch) -> Proportion {
    stats::wilson(e.runs.len(), b.runs())
}

fn frac_str(p: &Proportion) -> String {
    format!("{:.3} [{:.3}, {:.3}]", p.est, p.lo, p.hi)
}

/// Exact: the largest certified distance bound of an endpoint's runs.
fn max_distance(e: &Endpoint) -> Option<Interval> {
    e.distances.iter().cloned().reduce(|a, b| a.hull(&b))
}

fn options_line(b: &Batch) -> String {
    let o = &b.options;
    format!(
        "d = {}: {} runs, seed {}, init {} (scale {}), step {}, stop at gradient norm {:e} or at {:e} once the symmetry (tolerance {:e}) is the same at {} checks {} steps apart, budget {} steps",
        b.d,
        b.runs(),
        b.seed,
        o.init.name(),
        o.scale,
        o.step_at(b.d),
        o.tol,
        o.stop_grad,
        o.identify.tol,
        o.stable_checks,
        o.check_every,
        o.max_steps
    )
}

/// Exact: the table `descend` prints for one batch.
pub fn table(b: &Batch) -> String {
    let mut rows: Vec<[String; 8]> = vec![[
        "type".into(),
        "partition".into(),
        "count".into(),
        "fraction [95 % Wilson]".into(),
        "classification".into(),
        "loss".into(),
        "min eigenvalue".into(),
        "distance <=".into(),
    ]];
    for e in ordered(b) {
        let cert = e.identified.certificate.as_ref();
        let loss = match (&e.identified.name, cert) {
            (Name::GlobalMinimum, _) => "0 (exact)".to_string(),
            (_, Some(c)) => iv(&c.proof.loss, 8),
            _ => "-".into(),
        };
        let lmin = cert.map_or("-".into(), |c| iv(&c.proof.min_eigenvalue.value, 4));
        let dist = max_distance(e).map_or("-".into(), |x| zero(x.hi_decimal(2)));
        rows.push([
            e.label(),
            partition_label(e),
            e.runs.len().to_string(),
            frac_str(&fraction(e, b)),
            classification(e).into(),
            loss,
            lmin,
            dist,
        ]);
    }
    let mut s = options_line(b) + "\n";
    s += &crate::render::report::aligned_columns(&rows);
    let a = &b.assignment;
    s += &format!(
        "not converged (step budget spent): {}; diverged: {}; ended but not certifiable: {}; certifications: {}\n",
        b.not_converged().len(),
        b.diverged().len(),
        a.uncertified.len(),
        a.certifications
    );
    if let Some((run, reason)) = b.diverged().first() {
        s += &format!("  first diverged run {run}: {reason}\n");
    }
    if let Some(u) = a.uncertified.first() {
        s += &format!(
            "  first uncertifiable run {}: {}: {}\n",
            u.run, u.status, u.reason
        );
    }
    let k = b.spurious();
    let p = stats::wilson(k, b.runs());
    s += &format!(
        "spurious minima (certified strict local minima other than the global one): {k} of {} runs = {}\n",
        b.runs(),
        frac_str(&p)
    );
    if let Some(pb) = b.published() {
        s += &format!(
            "  published: {:.1} % (Safran & Shamir, ICML 2018), {:.1} % (Safran, Yehudai & Shamir, COLT 2021); z = {:.2} against COLT 2021\n",
            100.0 * pb.icml2018,
            100.0 * pb.colt2021,
            stats::z_score(k, b.runs(), pb.colt2021)
        );
    }
    for h in b.hidden() {
        s += &format!(
            "{}: reached by {} of {} runs; probability of reaching it <= {:.5} ({UPPER_METHOD})\n",
            h.family.name(),
            h.count,
            b.runs(),
            h.upper95
        );
    }
    s
}

/// Exact: the JSON object of one batch.
pub fn json(b: &Batch) -> Value {
    let o = &b.options;
    let types: Vec<Value> = ordered(b)
        .iter()
        .map(|e| {
            let p = fraction(e, b);
            let cert = e.identified.certificate.as_ref();
            let sizes: Vec<u64> = match cert {
                Some(c) => c.partition.int_sizes_u64(),
                None => e.identified.symmetry.partition.int_sizes_u64(),
            };
            let loss = match (&e.identified.name, cert) {
                (Name::GlobalMinimum, _) => json!({"lo": "0", "hi": "0"}),
                (_, Some(c)) => iv_json(&c.proof.loss, 16),
                _ => Value::Null,
            };
            json!({
                "name": e.label(),
                "flip": e.identified.name.flip(),
                "partition": sizes,
                "count": e.runs.len(),
                "fraction": {"est": p.est, "lo": p.lo, "hi": p.hi},
                "classification": classification(e),
                "loss": loss,
                "min_eigenvalue": cert.map(|c| {
                    let m = &c.proof.min_eigenvalue;
                    json!({"lo": zero(m.value.lo_decimal(8)), "hi": zero(m.value.hi_decimal(8)), "kind": m.kind.label()})
                }),
                "max_distance": max_distance(e).map(|x| iv_json(&x, 4)),
                "runs": e.runs,
            })
        })
        .collect();
    let k = b.spurious();
    let p = stats::wilson(k, b.runs());
    let published = b.published().map(|pb| {
        json!({
            "icml2018": pb.icml2018,
            "colt2021": pb.colt2021,
            "z_colt2021": stats::z_score(k, b.runs(), pb.colt2021),
            "z_icml2018": stats::z_score(k, b.runs(), pb.icml2018),
        })
    });
    let total_steps: u64 = b.ends.iter().map(|r| r.steps).sum();
    json!({
        "d": b.d,
        "runs": b.runs(),
        "seed": b.seed,
        "init": o.init.name(),
        "scale": o.scale,
        "step": o.step_at(b.d),
        "tol": o.tol,
        "max_steps": o.max_steps,
        "stop_grad": o.stop_grad,
        "symmetry_tol": o.identify.tol,
        "max_distance": o.identify.max_distance,
        "types": types,
        "spurious": {"count": k, "fraction": {"est": p.est, "lo": p.lo, "hi": p.hi}, "published": published},
        "not_converged": b.not_converged(),
        "diverged": b.diverged().iter().map(|(r, why)| json!({"run": r, "reason": why})).collect::<Vec<_>>(),
        "uncertified": b.assignment.uncertified.iter().map(|u| json!({"run": u.run, "status": u.status, "reason": u.reason})).collect::<Vec<_>>(),
        "certifications": b.assignment.certifications,
        "hidden": b.hidden().iter().map(|h| json!({
            "family": h.family.name(), "count": h.count, "upper95": h.upper95, "method": UPPER_METHOD,
        })).collect::<Vec<_>>(),
        "steps": {"total": total_steps, "per_run": b.ends.iter().map(|r| r.steps).collect::<Vec<_>>()},
        "stops": b.ends.iter().map(|r| r.stop.name()).collect::<Vec<_>>(),
    })
}

/// Exact: the CSV of the batches, one row per (d, type), with a header.
pub fn csv(batches: &[Batch]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "d",
        "runs",
        "seed",
        "name",
        "partition",
        "count",
        "fraction",
        "fraction_lo",
        "fraction_hi",
        "classification",
        "loss_lo",
        "loss_hi",
        "min_eigenvalue_lo",
        "min_eigenvalue_hi",
    ];
    w.write_record(header).expect("in memory");
    for b in batches {
        for e in ordered(b) {
            let p = fraction(e, b);
            let cert = e.identified.certificate.as_ref();
            let (llo, lhi) = match (&e.identified.name, cert) {
                (Name::GlobalMinimum, _) => ("0".into(), "0".into()),
                (_, Some(c)) => (
                    zero(c.proof.loss.lo_decimal(16)),
                    zero(c.proof.loss.hi_decimal(16)),
                ),
                _ => (String::new(), String::new()),
            };
            let (mlo, mhi) = cert.map_or((String::new(), String::new()), |c| {
                let v = &c.proof.min_eigenvalue.value;
                (zero(v.lo_decimal(8)), zero(v.hi_decimal(8)))
            });
            w.write_record([
                b.d.to_string(),
                b.runs().to_string(),
                b.seed.to_string(),
                e.label(),
                partition_label(e),
                e.runs.len().to_string(),
                format!("{}", p.est),
                format!("{}", p.lo),
                format!("{}", p.hi),
                classification(e).into(),
                llo,
                lhi,
                mlo,
                mhi,
            ])
            .expect("in memory");
        }
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8")
}

/// Exact: the flip fraction p/d of an endpoint (0 for the global minimum), if it has one.
fn flip_ratio(e: &Endpoint, d: usize) -> Option<f64> {
    match &e.identified.name {
        Name::GlobalMinimum => Some(0.0),
        n => n.flip().map(|p| p as f64 / d as f64),
    }
}

const COLOURS: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
];

/// Exact: the SVG plot: the fraction of runs reaching each `flip(p)` (and the global
/// minimum at p = 0) against p/d, one colour per d, with Wilson intervals; for several d
/// a second panel gives the spurious share against d with the published shares.
pub fn svg(batches: &[Batch]) -> String {
    let panels = if batches.len() > 1 { 2 } else { 1 };
    let (pw, ph) = (480.0f64, 320.0f64);
    let (w, h) = (pw * panels as f64, ph + 40.0);
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"white\"/>\n"
    );
    let (l, t, pr, pb) = (60.0, 30.0, 20.0, 50.0);
    let frame = |s: &mut String, x0: f64, title: &str, xlabel: &str, xticks: &[(f64, String)]| {
        let (x1, y1) = (x0 + pw - pr, ph - pb + t);
        *s += &format!(
            "<text x=\"{:.1}\" y=\"18\" font-size=\"13\" text-anchor=\"middle\">{title}</text>\n",
            x0 + pw / 2.0
        );
        *s += &format!(
            "<rect x=\"{:.1}\" y=\"{t}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"black\"/>\n",
            x0 + l,
            x1 - x0 - l,
            y1 - t
        );
        for k in 0..=4 {
            let v = k as f64 / 4.0;
            let y = y1 - v * (y1 - t);
            *s += &format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{v:.2}</text>\n",
                x0 + l - 4.0,
                y + 4.0
            );
        }
        for (fx, label) in xticks {
            let x = x0 + l + fx * (x1 - x0 - l);
            *s += &format!(
                "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{label}</text>\n",
                y1 + 15.0
            );
        }
        *s += &format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\">{xlabel}</text>\n",
            x0 + l + (x1 - x0 - l) / 2.0,
            y1 + 32.0
        );
        *s += &format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 {:.1} {:.1})\">fraction of runs</text>\n",
            x0 + 16.0,
            t + (y1 - t) / 2.0,
            x0 + 16.0,
            t + (y1 - t) / 2.0
        );
        (x0 + l, x1, y1)
    };
    let ticks: Vec<(f64, String)> = (0..=4)
        .map(|k| (k as f64 / 4.0, format!("{:.2}", k as f64 / 4.0)))
        .collect();
    let (xa, xb, yb) = frame(
        &mut s,
        0.0,
        "runs ending at flip(p), by p/d",
        "p/d (0: global minimum)",
        &ticks,
    );
    let ya = t;
    let mark = |s: &mut String, x: f64, p: &Proportion, colour: &str| {
        let y = |v: f64| yb - v * (yb - ya);
        *s += &format!(
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{colour}\"/>\n<circle cx=\"{x:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"/>\n",
            y(p.lo),
            y(p.hi),
            y(p.est)
        );
    };
    for (k, b) in batches.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        for e in ordered(b) {
            if let Some(r) = flip_ratio(e, b.d) {
                mark(&mut s, xa + r * (xb - xa), &fraction(e, b), colour);
            }
        }
        s += &format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"{colour}\">d = {}</text>\n",
            xb - 60.0,
            ya + 14.0 + 13.0 * k as f64,
            b.d
        );
    }
    if panels == 2 {
        let dmin = batches.iter().map(|b| b.d).min().unwrap_or(0) as f64;
        let dmax = batches.iter().map(|b| b.d).max().unwrap_or(1) as f64;
        let span = (dmax - dmin).max(1.0);
        let ticks: Vec<(f64, String)> = batches
            .iter()
            .map(|b| ((b.d as f64 - dmin) / span, b.d.to_string()))
            .collect();
        let (xa, xb, _) = frame(
            &mut s,
            pw,
            "runs ending at a spurious minimum",
            "d (black: this run; grey: COLT 2021)",
            &ticks,
        );
        for b in batches {
            let x = xa + (b.d as f64 - dmin) / span * (xb - xa);
            mark(&mut s, x, &stats::wilson(b.spurious(), b.runs()), "black");
            if let Some(pb) = PUBLISHED.iter().find(|p| p.d == b.d) {
                let y = yb - pb.colt2021 * (yb - ya);
                s += &format!(
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"6\" height=\"6\" fill=\"grey\"/>\n",
                    x + 3.0,
                    y - 3.0
                );
            }
        }
    }
    s += "</svg>\n";
    s
}

/// Exact: per shell of a probe, where the runs went: (label, count) by endpoint, then
/// the runs not assigned (`not converged`, `diverged`, `not certifiable`).
fn destinations(p: &Probe, shell: &Shell) -> Vec<(String, usize)> {
    let of = p.endpoint_of();
    let mut out: Vec<(String, usize)> = Vec::new();
    let mut add = |label: String| match out.iter_mut().find(|(l, _)| *l == label) {
        Some((_, n)) => *n += 1,
        None => out.push((label, 1)),
    };
    for &r in &shell.runs {
        let label = match (of[r], &p.ends[r].stop) {
            (Some(k), _) => {
                let e = &p.assignment.endpoints[k];
                format!("{} ({})", e.label(), partition_label(e))
            }
            (None, Stop::NotConverged) => "not converged".into(),
            (None, Stop::Diverged { .. }) => "diverged".into(),
            (None, _) => "not certifiable".into(),
        };
        add(label);
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// Exact: the table of a basin probe.
pub fn probe_table(p: &Probe) -> String {
    let name = p.family.name();
    let mut s = format!(
        "basin of {name} at d = {}: {} runs per radius, seed {}, step {}, perturbation of Frobenius norm r in a uniformly random direction\n",
        p.d,
        p.shells.first().map_or(0, |s| s.runs.len()),
        p.seed,
        p.options.step_at(p.d)
    );
    let mut rows: Vec<[String; 4]> = vec![[
        "radius".into(),
        format!("returned to {name}"),
        "fraction [95 % Wilson]".into(),
        "the others went to".into(),
    ]];
    for (shell, k) in p.shells.iter().zip(p.returned()) {
        let others: Vec<String> = destinations(p, shell)
            .into_iter()
            .filter(|(l, _)| !l.starts_with(&format!("{name} (")))
            .map(|(l, n)| format!("{l}: {n}"))
            .collect();
        rows.push([
            format!("{}", shell.radius),
            format!("{k}/{}", shell.runs.len()),
            frac_str(&stats::wilson(k, shell.runs.len())),
            if others.is_empty() {
                "-".into()
            } else {
                others.join(", ")
            },
        ]);
    }
    s += &crate::render::report::aligned_columns(&rows);
    s += &match p.basin_radius() {
        Some(r) => format!(
            "measured basin radius (largest r given at which at least half the runs returned): {r}\n"
        ),
        None => "measured basin radius: below every r given (no radius had half the runs return)\n"
            .into(),
    };
    s
}

/// Exact: the JSON object of a basin probe.
pub fn probe_json(p: &Probe) -> Value {
    let shells: Vec<Value> = p
        .shells
        .iter()
        .zip(p.returned())
        .map(|(shell, k)| {
            let f = stats::wilson(k, shell.runs.len());
            json!({
                "radius": shell.radius,
                "runs": shell.runs.len(),
                "returned": k,
                "fraction": {"est": f.est, "lo": f.lo, "hi": f.hi},
                "destinations": destinations(p, shell).into_iter().map(|(l, n)| json!({"type": l, "count": n})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "from": p.family.name(),
        "d": p.d,
        "seed": p.seed,
        "step": p.options.step_at(p.d),
        "shells": shells,
        "basin_radius": p.basin_radius(),
        "certifications": p.assignment.certifications,
    })
}
