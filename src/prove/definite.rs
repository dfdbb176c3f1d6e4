//! Positive definiteness of symmetric interval matrices by interval Cholesky.
//!
//! **Contract.** If [`cholesky_positive`] returns `Ok`, every symmetric matrix in the
//! interval matrix is positive definite: the Cholesky recursion, run in interval
//! arithmetic, contains the recursion of each member, and each member's pivots lie in the
//! computed pivot intervals, all of which are certainly > 0. `Err(k)` names the first pivot
//! that is not certainly positive (which proves nothing either way).

use crate::arith::{Interval, Scalar};
use crate::linalg::Mat;

/// Encloses: `Ok(pivots)` proves positive definiteness (see the contract); `Err(k)` is
/// the first pivot not certainly positive.
pub fn cholesky_positive(m: &Mat<Interval>) -> Result<Vec<Interval>, usize> {
    let n = m.len();
    let mut l: Mat<Interval> = vec![Vec::with_capacity(n); n];
    let mut pivots = Vec::with_capacity(n);
    for k in 0..n {
        let mut s = m[k][k].clone();
        for j in 0..k {
            s = s - l[k][j].clone().sqr();
        }
        if !s.is_positive() {
            return Err(k);
        }
        pivots.push(s.clone());
        let lkk = s.try_sqrt().map_err(|_| k)?;
        for i in 0..n {
            if i < k {
                continue;
            }
            if i == k {
                l[k].push(lkk.clone());
                continue;
            }
            // a_ik = a_ki for every symmetric member: use both enclosures.
            let a = m[i][k]
                .intersect(&m[k][i])
                .unwrap_or_else(|| m[i][k].clone());
            let mut acc = a;
            for j in 0..k {
                acc = acc - l[i][j].clone() * l[k][j].clone();
            }
            l[i].push(acc.try_div(lkk.clone()).map_err(|_| k)?);
        }
    }
    Ok(pivots)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mat(a: &[&[f64]]) -> Mat<Interval> {
        a.iter()
            .map(|r| r.iter().map(|&x| Interval::point(64, x)).collect())
            .collect()
    }

    #[test]
    fn proves_positive_definite_and_refuses_indefinite() {
        assert!(cholesky_positive(&mat(&[&[4.0, 1.0], &[1.0, 3.0]])).is_ok());
        assert_eq!(cholesky_positive(&mat(&[&[1.0, 2.0], &[2.0, 1.0]])), Err(1));
        assert_eq!(cholesky_positive(&mat(&[&[-1.0]])), Err(0));
        let wide = vec![vec![Interval::from_decimal_bounds(64, "-0.1", "1").unwrap()]];
        assert_eq!(cholesky_positive(&wide), Err(0));
    }
}
