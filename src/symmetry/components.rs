//! The isotypic decomposition of the Hessian at a point with isotropy
//! `ΔG = Δ(S_{n_1} x ... x S_{n_r})`, computed from the reduced loss alone (MATH.md §4).
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
use crate::model::reduced;
use crate::symmetry::partition::{Param, Partition, Refinement};

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

/// Exact: the components present at an integer partition, in a fixed order (trivial,
/// then per block std, n-2,2, n-2,1,1, then std x std by pairs).
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

/// Exact: the refinement on which a component's directions live (`None` for trivial).
pub fn refinement(part: &Partition, kind: Kind) -> Option<Refinement> {
    let n = part.sizes();
    match kind {
        Kind::Trivial => None,
        Kind::Std(a) => Refinement::split(part, a, &[n[a] - 1.0, 1.0]),
        Kind::Two(a) | Kind::OneOne(a) => Refinement::split(part, a, &[n[a] - 2.0, 1.0, 1.0]),
        Kind::StdStd(a, b) => Refinement::split_many(
            part,
            &[(a, vec![n[a] - 1.0, 1.0]), (b, vec![n[b] - 1.0, 1.0])],
        ),
    }
}

/// Directions (unnormalised, exact integers in `like`'s arithmetic) of a component in the
/// fine fixed space of its refinement (or the partition itself for trivial).
fn raw_directions<S: Scalar>(part: &Partition, kind: Kind, like: &S) -> Vec<Vec<S>> {
    let zero = like.cst(0.0);
    match kind {
        Kind::Trivial => (0..part.dim())
            .map(|p| {
                let mut v = vec![zero.clone(); part.dim()];
                v[p] = like.cst(1.0);
                v
            })
            .collect(),
        Kind::Std(_) => {
            let refi = refinement(part, kind).expect("std needs n_a >= 2");
            let fine = &refi.fine;
            let mut dirs = Vec::new();
            for group in refi.groups() {
                // Weighted Helmert: v_j = sum_{i<j} w_j e_i - (sum_{i<j} w_i) e_j.
                for j in 1..group.len() {
                    let mut v = vec![zero.clone(); fine.dim()];
                    let wj = fine.weight(like, fine.params()[group[j]]);
                    let mut acc = zero.clone();
                    for &qi in &group[..j] {
                        v[qi] = wj.clone();
                        acc = acc + fine.weight(like, fine.params()[qi]);
                    }
                    v[group[j]] = -acc;
                    dirs.push(v);
                }
            }
            dirs
        }
        Kind::Two(a) | Kind::OneOne(a) => {
            let refi = refinement(part, kind).expect("needs n_a >= 3");
            let fine = &refi.fine;
            let (p, q) = (part.r(), part.r() + 1);
            let na = part.sizes()[a];
            let mut v = vec![zero.clone(); fine.dim()];
            let mut set = |param: Param, x: S| {
                v[fine.index(param).expect("parameter of the refinement")] = x;
            };
            if kind == Kind::OneOne(a) {
                set(Param::X(p, q), like.cst(na - 2.0));
                set(Param::X(q, p), like.cst(-(na - 2.0)));
                set(Param::X(a, p), like.cst(1.0));
                set(Param::X(p, a), like.cst(-1.0));
                set(Param::X(a, q), like.cst(-1.0));
                set(Param::X(q, a), like.cst(1.0));
            } else {
                let s = like.cst(na - 2.0) * like.cst(na - 3.0);
                set(Param::X(p, q), s.clone());
                set(Param::X(q, p), s);
                for x in [
                    Param::X(a, p),
                    Param::X(p, a),
                    Param::X(a, q),
                    Param::X(q, a),
                ] {
                    set(x, like.cst(-(na - 3.0)));
                }
                set(Param::O(a), like.cst(2.0));
            }
            vec![v]
        }
        Kind::StdStd(a, b) => {
            let refi = refinement(part, kind).expect("needs n_a, n_b >= 2");
            let fine = &refi.fine;
            let (p, q) = (part.r(), part.r() + 1);
            let (ha, hb) = (part.sizes()[a] - 1.0, part.sizes()[b] - 1.0);
            // h_a = (1 on a', -(n_a - 1) on p), likewise h_b on (b', q).
            let mut dirs = Vec::new();
            for (x, y, hx, hy, px, py) in [(a, b, ha, hb, p, q), (b, a, hb, ha, q, p)] {
                let mut v = vec![zero.clone(); fine.dim()];
                let mut set = |param: Param, val: S| {
                    v[fine.index(param).expect("parameter of the refinement")] = val;
                };
                set(Param::X(x, y), like.cst(1.0));
                set(Param::X(x, py), like.cst(-hy));
                set(Param::X(px, y), like.cst(-hx));
                set(Param::X(px, py), like.cst(hx) * like.cst(hy));
                dirs.push(v);
            }
            dirs
        }
    }
}

/// The component's directions normalised in the Frobenius metric of the fine fixed space.
pub fn directions<S: Scalar>(part: &Partition, kind: Kind, like: &S) -> SResult<Vec<Vec<S>>> {
    let fine = match refinement(part, kind) {
        Some(r) => r.fine,
        None => part.clone(),
    };
    let w = fine.weights(like);
    raw_directions(part, kind, like)
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

/// The component's block: second directional derivatives of the refined reduced loss at
/// the embedded point, along the normalised directions (see the module contract).
pub fn block<S: Scalar>(part: &Partition, theta: &[S], kind: Kind) -> SResult<Mat<S>> {
    let like = &theta[0];
    let dirs = directions(part, kind, like)?;
    let (fine, point) = match refinement(part, kind) {
        Some(r) => {
            let p = r.embed(theta);
            (r.fine, p)
        }
        None => (part.clone(), theta.to_vec()),
    };
    Ok(reduced::directional_hessian(&fine, &point, &dirs)?.hessian_matrix())
}

/// All components with their blocks at `theta`.
pub fn blocks<S: Scalar>(part: &Partition, theta: &[S]) -> SResult<Vec<(Component, Mat<S>)>> {
    let comps = components(part).expect("component blocks need integer block sizes");
    comps
        .into_iter()
        .map(|c| block(part, theta, c.kind).map(|b| (c, b)))
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
