//! Writers for `relucert arcs --sweep` ([`crate::sweep`]): Markdown, CSV, LaTeX and JSON
//! tables and an SVG plot.
//!
//! **Guarantees.** Every `[lo, hi]` printed is an enclosure, its lower end rounded down and
//! its upper end rounded up ([`lo_str`], [`hi_str`]); CSV splits them into `_lo` and `_hi`
//! columns rounded the same way. The "largest loss before the end" column prints either
//! that the trace has no interior maximum (approximate: the barrier is the end) or the
//! enclosure of the loss at a tangency point certified near the traced maximum, a certified
//! point, not the maximum itself. Every (family, d) has a row; one that is not certified
//! says why. The SVG's coordinates are enclosure midpoints in f64 (drawing only). The
//! output is a function of the sweep alone (no timings, no paths).

use super::report::{csv_field, hi_str, latex_tabular, lo_str, md_table, xml_escape};
use crate::arith::Interval;
use crate::certificate::critical_point::{block_json, enclosure_digits, interval_json};
use crate::search::families::Family;
use crate::sweep::{verdict_words, MaxAlong, Sweep, SweepArc, SweepRow, BASE_PREC};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// Exact: significant digits of table entries.
pub const DIGITS: usize = 6;

/// Exact: the header of the Markdown and LaTeX tables.
pub const HEADER: [&str; 10] = [
    "family",
    "d",
    "L(C) ∈",
    "minimizing arc",
    "end (certified)",
    "end isotropy",
    "distance ∈",
    "barrier ∈",
    "largest L before the end",
    "status",
];

fn iv(x: &Interval) -> String {
    format!("[{}, {}]", lo_str(x, DIGITS), hi_str(x, DIGITS))
}

fn opt_iv(x: &Option<Interval>) -> String {
    x.as_ref().map_or("–".into(), iv)
}

fn partition_label(p: &[u64]) -> String {
    format!(
        "[{}]",
        p.iter().map(u64::to_string).collect::<Vec<_>>().join(",")
    )
}

/// Exact: the direction as shown: `±` for a mirror pair, else the sign.
pub fn direction(a: &SweepArc) -> &'static str {
    if a.mirror_pair {
        "±"
    } else {
        a.sign.symbol()
    }
}

/// Exact: the arc as shown: component, isotropy and direction (`std [998,1,1] -`).
pub fn arc_label(a: &SweepArc) -> String {
    format!(
        "{} {} {}",
        a.component.name(),
        partition_label(&a.isotropy.partition),
        direction(a)
    )
}

fn end_label(a: &SweepArc) -> String {
    match &a.end {
        Some(e) => verdict_words(&e.verdict),
        None => format!("{} (not certified)", a.end_kind.name()),
    }
}

fn max_label(a: &SweepArc) -> String {
    match &a.max_along {
        MaxAlong::AtEnd => "the end (no interior max)".into(),
        MaxAlong::Certified { r, loss, .. } => format!("≥ {} at r = {r}", lo_str(loss, DIGITS)),
        MaxAlong::NotCertified { r, .. } => format!("not certified near r = {r}"),
    }
}

fn status(row: &SweepRow, a: Option<&SweepArc>) -> String {
    match a {
        Some(a) if a.certified() => "certified".into(),
        Some(a) => format!(
            "not certified: {}",
            a.why_not.clone().unwrap_or_else(|| "the end".into())
        ),
        None => format!(
            "not certified: {}",
            row.reason().unwrap_or_else(|| "no minimizing arc".into())
        ),
    }
}

/// The table rows (shared by Markdown and LaTeX): one per minimizing arc, or one per
/// (family, d) without any.
fn rows(sw: &Sweep) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for row in &sw.rows {
        let head = vec![
            row.family.name().to_string(),
            row.d.to_string(),
            opt_iv(&row.min_loss),
        ];
        match &row.outcome {
            Ok(arcs) if !arcs.is_empty() => {
                for a in arcs {
                    let mut cells = head.clone();
                    cells.extend([
                        arc_label(a),
                        end_label(a),
                        a.end
                            .as_ref()
                            .map_or("–".into(), |e| partition_label(&e.partition)),
                        opt_iv(&a.distance),
                        opt_iv(&a.barrier),
                        max_label(a),
                        status(row, Some(a)),
                    ]);
                    out.push(cells);
                }
            }
            _ => {
                let mut cells = head;
                cells.extend(std::iter::repeat_n("–".to_string(), 6));
                cells.push(status(row, None));
                out.push(cells);
            }
        }
    }
    out
}

fn families_label(fs: &[Family]) -> String {
    fs.iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(" and ")
}

fn d_label(ds: &[u64]) -> String {
    if ds.len() <= 12 {
        format!(
            "d = {}",
            ds.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
        )
    } else {
        format!(
            "{} values of d from {} to {}",
            ds.len(),
            ds[0],
            ds[ds.len() - 1]
        )
    }
}

/// Exact: the sweep as a Markdown table with a heading line and notes.
pub fn markdown(sw: &Sweep) -> String {
    let mut s = format!(
        "Minimizing tangency arcs of {} at {}: the critical point each reaches\n\n",
        families_label(&sw.families),
        d_label(&sw.ds)
    );
    let header: Vec<String> = HEADER.iter().map(|h| h.to_string()).collect();
    let right: Vec<bool> = (0..header.len()).map(|i| i == 1).collect();
    s += &md_table(&header, &right, &rows(sw));
    s += &notes(sw);
    if let Some((h, r)) = ratio_table(sw) {
        s += "\n";
        s += &md_table(&h, &[true, false, false], &r);
        s += &format!(
            "\n{}: quotients of the enclosures above (interval division, rounded outward), where \
both rows are certified with one minimizing arc.\n",
            ratio_name(sw)
        );
    }
    s
}

fn ratio_name(sw: &Sweep) -> String {
    match &sw.families[..] {
        [a, b, ..] => format!("{} / {}", b.name(), a.name()),
        _ => String::new(),
    }
}

/// The second table (Markdown and LaTeX): the second family over the first at each d.
fn ratio_table(sw: &Sweep) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let ratios = sw.ratios();
    if ratios.is_empty() {
        return None;
    }
    let n = ratio_name(sw);
    let header = vec![
        "d".to_string(),
        format!("distance {n} ∈"),
        format!("barrier {n} ∈"),
    ];
    let rows = ratios
        .iter()
        .map(|r| vec![r.d.to_string(), opt_iv(&r.distance), opt_iv(&r.barrier)])
        .collect();
    Some((header, rows))
}

fn notes(sw: &Sweep) -> String {
    let certified = sw.rows.iter().filter(|r| r.certified()).count();
    format!(
        "\n{certified} of {} (family, d) certified.\n\
- C: the family's strict local minimum, certified at {BASE_PREC} bits. Minimizing arc: the arc of\n  \
the smallest Hessian eigenvalue certified min on the spheres at every radius tried. End W*: the\n  \
critical point its trace reaches, certified as `certify` does (Morse index, partition of its\n  \
fixed space = isotropy). That the traced arc connects C to W* is approximate.\n\
- distance = |W* − C|_F, barrier = L(W*) − L(C); [lo, hi]: enclosure, {DIGITS} significant digits,\n  \
rounded outward.\n\
- largest L before the end: along a tangency arc dL/dr = mu·r, so L rises with r until mu = 0 at\n  \
the end. \"the end\": the traced loss has no interior maximum (approximate); \"≥ x at r\": the loss\n  \
at a tangency point certified near an interior maximum (a certified point, not the maximum).\n",
        sw.rows.len()
    )
}

/// Exact: the CSV header.
pub const CSV_HEADER: [&str; 23] = [
    "family",
    "d",
    "min_classification",
    "min_loss_lo",
    "min_loss_hi",
    "component",
    "isotropy",
    "direction",
    "end_kind",
    "end_classification",
    "end_index",
    "end_partition",
    "end_loss_lo",
    "end_loss_hi",
    "distance_lo",
    "distance_hi",
    "barrier_lo",
    "barrier_hi",
    "max_along",
    "max_along_r",
    "max_along_loss_lo",
    "max_along_loss_hi",
    "status",
];

fn split(x: Option<&Interval>) -> [String; 2] {
    match x {
        Some(x) => [x.lo_decimal(DIGITS), x.hi_decimal(DIGITS)],
        None => [String::new(), String::new()],
    }
}

/// Exact: the sweep as CSV: the header, then one line per minimizing arc (or per (family, d)
/// without any); intervals split into `_lo` (rounded down) and `_hi` (rounded up).
pub fn csv(sw: &Sweep) -> String {
    let mut out = CSV_HEADER.join(",") + "\n";
    for row in &sw.rows {
        let [ml, mh] = split(row.min_loss.as_ref());
        let head = vec![
            row.family.name().to_string(),
            row.d.to_string(),
            row.min_verdict
                .as_ref()
                .map_or("not_certified".into(), |v| v.name().to_string()),
            ml,
            mh,
        ];
        let mut lines: Vec<Vec<String>> = Vec::new();
        match &row.outcome {
            Ok(arcs) if !arcs.is_empty() => {
                for a in arcs {
                    let mut c = head.clone();
                    let [el, eh] = split(a.end.as_ref().map(|e| &e.loss));
                    let [dl, dh] = split(a.distance.as_ref());
                    let [bl, bh] = split(a.barrier.as_ref());
                    let (kind, mr, [xl, xh]) = match &a.max_along {
                        MaxAlong::AtEnd => ("at_end", String::new(), split(None)),
                        MaxAlong::Certified { r, loss, .. } => {
                            ("certified_point", r.clone(), split(Some(loss)))
                        }
                        MaxAlong::NotCertified { r, .. } => {
                            ("not_certified", r.clone(), split(None))
                        }
                    };
                    c.extend([
                        a.component.name().to_string(),
                        partition_label(&a.isotropy.partition),
                        direction(a).to_string(),
                        a.end_kind.name().to_string(),
                        a.end
                            .as_ref()
                            .map_or(String::new(), |e| e.verdict.name().to_string()),
                        a.end
                            .as_ref()
                            .and_then(|e| e.verdict.index())
                            .map_or(String::new(), |i| i.to_string()),
                        a.end
                            .as_ref()
                            .map_or(String::new(), |e| partition_label(&e.partition)),
                        el,
                        eh,
                        dl,
                        dh,
                        bl,
                        bh,
                        kind.to_string(),
                        mr,
                        xl,
                        xh,
                        status(row, Some(a)),
                    ]);
                    lines.push(c);
                }
            }
            _ => {
                let mut c = head;
                c.extend(std::iter::repeat_n(String::new(), 17));
                c.push(status(row, None));
                lines.push(c);
            }
        }
        for l in lines {
            out += &l.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(",");
            out += "\n";
        }
    }
    out
}

/// Exact: the sweep as LaTeX `tabular`s (the rows, and with two families their ratios;
/// numbers in math mode, text escaped), a fragment to `\input`.
pub fn latex(sw: &Sweep) -> String {
    let mut s = format!(
        "% relucert arcs --sweep: families {}, {}. [lo, hi]: enclosure with {DIGITS}\n\
% significant digits (lo rounded down, hi rounded up); see the Markdown output for the notes.\n",
        families_label(&sw.families),
        d_label(&sw.ds)
    );
    let header: Vec<String> = HEADER.iter().map(|h| h.to_string()).collect();
    s += &latex_tabular(&header, &rows(sw), "lrllllllll");
    if let Some((h, r)) = ratio_table(sw) {
        s += "\n";
        s += &latex_tabular(&h, &r, "rll");
    }
    // The two symbols the cells use outside ASCII, in math mode.
    s.replace('±', "$\\pm$").replace('≥', "$\\ge$")
}

fn arc_json(a: &SweepArc, digits: usize) -> Value {
    let ivj = |x: &Option<Interval>| x.as_ref().map_or(Value::Null, |x| interval_json(x, digits));
    let end = match &a.end {
        Some(e) => json!({
            "kind": a.end_kind.name(),
            "certified": true,
            "classification": e.verdict.name(),
            "index": e.verdict.index(),
            "partition": e.partition,
            "loss": interval_json(&e.loss, digits),
        }),
        None => json!({
            "kind": a.end_kind.name(),
            "certified": false,
            "r_approx": a.approx_end_r,
            "loss_approx": a.approx_end_loss,
        }),
    };
    let max_along = match &a.max_along {
        MaxAlong::AtEnd => json!({"kind": "at_end"}),
        MaxAlong::Certified { r, approx_r, loss } => json!({
            "kind": "certified_point",
            "r": r,
            "r_approx_of_traced_max": approx_r,
            "loss": interval_json(loss, digits),
        }),
        MaxAlong::NotCertified { r, why } => json!({
            "kind": "not_certified",
            "r": r,
            "reason": why,
        }),
    };
    json!({
        "component": {"kind": a.component.name(), "block": block_json(a.component)},
        "isotropy": {"partition": a.isotropy.partition, "name": a.isotropy.name},
        "direction": a.sign.symbol(),
        "mirror_pair": a.mirror_pair,
        "eigenvalue": interval_json(&a.eigenvalue, digits),
        "certified_min_at": a.radii,
        "end": end,
        "distance": ivj(&a.distance),
        "barrier": ivj(&a.barrier),
        "max_along": max_along,
        "certified": a.certified(),
        "reason": a.why_not,
    })
}

/// Exact: the sweep as JSON: `{"families", "d", "minimum_precision_bits", "rows", "ratios"}`,
/// one row per (family, d) with its minimum, `certified`, `reason` (null when certified) and
/// `arcs`; `ratios`: the second family over the first at each d (see [`Sweep::ratios`]).
pub fn json(sw: &Sweep) -> Value {
    let rows: Vec<Value> = sw
        .rows
        .iter()
        .map(|row| {
            let digits = enclosure_digits(row.arcs_prec);
            let arcs: Vec<Value> = match &row.outcome {
                Ok(a) => a.iter().map(|a| arc_json(a, digits)).collect(),
                Err(_) => Vec::new(),
            };
            json!({
                "family": row.family.name(),
                "d": row.d,
                "minimum": {
                    "classification": row.min_verdict.as_ref().map(|v| v.name()),
                    "loss": row.min_loss.as_ref().map(|x| interval_json(x, digits)),
                },
                "arcs_precision_bits": row.arcs_prec,
                "certified": row.certified(),
                "reason": row.reason(),
                "arcs": arcs,
            })
        })
        .collect();
    let ratios: Vec<Value> = sw
        .ratios()
        .iter()
        .map(|r| {
            let digits = enclosure_digits(crate::arcs::auto_prec(r.d as f64));
            let ivj =
                |x: &Option<Interval>| x.as_ref().map_or(Value::Null, |x| interval_json(x, digits));
            json!({
                "d": r.d,
                "numerator": r.numerator.name(),
                "denominator": r.denominator.name(),
                "distance": ivj(&r.distance),
                "barrier": ivj(&r.barrier),
            })
        })
        .collect();
    json!({
        "families": sw.families.iter().map(|f| f.name()).collect::<Vec<_>>(),
        "d": sw.ds,
        "minimum_precision_bits": BASE_PREC,
        "rows": rows,
        "ratios": ratios,
    })
}

// ---------------------------------------------------------------------------------------
// SVG

fn colour(f: Family) -> &'static str {
    match f {
        Family::I => "#1f5fbf",
        Family::II => "#d62728",
        Family::IIsym => "#2a9d2a",
        Family::Flip(_) => "#7f3fbf",
    }
}

fn marker(f: Family, x: f64, y: f64) -> String {
    let c = colour(f);
    let st = format!("stroke=\"{c}\" fill=\"{c}\" fill-opacity=\"0.35\" stroke-width=\"1.3\"");
    let r = 4.0;
    match f {
        Family::I => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" {st}/>",
            x - r,
            y - r,
            2.0 * r,
            2.0 * r
        ),
        Family::II => format!(
            "<polygon points=\"{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}\" {st}/>",
            y - 1.3 * r,
            x + r,
            y + 1.3 * r,
            x - r
        ),
        Family::IIsym | Family::Flip(_) => {
            format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\" {st}/>")
        }
    }
}

/// One plotted series: a family's points `(d, value)`, approximate (enclosure midpoints).
struct Series {
    family: Family,
    points: Vec<(f64, f64)>,
}

fn series(sw: &Sweep, pick: &dyn Fn(&SweepArc) -> Option<&Interval>) -> Vec<Series> {
    sw.families
        .iter()
        .map(|&f| Series {
            family: f,
            points: sw
                .rows
                .iter()
                .filter(|r| r.family == f)
                .filter_map(|r| {
                    let a = r.outcome.as_ref().ok()?.first()?;
                    let v = pick(a)?.mid().to_f64();
                    (v > 0.0 && v.is_finite()).then_some((r.d as f64, v))
                })
                .collect(),
        })
        .collect()
}

/// A log10 range `[lo, hi]` padded around the data (at least `min_span` decades wide).
fn log_range(vals: &[f64], min_span: f64) -> (f64, f64) {
    let (mut lo, mut hi) = vals
        .iter()
        .map(|v| v.log10())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < min_span {
        let m = 0.5 * (lo + hi);
        lo = m - 0.5 * min_span;
        hi = m + 0.5 * min_span;
    }
    let pad = 0.06 * (hi - lo);
    (lo - pad, hi + pad)
}

/// Tick labels of a log axis: powers of ten, 2 and 5 times them when the range is narrow
/// (fewer than 2.5 decades), every multiple when it is under a decade.
fn log_ticks(lo: f64, hi: f64) -> Vec<(f64, String, bool)> {
    let narrow = hi - lo < 2.5;
    let very_narrow = hi - lo < 1.0;
    let mut out = Vec::new();
    for k in (lo.floor() as i32)..=(hi.ceil() as i32) {
        for m in 1..=9 {
            let v = m as f64 * 10f64.powi(k);
            let l = v.log10();
            if l < lo || l > hi {
                continue;
            }
            let label = (m == 1 || very_narrow || (narrow && (m == 2 || m == 5))).then(|| {
                if (-3..=4).contains(&k) {
                    let s = format!("{v:.*}", (-k).max(0) as usize);
                    s
                } else {
                    format!("{m}e{k}")
                }
            });
            out.push((l, label.clone().unwrap_or_default(), label.is_some()));
        }
    }
    out
}

/// The log-scaled d axis of a panel: grid lines and labels at the major ticks, tick marks
/// below the frame (`x0 .. x0 + w`, frame from `y0` to `y1`).
fn log_d_axis(s: &mut String, xr: (f64, f64), x0: f64, w: f64, y0: f64, y1: f64) {
    for (l, label, major) in log_ticks(xr.0, xr.1) {
        let x = x0 + (l - xr.0) / (xr.1 - xr.0) * w;
        let len = if major { 6.0 } else { 3.0 };
        if major {
            let _ = writeln!(
                s,
                "<line x1=\"{x:.1}\" y1=\"{y0:.1}\" x2=\"{x:.1}\" y2=\"{y1:.1}\" stroke=\"#e6e6e6\"/>\n<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\">{}</text>",
                y1 + 20.0,
                xml_escape(&label)
            );
        }
        let _ = writeln!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{y1:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#000000\"/>",
            y1 + len
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn panel(
    s: &mut String,
    x0: f64,
    y0: f64,
    w: f64,
    h: f64,
    title: &str,
    ylabel: &str,
    xr: (f64, f64),
    data: &[Series],
) {
    let vals: Vec<f64> = data
        .iter()
        .flat_map(|d| d.points.iter().map(|p| p.1))
        .collect();
    let yr = log_range(&vals, 0.6);
    let (x1, y1) = (x0 + w, y0 + h);
    let px = |d: f64| x0 + (d.log10() - xr.0) / (xr.1 - xr.0) * w;
    let py = |v: f64| y1 - (v.log10() - yr.0) / (yr.1 - yr.0) * h;
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"15\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
        x0 + w / 2.0,
        y0 - 12.0,
        xml_escape(title)
    );
    let _ = writeln!(
        s,
        "<rect x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"none\" stroke=\"#000000\"/>"
    );
    for (l, label, major) in log_ticks(yr.0, yr.1) {
        let y = y1 - (l - yr.0) / (yr.1 - yr.0) * h;
        let len = if major { 6.0 } else { 3.0 };
        if major {
            let _ = writeln!(
                s,
                "<line x1=\"{x0:.1}\" y1=\"{y:.1}\" x2=\"{x1:.1}\" y2=\"{y:.1}\" stroke=\"#e6e6e6\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
                x0 - 8.0,
                y + 4.0,
                xml_escape(&label)
            );
        }
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{x0:.1}\" y2=\"{y:.1}\" stroke=\"#000000\"/>",
            x0 - len
        );
    }
    log_d_axis(s, xr, x0, w, y0, y1);
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"middle\">d (inputs = neurons), log scale</text>",
        x0 + w / 2.0,
        y1 + 42.0
    );
    let _ = writeln!(
        s,
        "<text x=\"0\" y=\"0\" font-size=\"13\" text-anchor=\"middle\" transform=\"translate({:.1},{:.1}) rotate(-90)\">{}</text>",
        x0 - 62.0,
        y0 + h / 2.0,
        xml_escape(ylabel)
    );
    for d in data {
        if d.points.len() >= 2 {
            let pts: Vec<String> = d
                .points
                .iter()
                .map(|&(x, v)| format!("{:.1},{:.1}", px(x), py(v)))
                .collect();
            let _ = writeln!(
                s,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.3\" stroke-opacity=\"0.8\"/>",
                pts.join(" "),
                colour(d.family)
            );
        }
        for &(x, v) in &d.points {
            let _ = writeln!(s, "{}", marker(d.family, px(x), py(v)));
        }
    }
}

const RATIO_COLOURS: [&str; 2] = ["#555555", "#7b3fa0"];

/// A ratio marker: a circle (distance, `k = 0`) or a triangle (barrier, `k = 1`).
fn ratio_marker(k: usize, x: f64, y: f64) -> String {
    let c = RATIO_COLOURS[k];
    let st = format!("stroke=\"{c}\" fill=\"{c}\" fill-opacity=\"0.35\" stroke-width=\"1.3\"");
    if k == 0 {
        format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" {st}/>")
    } else {
        format!(
            "<polygon points=\"{x:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" {st}/>",
            y - 5.0,
            x - 4.5,
            y + 3.5,
            x + 4.5,
            y + 3.5
        )
    }
}

/// The third panel: the second family's distance and barrier over the first's against d
/// (log d, linear quotient), with the line at 1.
fn ratio_panel(s: &mut String, x0: f64, y0: f64, w: f64, h: f64, xr: (f64, f64), sw: &Sweep) {
    let ratios = sw.ratios();
    let pts: [Vec<(f64, f64)>; 2] = [0, 1].map(|k| {
        ratios
            .iter()
            .filter_map(|r| {
                let v = if k == 0 { &r.distance } else { &r.barrier };
                let v = v.as_ref()?.mid().to_f64();
                v.is_finite().then_some((r.d as f64, v))
            })
            .collect()
    });
    let vals: Vec<f64> = pts.iter().flatten().map(|p| p.1).chain([1.0]).collect();
    let (vmin, vmax) = vals
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let step = super::report::nice_step((vmax - vmin).max(0.05));
    let (ylo, yhi) = ((vmin / step).floor() * step, (vmax / step).ceil() * step);
    let (x1, y1) = (x0 + w, y0 + h);
    let px = |d: f64| x0 + (d.log10() - xr.0) / (xr.1 - xr.0) * w;
    let py = |v: f64| y1 - (v - ylo) / (yhi - ylo) * h;
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"15\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
        x0 + w / 2.0,
        y0 - 12.0,
        xml_escape(&format!("{} over {}", sw.families[1].name(), sw.families[0].name()))
    );
    let _ = writeln!(
        s,
        "<rect x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"none\" stroke=\"#000000\"/>"
    );
    let nt = ((yhi - ylo) / step).round() as i64;
    for i in 0..=nt {
        let v = ylo + i as f64 * step;
        let y = py(v);
        let _ = writeln!(
            s,
            "<line x1=\"{x0:.1}\" y1=\"{y:.1}\" x2=\"{x1:.1}\" y2=\"{y:.1}\" stroke=\"#e6e6e6\"/>\n<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{x0:.1}\" y2=\"{y:.1}\" stroke=\"#000000\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            x0 - 6.0,
            x0 - 8.0,
            y + 4.0,
            super::report::format_tick(v, step)
        );
    }
    log_d_axis(s, xr, x0, w, y0, y1);
    let _ = writeln!(
        s,
        "<polyline points=\"{x0:.1},{:.1} {x1:.1},{:.1}\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1\" stroke-dasharray=\"6,4\"/>",
        py(1.0),
        py(1.0)
    );
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"middle\">d (inputs = neurons), log scale</text>",
        x0 + w / 2.0,
        y1 + 42.0
    );
    let _ = writeln!(
        s,
        "<text x=\"0\" y=\"0\" font-size=\"13\" text-anchor=\"middle\" transform=\"translate({:.1},{:.1}) rotate(-90)\">{}</text>",
        x0 - 52.0,
        y0 + h / 2.0,
        xml_escape(&format!("quotient {} / {}", sw.families[1].name(), sw.families[0].name()))
    );
    for (k, p) in pts.iter().enumerate() {
        if p.len() >= 2 {
            let line: Vec<String> = p
                .iter()
                .map(|&(d, v)| format!("{:.1},{:.1}", px(d), py(v)))
                .collect();
            let _ = writeln!(
                s,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.3\" stroke-opacity=\"0.8\"/>",
                line.join(" "),
                RATIO_COLOURS[k]
            );
        }
        for &(d, v) in p {
            let _ = writeln!(s, "{}", ratio_marker(k, px(d), py(v)));
        }
    }
}

/// Approximate (drawing coordinates): the distance and the barrier of each family's
/// minimizing arc against d, two log-log panels side by side, and with two families a third
/// panel of their quotients ([`Sweep::ratios`]), as a standalone SVG document (hand-written,
/// well-formed XML; no external fonts or scripts). A (family, d) that is not certified has
/// no marker and is listed under the plot.
pub fn svg(sw: &Sweep) -> String {
    let with_ratio = sw.families.len() >= 2;
    let (w, h) = (if with_ratio { 1460.0 } else { 1040.0 }, 600.0);
    let (pw, gap) = (330.0, 120.0);
    let ds: Vec<f64> = sw.ds.iter().map(|&d| d as f64).collect();
    let xr = log_range(&ds, 0.5);
    let dist = series(sw, &|a| a.distance.as_ref());
    let barrier = series(sw, &|a| a.barrier.as_ref());
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"white\"/>"
    );
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"28\" font-size=\"18\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
        w / 2.0,
        xml_escape(&format!(
            "Minimizing tangency arcs of the minima of {}: the critical point W* each reaches",
            families_label(&sw.families)
        ))
    );
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"50\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333333\">{}</text>",
        w / 2.0,
        xml_escape("C: the family's certified minimum; the arc: its tangency arc of the smallest Hessian eigenvalue, certified minimizing on small spheres; W*: the certified saddle it ends at.")
    );
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"66\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333333\">{}</text>",
        w / 2.0,
        xml_escape("Each marker is the midpoint of an interval enclosure (far narrower than the marker); lines join one family across d.")
    );
    panel(
        &mut s,
        100.0,
        110.0,
        pw,
        380.0,
        "distance |W* − C|_F",
        "distance from the minimum (log scale)",
        xr,
        &dist,
    );
    panel(
        &mut s,
        100.0 + pw + gap,
        110.0,
        pw,
        380.0,
        "barrier L(W*) − L(C)",
        "loss barrier (log scale)",
        xr,
        &barrier,
    );
    if with_ratio {
        ratio_panel(&mut s, 100.0 + 2.0 * (pw + gap), 110.0, pw, 380.0, xr, sw);
    }
    // Legend, inside the right margin.
    let panels = if with_ratio { 3.0 } else { 2.0 };
    let (lx, mut ly) = (100.0 + panels * pw + (panels - 1.0) * gap + 16.0, 130.0);
    let _ = writeln!(
        s,
        "<text x=\"{lx}\" y=\"{ly}\" font-size=\"13\" font-weight=\"bold\">family</text>"
    );
    for &f in &sw.families {
        ly += 24.0;
        let _ = writeln!(
            s,
            "{}\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\">{}</text>",
            marker(f, lx + 6.0, ly - 4.0),
            lx + 18.0,
            ly,
            xml_escape(&f.name())
        );
    }
    if with_ratio {
        ly += 40.0;
        let _ = writeln!(
            s,
            "<text x=\"{lx}\" y=\"{ly}\" font-size=\"13\" font-weight=\"bold\">{}</text>",
            xml_escape(&format!(
                "{} / {}",
                sw.families[1].name(),
                sw.families[0].name()
            ))
        );
        for (k, name) in ["distance", "barrier"].iter().enumerate() {
            ly += 24.0;
            let _ = writeln!(
                s,
                "{}\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\">{name}</text>",
                ratio_marker(k, lx + 6.0, ly - 4.0),
                lx + 18.0,
                ly
            );
        }
    }
    let failures = sw.failures();
    let note = if failures.is_empty() {
        "Every (family, d) plotted is certified.".to_string()
    } else {
        let list: Vec<String> = failures
            .iter()
            .map(|(f, d, _)| format!("{} at d = {d}", f.name()))
            .collect();
        format!("Not certified (no marker): {}.", list.join(", "))
    };
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333333\">{}</text>",
        w / 2.0,
        h - 22.0,
        xml_escape(&relucert_cut(&note))
    );
    s += "</svg>\n";
    s
}

/// A note line cut at 200 characters (the list of failures can be long).
fn relucert_cut(s: &str) -> String {
    if s.chars().count() <= 200 {
        s.to_string()
    } else {
        let head: String = s.chars().take(190).collect();
        format!("{head}… (see the table)")
    }
}
