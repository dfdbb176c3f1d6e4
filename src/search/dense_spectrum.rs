//! Approximate spectra in f64: the dense `d^2 x d^2` Hessian (small d), grouping of
//! eigenvalues into distinct values with multiplicities, and the classification they
//! suggest. Everything here is **approximate**; certified spectra come from
//! `crate::prove`.

use crate::model::dense;
use crate::model::partition::Partition;
use crate::symmetry::components::BlockError;
use nalgebra::DMatrix;

/// Approximate: a distinct eigenvalue and how often it repeats.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Eigen {
    /// Approximate: the eigenvalue (mean of its cluster).
    pub value: f64,
    /// Exact (given the clustering): the number of eigenvalues in the cluster.
    pub multiplicity: usize,
}

/// Approximate: what a spectrum says about a critical point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// Every eigenvalue clearly positive.
    Minimum,
    /// Some eigenvalue clearly negative (`index` of them, with multiplicity).
    Saddle,
    /// An eigenvalue too close to 0 to tell.
    Degenerate,
}

impl std::fmt::Display for Classification {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Classification {
    /// Exact: the name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Classification::Minimum => "minimum",
            Classification::Saddle => "saddle",
            Classification::Degenerate => "degenerate",
        }
    }
}

/// Approximate: the dense Hessian spectrum at a reduced point (integer sizes, small d),
/// sorted ascending.
pub fn dense_eigenvalues(part: &Partition, theta: &[f64]) -> Result<Vec<f64>, BlockError> {
    let w = part.embed(theta).ok_or(BlockError::NotIntegral)?;
    let h = dense::hessian(&w)?;
    let n = h.len();
    let m = DMatrix::from_fn(n, n, |i, j| 0.5 * (h[i][j] + h[j][i]));
    let mut ev: Vec<f64> = m.symmetric_eigenvalues().iter().copied().collect();
    ev.sort_by(f64::total_cmp);
    Ok(ev)
}

/// Approximate: group sorted eigenvalues whose neighbours differ by at most
/// `tol * max(1, |value|)`.
pub fn group(sorted: &[f64], tol: f64) -> Vec<Eigen> {
    let mut out: Vec<(f64, usize, f64)> = Vec::new(); // (sum, count, last)
    for &x in sorted {
        match out.last_mut() {
            Some((sum, count, last)) if (x - *last).abs() <= tol * x.abs().max(1.0) => {
                *sum += x;
                *count += 1;
                *last = x;
            }
            _ => out.push((x, 1, x)),
        }
    }
    out.into_iter()
        .map(|(sum, count, _)| Eigen {
            value: sum / count as f64,
            multiplicity: count,
        })
        .collect()
}

/// Approximate: classification and index (number of negative eigenvalues) of a grouped
/// spectrum, with `zero_tol` the threshold below which an eigenvalue counts as 0.
pub fn classify(groups: &[Eigen], zero_tol: f64) -> (Classification, usize) {
    let index = groups
        .iter()
        .filter(|e| e.value < -zero_tol)
        .map(|e| e.multiplicity)
        .sum();
    if groups.iter().any(|e| e.value.abs() <= zero_tol) {
        (Classification::Degenerate, index)
    } else if index > 0 {
        (Classification::Saddle, index)
    } else {
        (Classification::Minimum, 0)
    }
}

/// Tolerances used for dense f64 spectra: clustering and zero threshold.
pub const CLUSTER_TOL: f64 = 1e-8;
/// Eigenvalues of absolute value below this count as 0 in f64 classification.
pub const ZERO_TOL: f64 = 1e-9;

/// Approximate: a dense f64 spectrum, grouped, with the classification it suggests.
#[derive(Clone, Debug, PartialEq)]
pub struct DenseSpectrum {
    /// Approximate: the distinct eigenvalues with multiplicities, ascending.
    pub groups: Vec<Eigen>,
    /// Approximate: what the spectrum suggests.
    pub classification: Classification,
    /// Approximate: the number of negative eigenvalues (with multiplicity).
    pub index: usize,
}

/// Approximate: the dense Hessian spectrum at a reduced point (integer sizes, small d),
/// grouped ([`CLUSTER_TOL`]) and classified ([`ZERO_TOL`]).
pub fn dense_spectrum(part: &Partition, theta: &[f64]) -> Result<DenseSpectrum, BlockError> {
    let ev = dense_eigenvalues(part, theta)?;
    let groups = group(&ev, CLUSTER_TOL);
    let (classification, index) = classify(&groups, ZERO_TOL);
    Ok(DenseSpectrum {
        groups,
        classification,
        index,
    })
}
