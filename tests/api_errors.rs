//! Input a library user can give is refused with an error, never a panic: the six cases
//! the architecture review found, and a hand-built certificate with a bad centre.

use relucert::arcs::directions::Base;
use relucert::arcs::tangency::{certify_tangency_point as certify_tangency, TangencyFailure};
use relucert::prove::critical_point::NotProved;
use relucert::search::dense_spectrum::dense_eigenvalues;
use relucert::search::families::locate;
use relucert::symmetry::components::{blocks, BlockError};
use relucert::{certify_family, certify_point, Family, Interval, NotCertified};

#[test]
fn a_family_has_no_fixed_space_at_d_1() {
    assert!(Family::I.partition(1.0).is_none());
    assert!(Family::IIsym.partition(0.0).is_none());
    assert!(Family::II.partition(f64::NAN).is_none());
    assert!(Family::II.partition(10.0).is_some());
}

#[test]
fn sqrt_of_d_0_is_none() {
    assert!(relucert::compare::sqrt_d(0, 64).is_none());
    let s = relucert::compare::sqrt_d(16, 64).unwrap();
    assert!(s.contains(&rug::Float::with_val(64, 4)));
}

#[test]
fn real_block_sizes_are_refused_by_every_certified_path() {
    let loc = locate(Family::I, 9.5, None).expect("continuation in real d");
    assert!(!loc.partition.is_integral());
    match certify_point(Some(Family::I), &loc.partition, &loc.found.theta, 128) {
        Err(NotCertified::NotProved(NotProved::NotIntegral)) => {}
        other => panic!("{:?}", other.map(|_| ())),
    }
    let theta: Vec<f64> = loc.found.theta.iter().map(|x| x.0.to_f64()).collect();
    assert_eq!(
        blocks(&loc.partition, &theta).err(),
        Some(BlockError::NotIntegral)
    );
    assert_eq!(
        dense_eigenvalues(&loc.partition, &theta).err(),
        Some(BlockError::NotIntegral)
    );
}

#[test]
fn a_radius_that_is_not_a_decimal_is_refused() {
    let cert = certify_family(Family::II, 10, 128).unwrap();
    let base = Base::new(&cert).unwrap();
    let space = relucert::arcs::space::FixSpace::young(cert.partition.partition().clone());
    let c_box: Vec<Interval> = cert.proof.krawczyk_box.clone();
    for bad in ["abc", "-0.01", "0", ""] {
        let r = certify_tangency(
            &space,
            &base.theta_c,
            &c_box,
            &base.theta_c,
            &relucert::Mpfr::from_f64(128, 0.0),
            bad,
            128,
        );
        assert!(matches!(r, Err(TangencyFailure::BadRadius(_))), "{bad:?}");
    }
}

#[test]
fn exact_data_cannot_hold_a_non_decimal() {
    use relucert::arith::decimal::Decimal;
    for bad in ["not a number", "1e", "--1", "0x10", "inf", "nan", ""] {
        assert!(Decimal::parse(bad).is_none(), "{bad:?}");
    }
    let d = Decimal::parse("-1.25e-3").unwrap();
    assert_eq!(*d.value(), rug::Rational::from((-1, 800)));
    assert_eq!(d.text(), "-1.25e-3");
    // A certificate's centre is such data: every certificate gives an arc base.
    let cert = certify_family(Family::II, 10, 128).unwrap();
    assert!(Base::new(&cert).is_some());
}
