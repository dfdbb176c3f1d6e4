//! Approximate MPFR arithmetic: round-to-nearest at a chosen precision.
//!
//! Every value of [`Mpfr`] is an approximation: each operation is correctly rounded to
//! nearest, but errors accumulate and nothing bounds them. Use it to *find* points (Newton)
//! and to compute approximate eigenvectors; never to claim a bound. Enclosures come from
//! [`crate::arith::Interval`].

use super::{NonSmooth, SResult, Scalar};
use rug::float::Constant;
use rug::Float;
use std::ops::{Add, Mul, Neg, Sub};

/// Approximate: an MPFR float, every operation rounded to nearest.
#[derive(Clone, Debug, PartialEq, PartialOrd)]
pub struct Mpfr(pub Float);

impl Mpfr {
    /// Exact: `x` at precision `prec` (exact since `prec >= 53`).
    pub fn from_f64(prec: u32, x: f64) -> Self {
        Mpfr(Float::with_val(prec.max(53), x))
    }
    /// Approximate: a decimal string rounded to nearest; `None` if it does not parse.
    pub fn parse(prec: u32, s: &str) -> Option<Self> {
        let p = Float::parse(s.trim()).ok()?;
        let f = Float::with_val(prec, p);
        f.is_finite().then_some(Mpfr(f))
    }
    /// Exact: the underlying float.
    pub fn float(&self) -> &Float {
        &self.0
    }
    /// Approximate: absolute value.
    pub fn abs(&self) -> Self {
        Mpfr(Float::with_val(self.0.prec(), self.0.abs_ref()))
    }
}

impl Add for Mpfr {
    type Output = Mpfr;
    fn add(self, rhs: Mpfr) -> Mpfr {
        let p = self.0.prec().max(rhs.0.prec());
        Mpfr(Float::with_val(p, &self.0 + &rhs.0))
    }
}
impl Sub for Mpfr {
    type Output = Mpfr;
    fn sub(self, rhs: Mpfr) -> Mpfr {
        let p = self.0.prec().max(rhs.0.prec());
        Mpfr(Float::with_val(p, &self.0 - &rhs.0))
    }
}
impl Mul for Mpfr {
    type Output = Mpfr;
    fn mul(self, rhs: Mpfr) -> Mpfr {
        let p = self.0.prec().max(rhs.0.prec());
        Mpfr(Float::with_val(p, &self.0 * &rhs.0))
    }
}
impl Neg for Mpfr {
    type Output = Mpfr;
    fn neg(self) -> Mpfr {
        Mpfr(-self.0)
    }
}

impl Scalar for Mpfr {
    fn cst(&self, x: f64) -> Self {
        Mpfr::from_f64(self.0.prec(), x)
    }
    fn int(&self, n: i128) -> Self {
        Mpfr(Float::with_val(self.0.prec(), n))
    }
    fn add_r(&self, rhs: &Self) -> Self {
        Mpfr(Float::with_val(
            self.0.prec().max(rhs.0.prec()),
            &self.0 + &rhs.0,
        ))
    }
    fn sub_r(&self, rhs: &Self) -> Self {
        Mpfr(Float::with_val(
            self.0.prec().max(rhs.0.prec()),
            &self.0 - &rhs.0,
        ))
    }
    fn mul_r(&self, rhs: &Self) -> Self {
        Mpfr(Float::with_val(
            self.0.prec().max(rhs.0.prec()),
            &self.0 * &rhs.0,
        ))
    }
    fn add_assign_r(&mut self, rhs: &Self) {
        self.0 += &rhs.0;
    }
    fn sub_assign_r(&mut self, rhs: &Self) {
        self.0 -= &rhs.0;
    }
    fn pi(&self) -> Self {
        Mpfr(Float::with_val(self.0.prec(), Constant::Pi))
    }
    fn try_div(self, rhs: Self) -> SResult<Self> {
        if rhs.0.is_zero() || !rhs.0.is_finite() {
            return Err(NonSmooth::DivisorTouchesZero);
        }
        let p = self.0.prec().max(rhs.0.prec());
        Ok(Mpfr(Float::with_val(p, &self.0 / &rhs.0)))
    }
    fn try_sqrt(self) -> SResult<Self> {
        if self.0 <= 0 || !self.0.is_finite() {
            return Err(NonSmooth::SqrtTouchesZero);
        }
        Ok(Mpfr(Float::with_val(self.0.prec(), self.0.sqrt_ref())))
    }
    fn try_acos(self) -> SResult<Self> {
        if !(self.0 > -1 && self.0 < 1) {
            return Err(NonSmooth::CosineTouchesOne);
        }
        Ok(Mpfr(Float::with_val(self.0.prec(), self.0.acos_ref())))
    }
    fn sqr(self) -> Self {
        Mpfr(Float::with_val(self.0.prec(), self.0.square_ref()))
    }
    fn approx_f64(&self) -> f64 {
        self.0.to_f64()
    }
    fn prec(&self) -> u32 {
        self.0.prec()
    }
}
