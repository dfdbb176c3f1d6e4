//! Acceptance of the tangency arcs: the minimizing arcs of I and II (component, isotropy,
//! sign structure, certified types), every Young arc traced to a stated end with certified
//! critical endpoints, the reduced and full-space traces computed two ways, and the
//! leading-term shortcuts checked against direct enclosures.

mod common;

use relucert::arcs::directions::{self, ArcType, Base, Leading, Sign};
use relucert::arcs::trace::{EndKind, TraceOptions};
use relucert::arcs::{self, full, ArcOptions, ArcResult};
use relucert::certificate::critical_point::Certificate;
use relucert::search::families::Family;
use relucert::symmetry::components::Kind;

/// Arcs run at 128 bits (their default below d = 1e9).
fn cert(f: Family, d: u64) -> Certificate {
    common::cert(f, d, 128)
}

/// The library's predicate, with the stricter demand of these tests: all three default
/// radii certified.
fn proved(r: &ArcResult, want: ArcType) -> bool {
    r.certified.len() == 3 && r.all_radii_proved() && r.proved_type() == Some(want)
}

#[test]
fn minimizing_arcs_of_i_and_ii_are_certified_with_the_expected_structure() {
    let opts = ArcOptions {
        extreme_only: true,
        all_types: true,
        ..ArcOptions::default()
    };
    for d in [10u64, 20, 100] {
        // I: std, isotropy (d-2, 1, 1), one sign minimizing, the other a saddle.
        let c = cert(Family::I, d);
        let res = arcs::run(&c, &opts);
        let mins: Vec<&ArcResult> = res.iter().filter(|r| proved(r, ArcType::Min)).collect();
        assert_eq!(mins.len(), 1, "I d={d}: one minimizing arc type");
        let m = mins[0];
        assert_eq!(m.dir.axis.kind, Kind::Std(0), "I d={d}");
        assert_eq!(
            m.dir.space.fine.sizes(),
            &[(d - 2) as f64, 1.0, 1.0],
            "I d={d}: isotropy"
        );
        assert!(matches!(m.dir.leading, Leading::Cubic(_)) && !m.dir.mirror_pair);
        let other = res
            .iter()
            .find(|r| {
                r.dir.axis == m.dir.axis && r.dir.index == m.dir.index && r.dir.sign != m.dir.sign
            })
            .expect("the opposite sign");
        assert!(
            proved(other, ArcType::Saddle),
            "I d={d}: u and -u are inequivalent"
        );
        assert_eq!(m.predicted, ArcType::Min);
        // II: n-2,1,1, isotropy (d-3, 1, 1, 1), a mirror pair led by the quartic.
        let c = cert(Family::II, d);
        let res = arcs::run(&c, &opts);
        let mins: Vec<&ArcResult> = res.iter().filter(|r| proved(r, ArcType::Min)).collect();
        assert_eq!(mins.len(), 1, "II d={d}: one minimizing arc type");
        let m = mins[0];
        assert_eq!(m.dir.axis.kind, Kind::OneOne(0), "II d={d}");
        assert_eq!(
            m.dir.space.fine.sizes(),
            &[(d - 3) as f64, 1.0, 1.0, 1.0],
            "II d={d}: isotropy"
        );
        assert!(m.dir.mirror_pair && matches!(m.dir.leading, Leading::Quartic(_)));
        // The minimizing arc reaches a critical point, certified, at a positive distance.
        assert_eq!(m.end.kind, EndKind::CriticalPoint, "II d={d}");
        let end = m.end.critical.as_ref().unwrap().as_ref().unwrap();
        assert!(end.proof.verdict.index().is_some());
        assert!(m.end.distance.as_ref().unwrap().is_positive());
    }
}

fn check_all_arcs(f: Family, d: u64) {
    let c = cert(f, d);
    let res = arcs::run(&c, &ArcOptions::default());
    assert!(res.len() > 50, "{} d={d}: {} arcs", f.name(), res.len());
    for (k, r) in res.iter().enumerate() {
        if r.dir.non_young.is_some() {
            // non-Young types: tests/arcs.rs::non_young_types_are_certified_and_agree_with_the_full_space
            continue;
        }
        let what = format!(
            "{} d={d} arc {k} ({} [{}] j{} {})",
            f.name(),
            r.dir.axis.kind.label(),
            r.dir.space.fine.label(),
            r.dir.index,
            r.dir.sign.symbol()
        );
        assert!(!r.trace.is_empty(), "{what}: traced");
        assert!(r.end.r > 0.0, "{what}: reached some radius");
        // every requested radius decided, the type matching a saddle/min/max
        for x in &r.certified {
            let p = x
                .proof
                .as_ref()
                .unwrap_or_else(|e| panic!("{what} at r = {}: {e}", x.r));
            assert_ne!(
                p.kind,
                ArcType::Inconclusive,
                "{what} at r = {}: {}",
                x.r,
                p.reason
            );
        }
        if r.end.kind == EndKind::CriticalPoint {
            let end = r
                .end
                .critical
                .as_ref()
                .expect("certified")
                .as_ref()
                .unwrap_or_else(|e| panic!("{what}: end {e}"));
            // the end's fixed space contains the arc's: every block of the arc's partition
            // lies in one block of the end's, and the sizes add up
            let parent = r.end.parent.as_ref().expect("block map");
            assert_eq!(parent.len(), r.dir.space.fine.r(), "{what}");
            let mut sizes = vec![0.0; end.partition.r()];
            for (b, &a) in parent.iter().enumerate() {
                sizes[a] += r.dir.space.fine.sizes()[b];
            }
            assert_eq!(
                sizes,
                end.partition.sizes(),
                "{what}: isotropy contains the arc's"
            );
            assert!(
                r.end.distance.as_ref().is_some_and(|x| x.is_positive()),
                "{what}: distance enclosed"
            );
            assert!(end.proof.loss.width() < 1e-20);
        }
    }
}

#[test]
fn every_young_arc_at_d_10_is_traced_to_a_stated_end() {
    check_all_arcs(Family::I, 10);
    check_all_arcs(Family::II, 10);
}

#[test]
fn every_young_arc_at_d_20_is_traced_to_a_stated_end() {
    check_all_arcs(Family::I, 20);
    check_all_arcs(Family::II, 20);
}

#[test]
fn reduced_and_full_space_traces_agree_at_d_8() {
    let topts = TraceOptions {
        loss_max: f64::INFINITY,
        r0: 1e-3,
        r_max: 3.0,
        dr_max: 0.05,
        max_steps: 2000,
    };
    for f in [Family::I, Family::II] {
        let c = cert(f, 8);
        let res = arcs::run(&c, &ArcOptions::default());
        let mut checked = 0;
        // the extreme arcs and a sample of the others
        for (k, r) in res.iter().enumerate() {
            if r.dir.extreme == directions::Extreme::Neither && k % 7 != 0 {
                continue;
            }
            let x = full::cross_check(&c, &res, k, &topts).unwrap();
            if x.compared < 3 {
                continue;
            }
            assert!(
                x.max_loss_diff < 1e-9 && x.max_mu_diff < 1e-8,
                "{} arc {k}: {x:?}",
                f.name()
            );
            checked += 1;
        }
        assert!(checked >= 5, "{}: {checked} arcs compared", f.name());
    }
}

#[test]
fn std_cubic_shortcut_equals_the_direct_enclosure() {
    let c = cert(Family::I, 20);
    let base = Base::new(&c).unwrap();
    let dirs = directions::enumerate(&base, false);
    let mut checked = 0;
    for dir in dirs.iter().filter(|d| {
        d.axis.kind == Kind::Std(0) && d.axis.splits[0].1[1] > 1.0 && d.sign == Sign::Plus
    }) {
        let refi = dir.axis.refinement(&c.partition).unwrap();
        let direct = directions::directional_derivative(
            &dir.space.fine,
            &refi.embed(&base.c_box),
            &dir.u,
            3,
        )
        .unwrap();
        let shortcut = dir.leading.value();
        assert!(
            !direct.disjoint(shortcut),
            "split {:?} j{}: {direct} vs {shortcut}",
            dir.axis.splits,
            dir.index
        );
        let diff = (direct.mid().to_f64() - shortcut.mid().to_f64()).abs();
        assert!(
            diff < 1e-25 * (1.0 + direct.mid().to_f64().abs()),
            "split {:?}: {diff:e}",
            dir.axis.splits
        );
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn effective_quartic_reduced_equals_full_space() {
    let c = cert(Family::II, 8);
    let base = Base::new(&c).unwrap();
    let dirs = directions::enumerate(&base, false);
    let y = dirs
        .iter()
        .find(|d| d.axis.kind == Kind::OneOne(0))
        .unwrap();
    let reduced = y.effective_quartic.unwrap();
    let u: Vec<f64> = y.u.iter().map(|x| x.0.to_f64()).collect();
    let refi = y.axis.refinement(&c.partition);
    let uf = full::embed_direction(&c, refi.as_ref(), &u);
    let q = full::quartic(&c, &uf).unwrap();
    assert!(
        (q.rayleigh - y.lambda.mid().to_f64()).abs() < 1e-10,
        "the embedded direction is an eigenvector"
    );
    assert!(
        (q.effective - reduced).abs() < 1e-9 * (1.0 + reduced.abs()),
        "{} vs {reduced}",
        q.effective
    );
    assert!(q.cubic.abs() < 1e-10, "no cubic on [n-2,1,1]: {}", q.cubic);
    // the 3-cycle axis: an eigenvector of the same eigenvalue, not in any Young fixed space
    let t = full::three_cycle_axis(&c.partition, 0).unwrap();
    let qt = full::quartic(&c, &t).unwrap();
    assert!((qt.rayleigh - y.lambda.mid().to_f64()).abs() < 1e-10);
    // The claim `arcs --full` prints: the Young axis has the lower effective quartic.
    assert!(
        q.effective < qt.effective,
        "Young axis {} vs 3-cycle axis {}",
        q.effective,
        qt.effective
    );
}

#[test]
fn tangency_certificates_verify_and_tampering_is_refused() {
    use relucert::certificate::verify::{verify_text, Status};
    let c = cert(Family::II, 10);
    let opts = ArcOptions {
        extreme_only: true,
        radii: Some(vec!["0.02".into()]),
        certify_ends: false,
        ..ArcOptions::default()
    };
    let res = arcs::run(&c, &opts);
    let certs = relucert::certificate::tangency_point::point_certificates(&c, &res, ArcType::Min);
    assert_eq!(certs.len(), 1, "one minimizing arc, one radius");
    let text = String::from_utf8(certs[0].1.to_bytes()).unwrap();
    assert_eq!(verify_text(&text, "t").unwrap(), Status::Verified);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let tamper = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut w = v.clone();
        f(&mut w);
        verify_text(&serde_json::to_string(&w).unwrap(), "t")
    };
    // the type
    let r = tamper(&|w| {
        w["type"] = "max".into();
        let st = w["statement"]
            .as_str()
            .unwrap()
            .replace("minimum", "maximum");
        w["statement"] = st.into();
    });
    assert!(
        matches!(r, Ok(Status::Refuted(ref m)) if m.contains("type")),
        "{r:?}"
    );
    // mu moved
    let r = tamper(&|w| {
        w["mu"]["lo"] = "1".into();
        w["mu"]["hi"] = "2".into();
    });
    assert!(
        matches!(r, Ok(Status::Refuted(ref m)) if m.contains("mu")),
        "{r:?}"
    );
    // the radius r of the sphere changed: the stored center is no longer a tangency point
    let r = tamper(&|w| w["r"] = "0.03".into());
    assert!(!matches!(r, Ok(Status::Verified)), "{r:?}");
    // the isotropy does not match the splits
    let r = tamper(&|w| w["arc"]["isotropy"] = serde_json::json!([6, 1, 2, 1]));
    assert!(matches!(r, Ok(Status::Refuted(_))), "{r:?}");
    // malformed: a split that does not divide its block, a missing key
    assert!(tamper(&|w| w["arc"]["splits"][0]["parts"] = serde_json::json!([5, 1, 1])).is_err());
    assert!(tamper(&|w| {
        w.as_object_mut().unwrap().remove("center");
    })
    .is_err());
}

#[test]
fn full_space_critical_ends_are_refined_and_match_the_certified_end() {
    // II at d = 8: the minimizing [n-2,1,1] arc reaches a saddle; the full-space trace of
    // the same direction must report that critical point (refined by Newton), not the
    // first traced point past the sign change of mu.
    let c = cert(Family::II, 8);
    let opts = ArcOptions {
        extreme_only: true,
        ..ArcOptions::default()
    };
    let res = arcs::run(&c, &opts);
    let study = full::study(&c, &res, opts.r_max_factor, opts.max_steps);
    let y = &res[study.young_arc.expect("the Young n-2,1,1 arc")];
    let dist = y.end.distance.as_ref().expect("a certified critical end");
    let Some(Ok(end)) = &y.end.critical else {
        panic!("the end is certified")
    };
    let young = &study.one_one[0];
    assert!(young.end.refined, "{:?}", young.end);
    let r = dist.mid().to_f64();
    assert!(
        (young.end.r - r).abs() < 1e-6 * r,
        "{} vs certified {r}",
        young.end.r
    );
    let l = end.proof.loss.mid().to_f64();
    assert!(
        (young.end_loss - l).abs() < 1e-9,
        "{} vs certified {l}",
        young.end_loss
    );
}

/// The non-Young lattice types of II's smallest component `[n-2,1,1]` (`S_{n-3} x Z_3`,
/// `S_{n-4} x Z_4`) at d = 8 and 10: enumerated, traced inside the tied fixed space,
/// certified (a radius whose type is not decided must say why), and the traces equal the
/// full d x d space tracer's along the same direction embedded in the full space.
#[test]
fn non_young_types_are_certified_and_agree_with_the_full_space() {
    let topts = TraceOptions {
        loss_max: f64::INFINITY,
        r0: 1e-3,
        r_max: 3.0,
        dr_max: 0.05,
        max_steps: 2000,
    };
    for d in [8u64, 10] {
        let c = cert(Family::II, d);
        let res = arcs::run(
            &c,
            &ArcOptions {
                extreme_only: true,
                all_types: true,
                ..ArcOptions::default()
            },
        );
        let ny: Vec<usize> = (0..res.len())
            .filter(|&k| res[k].dir.non_young.is_some())
            .collect();
        let names: Vec<String> = ny
            .iter()
            .map(|&k| res[k].dir.space.h_generators.join(","))
            .collect();
        assert!(names.contains(&"(1 2 3)".to_string()), "d={d}: {names:?}");
        // S_{n-4} x Z_4 needs n >= 2k = 8 points in the block (d - 1 >= 8)
        if d >= 9 {
            assert!(names.contains(&"(1 3 2 4)".to_string()), "d={d}: {names:?}");
        }
        for &k in &ny {
            let r = &res[k];
            let mut decided = 0;
            // the direction is H-invariant and a unit vector of the fixed space
            let u: Vec<f64> = r
                .dir
                .u
                .iter()
                .map(relucert::arith::Scalar::approx_f64)
                .collect();
            assert!(r.dir.space.approx_invariant(&u, 1e-12), "d={d} arc {k}");
            for x in &r.certified {
                let p = x
                    .proof
                    .as_ref()
                    .unwrap_or_else(|e| panic!("d={d} arc {k}: {e}"));
                assert!(!p.reason.is_empty());
                if p.kind != ArcType::Inconclusive {
                    decided += 1;
                }
                assert!(
                    p.loss.lo() > c.proof.loss.lo(),
                    "d={d} arc {k}: a saddle arc rises"
                );
            }
            let x = full::cross_check(&c, &res, k, &topts).unwrap();
            assert!(x.compared >= 3, "d={d} arc {k}: {x:?}");
            assert!(
                x.max_loss_diff < 1e-9 && x.max_mu_diff < 1e-8,
                "d={d} arc {k}: {x:?}"
            );
            assert_eq!(x.reduced_end.kind, x.full_end.kind, "d={d} arc {k}: {x:?}");
            assert!(decided >= 2, "d={d} arc {k}: {decided} radii decided");
        }
    }
}

/// The certified type on the sphere of every non-Young tangency point at d = 8 and 10,
/// computed a second way: the dense d^2 x d^2 Hessian of L at the point (closed form, f64),
/// minus mu, on the orthogonal complement of W - C in the full space (nalgebra), classified
/// by the signs of its eigenvalues.
#[test]
fn non_young_types_on_the_sphere_match_the_dense_hessian() {
    use nalgebra::DMatrix;
    use relucert::model::dense;
    let mut compared = 0;
    for d in [8u64, 10] {
        let c = cert(Family::II, d);
        let base = Base::new(&c).unwrap();
        let res = arcs::run(
            &c,
            &ArcOptions {
                extreme_only: true,
                all_types: true,
                ..ArcOptions::default()
            },
        );
        for r in res.iter().filter(|r| r.dir.non_young.is_some()) {
            let space = &r.dir.space;
            let refi = r.dir.axis.refinement(&c.partition).unwrap();
            let c_fine: Vec<f64> = refi
                .embed(&base.theta_c)
                .iter()
                .map(relucert::arith::Scalar::approx_f64)
                .collect();
            let cw = space.fine.embed(&c_fine).unwrap();
            for x in &r.certified {
                let Ok(p) = &x.proof else { continue };
                if p.kind == ArcType::Inconclusive {
                    continue;
                }
                let z: Vec<f64> = p.center.iter().map(|s| s.parse().unwrap()).collect();
                let (phi, mu) = (&z[..space.dim()], z[space.dim()]);
                let w = space.fine.embed(&space.embed(phi)).unwrap();
                let n = (d * d) as usize;
                let h = dense::hessian(&w).unwrap();
                let v: Vec<f64> = (0..n)
                    .map(|k| w[k / d as usize][k % d as usize] - cw[k / d as usize][k % d as usize])
                    .collect();
                // an orthonormal basis of v^perp: the eigenvectors of I - v v^T / |v|^2 with
                // eigenvalue 1
                let vv: f64 = v.iter().map(|a| a * a).sum();
                let proj = DMatrix::from_fn(n, n, |i, j| f64::from(i == j) - v[i] * v[j] / vv);
                let e = proj.symmetric_eigen();
                let cols: Vec<usize> = (0..n).filter(|&k| e.eigenvalues[k] > 0.5).collect();
                assert_eq!(cols.len(), n - 1);
                let q = DMatrix::from_fn(n, n - 1, |i, k| e.eigenvectors[(i, cols[k])]);
                let hm = DMatrix::from_fn(n, n, |i, j| {
                    0.5 * (h[i][j] + h[j][i]) - if i == j { mu } else { 0.0 }
                });
                let t = (q.transpose() * hm * &q).symmetric_eigen();
                let (lo, hi) = t
                    .eigenvalues
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                        (a.min(x), b.max(x))
                    });
                let dense_kind = if lo > 1e-9 {
                    ArcType::Min
                } else if hi < -1e-9 {
                    ArcType::Max
                } else if lo < -1e-9 && hi > 1e-9 {
                    ArcType::Saddle
                } else {
                    ArcType::Inconclusive
                };
                assert_eq!(
                    p.kind,
                    dense_kind,
                    "d={d} {} at r = {}: dense spectrum on the tangent space in [{lo:e}, {hi:e}]",
                    r.dir.isotropy_label(),
                    x.r
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 6, "{compared} tangency points compared");
}
