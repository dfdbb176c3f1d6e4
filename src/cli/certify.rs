//! `relucert certify`: prove a unique critical point, its loss, its spectrum by component
//! and its classification, and write a certificate file; `relucert verify`: re-check files.

use super::args;
use super::output::{errln, out, outln, print_json};
use super::{EXIT_INCONCLUSIVE, EXIT_REFUTED};
use relucert::certificate::critical_point::interval_json;
use relucert::certificate::verify::Status;
use relucert::error::{Error, Result};
use relucert::identify::distance;
use relucert::prove::critical_point::Verdict;
use relucert::prove::{self, dense_check, NotCertified};
use std::path::PathBuf;

/// Arguments of `certify`.
#[derive(clap::Args, Debug)]
pub struct CertifyArgs {
    #[command(flatten)]
    point: args::PointArgs,
    /// Precision of the interval arithmetic in bits (64..8192).
    #[arg(long, default_value_t = 256, value_parser = args::prec_value, allow_negative_numbers = true)]
    prec: u32,
    /// Write the certificate to this file (written to a temporary name, then renamed).
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    /// Print the certificate JSON instead of the summary.
    #[arg(long)]
    json: bool,
    /// Cross-check against the dense d^2 x d^2 interval Hessian (d <= 20).
    #[arg(long)]
    dense: bool,
    /// Exit 1 (refuted) unless the certified classification is this one.
    #[arg(long, value_parser = ["minimum", "saddle"])]
    expect: Option<String>,
    /// With --partition: refuse (exit 3, no certificate) unless the certified point is
    /// proved within this Frobenius distance of --start (the Newton step).
    #[arg(long)]
    max_distance: Option<f64>,
}

/// Run `certify`.
pub fn run(a: &CertifyArgs) -> Result<i32> {
    let prec = args::check_prec(a.prec)?;
    if let Some(path) = &a.output {
        relucert::output_file::check_writable(path)?;
    }
    args::check_max_distance(&a.point, a.max_distance)?;
    let sel = a.point.select(None, Some("certification"))?;
    let part = &sel.partition;
    if a.dense && part.d() > dense_check::DENSE_MAX as f64 {
        return Err(Error::bad_input(
            "--dense",
            format!("d = {} is too large for the dense cross-check", part.d()),
            format!("d <= {}", dense_check::DENSE_MAX),
        ));
    }
    let cert = match prove::certify_point(sel.family, part, &sel.found.theta, prec) {
        Ok(c) => c,
        Err(e @ NotCertified::Newton(_)) => return Err(Error::Numerical(e.to_string())),
        Err(NotCertified::NotProved(e)) => {
            errln!("relucert: not certified: {e}; more precision (--prec) may help");
            return Ok(EXIT_INCONCLUSIVE);
        }
    };
    // The Newton step: how far the certified point lies from --start (an enclosure).
    let step = a
        .point
        .start_values()?
        .map(|start| newton_step(&cert, &start));
    if let (Some(step), Some(max)) = (&step, a.max_distance) {
        // Proved within only when the upper end is (false on NaN).
        let within = *step.hi() <= max;
        if !within {
            eprintln!(
                "relucert: refused: the certified critical point lies at distance in [{}, {}] from --start, not proved within --max-distance {max:e}; no certificate written",
                step.lo_decimal(4),
                step.hi_decimal(4)
            );
            return Ok(EXIT_INCONCLUSIVE);
        }
    }
    let dense_report = if a.dense {
        Some(dense_check::cross_check(&cert).map_err(|e| {
            Error::bad_input(
                "--dense",
                e.to_string(),
                format!("d <= {}", dense_check::DENSE_MAX),
            )
        })?)
    } else {
        None
    };
    if let Some(path) = &a.output {
        relucert::output_file::write_file(path, &cert.to_bytes())?;
    }
    if a.json {
        let mut v = cert.to_json();
        if let Some(step) = &step {
            v["newton_step"] = interval_json(step, 6);
        }
        if let Some(r) = &dense_report {
            v["dense_check"] = relucert::render::summary::dense_check_json(r);
        }
        print_json(&v)?;
    } else {
        out!("{}", relucert::render::summary::certificate_summary(&cert))?;
        if let Some(step) = &step {
            outln!(
                "Newton step from --start to the certified point (Frobenius, enclosure): [{}, {}]",
                step.lo_decimal(6),
                step.hi_decimal(6)
            )?;
        }
        if let Some(r) = &dense_report {
            out!("{}", relucert::render::summary::dense_check_text(r))?;
        }
        if let Some(path) = &a.output {
            outln!("certificate written to {}", path.display())?;
        }
    }
    if dense_report.as_ref().is_some_and(|r| !r.agrees()) {
        errln!("relucert: the dense cross-check disagrees with the reduced spectrum");
        return Ok(1);
    }
    let code = match (&cert.proof.verdict, a.expect.as_deref()) {
        (Verdict::Inconclusive { reason }, _) => {
            errln!("relucert: inconclusive: {reason}");
            EXIT_INCONCLUSIVE
        }
        (v @ Verdict::StrictLocalMinimum, Some(want @ "saddle"))
        | (v @ Verdict::Saddle { .. }, Some(want @ "minimum")) => {
            errln!(
                "relucert: --expect {want} not met: the certified classification is {}",
                v.name()
            );
            EXIT_REFUTED
        }
        _ => 0,
    };
    Ok(code)
}

/// Encloses: the Frobenius distance (over the dense d x d matrices) from the start, a
/// point of the fixed space given by exact f64 coordinates, to the certified point.
fn newton_step(cert: &prove::Certificate, start: &[f64]) -> relucert::Interval {
    let sums = distance::point_sums(&cert.partition, start, cert.prec);
    distance::enclose_distance(&sums, &cert.proof.krawczyk_box)
}

/// Arguments of `verify`.
#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// Certificate files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print one JSON line per file instead of text: {"file", "status", "detail"}, status
    /// VERIFIED, REFUTED, INCONCLUSIVE, MALFORMED or UNREADABLE.
    #[arg(long)]
    json: bool,
}

/// Run `verify`: 0 if all verified; otherwise the most serious outcome over the files:
/// 2 if some file is unreadable or malformed, else 1 if some claim is refuted, else 3 if
/// some claim could not be re-proved (inconclusive).
pub fn run_verify(a: &VerifyArgs) -> Result<i32> {
    let rank = |code: i32| match code {
        0 => 0,
        EXIT_INCONCLUSIVE => 1,
        EXIT_REFUTED => 2,
        _ => 3,
    };
    let mut worst = 0;
    let mut counts = [0usize; 4];
    let mut note = |code: i32| {
        counts[code as usize] += 1;
        if rank(code) > rank(worst) {
            worst = code;
        }
    };
    for f in &a.files {
        let shown = f.display().to_string();
        match relucert::certificate::verify::verify_file(f) {
            Err(e) => {
                // One line on stderr, and in --json mode a JSON line too, so that every
                // file has its line on stdout.
                errln!("relucert: {e}");
                if a.json {
                    let (word, detail) = match &e {
                        Error::Malformed { why, .. } => ("MALFORMED", why.clone()),
                        Error::Io { message, .. } => ("UNREADABLE", message.clone()),
                        other => ("ERROR", other.to_string()),
                    };
                    outln!(
                        "{}",
                        serde_json::json!({"file": shown, "status": word, "detail": detail})
                    )?;
                }
                note(2);
            }
            Ok(status) => {
                let detail = match &status {
                    Status::Verified => String::new(),
                    Status::Refuted(m) | Status::Inconclusive(m) => m.clone(),
                };
                if a.json {
                    outln!(
                        "{}",
                        serde_json::json!({"file": shown, "status": status.word(), "detail": detail})
                    )?;
                } else if detail.is_empty() {
                    outln!("{}: {}", shown, status.word())?;
                } else {
                    outln!("{}: {}: {}", shown, status.word(), detail)?;
                }
                note(match status {
                    Status::Verified => 0,
                    Status::Refuted(_) => EXIT_REFUTED,
                    Status::Inconclusive(_) => EXIT_INCONCLUSIVE,
                });
            }
        }
    }
    if counts[EXIT_REFUTED as usize] + counts[EXIT_INCONCLUSIVE as usize] > 0 {
        // Every non-zero exit explains itself on stderr (a malformed file already has its
        // own line there).
        errln!(
            "relucert: {} of {} files not verified: {} refuted, {} inconclusive, {} unreadable or malformed",
            counts[1] + counts[2] + counts[3],
            a.files.len(),
            counts[EXIT_REFUTED as usize],
            counts[EXIT_INCONCLUSIVE as usize],
            counts[2]
        );
    }
    Ok(worst)
}
