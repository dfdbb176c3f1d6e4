//! Acceptance of `find`: the located points are critical to f64 accuracy in the dense
//! model, their dense spectra classify them as docs/families.md states, and the spectra agree with
//! the independent mpmath reference.

mod common;

use relucert::model::dense;
use relucert::search::dense_spectrum::{self, Classification};
use relucert::search::families::{self, Family};

fn theta_f64(fam: Family, d: u64) -> (relucert::model::partition::Partition, Vec<f64>) {
    let loc = families::locate(fam, d as f64, None).unwrap();
    let theta = loc.found.theta.iter().map(|x| x.0.to_f64()).collect();
    (loc.partition, theta)
}

#[test]
fn dense_gradient_vanishes_at_every_family_point_up_to_d_30() {
    for fam in Family::ALL {
        for d in fam.min_d()..=30 {
            let (part, theta) = theta_f64(fam, d);
            let w = part.embed(&theta).unwrap();
            let g = dense::gradient(&w).unwrap();
            let max = g.iter().flatten().fold(0.0f64, |m, x| m.max(x.abs()));
            assert!(max <= 1e-12, "{} d={d}: dense gradient {max:e}", fam.name());
        }
    }
}

#[test]
fn dense_spectra_classify_the_families_as_math_md_states() {
    let cases = [
        (Family::I, 5, 30),
        (Family::II, 6, 30),
        (Family::IIsym, 5, 30),
    ];
    for (fam, saddle_d, max_d) in cases {
        for d in saddle_d..=max_d {
            let (part, theta) = theta_f64(fam, d);
            let ev = dense_spectrum::dense_eigenvalues(&part, &theta).unwrap();
            let groups = dense_spectrum::group(&ev, dense_spectrum::CLUSTER_TOL);
            let (class, index) = dense_spectrum::classify(&groups, dense_spectrum::ZERO_TOL);
            assert_eq!(
                groups.iter().map(|g| g.multiplicity).sum::<usize>(),
                (d * d) as usize
            );
            if d == saddle_d {
                assert_eq!(class, Classification::Saddle, "{} d={d}", fam.name());
                assert!(index > 0);
            } else {
                assert_eq!(
                    class,
                    Classification::Minimum,
                    "{} d={d}: {groups:?}",
                    fam.name()
                );
                assert_eq!(index, 0, "{} d={d}: a minimum has index 0", fam.name());
            }
        }
    }
}

#[test]
fn dense_spectra_match_the_mpmath_reference() {
    for (fam, ds) in [
        (Family::I, vec![5, 6, 7, 8]),
        (Family::II, vec![6, 7, 8]),
        (Family::IIsym, vec![5, 6, 7, 8]),
    ] {
        for d in ds {
            let reference = common::reference_spectrum(&fam.name(), d).expect("reference spectrum");
            let (part, theta) = theta_f64(fam, d);
            let ev = dense_spectrum::dense_eigenvalues(&part, &theta).unwrap();
            let groups = dense_spectrum::group(&ev, dense_spectrum::CLUSTER_TOL);
            assert_eq!(groups.len(), reference.len(), "{} d={d}", fam.name());
            for (g, (v, m)) in groups.iter().zip(&reference) {
                assert_eq!(g.multiplicity, *m, "{} d={d}", fam.name());
                assert!(
                    (g.value - v).abs() < 1e-10,
                    "{} d={d}: {} vs {v}",
                    fam.name(),
                    g.value
                );
            }
        }
    }
}
