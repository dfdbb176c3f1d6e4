//! Validation of user input: every check names the input and what is accepted, and none
//! panics.

use crate::error::{Error, Result};
use crate::families::Family;
use crate::symmetry::partition::{Partition, MAX_D};

/// Exact: parse `--d`: a number (`1000`, `1e6`, `6.5`) with `3 <= d <= 10^12`.
pub fn parse_d(s: &str) -> Result<f64> {
    let accepted = "a number with 3 <= d <= 1e12 (e.g. 1000, 1e6; real values only where noted)";
    let d: f64 = s
        .trim()
        .parse()
        .map_err(|_| Error::bad_input(format!("--d {s}"), "not a number", accepted))?;
    if !d.is_finite() || d < 3.0 {
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
