//! The admissible axial types from the subgroup lattice, Young and non-Young (docs/arcs.md,
//! "Non-Young types").
//!
//! **Contract.** For a component on block `a` (`std`, `[n-2,2]`, `[n-2,1,1]`, `n = n_a`),
//! [`lattice_types`] lists the types `K = S_{n-k} x H`, `k <= 5`, of
//! `crate::symmetry::permgroup::axial::axial_subgroups` (exact: `dim Fix_rho(K) = 1` from
//! characters and `K` the isotropy of its line), as arc axes:
//! - a Young `H` (a product of symmetric groups on its orbits) becomes the Young split of
//!   the block into `n - k` and the orbit sizes, handled by `directions` as before;
//! - a non-Young `H` splits `k` single points off the block and ties the parameters of the
//!   refined Young space into `H`-orbits ([`crate::arcs::space::FixSpace::tied`]).
//!
//! The list does not depend on `n` once `n >= 11` (the large-d list: `std` and `[n-2,2]`
//! `S_{n-k} x S_k`; `[n-2,1,1]` six Young types and `S_{n-3} x Z_3`, `S_{n-4} x Z_4`), so
//! the work is independent of d. For a non-Young type the direction is the eigenvector of
//! the Hessian restricted to `Fix(K)` ([`eigenline`]) whose eigenvalue is the component's
//! `lambda_j`: `Fix(K)` meets the `lambda_j`-copy of `rho` in a line, and `Fix(K)` is an
//! invariant subspace of the Hessian.

use crate::arcs::space::FixSpace;
use crate::arcs::trace::Space;
use crate::arith::{Mpfr, Scalar};
use crate::linalg;
use crate::model::partition::{Partition, Refinement};
use crate::symmetry::components::{Axis, Kind};
use crate::symmetry::permgroup::axial::{axial_subgroups, Irrep};
use crate::symmetry::permgroup::{symmetric_elements, PermGroup};

/// Exact: the largest number of points split off by a lattice type.
pub const MAX_SPLIT: usize = 5;

/// Exact: a non-Young part `H`: the group on the split-off blocks of the refined partition.
#[derive(Clone, Debug, PartialEq)]
pub struct NonYoung {
    /// Exact: `H` on the split-off points `0..k` (canonical representative).
    pub h: PermGroup,
    /// Exact: the fixed space `Fix(Δ(S_{n-k} x H))`.
    pub space: FixSpace,
    /// Exact: the name of `K`, e.g. `S_{n-3} x Z_3`.
    pub name: String,
}

/// Exact: an arc axis, Young (`non_young = None`) or not.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeAxis {
    /// Exact: the component and its Young split (for a non-Young type, `k` points of size 1).
    pub axis: Axis,
    /// Exact: the non-Young part, if any.
    pub non_young: Option<NonYoung>,
}

impl From<Axis> for TypeAxis {
    fn from(axis: Axis) -> TypeAxis {
        TypeAxis {
            axis,
            non_young: None,
        }
    }
}

/// Exact: the lattice types of a component (module contract); the canonical axis alone for
/// trivial and `std x std`, and for a block too small for the lattice list (`n < 4`).
pub fn lattice_types(part: &Partition, kind: Kind) -> Vec<TypeAxis> {
    let blocks = kind.blocks();
    let (Some(rho), [a]) = (Irrep::of_kind(kind), blocks.as_slice()) else {
        return vec![Axis::canonical(part, kind).into()];
    };
    let a = *a;
    let Some(n) = part.int_size(a).filter(|&n| n >= 4) else {
        return vec![Axis::canonical(part, kind).into()];
    };
    let n_f = part.sizes()[a];
    let mut out = Vec::new();
    for t in axial_subgroups(n as u128, rho, MAX_SPLIT) {
        if t.k == 0 {
            continue;
        }
        let k = t.k;
        if t.young {
            let mut parts: Vec<f64> = t.h.orbits().iter().map(|o| o.len() as f64).collect();
            parts.sort_by(|x, y| y.total_cmp(x));
            parts.insert(0, n_f - k as f64);
            out.push(
                Axis {
                    kind,
                    splits: vec![(a, parts)],
                }
                .into(),
            );
            continue;
        }
        let mut parts = vec![n_f - k as f64];
        parts.extend(std::iter::repeat_n(1.0, k));
        let axis = Axis {
            kind,
            splits: vec![(a, parts.clone())],
        };
        let Some(refi) = Refinement::split(part, a, &parts) else {
            continue;
        };
        // The split-off points are the blocks r, r+1, ..., r+k-1 of the refined partition.
        let r = part.r();
        let perms: Vec<Vec<usize>> =
            t.h.generators()
                .iter()
                .map(|g| {
                    (0..refi.fine.r())
                        .map(|b| if b >= r { r + g.image(b - r) } else { b })
                        .collect()
                })
                .collect();
        let Ok(space) = FixSpace::tied(refi.fine, &perms, t.generators.clone()) else {
            continue;
        };
        out.push(TypeAxis {
            axis,
            non_young: Some(NonYoung {
                name: non_young_name(part, a, k, &t.h),
                h: t.h,
                space,
            }),
        });
    }
    if out.is_empty() {
        out.push(Axis::canonical(part, kind).into());
    }
    out
}

/// Exact: the name of `Δ(Y x H)`: the coarse blocks as `S_n`, block `a` as
/// `S_{n_a - k} x H`, e.g. `Δ(S_996 x Z_3 x S_1)`.
fn non_young_name(part: &Partition, a: usize, k: usize, h: &PermGroup) -> String {
    let blocks: Vec<String> = part
        .sizes()
        .iter()
        .enumerate()
        .map(|(b, &n)| {
            if b == a {
                format!(
                    "S_{} x {}",
                    crate::model::partition::format_size(n - k as f64),
                    h.name()
                )
            } else {
                format!("S_{}", crate::model::partition::format_size(n))
            }
        })
        .collect();
    format!("Δ({})", blocks.join(" x "))
}

/// Approximate: the unit (Frobenius) eigenvector, in the coordinates of `space`, of the
/// Hessian restricted to `Fix(K)` at `phi_c` whose eigenvalue is nearest `lambda`, if that
/// eigenvalue is within `1e-8 (1 + |lambda|)` of `lambda` and no other is within
/// `1e-6 (1 + |lambda|)` (the line is then `Fix(K) ∩ E_lambda`, see the module contract).
pub fn eigenline(space: &FixSpace, phi_c: &[Mpfr], lambda: f64) -> Option<Vec<Mpfr>> {
    let like = phi_c[0].clone();
    let jet = Space::<Mpfr>::jet(space, phi_c).ok()?;
    let w = space.weights(&like);
    let sq: Vec<Mpfr> = w
        .iter()
        .map(|x| x.clone().try_sqrt())
        .collect::<Result<_, _>>()
        .ok()?;
    let m = space.dim();
    let mat: Vec<Vec<Mpfr>> = (0..m)
        .map(|i| {
            (0..m)
                .map(|j| jet.hess(i, j).try_div(sq[i].clone() * sq[j].clone()))
                .collect::<Result<_, _>>()
        })
        .collect::<Result<_, _>>()
        .ok()?;
    let (vals, vecs) = linalg::jacobi_eigen(&mat).ok()?;
    let dist: Vec<f64> = vals
        .iter()
        .map(|v| (v.approx_f64() - lambda).abs())
        .collect();
    let best = (0..m).min_by(|&a, &b| dist[a].total_cmp(&dist[b]))?;
    let scale = 1.0 + lambda.abs();
    if dist[best] > 1e-8 * scale {
        return None;
    }
    if (0..m).any(|k| k != best && dist[k] < 1e-6 * scale) {
        return None;
    }
    // x = N^{1/2} u is a unit eigenvector; sign: largest entry positive.
    let mut u: Vec<Mpfr> = (0..m)
        .map(|i| vecs[i][best].clone().try_div(sq[i].clone()))
        .collect::<Result<_, _>>()
        .ok()?;
    let big = (0..m).max_by(|&a, &b| {
        (vecs[a][best].approx_f64().abs()).total_cmp(&vecs[b][best].approx_f64().abs())
    })?;
    if vecs[big][best].approx_f64() < 0.0 {
        u = u.into_iter().map(|x| -x).collect();
    }
    Some(u)
}

/// Approximate: whether some permutation of the `k` split-off points maps the direction `u`
/// (reduced coordinates of the refined Young space) to `-u` to within `1e-9` (then `u` and
/// `-u` leave along mirror-image arcs, reported once). The test is decisive for an axial
/// `u`: a permutation `g` either normalises `K`, and then maps the line `Fix(K) ∩ E` to
/// itself, so `g u = ±u` exactly, or maps it to the line of a conjugate of `K` (a finite set
/// of other lines, each at a positive distance from `±u`: `g u = -u` would put `g` in the
/// normaliser); the float direction is accurate to far better than `1e-9`.
pub fn mirror(fine: &Partition, r: usize, k: usize, u: &[f64]) -> bool {
    use crate::model::partition::Param;
    let scale = u.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    symmetric_elements(k).iter().any(|g| {
        let blocks: Vec<usize> = (0..fine.r())
            .map(|b| if b >= r { r + g.image(b - r) } else { b })
            .collect();
        fine.params().iter().enumerate().all(|(p, &param)| {
            let image = match param {
                Param::D(a) => Param::D(blocks[a]),
                Param::O(a) => Param::O(blocks[a]),
                Param::X(a, b) => Param::X(blocks[a], blocks[b]),
            };
            let q = fine.index(image).expect("parameters map to parameters");
            (u[q] + u[p]).abs() <= 1e-9 * scale
        })
    })
}
