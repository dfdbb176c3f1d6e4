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

/// Exact: the lattice types of a component and what the list leaves out.
#[derive(Clone, Debug, PartialEq)]
pub struct LatticeTypes {
    /// Exact: the types listed ([`lattice_types`]).
    pub types: Vec<TypeAxis>,
    /// Exact: why the list is not every axial type with at most [`MAX_SPLIT`] points split
    /// off the block (empty when it is).
    pub incomplete: Vec<String>,
}

/// Exact: the lattice types of a component (module contract); the canonical axis alone for
/// trivial and `std x std`, and for a block too small for the lattice list (`n < 4`).
pub fn lattice_types(part: &Partition, kind: Kind) -> Vec<TypeAxis> {
    lattice_listing(part, kind).types
}

/// Exact: [`lattice_types`] with the reasons the list is not every axial type with at most
/// [`MAX_SPLIT`] points split off: `std x std` (only its canonical axis), a block that is
/// not an integer of size at least 4, a block smaller than `2 MAX_SPLIT` (then
/// `axial_subgroups` stops at the `k` with `n - k < max(k, 2)`, and the types whose
/// split-off points outnumber the rest are not enumerated), or a type whose fixed space
/// could not be built. The trivial component has one line, its canonical axis: complete.
pub fn lattice_listing(part: &Partition, kind: Kind) -> LatticeTypes {
    let canonical = |why: Option<String>| LatticeTypes {
        types: vec![Axis::canonical(part, kind).into()],
        incomplete: why.into_iter().collect(),
    };
    let blocks = kind.blocks();
    if kind == Kind::Trivial {
        return canonical(None);
    }
    let (Some(rho), [a]) = (Irrep::of_kind(kind), blocks.as_slice()) else {
        return canonical(Some(format!(
            "{}: only the canonical axis is enumerated (the lattice list covers one-block components)",
            kind.label()
        )));
    };
    let a = *a;
    let Some(n) = part.int_size(a).filter(|&n| n >= 4) else {
        return canonical(Some(format!(
            "{}: the block is not an integer of size at least 4, only the canonical axis is enumerated",
            kind.label()
        )));
    };
    let mut incomplete = Vec::new();
    if (n as u128) < 2 * MAX_SPLIT as u128 {
        incomplete.push(format!(
            "{}: the block has n = {n} < {}: the types with more points split off than left on the block (n - k < max(k, 2), k <= {MAX_SPLIT}) are not enumerated",
            kind.label(),
            2 * MAX_SPLIT
        ));
    }
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
        let name = non_young_name(part, a, k, &t.h);
        let Some(refi) = Refinement::split(part, a, &parts) else {
            incomplete.push(format!("{name}: the refined partition could not be built"));
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
        let space = match FixSpace::tied(refi.fine, &perms, t.generators.clone()) {
            Ok(space) => space,
            Err(e) => {
                incomplete.push(format!("{name}: its fixed space could not be built ({e})"));
                continue;
            }
        };
        out.push(TypeAxis {
            axis,
            non_young: Some(NonYoung {
                name,
                h: t.h,
                space,
            }),
        });
    }
    if out.is_empty() {
        out.push(Axis::canonical(part, kind).into());
    }
    LatticeTypes {
        types: out,
        incomplete,
    }
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
/// Hessian restricted to `Fix(K)` at `phi_c` whose eigenvalue is nearest `lambda`. It only
/// centres the proof of the eigenline (`crate::arcs::leading::certify_leading`), which
/// decides with enclosures whether the line is `Fix(K) ∩ E_lambda`: no float gap decides
/// anything here (the gaps between eigenvalues inside `Fix(K)` shrink like `d^{-1/2}`).
/// `Err` only when the float computation itself fails (non-smooth centre, no eigenvectors).
pub fn eigenline(space: &FixSpace, phi_c: &[Mpfr], lambda: f64) -> Result<Vec<Mpfr>, String> {
    let like = phi_c[0].clone();
    let jet = Space::<Mpfr>::jet(space, phi_c)
        .map_err(|_| "the Hessian inside Fix(K) is not smooth at the centre".to_string())?;
    let w = space.weights(&like);
    let sq: Vec<Mpfr> = w
        .iter()
        .map(|x| x.clone().try_sqrt())
        .collect::<Result<_, _>>()
        .map_err(|_| "a weight of Fix(K) is not positive".to_string())?;
    let m = space.dim();
    let mat: Vec<Vec<Mpfr>> = (0..m)
        .map(|i| {
            (0..m)
                .map(|j| jet.hess(i, j).try_div(sq[i].clone() * sq[j].clone()))
                .collect::<Result<_, _>>()
        })
        .collect::<Result<_, _>>()
        .map_err(|_| "a weight of Fix(K) is not positive".to_string())?;
    let (vals, vecs) = linalg::jacobi_eigen(&mat)
        .map_err(|e| format!("the float eigen-decomposition inside Fix(K) failed: {e}"))?;
    let dist: Vec<f64> = vals
        .iter()
        .map(|v| (v.approx_f64() - lambda).abs())
        .collect();
    let best = (0..m)
        .min_by(|&a, &b| dist[a].total_cmp(&dist[b]))
        .ok_or_else(|| "Fix(K) has dimension 0".to_string())?;
    // x = N^{1/2} u is a unit eigenvector; sign: largest entry positive.
    let mut u: Vec<Mpfr> = (0..m)
        .map(|i| vecs[i][best].clone().try_div(sq[i].clone()))
        .collect::<Result<_, _>>()
        .map_err(|_| "a weight of Fix(K) is not positive".to_string())?;
    let big = (0..m)
        .max_by(|&a, &b| {
            (vecs[a][best].approx_f64().abs()).total_cmp(&vecs[b][best].approx_f64().abs())
        })
        .ok_or_else(|| "Fix(K) has dimension 0".to_string())?;
    if vecs[big][best].approx_f64() < 0.0 {
        u = u.into_iter().map(|x| -x).collect();
    }
    Ok(u)
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
