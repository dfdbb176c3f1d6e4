//! Certified arc ends (docs/arcs.md, "Ends"): certified turning points against the traces
//! that found them (the reduced trace and an independent full-space trace), last certified
//! points against an MPFR evaluation at an independently polished point, and the named
//! kernel arguments against the smoothness margin.

mod common;

use relucert::arcs::directions::{ArcDirection, Base, Sign};
use relucert::arcs::ends::{self, EndProof, FoldProof, LastPoint};
use relucert::arcs::trace::{self, EndKind, Trace, TraceOptions};
use relucert::arcs::{self, full, ArcOptions, ArcResult};
use relucert::arith::{Mpfr, Scalar};
use relucert::certificate::critical_point::Certificate;
use relucert::model::partition::Partition;
use relucert::model::reduced::{self, ArgumentKind};
use relucert::search::families::Family;
use relucert::symmetry::components::Kind;

fn cert(f: Family, d: u64) -> Certificate {
    common::cert(f, d, 128)
}

fn extreme() -> ArcOptions {
    ArcOptions {
        extreme_only: true,
        ..ArcOptions::default()
    }
}

fn fold(r: &ArcResult) -> Option<&FoldProof> {
    match &r.end.certified {
        Some(Ok(EndProof::Fold(f))) => Some(f),
        _ => None,
    }
}

fn last_point(r: &ArcResult) -> Option<&LastPoint> {
    match &r.end.certified {
        Some(Ok(EndProof::LastPoint(p))) => Some(p),
        _ => None,
    }
}

fn hi(x: &relucert::arith::Interval) -> f64 {
    x.hi().to_f64()
}
fn lo(x: &relucert::arith::Interval) -> f64 {
    x.lo().to_f64()
}

/// Approximate: the turning point of a traced branch from its points `(r, mu)`: the vertex
/// of the parabola `r(mu)` through the three points of largest r.
fn vertex(points: &[(f64, f64)]) -> Option<f64> {
    let k = points
        .iter()
        .enumerate()
        .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0))?
        .0;
    let k = k.clamp(1, points.len().checked_sub(2)?);
    let (p, q, s) = (points[k - 1], points[k], points[k + 1]);
    // Lagrange interpolation of r as a quadratic in mu.
    let (x0, x1, x2) = (p.1, q.1, s.1);
    let a = p.0 / ((x0 - x1) * (x0 - x2))
        + q.0 / ((x1 - x0) * (x1 - x2))
        + s.0 / ((x2 - x0) * (x2 - x1));
    let b = -p.0 * (x1 + x2) / ((x0 - x1) * (x0 - x2))
        - q.0 * (x0 + x2) / ((x1 - x0) * (x1 - x2))
        - s.0 * (x0 + x1) / ((x2 - x0) * (x2 - x1));
    let c0 = p.0 * x1 * x2 / ((x0 - x1) * (x0 - x2))
        + q.0 * x0 * x2 / ((x1 - x0) * (x1 - x2))
        + s.0 * x0 * x1 / ((x2 - x0) * (x2 - x1));
    let m = -b / (2.0 * a);
    let v = c0 + b * m + a * m * m;
    v.is_finite().then_some(v)
}

/// Every traced r is at most r_fold (a fold is a strict local maximum of r along the
/// branch), and the trace's own turning point (its largest traced r) lies within a step of
/// r_fold.
fn check_against_trace(what: &str, f: &FoldProof, points: &[(f64, f64)]) {
    let max_r = points.iter().map(|p| p.0).fold(0.0, f64::max);
    assert!(
        max_r <= hi(&f.r) + 1e-9 * (1.0 + max_r),
        "{what}: traced r = {max_r} beyond the certified fold {}",
        f.r
    );
    assert!(
        lo(&f.r) - max_r < 2e-2 * (1.0 + max_r),
        "{what}: the trace turns at {max_r}, the certified fold is {}",
        f.r
    );
}

#[test]
fn the_minus_trivial_arc_of_ii_at_d_1000_ends_at_a_certified_fold() {
    let c = cert(Family::II, 1000);
    let res = arcs::run(&c, &extreme());
    let arc = res
        .iter()
        .find(|r| r.dir.axis.kind == Kind::Trivial && r.dir.sign == Sign::Minus)
        .expect("the - trivial arc");
    assert_eq!(arc.end.kind, EndKind::Fold);
    let f = fold(arc).unwrap_or_else(|| panic!("not certified: {:?}", arc.end.certified));
    assert!(
        f.r.is_positive() && lo(&f.r) > 1.4 && hi(&f.r) < 1.55,
        "{}",
        f.r
    );
    let pts: Vec<(f64, f64)> = arc.trace.iter().map(|p| (p.r, p.mu)).collect();
    check_against_trace("II d=1000 trivial -", f, &pts);
    // The vertex of the parabola r(mu) through the points around the trace's largest r.
    let v = vertex(&pts).expect("three points");
    assert!(
        (v - f.r.mid().to_f64()).abs() < 2e-3 * (1.0 + v),
        "parabola vertex {v} vs certified fold {}",
        f.r
    );
    // The loss is stationary along the branch at the fold (dL/ds = mu r dr/ds): the trace's
    // loss at its largest radius is close to the certified one.
    let top = arc.trace.iter().max_by(|a, b| a.r.total_cmp(&b.r)).unwrap();
    assert!(
        (top.loss - f.loss.mid().to_f64()).abs() < 1e-3 * (1.0 + top.loss.abs()),
        "trace loss {} vs certified {}",
        top.loss,
        f.loss
    );
}

/// The reduced trace's start data, as `run` uses them.
fn trace_options(c: &Certificate, d: u64) -> TraceOptions {
    let part = &c.partition;
    let scale = part
        .params()
        .iter()
        .zip(&c.center)
        .map(|(&p, t)| part.weight_f64(p) * t.value().to_f64().powi(2))
        .sum::<f64>()
        .sqrt()
        .clamp(1.0, 32.0);
    let s = arcs::arc_scale(d as f64);
    TraceOptions {
        loss_max: 1e6 * (1.0 + c.proof.loss.mid().to_f64().abs()),
        r0: 1e-3 * s,
        r_max: 2.0 * scale,
        dr_max: 0.05 * scale,
        max_steps: 4000,
    }
}

fn cubic(dir: &ArcDirection) -> f64 {
    match &dir.leading {
        relucert::arcs::directions::Leading::Cubic(c)
        | relucert::arcs::directions::Leading::Undetermined(c) => c.mid().to_f64(),
        relucert::arcs::directions::Leading::Quartic(_) => 0.0,
    }
}

#[test]
fn certified_folds_contain_the_full_space_traces_turning_points_at_d_8_and_10() {
    for d in [8u64, 10] {
        let mut checked = 0;
        for f in [Family::I, Family::II] {
            let c = cert(f, d);
            let res = arcs::run(&c, &extreme());
            let topts = trace_options(&c, d);
            for r in &res {
                let Some(fp) = fold(r) else { continue };
                let what = format!(
                    "{} d={d} {} {}",
                    f.name(),
                    r.dir.axis.kind.label(),
                    r.dir.sign.symbol()
                );
                // The same start direction, embedded in the full d x d space, traced with the
                // dense closed-form Hessian (no symmetry reduction).
                let u: Vec<f64> = r.dir.u.iter().map(Scalar::approx_f64).collect();
                let refi = r.dir.axis.refinement(&c.partition);
                let uf = full::embed_direction(&c, refi.as_ref(), &u);
                let t =
                    full::trace_full(&c, &uf, r.dir.lambda.mid().to_f64(), cubic(&r.dir), &topts);
                if t.end != EndKind::Fold {
                    // In the full space the branch may leave Fix(K) where the fixed-space
                    // branch turns (a symmetry-breaking bifurcation): the full tracer then
                    // follows another branch and there is no turning point to compare. The
                    // canonical axes (the arcs this test was written for) must not do that.
                    assert!(
                        r.dir.axis
                            != relucert::symmetry::components::Axis::canonical(
                                &c.partition,
                                r.dir.axis.kind
                            ),
                        "{what} {}: the full-space trace ends at {:?}, not a fold",
                        r.dir.isotropy_label(),
                        t.end
                    );
                    continue;
                }
                let pts: Vec<(f64, f64)> = t.points.iter().map(|p| (p.r, p.mu)).collect();
                check_against_trace(&format!("{what} (full space)"), fp, &pts);
                checked += 1;
            }
        }
        assert!(checked >= 2, "d={d}: {checked} certified folds compared");
    }
}

/// Approximate: the arc traced again in its fixed space (f64), as `run` traces it.
fn retrace(c: &Certificate, base: &Base, dir: &ArcDirection, d: u64) -> (Trace<f64>, Vec<f64>) {
    let refi = dir.axis.refinement(&c.partition);
    let cf: Vec<Mpfr> = match &refi {
        Some(r) => r.embed(&base.theta_c),
        None => base.theta_c.clone(),
    };
    let cf: Vec<f64> = cf.iter().map(Scalar::approx_f64).collect();
    let u: Vec<f64> = dir.u.iter().map(Scalar::approx_f64).collect();
    let t = trace::trace(
        &dir.space.fine,
        &cf,
        &u,
        dir.lambda.mid().to_f64(),
        cubic(dir),
        &trace_options(c, d),
    );
    (t, cf)
}

/// The last certified point's loss and mu contain the MPFR values at the point polished
/// independently (the tracer's Newton, in MPFR at 192 bits, from the re-traced arc).
fn check_last_point(what: &str, c: &Certificate, r: &ArcResult, p: &LastPoint, d: u64) {
    let base = Base::new(c).unwrap();
    let (t, _) = retrace(c, &base, &r.dir, d);
    let rv: f64 = p.r.parse().unwrap();
    let k = t
        .points
        .windows(2)
        .rposition(|w| w[0].r.min(w[1].r) <= rv && rv <= w[0].r.max(w[1].r))
        .unwrap_or_else(|| panic!("{what}: the re-trace covers r = {}", p.r));
    let prec = 192;
    let start: Vec<Mpfr> = t.points[k]
        .theta
        .iter()
        .map(|&x| Mpfr::from_f64(prec, x))
        .collect();
    let c_exact: Vec<Mpfr> = {
        let refi = r.dir.axis.refinement(&c.partition);
        let th: Vec<Mpfr> = c
            .center
            .iter()
            .map(|q| Mpfr(rug::Float::with_val(prec, q.value())))
            .collect();
        match &refi {
            Some(rf) => rf.embed(&th),
            None => th,
        }
    };
    let rq = relucert::arith::decimal::parse_decimal(&p.r).unwrap();
    let (th, mu, _) = trace::point_at(
        &r.dir.space.fine,
        &c_exact,
        &start,
        Mpfr::from_f64(prec, t.points[k].mu),
        rug::Float::with_val(53, &rq).to_f64(),
    )
    .unwrap_or_else(|e| panic!("{what}: MPFR Newton at r = {}: {e}", p.r));
    let loss = reduced::loss(&r.dir.space.fine, &th).unwrap();
    // The tracer's Newton takes r as an f64 (the decimal radius rounded, relative error
    // 2^-53): allow 1e-13 beyond the enclosure for that.
    let near = |x: &relucert::arith::Interval, v: &Mpfr| {
        let v = v.approx_f64();
        lo(x) - 1e-13 * (1.0 + v.abs()) <= v && v <= hi(x) + 1e-13 * (1.0 + v.abs())
    };
    assert!(
        near(&p.loss, &loss),
        "{what}: loss {} not in {}",
        loss.0,
        p.loss
    );
    assert!(near(&p.mu, &mu), "{what}: mu {} not in {}", mu.0, p.mu);
    if let Some(n) = &p.near {
        assert!(n.at_point.is_positive(), "{what}: margin {}", n.at_point);
        // The named argument at the polished point, recomputed in f64, lies in its
        // enclosure (to f64 rounding), and the smoothness margin (the minimum over every
        // argument) is at most it.
        let thf: Vec<f64> = th.iter().map(Scalar::approx_f64).collect();
        let args = reduced::kernel_arguments(&r.dir.space.fine, &thf).unwrap();
        let a = args
            .iter()
            .find(|a| a.name == n.argument)
            .expect("named argument");
        let m = match a.kind {
            ArgumentKind::Cosine => 1.0 - a.value.abs(),
            ArgumentKind::Norm => a.value,
        };
        assert!(
            lo(&n.at_point) - 1e-12 <= m && m <= hi(&n.at_point) + 1e-12,
            "{what}: {m} vs {}",
            n.at_point
        );
        assert!(reduced::smoothness_margin(&r.dir.space.fine, &thf) <= m + 1e-12);
        // Nearer the set at the trace's end than at the certified point.
        assert!(n.approx_at_end <= m, "{what}");
    }
}

#[test]
fn limit_and_nonsmooth_ends_have_certified_last_points() {
    // II at d = 10: the + trivial arc ends at the radius limit.
    let c = cert(Family::II, 10);
    let res = arcs::run(&c, &extreme());
    let arc = res
        .iter()
        .find(|r| r.dir.axis.kind == Kind::Trivial && r.dir.sign == Sign::Plus)
        .unwrap();
    assert_eq!(arc.end.kind, EndKind::Limit);
    let p = last_point(arc).expect("a certified last point");
    assert!(p.near.is_none() && p.fold_failure.is_none());
    check_last_point("II d=10 trivial +", &c, arc, p, 10);
    // I at d = 10, every arc: the non-smooth ends.
    let c = cert(Family::I, 10);
    let res = arcs::run(&c, &ArcOptions::default());
    let mut checked = 0;
    for (k, r) in res.iter().enumerate() {
        if r.end.kind != EndKind::NonSmooth {
            continue;
        }
        let p = last_point(r).unwrap_or_else(|| panic!("arc {k}: {:?}", r.end.certified));
        assert!(p.near.is_some(), "arc {k}: the argument is named");
        check_last_point(&format!("I d=10 arc {k}"), &c, r, p, 10);
        checked += 1;
    }
    assert!(checked >= 2, "{checked} non-smooth ends checked");
}

#[test]
fn kernel_arguments_give_the_smoothness_margin() {
    let mut rng = relucert::random::SplitMix64::new(7);
    for sizes in [
        vec![7.0, 1.0, 2.0],
        vec![9.0, 1.0],
        vec![5.0, 1.0, 1.0, 3.0],
        vec![1.0, 1.0],
    ] {
        let part = Partition::new(sizes).unwrap();
        for _ in 0..20 {
            let theta: Vec<f64> = (0..part.dim()).map(|_| rng.normal()).collect();
            let args = reduced::kernel_arguments(&part, &theta).unwrap();
            let min = args
                .iter()
                .map(|a| match a.kind {
                    ArgumentKind::Cosine => 1.0 - a.value.abs(),
                    ArgumentKind::Norm => a.value,
                })
                .fold(f64::INFINITY, f64::min);
            let m = reduced::smoothness_margin(&part, &theta);
            assert!(
                (min - m).abs() <= 1e-12 * (1.0 + m),
                "[{}]: {min} vs {m}",
                part.label()
            );
        }
    }
}

#[test]
fn two_significant_digits_round_down() {
    for x in [
        1.4726, 64.0204, 0.0123, 100.0, 0.99999, 3.0, 7.77e-5, 1234.5,
    ] {
        let s = ends::two_digits_down(x).unwrap();
        let q = relucert::arith::decimal::parse_decimal(&s)
            .unwrap()
            .to_f64();
        assert!(q <= x && q > 0.9 * x - 1e-300, "{x} -> {s}");
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        assert!(
            digits.trim_start_matches('0').trim_end_matches('0').len() <= 2,
            "{x} -> {s}"
        );
    }
    assert_eq!(ends::two_digits_down(1.4726).as_deref(), Some("1.4"));
    assert_eq!(ends::two_digits_down(0.0).as_deref(), None);
}
