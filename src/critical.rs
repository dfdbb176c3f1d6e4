//! Finding critical points of the reduced loss: damped Newton in approximate arithmetic.
//!
//! Everything here is **approximate** (f64 or round-to-nearest MPFR): it produces the
//! points that `crate::certify` then proves things about. Newton runs in the orthonormal
//! coordinates `u = N^{1/2} theta` of the fixed space (so the matrix it solves with is the
//! trivial isotypic block, well scaled at every d), on the reduced gradient, and so finds
//! critical points of any index. The merit is the dense gradient's max-norm, which on a
//! fixed space is `max_p |dL/dtheta_p| / N_p` (symmetric criticality), an O(1) quantity.

use crate::arith::{Mpfr, NonSmooth, Scalar};
use crate::linalg;
use crate::model::reduced;
use crate::symmetry::partition::Partition;

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
    /// Continuation in d could not follow the branch below this d.
    #[error("continuation lost the branch near d = {0}")]
    LostBranch(f64),
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
            NewtonError::NonSmooth(_) | NewtonError::LostBranch(_) => None,
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
pub fn grad_norm<S: Scalar>(part: &Partition, theta: &[S]) -> Result<(f64, S), NonSmooth> {
    let jet = reduced::gradient_hessian(part, theta)?;
    let w = part.weights(&theta[0]);
    let mut m = 0.0f64;
    for (g, n) in jet.g.iter().zip(&w) {
        m = m.max(g.clone().try_div(n.clone())?.approx_f64().abs());
    }
    Ok((m, jet.v))
}

/// Approximate: damped Newton on the reduced gradient from `theta0`.
pub fn newton<S: Scalar>(part: &Partition, theta0: Vec<S>) -> Result<Found<S>, NewtonError> {
    let prec = theta0[0].prec();
    let eps = 2f64.powi(-(prec as i32));
    let like = theta0[0].clone();
    let sqrt_n: Vec<S> = part
        .weights(&like)
        .into_iter()
        .map(|n| n.try_sqrt())
        .collect::<Result<_, _>>()?;
    let mut theta = theta0;
    let (mut merit, l0) = grad_norm(part, &theta)?;
    let mut last_loss = l0.approx_f64();
    // The merit cannot go below rounding noise: sums of about d terms of size O(1).
    let noise = 1e3 * eps * part.d().max(1.0);
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
        if merit <= noise {
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
        let step_size = step
            .iter()
            .map(|s| s.approx_f64().abs())
            .fold(0.0, f64::max);
        let scale = theta
            .iter()
            .map(|t| t.approx_f64().abs())
            .fold(1.0, f64::max);
        // Damping: halve the step until the merit decreases.
        let mut alpha = 1.0;
        let mut accepted = None;
        for _ in 0..40 {
            let cand: Vec<S> = theta
                .iter()
                .zip(&step)
                .map(|(t, s)| t.clone() + like.cst(alpha) * s.clone())
                .collect();
            match grad_norm(part, &cand) {
                Ok((m2, l2)) if m2 < merit => {
                    accepted = Some((cand, m2, l2.approx_f64()));
                    break;
                }
                _ => alpha *= 0.5,
            }
        }
        let Some((cand, m2, l2)) = accepted else {
            if merit <= noise {
                return done(theta, it);
            }
            return Err(NewtonError::Stalled {
                grad: merit,
                loss: last_loss,
            });
        };
        theta = cand;
        merit = m2;
        last_loss = l2;
        if step_size <= 256.0 * eps * scale {
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
