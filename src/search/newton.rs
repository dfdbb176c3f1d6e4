//! Finding critical points of the reduced loss: damped Newton in approximate arithmetic.
//!
//! Everything here is **approximate** (f64 or round-to-nearest MPFR): it produces the
//! points that `crate::prove` then proves things about. Newton runs in the orthonormal
//! coordinates `u = N^{1/2} theta` of the fixed space (so the matrix it solves with is the
//! trivial isotypic block, well scaled at every d), on the reduced gradient, and so finds
//! critical points of any index. The merit is the dense gradient's max-norm, which on a
//! fixed space is `max_p |dL/dtheta_p| / N_p` (symmetric criticality), an O(1) quantity.

use crate::arith::{Mpfr, NonSmooth, Scalar};
use crate::linalg;
use crate::model::partition::Partition;
use crate::model::reduced;

/// Why Newton stopped without a critical point.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum NewtonError {
    /// An iterate reached the non-smooth set.
    #[error("Newton reached the non-smooth set: {0}")]
    NonSmooth(#[from] NonSmooth),
    /// The line search could not decrease the gradient (at loss `loss`).
    #[error(
        "Newton stalled: the gradient norm stopped decreasing at {grad:.3e} (loss {loss:.3e})"
    )]
    Stalled {
        /// Approximate: the gradient norm where it stalled.
        grad: f64,
        /// Approximate: the loss there.
        loss: f64,
    },
    /// The family has no fixed space at this d (block sizes must be positive).
    #[error("no fixed space at d = {0} (every block size must be positive)")]
    Dimension(f64),
    /// Continuation in d could not follow the branch below this d.
    #[error("continuation lost the branch near d = {0}")]
    LostBranch(f64),
    /// A multi-start search found fewer points of the requested kind than the rank asked
    /// for (the two-block flip members, [`crate::search::flip`]).
    #[error("the search of the fixed space of flip({p}) found {count} flip point(s), so flip({p})#{rank} does not exist")]
    NoSuchMember {
        /// Exact: flipped neurons.
        p: u64,
        /// Exact: the rank asked for.
        rank: u32,
        /// Exact: how many were found.
        count: usize,
    },
    /// Iteration budget exhausted (at loss `loss`).
    #[error("Newton did not converge in {iterations} iterations (loss {loss:.3e})")]
    NoConvergence {
        /// The budget.
        iterations: usize,
        /// Approximate: the loss at the last iterate.
        loss: f64,
    },
}

impl NewtonError {
    /// Approximate: the loss where Newton gave up, when it got that far.
    pub fn last_loss(&self) -> Option<f64> {
        match self {
            NewtonError::Stalled { loss, .. } | NewtonError::NoConvergence { loss, .. } => {
                Some(*loss)
            }
            NewtonError::NonSmooth(_)
            | NewtonError::LostBranch(_)
            | NewtonError::Dimension(_)
            | NewtonError::NoSuchMember { .. } => None,
        }
    }
}

/// Approximate: a critical point found by Newton.
#[derive(Clone, Debug)]
pub struct Found<S> {
    /// The point in reduced coordinates (layout order of the partition).
    pub theta: Vec<S>,
    /// Approximate: the loss there.
    pub loss: S,
    /// Approximate: the dense gradient's max-norm there.
    pub grad_norm: f64,
    /// Newton iterations used.
    pub iterations: usize,
}

/// Approximate: the dense gradient max-norm `max_p |g_p| / N_p` at `theta`, and the loss.
/// (As an `f64` it underflows to 0 below 1e-308; Newton compares merits in `S`.)
pub fn grad_norm<S: Scalar>(part: &Partition, theta: &[S]) -> Result<(f64, S), NonSmooth> {
    merit(part, theta).map(|(m, l)| (m.approx_f64(), l))
}

/// Approximate: `|x|` in `S` (the sign survives the conversion to f64 as a signed zero).
fn abs_s<S: Scalar>(x: S) -> S {
    if x.approx_f64().is_sign_negative() {
        -x
    } else {
        x
    }
}

/// Approximate: whether `0 <= a < b`, decided on the ratio `a / b` (which is of order 1
/// and so survives the conversion to f64 at every precision, unlike `a` and `b`).
fn below<S: Scalar>(a: &S, b: &S) -> bool {
    a.clone()
        .try_div(b.clone())
        .is_ok_and(|q| q.approx_f64() < 1.0)
}

/// Approximate: `2^-k` in `S` (formed in `S`: an f64 `2^-k` is 0 for k > 1074).
fn pow2_neg<S: Scalar>(like: &S, k: u32) -> S {
    // Powers of two are exact f64 constants.
    let (two_m64, two_mrest) = (2f64.powi(-64), 2f64.powi(-((k % 64) as i32)));
    let mut x = like.cst(1.0);
    for _ in 0..k / 64 {
        x = x * like.cst(two_m64);
    }
    x * like.cst(two_mrest)
}

/// Approximate: the merit `max_p |g_p| / N_p` in `S`, and the loss.
fn merit<S: Scalar>(part: &Partition, theta: &[S]) -> Result<(S, S), NonSmooth> {
    // First-order AD: the merit needs the gradient only.
    let jet = reduced::gradient(part, theta)?;
    let w = part.weights(&theta[0]);
    let mut m = theta[0].cst(0.0);
    for (g, n) in jet.g.iter().zip(&w) {
        let q = abs_s(g.clone().try_div(n.clone())?);
        if below(&m, &q) {
            m = q;
        }
    }
    Ok((m, jet.v))
}

/// Approximate: damped Newton on the reduced gradient from `theta0`.
pub fn newton<S: Scalar>(part: &Partition, theta0: Vec<S>) -> Result<Found<S>, NewtonError> {
    let prec = theta0[0].prec();
    let like = theta0[0].clone();
    let eps = pow2_neg(&like, prec);
    let sqrt_n: Vec<S> = part
        .weights(&like)
        .into_iter()
        .map(|n| n.try_sqrt())
        .collect::<Result<_, _>>()?;
    let mut theta = theta0;
    let (mut merit_now, l0) = merit(part, &theta)?;
    let mut last_loss = l0.approx_f64();
    // The merit cannot go below rounding noise: sums of about d terms of size O(1).
    let noise = like.cst(1e3) * eps.clone() * like.cst(part.d().max(1.0));
    let at_noise = |m: &S| !below(&noise, m);
    let max_iter = 200;
    let mut polish = 0;
    let done = |theta: Vec<S>, iterations: usize| -> Result<Found<S>, NewtonError> {
        let (g, l) = grad_norm(part, &theta)?;
        Ok(Found {
            theta,
            loss: l,
            grad_norm: g,
            iterations,
        })
    };
    for it in 0..max_iter {
        if at_noise(&merit_now) {
            polish += 1;
            if polish > 2 {
                return done(theta, it);
            }
        }
        let jet = reduced::gradient_hessian(part, &theta)?;
        let n = theta.len();
        // Scaled system: M = N^-1/2 H N^-1/2, rhs = N^-1/2 g.
        let m: linalg::Mat<S> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        jet.hess(i, j)
                            .try_div(sqrt_n[i].clone() * sqrt_n[j].clone())
                    })
                    .collect::<Result<Vec<S>, _>>()
            })
            .collect::<Result<_, _>>()?;
        let rhs: Vec<S> = (0..n)
            .map(|i| jet.g[i].clone().try_div(sqrt_n[i].clone()))
            .collect::<Result<_, _>>()?;
        let du = linalg::solve(&m, &rhs)?;
        let step: Vec<S> = (0..n)
            .map(|i| (-du[i].clone()).try_div(sqrt_n[i].clone()))
            .collect::<Result<_, _>>()?;
        let scale = theta
            .iter()
            .map(|t| t.approx_f64().abs())
            .fold(1.0, f64::max);
        let step_limit = like.cst(256.0) * like.cst(scale) * eps.clone();
        let step_is_tiny = step.iter().all(|s| !below(&step_limit, &abs_s(s.clone())));
        // Damping: halve the step until the merit decreases.
        let mut alpha = 1.0;
        let mut accepted = None;
        for _ in 0..40 {
            let cand: Vec<S> = theta
                .iter()
                .zip(&step)
                .map(|(t, s)| t.clone() + like.cst(alpha) * s.clone())
                .collect();
            match merit(part, &cand) {
                Ok((m2, l2)) if below(&m2, &merit_now) => {
                    accepted = Some((cand, m2, l2.approx_f64()));
                    break;
                }
                _ => alpha *= 0.5,
            }
        }
        let Some((cand, m2, l2)) = accepted else {
            if at_noise(&merit_now) {
                return done(theta, it);
            }
            return Err(NewtonError::Stalled {
                grad: merit_now.approx_f64(),
                loss: last_loss,
            });
        };
        theta = cand;
        merit_now = m2;
        last_loss = l2;
        if step_is_tiny {
            return done(theta, it + 1);
        }
    }
    Err(NewtonError::NoConvergence {
        iterations: max_iter,
        loss: last_loss,
    })
}

/// Approximate: the precision (bits) relucert uses to *find* points at dimension `d`:
/// f64 (53) up to d = 100; beyond, MPFR with `64 + 3 log2 d` bits rounded up to a multiple
/// of 32, since terms of size d^2 cancel to a loss of size 1/d (in f64 the loss at
/// d = 1000 keeps only about 7 digits).
pub fn auto_prec(d: f64) -> u32 {
    if d <= 100.0 {
        53
    } else {
        let bits = 64.0 + 3.0 * d.log2().ceil();
        ((bits / 32.0).ceil() * 32.0) as u32
    }
}

/// Approximate: Newton at precision `prec` (f64 when `prec == 53`), result in MPFR floats.
pub fn newton_at_prec(
    part: &Partition,
    theta0: &[f64],
    prec: u32,
) -> Result<Found<Mpfr>, NewtonError> {
    if prec == 53 {
        let f = newton(part, theta0.to_vec())?;
        Ok(Found {
            theta: f.theta.iter().map(|&x| Mpfr::from_f64(53, x)).collect(),
            loss: Mpfr::from_f64(53, f.loss),
            grad_norm: f.grad_norm,
            iterations: f.iterations,
        })
    } else {
        newton(
            part,
            theta0.iter().map(|&x| Mpfr::from_f64(prec, x)).collect(),
        )
    }
}

/// Approximate: Newton at precision `prec` from an MPFR start (polishing a point).
pub fn polish(part: &Partition, theta0: &[Mpfr], prec: u32) -> Result<Found<Mpfr>, NewtonError> {
    newton(
        part,
        theta0
            .iter()
            .map(|x| Mpfr(rug::Float::with_val(prec, &x.0)))
            .collect(),
    )
}
