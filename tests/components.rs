//! The symmetry-reduced spectrum computed two ways: the component blocks (O(1) each, from
//! the reduced loss), each eigenvalue repeated by its component's dimension, against the
//! dense d^2 x d^2 Hessian spectrum, at family points and at random points of many fixed
//! spaces (the decomposition holds at every point of Fix, critical or not).

use relucert::linalg;
use relucert::model::partition::{Param, Partition};
use relucert::random::SplitMix64;
use relucert::search::dense_spectrum;
use relucert::search::families::{self, Family};
use relucert::symmetry::components;

fn reduced_spectrum(part: &Partition, theta: &[f64]) -> Vec<f64> {
    let mut all = Vec::new();
    for (c, b) in components::blocks(part, theta).unwrap() {
        assert_eq!(b.len(), c.copies);
        let (vals, _) = linalg::jacobi_eigen(&b).unwrap();
        for v in vals {
            all.extend(std::iter::repeat_n(v, c.dimension as usize));
        }
    }
    all.sort_by(f64::total_cmp);
    all
}

/// A random point of a fixed space with rows of norm about 1 (diagonal near 0.8).
fn random_point(part: &Partition, rng: &mut SplitMix64) -> Vec<f64> {
    part.params()
        .iter()
        .map(|p| match p {
            Param::D(_) => 0.8 + 0.3 * rng.normal(),
            _ => 0.25 * rng.normal(),
        })
        .collect()
}

fn compare(part: &Partition, theta: &[f64], what: &str) {
    let dense = dense_spectrum::dense_eigenvalues(part, theta).unwrap();
    let red = reduced_spectrum(part, theta);
    assert_eq!(dense.len(), red.len(), "{what}: sizes");
    let scale = dense.iter().fold(1.0f64, |m, x| m.max(x.abs()));
    for (k, (a, b)) in dense.iter().zip(&red).enumerate() {
        assert!(
            (a - b).abs() < 1e-10 * scale,
            "{what}: eigenvalue {k}: dense {a} vs reduced {b}"
        );
    }
}

#[test]
fn blocks_reproduce_the_dense_spectrum_at_the_families() {
    for fam in Family::ALL {
        for d in 4..=14u64 {
            if d < fam.min_d() {
                continue;
            }
            let loc = families::locate(fam, d as f64, None).unwrap();
            let theta: Vec<f64> = loc.found.theta.iter().map(|x| x.0.to_f64()).collect();
            compare(&loc.partition, &theta, &format!("{} d={d}", fam.name()));
        }
    }
}

#[test]
fn blocks_reproduce_the_dense_spectrum_at_random_points_of_other_fixed_spaces() {
    let mut rng = SplitMix64::new(99);
    for sizes in [
        vec![3u64, 2, 1],
        vec![4, 1, 1, 2],
        vec![2, 2, 2],
        vec![5, 4],
        vec![6, 2, 1],
        vec![3, 3, 3],
        vec![7],
        vec![8, 2],
        vec![1, 1, 1, 1],
        vec![4, 3, 2, 1],
    ] {
        let part = Partition::from_sizes(&sizes).unwrap();
        for _ in 0..2 {
            let theta = random_point(&part, &mut rng);
            compare(&part, &theta, &format!("{sizes:?}"));
        }
    }
}

#[test]
fn blocks_do_not_depend_on_the_axial_split() {
    use components::{block_on, Axis, Kind};
    let mut rng = SplitMix64::new(17);
    for sizes in [vec![9u64, 1], vec![7, 2], vec![6, 3, 1]] {
        let part = Partition::from_sizes(&sizes).unwrap();
        let theta = random_point(&part, &mut rng);
        let n = sizes[0] as f64;
        let cases: Vec<(Kind, Vec<Vec<f64>>)> = vec![
            (
                Kind::Std(0),
                (1..=(sizes[0] / 2))
                    .map(|p| vec![n - p as f64, p as f64])
                    .collect(),
            ),
            (
                Kind::Two(0),
                (2..=(sizes[0] / 2))
                    .map(|q| vec![n - q as f64, q as f64])
                    .collect(),
            ),
            (
                Kind::OneOne(0),
                vec![
                    vec![n - 2.0, 1.0, 1.0],
                    vec![n - 3.0, 2.0, 1.0],
                    vec![n - 4.0, 2.0, 2.0],
                ],
            ),
        ];
        for (kind, splits) in cases {
            let canon = components::block(&part, &theta, kind).unwrap();
            for parts in splits {
                let axis = Axis {
                    kind,
                    splits: vec![(0, parts.clone())],
                };
                let b = block_on(&part, &theta, &axis).unwrap();
                for i in 0..b.len() {
                    for j in 0..b.len() {
                        assert!(
                            (b[i][j] - canon[i][j]).abs() < 1e-11,
                            "{sizes:?} {kind:?} split {parts:?}: entry ({i},{j}) {} vs {}",
                            b[i][j],
                            canon[i][j]
                        );
                    }
                }
            }
        }
    }
}
