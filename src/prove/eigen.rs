//! Rigorous eigenvalue enclosures of small symmetric interval matrices.
//!
//! **Contract.** [`enclose_eigenvalues`] returns intervals `E_1..E_m` (not necessarily
//! disjoint; clustered eigenvalues share a hull) such that for *every* symmetric matrix
//! `A` in the interval matrix `M`, the k-th smallest eigenvalue of `A` lies in `E_k`.
//!
//! Method: an approximate orthogonal eigenvector matrix `Q` of the midpoint (cyclic
//! Jacobi in round-to-nearest MPFR: approximate, but only used as a change of basis), then
//! in interval arithmetic `T = Q^T M Q` and `E = Q^T Q - I`. Every `Q^T A Q` lies in `T`,
//! so Gershgorin's theorem applied to `T` (a component of the union of discs that contains
//! `k` discs contains exactly `k` eigenvalues) encloses the sorted eigenvalues of
//! `Q^T A Q`. By Ostrowski's theorem `λ_k(Q^T A Q) = θ_k λ_k(A)` with
//! `θ_k ∈ [1 - ε, 1 + ε]`, `ε ≥ ||Q^T Q - I||_2` (bounded by the Frobenius norm), so
//! `λ_k(A) ∈ E_k / [1 - ε, 1 + ε]`. Requires `ε < 1`.

use crate::arith::{Interval, Mpfr, Scalar};
use crate::linalg::{self, Mat};
use rug::Float;

/// Why an enclosure could not be produced.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EigenFailure {
    /// The approximate eigenvectors were too far from orthogonal (or Jacobi failed).
    #[error("approximate eigenvectors unusable (||Q^T Q - I|| not below 1)")]
    BadBasis,
}

/// Encloses: the sorted eigenvalues of every symmetric matrix in `m` (see the contract).
pub fn enclose_eigenvalues(m: &Mat<Interval>) -> Result<Vec<Interval>, EigenFailure> {
    let n = m.len();
    if n == 0
        || m.iter()
            .flatten()
            .any(|x| x.lo().is_nan() || x.hi().is_nan())
    {
        return Err(EigenFailure::BadBasis);
    }
    let prec = m[0][0].precision();
    let mid: Mat<Mpfr> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    let s = Float::with_val(prec, m[i][j].mid() + m[j][i].mid());
                    Mpfr(s / 2u32)
                })
                .collect()
        })
        .collect();
    let (_, q) = linalg::jacobi_eigen(&mid).map_err(|_| EigenFailure::BadBasis)?;
    let qi: Mat<Interval> = q
        .iter()
        .map(|row| {
            row.iter()
                .map(|x| Interval::from_float(prec, &x.0).expect("finite"))
                .collect()
        })
        .collect();
    let qt = linalg::transpose(&qi);
    let t = linalg::matmul(&linalg::matmul(&qt, m), &qi);
    let e = linalg::matmul(&qt, &qi);
    // eps >= ||Q^T Q - I||_F
    let mut frob = Interval::point(prec, 0.0);
    for i in 0..n {
        for j in 0..n {
            let mut x = e[i][j].clone();
            if i == j {
                x = x - Interval::point(prec, 1.0);
            }
            frob = frob + x.sqr();
        }
    }
    let eps = frob.sqrt_nonneg().expect("a sum of squares").hi().clone();
    // Undecided (refused) on NaN: only `eps < 1` certainly true lets the proof go on.
    if eps.partial_cmp(&1) != Some(std::cmp::Ordering::Less) {
        return Err(EigenFailure::BadBasis);
    }
    // Gershgorin discs of T.
    let mut discs: Vec<Interval> = (0..n)
        .map(|i| {
            let mut r = Interval::point(prec, 0.0);
            for j in (0..n).filter(|&j| j != i) {
                r = r + Interval::from_float(prec, &t[i][j].mag()).expect("finite");
            }
            t[i][i].inflate(r.hi())
        })
        .collect();
    if discs.iter().any(|x| x.lo().is_nan() || x.hi().is_nan()) {
        return Err(EigenFailure::BadBasis);
    }
    discs.sort_by(|a, b| a.lo().partial_cmp(b.lo()).expect("no NaN (checked)"));
    let mut enclosures: Vec<Interval> = Vec::with_capacity(n);
    let mut k = 0;
    while k < n {
        let mut hull = discs[k].clone();
        let mut end = k + 1;
        while end < n && discs[end].lo() <= hull.hi() {
            hull = hull.hull(&discs[end]);
            end += 1;
        }
        for _ in k..end {
            enclosures.push(hull.clone());
        }
        k = end;
    }
    let theta = Interval::ball(prec, &Float::with_val(prec, 1), &eps);
    Ok(enclosures
        .into_iter()
        .map(|x| x.try_div(theta.clone()).expect("1 - eps > 0"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SplitMix64;

    #[test]
    fn enclosures_contain_high_precision_eigenvalues_of_random_matrices() {
        let mut rng = SplitMix64::new(3);
        for n in 1..=7 {
            for trial in 0..20 {
                let a: Vec<Vec<f64>> = (0..n)
                    .map(|_| (0..n).map(|_| rng.normal()).collect())
                    .collect();
                // symmetric, with a repeated eigenvalue in some trials
                let sym: Vec<Vec<f64>> = (0..n)
                    .map(|i| (0..n).map(|j| 0.5 * (a[i][j] + a[j][i])).collect())
                    .collect();
                let m: Mat<Interval> = sym
                    .iter()
                    .map(|r| r.iter().map(|&x| Interval::point(128, x)).collect())
                    .collect();
                let enc = enclose_eigenvalues(&m).unwrap();
                let hp: Mat<Mpfr> = sym
                    .iter()
                    .map(|r| r.iter().map(|&x| Mpfr::from_f64(512, x)).collect())
                    .collect();
                let (vals, _) = linalg::jacobi_eigen(&hp).unwrap();
                for (e, v) in enc.iter().zip(&vals) {
                    assert!(
                        e.contains(&Float::with_val(128, &v.0)),
                        "n={n} trial={trial}: {v:?} not in {e:?}"
                    );
                    assert!(e.width() < 1e-30, "n={n}: width {}", e.width());
                }
            }
        }
    }

    #[test]
    fn a_nan_entry_is_refused_not_enclosed() {
        for which in [0, 1] {
            let m: Mat<Interval> = vec![
                vec![
                    Interval::with_nan_end(1.0, 2.0, which),
                    Interval::point(128, 0.0),
                ],
                vec![Interval::point(128, 0.0), Interval::point(128, 2.0)],
            ];
            assert!(enclose_eigenvalues(&m).is_err(), "NaN gives no enclosure");
            assert!(
                crate::prove::definite::cholesky_positive(&m).is_err(),
                "NaN pivot is not certainly positive"
            );
        }
    }

    #[test]
    fn repeated_eigenvalues_share_an_enclosure() {
        let m: Mat<Interval> = vec![
            vec![Interval::point(128, 2.0), Interval::point(128, 0.0)],
            vec![Interval::point(128, 0.0), Interval::point(128, 2.0)],
        ];
        let enc = enclose_eigenvalues(&m).unwrap();
        assert!(enc.iter().all(|e| e.contains(&Float::with_val(128, 2))));
    }
}
