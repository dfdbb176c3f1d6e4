//! The two-block ladder: every flip point `flip(p)#k` at one integer d, certified, and
//! the identities `flip(1) = I`, `flip(d-1) = II`, `flip(d) = IIsym` checked on
//! certified boxes (docs/families.md, "The flip ladder").
//!
//! **Contract.** For each selected p, [`crate::search::flip::search`] (approximate)
//! lists the distinct flip points of `Fix(Δ(S_{d-p} x S_p))`; each is then certified by
//! [`crate::prove::certify_point`] with the family label `flip(p)#k`, so every number a
//! [`Ladder`] holds about a point is an enclosure. A point that could not be certified
//! stays in the list with the reason ([`Outcome::NotCertified`]); a p whose search found
//! no flip point is listed in [`Ladder::empty`] (its absence is not proved). The identity
//! checks compare certified boxes exactly (rational centres and radii): when the
//! Krawczyk enclosure of one point (which holds that point) lies in the other's certified
//! box, the two points are equal, since each box holds exactly one critical point.

use crate::error::{Error, Result};
use crate::model::partition::{Param, Partition};
use crate::prove::critical_point::Verdict;
use crate::prove::{self, Certificate};
use crate::search::families::{Family, Flip};
use crate::search::flip;
use rayon::prelude::*;
use rug::Rational;

/// Exact: the most p values one ladder certifies.
pub const MAX_P_VALUES: usize = 10_000;

/// Exact: what `--p` accepts.
pub const P_ACCEPTED: &str = "a comma-separated list of items, each a p value or an inclusive \
range A..=B of them; a p value is an integer, d, d-K, a fraction of d such as 0.1d or d/3 \
(rounded to the nearest integer, at least 1), with 1 <= p <= d";

/// Exact: parse a `--p` specification at dimension `d` into the sorted, deduplicated list
/// of p values (at most [`MAX_P_VALUES`]).
pub fn parse_p_spec(spec: &str, d: u64) -> Result<Vec<u64>> {
    let input = format!("--p {spec}");
    let bad = |problem: String| Error::bad_input(&input, problem, P_ACCEPTED);
    if spec.trim().is_empty() {
        return Err(bad("empty specification".into()));
    }
    let mut out: Vec<u64> = Vec::new();
    for item in spec.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(bad("an empty item between commas".into()));
        }
        if let Some((a, b)) = item.split_once("..=") {
            let (a, b) = (p_value(a, d, &bad)?, p_value(b, d, &bad)?);
            if a > b {
                return Err(bad(format!("'{item}': the range is empty")));
            }
            if (b - a) as usize >= MAX_P_VALUES {
                return Err(bad(format!("'{item}' has more than {MAX_P_VALUES} values")));
            }
            out.extend(a..=b);
        } else if item.contains("..") {
            return Err(bad(format!("'{item}': write an inclusive range as A..=B")));
        } else {
            out.push(p_value(item, d, &bad)?);
        }
        if out.len() > MAX_P_VALUES {
            return Err(bad(format!("more than {MAX_P_VALUES} values")));
        }
    }
    out.sort_unstable();
    out.dedup();
    if out.len() > MAX_P_VALUES {
        return Err(bad(format!("more than {MAX_P_VALUES} values")));
    }
    Ok(out)
}

/// Exact: one p value (see [`P_ACCEPTED`]); the rounding of a fraction of d is computed
/// in f64 (it only chooses which spaces to search).
fn p_value(s: &str, d: u64, bad: &dyn Fn(String) -> Error) -> Result<u64> {
    let t = s.trim().to_ascii_lowercase();
    let number = |x: &str| -> Result<f64> {
        x.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad(format!("'{x}' in '{s}' is not a number")))
    };
    let df = d as f64;
    let p: f64 = if t == "d" {
        df
    } else if let Some(k) = t.strip_prefix("d-") {
        df - number(k)?
    } else if let Some(k) = t.strip_prefix("d/") {
        let k = number(k)?;
        if k < 1.0 {
            return Err(bad(format!("'{s}': the divisor must be at least 1")));
        }
        (df / k).round().max(1.0)
    } else if let Some(f) = t.strip_suffix('d') {
        let f = number(f.trim_end_matches('*'))?;
        if !(f > 0.0 && f <= 1.0) {
            return Err(bad(format!("'{s}': the fraction must lie in (0, 1]")));
        }
        (f * df).round().max(1.0)
    } else {
        number(&t)?
    };
    if p.fract() != 0.0 {
        return Err(bad(format!("p = '{s}' is not an integer")));
    }
    if p < 1.0 || p > df {
        return Err(bad(format!("p = {s} is outside 1..=d = 1..={d}")));
    }
    Ok(p as u64)
}

/// What was proved about one flip point.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Certified (its verdict may still be inconclusive).
    Certified(Box<Certificate>),
    /// Not certified, with the reason.
    NotCertified {
        /// Why.
        reason: String,
    },
}

/// One flip point of the ladder.
#[derive(Clone, Debug)]
pub struct LadderRow {
    /// Exact: its name (`flip(p)` or `flip(p)#k`).
    pub member: Flip,
    /// Exact: how many search starts reached it.
    pub hits: usize,
    /// Approximate: its loss from the search (shown when it was not certified).
    pub approx_loss: f64,
    /// What was proved.
    pub outcome: Outcome,
}

impl LadderRow {
    /// Exact: whether the point is certified with a decided classification.
    pub fn is_certified(&self) -> bool {
        matches!(&self.outcome, Outcome::Certified(c)
            if !matches!(c.proof.verdict, Verdict::Inconclusive { .. }))
    }

    /// Exact: the reason the point is not fully certified, if it is not.
    pub fn reason(&self) -> Option<String> {
        match &self.outcome {
            Outcome::NotCertified { reason } => Some(reason.clone()),
            Outcome::Certified(c) => match &c.proof.verdict {
                Verdict::Inconclusive { reason } => Some(reason.clone()),
                _ => None,
            },
        }
    }
}

/// How a named family's certified point relates to a flip point's certified box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// One point's Krawczyk enclosure lies inside the other's box: the same critical point
    /// (proved).
    Same,
    /// Undecided: the enclosures meet, neither lies inside the other's box.
    Overlap,
    /// Disjoint Krawczyk enclosures: different points (proved).
    Disjoint,
}

impl Relation {
    /// Exact: the name output uses.
    pub fn name(self) -> &'static str {
        match self {
            Relation::Same => "same",
            Relation::Overlap => "overlap",
            Relation::Disjoint => "disjoint",
        }
    }
}

/// The check that a named family is a flip point (`I = flip(1)`, `II = flip(d-1)`,
/// `IIsym = flip(d)`).
#[derive(Clone, Debug)]
pub struct NamedCheck {
    /// The named family.
    pub family: Family,
    /// Exact: the p it should be.
    pub p: u64,
    /// The flip member it was matched to, with the relation of the boxes (`None`: no flip
    /// point of that p has a box meeting the family's).
    pub matched: Option<(Flip, Relation)>,
    /// Why the family's own point was not certified, if it was not.
    pub failure: Option<String>,
    /// Approximate (decided on the f64 value of the certified centre): whether the
    /// family's point satisfies the flip condition at this d. Where it does not (I at
    /// d = 3, II at d <= 5, IIsym at d <= 4), the family is not a flip point and no match
    /// is expected.
    pub flip_condition: bool,
}

impl NamedCheck {
    /// Exact: whether the identity is proved (the family is the rank-1 member or another
    /// member, by box containment).
    pub fn proved(&self) -> bool {
        matches!(self.matched, Some((_, Relation::Same)))
    }

    /// Exact: whether the check is undecided: the family's point satisfies the flip
    /// condition, or was not certified, and no flip point was proved equal to it.
    pub fn undecided(&self) -> bool {
        !self.proved() && (self.flip_condition || self.failure.is_some())
    }
}

/// The ladder at one d.
#[derive(Clone, Debug)]
pub struct Ladder {
    /// Exact: the dimension.
    pub d: u64,
    /// Exact: precision of the interval arithmetic.
    pub prec: u32,
    /// Exact: the p values searched.
    pub ps: Vec<u64>,
    /// The flip points found, by p then rank.
    pub rows: Vec<LadderRow>,
    /// Exact: the p values whose search found no flip point.
    pub empty: Vec<u64>,
    /// Search failures by p (the fixed space could not be searched).
    pub search_failures: Vec<(u64, String)>,
    /// The identity checks for the p in {1, d-1, d} that were searched.
    pub named: Vec<NamedCheck>,
}

impl Ladder {
    /// Exact: the rows not fully certified, with their reasons.
    pub fn failures(&self) -> Vec<(Flip, String)> {
        self.rows
            .iter()
            .filter_map(|r| r.reason().map(|why| (r.member, why)))
            .collect()
    }

    /// Exact: the named family a row was proved to be, if any.
    pub fn named_as(&self, member: Flip) -> Option<Family> {
        self.named
            .iter()
            .find(|n| n.matched == Some((member, Relation::Same)))
            .map(|n| n.family)
    }
}

/// Encloses: every flip point of the selected p at `d`, certified at `prec`; `progress(p)`
/// is called after each p (from worker threads). The p are processed in parallel; the
/// result does not depend on the order.
pub fn ladder(d: u64, ps: &[u64], prec: u32, progress: impl Fn(u64) + Sync) -> Ladder {
    let per_p: Vec<(u64, std::result::Result<Vec<LadderRow>, String>)> = ps
        .par_iter()
        .map(|&p| {
            let rows = space_rows(d, p, prec);
            progress(p);
            (p, rows)
        })
        .collect();
    let mut rows = Vec::new();
    let mut empty = Vec::new();
    let mut search_failures = Vec::new();
    for (p, r) in per_p {
        match r {
            Ok(v) if v.is_empty() => empty.push(p),
            Ok(v) => rows.extend(v),
            Err(why) => search_failures.push((p, why)),
        }
    }
    let named = named_checks(d, ps, prec, &rows);
    Ladder {
        d,
        prec,
        ps: ps.to_vec(),
        rows,
        empty,
        search_failures,
        named,
    }
}

/// Encloses: the certified flip points of one space.
fn space_rows(d: u64, p: u64, prec: u32) -> std::result::Result<Vec<LadderRow>, String> {
    let points = flip::search(d as f64, p).map_err(|e| e.to_string())?;
    Ok(points
        .into_iter()
        .map(|q| {
            let member = Flip { p, rank: q.rank };
            // Every point is tried: near-smoothness in f64 (rows within O(1/d) of a
            // target, as at large d) is no reason to give up; the proof decides, and a
            // box touching the non-smooth set fails with that reason.
            let outcome = match prove::certify_point(
                Some(Family::Flip(member)),
                &q.partition,
                &q.found.theta,
                prec,
            ) {
                Ok(c) => Outcome::Certified(Box::new(c)),
                Err(e) => Outcome::NotCertified {
                    reason: e.to_string(),
                },
            };
            LadderRow {
                member,
                hits: q.hits,
                approx_loss: q.found.loss.0.to_f64(),
                outcome,
            }
        })
        .collect())
}

/// Encloses: the identity checks for the named families whose p was searched.
fn named_checks(d: u64, ps: &[u64], prec: u32, rows: &[LadderRow]) -> Vec<NamedCheck> {
    let mut wanted = vec![(Family::I, 1), (Family::II, d - 1), (Family::IIsym, d)];
    wanted.retain(|&(f, p)| ps.contains(&p) && d >= f.min_d());
    wanted
        .into_par_iter()
        .map(|(family, p)| {
            let cert = match prove::certify_family(family, d, prec) {
                Ok(c) => c,
                Err(e) => {
                    return NamedCheck {
                        family,
                        p,
                        matched: None,
                        failure: Some(e.to_string()),
                        flip_condition: false,
                    }
                }
            };
            let mut best: Option<(Flip, Relation)> = None;
            for r in rows.iter().filter(|r| r.member.p == p) {
                let Outcome::Certified(fc) = &r.outcome else {
                    continue;
                };
                let rel = relation(fc, &cert);
                let better = match (best, rel) {
                    (_, Relation::Disjoint) => false,
                    (None, _) => true,
                    (Some((_, Relation::Overlap)), Relation::Same) => true,
                    _ => false,
                };
                if better {
                    best = Some((r.member, rel));
                }
            }
            NamedCheck {
                family,
                p,
                matched: best,
                failure: None,
                flip_condition: satisfies_flip(&cert, p),
            }
        })
        .collect()
}

/// Approximate: whether a certified point's centre (as f64), written in the layout of the
/// flip space of `p`, satisfies the flip condition ([`flip::is_flip`]).
fn satisfies_flip(cert: &Certificate, p: u64) -> bool {
    let d = cert.partition.d_u64();
    let Some(fp) = flip::flip_partition(d as f64, p) else {
        return false;
    };
    let Some(map) = block_map(&fp, cert.partition.partition()) else {
        return false;
    };
    let theta: Vec<f64> = map
        .iter()
        .map(|&j| cert.center[j].value().to_f64())
        .collect();
    flip::is_flip(&fp, &flip::canonical(&fp, &theta))
}

/// Exact: the position in `to` of each layout parameter of `from`, when the two
/// partitions are equal or the same two blocks in the other order.
pub fn block_map(from: &Partition, to: &Partition) -> Option<Vec<usize>> {
    let same = from.sizes() == to.sizes();
    let swapped = from.r() == 2 && to.r() == 2 && {
        let (a, b) = (from.sizes(), to.sizes());
        a[0] == b[1] && a[1] == b[0]
    };
    if !same && !swapped {
        return None;
    }
    let sw = |a: usize| if same { a } else { 1 - a };
    from.params()
        .iter()
        .map(|&q| {
            let image = match q {
                Param::D(a) => Param::D(sw(a)),
                Param::O(a) => Param::O(sw(a)),
                Param::X(a, b) => Param::X(sw(a), sw(b)),
            };
            to.index(image)
        })
        .collect()
}

/// Exact: whether the Krawczyk enclosure `K` of `a` (which holds `a`'s critical point)
/// lies inside `b`'s certified box (centre ± radius, exact rationals), after mapping
/// `a`'s coordinates into `b`'s layout. Then `a`'s point is a critical point in `b`'s
/// box, where `b`'s point is the only one: the two are equal.
fn k_inside(a: &Certificate, b: &Certificate) -> bool {
    let Some(map) = block_map(a.partition.partition(), b.partition.partition()) else {
        return false;
    };
    let r = b.radius.value();
    map.iter().enumerate().all(|(i, &j)| {
        let k = &a.proof.krawczyk_box[i];
        let (Some(lo), Some(hi)) = (k.lo().to_rational(), k.hi().to_rational()) else {
            return false;
        };
        let c = b.center[j].value();
        Rational::from(c - r) <= lo && hi <= Rational::from(c + r)
    })
}

/// Exact: how two certified points relate (the first's coordinates mapped into the
/// second's layout by [`block_map`]): [`Relation::Same`] when either's Krawczyk enclosure
/// lies in the other's certified box (each box holds exactly one critical point, so the
/// points are equal); [`Relation::Disjoint`] when the Krawczyk enclosures (each holding
/// its point) are disjoint in some coordinate, or the partitions do not correspond;
/// [`Relation::Overlap`] otherwise (undecided).
pub fn relation(a: &Certificate, b: &Certificate) -> Relation {
    let Some(map) = block_map(a.partition.partition(), b.partition.partition()) else {
        return Relation::Disjoint;
    };
    if k_inside(a, b) || k_inside(b, a) {
        return Relation::Same;
    }
    let apart = map
        .iter()
        .enumerate()
        .any(|(i, &j)| a.proof.krawczyk_box[i].disjoint(&b.proof.krawczyk_box[j]));
    if apart {
        Relation::Disjoint
    } else {
        Relation::Overlap
    }
}
