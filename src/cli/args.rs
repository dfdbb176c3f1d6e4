//! Validation of user input: every check names the input and what is accepted, and none
//! panics.

use relucert::error::{Error, Result};
use relucert::model::partition::{Partition, MAX_D};
use relucert::search::families::Family;
use relucert::search::locate::{locate_point, PointSpec};

/// Exact: parse `--d`: a number (`1000`, `1e6`, `6.5`) with `3 <= d <= 10^12`.
pub fn parse_d(s: &str) -> Result<f64> {
    let accepted = "a number with 3 <= d <= 1e12 (e.g. 1000, 1e6; real values only where noted)";
    let d: f64 = s
        .trim()
        .parse()
        .map_err(|_| Error::bad_input(format!("--d {s}"), "not a number", accepted))?;
    if !d.is_finite() {
        return Err(Error::bad_input(
            format!("--d {s}"),
            "not a finite number",
            accepted,
        ));
    }
    if d < 3.0 {
        return Err(Error::bad_input(
            format!("--d {s}"),
            "d is below 3",
            accepted,
        ));
    }
    if d > MAX_D {
        return Err(Error::bad_input(
            format!("--d {s}"),
            "d is above 1e12",
            accepted,
        ));
    }
    Ok(d)
}

/// Exact: parse `--family`.
pub fn parse_family(s: &str) -> Result<Family> {
    Family::parse(s)
        .ok_or_else(|| Error::bad_input(format!("--family {s}"), "unknown family", "I, II, IIsym"))
}

/// Exact: check that a family supports dimension `d`.
pub fn check_family_d(family: Family, d: f64, raw: &str) -> Result<()> {
    if d < family.min_d() as f64 {
        return Err(Error::bad_input(
            format!("--d {raw}"),
            format!(
                "family {} is followed for d >= {} only",
                family.name(),
                family.min_d()
            ),
            format!("d >= {} for family {}", family.min_d(), family.name()),
        ));
    }
    Ok(())
}

/// Exact: parse `--partition n1,n2,...` (positive integers; their sum is d, 3..1e12).
pub fn parse_partition(s: &str) -> Result<Partition> {
    let accepted = "comma-separated positive integers summing to d, 3 <= d <= 1e12 (e.g. 9,1)";
    let input = format!("--partition {s}");
    let mut sizes = Vec::new();
    for part in s.split(',') {
        let n: u64 = part.trim().parse().map_err(|_| {
            Error::bad_input(
                &input,
                format!("'{part}' is not a positive integer"),
                accepted,
            )
        })?;
        if n == 0 {
            return Err(Error::bad_input(&input, "a block of size 0", accepted));
        }
        sizes.push(n);
    }
    let d: u128 = sizes.iter().map(|&n| n as u128).sum();
    if d < 3 || d as f64 > MAX_D {
        return Err(Error::bad_input(
            &input,
            format!("the sizes sum to {d}"),
            accepted,
        ));
    }
    if sizes.len() > 12 {
        return Err(Error::bad_input(
            &input,
            "more than 12 blocks",
            "at most 12 blocks",
        ));
    }
    Partition::from_sizes(&sizes).ok_or_else(|| Error::bad_input(&input, "invalid", accepted))
}

/// Exact: parse a comma-separated list of numbers of a given length.
pub fn parse_numbers(flag: &str, s: &str, len: usize) -> Result<Vec<f64>> {
    let input = format!("{flag} {s}");
    let accepted = format!("{len} comma-separated finite numbers");
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect::<Option<_>>()
        .ok_or_else(|| Error::bad_input(&input, "not a list of numbers", &accepted))?;
    if v.len() != len {
        return Err(Error::bad_input(
            &input,
            format!("{} numbers given", v.len()),
            &accepted,
        ));
    }
    Ok(v)
}

/// Exact: check a precision in bits.
pub fn check_prec(p: u32) -> Result<u32> {
    if !(64..=8192).contains(&p) {
        return Err(Error::bad_input(
            format!("--prec {p}"),
            "precision out of range",
            "64 <= prec <= 8192 bits",
        ));
    }
    Ok(p)
}

/// How a command names its point: a family at d, or a fixed space and a start.
#[derive(clap::Args, Debug)]
pub struct PointArgs {
    /// Family: I, II or IIsym.
    #[arg(long, conflicts_with = "partition")]
    family: Option<String>,
    /// Dimension d (3..1e12, e.g. 1000 or 1e6).
    #[arg(long, allow_hyphen_values = true)]
    d: Option<String>,
    /// Instead of a family: block sizes of a fixed space, e.g. 9,1 (needs --start).
    #[arg(long)]
    partition: Option<String>,
    /// Starting point for --partition, in layout order: per block a, D_a, O_a (when n_a > 1),
    /// then X_ab for every b != a (for 8,2: D1,O1,X12,D2,O2,X21).
    #[arg(long, allow_hyphen_values = true, conflicts_with = "family")]
    start: Option<String>,
}

/// Approximate: the point a command works on (see [`relucert::search::locate`]).
pub type Selected = relucert::search::locate::SelectedPoint;

impl PointArgs {
    /// Exact: the `--partition` given, validated.
    pub fn partition(&self) -> Result<Partition> {
        let p = self.partition.as_deref().ok_or_else(|| {
            Error::bad_input("--layout", "needs --partition", "--partition N1,N2,...")
        })?;
        parse_partition(p)
    }

    /// Exact: the `--start` values, when a start was given (validated against the
    /// partition's dimension).
    pub fn start_values(&self) -> Result<Option<Vec<f64>>> {
        match (&self.start, &self.partition) {
            (Some(raw), Some(_)) => Ok(Some(parse_numbers(
                "--start",
                raw,
                self.partition()?.dim(),
            )?)),
            _ => Ok(None),
        }
    }

    /// Exact: the raw `--d` given, if any.
    pub fn d_raw(&self) -> Option<String> {
        self.d.clone()
    }

    /// Locate the point: the family's branch at d, or Newton from `--start`. With
    /// `integer_for`, d must be an integer (the message names that use).
    pub fn select(&self, prec: Option<u32>, integer_for: Option<&str>) -> Result<Selected> {
        match (&self.family, &self.partition) {
            (Some(f), None) => {
                let family = parse_family(f)?;
                let raw = self
                    .d
                    .as_deref()
                    .ok_or_else(|| Error::bad_input("--family", "needs --d", "--family F --d D"))?;
                let d = parse_d(raw)?;
                if let (Some(why), true) = (integer_for, d.fract() != 0.0) {
                    return Err(Error::bad_input(
                        format!("--d {raw}"),
                        format!("{why} needs an integer d"),
                        "an integer with 3 <= d <= 1e12",
                    ));
                }
                check_family_d(family, d, raw)?;
                locate_point(&PointSpec::Family { family, d }, prec).map_err(|e| {
                    Error::Numerical(format!("family {} at d = {raw}: {e}", family.name()))
                })
            }
            (None, Some(p)) => {
                let part = parse_partition(p)?;
                if let Some(raw) = &self.d {
                    let d = parse_d(raw)?;
                    if d != part.d() {
                        return Err(Error::bad_input(
                            format!("--d {raw}"),
                            format!("the partition {p} sums to {}", part.d()),
                            "--d equal to the sum of --partition (or omit --d)",
                        ));
                    }
                }
                let raw = self.start.as_deref().ok_or_else(|| {
                    Error::bad_input(
                        "--partition",
                        "needs --start",
                        "--partition N1,N2 --start V1,V2,... (layout order)",
                    )
                })?;
                let start = parse_numbers("--start", raw, part.dim())?;
                let spec = PointSpec::Start {
                    partition: part,
                    start,
                };
                locate_point(&spec, prec)
                    .map_err(|e| Error::Numerical(format!("Newton from --start {raw}: {e}")))
            }
            _ => Err(Error::bad_input(
                "the point",
                "give exactly one of --family and --partition",
                "--family F --d D, or --partition N1,N2,... --start V1,...",
            )),
        }
    }
}
