//! The isotypic decomposition of the Hessian at a point with isotropy
//! `ΔG = Δ(S_{n_1} x ... x S_{n_r})`, computed from the reduced loss alone (docs/components.md).
//!
//! For each component this module produces a refinement of the partition and a list of
//! directions in the refined fixed space, one per copy of the irreducible, that are
//! orthonormal in the Frobenius metric (`<v, v'> = sum_p N_p v_p v'_p`) and lie in that
//! component. The component's block is then the matrix of second directional derivatives
//! of the refined reduced loss along these directions ([`block`]); each of its
//! eigenvalues is an eigenvalue of the full `d^2 x d^2` Hessian of multiplicity equal to
//! the irreducible's dimension.
//!
//! | component | refinement | directions |
//! |---|---|---|
//! | trivial | none | `e_p / sqrt(N_p)` |
//! | `std_a` | `a -> (n_a - 1, 1)` | weighted Helmert vectors inside each group of fine parameters copied from one coarse parameter (the N-orthogonal complement of the coarse fixed space) |
//! | `[n_a-2,2]` | `a -> (n_a - 2, 1, 1)` | the symmetric, zero-diagonal, zero-row-sum matrix fixed by `S_{n_a-2}` |
//! | `[n_a-2,1,1]` | `a -> (n_a - 2, 1, 1)` | the antisymmetric zero-row-sum matrix fixed by `S_{n_a-2}` |
//! | `std_a x std_b` | both split | `h_a (x) h_b` in the `X_ab` and `X_ba` groups, `h = (1, -(n-1))` |
//!
//! **Exactness.** The directions are built from exact integers (block sizes) in the
//! caller's arithmetic, normalised with one square root; evaluated in
//! [`Interval`](crate::arith::Interval) arithmetic the block encloses the exact component
//! block over the whole input box. The copy counts and dimensions are exact integers
//! (`u128`: `(d-2)(d-3)/2` exceeds `u64` for d near 10^12). That the union of the blocks,
//! repeated by dimension, is the dense spectrum is checked in `tests/components.rs`.

use crate::arith::{SResult, Scalar};
use crate::linalg::Mat;
use crate::model::partition::{IntegerPartition, Param, Partition, Refinement};
use crate::model::reduced;

/// An irreducible type occurring in the Hessian at isotropy ΔG.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The trivial representation (the fixed space itself).
    Trivial,
    /// `std_a = [n_a - 1, 1]`.
    Std(usize),
    /// `[n_a - 2, 2]`.
    Two(usize),
    /// `[n_a - 2, 1, 1]`.
    OneOne(usize),
    /// `std_a ⊠ std_b`, `a < b`.
    StdStd(usize, usize),
}

impl Kind {
    /// Exact: the kind's name as certificates write it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Trivial => "trivial",
            Kind::Std(_) => "std",
            Kind::Two(_) => "n-2,2",
            Kind::OneOne(_) => "n-2,1,1",
            Kind::StdStd(..) => "std x std",
        }
    }

    /// Exact: the blocks (0-based) the component belongs to.
    pub fn blocks(self) -> Vec<usize> {
        match self {
            Kind::Trivial => vec![],
            Kind::Std(a) | Kind::Two(a) | Kind::OneOne(a) => vec![a],
            Kind::StdStd(a, b) => vec![a, b],
        }
    }

    /// Exact: a label such as `n-2,1,1 (block 1)`.
    pub fn label(self) -> String {
        match self {
            Kind::Trivial => "trivial".into(),
            Kind::StdStd(a, b) => format!("std x std (blocks {},{})", a + 1, b + 1),
            k => format!("{} (block {})", k.name(), k.blocks()[0] + 1),
        }
    }

    /// Exact: the inverse of `name` and `blocks` (1-based), for reading certificates.
    pub fn from_name(name: &str, blocks: &[usize]) -> Option<Kind> {
        let b0 = |i: usize| blocks.get(i).and_then(|b| b.checked_sub(1));
        match (name, blocks.len()) {
            ("trivial", 0) => Some(Kind::Trivial),
            ("std", 1) => Some(Kind::Std(b0(0)?)),
            ("n-2,2", 1) => Some(Kind::Two(b0(0)?)),
            ("n-2,1,1", 1) => Some(Kind::OneOne(b0(0)?)),
            ("std x std", 2) => Some(Kind::StdStd(b0(0)?, b0(1)?)),
            _ => None,
        }
    }
}

impl std::fmt::Display for Kind {
    /// Exact: the label, e.g. `n-2,1,1 (block 1)`.
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

/// Exact: an isotypic component of the Hessian at a partition.
#[derive(Clone, Debug)]
pub struct Component {
    /// Which irreducible.
    pub kind: Kind,
    /// Exact: the irreducible's dimension (how often each block eigenvalue repeats).
    pub dimension: u128,
    /// Exact: the number of copies (the block's order).
    pub copies: usize,
}

/// Exact: the components present at an integer partition (see [`components`]).
pub fn components_of(part: &IntegerPartition) -> Vec<Component> {
    components(part).expect("an IntegerPartition has integer sizes")
}

/// Exact: the components present at an integer partition, in a fixed order (trivial,
/// then per block std, n-2,2, n-2,1,1, then std x std by pairs); `None` for real sizes.
pub fn components(part: &Partition) -> Option<Vec<Component>> {
    let n = part.int_sizes()?;
    let r = n.len();
    let mut out = vec![Component {
        kind: Kind::Trivial,
        dimension: 1,
        copies: part.dim(),
    }];
    for a in 0..r {
        let na = n[a] as u128;
        if na >= 2 {
            out.push(Component {
                kind: Kind::Std(a),
                dimension: na - 1,
                copies: if na >= 3 { 2 * r + 1 } else { 2 * r },
            });
        }
        if na >= 4 {
            out.push(Component {
                kind: Kind::Two(a),
                dimension: na * (na - 3) / 2,
                copies: 1,
            });
        }
        if na >= 3 {
            out.push(Component {
                kind: Kind::OneOne(a),
                dimension: (na - 1) * (na - 2) / 2,
                copies: 1,
            });
        }
    }
    for a in 0..r {
        for b in (a + 1)..r {
            if n[a] >= 2 && n[b] >= 2 {
                out.push(Component {
                    kind: Kind::StdStd(a, b),
                    dimension: (n[a] as u128 - 1) * (n[b] as u128 - 1),
                    copies: 2,
                });
            }
        }
    }
    Some(out)
}

/// Exact: an axial seed of a component: which blocks are split, into which sizes. The
/// component's lines in the fixed space of the refinement are the images of the seed (the
/// unique vector of the irreducible fixed by the split, up to scale) under fixed
/// intertwiners, so the block they give does not depend on the split (Schur's lemma);
/// only the fixed space they live in does.
///
/// | kind | split | seed |
/// |---|---|---|
/// | `std_a` | `a -> (n1, n2)` | `v = (n2 on the n1 part, -n1 on the n2 part)` |
/// | `[n-2,2]_a` | `a -> (n1, n2)`, both >= 2 | `O = (-n2(n2-1), -n1(n1-1))`, `X = (n1-1)(n2-1)` (symmetric, zero diagonal and row sums) |
/// | `[n-2,1,1]_a` | `a -> (n1, n2, n3)` | `X_12 = n3, X_13 = -n2, X_23 = n1`, antisymmetric |
/// | `std_a x std_b` | both split in two | `v (x) w` |
///
/// Intertwiners for `std_a` (lines in this order): `v (x) 1` on the rows of `a` and the
/// columns of each other block `c`; `1 (x) v` on the columns of `a` and the rows of each
/// other block `b`; inside `a x a`: `diag(v)`, the symmetric off-diagonal part
/// `W_ij = v_i + v_j` (only when `n_a >= 3`) and the antisymmetric part `W_ij = v_i - v_j`.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The component.
    pub kind: Kind,
    /// The splits `(block, part sizes)`; the first part keeps the block's index, the others
    /// are appended after the last block, in order.
    pub splits: Vec<(usize, Vec<f64>)>,
}

impl Axis {
    /// Exact: the canonical axis of a component (the one certification uses):
    /// `(n-1, 1)` for std, `(n-2, 2)` for `[n-2,2]`, `(n-2, 1, 1)` for `[n-2,1,1]`.
    pub fn canonical(part: &Partition, kind: Kind) -> Axis {
        let n = part.sizes();
        let splits = match kind {
            Kind::Trivial => vec![],
            Kind::Std(a) => vec![(a, vec![n[a] - 1.0, 1.0])],
            Kind::Two(a) => vec![(a, vec![n[a] - 2.0, 2.0])],
            Kind::OneOne(a) => vec![(a, vec![n[a] - 2.0, 1.0, 1.0])],
            Kind::StdStd(a, b) => vec![(a, vec![n[a] - 1.0, 1.0]), (b, vec![n[b] - 1.0, 1.0])],
        };
        Axis { kind, splits }
    }

    /// Exact: the refinement whose fixed space holds the lines (`None` for trivial).
    pub fn refinement(&self, part: &Partition) -> Option<Refinement> {
        if self.splits.is_empty() {
            return None;
        }
        Refinement::split_many(part, &self.splits)
    }

    /// Exact: the fixed space the lines live in (the partition itself for trivial).
    pub fn fine(&self, part: &Partition) -> Partition {
        self.refinement(part)
            .map(|r| r.fine)
            .unwrap_or_else(|| part.clone())
    }

    /// Exact: whether the splits are an axial split of the component's kind: one split of
    /// its block into two parts (std), two parts both >= 2 (`n-2,2`), three parts
    /// (`n-2,1,1`), or one two-part split of each of its two blocks (std x std), each
    /// split dividing its block exactly.
    pub fn admissible(&self, part: &Partition) -> bool {
        let divides = |(a, parts): &(usize, Vec<f64>)| {
            *a < part.r()
                && parts.iter().all(|&p| p >= 1.0 && p.fract() == 0.0)
                && parts.iter().sum::<f64>() == part.sizes()[*a]
        };
        if !self.splits.iter().all(divides) {
            return false;
        }
        let one = |a: usize, len: usize| {
            self.splits.len() == 1 && self.splits[0].0 == a && self.splits[0].1.len() == len
        };
        match self.kind {
            Kind::Trivial => self.splits.is_empty(),
            Kind::Std(a) => one(a, 2),
            Kind::Two(a) => one(a, 2) && self.splits[0].1.iter().all(|&p| p >= 2.0),
            Kind::OneOne(a) => one(a, 3),
            Kind::StdStd(a, b) => {
                self.splits.len() == 2
                    && self.splits[0].0 == a
                    && self.splits[1].0 == b
                    && self.splits.iter().all(|s| s.1.len() == 2)
            }
        }
    }

    /// Exact: whether some permutation in the isotropy maps the seed to its negative, so
    /// that every odd-order term of the loss vanishes along the component's directions.
    pub fn negation_symmetric(&self) -> bool {
        let has_equal_parts = |parts: &Vec<f64>| {
            parts
                .iter()
                .enumerate()
                .any(|(i, x)| parts[i + 1..].contains(x))
        };
        match self.kind {
            Kind::Trivial | Kind::Two(_) => false,
            Kind::Std(_) | Kind::OneOne(_) | Kind::StdStd(..) => {
                self.splits.iter().any(|(_, parts)| has_equal_parts(parts))
            }
        }
    }

    /// Exact: the partition of the isotropy of the component's directions, as text
    /// (the fine partition's block sizes).
    pub fn isotropy(&self, part: &Partition) -> Partition {
        self.fine(part)
    }
}

/// Exact: the refinement on which a component's canonical directions live (`None` for
/// trivial).
pub fn refinement(part: &Partition, kind: Kind) -> Option<Refinement> {
    Axis::canonical(part, kind).refinement(part)
}

/// Exact (encloses, for intervals): the component's lines (unnormalised; integers formed
/// in `like`'s arithmetic, so exact, or enclosed when they exceed its precision) in the
/// fixed space of the axis' refinement, one per copy, in the fixed order of [`Axis`].
pub fn seed_lines<S: Scalar>(part: &Partition, axis: &Axis, like: &S) -> Vec<Vec<S>> {
    let fine = axis.fine(part);
    let zero = like.cst(0.0);
    let r = part.r();
    let blank = || vec![zero.clone(); fine.dim()];
    let idx = |p: Param| fine.index(p).expect("parameter of the refinement");
    // Part sizes are exact `f64` integers (below 2^53); every product or difference of
    // them is formed in `like`'s arithmetic, never in f64 (an f64 product such as
    // n (n - 1) is rounded above n ~ 9.5e7, which moved the seed off its component).
    let size = |n: f64| like.cst(n);
    let one = like.cst(1.0);
    let two = like.cst(2.0);
    match axis.kind {
        Kind::Trivial => (0..part.dim())
            .map(|p| {
                let mut v = blank();
                v[p] = like.cst(1.0);
                v
            })
            .collect(),
        Kind::Std(a) => {
            let (n1, n2) = (size(axis.splits[0].1[0]), size(axis.splits[0].1[1]));
            let (a1, a2) = (a, r);
            let (v1, v2) = (n2.clone(), -n1.clone());
            let mut lines = Vec::new();
            for c in (0..r).filter(|&c| c != a) {
                let mut l = blank();
                l[idx(Param::X(a1, c))] = v1.clone();
                l[idx(Param::X(a2, c))] = v2.clone();
                lines.push(l);
            }
            for b in (0..r).filter(|&b| b != a) {
                let mut l = blank();
                l[idx(Param::X(b, a1))] = v1.clone();
                l[idx(Param::X(b, a2))] = v2.clone();
                lines.push(l);
            }
            let mut diag = blank();
            diag[idx(Param::D(a1))] = v1.clone();
            diag[idx(Param::D(a2))] = v2.clone();
            lines.push(diag);
            if axis.splits[0].1.iter().sum::<f64>() >= 3.0 {
                // W_ij = v_i + v_j off the diagonal of block a.
                let mut sym = blank();
                if let Some(i) = fine.index(Param::O(a1)) {
                    sym[i] = two.clone() * n2.clone();
                }
                if let Some(i) = fine.index(Param::O(a2)) {
                    sym[i] = -(two.clone() * n1.clone());
                }
                sym[idx(Param::X(a1, a2))] = n2.clone() - n1.clone();
                sym[idx(Param::X(a2, a1))] = n2.clone() - n1.clone();
                lines.push(sym);
            }
            // W_ij = v_i - v_j.
            let mut anti = blank();
            anti[idx(Param::X(a1, a2))] = n1.clone() + n2.clone();
            anti[idx(Param::X(a2, a1))] = -(n1 + n2);
            lines.push(anti);
            lines
        }
        Kind::Two(a) => {
            let (n1, n2) = (size(axis.splits[0].1[0]), size(axis.splits[0].1[1]));
            let mut l = blank();
            l[idx(Param::O(a))] = -(n2.clone() * (n2.clone() - one.clone()));
            l[idx(Param::O(r))] = -(n1.clone() * (n1.clone() - one.clone()));
            let x = (n1 - one.clone()) * (n2 - one);
            l[idx(Param::X(a, r))] = x.clone();
            l[idx(Param::X(r, a))] = x;
            vec![l]
        }
        Kind::OneOne(a) => {
            let parts = &axis.splits[0].1;
            let (n1, n2, n3) = (size(parts[0]), size(parts[1]), size(parts[2]));
            let (b1, b2, b3) = (a, r, r + 1);
            let mut l = blank();
            for (x, y, val) in [(b1, b2, n3), (b1, b3, -n2), (b2, b3, n1)] {
                l[idx(Param::X(x, y))] = val.clone();
                l[idx(Param::X(y, x))] = -val;
            }
            vec![l]
        }
        Kind::StdStd(a, b) => {
            let (na1, na2) = (size(axis.splits[0].1[0]), size(axis.splits[0].1[1]));
            let (nb1, nb2) = (size(axis.splits[1].1[0]), size(axis.splits[1].1[1]));
            let v = [(a, na2), (r, -na1)];
            let w = [(b, nb2), (r + 1, -nb1)];
            let mut lines = Vec::new();
            for rows_first in [true, false] {
                let mut l = blank();
                for (x, vx) in &v {
                    for (y, wy) in &w {
                        let p = if rows_first {
                            Param::X(*x, *y)
                        } else {
                            Param::X(*y, *x)
                        };
                        l[idx(p)] = vx.clone() * wy.clone();
                    }
                }
                lines.push(l);
            }
            lines
        }
    }
}

/// Inherits S: the component's lines normalised in the Frobenius metric of the fine fixed space.
pub fn lines<S: Scalar>(part: &Partition, axis: &Axis, like: &S) -> SResult<Vec<Vec<S>>> {
    let w = axis.fine(part).weights(like);
    seed_lines(part, axis, like)
        .into_iter()
        .map(|v| {
            let mut norm2 = like.cst(0.0);
            for (x, n) in v.iter().zip(&w) {
                norm2 = norm2 + n.clone() * x.clone().sqr();
            }
            let norm = norm2.try_sqrt()?;
            v.into_iter().map(|x| x.try_div(norm.clone())).collect()
        })
        .collect()
}

/// Inherits S: the component's canonical directions (see [`lines`]).
pub fn directions<S: Scalar>(part: &Partition, kind: Kind, like: &S) -> SResult<Vec<Vec<S>>> {
    lines(part, &Axis::canonical(part, kind), like)
}

/// Inherits S: the component's block on an axis: second directional derivatives of the refined
/// reduced loss at the embedded point, along the normalised lines.
pub fn block_on<S: Scalar>(part: &Partition, theta: &[S], axis: &Axis) -> SResult<Mat<S>> {
    let like = &theta[0];
    let dirs = lines(part, axis, like)?;
    let (fine, point) = match axis.refinement(part) {
        Some(r) => {
            let p = r.embed(theta);
            (r.fine, p)
        }
        None => (part.clone(), theta.to_vec()),
    };
    Ok(reduced::directional_hessian(&fine, &point, &dirs)?.hessian_matrix())
}

/// Inherits S: the component's block (on its canonical axis; see the module contract).
pub fn block<S: Scalar>(part: &Partition, theta: &[S], kind: Kind) -> SResult<Mat<S>> {
    block_on(part, theta, &Axis::canonical(part, kind))
}

/// Why the component blocks (or a dense spectrum) could not be formed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BlockError {
    /// The isotypic decomposition needs integer block sizes.
    #[error("component blocks need integer block sizes")]
    NotIntegral,
    /// The point is on the non-smooth set.
    #[error(transparent)]
    NonSmooth(#[from] crate::arith::NonSmooth),
}

/// Inherits S: all components with their blocks at `theta` (integer partitions only).
pub fn blocks<S: Scalar>(
    part: &Partition,
    theta: &[S],
) -> Result<Vec<(Component, Mat<S>)>, BlockError> {
    let comps = components(part).ok_or(BlockError::NotIntegral)?;
    comps
        .into_iter()
        .map(|c| Ok(block(part, theta, c.kind).map(|b| (c, b))?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_times_dimensions_add_up_to_d_squared() {
        for sizes in [
            vec![9u64, 1],
            vec![10],
            vec![3, 2, 1],
            vec![4, 1, 1, 2],
            vec![2, 2, 2],
            vec![1, 1, 1],
            vec![5, 4],
            vec![999_999_999_999, 1],
        ] {
            let p = Partition::from_sizes(&sizes).unwrap();
            let d: u128 = sizes.iter().map(|&n| n as u128).sum();
            let total: u128 = components(&p)
                .unwrap()
                .iter()
                .map(|c| c.copies as u128 * c.dimension)
                .sum();
            assert_eq!(total, d * d, "{sizes:?}");
            for c in components(&p).unwrap() {
                let dirs = directions(&p, c.kind, &0.0f64).unwrap();
                assert_eq!(dirs.len(), c.copies, "{sizes:?} {:?}", c.kind);
            }
        }
    }
}
