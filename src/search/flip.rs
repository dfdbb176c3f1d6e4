//! The two-block "flip" points: critical points of `Fix(Δ(S_{d-p} x S_p))` at which the
//! `p` neurons of the second block are flipped and the other `d - p` are not
//! (docs/families.md, "The flip ladder").
//!
//! **Approximate.** A deterministic multi-start Newton search of one fixed space (as
//! [`crate::search::scan`] does, with starts drawn near the flipped configuration), a
//! filter on the flip condition, merging, and a polish at [`newton::auto_prec`]. The
//! result is a list sorted by loss; its k-th entry is the member `flip(p)#k` (`flip(p)`
//! for k = 1). The search has 6 reduced coordinates at every d, so its cost does not grow
//! with d (only the working precision grows, like log d, beyond d = 1000).
//!
//! **The flip condition.** Row `i` of `W` is a neuron; with the teacher `V = I` its own
//! target direction is `e_i`, so the diagonal entry `W_ii` is its alignment. A neuron is
//! *flipped* when its diagonal entry is negative and strictly the largest entry of its row
//! in absolute value (the neuron points near `-e_i`), and *unflipped* when its diagonal
//! entry is positive and strictly the largest in absolute value. In the layout
//! `D1, O1, X12, D2, O2, X21` the row of a neuron in block 2 holds `D2` once, `O2`
//! (`p - 1` times) and `X21` (`d - p` times), so block 2 is flipped iff
//! `D2 < 0`, `|D2| > |O2|` and `|D2| > |X21|`; block 1 is unflipped iff `D1 > 0`,
//! `D1 > |O1|` and `D1 > |X12|`. At `p = d` the space is `Fix(ΔS_d)` (`D1, O1`) and every
//! neuron is flipped.
//!
//! **Twins.** In a block of exactly two neurons, swapping the two rows (and not the
//! columns) exchanges `D` and `O` of that block and leaves every other coordinate and the
//! loss unchanged: the same network with its two hidden units relabelled. Points are put
//! in the canonical form `|D| >= |O|` for such blocks before the test and the merge, so a
//! twin is not listed twice.

use crate::arith::Mpfr;
use crate::model::partition::{Param, Partition};
use crate::random::SplitMix64;
use crate::search::newton::{self, auto_prec, Found, NewtonError};

/// Exact: the number of Newton starts per fixed space (fixed, so that the names
/// `flip(p)#k` mean the same points in every command).
pub const STARTS: usize = 48;

/// Exact: the seed of the starts of space `p` is `SEED ^ p` (independent of d).
pub const SEED: u64 = 0x666c_6970_6c61_6464;

/// Approximate: two points are one when their dense matrices differ by less than this,
/// relative to `sqrt(d)` (the Frobenius norm of a matrix with rows of norm about 1).
pub const MERGE_TOL: f64 = 1e-7;

/// Approximate: the relative margin by which a diagonal entry must exceed every other
/// entry of its row in absolute value (a tie up to rounding, as on the non-smooth set
/// where the rows of a block coincide, is not a flip).
pub const FLIP_MARGIN: f64 = 1e-6;

/// Approximate: one critical point of the flip condition found in `Fix(Δ(S_{d-p} x S_p))`.
#[derive(Clone, Debug)]
pub struct FlipPoint {
    /// Exact: how many neurons are flipped.
    pub p: u64,
    /// Exact: the point's rank by loss in its space (1 = lowest loss).
    pub rank: u32,
    /// The fixed space ([`flip_partition`]).
    pub partition: Partition,
    /// Approximate: Newton's result at `prec` (layout order).
    pub found: Found<Mpfr>,
    /// Precision of `found` in bits (53 = f64).
    pub prec: u32,
    /// How many of the [`STARTS`] starts reached the point.
    pub hits: usize,
}

/// Exact: the fixed space of `p` flipped neurons at dimension `d`: block sizes
/// `[d - p, p]` for `1 <= p < d`, and `[d]` (`Fix(ΔS_d)`) for `p = d`; `None` when
/// `p = 0`, `p > d` or `d - p` is not a positive block size.
pub fn flip_partition(d: f64, p: u64) -> Option<Partition> {
    let pf = p as f64;
    if p == 0 || !d.is_finite() || pf > d {
        return None;
    }
    if pf == d {
        Partition::new(vec![d])
    } else {
        Partition::new(vec![d - pf, pf])
    }
}

/// Exact: the blocks of a flip space: (the flipped block, the unflipped block if any).
fn blocks(part: &Partition) -> (usize, Option<usize>) {
    if part.r() == 1 {
        (0, None)
    } else {
        (1, Some(0))
    }
}

/// Approximate: the largest absolute value among a block's off-diagonal row entries.
fn off_diagonal_max(part: &Partition, theta: &[f64], a: usize) -> f64 {
    part.params()
        .iter()
        .zip(theta)
        .filter(|(q, _)| {
            matches!(q, Param::O(b) if *b == a) || matches!(q, Param::X(b, _) if *b == a)
        })
        .map(|(_, v)| v.abs())
        .fold(0.0, f64::max)
}

/// Approximate: the point in the canonical form of its twins: in every block of exactly
/// two neurons, `D` and `O` swapped when `|O| > |D|` (see the module notes).
pub fn canonical(part: &Partition, theta: &[f64]) -> Vec<f64> {
    let mut t = theta.to_vec();
    for a in 0..part.r() {
        if part.sizes()[a] != 2.0 {
            continue;
        }
        if let (Some(i), Some(j)) = (part.index(Param::D(a)), part.index(Param::O(a))) {
            if t[j].abs() > t[i].abs() {
                t.swap(i, j);
            }
        }
    }
    t
}

/// Approximate (decided on f64 values): whether the point satisfies the flip condition of
/// its space (module notes): the last block flipped, the other block (if any) unflipped,
/// each diagonal exceeding the row's other entries by the relative [`FLIP_MARGIN`].
pub fn is_flip(part: &Partition, theta: &[f64]) -> bool {
    let (flipped, unflipped) = blocks(part);
    let diag = |a: usize| theta[part.index(Param::D(a)).expect("every block has D")];
    let dominant = |x: f64, a: usize| x > (1.0 + FLIP_MARGIN) * off_diagonal_max(part, theta, a);
    let f = diag(flipped);
    if !(f < 0.0 && dominant(-f, flipped)) {
        return false;
    }
    match unflipped {
        Some(u) => {
            let g = diag(u);
            g > 0.0 && dominant(g, u)
        }
        None => true,
    }
}

/// Approximate: the precision of the multi-start search: f64 up to d = 1000 (as the
/// family branches use), [`auto_prec`] beyond.
pub fn search_prec(d: f64) -> u32 {
    if d <= 1000.0 {
        53
    } else {
        auto_prec(d)
    }
}

/// Approximate: the seeded starts of space `p`: a quarter each near the flipped
/// configuration (`D = +1` on the unflipped block, `-1` on the flipped one, `O = X = 0`)
/// with relative noise 0.1, 0.3 and 1, and a quarter random with the signs of `D` forced.
pub fn starts(part: &Partition, p: u64) -> Vec<Vec<f64>> {
    let mut rng = SplitMix64::new(SEED ^ p);
    let (flipped, _) = blocks(part);
    (0..STARTS)
        .map(|i| {
            let sigma = [0.1, 0.3, 1.0, 1.0][i % 4];
            let random = i % 4 == 3;
            part.params()
                .iter()
                .map(|&q| {
                    let z = rng.normal();
                    match q {
                        Param::D(a) => {
                            let sign = if a == flipped { -1.0 } else { 1.0 };
                            if random {
                                sign * z.abs()
                            } else {
                                sign + sigma * 0.5 * z
                            }
                        }
                        Param::O(a) => sigma * z / (part.sizes()[a] - 1.0).sqrt(),
                        Param::X(_, b) => sigma * z / part.sizes()[b].sqrt(),
                    }
                })
                .collect()
        })
        .collect()
}

/// Approximate: the Frobenius distance of the dense matrices of two points of `part`,
/// divided by `sqrt(d)`.
fn distance(part: &Partition, a: &[f64], b: &[f64]) -> f64 {
    let s: f64 = part
        .params()
        .iter()
        .zip(a.iter().zip(b))
        .map(|(&q, (x, y))| part.weight_f64(q) * (x - y).powi(2))
        .sum();
    (s / part.d()).sqrt()
}

/// Approximate: the distinct flip points of `Fix(Δ(S_{d-p} x S_p))`, sorted by loss and
/// ranked from 1, each polished at [`auto_prec`]`(d)`. Deterministic: the same (d, p)
/// gives the same list. An empty list means no start reached such a point.
pub fn search(d: f64, p: u64) -> Result<Vec<FlipPoint>, NewtonError> {
    let part = flip_partition(d, p).ok_or(NewtonError::Dimension(d))?;
    let sprec = search_prec(d);
    // (canonical f64 point, hits)
    let mut found: Vec<(Vec<f64>, usize)> = Vec::new();
    for start in starts(&part, p) {
        let Ok(f) = newton::newton_at_prec(&part, &start, sprec) else {
            continue;
        };
        let theta: Vec<f64> = f.theta.iter().map(|x| x.0.to_f64()).collect();
        let theta = canonical(&part, &theta);
        if !is_flip(&part, &theta) {
            continue;
        }
        match found
            .iter_mut()
            .find(|(t, _)| distance(&part, t, &theta) < MERGE_TOL)
        {
            Some((_, hits)) => *hits += 1,
            None => found.push((theta, 1)),
        }
    }
    let prec = auto_prec(d);
    let mut points: Vec<FlipPoint> = Vec::new();
    for (theta, hits) in found {
        let Ok(f) = newton::newton_at_prec(&part, &theta, prec) else {
            continue;
        };
        let approx: Vec<f64> = f.theta.iter().map(|x| x.0.to_f64()).collect();
        // The polish may join two search results (or leave the flip condition).
        if !is_flip(&part, &approx) {
            continue;
        }
        if let Some(q) = points.iter_mut().find(|q| {
            let t: Vec<f64> = q.found.theta.iter().map(|x| x.0.to_f64()).collect();
            distance(&part, &t, &approx) < MERGE_TOL
        }) {
            q.hits += hits;
            continue;
        }
        points.push(FlipPoint {
            p,
            rank: 0,
            partition: part.clone(),
            found: f,
            prec,
            hits,
        });
    }
    points.sort_by(|a, b| a.found.loss.0.to_f64().total_cmp(&b.found.loss.0.to_f64()));
    for (k, q) in points.iter_mut().enumerate() {
        q.rank = k as u32 + 1;
    }
    Ok(points)
}

/// Approximate: the member `flip(p)#rank` at dimension `d` ([`search`]), refined by Newton
/// at `prec` (`None`: [`auto_prec`]).
pub fn locate(d: f64, p: u64, rank: u32, prec: Option<u32>) -> Result<FlipPoint, NewtonError> {
    let points = search(d, p)?;
    let count = points.len();
    let mut q = points
        .into_iter()
        .find(|q| q.rank == rank)
        .ok_or(NewtonError::NoSuchMember { p, rank, count })?;
    if let Some(prec) = prec.filter(|&b| b != q.prec) {
        q.found = newton::polish(&q.partition, &q.found.theta, prec)?;
        q.prec = prec;
    }
    Ok(q)
}
