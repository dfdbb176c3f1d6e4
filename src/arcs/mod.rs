//! Tangency arcs leaving a certified critical point (docs/arcs.md).
//!
//! - [`directions`]: the admissible Young arc types (component, axial isotropy, eigenvalue,
//!   sign), their leading cubic or quartic term (enclosed) and the leading-order
//!   prediction;
//! - [`trace`]: continuation of each arc inside its fixed space (approximate), to a
//!   critical point, a fold, the non-smooth set or a limit;
//! - [`tangency`]: certified tangency points at chosen radii and their proved types;
//! - [`full`]: the same tangency equations in the full `d x d` space for small d (no
//!   symmetry reduction), for cross-checks and non-Young directions.
//!
//! [`run`] strings them together for one critical point: every arc enumerated, traced,
//! certified at the requested radii, and its end (when a critical point) certified as
//! `certify` does, with its isotropy, loss and distance from the start enclosed.

pub mod directions;
pub mod ends;
pub mod full;
pub mod lattice;
pub mod leading;
pub mod leading_search;
pub mod space;
pub mod tangency;
pub mod trace;

use crate::arith::{Interval, Mpfr, Scalar};
use crate::model::partition::{Partition, Refinement};
use crate::prove::Certificate;
use crate::prove::{certify_point, NotCertified};
use crate::search::newton;
use directions::{ArcDirection, ArcType, Base, Rank};
use rayon::prelude::*;
use tangency::TangencyProof;
use trace::{EndKind, Trace, TraceOptions};

/// Options of an arcs run.
#[derive(Clone, Debug)]
pub struct ArcOptions {
    /// Full precision (bits): the critical point's certificate, and the tangency points that
    /// [`FAST_PREC`] does not decide.
    pub prec: u32,
    /// Radii (decimal strings) at which tangency points are certified; `None`: three radii
    /// per arc, 20%, 40% and 80% of `min(reach, 0.05 s)` where `reach` is how far the arc
    /// was traced and `s = min(1, sqrt(10/d))` the arc scale (two significant digits), so
    /// that arcs ending early are certified too and "small" follows the O(d^-1/2)
    /// eigenvalue gaps that shape the arcs near the critical point.
    pub radii: Option<Vec<String>>,
    /// Enumerate every axial Young subgroup (see [`directions::axes`]).
    pub all_axial: bool,
    /// Largest radius traced, as a multiple of `min(|C|_F, 32)` (the arcs' geometry near a
    /// minimum lives at distances O(1), whatever d; `|C|_F` grows like `sqrt(d)`).
    pub r_max_factor: f64,
    /// Step budget of each trace.
    pub max_steps: usize,
    /// Certify critical endpoints.
    pub certify_ends: bool,
    /// Only the arcs of the certified smallest and largest eigenvalues (the candidates for
    /// minimizing and maximizing arcs): every lattice type is enumerated with its certified
    /// leading coefficient, and of the smallest eigenvalue's directions only those that may
    /// be of rank 1 ([`select`], [`directions::Rank::may_be_first`]) are traced, unless
    /// `all_types`.
    pub extreme_only: bool,
    /// With `extreme_only`: trace every lattice type of the extreme eigenvalues, not only the
    /// rank-1 candidates.
    pub all_types: bool,
    /// Try [`FAST_PREC`] first for each tangency point (off: every point at `prec`, as
    /// certificate files want).
    pub fast_first: bool,
    /// Refuse a run that would enumerate more arc types than this ([`count_types`]).
    pub max_types: u128,
    /// Certify the turning points of fold ends ([`ends`]; 10-30 ms each). [`run`] switches
    /// it off for runs of more than [`FOLD_PROOF_MAX_ARCS`] arcs (their folds are then
    /// labelled approximate, "not attempted").
    pub prove_folds: bool,
}

/// Exact: the largest run (number of arcs) whose fold ends [`run`] certifies.
pub const FOLD_PROOF_MAX_ARCS: usize = 1000;

impl Default for ArcOptions {
    fn default() -> Self {
        ArcOptions {
            prec: 128,
            radii: None,
            all_axial: false,
            r_max_factor: 2.0,
            max_steps: 4000,
            certify_ends: true,
            extreme_only: false,
            all_types: false,
            fast_first: true,
            max_types: 20_000,
            prove_folds: true,
        }
    }
}

/// Exact: the precision every tangency point is first certified at; points whose box or
/// type is not proved there are certified again at the run's full precision.
pub const FAST_PREC: u32 = 64;

/// Exact: the default full precision of an arcs run at dimension `d` (the critical point's
/// certificate, and tangency points that 64 bits do not decide): 128 bits up to 10^7, 192
/// up to 10^10, 256 beyond. The loss loses about `2 log2 d` bits to cancellation, and the
/// tangency proof needs the critical point's box narrow against the O(d^-1/2) radii: at
/// 128 bits the proofs fail from d ~ 10^9 (measured), at 192 from d ~ 10^12.
pub fn auto_prec(d: f64) -> u32 {
    if d <= 1e7 {
        128
    } else if d <= 1e10 {
        192
    } else {
        256
    }
}

/// The end of a traced arc.
#[derive(Clone, Debug)]
pub struct End {
    /// How it ended.
    pub kind: EndKind,
    /// Approximate: the last radius reached.
    pub r: f64,
    /// Approximate: the loss there.
    pub loss: f64,
    /// For a critical point: its certificate (in its detected isotropy), or why not.
    pub critical: Option<Result<Certificate, EndFailure>>,
    /// Encloses: the distance `|W* - C|_F` from the start, for a certified end.
    pub distance: Option<Interval>,
    /// Exact: for a certified end, the block of its partition holding each block of the
    /// arc's fixed space (so its isotropy contains the arc's).
    pub parent: Option<Vec<usize>>,
    /// Encloses: for every end but a certified critical point, its certified turning point
    /// or last certified tangency point ([`ends::certify_end`]), or why none; `None` for a
    /// certified critical point, or when ends are not certified.
    pub certified: Option<Result<ends::EndProof, String>>,
}

/// One arc: direction, trace, certified points and end.
#[derive(Clone, Debug)]
pub struct ArcResult {
    /// The direction and its leading-order data.
    pub dir: ArcDirection,
    /// Approximate: the traced points.
    pub trace: Vec<ArcPoint>,
    /// The certified tangency points, one per radius asked for (or why it failed).
    pub certified: Vec<RadiusResult>,
    /// Approximate: the type seen by the f64 trace at its first point (the prediction when
    /// the leading order does not decide it).
    pub predicted: ArcType,
    /// The end.
    pub end: End,
}

/// Why the critical point an arc reaches was not certified.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EndFailure {
    /// mu changes sign along the trace, but Newton found no critical point there.
    #[error("mu changes sign, but Newton on the reduced gradient found no critical point at the crossing")]
    NotFound,
    /// The point was found but not certified.
    #[error("{0}")]
    NotCertified(NotCertified),
}

/// The outcome at one radius of an arc.
#[derive(Clone, Debug)]
pub struct RadiusResult {
    /// Exact: the radius, a decimal string.
    pub r: String,
    /// Encloses: the certified tangency point, or why none was certified (the arc's
    /// Newton failing, or the Krawczyk test; see [`tangency::TangencyFailure`]).
    pub proof: Result<TangencyProof, tangency::TangencyFailure>,
}

/// Approximate: a traced point of an arc.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArcPoint {
    /// Approximate: the radius `|W - C|_F`.
    pub r: f64,
    /// Approximate: the loss at the point.
    pub loss: f64,
    /// Approximate: the multiplier `mu` of `grad L = mu (W - C)`.
    pub mu: f64,
}

impl ArcResult {
    /// Exact: the type proved at the certified radii: `Some(t)` when at least one radius was
    /// certified and every certified radius proved `t` (radii that failed to certify are
    /// not counted; [`ArcResult::all_radii_proved`] says whether any failed).
    pub fn proved_type(&self) -> Option<ArcType> {
        let mut kinds = self
            .certified
            .iter()
            .filter_map(|x| x.proof.as_ref().ok().map(|p| p.kind));
        let first = kinds.next()?;
        kinds.all(|k| k == first).then_some(first)
    }

    /// Exact: whether every radius asked for was certified (whatever type it proved).
    pub fn all_radii_proved(&self) -> bool {
        !self.certified.is_empty() && self.certified.iter().all(|x| x.proof.is_ok())
    }
}

/// Exact: a printed claim of an arcs run that is not proved: a tangency point asked for
/// whose box or type was not certified, or a critical end that was not certified.
#[derive(Clone, Debug, PartialEq)]
pub struct Unproved {
    /// The arc's index in the run (0-based).
    pub arc: usize,
    /// What is not proved ("tangency point at r = 0.01", "critical end").
    pub what: String,
    /// Why.
    pub reason: String,
}

/// Exact: every claim of `results` that is printed but not proved ([`Unproved`]); a run
/// with any is inconclusive (exit 3), whatever else it certified. A fold or limit end
/// whose turning point or last point failed to certify is listed; a fold whose proof was
/// not attempted ([`ends::NOT_ATTEMPTED`], runs of more than [`FOLD_PROOF_MAX_ARCS`] arcs)
/// is labelled approximate by design, makes no claim, and is not.
pub fn unproved(results: &[ArcResult]) -> Vec<Unproved> {
    let mut out = Vec::new();
    for (arc, a) in results.iter().enumerate() {
        for x in &a.certified {
            let reason = match &x.proof {
                Err(e) => e.to_string(),
                Ok(p) if p.kind == ArcType::Inconclusive => {
                    "the box is certified but the type on the sphere is not decided".to_string()
                }
                Ok(_) => continue,
            };
            out.push(Unproved {
                arc,
                what: format!("tangency point at r = {}", x.r),
                reason,
            });
        }
        if let Some(Err(e)) = &a.end.critical {
            out.push(Unproved {
                arc,
                what: "critical end".into(),
                reason: e.to_string(),
            });
        }
        match &a.end.certified {
            Some(Err(e)) if e != ends::NOT_ATTEMPTED => out.push(Unproved {
                arc,
                what: format!("{} end", a.end.kind.name()),
                reason: e.clone(),
            }),
            _ => {}
        }
    }
    out
}

/// Exact: an upper bound on the number of arc types a run enumerates (component x axis x
/// eigenvalue x sign), computed without enumerating; [`run`] returns no arcs when it
/// exceeds `opts.max_types` (the CLI refuses such a run with one line first).
pub fn count_types(cert: &Certificate, opts: &ArcOptions) -> u128 {
    let part = &cert.partition;
    let kinds = directions::extreme_kinds(cert);
    cert.proof
        .components
        .iter()
        .map(|c| {
            let k = c.component.kind;
            let axes = if opts.extreme_only {
                if kinds.contains(&k) {
                    directions::extreme_axes(part, k).len() as u128
                } else {
                    0
                }
            } else {
                directions::axes_count(part, k, opts.all_axial)
                    + lattice::lattice_types(part, k).len() as u128
            };
            axes * c.component.copies as u128 * 2
        })
        .sum()
}

/// Exact: the arc scale `min(1, sqrt(10 / d))`: the eigenvalue gaps that shape the arcs
/// near a critical point shrink like d^-1/2, and so do the radii called small.
pub fn arc_scale(d: f64) -> f64 {
    (10.0 / d).sqrt().min(1.0)
}

/// Approximate: a traced point `(r, L, mu, theta, mu)` with the point in MPFR.
type Traced = (f64, f64, f64, Vec<Mpfr>, Mpfr);

/// Approximate: `|C|_F` of the base point.
fn frobenius(part: &Partition, theta: &[Mpfr]) -> f64 {
    part.params()
        .iter()
        .zip(theta)
        .map(|(&p, t)| part.weight_f64(p) * t.approx_f64().powi(2))
        .sum::<f64>()
        .sqrt()
}

/// Encloses (the certified points) and approximate (the traces): Run everything for one certified critical point (see the module doc).
pub fn run(cert: &Certificate, opts: &ArcOptions) -> Vec<ArcResult> {
    run_with_progress(cert, opts, &|_| {})
}

/// Encloses and approximate, as [`run`]: [`run`], calling `progress(total)` once before and `progress(0)` after each arc.
pub fn run_with_progress(
    cert: &Certificate,
    opts: &ArcOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<ArcResult> {
    let dirs = select(directions_for(cert, opts), opts);
    run_directions(cert, dirs, opts, progress)
}

/// Approximate (the directions) with enclosed leading terms: every direction a run with
/// `opts` enumerates, before [`select`] (empty when the count exceeds `opts.max_types`).
pub fn directions_for(cert: &Certificate, opts: &ArcOptions) -> Vec<ArcDirection> {
    listing_for(cert, opts, &|_, _| {}).directions
}

/// Approximate, as [`directions_for`], calling `progress(done, total)` after each of the
/// `total` axes enumerated (the count is checked against `opts.max_types` first, so a
/// refused run enumerates nothing).
pub fn directions_for_with_progress(
    cert: &Certificate,
    opts: &ArcOptions,
    progress: &dyn Fn(usize, usize),
) -> Vec<ArcDirection> {
    listing_for(cert, opts, progress).directions
}

/// Approximate (the directions) with enclosed leading terms: [`directions_for`], with the
/// types for which no direction could be built ([`directions::Enumeration::omitted`]),
/// calling `progress(done, total)` after each axis.
pub fn listing_for(
    cert: &Certificate,
    opts: &ArcOptions,
    progress: &dyn Fn(usize, usize),
) -> directions::Enumeration {
    let empty = directions::Enumeration {
        directions: Vec::new(),
        omitted: Vec::new(),
    };
    let Some(base) = Base::new(cert) else {
        return empty;
    };
    if count_types(cert, opts) > opts.max_types {
        return empty;
    }
    let part = &cert.partition;
    let mut listing = if opts.extreme_only {
        let kinds = directions::extreme_kinds(cert);
        directions::enumerate_listing(
            &base,
            &|k| {
                if kinds.contains(&k) {
                    directions::extreme_axes(part, k)
                } else {
                    vec![]
                }
            },
            progress,
        )
    } else {
        directions::enumerate_listing(
            &base,
            &|k| directions::default_types(part, k, opts.all_axial),
            progress,
        )
    };
    if opts.extreme_only {
        listing
            .directions
            .retain(|d| d.extreme != directions::Extreme::Neither);
        listing
            .omitted
            .retain(|d| d.extreme != directions::Extreme::Neither);
    }
    listing
}

/// Exact (given the enclosures): the ranks of `dirs` among the smallest eigenvalue's
/// directions ([`directions::rank_coefficients`]), with `omitted` more types of the
/// smallest eigenvalue that have no coefficient (they leave every rank undecided); `None`
/// for the other directions.
fn smallest_ranks(dirs: &[&ArcDirection], omitted: usize) -> Vec<Option<Rank>> {
    let smallest: Vec<&ArcDirection> = dirs
        .iter()
        .copied()
        .filter(|d| d.extreme == directions::Extreme::Smallest)
        .collect();
    let mut inputs = directions::rank_inputs(&smallest);
    inputs.extend((0..omitted).map(|_| directions::RankInput {
        coefficient: Err("no direction was built".into()),
        twin: None,
    }));
    let mut ranks = directions::rank_coefficients(&inputs).into_iter();
    dirs.iter()
        .map(|d| {
            (d.extreme == directions::Extreme::Smallest)
                .then(|| ranks.next().expect("one rank per smallest direction"))
        })
        .collect()
}

/// Exact (given the enclosures): the candidates for the minimizing arc: the smallest
/// eigenvalue's directions of `listing`, each with its rank by certified leading
/// coefficient (best first; certified ranks, then undecided ranges, then the unranked),
/// the smallest eigenvalue's types with no direction, and why the list is not every
/// lattice type with at most [`lattice::MAX_SPLIT`] points split off (empty when it is).
pub fn smallest_candidates<'a>(
    cert: &Certificate,
    listing: &'a directions::Enumeration,
) -> Candidates<'a> {
    let omitted: Vec<&directions::Omitted> = listing
        .omitted
        .iter()
        .filter(|o| o.extreme == directions::Extreme::Smallest)
        .collect();
    let all: Vec<&ArcDirection> = listing.directions.iter().collect();
    let mut listed: Vec<Candidate> = all
        .iter()
        .zip(smallest_ranks(&all, omitted.len()))
        .filter_map(|(dir, rank)| Some(Candidate { dir, rank: rank? }))
        .collect();
    listed.sort_by_key(|c| match &c.rank {
        Rank::Certified(n) => (*n, 0),
        Rank::NotSeparated { lowest, .. } => (*lowest, 1),
        Rank::NotRanked { .. } => (usize::MAX, 2),
    });
    let min = &cert.proof.min_eigenvalue;
    let mut incomplete = Vec::new();
    if !min.separated {
        incomplete.push(
            "the smallest eigenvalue is not separated from the others (no component holds it certainly)"
                .to_string(),
        );
    } else {
        incomplete.extend(lattice::lattice_listing(&cert.partition, min.kind).incomplete);
    }
    Candidates {
        listed,
        omitted,
        incomplete,
    }
}

/// Exact (given the enclosures): the candidates for the minimizing arc
/// ([`smallest_candidates`]).
#[derive(Clone, Debug)]
pub struct Candidates<'a> {
    /// The smallest eigenvalue's directions, ranked, best first.
    pub listed: Vec<Candidate<'a>>,
    /// Exact: the smallest eigenvalue's types for which no direction was built, and why.
    pub omitted: Vec<&'a directions::Omitted>,
    /// Exact: why the list is not every lattice type with at most
    /// [`lattice::MAX_SPLIT`] points split off (empty when it is).
    pub incomplete: Vec<String>,
}

impl Candidates<'_> {
    /// Exact: how many directions are listed, and how many of them have a certified
    /// leading coefficient.
    pub fn counts(&self) -> (usize, usize) {
        let certified = self
            .listed
            .iter()
            .filter(|c| c.dir.certified_leading.is_ok())
            .count();
        (self.listed.len(), certified)
    }

    /// Exact (given the enclosures): the certified minimizing candidates: the directions
    /// of certified rank 1, when the list is every lattice type (nothing omitted, nothing
    /// incomplete); `None` otherwise. A certified rank 1 is proved against every listed
    /// type (every other coefficient certified and certainly above, or its twin).
    pub fn certified_minimizing(&self) -> Option<Vec<&Candidate<'_>>> {
        if !self.omitted.is_empty() || !self.incomplete.is_empty() {
            return None;
        }
        let best: Vec<&Candidate> = self
            .listed
            .iter()
            .filter(|c| c.rank == Rank::Certified(1))
            .collect();
        (!best.is_empty()).then_some(best)
    }
}

/// Exact (given the enclosures): a direction of the smallest eigenvalue and its rank.
#[derive(Clone, Debug)]
pub struct Candidate<'a> {
    /// The direction, with its certified leading coefficient.
    pub dir: &'a ArcDirection,
    /// Exact (given the enclosures): its rank among the listed directions.
    pub rank: Rank,
}

/// Exact: the directions a run traces: with `extreme_only` and not `all_types`, of the
/// smallest eigenvalue only those that may be of rank 1 ([`Rank::may_be_first`]: certified
/// rank 1, an undecided range from 1, or not ranked); otherwise all.
pub fn select(dirs: Vec<ArcDirection>, opts: &ArcOptions) -> Vec<ArcDirection> {
    if !opts.extreme_only || opts.all_types {
        return dirs;
    }
    let ranks = smallest_ranks(&dirs.iter().collect::<Vec<_>>(), 0);
    dirs.into_iter()
        .zip(ranks)
        .filter(|(_, r)| r.as_ref().is_none_or(Rank::may_be_first))
        .map(|(d, _)| d)
        .collect()
}

/// Encloses (the certified points) and approximate (the traces): trace and certify the
/// given directions (from [`directions_for`] and [`select`]); `progress` as in
/// [`run_with_progress`].
pub fn run_directions(
    cert: &Certificate,
    dirs: Vec<ArcDirection>,
    opts: &ArcOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<ArcResult> {
    let Some(base) = Base::new(cert) else {
        return Vec::new();
    };
    progress(dirs.len());
    let mut opts = opts.clone();
    opts.prove_folds &= dirs.len() <= FOLD_PROOF_MAX_ARCS;
    let opts = &opts;
    let scale = frobenius(&cert.partition, &base.theta_c).clamp(1.0, 32.0);
    dirs.into_par_iter()
        .map(|dir| {
            let r = run_one(&base, dir, scale, opts);
            progress(0);
            r
        })
        .collect()
}

fn run_one(base: &Base, dir: ArcDirection, scale: f64, opts: &ArcOptions) -> ArcResult {
    let cert = base.cert;
    let part = &cert.partition;
    let refine = dir.axis.refinement(part);
    let embed_mp = |x: &[Mpfr]| -> Vec<Mpfr> {
        match &refine {
            Some(r) => r.embed(x),
            None => x.to_vec(),
        }
    };
    let embed_iv = |x: &[Interval]| -> Vec<Interval> {
        match &refine {
            Some(r) => r.embed(x),
            None => x.to_vec(),
        }
    };
    let c_fine_mp = embed_mp(&base.theta_c);
    let c_fine_box = embed_iv(&base.c_box);
    // The arc's own coordinates (tied into H-orbits for a non-Young type; the critical
    // point, fixed by the whole coarse isotropy, is H-invariant, so restricting is exact).
    let space = &dir.space;
    let c_phi_mp = space.restrict(&c_fine_mp);
    let c_phi_box = space.restrict(&c_fine_box);
    let topts = TraceOptions {
        loss_max: 1e6 * (1.0 + cert.proof.loss.mid().to_f64().abs()),
        r0: 1e-3 * arc_scale(part.d()),
        r_max: opts.r_max_factor * scale,
        dr_max: 0.05 * scale,
        max_steps: opts.max_steps,
    };
    let lambda = dir.lambda.mid().to_f64();
    let cubic = match &dir.leading {
        directions::Leading::Cubic(c) | directions::Leading::Undetermined(c) => c.mid().to_f64(),
        directions::Leading::Quartic(_) => 0.0,
    };
    // Trace in f64 up to d = trace::F64_MAX_D, in MPFR beyond.
    let d = part.d();
    let (points, end_kind, critical_theta): (Vec<Traced>, EndKind, Option<Vec<f64>>) =
        if d <= trace::F64_MAX_D {
            let c: Vec<f64> = c_phi_mp.iter().map(|x| x.approx_f64()).collect();
            let u: Vec<f64> = space
                .restrict(&dir.u)
                .iter()
                .map(|x| x.approx_f64())
                .collect();
            let t: Trace<f64> = trace::trace(space, &c, &u, lambda, cubic, &topts);
            let pts = t
                .points
                .iter()
                .map(|p| {
                    (
                        p.r,
                        p.loss,
                        p.mu,
                        p.theta
                            .iter()
                            .map(|&x| Mpfr::from_f64(opts.prec, x))
                            .collect(),
                        Mpfr::from_f64(opts.prec, p.mu),
                    )
                })
                .collect();
            (pts, t.end, t.critical)
        } else {
            let p = newton::auto_prec(d);
            let c: Vec<Mpfr> = c_phi_mp
                .iter()
                .map(|x| Mpfr(rug::Float::with_val(p, &x.0)))
                .collect();
            let u: Vec<Mpfr> = space
                .restrict(&dir.u)
                .iter()
                .map(|x| Mpfr(rug::Float::with_val(p, &x.0)))
                .collect();
            let t: Trace<Mpfr> = trace::trace(space, &c, &u, lambda, cubic, &topts);
            let pts = t
                .points
                .iter()
                .map(|q| {
                    (
                        q.r,
                        q.loss,
                        q.mu.approx_f64(),
                        q.theta.clone(),
                        q.mu.clone(),
                    )
                })
                .collect();
            let crit = t
                .critical
                .map(|v| v.iter().map(|x| x.approx_f64()).collect());
            (pts, t.end, crit)
        };
    let trace_out: Vec<ArcPoint> = points
        .iter()
        .map(|p| ArcPoint {
            r: p.0,
            loss: p.1,
            mu: p.2,
        })
        .collect();
    // The prediction: the leading order when it decides; otherwise the type of the
    // approximate tangency point at the first traced radius, evaluated at 64 bits (an
    // approximation: the point itself is not certified).
    let predicted = match (dir.predicted, points.first()) {
        (Some(p), _) => p,
        (None, Some(first)) => {
            let x: Vec<Interval> = space
                .embed(&first.3)
                .iter()
                .map(|t| Interval::from_float(64, &t.0).expect("finite"))
                .collect();
            let mu = Interval::from_float(64, &first.4 .0).expect("finite");
            let c: Vec<Interval> = c_fine_mp
                .iter()
                .map(|t| Interval::from_float(64, &t.0).expect("finite"))
                .collect();
            tangency::arc_type(&space.fine, &x, &mu, &c).0
        }
        (None, None) => ArcType::Inconclusive,
    };
    // Certify at the requested radii, starting Newton from the traced points interpolated
    // linearly at r.
    let reach = points.last().map_or(0.0, |p| p.0);
    let radii: Vec<String> = match &opts.radii {
        Some(r) => r.clone(),
        None => [0.2, 0.4, 0.8]
            .iter()
            .map(|f| format!("{:.1e}", f * reach.min(0.05 * arc_scale(part.d()))))
            .collect(),
    };
    let mut certified = Vec::new();
    for r in &radii {
        let rv: f64 = r.parse().unwrap_or(f64::NAN);
        let Some(k) = points.windows(2).position(|w| w[0].0 <= rv && rv <= w[1].0) else {
            let first = points.first().map_or(f64::NAN, |p| p.0);
            // NaN compares false both ways: an unparsable radius is reported as not reached.
            let failure = if rv < first {
                tangency::TangencyFailure::BelowTrace { first }
            } else {
                tangency::TangencyFailure::NotReached {
                    reach,
                    end: end_kind.name(),
                }
            };
            certified.push(RadiusResult {
                r: r.clone(),
                proof: Err(failure),
            });
            continue;
        };
        let (a, b) = (&points[k], &points[k + 1]);
        let t = if b.0 > a.0 {
            (rv - a.0) / (b.0 - a.0)
        } else {
            0.0
        };
        let lerp = |x: &Mpfr, y: &Mpfr| -> Mpfr {
            let x = Mpfr(rug::Float::with_val(opts.prec, &x.0));
            let y = Mpfr(rug::Float::with_val(opts.prec, &y.0));
            x.clone() + Mpfr::from_f64(opts.prec, t) * (y - x)
        };
        let theta0: Vec<Mpfr> = a.3.iter().zip(&b.3).map(|(x, y)| lerp(x, y)).collect();
        let mu0 = lerp(&a.4, &b.4);
        // First at 64 bits (enough for most points); again at the full precision when the
        // box could not be proved or the type not decided there.
        let attempt = |prec: u32| {
            let c: Vec<Mpfr> = c_phi_mp
                .iter()
                .map(|x| Mpfr(rug::Float::with_val(prec, &x.0)))
                .collect();
            let c_box: Vec<Interval> = c_phi_box.iter().map(|x| x.with_prec(prec)).collect();
            let t: Vec<Mpfr> = theta0
                .iter()
                .map(|x| Mpfr(rug::Float::with_val(prec, &x.0)))
                .collect();
            let m = Mpfr(rug::Float::with_val(prec, &mu0.0));
            tangency::certify_tangency_point(space, &c, &c_box, &t, &m, r, prec)
        };
        let first = if opts.fast_first {
            FAST_PREC.min(opts.prec)
        } else {
            opts.prec
        };
        let mut res = attempt(first);
        let undecided = |x: &Result<TangencyProof, tangency::TangencyFailure>| {
            x.as_ref().map_or(true, |p| p.kind == ArcType::Inconclusive)
        };
        if undecided(&res) && opts.prec > first {
            res = attempt(opts.prec);
        }
        certified.push(RadiusResult {
            r: r.clone(),
            proof: res,
        });
    }
    let last = points.last();
    let mut end = End {
        kind: end_kind,
        r: last.map_or(0.0, |p| p.0),
        loss: last.map_or(f64::NAN, |p| p.1),
        critical: None,
        distance: None,
        parent: None,
        certified: None,
    };
    if let (EndKind::CriticalPoint, None) = (end_kind, &critical_theta) {
        end.critical = Some(Err(EndFailure::NotFound));
    }
    if let (EndKind::CriticalPoint, Some(th), true) = (end_kind, &critical_theta, opts.certify_ends)
    {
        let (refi, coarse) = Refinement::coarsest(&space.fine, &space.embed(th), 1e-8);
        let approx: Vec<Mpfr> = coarse.iter().map(|&x| Mpfr::from_f64(53, x)).collect();
        match certify_point(None, &refi.coarse, &approx, opts.prec) {
            Ok(c) => {
                end.distance = distance(&space.fine, &refi, &c, &c_fine_box);
                end.parent = Some(refi.parent.clone());
                end.loss = c.proof.loss.mid().to_f64();
                end.critical = Some(Ok(c));
            }
            Err(e) => end.critical = Some(Err(EndFailure::NotCertified(e))),
        }
    }
    if opts.certify_ends {
        let tp: Vec<ends::TracedPoint> = points
            .iter()
            .map(|p| ends::TracedPoint {
                r: p.0,
                theta: &p.3,
                mu: &p.4,
            })
            .collect();
        let certify = |theta: &[Mpfr], mu: &Mpfr, r: &str, prec: u32| {
            let at = |x: &Mpfr| Mpfr(rug::Float::with_val(prec, &x.0));
            let c: Vec<Mpfr> = c_phi_mp.iter().map(at).collect();
            let c_box: Vec<Interval> = c_phi_box.iter().map(|x| x.with_prec(prec)).collect();
            let t: Vec<Mpfr> = theta.iter().map(at).collect();
            tangency::certify_tangency_point(space, &c, &c_box, &t, &at(mu), r, prec)
        };
        let mut precs = vec![FAST_PREC.min(opts.prec), opts.prec];
        precs.dedup();
        let done = matches!(end.critical, Some(Ok(_)));
        end.certified = ends::certify_end(
            space,
            end.kind,
            done,
            opts.prove_folds,
            &c_phi_mp,
            &c_phi_box,
            &tp,
            &precs,
            &certify,
        );
    }
    ArcResult {
        dir,
        trace: trace_out,
        certified,
        predicted,
        end,
    }
}

/// Encloses: `|W* - C|_F` for the end's certified box and the start's box (both in the
/// arc's fixed space).
fn distance(
    fine: &Partition,
    refi: &Refinement,
    end: &Certificate,
    c_fine_box: &[Interval],
) -> Option<Interval> {
    let star = refi.embed(&end.proof.krawczyk_box);
    let w = fine.weights(&star[0]);
    let mut acc = star[0].cst(0.0);
    for p in 0..fine.dim() {
        let diff = star[p].clone().with_prec(star[0].precision())
            - c_fine_box[p].clone().with_prec(star[0].precision());
        acc = acc + w[p].clone() * diff.sqr();
    }
    acc.sqrt_nonneg()
}
