//! The model in interval arithmetic at precision p encloses the same model evaluated at
//! 4p bits (round to nearest), for every family at d = 10, 1000, 10^6: loss, reduced
//! gradient and reduced Hessian, and the enclosures are narrow.

use relucert::arith::{Interval, Jet2, Mpfr};
use relucert::model::reduced;
use relucert::search::families::{self, Family};
use rug::Float;

#[test]
fn interval_model_encloses_the_four_times_precision_values() {
    for fam in Family::ALL {
        for d in [10.0, 1000.0, 1e6] {
            for p in [64u32, 128, 256] {
                let loc = families::locate(fam, d, Some(p.max(96))).unwrap();
                let theta: Vec<Float> = loc
                    .found
                    .theta
                    .iter()
                    .map(|x| Float::with_val(p, &x.0))
                    .collect();
                let iv: Vec<Interval> = theta
                    .iter()
                    .map(|x| Interval::from_float(p, x).unwrap())
                    .collect();
                let hp: Vec<Mpfr> = theta
                    .iter()
                    .map(|x| Mpfr(Float::with_val(4 * p, x)))
                    .collect();
                let ji: Jet2<Interval> = reduced::gradient_hessian(&loc.partition, &iv).unwrap();
                let jh: Jet2<Mpfr> = reduced::gradient_hessian(&loc.partition, &hp).unwrap();
                let what = format!("{} d={d} p={p}", fam.name());
                assert!(
                    ji.v.contains(&jh.v.0),
                    "{what}: loss {:?} vs {}",
                    ji.v,
                    jh.v.0
                );
                // loss width: rounding of terms of size d^2 at p bits
                let bound = 2f64.powi(-(p as i32) + 12) * d * d;
                assert!(ji.v.width() < bound, "{what}: loss width {}", ji.v.width());
                let n = theta.len();
                for i in 0..n {
                    assert!(ji.g[i].contains(&jh.g[i].0), "{what}: gradient {i}");
                    for j in i..n {
                        assert!(
                            ji.hess(i, j).contains(&jh.hess(i, j).0),
                            "{what}: Hessian ({i},{j})"
                        );
                    }
                }
            }
        }
    }
}
