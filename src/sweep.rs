//! The minimizing tangency arcs of the families' minima across d (`relucert arcs --sweep`,
//! docs/arcs.md, "Sweep").
//!
//! **Contract.** For each family and each d, [`sweep_row`] certifies the family's point
//! exactly as `relucert certify` does ([`certify_family`] at [`BASE_PREC`] bits), runs the
//! extreme arcs from it ([`arcs::run`] with `extreme_only`, at [`arcs::auto_prec`]) and
//! keeps the **minimizing arcs** chosen by [`minimizing_arcs`]. For each of them:
//!
//! - the critical point its trace reaches, certified as `certify` does (classification,
//!   Morse index, the partition of its fixed space, its loss: enclosures and exact data);
//!   that the traced curve connects the minimum to this point is approximate;
//! - its distance from the minimum ([`crate::arcs::End::distance`], an enclosure) and the
//!   **barrier**, the end's loss enclosure minus the minimum's (interval subtraction,
//!   rounded outward);
//! - the largest loss along the arc before the end ([`MaxAlong`]): an interior local
//!   maximum of the loss on the approximate trace ([`interior_max`]), and there a tangency
//!   point certified at a nearby radius (an enclosure at a certified point: a lower bound
//!   of the maximum along the arc only in so far as the certified point lies on the traced
//!   arc, which is approximate).
//!
//! Along a tangency arc `grad L = mu (W - C)` gives `dL/dr = mu r`, so on a stretch where
//! `r` increases the loss can only turn over where `mu` vanishes (a critical point, which
//! ends the trace) or where `r` turns back (a fold, which ends it too). An interior
//! maximum on the traced part is therefore not expected; when the trace shows none the
//! answer is [`MaxAlong::AtEnd`] ("the barrier is the end").
//!
//! Nothing is dropped: a (family, d) whose minimum, arcs or ends are not certified is kept
//! with the reason ([`SweepRow::outcome`], [`SweepArc::why_not`]).

use crate::arcs::directions::{self, ArcDirection, ArcType, Extreme, Isotropy, Sign};
use crate::arcs::trace::EndKind;
use crate::arcs::{self, ArcOptions, ArcPoint, ArcResult};
use crate::arith::{Interval, Scalar};
use crate::prove::certify_family;
use crate::prove::critical_point::Verdict;
use crate::search::families::Family;
use crate::symmetry::components::Kind;
use rayon::prelude::*;

/// Exact: the precision (bits) the minimum is certified at, `relucert certify`'s default.
pub const BASE_PREC: u32 = 256;

/// Encloses: one sweep: every family at every d.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// Exact: the families, in the order given.
    pub families: Vec<Family>,
    /// Exact: the values of d, ascending.
    pub ds: Vec<u64>,
    /// One row per (family, d): family-major, d ascending.
    pub rows: Vec<SweepRow>,
}

/// Encloses: the minimum of one family at one d and its minimizing arcs.
#[derive(Clone, Debug)]
pub struct SweepRow {
    /// Exact: the family.
    pub family: Family,
    /// Exact: the dimension.
    pub d: u64,
    /// Exact: the precision of the arcs run (tangency points and ends).
    pub arcs_prec: u32,
    /// Encloses: the certified classification of the family's point (`None` when it was
    /// not certified).
    pub min_verdict: Option<Verdict>,
    /// Encloses: the loss of the minimum (`None` when it was not certified).
    pub min_loss: Option<Interval>,
    /// The minimizing arcs, or why there are none (the minimum not certified, not a
    /// strict local minimum, or no arc certified minimizing).
    pub outcome: Result<Vec<SweepArc>, String>,
}

/// Encloses: one minimizing arc and where it goes.
#[derive(Clone, Debug)]
pub struct SweepArc {
    /// Exact: the component the arc leaves along.
    pub component: Kind,
    /// Exact: the arc's isotropy (its Young fixed space).
    pub isotropy: Isotropy,
    /// Exact: the direction's sign (`+` when `mirror_pair`).
    pub sign: Sign,
    /// Exact: whether `-u` is a symmetric image of `u` (the pair is reported once).
    pub mirror_pair: bool,
    /// Encloses: the eigenvalue the arc leaves from.
    pub eigenvalue: Interval,
    /// Exact: the radii at which the tangency point was certified, each proved `min`.
    pub radii: Vec<String>,
    /// Exact: how the approximate trace ended.
    pub end_kind: EndKind,
    /// Approximate: the last radius the trace reached.
    pub approx_end_r: f64,
    /// Approximate: the loss there.
    pub approx_end_loss: f64,
    /// Encloses: the certified critical point at the end (`None`: see `why_not`).
    pub end: Option<CertifiedEnd>,
    /// Encloses: the distance `|W* - C|_F` of the end from the minimum.
    pub distance: Option<Interval>,
    /// Encloses: the end's loss minus the minimum's loss.
    pub barrier: Option<Interval>,
    /// The largest loss along the arc before the end.
    pub max_along: MaxAlong,
    /// Exact: why the end (or the point near an interior maximum) is not certified.
    pub why_not: Option<String>,
}

/// Encloses: a certified critical point at the end of an arc.
#[derive(Clone, Debug)]
pub struct CertifiedEnd {
    /// Encloses: its classification and Morse index.
    pub verdict: Verdict,
    /// Exact: the block sizes of its fixed space (its isotropy contains the arc's).
    pub partition: Vec<u64>,
    /// Encloses: its loss.
    pub loss: Interval,
}

/// The largest loss along an arc before its end.
#[derive(Clone, Debug)]
pub enum MaxAlong {
    /// Approximate: the traced loss has no interior local maximum (it rises to the end;
    /// the barrier is the end).
    AtEnd,
    /// Encloses: the loss at a tangency point certified at radius `r` (two significant
    /// digits) near the trace's interior maximum at `approx_r`: a certified point, not
    /// the maximum itself.
    Certified {
        /// Exact: the radius, a decimal string.
        r: String,
        /// Approximate: the radius of the traced maximum.
        approx_r: f64,
        /// Encloses: the loss at the certified tangency point.
        loss: Interval,
    },
    /// Exact: the trace has an interior maximum near `r`, but no tangency point was
    /// certified there.
    NotCertified {
        /// Exact: the radius tried.
        r: String,
        /// Exact: why.
        why: String,
    },
}

impl SweepArc {
    /// Exact: whether the end is a certified critical point with its distance and barrier
    /// enclosed, and the largest loss before the end is either the end or certified.
    pub fn certified(&self) -> bool {
        self.end.is_some()
            && self.distance.is_some()
            && self.barrier.is_some()
            && !matches!(self.max_along, MaxAlong::NotCertified { .. })
    }
}

impl SweepRow {
    /// Exact: whether the row is certified: a certified strict local minimum with at least
    /// one minimizing arc, every one [`SweepArc::certified`].
    pub fn certified(&self) -> bool {
        matches!(&self.outcome, Ok(a) if !a.is_empty() && a.iter().all(SweepArc::certified))
    }

    /// Exact: why the row is not certified (`None` when it is).
    pub fn reason(&self) -> Option<String> {
        match &self.outcome {
            Err(e) => Some(e.clone()),
            Ok(a) if a.is_empty() => Some("no minimizing arc".into()),
            Ok(a) => a.iter().find_map(|x| {
                (!x.certified()).then(|| {
                    x.why_not
                        .clone()
                        .unwrap_or_else(|| "the end is not certified".into())
                })
            }),
        }
    }
}

/// Encloses: the second family's minimizing arc against the first's at one d (quotients
/// of enclosures, interval division rounded outward).
#[derive(Clone, Debug)]
pub struct Ratio {
    /// Exact: the dimension.
    pub d: u64,
    /// Exact: the numerator's family (the second family of the sweep).
    pub numerator: Family,
    /// Exact: the denominator's family (the first).
    pub denominator: Family,
    /// Encloses: distance of the numerator's end over the denominator's (`None` unless
    /// both rows are certified with exactly one minimizing arc).
    pub distance: Option<Interval>,
    /// Encloses: barrier over barrier (`None` likewise, or when the denominator's
    /// enclosure contains 0).
    pub barrier: Option<Interval>,
}

impl Sweep {
    /// Encloses: for every d, the second family's distance and barrier over the first's
    /// (empty with fewer than two families).
    pub fn ratios(&self) -> Vec<Ratio> {
        let [a, b, ..] = self.families[..] else {
            return Vec::new();
        };
        let only = |f: Family, d: u64| -> Option<&SweepArc> {
            let row = self.rows.iter().find(|r| r.family == f && r.d == d)?;
            match &row.outcome {
                Ok(arcs) if arcs.len() == 1 && row.certified() => arcs.first(),
                _ => None,
            }
        };
        let div = |x: &Option<Interval>, y: &Option<Interval>| -> Option<Interval> {
            x.clone()?.try_div(y.clone()?).ok()
        };
        self.ds
            .iter()
            .map(|&d| {
                let (x, y) = (only(b, d), only(a, d));
                let pair = x.zip(y);
                Ratio {
                    d,
                    numerator: b,
                    denominator: a,
                    distance: pair.and_then(|(x, y)| div(&x.distance, &y.distance)),
                    barrier: pair.and_then(|(x, y)| div(&x.barrier, &y.barrier)),
                }
            })
            .collect()
    }

    /// Exact: the `(family, d, reason)` of every row that is not certified.
    pub fn failures(&self) -> Vec<(Family, u64, String)> {
        self.rows
            .iter()
            .filter_map(|r| r.reason().map(|why| (r.family, r.d, why)))
            .collect()
    }
}

/// Exact: the minimizing arcs of a run, as indices into `results`: the arcs of the
/// certified smallest eigenvalue ([`Extreme::Smallest`]) certified at every radius asked
/// for, each radius proving [`ArcType::Min`], and among them those that may be of rank 1
/// by [`directions::leading_ranks`] ([`directions::Rank::may_be_first`]: no certified
/// coefficient of their component and eigenvalue certainly below theirs).
pub fn minimizing_arcs(results: &[ArcResult]) -> Vec<usize> {
    let candidates: Vec<usize> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.dir.extreme == Extreme::Smallest
                && r.all_radii_proved()
                && r.proved_type() == Some(ArcType::Min)
        })
        .map(|(k, _)| k)
        .collect();
    let dirs: Vec<&ArcDirection> = candidates.iter().map(|&k| &results[k].dir).collect();
    let ranks = directions::leading_ranks(&dirs);
    candidates
        .into_iter()
        .zip(ranks)
        .filter(|(_, rank)| rank.may_be_first())
        .map(|(k, _)| k)
        .collect()
}

/// Approximate: the index of the largest interior local maximum of the loss on a trace
/// before its end, or `None` when the traced loss has none. "Before the end" is the
/// stretch where `mu` keeps the sign of the first point (the tracer records one point past
/// the sign change of `mu` that locates a critical end, where the loss has turned over
/// already); an interior maximum is a point of that stretch above the next one and not
/// below the previous one, neither its first point nor its last.
pub fn interior_max(trace: &[ArcPoint]) -> Option<usize> {
    let first = trace.first()?.mu;
    let n = trace
        .iter()
        .position(|p| (p.mu * first).partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
        .unwrap_or(trace.len());
    if n < 3 {
        return None;
    }
    (1..n - 1)
        .filter(|&k| trace[k].loss >= trace[k - 1].loss && trace[k].loss > trace[k + 1].loss)
        .max_by(|&a, &b| trace[a].loss.total_cmp(&trace[b].loss))
}

/// Exact: a radius as an exact decimal string with two significant digits (`4.2e-1`), as
/// the arcs run writes its default radii.
pub fn radius_label(r: f64) -> String {
    format!("{r:.1e}")
}

/// Exact: the options of the arcs run at dimension `d`: the extreme arcs only, at
/// [`arcs::auto_prec`], default radii (or `radii`).
pub fn arc_options(d: u64, radii: Option<Vec<String>>) -> ArcOptions {
    ArcOptions {
        extreme_only: true,
        prec: arcs::auto_prec(d as f64),
        radii,
        ..ArcOptions::default()
    }
}

/// Exact: whether two arc results are the same arc type (component, axis, eigenvalue,
/// sign).
fn same_type(a: &ArcDirection, b: &ArcDirection) -> bool {
    a.axis == b.axis && a.index == b.index && a.sign == b.sign
}

/// Encloses: the tangency point at radius `r` on each arc of `results[arcs]`, certified
/// by a second extreme-arcs run with `radii = [r]` from the same certificate (the arcs
/// are traced again, deterministically, and matched by type). Entry `k` is the loss
/// enclosure at the certified point of `arcs[k]`, or why none was certified.
pub fn certify_at_radius(
    cert: &crate::prove::Certificate,
    results: &[ArcResult],
    arcs_idx: &[usize],
    r: &str,
) -> Vec<Result<Interval, String>> {
    let d = cert.partition.d() as u64;
    let again = arcs::run(cert, &arc_options(d, Some(vec![r.to_string()])));
    arcs_idx
        .iter()
        .map(|&k| {
            let want = &results[k].dir;
            let hit = again
                .iter()
                .find(|a| same_type(&a.dir, want))
                .ok_or_else(|| "the arc type was not enumerated again".to_string())?;
            let x = hit
                .certified
                .first()
                .ok_or_else(|| "no radius certified".to_string())?;
            x.proof
                .as_ref()
                .map(|p| p.loss.clone())
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// Exact: a classification in words (`minimum`, `saddle of index k`, `inconclusive`).
pub fn verdict_words(v: &Verdict) -> String {
    match v {
        Verdict::StrictLocalMinimum => "minimum".into(),
        Verdict::Saddle { index } => format!("saddle of index {index}"),
        Verdict::Inconclusive { .. } => "inconclusive".into(),
    }
}

/// Encloses: one arc of a run as a [`SweepArc`] (its interior maximum not yet certified).
fn sweep_arc(r: &ArcResult, min_loss: &Interval) -> SweepArc {
    let (end, why_not) = match (r.end.kind, &r.end.critical) {
        (EndKind::CriticalPoint, Some(Ok(c))) => (
            Some(CertifiedEnd {
                verdict: c.proof.verdict.clone(),
                partition: c.partition.int_sizes_u64(),
                loss: c.proof.loss.clone(),
            }),
            None,
        ),
        (EndKind::CriticalPoint, Some(Err(e))) => {
            (None, Some(format!("critical point not certified: {e}")))
        }
        (EndKind::CriticalPoint, None) => (None, Some("critical point not certified".into())),
        (k, _) => (
            None,
            Some(format!("the trace ends at a {} (not certified)", k.name())),
        ),
    };
    let barrier = end.as_ref().map(|e| e.loss.clone() - min_loss.clone());
    let why_not = why_not.or_else(|| {
        (end.is_some() && r.end.distance.is_none())
            .then(|| "the distance from the minimum is not enclosed".to_string())
    });
    let max_along = match interior_max(&r.trace) {
        None => MaxAlong::AtEnd,
        Some(k) => MaxAlong::NotCertified {
            r: radius_label(r.trace[k].r),
            why: "not tried".into(),
        },
    };
    SweepArc {
        component: r.dir.axis.kind,
        isotropy: directions::isotropy(&r.dir),
        sign: r.dir.sign,
        mirror_pair: r.dir.mirror_pair,
        eigenvalue: r.dir.lambda.clone(),
        radii: r.certified.iter().map(|x| x.r.clone()).collect(),
        end_kind: r.end.kind,
        approx_end_r: r.end.r,
        approx_end_loss: r.end.loss,
        end,
        distance: r.end.distance.clone(),
        barrier,
        max_along,
        why_not,
    }
}

/// Encloses (see the module contract): one family at one d.
pub fn sweep_row(family: Family, d: u64) -> SweepRow {
    let arcs_prec = arcs::auto_prec(d as f64);
    let mut row = SweepRow {
        family,
        d,
        arcs_prec,
        min_verdict: None,
        min_loss: None,
        outcome: Err(String::new()),
    };
    let cert = match certify_family(family, d, BASE_PREC) {
        Ok(c) => c,
        Err(e) => {
            row.outcome = Err(format!("the minimum is not certified: {e}"));
            return row;
        }
    };
    row.min_verdict = Some(cert.proof.verdict.clone());
    row.min_loss = Some(cert.proof.loss.clone());
    if cert.proof.verdict != Verdict::StrictLocalMinimum {
        row.outcome = Err(format!(
            "the point is certified as {}, not a strict local minimum",
            verdict_words(&cert.proof.verdict)
        ));
        return row;
    }
    if !cert.proof.min_eigenvalue.separated {
        row.outcome = Err(
            "the smallest Hessian eigenvalue is not separated (no minimizing candidate)".into(),
        );
        return row;
    }
    let results = arcs::run(&cert, &arc_options(d, None));
    let chosen = minimizing_arcs(&results);
    if chosen.is_empty() {
        row.outcome = Err("no arc of the smallest eigenvalue certified min at every radius".into());
        return row;
    }
    let min_loss = cert.proof.loss.clone();
    let mut out: Vec<SweepArc> = chosen
        .iter()
        .map(|&k| sweep_arc(&results[k], &min_loss))
        .collect();
    // Certify a tangency point near each interior maximum: one extra run per radius.
    let mut radii: Vec<String> = out
        .iter()
        .filter_map(|a| match &a.max_along {
            MaxAlong::NotCertified { r, .. } => Some(r.clone()),
            _ => None,
        })
        .collect();
    radii.sort();
    radii.dedup();
    for r in radii {
        let which: Vec<usize> = (0..out.len())
            .filter(
                |&j| matches!(&out[j].max_along, MaxAlong::NotCertified { r: x, .. } if *x == r),
            )
            .collect();
        let idx: Vec<usize> = which.iter().map(|&j| chosen[j]).collect();
        let got = certify_at_radius(&cert, &results, &idx, &r);
        for (&j, g) in which.iter().zip(got) {
            let k = chosen[j];
            let approx_r =
                interior_max(&results[k].trace).map_or(f64::NAN, |m| results[k].trace[m].r);
            out[j].max_along = match g {
                Ok(loss) => MaxAlong::Certified {
                    r: r.clone(),
                    approx_r,
                    loss,
                },
                Err(why) => {
                    if out[j].why_not.is_none() {
                        out[j].why_not =
                            Some(format!("no tangency point certified near the interior maximum (r = {r}): {why}"));
                    }
                    MaxAlong::NotCertified { r: r.clone(), why }
                }
            };
        }
    }
    row.outcome = Ok(out);
    row
}

/// Encloses: every family at every d (parallel over the pairs; rows family-major, d
/// ascending). `progress(family, d)` is called once per finished pair, from worker threads.
pub fn sweep(families: &[Family], ds: &[u64], progress: impl Fn(Family, u64) + Sync) -> Sweep {
    let mut ds = ds.to_vec();
    ds.sort_unstable();
    ds.dedup();
    let pairs: Vec<(Family, u64)> = families
        .iter()
        .flat_map(|&f| ds.iter().map(move |&d| (f, d)))
        .collect();
    // The largest d first, so that the slow pairs do not finish last on one core.
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(pairs[k].1));
    let mut done: Vec<(usize, SweepRow)> = order
        .par_iter()
        .map(|&k| {
            let (f, d) = pairs[k];
            let row = sweep_row(f, d);
            progress(f, d);
            (k, row)
        })
        .collect();
    done.sort_by_key(|(k, _)| *k);
    Sweep {
        families: families.to_vec(),
        ds,
        rows: done.into_iter().map(|(_, r)| r).collect(),
    }
}
