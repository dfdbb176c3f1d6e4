//! Assigning the endpoints of a batch to certified critical points, one certification per
//! distinct point.
//!
//! **Contract.** Runs are taken in run order. A run that is a permutation of the teacher
//! (up to the symmetry tolerance) is identified by [`crate::identify::identify_matrix`]
//! directly (no Krawczyk proof there: the global minimum lies on the non-smooth set; its
//! distance to the permutation matrix is enclosed). Any other run is first compared with
//! the certified points found so far that have the same partition: its matrix, laid out
//! by its own symmetry and by every reordering of equal-size blocks, is matched against
//! the point's Krawczyk box, and the run is assigned when the **enclosed** Frobenius
//! distance is at most `max_distance`. Only when no point matches is the run identified
//! (a new certification). A run whose endpoint cannot be certified (no usable symmetry,
//! Newton failed, proof failed, too far) is counted with the reason.

use super::{Options, RunEnd};
use crate::arith::Interval;
use crate::identify::distance;
use crate::identify::input::Matrix;
use crate::identify::name::Name;
use crate::identify::{self as ident, FamilyPoints, Identified, Outcome};
use crate::model::partition::IntegerPartition;

/// Exact: the most block reorderings tried when matching a run to a certified point.
pub const MAX_REORDERINGS: usize = 720;

/// One distinct endpoint and the runs that reached it.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// What `identify` proved about the first run that reached it.
    pub identified: Identified,
    /// Exact: the runs assigned to it, in run order.
    pub runs: Vec<usize>,
    /// Encloses: the Frobenius distance from each assigned run's endpoint to the point
    /// (to the permutation matrix for the global minimum), in the order of `runs`.
    pub distances: Vec<Interval>,
}

impl Endpoint {
    /// Exact: the name as printed (`global minimum`, `II`, `flip(3)`, `unnamed`).
    pub fn label(&self) -> String {
        self.identified.name.label()
    }

    /// Exact: whether this is a strict local minimum other than the global one (a
    /// spurious minimum).
    pub fn spurious(&self) -> bool {
        self.identified.outcome == Outcome::Certified
            && self.identified.classification() == Some("strict_local_minimum")
    }
}

/// A certified point found in a finer fixed space whose centre has a coarser symmetry:
/// runs matching it are assigned to the coarser point `target`, with `gap` an upper
/// bound on the distance between the two points.
#[derive(Clone, Debug)]
struct Alias {
    identified: Identified,
    target: usize,
    gap: Interval,
}

/// A run that ended but could not be assigned to a certified point.
#[derive(Clone, Debug)]
pub struct Uncertified {
    /// Exact: the run.
    pub run: usize,
    /// `identify`'s status word (`not_certified`, `too_far`).
    pub status: String,
    /// Why.
    pub reason: String,
}

/// The endpoints of a batch.
#[derive(Clone, Debug, Default)]
pub struct Assignment {
    /// The distinct certified endpoints, in order of first appearance.
    pub endpoints: Vec<Endpoint>,
    /// Runs whose endpoint could not be certified, in run order.
    pub uncertified: Vec<Uncertified>,
    /// Exact: how many certifications were attempted (one per distinct point, plus one
    /// per failed run).
    pub certifications: usize,
}

/// Exact: the index orders of every reordering of equal-size blocks of `sizes` (blocks
/// laid out contiguously, largest first), the identity first; only the identity when
/// there would be more than [`MAX_REORDERINGS`].
pub fn block_reorderings(sizes: &[u64]) -> Vec<Vec<usize>> {
    let r = sizes.len();
    let mut offsets = Vec::with_capacity(r);
    let mut acc = 0usize;
    for &n in sizes {
        offsets.push(acc);
        acc += n as usize;
    }
    let identity: Vec<usize> = (0..r).collect();
    // Block orders: permute within runs of equal sizes.
    let mut orders: Vec<Vec<usize>> = vec![identity.clone()];
    let mut start = 0;
    while start < r {
        let mut end = start + 1;
        while end < r && sizes[end] == sizes[start] {
            end += 1;
        }
        if end - start > 1 {
            let perms = permutations(&(start..end).collect::<Vec<_>>());
            if orders.len().saturating_mul(perms.len()) > MAX_REORDERINGS {
                return vec![(0..acc).collect()];
            }
            let mut next = Vec::with_capacity(orders.len() * perms.len());
            for o in &orders {
                for p in &perms {
                    let mut o2 = o.clone();
                    o2[start..end].copy_from_slice(p);
                    next.push(o2);
                }
            }
            orders = next;
        }
        start = end;
    }
    orders
        .iter()
        .map(|o| {
            o.iter()
                .flat_map(|&b| offsets[b]..offsets[b] + sizes[b] as usize)
                .collect()
        })
        .collect()
}

/// Exact: every permutation of `items`, the given order first.
fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let x = rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, x);
            out.push(p);
        }
    }
    out
}

/// Encloses: the distance from the run's matrix `m` to the certified point of `e`, when
/// some reordering of the run's equal-size blocks brings it within `max_distance`
/// (checked first in f64, then enclosed).
fn match_point(
    m: &Matrix,
    sym: &ident::symmetry::Symmetry,
    id: &Identified,
    max_distance: f64,
    prec: u32,
) -> Option<Interval> {
    let cert = id.certificate.as_ref()?;
    let part: &IntegerPartition = &cert.partition;
    if part.int_sizes_u64() != sym.partition.int_sizes_u64() {
        return None;
    }
    let d = m.d;
    let w = ident::permuted_matrix(m, sym);
    let center: Vec<f64> = cert.center.iter().map(|c| c.value().to_f64()).collect();
    for order in block_reorderings(&part.int_sizes_u64()) {
        let wo: Vec<f64> = (0..d * d)
            .map(|p| w[order[p / d] * d + order[p % d]])
            .collect();
        let approx = distance::approx_distance(part, &wo, &center);
        if approx.is_finite() && approx <= max_distance {
            let dist = distance::enclose_distance(
                &distance::matrix_sums(part, &wo, prec),
                &cert.proof.krawczyk_box,
            );
            if *dist.hi() <= max_distance {
                return Some(dist);
            }
        }
    }
    None
}

/// Encloses: the assignment of the ended runs (see the module contract); runs that did
/// not end (diverged, not converged) are skipped. `done` is called once per run handled.
pub fn assign(
    d: usize,
    ends: &[RunEnd],
    opts: &Options,
    fam: &FamilyPoints,
    done: &dyn Fn(&RunEnd),
) -> Assignment {
    let io = &opts.identify;
    let mut out = Assignment::default();
    let mut aliases: Vec<Alias> = Vec::new();
    for r in ends.iter().filter(|r| r.stop.ended()) {
        let m = Matrix {
            source: format!("run {}", r.index),
            file: String::new(),
            d,
            entries: r.w.clone(),
        };
        let global = ident::global_minimum(&m, io.tol).is_some();
        if !global {
            let sym = ident::symmetry::find_symmetry(&m.entries, d, io.tol);
            let hit = out
                .endpoints
                .iter()
                .enumerate()
                .find_map(|(k, e)| {
                    match_point(&m, &sym, &e.identified, io.max_distance, io.prec)
                        .map(|dist| (k, dist))
                })
                .or_else(|| {
                    aliases.iter().find_map(|a| {
                        match_point(&m, &sym, &a.identified, io.max_distance, io.prec)
                            .map(|dist| (a.target, upper(&(dist + a.gap.clone()))))
                    })
                });
            if let Some((k, dist)) = hit {
                out.endpoints[k].runs.push(r.index);
                out.endpoints[k].distances.push(dist);
                done(r);
                continue;
            }
        }
        let id = ident::identify_matrix(&m, io, fam);
        if !global {
            out.certifications += 1;
        }
        match (&id.outcome, &id.distance) {
            (Outcome::GlobalMinimum, Some(dist)) => {
                let same = out
                    .endpoints
                    .iter()
                    .position(|e| e.identified.name == Name::GlobalMinimum);
                push(&mut out, same, id.clone(), r.index, dist.clone());
            }
            (Outcome::Certified, Some(dist)) => match coarser(&id, d, io, fam, &out) {
                Some((t, gap)) => {
                    let dist = upper(&(dist.clone() + gap.clone()));
                    let target = match t {
                        Target::Existing(k) => k,
                        Target::New(c) => {
                            out.certifications += 1;
                            out.endpoints.push(Endpoint {
                                identified: *c,
                                runs: Vec::new(),
                                distances: Vec::new(),
                            });
                            out.endpoints.len() - 1
                        }
                    };
                    aliases.push(Alias {
                        identified: id.clone(),
                        target,
                        gap,
                    });
                    out.endpoints[target].runs.push(r.index);
                    out.endpoints[target].distances.push(dist);
                }
                None => push(&mut out, None, id.clone(), r.index, dist.clone()),
            },
            (Outcome::TooFar { reason } | Outcome::NotCertified { reason }, _) => {
                out.uncertified.push(Uncertified {
                    run: r.index,
                    status: id.status().into(),
                    reason: reason.clone(),
                })
            }
            _ => out.uncertified.push(Uncertified {
                run: r.index,
                status: id.status().into(),
                reason: "no distance was enclosed".into(),
            }),
        }
        done(r);
    }
    out
}

/// Exact: add a run to endpoint `k`, or to a new endpoint.
fn push(out: &mut Assignment, k: Option<usize>, id: Identified, run: usize, dist: Interval) {
    match k {
        Some(k) => {
            out.endpoints[k].runs.push(run);
            out.endpoints[k].distances.push(dist);
        }
        None => out.endpoints.push(Endpoint {
            identified: id,
            runs: vec![run],
            distances: vec![dist],
        }),
    }
}

/// Encloses: `[0, hi(x)]`, the upper bound of a non-negative enclosure kept as an
/// enclosure (a triangle inequality gives only an upper bound).
fn upper(x: &Interval) -> Interval {
    Interval::point(x.precision(), 0.0).hull(x)
}

/// Where a run whose point has a coarser symmetry goes.
enum Target {
    /// An endpoint already found.
    Existing(usize),
    /// A newly certified point.
    New(Box<Identified>),
}

/// Exact: the relative tolerance at which a certified centre's own symmetry is read.
pub const CENTRE_TOL: f64 = 1e-9;

/// Encloses: when the certified centre of `id` has a coarser symmetry than its fixed
/// space (descent stopped before the endpoint was symmetric enough, and Newton in the
/// finer space reached the more symmetric point), the coarser certified point: either an
/// existing endpoint (its index) or a newly identified one, with an upper bound on the
/// distance from `id`'s point to it (`|P - C| + |C - P'|`, C the f64 centre matrix, both
/// enclosed). `None` when there is no coarser symmetry or it cannot be certified.
fn coarser(
    id: &Identified,
    d: usize,
    io: &ident::Options,
    fam: &FamilyPoints,
    out: &Assignment,
) -> Option<(Target, Interval)> {
    let cert = id.certificate.as_ref()?;
    let part = &cert.partition;
    let center: Vec<f64> = cert.center.iter().map(|c| c.value().to_f64()).collect();
    let c: Vec<f64> = part.embed(&center)?.into_iter().flatten().collect();
    let sym = ident::symmetry::find_symmetry(&c, d, CENTRE_TOL);
    if sym.trivial || sym.partition.r() >= part.r() {
        return None;
    }
    let to_fine = distance::enclose_distance(
        &distance::matrix_sums(part, &c, io.prec),
        &cert.proof.krawczyk_box,
    );
    let cm = Matrix {
        source: format!("{} (centre)", id.source),
        file: String::new(),
        d,
        entries: c,
    };
    for (k, e) in out.endpoints.iter().enumerate() {
        if let Some(dc) = match_point(&cm, &sym, &e.identified, io.max_distance, io.prec) {
            return Some((Target::Existing(k), upper(&(to_fine + dc))));
        }
    }
    let tight = ident::Options {
        tol: CENTRE_TOL,
        ..io.clone()
    };
    let c2 = ident::identify_matrix(&cm, &tight, fam);
    match (&c2.outcome, &c2.distance) {
        (Outcome::Certified, Some(dc)) if c2.symmetry.partition.r() < part.r() => {
            let gap = upper(&(to_fine + dc.clone()));
            Some((Target::New(Box::new(c2)), gap))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reorderings_permute_only_equal_blocks() {
        let o = block_reorderings(&[3, 1, 1]);
        assert_eq!(o, vec![vec![0, 1, 2, 3, 4], vec![0, 1, 2, 4, 3]]);
        assert_eq!(block_reorderings(&[2, 2, 1, 1, 1]).len(), 12);
        assert_eq!(block_reorderings(&[4, 1]).len(), 1);
        assert_eq!(block_reorderings(&[1; 8]), vec![(0..8).collect::<Vec<_>>()]);
    }
}
