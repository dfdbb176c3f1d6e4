//! Acceptance of `certify` and `verify`: certified minima and saddles across d, widths of
//! the enclosures, the component holding the smallest eigenvalue, the dense cross-check,
//! and verification of honest and tampered certificates.

mod common;

use relucert::certificate::critical_point::Certificate;
use relucert::certificate::verify::Status;
use relucert::prove::critical_point::Verdict;
use relucert::prove::dense_check::DenseCholesky;
use relucert::prove::{certify_point, dense_check};
use relucert::render::summary::dense_check_text;
use relucert::search::families::Family;
use relucert::symmetry::components::Kind;

/// Certificates at 256 bits (the CLI's default).
fn cert(fam: Family, d: u64) -> Certificate {
    common::cert(fam, d, 256)
}

fn check_minimum(fam: Family, d: u64) -> Certificate {
    let c = cert(fam, d);
    assert_eq!(
        c.proof.verdict,
        Verdict::StrictLocalMinimum,
        "{} d={d}",
        fam.name()
    );
    assert!(
        c.proof.loss.width() < 1e-30,
        "{} d={d}: loss width {}",
        fam.name(),
        c.proof.loss.width()
    );
    let m = &c.proof.min_eigenvalue;
    assert!(
        m.value.width() < 1e-20,
        "{} d={d}: min eigenvalue width {}",
        fam.name(),
        m.value.width()
    );
    assert!(m.value.is_positive());
    assert!(
        m.separated,
        "{} d={d}: the smallest eigenvalue's component is certified",
        fam.name()
    );
    let dd = d as u128;
    match fam {
        Family::I => {
            assert_eq!(m.kind, Kind::Std(0), "I d={d}");
            assert_eq!(m.dimension, dd - 2);
        }
        Family::II => {
            assert_eq!(m.kind, Kind::OneOne(0), "II d={d}");
            assert_eq!(m.dimension, (dd - 2) * (dd - 3) / 2);
        }
        Family::IIsym => {
            assert_eq!(m.kind, Kind::OneOne(0), "IIsym d={d}");
            assert_eq!(m.dimension, (dd - 1) * (dd - 2) / 2);
        }
        Family::Flip(_) => unreachable!("this helper certifies the named families only"),
    }
    c
}

#[test]
fn minima_are_certified_for_every_small_d() {
    for d in 6..=60 {
        check_minimum(Family::I, d);
        check_minimum(Family::IIsym, d);
    }
    for d in 7..=60 {
        check_minimum(Family::II, d);
    }
}

#[test]
fn minima_are_certified_at_large_d() {
    for d in [1_000u64, 10_000, 1_000_000, 1_000_000_000] {
        for fam in Family::ALL {
            check_minimum(fam, d);
        }
    }
}

#[test]
fn saddles_below_the_onsets_have_the_dense_index() {
    for (fam, d) in [(Family::I, 5u64), (Family::II, 6), (Family::IIsym, 5)] {
        let c = cert(fam, d);
        let reference = common::reference_spectrum(&fam.name(), d).unwrap();
        let index: usize = reference
            .iter()
            .filter(|(v, _)| *v < 0.0)
            .map(|(_, m)| m)
            .sum();
        assert_eq!(
            c.proof.verdict,
            Verdict::Saddle {
                index: index as u128
            },
            "{} d={d}",
            fam.name()
        );
        assert!(index > 0);
    }
}

#[test]
fn dense_cross_check_agrees_for_d_4_to_14() {
    for fam in Family::ALL {
        for d in 4..=14u64 {
            if d < fam.min_d() {
                continue;
            }
            let c = cert(fam, d);
            let r = dense_check::cross_check(&c).unwrap();
            assert!(r.agrees(), "{} d={d}: {}", fam.name(), dense_check_text(&r));
            assert_eq!(
                r.cholesky == DenseCholesky::PositiveDefinite,
                c.proof.verdict == Verdict::StrictLocalMinimum
            );
        }
    }
}

#[test]
fn other_fixed_spaces_are_certified_and_agree_with_the_dense_spectrum() {
    // Critical points of other fixed spaces, found by scan, certified and cross-checked.
    use relucert::arith::Mpfr;
    use relucert::model::partition::Partition;
    for sizes in [vec![8u64, 2], vec![6, 3], vec![5, 1, 1]] {
        let part = Partition::from_sizes(&sizes).unwrap();
        let points = relucert::search::scan::scan(&part, 40, 7, false);
        let smooth: Vec<_> = points
            .iter()
            .filter(|p| p.kind == relucert::search::scan::Kind::Smooth)
            .take(3)
            .collect();
        assert!(
            !smooth.is_empty(),
            "{sizes:?}: scan found smooth critical points"
        );
        let mut certified = 0;
        for p in smooth {
            let approx: Vec<Mpfr> = p.theta.iter().map(|&x| Mpfr::from_f64(53, x)).collect();
            let Ok(c) = certify_point(None, &part, &approx, 256) else {
                continue; // e.g. a point on the non-smooth set: nothing to certify
            };
            let r = dense_check::cross_check(&c).unwrap();
            assert!(
                r.max_deviation <= 1e-9,
                "{sizes:?}: {}",
                dense_check_text(&r)
            );
            if let Some(i) = c.proof.verdict.index() {
                assert_eq!(i, r.negative as u128, "{sizes:?}: index vs dense");
            }
            certified += 1;
        }
        assert!(
            certified > 0,
            "{sizes:?}: at least one point certified and cross-checked"
        );
    }
}

fn write(c: &Certificate, dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    relucert::output_file::write_file(&p, &c.to_bytes()).unwrap();
    p
}

/// The library's verify on a certificate's text (malformed: the error as a string).
fn verify_critical_text(text: &str) -> Result<Status, String> {
    relucert::certificate::verify::verify_text(text, "test").map_err(|e| e.to_string())
}

#[test]
fn verify_accepts_honest_and_refuses_tampered_certificates() {
    let c = cert(Family::II, 20);
    let text = String::from_utf8(c.to_bytes()).unwrap();
    assert_eq!(verify_critical_text(&text), Ok(Status::Verified));
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let tamper = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut w = v.clone();
        f(&mut w);
        verify_critical_text(&serde_json::to_string(&w).unwrap())
    };
    let shift = |s: &str, by: f64| -> String {
        let x: f64 = s.parse().unwrap();
        format!("{:e}", x + by)
    };
    // the loss moved by 1e-12
    let r = tamper(&|w| {
        let lo = w["loss"]["lo"].as_str().unwrap().to_string();
        let hi = w["loss"]["hi"].as_str().unwrap().to_string();
        w["loss"]["lo"] = shift(&lo, 1e-12).into();
        w["loss"]["hi"] = shift(&hi, 1e-12).into();
    });
    assert!(
        matches!(r, Ok(Status::Refuted(ref m)) if m.contains("loss")),
        "{r:?}"
    );
    // one eigenvalue enclosure moved
    let r = tamper(&|w| {
        let e = &mut w["components"][1]["eigenvalues"][0];
        let lo = e["lo"].as_str().unwrap().to_string();
        let hi = e["hi"].as_str().unwrap().to_string();
        e["lo"] = shift(&lo, 1e-9).into();
        e["hi"] = shift(&hi, 1e-9).into();
    });
    assert!(
        matches!(r, Ok(Status::Refuted(ref m)) if m.contains("eigenvalue")),
        "{r:?}"
    );
    // the classification
    let r = tamper(&|w| {
        w["classification"] = "saddle".into();
        w["index"] = 28.into();
    });
    assert!(
        matches!(r, Ok(Status::Refuted(ref m)) if m.contains("classification")),
        "{r:?}"
    );
    // a center coordinate moved by far more than the radius
    let r = tamper(&|w| {
        let a = w["center"]["a"].as_str().unwrap().to_string();
        w["center"]["a"] = shift(&a, 1e-6).into();
    });
    assert!(
        matches!(r, Ok(Status::Refuted(_)) | Ok(Status::Inconclusive(_))),
        "{r:?}"
    );
    // malformed: missing key, bad number, wrong type, not JSON, truncated
    v["radius"] = "one".into();
    assert!(verify_critical_text(&serde_json::to_string(&v).unwrap()).is_err());
    for bad in ["{", "[]", "{\"format\": 3}", &text[..text.len() / 2]] {
        assert!(verify_critical_text(bad).is_err(), "{bad:.40}");
    }
}

#[test]
fn certificates_are_deterministic_and_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(&cert(Family::I, 8), dir.path(), "a.json");
    let b = write(&cert(Family::I, 8), dir.path(), "b.json");
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temporary files left: {names:?}");
}
