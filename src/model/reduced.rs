//! The reduced loss on the fixed space of `Δ(S_{n_1} x ... x S_{n_r})` (MATH.md section 2),
//! and its derivatives.
//!
//! **Contract.** [`loss`] returns `L(W(theta))` for the block matrix `W(theta)` of the
//! partition, computed by `Scalar` operations only: exact up to the arithmetic's rounding,
//! so an [`Interval`](crate::arith::Interval) evaluation encloses the loss over the whole
//! box `theta`. [`gradient_hessian`] and [`directional_hessian`] run the same code on
//! [`Jet2`]: the gradient and Hessian with respect to `theta` (whose entries are the
//! full-matrix gradient and Hessian summed over each parameter's entries), or the Hessian
//! of `t -> L(W(theta + sum_j t_j v_j))` at `t = 0`. Cost O(r^3) in all cases.

use crate::arith::{Jet2, SResult, Scalar};
use crate::symmetry::partition::{Param, Partition};

/// The loss at a reduced point (see the module contract).
pub fn loss<S: Scalar>(part: &Partition, theta: &[S]) -> SResult<S> {
    debug_assert_eq!(theta.len(), part.dim());
    let r = part.r();
    let one = theta[0].cst(1.0);
    let n: Vec<S> = part.sizes().iter().map(|&x| one.cst(x)).collect();
    let get = |p: Param| -> Option<S> { part.index(p).map(|i| theta[i].clone()) };
    let dd: Vec<S> = (0..r)
        .map(|a| get(Param::D(a)).expect("D exists"))
        .collect();
    let oo: Vec<Option<S>> = (0..r).map(|a| get(Param::O(a))).collect();
    let x = |a: usize, b: usize| theta[part.index(Param::X(a, b)).expect("X exists")].clone();

    // Squared norm of a row of block a, and the cross-block sum shared with same-block pairs.
    let mut cross_sq = Vec::with_capacity(r);
    let mut sq = Vec::with_capacity(r);
    for a in 0..r {
        let mut c = one.cst(0.0);
        for b in (0..r).filter(|&b| b != a) {
            c = c + n[b].clone() * x(a, b).sqr();
        }
        let mut s = dd[a].clone().sqr() + c.clone();
        if let Some(o) = &oo[a] {
            s = s + (n[a].clone() - one.clone()) * o.clone().sqr();
        }
        cross_sq.push(c);
        sq.push(s);
    }
    let norm: Vec<S> = sq
        .iter()
        .map(|s| s.clone().try_sqrt())
        .collect::<SResult<_>>()?;

    let half = one.cst(0.5);
    let quarter = one.cst(0.25);
    let mut total = one.cst(0.0);
    for a in 0..r {
        total = total + quarter.clone() * n[a].clone() * sq[a].clone();
    }
    // Pairs of distinct neurons in the same block: F(|w|, |w|, ip) = |w|^2 k(ip / |w|^2).
    for a in 0..r {
        if let Some(o) = &oo[a] {
            let ip = one.cst(2.0) * dd[a].clone() * o.clone()
                + (n[a].clone() - one.cst(2.0)) * o.clone().sqr()
                + cross_sq[a].clone();
            let f = sq[a].clone() * ip.try_div(sq[a].clone())?.kernel()?;
            let pairs = n[a].clone() * (n[a].clone() - one.clone());
            total = total + half.clone() * pairs * f;
        }
    }
    // Pairs of neurons in different blocks (each unordered pair of blocks once).
    for a in 0..r {
        for b in (a + 1)..r {
            let mut ip = dd[a].clone() * x(b, a) + dd[b].clone() * x(a, b);
            if let Some(o) = &oo[a] {
                ip = ip + (n[a].clone() - one.clone()) * o.clone() * x(b, a);
            }
            if let Some(o) = &oo[b] {
                ip = ip + (n[b].clone() - one.clone()) * o.clone() * x(a, b);
            }
            for c in (0..r).filter(|&c| c != a && c != b) {
                ip = ip + n[c].clone() * x(a, c) * x(b, c);
            }
            let nn = norm[a].clone() * norm[b].clone();
            let f = nn.clone() * ip.try_div(nn)?.kernel()?;
            total = total + n[a].clone() * n[b].clone() * f;
        }
    }
    // Student-teacher terms: F(|w|, 1, ip) = |w| k(ip / |w|).
    for a in 0..r {
        let fa =
            |ip: S| -> SResult<S> { Ok(norm[a].clone() * ip.try_div(norm[a].clone())?.kernel()?) };
        let mut t = fa(dd[a].clone())?;
        if let Some(o) = &oo[a] {
            t = t + (n[a].clone() - one.clone()) * fa(o.clone())?;
        }
        for b in (0..r).filter(|&b| b != a) {
            t = t + n[b].clone() * fa(x(a, b))?;
        }
        total = total - n[a].clone() * t;
    }
    // The teacher-teacher constant d/4 + d(d-1)/(4 pi).
    let d = one.cst(part.d());
    let four_pi = one.pi() * one.cst(4.0);
    let c = quarter * d.clone() + (d.clone() * (d - one)).try_div(four_pi)?;
    Ok(total + c)
}

/// The loss, its gradient and its Hessian with respect to `theta`.
pub fn gradient_hessian<S: Scalar>(part: &Partition, theta: &[S]) -> SResult<Jet2<S>> {
    let n = theta.len();
    let vars: Vec<Jet2<S>> = theta
        .iter()
        .enumerate()
        .map(|(i, t)| Jet2::variable(t.clone(), n, i))
        .collect();
    loss(part, &vars)
}

/// The loss and its derivatives in `t` of `L(W(theta + sum_j t_j dirs_j))` at `t = 0`:
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
