//! Guards for single proof steps that the end-to-end tests can miss, each checked against an
//! exact mathematical fact rather than a stored output:
//!
//! - the Krawczyk test compares `K(X)` with the *inner* enclosure of the stated box: when
//!   the radius is only known to lie in an interval, a zero outside the smallest box it
//!   allows must be refused (a check against the outer box `X` would accept it);
//! - the in-place interval operations `mul_add_assign_r`, `add_assign_r` and
//!   `sub_assign_r` (used by every loss and jet evaluation) enclose the exact result of
//!   interval arithmetic on their inputs, checked in exact rational arithmetic with
//!   inexact products and sums, so a single end rounded to nearest is caught;
//! - eigenvalue enclosures hold for *every* symmetric member of an interval matrix: the
//!   Gershgorin radii are large enough for members whose eigenvalues are known exactly;
//! - the arc type decided by `arc_type` takes the trivial block into account: at a
//!   partition whose only component is the trivial one, `H - mu I` with `mu` beyond a
//!   norm bound of the block is definite, so the type is max (or min) by sign of `mu`.

use relucert::arcs::directions::ArcType;
use relucert::arcs::tangency::arc_type;
use relucert::arith::{Interval, Scalar};
use relucert::linalg::Mat;
use relucert::model::partition::{Param, Partition};
use relucert::model::reduced;
use relucert::prove::eigen::enclose_eigenvalues;
use relucert::prove::krawczyk::{krawczyk_system, KrawczykFailure};
use relucert::random::SplitMix64;
use relucert::symmetry::components::{self, Kind};
use rug::float::Round;
use rug::{Float, Rational};

const PREC: u32 = 128;

fn iv(lo: f64, hi: f64) -> Interval {
    Interval::from_floats(PREC, &Float::with_val(PREC, lo), &Float::with_val(PREC, hi)).unwrap()
}

fn q(x: &Float) -> Rational {
    x.to_rational().expect("finite")
}

// ---------------------------------------------------------------------------------------
// Krawczyk: the inner box
// ---------------------------------------------------------------------------------------

/// `F(z) = z - a` (Jacobian exactly 1) on the box around 0 whose radius is only known to
/// lie in `radius`.
fn linear_with_radius(radius: &Interval, a: f64) -> Result<(), KrawczykFailure> {
    let center = [Interval::point(PREC, 0.0)];
    let av = Interval::point(PREC, a);
    krawczyk_system(&center, radius, |c, _x| {
        Ok((
            vec![c[0].clone() - av.clone()],
            vec![vec![Interval::point(PREC, 1.0)]],
            (),
        ))
    })
    .map(|_| ())
}

#[test]
fn krawczyk_checks_k_against_the_inner_box_of_an_uncertain_radius() {
    // The exact radius is somewhere in [1/8, 1/4]: only the box of radius 1/8 is certain.
    let radius = iv(0.125, 0.25);
    assert!(
        linear_with_radius(&radius, 0.0625).is_ok(),
        "a zero at 1/16 lies in every allowed box"
    );
    // 3/16 is outside the box of radius 1/8 (though inside the outer box of radius 1/4).
    assert!(
        matches!(
            linear_with_radius(&radius, 0.1875),
            Err(KrawczykFailure::NotContracting { .. })
        ),
        "a zero outside the smallest allowed box must be refused"
    );
    assert!(
        linear_with_radius(&radius, -0.1875).is_err(),
        "the same on the lower side"
    );
    // The same with a 1-ulp enclosure of a radius that is not a float.
    let tenth = Interval::from_decimal(PREC, "0.1").unwrap();
    assert!(tenth.lo() < tenth.hi(), "1/10 is not a binary float");
    assert!(linear_with_radius(&tenth, 0.0625).is_ok());
    assert!(linear_with_radius(&tenth, 0.1875).is_err());
}

// ---------------------------------------------------------------------------------------
// In-place interval operations
// ---------------------------------------------------------------------------------------

/// A random p-bit float with a random sign and an exponent in about [-30, 30].
fn random_float(rng: &mut SplitMix64, p: u32) -> Float {
    // p random bits of mantissa, so that products and sums of two are rarely exact.
    let mut bits = rug::Integer::from(1);
    for _ in 0..p.div_ceil(53) {
        bits <<= 53;
        bits += rug::Integer::from(rng.next_u64() >> 11);
    }
    let len = bits.significant_bits();
    bits >>= len.saturating_sub(p);
    let mut m = Float::with_val(p, &bits);
    let e = (rng.next_u64() % 61) as i32 - 30 - p as i32;
    m <<= e;
    if rng.next_u64() % 2 == 0 {
        -m
    } else {
        m
    }
}

/// A random interval at precision `p`: any sign class (positive, negative, straddling 0),
/// a point one time in four.
fn random_interval(rng: &mut SplitMix64, p: u32) -> Interval {
    let a = random_float(rng, p);
    let b = if rng.next_u64() % 4 == 0 {
        a.clone()
    } else {
        random_float(rng, p)
    };
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    Interval::from_floats(p, &lo, &hi).unwrap()
}

fn assert_encloses(r: &Interval, lo: &Rational, hi: &Rational, what: &str) {
    assert!(
        q(r.lo()) <= *lo && *hi <= q(r.hi()),
        "{what}: [{}, {}] does not enclose [{}, {}]",
        r.lo(),
        r.hi(),
        lo.to_f64(),
        hi.to_f64()
    );
}

#[test]
fn in_place_operations_enclose_the_exact_interval_result() {
    let mut rng = SplitMix64::new(20240611);
    let mut inexact = 0;
    for i in 0..6000 {
        let p = [53, 64, 113, 256][i % 4];
        let a = random_interval(&mut rng, p);
        let b = random_interval(&mut rng, p);
        // Half the accumulators are zero, so the product's rounding is not hidden by the sum.
        let acc = if i % 2 == 0 {
            Interval::point(p, 0.0)
        } else {
            random_interval(&mut rng, p)
        };
        let ends = |x: &Interval| [q(x.lo()), q(x.hi())];
        let (ea, eb, ec) = (ends(&a), ends(&b), ends(&acc));
        let prods: Vec<Rational> = ea
            .iter()
            .flat_map(|x| eb.iter().map(move |y| Rational::from(x * y)))
            .collect();
        let pmin = prods.iter().min().unwrap().clone();
        let pmax = prods.iter().max().unwrap().clone();

        let mut r = acc.clone();
        r.mul_add_assign_r(&a, &b);
        let (lo, hi) = (
            Rational::from(&ec[0] + &pmin),
            Rational::from(&ec[1] + &pmax),
        );
        if q(r.lo()) != lo || q(r.hi()) != hi {
            inexact += 1;
        }
        assert_encloses(&r, &lo, &hi, &format!("case {i}: mul_add at {p} bits"));

        let mut r = acc.clone();
        r.add_assign_r(&a);
        let (lo, hi) = (
            Rational::from(&ec[0] + &ea[0]),
            Rational::from(&ec[1] + &ea[1]),
        );
        assert_encloses(&r, &lo, &hi, &format!("case {i}: add at {p} bits"));

        let mut r = acc.clone();
        r.sub_assign_r(&a);
        let (lo, hi) = (
            Rational::from(&ec[0] - &ea[1]),
            Rational::from(&ec[1] - &ea[0]),
        );
        assert_encloses(&r, &lo, &hi, &format!("case {i}: sub at {p} bits"));
    }
    assert!(
        inexact > 1000,
        "coverage: only {inexact} inexact mul_add cases"
    );
}

// ---------------------------------------------------------------------------------------
// Eigenvalue enclosures of interval matrices
// ---------------------------------------------------------------------------------------

#[test]
fn eigenvalue_enclosures_hold_for_every_member_of_an_interval_matrix() {
    // M = [[c, [-1, 1]], [[-1, 1], c]] holds [[c, s], [s, c]] for s in [-1, 1], with
    // eigenvalues c - |s| and c + |s|.
    for c in [0.0, 5.0, -3.0] {
        let m: Mat<Interval> = vec![
            vec![Interval::point(PREC, c), iv(-1.0, 1.0)],
            vec![iv(-1.0, 1.0), Interval::point(PREC, c)],
        ];
        let e = enclose_eigenvalues(&m).unwrap();
        for s in [0.0, 0.5, 1.0] {
            let (l1, l2) = (Float::with_val(PREC, c - s), Float::with_val(PREC, c + s));
            assert!(e[0].contains(&l1), "c={c}, s={s}: {l1} not in {:?}", e[0]);
            assert!(e[1].contains(&l2), "c={c}, s={s}: {l2} not in {:?}", e[1]);
        }
    }
    // Tridiagonal with off-diagonals in [-1, 1]: the member with ones has eigenvalues
    // -sqrt 2, 0, sqrt 2.
    let z = || Interval::point(PREC, 0.0);
    let w = || iv(-1.0, 1.0);
    let m: Mat<Interval> = vec![
        vec![z(), w(), z()],
        vec![w(), z(), w()],
        vec![z(), w(), z()],
    ];
    let e = enclose_eigenvalues(&m).unwrap();
    let two = Rational::from(2);
    let hi = q(e[2].hi());
    assert!(
        hi > 0 && Rational::from(&hi * &hi) >= two,
        "sqrt 2 above {hi}"
    );
    let lo = q(e[0].lo());
    assert!(
        lo < 0 && Rational::from(&lo * &lo) >= two,
        "-sqrt 2 below {lo}"
    );
    assert!(e[1].contains(&Float::with_val(PREC, 0)), "0 in {:?}", e[1]);
}

// ---------------------------------------------------------------------------------------
// Arc types: the trivial block
// ---------------------------------------------------------------------------------------

#[test]
fn the_arc_type_is_decided_by_the_trivial_block_when_it_is_the_only_one() {
    // d = 3, no symmetry: the trivial component is the whole space.
    let fine = Partition::from_sizes(&[1, 1, 1]).unwrap();
    let comps = components::components(&fine).unwrap();
    assert_eq!(comps.len(), 1);
    assert_eq!(comps[0].kind, Kind::Trivial);
    let theta: Vec<f64> = fine
        .params()
        .iter()
        .map(|p| match *p {
            Param::D(a) => 0.6 + 0.15 * a as f64,
            Param::O(a) => 0.05 * a as f64,
            Param::X(a, b) => 0.25 + 0.1 * a as f64 - 0.15 * b as f64,
        })
        .collect();
    let margin = reduced::smoothness_margin(&fine, &theta);
    assert!(margin > 1e-3, "a smooth point: margin {margin}");
    let x: Vec<Interval> = theta.iter().map(|&t| Interval::point(PREC, t)).collect();
    let c_box: Vec<Interval> = theta
        .iter()
        .enumerate()
        .map(|(i, &t)| Interval::point(PREC, t - 0.01 * (1 + i % 3) as f64))
        .collect();
    let b = components::block(&fine, &x, Kind::Trivial).unwrap();
    // ||B||_2 <= sum |b_ij| for every member of the interval block.
    let mut bound = 0.0f64;
    for row in &b {
        for e in row {
            bound += e.mag().to_f64_round(Round::Up);
        }
    }
    assert!(bound.is_finite() && bound > 0.0);
    let mu = 2.0 * bound + 1.0;
    // mu > ||B||: H - mu I is negative definite on every subspace, so L is at a local
    // maximum on the sphere; -mu: positive definite, a minimum.
    let (kind, why) = arc_type(&fine, &x, &Interval::point(PREC, mu), &c_box);
    assert_eq!(kind, ArcType::Max, "mu = {mu}: {why}");
    let (kind, why) = arc_type(&fine, &x, &Interval::point(PREC, -mu), &c_box);
    assert_eq!(kind, ArcType::Min, "mu = {}: {why}", -mu);
}
