//! The admissible Young arc types at a certified critical point: directions, leading
//! terms, predictions.
//!
//! For each isotypic component, each axial Young refinement `K` in the enumeration (see
//! [`axes`]), each eigenvalue of the component block and each sign, the direction
//! `u = ± sum_k Y_kj l_k` where `l_k` are the component's normalised lines on the axis
//! (images of the axial seed under fixed intertwiners, `crate::symmetry::components`) and
//! `Y_j` the j-th eigenvector of the block (approximate, MPFR). Sign convention: `+` is
//! the direction along which `D^3 L[u,u,u] > 0` when that is certified; otherwise the
//! eigenvector's largest entry is positive. `u` lies in `Fix(ΔK)` and is a unit eigenvector of the
//! Hessian; by the equivariant branching lemma it is a critical direction of every
//! invariant form on the eigenspace, so a tangency arc leaves along it.
//!
//! Leading term: `D^3 L(c)[u,u,u]`, **enclosed** with Taylor arithmetic in intervals on
//! the line `c + t u` inside `Fix(ΔK)` (c ranging over its certified box). It vanishes
//! identically when the seed's negative is in its orbit (then `u` and `-u` are mirror
//! images, reported once as a mirror pair) and on `[n-2,1,1]` (no invariant cubic,
//! docs/arcs.md); then the quartic `D^4 L(c)[u,u,u,u]` is enclosed instead. On `std`
//! the invariant cubic is unique up to scale (the power sum `p3` of the seed), so for
//! the split `(n1, n2)` it equals `kappa_j p3(v/|v|)` with `kappa_j` enclosed once on the
//! canonical split; `tests/arcs.rs` checks this against direct Taylor enclosures.
//!
//! Prediction (approximate, from the leading order): an arc from the smallest eigenvalue
//! is minimizing iff `u` is a local minimum of the leading form on the eigenspace sphere;
//! for `std` those are the splits with a part of size 1 and negative cubic; for a
//! one-dimensional eigenspace every direction. Mirror for the largest eigenvalue; every
//! other arc is a saddle of `L` on the spheres. Where theory here gives no answer
//! (`n-2,2`, `n-2,1,1`, `std x std` at an extreme eigenvalue) the prediction is left to
//! the traced arc.

use crate::arcs::lattice::{self, TypeAxis};
use crate::arcs::leading::{certify_leading, CertifiedLeading, LeadingFailure};
use crate::arcs::space::FixSpace;
use crate::arith::{Interval, Mpfr, Scalar, Taylor};
use crate::linalg;
use crate::model::partition::Partition;
use crate::model::reduced;
use crate::prove::Certificate;
use crate::symmetry::components::{self, Axis, Kind};

/// The sign of a direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// `+u`.
    Plus,
    /// `-u`.
    Minus,
}

impl Sign {
    /// Exact: `+` or `-`.
    pub fn symbol(self) -> &'static str {
        match self {
            Sign::Plus => "+",
            Sign::Minus => "-",
        }
    }
    fn factor(self) -> f64 {
        match self {
            Sign::Plus => 1.0,
            Sign::Minus => -1.0,
        }
    }
}

/// Where an eigenvalue sits in the whole spectrum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extreme {
    /// The certified smallest eigenvalue.
    Smallest,
    /// The certified largest eigenvalue.
    Largest,
    /// Neither (or not certified separated).
    Neither,
}

/// The leading term along a direction.
#[derive(Clone, Debug)]
pub enum Leading {
    /// Encloses: `D^3 L(c)[u,u,u]`, certainly nonzero.
    Cubic(Interval),
    /// Encloses: `D^4 L(c)[u,u,u,u]` (the cubic vanishes identically by symmetry).
    Quartic(Interval),
    /// Encloses: the cubic, whose enclosure contains 0 although no symmetry forces it.
    Undetermined(Interval),
}

impl Leading {
    /// Exact: `cubic`, `quartic` or `undetermined`.
    pub fn name(&self) -> &'static str {
        match self {
            Leading::Cubic(_) => "cubic",
            Leading::Quartic(_) => "quartic",
            Leading::Undetermined(_) => "undetermined",
        }
    }
    /// Encloses: the coefficient.
    pub fn value(&self) -> &Interval {
        match self {
            Leading::Cubic(x) | Leading::Quartic(x) | Leading::Undetermined(x) => x,
        }
    }
}

/// The type of an arc on the spheres around c.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArcType {
    /// Local minimum of L on each sphere.
    Min,
    /// Local maximum of L on each sphere.
    Max,
    /// A saddle of L on the spheres.
    Saddle,
    /// Not decided.
    Inconclusive,
}

impl std::fmt::Display for ArcType {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for ArcType {
    type Err = String;
    /// Exact: the inverse of [`ArcType::name`].
    fn from_str(s: &str) -> Result<Self, String> {
        [
            ArcType::Min,
            ArcType::Max,
            ArcType::Saddle,
            ArcType::Inconclusive,
        ]
        .into_iter()
        .find(|t| t.name() == s)
        .ok_or_else(|| format!("unknown type '{s}' (min, max, saddle, inconclusive)"))
    }
}

impl ArcType {
    /// Exact: `min`, `max`, `saddle`, `inconclusive`.
    pub fn name(self) -> &'static str {
        match self {
            ArcType::Min => "min",
            ArcType::Max => "max",
            ArcType::Saddle => "saddle",
            ArcType::Inconclusive => "inconclusive",
        }
    }
}

/// One admissible arc direction.
#[derive(Clone, Debug)]
pub struct ArcDirection {
    /// The component and axial split.
    pub axis: Axis,
    /// Which eigenvalue of the component block (0 = smallest).
    pub index: usize,
    /// The sign.
    pub sign: Sign,
    /// Whether `-u` is a symmetric image of `u` (the pair is reported once).
    pub mirror_pair: bool,
    /// Exact: the fixed space `Fix(K)` of the arc (`space.fine` the refined Young
    /// partition; tied coordinates for a non-Young type).
    pub space: FixSpace,
    /// Exact: for a non-Young type, the name of `K` (e.g. `Δ(S_996 x Z_3 x S_1)`).
    pub non_young: Option<String>,
    /// Approximate: the unit direction in the reduced coordinates of `space.fine`.
    pub u: Vec<Mpfr>,
    /// Encloses: the eigenvalue.
    pub lambda: Interval,
    /// Where the eigenvalue sits.
    pub extreme: Extreme,
    /// The leading term.
    pub leading: Leading,
    /// Approximate: the predicted type (`None`: left to the traced arc).
    pub predicted: Option<ArcType>,
    /// Approximate: for quartic-leading directions, the effective quartic coefficient
    /// (the midpoint of the certified one when that is proved, else [`effective_quartic`]).
    pub effective_quartic: Option<f64>,
    /// Encloses: the leading coefficient along the true eigenline (cubic, or the effective
    /// quartic where the cubic vanishes by symmetry), or why it was not certified
    /// (`crate::arcs::leading`).
    pub certified_leading: Result<CertifiedLeading, LeadingFailure>,
}

impl ArcDirection {
    /// Exact: the isotropy as printed: `[997,1,1,1]` (the refined partition) for a Young
    /// type, followed by `x <generators of H>` for a non-Young one.
    pub fn isotropy_label(&self) -> String {
        let young = format!("[{}]", self.space.fine.label());
        if self.space.h_generators.is_empty() {
            young
        } else {
            format!("{young} x <{}>", self.space.h_generators.join(", "))
        }
    }
}

/// Exact: the axial Young refinements enumerated for a component. Default (`all = false`):
/// every two-part split `(n - p, p)`, `p <= n/2`, for std; `(n-2, 2)` for `n-2,2`;
/// `(n-2, 1, 1)` for `n-2,1,1`; both blocks split `(n-1, 1)` for std x std. With
/// `all`: every axial Young subgroup (two-part splits with both parts >= 2 for `n-2,2`,
/// every three-part split for `n-2,1,1`, all pairs of two-part splits for std x std).
pub fn axes(part: &Partition, kind: Kind, all: bool) -> Vec<Axis> {
    let n = part.sizes();
    let two = |a: usize, min: usize| -> Vec<Vec<f64>> {
        let na = n[a] as usize;
        (min..=na / 2)
            .filter(|&p| na - p >= min)
            .map(|p| vec![(na - p) as f64, p as f64])
            .collect()
    };
    let mk = |splits: Vec<(usize, Vec<f64>)>| Axis { kind, splits };
    match kind {
        Kind::Trivial => vec![mk(vec![])],
        Kind::Std(a) => two(a, 1).into_iter().map(|s| mk(vec![(a, s)])).collect(),
        Kind::Two(a) if all => two(a, 2).into_iter().map(|s| mk(vec![(a, s)])).collect(),
        Kind::OneOne(a) if all => {
            let na = n[a] as usize;
            let mut out = Vec::new();
            for n3 in 1..=na / 3 {
                for n2 in n3..=(na - n3) / 2 {
                    let n1 = na - n2 - n3;
                    if n1 >= n2 {
                        out.push(mk(vec![(a, vec![n1 as f64, n2 as f64, n3 as f64])]));
                    }
                }
            }
            out
        }
        Kind::StdStd(a, b) if all => {
            let mut out = Vec::new();
            for sa in two(a, 1) {
                for sb in two(b, 1) {
                    out.push(mk(vec![(a, sa.clone()), (b, sb)]));
                }
            }
            out
        }
        _ => vec![Axis::canonical(part, kind)],
    }
}

/// Exact: how many axes [`axes`] would enumerate, without building them (the count grows
/// with d for std and with `all`; [`axes`] is only called once the count is accepted).
pub fn axes_count(part: &Partition, kind: Kind, all: bool) -> u128 {
    let n = |a: usize| part.int_size(a).unwrap_or(0).max(0) as u128;
    let two = |a: usize, min: u128| -> u128 {
        let na = n(a);
        if na < 2 * min {
            0
        } else {
            na / 2 - min + 1
        }
    };
    match kind {
        Kind::Trivial => 1,
        Kind::Std(a) => two(a, 1),
        Kind::Two(a) if all => two(a, 2),
        Kind::OneOne(a) if all => {
            // Partitions of n into three parts n1 >= n2 >= n3 >= 1: round(n^2 / 12).
            let na = n(a);
            (na * na + 6) / 12
        }
        Kind::StdStd(a, b) if all => two(a, 1) * two(b, 1),
        _ => 1,
    }
}

/// Exact: the axes searched for minimizing and maximizing arcs (a number independent of
/// d): every lattice type of the component, Young and non-Young, with at most 5 points
/// split off (`crate::arcs::lattice::lattice_types`); the canonical axis for trivial and
/// std x std.
pub fn extreme_axes(part: &Partition, kind: Kind) -> Vec<TypeAxis> {
    lattice::lattice_types(part, kind)
}

/// Exact: the components holding a separated smallest or largest eigenvalue (the only ones
/// with minimizing or maximizing arc candidates).
pub fn extreme_kinds(cert: &Certificate) -> Vec<Kind> {
    let p = &cert.proof;
    let mut out = Vec::new();
    if p.min_eigenvalue.separated {
        out.push(p.min_eigenvalue.kind);
    }
    let all: Vec<(Kind, &Interval)> = p
        .components
        .iter()
        .flat_map(|c| c.eigenvalues.iter().map(move |e| (c.component.kind, e)))
        .collect();
    if let Some((k, top)) = all.iter().max_by(|a, b| a.1.hi().total_cmp(b.1.hi())) {
        let separated = all
            .iter()
            .filter(|(_, e)| !std::ptr::eq(*e, *top))
            .all(|(_, e)| e.hi() < top.lo());
        if separated && !out.contains(k) {
            out.push(*k);
        }
    }
    out
}

/// Encloses: the k-th derivative of the reduced loss of `fine` along `c + t u` at `t = 0`,
/// for every `c` in the box.
pub fn directional_derivative(
    fine: &Partition,
    c_box: &[Interval],
    u: &[Mpfr],
    k: usize,
) -> Option<Interval> {
    let prec = c_box[0].precision();
    let u: Vec<Interval> = u
        .iter()
        .map(|x| Interval::from_float(prec, &x.0).expect("finite"))
        .collect();
    crate::arcs::leading::derivative_along(fine, c_box, &u, k)
}

/// Encloses: `p3(v/|v|)` for the std seed of the split `(n1, n2)`:
/// `n1 n2 (n2^2 - n1^2) / (n1 n2 (n1 + n2))^{3/2}`.
fn std_p3(prec: u32, n1: f64, n2: f64) -> Interval {
    let i = |x: f64| Interval::point(prec, x);
    let num = i(n1) * i(n2) * (i(n2) - i(n1)) * (i(n2) + i(n1));
    let norm2 = i(n1) * i(n2) * (i(n1) + i(n2));
    let norm = norm2.clone().try_sqrt().expect("positive");
    num.try_div(norm2 * norm).expect("positive")
}

/// The critical point the arcs leave from.
pub struct Base<'a> {
    /// Its certificate.
    pub cert: &'a Certificate,
    /// Approximate: its center as MPFR floats (layout order).
    pub theta_c: Vec<Mpfr>,
    /// Encloses: the box known to contain it (`K(X)` of its Krawczyk proof).
    pub c_box: Vec<Interval>,
}

impl<'a> Base<'a> {
    /// Exact: the base of a certificate (`Option` for API stability; the centre is exact
    /// decimal data, so it is always `Some`).
    pub fn new(cert: &'a Certificate) -> Option<Self> {
        let prec = cert.prec;
        let theta_c = cert
            .center
            .iter()
            .map(|c| Mpfr(rug::Float::with_val(prec, c.value())))
            .collect();
        Some(Base {
            cert,
            theta_c,
            c_box: cert.proof.krawczyk_box.clone(),
        })
    }
}

/// Approximate (the directions) with enclosed leading terms: every admissible direction at
/// the base (see the module doc).
pub fn enumerate(base: &Base, all_axial: bool) -> Vec<ArcDirection> {
    enumerate_with_progress(base, all_axial, &|_, _| {})
}

/// Approximate, as [`enumerate`], with `progress` as in [`enumerate_on_with_progress`].
pub fn enumerate_with_progress(
    base: &Base,
    all_axial: bool,
    progress: &dyn Fn(usize, usize),
) -> Vec<ArcDirection> {
    let part = &base.cert.partition;
    enumerate_on_with_progress(base, &|kind| default_types(part, kind, all_axial), progress)
}

/// Exact: the types enumerated by default: the Young [`axes`], then every lattice type
/// (`crate::arcs::lattice`, at most 5 points split off, Young and non-Young) not already
/// among them.
pub fn default_types(part: &Partition, kind: Kind, all_axial: bool) -> Vec<TypeAxis> {
    let mut out: Vec<TypeAxis> = axes(part, kind, all_axial)
        .into_iter()
        .map(TypeAxis::from)
        .collect();
    for t in lattice::lattice_types(part, kind) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Exact: an arc type of the enumeration for which no direction could be built (so none is
/// listed), and why. It is reported, never silently dropped.
#[derive(Clone, Debug, PartialEq)]
pub struct Omitted {
    /// Exact: the component and axial split.
    pub axis: Axis,
    /// Exact: for a non-Young type, the name of `K`.
    pub non_young: Option<String>,
    /// Exact: which eigenvalue of the component block (0 = smallest).
    pub index: usize,
    /// Where the eigenvalue sits.
    pub extreme: Extreme,
    /// Exact: why no direction was built.
    pub reason: String,
}

impl Omitted {
    /// Exact: the isotropy's name, as [`isotropy`] names a listed direction's.
    pub fn name(&self) -> String {
        self.non_young.clone().unwrap_or_else(|| {
            let sizes: Vec<String> = self
                .axis
                .splits
                .iter()
                .flat_map(|(_, parts)| parts.iter().map(|p| format!("S_{p}")))
                .collect();
            format!("{} split {}", self.axis.kind.label(), sizes.join(" x "))
        })
    }
}

/// Approximate (the directions) with enclosed leading terms: what [`enumerate_listing`]
/// enumerates.
#[derive(Clone, Debug)]
pub struct Enumeration {
    /// The directions built.
    pub directions: Vec<ArcDirection>,
    /// Exact: the types (with their eigenvalue) for which no direction was built, and why.
    pub omitted: Vec<Omitted>,
}

/// Approximate (the directions) with enclosed leading terms: the directions on the axes
/// `axes_of(kind)` of each component (components with no axis are skipped). `verify`
/// uses it to re-derive one stored arc's direction. [`enumerate_listing`] also says which
/// types yielded no direction.
pub fn enumerate_on(base: &Base, axes_of: &dyn Fn(Kind) -> Vec<TypeAxis>) -> Vec<ArcDirection> {
    enumerate_listing(base, axes_of, &|_, _| {}).directions
}

/// Approximate, as [`enumerate_on`], calling `progress(done, total)` after each axis (of
/// `total`, every component's axes together): a run with many types is visible while it
/// enumerates.
pub fn enumerate_on_with_progress(
    base: &Base,
    axes_of: &dyn Fn(Kind) -> Vec<TypeAxis>,
    progress: &dyn Fn(usize, usize),
) -> Vec<ArcDirection> {
    enumerate_listing(base, axes_of, progress).directions
}

/// Approximate (the directions) with enclosed leading terms: [`enumerate_on`], with the
/// types for which no direction could be built (a numerical failure: non-smooth line,
/// failed float eigen-decomposition) listed in [`Enumeration::omitted`] with the reason,
/// and `progress(done, total)` called after each axis.
/// No approximate test decides whether a type is listed: a type whose eigenline or
/// coefficient is not proved is listed with `certified_leading` an `Err` saying why.
pub fn enumerate_listing(
    base: &Base,
    axes_of: &dyn Fn(Kind) -> Vec<TypeAxis>,
    progress: &dyn Fn(usize, usize),
) -> Enumeration {
    let cert = base.cert;
    let part = &cert.partition;
    let prec = cert.prec;
    let min = &cert.proof.min_eigenvalue;
    // The largest eigenvalue and whether it is separated from all others.
    let all: Vec<(Kind, usize, &Interval)> = cert
        .proof
        .components
        .iter()
        .flat_map(|c| {
            c.eigenvalues
                .iter()
                .enumerate()
                .map(move |(j, e)| (c.component.kind, j, e))
        })
        .collect();
    let (max_kind, max_j, max_e) = *all
        .iter()
        .max_by(|a, b| a.2.hi().partial_cmp(b.2.hi()).expect("finite"))
        .expect("eigenvalues");
    let max_separated = all
        .iter()
        .filter(|(k, j, _)| !(*k == max_kind && *j == max_j))
        .all(|(_, _, e)| e.hi() < max_e.lo());
    // Every eigenvalue enclosure but the (kind, j)-th one: the separation of an eigenline
    // is decided against them (`certify_leading`).
    let others = |kind: Kind, j: usize| -> Vec<Interval> {
        all.iter()
            .filter(|(k, i, _)| !(*k == kind && *i == j))
            .map(|(_, _, e)| (*e).clone())
            .collect()
    };
    let extreme_of = |kind: Kind, j: usize| {
        if kind == min.kind && j == 0 && min.separated {
            Extreme::Smallest
        } else if kind == max_kind && j == max_j && max_separated {
            Extreme::Largest
        } else {
            Extreme::Neither
        }
    };
    let mut out = Vec::new();
    let mut omitted = Vec::new();
    let all_axes: Vec<Vec<TypeAxis>> = cert
        .proof
        .components
        .iter()
        .map(|c| axes_of(c.component.kind))
        .collect();
    let total: usize = all_axes.iter().map(Vec::len).sum();
    let mut done = 0;
    for (comp, comp_axes) in cert.proof.components.iter().zip(all_axes) {
        let kind = comp.component.kind;
        if comp_axes.is_empty() {
            continue;
        }
        let omit_all = |why: String, omitted: &mut Vec<Omitted>| {
            for t in &comp_axes {
                for j in 0..comp.eigenvalues.len() {
                    omitted.push(Omitted {
                        axis: t.axis.clone(),
                        non_young: t.non_young.as_ref().map(|ny| ny.name.clone()),
                        index: j,
                        extreme: extreme_of(kind, j),
                        reason: why.clone(),
                    });
                }
            }
        };
        let block = match components::block(part, &base.theta_c, kind) {
            Ok(b) => b,
            Err(e) => {
                omit_all(
                    format!("the component block is not smooth at the centre: {e}"),
                    &mut omitted,
                );
                done += comp_axes.len();
                progress(done, total);
                continue;
            }
        };
        let mut y = match linalg::jacobi_eigen(&block) {
            Ok((_, y)) => y,
            Err(e) => {
                omit_all(
                    format!("the float eigen-decomposition of the component block failed: {e}"),
                    &mut omitted,
                );
                done += comp_axes.len();
                progress(done, total);
                continue;
            }
        };
        let m = y.len();
        for j in 0..m {
            // sign convention: the largest entry of each eigenvector is positive
            let big = (0..m)
                .max_by(|&a, &b| {
                    y[a][j]
                        .approx_f64()
                        .abs()
                        .total_cmp(&y[b][j].approx_f64().abs())
                })
                .expect("nonempty");
            if y[big][j].approx_f64() < 0.0 {
                for row in y.iter_mut() {
                    row[j] = -row[j].clone();
                }
            }
        }
        let canonical = Axis::canonical(part, kind);
        let mut kappa: Vec<Option<Interval>> = vec![None; m];
        for type_axis in comp_axes {
            let axis = type_axis.axis.clone();
            let refine = axis.refinement(part);
            let fine = axis.fine(part);
            let embed = |x: &[Interval]| -> Vec<Interval> {
                match &refine {
                    Some(r) => r.embed(x),
                    None => x.to_vec(),
                }
            };
            let c_fine = embed(&base.c_box);
            let c_fine_mid: Vec<Mpfr> = match &refine {
                Some(r) => r.embed(&base.theta_c),
                None => base.theta_c.clone(),
            };
            let (space, lines) = match &type_axis.non_young {
                None => (
                    FixSpace::young(fine.clone()),
                    Some(components::lines(part, &axis, &base.theta_c[0]).expect("lines")),
                ),
                Some(ny) => (ny.space.clone(), None),
            };
            for j in 0..m {
                let lambda = comp.eigenvalues[j].clone();
                let extreme = extreme_of(kind, j);
                let omit = |why: String| Omitted {
                    axis: axis.clone(),
                    non_young: type_axis.non_young.as_ref().map(|ny| ny.name.clone()),
                    index: j,
                    extreme,
                    reason: why,
                };
                let (u, mirror_pair) = match &lines {
                    Some(lines) => (combine(&y, j, lines), axis.negation_symmetric()),
                    None => {
                        let phi_c = space.restrict(&c_fine_mid);
                        let u = match lattice::eigenline(&space, &phi_c, lambda.mid().to_f64()) {
                            Ok(u) => u,
                            Err(why) => {
                                omitted.push(omit(why));
                                continue;
                            }
                        };
                        let u = space.embed(&u);
                        let uf: Vec<f64> = u.iter().map(Scalar::approx_f64).collect();
                        let k = axis.splits[0].1.len() - 1;
                        let mirror = lattice::mirror(&fine, part.r(), k, &uf);
                        (u, mirror)
                    }
                };
                let structural_zero = mirror_pair || matches!(kind, Kind::OneOne(_));
                let leading = if structural_zero {
                    match directional_derivative(&fine, &c_fine, &u, 4) {
                        Some(q) => Leading::Quartic(q),
                        None => {
                            omitted.push(omit(
                                "the line c + t u touches the non-smooth set (D^4 L)".into(),
                            ));
                            continue;
                        }
                    }
                } else {
                    let young_std = type_axis.non_young.is_none() && axis != canonical;
                    let cubic = if let (Kind::Std(_), true) = (kind, young_std) {
                        // kappa_j p3(v/|v|), kappa_j from the canonical split
                        let kj = match &kappa[j] {
                            Some(k) => k.clone(),
                            None => {
                                let cu = canonical_cubic(base, part, &canonical, &y, j);
                                let n = part.sizes()[kind.blocks()[0]];
                                let k = cu
                                    .try_div(std_p3(prec, n - 1.0, 1.0))
                                    .expect("p3 of (n-1,1) is nonzero");
                                kappa[j] = Some(k.clone());
                                k
                            }
                        };
                        let parts = &axis.splits[0].1;
                        kj * std_p3(prec, parts[0], parts[1])
                    } else {
                        match directional_derivative(&fine, &c_fine, &u, 3) {
                            Some(c) => c,
                            None => {
                                omitted.push(omit(
                                    "the line c + t u touches the non-smooth set (D^3 L)".into(),
                                ));
                                continue;
                            }
                        }
                    };
                    if cubic.contains_zero() {
                        Leading::Undetermined(cubic)
                    } else {
                        Leading::Cubic(cubic)
                    }
                };
                // Sign convention: '+' is the direction along which the cubic term is
                // positive (when certified nonzero); otherwise the eigenvector's largest
                // entry is positive.
                let (u, leading) = match leading {
                    Leading::Cubic(c) if c.is_negative() => (
                        u.into_iter().map(|x| -x).collect::<Vec<_>>(),
                        Leading::Cubic(-c),
                    ),
                    other => (u, other),
                };
                let certified = certify_leading(
                    &space,
                    &space.restrict(&c_fine),
                    &space.restrict(&u),
                    &lambda,
                    &others(kind, j),
                    structural_zero,
                );
                let signs: &[Sign] = if mirror_pair {
                    &[Sign::Plus]
                } else {
                    &[Sign::Plus, Sign::Minus]
                };
                for &sign in signs {
                    let us: Vec<Mpfr> = u
                        .iter()
                        .map(|x| x.clone() * Mpfr::from_f64(prec, sign.factor()))
                        .collect();
                    let lead = match &leading {
                        Leading::Cubic(c) => Leading::Cubic(if sign == Sign::Minus {
                            -c.clone()
                        } else {
                            c.clone()
                        }),
                        Leading::Undetermined(c) => Leading::Undetermined(if sign == Sign::Minus {
                            -c.clone()
                        } else {
                            c.clone()
                        }),
                        q => q.clone(),
                    };
                    let predicted = predict(
                        kind,
                        &axis,
                        extreme,
                        &lead,
                        comp.component.dimension == 1,
                        type_axis.non_young.is_some(),
                    );
                    let certified_leading = certified.clone().map(|mut c| {
                        if sign == Sign::Minus && c.order == 3 {
                            c.coefficient = -c.coefficient;
                        }
                        c
                    });
                    let effective_quartic = match (&lead, &certified_leading) {
                        (Leading::Quartic(_), Ok(c)) => Some(c.coefficient.mid().to_f64()),
                        (Leading::Quartic(q), Err(_)) => effective_quartic(
                            &fine,
                            &c_fine_mid,
                            &us,
                            lambda.mid().to_f64(),
                            q.mid().to_f64(),
                        ),
                        _ => None,
                    };
                    out.push(ArcDirection {
                        effective_quartic,
                        axis: axis.clone(),
                        index: j,
                        sign,
                        mirror_pair,
                        space: space.clone(),
                        non_young: type_axis.non_young.as_ref().map(|ny| ny.name.clone()),
                        u: us,
                        lambda: lambda.clone(),
                        extreme,
                        leading: lead,
                        predicted,
                        certified_leading,
                    });
                }
            }
            done += 1;
            progress(done, total);
        }
    }
    Enumeration {
        directions: out,
        omitted,
    }
}

/// Encloses: the cubic coefficient along the j-th direction of the canonical axis.
fn canonical_cubic(
    base: &Base,
    part: &Partition,
    axis: &Axis,
    y: &[Vec<Mpfr>],
    j: usize,
) -> Interval {
    let fine = axis.fine(part);
    let c_fine = axis
        .refinement(part)
        .map(|r| r.embed(&base.c_box))
        .unwrap_or_else(|| base.c_box.clone());
    let lines = components::lines(part, axis, &base.theta_c[0]).expect("lines");
    let u = combine(y, j, &lines);
    directional_derivative(&fine, &c_fine, &u, 3).expect("smooth near the critical point")
}

/// Approximate: the direction `sum_k Y_kj l_k` (the j-th block eigenvector applied to the
/// component's lines).
fn combine(y: &[Vec<Mpfr>], j: usize, lines: &[Vec<Mpfr>]) -> Vec<Mpfr> {
    let dim = lines[0].len();
    (0..dim)
        .map(|q| {
            let mut acc = lines[0][q].cst(0.0);
            for (k, line) in lines.iter().enumerate() {
                acc.mul_add_assign_r(&y[k][j], &line[q]);
            }
            acc
        })
        .collect()
}

/// Approximate: the leading-order prediction (see the module doc).
fn predict(
    kind: Kind,
    axis: &Axis,
    extreme: Extreme,
    lead: &Leading,
    one_dim: bool,
    non_young: bool,
) -> Option<ArcType> {
    let (want, sign_ok): (ArcType, fn(&Interval) -> bool) = match extreme {
        Extreme::Neither => return Some(ArcType::Saddle),
        Extreme::Smallest => (ArcType::Min, |c: &Interval| c.is_negative()),
        Extreme::Largest => (ArcType::Max, |c: &Interval| c.is_positive()),
    };
    if one_dim || kind == Kind::Trivial {
        return Some(want);
    }
    if non_young {
        return None;
    }
    match (kind, lead) {
        (Kind::Std(_), Leading::Cubic(c)) => {
            let parts = &axis.splits[0].1;
            let single = parts.contains(&1.0);
            if single && sign_ok(c) {
                Some(want)
            } else {
                Some(ArcType::Saddle)
            }
        }
        _ => None,
    }
}

/// Approximate: the effective quartic coefficient of a direction `u` of `Fix(ΔK)` whose
/// cubic vanishes: the coefficient of `r^4` in `L(c + r u + r^2 w)` minimised over `w`
/// orthogonal to the eigenvalue's eigenspace,
/// `q = D^4L[u^4]/24 - (1/8) sum_k (D^3L[u,u,y_k])^2 / (lambda_k - lambda)`, where
/// `(lambda_k, y_k)` are the eigenpairs of the Hessian restricted to `Fix(ΔK)` (the only
/// ones that `D^3L[u,u,.]`, a K-invariant vector, can meet). `d4` is `D^4L[u^4]`.
pub fn effective_quartic(
    fine: &Partition,
    c: &[Mpfr],
    u: &[Mpfr],
    lambda: f64,
    d4: f64,
) -> Option<f64> {
    let n = fine.dim();
    let prec = c[0].prec();
    let w = fine.weights(&c[0]);
    let sqrt_w: Vec<Mpfr> = w
        .iter()
        .map(|x| x.clone().try_sqrt())
        .collect::<Result<_, _>>()
        .ok()?;
    let third = |v: &[Mpfr]| -> Option<Mpfr> {
        let line: Vec<Taylor<Mpfr>> = c
            .iter()
            .zip(v)
            .map(|(a, b)| Taylor::line(a.clone(), b.clone()))
            .collect();
        reduced::loss(fine, &line).ok().map(|t| t.derivative(3))
    };
    let c3 = |v: &[Mpfr]| third(v);
    // g_p = D^3L[u, u, e_p / sqrt(N_p)] by polarization.
    let mut g = Vec::with_capacity(n);
    for p in 0..n {
        let e: Vec<Mpfr> = (0..n)
            .map(|q| {
                if q == p {
                    Mpfr::from_f64(prec, 1.0)
                        .try_div(sqrt_w[p].clone())
                        .expect("positive weight")
                } else {
                    Mpfr::from_f64(prec, 0.0)
                }
            })
            .collect();
        let plus: Vec<Mpfr> = u
            .iter()
            .zip(&e)
            .map(|(a, b)| a.clone() + b.clone())
            .collect();
        let minus: Vec<Mpfr> = u
            .iter()
            .zip(&e)
            .map(|(a, b)| a.clone() - b.clone())
            .collect();
        let val = (c3(&plus)? - c3(&minus)? - Mpfr::from_f64(prec, 2.0) * c3(&e)?)
            .try_div(Mpfr::from_f64(prec, 6.0))
            .ok()?;
        g.push(val);
    }
    let jet = reduced::gradient_hessian(fine, c).ok()?;
    let m: Vec<Vec<Mpfr>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    jet.hess(i, j)
                        .try_div(sqrt_w[i].clone() * sqrt_w[j].clone())
                        .expect("positive")
                })
                .collect()
        })
        .collect();
    let (vals, vecs) = linalg::jacobi_eigen(&m).ok()?;
    let mut correction = 0.0;
    for k in 0..n {
        let lk = vals[k].approx_f64();
        if (lk - lambda).abs() < 1e-8 * (1.0 + lambda.abs()) {
            continue;
        }
        let proj: f64 = (0..n)
            .map(|i| vecs[i][k].approx_f64() * g[i].approx_f64())
            .sum();
        correction += proj * proj / (lk - lambda);
    }
    Some(d4 / 24.0 - correction / 8.0)
}

/// Exact: the isotropy of an arc direction, as the arcs JSON states it.
#[derive(Clone, Debug, PartialEq)]
pub struct Isotropy {
    /// Exact: the block sizes of the arc's fixed space.
    pub partition: Vec<u64>,
    /// Exact: generators of the non-Young part `H` in cycle notation on the split-off
    /// points (empty for a Young subgroup, as every type enumerated today is).
    pub h_generators: Vec<String>,
    /// Exact: a readable name, e.g. `Δ(S_7 x S_1 x S_1 x S_1)`.
    pub name: String,
    /// Exact: `dim Fix_rho(K)` of the component's irreducible `rho` for the isotropy of the
    /// split block, computed from characters (1 for an axial type); `None` when the split
    /// moves more than 5 points off the block (or for trivial and std x std).
    pub axial_dimension: Option<u128>,
}

/// Exact: the isotropy of a direction (see [`Isotropy`]).
pub fn isotropy(dir: &ArcDirection) -> Isotropy {
    use crate::symmetry::permgroup::axial::{fix_dimension, Irrep};
    use crate::symmetry::permgroup::{Perm, PermGroup};
    let partition = dir.space.fine.int_sizes().unwrap_or_default();
    let name = dir.non_young.clone().unwrap_or_else(|| {
        format!(
            "Δ({})",
            partition
                .iter()
                .map(|n| format!("S_{n}"))
                .collect::<Vec<_>>()
                .join(" x ")
        )
    });
    let rho = Irrep::of_kind(dir.axis.kind);
    // The split block: S_{n1} on its first part, H on the k others: the product of the
    // symmetric groups on the other parts (Young), or the stated generators (non-Young).
    let axial_dimension = match (rho, dir.axis.splits.as_slice()) {
        (Some(rho), [(_, parts)]) => {
            let n: u128 = parts.iter().map(|&p| p as u128).sum();
            let small = &parts[1..];
            let k: usize = small.iter().map(|&p| p as usize).sum();
            (k <= 5)
                .then(|| {
                    let mut gens = Vec::new();
                    if dir.space.h_generators.is_empty() {
                        let mut offset = 0;
                        for &p in small {
                            let p = p as usize;
                            if p >= 2 {
                                let mut images: Vec<usize> = (0..k).collect();
                                for i in 0..p {
                                    images[offset + i] = offset + (i + 1) % p;
                                }
                                gens.extend(Perm::from_images(&images));
                                let mut swap: Vec<usize> = (0..k).collect();
                                swap.swap(offset, offset + 1);
                                gens.extend(Perm::from_images(&swap));
                            }
                            offset += p;
                        }
                    } else {
                        for g in &dir.space.h_generators {
                            gens.push(Perm::from_cycles(k, g)?);
                        }
                    }
                    fix_dimension(n, rho, &PermGroup::generate(k, &gens))
                })
                .flatten()
        }
        _ => None,
    };
    Isotropy {
        partition,
        h_generators: dir.space.h_generators.clone(),
        name,
        axial_dimension,
    }
}

/// Exact (given the enclosures): a direction's rank by its certified leading coefficient
/// among the directions listed with it. Compared by value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rank {
    /// Exact (given the enclosures): the rank is proved: every other listed coefficient is
    /// certified and certainly below or above this one (its enclosure disjoint from this
    /// one's), or is the same quantity exactly (a twin: the effective quartic of `u` and
    /// `-u`); `rank - 1` lie certainly below.
    Certified(usize),
    /// Exact (given the enclosures): the rank lies in `lowest..=highest`, not decided:
    /// `overlapping` other coefficients' enclosures meet this one's (neither certainly
    /// below nor above), and `uncertified` other listed types have no certified coefficient.
    NotSeparated {
        /// Exact: 1 + the number certainly below.
        lowest: usize,
        /// Exact: `lowest + overlapping + uncertified`.
        highest: usize,
        /// Exact: how many certified coefficients are not separated from this one.
        overlapping: usize,
        /// Exact: how many other listed types have no certified coefficient.
        uncertified: usize,
    },
    /// Not ranked: the direction's own coefficient is not certified (the reason).
    NotRanked {
        /// Exact: why the coefficient is not certified.
        reason: String,
    },
}

impl Rank {
    /// Exact: the proved rank, if any.
    pub fn certified(&self) -> Option<usize> {
        match self {
            Rank::Certified(n) => Some(*n),
            _ => None,
        }
    }

    /// Exact: whether the direction may be of rank 1: not certainly above another listed
    /// coefficient (a certified rank 1, a range starting at 1, or not ranked).
    pub fn may_be_first(&self) -> bool {
        match self {
            Rank::Certified(n) => *n == 1,
            Rank::NotSeparated { lowest, .. } => *lowest == 1,
            Rank::NotRanked { .. } => true,
        }
    }

    /// Exact: the rank as printed: `4`, `2-3 (not separated)`, `not ranked`.
    pub fn label(&self) -> String {
        match self {
            Rank::Certified(n) => n.to_string(),
            Rank::NotSeparated {
                lowest, highest, ..
            } => {
                format!("{lowest}-{highest} (not separated)")
            }
            Rank::NotRanked { .. } => "not ranked".into(),
        }
    }
}

/// Encloses: a certified leading coefficient as the ranking sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedCoefficient {
    /// Exact: 3 (cubic `D^3L[u^3]`) or 4 (effective quartic `q_eff`).
    pub order: u8,
    /// Encloses: the coefficient.
    pub value: Interval,
}

/// What [`rank_coefficients`] ranks: one listed direction.
#[derive(Clone, Debug, PartialEq)]
pub struct RankInput {
    /// Encloses: the certified coefficient, or why there is none (then it is not ranked,
    /// and it leaves every other rank undecided).
    pub coefficient: Result<RankedCoefficient, String>,
    /// Exact: inputs with the same `Some(twin)` carry the same quantity exactly (the
    /// effective quartic is even: `q(-u) = q(u)`, one enclosure for both signs); they share
    /// a rank and are not compared with each other.
    pub twin: Option<usize>,
}

/// Exact (given the enclosures): `a` lies certainly below `b` on small spheres. A certainly
/// negative cubic lies below every quartic-led direction and a certainly positive one
/// above; two coefficients of the same order compare by their enclosures (disjoint, `a`
/// below). False on a NaN end.
pub fn certainly_below(a: &RankedCoefficient, b: &RankedCoefficient) -> bool {
    match (a.order, b.order) {
        (3, 4) => a.value.is_negative(),
        (4, 3) => b.value.is_positive(),
        _ => a.value.disjoint(&b.value) && a.value.hi() < b.value.lo(),
    }
}

/// Exact (given the enclosures): the rank of each input among all of them (competition
/// ranking: twins share a rank). A rank is [`Rank::Certified`] only when every other input
/// is certified and certainly below or above it (or its twin); otherwise
/// [`Rank::NotSeparated`] with the range it may take; an input without a certified
/// coefficient is [`Rank::NotRanked`].
pub fn rank_coefficients(inputs: &[RankInput]) -> Vec<Rank> {
    inputs
        .iter()
        .enumerate()
        .map(|(i, me)| {
            let mine = match &me.coefficient {
                Ok(c) => c,
                Err(why) => {
                    return Rank::NotRanked {
                        reason: why.clone(),
                    }
                }
            };
            let (mut below, mut overlapping, mut uncertified) = (0, 0, 0);
            for (k, other) in inputs.iter().enumerate() {
                if k == i || (me.twin.is_some() && other.twin == me.twin) {
                    continue;
                }
                match &other.coefficient {
                    Err(_) => uncertified += 1,
                    Ok(o) if certainly_below(o, mine) => below += 1,
                    Ok(o) if certainly_below(mine, o) => {}
                    Ok(_) => overlapping += 1,
                }
            }
            if overlapping + uncertified == 0 {
                Rank::Certified(1 + below)
            } else {
                Rank::NotSeparated {
                    lowest: 1 + below,
                    highest: 1 + below + overlapping + uncertified,
                    overlapping,
                    uncertified,
                }
            }
        })
        .collect()
}

/// Exact: what the ranking sees of `dirs` ([`RankInput`]): the certified coefficient (the
/// cubic along the true eigenline, or the effective quartic where the cubic vanishes by
/// symmetry), never the float-direction enclosure of an uncertified one; twins are the two
/// signs of one quartic-led type (same component, eigenvalue and isotropy).
pub fn rank_inputs(dirs: &[&ArcDirection]) -> Vec<RankInput> {
    let quartic = |d: &ArcDirection| d.certified_leading.as_ref().is_ok_and(|x| x.order == 4);
    let labels: Vec<Option<(Kind, usize, String)>> = dirs
        .iter()
        .map(|d| quartic(d).then(|| (d.axis.kind, d.index, d.isotropy_label())))
        .collect();
    dirs.iter()
        .enumerate()
        .map(|(i, d)| match &d.certified_leading {
            Ok(c) => {
                let twin = (c.order == 4).then(|| {
                    labels
                        .iter()
                        .position(|o| o.is_some() && *o == labels[i])
                        .unwrap_or(i)
                });
                RankInput {
                    coefficient: Ok(RankedCoefficient {
                        order: c.order,
                        value: c.coefficient.clone(),
                    }),
                    twin,
                }
            }
            Err(e) => RankInput {
                coefficient: Err(e.to_string()),
                twin: None,
            },
        })
        .collect()
}

/// Exact (given the enclosures): the rank of each direction among the directions of the
/// same component and eigenvalue by its certified leading coefficient ([`rank_inputs`],
/// [`rank_coefficients`]). Signs are compared as enumerated (`+` and `-` both count).
pub fn leading_ranks(dirs: &[&ArcDirection]) -> Vec<Rank> {
    let key = |d: &ArcDirection| (d.axis.kind, d.index);
    let mut out = vec![
        Rank::NotRanked {
            reason: String::new()
        };
        dirs.len()
    ];
    let mut keys: Vec<(Kind, usize)> = Vec::new();
    for d in dirs {
        if !keys.contains(&key(d)) {
            keys.push(key(d));
        }
    }
    for k in keys {
        let idx: Vec<usize> = (0..dirs.len()).filter(|&i| key(dirs[i]) == k).collect();
        let group: Vec<&ArcDirection> = idx.iter().map(|&i| dirs[i]).collect();
        for (i, r) in idx.into_iter().zip(rank_coefficients(&rank_inputs(&group))) {
            out[i] = r;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rug::Float;

    fn iv(lo: f64, hi: f64) -> Interval {
        Interval::from_floats(64, &Float::with_val(64, lo), &Float::with_val(64, hi)).unwrap()
    }

    fn quartic(lo: f64, hi: f64, twin: Option<usize>) -> RankInput {
        RankInput {
            coefficient: Ok(RankedCoefficient {
                order: 4,
                value: iv(lo, hi),
            }),
            twin,
        }
    }

    fn cubic(lo: f64, hi: f64) -> RankInput {
        RankInput {
            coefficient: Ok(RankedCoefficient {
                order: 3,
                value: iv(lo, hi),
            }),
            twin: None,
        }
    }

    /// Pairwise disjoint enclosures: every rank certified, competition ranking with twins
    /// sharing theirs; a certainly negative cubic below every quartic, a positive one above.
    #[test]
    fn disjoint_enclosures_give_certified_ranks() {
        let inputs = vec![
            quartic(-3.0, -2.9, None),
            quartic(-5.0, -4.9, None),
            quartic(-4.0, -3.9, Some(2)),
            quartic(-4.0, -3.9, Some(2)),
            cubic(-0.2, -0.1),
            cubic(0.1, 0.2),
        ];
        let ranks = rank_coefficients(&inputs);
        assert_eq!(
            ranks,
            vec![
                Rank::Certified(5),
                Rank::Certified(2),
                Rank::Certified(3),
                Rank::Certified(3),
                Rank::Certified(1),
                Rank::Certified(6),
            ]
        );
    }

    /// A planted overlap of two enclosures turns both ranks into "not separated" (with the
    /// range they may take), and leaves the ranks separated from both certified.
    #[test]
    fn a_planted_overlap_is_not_separated() {
        let separated = vec![
            quartic(-5.0, -4.9, None),
            quartic(-3.3, -3.2, None),
            quartic(-3.1, -3.0, None),
            quartic(-1.0, -0.9, None),
        ];
        assert_eq!(
            rank_coefficients(&separated),
            vec![
                Rank::Certified(1),
                Rank::Certified(2),
                Rank::Certified(3),
                Rank::Certified(4)
            ]
        );
        // Widen the second enclosure until it meets the third.
        let mut planted = separated.clone();
        planted[1] = quartic(-3.3, -3.05, None);
        let not_separated = Rank::NotSeparated {
            lowest: 2,
            highest: 3,
            overlapping: 1,
            uncertified: 0,
        };
        assert_eq!(
            rank_coefficients(&planted),
            vec![
                Rank::Certified(1),
                not_separated.clone(),
                not_separated,
                Rank::Certified(4)
            ]
        );
        // Touching ends are not disjoint either.
        planted[1] = quartic(-3.3, -3.1, None);
        assert!(rank_coefficients(&planted)[1].certified().is_none());
        // A cubic whose enclosure contains 0 is not separated from a quartic.
        let mixed = vec![cubic(-0.1, 0.1), quartic(-1.0, -0.9, None)];
        assert_eq!(rank_coefficients(&mixed)[0].certified(), None);
        assert_eq!(rank_coefficients(&mixed)[1].certified(), None);
    }

    /// An uncertified coefficient is never ranked, and leaves every other rank undecided,
    /// so rank 1 is not proved against it.
    #[test]
    fn an_uncertified_coefficient_is_not_ranked() {
        let inputs = vec![
            quartic(-5.0, -4.9, None),
            RankInput {
                coefficient: Err("the eigenline was not proved".into()),
                twin: None,
            },
            quartic(-1.0, -0.9, None),
        ];
        let ranks = rank_coefficients(&inputs);
        assert_eq!(
            ranks[0],
            Rank::NotSeparated {
                lowest: 1,
                highest: 2,
                overlapping: 0,
                uncertified: 1
            }
        );
        assert_eq!(
            ranks[1],
            Rank::NotRanked {
                reason: "the eigenline was not proved".into()
            }
        );
        assert!(ranks[0].may_be_first() && ranks[1].may_be_first());
        assert!(!ranks[2].may_be_first());
    }
}
