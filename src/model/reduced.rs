//! The reduced loss on the fixed space of `Δ(S_{n_1} x ... x S_{n_r})` (docs/reduction.md),
//! and its derivatives.
//!
//! **Contract.** [`loss`] returns `L(W(theta))` for the block matrix `W(theta)` of the
//! partition, computed by `Scalar` operations only: exact up to the arithmetic's rounding,
//! so an [`Interval`](crate::arith::Interval) evaluation encloses the loss over the whole
//! box `theta`. [`gradient_hessian`] and [`directional_hessian`] run the same code on
//! [`Jet2`]: the gradient and Hessian with respect to `theta` (whose entries are the
//! full-matrix gradient and Hessian summed over each parameter's entries), or the Hessian
//! of `t -> L(W(theta + sum_j t_j v_j))` at `t = 0`. Cost O(r^3) in all cases.

use crate::arith::{Jet1, Jet2, SResult, Scalar};
use crate::model::partition::{Param, Partition};

/// Inherits S: the loss at a reduced point (see the module contract).
pub fn loss<S: Scalar>(part: &Partition, theta: &[S]) -> SResult<S> {
    loss_observed(part, theta, &mut |_| {})
}

/// Approximate: the distance of a reduced point from the non-smooth set: the smallest of
/// `1 - |cos|` over every pair of distinct vectors among the rows and the targets, and of
/// the row norms (0 on the set).
pub fn smoothness_margin(part: &Partition, theta: &[f64]) -> f64 {
    let mut m = f64::INFINITY;
    for a in 0..part.r() {
        let mut sq = theta[part.index(Param::D(a)).expect("D")].powi(2);
        if let Some(i) = part.index(Param::O(a)) {
            sq += (part.sizes()[a] - 1.0) * theta[i].powi(2);
        }
        for b in (0..part.r()).filter(|&b| b != a) {
            sq += part.sizes()[b] * theta[part.index(Param::X(a, b)).expect("X")].powi(2);
        }
        m = m.min(sq.sqrt());
    }
    match loss_observed(part, theta, &mut |c: &f64| m = m.min(1.0 - c.abs())) {
        Ok(_) => m.max(0.0),
        Err(_) => 0.0,
    }
}

/// Exact: which quantity a [`KernelArgument`] is: both vanish (the cosine: `1 - |cos|`) exactly on
/// the non-smooth set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgumentKind {
    /// A cosine between two of the vectors `{w_i} ∪ {e_j}` (non-smooth where `|cos| = 1`).
    Cosine,
    /// The norm of a row (non-smooth where it is 0).
    Norm,
}

/// Inherits S: one argument of the loss's non-smooth functions at a reduced point: a row
/// norm or a kernel cosine, with the vectors it compares named as docs/reduction.md names
/// them (block indices from 0, in the order of the partition's blocks).
#[derive(Clone, Debug)]
pub struct KernelArgument<S> {
    /// Exact: what it compares, e.g. "two rows of block 0" or "rows of blocks 0 and 2".
    pub name: String,
    /// Exact: whether [`KernelArgument::value`] is a cosine or a norm.
    pub kind: ArgumentKind,
    /// Inherits S: the cosine, or the row norm.
    pub value: S,
}

/// Inherits S: every row norm (one per block) and every kernel cosine (in the order the
/// loss evaluates them: same-block pairs, pairs of blocks, rows against targets) at
/// `theta`, named. [`smoothness_margin`] is the smallest of the norms and the `1 - |cos|`.
pub fn kernel_arguments<S: Scalar>(
    part: &Partition,
    theta: &[S],
) -> SResult<Vec<KernelArgument<S>>> {
    let r = part.r();
    let one = theta[0].cst(1.0);
    let mut out = Vec::new();
    for a in 0..r {
        let mut sq = theta[part.index(Param::D(a)).expect("D")].sqr_r();
        if let Some(i) = part.index(Param::O(a)) {
            sq.mul_add_assign_r(&part.count(&one, a, 1), &theta[i].sqr_r());
        }
        for b in (0..r).filter(|&b| b != a) {
            sq.mul_add_assign_r(
                &part.count(&one, b, 0),
                &theta[part.index(Param::X(a, b)).expect("X")].sqr_r(),
            );
        }
        out.push(KernelArgument {
            name: format!("the rows of block {a}"),
            kind: ArgumentKind::Norm,
            value: sq.try_sqrt()?,
        });
    }
    let names = cosine_names(part);
    let mut cosines = Vec::new();
    loss_observed(part, theta, &mut |c: &S| cosines.push(c.clone()))?;
    debug_assert_eq!(names.len(), cosines.len());
    out.extend(
        names
            .into_iter()
            .zip(cosines)
            .map(|(name, value)| KernelArgument {
                name,
                kind: ArgumentKind::Cosine,
                value,
            }),
    );
    Ok(out)
}

/// Exact: the names of the kernel cosines, in the order `loss_observed` meets them.
fn cosine_names(part: &Partition) -> Vec<String> {
    let r = part.r();
    let mut names = Vec::new();
    for a in (0..r).filter(|&a| part.has_o(a)) {
        names.push(format!("two rows of block {a}"));
    }
    for a in 0..r {
        for b in (a + 1)..r {
            names.push(format!("rows of blocks {a} and {b}"));
        }
    }
    for a in 0..r {
        names.push(format!("a row of block {a} and its own target"));
        if part.has_o(a) {
            names.push(format!(
                "a row of block {a} and another target of block {a}"
            ));
        }
        for b in (0..r).filter(|&b| b != a) {
            names.push(format!("a row of block {a} and a target of block {b}"));
        }
    }
    names
}

/// Approximate (f64): where `theta` lies on the non-smooth set, if it does: the first row
/// norm that is 0 or not finite in f64, else the first kernel cosine with `|cos| >= 1`
/// (two of the rows and targets parallel or antiparallel), in the order of
/// [`kernel_arguments`]; `None` when every argument is inside the smooth range.
pub fn nonsmooth_argument(part: &Partition, theta: &[f64]) -> Option<KernelArgument<f64>> {
    for a in 0..part.r() {
        let mut sq = theta[part.index(Param::D(a)).expect("D")].powi(2);
        if let Some(i) = part.index(Param::O(a)) {
            sq += (part.sizes()[a] - 1.0) * theta[i].powi(2);
        }
        for b in (0..part.r()).filter(|&b| b != a) {
            sq += part.sizes()[b] * theta[part.index(Param::X(a, b)).expect("X")].powi(2);
        }
        if !(sq > 0.0 && sq.is_finite()) {
            return Some(KernelArgument {
                name: format!("the rows of block {a}"),
                kind: ArgumentKind::Norm,
                value: sq.sqrt(),
            });
        }
    }
    let mut cosines = Vec::new();
    // The loss stops at the first kernel refusal; that cosine was observed last.
    let _ = loss_observed(part, theta, &mut |c: &f64| cosines.push(*c));
    cosine_names(part)
        .into_iter()
        .zip(cosines)
        .find(|(_, c)| c.is_nan() || c.abs() >= 1.0)
        .map(|(name, value)| KernelArgument {
            name,
            kind: ArgumentKind::Cosine,
            value,
        })
}

/// The loss, calling `observe` on every cosine before the kernel is applied to it.
/// Written with by-reference operations: for AD types a copy is as costly as an operation.
fn loss_observed<S: Scalar>(
    part: &Partition,
    theta: &[S],
    observe: &mut dyn FnMut(&S),
) -> SResult<S> {
    let mut k = |c: S| -> SResult<S> {
        observe(&c);
        c.kernel()
    };
    debug_assert_eq!(theta.len(), part.dim());
    let r = part.r();
    let one = theta[0].cst(1.0);
    let n: Vec<S> = (0..r).map(|a| part.count(&one, a, 0)).collect();
    let n_minus_1: Vec<S> = (0..r).map(|a| part.count(&one, a, 1)).collect();
    let quarter = one.cst(0.25);
    let dd: Vec<&S> = (0..r)
        .map(|a| &theta[part.index(Param::D(a)).expect("D exists")])
        .collect();
    let oo: Vec<Option<&S>> = (0..r)
        .map(|a| part.index(Param::O(a)).map(|i| &theta[i]))
        .collect();
    let x = |a: usize, b: usize| -> &S { &theta[part.index(Param::X(a, b)).expect("X exists")] };

    // Squared norm of a row of block a, and the cross-block sum shared with same-block pairs.
    let mut cross_sq = Vec::with_capacity(r);
    let mut sq = Vec::with_capacity(r);
    for a in 0..r {
        let mut c = one.cst(0.0);
        for b in (0..r).filter(|&b| b != a) {
            c.mul_add_assign_r(&n[b], &x(a, b).sqr_r());
        }
        let mut s = dd[a].sqr_r();
        s.add_assign_r(&c);
        if let Some(o) = oo[a] {
            s.mul_add_assign_r(&n_minus_1[a], &o.sqr_r());
        }
        cross_sq.push(c);
        sq.push(s);
    }
    let norm: Vec<S> = sq
        .iter()
        .map(|s| s.clone().try_sqrt())
        .collect::<SResult<_>>()?;

    let mut total = one.cst(0.0);
    for a in 0..r {
        total.mul_add_assign_r(&quarter.mul_r(&n[a]), &sq[a]);
    }
    // Pairs of distinct neurons in the same block: F(|w|, |w|, ip) = |w|^2 k(ip / |w|^2).
    for a in 0..r {
        if let Some(o) = oo[a] {
            let mut ip = one.cst(2.0).mul_r(&dd[a].mul_r(o));
            ip.mul_add_assign_r(&part.count(&one, a, 2), &o.sqr_r());
            ip.add_assign_r(&cross_sq[a]);
            let f = sq[a].mul_r(&k(ip.try_div(sq[a].clone())?)?);
            // half the number of ordered pairs, n (n - 1) / 2 (N(O_a) / 2, exact)
            let pairs = one.cst(0.5).mul_r(&part.weight(&one, Param::O(a)));
            total.mul_add_assign_r(&pairs, &f);
        }
    }
    // Pairs of neurons in different blocks (each unordered pair of blocks once).
    for a in 0..r {
        for b in (a + 1)..r {
            let mut ip = dd[a].mul_r(x(b, a));
            ip.mul_add_assign_r(dd[b], x(a, b));
            if let Some(o) = oo[a] {
                ip.mul_add_assign_r(&n_minus_1[a].mul_r(o), x(b, a));
            }
            if let Some(o) = oo[b] {
                ip.mul_add_assign_r(&n_minus_1[b].mul_r(o), x(a, b));
            }
            for c in (0..r).filter(|&c| c != a && c != b) {
                ip.mul_add_assign_r(&n[c].mul_r(x(a, c)), x(b, c));
            }
            let nn = norm[a].mul_r(&norm[b]);
            let f = nn.mul_r(&k(ip.try_div(nn.clone())?)?);
            total.mul_add_assign_r(&n[a].mul_r(&n[b]), &f);
        }
    }
    // Student-teacher terms: F(|w|, 1, ip) = |w| k(ip / |w|).
    for a in 0..r {
        let mut fa =
            |ip: &S| -> SResult<S> { Ok(norm[a].mul_r(&k(ip.clone().try_div(norm[a].clone())?)?)) };
        let mut t = fa(dd[a])?;
        if let Some(o) = oo[a] {
            t.mul_add_assign_r(&n_minus_1[a], &fa(o)?);
        }
        for b in (0..r).filter(|&b| b != a) {
            t.mul_add_assign_r(&n[b], &fa(x(a, b))?);
        }
        total.sub_assign_r(&n[a].mul_r(&t));
    }
    // The teacher-teacher constant d/4 + d(d-1)/(4 pi).
    let d = part.d_minus(&one, 0);
    let four_pi = one.pi() * one.cst(4.0);
    let c = quarter.mul_r(&d) + (d.mul_r(&part.d_minus(&one, 1))).try_div(four_pi)?;
    total.add_assign_r(&c);
    Ok(total)
}

/// Inherits S: the loss and its gradient with respect to `theta` (first-order AD, O(n) per operation).
pub fn gradient<S: Scalar>(part: &Partition, theta: &[S]) -> SResult<Jet1<S>> {
    let n = theta.len();
    let vars: Vec<Jet1<S>> = theta
        .iter()
        .enumerate()
        .map(|(i, t)| Jet1::variable(t.clone(), n, i))
        .collect();
    loss(part, &vars)
}

/// Inherits S: the loss, its gradient and its Hessian with respect to `theta`.
pub fn gradient_hessian<S: Scalar>(part: &Partition, theta: &[S]) -> SResult<Jet2<S>> {
    let n = theta.len();
    let vars: Vec<Jet2<S>> = theta
        .iter()
        .enumerate()
        .map(|(i, t)| Jet2::variable(t.clone(), n, i))
        .collect();
    loss(part, &vars)
}

/// Inherits S: the loss and its derivatives in `t` of `L(W(theta + sum_j t_j dirs_j))` at `t = 0`:
/// `g_j = D L[v_j]`, `h_jk = D^2 L[v_j, v_k]`.
pub fn directional_hessian<S: Scalar>(
    part: &Partition,
    theta: &[S],
    dirs: &[Vec<S>],
) -> SResult<Jet2<S>> {
    let vars: Vec<Jet2<S>> = theta
        .iter()
        .enumerate()
        .map(|(p, t)| Jet2::affine(t.clone(), dirs.iter().map(|v| v[p].clone()).collect()))
        .collect();
    loss(part, &vars)
}
