//! Comparing families at the same d: the O(d^-1/2) eigenvalue distinction (docs/families.md,
//! §7 claim 2).
//!
//! **Contract.** [`compare`] certifies every requested family at every requested d with
//! [`certify_family`] and keeps the certificates; everything derived from them here is an
//! enclosure computed with outward-rounded interval arithmetic
//! ([`crate::arith::Interval`]): `sqrt(d)` is enclosed by an interval square root
//! of the exact integer d, margins and gaps are interval differences, scaled margins and gaps
//! interval products. Nothing is forced:
//!
//! - the component said to hold a family's smallest eigenvalue is the one the proof found
//!   (the enclosure with the smallest lower end); it is *certified* only when
//!   [`FamilySummary::separated`] is true (its enclosure lies below every other one);
//! - [`FamilySummary::ordering_certified`] is true only when that component is the one
//!   the specification expects ([`expected_min_kind`]: `std` at I, `n-2,1,1` at II) **and** it is
//!   separated; a different component, or overlapping enclosures, is reported as such;
//! - a family that could not be certified at some d is kept as the reason it failed.
//!
//! **Matching components.** Families with the same partition at d (I and II live in
//! `Fix(Δ(S_{d-1} x S_1))`, partition (d-1,1)) have the same component list; their
//! eigenvalues are matched by component (kind and block) and by index in ascending order
//! within the component's block, and differenced: the gap is *later family minus earlier
//! family* in the order the families are listed ([`Row::gaps`]). A family with a different
//! partition (IIsym, partition (d)) has components of the same names but different
//! dimensions and block sizes; it is shown side by side, matched by kind name and block
//! ([`Row::components`]), and never differenced.

use crate::arith::{Interval, Scalar};
use crate::certificate::critical_point::Certificate;
use crate::error::{Error, Result};
use crate::prove::critical_point::Verdict;
use crate::prove::{certify_family, NotCertified};
use crate::search::families::Family;
use crate::symmetry::components::Kind;
use rayon::prelude::*;

/// Exact: the largest number of d values one specification may produce.
pub const MAX_POINTS: usize = 100_000;

/// Exact: the largest d accepted (10^12).
pub const MAX_D: u64 = 1_000_000_000_000;

const ACCEPTED: &str = "integers 3 <= d <= 1e12 as a list (7,10,1e6), an inclusive range \
(7..=60), a log range with N >= 2 points (10..1e9:log:30), or a comma-separated mix";

/// Exact: parse a d specification into the sorted, deduplicated list of d values.
///
/// Items are separated by commas; each item is a number (`7`, `1e6`), an inclusive range
/// `A..=B`, or a log range `A..B:log:N` (N integers log-spaced from A to B, rounded to
/// the nearest integer, endpoints included, duplicates removed). Every d must be an
/// integer with `3 <= d <= 10^12`; at most [`MAX_POINTS`] values in all.
pub fn parse_d_spec(spec: &str) -> Result<Vec<u64>> {
    let input = format!("--d {spec}");
    let bad = |problem: String| Error::bad_input(&input, problem, ACCEPTED);
    if spec.trim().is_empty() {
        return Err(bad("empty specification".into()));
    }
    let mut out: Vec<u64> = Vec::new();
    for item in spec.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(bad("an empty item between commas".into()));
        }
        if let Some((range, n)) = item.split_once(":log:") {
            let (a, b) = range
                .split_once("..")
                .ok_or_else(|| bad(format!("'{item}' is not of the form A..B:log:N")))?;
            let (a, b) = (integer(a, item, &bad)?, integer(b, item, &bad)?);
            let n: usize = n
                .trim()
                .parse()
                .map_err(|_| bad(format!("'{item}': the point count '{n}' is not an integer")))?;
            if a >= b {
                return Err(bad(format!(
                    "'{item}': the range is empty or a single point"
                )));
            }
            if !(2..=MAX_POINTS).contains(&n) {
                return Err(bad(format!(
                    "'{item}': the point count must lie in 2..={MAX_POINTS}"
                )));
            }
            out.extend(log_points(a, b, n));
        } else if let Some((a, b)) = item.split_once("..=") {
            let (a, b) = (integer(a, item, &bad)?, integer(b, item, &bad)?);
            if a > b {
                return Err(bad(format!("'{item}': the range is empty")));
            }
            if b - a >= MAX_POINTS as u64 {
                return Err(bad(format!("'{item}' has more than {MAX_POINTS} values")));
            }
            out.extend(a..=b);
        } else if item.contains("..") {
            return Err(bad(format!(
                "'{item}': write an inclusive range as A..=B or a log range as A..B:log:N"
            )));
        } else {
            out.push(integer(item, item, &bad)?);
        }
        if out.len() > MAX_POINTS {
            return Err(bad(format!("more than {MAX_POINTS} values")));
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Exact: one d: a decimal integer or a number in e-notation with an integer value.
fn integer(s: &str, item: &str, bad: &dyn Fn(String) -> Error) -> Result<u64> {
    let t = s.trim();
    let x: f64 = t
        .parse()
        .map_err(|_| bad(format!("'{t}' in '{item}' is not a number")))?;
    if !x.is_finite() || x.fract() != 0.0 {
        return Err(bad(format!("'{t}' in '{item}' is not an integer")));
    }
    if x < 3.0 {
        return Err(bad(format!("d = {t} is below 3")));
    }
    if x > MAX_D as f64 {
        return Err(bad(format!("d = {t} is above 1e12")));
    }
    Ok(x as u64)
}

/// Exact: `n` integers log-spaced from `a` to `b` (rounded; endpoints exact; deduplicated).
/// The spacing is computed in f64: it only chooses which integers to certify.
pub fn log_points(a: u64, b: u64, n: usize) -> Vec<u64> {
    let (la, lb) = ((a as f64).ln(), (b as f64).ln());
    let mut v: Vec<u64> = (0..n)
        .map(|k| {
            if k == 0 {
                a
            } else if k == n - 1 {
                b
            } else {
                let t = k as f64 / (n - 1) as f64;
                ((la + t * (lb - la)).exp().round() as u64).clamp(a, b)
            }
        })
        .collect();
    v.dedup();
    v
}

/// Exact: parse `--families` (comma-separated names, each once, in the order given).
pub fn parse_families(s: &str) -> Result<Vec<Family>> {
    let input = format!("--families {s}");
    let accepted =
        "a comma-separated list of distinct families from I, II, IIsym, flip:P (1 <= P <= d)";
    let mut out = Vec::new();
    for name in s.split(',') {
        let f = Family::parse_or_reason(name.trim()).map_err(|why| {
            Error::bad_input(&input, format!("'{}': {why}", name.trim()), accepted)
        })?;
        if out.contains(&f) {
            return Err(Error::bad_input(
                &input,
                format!("family {} is listed twice", f.name()),
                accepted,
            ));
        }
        out.push(f);
    }
    Ok(out)
}

/// Exact: check that every d is at least each family's smallest supported d.
pub fn check_families_d(spec: &str, ds: &[u64], families: &[Family]) -> Result<()> {
    let Some(&dmin) = ds.first() else {
        return Ok(());
    };
    for &f in families {
        if dmin < f.min_d() {
            return Err(Error::bad_input(
                format!("--d {spec}"),
                format!(
                    "d = {dmin} is below family {}'s range (it is followed for d >= {} only)",
                    f.name(),
                    f.min_d()
                ),
                format!("every d >= {} for family {}", f.min_d(), f.name()),
            ));
        }
    }
    Ok(())
}

/// Exact: the component the specification (docs/families.md) expects to hold the
/// smallest eigenvalue: `std` of the big block at I, `n-2,1,1` of the big block at II;
/// no expectation is stated for IIsym or the flip members.
pub fn expected_min_kind(f: Family) -> Option<Kind> {
    match f {
        Family::I => Some(Kind::Std(0)),
        Family::II => Some(Kind::OneOne(0)),
        Family::IIsym | Family::Flip(_) => None,
    }
}

/// Encloses: `sqrt(d)` at precision `prec` (the exact integer d, an interval square
/// root); `None` for d = 0.
pub fn sqrt_d(d: u64, prec: u32) -> Option<Interval> {
    Interval::point(prec, 0.0)
        .int(i128::from(d))
        .try_sqrt()
        .ok()
}

/// Encloses: the certificates of the compared families at every d, in d order.
pub struct Comparison {
    /// The families compared, in the order given (gaps are later minus earlier).
    pub families: Vec<Family>,
    /// Precision of the interval arithmetic in bits.
    pub prec: u32,
    /// One row per d, ascending.
    pub rows: Vec<Row>,
}

/// Encloses: the certificates of every compared family at one d.
pub struct Row {
    /// Exact: the dimension.
    pub d: u64,
    /// Per family (in [`Comparison::families`] order), its certificate or why it failed.
    pub certs: Vec<std::result::Result<Certificate, NotCertified>>,
}

/// Encloses: certify each family at each d (parallel over d; rows in d order). `progress`
/// is called once per finished d, from worker threads.
pub fn compare(
    families: &[Family],
    ds: &[u64],
    prec: u32,
    progress: impl Fn(u64) + Sync,
) -> Comparison {
    let rows = ds
        .par_iter()
        .map(|&d| {
            let certs = families
                .iter()
                .map(|&f| certify_family(f, d, prec))
                .collect();
            progress(d);
            Row { d, certs }
        })
        .collect();
    Comparison {
        families: families.to_vec(),
        prec,
        rows,
    }
}

/// Encloses: what a comparison says about one family's smallest eigenvalue at one d.
#[derive(Clone, Debug)]
pub struct FamilySummary {
    /// The family.
    pub family: Family,
    /// Exact: the certified classification's name (`strict_local_minimum`, `saddle`,
    /// `inconclusive`).
    pub classification: &'static str,
    /// Exact: the Morse index (`None` when inconclusive).
    pub index: Option<u128>,
    /// The component whose enclosure has the smallest lower end.
    pub min_kind: Kind,
    /// Exact: its dimension (the eigenvalue's multiplicity).
    pub min_dimension: u128,
    /// Encloses: the smallest eigenvalue.
    pub min_eigenvalue: Interval,
    /// Whether the enclosure lies below every other one (the component is certified).
    pub separated: bool,
    /// Encloses: the next eigenvalue minus the smallest one.
    pub margin: Option<Interval>,
    /// Encloses: `sqrt(d)` times the margin.
    pub sqrt_d_margin: Option<Interval>,
    /// Exact: the expected component, if the specification states one.
    pub expected: Option<Kind>,
    /// Whether the smallest eigenvalue is certified on the expected component (`None`
    /// when no expectation is stated).
    pub ordering_certified: Option<bool>,
}

/// Encloses: the summary of one family's certificate at d (see [`FamilySummary`]).
pub fn summarize(family: Family, d: u64, cert: &Certificate) -> FamilySummary {
    let p = &cert.proof;
    let m = &p.min_eigenvalue;
    let sd = sqrt_d(d, cert.prec);
    let expected = expected_min_kind(family);
    FamilySummary {
        family,
        classification: p.verdict.name(),
        index: p.verdict.index(),
        min_kind: m.kind,
        min_dimension: m.dimension,
        min_eigenvalue: m.value.clone(),
        separated: m.separated,
        margin: m.margin.clone(),
        sqrt_d_margin: m.margin.clone().zip(sd).map(|(g, s)| s * g),
        expected,
        ordering_certified: expected.map(|e| m.separated && m.kind == e),
    }
}

/// Encloses: the gap between two families' matched eigenvalues at one d.
#[derive(Clone, Debug)]
pub struct Gap {
    /// The later family (the gap is `minuend - subtrahend`).
    pub minuend: Family,
    /// The earlier family.
    pub subtrahend: Family,
    /// The component.
    pub kind: Kind,
    /// Exact: 1-based index of the eigenvalue in ascending order within the block.
    pub index: usize,
    /// Encloses: the eigenvalue at `minuend` minus the one at `subtrahend`.
    pub gap: Interval,
    /// Encloses: `sqrt(d)` times the gap.
    pub sqrt_d_gap: Interval,
}

/// One component as shown side by side across families.
#[derive(Clone, Debug)]
pub struct ComponentRow<'a> {
    /// The component (kind and block).
    pub kind: Kind,
    /// Per family: its dimension and eigenvalue enclosures there (`None` if the family has
    /// no such component or was not certified).
    pub at: Vec<Option<(u128, &'a [Interval])>>,
}

impl Row {
    /// Encloses: the per-family summaries (`None` where certification failed).
    pub fn summaries(&self, families: &[Family]) -> Vec<Option<FamilySummary>> {
        families
            .iter()
            .zip(&self.certs)
            .map(|(&f, c)| c.as_ref().ok().map(|c| summarize(f, self.d, c)))
            .collect()
    }

    /// Exact: the index pairs `(earlier, later)` of certified families with the same
    /// partition (the pairs that are differenced).
    pub fn pairs(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for j in 0..self.certs.len() {
            for i in 0..j {
                if let (Ok(a), Ok(b)) = (&self.certs[i], &self.certs[j]) {
                    if a.partition.sizes() == b.partition.sizes() {
                        out.push((i, j));
                    }
                }
            }
        }
        out
    }

    /// Encloses: the gaps of every same-partition pair, per component and eigenvalue index.
    pub fn gaps(&self, families: &[Family]) -> Vec<Gap> {
        let mut out = Vec::new();
        for (i, j) in self.pairs() {
            let (Ok(a), Ok(b)) = (&self.certs[i], &self.certs[j]) else {
                continue;
            };
            let Some(sd) = sqrt_d(self.d, a.prec.max(b.prec)) else {
                continue;
            };
            for ca in &a.proof.components {
                let Some(cb) = b
                    .proof
                    .components
                    .iter()
                    .find(|c| c.component.kind == ca.component.kind)
                else {
                    continue;
                };
                for (k, (ea, eb)) in ca.eigenvalues.iter().zip(&cb.eigenvalues).enumerate() {
                    let gap = eb.clone() - ea.clone();
                    out.push(Gap {
                        minuend: families[j],
                        subtrahend: families[i],
                        kind: ca.component.kind,
                        index: k + 1,
                        sqrt_d_gap: sd.clone() * gap.clone(),
                        gap,
                    });
                }
            }
        }
        out
    }

    /// Exact: the union of the families' components (first appearance order), each with
    /// its enclosures at every family, matched by kind name and block.
    pub fn components(&self) -> Vec<ComponentRow<'_>> {
        let mut kinds: Vec<Kind> = Vec::new();
        for c in self.certs.iter().flatten() {
            for p in &c.proof.components {
                if !kinds.contains(&p.component.kind) {
                    kinds.push(p.component.kind);
                }
            }
        }
        kinds
            .into_iter()
            .map(|kind| ComponentRow {
                kind,
                at: self
                    .certs
                    .iter()
                    .map(|c| {
                        c.as_ref().ok().and_then(|c| {
                            c.proof
                                .components
                                .iter()
                                .find(|p| p.component.kind == kind)
                                .map(|p| (p.component.dimension, p.eigenvalues.as_slice()))
                        })
                    })
                    .collect(),
            })
            .collect()
    }
}

impl Comparison {
    /// Exact: the `(d, family, reason)` of every certification that failed.
    pub fn failures(&self) -> Vec<(u64, Family, String)> {
        let mut out = Vec::new();
        for r in &self.rows {
            for (f, c) in self.families.iter().zip(&r.certs) {
                if let Err(e) = c {
                    out.push((r.d, *f, e.to_string()));
                }
            }
        }
        out
    }

    /// Exact: the `(d, family)` where the smallest eigenvalue is not certified on the expected
    /// expected component (wrong component, or not separated).
    pub fn ordering_exceptions(&self) -> Vec<(u64, Family)> {
        let mut out = Vec::new();
        for r in &self.rows {
            for s in r.summaries(&self.families).into_iter().flatten() {
                if s.ordering_certified == Some(false) {
                    out.push((r.d, s.family));
                }
            }
        }
        out
    }
}

/// Exact: a short classification word for tables (`minimum`, `saddle (index k)`,
/// `inconclusive`).
pub fn classification_short(v: &Verdict) -> String {
    match v {
        Verdict::StrictLocalMinimum => "minimum".into(),
        Verdict::Saddle { index } => format!("saddle (index {index})"),
        Verdict::Inconclusive { .. } => "inconclusive".into(),
    }
}
