//! Second-order forward-mode automatic differentiation over any [`Scalar`].
//!
//! A [`Jet2`] carries a value, its gradient and its Hessian (packed upper triangle) with
//! respect to `n` seed variables. Every rule is an exact identity of calculus (sum, product,
//! and the chain rule `h = f'(u) h_u + f''(u) g_u g_u^T` for the unary functions), evaluated
//! in `S`. So a `Jet2<Interval>` evaluated on a box **encloses** the value, gradient and
//! Hessian of the function over the whole box, and a `Jet2<f64>` approximates them.
//!
//! Constants carry empty derivative vectors and are promoted on contact, so the model's
//! code never needs to know the number of variables.

use super::{kernel_derivatives, kernel_derivatives_n, SResult, Scalar};
use std::ops::{Add, Mul, Neg, Sub};

/// Value, gradient and Hessian with respect to `n` variables (`n = 0`: a constant).
#[derive(Clone, Debug)]
pub struct Jet2<S> {
    /// The value.
    pub v: S,
    /// The gradient (length `n`, or empty for a constant).
    pub g: Vec<S>,
    /// The Hessian, packed upper triangle row by row (length `n (n + 1) / 2`, or empty).
    pub h: Vec<S>,
}

/// Exact: index of `(i, j)`, `i <= j`, in a packed upper triangle of order `n`.
#[inline]
pub fn packed_index(n: usize, i: usize, j: usize) -> usize {
    debug_assert!(i <= j && j < n);
    i * n - i * (i + 1) / 2 + j
}

impl<S: Scalar> Jet2<S> {
    /// Exact: the `i`-th of `n` independent variables, with value `v`.
    pub fn variable(v: S, n: usize, i: usize) -> Self {
        let zero = v.cst(0.0);
        let mut g = vec![zero.clone(); n];
        g[i] = v.cst(1.0);
        Jet2 {
            h: vec![zero; n * (n + 1) / 2],
            g,
            v,
        }
    }

    /// Exact: a function of `n` variables that is affine, `v + sum_i dir_i t_i`.
    pub fn affine(v: S, dir: Vec<S>) -> Self {
        let n = dir.len();
        let zero = v.cst(0.0);
        Jet2 {
            h: vec![zero; n * (n + 1) / 2],
            g: dir,
            v,
        }
    }

    /// Exact: a constant (no derivative part).
    pub fn constant(v: S) -> Self {
        Jet2 {
            v,
            g: Vec::new(),
            h: Vec::new(),
        }
    }

    /// Exact: the number of variables (0 for a constant).
    pub fn nvars(&self) -> usize {
        self.g.len()
    }

    /// Exact: the Hessian entry `(i, j)` (either order).
    pub fn hess(&self, i: usize, j: usize) -> S {
        let (a, b) = if i <= j { (i, j) } else { (j, i) };
        self.h[packed_index(self.nvars(), a, b)].clone()
    }

    /// Exact: the Hessian as a dense row-major matrix.
    pub fn hessian_matrix(&self) -> Vec<Vec<S>> {
        let n = self.nvars();
        (0..n)
            .map(|i| (0..n).map(|j| self.hess(i, j)).collect())
            .collect()
    }

    /// Inherits S: the chain rule for a unary function with value and derivatives `f = [f, f', f'']`
    /// at `self.v`.
    pub fn compose(self, f: [S; 3]) -> Self {
        self.compose_r(&f)
    }

    fn compose_r(&self, f: &[S; 3]) -> Self {
        let [f0, f1, f2] = f;
        let n = self.nvars();
        if n == 0 {
            return Jet2::constant(f0.clone());
        }
        let mut h = Vec::with_capacity(self.h.len());
        for i in 0..n {
            let f2gi = f2.mul_r(&self.g[i]);
            for j in i..n {
                let mut e = f1.mul_r(&self.h[packed_index(n, i, j)]);
                e.mul_add_assign_r(&f2gi, &self.g[j]);
                h.push(e);
            }
        }
        let g = self.g.iter().map(|gi| f1.mul_r(gi)).collect();
        Jet2 {
            v: f0.clone(),
            g,
            h,
        }
    }

    fn scale_r(&self, c: &S) -> Self {
        Jet2 {
            v: c.mul_r(&self.v),
            g: self.g.iter().map(|a| c.mul_r(a)).collect(),
            h: self.h.iter().map(|a| c.mul_r(a)).collect(),
        }
    }

    fn mul_ref(&self, rhs: &Self) -> Self {
        let (na, nb) = (self.nvars(), rhs.nvars());
        if na == 0 {
            return rhs.scale_r(&self.v);
        }
        if nb == 0 {
            return self.scale_r(&rhs.v);
        }
        let n = na;
        let mut h = Vec::with_capacity(self.h.len());
        for i in 0..n {
            for j in i..n {
                let k = packed_index(n, i, j);
                let mut e = self.v.mul_r(&rhs.h[k]);
                e.mul_add_assign_r(&rhs.v, &self.h[k]);
                e.mul_add_assign_r(&self.g[i], &rhs.g[j]);
                e.mul_add_assign_r(&self.g[j], &rhs.g[i]);
                h.push(e);
            }
        }
        let g = (0..n)
            .map(|i| {
                let mut e = self.v.mul_r(&rhs.g[i]);
                e.mul_add_assign_r(&rhs.v, &self.g[i]);
                e
            })
            .collect();
        Jet2 {
            v: self.v.mul_r(&rhs.v),
            g,
            h,
        }
    }

    fn add_assign_ref(&mut self, rhs: &Self, sign: bool) {
        let op = |a: &mut S, b: &S| {
            if sign {
                a.add_assign_r(b)
            } else {
                a.sub_assign_r(b)
            }
        };
        op(&mut self.v, &rhs.v);
        if rhs.nvars() == 0 {
            return;
        }
        if self.nvars() == 0 {
            let zero = self.v.cst(0.0);
            let n = rhs.nvars();
            self.g = vec![zero.clone(); n];
            self.h = vec![zero; n * (n + 1) / 2];
        }
        for (a, b) in self.g.iter_mut().zip(&rhs.g) {
            op(a, b);
        }
        for (a, b) in self.h.iter_mut().zip(&rhs.h) {
            op(a, b);
        }
    }
}

/// The by-reference `Scalar` operations of an AD type, through its `add_assign_ref` and
/// `mul_ref` (expanded inside each `impl Scalar`).
macro_rules! scalar_ref_ops {
    () => {
        fn add_r(&self, rhs: &Self) -> Self {
            let mut out = self.clone();
            out.add_assign_ref(rhs, true);
            out
        }
        fn sub_r(&self, rhs: &Self) -> Self {
            let mut out = self.clone();
            out.add_assign_ref(rhs, false);
            out
        }
        fn mul_r(&self, rhs: &Self) -> Self {
            self.mul_ref(rhs)
        }
        fn add_assign_r(&mut self, rhs: &Self) {
            self.add_assign_ref(rhs, true);
        }
        fn sub_assign_r(&mut self, rhs: &Self) {
            self.add_assign_ref(rhs, false);
        }
    };
}

/// `+`, `-` and `*` by value for an AD type, through its by-reference operations.
macro_rules! ops_by_value {
    ($t:ident) => {
        impl<S: Scalar> Add for $t<S> {
            type Output = Self;
            fn add(mut self, rhs: Self) -> Self {
                self.add_assign_ref(&rhs, true);
                self
            }
        }

        impl<S: Scalar> Sub for $t<S> {
            type Output = Self;
            fn sub(mut self, rhs: Self) -> Self {
                self.add_assign_ref(&rhs, false);
                self
            }
        }

        impl<S: Scalar> Mul for $t<S> {
            type Output = Self;
            fn mul(self, rhs: Self) -> Self {
                self.mul_ref(&rhs)
            }
        }
    };
}

ops_by_value!(Jet2);
ops_by_value!(Jet1);

impl<S: Scalar> Neg for Jet2<S> {
    type Output = Self;
    fn neg(self) -> Self {
        Jet2 {
            v: -self.v,
            g: self.g.into_iter().map(|a| -a).collect(),
            h: self.h.into_iter().map(|a| -a).collect(),
        }
    }
}

impl<S: Scalar> Scalar for Jet2<S> {
    fn cst(&self, x: f64) -> Self {
        Jet2::constant(self.v.cst(x))
    }
    fn int(&self, n: i128) -> Self {
        Jet2::constant(self.v.int(n))
    }
    scalar_ref_ops!();
    fn sqr_r(&self) -> Self {
        let v = &self.v;
        let two = v.cst(2.0);
        self.compose_r(&[v.sqr_r(), two.mul_r(v), two])
    }
    fn pi(&self) -> Self {
        Jet2::constant(self.v.pi())
    }
    fn try_div(self, rhs: Self) -> SResult<Self> {
        // a / b = a * (1/b), with (1/b)' = -1/b^2 and (1/b)'' = 2/b^3.
        let b = rhs.v.clone();
        let r = b.cst(1.0).try_div(b.clone())?;
        let r2 = r.clone() * r.clone();
        let f = [r.clone(), -r2.clone(), r2 * r * b.cst(2.0)];
        Ok(self * rhs.compose(f))
    }
    fn try_sqrt(self) -> SResult<Self> {
        let s = self.v.clone().try_sqrt()?;
        let d1 = self.v.cst(0.5).try_div(s.clone())?;
        let d2 = -(d1.clone().try_div(self.v.clone() * self.v.cst(2.0))?);
        Ok(self.compose([s, d1, d2]))
    }
    fn try_acos(self) -> SResult<Self> {
        let x = self.v.clone();
        let t = x.clone().try_acos()?;
        let s2 = x.cst(1.0) - x.clone().sqr();
        let s = s2.clone().try_sqrt()?;
        let d1 = -(x.cst(1.0).try_div(s.clone())?);
        let d2 = -(x.try_div(s2 * s)?);
        Ok(self.compose([t, d1, d2]))
    }
    fn sqr(self) -> Self {
        let n = self.nvars();
        let two = self.v.cst(2.0);
        if n == 0 {
            return Jet2::constant(self.v.sqr());
        }
        let v = self.v.clone();
        let f = [v.clone().sqr(), two.clone() * v, two];
        self.compose(f)
    }
    fn kernel(self) -> SResult<Self> {
        let f = kernel_derivatives(&self.v)?;
        Ok(self.compose(f))
    }
    fn approx_f64(&self) -> f64 {
        self.v.approx_f64()
    }
    fn prec(&self) -> u32 {
        self.v.prec()
    }
}

/// Value and gradient with respect to `n` variables (first-order forward mode; `n = 0`: a
/// constant). Same contract as [`Jet2`], at a cost O(n) per operation.
#[derive(Clone, Debug)]
pub struct Jet1<S> {
    /// The value.
    pub v: S,
    /// The gradient (empty for a constant).
    pub g: Vec<S>,
}

impl<S: Scalar> Jet1<S> {
    /// Exact: the `i`-th of `n` independent variables, with value `v`.
    pub fn variable(v: S, n: usize, i: usize) -> Self {
        let mut g = vec![v.cst(0.0); n];
        g[i] = v.cst(1.0);
        Jet1 { v, g }
    }

    /// Exact: a constant.
    pub fn constant(v: S) -> Self {
        Jet1 { v, g: Vec::new() }
    }

    /// The chain rule for a unary function with value and derivative `[f, f']`.
    fn compose_r(&self, f0: S, f1: &S) -> Self {
        Jet1 {
            v: f0,
            g: self.g.iter().map(|x| f1.mul_r(x)).collect(),
        }
    }

    fn add_assign_ref(&mut self, rhs: &Self, sign: bool) {
        let op = |a: &mut S, b: &S| {
            if sign {
                a.add_assign_r(b)
            } else {
                a.sub_assign_r(b)
            }
        };
        op(&mut self.v, &rhs.v);
        if rhs.g.is_empty() {
            return;
        }
        if self.g.is_empty() {
            self.g = vec![self.v.cst(0.0); rhs.g.len()];
        }
        for (a, b) in self.g.iter_mut().zip(&rhs.g) {
            op(a, b);
        }
    }

    fn mul_ref(&self, rhs: &Self) -> Self {
        if self.g.is_empty() {
            return Jet1 {
                v: self.v.mul_r(&rhs.v),
                g: rhs.g.iter().map(|x| self.v.mul_r(x)).collect(),
            };
        }
        if rhs.g.is_empty() {
            return Jet1 {
                v: self.v.mul_r(&rhs.v),
                g: self.g.iter().map(|x| rhs.v.mul_r(x)).collect(),
            };
        }
        let g = self
            .g
            .iter()
            .zip(&rhs.g)
            .map(|(a, b)| {
                let mut e = self.v.mul_r(b);
                e.mul_add_assign_r(&rhs.v, a);
                e
            })
            .collect();
        Jet1 {
            v: self.v.mul_r(&rhs.v),
            g,
        }
    }
}

impl<S: Scalar> Neg for Jet1<S> {
    type Output = Self;
    fn neg(self) -> Self {
        Jet1 {
            v: -self.v,
            g: self.g.into_iter().map(|a| -a).collect(),
        }
    }
}

impl<S: Scalar> Scalar for Jet1<S> {
    fn cst(&self, x: f64) -> Self {
        Jet1::constant(self.v.cst(x))
    }
    fn int(&self, n: i128) -> Self {
        Jet1::constant(self.v.int(n))
    }
    fn pi(&self) -> Self {
        Jet1::constant(self.v.pi())
    }
    fn try_div(self, rhs: Self) -> SResult<Self> {
        let r = rhs.v.cst(1.0).try_div(rhs.v.clone())?;
        let d1 = -(r.clone() * r.clone());
        Ok(self.mul_ref(&rhs.compose_r(r, &d1)))
    }
    fn try_sqrt(self) -> SResult<Self> {
        let s = self.v.clone().try_sqrt()?;
        let d1 = self.v.cst(0.5).try_div(s.clone())?;
        Ok(self.compose_r(s, &d1))
    }
    fn try_acos(self) -> SResult<Self> {
        let x = self.v.clone();
        let t = x.clone().try_acos()?;
        let s = ((x.cst(1.0) - x.clone()) * (x.cst(1.0) + x.clone())).try_sqrt()?;
        let d1 = -(x.cst(1.0).try_div(s)?);
        Ok(self.compose_r(t, &d1))
    }
    fn kernel(self) -> SResult<Self> {
        let f = kernel_derivatives_n(&self.v, 2)?;
        Ok(self.compose_r(f[0].clone(), &f[1]))
    }
    scalar_ref_ops!();
    fn sqr_r(&self) -> Self {
        let two_v = self.v.cst(2.0).mul_r(&self.v);
        self.compose_r(self.v.sqr_r(), &two_v)
    }
    fn approx_f64(&self) -> f64 {
        self.v.approx_f64()
    }
    fn prec(&self) -> u32 {
        self.v.prec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_rule_and_chain_rule_on_a_polynomial() {
        // f(x, y) = x^2 y + sqrt(x) at (4, 3): grad = (2xy + 1/(2 sqrt x), x^2), etc.
        let x = Jet2::variable(4.0, 2, 0);
        let y = Jet2::variable(3.0, 2, 1);
        let f = x.clone().sqr() * y + x.try_sqrt().unwrap();
        assert!((f.v - 50.0).abs() < 1e-12);
        assert!((f.g[0] - (24.0 + 0.25)).abs() < 1e-12);
        assert!((f.g[1] - 16.0).abs() < 1e-12);
        assert!((f.hess(0, 0) - (6.0 - 1.0 / 32.0)).abs() < 1e-12);
        assert!((f.hess(0, 1) - 8.0).abs() < 1e-12);
        assert!(f.hess(1, 1).abs() < 1e-12);
    }
}
