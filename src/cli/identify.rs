//! `relucert identify FILE...`: find the symmetry of each weight matrix, certify the
//! critical point next to it and name it (see `relucert::identify`).

use super::args::positive;
use super::output::{errln, out, outln, print_json};
use super::progress::Progress;
use super::{args, EXIT_INCONCLUSIVE};
use rayon::prelude::*;
use relucert::certificate::critical_point::InputRecord;
use relucert::error::{Error, Result};
use relucert::identify::input::{self, Matrix, Neurons};
use relucert::identify::{self as ident, FamilyPoints, Identified, Options, Outcome};
use relucert::render::identify as render;
use std::path::{Path, PathBuf};

/// Arguments of `identify`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Neuron convention: --neurons rows (default) reads row i as neuron i's weight vector (relucert's convention); --neurons columns reads column i. Every output states the convention used.\nInputs: .npy (float64/float32, C or Fortran order; 3-D N x d x d is a stack), .npz (every array), .csv (one row per line), .json (an array of rows, or of matrices); 3 <= d <= 2000 per matrix."
)]
pub struct IdentifyArgs {
    /// Weight matrix files (.npy, .npz, .csv, .json); a 3-D .npy or an .npz is a stack.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Which index holds the neurons: rows (default: row i is neuron i's weights) or columns.
    #[arg(long, value_parser = ["rows", "columns"], default_value = "rows")]
    neurons: String,
    /// An orthonormal teacher V (same formats, d x d, rows = teacher neurons): the input W
    /// is reduced to the teacher I as W V^T (computed in f64).
    #[arg(long)]
    teacher: Option<PathBuf>,
    /// Relative tolerance of the symmetry search: entries within tol * max|W| count as equal.
    #[arg(long, default_value_t = ident::DEFAULT_TOL)]
    tol: f64,
    /// Refuse (exit 3) unless the certified point is proved within this Frobenius distance
    /// of the (permuted) input.
    #[arg(long, default_value_t = ident::DEFAULT_MAX_DISTANCE)]
    max_distance: f64,
    /// Precision of the interval arithmetic in bits (64..8192).
    #[arg(long, default_value_t = 256)]
    prec: u32,
    /// Write the certificate here (one matrix), or into this existing directory (several).
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    /// Print a JSON array, one object per matrix, instead of text.
    #[arg(long)]
    json: bool,
}

/// Run `identify`.
pub fn run(a: &IdentifyArgs) -> Result<i32> {
    let prec = args::check_prec(a.prec)?;
    let tol = positive("--tol", a.tol, "a number with 0 < tol < 1 (default 1e-6)")?;
    if tol >= 1.0 {
        return Err(Error::bad_input(
            format!("--tol {tol}"),
            "not below 1",
            "a number with 0 < tol < 1 (default 1e-6)",
        ));
    }
    let max_distance = positive(
        "--max-distance",
        a.max_distance,
        "a positive number (default 1e-4)",
    )?;
    let neurons = if a.neurons == "columns" {
        Neurons::Columns
    } else {
        Neurons::Rows
    };
    let teacher = match &a.teacher {
        None => None,
        Some(p) => {
            let mut v = input::read_matrices(p, Neurons::Rows)?;
            if v.len() != 1 {
                return Err(Error::bad_input(
                    format!("--teacher {}", p.display()),
                    format!("{} matrices in the file", v.len()),
                    "one orthonormal d x d matrix",
                ));
            }
            v.pop()
        }
    };
    // Read every file; a file that cannot be read is reported and the others go on.
    let mut matrices: Vec<(Matrix, PathBuf)> = Vec::new();
    let mut bad = 0usize;
    for f in &a.files {
        let read = input::read_matrices(f, neurons).and_then(|ms| match &teacher {
            None => Ok(ms),
            Some(v) => ms.iter().map(|m| input::apply_teacher(m, v)).collect(),
        });
        match read {
            Ok(ms) => matrices.extend(ms.into_iter().map(|m| (m, f.clone()))),
            Err(e) => {
                errln!("relucert: {e}");
                bad += 1;
            }
        }
    }
    if let Some(o) = &a.output {
        if matrices.len() + bad > 1 {
            if !o.is_dir() {
                return Err(Error::bad_input(
                    format!("-o {}", o.display()),
                    "several matrices need an existing directory",
                    "-o FILE for one matrix, -o DIR (existing) for several",
                ));
            }
        } else {
            relucert::output_file::check_writable(o)?;
        }
    }
    let opts = Options {
        tol,
        max_distance,
        prec,
    };
    let fam = FamilyPoints::default();
    let progress = Progress::new(matrices.len() as u64, "identify");
    let results: Vec<Identified> = matrices
        .par_iter()
        .map(|(m, _)| {
            let r = ident::identify_matrix(m, &opts, &fam);
            progress.inc(&m.source);
            r
        })
        .collect();
    progress.finish();
    let mut written = Vec::new();
    if let Some(o) = &a.output {
        let several = matrices.len() + bad > 1;
        for (r, (m, file)) in results.iter().zip(&matrices) {
            let Some(cert) = &r.certificate else { continue };
            let path = if several {
                o.join(format!("{}.json", file_stem(&m.source)))
            } else {
                o.clone()
            };
            let mut v = cert.to_json();
            v["input"] = InputRecord {
                source: m.source.clone(),
                neurons: neurons.name().to_string(),
                permutation: r.symmetry.columns.clone(),
                neuron_permutation: r.symmetry.rows.clone(),
                sha256: input::sha256_file(file)?,
            }
            .to_json();
            let mut text = serde_json::to_string_pretty(&v).expect("JSON serializes");
            text.push('\n');
            relucert::output_file::write_file(&path, text.as_bytes())?;
            written.push(path);
        }
    }
    if a.json {
        print_json(&serde_json::Value::Array(
            results
                .iter()
                .map(|r| render::json_of(r, neurons.name()))
                .collect(),
        ))?;
    } else {
        for r in &results {
            outln!("{}", render::line(r, neurons.name()))?;
        }
        if results.len() > 1 {
            outln!()?;
            out!(
                "{}",
                render::summary_table(&results.iter().collect::<Vec<_>>())
            )?;
        }
        for p in &written {
            outln!("certificate written to {}", p.display())?;
        }
    }
    let unproved = results.iter().filter(|r| !r.is_proved()).count();
    if results.len() == 1 && unproved == 1 && bad == 0 {
        let r = &results[0];
        let why = match &r.outcome {
            Outcome::TooFar { reason } => format!("refused: {reason}"),
            Outcome::NotCertified { reason } => format!("not certified: {reason}"),
            _ => "inconclusive: the classification is not proved (see the output)".to_string(),
        };
        errln!("relucert: {}: {why}", r.source);
    } else if unproved > 0 {
        errln!(
            "relucert: identify: {unproved} of {} matrices not certified",
            results.len()
        );
    }
    Ok(if bad > 0 {
        2
    } else if unproved > 0 {
        EXIT_INCONCLUSIVE
    } else {
        0
    })
}

/// Exact: a file name from a matrix's source (its base name, with `[k]` and `:name`
/// kept as `-k` and `-name`).
fn file_stem(source: &str) -> String {
    let base = Path::new(source)
        .file_name()
        .map_or(source.to_string(), |b| b.to_string_lossy().into_owned());
    base.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}
