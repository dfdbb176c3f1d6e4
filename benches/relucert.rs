//! Benchmarks (criterion): `cargo bench --bench relucert`.
//!
//! - the interval reduced Hessian on the fixed space of (d - 1, 1) at 256 bits, at
//!   d = 10 and 10^6 (the cost must not depend on d);
//! - `certify` (Newton polish, Krawczyk, every component block, eigenvalue enclosures) at
//!   d = 10, 10^3, 10^6, 10^9;
//! - the dense cross-check (`certify --dense`'s extra work: the d^2 x d^2 interval
//!   Hessian over the box and its interval Cholesky) at d = 10, 14, 20;
//! - tangency arcs: `arcs --extreme` of II at d = 20, 1000 and 10^9 (every lattice type of
//!   the extreme eigenvalues ranked by its certified leading coefficient, the rank-1 ones
//!   traced and certified at three radii, at the default precision); the whole run over all
//!   5020 arc types at d = 1000 is `relucert arcs --family II --d 1000` (about 52 s).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use relucert::arith::Interval;
use relucert::model::reduced;
use relucert::prove::{certify_family, dense_check};
use relucert::search::families::{self, Family};
use std::hint::black_box;
use std::time::Duration;

fn interval_hessian(c: &mut Criterion) {
    let mut g = c.benchmark_group("interval_reduced_hessian_256bit");
    for d in [10.0, 1e6] {
        let loc = families::locate(Family::II, d, Some(256)).unwrap();
        let theta: Vec<Interval> = loc
            .found
            .theta
            .iter()
            .map(|x| Interval::from_float(256, &x.0).unwrap())
            .collect();
        g.bench_with_input(BenchmarkId::from_parameter(d), &theta, |b, t| {
            b.iter(|| reduced::gradient_hessian(&loc.partition, black_box(t)).unwrap())
        });
    }
    g.finish();
}

fn certify(c: &mut Criterion) {
    let mut g = c.benchmark_group("certify_256bit");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    for fam in [Family::I, Family::II] {
        for d in [10u64, 1_000, 1_000_000, 1_000_000_000] {
            g.bench_with_input(BenchmarkId::new(fam.name(), d), &d, |b, &d| {
                b.iter(|| certify_family(fam, black_box(d), 256).unwrap())
            });
        }
    }
    g.finish();
}

fn dense_cross_check(c: &mut Criterion) {
    let mut g = c.benchmark_group("dense_cross_check_256bit");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for d in [10u64, 14, 20] {
        let cert = certify_family(Family::II, d, 256).unwrap();
        g.bench_with_input(BenchmarkId::from_parameter(d), &cert, |b, cert| {
            b.iter(|| dense_check::cross_check(black_box(cert)))
        });
    }
    g.finish();
}

fn arcs_extreme(c: &mut Criterion) {
    use relucert::arcs::{self, ArcOptions};
    let mut g = c.benchmark_group("arcs_extreme");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for d in [20u64, 1000, 1_000_000_000] {
        let prec = arcs::auto_prec(d as f64);
        let cert = certify_family(Family::II, d, prec).unwrap();
        let opts = ArcOptions {
            prec,
            extreme_only: true,
            ..ArcOptions::default()
        };
        g.bench_with_input(BenchmarkId::from_parameter(d), &cert, |b, cert| {
            b.iter(|| arcs::run(black_box(cert), &opts))
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    interval_hessian,
    certify,
    dense_cross_check,
    arcs_extreme
);
criterion_main!(benches);
