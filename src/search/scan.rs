//! Searching a Young fixed space for critical points from random starts.
//!
//! **Approximate.** Newton (in [`crate::search::newton`]) from `starts` seeded random points of
//! `Fix(ΔG)`; converged points are merged when they agree to `1e-6` in every coordinate
//! or are mirror images of each other (below), and sorted by loss. The global minimum `W = I` (loss 0) lies on the non-smooth set
//! (every row parallel to a target), where Newton cannot finish: a run whose loss falls
//! below `1e-12` is recorded as that point, with its exact coordinates
//! (`D = 1`, `O = X = 0`) and exact loss 0 (`L >= 0` and `L(I) = 0`).
//!
//! **Mirror images.** The loss is invariant under `W -> P W Q^T` for permutation matrices
//! `P`, `Q` (the teacher `I` is mapped to a permutation of itself). Those that map the
//! fixed space of `Δ(S_{n_1} x ... x S_{n_r})` to itself act on its parameters as
//! ([`mirror_image`]): a relabelling of blocks of equal size (rows and columns alike), a
//! swap of the two columns of a block of size 2 (`D_a <-> O_a`), and a permutation of the
//! columns of the blocks of size 1 alone. Two points related so are one critical point
//! of the full loss (the same network, its neurons and inputs relabelled): a scan reports
//! them once, with the number of images merged into it.

use crate::model::partition::{Param, Partition, Refinement};
use crate::random::SplitMix64;
use crate::search::dense_spectrum;
use crate::search::families::{self, Family};
use crate::search::newton::{self, auto_prec};

/// What kind of point a scan found.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A critical point where the loss is smooth.
    Smooth,
    /// The global minimum W = I (loss exactly 0), on the non-smooth set.
    GlobalMinimum,
    /// A critical point of the reduced loss where the full loss is not smooth (two rows
    /// parallel, say): the dense Hessian does not exist there.
    NonSmooth,
}

/// Approximate: one distinct critical point found by a scan.
#[derive(Clone, Debug)]
pub struct ScanPoint {
    /// The point (layout order), f64.
    pub theta: Vec<f64>,
    /// Approximate: loss (exactly 0 for the global minimum).
    pub loss: f64,
    /// Approximate: dense gradient max-norm (0 for the global minimum).
    pub grad_norm: f64,
    /// Smooth critical point or the global minimum.
    pub kind: Kind,
    /// How many starts reached it.
    pub hits: usize,
    /// Approximate: dense spectrum and classification (small integer d only).
    pub spectrum: Option<dense_spectrum::DenseSpectrum>,
    /// The named family this point is (up to 1e-6 in every coordinate), if any.
    pub family: Option<Family>,
    /// How many other points found were mirror images of this one ([`mirror_image`]) and
    /// were merged into it (their starts are counted in `hits`).
    pub images: usize,
}

/// Approximate: points whose smoothness margin (see
/// [`crate::model::reduced::smoothness_margin`]: the smallest `1 - |cos|` over pairs of
/// rows and targets, and the smallest row norm) is below this are reported as non-smooth,
/// never classified by a spectrum.
pub const NONSMOOTH_MARGIN: f64 = 1e-6;

/// Approximate: the distinct critical points reached from `starts` random starts, sorted by
/// loss; dense spectra are computed when `dense` and the block sizes are integers.
pub fn scan(part: &Partition, starts: usize, seed: u64, dense: bool) -> Vec<ScanPoint> {
    scan_with_progress(part, starts, seed, dense, &|| {})
}

/// Approximate: [`scan`], calling `progress()` after each start.
pub fn scan_with_progress(
    part: &Partition,
    starts: usize,
    seed: u64,
    dense: bool,
    progress: &dyn Fn(),
) -> Vec<ScanPoint> {
    let mut rng = SplitMix64::new(seed);
    let prec = auto_prec(part.d());
    let mut found: Vec<ScanPoint> = Vec::new();
    for _ in 0..starts {
        progress();
        let start = random_start(part, &mut rng);
        let point = match newton::newton_at_prec(part, &start, prec) {
            Ok(f) => {
                let theta: Vec<f64> = f.theta.iter().map(|x| x.0.to_f64()).collect();
                // Rows (anti)parallel or a zero row: the loss is not twice differentiable
                // there, and no spectrum classifies it.
                let smooth =
                    crate::model::reduced::smoothness_margin(part, &theta) > NONSMOOTH_MARGIN;
                ScanPoint {
                    theta,
                    loss: f.loss.0.to_f64(),
                    grad_norm: f.grad_norm,
                    kind: if smooth {
                        Kind::Smooth
                    } else {
                        Kind::NonSmooth
                    },
                    hits: 1,
                    spectrum: None,
                    family: None,
                    images: 0,
                }
            }
            Err(e) if e.last_loss().is_some_and(|l| l.abs() < 1e-12) => global_minimum(part),
            Err(_) => continue,
        };
        match found.iter_mut().find(|p| {
            p.theta
                .iter()
                .zip(&point.theta)
                .all(|(a, b)| (a - b).abs() < MERGE_TOL)
        }) {
            Some(p) => p.hits += 1,
            None => found.push(point),
        }
    }
    for p in found.iter_mut().filter(|p| p.kind == Kind::Smooth) {
        p.family = identify(part, &p.theta);
    }
    let mut found = merge_images(part, found);
    for p in found.iter_mut().filter(|p| p.kind == Kind::Smooth) {
        if dense && part.is_integral() {
            match dense_spectrum::dense_spectrum(part, &p.theta) {
                Ok(s) => p.spectrum = Some(s),
                Err(_) => p.kind = Kind::NonSmooth,
            }
        }
    }
    found.sort_by(|a, b| a.loss.total_cmp(&b.loss));
    found
}

/// Approximate: `found` with mirror images merged: each point is kept unless it is a
/// [`mirror_image`] of an earlier kept point of the same kind, which then counts its starts
/// and one more image. A kept point that names no family gives way to an image that
/// does (the representative shown is then the family's point).
fn merge_images(part: &Partition, found: Vec<ScanPoint>) -> Vec<ScanPoint> {
    let mut kept: Vec<ScanPoint> = Vec::new();
    for p in found {
        let twin = kept.iter_mut().find(|k| {
            k.kind == p.kind
                && (k.loss - p.loss).abs() <= 1e-9 * k.loss.abs().max(1.0)
                && mirror_image(part, &k.theta, &p.theta, MERGE_TOL)
        });
        match twin {
            Some(k) => {
                k.hits += p.hits;
                k.images += 1;
                if k.family.is_none() && p.family.is_some() {
                    k.theta = p.theta;
                    k.loss = p.loss;
                    k.grad_norm = p.grad_norm;
                    k.family = p.family;
                }
            }
            None => kept.push(p),
        }
    }
    kept
}

/// Approximate: two points found are one point when they agree to this in every
/// coordinate (also the tolerance of [`mirror_image`] in a scan).
pub const MERGE_TOL: f64 = 1e-6;

/// Exact: the most search nodes [`mirror_image`] visits before answering "not found".
pub const MIRROR_SEARCH_NODES: usize = 200_000;

/// Exact (given the tolerance): the contents of block `(a, b)` of the matrix of `theta`:
/// (entry on the block's diagonal, entry off it); a constant block gives its value twice.
fn block_content(part: &Partition, theta: &[f64], a: usize, b: usize) -> (f64, f64) {
    let at = |p: Param| theta[part.index(p).expect("a parameter of the partition")];
    if a == b {
        let d = at(Param::D(a));
        (d, part.index(Param::O(a)).map_or(d, |i| theta[i]))
    } else {
        let x = at(Param::X(a, b));
        (x, x)
    }
}

/// Approximate: the values of one row of block `a`'s rows, with multiplicities, sorted and
/// with values within `tol` merged (a row's multiset is unchanged by column permutations).
fn row_values(part: &Partition, theta: &[f64], a: usize, tol: f64) -> Vec<(f64, f64)> {
    let n = part.sizes();
    let mut v: Vec<(f64, f64)> = (0..part.r())
        .flat_map(|b| {
            let (dg, off) = block_content(part, theta, a, b);
            if a == b {
                vec![(dg, 1.0), (off, n[a] - 1.0)]
            } else {
                vec![(dg, n[b])]
            }
        })
        .filter(|&(_, m)| m > 0.0)
        .collect();
    v.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (x, m) in v {
        match out.last_mut() {
            Some(last) if (x - last.0).abs() < tol => last.1 += m,
            _ => out.push((x, m)),
        }
    }
    out
}

/// Approximate (to `tol` in every coordinate): whether `q` is the image of `p` under a
/// symmetry of the loss that maps the fixed space of `part` to itself (see the module
/// doc): rows relabelled by a size-preserving permutation `s` of the blocks, columns by
/// `c`, equal to `s` on blocks of size > 1 and any permutation of the blocks of size 1,
/// and the two columns of any block of size 2 optionally swapped. Searched with pruning
/// by the rows' value multisets; a search past [`MIRROR_SEARCH_NODES`] answers `false`
/// (not found, so the points are kept apart).
pub fn mirror_image(part: &Partition, p: &[f64], q: &[f64], tol: f64) -> bool {
    let r = part.r();
    let n = part.sizes();
    let same = |x: (f64, f64), y: (f64, f64)| (x.0 - y.0).abs() < tol && (x.1 - y.1).abs() < tol;
    let rows_p: Vec<_> = (0..r).map(|a| row_values(part, p, a, tol)).collect();
    let rows_q: Vec<_> = (0..r).map(|a| row_values(part, q, a, tol)).collect();
    let rows_match = |a: usize, t: usize| {
        rows_p[a].len() == rows_q[t].len()
            && rows_p[a]
                .iter()
                .zip(&rows_q[t])
                .all(|(x, y)| (x.0 - y.0).abs() < tol && x.1 == y.1)
    };
    // Block (a, b) of p against block (ta, tb) of q, the columns of b swapped or not.
    let fits = |a: usize, b: usize, ta: usize, tb: usize, swap: bool| {
        let (dg, off) = block_content(part, p, a, b);
        let want = if swap { (off, dg) } else { (dg, off) };
        same(block_content(part, q, ta, tb), want)
    };
    let mut s: Vec<usize> = vec![usize::MAX; r];
    let mut used = vec![false; r];
    let mut nodes = 0usize;
    // Columns, once s is complete: blocks of size > 1 go to s(b), with a swap allowed for
    // size 2; the blocks of size 1 need a matching onto the size-1 targets.
    let columns = |s: &[usize]| -> bool {
        let big_ok = (0..r).filter(|&b| n[b] != 1.0).all(|b| {
            let swaps: &[bool] = if n[b] == 2.0 {
                &[false, true]
            } else {
                &[false]
            };
            swaps
                .iter()
                .any(|&sw| (0..r).all(|a| fits(a, b, s[a], s[b], sw)))
        });
        if !big_ok {
            return false;
        }
        let ones: Vec<usize> = (0..r).filter(|&b| n[b] == 1.0).collect();
        let ok = |b: usize, t: usize| (0..r).all(|a| fits(a, b, s[a], t, false));
        fn matching(
            k: usize,
            ones: &[usize],
            taken: &mut [bool],
            ok: &dyn Fn(usize, usize) -> bool,
        ) -> bool {
            if k == ones.len() {
                return true;
            }
            for j in 0..ones.len() {
                if !taken[j] && ok(ones[k], ones[j]) {
                    taken[j] = true;
                    if matching(k + 1, ones, taken, ok) {
                        return true;
                    }
                    taken[j] = false;
                }
            }
            false
        }
        matching(0, &ones, &mut vec![false; ones.len()], &ok)
    };
    #[allow(clippy::too_many_arguments)]
    fn rows(
        a: usize,
        r: usize,
        n: &[f64],
        s: &mut Vec<usize>,
        used: &mut Vec<bool>,
        nodes: &mut usize,
        rows_match: &dyn Fn(usize, usize) -> bool,
        partial: &dyn Fn(&[usize], usize) -> bool,
        columns: &dyn Fn(&[usize]) -> bool,
    ) -> bool {
        if a == r {
            return columns(s);
        }
        for t in 0..r {
            *nodes += 1;
            if *nodes > MIRROR_SEARCH_NODES {
                return false;
            }
            if used[t] || n[t] != n[a] || !rows_match(a, t) {
                continue;
            }
            s[a] = t;
            used[t] = true;
            if partial(s, a) && rows(a + 1, r, n, s, used, nodes, rows_match, partial, columns) {
                return true;
            }
            used[t] = false;
            s[a] = usize::MAX;
        }
        false
    }
    // With s fixed on 0..=a: the blocks among those of size > 1 must already fit.
    let partial = |s: &[usize], a: usize| {
        (0..=a).all(|x| {
            [(a, x), (x, a)].iter().all(|&(i, j)| {
                n[j] == 1.0
                    || fits(i, j, s[i], s[j], false)
                    || (n[j] == 2.0 && fits(i, j, s[i], s[j], true))
            })
        })
    };
    rows(
        0,
        r,
        n,
        &mut s,
        &mut used,
        &mut nodes,
        &rows_match,
        &partial,
        &columns,
    )
}

/// Exact: the global minimum W = I in the fixed space (`D = 1`, `O = X = 0`, loss 0).
fn global_minimum(part: &Partition) -> ScanPoint {
    ScanPoint {
        theta: part
            .params()
            .iter()
            .map(|p| if matches!(p, Param::D(_)) { 1.0 } else { 0.0 })
            .collect(),
        loss: 0.0,
        grad_norm: 0.0,
        kind: Kind::GlobalMinimum,
        hits: 1,
        spectrum: None,
        family: None,
        images: 0,
    }
}

/// Approximate: the named family a point of `part` is, comparing with the family's point
/// at the same d (embedded by refinement when the family's fixed space is coarser).
pub fn identify(part: &Partition, theta: &[f64]) -> Option<Family> {
    if !part.is_integral() {
        return None;
    }
    let d = part.d();
    Family::ALL.into_iter().find(|&fam| {
        if d < fam.min_d() as f64 {
            return false;
        }
        let Some(fp) = fam.partition(d) else {
            return false;
        };
        let refinement = if fp.sizes() == part.sizes() {
            None
        } else if fp.r() == 1 && part.sizes() == [d - 1.0, 1.0] {
            Some(Refinement::split(&fp, 0, &[d - 1.0, 1.0]).expect("valid split"))
        } else {
            return false;
        };
        let embed = |t: &[f64]| match &refinement {
            Some(r) => r.embed(t),
            None => t.to_vec(),
        };
        let Ok(loc) = families::locate(fam, d, Some(53)) else {
            return false;
        };
        let t: Vec<f64> = loc.found.theta.iter().map(|x| x.0.to_f64()).collect();
        embed(&t)
            .iter()
            .zip(theta)
            .all(|(a, b)| (a - b).abs() < 1e-6)
    })
}

/// Approximate: a random point whose rows have norm about 1: each parameter is normal with
/// variance 1 / (number of its entries in one row).
fn random_start(part: &Partition, rng: &mut SplitMix64) -> Vec<f64> {
    part.params()
        .iter()
        .map(|&p| {
            let per_row = match p {
                Param::D(_) => 1.0,
                Param::O(a) => part.sizes()[a] - 1.0,
                Param::X(_, b) => part.sizes()[b],
            };
            rng.normal() / per_row.sqrt()
        })
        .collect()
}
