//! Small dense linear algebra over any [`Scalar`], for the O(1)-sized reduced problems.
//!
//! Each routine states its trust level. [`solve`] and [`jacobi_eigen`] are approximate
//! methods (pivots and rotations are chosen from approximations), meant for `f64` and
//! [`crate::arith::Mpfr`]; run on intervals they would still be a composition of enclosed
//! operations, but their *purpose* is approximation. Rigorous statements about matrices
//! (definiteness, eigenvalue enclosures) live in `crate::prove`.

use crate::arith::{SResult, Scalar};

/// A dense row-major matrix.
pub type Mat<S> = Vec<Vec<S>>;

/// Approximate: the solution of `a x = b` by Gaussian elimination with partial pivoting
/// (pivots chosen by `approx_f64` magnitude); `Err` if a pivot is zero (singular matrix).
pub fn solve<S: Scalar>(a: &Mat<S>, b: &[S]) -> SResult<Vec<S>> {
    let n = b.len();
    let mut m: Mat<S> = a.to_vec();
    let mut x: Vec<S> = b.to_vec();
    for k in 0..n {
        let piv = (k..n)
            .max_by(|&i, &j| {
                m[i][k]
                    .approx_f64()
                    .abs()
                    .total_cmp(&m[j][k].approx_f64().abs())
            })
            .expect("non-empty range");
        m.swap(k, piv);
        x.swap(k, piv);
        for i in (k + 1)..n {
            let f = m[i][k].clone().try_div(m[k][k].clone())?;
            for j in k..n {
                m[i][j] = m[i][j].clone() - f.clone() * m[k][j].clone();
            }
            x[i] = x[i].clone() - f * x[k].clone();
        }
    }
    for k in (0..n).rev() {
        let mut acc = x[k].clone();
        for j in (k + 1)..n {
            acc = acc - m[k][j].clone() * x[j].clone();
        }
        x[k] = acc.try_div(m[k][k].clone())?;
    }
    Ok(x)
}

/// Approximate: the inverse of `a` (column by column with [`solve`]).
pub fn inverse<S: Scalar>(a: &Mat<S>) -> SResult<Mat<S>> {
    let n = a.len();
    let like = &a[0][0];
    let mut cols = Vec::with_capacity(n);
    for j in 0..n {
        let e: Vec<S> = (0..n)
            .map(|i| like.cst(if i == j { 1.0 } else { 0.0 }))
            .collect();
        cols.push(solve(a, &e)?);
    }
    Ok((0..n)
        .map(|i| (0..n).map(|j| cols[j][i].clone()).collect())
        .collect())
}

/// Inherits S: the product `a b`.
pub fn matmul<S: Scalar>(a: &Mat<S>, b: &Mat<S>) -> Mat<S> {
    let (n, k, m) = (a.len(), b.len(), b[0].len());
    (0..n)
        .map(|i| {
            (0..m)
                .map(|j| {
                    let mut acc = a[i][0].clone() * b[0][j].clone();
                    for l in 1..k {
                        acc = acc + a[i][l].clone() * b[l][j].clone();
                    }
                    acc
                })
                .collect()
        })
        .collect()
}

/// Inherits S: the product `a x`.
pub fn matvec<S: Scalar>(a: &Mat<S>, x: &[S]) -> Vec<S> {
    a.iter()
        .map(|row| {
            let mut acc = row[0].clone() * x[0].clone();
            for l in 1..x.len() {
                acc = acc + row[l].clone() * x[l].clone();
            }
            acc
        })
        .collect()
}

/// Exact: the transpose.
pub fn transpose<S: Clone>(a: &Mat<S>) -> Mat<S> {
    if a.is_empty() {
        return Vec::new();
    }
    (0..a[0].len())
        .map(|j| a.iter().map(|row| row[j].clone()).collect())
        .collect()
}

/// Approximate: eigenvalues (ascending) and eigenvectors (columns of the returned matrix,
/// in the same order) of a symmetric matrix by the cyclic Jacobi method, iterated until the
/// off-diagonal part is negligible at the precision of `S`.
pub fn jacobi_eigen<S: Scalar>(a: &Mat<S>) -> SResult<(Vec<S>, Mat<S>)> {
    let n = a.len();
    let like = a[0][0].clone();
    let mut m = a.to_vec();
    let mut v: Mat<S> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| like.cst(if i == j { 1.0 } else { 0.0 }))
                .collect()
        })
        .collect();
    let eps = 2f64.powi(-(like.prec() as i32));
    for _sweep in 0..100 {
        let mut off = 0.0f64;
        let mut diag = 0.0f64;
        for i in 0..n {
            diag = diag.max(m[i][i].approx_f64().abs());
            for j in (i + 1)..n {
                off = off.max(m[i][j].approx_f64().abs());
            }
        }
        if off <= eps * diag.max(f64::MIN_POSITIVE) || off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in (p + 1)..n {
                let apq = m[p][q].approx_f64();
                if apq == 0.0 {
                    continue;
                }
                // Rotation annihilating m[p][q]: theta = (a_qq - a_pp) / (2 a_pq),
                // t = sign(theta) / (|theta| + sqrt(theta^2 + 1)).
                let theta =
                    (m[q][q].clone() - m[p][p].clone()).try_div(like.cst(2.0) * m[p][q].clone())?;
                let th = theta.approx_f64();
                let root = (theta.clone().sqr() + like.cst(1.0)).try_sqrt()?;
                let t = if th >= 0.0 {
                    like.cst(1.0).try_div(theta + root)?
                } else {
                    (-like.cst(1.0)).try_div(root - theta)?
                };
                let c = like
                    .cst(1.0)
                    .try_div((t.clone().sqr() + like.cst(1.0)).try_sqrt()?)?;
                let s = t * c.clone();
                for k in 0..n {
                    let mkp = m[k][p].clone();
                    let mkq = m[k][q].clone();
                    m[k][p] = c.clone() * mkp.clone() - s.clone() * mkq.clone();
                    m[k][q] = s.clone() * mkp + c.clone() * mkq;
                }
                for k in 0..n {
                    let mpk = m[p][k].clone();
                    let mqk = m[q][k].clone();
                    m[p][k] = c.clone() * mpk.clone() - s.clone() * mqk.clone();
                    m[q][k] = s.clone() * mpk + c.clone() * mqk;
                }
                for row in v.iter_mut() {
                    let vkp = row[p].clone();
                    let vkq = row[q].clone();
                    row[p] = c.clone() * vkp.clone() - s.clone() * vkq.clone();
                    row[q] = s.clone() * vkp + c.clone() * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| m[i][i].approx_f64().total_cmp(&m[j][j].approx_f64()));
    let vals = order.iter().map(|&i| m[i][i].clone()).collect();
    let vecs = (0..n)
        .map(|r| order.iter().map(|&i| v[r][i].clone()).collect())
        .collect();
    Ok((vals, vecs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_and_eigen_on_a_known_matrix() {
        let a = vec![
            vec![4.0, 1.0, 0.0],
            vec![1.0, 3.0, 1.0],
            vec![0.0, 1.0, 2.0],
        ];
        let x = solve(&a, &[1.0, 2.0, 3.0]).unwrap();
        let back = matvec(&a, &x);
        for (b, e) in back.iter().zip([1.0, 2.0, 3.0]) {
            assert!((b - e).abs() < 1e-14);
        }
        let (vals, vecs) = jacobi_eigen(&a).unwrap();
        // trace and determinant
        assert!((vals.iter().sum::<f64>() - 9.0).abs() < 1e-13);
        assert!((vals.iter().product::<f64>() - 18.0).abs() < 1e-12);
        for k in 0..3 {
            let col: Vec<f64> = (0..3).map(|i| vecs[i][k]).collect();
            let av = matvec(&a, &col);
            for i in 0..3 {
                assert!((av[i] - vals[k] * col[i]).abs() < 1e-13);
            }
        }
    }
}
