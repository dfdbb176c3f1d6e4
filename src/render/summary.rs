//! The summary `relucert certify` prints: the box, the loss, the classification, the
//! smallest eigenvalue and every component's eigenvalue enclosures. Lower bounds are
//! printed rounded down, enclosures outward.

use crate::prove::critical_point::Verdict;
use crate::prove::dense_check::{DenseCheck, DenseCholesky};
use crate::prove::Certificate;
use crate::search::families::coordinate_names;

/// Exact: the human-readable summary of a certificate (what `certify` prints).
pub fn certificate_summary(c: &Certificate) -> String {
    let p = &c.proof;
    let digits = 20;
    let mut s = String::new();
    let who = crate::search::families::point_label(c.family);
    s += &format!(
        "{who}, d = {} (fixed space of partition {}), {}-bit interval arithmetic, outward rounding\n",
        c.partition.d() as u64,
        c.partition.label(),
        c.prec
    );
    s += &format!(
        "PROVED: exactly one critical point with every reduced coordinate within {} of the center (shown to 24 digits)\n",
        c.radius
    );
    for (name, i) in coordinate_names(c.family, &c.partition) {
        // 24 significant digits of the exact center (the file holds all of them).
        let short = crate::arith::decimal::to_decimal(
            &rug::Float::with_val(c.prec, c.center[i].value()),
            24,
        );
        s += &format!(
            "  {name:>4} = {}\n",
            crate::render::report::positional(&short)
        );
    }
    s += &format!(
        "  loss in [{}, {}]  (width {:.1e})\n",
        p.loss.lo_decimal(digits),
        p.loss.hi_decimal(digits),
        p.loss.width().to_f64()
    );
    s += &match &p.verdict {
        Verdict::StrictLocalMinimum if p.components.iter().all(|c| c.positive_definite) => {
            "  classification: STRICT LOCAL MINIMUM (every component block positive definite)\n"
                .to_string()
        }
        Verdict::StrictLocalMinimum => {
            "  classification: STRICT LOCAL MINIMUM (every eigenvalue enclosure positive)\n"
                .to_string()
        }
        Verdict::Saddle { index } => format!("  classification: SADDLE of index {index}\n"),
        Verdict::Inconclusive { reason } => format!("  classification: INCONCLUSIVE: {reason}\n"),
    };
    let m = &p.min_eigenvalue;
    s += &format!(
        "  smallest eigenvalue in [{}, {}] on {}, multiplicity {}",
        m.value.lo_decimal(digits),
        m.value.hi_decimal(digits),
        m.kind.label(),
        m.dimension
    );
    match (&m.margin, m.separated) {
        (Some(g), true) => {
            s += &format!(
                ", below every other eigenvalue by at least {}\n",
                g.lo_decimal(6)
            )
        }
        _ => s += " (not separated from the next eigenvalue)\n",
    }
    s += "  component               dimension                copies  eigenvalue enclosures\n";
    for comp in &p.components {
        let ev: Vec<String> = comp
            .eigenvalues
            .iter()
            .map(|e| format!("[{}, {}]", e.lo_decimal(8), e.hi_decimal(8)))
            .collect();
        s += &format!(
            "  {:<23} {:<24} {:<7} {}\n",
            comp.component.kind.label(),
            comp.component.dimension,
            comp.component.copies,
            ev.join(" ")
        );
    }
    s
}

/// Exact: the dense cross-check as JSON (what `certify --dense --json` adds).
pub fn dense_check_json(r: &DenseCheck) -> serde_json::Value {
    serde_json::json!({
        "d": r.d,
        "hessian_order": r.d * r.d,
        "interval_cholesky": cholesky_words(&r.cholesky),
        "max_eigenvalue_deviation": format!("{:e}", r.max_deviation),
        "dense_negative_eigenvalues": r.negative,
        "agrees": r.agrees(),
    })
}

fn cholesky_words(c: &DenseCholesky) -> String {
    match c {
        DenseCholesky::PositiveDefinite => "positive definite".into(),
        DenseCholesky::NotCertainlyPositive { pivot } => {
            format!("pivot {pivot} not certainly positive")
        }
        DenseCholesky::NonSmooth(e) => format!("not evaluated: {e}"),
    }
}

/// Exact: the dense cross-check as the line `certify --dense` prints.
pub fn dense_check_text(r: &DenseCheck) -> String {
    format!(
        "dense cross-check (d^2 = {} unknowns): interval Cholesky over the box: {}; f64 dense eigenvalues vs block enclosures: max deviation {:.1e}, {} negative; {}\n",
        r.d * r.d,
        match &r.cholesky {
            DenseCholesky::PositiveDefinite => "PROVED positive definite".to_string(),
            c => cholesky_words(c),
        },
        r.max_deviation,
        r.negative,
        if r.agrees() { "AGREES" } else { "DISAGREES" }
    )
}
