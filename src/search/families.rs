//! The named families of critical points (docs/families.md) and how to reach them at any d.
//!
//! I and II live in `Fix(Δ(S_{d-1} x S_1))` with coordinates `(a, b, c, e, f) =
//! (D1, O1, X12, X21, D2)`; IIsym lives in `Fix(ΔS_d)` with `(a, b) = (D1, O1)`. A family
//! is *defined* by its branch: the asymptotic starting point below, refined by Newton at
//! large d, and continued in d (real steps) down to small d. The asymptotics were
//! identified numerically by `tools/reference.py` (limits of the scaled coordinates, to
//! about 14 digits):
//!
//! - I: `a = 1 + (8/pi)/d^2`, `b = -(4/pi)/d^2`, `c = 2/d`, `e = (4/pi)/d`,
//!   `f = -1 + (2 + 8/pi + 8/pi^2)/d`;
//! - II: `a = -1 + 2/d`, `b = 2/d`, `c = -(12/pi - 16/pi^2)/d^2`, `e = (2 - 4/pi)/d`,
//!   `f = 1 + (8/pi - 8/pi^2)/d`;
//! - IIsym: `a = -1 + 2/d`, `b = 2/d`.
//!
//! Corrections are O(d^{-1/2}) relative, so Newton converges from these for d >= 200;
//! below, the branch is followed by continuation.
//!
//! The two-block members `flip(p)` (`flip(p)#k` for the k-th by loss when one fixed space
//! holds several) live in `Fix(Δ(S_{d-p} x S_p))` (`Fix(ΔS_d)` at p = d) and are defined by
//! the seeded multi-start search of [`crate::search::flip`], not by a branch; their
//! coordinates are the layout's (`D1, O1, X12, D2, O2, X21`). `flip(1)` is I, `flip(d-1)` is
//! II up to the order of the blocks, and `flip(d)` is IIsym (docs/families.md).
//! Everything here is **approximate**.

use crate::arith::Mpfr;
use crate::model::partition::{Param, Partition};
use crate::search::newton::{self, Found, NewtonError};
use std::f64::consts::PI;

/// A named family of critical points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Type I ("type A"): found by SGD, loss -> 0.
    I,
    /// Type II (hidden), same isotropy as I, loss -> 1/2 - 1/pi.
    II,
    /// The hidden family with full isotropy ΔS_d.
    IIsym,
    /// A two-block point with `p` flipped neurons ([`crate::search::flip`]).
    Flip(Flip),
}

/// Exact: the name of a two-block flip point: `p` flipped neurons, the `rank`-th point of
/// its fixed space by loss (`flip(p)` is rank 1, `flip(p)#k` rank k).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Flip {
    /// Exact: the number of flipped neurons (the size of the second block), `>= 1`.
    pub p: u64,
    /// Exact: the rank by loss in the fixed space, `>= 1`.
    pub rank: u32,
}

impl Flip {
    /// Exact: `flip(p)` or `flip(p)#rank`.
    pub fn name(self) -> String {
        if self.rank == 1 {
            format!("flip({})", self.p)
        } else {
            format!("flip({})#{}", self.p, self.rank)
        }
    }

    /// Exact: parse `flip:P`, `flip:P#K`, `flip(P)` or `flip(P)#K` (case-insensitive);
    /// `Err` says what is wrong with a string that starts with `flip`, `Ok(None)` when
    /// it does not.
    pub fn parse(s: &str) -> Result<Option<Flip>, String> {
        let lower = s.trim().to_ascii_lowercase();
        let Some(rest) = lower.strip_prefix("flip") else {
            return Ok(None);
        };
        let (num, rank) = match rest.split_once('#') {
            Some((n, k)) => (n, Some(k)),
            None => (rest, None),
        };
        let num = if let Some(n) = num.strip_prefix(':') {
            n
        } else if let Some(n) = num.strip_prefix('(').and_then(|n| n.strip_suffix(')')) {
            n
        } else {
            return Err("write flip:P (or flip:P#K)".into());
        };
        let p: u64 = num
            .trim()
            .parse()
            .map_err(|_| format!("p = '{num}' is not a positive integer (p must be 1..=d)"))?;
        if p == 0 {
            return Err("p = 0: p must be 1..=d".into());
        }
        let rank = match rank {
            None => 1,
            Some(k) => match k.trim().parse::<u32>() {
                Ok(k) if k >= 1 => k,
                _ => return Err(format!("rank #{k} is not a positive integer")),
            },
        };
        Ok(Some(Flip { p, rank }))
    }
}

/// Where continuation starts when the target d is smaller.
const D_START: f64 = 200.0;

impl Family {
    /// Exact: all families.
    pub const ALL: [Family; 3] = [Family::I, Family::II, Family::IIsym];

    /// Exact: the family's name as the CLI spells it (`flip(p)`, `flip(p)#k` for the
    /// two-block members).
    pub fn name(self) -> String {
        match self {
            Family::I => "I".into(),
            Family::II => "II".into(),
            Family::IIsym => "IIsym".into(),
            Family::Flip(f) => f.name(),
        }
    }

    /// Exact: parse a family name (case-insensitive), including `flip:p`, `flip:p#k` and
    /// the names `flip(p)`, `flip(p)#k`.
    pub fn parse(s: &str) -> Option<Family> {
        Family::parse_or_reason(s).ok()
    }

    /// Exact: [`Family::parse`], with the reason when `s` is not a family.
    pub fn parse_or_reason(s: &str) -> Result<Family, String> {
        match s.to_ascii_lowercase().as_str() {
            "i" | "1" | "a" | "typei" => Ok(Family::I),
            "ii" | "2" | "typeii" => Ok(Family::II),
            "iisym" | "ii-sym" | "ii_sym" => Ok(Family::IIsym),
            _ => match Flip::parse(s)? {
                Some(f) => Ok(Family::Flip(f)),
                None => Err("unknown family".into()),
            },
        }
    }

    /// Exact: the smallest d at which relucert follows the branch. I and IIsym reach d = 3
    /// (where they are the same point up to permuting rows and columns); as d decreases to
    /// 3, II converges to a permutation matrix (a global minimum, on the non-smooth set,
    /// loss -> 0), so it is followed for d >= 4 only.
    /// `flip(p)` needs `d >= p` (and d >= 3).
    pub fn min_d(self) -> u64 {
        match self {
            Family::I => 3,
            Family::II => 4,
            Family::IIsym => 3,
            Family::Flip(f) => f.p.max(3),
        }
    }

    /// Exact: the first integer d at which the point is a strict local minimum
    /// (docs/families.md); `None` for the flip members, where no such d is stated.
    pub fn minimum_from(self) -> Option<u64> {
        match self {
            Family::I => Some(6),
            Family::II => Some(7),
            Family::IIsym => Some(6),
            Family::Flip(_) => None,
        }
    }

    /// Exact: the family's fixed space at dimension d (block sizes may be real); `None`
    /// unless every block size is positive (d > 1) and finite.
    pub fn partition(self, d: f64) -> Option<Partition> {
        let sizes = match self {
            Family::I | Family::II => vec![d - 1.0, 1.0],
            Family::IIsym => vec![d],
            Family::Flip(f) => return crate::search::flip::flip_partition(d, f.p),
        };
        Partition::new(sizes)
    }

    /// Exact: the family's coordinate names with the parameters they stand for, in the
    /// order the family is written (for the flip members, which are written in layout
    /// order, the layout's parameters named as the layout names them).
    pub fn coordinates(self, part: &Partition) -> Vec<(String, Param)> {
        let named =
            |v: Vec<(&str, Param)>| v.into_iter().map(|(n, p)| (n.to_string(), p)).collect();
        match self {
            Family::Flip(_) => part.params().iter().map(|&p| (part.name(p), p)).collect(),
            Family::I | Family::II => named(vec![
                ("a", Param::D(0)),
                ("b", Param::O(0)),
                ("c", Param::X(0, 1)),
                ("e", Param::X(1, 0)),
                ("f", Param::D(1)),
            ]),
            Family::IIsym => named(vec![("a", Param::D(0)), ("b", Param::O(0))]),
        }
    }

    /// Approximate: the asymptotic point at dimension d, in layout order (`None` when
    /// the family has no fixed space at d, and for the flip members, which have no
    /// stated asymptotics).
    pub fn asymptotic(self, d: f64) -> Option<Vec<f64>> {
        let part = self.partition(d)?;
        let vals: Vec<f64> = match self {
            Family::I => vec![
                1.0 + 8.0 / PI / (d * d),
                -4.0 / PI / (d * d),
                2.0 / d,
                4.0 / PI / d,
                -1.0 + (2.0 + 8.0 / PI + 8.0 / (PI * PI)) / d,
            ],
            Family::II => vec![
                -1.0 + 2.0 / d,
                2.0 / d,
                -(12.0 / PI - 16.0 / (PI * PI)) / (d * d),
                (2.0 - 4.0 / PI) / d,
                1.0 + (8.0 / PI - 8.0 / (PI * PI)) / d,
            ],
            Family::IIsym => vec![-1.0 + 2.0 / d, 2.0 / d],
            Family::Flip(_) => return None,
        };
        Some(self.to_layout(&part, &vals))
    }

    /// Exact: reorder values given in the family's coordinate order into layout order.
    pub fn to_layout<T: Clone>(self, part: &Partition, vals: &[T]) -> Vec<T> {
        let coords = self.coordinates(part);
        let mut out: Vec<Option<T>> = vec![None; part.dim()];
        for ((_, p), v) in coords.iter().zip(vals) {
            out[part.index(*p).expect("family parameter exists")] = Some(v.clone());
        }
        out.into_iter()
            .map(|v| v.expect("every layout slot named"))
            .collect()
    }

    /// Exact: values in layout order as (name, value) pairs in the family's order.
    pub fn named<T: Clone>(self, part: &Partition, theta: &[T]) -> Vec<(String, T)> {
        self.coordinates(part)
            .into_iter()
            .map(|(n, p)| {
                (
                    n,
                    theta[part.index(p).expect("family parameter exists")].clone(),
                )
            })
            .collect()
    }
}

/// Approximate: a located family point.
#[derive(Clone, Debug)]
pub struct Located {
    /// The family.
    pub family: Family,
    /// Its fixed space.
    pub partition: Partition,
    /// The point (layout order) and Newton's report.
    pub found: Found<Mpfr>,
    /// Precision used in bits (53 = f64).
    pub prec: u32,
}

/// Approximate: the family's critical point at dimension `d` (integer or real) at
/// precision `prec` (`None`: [`newton::auto_prec`]).
pub fn locate(family: Family, d: f64, prec: Option<u32>) -> Result<Located, NewtonError> {
    if let Family::Flip(f) = family {
        let q = crate::search::flip::locate(d, f.p, f.rank, prec)?;
        return Ok(Located {
            family,
            partition: q.partition,
            found: q.found,
            prec: q.prec,
        });
    }
    let prec = prec.unwrap_or_else(|| newton::auto_prec(d));
    let theta = if d >= D_START {
        branch_point_large(family, d)?
    } else {
        continue_down(family, d)?
    };
    let part = family.partition(d).ok_or(NewtonError::Dimension(d))?;
    let found = if prec == 53 {
        newton::newton_at_prec(&part, &theta, 53)?
    } else {
        newton::newton_at_prec(&part, &theta, prec)?
    };
    Ok(Located {
        family,
        partition: part,
        found,
        prec,
    })
}

/// Approximate (f64): a start near the branch at large d; Newton in f64 up to d = 1000,
/// beyond that the asymptotic point itself (accurate to O(d^{-3/2}) absolute), which the
/// caller's high-precision Newton refines.
fn branch_point_large(family: Family, d: f64) -> Result<Vec<f64>, NewtonError> {
    let part = family.partition(d).ok_or(NewtonError::Dimension(d))?;
    let start = family.asymptotic(d).ok_or(NewtonError::Dimension(d))?;
    if d > 1000.0 {
        return Ok(start);
    }
    Ok(newton::newton(&part, start)?.theta)
}

/// Approximate (f64): continuation from d = 200 down to `d`, in real steps, with a secant
/// predictor and step halving.
fn continue_down(family: Family, d: f64) -> Result<Vec<f64>, NewtonError> {
    let mut cur_d = D_START;
    let at = |d: f64| family.partition(d).ok_or(NewtonError::Dimension(d));
    let start = family
        .asymptotic(cur_d)
        .ok_or(NewtonError::Dimension(cur_d))?;
    let mut cur = newton::newton(&at(cur_d)?, start)?.theta;
    let mut prev: Option<(f64, Vec<f64>)> = None;
    let mut step = 0.1 * cur_d;
    while cur_d > d {
        let next_d = (cur_d - step).max(d);
        let guess: Vec<f64> = match &prev {
            Some((pd, pt)) => {
                let s = (next_d - cur_d) / (cur_d - pd);
                cur.iter().zip(pt).map(|(c, p)| c + s * (c - p)).collect()
            }
            None => cur.clone(),
        };
        match newton::newton(&at(next_d)?, guess) {
            Ok(f) if close(&f.theta, &cur, next_d) => {
                prev = Some((cur_d, std::mem::replace(&mut cur, f.theta)));
                cur_d = next_d;
                step = (step * 1.5).min(0.1 * cur_d.max(10.0));
            }
            _ => {
                step *= 0.5;
                if step < 1.0 / 256.0 {
                    return Err(NewtonError::LostBranch(cur_d));
                }
            }
        }
    }
    Ok(cur)
}

/// Approximate: whether a continuation step stayed on the branch (no jump to another point).
fn close(a: &[f64], b: &[f64], d: f64) -> bool {
    let tol = 0.5 * (1.0 + 5.0 / d);
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < tol)
}

/// Exact: coordinate names with their layout positions (family order, or layout order
/// with generic names for a plain partition).
pub fn coordinate_names(family: Option<Family>, part: &Partition) -> Vec<(String, usize)> {
    match family {
        Some(f) => f
            .coordinates(part)
            .into_iter()
            .map(|(n, p)| (n, part.index(p).expect("family parameter")))
            .collect(),
        None => part
            .params()
            .iter()
            .enumerate()
            .map(|(i, &p)| (part.name(p), i))
            .collect(),
    }
}

/// Exact: how output names a point: `family II`, or `critical point` for an unnamed one.
pub fn point_label(family: Option<Family>) -> String {
    family.map_or_else(
        || "critical point".into(),
        |f| format!("family {}", f.name()),
    )
}
