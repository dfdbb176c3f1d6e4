//! Certified leading terms (src/arcs/leading.rs) computed a second and a third way: the
//! effective quartic by an MPFR eigendecomposition of the whole refined Young space
//! (`directions::effective_quartic`, no bordered solve, no tied coordinates) and by the
//! dense d x d Hessian in the full space (nalgebra, `full::quartic`); the cubic by the
//! Taylor enclosure along the float direction; and the ranking by the certified values.

mod common;

use relucert::arcs::directions::{self, Base, Extreme, Leading};
use relucert::arcs::full;
use relucert::arith::Scalar;
use relucert::certificate::critical_point::Certificate;
use relucert::search::families::Family;

fn cert(f: Family, d: u64) -> Certificate {
    common::cert(f, d, 128)
}

/// Every direction of the default enumeration and of the extreme (lattice) enumeration.
fn all_dirs(c: &Certificate) -> Vec<directions::ArcDirection> {
    let base = Base::new(c).unwrap();
    let mut v = directions::enumerate(&base, false);
    let part = &c.partition;
    v.extend(directions::enumerate_on(&base, &|k| {
        directions::extreme_axes(part, k)
    }));
    v
}

#[test]
fn certified_leading_terms_agree_with_two_independent_computations() {
    for (f, d) in [
        (Family::I, 10),
        (Family::II, 10),
        (Family::II, 20),
        (Family::I, 20),
    ] {
        let c = cert(f, d);
        let base = Base::new(&c).unwrap();
        let (mut quartics, mut cubics, mut dense) = (0, 0, 0);
        for dir in all_dirs(&c) {
            let what = format!(
                "{} d={d} {} {} j{} {}",
                f.name(),
                dir.axis.kind.label(),
                dir.isotropy_label(),
                dir.index,
                dir.sign.symbol()
            );
            let cl = dir
                .certified_leading
                .as_ref()
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            // the eigenvalue proved inside Fix(K) is the component's
            assert!(dir.lambda.contains_interval(&cl.eigenvalue), "{what}");
            let refi = dir.axis.refinement(&c.partition);
            let c_fine: Vec<relucert::Mpfr> = match &refi {
                Some(r) => r.embed(&base.theta_c),
                None => base.theta_c.clone(),
            };
            let q = cl.coefficient.mid().to_f64();
            match &dir.leading {
                Leading::Quartic(d4) => {
                    assert_eq!(cl.order, 4, "{what}");
                    // D^4 along the true eigenline vs along the float direction
                    assert!(
                        !cl.fourth.as_ref().unwrap().disjoint(d4) || {
                            let a = cl.fourth.as_ref().unwrap().mid().to_f64();
                            (a - d4.mid().to_f64()).abs() < 1e-20 * (1.0 + a.abs())
                        }
                    );
                    // second way: eigendecomposition of the whole refined Young space
                    let approx = directions::effective_quartic(
                        &dir.space.fine,
                        &c_fine,
                        &dir.u,
                        dir.lambda.mid().to_f64(),
                        d4.mid().to_f64(),
                    )
                    .unwrap();
                    assert!(
                        (approx - q).abs() < 1e-12 * (1.0 + q.abs()),
                        "{what}: certified {} vs eigendecomposition {approx}",
                        cl.coefficient
                    );
                    quartics += 1;
                    // third way: the dense Hessian of the full space
                    if d <= 10 {
                        let u: Vec<f64> = dir.u.iter().map(Scalar::approx_f64).collect();
                        let uf = full::embed_direction(&c, refi.as_ref(), &u);
                        let fq = full::quartic(&c, &uf).unwrap();
                        assert!(
                            (fq.effective - q).abs() < 1e-8 * (1.0 + q.abs()),
                            "{what}: certified {q} vs full space {}",
                            fq.effective
                        );
                        dense += 1;
                    }
                }
                Leading::Cubic(x) | Leading::Undetermined(x) => {
                    assert_eq!(cl.order, 3, "{what}");
                    let diff = (x.mid().to_f64() - q).abs();
                    assert!(
                        diff < 1e-20 * (1.0 + q.abs()),
                        "{what}: {x} vs {}",
                        cl.coefficient
                    );
                    cubics += 1;
                }
            }
        }
        let want_quartic = f == Family::II;
        assert!(
            quartics >= if want_quartic { 10 } else { 1 },
            "{} d={d}: {quartics}",
            f.name()
        );
        assert!(cubics >= 4, "{} d={d}: {cubics}", f.name());
        if d <= 10 && want_quartic {
            assert!(dense >= 8, "{dense}");
        }
    }
}

/// The rank is consistent with the certified coefficients: a rank-1 direction of the
/// smallest component has no other direction certainly below it, and every direction
/// ranked r > 1 has exactly r - 1 certainly below it.
#[test]
fn ranks_follow_the_certified_coefficients() {
    for f in [Family::I, Family::II] {
        let c = cert(f, 20);
        let base = Base::new(&c).unwrap();
        let part = &c.partition;
        let dirs = directions::enumerate_on(&base, &|k| directions::extreme_axes(part, k));
        let smallest: Vec<&directions::ArcDirection> = dirs
            .iter()
            .filter(|d| d.extreme == Extreme::Smallest)
            .collect();
        assert!(smallest.len() >= 5, "{}", smallest.len());
        let ranks = directions::leading_ranks(&smallest);
        let best: Vec<usize> = (0..smallest.len())
            .filter(|&k| ranks[k] == directions::Rank::Certified(1))
            .collect();
        assert!(!best.is_empty());
        for &b in &best {
            let cb = &smallest[b].certified_leading.as_ref().unwrap().coefficient;
            for (k, o) in smallest.iter().enumerate() {
                let co = &o.certified_leading.as_ref().unwrap();
                if co.order == 4 && ranks[k].certified().is_some_and(|r| r > 1) {
                    assert!(cb.hi() < co.coefficient.lo() || cb.is_negative(), "{k}");
                }
            }
        }
    }
}
