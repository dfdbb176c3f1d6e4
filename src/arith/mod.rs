//! Arithmetics the model runs on, behind one small [`Scalar`] trait.
//!
//! The loss, its reduced form and every derivative are written once, generically over
//! [`Scalar`], and instantiated with
//!
//! | type | trust level | where |
//! |---|---|---|
//! | `f64` | approximate (round to nearest, 53 bits) | this module |
//! | [`Mpfr`] | approximate (MPFR, round to nearest, chosen precision) | [`mpfr`] |
//! | [`Interval`] | encloses: every operation rounds outward | [`interval`] (the only module that uses directed rounding) |
//! | [`Jet2<S>`] | value, gradient and Hessian by forward-mode AD; inherits `S`'s trust level | [`jet`] |
//! | [`Jet1<S>`] | value and gradient (first-order forward mode), O(n) per operation | [`jet`] |
//! | [`Taylor<S>`] | univariate Taylor coefficients to order 4; inherits `S`'s trust level | [`taylor`] |
//!
//! Contract of the trait: each operation returns the exact result of the operation on the
//! exact inputs, up to `S`'s rounding. For [`Interval`] that means containment: the result
//! contains the exact image of every point of the inputs. The fallible operations refuse
//! (with [`NonSmooth`]) rather than return a value where the loss is not smooth: a divisor or
//! square-root argument that touches 0, a cosine that touches ±1. An approximate arithmetic
//! refuses only when its own value is on the wrong side; an enclosure refuses when any point
//! of the interval is.
//!
//! Constants enter through [`Scalar::cst`] (exact for every `f64`, since all precisions are
//! at least 53 bits) and [`Scalar::pi`]; both take the precision from `self`, so the context
//! flows from the inputs and no global state exists.

pub mod decimal;
pub mod interval;
pub mod jet;
pub mod mpfr;
pub mod taylor;

use std::fmt::Debug;
use std::ops::{Add, Mul, Neg, Sub};

pub use interval::Interval;
pub use jet::{Jet1, Jet2};
pub use mpfr::Mpfr;
pub use taylor::Taylor;

/// Where the loss stops being smooth: an operation refused rather than returned a value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NonSmooth {
    /// A divisor (a norm, in the model) touches zero.
    #[error("a divisor touches 0 (a neuron of norm 0 or a degenerate box)")]
    DivisorTouchesZero,
    /// A square-root argument touches zero (a zero row, or a cosine of ±1 inside the kernel).
    #[error("a square-root argument touches 0 (a zero row, or a cosine of ±1)")]
    SqrtTouchesZero,
    /// A cosine touches ±1: two of the vectors {w_i} ∪ {e_j} are (anti)parallel.
    #[error("a cosine touches ±1 (two of the vectors w_i, e_j are parallel or antiparallel)")]
    CosineTouchesOne,
}

/// Result of a fallible scalar operation.
pub type SResult<S> = Result<S, NonSmooth>;

/// The arithmetic interface the model is written against.
///
/// Implementors: `f64`, [`Mpfr`], [`Interval`], and the automatic-differentiation types
/// [`Jet2`] and [`Taylor`] over any of them.
pub trait Scalar:
    Clone + Debug + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Neg<Output = Self>
{
    /// Exact: the constant `x` in the arithmetic (and precision) of `self` (exact for
    /// every finite `f64`, since all precisions are at least 53 bits). Integers that are
    /// products of block sizes go through [`Scalar::int`], never through an `f64`
    /// product.
    fn cst(&self, x: f64) -> Self;
    /// The integer `n` in the arithmetic of `self`. Encloses for [`Interval`] (exact when
    /// `n` fits the precision, otherwise rounded outward); approximate (round to nearest)
    /// for `f64` and [`Mpfr`]; AD types inherit from their value type.
    fn int(&self, n: i128) -> Self;
    /// Encloses (or approximates, per the type): the constant pi.
    fn pi(&self) -> Self;
    /// Quotient; refuses a divisor that touches 0.
    fn try_div(self, rhs: Self) -> SResult<Self>;
    /// Square root; refuses an argument that touches 0 or is negative.
    fn try_sqrt(self) -> SResult<Self>;
    /// Arc cosine; refuses an argument that touches ±1.
    fn try_acos(self) -> SResult<Self>;
    /// Square; interval types override it to be tight when 0 is inside.
    fn sqr(self) -> Self {
        self.clone() * self
    }
    /// The arc-cosine kernel `k(c) = (sqrt(1 - c^2) + (pi - arccos c) c) / (2 pi)`;
    /// refuses a cosine that touches ±1.
    fn kernel(self) -> SResult<Self> {
        let one = self.cst(1.0);
        // 1 - c^2 as (1 - c)(1 + c): no cancellation near c = ±1.
        let s = ((one.clone() - self.clone()) * (one + self.clone())).try_sqrt()?;
        let pi = self.pi();
        let t = self.clone().try_acos()?;
        let two_pi = pi.clone() * self.cst(2.0);
        (s + (pi - t) * self).try_div(two_pi)
    }
    /// Approximate: a nearby f64 (the midpoint for an interval, the value for a jet).
    fn approx_f64(&self) -> f64;
    /// `self + rhs` by reference (same contract as `+`; types override it to avoid copies).
    fn add_r(&self, rhs: &Self) -> Self {
        self.clone() + rhs.clone()
    }
    /// `self - rhs` by reference.
    fn sub_r(&self, rhs: &Self) -> Self {
        self.clone() - rhs.clone()
    }
    /// `self * rhs` by reference.
    fn mul_r(&self, rhs: &Self) -> Self {
        self.clone() * rhs.clone()
    }
    /// `self^2` by reference.
    fn sqr_r(&self) -> Self {
        self.clone().sqr()
    }
    /// `self += rhs` in place.
    fn add_assign_r(&mut self, rhs: &Self) {
        *self = self.add_r(rhs);
    }
    /// `self -= rhs` in place.
    fn sub_assign_r(&mut self, rhs: &Self) {
        *self = self.sub_r(rhs);
    }
    /// `self += a * b` in place.
    fn mul_add_assign_r(&mut self, a: &Self, b: &Self) {
        let p = a.mul_r(b);
        self.add_assign_r(&p);
    }
    /// Precision in bits (53 for f64).
    fn prec(&self) -> u32;
}

/// Inherits S: the kernel's first two derivatives `k'(c) = (pi - arccos c)/(2 pi)` and
/// `k''(c) = 1/(2 pi sqrt(1 - c^2))`, in the arithmetic of `c`.
pub fn kernel_derivatives<S: Scalar>(c: &S) -> SResult<[S; 3]> {
    kernel_derivatives_n(c, 3).map(|v| [v[0].clone(), v[1].clone(), v[2].clone()])
}

/// Inherits S: `[k(c), k'(c), ..., k^(n-1)(c)]` for `n <= 5`:
/// `k''' = c / (2 pi s^3)`, `k'''' = (1 + 2 c^2) / (2 pi s^5)` with `s = sqrt(1 - c^2)`.
pub fn kernel_derivatives_n<S: Scalar>(c: &S, n: usize) -> SResult<Vec<S>> {
    assert!((1..=5).contains(&n), "kernel derivatives up to order 4");
    let mut out = Vec::with_capacity(n);
    out.push(c.clone().kernel()?);
    if n == 1 {
        return Ok(out);
    }
    let pi = c.pi();
    let two_pi = pi.clone() * c.cst(2.0);
    out.push((pi - c.clone().try_acos()?).try_div(two_pi.clone())?);
    if n == 2 {
        return Ok(out);
    }
    let s2 = (c.cst(1.0) - c.clone()) * (c.cst(1.0) + c.clone());
    let s = s2.clone().try_sqrt()?;
    out.push(c.cst(1.0).try_div(two_pi.clone() * s.clone())?);
    if n == 3 {
        return Ok(out);
    }
    let s3 = s2.clone() * s.clone();
    out.push(c.clone().try_div(two_pi.clone() * s3.clone())?);
    if n == 4 {
        return Ok(out);
    }
    let s5 = s3 * s2;
    let num = c.cst(1.0) + c.cst(2.0) * c.clone().sqr();
    out.push(num.try_div(two_pi * s5)?);
    Ok(out)
}

impl Scalar for f64 {
    fn cst(&self, x: f64) -> Self {
        x
    }
    fn int(&self, n: i128) -> Self {
        n as f64
    }
    fn pi(&self) -> Self {
        std::f64::consts::PI
    }
    fn try_div(self, rhs: Self) -> SResult<Self> {
        if rhs == 0.0 || !rhs.is_finite() {
            return Err(NonSmooth::DivisorTouchesZero);
        }
        Ok(self / rhs)
    }
    fn try_sqrt(self) -> SResult<Self> {
        if self <= 0.0 || !self.is_finite() {
            return Err(NonSmooth::SqrtTouchesZero);
        }
        Ok(self.sqrt())
    }
    fn try_acos(self) -> SResult<Self> {
        if !(self > -1.0 && self < 1.0) {
            return Err(NonSmooth::CosineTouchesOne);
        }
        Ok(self.acos())
    }
    fn approx_f64(&self) -> f64 {
        *self
    }
    fn prec(&self) -> u32 {
        53
    }
}

/// Inherits S: sum of a slice of scalars; `zero` supplies the context for an empty sum.
pub fn sum<S: Scalar>(zero: &S, terms: impl IntoIterator<Item = S>) -> S {
    let mut acc: Option<S> = None;
    for t in terms {
        acc = Some(match acc {
            None => t,
            Some(a) => a + t,
        });
    }
    acc.unwrap_or_else(|| zero.cst(0.0))
}
