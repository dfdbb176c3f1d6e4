//! MPFR intervals with outward rounding: the only module in relucert that rounds in a
//! chosen direction.
//!
//! An [`Interval`] is a pair `lo <= hi` of finite MPFR floats of one precision. **Contract:**
//! for every operation `op` and all real `x` in `X` (and `y` in `Y`), `op(x, y)` lies in
//! `op(X, Y)`. Each endpoint is computed by one correctly rounded MPFR call with rounding
//! toward -inf (lower end) or +inf (upper end), never by a global rounding mode; functions
//! that are not monotone on their argument are split at their extrema.
//!
//! | operation | how the enclosure is obtained | checked by |
//! |---|---|---|
//! | `+`, `-` | one directed rounding per end | `tests/interval_props.rs` |
//! | `*` | sign-case table, two directed products | `tests/interval_props.rs` |
//! | `try_div` | sign-case table; refuses a divisor containing 0 | `tests/interval_props.rs` |
//! | `sqr` | tight, `[0, max^2]` when 0 is inside | `tests/interval_props.rs` |
//! | `try_sqrt` | monotone; refuses an argument touching 0 | `tests/interval_props.rs` |
//! | `try_acos` | monotone decreasing; refuses an argument touching ±1 | `tests/interval_props.rs` |
//! | `kernel` | `k` is increasing on (-1, 1) (`k' = (pi - acos c)/(2 pi) > 0`): lower end from an interval evaluation at `lo`, upper end at `hi` | `tests/interval_props.rs` |
//! | `sin`, `cos` | endpoints plus ±1 where an extremum may lie inside (decided with an enclosure of pi) | `tests/interval_props.rs` |
//! | `pi` | `[pi rounded down, pi rounded up]` | `tests/interval_props.rs` |
//! | decimal input | parsed with rounding down and up (MPFR's strtofr is correctly rounded) | unit tests below |
//! | decimal output | lower end printed rounded down, upper end rounded up | unit tests below |
//!
//! Refusals are [`NonSmooth`] errors, never a returned bound.

use super::{NonSmooth, SResult, Scalar};
use rug::float::{Constant, Round};
use rug::ops::{AddAssignRound, AssignRound, SubAssignRound};
use rug::{Float, Rational};
use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Mul, Neg, Sub};

/// Encloses: a closed interval `[lo, hi]` of reals with MPFR endpoints.
#[derive(Clone, PartialEq)]
pub struct Interval {
    lo: Float,
    hi: Float,
}

#[inline]
fn dn<T>(prec: u32, v: T) -> Float
where
    Float: rug::Assign<T> + rug::ops::AssignRound<T, Round = Round, Ordering = Ordering>,
{
    Float::with_val_round(prec, v, Round::Down).0
}

#[inline]
fn up<T>(prec: u32, v: T) -> Float
where
    Float: rug::Assign<T> + rug::ops::AssignRound<T, Round = Round, Ordering = Ordering>,
{
    Float::with_val_round(prec, v, Round::Up).0
}

fn min_f(a: Float, b: Float) -> Float {
    if a <= b {
        a
    } else {
        b
    }
}

fn max_f(a: Float, b: Float) -> Float {
    if a >= b {
        a
    } else {
        b
    }
}

impl Interval {
    /// Exact: the point `x` at precision `prec` (at least 53 bits, so exact).
    pub fn point(prec: u32, x: f64) -> Self {
        assert!(x.is_finite(), "interval endpoints must be finite");
        let f = Float::with_val(prec.max(53), x);
        Interval {
            lo: f.clone(),
            hi: f,
        }
    }

    /// Encloses: `[lo, hi]` rounded outward to `prec`; `None` unless `lo <= hi`, both finite.
    pub fn from_floats(prec: u32, lo: &Float, hi: &Float) -> Option<Self> {
        if !lo.is_finite() || !hi.is_finite() || lo > hi {
            return None;
        }
        Some(Interval {
            lo: dn(prec, lo),
            hi: up(prec, hi),
        })
    }

    /// Encloses: the float `x`, rounded outward to `prec` (exact if `prec >= x.prec()`).
    pub fn from_float(prec: u32, x: &Float) -> Option<Self> {
        Self::from_floats(prec, x, x)
    }

    /// Encloses: the exact rational `q`, rounded outward to `prec`.
    pub fn from_rational(prec: u32, q: &Rational) -> Self {
        Interval {
            lo: dn(prec, q),
            hi: up(prec, q),
        }
    }

    /// Encloses: the real number written in decimal (or any MPFR-parsable) notation,
    /// rounded outward to `prec`; `None` if the string is not a finite number.
    pub fn from_decimal(prec: u32, s: &str) -> Option<Self> {
        let s = s.trim();
        let lo = Float::with_val_round(prec, Float::parse(s).ok()?, Round::Down).0;
        let hi = Float::with_val_round(prec, Float::parse(s).ok()?, Round::Up).0;
        (lo.is_finite() && hi.is_finite()).then_some(Interval { lo, hi })
    }

    /// Encloses: the hull of two decimal strings `[lo, hi]`; `None` if malformed or `lo > hi`.
    pub fn from_decimal_bounds(prec: u32, lo: &str, hi: &str) -> Option<Self> {
        let l = Self::from_decimal(prec, lo)?;
        let h = Self::from_decimal(prec, hi)?;
        (l.lo <= h.hi).then(|| Interval { lo: l.lo, hi: h.hi })
    }

    /// Encloses: `[c - r, c + r]` rounded outward (`r >= 0`).
    pub fn ball(prec: u32, c: &Float, r: &Float) -> Self {
        Interval {
            lo: dn(prec, c - r),
            hi: up(prec, c + r),
        }
    }

    /// Exact: lower end.
    pub fn lo(&self) -> &Float {
        &self.lo
    }
    /// Exact: upper end.
    pub fn hi(&self) -> &Float {
        &self.hi
    }
    /// Exact: the precision of the endpoints.
    pub fn precision(&self) -> u32 {
        self.lo.prec()
    }

    /// Approximate: the midpoint, rounded to nearest.
    pub fn mid(&self) -> Float {
        let p = self.precision();
        let mut m = Float::with_val(p + 1, &self.lo + &self.hi);
        m /= 2;
        Float::with_val(p, m)
    }

    /// Encloses: an upper bound of the width `hi - lo`.
    pub fn width(&self) -> Float {
        up(self.precision(), &self.hi - &self.lo)
    }

    /// Encloses: an upper bound of `max |x - mid()|` over the interval.
    pub fn rad(&self) -> Float {
        let p = self.precision();
        let m = self.mid();
        max_f(up(p, &self.hi - &m), up(p, &m - &self.lo))
    }

    /// Exact: `max |x|` over the interval (the magnitude).
    pub fn mag(&self) -> Float {
        max_f(
            Float::with_val(self.precision(), self.lo.abs_ref()),
            self.hi.clone().abs(),
        )
    }

    /// Exact: `min |x|` over the interval (the mignitude).
    pub fn mig(&self) -> Float {
        if self.contains_zero() {
            Float::new(self.precision())
        } else {
            min_f(self.lo.clone().abs(), self.hi.clone().abs())
        }
    }

    /// Exact: the smallest interval containing both.
    pub fn hull(&self, other: &Interval) -> Interval {
        Interval {
            lo: min_f(self.lo.clone(), other.lo.clone()),
            hi: max_f(self.hi.clone(), other.hi.clone()),
        }
    }

    /// Exact: the intersection, `None` if empty.
    pub fn intersect(&self, other: &Interval) -> Option<Interval> {
        let lo = max_f(self.lo.clone(), other.lo.clone());
        let hi = min_f(self.hi.clone(), other.hi.clone());
        (lo <= hi).then_some(Interval { lo, hi })
    }

    /// Exact: whether `x` lies in the interval.
    pub fn contains(&self, x: &Float) -> bool {
        &self.lo <= x && x <= &self.hi
    }

    /// Exact: whether the rational `q` lies in the interval.
    pub fn contains_rational(&self, q: &Rational) -> bool {
        self.lo <= *q && self.hi >= *q
    }

    /// Exact: whether `other` is a subset.
    pub fn contains_interval(&self, other: &Interval) -> bool {
        self.lo <= other.lo && other.hi <= self.hi
    }

    /// Exact: whether `other` lies in the interior (strict inclusion at both ends).
    pub fn interior_contains(&self, other: &Interval) -> bool {
        self.lo < other.lo && other.hi < self.hi
    }

    /// Exact: whether 0 may be in the interval (true, i.e. undecided, when an end is NaN:
    /// only `excludes zero` is a decision, and it is never taken on NaN).
    pub fn contains_zero(&self) -> bool {
        !(self.lo > 0 || self.hi < 0)
    }

    /// Exact: every point is > 0 (false on a NaN end).
    pub fn is_positive(&self) -> bool {
        self.lo > 0 && self.hi > 0
    }

    /// Exact: every point is < 0 (false on a NaN end).
    pub fn is_negative(&self) -> bool {
        self.hi < 0 && self.lo < 0
    }

    /// Exact: whether the two intervals share no point.
    pub fn disjoint(&self, other: &Interval) -> bool {
        let numbers = [&self.lo, &self.hi, &other.lo, &other.hi]
            .iter()
            .all(|x| !x.is_nan());
        numbers && (self.hi < other.lo || other.hi < self.lo)
    }

    /// Encloses: `|x|` over the interval.
    pub fn abs(&self) -> Interval {
        if self.lo >= 0 {
            self.clone()
        } else if self.hi <= 0 {
            -self.clone()
        } else {
            Interval {
                lo: Float::new(self.precision()),
                hi: self.mag(),
            }
        }
    }

    /// Encloses: the same set at precision `prec` (outward if `prec` is lower).
    pub fn with_prec(&self, prec: u32) -> Interval {
        Interval {
            lo: dn(prec, &self.lo),
            hi: up(prec, &self.hi),
        }
    }

    /// Encloses: `[lo, hi]` widened by `r >= 0` on each side.
    pub fn inflate(&self, r: &Float) -> Interval {
        let p = self.precision();
        Interval {
            lo: dn(p, &self.lo - r),
            hi: up(p, &self.hi + r),
        }
    }

    /// Encloses: the lower end as a decimal string with `digits` significant digits,
    /// rounded toward -inf.
    pub fn lo_decimal(&self, digits: usize) -> String {
        decimal_down(&self.lo, digits)
    }

    /// Encloses: the upper end as a decimal string with `digits` significant digits,
    /// rounded toward +inf.
    pub fn hi_decimal(&self, digits: usize) -> String {
        decimal_up(&self.hi, digits)
    }

    /// Encloses: the square root of a nonnegative interval (`None` if any point is
    /// negative). Unlike `try_sqrt` it accepts 0, for bounds such as norms of errors.
    pub fn sqrt_nonneg(&self) -> Option<Interval> {
        if !(self.lo >= 0 && self.hi >= 0) {
            return None;
        }
        let p = self.precision();
        Some(Interval {
            lo: dn(p, self.lo.sqrt_ref()),
            hi: up(p, self.hi.sqrt_ref()),
        })
    }

    /// Exact: both endpoints as exact decimal strings (lossless storage: reading them back
    /// with [`Interval::from_decimal_bounds`] at the same precision gives this interval).
    pub fn exact_decimals(&self) -> (String, String) {
        (
            super::decimal::exact_decimal(&self.lo).expect("finite"),
            super::decimal::exact_decimal(&self.hi).expect("finite"),
        )
    }

    /// Encloses: sine, split at the extrema `pi/2 + 2 pi k` and `-pi/2 + 2 pi k`.
    pub fn sin(&self) -> Interval {
        self.periodic(0.5, 1.5, |x, r| {
            Float::with_val_round(x.prec(), x.sin_ref(), r).0
        })
    }

    /// Encloses: cosine, split at the extrema `2 pi k` and `pi + 2 pi k`.
    pub fn cos(&self) -> Interval {
        self.periodic(0.0, 1.0, |x, r| {
            Float::with_val_round(x.prec(), x.cos_ref(), r).0
        })
    }

    /// Shared range logic for sin and cos: maxima at `pi (max_off + 2k)`, minima at
    /// `pi (min_off + 2k)`; an extremum is included whenever the interval may contain it.
    fn periodic(&self, max_off: f64, min_off: f64, f: impl Fn(&Float, Round) -> Float) -> Interval {
        let p = self.precision();
        let one = Interval::point(p, 1.0);
        let full = Interval {
            lo: Float::with_val(p, -1),
            hi: Float::with_val(p, 1),
        };
        let pi = self.pi();
        let two_pi = pi.clone() * Interval::point(p, 2.0);
        // An integer k with lo <= pi (off + 2k) <= hi exists only if one lies in
        // [(lo / pi - off) / 2, (hi / pi - off) / 2]; the enclosures make this conservative.
        let may_contain = |off: f64| -> bool {
            let l = Interval::point_float(&self.lo);
            let h = Interval::point_float(&self.hi);
            let off_pi = pi.clone() * Interval::point(p, off);
            let (Ok(ql), Ok(qh)) = (
                (l - off_pi.clone()).try_div(two_pi.clone()),
                (h - off_pi).try_div(two_pi.clone()),
            ) else {
                return true;
            };
            let first = ql.lo.clone().ceil();
            first <= qh.hi
        };
        if self.width() >= two_pi.lo {
            return full;
        }
        let _ = one;
        let lo = if may_contain(min_off) {
            Float::with_val(p, -1)
        } else {
            min_f(f(&self.lo, Round::Down), f(&self.hi, Round::Down))
        };
        let hi = if may_contain(max_off) {
            Float::with_val(p, 1)
        } else {
            max_f(f(&self.lo, Round::Up), f(&self.hi, Round::Up))
        };
        Interval { lo, hi }
    }

    /// Exact: the degenerate interval at a float.
    fn point_float(x: &Float) -> Interval {
        Interval {
            lo: x.clone(),
            hi: x.clone(),
        }
    }

    /// Encloses: the kernel at the single point `x` (|x| < 1 assumed by the caller).
    fn kernel_at_point(x: &Float) -> SResult<Interval> {
        let c = Interval::point_float(x);
        let one = c.cst(1.0);
        // 1 - c^2 as (1 - c)(1 + c): no cancellation near c = ±1.
        let s = ((one.clone() - c.clone()) * (one + c.clone())).try_sqrt()?;
        let t = c.clone().try_acos()?;
        let pi = c.pi();
        let two_pi = pi.clone() * c.cst(2.0);
        (s + (pi - t) * c).try_div(two_pi)
    }
}

/// Exact decimal formatting helpers with directed rounding (used for outward output).
fn decimal_down(x: &Float, digits: usize) -> String {
    normalize_exp(x.to_string_radix_round(10, Some(digits.max(1)), Round::Down))
}

fn decimal_up(x: &Float, digits: usize) -> String {
    normalize_exp(x.to_string_radix_round(10, Some(digits.max(1)), Round::Up))
}

/// MPFR writes exponents as `e-5` or `@-5`; keep `e`, the form every parser reads.
fn normalize_exp(s: String) -> String {
    s.replace('@', "e")
}

impl fmt::Debug for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {}]", self.lo_decimal(20), self.hi_decimal(20))
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = f.precision().unwrap_or(17);
        write!(
            f,
            "[{}, {}]",
            self.lo_decimal(digits),
            self.hi_decimal(digits)
        )
    }
}

impl Add for Interval {
    type Output = Interval;
    fn add(mut self, rhs: Interval) -> Interval {
        self.add_assign_r(&rhs);
        self
    }
}

impl Sub for Interval {
    type Output = Interval;
    fn sub(mut self, rhs: Interval) -> Interval {
        self.sub_assign_r(&rhs);
        self
    }
}

impl Neg for Interval {
    type Output = Interval;
    fn neg(self) -> Interval {
        Interval {
            lo: -self.hi,
            hi: -self.lo,
        }
    }
}

impl Mul for Interval {
    type Output = Interval;
    fn mul(self, rhs: Interval) -> Interval {
        self.mul_r(&rhs)
    }
}

/// Which endpoint products bound a product of intervals: `Pair(lo, hi)` gives the two
/// products that are the extremes; `Mixed` is the case where both factors straddle 0 and
/// each end is the extreme of two candidates.
enum Ends<'a> {
    Pair((&'a Float, &'a Float), (&'a Float, &'a Float)),
    Mixed,
}

thread_local! {
    /// Scratch floats for in-place fused operations (no allocation per operation).
    static SCRATCH: std::cell::RefCell<(Float, Float)> = std::cell::RefCell::new((Float::new(64), Float::new(64)));
}

impl Interval {
    /// Exact: the sign-case table of interval multiplication (which endpoint products are
    /// the extremes; each is then rounded in its direction by the caller).
    fn ends<'a>(&'a self, rhs: &'a Interval) -> Ends<'a> {
        let (al, ah, bl, bh) = (&self.lo, &self.hi, &rhs.lo, &rhs.hi);
        let pair = |l, h| Ends::Pair(l, h);
        if *al >= 0 {
            if *bl >= 0 {
                pair((al, bl), (ah, bh))
            } else if *bh <= 0 {
                pair((ah, bl), (al, bh))
            } else {
                pair((ah, bl), (ah, bh))
            }
        } else if *ah <= 0 {
            if *bl >= 0 {
                pair((al, bh), (ah, bl))
            } else if *bh <= 0 {
                pair((ah, bh), (al, bl))
            } else {
                pair((al, bh), (al, bl))
            }
        } else if *bl >= 0 {
            pair((al, bh), (ah, bh))
        } else if *bh <= 0 {
            pair((ah, bl), (al, bl))
        } else {
            Ends::Mixed
        }
    }

    /// Encloses: the product.
    fn mul_ref(&self, rhs: &Interval) -> Interval {
        let p = self.precision().max(rhs.precision());
        match self.ends(rhs) {
            Ends::Pair(l, h) => Interval {
                lo: dn(p, l.0 * l.1),
                hi: up(p, h.0 * h.1),
            },
            Ends::Mixed => {
                let (al, ah, bl, bh) = (&self.lo, &self.hi, &rhs.lo, &rhs.hi);
                Interval {
                    lo: min_f(dn(p, al * bh), dn(p, ah * bl)),
                    hi: max_f(up(p, al * bl), up(p, ah * bh)),
                }
            }
        }
    }

    /// Encloses: `self += a * b` in place: each end of the product rounded outward into a
    /// scratch float, then added with rounding in the same direction (two outward roundings,
    /// no allocation).
    fn mul_add_in_place(&mut self, a: &Interval, b: &Interval) {
        let p = self.precision();
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let (s, t) = &mut *guard;
            if s.prec() != p {
                s.set_prec(p);
                t.set_prec(p);
            }
            match a.ends(b) {
                Ends::Pair(l, h) => {
                    s.assign_round(l.0 * l.1, Round::Down);
                    self.lo.add_assign_round(&*s, Round::Down);
                    s.assign_round(h.0 * h.1, Round::Up);
                    self.hi.add_assign_round(&*s, Round::Up);
                }
                Ends::Mixed => {
                    let (al, ah, bl, bh) = (&a.lo, &a.hi, &b.lo, &b.hi);
                    s.assign_round(al * bh, Round::Down);
                    t.assign_round(ah * bl, Round::Down);
                    let lower = if *s <= *t { &*s } else { &*t };
                    self.lo.add_assign_round(lower, Round::Down);
                    s.assign_round(al * bl, Round::Up);
                    t.assign_round(ah * bh, Round::Up);
                    let upper = if *s >= *t { &*s } else { &*t };
                    self.hi.add_assign_round(upper, Round::Up);
                }
            }
        });
    }
}

impl Scalar for Interval {
    fn cst(&self, x: f64) -> Self {
        Interval::point(self.precision(), x)
    }

    fn int(&self, n: i128) -> Self {
        let p = self.precision();
        Interval {
            lo: dn(p, n),
            hi: up(p, n),
        }
    }

    fn add_r(&self, rhs: &Self) -> Self {
        let p = self.precision().max(rhs.precision());
        Interval {
            lo: dn(p, &self.lo + &rhs.lo),
            hi: up(p, &self.hi + &rhs.hi),
        }
    }

    fn sub_r(&self, rhs: &Self) -> Self {
        let p = self.precision().max(rhs.precision());
        Interval {
            lo: dn(p, &self.lo - &rhs.hi),
            hi: up(p, &self.hi - &rhs.lo),
        }
    }

    fn mul_r(&self, rhs: &Self) -> Self {
        self.mul_ref(rhs)
    }

    fn sqr_r(&self) -> Self {
        self.clone().sqr()
    }

    fn add_assign_r(&mut self, rhs: &Self) {
        if rhs.precision() > self.precision() {
            *self = self.add_r(rhs);
            return;
        }
        self.lo.add_assign_round(&rhs.lo, Round::Down);
        self.hi.add_assign_round(&rhs.hi, Round::Up);
    }

    fn sub_assign_r(&mut self, rhs: &Self) {
        if rhs.precision() > self.precision() {
            *self = self.sub_r(rhs);
            return;
        }
        self.lo.sub_assign_round(&rhs.hi, Round::Down);
        self.hi.sub_assign_round(&rhs.lo, Round::Up);
    }

    fn mul_add_assign_r(&mut self, a: &Self, b: &Self) {
        if a.precision() > self.precision() || b.precision() > self.precision() {
            let prod = a.mul_ref(b);
            self.add_assign_r(&prod);
            return;
        }
        self.mul_add_in_place(a, b);
    }

    fn pi(&self) -> Self {
        let p = self.precision();
        Interval {
            lo: dn(p, Constant::Pi),
            hi: up(p, Constant::Pi),
        }
    }

    fn try_div(self, rhs: Self) -> SResult<Self> {
        if rhs.contains_zero() {
            return Err(NonSmooth::DivisorTouchesZero);
        }
        let p = self.precision().max(rhs.precision());
        let (al, ah, bl, bh) = (&self.lo, &self.hi, &rhs.lo, &rhs.hi);
        let (l, h): ((&Float, &Float), (&Float, &Float)) = if *bl > 0 {
            if *al >= 0 {
                ((al, bh), (ah, bl))
            } else if *ah <= 0 {
                ((al, bl), (ah, bh))
            } else {
                ((al, bl), (ah, bl))
            }
        } else if *al >= 0 {
            ((ah, bh), (al, bl))
        } else if *ah <= 0 {
            ((ah, bl), (al, bh))
        } else {
            ((ah, bh), (al, bh))
        };
        Ok(Interval {
            lo: dn(p, l.0 / l.1),
            hi: up(p, h.0 / h.1),
        })
    }

    fn try_sqrt(self) -> SResult<Self> {
        if !(self.lo > 0 && self.hi > 0) {
            return Err(NonSmooth::SqrtTouchesZero);
        }
        let p = self.precision();
        Ok(Interval {
            lo: dn(p, self.lo.sqrt_ref()),
            hi: up(p, self.hi.sqrt_ref()),
        })
    }

    fn try_acos(self) -> SResult<Self> {
        if !(self.lo > -1 && self.hi < 1) {
            return Err(NonSmooth::CosineTouchesOne);
        }
        let p = self.precision();
        Ok(Interval {
            lo: dn(p, self.hi.acos_ref()),
            hi: up(p, self.lo.acos_ref()),
        })
    }

    fn sqr(self) -> Self {
        let p = self.precision();
        if self.lo >= 0 {
            Interval {
                lo: dn(p, self.lo.square_ref()),
                hi: up(p, self.hi.square_ref()),
            }
        } else if self.hi <= 0 {
            Interval {
                lo: dn(p, self.hi.square_ref()),
                hi: up(p, self.lo.square_ref()),
            }
        } else {
            let m = self.mag();
            Interval {
                lo: Float::new(p),
                hi: up(p, m.square_ref()),
            }
        }
    }

    fn kernel(self) -> SResult<Self> {
        if !(self.lo > -1 && self.hi < 1) {
            return Err(NonSmooth::CosineTouchesOne);
        }
        // k is increasing on (-1, 1), so k(X) = [k(lo), k(hi)].
        let lo = Interval::kernel_at_point(&self.lo)?.lo;
        let hi = Interval::kernel_at_point(&self.hi)?.hi;
        Ok(Interval { lo, hi })
    }

    fn approx_f64(&self) -> f64 {
        self.mid().to_f64()
    }

    fn prec(&self) -> u32 {
        self.precision()
    }
}

#[cfg(test)]
impl Interval {
    /// Test only: an interval with a NaN lower end, upper end, or both (no public
    /// constructor makes one; operations on huge values could).
    pub(crate) fn nan_ended(prec: u32, lo_nan: bool, hi_nan: bool) -> Interval {
        let nan = Float::with_val(prec, rug::float::Special::Nan);
        let one = Float::with_val(prec, 1);
        Interval {
            lo: if lo_nan { nan.clone() } else { -one.clone() },
            hi: if hi_nan { nan } else { one },
        }
    }

    /// Test only: `[lo, hi]` at 64 bits with one end replaced by NaN.
    pub(crate) fn with_nan_end(lo: f64, hi: f64, which: usize) -> Interval {
        let nan = Float::with_val(64, rug::float::Special::Nan);
        Interval {
            lo: if which == 0 {
                nan.clone()
            } else {
                Float::with_val(64, lo)
            },
            hi: if which == 1 {
                nan
            } else {
                Float::with_val(64, hi)
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_decision_is_taken_on_a_nan_end() {
        for (lo_nan, hi_nan) in [(true, false), (false, true), (true, true)] {
            let x = Interval::nan_ended(64, lo_nan, hi_nan);
            let ok = Interval::from_decimal_bounds(64, "-0.5", "0.5").unwrap();
            assert!(x.contains_zero(), "excludes-zero is undecided on NaN");
            assert!(
                !x.is_positive() && !x.is_negative(),
                "sign undecided on NaN"
            );
            assert!(
                !x.interior_contains(&ok) && !ok.interior_contains(&x),
                "inside"
            );
            assert!(
                !x.contains_interval(&ok) && !ok.contains_interval(&x),
                "subset"
            );
            assert!(!x.disjoint(&ok) && !ok.disjoint(&x), "separation undecided");
            assert!(x.clone().try_sqrt().is_err(), "sqrt refuses");
            assert!(x.clone().try_acos().is_err(), "acos refuses");
            assert!(x.clone().kernel().is_err(), "kernel refuses");
            assert!(x.sqrt_nonneg().is_none(), "sqrt_nonneg refuses");
            assert!(
                Interval::point(64, 1.0).try_div(x.clone()).is_err(),
                "a NaN divisor is refused"
            );
        }
        // One NaN end on an otherwise positive or negative interval.
        for which in [0, 1] {
            assert!(!Interval::with_nan_end(1.0, 2.0, which).is_positive());
            assert!(!Interval::with_nan_end(-2.0, -1.0, which).is_negative());
            assert!(Interval::with_nan_end(1.0, 2.0, which)
                .clone()
                .try_sqrt()
                .is_err());
        }
    }

    #[test]
    fn decimal_input_is_enclosed_and_output_is_outward() {
        let x = Interval::from_decimal(64, "0.1").unwrap();
        let tenth = Rational::from((1, 10));
        assert!(x.contains_rational(&tenth));
        assert!(
            x.lo() < x.hi(),
            "0.1 is not a binary float, so the enclosure has width"
        );
        let lo = Interval::from_decimal(200, &x.lo_decimal(5)).unwrap();
        let hi = Interval::from_decimal(200, &x.hi_decimal(5)).unwrap();
        assert!(lo.hi() <= x.lo() && hi.lo() >= x.hi());
    }

    #[test]
    fn exact_decimals_round_trip() {
        let x = Interval::from_decimal_bounds(128, "-0.3", "2.7").unwrap();
        let (lo, hi) = x.exact_decimals();
        let back = Interval::from_decimal_bounds(128, &lo, &hi).unwrap();
        assert_eq!(back, x);
    }

    #[test]
    fn division_refuses_zero_and_sqrt_refuses_touching_zero() {
        let a = Interval::point(64, 1.0);
        let z = Interval::from_decimal_bounds(64, "-1e-30", "1e-30").unwrap();
        assert_eq!(
            a.clone().try_div(z.clone()),
            Err(NonSmooth::DivisorTouchesZero)
        );
        assert_eq!(z.try_sqrt(), Err(NonSmooth::SqrtTouchesZero));
        let c = Interval::from_decimal_bounds(64, "0.5", "1").unwrap();
        assert_eq!(c.clone().try_acos(), Err(NonSmooth::CosineTouchesOne));
        assert_eq!(c.kernel(), Err(NonSmooth::CosineTouchesOne));
    }

    #[test]
    fn sin_of_an_interval_around_pi_half_reaches_one() {
        let x = Interval::from_decimal_bounds(64, "1.5", "1.6").unwrap();
        assert_eq!(*x.sin().hi(), 1);
        let y = Interval::from_decimal_bounds(64, "0.1", "0.2").unwrap();
        assert!(*y.sin().hi() < 1 && *y.cos().hi() < 1);
    }
}
