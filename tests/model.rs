//! The model computed two ways: closed forms against finite differences and Monte Carlo,
//! the reduced loss against the dense one, and the families against the independent
//! mpmath reference (tools/reference.py).

mod common;

use relucert::arith::{Mpfr, Scalar};
use relucert::model::partition::Partition;
use relucert::model::{dense, reduced};
use relucert::random::SplitMix64;
use relucert::search::families::{self, Family};
use rug::Float;

const P: u32 = 200;

fn mp(x: f64) -> Mpfr {
    Mpfr::from_f64(P, x)
}

fn random_matrix(rng: &mut SplitMix64, d: usize) -> Vec<Vec<f64>> {
    (0..d)
        .map(|i| {
            (0..d)
                .map(|j| rng.normal() * 0.4 + if i == j { 0.8 } else { 0.0 })
                .collect()
        })
        .collect()
}

fn to_mp(w: &[Vec<f64>]) -> Vec<Vec<Mpfr>> {
    w.iter()
        .map(|r| r.iter().map(|&x| mp(x)).collect())
        .collect()
}

fn f(x: &Mpfr) -> f64 {
    x.approx_f64()
}

#[test]
fn dense_gradient_and_hessian_match_central_differences() {
    let mut rng = SplitMix64::new(11);
    let h = Mpfr(Float::with_val(P, 1e-20));
    for d in 3..=7 {
        let w = to_mp(&random_matrix(&mut rng, d));
        let g = dense::gradient(&w).unwrap();
        let hess = dense::hessian(&w).unwrap();
        for i in 0..d {
            for a in 0..d {
                let shifted = |s: f64| {
                    let mut w2 = w.clone();
                    w2[i][a] = w2[i][a].clone() + h.clone() * mp(s);
                    w2
                };
                let two_h = h.clone() * mp(2.0);
                let fd = (dense::loss(&shifted(1.0)).unwrap()
                    - dense::loss(&shifted(-1.0)).unwrap())
                .try_div(two_h.clone())
                .unwrap();
                let err = f(&(fd - g[i][a].clone())).abs();
                assert!(err < 1e-33, "d={d} grad ({i},{a}) differs by {err:e}");
                let gp = dense::gradient(&shifted(1.0)).unwrap();
                let gm = dense::gradient(&shifted(-1.0)).unwrap();
                for j in 0..d {
                    for b in 0..d {
                        let fdh = (gp[j][b].clone() - gm[j][b].clone())
                            .try_div(two_h.clone())
                            .unwrap();
                        let err = f(&(fdh - hess[i * d + a][j * d + b].clone())).abs();
                        assert!(err < 1e-33, "d={d} hess ({i}{a},{j}{b}) differs by {err:e}");
                    }
                }
            }
        }
    }
}

fn random_theta(rng: &mut SplitMix64, part: &Partition) -> Vec<f64> {
    part.params()
        .iter()
        .map(|p| match p {
            relucert::model::partition::Param::D(_) => 0.9 + 0.3 * rng.normal(),
            _ => 0.3 * rng.normal(),
        })
        .collect()
}

#[test]
fn reduced_loss_gradient_and_hessian_equal_the_dense_ones_summed_over_entries() {
    let mut rng = SplitMix64::new(5);
    for sizes in [vec![3u64, 2, 1], vec![4, 1, 1, 2], vec![5], vec![2, 2, 2]] {
        let part = Partition::from_sizes(&sizes).unwrap();
        let blocks = part.block_of_index().unwrap();
        let d = blocks.len();
        for _ in 0..3 {
            let theta: Vec<Mpfr> = random_theta(&mut rng, &part).into_iter().map(mp).collect();
            let w = part.embed(&theta).unwrap();
            let lr = reduced::loss(&part, &theta).unwrap();
            let ld = dense::loss(&w).unwrap();
            let err = f(&(lr - ld.clone())).abs();
            assert!(
                err < 1e-50,
                "{sizes:?}: reduced vs dense loss differ by {err:e}"
            );

            let jet = reduced::gradient_hessian(&part, &theta).unwrap();
            let gd = dense::gradient(&w).unwrap();
            let hd = dense::hessian(&w).unwrap();
            let owner = |i: usize, j: usize| {
                part.index(part.param_of_entry(blocks[i], blocks[j], i == j))
                    .unwrap()
            };
            let np = part.dim();
            let mut gsum = vec![mp(0.0); np];
            let mut hsum = vec![vec![mp(0.0); np]; np];
            for i in 0..d {
                for a in 0..d {
                    let p = owner(i, a);
                    gsum[p] = gsum[p].clone() + gd[i][a].clone();
                    for j in 0..d {
                        for b in 0..d {
                            let q = owner(j, b);
                            hsum[p][q] = hsum[p][q].clone() + hd[i * d + a][j * d + b].clone();
                        }
                    }
                }
            }
            for p in 0..np {
                let err = f(&(gsum[p].clone() - jet.g[p].clone())).abs();
                assert!(err < 1e-45, "{sizes:?}: gradient {p} differs by {err:e}");
                for q in 0..np {
                    let err = f(&(hsum[p][q].clone() - jet.hess(p, q))).abs();
                    assert!(
                        err < 1e-45,
                        "{sizes:?}: Hessian ({p},{q}) differs by {err:e}"
                    );
                }
            }
        }
    }
}

#[test]
fn loss_agrees_with_monte_carlo_within_four_standard_errors() {
    let mut rng = SplitMix64::new(2024);
    let d = 4;
    let w = random_matrix(&mut rng, d);
    let exact = dense::loss(&w).unwrap();
    let n = 200_000;
    let relu = |x: f64| x.max(0.0);
    let (mut sum, mut sum2) = (0.0f64, 0.0f64);
    for _ in 0..n {
        let x: Vec<f64> = (0..d).map(|_| rng.normal()).collect();
        let student: f64 = w
            .iter()
            .map(|r| relu(r.iter().zip(&x).map(|(a, b)| a * b).sum()))
            .sum();
        let teacher: f64 = x.iter().map(|&v| relu(v)).sum();
        let s = 0.5 * (student - teacher).powi(2);
        sum += s;
        sum2 += s * s;
    }
    let mean = sum / n as f64;
    let se = ((sum2 / n as f64 - mean * mean) / n as f64).sqrt();
    assert!(
        (mean - exact).abs() < 4.0 * se,
        "Monte Carlo {mean} +- {se} vs closed form {exact}"
    );
    assert!(
        se < 0.05 * exact,
        "the test must be sharp: se {se} vs loss {exact}"
    );
}

fn check_against_reference(family: Family, d: u64, tol: f64) {
    let (coords, loss) = common::reference_point(&family.name(), d)
        .unwrap_or_else(|| panic!("reference has {} at d={d}", family.name()));
    let loc = families::locate(family, d as f64, None).unwrap();
    let named = family.named(&loc.partition, &loc.found.theta);
    for ((name, value), (rname, rvalue)) in named.iter().zip(&coords) {
        assert_eq!(name, rname);
        let r = Float::with_val(256, Float::parse(rvalue).unwrap());
        let diff = Float::with_val(256, &value.0 - &r).to_f64().abs();
        assert!(
            diff < tol,
            "{} d={d} {name}: {} vs reference {rvalue} ({diff:e})",
            family.name(),
            value.0
        );
    }
    let r = Float::with_val(256, Float::parse(&loss).unwrap());
    let diff = Float::with_val(256, &loc.found.loss.0 - &r).to_f64().abs();
    assert!(
        diff < tol,
        "{} d={d} loss {} vs {loss}",
        family.name(),
        loc.found.loss.0
    );
}

#[test]
fn families_match_the_independent_reference_at_small_d() {
    for d in [5, 6, 7, 8, 9, 10, 12, 14, 20, 30, 60, 100] {
        check_against_reference(Family::I, d, 1e-11);
    }
    for d in [6, 7, 8, 9, 10, 12, 14, 20, 30, 60, 100] {
        check_against_reference(Family::II, d, 1e-11);
    }
    for d in [5, 6, 7, 8, 10, 12, 14, 20, 30, 60, 100] {
        check_against_reference(Family::IIsym, d, 1e-11);
    }
}

#[test]
fn families_match_the_independent_reference_at_large_d() {
    for fam in Family::ALL {
        // Found in MPFR at the automatic precision (96, 128, 160 bits).
        for d in [1000u64, 1_000_000, 1_000_000_000] {
            check_against_reference(fam, d, 1e-20);
        }
    }
}
