//! Soundness of the proof steps, each checked by a semantic property rather than by a
//! stored output:
//!
//! - every component seed, built at d = 10^8, 10^12 and 10^15 (where `n(n - 1)` is far
//!   beyond 2^53), is exact and satisfies its component's defining linear conditions in
//!   exact rational arithmetic;
//! - the Krawczyk test refuses a box whose zero lies on its boundary, a box with no zero,
//!   a box with two zeros and a box that is too large;
//! - the first-order gradient (`Jet1`, used for g(C) in every Krawczyk proof) agrees with
//!   the second-order one (`Jet2`) and with the dense closed-form gradient;
//! - interval evaluations contain the 4x-precision value of the loss and gradient.

use relucert::arith::{Interval, Mpfr, Scalar};
use relucert::model::partition::{Param, Partition, Refinement};
use relucert::model::{dense, reduced};
use relucert::prove::krawczyk::{krawczyk, krawczyk_system, KrawczykFailure};
use relucert::search::families::{self, Family};
use relucert::symmetry::components::{self, Axis, Kind};
use rug::{Float, Rational};

/// Exact: an interval that must be a single integer point (lo == hi, integral).
fn exact_integer(x: &Interval, what: &str) -> Rational {
    assert_eq!(x.lo(), x.hi(), "{what}: not a point {x:?}");
    let q = x.lo().to_rational().expect("finite");
    assert_eq!(*q.denom(), 1, "{what}: not an integer {q}");
    q
}

fn weight(part: &Partition, p: Param) -> Rational {
    let n = |a: usize| Rational::from(part.int_size(a).expect("integer size"));
    match p {
        Param::D(a) => n(a),
        Param::O(a) => n(a) * (n(a) - 1u32),
        Param::X(a, b) => n(a) * n(b),
    }
}

/// The axes checked per component: the canonical one and further splits of the block.
fn axes_to_check(part: &Partition, kind: Kind) -> Vec<Axis> {
    let mut out = vec![Axis::canonical(part, kind)];
    if let (Some(&a), 1) = (kind.blocks().first(), kind.blocks().len()) {
        let n = part.sizes()[a];
        if n < 10.0 {
            return out;
        }
        let extra: Vec<Vec<f64>> = match kind {
            Kind::Std(_) => vec![
                vec![n - 3.0, 3.0],
                vec![(n / 2.0).ceil(), (n / 2.0).floor()],
            ],
            Kind::Two(_) => vec![vec![n - 5.0, 5.0]],
            Kind::OneOne(_) => vec![vec![n - 7.0, 3.0, 4.0]],
            _ => vec![],
        };
        for parts in extra {
            out.push(Axis {
                kind,
                splits: vec![(a, parts)],
            });
        }
    }
    out
}

/// Check the defining linear conditions of the component on the exact seed lines.
fn check_seeds(part: &Partition, axis: &Axis) {
    let what = format!("{} {:?}", part.label(), axis);
    let like = Interval::point(256, 0.0);
    let lines = components::seed_lines(part, axis, &like);
    let refinement: Option<Refinement> = axis.refinement(part);
    let fine = axis.fine(part);
    let exact: Vec<Vec<Rational>> = lines
        .iter()
        .map(|l| l.iter().map(|x| exact_integer(x, &what)).collect())
        .collect();
    // At 64 bits the integers may not fit: then each is enclosed (never a wrong point).
    let coarse_like = Interval::point(64, 0.0);
    for (l64, l) in components::seed_lines(part, axis, &coarse_like)
        .iter()
        .zip(&exact)
    {
        for (x, q) in l64.iter().zip(l) {
            assert!(
                x.contains_rational(q),
                "{what}: 64-bit seed entry {x:?} misses {q}"
            );
        }
    }
    let n_inner = |u: &[Rational], v: &[Rational]| -> Rational {
        let mut acc = Rational::new();
        for (i, &p) in fine.params().iter().enumerate() {
            acc += weight(&fine, p) * u[i].clone() * v[i].clone();
        }
        acc
    };
    for (k, l) in exact.iter().enumerate() {
        assert!(l.iter().any(|x| *x != 0), "{what}: line {k} is zero");
        // Orthogonal (in the metric N) to the embedded coarse fixed space.
        if let Some(r) = &refinement {
            for (g, group) in r.groups().iter().enumerate() {
                let mut s = Rational::new();
                for &qi in group {
                    s += weight(&fine, fine.params()[qi]) * l[qi].clone();
                }
                assert_eq!(
                    s, 0,
                    "{what}: line {k} not orthogonal to coarse parameter {g}"
                );
            }
        }
    }
    let at = |l: &[Rational], p: Param| -> Rational {
        fine.index(p).map_or(Rational::new(), |i| l[i].clone())
    };
    let size = |b: usize| Rational::from(fine.int_size(b).unwrap());
    match axis.kind {
        Kind::Two(a) => {
            let l = &exact[0];
            let r = part.r();
            assert_eq!(at(l, Param::D(a)), 0, "{what}: zero diagonal");
            assert_eq!(at(l, Param::D(r)), 0, "{what}: zero diagonal");
            assert_eq!(
                at(l, Param::X(a, r)),
                at(l, Param::X(r, a)),
                "{what}: symmetric"
            );
            // Zero row sums in both parts.
            let s1 = (size(a) - 1u32) * at(l, Param::O(a)) + size(r) * at(l, Param::X(a, r));
            let s2 = (size(r) - 1u32) * at(l, Param::O(r)) + size(a) * at(l, Param::X(r, a));
            assert_eq!(
                (s1, s2),
                (Rational::new(), Rational::new()),
                "{what}: row sums"
            );
        }
        Kind::OneOne(a) => {
            let l = &exact[0];
            let r = part.r();
            let blocks = [a, r, r + 1];
            for &x in &blocks {
                assert_eq!(at(l, Param::D(x)), 0, "{what}: zero diagonal");
                assert_eq!(at(l, Param::O(x)), 0, "{what}: zero inside a part");
                let mut row = Rational::new();
                for &y in blocks.iter().filter(|&&y| y != x) {
                    assert_eq!(
                        at(l, Param::X(x, y)),
                        -at(l, Param::X(y, x)),
                        "{what}: antisym"
                    );
                    row += size(y) * at(l, Param::X(x, y));
                }
                assert_eq!(row, 0, "{what}: zero row sum");
            }
        }
        Kind::Std(a) => {
            // With both parts >= 2 the fine space also holds an [n-2,2] line: the std
            // lines must be orthogonal to it.
            let parts = &axis.splits[0].1;
            if parts.iter().all(|&p| p >= 2.0) {
                let two = Axis {
                    kind: Kind::Two(a),
                    splits: axis.splits.clone(),
                };
                let t: Vec<Rational> = components::seed_lines(part, &two, &like)[0]
                    .iter()
                    .map(|x| exact_integer(x, &what))
                    .collect();
                for (k, l) in exact.iter().enumerate() {
                    assert_eq!(n_inner(l, &t), 0, "{what}: std line {k} meets n-2,2");
                }
            }
        }
        _ => {}
    }
}

#[test]
fn component_seeds_are_exact_and_in_their_components_at_huge_d() {
    let mut checked = 0;
    for d in [100_000_000u64, 1_000_000_000_000, 1_000_000_000_000_000] {
        for sizes in [vec![d - 1, 1], vec![d], vec![d - 3, 2, 1]] {
            let part = Partition::from_sizes(&sizes).unwrap();
            for c in components::components(&part).unwrap() {
                for axis in axes_to_check(&part, c.kind) {
                    check_seeds(&part, &axis);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 60, "coverage: {checked} seeds checked");
}

/// A one-dimensional system `F(z) = z - a` (Jacobian exactly 1) on the box `c ± rho`.
fn linear_1d(c: f64, rho: f64, a: f64) -> Result<(), KrawczykFailure> {
    let center = [Interval::point(128, c)];
    let radius = Interval::point(128, rho);
    let av = Interval::point(128, a);
    krawczyk_system(&center, &radius, |c, _x| {
        Ok((
            vec![c[0].clone() - av.clone()],
            vec![vec![Interval::point(128, 1.0)]],
            (),
        ))
    })
    .map(|_| ())
}

#[test]
fn krawczyk_refuses_a_zero_on_the_boundary_and_a_box_without_zero() {
    assert!(
        linear_1d(1.0, 0.5, 1.25).is_ok(),
        "a zero inside is accepted"
    );
    // K(X) = {a}: inside the interior only when a is strictly inside the stated box.
    assert!(
        matches!(
            linear_1d(1.0, 0.5, 1.5),
            Err(KrawczykFailure::NotContracting { .. })
        ),
        "a zero exactly on the boundary of the stated box must be refused"
    );
    assert!(linear_1d(1.0, 0.5, 0.5).is_err(), "lower boundary");
    assert!(linear_1d(1.0, 0.5, 2.0).is_err(), "no zero in the box");
}

#[test]
fn krawczyk_refuses_a_box_with_two_zeros() {
    // F(z) = z^2 - 1 on [-0.1 - 1.5, -0.1 + 1.5] holds both zeros +-1.
    let center = [Interval::point(128, -0.1)];
    let radius = Interval::point(128, 1.5);
    let r = krawczyk_system(&center, &radius, |c, x| {
        let one = Interval::point(128, 1.0);
        Ok((
            vec![c[0].clone().sqr() - one],
            vec![vec![x[0].clone() * Interval::point(128, 2.0)]],
            (),
        ))
    });
    assert!(r.is_err(), "two zeros in the box: {:?}", r.map(|_| ()));
}

#[test]
fn krawczyk_on_the_reduced_gradient_refuses_wrong_boxes() {
    let loc = families::locate(Family::II, 10.0, Some(256)).unwrap();
    let part = loc.partition.clone();
    let c: Vec<Interval> = loc
        .found
        .theta
        .iter()
        .map(|x| Interval::from_float(256, &x.0).unwrap())
        .collect();
    let rad = |s: &str| Interval::from_decimal(256, s).unwrap();
    assert!(krawczyk(&part, &c, &rad("1e-40")).is_ok(), "the honest box");
    // Too large: the Hessian varies too much over the box (or the box leaves the smooth set).
    assert!(
        krawczyk(&part, &c, &rad("0.05")).is_err(),
        "a box too large"
    );
    // No zero: the center moved by 1e-6, the box of radius 1e-9 around it.
    let moved: Vec<Interval> = c
        .iter()
        .map(|x| x.clone() + Interval::from_decimal(256, "1e-6").unwrap())
        .collect();
    assert!(
        krawczyk(&part, &moved, &rad("1e-9")).is_err(),
        "no zero in the box"
    );
}

#[test]
fn jet1_gradient_agrees_with_jet2_and_with_the_dense_gradient() {
    let mut cases = 0;
    for (fam, d) in [(Family::I, 7u64), (Family::II, 9), (Family::IIsym, 8)] {
        let loc = families::locate(fam, d as f64, Some(128)).unwrap();
        let part = &loc.partition;
        // A generic point near the family point (off the critical point: g != 0).
        let theta: Vec<Mpfr> = loc
            .found
            .theta
            .iter()
            .enumerate()
            .map(|(i, x)| x.clone() + Mpfr::from_f64(128, 0.01 * (i as f64 + 1.0)))
            .collect();
        let j1 = reduced::gradient(part, &theta).unwrap();
        let j2 = reduced::gradient_hessian(part, &theta).unwrap();
        let w = part.embed(&theta).unwrap();
        let g_dense = dense::gradient(&w).unwrap();
        let blocks = part.block_of_index().unwrap();
        let mut summed = vec![Mpfr::from_f64(128, 0.0); part.dim()];
        for i in 0..w.len() {
            for j in 0..w.len() {
                let p = part.param_of_entry(blocks[i], blocks[j], i == j);
                let k = part.index(p).unwrap();
                summed[k] = summed[k].clone() + g_dense[i][j].clone();
            }
        }
        let close = |a: &Mpfr, b: &Mpfr| (a.0.to_f64() - b.0.to_f64()).abs() < 1e-25;
        assert!(close(&j1.v, &j2.v), "{fam:?}: loss");
        for k in 0..part.dim() {
            let (a, b, c) = (&j1.g[k], &j2.g[k], &summed[k]);
            assert!(
                a.0.to_f64().abs() > 1e-6,
                "{fam:?}: the gradient is not trivially 0"
            );
            let diff12 = Float::with_val(128, &a.0 - &b.0).abs();
            let diff1d = Float::with_val(128, &a.0 - &c.0).abs();
            assert!(
                diff12 < 1e-30,
                "{fam:?} d={d}: Jet1 vs Jet2 at {k}: {diff12}"
            );
            assert!(
                diff1d < 1e-25,
                "{fam:?} d={d}: Jet1 vs dense at {k}: {diff1d}"
            );
            assert!(close(a, c));
            cases += 1;
        }
    }
    assert!(cases >= 10);
}

#[test]
fn interval_gradient_encloses_the_gradient_at_four_times_the_precision() {
    for (fam, d) in [(Family::I, 1e8), (Family::II, 1e12), (Family::IIsym, 1e9)] {
        let loc = families::locate(fam, d, Some(256)).unwrap();
        let part = &loc.partition;
        let iv: Vec<Interval> = loc
            .found
            .theta
            .iter()
            .map(|x| Interval::from_float(256, &x.0).unwrap())
            .collect();
        let hi: Vec<Mpfr> = loc
            .found
            .theta
            .iter()
            .map(|x| Mpfr(Float::with_val(1024, &x.0)))
            .collect();
        let g_iv = reduced::gradient(part, &iv).unwrap();
        let g_hi = reduced::gradient(part, &hi).unwrap();
        assert!(g_iv.v.contains(&g_hi.v.0), "{fam:?} d={d}: loss");
        for (a, b) in g_iv.g.iter().zip(&g_hi.g) {
            assert!(
                a.contains(&b.0),
                "{fam:?} d={d}: gradient {a:?} misses {}",
                b.0
            );
        }
    }
}

/// The independent large-d references of `tools/reference_large.py` (mpmath, exact seeds,
/// no code shared with relucert): every certified enclosure contains them.
#[test]
fn certified_enclosures_contain_the_independent_large_d_references() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/reference_large.json"
    ))
    .expect("tests/data/reference_large.json is committed");
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    let q = |s: &serde_json::Value| -> Rational {
        relucert::arith::decimal::parse_decimal(s.as_str().unwrap()).expect("a decimal")
    };
    let mut checked = 0;
    for e in data["entries"].as_array().unwrap() {
        let fam = Family::parse(e["family"].as_str().unwrap()).unwrap();
        let d: u64 = e["d"].as_str().unwrap().parse().unwrap();
        let cert = relucert::prove::certify_family(fam, d, 256)
            .unwrap_or_else(|err| panic!("{fam:?} d={d}: {err}"));
        let what = format!("{} d={d}", fam.name());
        // The references carry 70 significant digits (rounding error below 1e-69 relative,
        // their own accuracy is below 1e-170): an enclosure of width 1e-75 is checked
        // against the reference widened by that rounding; the file's 40-digit intervals
        // must contain the reference itself.
        let meets = |iv: &Interval, r: &Rational| -> bool {
            use rug::ops::Pow;
            let scale = rug::Integer::from(10u32).pow(69u32);
            let tol = r.clone().abs() / scale;
            iv.lo().clone() <= r.clone() + tol.clone() && iv.hi().clone() >= r.clone() - tol
        };
        assert!(meets(&cert.proof.loss, &q(&e["loss"])), "{what}: loss");
        let file = cert.to_json();
        let stored = |v: &serde_json::Value| -> Interval {
            Interval::from_decimal_bounds(512, v["lo"].as_str().unwrap(), v["hi"].as_str().unwrap())
                .unwrap()
        };
        assert!(
            stored(&file["loss"]).contains_rational(&q(&e["loss"])),
            "{what}: file loss"
        );
        let refs = e["components"].as_array().unwrap();
        assert_eq!(
            refs.len(),
            cert.proof.components.len(),
            "{what}: components"
        );
        for (rc, pc) in refs.iter().zip(&cert.proof.components) {
            let kind = pc.component.kind;
            assert_eq!(rc["kind"].as_str().unwrap(), kind.name(), "{what}");
            assert_eq!(
                rc["dimension"].as_str().unwrap(),
                pc.component.dimension.to_string(),
                "{what}: dimension of {}",
                kind.label()
            );
            let vals = rc["eigenvalues"].as_array().unwrap();
            assert_eq!(vals.len(), pc.eigenvalues.len(), "{what}: {}", kind.label());
            for (j, (rv, iv)) in vals.iter().zip(&pc.eigenvalues).enumerate() {
                assert!(
                    meets(iv, &q(rv)),
                    "{what}: eigenvalue {j} of {}: {iv:?} misses the reference {}",
                    kind.label(),
                    rv
                );
                let k = refs.iter().position(|x| std::ptr::eq(x, rc)).unwrap();
                let fv = stored(&file["components"][k]["eigenvalues"][j]);
                assert!(
                    fv.contains_rational(&q(rv)),
                    "{what}: file eigenvalue {j} of {}",
                    kind.label()
                );
                checked += 1;
            }
        }
    }
    // 15 entries: 12 eigenvalues for (d-1, 1), 7 for (d).
    assert_eq!(checked, 5 * 12 * 2 + 5 * 7, "coverage");
}
