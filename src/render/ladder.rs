//! Writers for the two-block ladder ([`crate::ladder::Ladder`]): the text summary, Markdown,
//! CSV, LaTeX and JSON tables, and an SVG plot of the loss and the smallest Hessian
//! eigenvalue against p/d.
//!
//! **Guarantees.** As in [`crate::render::report`]: every `[lo, hi]` printed is an
//! enclosure with its lower end rounded down and its upper end rounded up; JSON carries
//! the enclosures with the certificate's digits. A point that was not certified is shown
//! with the reason and its search loss marked `≈` (approximate). The SVG's drawing
//! coordinates are the only floating-point values (pixel positions); its points are drawn
//! at the midpoints of the enclosures. The output is a function of the ladder alone.

use crate::certificate::critical_point::{block_json, enclosure_digits, interval_json};
use crate::compare::classification_short;
use crate::ladder::{Ladder, LadderRow, Outcome};
use crate::prove::critical_point::Verdict;
use crate::render::report::{
    csv_field, format_tick, interval_str, latex_escape, latex_tabular, md_table, nice_step,
    xml_escape, TABLE_DIGITS,
};
use crate::search::flip::STARTS;
use serde_json::{json, Value};
use std::fmt::Write as _;

/// Exact: the table's header.
fn header() -> Vec<String> {
    [
        "p",
        "point",
        "p/d",
        "loss ∈",
        "classification",
        "λ_min ∈",
        "λ_min on",
        "is",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Exact: p/d to 4 decimals (a label; p and d are exact integers in the row).
fn ratio(p: u64, d: u64) -> String {
    format!("{:.4}", p as f64 / d as f64)
}

/// Exact: one row of the table.
fn cells(l: &Ladder, r: &LadderRow) -> Vec<String> {
    let digits = TABLE_DIGITS;
    let m = r.member;
    let named = l.named_as(m).map(|f| f.name()).unwrap_or_default();
    match &r.outcome {
        Outcome::Certified(c) => {
            let class = match &c.proof.verdict {
                Verdict::Inconclusive { .. } => "inconclusive".to_string(),
                v => classification_short(v),
            };
            let me = &c.proof.min_eigenvalue;
            let on = if me.separated {
                me.kind.label()
            } else {
                format!("{} (not separated)", me.kind.label())
            };
            vec![
                m.p.to_string(),
                m.name(),
                ratio(m.p, l.d),
                interval_str(&c.proof.loss, digits),
                class,
                interval_str(&me.value, digits),
                on,
                named,
            ]
        }
        Outcome::NotCertified { .. } => vec![
            m.p.to_string(),
            m.name(),
            ratio(m.p, l.d),
            format!("≈ {:.6e}", r.approx_loss),
            "not certified".into(),
            String::new(),
            String::new(),
            named,
        ],
    }
}

fn rows(l: &Ladder) -> Vec<Vec<String>> {
    l.rows.iter().map(|r| cells(l, r)).collect()
}

/// Exact: the notes under the table: minima, empty spaces, failures, identities.
fn notes(l: &Ladder) -> String {
    let mut s = String::new();
    let names = |pred: &dyn Fn(&LadderRow) -> bool| -> String {
        let v: Vec<String> = l
            .rows
            .iter()
            .filter(|r| pred(r))
            .map(|r| r.member.name())
            .collect();
        if v.is_empty() {
            "none".into()
        } else {
            v.join(", ")
        }
    };
    let verdict = |r: &LadderRow| match &r.outcome {
        Outcome::Certified(c) => Some(c.proof.verdict.clone()),
        Outcome::NotCertified { .. } => None,
    };
    let _ = writeln!(
        s,
        "- strict local minima (certified): {}",
        names(&|r| verdict(r) == Some(Verdict::StrictLocalMinimum))
    );
    let _ = writeln!(
        s,
        "- saddles (certified): {}",
        names(&|r| matches!(verdict(r), Some(Verdict::Saddle { .. })))
    );
    let _ = writeln!(s, "- not certified: {}", names(&|r| r.reason().is_some()));
    if !l.empty.is_empty() {
        let v: Vec<String> = l.empty.iter().map(u64::to_string).collect();
        let _ = writeln!(
            s,
            "- p with no flip point found from {STARTS} starts (absence not proved): {}",
            v.join(", ")
        );
    }
    for (p, why) in &l.search_failures {
        let _ = writeln!(s, "- p = {p}: the search failed: {why}");
    }
    for (m, why) in l.failures() {
        let _ = writeln!(s, "- {}: NOT CERTIFIED: {why}", m.name());
    }
    for n in &l.named {
        let text = match (&n.failure, n.matched) {
            (Some(why), _) => format!("family {} not certified: {why}", n.family.name()),
            (None, Some((m, rel))) => format!(
                "{} = {}: {}",
                n.family.name(),
                m.name(),
                match rel {
                    crate::ladder::Relation::Same => "proved (the Krawczyk enclosure of one lies in the certified box of the other)",
                    crate::ladder::Relation::Overlap => "undecided (the enclosures meet; not a proof)",
                    crate::ladder::Relation::Disjoint => "disjoint",
                }
            ),
            (None, None) if n.flip_condition => format!(
                "{}: UNDECIDED: no certified flip({}) point was proved to be it",
                n.family.name(),
                n.p
            ),
            (None, None) => format!(
                "{} is not a flip point at d = {}: its neurons do not satisfy the flip condition (approximate test on the certified centre)",
                n.family.name(),
                l.d
            ),
        };
        let _ = writeln!(s, "- {text}");
    }
    s
}

/// Exact: the explanation printed above the table.
fn preamble(l: &Ladder) -> String {
    format!(
        "Two-block ladder at d = {}: the critical points of Fix(Δ(S_(d−p) × S_p)) whose p \
neurons of the second block are flipped (diagonal entry negative and largest in absolute \
value) and whose other neurons are not, found from {STARTS} seeded Newton starts per space \
and certified with {}-bit interval arithmetic with outward rounding. `[lo, hi]` is an \
enclosure with {TABLE_DIGITS} significant digits (lo rounded down, hi rounded up); \
flip(p)#k is the k-th point of its space by loss. \"λ_min on\" is the component holding \
the smallest Hessian eigenvalue (\"not separated\": its enclosure meets another's). \"is\" \
names a family proved to be the same point.\n",
        l.d, l.prec
    )
}

/// Exact: the text summary (what `ladder` prints by default).
pub fn text(l: &Ladder) -> String {
    let mut s = preamble(l);
    s += "\n";
    let right: Vec<bool> = (0..8).map(|i| i == 0).collect();
    s += &md_table(&header(), &right, &rows(l));
    s += "\n";
    s += &notes(l);
    s
}

/// Exact: the ladder as Markdown.
pub fn markdown(l: &Ladder) -> String {
    let mut s = format!("# Two-block ladder at d = {}\n\n", l.d);
    s += &preamble(l);
    s += "\n";
    let right: Vec<bool> = (0..8).map(|i| i == 0).collect();
    s += &md_table(&header(), &right, &rows(l));
    s += "\n";
    s += &notes(l);
    s
}

/// Exact: the ladder as CSV (one row per point; intervals split into `_lo` rounded down
/// and `_hi` rounded up, 6 significant digits).
pub fn csv(l: &Ladder) -> String {
    let digits = TABLE_DIGITS;
    let mut out = "d,p,point,rank,hits,status,loss_lo,loss_hi,approx_loss,classification,index,\
min_eigenvalue_lo,min_eigenvalue_hi,min_kind,min_block,min_separated,is,reason\n"
        .to_string();
    for r in &l.rows {
        let m = r.member;
        let named = l.named_as(m).map(|f| f.name()).unwrap_or_default();
        let reason = r.reason().unwrap_or_default();
        let mut cells = vec![
            l.d.to_string(),
            m.p.to_string(),
            m.name(),
            m.rank.to_string(),
            r.hits.to_string(),
        ];
        match &r.outcome {
            Outcome::Certified(c) => {
                let me = &c.proof.min_eigenvalue;
                let (class, index) = match &c.proof.verdict {
                    Verdict::StrictLocalMinimum => ("minimum".to_string(), "0".to_string()),
                    Verdict::Saddle { index } => ("saddle".to_string(), index.to_string()),
                    Verdict::Inconclusive { .. } => ("inconclusive".to_string(), String::new()),
                };
                cells.extend([
                    if r.is_certified() {
                        "certified"
                    } else {
                        "inconclusive"
                    }
                    .to_string(),
                    c.proof.loss.lo_decimal(digits),
                    c.proof.loss.hi_decimal(digits),
                    String::new(),
                    class,
                    index,
                    me.value.lo_decimal(digits),
                    me.value.hi_decimal(digits),
                    me.kind.name().to_string(),
                    me.kind
                        .blocks()
                        .iter()
                        .map(|b| (b + 1).to_string())
                        .collect::<Vec<_>>()
                        .join(" "),
                    me.separated.to_string(),
                ]);
            }
            Outcome::NotCertified { .. } => {
                cells.extend(["not_certified".to_string(), String::new(), String::new()]);
                cells.push(format!("{:e}", r.approx_loss));
                cells.extend(std::iter::repeat_n(String::new(), 7));
            }
        }
        cells.push(named);
        cells.push(reason);
        out += &cells
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(",");
        out += "\n";
    }
    out
}

/// Exact: the ladder as a LaTeX `tabular` fragment (numbers in math mode, text escaped),
/// followed by the notes as a LaTeX `itemize`.
pub fn latex(l: &Ladder) -> String {
    let mut s = format!(
        "% Two-block ladder at d = {}, {}-bit interval arithmetic; enclosures rounded outward.\n",
        l.d, l.prec
    );
    // LaTeX sources stay ASCII: the approximate mark of an uncertified loss is spelled out.
    let rows: Vec<Vec<String>> = rows(l)
        .into_iter()
        .map(|r| r.into_iter().map(|c| c.replace("≈ ", "approx. ")).collect())
        .collect();
    s += &latex_tabular(&header(), &rows, "rlllllll");
    s += "\\begin{itemize}\n";
    for line in notes(l).lines() {
        let item = line.trim_start_matches("- ");
        let _ = writeln!(s, "\\item {}", latex_escape(item));
    }
    s += "\\end{itemize}\n";
    s
}

/// Exact: the ladder as JSON (full enclosure digits, fixed key order).
pub fn json(l: &Ladder) -> Value {
    let points: Vec<Value> = l
        .rows
        .iter()
        .map(|r| {
            let m = r.member;
            let mut v = json!({
                "p": m.p,
                "rank": m.rank,
                "name": m.name(),
                "hits": r.hits,
                "status": if r.is_certified() { "certified" } else { "inconclusive" },
                "is": l.named_as(m).map(|f| f.name()),
            });
            match &r.outcome {
                Outcome::Certified(c) => {
                    let digits = enclosure_digits(c.prec);
                    let me = &c.proof.min_eigenvalue;
                    v["partition"] = json!(c.partition.int_sizes_u64());
                    v["loss"] = interval_json(&c.proof.loss, digits);
                    v["classification"] = json!(c.proof.verdict.name());
                    v["index"] = match &c.proof.verdict {
                        Verdict::StrictLocalMinimum => json!(0),
                        Verdict::Saddle { index } => json!(index.to_string()),
                        Verdict::Inconclusive { .. } => Value::Null,
                    };
                    v["min_eigenvalue"] = json!({
                        "value": interval_json(&me.value, digits),
                        "kind": me.kind.name(),
                        "block": block_json(me.kind),
                        "dimension": me.dimension.to_string(),
                        "separated": me.separated,
                    });
                    v["radius"] = json!(c.radius.to_string());
                    v["center"] = json!(c.center.iter().map(|x| x.to_string()).collect::<Vec<_>>());
                }
                Outcome::NotCertified { .. } => {
                    v["approx_loss"] = json!(format!("{:e}", r.approx_loss));
                }
            }
            v["reason"] = json!(r.reason());
            v
        })
        .collect();
    let named: Vec<Value> = l
        .named
        .iter()
        .map(|n| {
            json!({
                "family": n.family.name(),
                "p": n.p,
                "flip": n.matched.map(|(m, _)| m.name()),
                "relation": n.matched.map(|(_, r)| r.name()),
                "proved": n.proved(),
                "flip_condition": n.flip_condition,
                "failure": n.failure,
            })
        })
        .collect();
    json!({
        "d": l.d,
        "precision_bits": l.prec,
        "starts_per_space": STARTS,
        "p": l.ps,
        "points": points,
        "no_flip_point_found": l.empty,
        "search_failures": l.search_failures.iter().map(|(p, w)| json!({"p": p, "reason": w})).collect::<Vec<_>>(),
        "named": named,
    })
}

/// Approximate: the midpoint of an enclosure (for drawing only).
fn mid(x: &crate::arith::Interval) -> f64 {
    0.5 * (x.lo().to_f64() + x.hi().to_f64())
}

/// Approximate: the ladder drawn as two panels against p/d: the certified loss (top) and
/// the smallest Hessian eigenvalue (bottom, with the zero line); minima filled, saddles
/// hollow. A standalone SVG document.
pub fn svg(l: &Ladder) -> String {
    let (w, h) = (900.0, 720.0);
    let (x0, x1) = (90.0, 860.0);
    let panels = [(60.0, 330.0), (400.0, 670.0)];
    let pts: Vec<(f64, f64, f64, bool)> = l
        .rows
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Certified(c) => Some((
                r.member.p as f64 / l.d as f64,
                mid(&c.proof.loss),
                mid(&c.proof.min_eigenvalue.value),
                c.proof.verdict == Verdict::StrictLocalMinimum,
            )),
            Outcome::NotCertified { .. } => None,
        })
        .collect();
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/>\n"
    );
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"30\" font-size=\"16\" text-anchor=\"middle\">{}</text>",
        (x0 + x1) / 2.0,
        xml_escape(&format!(
            "Two-block ladder at d = {}: certified flip points (filled: minimum, hollow: saddle)",
            l.d
        ))
    );
    let xs = |t: f64| x0 + t * (x1 - x0);
    for (k, &(top, bottom)) in panels.iter().enumerate() {
        let vals: Vec<f64> = pts.iter().map(|p| if k == 0 { p.1 } else { p.2 }).collect();
        let (mut lo, mut hi) = vals
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        if k == 1 || !lo.is_finite() {
            lo = lo.min(0.0);
            hi = hi.max(0.0);
        }
        if !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if hi - lo < 1e-12 {
            hi = lo + 1.0;
        }
        let pad = 0.05 * (hi - lo);
        let (lo, hi) = (lo - pad, hi + pad);
        let ys = |v: f64| bottom - (v - lo) / (hi - lo) * (bottom - top);
        let _ = writeln!(
            s,
            "<rect x=\"{x0}\" y=\"{top}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#444\"/>",
            x1 - x0,
            bottom - top
        );
        let step = nice_step(hi - lo);
        let mut t = (lo / step).ceil() * step;
        while t <= hi {
            let y = ys(t);
            let _ = writeln!(
                s,
                "<line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{x1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
                x0 - 6.0,
                y + 4.0,
                format_tick(t, step)
            );
            t += step;
        }
        if k == 1 {
            let y = ys(0.0);
            let _ = writeln!(
                s,
                "<line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{x1}\" y2=\"{y:.1}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>"
            );
        }
        for i in 0..=10 {
            let t = i as f64 / 10.0;
            let _ = writeln!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
                xs(t),
                bottom + 16.0,
                format_tick(t, 0.1)
            );
        }
        let label = if k == 0 {
            "loss"
        } else {
            "smallest Hessian eigenvalue λ_min"
        };
        let _ = writeln!(
            s,
            "<text x=\"20\" y=\"{:.1}\" font-size=\"13\" transform=\"rotate(-90 20 {:.1})\" text-anchor=\"middle\">{}</text>",
            (top + bottom) / 2.0,
            (top + bottom) / 2.0,
            xml_escape(label)
        );
        for p in &pts {
            let v = if k == 0 { p.1 } else { p.2 };
            let fill = if p.3 { "#1f5fbf" } else { "none" };
            let _ = writeln!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{fill}\" stroke=\"#1f5fbf\" stroke-width=\"1.2\"/>",
                xs(p.0),
                ys(v)
            );
        }
    }
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"middle\">p/d (fraction of flipped neurons)</text>",
        (x0 + x1) / 2.0,
        panels[1].1 + 40.0
    );
    s += "</svg>\n";
    s
}
