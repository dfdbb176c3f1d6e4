//! Directed rounding of every primitive of [`relucert::arith::Interval`] and of the AD types
//! built on it, checked against **exact rationals** (or, for the transcendental acos, against
//! MPFR at 4x the precision, which decides the comparison exactly, see `acos_bracket`).
//!
//! Inputs are random floats of `p` bits, `p` in 53..=64, with random exponents, so most
//! results are inexact (each test asserts how many were). For a primitive that MPFR rounds
//! correctly (`sqrt_nonneg`, `try_sqrt`, `with_prec`, `inflate`, `try_div`, `sqr`, `*`,
//! `try_acos`) the ends must be *exactly* the directed roundings of the exact extremes:
//! `lo <= exact < next_up(lo)` and `next_down(hi) < exact <= hi` (enclosing, and tight to one
//! ulp, as the module contract claims). Composite operations (the kernel, Taylor and Jet
//! arithmetic) must enclose the exact value and stay narrow (a few thousand ulps at most).
//!
//! | primitive | reference | random cases |
//! |---|---|---|
//! | `sqrt_nonneg`, `try_sqrt` | exact squares of the ends | `CASES` each |
//! | `with_prec` | the exact input float | `CASES` |
//! | `inflate` | exact rational sum | `CASES` |
//! | `try_div` | exact rational quotients | `CASES` |
//! | `*`, `sqr` | exact rational products | `CASES` each |
//! | `try_acos` | MPFR at 4p, directed | `CASES` |
//! | `kernel` | Interval at 4p (consistency; `interval_props` has the independent bracket) | `CASES` |
//! | `Taylor` sqrt, 1/x, `*`, acos | exact rational coefficients | `SERIES_CASES` each |
//! | `Jet2`, `Jet1` sqrt, 1/(xy), acos | exact rational value, gradient, Hessian | `SERIES_CASES` each |

use relucert::arith::{Interval, Jet1, Jet2, Scalar, Taylor};
use relucert::random::SplitMix64;
use rug::float::Round;
use rug::ops::Pow;
use rug::{Float, Integer, Rational};

const CASES: usize = 20_000;
const SERIES_CASES: usize = 2_000;

fn rand_prec(rng: &mut SplitMix64) -> u32 {
    53 + (rng.next_u64() % 12) as u32
}

/// A random float with exactly `p` significant bits (top and bottom bit set, so a result
/// is rarely exact), sign random, exponent in `emin..=emax`.
fn rand_float(rng: &mut SplitMix64, p: u32, emin: i32, emax: i32) -> Float {
    let mut m = Integer::new();
    for _ in 0..p.div_ceil(64) {
        m = (m << 64) + rng.next_u64();
    }
    m.keep_bits_mut(p);
    m.set_bit(p - 1, true);
    m.set_bit(0, true);
    let e = emin + (rng.next_u64() % (emax - emin + 1) as u64) as i32;
    let mut q = Rational::from(m);
    let shift = e - p as i32;
    if shift >= 0 {
        q <<= shift as u32;
    } else {
        q >>= (-shift) as u32;
    }
    if rng.next_u64() % 2 == 0 {
        q = -q;
    }
    let f = Float::with_val(p, &q);
    assert_eq!(f, q, "the random float is exact");
    f
}

fn rat(x: &Float) -> Rational {
    x.to_rational().expect("finite")
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

/// `lo` is the rounding of `e` toward -inf, `hi` toward +inf, at their precision.
fn assert_directed(r: &Interval, lo_exact: &Rational, hi_exact: &Rational, what: &str) {
    assert!(
        *r.lo() <= *lo_exact && next_up(r.lo()) > *lo_exact,
        "{what}: lower end {} is not the rounding down of {} (prec {})",
        r.lo(),
        lo_exact.to_f64(),
        r.precision()
    );
    assert!(
        *r.hi() >= *hi_exact && next_down(r.hi()) < *hi_exact,
        "{what}: upper end {} is not the rounding up of {} (prec {})",
        r.hi(),
        hi_exact.to_f64(),
        r.precision()
    );
}

fn ordered(a: Float, b: Float) -> (Float, Float) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

#[test]
fn sqrt_nonneg_and_try_sqrt_ends_are_the_directed_roundings_of_the_exact_roots() {
    let mut rng = SplitMix64::new(11);
    let mut inexact = 0;
    for case in 0..CASES {
        let p = rand_prec(&mut rng);
        let (a, b) = ordered(
            rand_float(&mut rng, p, -30, 30).abs(),
            rand_float(&mut rng, p, -30, 30).abs(),
        );
        let a = if case % 50 == 0 { Float::new(p) } else { a };
        let x = Interval::from_floats(p, &a, &b).unwrap();
        let r = x.sqrt_nonneg().expect("nonnegative");
        let results = if a > 0 {
            vec![r.clone(), x.clone().try_sqrt().expect("positive")]
        } else {
            vec![r.clone()]
        };
        for r in results {
            // lo = RD(sqrt a)  <=>  lo^2 <= a < next_up(lo)^2 (lo >= 0).
            let lo = rat(r.lo());
            // (At a = 0 the successor of 0 is the smallest float, 2^-(2^30): not squared.)
            let lo_up = if a == 0 {
                Rational::new()
            } else {
                rat(&next_up(r.lo()))
            };
            assert!(
                *r.lo() >= 0
                    && lo.clone().square() <= rat(&a)
                    && ((a == 0 && *r.lo() == 0) || lo_up.square() > rat(&a)),
                "sqrt lower end {} is not RD(sqrt {a}) at p = {p}",
                r.lo()
            );
            let hi = rat(r.hi());
            let hi_dn = rat(&next_down(r.hi()));
            assert!(
                hi.square() >= rat(&b) && (hi_dn < 0 || hi_dn.square() < rat(&b)),
                "sqrt upper end {} is not RU(sqrt {b}) at p = {p}",
                r.hi()
            );
        }
        if rat(r.lo()).square() != rat(&a) {
            inexact += 1;
        }
    }
    assert!(inexact > CASES * 9 / 10, "only {inexact} inexact roots");
}

#[test]
fn with_prec_rounds_each_end_outward_to_the_adjacent_float() {
    let mut rng = SplitMix64::new(12);
    let mut inexact = 0;
    for _ in 0..CASES {
        let p = rand_prec(&mut rng);
        let wide = p + 1 + (rng.next_u64() % 64) as u32;
        let (a, b) = ordered(
            rand_float(&mut rng, wide, -40, 40),
            rand_float(&mut rng, wide, -40, 40),
        );
        let x = Interval::from_floats(wide, &a, &b).unwrap();
        assert_eq!((x.lo(), x.hi()), (&a, &b), "exact at its own precision");
        let y = x.with_prec(p);
        assert_eq!(y.precision(), p);
        assert_directed(&y, &rat(&a), &rat(&b), "with_prec");
        // A point keeps containing itself.
        let point = Interval::from_float(wide, &a).unwrap().with_prec(p);
        assert!(point.contains(&a), "with_prec of the point {a} lost it");
        if *y.lo() != a {
            inexact += 1;
        }
    }
    assert!(inexact > CASES * 9 / 10, "only {inexact} inexact cases");
}

#[test]
fn inflate_widens_by_at_least_r_and_at_most_one_ulp_more() {
    let mut rng = SplitMix64::new(13);
    let mut inexact = 0;
    for _ in 0..CASES {
        let p = rand_prec(&mut rng);
        let (a, b) = ordered(
            rand_float(&mut rng, p, -10, 10),
            rand_float(&mut rng, p, -10, 10),
        );
        // A radius of a very different magnitude: the sums are inexact.
        let r = rand_float(&mut rng, p, -60, 12).abs();
        let x = Interval::from_floats(p, &a, &b).unwrap();
        let y = x.inflate(&r);
        let lo = rat(&a) - rat(&r);
        let hi = rat(&b) + rat(&r);
        assert_directed(&y, &lo, &hi, "inflate");
        if *y.lo() != lo {
            inexact += 1;
        }
    }
    assert!(inexact > CASES / 2, "only {inexact} inexact cases");
}

fn extremes(values: Vec<Rational>) -> (Rational, Rational) {
    let lo = values.iter().min().unwrap().clone();
    let hi = values.iter().max().unwrap().clone();
    (lo, hi)
}

#[test]
fn division_product_and_square_ends_are_the_directed_roundings_of_the_exact_extremes() {
    let mut rng = SplitMix64::new(14);
    let mut inexact = 0;
    for _ in 0..CASES {
        let p = rand_prec(&mut rng);
        let (a, b) = ordered(
            rand_float(&mut rng, p, -20, 20),
            rand_float(&mut rng, p, -20, 20),
        );
        let (c, d) = ordered(
            rand_float(&mut rng, p, -20, 20),
            rand_float(&mut rng, p, -20, 20),
        );
        let x = Interval::from_floats(p, &a, &b).unwrap();
        let y = Interval::from_floats(p, &c, &d).unwrap();
        let (qa, qb, qc, qd) = (rat(&a), rat(&b), rat(&c), rat(&d));
        let prods = vec![
            qa.clone() * &qc,
            qa.clone() * &qd,
            qb.clone() * &qc,
            qb.clone() * &qd,
        ];
        let (plo, phi) = extremes(prods);
        let prod = x.clone() * y.clone();
        assert_directed(&prod, &plo, &phi, "product");
        if *prod.lo() != plo {
            inexact += 1;
        }
        // Square: [0, max^2] when 0 is inside, else the squares of the ends.
        let sq = x.clone().sqr();
        let (slo, shi) = if qa <= 0 && qb >= 0 {
            (
                Rational::new(),
                extremes(vec![qa.clone().square(), qb.clone().square()]).1,
            )
        } else {
            extremes(vec![qa.clone().square(), qb.clone().square()])
        };
        if slo == 0 {
            assert_eq!(*sq.lo(), 0, "sqr of an interval holding 0 starts at 0");
            assert!(*sq.hi() >= shi && next_down(sq.hi()) < shi, "sqr upper end");
        } else {
            assert_directed(&sq, &slo, &shi, "sqr");
        }
        // Division when the divisor has one sign.
        if (c > 0) == (d > 0) {
            let quots = vec![
                qa.clone() / &qc,
                qa.clone() / &qd,
                qb.clone() / &qc,
                qb.clone() / &qd,
            ];
            let (dlo, dhi) = extremes(quots);
            let q = x.try_div(y).expect("divisor excludes 0");
            assert_directed(&q, &dlo, &dhi, "try_div");
        } else {
            assert!(x.try_div(y).is_err(), "a divisor holding 0 is refused");
        }
    }
    assert!(inexact > CASES * 9 / 10, "only {inexact} inexact products");
}

/// `[d, u]`: acos(x) bracketed by MPFR at `q` bits, rounded down and up.
fn acos_bracket(x: &Float, q: u32) -> (Float, Float) {
    let d = Float::with_val_round(q, x.acos_ref(), Round::Down).0;
    let u = Float::with_val_round(q, x.acos_ref(), Round::Up).0;
    (d, u)
}

#[test]
fn acos_ends_are_the_directed_roundings_decided_at_four_times_the_precision() {
    let mut rng = SplitMix64::new(15);
    for _ in 0..CASES {
        let p = rand_prec(&mut rng);
        let (a, b) = ordered(
            rand_float(&mut rng, p, -30, 0),
            rand_float(&mut rng, p, -30, 0),
        );
        if a <= -1 || b >= 1 {
            continue;
        }
        let x = Interval::from_floats(p, &a, &b).unwrap();
        let r = x.try_acos().expect("inside (-1, 1)");
        // acos is decreasing: the lower end is at b, the upper at a. Every p-bit float is a
        // 4p-bit float and acos(b) is irrational, so it lies strictly between d and u:
        // lo <= acos(b) <=> lo <= d, and next_up(lo) > acos(b) <=> next_up(lo) >= u.
        let (d, u) = acos_bracket(&b, 4 * p);
        assert!(
            *r.lo() <= d && next_up(r.lo()) >= u,
            "acos lower end {} not RD(acos {b})",
            r.lo()
        );
        let (d, u) = acos_bracket(&a, 4 * p);
        assert!(
            *r.hi() >= u && next_down(r.hi()) <= d,
            "acos upper end {} not RU(acos {a})",
            r.hi()
        );
    }
}

#[test]
fn kernel_enclosure_meets_the_four_times_precision_enclosure_and_is_narrow() {
    let mut rng = SplitMix64::new(16);
    for _ in 0..CASES {
        let p = rand_prec(&mut rng);
        let a = rand_float(&mut rng, p, -30, 0);
        if a.clone().abs() >= 1 {
            continue;
        }
        let x = Interval::from_float(p, &a).unwrap();
        let k = x.clone().kernel().expect("inside");
        let fine = x.with_prec(4 * p).kernel().expect("inside");
        // The exact k(a) lies in `fine`, which is far narrower than an ulp at p: an end of
        // `k` on the wrong side of k(a) shows up as a gap between the two.
        assert!(
            k.lo() <= fine.lo() && k.hi() >= fine.hi(),
            "kernel at {a}: {k:?} does not hold {fine:?}"
        );
        let ulp = Float::with_val(p, 1) >> (p as i32 - 12);
        assert!(k.width() <= ulp, "kernel at {a}: {k:?} too wide");
    }
}

// ---------------------------------------------------------------------------------------
// Taylor and Jet arithmetic against exact rational coefficients.

/// A random positive perfect square `s^2` (`s = m / 2^e`, `m < 2^26`): exact at 53 bits.
fn perfect_square(rng: &mut SplitMix64) -> (Rational, Rational) {
    let m = (rng.next_u64() >> 38) | 1;
    let e = (rng.next_u64() % 20) as u32;
    let s = Rational::from(Integer::from(m)) >> e;
    (s.clone().square(), s)
}

fn iv(p: u32, q: &Rational) -> Interval {
    let x = Interval::from_rational(p, q);
    assert_eq!(x.lo(), x.hi(), "input {q} is exact at {p} bits");
    x
}

/// `x` holds `e` and is not absurdly wide (relative width below 2^(20 - p)).
fn assert_holds(x: &Interval, e: &Rational, what: &str) {
    assert!(
        x.contains_rational(e),
        "{what}: {x:?} does not hold {}",
        e.to_f64()
    );
    let w = rat(&x.width());
    let scale = e.clone().abs() + Rational::from((1, 1u64 << 40));
    let bound = scale * Rational::from((1, 1u64 << (x.precision() - 20)));
    assert!(w <= bound, "{what}: {x:?} too wide");
}

const BINOM_HALF: [(i64, i64); 5] = [(1, 1), (1, 2), (-1, 8), (1, 16), (-5, 128)];

#[test]
fn taylor_sqrt_reciprocal_and_product_coefficients_hold_the_exact_rationals() {
    let mut rng = SplitMix64::new(17);
    for _ in 0..SERIES_CASES {
        let p = rand_prec(&mut rng);
        let (x0, s) = perfect_square(&mut rng);
        let line = Taylor::line(iv(p, &x0), Interval::point(p, 1.0));
        // sqrt(x0 + t) = sum binom(1/2, k) s x0^-k t^k.
        let sq = line.clone().try_sqrt().expect("positive");
        // 1 / (x0 + t) = sum (-1)^k x0^-(k+1) t^k.
        let one = line.cst(1.0);
        let rec = one.try_div(line.clone()).expect("positive");
        for k in 0..5 {
            let b = Rational::from(BINOM_HALF[k]);
            let xk = x0.clone().pow(k as i32);
            assert_holds(&sq.c[k], &(b * &s / &xk), &format!("sqrt c_{k}"));
            let sign = if k % 2 == 0 { 1 } else { -1 };
            let r = Rational::from(sign) / (xk * &x0);
            assert_holds(&rec.c[k], &r, &format!("1/x c_{k}"));
        }
        // (a + b t)(c + d t) with inexact products.
        let f: Vec<Float> = (0..4).map(|_| rand_float(&mut rng, p, -8, 8)).collect();
        let i = |x: &Float| Interval::from_float(p, x).unwrap();
        let prod = Taylor::line(i(&f[0]), i(&f[1])) * Taylor::line(i(&f[2]), i(&f[3]));
        let q: Vec<Rational> = f.iter().map(rat).collect();
        assert_holds(&prod.c[0], &(q[0].clone() * &q[2]), "product c_0");
        assert_holds(
            &prod.c[1],
            &(q[0].clone() * &q[3] + q[1].clone() * &q[2]),
            "product c_1",
        );
        assert_holds(&prod.c[2], &(q[1].clone() * &q[3]), "product c_2");
    }
}

/// Whether `y * w^(m/2) <= b` (`w > 0`), decided in exact rationals.
fn scaled_le(y: &Rational, w: &Rational, m: i32, b: &Rational) -> bool {
    let lhs2 = y.clone().square() * w.clone().pow(m);
    let b2 = b.clone().square();
    match (*y >= 0, *b >= 0) {
        (false, true) => true,
        (true, false) => *y == 0 && *b == 0,
        (true, true) => lhs2 <= b2,
        (false, false) => lhs2 >= b2,
    }
}

/// Whether `[lo, hi]` holds `b / w^(m/2)`, decided exactly.
fn holds_root_quotient(x: &Interval, b: &Rational, w: &Rational, m: i32) -> bool {
    let lo = rat(x.lo());
    let hi = rat(x.hi());
    // lo <= b / r  <=>  lo r <= b ;  hi >= b / r  <=>  (-hi) r <= -b.
    scaled_le(&lo, w, m, b) && scaled_le(&(-hi), w, m, &(-b.clone()))
}

/// A random p-bit cosine in (-1, 1), away from ±1.
fn rand_cosine(rng: &mut SplitMix64, p: u32) -> Float {
    loop {
        let c = rand_float(rng, p, -12, 0);
        if c.clone().abs() < 0.999 {
            return c;
        }
    }
}

#[test]
fn taylor_acos_coefficients_hold_the_exact_derivatives() {
    let mut rng = SplitMix64::new(18);
    // acos^(k)(x) = -q_k(x) / (1 - x^2)^((2k - 1)/2), c_k = acos^(k) / k!.
    for _ in 0..SERIES_CASES {
        let p = rand_prec(&mut rng);
        let c = rand_cosine(&mut rng, p);
        let x = rat(&c);
        let w = Rational::from(1) - x.clone().square();
        let q = [
            Rational::from(1),
            x.clone(),
            Rational::from(1) + Rational::from(2) * x.clone().square(),
            Rational::from(9) * &x + Rational::from(6) * x.clone().pow(3),
        ];
        let fact: [u32; 4] = [1, 2, 6, 24];
        let series = Taylor::line(
            Interval::from_float(p, &c).unwrap(),
            Interval::point(p, 1.0),
        )
        .try_acos()
        .expect("inside");
        let (d, u) = acos_bracket(&c, 4 * p);
        assert!(
            *series.c[0].lo() <= d && *series.c[0].hi() >= u,
            "acos c_0 at {c}"
        );
        for k in 1..5 {
            let b: Rational = -(q[k - 1].clone() / fact[k - 1]);
            assert!(
                holds_root_quotient(&series.c[k], &b, &w, 2 * k as i32 - 1),
                "acos c_{k} at {c}: {:?}",
                series.c[k]
            );
        }
    }
}

#[test]
fn jet_sqrt_reciprocal_and_acos_hold_the_exact_value_gradient_and_hessian() {
    let mut rng = SplitMix64::new(19);
    for _ in 0..SERIES_CASES {
        let p = rand_prec(&mut rng);
        let (x0, s) = perfect_square(&mut rng);
        let (y0, _) = perfect_square(&mut rng);
        // sqrt: s, 1/(2 s), -1/(4 s^3).
        let j2 = Jet2::variable(iv(p, &x0), 1, 0)
            .try_sqrt()
            .expect("positive");
        let j1 = Jet1::variable(iv(p, &x0), 1, 0)
            .try_sqrt()
            .expect("positive");
        let g = Rational::from(1) / (Rational::from(2) * &s);
        let h = Rational::from(-1) / (Rational::from(4) * s.clone().pow(3));
        assert_holds(&j2.v, &s, "Jet2 sqrt value");
        assert_holds(&j2.g[0], &g, "Jet2 sqrt gradient");
        assert_holds(&j2.h[0], &h, "Jet2 sqrt Hessian");
        assert_holds(&j1.v, &s, "Jet1 sqrt value");
        assert_holds(&j1.g[0], &g, "Jet1 sqrt gradient");
        // f = 1 / (x y): gradient (-1/(x^2 y), -1/(x y^2)), Hessian
        // [[2/(x^3 y), 1/(x^2 y^2)], [., 2/(x y^3)]].
        let x2 = Jet2::variable(iv(p, &x0), 2, 0);
        let y2 = Jet2::variable(iv(p, &y0), 2, 1);
        let f2 = x2.cst(1.0).try_div(x2 * y2).expect("positive");
        let x1 = Jet1::variable(iv(p, &x0), 2, 0);
        let y1 = Jet1::variable(iv(p, &y0), 2, 1);
        let f1 = x1.cst(1.0).try_div(x1 * y1).expect("positive");
        let (x, y) = (&x0, &y0);
        let one = || Rational::from(1);
        let v = one() / (x.clone() * y);
        let gx = -(one() / (x.clone().square() * y));
        let gy = -(one() / (x.clone() * y.clone().square()));
        let hxx = Rational::from(2) / (x.clone().pow(3) * y);
        let hxy = one() / (x.clone().square() * y.clone().square());
        let hyy = Rational::from(2) / (x.clone() * y.clone().pow(3));
        assert_holds(&f2.v, &v, "Jet2 1/(xy) value");
        assert_holds(&f2.g[0], &gx, "Jet2 1/(xy) d/dx");
        assert_holds(&f2.g[1], &gy, "Jet2 1/(xy) d/dy");
        assert_holds(&f2.h[0], &hxx, "Jet2 1/(xy) d2/dx2");
        assert_holds(&f2.h[1], &hxy, "Jet2 1/(xy) d2/dxdy");
        assert_holds(&f2.h[2], &hyy, "Jet2 1/(xy) d2/dy2");
        assert_holds(&f1.v, &v, "Jet1 1/(xy) value");
        assert_holds(&f1.g[0], &gx, "Jet1 1/(xy) d/dx");
        assert_holds(&f1.g[1], &gy, "Jet1 1/(xy) d/dy");
        // acos: gradient -1/sqrt(1 - c^2), Hessian -c/(1 - c^2)^(3/2).
        let c = rand_cosine(&mut rng, p);
        let xc = rat(&c);
        let w = Rational::from(1) - xc.clone().square();
        let a2 = Jet2::variable(Interval::from_float(p, &c).unwrap(), 1, 0)
            .try_acos()
            .expect("inside");
        let a1 = Jet1::variable(Interval::from_float(p, &c).unwrap(), 1, 0)
            .try_acos()
            .expect("inside");
        let (d, u) = acos_bracket(&c, 4 * p);
        for (what, val) in [("Jet2", &a2.v), ("Jet1", &a1.v)] {
            assert!(*val.lo() <= d && *val.hi() >= u, "{what} acos value at {c}");
        }
        for (what, g) in [("Jet2", &a2.g[0]), ("Jet1", &a1.g[0])] {
            assert!(
                holds_root_quotient(g, &Rational::from(-1), &w, 1),
                "{what} acos gradient at {c}: {g:?}"
            );
        }
        assert!(
            holds_root_quotient(&a2.h[0], &(-xc), &w, 3),
            "Jet2 acos Hessian at {c}: {:?}",
            a2.h[0]
        );
    }
}
