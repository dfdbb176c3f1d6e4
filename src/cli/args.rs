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

/// Exact: what `--family` accepts.
pub const FAMILIES_ACCEPTED: &str =
    "I, II, IIsym, or flip:P (P flipped neurons, 1 <= P <= d; flip:P#K for the K-th point by loss)";

/// Exact: parse `--family`.
pub fn parse_family(s: &str) -> Result<Family> {
    Family::parse_or_reason(s)
        .map_err(|why| Error::bad_input(format!("--family {s}"), why, FAMILIES_ACCEPTED))
}

/// Exact: check that a family supports dimension `d`.
pub fn check_family_d(family: Family, d: f64, raw: &str) -> Result<()> {
    if let Family::Flip(f) = family {
        if f.p as f64 > d {
            return Err(Error::bad_input(
                format!("--family {}", family.name()),
                format!("p = {} exceeds d = {raw}", f.p),
                "flip:P with 1 <= P <= d",
            ));
        }
        return Ok(());
    }
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

/// Exact: a flag's whole-number value (`--prec 256`, `--seed 7`), a decimal integer in
/// `0..=max`. A negative number, a fraction or a word gets one line naming the flag and
/// what is accepted: the flags parsed here allow a leading minus (`allow_negative_numbers`),
/// so clap's generic "unexpected argument '-5'" never reaches the user.
fn whole(flag: &str, s: &str, max: u64, accepted: &str) -> Result<u64> {
    let input = format!("{flag} {s}");
    let t = s.trim();
    let digits = t.strip_prefix('+').unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return match digits.parse::<u64>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(Error::bad_input(input, "too large", accepted)),
        };
    }
    let problem = match t.parse::<f64>() {
        Ok(x) if x < 0.0 => "a negative number",
        Ok(x) if x.is_finite() => "not a whole number",
        Ok(_) => "not a finite number",
        Err(_) => "not a number",
    };
    Err(Error::bad_input(input, problem, accepted))
}

/// What `--prec` accepts (the range [`check_prec`] enforces; `find` also takes 53).
pub const PREC_ACCEPTED: &str = "64 <= prec <= 8192 bits";

/// Exact: clap's parser of `--prec` (the range is checked by [`check_prec`]).
pub fn prec_value(s: &str) -> Result<u32> {
    whole("--prec", s, u64::from(u32::MAX), PREC_ACCEPTED).map(|n| n as u32)
}

/// Exact: clap's parser of `scan --starts` (the range is checked by the command).
pub fn starts_value(s: &str) -> Result<usize> {
    whole("--starts", s, 100_000_000, "1 <= starts <= 100000").map(|n| n as usize)
}

/// Exact: clap's parser of `scan --seed`.
pub fn seed_value(s: &str) -> Result<u64> {
    whole("--seed", s, u64::MAX, "a whole number, 0 <= seed < 2^64")
}

/// Exact: clap's parser of `arcs --max-types`.
pub fn max_types_value(s: &str) -> Result<u64> {
    whole(
        "--max-types",
        s,
        u64::MAX,
        "a whole number (the most arc types a run may enumerate)",
    )
}

/// Exact: clap's parser of `arcs --search-starts` (the range is checked by the command).
pub fn search_starts_value(s: &str) -> Result<u64> {
    whole(
        "--search-starts",
        s,
        u64::MAX,
        "1 <= search-starts <= 10000",
    )
}

/// Exact: clap's parser of `--max-points` (`compare`, `arcs --sweep`).
pub fn max_points_value(s: &str) -> Result<u64> {
    whole(
        "--max-points",
        s,
        u64::MAX,
        "a whole number (the most (family, d) points a run may certify)",
    )
}

/// Exact: clap's parser of `arcs --max-r`: a number; its range is checked with the other
/// options.
pub fn max_r_value(s: &str) -> Result<f64> {
    let accepted = "0 < max-r <= 100 (a multiple of |C|_F)";
    let input = format!("--max-r {s}");
    match s.trim().parse::<f64>() {
        Ok(x) if x < 0.0 => Err(Error::bad_input(input, "a negative number", accepted)),
        Ok(x) => Ok(x),
        Err(_) => Err(Error::bad_input(input, "not a number", accepted)),
    }
}

/// Approximate: a duration in seconds as a short phrase (`12 s`, `8 min`, `3.5 h`).
fn rough_duration(secs: f64) -> String {
    if secs < 120.0 {
        format!("{:.0} s", secs.max(1.0))
    } else if secs < 7200.0 {
        format!("{:.0} min", secs / 60.0)
    } else {
        format!("{:.1} h", secs / 3600.0)
    }
}

/// Estimated runs longer than this announce their size and cost on stderr before starting.
const ANNOUNCE_SECS: f64 = 10.0;

/// Approximate (the cost; the counts are exact): check the size of a run over `n_d` values
/// of d and `n_families` families against `--max-points`, before any work. Past the bound:
/// one line with the counts and the rough cost. Within it, a run estimated to take longer
/// than [`ANNOUNCE_SECS`] says so on stderr first (`what`: the command's name).
pub fn check_points(
    what: &str,
    raw_d: &str,
    n_d: usize,
    n_families: usize,
    max_points: u64,
    estimate_secs: f64,
) -> Result<()> {
    let points = n_d as u128 * n_families as u128;
    let size = format!(
        "{points} (family, d) points ({n_d} values of d x {n_families} families), roughly {} of computing",
        rough_duration(estimate_secs)
    );
    if points > u128::from(max_points) {
        return Err(Error::bad_input(
            format!("--d {raw_d}"),
            format!("{size}: more than --max-points {max_points}"),
            "at most --max-points points (raise --max-points to run it, or use fewer values of d)",
        ));
    }
    if estimate_secs >= ANNOUNCE_SECS {
        super::output::errln!("relucert: {what}: {size}");
    }
    Ok(())
}

/// Exact: check a precision in bits.
pub fn check_prec(p: u32) -> Result<u32> {
    if !(64..=8192).contains(&p) {
        return Err(Error::bad_input(
            format!("--prec {p}"),
            "precision out of range",
            PREC_ACCEPTED,
        ));
    }
    Ok(p)
}

/// Exact (on the f64 start): refuse a `--start` on the non-smooth set, where the loss has no
/// Hessian and Newton cannot take a step, naming the reason: W = I (the global minimum,
/// every row equal to its own target), a zero row, or two parallel rows or targets.
fn check_start_smooth(part: &Partition, start: &[f64], raw: &str) -> Result<()> {
    use relucert::model::partition::Param;
    use relucert::model::reduced::{nonsmooth_argument, ArgumentKind};
    let Some(arg) = nonsmooth_argument(part, start) else {
        return Ok(());
    };
    let input = format!("--start {raw}");
    let accepted =
        "a start off the non-smooth set (no zero row; no two of the rows and targets parallel)";
    let identity = part.params().iter().zip(start).all(|(p, &v)| match p {
        Param::D(_) => v == 1.0,
        _ => v == 0.0,
    });
    let why = if identity {
        "W = I, the global minimum with loss 0, where every row equals its own target".to_string()
    } else {
        match arg.kind {
            ArgumentKind::Norm if !arg.value.is_finite() => {
                return Err(Error::bad_input(
                    input,
                    format!("the squared norm of {} overflows f64", arg.name),
                    "entries whose squares sum to less than 1e308 per row",
                ));
            }
            ArgumentKind::Norm if start.iter().all(|&v| v == 0.0) => "every row is zero".into(),
            ArgumentKind::Norm => format!(
                "{} are zero in f64 (or their squared norm underflows)",
                arg.name
            ),
            ArgumentKind::Cosine if arg.value < 0.0 => format!("{} are antiparallel", arg.name),
            ArgumentKind::Cosine => format!("{} are parallel", arg.name),
        }
    };
    Err(Error::bad_input(
        input,
        format!(
            "on the non-smooth set ({why}), where the loss has no Hessian and Newton cannot start"
        ),
        accepted,
    ))
}

/// How a command names its point: a family at d, or a fixed space and a start.
#[derive(clap::Args, Debug)]
pub struct PointArgs {
    /// Family: I, II, IIsym, or flip:P (the two-block point with P flipped neurons, 1 <= P
    /// <= d, the lowest by loss in its fixed space; flip:P#K the K-th; see `relucert ladder`).
    #[arg(long, conflicts_with = "partition")]
    family: Option<String>,
    /// Dimension d (3..1e12, e.g. 1000 or 1e6).
    #[arg(long, allow_hyphen_values = true)]
    d: Option<String>,
    /// Instead of a family: block sizes of a fixed space, e.g. 9,1 (needs --start).
    #[arg(long, allow_hyphen_values = true)]
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
                check_start_smooth(&part, &start, raw)?;
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

/// Exact: `x` when it is a positive finite number, else bad input naming `flag` and what
/// is `accepted`.
pub fn positive(flag: &str, x: f64, accepted: &str) -> Result<f64> {
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(Error::bad_input(
            format!("{flag} {x}"),
            "not a positive finite number",
            accepted,
        ))
    }
}

/// Exact: check `--max-distance` of `certify` and `find`: it needs a start (a family's
/// point has none) and must be a positive finite number.
pub fn check_max_distance(point: &PointArgs, max: Option<f64>) -> Result<()> {
    let Some(max) = max else {
        return Ok(());
    };
    if point.start_values()?.is_none() {
        return Err(Error::bad_input(
            format!("--max-distance {max}"),
            "needs --partition and --start (a family's point has no start)",
            "--partition N1,N2,... --start V1,... --max-distance X",
        ));
    }
    positive("--max-distance", max, "a positive number").map(|_| ())
}
