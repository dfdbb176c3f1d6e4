//! The Frobenius distance from a matrix to a certified critical point, as an enclosure.
//!
//! **Contract.** The matrix (any d x d, not necessarily in the fixed space) is given by
//! its exact f64 entries; the critical point by interval enclosures of its reduced
//! coordinates (a box that contains it). Each reduced coordinate `θ_p` stands for
//! `N_p` entries (an exact integer). Writing `S1_p`, `S2_p` for the sum and the sum of
//! squares of the matrix entries that `θ_p` stands for,
//!
//! `|W - E(θ)|_F^2 = Σ_p [ N_p (θ_p - S1_p/N_p)^2 + (S2_p - S1_p^2/N_p) ]`,
//!
//! where the second term is the squared distance of the entries from their mean (so it is
//! at least 0, and its enclosure is cut at 0). Every operation is outward-rounded
//! interval arithmetic from exact inputs, so the result encloses the distance from the
//! matrix to every point of the box, in particular to the critical point.

use crate::arith::{Interval, Scalar};
use crate::model::partition::{IntegerPartition, Param};
use rug::Float;

/// Encloses: the sums a reduced coordinate needs: how many entries it stands for and
/// the sum and sum of squares of those entries.
#[derive(Clone, Debug)]
pub struct ParamSums {
    /// Exact: `N_p`.
    pub count: u128,
    /// Encloses: the sum of the entries.
    pub sum: Interval,
    /// Encloses: the sum of their squares.
    pub sum_sq: Interval,
}

/// Encloses: the sums of a d x d matrix (row-major, exact f64 entries) laid out by `part`.
pub fn matrix_sums(part: &IntegerPartition, m: &[f64], prec: u32) -> Vec<ParamSums> {
    let blocks = part.block_of_index().expect("integer partition");
    let d = blocks.len();
    let zero = Interval::point(prec, 0.0);
    let mut out: Vec<ParamSums> = part
        .params()
        .iter()
        .map(|&p| ParamSums {
            count: weight(part, p),
            sum: zero.clone(),
            sum_sq: zero.clone(),
        })
        .collect();
    for i in 0..d {
        for j in 0..d {
            let q = part
                .index(part.param_of_entry(blocks[i], blocks[j], i == j))
                .expect("every entry has a parameter");
            let x = Interval::point(prec, m[i * d + j]);
            out[q].sum.add_assign_r(&x);
            out[q].sum_sq.add_assign_r(&x.clone().sqr());
        }
    }
    out
}

/// Encloses: the sums of a point of the fixed space given by its reduced coordinates
/// (exact f64 values): `N_p t_p` and `N_p t_p^2`.
pub fn point_sums(part: &IntegerPartition, theta: &[f64], prec: u32) -> Vec<ParamSums> {
    part.params()
        .iter()
        .zip(theta)
        .map(|(&p, &t)| {
            let t = Interval::point(prec, t);
            let count = weight(part, p);
            let n = t.int(count as i128);
            ParamSums {
                count,
                sum: n.clone() * t.clone(),
                sum_sq: n * t.sqr(),
            }
        })
        .collect()
}

/// Exact: `N_p`, the number of entries parameter `p` stands for, formed in integers.
pub fn weight(part: &IntegerPartition, p: Param) -> u128 {
    let n = part.int_sizes_u64();
    match p {
        Param::D(a) => u128::from(n[a]),
        Param::O(a) => u128::from(n[a]) * u128::from(n[a] - 1),
        Param::X(a, b) => u128::from(n[a]) * u128::from(n[b]),
    }
}

/// Encloses: `|W - E(θ)|_F` over every θ in `point_box` (see the module contract).
pub fn enclose_distance(sums: &[ParamSums], point_box: &[Interval]) -> Interval {
    let prec = point_box
        .first()
        .map_or(256, |x| x.precision())
        .max(sums.first().map_or(256, |s| s.sum.precision()));
    let mut total = Interval::point(prec, 0.0);
    for (s, theta) in sums.iter().zip(point_box) {
        let n = total.int(s.count as i128);
        let mean = s.sum.clone().try_div(n.clone()).expect("N_p > 0");
        let along = n.clone() * (theta.clone() - mean.clone()).sqr();
        let across = clamp_nonneg(s.sum_sq.clone() - s.sum.clone() * mean);
        total.add_assign_r(&along);
        total.add_assign_r(&across);
    }
    clamp_nonneg(total)
        .sqrt_nonneg()
        .expect("a nonnegative enclosure has a square root")
}

/// Encloses: `x ∩ [0, ∞)` for a quantity known to be nonnegative.
fn clamp_nonneg(x: Interval) -> Interval {
    if *x.lo() >= 0 {
        return x;
    }
    let zero = Float::new(x.precision());
    let hi = if *x.hi() >= 0 {
        x.hi().clone()
    } else {
        zero.clone()
    };
    Interval::from_floats(x.precision(), &zero, &hi).expect("0 <= hi")
}

/// Approximate (f64): the same distance from a matrix to a point of the fixed space given
/// by f64 coordinates (for quick refusals before anything is proved).
pub fn approx_distance(part: &IntegerPartition, m: &[f64], theta: &[f64]) -> f64 {
    let blocks = part.block_of_index().expect("integer partition");
    let d = blocks.len();
    let mut s = 0.0;
    for i in 0..d {
        for j in 0..d {
            let q = part
                .index(part.param_of_entry(blocks[i], blocks[j], i == j))
                .expect("every entry has a parameter");
            let e = m[i * d + j] - theta[q];
            s += e * e;
        }
    }
    s.sqrt()
}

/// Approximate (f64): the dense Frobenius norm of a move `a -> b` inside the fixed space:
/// `sqrt(Σ_p N_p (b_p - a_p)^2)`.
pub fn approx_step(part: &IntegerPartition, a: &[f64], b: &[f64]) -> f64 {
    part.params()
        .iter()
        .zip(a.iter().zip(b))
        .map(|(&p, (x, y))| part.weight_f64(p) * (y - x) * (y - x))
        .sum::<f64>()
        .sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_of_a_matrix_to_a_point_box_is_enclosed() {
        let part = IntegerPartition::from_sizes(&[2, 1]).unwrap();
        let theta = [1.0, 0.25, -0.5, 0.125, 2.0];
        let full: Vec<f64> = part.embed(&theta).unwrap().into_iter().flatten().collect();
        // Perturb two entries: the distance is their Euclidean norm exactly.
        let mut m = full.clone();
        m[0] += 0.75; // a D1 entry
        m[5] -= 1.0; // row 1, column 2: an X12 entry
        let sums = matrix_sums(&part, &m, 128);
        let box_: Vec<Interval> = theta.iter().map(|&t| Interval::point(128, t)).collect();
        let dist = enclose_distance(&sums, &box_);
        let want = Float::with_val(128, 0.75f64 * 0.75 + 1.0).sqrt();
        assert!(dist.contains(&want), "{dist} should contain {want}");
        assert!(dist.width() < 1e-30);
        // The same as a point: the point-sum form gives the step within the fixed space.
        let other = [1.5, 0.25, -0.5, 0.125, 2.0];
        let d2 = enclose_distance(&point_sums(&part, &other, 128), &box_);
        // D1 stands for 2 entries: sqrt(2 * 0.5^2).
        assert!(d2.contains(&Float::with_val(128, 0.5f64).sqrt()));
        assert!((approx_step(&part, &theta, &other) - 0.5f64.sqrt()).abs() < 1e-15);
        assert!((approx_distance(&part, &m, &theta) - 1.5625f64.sqrt()).abs() < 1e-15);
    }
}
