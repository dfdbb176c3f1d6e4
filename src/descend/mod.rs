//! `descend`: full-batch gradient descent on the population loss from random starts, and
//! where each run ends, certified.
//!
//! **Contract.** Descent itself is **approximate**: f64 arithmetic on the closed-form loss
//! and gradient ([`approx_loss_gradient`], the same formulas as [`crate::model::dense`],
//! O(d^3) per step). It only chooses the matrices that are then handed to
//! [`crate::identify`]: each endpoint is identified (symmetry, Newton in the fixed space,
//! Krawczyk proof) and every run is assigned to a certified point with an *enclosed*
//! Frobenius distance ([`classify`]). Nothing a run did is called certified except that
//! distance and the certified point's loss and spectrum.
//!
//! A run stops when
//! - the gradient norm is at most `tol` (**converged**), or
//! - the gradient norm is at most `stop_grad` and the endpoint's symmetry (or its being a
//!   permutation of the teacher) is the same at `stable_checks` consecutive checks, one
//!   every `check_every` steps (**settled**: near a degenerate minimum descent needs
//!   millions of steps to reach `tol`; Newton in the fixed space finishes the job), or
//! - the loss is not finite, exceeds [`DIVERGENCE_FACTOR`] times `1 +` its starting value,
//!   or a neuron reaches zero norm (**diverged**, with the reason), or
//! - the step budget is spent (**not converged**: reported, never dropped).
//!
//! **Determinism.** Run `i` at dimension `d` draws its start from a [`SplitMix64`] seeded
//! by [`run_seed`]`(seed, d, i)`; runs are independent and collected in run order, and the
//! assignment to certified points runs sequentially in run order, so the result is the
//! same whatever the number of threads.

pub mod classify;
pub mod probe;
pub mod stats;

use crate::identify::input::Matrix;
use crate::identify::{self as ident};
use crate::random::SplitMix64;
use rayon::prelude::*;
use std::f64::consts::PI;

/// Exact: a run diverges when its loss exceeds this factor times `1 + L(start)`.
pub const DIVERGENCE_FACTOR: f64 = 1e6;

/// The distribution of a random start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// Xavier normal: entries i.i.d. N(0, 1/d).
    XavierNormal,
    /// Xavier uniform: entries i.i.d. uniform on [-sqrt(3/d), sqrt(3/d)] (variance 1/d).
    XavierUniform,
    /// A uniformly random orthogonal matrix (Gram-Schmidt of a Gaussian matrix): rows of
    /// norm 1.
    Orthogonal,
}

impl Init {
    /// Exact: every init, in the order of `--help`.
    pub const ALL: [Init; 3] = [Init::XavierNormal, Init::XavierUniform, Init::Orthogonal];

    /// Exact: the name on the command line and in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Init::XavierNormal => "xavier-normal",
            Init::XavierUniform => "xavier-uniform",
            Init::Orthogonal => "orthogonal",
        }
    }

    /// Exact: the init of a name.
    pub fn parse(s: &str) -> Option<Init> {
        Init::ALL.into_iter().find(|i| i.name() == s)
    }
}

/// How the runs are made and stopped.
#[derive(Clone, Debug)]
pub struct Options {
    /// The start distribution.
    pub init: Init,
    /// Exact: the start is multiplied by this.
    pub scale: f64,
    /// Exact: the step size; `None` for the default 5/d.
    pub step: Option<f64>,
    /// Exact: stop (converged) once the gradient norm is at most this.
    pub tol: f64,
    /// Exact: the step budget.
    pub max_steps: u64,
    /// Exact: the symmetry is checked only when the gradient norm is at most this.
    pub stop_grad: f64,
    /// Exact: steps between two symmetry checks.
    pub check_every: u64,
    /// Exact: consecutive equal symmetries needed to stop.
    pub stable_checks: u32,
    /// How endpoints are identified (`tol` is the symmetry tolerance, also used while
    /// descending; `max_distance` bounds the accepted distance to a certified point).
    pub identify: ident::Options,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            init: Init::XavierNormal,
            scale: 1.0,
            step: None,
            tol: 1e-12,
            max_steps: 1_000_000,
            stop_grad: 1e-6,
            check_every: 200,
            stable_checks: 3,
            identify: ident::Options {
                tol: 1e-5,
                max_distance: 1e-2,
                prec: 256,
            },
        }
    }
}

impl Options {
    /// Exact: the step size at dimension d.
    pub fn step_at(&self, d: usize) -> f64 {
        self.step.unwrap_or(5.0 / d as f64)
    }
}

/// Why a run stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum Stop {
    /// The gradient norm reached `tol`.
    Converged,
    /// The gradient norm is below `stop_grad` and the symmetry was stable.
    Settled,
    /// The step budget was spent.
    NotConverged,
    /// The loss blew up (or a neuron vanished).
    Diverged {
        /// What happened, with the figures.
        reason: String,
    },
}

impl Stop {
    /// Exact: the word used in outputs.
    pub fn name(&self) -> &'static str {
        match self {
            Stop::Converged => "converged",
            Stop::Settled => "settled",
            Stop::NotConverged => "not_converged",
            Stop::Diverged { .. } => "diverged",
        }
    }

    /// Exact: whether the endpoint is handed to `identify`.
    pub fn ended(&self) -> bool {
        matches!(self, Stop::Converged | Stop::Settled)
    }
}

/// Approximate: where one run ended.
#[derive(Clone, Debug)]
pub struct RunEnd {
    /// Exact: the run's index (0-based).
    pub index: usize,
    /// Exact: gradient steps taken.
    pub steps: u64,
    /// Approximate: the loss at the endpoint (f64).
    pub approx_loss: f64,
    /// Approximate: the gradient norm at the endpoint (f64).
    pub approx_grad_norm: f64,
    /// Why it stopped.
    pub stop: Stop,
    /// Exact: the endpoint, row-major, neurons as rows.
    pub w: Vec<f64>,
}

/// Approximate (f64): the loss at `w` (d x d, row-major, neurons as rows), and its
/// gradient written into `grad` when given; `None` when a row has zero or non-finite norm
/// (the loss is not differentiable there). Same formulas as [`crate::model::dense`]:
/// `L = 1/4 Σ|w_i|^2 + Σ_{i<j} |w_i||w_j| k(c_ij) - Σ_{i,j} |w_i| k(w_ij/|w_i|) + d/4 +
/// d(d-1)/(4π)`, `k(c) = (sin t + (π - t) c) / (2π)`, `t = acos c`; the gradient row i is
/// `α_i w_i + Σ_{j≠i} β_ij w_j - γ_i` with `β_ij = (π - t_ij)/(2π)`,
/// `γ_ij = (π - t'_ij)/(2π)` and `α_i = 1/2 + (Σ_{j≠i} |w_j| s_ij - Σ_j s'_ij) / (2π|w_i|)`.
/// Cosines are clamped to [-1, 1] against rounding.
pub fn approx_loss_gradient(w: &[f64], d: usize, grad: Option<&mut [f64]>) -> Option<f64> {
    let inv2pi = 0.5 / PI;
    let norms: Vec<f64> = (0..d)
        .map(|i| {
            w[i * d..(i + 1) * d]
                .iter()
                .map(|x| x * x)
                .sum::<f64>()
                .sqrt()
        })
        .collect();
    if norms.iter().any(|n| !(n.is_finite() && *n > 0.0)) {
        return None;
    }
    let nf = d as f64;
    let mut loss = 0.25 * nf + nf * (nf - 1.0) * 0.25 / PI;
    let mut alpha = vec![0.5f64; d];
    let mut grad = grad;
    if let Some(g) = grad.as_deref_mut() {
        g.iter_mut().for_each(|x| *x = 0.0);
    }
    let acos_sin = |c: f64| {
        let c = c.clamp(-1.0, 1.0);
        (c, c.acos(), ((1.0 - c) * (1.0 + c)).max(0.0).sqrt())
    };
    for i in 0..d {
        let ni = norms[i];
        loss += 0.25 * ni * ni;
        let wi = &w[i * d..(i + 1) * d];
        // Teacher terms.
        for (j, &x) in wi.iter().enumerate() {
            let (c, t, s) = acos_sin(x / ni);
            loss -= ni * (s + (PI - t) * c) * inv2pi;
            alpha[i] -= s * inv2pi / ni;
            if let Some(g) = grad.as_deref_mut() {
                g[i * d + j] -= (PI - t) * inv2pi;
            }
        }
        // Student pairs.
        for j in (i + 1)..d {
            let nj = norms[j];
            let wj = &w[j * d..(j + 1) * d];
            let dot: f64 = wi.iter().zip(wj).map(|(a, b)| a * b).sum();
            let (c, t, s) = acos_sin(dot / (ni * nj));
            loss += ni * nj * (s + (PI - t) * c) * inv2pi;
            alpha[i] += nj * s * inv2pi / ni;
            alpha[j] += ni * s * inv2pi / nj;
            if let Some(g) = grad.as_deref_mut() {
                let beta = (PI - t) * inv2pi;
                let (lo, hi) = g.split_at_mut(j * d);
                let gi = &mut lo[i * d..(i + 1) * d];
                let gj = &mut hi[..d];
                for k in 0..d {
                    gi[k] += beta * wj[k];
                    gj[k] += beta * wi[k];
                }
            }
        }
    }
    if let Some(g) = grad {
        for i in 0..d {
            let a = alpha[i];
            for k in 0..d {
                g[i * d + k] += a * w[i * d + k];
            }
        }
    }
    Some(loss)
}

/// Exact: the seed of run `index` at dimension `d` for the batch seed `seed` (SplitMix64
/// outputs mixed, so neighbouring runs get unrelated streams).
pub fn run_seed(seed: u64, d: usize, index: usize) -> u64 {
    let mut g = SplitMix64::new(seed);
    let a = g.next_u64();
    let mut h = SplitMix64::new(a ^ (d as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let b = h.next_u64();
    SplitMix64::new(b ^ (index as u64).wrapping_mul(0xd1b5_4a32_d192_ed03)).next_u64()
}

/// Approximate: a random start of the given distribution, times `scale`.
pub fn random_start(init: Init, scale: f64, d: usize, rng: &mut SplitMix64) -> Vec<f64> {
    let sd = 1.0 / (d as f64).sqrt();
    let mut w: Vec<f64> = match init {
        Init::XavierNormal => (0..d * d).map(|_| rng.normal() * sd).collect(),
        Init::XavierUniform => {
            let a = (3.0 / d as f64).sqrt();
            (0..d * d)
                .map(|_| (2.0 * rng.uniform() - 1.0) * a)
                .collect()
        }
        Init::Orthogonal => {
            // Gram-Schmidt (twice, for stability) on Gaussian rows: the Haar measure.
            let mut m: Vec<f64> = (0..d * d).map(|_| rng.normal()).collect();
            for i in 0..d {
                for _ in 0..2 {
                    for j in 0..i {
                        let p: f64 = (0..d).map(|k| m[i * d + k] * m[j * d + k]).sum();
                        for k in 0..d {
                            m[i * d + k] -= p * m[j * d + k];
                        }
                    }
                }
                let n = (0..d)
                    .map(|k| m[i * d + k] * m[i * d + k])
                    .sum::<f64>()
                    .sqrt();
                for k in 0..d {
                    m[i * d + k] /= n;
                }
            }
            m
        }
    };
    w.iter_mut().for_each(|x| *x *= scale);
    w
}

/// Approximate: what the endpoint looks like for the stopping rule: `Some(sizes)` of the
/// symmetry found (`[0]` for a permutation of the teacher), `None` for no usable symmetry.
fn symmetry_key(w: &[f64], d: usize, tol: f64) -> Option<Vec<u64>> {
    let m = Matrix {
        source: String::new(),
        file: String::new(),
        d,
        entries: w.to_vec(),
    };
    if ident::global_minimum(&m, tol).is_some() {
        return Some(vec![0]);
    }
    let s = ident::symmetry::find_symmetry(w, d, tol);
    (!s.trivial && s.partition.r() <= ident::MAX_BLOCKS).then(|| s.partition.int_sizes_u64())
}

/// Approximate: gradient descent from `w` (d x d, row-major) with the options' step size
/// and stopping rules (see the module contract); `index` is recorded in the result.
pub fn descend_from(w: Vec<f64>, d: usize, index: usize, opts: &Options) -> RunEnd {
    let eta = opts.step_at(d);
    let mut w = w;
    let mut g = vec![0.0f64; d * d];
    let mut bound = f64::NAN;
    let mut last_key: Option<Vec<u64>> = None;
    let mut stable = 0u32;
    let end = |w: Vec<f64>, steps, loss, gn, stop| RunEnd {
        index,
        steps,
        approx_loss: loss,
        approx_grad_norm: gn,
        stop,
        w,
    };
    let mut steps = 0u64;
    loop {
        let Some(loss) = approx_loss_gradient(&w, d, Some(&mut g)) else {
            let reason = format!("a neuron reached zero or non-finite norm after {steps} steps");
            return end(w, steps, f64::NAN, f64::NAN, Stop::Diverged { reason });
        };
        if bound.is_nan() {
            bound = DIVERGENCE_FACTOR * (1.0 + loss.abs());
        }
        let gn = g.iter().map(|x| x * x).sum::<f64>().sqrt();
        if !loss.is_finite() || !gn.is_finite() || loss > bound {
            let reason = format!(
                "the loss reached {loss:.3e} after {steps} steps (bound {bound:.3e}): the step {eta} is too large"
            );
            return end(w, steps, loss, gn, Stop::Diverged { reason });
        }
        if gn <= opts.tol {
            return end(w, steps, loss, gn, Stop::Converged);
        }
        if opts.check_every > 0 && steps % opts.check_every == 0 && gn <= opts.stop_grad {
            let key = symmetry_key(&w, d, opts.identify.tol);
            if key.is_some() && key == last_key {
                stable += 1;
            } else {
                stable = u32::from(key.is_some());
            }
            last_key = key;
            if stable >= opts.stable_checks.max(1) {
                return end(w, steps, loss, gn, Stop::Settled);
            }
        }
        if steps >= opts.max_steps {
            return end(w, steps, loss, gn, Stop::NotConverged);
        }
        for (x, gx) in w.iter_mut().zip(&g) {
            *x -= eta * gx;
        }
        steps += 1;
    }
}

/// Approximate: `runs` descents at dimension d from seeded random starts, in parallel,
/// returned in run order; `done` is called once per finished run (any thread).
pub fn descend_batch(
    d: usize,
    runs: usize,
    seed: u64,
    opts: &Options,
    done: &(dyn Fn(&RunEnd) + Sync),
) -> Vec<RunEnd> {
    (0..runs)
        .into_par_iter()
        .map(|i| {
            let mut rng = SplitMix64::new(run_seed(seed, d, i));
            let w0 = random_start(opts.init, opts.scale, d, &mut rng);
            let r = descend_from(w0, d, i, opts);
            done(&r);
            r
        })
        .collect()
}

/// Exact: the published shares of runs ending at a spurious minimum (full-batch gradient
/// descent, Xavier normal starts): Safran & Shamir, ICML 2018 (1000 runs, step 0.1) and
/// Safran, Yehudai & Shamir, COLT 2021 (500 runs, step 5/d, gradient norm 1e-12).
pub const PUBLISHED: [Published; 3] = [
    Published {
        d: 7,
        icml2018: 0.055,
        colt2021: 0.054,
    },
    Published {
        d: 10,
        icml2018: 0.346,
        colt2021: 0.320,
    },
    Published {
        d: 20,
        icml2018: 0.949,
        colt2021: 0.942,
    },
];

/// Exact: one row of the published spurious-minimum shares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Published {
    /// The dimension k = d.
    pub d: usize,
    /// Safran & Shamir, ICML 2018 (1000 runs).
    pub icml2018: f64,
    /// Safran, Yehudai & Shamir, COLT 2021 (500 runs).
    pub colt2021: f64,
}

/// A batch at one d: the runs and where they ended.
#[derive(Clone, Debug)]
pub struct Batch {
    /// Exact: the dimension.
    pub d: usize,
    /// Exact: the batch seed.
    pub seed: u64,
    /// How the runs were made.
    pub options: Options,
    /// Approximate: every run's end, in run order.
    pub ends: Vec<RunEnd>,
    /// Encloses: the certified endpoints and the runs assigned to them.
    pub assignment: classify::Assignment,
}

/// The count of runs reaching a named family that is hidden from descent (II, IIsym).
#[derive(Clone, Debug, PartialEq)]
pub struct Hidden {
    /// The family.
    pub family: crate::search::families::Family,
    /// Exact: runs assigned to its certified point.
    pub count: usize,
    /// Approximate: the exact one-sided 95 % Clopper-Pearson upper bound on the
    /// probability that a run reaches it.
    pub upper95: f64,
}

impl Batch {
    /// Exact: the number of runs.
    pub fn runs(&self) -> usize {
        self.ends.len()
    }

    /// Exact: the runs that spent the step budget.
    pub fn not_converged(&self) -> Vec<usize> {
        self.ends
            .iter()
            .filter(|r| r.stop == Stop::NotConverged)
            .map(|r| r.index)
            .collect()
    }

    /// Exact: the runs that diverged, with the reason.
    pub fn diverged(&self) -> Vec<(usize, String)> {
        self.ends
            .iter()
            .filter_map(|r| match &r.stop {
                Stop::Diverged { reason } => Some((r.index, reason.clone())),
                _ => None,
            })
            .collect()
    }

    /// Exact: runs assigned to a certified spurious minimum (a strict local minimum that
    /// is not the global one).
    pub fn spurious(&self) -> usize {
        self.assignment
            .endpoints
            .iter()
            .filter(|e| e.spurious())
            .map(|e| e.runs.len())
            .sum()
    }

    /// Approximate: for II and IIsym, the runs that reached them and the 95 % upper bound
    /// on the probability of reaching each.
    pub fn hidden(&self) -> Vec<Hidden> {
        use crate::identify::name::Name;
        use crate::search::families::Family;
        [Family::II, Family::IIsym]
            .into_iter()
            .map(|f| {
                let count = self
                    .assignment
                    .endpoints
                    .iter()
                    .filter(|e| {
                        matches!(e.identified.name, Name::Flip { family: Some(g), .. } if g == f)
                    })
                    .map(|e| e.runs.len())
                    .sum();
                Hidden {
                    family: f,
                    count,
                    upper95: stats::clopper_pearson_upper(count, self.runs(), 0.05),
                }
            })
            .collect()
    }

    /// Exact: the published shares at this d, if any.
    pub fn published(&self) -> Option<Published> {
        PUBLISHED.iter().copied().find(|p| p.d == self.d)
    }
}

/// Encloses (the assignment; the descent is approximate): run a batch at d and assign
/// every ended run to a certified point. `ran` is called per finished descent, `assigned`
/// per run handled by the assignment.
pub fn run_batch(
    d: usize,
    runs: usize,
    seed: u64,
    opts: &Options,
    fam: &ident::FamilyPoints,
    ran: &(dyn Fn(&RunEnd) + Sync),
    assigned: &dyn Fn(&RunEnd),
) -> Batch {
    let ends = descend_batch(d, runs, seed, opts, ran);
    let assignment = classify::assign(d, &ends, opts, fam, assigned);
    Batch {
        d,
        seed,
        options: opts.clone(),
        ends,
        assignment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gradient_matches_central_differences() {
        let d = 5;
        let mut rng = SplitMix64::new(7);
        let w = random_start(Init::XavierNormal, 1.0, d, &mut rng);
        let mut g = vec![0.0; d * d];
        approx_loss_gradient(&w, d, Some(&mut g)).unwrap();
        let h = 1e-6;
        for p in 0..d * d {
            let (mut a, mut b) = (w.clone(), w.clone());
            a[p] += h;
            b[p] -= h;
            let fd = (approx_loss_gradient(&a, d, None).unwrap()
                - approx_loss_gradient(&b, d, None).unwrap())
                / (2.0 * h);
            assert!((fd - g[p]).abs() < 1e-7, "entry {p}: {fd} vs {}", g[p]);
        }
    }

    #[test]
    fn the_loss_is_zero_at_the_teacher_and_seeds_differ() {
        let d = 6;
        let eye: Vec<f64> = (0..d * d)
            .map(|p| if p / d == p % d { 1.0 } else { 0.0 })
            .collect();
        let l = approx_loss_gradient(&eye, d, None).unwrap();
        assert!(l.abs() < 1e-12, "{l}");
        assert_ne!(run_seed(1, 8, 0), run_seed(1, 8, 1));
        assert_ne!(run_seed(1, 8, 0), run_seed(1, 9, 0));
        assert_ne!(run_seed(1, 8, 0), run_seed(2, 8, 0));
    }

    #[test]
    fn orthogonal_starts_have_orthonormal_rows() {
        let d = 7;
        let mut rng = SplitMix64::new(3);
        let w = random_start(Init::Orthogonal, 1.0, d, &mut rng);
        for i in 0..d {
            for j in 0..d {
                let p: f64 = (0..d).map(|k| w[i * d + k] * w[j * d + k]).sum();
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((p - want).abs() < 1e-12);
            }
        }
    }
}
