//! Tests that kill deliberately unsound mutations of the proof path (issue 24): each checks
//! a semantic property (an enclosure against exact rationals, or against values computed
//! another way) that a plausible bug breaks. The mutation each one kills is named in its
//! comment and in `docs/testing.md`. The directed-rounding mutations of the interval
//! primitives are killed by `tests/rounding.rs`.

use relucert::arith::Interval;
use relucert::linalg::Mat;
use relucert::prove::eigen::enclose_eigenvalues;
use relucert::random::SplitMix64;
use rug::Rational;

const PREC: u32 = 64;

fn iv(lo: f64, hi: f64) -> Interval {
    let (l, h) = (Interval::point(PREC, lo), Interval::point(PREC, hi));
    l.hull(&h)
}

/// Kills: "Gershgorin: disc centred at the midpoint of T_ii (its width ignored)".
///
/// An interval matrix with *wide* diagonal entries `[a_i, b_i]` and zero off-diagonals holds
/// every diagonal matrix `diag(x_i)`, `x_i` in `[a_i, b_i]`, whose eigenvalues are the `x_i`
/// sorted: exact rationals. The k-th enclosure must hold the k-th of them for every such
/// member, in particular the corners `x_i = a_i` and `x_i = b_i`, which the midpoint disc
/// misses by half the width.
#[test]
fn eigenvalue_enclosures_hold_every_member_of_wide_diagonal_entries() {
    let mut rng = SplitMix64::new(24);
    for trial in 0..200 {
        let n = 1 + trial % 5;
        let lows: Vec<f64> = (0..n).map(|_| 10.0 * rng.normal()).collect();
        let widths: Vec<f64> = (0..n).map(|_| 1e-3 + 1e-2 * rng.uniform()).collect();
        // Tiny but nonzero off-diagonals (their enclosure adds to the radius only).
        let off = 1e-9 * rng.uniform();
        let m: Mat<Interval> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        if i == j {
                            iv(lows[i], lows[i] + widths[i])
                        } else {
                            iv(-off, off)
                        }
                    })
                    .collect()
            })
            .collect();
        let enc = enclose_eigenvalues(&m).expect("well conditioned");
        // Members: both corners and random points of each diagonal entry (off-diagonal 0).
        for member in 0..6 {
            let mut xs: Vec<Rational> = (0..n)
                .map(|i| {
                    let t = match member {
                        0 => 0.0,
                        1 => 1.0,
                        _ => rng.uniform(),
                    };
                    let (lo, hi) = (
                        m[i][i].lo().to_rational().unwrap(),
                        m[i][i].hi().to_rational().unwrap(),
                    );
                    lo.clone() + (hi - lo) * Rational::from_f64(t).unwrap()
                })
                .collect();
            xs.sort();
            for (k, x) in xs.iter().enumerate() {
                assert!(
                    enc[k].contains_rational(x),
                    "trial {trial}, n = {n}: eigenvalue {k} = {} of a member not in {:?}",
                    x.to_f64(),
                    enc[k]
                );
            }
        }
    }
}
