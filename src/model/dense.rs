//! The loss `L(W)` for a full `d x d` matrix, with its gradient and Hessian in closed form
//! (docs/loss.md).
//!
//! **Contract.** Every function is a composition of `Scalar` operations: evaluated in
//! [`Interval`](crate::arith::Interval) arithmetic it encloses the exact quantity over the
//! whole input box. Rows are neurons; the Hessian is indexed by `(i, alpha)` flattened as
//! `i * d + alpha`. Costs: loss and gradient O(d^3), Hessian O(d^4): for cross-checks at
//! small d, never on the certification hot path.

use crate::arith::{SResult, Scalar};

fn dot<S: Scalar>(u: &[S], v: &[S]) -> S {
    let mut acc = u[0].clone() * v[0].clone();
    for k in 1..u.len() {
        acc = acc + u[k].clone() * v[k].clone();
    }
    acc
}

fn unit<S: Scalar>(d: usize, j: usize, like: &S) -> Vec<S> {
    (0..d)
        .map(|k| like.cst(if k == j { 1.0 } else { 0.0 }))
        .collect()
}

/// Geometry of a pair (w, u): norms, cosine, angle, sine, unit vectors.
struct Pair<S> {
    nw: S,
    nu: S,
    c: S,
    t: S,
    s: S,
    wb: Vec<S>,
    ub: Vec<S>,
}

fn pair<S: Scalar>(w: &[S], nw: &S, u: &[S], nu: &S) -> SResult<Pair<S>> {
    let c = dot(w, u).try_div(nw.clone() * nu.clone())?;
    let t = c.clone().try_acos()?;
    let s = (c.cst(1.0) - c.clone().sqr()).try_sqrt()?;
    let wb = w
        .iter()
        .map(|x| x.clone().try_div(nw.clone()))
        .collect::<SResult<_>>()?;
    let ub = u
        .iter()
        .map(|x| x.clone().try_div(nu.clone()))
        .collect::<SResult<_>>()?;
    Ok(Pair {
        nw: nw.clone(),
        nu: nu.clone(),
        c,
        t,
        s,
        wb,
        ub,
    })
}

fn norms<S: Scalar>(w: &[Vec<S>]) -> SResult<Vec<S>> {
    w.iter().map(|r| dot(r, r).try_sqrt()).collect()
}

/// Inherits S: the loss `L(W)`.
pub fn loss<S: Scalar>(w: &[Vec<S>]) -> SResult<S> {
    let d = w.len();
    let like = &w[0][0];
    let nrm = norms(w)?;
    let mut total = like.cst(0.0);
    for i in 0..d {
        total = total + like.cst(0.25) * nrm[i].clone().sqr();
    }
    for i in 0..d {
        for j in (i + 1)..d {
            let nn = nrm[i].clone() * nrm[j].clone();
            let c = dot(&w[i], &w[j]).try_div(nn.clone())?;
            total = total + nn * c.kernel()?;
        }
        for j in 0..d {
            let c = w[i][j].clone().try_div(nrm[i].clone())?;
            total = total - nrm[i].clone() * c.kernel()?;
        }
    }
    let dd = like.int(d as i128);
    let c = like.cst(0.25) * dd.clone()
        + (dd.clone() * (dd - like.cst(1.0))).try_div(like.pi() * like.cst(4.0))?;
    Ok(total + c)
}

/// `g(w, u) = grad_w f(w, u) = (|u| sin t wb + (pi - t) u) / (2 pi)`.
fn g_vec<S: Scalar>(p: &Pair<S>, u: &[S]) -> SResult<Vec<S>> {
    let two_pi = p.c.pi() * p.c.cst(2.0);
    let a = p.nu.clone() * p.s.clone();
    let b = p.c.pi() - p.t.clone();
    p.wb.iter()
        .zip(u)
        .map(|(wb, uk)| (a.clone() * wb.clone() + b.clone() * uk.clone()).try_div(two_pi.clone()))
        .collect()
}

/// Inherits S: the gradient: row `i` is `grad_{w_i} L`.
pub fn gradient<S: Scalar>(w: &[Vec<S>]) -> SResult<Vec<Vec<S>>> {
    let d = w.len();
    let like = &w[0][0];
    let nrm = norms(w)?;
    let one = like.cst(1.0);
    let mut grad = Vec::with_capacity(d);
    for i in 0..d {
        let mut gi: Vec<S> = w[i].iter().map(|x| like.cst(0.5) * x.clone()).collect();
        for j in (0..d).filter(|&j| j != i) {
            let p = pair(&w[i], &nrm[i], &w[j], &nrm[j])?;
            for (acc, v) in gi.iter_mut().zip(g_vec(&p, &w[j])?) {
                *acc = acc.clone() + v;
            }
        }
        for j in 0..d {
            let e = unit(d, j, like);
            let p = pair(&w[i], &nrm[i], &e, &one)?;
            for (acc, v) in gi.iter_mut().zip(g_vec(&p, &e)?) {
                *acc = acc.clone() - v;
            }
        }
        grad.push(gi);
    }
    Ok(grad)
}

/// `A(w, u) = s |u| / (2 pi |w|) (I - wb wb^T + n n^T)`, `n = (ub - c wb) / s`, added
/// into `out` with sign `sign`.
fn add_a<S: Scalar>(out: &mut [Vec<S>], p: &Pair<S>, sign: f64) -> SResult<()> {
    let d = p.wb.len();
    let two_pi = p.c.pi() * p.c.cst(2.0);
    let scale = (p.s.clone() * p.nu.clone()).try_div(two_pi * p.nw.clone())?;
    let n: Vec<S> = (0..d)
        .map(|k| (p.ub[k].clone() - p.c.clone() * p.wb[k].clone()).try_div(p.s.clone()))
        .collect::<SResult<_>>()?;
    for a in 0..d {
        for b in 0..d {
            let id = p.c.cst(if a == b { 1.0 } else { 0.0 });
            let m = id - p.wb[a].clone() * p.wb[b].clone() + n[a].clone() * n[b].clone();
            out[a][b] = out[a][b].clone() + p.c.cst(sign) * scale.clone() * m;
        }
    }
    Ok(())
}

/// `B(w, u) = ((pi - t) I + m ub^T + n wb^T) / (2 pi)`, `m = (wb - c ub)/s`, `n = (ub - c wb)/s`.
fn b_block<S: Scalar>(p: &Pair<S>) -> SResult<Vec<Vec<S>>> {
    let d = p.wb.len();
    let two_pi = p.c.pi() * p.c.cst(2.0);
    let m: Vec<S> = (0..d)
        .map(|k| (p.wb[k].clone() - p.c.clone() * p.ub[k].clone()).try_div(p.s.clone()))
        .collect::<SResult<_>>()?;
    let n: Vec<S> = (0..d)
        .map(|k| (p.ub[k].clone() - p.c.clone() * p.wb[k].clone()).try_div(p.s.clone()))
        .collect::<SResult<_>>()?;
    let pt = p.c.pi() - p.t.clone();
    (0..d)
        .map(|a| {
            (0..d)
                .map(|b| {
                    let mut v = m[a].clone() * p.ub[b].clone() + n[a].clone() * p.wb[b].clone();
                    if a == b {
                        v = v + pt.clone();
                    }
                    v.try_div(two_pi.clone())
                })
                .collect()
        })
        .collect()
}

/// Inherits S: the Hessian, a `d^2 x d^2` matrix indexed by `i * d + alpha`.
pub fn hessian<S: Scalar>(w: &[Vec<S>]) -> SResult<Vec<Vec<S>>> {
    let d = w.len();
    let like = &w[0][0];
    let nrm = norms(w)?;
    let one = like.cst(1.0);
    let zero = like.cst(0.0);
    let mut h = vec![vec![zero.clone(); d * d]; d * d];
    for i in 0..d {
        let mut hii: Vec<Vec<S>> = (0..d)
            .map(|a| {
                (0..d)
                    .map(|b| like.cst(if a == b { 0.5 } else { 0.0 }))
                    .collect()
            })
            .collect();
        for j in (0..d).filter(|&j| j != i) {
            let p = pair(&w[i], &nrm[i], &w[j], &nrm[j])?;
            add_a(&mut hii, &p, 1.0)?;
            let bij = b_block(&p)?;
            for a in 0..d {
                for b in 0..d {
                    h[i * d + a][j * d + b] = bij[a][b].clone();
                }
            }
        }
        for j in 0..d {
            let e = unit(d, j, like);
            let p = pair(&w[i], &nrm[i], &e, &one)?;
            add_a(&mut hii, &p, -1.0)?;
        }
        for a in 0..d {
            for b in 0..d {
                h[i * d + a][i * d + b] = hii[a][b].clone();
            }
        }
    }
    Ok(h)
}

/// Approximate: the smallest of `1 - |cos|` over every pair of distinct vectors among the
/// rows and the targets, and of the row norms: the distance from the non-smooth set.
pub fn smoothness_margin(w: &[Vec<f64>]) -> f64 {
    let d = w.len();
    let nrm: Vec<f64> = w
        .iter()
        .map(|r| r.iter().map(|x| x * x).sum::<f64>().sqrt())
        .collect();
    if nrm.contains(&0.0) {
        return 0.0;
    }
    let mut m = nrm.iter().copied().fold(f64::INFINITY, f64::min);
    for i in 0..d {
        for j in (i + 1)..d {
            let c: f64 =
                w[i].iter().zip(&w[j]).map(|(a, b)| a * b).sum::<f64>() / (nrm[i] * nrm[j]);
            m = m.min(1.0 - c.abs());
        }
        for j in 0..d {
            m = m.min(1.0 - (w[i][j] / nrm[i]).abs());
        }
    }
    m.max(0.0)
}
