//! Writers for comparisons and certificate sets: Markdown, CSV, LaTeX and JSON tables, an
//! SVG plot, certificate summaries and the index of a certificate set.
//!
//! **Guarantees.** Every number these writers print as an interval `[lo, hi]` is an
//! enclosure proved by interval arithmetic, printed with its lower end rounded down and its
//! upper end rounded up ([`Interval::lo_decimal`], [`Interval::hi_decimal`]); a column
//! marked as a lower bound (`≥`, `_lo`) prints only the lower end of an enclosure, rounded
//! down, so it is a certified lower bound. The only values computed in floating point are
//! the SVG's drawing coordinates (pixel positions, approximate by nature). The output is a
//! function of its input alone: no timestamps, no paths, no timings, fixed key order.

use crate::arith::Interval;
use crate::certificate::critical_point::{
    block_json, enclosure_digits, interval_json, Certificate,
};
use crate::compare::{classification_short, Comparison, FamilySummary, Row};
use crate::search::families::Family;
use crate::symmetry::components::Kind;
use serde_json::{json, Value};
use std::fmt::Write as _;

/// Exact: significant digits of table entries.
pub const TABLE_DIGITS: usize = 6;

/// Exact: a decimal string in e-notation with exponent -1 or -2 rewritten positionally
/// (`8.1097e-2` -> `0.081097`); other strings unchanged. Only digits move, so the value,
/// and hence the rounding direction, is unchanged.
pub fn positional(s: &str) -> String {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let Some((mant, exp)) = body.split_once('e') else {
        return s.to_string();
    };
    let Ok(exp) = exp.parse::<i32>() else {
        return s.to_string();
    };
    if !(-2..=-1).contains(&exp) || !mant.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return s.to_string();
    }
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let int_len = mant.find('.').unwrap_or(mant.len());
    if int_len != 1 {
        return s.to_string();
    }
    let zeros = "0".repeat((-exp - 1) as usize);
    format!("{}0.{zeros}{digits}", if neg { "-" } else { "" })
}

/// Encloses: the lower end, rounded down, `digits` significant digits, compact form.
pub fn lo_str(x: &Interval, digits: usize) -> String {
    positional(&x.lo_decimal(digits))
}

/// Encloses: the upper end, rounded up, `digits` significant digits, compact form.
pub fn hi_str(x: &Interval, digits: usize) -> String {
    positional(&x.hi_decimal(digits))
}

/// Exact: a decimal string with `-0` written as `0` (an end that rounds to zero).
pub fn no_negative_zero(s: String) -> String {
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// Encloses: `[lo, hi]` rounded outward with `digits` significant digits, in the decimal
/// form of `Interval::lo_decimal` (scientific where it is shorter), `-0` written as `0`.
pub fn bracket(x: &Interval, digits: usize) -> String {
    format!(
        "[{}, {}]",
        no_negative_zero(x.lo_decimal(digits)),
        no_negative_zero(x.hi_decimal(digits))
    )
}

/// Exact: plain-text columns, each cell left-aligned to its column's widest cell (in
/// characters), two spaces apart, trailing spaces trimmed, and a rule of dashes under the
/// first row (the header).
pub fn aligned_columns<R: AsRef<[String]>>(rows: &[R]) -> String {
    let n = rows.iter().map(|r| r.as_ref().len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|k| {
            rows.iter()
                .filter_map(|r| r.as_ref().get(k))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut s = String::new();
    for (i, r) in rows.iter().enumerate() {
        let cells: Vec<String> = r
            .as_ref()
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        s += cells.join("  ").trim_end();
        s.push('\n');
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            s += &rule.join("  ");
            s.push('\n');
        }
    }
    s
}

/// Encloses: `[lo, hi]` rounded outward with `digits` significant digits.
pub fn interval_str(x: &Interval, digits: usize) -> String {
    format!("[{}, {}]", lo_str(x, digits), hi_str(x, digits))
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn family_list(fs: &[Family]) -> String {
    let names: Vec<String> = fs.iter().map(|f| f.name()).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

fn d_list(cmp: &Comparison) -> String {
    let ds: Vec<String> = cmp.rows.iter().map(|r| r.d.to_string()).collect();
    if ds.len() <= 12 {
        format!("d = {}", ds.join(", "))
    } else {
        format!(
            "{} values of d from {} to {}",
            ds.len(),
            ds[0],
            ds[ds.len() - 1]
        )
    }
}

/// The component where the smallest eigenvalue was found, with the expectation when the
/// proof disagrees with it (never silently replaced).
fn min_on(s: &FamilySummary) -> String {
    match s.expected {
        Some(e) if e != s.min_kind => format!("{} (expected {})", s.min_kind.name(), e.name()),
        _ => s.min_kind.name().to_string(),
    }
}

/// One headline cell group per family: class, on, value, separated, margin, sqrt(d) margin.
fn headline_cells(row: &Row, fi: usize, s: &Option<FamilySummary>, digits: usize) -> Vec<String> {
    match (s, &row.certs[fi]) {
        (Some(s), Ok(c)) => vec![
            classification_short(&c.proof.verdict),
            min_on(s),
            interval_str(&s.min_eigenvalue, digits),
            yes_no(s.separated).to_string(),
            s.margin.as_ref().map_or("–".into(), |m| lo_str(m, digits)),
            s.sqrt_d_margin
                .as_ref()
                .map_or("–".into(), |m| lo_str(m, digits)),
        ],
        _ => {
            let mut v = vec!["not certified".to_string()];
            v.extend(std::iter::repeat_n("–".to_string(), 5));
            v
        }
    }
}

/// Markdown table with padded columns (widths counted in characters).
pub(crate) fn md_table(header: &[String], align_right: &[bool], rows: &[Vec<String>]) -> String {
    let n = header.len();
    let mut w: Vec<usize> = header.iter().map(|h| h.chars().count().max(3)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let pad = |s: &str, i: usize| {
        let k = w[i] - s.chars().count();
        if align_right[i] {
            format!("{}{s}", " ".repeat(k))
        } else {
            format!("{s}{}", " ".repeat(k))
        }
    };
    let mut out = String::new();
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    out += &line((0..n).map(|i| pad(&header[i], i)).collect());
    out += &line(
        (0..n)
            .map(|i| {
                let dashes = "-".repeat(w[i] - 1);
                if align_right[i] {
                    format!("{dashes}:")
                } else {
                    format!("{dashes}-")
                }
            })
            .collect(),
    );
    for r in rows {
        out += &line((0..n).map(|i| pad(&r[i], i)).collect());
    }
    out
}

/// The headline table: header cells and rows (shared by Markdown and LaTeX).
fn headline(cmp: &Comparison, digits: usize) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["d".to_string()];
    for f in &cmp.families {
        let n = f.name();
        header.extend([
            format!("{n}: class"),
            format!("{n}: λ_min on"),
            format!("{n}: λ_min ∈"),
            format!("{n}: separated"),
            format!("{n}: margin ≥"),
            format!("{n}: √d·margin ≥"),
        ]);
    }
    let rows = cmp
        .rows
        .iter()
        .map(|row| {
            let sums = row.summaries(&cmp.families);
            let mut cells = vec![row.d.to_string()];
            for (fi, s) in sums.iter().enumerate() {
                cells.extend(headline_cells(row, fi, s, digits));
            }
            cells
        })
        .collect();
    (header, rows)
}

/// The per-component table: header cells and rows (shared by Markdown and LaTeX).
fn component_table(cmp: &Comparison, digits: usize) -> (Vec<String>, Vec<Vec<String>>) {
    // The differenced pairs are the same at every row unless a certification failed; take
    // the pairs of same-partition families by name.
    let pairs = family_pairs(cmp);
    let mut header = vec![
        "d".to_string(),
        "component".to_string(),
        "dimension".to_string(),
        "k".to_string(),
    ];
    for f in &cmp.families {
        header.push(format!("{} ∈", f.name()));
    }
    for &(i, j) in &pairs {
        let (a, b) = (cmp.families[i].name(), cmp.families[j].name());
        header.push(format!("{b} − {a} ∈"));
        header.push(format!("√d·({b} − {a}) ∈"));
    }
    let mut rows = Vec::new();
    for row in &cmp.rows {
        let gaps = row.gaps(&cmp.families);
        for comp in row.components() {
            let mut dims: Vec<String> = Vec::new();
            for (dim, _) in comp.at.iter().flatten() {
                let s = dim.to_string();
                if !dims.contains(&s) {
                    dims.push(s);
                }
            }
            let kmax = comp.at.iter().flatten().map(|(_, e)| e.len()).max();
            for k in 0..kmax.unwrap_or(0) {
                let mut cells = vec![
                    row.d.to_string(),
                    comp.kind.label(),
                    dims.join(" / "),
                    (k + 1).to_string(),
                ];
                for at in &comp.at {
                    cells.push(
                        at.and_then(|(_, e)| e.get(k))
                            .map_or("–".into(), |e| interval_str(e, digits)),
                    );
                }
                for &(i, j) in &pairs {
                    let g = gaps.iter().find(|g| {
                        g.kind == comp.kind
                            && g.index == k + 1
                            && g.subtrahend == cmp.families[i]
                            && g.minuend == cmp.families[j]
                    });
                    cells.push(g.map_or("–".into(), |g| interval_str(&g.gap, digits)));
                    cells.push(g.map_or("–".into(), |g| interval_str(&g.sqrt_d_gap, digits)));
                }
                rows.push(cells);
            }
        }
    }
    (header, rows)
}

/// Exact: the pairs `(earlier, later)` of listed families that share their partition at
/// every d (I and II do; IIsym shares with neither).
fn family_pairs(cmp: &Comparison) -> Vec<(usize, usize)> {
    let fs = &cmp.families;
    let mut out = Vec::new();
    for j in 0..fs.len() {
        for i in 0..j {
            let sizes = |f: Family| f.partition(10.0).map(|p| p.sizes().to_vec());
            if sizes(fs[i]) == sizes(fs[j]) {
                out.push((i, j));
            }
        }
    }
    out
}

fn notes(cmp: &Comparison) -> String {
    let mut s = String::new();
    for (d, f, why) in cmp.failures() {
        let _ = writeln!(s, "- d = {d}, family {}: NOT CERTIFIED: {why}", f.name());
    }
    for (d, f) in cmp.ordering_exceptions() {
        let row = cmp.rows.iter().find(|r| r.d == d).expect("row exists");
        let sums = row.summaries(&cmp.families);
        let sm = sums
            .iter()
            .flatten()
            .find(|x| x.family == f)
            .expect("summary exists");
        let _ = writeln!(
            s,
            "- d = {d}, family {}: the smallest eigenvalue is NOT certified on {} (lowest enclosure on {}, separated: {})",
            f.name(),
            sm.expected.map_or("?", Kind::name),
            sm.min_kind.name(),
            yes_no(sm.separated)
        );
    }
    s
}

/// Exact: the comparison as Markdown: the headline table (one row per d) and the
/// per-component table with the gaps.
pub fn markdown(cmp: &Comparison) -> String {
    let digits = TABLE_DIGITS;
    let fams = family_list(&cmp.families);
    let mut s = String::new();
    let _ = writeln!(s, "# Families {fams} compared at {}\n", d_list(cmp));
    let _ = writeln!(
        s,
        "Proved with {}-bit interval arithmetic with outward rounding. `[lo, hi]` is an \
enclosure printed with {digits} significant digits (lo rounded down, hi rounded up); a column \
marked ≥ prints the lower end of an enclosure, a certified lower bound. \"λ_min on\" is the \
component whose eigenvalue enclosure is lowest; \"separated: yes\" means that enclosure lies \
below the enclosure of every other eigenvalue, which certifies the component holding the \
smallest Hessian eigenvalue. The margin is the next eigenvalue minus the smallest one.\n",
        cmp.prec
    );
    let (h, rows) = headline(cmp, digits);
    let right: Vec<bool> = (0..h.len()).map(|i| i == 0).collect();
    s += "## Smallest Hessian eigenvalue\n\n";
    s += &md_table(&h, &right, &rows);
    let n = notes(cmp);
    if !n.is_empty() {
        s += "\nExceptions:\n\n";
        s += &n;
    }
    let pairs = family_pairs(cmp);
    s += "\n## Eigenvalues by component";
    if !pairs.is_empty() {
        let gs: Vec<String> = pairs
            .iter()
            .map(|&(i, j)| format!("{} − {}", cmp.families[j].name(), cmp.families[i].name()))
            .collect();
        let _ = write!(s, " and the gap {}", gs.join(", "));
    }
    s += "\n\n";
    s += "Eigenvalue k of a component is the k-th smallest eigenvalue of its block; it has \
multiplicity equal to the component's dimension. ";
    if pairs.is_empty() {
        s += "No two listed families share a partition, so no gaps are computed; components are \
matched by kind name and block.\n\n";
    } else {
        s += "A gap is the interval difference of the same component's k-th eigenvalue at two \
families with the same partition (later family minus earlier); √d times it is enclosed too. \
Families of another partition (IIsym) are matched by kind name and block, not differenced.\n\n";
    }
    let (h, rows) = component_table(cmp, digits);
    let right: Vec<bool> = (0..h.len()).map(|i| i == 0 || i == 3).collect();
    s += &md_table(&h, &right, &rows);
    s
}

/// Exact: a CSV field, quoted when it holds a comma, quote or newline.
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Exact: the headline table as CSV (header row, one row per d). Intervals are split into
/// `_lo` (rounded down) and `_hi` (rounded up) columns with 6 significant digits.
pub fn csv(cmp: &Comparison) -> String {
    let digits = TABLE_DIGITS;
    let mut header = vec!["d".to_string()];
    for f in &cmp.families {
        let n = f.name();
        for col in [
            "classification",
            "index",
            "min_kind",
            "min_dimension",
            "min_eigenvalue_lo",
            "min_eigenvalue_hi",
            "separated",
            "margin_lo",
            "margin_hi",
            "sqrt_d_margin_lo",
            "sqrt_d_margin_hi",
        ] {
            header.push(format!("{n}_{col}"));
        }
    }
    let mut out = header.join(",") + "\n";
    for row in &cmp.rows {
        let mut cells = vec![row.d.to_string()];
        for s in row.summaries(&cmp.families) {
            match s {
                Some(s) => {
                    let iv = |x: &Option<Interval>| match x {
                        Some(x) => [x.lo_decimal(digits), x.hi_decimal(digits)],
                        None => [String::new(), String::new()],
                    };
                    let [ml, mh] = iv(&s.margin);
                    let [sl, sh] = iv(&s.sqrt_d_margin);
                    cells.extend([
                        s.classification.to_string(),
                        s.index.map_or(String::new(), |i| i.to_string()),
                        s.min_kind.name().to_string(),
                        s.min_dimension.to_string(),
                        s.min_eigenvalue.lo_decimal(digits),
                        s.min_eigenvalue.hi_decimal(digits),
                        s.separated.to_string(),
                        ml,
                        mh,
                        sl,
                        sh,
                    ]);
                }
                None => {
                    cells.push("not_certified".into());
                    cells.extend(std::iter::repeat_n(String::new(), 10));
                }
            }
        }
        out += &cells
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(",");
        out += "\n";
    }
    out
}

/// Exact: text escaped for LaTeX text mode.
pub fn latex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '_' | '&' | '%' | '#' | '$' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out += "\\textasciitilde{}",
            '^' => out += "\\textasciicircum{}",
            '\\' => out += "\\textbackslash{}",
            '–' => out += "--",
            '−' => out += "$-$",
            _ => out.push(c),
        }
    }
    out
}

/// Exact: a decimal string as LaTeX math (`3.1e-3` -> `3.1\times10^{-3}`).
pub fn latex_number(s: &str) -> String {
    match s.split_once('e') {
        Some((m, e)) => format!("{m}\\times10^{{{}}}", e.trim_start_matches('+')),
        None => s.to_string(),
    }
}

/// Exact: a table cell for LaTeX: intervals and numbers in math mode, text escaped.
fn latex_cell(s: &str) -> String {
    let numeric = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'-' | b'+'))
            && t.bytes().any(|b| b.is_ascii_digit())
    };
    if let Some(inner) = s.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        if let Some((a, b)) = inner.split_once(", ") {
            if numeric(a) && numeric(b) {
                return format!("$[{}, {}]$", latex_number(a), latex_number(b));
            }
        }
    }
    if numeric(s) {
        return format!("${}$", latex_number(s));
    }
    latex_escape(s)
}

/// Exact: a header cell for LaTeX (the symbols of the Markdown header in math mode).
fn latex_header(s: &str) -> String {
    let mut out = latex_escape(s);
    for (from, to) in [
        ("λ_min", "$\\lambda_{\\min}$"),
        ("λ\\_min", "$\\lambda_{\\min}$"),
        ("√d·", "$\\sqrt{d}\\,$"),
        ("∈", "$\\in$"),
        ("≥", "$\\ge$"),
    ] {
        out = out.replace(from, to);
    }
    if out == "d" {
        out = "$d$".into();
    }
    out
}

pub(crate) fn latex_tabular(header: &[String], rows: &[Vec<String>], spec: &str) -> String {
    let mut s = format!("\\begin{{tabular}}{{{spec}}}\n\\hline\n");
    s += &header
        .iter()
        .map(|h| latex_header(h))
        .collect::<Vec<_>>()
        .join(" & ");
    s += " \\\\\n\\hline\n";
    for r in rows {
        s += &r
            .iter()
            .map(|c| latex_cell(c))
            .collect::<Vec<_>>()
            .join(" & ");
        s += " \\\\\n";
    }
    s += "\\hline\n\\end{tabular}\n";
    s
}

/// Exact: the comparison as LaTeX: two plain `tabular`s (headline, and per component with
/// the gaps), numbers in math mode, text escaped; a fragment to `\input`.
pub fn latex(cmp: &Comparison) -> String {
    let digits = TABLE_DIGITS;
    let mut s = format!(
        "% relucert compare: families {}, {}; {}-bit interval arithmetic with outward\n\
% rounding. [lo, hi]: enclosure with {digits} significant digits (lo rounded down, hi rounded\n\
% up); a column marked \\ge prints a certified lower bound (the lower end of an enclosure).\n",
        family_list(&cmp.families),
        d_list(cmp),
        cmp.prec
    );
    let (h, rows) = headline(cmp, digits);
    let spec = format!("r{}", "|llllll".repeat(cmp.families.len()));
    s += &latex_tabular(&h, &rows, &spec);
    s += "\n";
    let (h, rows) = component_table(cmp, digits);
    let spec = format!("rllr|{}", "l".repeat(h.len() - 4));
    s += &latex_tabular(&h, &rows, &spec);
    s
}

fn opt_interval(x: &Option<Interval>, digits: usize) -> Value {
    x.as_ref().map_or(Value::Null, |x| interval_json(x, digits))
}

fn family_json(s: &Option<FamilySummary>, failure: Option<String>, digits: usize) -> Value {
    match (s, failure) {
        (Some(s), None) => json!({
            "classification": s.classification,
            "min_kind": s.min_kind.name(),
            "min_block": block_json(s.min_kind),
            "min_dimension": s.min_dimension,
            "min_eigenvalue": interval_json(&s.min_eigenvalue, digits),
            "separated": s.separated,
            "margin": opt_interval(&s.margin, digits),
            "sqrt_d_margin": opt_interval(&s.sqrt_d_margin, digits),
            "index": s.index,
            "expected_min_kind": s.expected.map(Kind::name),
            "ordering_certified": s.ordering_certified,
        }),
        (_, Some(why)) => json!({
            "classification": "not_certified",
            "min_kind": null,
            "min_block": null,
            "min_dimension": null,
            "min_eigenvalue": null,
            "separated": null,
            "margin": null,
            "sqrt_d_margin": null,
            "index": null,
            "expected_min_kind": null,
            "ordering_certified": null,
            "reason": why,
        }),
        (None, None) => Value::Null,
    }
}

/// Exact: the comparison as JSON: `{"families", "precision_bits", "rows"}`; each row has
/// `d`, one object per family (see the module docs of `compare`), `gaps` and `components`.
pub fn json(cmp: &Comparison) -> Value {
    let digits = enclosure_digits(cmp.prec);
    let rows: Vec<Value> = cmp
        .rows
        .iter()
        .map(|row| {
            let sums = row.summaries(&cmp.families);
            let mut obj = serde_json::Map::new();
            obj.insert("d".into(), json!(row.d));
            for (fi, f) in cmp.families.iter().enumerate() {
                let failure = row.certs[fi].as_ref().err().map(|e| e.to_string());
                obj.insert(f.name(), family_json(&sums[fi], failure, digits));
            }
            let gaps: Vec<Value> = row
                .gaps(&cmp.families)
                .iter()
                .map(|g| {
                    json!({
                        "kind": g.kind.name(),
                        "block": block_json(g.kind),
                        "index": g.index,
                        "gap": interval_json(&g.gap, digits),
                        "sqrt_d_gap": interval_json(&g.sqrt_d_gap, digits),
                        "minuend": g.minuend.name(),
                        "subtrahend": g.subtrahend.name(),
                    })
                })
                .collect();
            obj.insert("gaps".into(), Value::Array(gaps));
            let comps: Vec<Value> = row
                .components()
                .iter()
                .map(|c| {
                    let mut o = serde_json::Map::new();
                    o.insert("kind".into(), json!(c.kind.name()));
                    o.insert("block".into(), block_json(c.kind));
                    for (f, at) in cmp.families.iter().zip(&c.at) {
                        o.insert(
                            f.name(),
                            at.map_or(Value::Null, |(dim, ev)| {
                                json!({
                                    "dimension": dim,
                                    "eigenvalues": ev.iter().map(|e| interval_json(e, digits)).collect::<Vec<_>>(),
                                })
                            }),
                        );
                    }
                    Value::Object(o)
                })
                .collect();
            obj.insert("components".into(), Value::Array(comps));
            Value::Object(obj)
        })
        .collect();
    json!({
        "families": cmp.families.iter().map(|f| f.name()).collect::<Vec<_>>(),
        "precision_bits": cmp.prec,
        "rows": rows,
    })
}

/// Exact: pretty JSON text with a trailing newline.
pub fn json_text(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON values serialize");
    s.push('\n');
    s
}

// ---------------------------------------------------------------------------------------
// SVG

/// Exact: text escaped for XML.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const FAMILY_COLOURS: [(Family, &str); 3] = [
    (Family::I, "#1f5fbf"),
    (Family::II, "#d62728"),
    (Family::IIsym, "#2a9d2a"),
];

fn colour(f: Family) -> &'static str {
    FAMILY_COLOURS
        .iter()
        .find(|(g, _)| *g == f)
        .map_or("#000000", |(_, c)| c)
}

fn kind_rank(k: Kind) -> usize {
    match k {
        Kind::Trivial => 0,
        Kind::Std(_) => 1,
        Kind::Two(_) => 2,
        Kind::OneOne(_) => 3,
        Kind::StdStd(..) => 4,
    }
}

fn kind_display(k: Kind) -> &'static str {
    match k {
        Kind::Trivial => "trivial",
        Kind::Std(_) => "std",
        Kind::Two(_) => "[n−2,2]",
        Kind::OneOne(_) => "[n−2,1,1]",
        Kind::StdStd(..) => "std ⊠ std",
    }
}

fn dash(k: Kind) -> &'static str {
    match kind_rank(k) {
        0 => "",
        1 => " stroke-dasharray=\"7,4\"",
        2 => " stroke-dasharray=\"2,3\"",
        3 => "",
        _ => " stroke-dasharray=\"9,3,2,3\"",
    }
}

/// A marker of kind `k` at (x, y) in colour `c`.
fn marker(k: Kind, x: f64, y: f64, c: &str) -> String {
    let st = format!("stroke=\"{c}\" fill=\"{c}\" fill-opacity=\"0.25\" stroke-width=\"1.3\"");
    let r = 3.6;
    match kind_rank(k) {
        0 => format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\" {st}/>"),
        1 => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" {st}/>",
            x - r,
            y - r,
            2.0 * r,
            2.0 * r
        ),
        2 => format!(
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" {st}/>",
            x,
            y - 1.2 * r,
            x - 1.1 * r,
            y + 0.8 * r,
            x + 1.1 * r,
            y + 0.8 * r
        ),
        3 => format!(
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" {st}/>",
            x,
            y - 1.3 * r,
            x + r,
            y,
            x,
            y + 1.3 * r,
            x - r,
            y
        ),
        _ => format!(
            "<path d=\"M{:.1},{:.1} L{:.1},{:.1} M{:.1},{:.1} L{:.1},{:.1}\" stroke=\"{c}\" stroke-width=\"1.6\" fill=\"none\"/>",
            x - r,
            y - r,
            x + r,
            y + r,
            x - r,
            y + r,
            x + r,
            y - r
        ),
    }
}

/// One eigenvalue branch: a family, a component, an index, and its points `(d, value)`.
struct Branch {
    family: Family,
    kind: Kind,
    points: Vec<(f64, f64)>,
}

/// Approximate: the branches that stay below 1 at every plotted d (the O(1) eigenvalues;
/// the Θ(d) outliers exceed 1 from small d on and are dropped). Values are enclosure
/// midpoints in f64, for drawing only.
fn branches(cmp: &Comparison) -> Vec<Branch> {
    let mut out: Vec<Branch> = Vec::new();
    for (fi, &f) in cmp.families.iter().enumerate() {
        let mut keys: Vec<(Kind, usize)> = Vec::new();
        for row in &cmp.rows {
            if let Ok(c) = &row.certs[fi] {
                for p in &c.proof.components {
                    for k in 0..p.eigenvalues.len() {
                        if !keys.contains(&(p.component.kind, k)) {
                            keys.push((p.component.kind, k));
                        }
                    }
                }
            }
        }
        for (kind, k) in keys {
            let mut pts = Vec::new();
            for row in &cmp.rows {
                if let Ok(c) = &row.certs[fi] {
                    if let Some(e) = c
                        .proof
                        .components
                        .iter()
                        .find(|p| p.component.kind == kind)
                        .and_then(|p| p.eigenvalues.get(k))
                    {
                        pts.push((row.d as f64, e.mid().to_f64()));
                    }
                }
            }
            if !pts.is_empty() && pts.iter().all(|&(_, v)| v < 1.0) {
                out.push(Branch {
                    family: f,
                    kind,
                    points: pts,
                });
            }
        }
    }
    out
}

pub(crate) fn nice_step(span: f64) -> f64 {
    let raw = span / 8.0;
    let p = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= raw {
            return m * p;
        }
    }
    10.0 * p
}

/// Approximate: the O(1) eigenvalue branches (below 1) of the compared families against d
/// on a log axis, as a standalone SVG document (hand-written, well-formed XML).
pub fn svg(cmp: &Comparison) -> String {
    let (w, h) = (1100.0, 660.0);
    let (x0, x1, y0, y1) = (90.0, 780.0, 78.0, 590.0);
    let bs = branches(cmp);
    let pi = std::f64::consts::PI;
    let refs = [
        (0.25 - 1.0 / (2.0 * pi), "1/4 − 1/(2π) ≈ 0.0908"),
        (0.25, "1/4 = 0.25"),
        (0.25 + 1.0 / (2.0 * pi), "1/4 + 1/(2π) ≈ 0.4092"),
    ];
    // Axes ranges.
    let ds: Vec<f64> = cmp.rows.iter().map(|r| r.d as f64).collect();
    let (mut lx0, mut lx1) = match (ds.first(), ds.last()) {
        (Some(a), Some(b)) => (a.log10(), b.log10()),
        _ => (0.0, 1.0),
    };
    if lx1 - lx0 < 1e-9 {
        lx0 -= 0.5;
        lx1 += 0.5;
    }
    let pad = 0.03 * (lx1 - lx0);
    let (lx0, lx1) = (lx0 - pad, lx1 + pad);
    let vals: Vec<f64> = bs
        .iter()
        .flat_map(|b| b.points.iter().map(|p| p.1))
        .collect();
    let vmin = vals.iter().copied().fold(0.0f64, f64::min);
    let vmax = vals.iter().copied().fold(0.45f64, f64::max);
    let step = nice_step(vmax - vmin);
    let ylo = (vmin / step).floor() * step;
    let yhi = (vmax / step).ceil() * step;
    let px = |d: f64| x0 + (d.log10() - lx0) / (lx1 - lx0) * (x1 - x0);
    let py = |v: f64| y1 - (v - ylo) / (yhi - ylo) * (y1 - y0);

    let mut s = String::new();
    let _ = writeln!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">"
    );
    let _ = writeln!(
        s,
        "<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"white\"/>"
    );
    let fams = family_list(&cmp.families);
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"30\" font-size=\"19\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
        w / 2.0,
        xml_escape(&format!(
            "Hessian eigenvalues below 1 at families {fams}, against d"
        ))
    );
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"53\" font-size=\"12.5\" text-anchor=\"middle\" fill=\"#333333\">{}</text>",
        w / 2.0,
        xml_escape(&format!(
            "Each marker is an eigenvalue enclosure proved in {}-bit interval arithmetic (far narrower than a marker); lines join one eigenvalue of one block across d. The Θ(d) eigenvalues are omitted.",
            cmp.prec
        ))
    );
    // Plot frame and grid.
    let _ = writeln!(
        s,
        "<rect x=\"{x0}\" y=\"{y0}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1\"/>",
        x1 - x0,
        y1 - y0
    );
    // y ticks.
    let nt = ((yhi - ylo) / step).round() as i64;
    for i in 0..=nt {
        let v = ylo + i as f64 * step;
        let y = py(v);
        let _ = writeln!(
            s,
            "<line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{x1}\" y2=\"{y:.1}\" stroke=\"#e6e6e6\" stroke-width=\"1\"/>\n<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{x0}\" y2=\"{y:.1}\" stroke=\"#000000\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            x0 - 5.0,
            x0 - 8.0,
            y + 4.0,
            format_tick(v, step)
        );
    }
    // x ticks at powers of ten (and minor ticks; labelled when the range is narrow).
    let narrow = lx1 - lx0 < 1.3;
    let kmin = lx0.floor() as i32;
    let kmax = lx1.ceil() as i32;
    for k in kmin..=kmax {
        for m in 1..=9 {
            let v = (m as f64) * 10f64.powi(k);
            let l = v.log10();
            if l < lx0 || l > lx1 {
                continue;
            }
            let x = px(v);
            if m == 1 {
                let _ = writeln!(
                    s,
                    "<line x1=\"{x:.1}\" y1=\"{y0}\" x2=\"{x:.1}\" y2=\"{y1}\" stroke=\"#e6e6e6\" stroke-width=\"1\"/>\n<line x1=\"{x:.1}\" y1=\"{y1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#000000\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"end\">10</text>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"start\">{k}</text>",
                    y1 + 6.0,
                    x + 3.0,
                    y1 + 22.0,
                    x + 3.5,
                    y1 + 15.0
                );
            } else {
                let _ = writeln!(
                    s,
                    "<line x1=\"{x:.1}\" y1=\"{y1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#000000\"/>",
                    y1 + 3.0
                );
                if narrow && (m == 2 || m == 5) {
                    let _ = writeln!(
                        s,
                        "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#444444\">{}</text>",
                        y1 + 20.0,
                        v.round()
                    );
                }
            }
        }
    }
    // Axis labels.
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"14\" text-anchor=\"middle\">d (input dimension = number of neurons), log scale</text>",
        (x0 + x1) / 2.0,
        y1 + 46.0
    );
    let _ = writeln!(
        s,
        "<text x=\"0\" y=\"0\" font-size=\"14\" text-anchor=\"middle\" transform=\"translate(28,{:.1}) rotate(-90)\">Hessian eigenvalue</text>",
        (y0 + y1) / 2.0
    );
    // Reference lines.
    for (v, label) in refs {
        if v < ylo || v > yhi {
            continue;
        }
        let y = py(v);
        let _ = writeln!(
            s,
            "<polyline points=\"{x0},{y:.1} {x1},{y:.1}\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1.2\" stroke-dasharray=\"10,5\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#333333\">{}</text>",
            x1 + 6.0,
            y + 4.0,
            xml_escape(label)
        );
    }
    // Branches: lines, then markers.
    let _ = writeln!(s, "<g fill=\"none\">");
    for b in &bs {
        if b.points.len() < 2 {
            continue;
        }
        let pts: Vec<String> = b
            .points
            .iter()
            .map(|&(d, v)| format!("{:.1},{:.1}", px(d), py(v)))
            .collect();
        let _ = writeln!(
            s,
            "<polyline points=\"{}\" stroke=\"{}\" stroke-width=\"1.2\" stroke-opacity=\"0.8\"{}/>",
            pts.join(" "),
            colour(b.family),
            dash(b.kind)
        );
    }
    let _ = writeln!(s, "</g>");
    for b in &bs {
        for &(d, v) in &b.points {
            let _ = writeln!(s, "{}", marker(b.kind, px(d), py(v), colour(b.family)));
        }
    }
    // Legend.
    let lx = 930.0;
    let mut ly = 100.0;
    let _ = writeln!(
        s,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"160\" height=\"{:.1}\" fill=\"white\" stroke=\"#999999\"/>",
        lx - 10.0,
        ly - 22.0,
        40.0 + 22.0 * (cmp.families.len() + 5) as f64
    );
    let _ = writeln!(
        s,
        "<text x=\"{lx}\" y=\"{ly}\" font-size=\"13\" font-weight=\"bold\">colour: family</text>"
    );
    for f in &cmp.families {
        ly += 22.0;
        let _ = writeln!(
            s,
            "<line x1=\"{lx}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"3\"/>\n<text x=\"{:.1}\" y=\"{ly}\" font-size=\"13\">family {}</text>",
            ly - 4.0,
            lx + 28.0,
            ly - 4.0,
            colour(*f),
            lx + 36.0,
            f.name()
        );
    }
    ly += 30.0;
    let _ = writeln!(
        s,
        "<text x=\"{lx}\" y=\"{ly}\" font-size=\"13\" font-weight=\"bold\">marker: component</text>"
    );
    let kinds = [Kind::Trivial, Kind::Std(0), Kind::Two(0), Kind::OneOne(0)];
    for k in kinds {
        ly += 22.0;
        let _ = writeln!(
            s,
            "<line x1=\"{lx}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#444444\" stroke-width=\"1.2\"{}/>\n{}\n<text x=\"{:.1}\" y=\"{ly}\" font-size=\"13\">{}</text>",
            ly - 4.0,
            lx + 28.0,
            ly - 4.0,
            dash(k),
            marker(k, lx + 14.0, ly - 4.0, "#444444"),
            lx + 36.0,
            xml_escape(kind_display(k))
        );
    }
    s += "</svg>\n";
    s
}

pub(crate) fn format_tick(v: f64, step: f64) -> String {
    let decimals = (0..6)
        .find(|&k| {
            let x = step * 10f64.powi(k);
            (x - x.round()).abs() < 1e-9
        })
        .unwrap_or(6) as usize;
    let v = if v.abs() < step * 1e-6 { 0.0 } else { v };
    format!("{v:.decimals$}")
}

// ---------------------------------------------------------------------------------------
// Certificate summaries and the index of a certificate set

/// One row of a certificate set's index.
#[derive(Clone, Debug)]
pub struct IndexEntry {
    /// Exact: the file's path relative to the set.
    pub path: String,
    /// The family, if any.
    pub family: Option<Family>,
    /// Exact: d.
    pub d: u64,
    /// Exact: `critical_point` or `tangency_point`.
    pub kind: &'static str,
    /// Exact: the certified classification (`strict_local_minimum`, `saddle`, ...) or, for a
    /// tangency point, its type on the sphere (`min`, `max`, `saddle`) with its radius.
    pub classification: String,
    /// Exact: the Morse index, when it is one.
    pub index: Option<u128>,
    /// Encloses: the loss.
    pub loss: Interval,
    /// Exact: digits of the loss in the JSON index.
    pub digits: usize,
}

impl IndexEntry {
    /// Exact: the index row of a critical-point certificate.
    pub fn critical(path: String, c: &Certificate) -> Self {
        IndexEntry {
            path,
            family: c.family,
            d: c.partition.d() as u64,
            kind: "critical_point",
            classification: c.proof.verdict.name().to_string(),
            index: c.proof.verdict.index(),
            loss: c.proof.loss.clone(),
            digits: enclosure_digits(c.prec),
        }
    }
}

/// Exact: the index of a certificate set as JSON.
pub fn index_json(entries: &[IndexEntry], reports: &[&str]) -> Value {
    let certs: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "path": e.path,
                "kind": e.kind,
                "family": e.family.map(Family::name),
                "d": e.d,
                "classification": e.classification,
                "index": e.index,
                "loss": interval_json(&e.loss, e.digits),
            })
        })
        .collect();
    json!({
        "format": "relucert-certificate-index",
        "relucert_version": env!("CARGO_PKG_VERSION"),
        "certificates": certs,
        "reports": reports,
    })
}

/// Exact: the index of a certificate set as Markdown (the same entries as [`index_json`];
/// the loss enclosure with 20 significant digits, rounded outward).
pub fn index_markdown(entries: &[IndexEntry], reports: &[&str]) -> String {
    let mut s = String::from("# Certificate index\n\n");
    s += "Every file below is a `relucert` certificate; `relucert verify FILE` re-proves it. \
The loss column is the certified enclosure with 20 significant digits (lower end rounded \
down, upper end up). Generated by `relucert regen`.\n\n";
    let header: Vec<String> = [
        "file",
        "kind",
        "family",
        "d",
        "classification",
        "index",
        "loss ∈",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                format!("[{}]({})", e.path, e.path),
                e.kind.replace('_', " "),
                e.family.map_or("–".into(), |f| f.name().to_string()),
                e.d.to_string(),
                e.classification.clone(),
                e.index.map_or("–".into(), |i| i.to_string()),
                interval_str(&e.loss, 20),
            ]
        })
        .collect();
    s += &md_table(
        &header,
        &[false, false, false, true, false, true, false],
        &rows,
    );
    if !reports.is_empty() {
        s += "\nReports: ";
        s += &reports
            .iter()
            .map(|r| format!("[{r}]({r})"))
            .collect::<Vec<_>>()
            .join(", ");
        s += "\n";
    }
    s
}
