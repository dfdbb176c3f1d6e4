//! Tracing a tangency arc inside a Young fixed space `Fix(ΔK)` (docs/arcs.md).
//!
//! **Approximate.** In the orthonormal coordinates `x = N^{1/2} (theta - theta_c)` of the
//! fixed space the tangency equations are
//!
//! ```text
//! N^{-1/2} grad_theta L(theta) - mu x = 0,     |x|^2 = r^2,
//! ```
//!
//! (the full-space condition `grad L(W) = mu (W - C)` restricted to `Fix(ΔK)`, where the
//! gradient lies by symmetric criticality). For fixed `r` they are solved by Newton on
//! `(x, mu)` with the bordered Jacobian `[[M - mu I, -x], [x^T / r, 0]]`,
//! `M = N^{-1/2} H N^{-1/2}`; `r` is continued with a secant predictor and adaptive
//! steps. The arc starts at `x = r0 u`, `mu = lambda + r0 C(u) / 2` (from
//! `grad L(c + r u) = lambda r u + r^2 D^3L[u,u,.] / 2 + ...`).
//!
//! It stops, and says which, at: a critical point (`mu` changes sign; the point is then
//! refined by Newton on the reduced gradient), a fold (no solution continues the branch:
//! the step shrinks below `1e-10 (1 + r)` or the solution jumps), the non-smooth set (an
//! evaluation refuses), or a limit (radius, loss or step budget).

use crate::arith::{Jet1, Jet2, NonSmooth, Scalar};
use crate::linalg;
use crate::model::partition::Partition;
use crate::model::reduced;
use crate::search::newton;

/// What the tracer needs of a space: the loss with its gradient and Hessian, the metric
/// weights, a distance from the non-smooth set, and a critical-point solver. Implemented
/// by Young fixed spaces ([`Partition`], reduced coordinates) and by the full matrix space
/// ([`crate::arcs::full::Dense`], no symmetry reduction).
pub trait Space<S: Scalar> {
    /// Exact: the metric weights `N_p` (all 1 in the full space).
    fn weights(&self, like: &S) -> Vec<S>;
    /// The loss, gradient and Hessian at `theta`.
    fn jet(&self, theta: &[S]) -> Result<Jet2<S>, NonSmooth>;
    /// The loss and gradient at `theta` (cheaper than [`Space::jet`]).
    fn gradient(&self, theta: &[S]) -> Result<Jet1<S>, NonSmooth>;
    /// Approximate: the smallest `1 - |cos|` over the kernel's arguments.
    fn margin(&self, theta: &[f64]) -> f64;
    /// Approximate: Newton to a critical point from `theta`.
    fn critical(&self, theta: Vec<S>) -> Option<Vec<S>>;
    /// Inherits S: the named row norms and kernel cosines at `theta`
    /// ([`reduced::kernel_arguments`]), so that an end can say which rows become parallel;
    /// empty (the default) for a space that does not name them.
    fn kernel_arguments(&self, theta: &[S]) -> Result<Vec<reduced::KernelArgument<S>>, NonSmooth> {
        let _ = theta;
        Ok(Vec::new())
    }
}

impl<S: Scalar> Space<S> for Partition {
    fn weights(&self, like: &S) -> Vec<S> {
        Partition::weights(self, like)
    }
    fn jet(&self, theta: &[S]) -> Result<Jet2<S>, NonSmooth> {
        reduced::gradient_hessian(self, theta)
    }
    fn gradient(&self, theta: &[S]) -> Result<Jet1<S>, NonSmooth> {
        reduced::gradient(self, theta)
    }
    fn margin(&self, theta: &[f64]) -> f64 {
        reduced::smoothness_margin(self, theta)
    }
    fn critical(&self, theta: Vec<S>) -> Option<Vec<S>> {
        newton::newton(self, theta).ok().map(|f| f.theta)
    }
    fn kernel_arguments(&self, theta: &[S]) -> Result<Vec<reduced::KernelArgument<S>>, NonSmooth> {
        reduced::kernel_arguments(self, theta)
    }
}

/// Approximate: one traced point of an arc.
#[derive(Clone, Debug)]
pub struct ArcPoint<S> {
    /// The radius `|W - C|_F`.
    pub r: f64,
    /// The loss there.
    pub loss: f64,
    /// The multiplier `mu`.
    pub mu: S,
    /// The point in the fixed space's reduced coordinates.
    pub theta: Vec<S>,
}

/// How a traced arc ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndKind {
    /// It reached a critical point (`mu = 0`).
    CriticalPoint,
    /// The branch does not continue in `r` (a turning point, or a jump to another branch).
    Fold,
    /// It reached the set where the loss is not smooth.
    NonSmooth,
    /// The radius or step budget was exhausted.
    Limit,
}

impl EndKind {
    /// Exact: the name used in output.
    pub fn name(self) -> &'static str {
        match self {
            EndKind::CriticalPoint => "critical_point",
            EndKind::Fold => "fold",
            EndKind::NonSmooth => "nonsmooth",
            EndKind::Limit => "limit",
        }
    }
}

/// Approximate: a traced arc.
#[derive(Clone, Debug)]
pub struct Trace<S> {
    /// The traced points, by increasing `r`.
    pub points: Vec<ArcPoint<S>>,
    /// How it ended.
    pub end: EndKind,
    /// For a critical-point end: the critical point found by Newton (reduced coordinates of
    /// the fixed space).
    pub critical: Option<Vec<S>>,
}

/// Options of the continuation.
#[derive(Clone, Debug)]
pub struct TraceOptions {
    /// First radius.
    pub r0: f64,
    /// Largest radius to reach.
    pub r_max: f64,
    /// Largest step in r.
    pub dr_max: f64,
    /// Step budget.
    pub max_steps: usize,
    /// Approximate: stop (a limit end) once the loss exceeds this (the arc has left for
    /// losses far above any critical point's).
    pub loss_max: f64,
}

/// Exact: the largest d at which arcs are traced (and tangency points first solved) in f64;
/// beyond it in MPFR, since the loss's d^2-size terms cancel to a value of size 1/d.
pub const F64_MAX_D: f64 = 1e4;

/// Whether a Newton iteration has converged: the step is at rounding level, or it has
/// stopped shrinking while already small (the residual is at its noise floor: in f64 at
/// large d the reduced gradient carries an error of about `eps d sqrt(N)`).
pub(crate) fn converged(size: f64, prev: f64, eps: f64, scale: f64, it: usize) -> bool {
    it >= 1 && (size <= 1e4 * eps * scale || (size <= 1e-7 * scale && size > 0.25 * prev))
}

/// Newton on the tangency equations at fixed `r` from `(theta, mu)`.
fn solve_at<S: Scalar>(
    fine: &impl Space<S>,
    sqrt_n: &[S],
    theta_c: &[S],
    theta: &[S],
    mu: &S,
    r: f64,
) -> Result<(Vec<S>, S, Jet2<S>), NonSmooth> {
    let n = theta.len();
    let like = &theta[0];
    let eps = 2f64.powi(-(like.prec() as i32));
    let mut th = theta.to_vec();
    let mut m = mu.clone();
    let rr = like.cst(r);
    let mut prev = f64::INFINITY;
    for it in 0..16 {
        // The system of `residual` at fixed r: drop the column of r.
        let (res, mut jac, _) = residual(fine, sqrt_n, theta_c, &th, &m, &rr)?;
        for row in jac.iter_mut() {
            row.pop();
        }
        let step = linalg::solve(&jac, &res)?;
        let mut size = 0.0f64;
        for p in 0..n {
            let dx = step[p].clone().try_div(sqrt_n[p].clone())?;
            size = size.max(step[p].approx_f64().abs());
            th[p] = th[p].clone() - dx;
        }
        m = m - step[n].clone();
        size = size.max(step[n].approx_f64().abs());
        if !size.is_finite() || size > 1e6 {
            return Err(NonSmooth::DivisorTouchesZero);
        }
        if converged(size, prev, eps, 1.0 + r, it) {
            let jet = fine.jet(&th)?;
            return Ok((th, m, jet));
        }
        prev = size;
    }
    Err(NonSmooth::DivisorTouchesZero)
}

/// Approximate: the tangency point at exactly radius `r` near `(theta, mu)` (Newton), with
/// the loss, gradient and Hessian there.
pub fn point_at<S: Scalar>(
    space: &impl Space<S>,
    theta_c: &[S],
    theta: &[S],
    mu: S,
    r: f64,
) -> Result<(Vec<S>, S, Jet2<S>), NonSmooth> {
    let sqrt_n: Vec<S> = space
        .weights(&theta_c[0])
        .into_iter()
        .map(|w| w.try_sqrt())
        .collect::<Result<_, _>>()?;
    solve_at(space, &sqrt_n, theta_c, theta, &mu, r)
}

/// Approximate: why the continuation cannot go on at `theta`: the non-smooth set if some
/// cosine is within `1e-6` of ±1 there, a fold otherwise.
fn stuck_end<S: Scalar>(fine: &impl Space<S>, theta: &[S]) -> EndKind {
    let t: Vec<f64> = theta.iter().map(Scalar::approx_f64).collect();
    if fine.margin(&t) < 1e-6 {
        EndKind::NonSmooth
    } else {
        EndKind::Fold
    }
}

/// The tangency residual `F = (N^{-1/2} g - mu x, (|x|^2 - r^2) / 2)` from a gradient `g`,
/// with `x = N^{1/2} (theta - theta_c)`; returns `F` and `x`.
fn tangency_residual<S: Scalar>(
    sqrt_n: &[S],
    theta_c: &[S],
    theta: &[S],
    g: &[S],
    mu: &S,
    r: &S,
) -> Result<(Vec<S>, Vec<S>), NonSmooth> {
    let n = theta.len();
    let like = &theta[0];
    let x: Vec<S> = (0..n)
        .map(|p| sqrt_n[p].clone() * (theta[p].clone() - theta_c[p].clone()))
        .collect();
    let mut f = Vec::with_capacity(n + 1);
    let mut norm2 = like.cst(0.0);
    for p in 0..n {
        f.push(g[p].clone().try_div(sqrt_n[p].clone())? - mu.clone() * x[p].clone());
        norm2.add_assign_r(&x[p].sqr_r());
    }
    f.push((norm2 - r.clone().sqr()) * like.cst(0.5));
    Ok((f, x))
}

/// The tangency system's residual and Jacobian in `z = (x, mu, r)` at `theta`:
/// [`tangency_residual`] and `J = [[M - mu I, -x, 0], [x^T, 0, -r]]`, `M = N^{-1/2} H N^{-1/2}`.
fn residual<S: Scalar>(
    fine: &impl Space<S>,
    sqrt_n: &[S],
    theta_c: &[S],
    theta: &[S],
    mu: &S,
    r: &S,
) -> Result<(Vec<S>, linalg::Mat<S>, S), NonSmooth> {
    let n = theta.len();
    let like = &theta[0];
    let jet = fine.jet(theta)?;
    let (f, x) = tangency_residual(sqrt_n, theta_c, theta, &jet.g, mu, r)?;
    let mut jac = vec![vec![like.cst(0.0); n + 2]; n + 1];
    for p in 0..n {
        for q in 0..n {
            let mut v = jet
                .hess(p, q)
                .try_div(sqrt_n[p].clone() * sqrt_n[q].clone())?;
            if p == q {
                v = v - mu.clone();
            }
            jac[p][q] = v;
        }
        jac[p][n] = -x[p].clone();
        jac[n][p] = x[p].clone();
    }
    jac[n][n + 1] = -r.clone();
    Ok((f, jac, jet.v))
}

/// The residual alone (see [`tangency_residual`]), from first-order AD.
fn residual_only<S: Scalar>(
    fine: &impl Space<S>,
    sqrt_n: &[S],
    theta_c: &[S],
    theta: &[S],
    mu: &S,
    r: &S,
) -> Result<(Vec<S>, S), NonSmooth> {
    let jet = fine.gradient(theta)?;
    let (f, _) = tangency_residual(sqrt_n, theta_c, theta, &jet.g, mu, r)?;
    Ok((f, jet.v))
}

/// The unit tangent of the solution curve: the null vector of `J` oriented along `prev`.
fn tangent<S: Scalar>(jac: &linalg::Mat<S>, prev: &[S]) -> Result<Vec<S>, NonSmooth> {
    let m = prev.len();
    let like = &prev[0];
    let mut a = jac.clone();
    a.push(prev.to_vec());
    let mut rhs = vec![like.cst(0.0); m];
    rhs[m - 1] = like.cst(1.0);
    let t = linalg::solve(&a, &rhs)?;
    let mut norm2 = like.cst(0.0);
    for v in &t {
        norm2 = norm2 + v.clone().sqr();
    }
    let norm = norm2.try_sqrt()?;
    t.into_iter().map(|v| v.try_div(norm.clone())).collect()
}

/// Approximate: trace the arc leaving `theta_c` along the unit direction `u` (reduced
/// coordinates of `fine`, unit in the Frobenius metric) with eigenvalue `lambda` and cubic
/// coefficient `cubic = D^3 L[u,u,u]` (see the module doc). Pseudo-arclength
/// continuation in `(x, mu, r)`: a fold is where `dr/ds` changes sign.
pub fn trace<S: Scalar>(
    fine: &impl Space<S>,
    theta_c: &[S],
    u: &[S],
    lambda: f64,
    cubic: f64,
    opts: &TraceOptions,
) -> Trace<S> {
    let like = theta_c[0].clone();
    let n = theta_c.len();
    let fail = |end| Trace {
        points: vec![],
        end,
        critical: None,
    };
    let sqrt_n: Vec<S> = match fine
        .weights(&like)
        .into_iter()
        .map(|w| w.try_sqrt())
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(s) => s,
        Err(_) => return fail(EndKind::NonSmooth),
    };
    // First point: Newton at fixed r0 from the leading-order guess (r0 shrinks tenfold,
    // twice, if that fails).
    let mut first = None;
    let mut r0 = opts.r0;
    for _ in 0..3 {
        let guess: Vec<S> = (0..n)
            .map(|p| theta_c[p].clone() + like.cst(r0) * u[p].clone())
            .collect();
        // Approximate: the predicted multiplier at r0 (f64; the tracer is approximate).
        let approx_mu0 = lambda + 0.5 * r0 * cubic;
        if let Ok(sol) = solve_at(fine, &sqrt_n, theta_c, &guess, &like.cst(approx_mu0), r0) {
            first = Some(sol);
            break;
        }
        r0 *= 0.1;
    }
    let Some((th0, mu0, jet0)) = first else {
        let guess: Vec<S> = (0..n)
            .map(|p| theta_c[p].clone() + like.cst(r0) * u[p].clone())
            .collect();
        return fail(stuck_end(fine, &guess));
    };
    let mut points = vec![ArcPoint {
        r: r0,
        loss: jet0.v.approx_f64(),
        mu: mu0.clone(),
        theta: th0.clone(),
    }];
    // z = (x, mu, r) and its tangent; initially dx/dr = u, dmu/dr = C/2, dr/ds > 0.
    let to_z = |th: &[S], mu: &S, r: &S| -> Vec<S> {
        let mut z: Vec<S> = (0..n)
            .map(|p| sqrt_n[p].clone() * (th[p].clone() - theta_c[p].clone()))
            .collect();
        z.push(mu.clone());
        z.push(r.clone());
        z
    };
    let mut z = to_z(&th0, &mu0, &like.cst(r0));
    let mut t: Vec<S> = (0..n).map(|p| sqrt_n[p].clone() * u[p].clone()).collect();
    let approx_dmu = 0.5 * cubic;
    t.push(like.cst(approx_dmu));
    t.push(like.cst(1.0));
    if let Ok((_, jac, _)) = residual(fine, &sqrt_n, theta_c, &th0, &mu0, &like.cst(r0)) {
        if let Ok(t2) = tangent(&jac, &t) {
            t = t2;
        }
    }
    if t[n + 1].approx_f64() < 0.0 {
        t = t.into_iter().map(|v| -v).collect();
    }
    let mut ds = opts.r0;
    let mut end = EndKind::Limit;
    let mut critical = None;
    // The corrector's tolerance: rounding level in f64; in MPFR no finer than 1e-24 (the
    // chord iterations converge linearly, and an approximate trace needs no more: its
    // points only start the certified Newton, which polishes to full precision).
    let eps = 2f64.powi(-(like.prec() as i32)).max(1e-20);
    let from_z = |z: &[S]| -> Result<Vec<S>, NonSmooth> {
        (0..n)
            .map(|p| Ok(theta_c[p].clone() + z[p].clone().try_div(sqrt_n[p].clone())?))
            .collect()
    };
    let mut steps = 0;
    while steps < opts.max_steps {
        steps += 1;
        // Predictor along the tangent, corrector by Newton with the arclength constraint.
        let pred: Vec<S> = z
            .iter()
            .zip(&t)
            .map(|(a, b)| a.clone() + like.cst(ds) * b.clone())
            .collect();
        let mut w = pred.clone();
        let mut done = None;
        let mut prev = f64::INFINITY;
        // Chord iterations: the Jacobian (with the arclength row) at the predictor, then
        // only residuals (first-order AD).
        let mut chord: Option<linalg::Mat<S>> = None;
        for it in 0..12 {
            let Ok(th) = from_z(&w) else { break };
            let (mut f, loss) = match &chord {
                None => {
                    let Ok((f, mut jac, loss)) =
                        residual(fine, &sqrt_n, theta_c, &th, &w[n], &w[n + 1])
                    else {
                        break;
                    };
                    jac.push(t.clone());
                    chord = Some(jac);
                    (f, loss)
                }
                Some(_) => {
                    let Ok(r) = residual_only(fine, &sqrt_n, theta_c, &th, &w[n], &w[n + 1]) else {
                        break;
                    };
                    r
                }
            };
            // arclength row: t . (w - pred) = 0
            let mut g = like.cst(0.0);
            for k in 0..n + 2 {
                g = g + t[k].clone() * (w[k].clone() - pred[k].clone());
            }
            f.push(g);
            let Ok(step) = linalg::solve(chord.as_ref().expect("set at it = 0"), &f) else {
                break;
            };
            let size = step
                .iter()
                .map(|v| v.approx_f64().abs())
                .fold(0.0, f64::max);
            for k in 0..n + 2 {
                w[k] = w[k].clone() - step[k].clone();
            }
            if !size.is_finite() || size > 10.0 * ds.max(1e-3) {
                break;
            }
            if converged(size, prev, eps, 1.0 + w[n + 1].approx_f64(), it) {
                done = Some((th, loss, it));
                break;
            }
            prev = size;
        }
        let Some((th, loss, iters)) = done else {
            ds *= 0.5;
            if ds < 1e-10 * (1.0 + z[n + 1].approx_f64()) {
                end = stuck_end(fine, &points.last().expect("first point").theta);
                break;
            }
            continue;
        };
        // The tangent from the chord Jacobian (at the predictor, one step behind): it only
        // predicts the next point and tells the direction of r.
        let mut jac = chord.expect("set at the first iteration");
        jac.pop();
        let Ok(t_new) = tangent(&jac, &t) else {
            end = stuck_end(fine, &th);
            break;
        };
        // Stay on the branch: the tangent may turn, but not flip.
        let cos: f64 = t_new
            .iter()
            .zip(&t)
            .map(|(a, b)| a.approx_f64() * b.approx_f64())
            .sum();
        if cos < 0.8 {
            ds *= 0.5;
            if ds < 1e-10 * (1.0 + z[n + 1].approx_f64()) {
                end = stuck_end(fine, &th);
                break;
            }
            continue;
        }
        let r = w[n + 1].approx_f64();
        let mu = w[n].clone();
        if t_new[n + 1].approx_f64() <= 0.0 {
            // r stops increasing: a turning point (fold) of the arc.
            points.push(ArcPoint {
                r,
                loss: loss.approx_f64(),
                mu: mu.clone(),
                theta: th,
            });
            end = EndKind::Fold;
            break;
        }
        let crossed = points
            .last()
            .is_some_and(|p| p.mu.approx_f64() * mu.approx_f64() <= 0.0);
        points.push(ArcPoint {
            r,
            loss: loss.approx_f64(),
            mu: mu.clone(),
            theta: th,
        });
        if crossed {
            // mu = 0 between the last two points: bisect in r (the arc is a graph over r up
            // to its fold) to a point with tiny mu, then Newton on the gradient from there;
            // accept the critical point only if it is that point (not, say, c itself).
            end = EndKind::CriticalPoint;
            let k = points.len();
            let (mut a, mut b) = (points[k - 2].clone(), points[k - 1].clone());
            for _ in 0..60 {
                let rm = 0.5 * (a.r + b.r);
                let guess: Vec<S> = a
                    .theta
                    .iter()
                    .zip(&b.theta)
                    .map(|(x, y)| (x.clone() + y.clone()) * like.cst(0.5))
                    .collect();
                let mu_guess = (a.mu.clone() + b.mu.clone()) * like.cst(0.5);
                let Ok((th, mu, jet)) = solve_at(fine, &sqrt_n, theta_c, &guess, &mu_guess, rm)
                else {
                    break;
                };
                let mid = ArcPoint {
                    r: rm,
                    loss: jet.v.approx_f64(),
                    mu,
                    theta: th,
                };
                if mid.mu.approx_f64() * a.mu.approx_f64() <= 0.0 {
                    b = mid;
                } else {
                    a = mid;
                }
                // (a start for Newton on the gradient, which refines the critical point)
                if (b.r - a.r) < 1e-7 * (1.0 + b.r) {
                    break;
                }
            }
            let near = if a.mu.approx_f64().abs() < b.mu.approx_f64().abs() {
                a
            } else {
                b
            };
            let rough = [&points[k - 2], &points[k - 1], &near]
                .iter()
                .map(|p| fine.margin(&p.theta.iter().map(Scalar::approx_f64).collect::<Vec<_>>()))
                .fold(f64::INFINITY, f64::min);
            critical = fine.critical(near.theta.clone()).filter(|x| {
                let dist2: f64 = (0..n)
                    .map(|p| {
                        (sqrt_n[p].approx_f64() * (x[p].approx_f64() - near.theta[p].approx_f64()))
                            .powi(2)
                    })
                    .sum();
                dist2.sqrt() < 0.05 * (1.0 + near.r)
            });
            if critical.is_none() && rough < 1e-2 {
                // mu jumps through 0 where the arc passes the non-smooth set.
                end = EndKind::NonSmooth;
            }
            break;
        }
        if r >= opts.r_max || loss.approx_f64() > opts.loss_max {
            end = EndKind::Limit;
            break;
        }
        z = w;
        t = t_new;
        ds = if iters <= 3 {
            (ds * 1.5).min(opts.dr_max)
        } else {
            ds
        };
    }
    Trace {
        points,
        end,
        critical,
    }
}
