//! Searching a Young fixed space for critical points from random starts.
//!
//! **Approximate.** Newton (in [`crate::search::newton`]) from `starts` seeded random points of
//! `Fix(ΔG)`; converged points are merged when they agree to `1e-6` in every coordinate,
//! and sorted by loss. The global minimum `W = I` (loss 0) lies on the non-smooth set
//! (every row parallel to a target), where Newton cannot finish: a run whose loss falls
//! below `1e-12` is recorded as that point, with its exact coordinates
//! (`D = 1`, `O = X = 0`) and exact loss 0 (`L >= 0` and `L(I) = 0`).

use crate::model::partition::{Param, Partition, Refinement};
use crate::random::SplitMix64;
use crate::search::dense_spectrum;
use crate::search::families::{self, Family};
use crate::search::newton::{self, auto_prec};

/// What kind of point a scan found.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A critical point where the loss is smooth.
    Smooth,
    /// The global minimum W = I (loss exactly 0), on the non-smooth set.
    GlobalMinimum,
    /// A critical point of the reduced loss where the full loss is not smooth (two rows
    /// parallel, say): the dense Hessian does not exist there.
    NonSmooth,
}

/// Approximate: one distinct critical point found by a scan.
#[derive(Clone, Debug)]
pub struct ScanPoint {
    /// The point (layout order), f64.
    pub theta: Vec<f64>,
    /// Approximate: loss (exactly 0 for the global minimum).
    pub loss: f64,
    /// Approximate: dense gradient max-norm (0 for the global minimum).
    pub grad_norm: f64,
    /// Smooth critical point or the global minimum.
    pub kind: Kind,
    /// How many starts reached it.
    pub hits: usize,
    /// Approximate: dense spectrum and classification (small integer d only).
    pub spectrum: Option<dense_spectrum::DenseSpectrum>,
    /// The named family this point is (up to 1e-6 in every coordinate), if any.
    pub family: Option<Family>,
}

/// Approximate: points whose smoothness margin (see
/// [`crate::model::reduced::smoothness_margin`]: the smallest `1 - |cos|` over pairs of
/// rows and targets, and the smallest row norm) is below this are reported as non-smooth,
/// never classified by a spectrum.
pub const NONSMOOTH_MARGIN: f64 = 1e-6;

/// Approximate: the distinct critical points reached from `starts` random starts, sorted by
/// loss; dense spectra are computed when `dense` and the block sizes are integers.
pub fn scan(part: &Partition, starts: usize, seed: u64, dense: bool) -> Vec<ScanPoint> {
    scan_with_progress(part, starts, seed, dense, &|| {})
}

/// Approximate: [`scan`], calling `progress()` after each start.
pub fn scan_with_progress(
    part: &Partition,
    starts: usize,
    seed: u64,
    dense: bool,
    progress: &dyn Fn(),
) -> Vec<ScanPoint> {
    let mut rng = SplitMix64::new(seed);
    let prec = auto_prec(part.d());
    let mut found: Vec<ScanPoint> = Vec::new();
    for _ in 0..starts {
        progress();
        let start = random_start(part, &mut rng);
        let point = match newton::newton_at_prec(part, &start, prec) {
            Ok(f) => {
                let theta: Vec<f64> = f.theta.iter().map(|x| x.0.to_f64()).collect();
                // Rows (anti)parallel or a zero row: the loss is not twice differentiable
                // there, and no spectrum classifies it.
                let smooth =
                    crate::model::reduced::smoothness_margin(part, &theta) > NONSMOOTH_MARGIN;
                ScanPoint {
                    theta,
                    loss: f.loss.0.to_f64(),
                    grad_norm: f.grad_norm,
                    kind: if smooth {
                        Kind::Smooth
                    } else {
                        Kind::NonSmooth
                    },
                    hits: 1,
                    spectrum: None,
                    family: None,
                }
            }
            Err(e) if e.last_loss().is_some_and(|l| l.abs() < 1e-12) => global_minimum(part),
            Err(_) => continue,
        };
        match found.iter_mut().find(|p| {
            p.theta
                .iter()
                .zip(&point.theta)
                .all(|(a, b)| (a - b).abs() < 1e-6)
        }) {
            Some(p) => p.hits += 1,
            None => found.push(point),
        }
    }
    for p in found.iter_mut().filter(|p| p.kind == Kind::Smooth) {
        p.family = identify(part, &p.theta);
        if dense && part.is_integral() {
            match dense_spectrum::dense_spectrum(part, &p.theta) {
                Ok(s) => p.spectrum = Some(s),
                Err(_) => p.kind = Kind::NonSmooth,
            }
        }
    }
    found.sort_by(|a, b| a.loss.total_cmp(&b.loss));
    found
}

/// Exact: the global minimum W = I in the fixed space (`D = 1`, `O = X = 0`, loss 0).
fn global_minimum(part: &Partition) -> ScanPoint {
    ScanPoint {
        theta: part
            .params()
            .iter()
            .map(|p| if matches!(p, Param::D(_)) { 1.0 } else { 0.0 })
            .collect(),
        loss: 0.0,
        grad_norm: 0.0,
        kind: Kind::GlobalMinimum,
        hits: 1,
        spectrum: None,
        family: None,
    }
}

/// Approximate: the named family a point of `part` is, comparing with the family's point
/// at the same d (embedded by refinement when the family's fixed space is coarser).
pub fn identify(part: &Partition, theta: &[f64]) -> Option<Family> {
    if !part.is_integral() {
        return None;
    }
    let d = part.d();
    Family::ALL.into_iter().find(|&fam| {
        if d < fam.min_d() as f64 {
            return false;
        }
        let Some(fp) = fam.partition(d) else {
            return false;
        };
        let refinement = if fp.sizes() == part.sizes() {
            None
        } else if fp.r() == 1 && part.sizes() == [d - 1.0, 1.0] {
            Some(Refinement::split(&fp, 0, &[d - 1.0, 1.0]).expect("valid split"))
        } else {
            return false;
        };
        let embed = |t: &[f64]| match &refinement {
            Some(r) => r.embed(t),
            None => t.to_vec(),
        };
        let Ok(loc) = families::locate(fam, d, Some(53)) else {
            return false;
        };
        let t: Vec<f64> = loc.found.theta.iter().map(|x| x.0.to_f64()).collect();
        embed(&t)
            .iter()
            .zip(theta)
            .all(|(a, b)| (a - b).abs() < 1e-6)
    })
}

/// Approximate: a random point whose rows have norm about 1: each parameter is normal with
/// variance 1 / (number of its entries in one row).
fn random_start(part: &Partition, rng: &mut SplitMix64) -> Vec<f64> {
    part.params()
        .iter()
        .map(|&p| {
            let per_row = match p {
                Param::D(_) => 1.0,
                Param::O(a) => part.sizes()[a] - 1.0,
                Param::X(_, b) => part.sizes()[b],
            };
            rng.normal() / per_row.sqrt()
        })
        .collect()
}
