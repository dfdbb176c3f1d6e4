//! Univariate Taylor arithmetic to order 4 over any [`Scalar`].
//!
//! A [`Taylor`] holds the coefficients `c_0..c_4` of a function of one variable `t`
//! truncated after `t^4`. Arithmetic on truncated series is exact (Cauchy product, and for a
//! unary `f` the composition `f(u(t)) = sum_j f^(j)(u_0)/j! (u(t) - u_0)^j`, which needs
//! only `j <= 4`). Evaluated in [`crate::arith::Interval`] it **encloses** the directional
//! derivatives `D^k L(x)[u, ..., u] = k! c_k` of the loss along a line `x + t u`; this is
//! how the cubic and quartic terms of tangency arcs are certified.

use super::{kernel_derivatives_n, SResult, Scalar};
use std::ops::{Add, Mul, Neg, Sub};

/// Number of coefficients kept (orders 0 through 4).
pub const ORDER: usize = 5;

/// Truncated power series `c_0 + c_1 t + ... + c_4 t^4`.
#[derive(Clone, Debug)]
pub struct Taylor<S> {
    /// The coefficients `c_0..c_4`.
    pub c: [S; ORDER],
}

impl<S: Scalar> Taylor<S> {
    /// Exact: the line `x0 + t u`.
    pub fn line(x0: S, u: S) -> Self {
        let z = x0.cst(0.0);
        Taylor {
            c: [x0, u, z.clone(), z.clone(), z],
        }
    }

    /// Exact: a constant.
    pub fn constant(x: S) -> Self {
        let z = x.cst(0.0);
        Taylor {
            c: [x, z.clone(), z.clone(), z.clone(), z],
        }
    }

    /// Exact: the `k`-th derivative at `t = 0`, `k! c_k`.
    pub fn derivative(&self, k: usize) -> S {
        let fact = [1.0, 1.0, 2.0, 6.0, 24.0][k];
        self.c[k].cst(fact) * self.c[k].clone()
    }

    /// Composition with a unary function given its derivatives `f^(j)(c_0)`, `j = 0..4`.
    fn compose(&self, f: Vec<S>) -> Self {
        let mut delta = self.clone();
        delta.c[0] = self.c[0].cst(0.0);
        let mut out = Taylor::constant(f[0].clone());
        let mut power = delta.clone();
        for (j, fj) in f.iter().enumerate().skip(1) {
            // 1/6 and 1/24 are not binary fractions: divide in S instead.
            let coef = match j {
                1 => fj.clone(),
                2 => fj.clone() * fj.cst(0.5),
                3 => fj.clone().try_div(fj.cst(6.0)).expect("6 is not 0"),
                _ => fj.clone().try_div(fj.cst(24.0)).expect("24 is not 0"),
            };
            out = out + power.scale(&coef);
            power = power * delta.clone();
        }
        out
    }

    fn scale(&self, k: &S) -> Self {
        Taylor {
            c: self.c.clone().map(|x| k.clone() * x),
        }
    }
}

impl<S: Scalar> Add for Taylor<S> {
    type Output = Self;
    fn add(self, rhs: Self) -> Self {
        let mut it = rhs.c.into_iter();
        Taylor {
            c: self.c.map(|a| a + it.next().expect("same length")),
        }
    }
}

impl<S: Scalar> Sub for Taylor<S> {
    type Output = Self;
    fn sub(self, rhs: Self) -> Self {
        self + (-rhs)
    }
}

impl<S: Scalar> Neg for Taylor<S> {
    type Output = Self;
    fn neg(self) -> Self {
        Taylor {
            c: self.c.map(|a| -a),
        }
    }
}

impl<S: Scalar> Mul for Taylor<S> {
    type Output = Self;
    fn mul(self, rhs: Self) -> Self {
        let c = std::array::from_fn(|k| {
            let mut acc = self.c[0].clone() * rhs.c[k].clone();
            for i in 1..=k {
                acc = acc + self.c[i].clone() * rhs.c[k - i].clone();
            }
            acc
        });
        Taylor { c }
    }
}

/// Derivatives `f^(j)(x)`, `j = 0..4`, of a power `x^p` from `f^(j+1) = f^(j) (p - j) / x`.
fn power_derivatives<S: Scalar>(x: &S, f0: S, p: f64) -> SResult<Vec<S>> {
    let mut out = vec![f0];
    for j in 0..ORDER - 1 {
        let factor = x.cst(p) - x.int(j as i128);
        let next = (out[j].clone() * factor).try_div(x.clone())?;
        out.push(next);
    }
    Ok(out)
}

impl<S: Scalar> Scalar for Taylor<S> {
    fn cst(&self, x: f64) -> Self {
        Taylor::constant(self.c[0].cst(x))
    }
    fn int(&self, n: i128) -> Self {
        Taylor::constant(self.c[0].int(n))
    }
    fn pi(&self) -> Self {
        Taylor::constant(self.c[0].pi())
    }
    fn try_div(self, rhs: Self) -> SResult<Self> {
        let b = rhs.c[0].clone();
        let r = b.cst(1.0).try_div(b.clone())?;
        Ok(self * rhs.compose(power_derivatives(&b, r, -1.0)?))
    }
    fn try_sqrt(self) -> SResult<Self> {
        let x = self.c[0].clone();
        let s = x.clone().try_sqrt()?;
        Ok(self.compose(power_derivatives(&x, s, 0.5)?))
    }
    fn try_acos(self) -> SResult<Self> {
        // acos^(j) = -2 pi k^(j+1) for j >= 1, with k^(5) = 3 c (3 + 2 c^2) / (2 pi s^7).
        let x = self.c[0].clone();
        let k = kernel_derivatives_n(&x, 5)?;
        let two_pi = x.pi() * x.cst(2.0);
        let s2 = x.cst(1.0) - x.clone().sqr();
        let s = s2.clone().try_sqrt()?;
        let s7 = s2.clone() * s2.clone() * s2 * s;
        let k5 = (x.cst(3.0) * x.clone() * (x.cst(3.0) + x.cst(2.0) * x.clone().sqr()))
            .try_div(two_pi.clone() * s7)?;
        let mut f = vec![x.clone().try_acos()?];
        for kj in k.into_iter().skip(2).chain(std::iter::once(k5)) {
            f.push(-(two_pi.clone() * kj));
        }
        Ok(self.compose(f))
    }
    fn kernel(self) -> SResult<Self> {
        let f = kernel_derivatives_n(&self.c[0], 5)?;
        Ok(self.compose(f))
    }
    fn approx_f64(&self) -> f64 {
        self.c[0].approx_f64()
    }
    fn prec(&self) -> u32 {
        self.c[0].prec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_of_known_functions() {
        // acos(0.3 + t), kernel and sqrt against central differences of f64 closures.
        let x0 = 0.3;
        let t = Taylor::line(x0, 1.0);
        type Case = (Taylor<f64>, Box<dyn Fn(f64) -> f64>);
        let cases: Vec<Case> = vec![
            (t.clone().try_acos().unwrap(), Box::new(|x: f64| x.acos())),
            (t.clone().try_sqrt().unwrap(), Box::new(|x: f64| x.sqrt())),
            (
                t.clone().kernel().unwrap(),
                Box::new(|x: f64| x.kernel().unwrap()),
            ),
            (
                t.clone().cst(1.0).try_div(t.clone()).unwrap(),
                Box::new(|x: f64| 1.0 / x),
            ),
        ];
        for (series, f) in cases {
            let h = 1e-2;
            let d1 = (f(x0 + h) - f(x0 - h)) / (2.0 * h);
            let d2 = (f(x0 + h) - 2.0 * f(x0) + f(x0 - h)) / (h * h);
            let d3 = (f(x0 + 2.0 * h) - 2.0 * f(x0 + h) + 2.0 * f(x0 - h) - f(x0 - 2.0 * h))
                / (2.0 * h * h * h);
            let d4 = (f(x0 + 2.0 * h) - 4.0 * f(x0 + h) + 6.0 * f(x0) - 4.0 * f(x0 - h)
                + f(x0 - 2.0 * h))
                / (h * h * h * h);
            for (k, fd) in [(1, d1), (2, d2), (3, d3), (4, d4)] {
                let got = series.derivative(k);
                assert!(
                    (got - fd).abs() < 1e-2 * (1.0 + fd.abs()),
                    "order {k}: {got} vs {fd}"
                );
            }
        }
    }
}
