//! The numerical search beyond the axial directions (approximate, issue 13 item 5): at
//! d = 8 and 10 for I and II the search runs, finds the certified axial values among its
//! critical values and nothing below the best one; the leading form is computed two ways
//! (full-space dense jets against the Young reduced polynomial) and reproduces the
//! certified coefficients along the axial directions; one run through the binary.

mod common;

use relucert::arcs::directions::{self, ArcDirection, Base, Extreme};
use relucert::arcs::full;
use relucert::arcs::leading_search::{self, SearchOptions};
use relucert::certificate::critical_point::Certificate;
use relucert::search::families::Family;
use relucert::Scalar;

fn cert(f: Family, d: u64) -> Certificate {
    common::cert(f, d, 128)
}

/// The arc directions of the smallest eigenvalue's component (every lattice type).
fn smallest_dirs(c: &Certificate) -> Vec<ArcDirection> {
    let base = Base::new(c).expect("base");
    let kind = c.proof.min_eigenvalue.kind;
    let part = &c.partition;
    directions::enumerate_on(&base, &|k| {
        if k == kind {
            directions::extreme_axes(part, k)
        } else {
            Vec::new()
        }
    })
}

fn certified_smallest(dirs: &[ArcDirection]) -> Vec<(&ArcDirection, f64, u8)> {
    dirs.iter()
        .filter(|d| d.extreme == Extreme::Smallest)
        .filter_map(|d| {
            let c = d.certified_leading.as_ref().ok()?;
            Some((d, c.coefficient.mid().to_f64(), c.order))
        })
        .collect()
}

#[test]
fn the_search_finds_the_axial_values_and_nothing_below_the_best_axial_one() {
    for fam in [Family::I, Family::II] {
        for d in [8u64, 10] {
            let c = cert(fam, d);
            let dirs = smallest_dirs(&c);
            let t0 = std::time::Instant::now();
            let s = leading_search::search(&c, &dirs, &SearchOptions::default(), &|_| {})
                .expect("the search runs");
            eprintln!(
                "{} d={d}: {:.2} s, lowest {:?}, best axial {:?}",
                fam.name(),
                t0.elapsed().as_secs_f64(),
                s.lowest,
                s.best_axial
                    .as_ref()
                    .map(|b| (b.coefficient.mid().to_f64(), &b.label))
            );
            let who = format!("{} d={d}", fam.name());
            assert_eq!(
                s.spaces[0].k, None,
                "{who}: the full space is searched first"
            );
            assert_eq!(
                s.spaces[0].dimension as u128, c.proof.min_eigenvalue.dimension,
                "{who}: E has the component's dimension"
            );
            assert!(s.spaces.len() >= 5, "{who}: the fixed spaces k = 2..6");
            // Every certified axial value of the smallest eigenvalue is a critical value found.
            let values: Vec<f64> = s
                .spaces
                .iter()
                .flat_map(|sp| sp.critical.iter().map(|x| x.value))
                .collect();
            let axial = certified_smallest(&dirs);
            assert!(!axial.is_empty(), "{who}: certified axial directions");
            for (dir, q, order) in &axial {
                if *order != s.order {
                    continue;
                }
                assert!(
                    values.iter().any(|v| (v - q).abs() <= 1e-8 * (1.0 + q.abs())),
                    "{who}: the axial value {q} of {} {} is not among the critical values {values:?}",
                    dir.isotropy_label(),
                    dir.sign.symbol()
                );
            }
            // Nothing lower than the best certified axial direction (a finding if it fails).
            let best = s
                .best_axial
                .as_ref()
                .expect("a certified best axial direction");
            let lowest = s.lowest.expect("a lowest value");
            assert_eq!(
                s.lower_than_axial,
                Some(false),
                "{who}: FOUND a direction lower than the best axial one: q = {lowest} < {}",
                best.coefficient.mid().to_f64()
            );
            assert!(
                lowest >= best.coefficient.lo().to_f64() - s.tolerance,
                "{who}"
            );
            // ...and the best axial one is found: the lowest value is its coefficient.
            assert!(
                (lowest - best.coefficient.mid().to_f64()).abs() <= 1e-8,
                "{who}: lowest {lowest} vs best axial"
            );
            // The full-space search agrees with the fixed spaces on the lowest value.
            let full_low = s.spaces[0].lowest().expect("full-space minimum").value;
            assert!(
                (full_low - lowest).abs() <= 1e-10 * (1.0 + lowest.abs()),
                "{who}"
            );
        }
    }
}

#[test]
fn the_form_reproduces_the_certified_coefficients_along_the_axial_directions() {
    for fam in [Family::I, Family::II] {
        for d in [8u64, 10] {
            let c = cert(fam, d);
            let dirs = smallest_dirs(&c);
            let axial = certified_smallest(&dirs);
            assert!(!axial.is_empty());
            for (dir, q, order) in axial {
                let who = format!(
                    "{} d={d} {} {}",
                    fam.name(),
                    dir.isotropy_label(),
                    dir.sign.symbol()
                );
                // Full space, dense jets (the form's direct evaluation).
                let u: Vec<f64> = dir.u.iter().map(|x| x.approx_f64()).collect();
                let refinement = dir.axis.refinement(&c.partition);
                let uf = full::embed_direction(&c, refinement.as_ref(), &u);
                let dense = leading_search::full_space_value(&c, &uf, order).expect("dense value");
                assert!(
                    (dense - q).abs() <= 1e-10 * (1.0 + q.abs()),
                    "{who}: full-space form {dense} vs certified {q}"
                );
                // Young fixed space with 6 points split off, reduced polynomial.
                let (_, ut) = leading_search::axial_in_fixed_space(&c, dir, 6).expect("layout");
                let fixed = leading_search::fixed_space_value(&c, 6, &ut, order).expect("value");
                assert!(
                    (fixed - q).abs() <= 1e-10 * (1.0 + q.abs()),
                    "{who}: fixed-space form {fixed} vs certified {q}"
                );
            }
        }
    }
}

#[test]
fn dense_and_reduced_forms_agree_at_random_vectors_of_a_fixed_space() {
    for (fam, order) in [(Family::I, 3u8), (Family::II, 4)] {
        for d in [8u64, 10] {
            let c = cert(fam, d);
            for (k, seed) in [(3usize, 5u64), (4, 6), (6, 7)] {
                let (refinement, u) =
                    leading_search::random_fixed_space_direction(&c, k, seed).expect("direction");
                let reduced = leading_search::fixed_space_value(&c, k, &u, order).expect("value");
                let uf: Vec<f64> = refinement
                    .embed_full(&u)
                    .expect("integral")
                    .into_iter()
                    .flatten()
                    .collect();
                let norm: f64 = uf.iter().map(|x| x * x).sum::<f64>().sqrt();
                assert!((norm - 1.0).abs() < 1e-12, "unit in the Frobenius norm");
                let dense = leading_search::full_space_value(&c, &uf, order).expect("dense");
                assert!(
                    (dense - reduced).abs() <= 1e-10 * (1.0 + dense.abs()),
                    "{} d={d} k={k}: dense {dense} vs reduced {reduced}",
                    fam.name()
                );
                assert!(dense.abs() > 1e-6, "a nonzero value is compared");
            }
        }
    }
}

#[test]
fn the_binary_reports_the_search_as_approximate() {
    let v = common::json_ok(&[
        "arcs",
        "--family",
        "II",
        "--d",
        "8",
        "--search-leading",
        "--search-starts",
        "16",
        "--json",
    ]);
    let s = &v["leading_search"];
    assert_eq!(s["approximate"], true);
    assert_eq!(s["order"], 4);
    assert_eq!(s["lower_than_axial"], false);
    assert!(s["verdict"]
        .as_str()
        .unwrap()
        .starts_with("no direction lower than the best axial one"));
    let spaces = s["spaces"].as_array().unwrap();
    assert_eq!(spaces[0]["dimension"], 15, "[n-2,1,1] of S_7: dimension 15");
    let out = common::stdout_ok(&["arcs", "--family", "I", "--d", "8", "--search-leading"]);
    assert!(out.contains("approximate"), "{out}");
    assert!(
        out.contains("no direction lower than the best axial one"),
        "{out}"
    );
    let (code, _, err) = common::relucert(&[
        "arcs",
        "--family",
        "I",
        "--d",
        "8",
        "--search-leading",
        "--search-starts",
        "0",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--search-starts"), "{err}");
}
