//! Seeded random property tests of [`relucert::arith::Interval`], the only arithmetic whose
//! results are claimed as enclosures.
//!
//! For every operation (`+ - *`, `try_div`, `sqr`, `try_sqrt`, `try_acos`, `kernel`, `pi`,
//! `sin`, `cos`, the constructors and the decimal output) the tests check
//!
//! 1. **containment**: random input intervals at precision `p` (drawn from
//!    {53, 64, 113, 256, 1024}, and one case in eight uniform in 53..=1024), random points
//!    of them (both endpoints, interior points with `2p` bits, 0 when inside, the extrema
//!    of sin/cos when inside), and the exact image of each point bracketed by MPFR at
//!    precision `q = 4p` rounded down and up (`d <= f(x) <= u`, `u` the successor of `d`
//!    unless exact). Because every endpoint of the `p`-bit result is also a `q`-bit float,
//!    `lo <= f(x) <=> lo <= d` and `f(x) <= hi <=> u <= hi`: the check is exact, not a
//!    heuristic. The kernel, a composite, is bracketed by an independent directed-rounding
//!    evaluation written in this file and checked with the weaker (still sound)
//!    `lo <= u && d <= hi`.
//! 2. **tightness** for point inputs (width in units of the last place of the result at `p`),
//!    `sqr` is `[0, up(max^2)]` when 0 is inside, sin/cos reach exactly ±1 when an extremum
//!    is inside and are `[-1, 1]` on intervals wider than `2 pi`.
//! 3. **consistency** of the other two arithmetics: the `f64` result of `Scalar` on the
//!    inputs rounded to f64 is within 4 f64 ulps of the exact value (the kernel within its
//!    conditioning, see `kernel_scale`), and the round-to-nearest [`Mpfr`] result at `p`
//!    lies in the interval of the point (the kernel: within its conditioning).
//! 4. **refusals**: a divisor containing 0, a square root touching 0, an arc cosine or
//!    kernel touching ±1 give `Err`, never a value.
//! 5. **outward decimal output**: `lo_decimal` reads back `<= lo`, `hi_decimal` `>= hi`.
//!
//! Each operation runs `CASES` (10^4) random input intervals (each with several points);
//! the counts are asserted so that the coverage cannot silently shrink.

use relucert::arith::decimal::{digits_for_prec, parse_decimal};
use relucert::arith::{Interval, Mpfr, NonSmooth, Scalar};
use relucert::random::SplitMix64;
use rug::float::{Constant, Round};
use rug::ops::Pow;
use rug::{Float, Integer, Rational};
use std::cmp::Ordering;

/// Random input intervals per operation.
const CASES: usize = 10_000;
/// The precisions the issue asks for.
const PRECS: [u32; 5] = [53, 64, 113, 256, 1024];

// ---------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------

struct Rng(SplitMix64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(SplitMix64::new(seed))
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0.next_u64() % n
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        assert!(lo <= hi, "empty range {lo}..={hi}");
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn coin(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }
    fn uniform(&mut self) -> f64 {
        self.0.uniform()
    }
    /// A precision: one of `PRECS`, or (one case in eight) uniform in 53..=1024.
    fn prec(&mut self) -> u32 {
        if self.coin(1, 8) {
            self.range(53, 1024) as u32
        } else {
            PRECS[self.below(PRECS.len() as u64) as usize]
        }
    }
    /// An exponent for the "tiny to huge" operations: 2^-1000 < 1e-300, 2^1000 > 1e300.
    fn exponent(&mut self) -> i32 {
        match self.below(10) {
            0 => self.range(-1000, -990) as i32,
            1 => self.range(990, 1000) as i32,
            2..=5 => self.range(-8, 8) as i32,
            _ => self.range(-1000, 1000) as i32,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Float helpers
// ---------------------------------------------------------------------------------------

fn pow2(e: i32) -> Float {
    Float::with_val(2, 1) << e
}

fn next_up(x: &Float) -> Float {
    let mut y = x.clone();
    y.next_up();
    y
}

fn next_down(x: &Float) -> Float {
    let mut y = x.clone();
    y.next_down();
    y
}

/// A mantissa in [1/2, 1) with exactly `p` bits: random bits, or a power of two, or all
/// ones, or an f64 mantissa (short, so that many results are exact).
fn mantissa(rng: &mut Rng, p: u32) -> Float {
    match rng.below(10) {
        0 => Float::with_val(p, 0.5),
        1 => next_down(&Float::with_val(p, 1)),
        2 => Float::with_val(p, 0.5 + 0.5 * rng.uniform()),
        _ => {
            let mut int = Integer::new();
            for _ in 0..p.div_ceil(64) {
                int <<= 64;
                int += rng.0.next_u64();
            }
            int.keep_bits_mut(p);
            int.set_bit(p - 1, true);
            Float::with_val(p, int) >> p
        }
    }
}

/// A positive `p`-bit float in [2^(e-1), 2^e).
fn magnitude(rng: &mut Rng, p: u32, e: i32) -> Float {
    mantissa(rng, p) << e
}

/// `v` at precision `p`, rounded in direction `r`.
fn rnd(p: u32, v: &Float, r: Round) -> Float {
    Float::with_val_round(p, v, r).0
}

/// `[d, u]` with `d <= exact <= u`: the exact value rounded down at `q`, and its successor
/// unless the rounding was exact (MPFR is correctly rounded).
fn bracket<T>(q: u32, v: T) -> (Float, Float)
where
    Float: rug::Assign<T> + rug::ops::AssignRound<T, Round = Round, Ordering = Ordering>,
{
    let (d, o) = Float::with_val_round(q, v, Round::Down);
    let u = if o == Ordering::Equal {
        d.clone()
    } else {
        assert_eq!(o, Ordering::Less, "rounding down returned a larger value");
        next_up(&d)
    };
    (d, u)
}

/// Unit in the last place at precision `p` of `|x|`'s binade (0 for x = 0).
fn ulp(x: &Float, p: u32) -> Float {
    match x.get_exp() {
        Some(e) => pow2(e - p as i32),
        None => Float::new(2),
    }
}

/// `max(|lo|, |hi|)`.
fn mag(r: &Interval) -> Float {
    let a = Float::with_val(r.precision(), r.lo().abs_ref());
    let b = Float::with_val(r.precision(), r.hi().abs_ref());
    if a >= b {
        a
    } else {
        b
    }
}

/// The width of `r` in ulps (at `r`'s precision) of its largest magnitude; 0 for `[0, 0]`.
fn width_ulps(r: &Interval) -> f64 {
    let m = mag(r);
    if m.is_zero() {
        return 0.0;
    }
    let p = r.precision();
    let w = Float::with_val_round(4 * p + 64, r.hi() - r.lo(), Round::Up).0;
    (w / ulp(&m, p)).to_f64()
}

fn show(x: &Float) -> String {
    x.to_string_radix(10, Some(digits_for_prec(x.prec().max(53)) + 2))
}

fn show_i(r: &Interval) -> String {
    format!(
        "[{}, {}] (prec {})",
        show(r.lo()),
        show(r.hi()),
        r.precision()
    )
}

/// `p`-bit interval from exact `p`-bit endpoints (sorted).
fn iv(p: u32, a: Float, b: Float) -> Interval {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let r = Interval::from_floats(p, &a, &b).expect("finite ordered endpoints");
    assert!(
        r.lo() == &a && r.hi() == &b,
        "from_floats is exact on p-bit endpoints"
    );
    r
}

/// Exact check that `r` contains the value bracketed by `(d, u)` (see the module docs).
#[track_caller]
fn assert_encloses(r: &Interval, du: &(Float, Float), what: impl FnOnce() -> String) {
    let (d, u) = du;
    if !(r.lo() <= d && u <= r.hi()) {
        panic!(
            "containment violated: {}\n  result   {}\n  exact in [{}, {}]\n  lower end {}, upper end {}",
            what(),
            show_i(r),
            show(d),
            show(u),
            if r.lo() <= d { "ok" } else { "ABOVE the exact value" },
            if u <= r.hi() { "ok" } else { "BELOW the exact value" },
        );
    }
}

/// Points of `x` to test: both ends, two interior points with `2p` bits (one of them close
/// to the lower end), and 0 if inside.
fn sample(rng: &mut Rng, x: &Interval) -> Vec<Float> {
    let p = x.precision();
    let pp = 2 * p;
    let mut v = vec![x.lo().clone(), x.hi().clone()];
    if x.lo() < x.hi() {
        let w = Float::with_val(pp, x.hi() - x.lo());
        for j in 0..2 {
            let mut t = Float::with_val(pp, rng.uniform());
            if j == 1 {
                t >>= rng.range(0, 2 * p as i64) as i32;
            }
            let mut y = Float::with_val(pp, &w * &t);
            y += x.lo();
            if &y < x.lo() {
                y = Float::with_val(pp, x.lo());
            }
            if &y > x.hi() {
                y = Float::with_val(pp, x.hi());
            }
            v.push(y);
        }
    }
    if x.lo() < &0 && x.hi() > &0 {
        v.push(Float::new(pp));
    }
    v
}

/// `|f - exact| <= tol_ulps` f64 ulps of `exact`; `false` results are reported by the caller.
fn f64_close(f: f64, exact: &Float, tol_ulps: f64) -> bool {
    if exact.is_zero() {
        return f == 0.0;
    }
    let err = Float::with_val(256, exact - f).abs();
    err <= Float::with_val(64, ulp(exact, 53)) * tol_ulps
}

/// Whether a value is safely inside f64's normal range (so f64 neither overflows nor loses
/// precision to underflow); exact 0 also counts.
fn f64_normal(x: &Float) -> bool {
    match x.get_exp() {
        None => x.is_zero(),
        Some(e) => (-1020..1023).contains(&e),
    }
}

// ---------------------------------------------------------------------------------------
// Interval generators
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Sign {
    /// lo > 0
    Pos,
    /// hi < 0
    Neg,
    /// lo < 0 < hi
    Mixed,
    /// [0, b], b > 0
    PosZero,
    /// [-b, 0], b > 0
    NegZero,
    /// [0, 0]
    Zero,
}

/// A positive `p`-bit interval `[a, b]` near binade `e`: a point, one ulp, a relative width
/// 2^-k, an independent upper end, or a huge ratio.
fn positive(rng: &mut Rng, p: u32, e: i32, point: bool) -> (Float, Float) {
    if rng.coin(1, 40) {
        // The decimal magnitudes named by the issue, through the decimal constructor.
        let s = ["1e-300", "1e300", "1e-300", "1e300", "1", "0.1"][rng.below(6) as usize];
        let x = Interval::from_decimal(p, s).expect("parses");
        let a = x.lo().clone();
        return if point {
            (a.clone(), a)
        } else {
            (a, x.hi().clone())
        };
    }
    let a = magnitude(rng, p, e);
    if point {
        return (a.clone(), a);
    }
    let b = match rng.below(5) {
        0 => a.clone(),
        1 => next_up(&a),
        2 => {
            let k = rng.range(0, p as i64 + 8) as i32;
            let t = Float::with_val(53, rng.uniform());
            let d = Float::with_val(2 * p, &a * &t) >> k;
            Float::with_val_round(p, &a + &d, Round::Up).0
        }
        3 => {
            let e2 = e + rng.range(0, 40) as i32;
            magnitude(rng, p, e2)
        }
        _ => {
            let e2 = rng.range(e as i64, (e as i64).max(1000)) as i32;
            magnitude(rng, p, e2)
        }
    };
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// An interval of the given sign class near binade `e`.
fn signed(rng: &mut Rng, p: u32, e: i32, sign: Sign, point: bool) -> Interval {
    let z = Float::new(p);
    match sign {
        Sign::Pos => {
            let (a, b) = positive(rng, p, e, point);
            iv(p, a, b)
        }
        Sign::Neg => {
            let (a, b) = positive(rng, p, e, point);
            iv(p, -b, -a)
        }
        Sign::Mixed => {
            let (_, b) = positive(rng, p, e, false);
            let e2 = if rng.coin(1, 2) { e } else { rng.exponent() };
            let (_, a) = positive(rng, p, e2, false);
            iv(p, -a, b)
        }
        Sign::PosZero => {
            let (_, b) = positive(rng, p, e, false);
            iv(p, z, b)
        }
        Sign::NegZero => {
            let (_, b) = positive(rng, p, e, false);
            iv(p, -b, z)
        }
        Sign::Zero => iv(p, z.clone(), z),
    }
}

/// A sign class for one of the three basic classes, sometimes moved to a zero endpoint.
fn variant(rng: &mut Rng, base: Sign) -> Sign {
    match (base, rng.below(12)) {
        (_, 0) => Sign::Zero,
        (Sign::Pos, 1 | 2) => Sign::PosZero,
        (Sign::Neg, 1 | 2) => Sign::NegZero,
        (b, _) => b,
    }
}

const BASIC: [Sign; 3] = [Sign::Neg, Sign::Mixed, Sign::Pos];

/// A number in (-1, 1) at precision p, often within 2^-k of ±1 (k up to p).
fn unit_value(rng: &mut Rng, p: u32) -> Float {
    let one = Float::with_val(p, 1);
    let v = match rng.below(6) {
        0 | 1 => {
            // 1 - 2^-k exactly, k in 1..=p (k = p: the largest float below 1).
            let k = if rng.coin(1, 8) {
                p as i32
            } else {
                rng.range(1, p as i64) as i32
            };
            Float::with_val(p, &one - &pow2(-k))
        }
        2 | 3 => {
            // 1 - t 2^-k for a random mantissa t, rounded down.
            let k = rng.range(1, p as i64) as i32;
            let t = mantissa(rng, p) >> k;
            let v = Float::with_val_round(p, &one - &t, Round::Down).0;
            if v >= 1 {
                next_down(&one)
            } else {
                v
            }
        }
        4 => {
            let e = rng.range(-60, 0) as i32;
            magnitude(rng, p, e)
        }
        _ => Float::with_val(p, rng.uniform()),
    };
    if rng.coin(1, 2) {
        -v
    } else {
        v
    }
}

/// An interval inside (-1, 1), often with an end near ±1.
fn unit_interval(rng: &mut Rng, p: u32, point: bool) -> Interval {
    let a = unit_value(rng, p);
    if point {
        return iv(p, a.clone(), a);
    }
    let b = match rng.below(3) {
        0 => {
            let b = next_up(&a);
            if b >= 1 {
                a.clone()
            } else {
                b
            }
        }
        1 => {
            let k = rng.range(1, p as i64 + 4) as i32;
            let t = Float::with_val(53, rng.uniform());
            let b = Float::with_val_round(p, &a + &(t >> k), Round::Up).0;
            if b >= 1 {
                a.clone()
            } else {
                b
            }
        }
        _ => unit_value(rng, p),
    };
    iv(p, a, b)
}

// ---------------------------------------------------------------------------------------
// Coverage counters
// ---------------------------------------------------------------------------------------

/// Coverage counters of one test: asserted at its end (so that a generator change cannot
/// silently stop exercising a case) and printed only if `INTERVAL_PROPS_STATS` is set.
#[derive(Default)]
struct Tally {
    counts: std::collections::BTreeMap<String, usize>,
    max_point_ulps: f64,
}

impl Tally {
    fn add(&mut self, key: impl Into<String>) {
        *self.counts.entry(key.into()).or_default() += 1;
    }
    fn get(&self, key: &str) -> usize {
        self.counts.get(key).copied().unwrap_or(0)
    }
    #[track_caller]
    fn require(&self, name: &str, key: &str, min: usize) {
        assert!(
            self.get(key) >= min,
            "{name}: coverage: {} cases of {key:?}, need {min}; all counts: {:?}",
            self.get(key),
            self.counts
        );
    }
    fn report(&self, name: &str) {
        if std::env::var_os("INTERVAL_PROPS_STATS").is_some() {
            eprintln!(
                "{name}: max point width {} ulps; {:?}",
                self.max_point_ulps, self.counts
            );
        }
    }
}

/// The sign class of an interval.
fn class(x: &Interval) -> &'static str {
    if x.lo().is_zero() && x.hi().is_zero() {
        "zero"
    } else if x.lo() > &0 {
        "pos"
    } else if x.hi() < &0 {
        "neg"
    } else if x.lo().is_zero() {
        "pos0"
    } else if x.hi().is_zero() {
        "neg0"
    } else {
        "mixed"
    }
}

/// Counts an input's magnitudes: "tiny" below 2^-990 (< 1e-298), "huge" above 2^990.
fn tally_magnitude(t: &mut Tally, x: &Interval) {
    for e in [x.lo(), x.hi()] {
        if let Some(k) = e.get_exp() {
            if k <= -990 {
                t.add("tiny");
            }
            if k >= 990 {
                t.add("huge");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Binary operations
// ---------------------------------------------------------------------------------------

type Exact = fn(u32, &Float, &Float) -> (Float, Float);

struct Binary {
    name: &'static str,
    interval: fn(Interval, Interval) -> Result<Interval, NonSmooth>,
    exact: Exact,
    f64_op: fn(f64, f64) -> Result<f64, NonSmooth>,
    mpfr: fn(Mpfr, Mpfr) -> Result<Mpfr, NonSmooth>,
}

/// Runs `CASES` cases of a binary operation; `gen(rng, i)` draws the inputs and says whether
/// both are points. Returns the coverage counts (the generic minimums already asserted).
fn run_binary(
    op: &Binary,
    seed: u64,
    gen: impl Fn(&mut Rng, usize) -> (Interval, Interval, bool),
) -> Tally {
    let mut rng = Rng::new(seed);
    let mut t = Tally::default();
    for i in 0..CASES {
        let (x, y, point) = gen(&mut rng, i);
        let p = x.precision().max(y.precision());
        t.add("cases");
        t.add(format!("{} {} {}", class(&x), op.name, class(&y)));
        tally_magnitude(&mut t, &x);
        tally_magnitude(&mut t, &y);
        if x.precision() != y.precision() {
            t.add("mixed precisions");
        }
        let r = (op.interval)(x.clone(), y.clone()).unwrap_or_else(|e| {
            panic!(
                "{}: case {i}: {} and {} refused: {e}",
                op.name,
                show_i(&x),
                show_i(&y)
            )
        });
        assert_eq!(r.precision(), p, "{}: result precision", op.name);
        assert!(r.lo() <= r.hi(), "{}: lo > hi: {}", op.name, show_i(&r));
        let q = 4 * p;
        let xs = sample(&mut rng, &x);
        let ys = sample(&mut rng, &y);
        // All endpoint pairs, then the interior points pairwise.
        let mut pairs = Vec::new();
        for a in &xs[..2] {
            for b in &ys[..2] {
                pairs.push((a.clone(), b.clone()));
            }
        }
        for (j, a) in xs.iter().enumerate().skip(2) {
            pairs.push((a.clone(), ys[j.min(ys.len() - 1)].clone()));
            pairs.push((a.clone(), ys[rng.below(ys.len() as u64) as usize].clone()));
        }
        for b in ys.iter().skip(2) {
            pairs.push((xs[rng.below(xs.len() as u64) as usize].clone(), b.clone()));
        }
        for (a, b) in &pairs {
            let du = (op.exact)(q, a, b);
            assert_encloses(&r, &du, || {
                format!(
                    "{}: case {i}: X = {}, Y = {}, x = {}, y = {}",
                    op.name,
                    show_i(&x),
                    show_i(&y),
                    show(a),
                    show(b)
                )
            });
            t.add("points");
        }
        // f64 consistency on the last pair (an interior point when X or Y has one).
        let (a, b) = pairs.last().unwrap();
        let (af, bf) = (a.to_f64(), b.to_f64());
        let (ae, be) = (Float::with_val(53, af), Float::with_val(53, bf));
        if f64_normal(&ae) && f64_normal(&be) {
            let (ex, _) = (op.exact)(4 * 53, &ae, &be);
            if f64_normal(&ex) {
                let f = (op.f64_op)(af, bf)
                    .unwrap_or_else(|e| panic!("{}: f64 refused {af:e}, {bf:e}: {e}", op.name));
                assert!(
                    f64_close(f, &ex, 4.0),
                    "{}: f64 result {f:e} of ({af:e}, {bf:e}) is not within 4 ulps of {}",
                    op.name,
                    show(&ex)
                );
                t.add("f64");
            }
        }
        if point {
            t.add("point cases");
            let w = width_ulps(&r);
            t.max_point_ulps = t.max_point_ulps.max(w);
            assert!(
                w <= 4.0,
                "{}: not tight: case {i}: [{}] op [{}] = {} is {w} ulps wide (allowed 4)",
                op.name,
                show(x.lo()),
                show(y.lo()),
                show_i(&r)
            );
            // The round-to-nearest MPFR result lies in the enclosure of the point.
            let m = (op.mpfr)(Mpfr(x.lo().clone()), Mpfr(y.lo().clone()))
                .unwrap_or_else(|e| panic!("{}: Mpfr refused: {e}", op.name));
            assert!(
                r.contains(m.float()),
                "{}: Mpfr value {} of [{}] op [{}] outside the enclosure {}",
                op.name,
                show(m.float()),
                show(x.lo()),
                show(y.lo()),
                show_i(&r)
            );
        }
    }
    t.report(op.name);
    t.require(op.name, "cases", CASES);
    t.require(op.name, "point cases", CASES / 10);
    t.require(op.name, "f64", CASES / 4);
    t.require(op.name, "tiny", CASES / 20);
    t.require(op.name, "huge", CASES / 20);
    t
}

/// Inputs for `+` and `-`: any sign classes, exponents either independent (tiny vs huge)
/// or close (cancellation, exact results), a quarter of the cases points, one in ten with
/// mixed precisions.
fn gen_add(rng: &mut Rng, _i: usize) -> (Interval, Interval, bool) {
    let p = rng.prec();
    let point = rng.coin(1, 4);
    let ex = rng.exponent();
    let ey = if rng.coin(1, 2) {
        ex + rng.range(-(p as i64) - 4, p as i64 + 4) as i32
    } else {
        rng.exponent()
    };
    let pick = |rng: &mut Rng| -> Sign {
        if point {
            [Sign::Pos, Sign::Neg][rng.below(2) as usize]
        } else {
            {
                let b = BASIC[rng.below(3) as usize];
                variant(rng, b)
            }
        }
    };
    let sx = pick(rng);
    let sy = pick(rng);
    let x = signed(rng, p, ex, sx, point);
    let py = if !point && rng.coin(1, 10) {
        rng.prec()
    } else {
        p
    };
    let y = signed(rng, py, ey, sy, point);
    (x, y, point)
}

/// Inputs for `*`: the 9 sign combinations in turn (with zero-end variants), exponents
/// from tiny to huge.
fn gen_mul(rng: &mut Rng, i: usize) -> (Interval, Interval, bool) {
    let p = rng.prec();
    let point = rng.coin(1, 4);
    let (bx, by) = (BASIC[i % 3], BASIC[(i / 3) % 3]);
    let fix = |rng: &mut Rng, s: Sign| {
        if point {
            if s == Sign::Mixed {
                [Sign::Pos, Sign::Neg][rng.below(2) as usize]
            } else {
                s
            }
        } else {
            variant(rng, s)
        }
    };
    let sx = fix(rng, bx);
    let sy = fix(rng, by);
    let ex2 = rng.exponent();
    let x = signed(rng, p, ex2, sx, point);
    let py = if !point && rng.coin(1, 10) {
        rng.prec()
    } else {
        p
    };
    let ey2 = rng.exponent();
    let y = signed(rng, py, ey2, sy, point);
    (x, y, point)
}

/// Inputs for `/`: dividend in every sign class, divisor positive or negative (never
/// touching 0): all 6 combinations of the basic classes in turn, plus zero-end dividends.
fn gen_div(rng: &mut Rng, i: usize) -> (Interval, Interval, bool) {
    let p = rng.prec();
    let point = rng.coin(1, 4);
    let bx = BASIC[i % 3];
    let sy = [Sign::Neg, Sign::Pos][(i / 3) % 2];
    let sx = if point {
        if bx == Sign::Mixed {
            [Sign::Pos, Sign::Neg][rng.below(2) as usize]
        } else {
            bx
        }
    } else {
        variant(rng, bx)
    };
    let ex = rng.exponent();
    let x = signed(rng, p, ex, sx, point);
    let ey = rng.exponent();
    let y = signed(rng, p, ey, sy, point);
    (x, y, point)
}

#[test]
fn add_encloses_and_is_tight() {
    let op = Binary {
        name: "add",
        interval: |x, y| Ok(x + y),
        exact: |q, a, b| bracket(q, a + b),
        f64_op: |a, b| Ok(a + b),
        mpfr: |a, b| Ok(a + b),
    };
    let t = run_binary(&op, 0xadd, gen_add);
    t.require("add", "mixed precisions", CASES / 40);
    t.require("add", "mixed add mixed", CASES / 20);
}

#[test]
fn sub_encloses_and_is_tight() {
    let op = Binary {
        name: "sub",
        interval: |x, y| Ok(x - y),
        exact: |q, a, b| bracket(q, a - b),
        f64_op: |a, b| Ok(a - b),
        mpfr: |a, b| Ok(a - b),
    };
    let t = run_binary(&op, 0x5b, gen_add);
    t.require("sub", "mixed precisions", CASES / 40);
    t.require("sub", "neg sub pos", CASES / 20);
}

#[test]
fn mul_encloses_in_all_sign_cases_and_is_tight() {
    let op = Binary {
        name: "mul",
        interval: |x, y| Ok(x * y),
        exact: |q, a, b| bracket(q, a * b),
        f64_op: |a, b| Ok(a * b),
        mpfr: |a, b| Ok(a * b),
    };
    let t = run_binary(&op, 0x3a1, gen_mul);
    // Each of the 9 sign combinations, and intervals with an end at 0.
    for a in ["neg", "mixed", "pos"] {
        for b in ["neg", "mixed", "pos"] {
            t.require("mul", &format!("{a} mul {b}"), CASES / 20);
        }
    }
    t.require("mul", "pos0 mul mixed", 20);
    t.require("mul", "neg mul neg0", 20);
    // Spot checks of the sign table's corners, exact small integers.
    let i = |a: f64, b: f64| iv(53, Float::with_val(53, a), Float::with_val(53, b));
    let m = i(-2.0, 3.0) * i(-5.0, 7.0);
    assert!(*m.lo() == -15 && *m.hi() == 21, "{m:?}");
    let m = i(-2.0, -1.0) * i(-5.0, 7.0);
    assert!(*m.lo() == -14 && *m.hi() == 10, "{m:?}");
    let m = i(1.0, 2.0) * i(-5.0, -3.0);
    assert!(*m.lo() == -10 && *m.hi() == -3, "{m:?}");
}

#[test]
fn div_encloses_in_all_sign_cases_and_is_tight() {
    let op = Binary {
        name: "div",
        interval: |x, y| x.try_div(y),
        exact: |q, a, b| bracket(q, a / b),
        f64_op: |a, b| a.try_div(b),
        mpfr: |a, b| a.try_div(b),
    };
    let t = run_binary(&op, 0xd1f, gen_div);
    // Each sign class of the dividend against both signs of the divisor.
    for a in ["neg", "mixed", "pos", "neg0", "pos0", "zero"] {
        for b in ["neg", "pos"] {
            t.require("div", &format!("{a} div {b}"), 20);
        }
    }
    let i = |a: f64, b: f64| iv(53, Float::with_val(53, a), Float::with_val(53, b));
    let d = i(-2.0, 4.0).try_div(i(-4.0, -1.0)).unwrap();
    assert!(*d.lo() == -4 && *d.hi() == 2, "{d:?}");
    let d = i(1.0, 4.0).try_div(i(-4.0, -1.0)).unwrap();
    assert!(*d.lo() == -4 && *d.hi() == -0.25, "{d:?}");
}

// ---------------------------------------------------------------------------------------
// Unary operations
// ---------------------------------------------------------------------------------------

struct Unary {
    name: &'static str,
    interval: fn(Interval) -> Result<Interval, NonSmooth>,
    exact: fn(u32, &Float) -> (Float, Float),
    f64_op: fn(f64) -> Result<f64, NonSmooth>,
    /// Round-to-nearest MPFR at the input's precision (None: no Mpfr counterpart).
    mpfr: Option<fn(Mpfr) -> Result<Mpfr, NonSmooth>>,
    /// Allowed width for point inputs, in ulps of the result.
    tight_ulps: f64,
    /// Tightness is checked only for points with `|x|` below this. (For sin and cos at
    /// `|x| >~ 2^(p/2)` the `p`-bit enclosure of pi cannot rule out an extremum within
    /// `|x| 2^-p` of the point, and the value there is then not within an ulp of ±1.)
    tight_below: f64,
    /// Extra points of X to test (e.g. the extrema of sin inside X).
    extra: fn(&Interval) -> Vec<Float>,
}

fn no_extra(_: &Interval) -> Vec<Float> {
    Vec::new()
}

/// Runs `CASES` cases of a unary operation: containment at every sample point, tightness
/// for points, f64 and Mpfr consistency. Returns (cases, point cases, points checked).
fn run_unary(
    op: &Unary,
    seed: u64,
    gen: impl Fn(&mut Rng, usize) -> (Interval, bool),
    check: impl Fn(&Interval, &Interval, &mut Tally),
) -> Tally {
    let mut rng = Rng::new(seed);
    let mut t = Tally::default();
    for i in 0..CASES {
        let (x, point) = gen(&mut rng, i);
        let p = x.precision();
        t.add("cases");
        t.add(class(&x));
        tally_magnitude(&mut t, &x);
        let r = (op.interval)(x.clone())
            .unwrap_or_else(|e| panic!("{}: case {i}: {} refused: {e}", op.name, show_i(&x)));
        assert_eq!(r.precision(), p, "{}: result precision", op.name);
        assert!(r.lo() <= r.hi(), "{}: lo > hi: {}", op.name, show_i(&r));
        check(&x, &r, &mut t);
        let q = 4 * p;
        let mut xs = sample(&mut rng, &x);
        xs.extend((op.extra)(&x));
        for a in &xs {
            let du = (op.exact)(q, a);
            assert_encloses(&r, &du, || {
                format!("{}: case {i}: X = {}, x = {}", op.name, show_i(&x), show(a))
            });
            t.add("points");
        }
        let a = xs.last().unwrap();
        let af = a.to_f64();
        let ae = Float::with_val(53, af);
        if f64_normal(&ae) {
            if let Ok(f) = (op.f64_op)(af) {
                let (ex, _) = (op.exact)(4 * 53, &ae);
                if f64_normal(&ex) {
                    assert!(
                        f64_close(f, &ex, 4.0),
                        "{}: f64 result {f:e} of {af:e} is not within 4 ulps of {}",
                        op.name,
                        show(&ex)
                    );
                    t.add("f64");
                }
            }
        }
        if point && mag(&x) < op.tight_below {
            t.add("point cases");
            let w = width_ulps(&r);
            t.max_point_ulps = t.max_point_ulps.max(w);
            assert!(
                w <= op.tight_ulps,
                "{}: not tight: case {i}: op [{}] = {} is {w} ulps wide (allowed {})",
                op.name,
                show(x.lo()),
                show_i(&r),
                op.tight_ulps
            );
            if let Some(mp) = op.mpfr {
                let m = mp(Mpfr(x.lo().clone()))
                    .unwrap_or_else(|e| panic!("{}: Mpfr refused: {e}", op.name));
                assert!(
                    r.contains(m.float()),
                    "{}: Mpfr value {} of [{}] outside the enclosure {}",
                    op.name,
                    show(m.float()),
                    show(x.lo()),
                    show_i(&r)
                );
            }
        }
    }
    t.report(op.name);
    t.require(op.name, "cases", CASES);
    t.require(op.name, "point cases", CASES / 10);
    t.require(op.name, "f64", CASES / 10);
    t
}

/// Counts inputs of acos / kernel near the refused ends.
fn tally_unit(t: &mut Tally, x: &Interval) {
    let p = x.precision();
    let one = Float::with_val(p, 1);
    let near = Float::with_val(p, &one - &pow2(-40));
    if x.hi() > &near {
        t.add("within 2^-40 of +1");
    }
    if *x.hi() == next_down(&one) {
        t.add("largest float below +1");
    }
    if x.lo() < &-near {
        t.add("within 2^-40 of -1");
    }
    if *x.lo() == -next_down(&one) {
        t.add("smallest float above -1");
    }
}

#[test]
fn sqr_encloses_is_tight_and_starts_at_zero_when_zero_is_inside() {
    let op = Unary {
        name: "sqr",
        interval: |x| Ok(x.sqr()),
        exact: |q, a| bracket(q, a.square_ref()),
        f64_op: |a| Ok(a.sqr()),
        mpfr: Some(|a| Ok(a.sqr())),
        tight_ulps: 4.0,
        tight_below: f64::INFINITY,
        extra: no_extra,
    };
    let t = run_unary(
        &op,
        0x5e,
        |rng, i| {
            let p = rng.prec();
            let point = rng.coin(1, 4);
            let s = if point {
                [Sign::Pos, Sign::Neg][i % 2]
            } else {
                variant(rng, BASIC[i % 3])
            };
            let e = rng.exponent();
            (signed(rng, p, e, s, point), point)
        },
        |x, r, t| {
            if x.contains_zero() {
                t.add("0 inside");
                assert!(
                    r.lo().is_zero(),
                    "sqr of {} must start at exactly 0: {}",
                    show_i(x),
                    show_i(r)
                );
                let m = mag(x);
                let hi = Float::with_val_round(x.precision(), m.square_ref(), Round::Up).0;
                assert!(
                    *r.hi() == hi,
                    "sqr of {} must end at max^2 rounded up: {}",
                    show_i(x),
                    show_i(r)
                );
            } else {
                assert!(
                    r.lo() > &0,
                    "sqr of {} (0 outside) must be positive: {}",
                    show_i(x),
                    show_i(r)
                );
            }
        },
    );
    t.require("sqr", "0 inside", CASES / 5);
    t.require("sqr", "mixed", CASES / 10);
    t.require("sqr", "tiny", CASES / 20);
    t.require("sqr", "huge", CASES / 20);
}

#[test]
fn sqrt_encloses_and_is_tight() {
    let op = Unary {
        name: "sqrt",
        interval: |x| x.try_sqrt(),
        exact: |q, a| bracket(q, a.sqrt_ref()),
        f64_op: |a| a.try_sqrt(),
        mpfr: Some(|a| a.try_sqrt()),
        tight_ulps: 4.0,
        tight_below: f64::INFINITY,
        extra: no_extra,
    };
    let t = run_unary(
        &op,
        0x5a7,
        |rng, _| {
            let p = rng.prec();
            let point = rng.coin(1, 4);
            let e = rng.exponent();
            (signed(rng, p, e, Sign::Pos, point), point)
        },
        |x, r, _| assert!(r.lo() > &0, "sqrt of {} has lower end <= 0", show_i(x)),
    );
    t.require("sqrt", "tiny", CASES / 20);
    t.require("sqrt", "huge", CASES / 20);
}

#[test]
fn acos_encloses_near_plus_minus_one_and_is_tight() {
    let op = Unary {
        name: "acos",
        interval: |x| x.try_acos(),
        exact: |q, a| bracket(q, a.acos_ref()),
        f64_op: |a| a.try_acos(),
        mpfr: Some(|a| a.try_acos()),
        tight_ulps: 4.0,
        tight_below: f64::INFINITY,
        extra: no_extra,
    };
    let t = run_unary(
        &op,
        0xac05,
        |rng, _| {
            let p = rng.prec();
            let point = rng.coin(1, 3);
            (unit_interval(rng, p, point), point)
        },
        |x, r, t| {
            tally_unit(t, x);
            let pi = Float::with_val_round(x.precision(), Constant::Pi, Round::Up).0;
            assert!(
                r.lo() >= &0 && r.hi() <= &pi,
                "acos of {} leaves [0, pi]: {}",
                show_i(x),
                show_i(r)
            );
        },
    );
    for key in ["within 2^-40 of +1", "within 2^-40 of -1"] {
        t.require("acos", key, CASES / 10);
    }
    for key in ["largest float below +1", "smallest float above -1"] {
        t.require("acos", key, 50);
    }
}

// ---------------------------------------------------------------------------------------
// The kernel
// ---------------------------------------------------------------------------------------

/// An independent enclosure of `k(c) = (sqrt(1 - c^2) + (pi - acos c) c) / (2 pi)` at
/// precision `q`, each operation rounded in the safe direction by hand.
fn kernel_bracket(q: u32, c: &Float) -> (Float, Float) {
    use Round::{Down as D, Up as U};
    let c2d = Float::with_val_round(q, c.square_ref(), D).0;
    let c2u = Float::with_val_round(q, c.square_ref(), U).0;
    let one = Float::with_val(q, 1);
    let s2l = Float::with_val_round(q, &one - &c2u, D).0;
    let s2h = Float::with_val_round(q, &one - &c2d, U).0;
    let sl = if s2l > 0 {
        Float::with_val_round(q, s2l.sqrt_ref(), D).0
    } else {
        Float::new(q)
    };
    let sh = Float::with_val_round(q, s2h.sqrt_ref(), U).0;
    let (td, tu) = bracket(q, c.acos_ref());
    let (pd, pu) = bracket(q, Constant::Pi);
    let ul = Float::with_val_round(q, &pd - &tu, D).0;
    let uh = Float::with_val_round(q, &pu - &td, U).0;
    // u * c over u in [ul, uh] for the fixed c: increasing in u if c >= 0.
    let (ucl, uch) = if *c >= 0 {
        (
            Float::with_val_round(q, &ul * c, D).0,
            Float::with_val_round(q, &uh * c, U).0,
        )
    } else {
        (
            Float::with_val_round(q, &uh * c, D).0,
            Float::with_val_round(q, &ul * c, U).0,
        )
    };
    let nl = Float::with_val_round(q, &sl + &ucl, D).0;
    let nh = Float::with_val_round(q, &sh + &uch, U).0;
    let (tpd, tpu) = (pd * 2u32, pu * 2u32); // exact
    let kl = if nl >= 0 {
        Float::with_val_round(q, &nl / &tpu, D).0
    } else {
        Float::with_val_round(q, &nl / &tpd, D).0
    };
    let kh = if nh >= 0 {
        Float::with_val_round(q, &nh / &tpd, U).0
    } else {
        Float::with_val_round(q, &nh / &tpu, U).0
    };
    (kl, kh)
}

/// The conditioning of the kernel formula at c (as evaluated, with `1 - c^2` formed after
/// rounding `c^2`): rounding errors of relative size u give an error of about
/// `u * kernel_scale(c)`, since `sqrt(1 - c^2)` amplifies an absolute error e of `1 - c^2`
/// to `e / (2 sqrt(1 - c^2))`.
fn kernel_scale(c: &Float) -> Float {
    // 1 - c^2 accurately (c^2 exact at 2 prec(c) bits), then to 64 bits.
    let s2 = Float::with_val(
        2 * c.prec() + 2,
        1 - Float::with_val(2 * c.prec(), c.square_ref()),
    );
    let s2 = Float::with_val(64, s2);
    1 + Float::with_val(64, s2.recip_sqrt_ref())
}

#[test]
fn kernel_encloses_near_plus_minus_one_and_is_tight() {
    let mut rng = Rng::new(0x6e7);
    let mut t = Tally::default();
    let (mut max_cond_units, mut max_f64_units, mut max_mpfr_units) = (0f64, 0f64, 0f64);
    for i in 0..CASES {
        let p = rng.prec();
        let point = rng.coin(1, 3);
        let x = unit_interval(&mut rng, p, point);
        t.add("cases");
        tally_unit(&mut t, &x);
        let r = x
            .clone()
            .kernel()
            .unwrap_or_else(|e| panic!("kernel: case {i}: {} refused: {e}", show_i(&x)));
        assert_eq!(r.precision(), p);
        assert!(r.lo() <= r.hi());
        let q = 4 * p;
        for a in sample(&mut rng, &x) {
            let (d, u) = kernel_bracket(q, &a);
            // Weak form: [d, u] is an enclosure, not a correct rounding.
            if !(r.lo() <= &u && &d <= r.hi()) {
                panic!(
                    "containment violated: kernel: case {i}: X = {}, x = {}\n  result   {}\n  exact in [{}, {}]",
                    show_i(&x),
                    show(&a),
                    show_i(&r),
                    show(&d),
                    show(&u)
                );
            }
            t.add("points");
        }
        // The interval kernel is increasing, so its ends come from the ends of X.
        let (_, ul) = kernel_bracket(q, x.lo());
        let (dh, _) = kernel_bracket(q, x.hi());
        assert!(r.lo() <= &ul && &dh <= r.hi());
        // f64 consistency (Scalar for f64), within the formula's conditioning.
        let c = x.lo();
        let cf = c.to_f64();
        if cf.abs() < 1.0 {
            let f = cf.kernel().expect("f64 kernel inside (-1, 1)");
            let ce = Float::with_val(53, cf);
            let (d, u) = kernel_bracket(4 * 53, &ce);
            let ex = Float::with_val(4 * 53, &d + &u) / 2u32;
            let tol = kernel_scale(&ce) * 4u32 * pow2(-53);
            let err = Float::with_val(256, &ex - f).abs();
            max_f64_units = max_f64_units.max(Float::with_val(64, &err / &tol).to_f64() * 4.0);
            assert!(
                err <= tol,
                "kernel: f64 value {f:e} at {cf:e} is {} from {} (allowed {})",
                show(&err),
                show(&ex),
                show(&tol)
            );
            t.add("f64");
        }
        if point {
            t.add("point cases");
            // Tightness relative to the conditioning (the formula loses accuracy near ±1).
            let w = Float::with_val_round(q, r.hi() - r.lo(), Round::Up).0;
            let tol = kernel_scale(c) * 4u32 * pow2(-(p as i32));
            max_cond_units = max_cond_units.max(Float::with_val(64, &w / &tol).to_f64() * 4.0);
            assert!(
                w <= tol,
                "kernel: not tight: case {i}: kernel [{}] = {}: width {} > {}",
                show(c),
                show_i(&r),
                show(&w),
                show(&tol)
            );
            // Where the formula is well conditioned, within 16 ulps of the result.
            if *c >= -0.25 && *c <= 0.75 {
                t.add("well conditioned points");
                let wu = width_ulps(&r);
                t.max_point_ulps = t.max_point_ulps.max(wu);
                assert!(
                    wu <= 16.0,
                    "kernel: not tight: case {i}: kernel [{}] = {} is {wu} ulps wide (allowed 16)",
                    show(c),
                    show_i(&r)
                );
            }
            // Round-to-nearest MPFR kernel: within the same conditioning of the enclosure.
            let m = Mpfr(c.clone())
                .kernel()
                .expect("Mpfr kernel inside (-1, 1)");
            let (d, u) = kernel_bracket(q, c);
            let lo_gap = Float::with_val(q, &d - m.float());
            let hi_gap = Float::with_val(q, m.float() - &u);
            let gap = Float::with_val(64, lo_gap.max_ref(&hi_gap));
            max_mpfr_units = max_mpfr_units.max((gap / &tol).to_f64() * 4.0);
            assert!(
                lo_gap <= tol && hi_gap <= tol,
                "kernel: Mpfr value {} at {} is too far from [{}, {}]",
                show(m.float()),
                show(c),
                show(&d),
                show(&u)
            );
        }
    }
    if std::env::var_os("INTERVAL_PROPS_STATS").is_some() {
        eprintln!(
            "kernel: in units of 2^-p (1 + 1/sqrt(1 - c^2)): max point width {max_cond_units}, \
             max f64 error {max_f64_units}, max Mpfr distance {max_mpfr_units}"
        );
    }
    t.report("kernel");
    t.require("kernel", "cases", CASES);
    t.require("kernel", "points", 2 * CASES);
    t.require("kernel", "point cases", CASES / 10);
    t.require("kernel", "well conditioned points", 200);
    t.require("kernel", "f64", CASES / 4);
    for key in ["within 2^-40 of +1", "within 2^-40 of -1"] {
        t.require("kernel", key, CASES / 10);
    }
    for key in ["largest float below +1", "smallest float above -1"] {
        t.require("kernel", key, 50);
    }
}

// ---------------------------------------------------------------------------------------
// sin, cos
// ---------------------------------------------------------------------------------------

/// The reals `pi (off + 2k)` (off = 0.5 for sin's maxima, 1.5 for its minima, 0 and 1 for
/// cos) that lie in X, as floats at precision 4p + 64 (they are tested as points of X).
fn extrema_in(x: &Interval, off: f64) -> (Vec<Float>, bool) {
    let p = x.precision();
    let hp = 4 * p + 64;
    let pi = Float::with_val(hp, Constant::Pi);
    let two_pi = Float::with_val(hp, &pi * 2u32);
    let off_pi = Float::with_val(hp, &pi * off);
    // k from ceil((lo - off pi) / 2 pi) while pi (off + 2k) <= hi.
    let k0 = Float::with_val(hp, Float::with_val(hp, x.lo() - &off_pi) / &two_pi).ceil();
    let mut out = Vec::new();
    let mut certain = false;
    for j in -1i32..3 {
        let k = Float::with_val(hp, &k0 + j);
        let m = Float::with_val(hp, &k * &two_pi) + &off_pi;
        // With hp bits the error of m is far below the 4p-bit resolution; only accept
        // extrema strictly inside by a margin, and mark them certain.
        let margin =
            Float::with_val(hp, m.abs_ref()) * pow2(-(3 * p as i32)) + pow2(-(3 * p as i32));
        if Float::with_val(hp, x.lo() + &margin) <= m && m <= Float::with_val(hp, x.hi() - &margin)
        {
            out.push(m);
            certain = true;
        }
    }
    (out, certain)
}

fn sin_extra(x: &Interval) -> Vec<Float> {
    let mut v = extrema_in(x, 0.5).0;
    v.extend(extrema_in(x, 1.5).0);
    v
}

fn cos_extra(x: &Interval) -> Vec<Float> {
    let mut v = extrema_in(x, 0.0).0;
    v.extend(extrema_in(x, 1.0).0);
    v
}

/// Inputs for sin and cos: small, large (up to 2e6) and tiny arguments; points, one ulp,
/// relative widths, absolute widths up to 8 (some beyond 2 pi); and intervals built around
/// an extremum `pi (off + 2k) / 2`.
fn gen_trig(rng: &mut Rng, _i: usize) -> (Interval, bool) {
    let p = rng.prec();
    let point = rng.coin(1, 4);
    let hp = 4 * p + 64;
    let mut extremum = None;
    let c: Float = match rng.below(5) {
        0 => Float::with_val(p, 20.0 * rng.uniform() - 10.0),
        1 => {
            // Up to 2^21 ~ 2e6; one in four up to 2^60 (where |x| 2^-p exceeds 2^(-p/2)).
            let e = if rng.coin(1, 4) {
                rng.range(22, 60) as i32
            } else {
                21
            };
            let m = magnitude(rng, p, e);
            if rng.coin(1, 2) {
                -m
            } else {
                m
            }
        }
        2 => {
            let e = rng.range(-40, 3) as i32;
            let m = magnitude(rng, p, e);
            if rng.coin(1, 2) {
                -m
            } else {
                m
            }
        }
        3 => {
            // 1e6 from the decimal constructor.
            let s = if rng.coin(1, 2) { "1e6" } else { "-1e6" };
            Interval::from_decimal(p, s).unwrap().lo().clone()
        }
        _ => {
            // Near an extremum (k pi / 2), k up to ~1.3e6, one in four up to 2^50.
            let kmax = if rng.coin(1, 4) {
                1i64 << 50
            } else {
                1_300_000
            };
            let k = rng.range(-kmax, kmax);
            let m = Float::with_val(hp, Constant::Pi) * k / 2u32;
            extremum = Some(m.clone());
            let shift = Float::with_val(hp, rng.uniform() - 0.5) >> rng.range(0, p as i64) as i32;
            Float::with_val(p, m + shift)
        }
    };
    if point {
        return (iv(p, c.clone(), c), true);
    }
    let w: Float = match rng.below(6) {
        0 => Float::with_val(p, ulp(&c, p)),
        1 => {
            let k = rng.range(0, p as i64) as i32;
            (Float::with_val(p, c.abs_ref()) * Float::with_val(53, rng.uniform())) >> k
        }
        2 => Float::with_val(p, 8.0 * rng.uniform()),
        3 => {
            // Near 2 pi: just below, just above.
            let two_pi = Float::with_val(hp, Constant::Pi) * 2u32;
            let d = Float::with_val(hp, rng.uniform() - 0.5) >> rng.range(0, p as i64) as i32;
            Float::with_val(p, two_pi + d)
        }
        4 => Float::with_val(p, 4.0 * rng.uniform()), // around pi/2 .. 4
        _ => Float::with_val(p, rng.uniform()) >> rng.range(0, 40) as i32,
    };
    let w = Float::with_val(p, w.abs_ref());
    if let Some(m) = extremum.filter(|_| rng.coin(1, 2)) {
        // The extremum within one ulp of an end, inside: the delicate case of the split.
        if rng.coin(1, 2) {
            let lo = Float::with_val_round(p, &m, Round::Down).0;
            let hi = Float::with_val_round(p, &lo + &w, Round::Up).0;
            return (iv(p, lo, hi), false);
        }
        let hi = Float::with_val_round(p, &m, Round::Up).0;
        let lo = Float::with_val_round(p, &hi - &w, Round::Down).0;
        return (iv(p, lo, hi), false);
    }
    let lo = Float::with_val(p, &c - Float::with_val(p, &w * rng.uniform()));
    let hi = Float::with_val_round(p, &lo + &w, Round::Up).0;
    (iv(p, lo, hi), false)
}

fn trig_check(x: &Interval, r: &Interval, t: &mut Tally, max_off: f64, min_off: f64, name: &str) {
    let p = x.precision();
    if mag(x) >= 1e5 {
        t.add("|x| >= 1e5");
    }
    if mag(x) >= 1e9 {
        t.add("|x| >= 1e9");
    }
    assert!(
        r.lo() >= &-1 && r.hi() <= &1,
        "{name} of {} leaves [-1, 1]: {}",
        show_i(x),
        show_i(r)
    );
    // Wider than 2 pi (decided exactly enough: width rounded down vs 2 pi rounded up).
    let w = Float::with_val_round(4 * p, x.hi() - x.lo(), Round::Down).0;
    let two_pi = Float::with_val_round(4 * p, Constant::Pi, Round::Up).0 * 2u32;
    if w > two_pi {
        t.add("wider than 2 pi");
        assert!(
            *r.lo() == -1 && *r.hi() == 1,
            "{name} of {} (wider than 2 pi) must be [-1, 1]: {}",
            show_i(x),
            show_i(r)
        );
    }
    for m in extrema_in(x, max_off)
        .0
        .iter()
        .chain(&extrema_in(x, min_off).0)
    {
        let near_lo = Float::with_val(64, m - x.lo()) <= ulp(x.lo(), p) * 2u32;
        let near_hi = Float::with_val(64, x.hi() - m) <= ulp(x.hi(), p) * 2u32;
        if near_lo || near_hi {
            t.add("extremum within 2 ulps of an end");
        }
    }
    if extrema_in(x, max_off).1 {
        t.add("contains a maximum");
        assert!(
            *r.hi() == 1,
            "{name} of {} contains a maximum, upper end must be 1: {}",
            show_i(x),
            show_i(r)
        );
    }
    if extrema_in(x, min_off).1 {
        t.add("contains a minimum");
        assert!(
            *r.lo() == -1,
            "{name} of {} contains a minimum, lower end must be -1: {}",
            show_i(x),
            show_i(r)
        );
    }
}

#[test]
fn sin_encloses_extrema_wide_and_large_arguments() {
    let op = Unary {
        name: "sin",
        interval: |x| Ok(x.sin()),
        exact: |q, a| bracket(q, a.sin_ref()),
        f64_op: |a| Ok(a.sin()),
        mpfr: None,
        tight_ulps: 4.0,
        tight_below: 4.2e6,
        extra: sin_extra,
    };
    let t = run_unary(&op, 0x517, gen_trig, |x, r, t| {
        trig_check(x, r, t, 0.5, 1.5, "sin")
    });
    for key in [
        "|x| >= 1e5",
        "wider than 2 pi",
        "contains a maximum",
        "contains a minimum",
        "extremum within 2 ulps of an end",
    ] {
        t.require("sin", key, CASES / 40);
    }
    t.require("sin", "|x| >= 1e9", CASES / 40);
}

#[test]
fn cos_encloses_extrema_wide_and_large_arguments() {
    let op = Unary {
        name: "cos",
        interval: |x| Ok(x.cos()),
        exact: |q, a| bracket(q, a.cos_ref()),
        f64_op: |a| Ok(a.cos()),
        mpfr: None,
        tight_ulps: 4.0,
        tight_below: 4.2e6,
        extra: cos_extra,
    };
    let t = run_unary(&op, 0xc05, gen_trig, |x, r, t| {
        trig_check(x, r, t, 0.0, 1.0, "cos")
    });
    for key in [
        "|x| >= 1e5",
        "wider than 2 pi",
        "contains a maximum",
        "contains a minimum",
        "extremum within 2 ulps of an end",
    ] {
        t.require("cos", key, CASES / 40);
    }
    t.require("cos", "|x| >= 1e9", CASES / 40);
}

#[test]
fn sin_cos_fixed_cases() {
    let p = 64;
    let d = |a: &str, b: &str| Interval::from_decimal_bounds(p, a, b).unwrap();
    // Contains pi/2 + 2 pi: sin reaches 1; contains 3 pi/2: sin reaches -1.
    let s = d("7.8", "7.9").sin();
    assert!(*s.hi() == 1 && *s.lo() > 0.99, "{s:?}");
    let s = d("4.7", "4.8").sin();
    assert!(*s.lo() == -1, "{s:?}");
    // Width 6.3 > 2 pi.
    let s = d("1e6", "1000006.3").sin();
    assert!(*s.lo() == -1 && *s.hi() == 1, "{s:?}");
    let c = d("-0.1", "0.1").cos();
    assert!(*c.hi() == 1 && *c.lo() > 0.99, "{c:?}");
    let c = d("3.1", "3.2").cos();
    assert!(*c.lo() == -1, "{c:?}");
}

// ---------------------------------------------------------------------------------------
// pi and the constructors
// ---------------------------------------------------------------------------------------

#[test]
fn pi_encloses_pi_in_one_ulp() {
    let mut rng = Rng::new(0x314);
    for i in 0..CASES {
        let p = if i < 972 { 53 + i as u32 } else { rng.prec() };
        let x = Interval::point(p, rng.uniform());
        let pi = x.pi();
        assert_eq!(pi.precision(), p);
        let du = bracket(4 * p, Constant::Pi);
        assert_encloses(&pi, &du, || format!("pi at precision {p}"));
        assert!(
            *pi.hi() == next_up(pi.lo()),
            "pi at {p} is not one ulp wide: {}",
            show_i(&pi)
        );
        let m = Mpfr::from_f64(p, 1.0).pi();
        assert!(
            pi.contains(m.float()),
            "Mpfr pi outside the enclosure at {p}"
        );
    }
}

#[test]
fn constructors_enclose_their_inputs() {
    let mut rng = Rng::new(0xc0);
    for _ in 0..CASES {
        let p = rng.prec();
        // point: exact for every finite f64.
        let bits = rng.0.next_u64();
        let f = f64::from_bits(bits);
        let f = if f.is_finite() { f } else { rng.uniform() };
        let x = Interval::point(p, f);
        assert!(
            *x.lo() == f && *x.hi() == f && x.precision() == p,
            "point({p}, {f:e})"
        );
        assert!(x.contains(&Float::with_val(53, f)));
        // from_floats on 2p-bit endpoints: outward and one ulp at most on each side.
        let (ea, eb) = (rng.exponent(), rng.exponent());
        let a = magnitude(&mut rng, 2 * p, ea);
        let b = Float::with_val(2 * p, &a + magnitude(&mut rng, 2 * p, eb));
        let (a, b) = if rng.coin(1, 2) { (a, b) } else { (-b, -a) };
        let y = Interval::from_floats(p, &a, &b).unwrap();
        assert!(y.lo() <= &a && &b <= y.hi(), "from_floats not outward");
        assert!(
            *y.lo() == rnd(p, &a, Round::Down) && *y.hi() == rnd(p, &b, Round::Up),
            "from_floats not tight"
        );
        assert!(Interval::from_floats(p, &b, &a).is_none() || a == b);
        assert!(
            Interval::from_float(p, &a).unwrap().contains(&a),
            "from_float not outward"
        );
        // from_rational: contains q, one ulp wide at most.
        let num = Integer::from(rng.0.next_u64()) * Integer::from(rng.0.next_u64())
            - Integer::from(rng.0.next_u64()) * Integer::from(rng.0.next_u64());
        let den = Integer::from(rng.0.next_u64() | 1);
        let q = Rational::from((num, den));
        let z = Interval::from_rational(p, &q);
        assert!(
            *z.lo() <= q && *z.hi() >= q,
            "from_rational({q}) at {p}: {}",
            show_i(&z)
        );
        assert!(z.contains_rational(&q));
        assert!(
            *z.hi() == *z.lo() || *z.hi() == next_up(z.lo()),
            "from_rational not tight"
        );
        // from_decimal: contains the exact decimal, one ulp wide at most.
        let s = format!(
            "{}{}.{}e{}",
            if rng.coin(1, 2) { "-" } else { "" },
            rng.0.next_u64() % 1000,
            rng.0.next_u64(),
            rng.range(-320, 320)
        );
        let qd = parse_decimal(&s).unwrap();
        let w = Interval::from_decimal(p, &s).unwrap();
        assert!(
            *w.lo() <= qd && *w.hi() >= qd,
            "from_decimal({s}) at {p}: {}",
            show_i(&w)
        );
        assert!(
            *w.hi() == *w.lo() || *w.hi() == next_up(w.lo()),
            "from_decimal({s}) not tight"
        );
        // ball: contains c - r and c + r exactly.
        let (ec, er) = (rng.range(-30, 30) as i32, rng.range(-80, 30) as i32);
        let c = magnitude(&mut rng, 2 * p, ec);
        let r = magnitude(&mut rng, 53, er);
        let bl = Interval::ball(p, &c, &r);
        let cq = c.to_rational().unwrap();
        let rq = r.to_rational().unwrap();
        let (l, h) = (Rational::from(&cq - &rq), Rational::from(&cq + &rq));
        assert!(
            *bl.lo() <= l && *bl.hi() >= h,
            "ball({c}, {r}) at {p}: {}",
            show_i(&bl)
        );
        // mid inside, width an upper bound.
        assert!(w.contains(&w.mid()) && bl.contains(&bl.mid()));
        let exact_w = bl.hi().to_rational().unwrap() - bl.lo().to_rational().unwrap();
        assert!(bl.width() >= exact_w, "width is not an upper bound");
    }
}

// ---------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------

#[test]
fn refusals_are_errors_never_values() {
    let mut rng = Rng::new(0xe7);
    let n = 500;
    for i in 0..n {
        let p = rng.prec();
        let z = Float::new(p);
        let e = rng.exponent();
        let (_, a) = positive(&mut rng, p, e, false);
        let e2 = rng.exponent();
        let (_, b) = positive(&mut rng, p, e2, false);
        // Divisors that contain 0.
        let divisor = match i % 6 {
            0 => iv(p, z.clone(), z.clone()),
            1 => iv(p, z.clone(), b.clone()),
            2 => iv(p, -a.clone(), z.clone()),
            3 => iv(p, -a.clone(), b.clone()),
            4 => iv(
                p,
                -Float::with_val(p, pow2(-1000)),
                Float::with_val(p, pow2(-1000)),
            ),
            _ => iv(p, -z.clone(), b.clone()), // lower end -0
        };
        let (e3, pt) = (rng.exponent(), rng.coin(1, 2));
        let num = signed(&mut rng, p, e3, BASIC[i % 3], pt);
        assert_eq!(
            num.clone().try_div(divisor.clone()),
            Err(NonSmooth::DivisorTouchesZero),
            "{} / {} must be refused",
            show_i(&num),
            show_i(&divisor)
        );
        // Square roots of intervals touching 0 (or below).
        let arg = match i % 5 {
            0 => iv(p, z.clone(), z.clone()),
            1 => iv(p, z.clone(), b.clone()),
            2 => iv(p, -a.clone(), b.clone()),
            3 => iv(p, -b.clone(), -a.clone()),
            _ => iv(p, -a.clone(), z.clone()),
        };
        assert_eq!(
            arg.clone().try_sqrt(),
            Err(NonSmooth::SqrtTouchesZero),
            "sqrt {} must be refused",
            show_i(&arg)
        );
        // Cosines touching ±1.
        let one = Float::with_val(p, 1);
        let u = unit_value(&mut rng, p);
        let t = Float::with_val(
            p,
            &one + (Float::with_val(p, 1) >> rng.range(1, p as i64) as i32),
        );
        let cosine = match i % 8 {
            0 => iv(p, u.clone(), one.clone()),
            1 => iv(p, -one.clone(), u.clone()),
            2 => iv(p, u.clone(), t.clone()),
            3 => iv(p, -t.clone(), u.clone()),
            4 => iv(p, one.clone(), one.clone()),
            5 => iv(p, -one.clone(), -one.clone()),
            6 => iv(p, -t.clone(), t.clone()),
            _ => iv(p, t.clone(), Float::with_val(p, &t * 2u32)),
        };
        assert_eq!(
            cosine.clone().try_acos(),
            Err(NonSmooth::CosineTouchesOne),
            "acos {} must be refused",
            show_i(&cosine)
        );
        assert!(
            cosine.clone().kernel().is_err(),
            "kernel {} must be refused",
            show_i(&cosine)
        );
        // The approximate arithmetics refuse their points on the boundary too.
        assert!(1.0f64.try_div(0.0).is_err() && 0.0f64.try_sqrt().is_err());
        assert!(1.0f64.try_acos().is_err() && (-1.0f64).kernel().is_err());
        assert!(Mpfr::from_f64(p, 1.0)
            .try_div(Mpfr::from_f64(p, 0.0))
            .is_err());
        assert!(Mpfr::from_f64(p, 0.0).try_sqrt().is_err());
        assert!(Mpfr(one.clone()).try_acos().is_err() && Mpfr(-one.clone()).kernel().is_err());
        // Just inside: accepted.
        let inside = next_down(&one);
        assert!(iv(p, -inside.clone(), inside.clone()).kernel().is_ok());
        assert!(iv(p, a.clone(), Float::with_val(p, &a * 2u32))
            .try_sqrt()
            .is_ok());
    }
}

// ---------------------------------------------------------------------------------------
// Decimal output
// ---------------------------------------------------------------------------------------

#[test]
fn decimal_output_is_outward() {
    let mut rng = Rng::new(0xdec);
    let mut cases = 0;
    for i in 0..CASES {
        let p = rng.prec();
        let point = rng.coin(1, 4);
        let e = rng.exponent();
        let s = variant(&mut rng, BASIC[i % 3]);
        let x = signed(&mut rng, p, e, s, point);
        let digits = match rng.below(4) {
            0 => digits_for_prec(p),
            1 => rng.range(1, 3) as usize,
            _ => rng.range(1, 40) as usize,
        };
        let (ls, hs) = (x.lo_decimal(digits), x.hi_decimal(digits));
        let lq = parse_decimal(&ls).unwrap_or_else(|| panic!("lo_decimal wrote {ls:?}"));
        let hq = parse_decimal(&hs).unwrap_or_else(|| panic!("hi_decimal wrote {hs:?}"));
        assert!(
            *x.lo() >= lq,
            "lo_decimal({digits}) of {} = {ls} is above the lower end",
            show_i(&x)
        );
        assert!(
            *x.hi() <= hq,
            "hi_decimal({digits}) of {} = {hs} is below the upper end",
            show_i(&x)
        );
        // Read back through the library's own parser at high precision.
        let lb = Interval::from_decimal(4096, &ls).unwrap();
        let hb = Interval::from_decimal(4096, &hs).unwrap();
        assert!(
            lb.hi() <= x.lo() && hb.lo() >= x.hi(),
            "read-back of {ls} / {hs}"
        );
        // And not needlessly far: within one unit of the last printed digit.
        for (end, dq) in [(x.lo(), &lq), (x.hi(), &hq)] {
            let e = end.to_rational().unwrap();
            let gap = Rational::from(&e - dq).abs();
            let bound =
                e.clone().abs() * Rational::from((1, Integer::from(10).pow(digits as u32 - 1)));
            assert!(
                gap <= bound,
                "{ls} / {hs} is more than one digit from {}",
                show_i(&x)
            );
        }
        cases += 1;
    }
    assert_eq!(cases, CASES);
}
