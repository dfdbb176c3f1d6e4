//! `relucert descend --d D --runs N --seed S`: gradient descent from random starts, every
//! endpoint certified through `identify` (see `relucert::descend`).

use super::args::positive;
use super::output::{errln, out, outln, print_json};
use super::progress::Progress;
use super::EXIT_INCONCLUSIVE;
use relucert::descend::{self as desc, Init, Options};
use relucert::error::{Error, Result};
use relucert::identify::FamilyPoints;
use relucert::render::descend as render;
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `descend`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Each run: full-batch gradient descent on the population loss (closed-form gradient, f64) from a seeded random start; it stops at gradient norm --tol, or once the gradient norm is below --stop-grad and the endpoint's symmetry is the same at --stable-checks checks; the endpoint is then identified and certified as `relucert identify` does (one certification per distinct point). Runs that spend --max-steps are reported as not converged, runs whose loss blows up as diverged. Output is the same for a seed whatever the number of threads.\nExit codes: 0 every run ended at a certified point; 3 some run did not converge, diverged, or ended where nothing could be certified (all are reported); 2 bad input."
)]
pub struct DescendArgs {
    /// Dimensions: a number, a list (7,10,20) or a range (6..=30).
    #[arg(long)]
    d: String,
    /// Runs per d.
    #[arg(long, default_value_t = 100)]
    runs: usize,
    /// Seed of the random starts.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Start distribution: xavier-normal (N(0, 1/d)), xavier-uniform (variance 1/d) or orthogonal.
    #[arg(long, default_value = "xavier-normal", value_parser = ["xavier-normal", "xavier-uniform", "orthogonal"])]
    init: String,
    /// Multiply every start by this.
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Step size (default 5/d).
    #[arg(long)]
    step: Option<f64>,
    /// Stop once the gradient norm is at most this.
    #[arg(long, default_value_t = 1e-12)]
    tol: f64,
    /// Step budget per run (runs that spend it are reported as not converged).
    #[arg(long, default_value_t = 1_000_000)]
    max_steps: u64,
    /// Check the endpoint's symmetry once the gradient norm is below this.
    #[arg(long, default_value_t = 1e-6)]
    stop_grad: f64,
    /// Steps between two symmetry checks.
    #[arg(long, default_value_t = 200)]
    check_every: u64,
    /// Consecutive equal symmetries needed to stop early.
    #[arg(long, default_value_t = 3)]
    stable_checks: u32,
    /// Relative tolerance of the symmetry search (as `identify --tol`).
    #[arg(long, default_value_t = 1e-5)]
    sym_tol: f64,
    /// Accept a certified point only when it is proved within this Frobenius distance of the run's endpoint.
    #[arg(long, default_value_t = 1e-2)]
    max_distance: f64,
    /// Precision of the interval arithmetic in bits (64..8192).
    #[arg(long, default_value_t = 256)]
    prec: u32,
    /// Print JSON (an object for one d, an array of objects for several).
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV, one row per d and endpoint type.
    #[arg(long)]
    csv: bool,
    /// Also write an SVG plot of the fractions here.
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Basin probe: start at this family's point (I, II or IIsym) plus a random perturbation of each --radius.
    #[arg(long, requires = "radius")]
    from: Option<String>,
    /// Basin probe radii (Frobenius norms), comma-separated.
    #[arg(long, requires = "from", value_delimiter = ',')]
    radius: Vec<f64>,
    /// Print the wall time and steps per second on stderr.
    #[arg(long)]
    timing: bool,
}

/// Exact: the options from the arguments, checked.
fn options(a: &DescendArgs) -> Result<Options> {
    let prec = super::args::check_prec(a.prec)?;
    let init = Init::parse(&a.init).ok_or_else(|| {
        Error::bad_input(
            format!("--init {}", a.init),
            "unknown",
            "xavier-normal, xavier-uniform or orthogonal",
        )
    })?;
    let scale = positive("--scale", a.scale, "a positive number (default 1)")?;
    let step = a
        .step
        .map(|s| positive("--step", s, "a positive number (default 5/d)"))
        .transpose()?;
    let tol = positive("--tol", a.tol, "a positive number (default 1e-12)")?;
    let stop_grad = positive(
        "--stop-grad",
        a.stop_grad,
        "a positive number (default 1e-6)",
    )?;
    let sym_tol = positive("--sym-tol", a.sym_tol, "a number in (0, 1) (default 1e-5)")?;
    if sym_tol >= 1.0 {
        return Err(Error::bad_input(
            format!("--sym-tol {sym_tol}"),
            "not below 1",
            "a number in (0, 1) (default 1e-5)",
        ));
    }
    let max_distance = positive(
        "--max-distance",
        a.max_distance,
        "a positive number (default 1e-2)",
    )?;
    if a.runs == 0 || a.runs > 1_000_000 {
        return Err(Error::bad_input(
            format!("--runs {}", a.runs),
            "out of range",
            "an integer from 1 to 1000000",
        ));
    }
    Ok(Options {
        init,
        scale,
        step,
        tol,
        max_steps: a.max_steps,
        stop_grad,
        check_every: a.check_every,
        stable_checks: a.stable_checks,
        identify: relucert::identify::Options {
            tol: sym_tol,
            max_distance,
            prec,
        },
    })
}

/// Exact: the dimensions, checked against what descent accepts here.
fn dims(spec: &str) -> Result<Vec<usize>> {
    let ds = relucert::compare::parse_d_spec(spec)?;
    ds.iter()
        .map(|&d| {
            if (3..=500).contains(&d) {
                Ok(d as usize)
            } else {
                Err(Error::bad_input(
                    format!("--d {spec}"),
                    format!("d = {d} is out of range"),
                    "integers from 3 to 500 (a number, a list 7,10,20 or a range 6..=30)",
                ))
            }
        })
        .collect()
}

/// Run `descend`.
pub fn run(a: &DescendArgs) -> Result<i32> {
    let opts = options(a)?;
    let ds = dims(&a.d)?;
    if let Some(p) = &a.svg {
        relucert::output_file::check_writable(p)?;
    }
    let fam = FamilyPoints::default();
    if let Some(from) = &a.from {
        return run_probe(a, from, &ds, &opts, &fam);
    }
    let mut batches = Vec::with_capacity(ds.len());
    for &d in &ds {
        let progress = Progress::new(a.runs as u64, &format!("descend d = {d}"));
        let t0 = Instant::now();
        let ran = |r: &desc::RunEnd| progress.inc(&format!("run {} {}", r.index, r.stop.name()));
        let ends = desc::descend_batch(d, a.runs, a.seed, &opts, &ran);
        progress.finish();
        let t1 = Instant::now();
        let ended = ends.iter().filter(|r| r.stop.ended()).count();
        let cert = Progress::new(ended as u64, &format!("certify d = {d}"));
        let assigned = |r: &desc::RunEnd| cert.inc(&format!("run {}", r.index));
        let assignment = desc::classify::assign(d, &ends, &opts, &fam, &assigned);
        cert.finish();
        let t2 = Instant::now();
        if a.timing {
            let steps: u64 = ends.iter().map(|r| r.steps).sum();
            let secs = (t1 - t0).as_secs_f64();
            errln!(
                "relucert: descend d = {d}: {} runs, {steps} steps in {secs:.2} s of descent ({:.0} steps/s on {} threads), assignment {:.2} s ({} certifications), total {:.2} s",
                a.runs,
                steps as f64 / secs.max(1e-9),
                rayon::current_num_threads(),
                (t2 - t1).as_secs_f64(),
                assignment.certifications,
                (t2 - t0).as_secs_f64()
            );
        }
        batches.push(desc::Batch {
            d,
            seed: a.seed,
            options: opts.clone(),
            ends,
            assignment,
        });
    }
    if let Some(p) = &a.svg {
        relucert::output_file::write_file(p, render::svg(&batches).as_bytes())?;
    }
    if a.json {
        if batches.len() == 1 {
            print_json(&render::json(&batches[0]))?;
        } else {
            print_json(&serde_json::Value::Array(
                batches.iter().map(render::json).collect(),
            ))?;
        }
    } else if a.csv {
        out!("{}", render::csv(&batches))?;
    } else {
        for (k, b) in batches.iter().enumerate() {
            if k > 0 {
                outln!()?;
            }
            out!("{}", render::table(b))?;
        }
    }
    let incomplete = batches.iter().any(|b| {
        !b.not_converged().is_empty()
            || !b.diverged().is_empty()
            || !b.assignment.uncertified.is_empty()
            || b.assignment
                .endpoints
                .iter()
                .any(|e| e.identified.classification() == Some("inconclusive"))
    });
    if incomplete {
        errln!(
            "relucert: descend: not every run ended at a certified point (not converged, diverged or not certifiable runs are listed above)"
        );
        return Ok(EXIT_INCONCLUSIVE);
    }
    Ok(0)
}

/// Run a basin probe (`--from F --radius R1,R2,...`).
fn run_probe(
    a: &DescendArgs,
    from: &str,
    ds: &[usize],
    opts: &Options,
    fam: &FamilyPoints,
) -> Result<i32> {
    let family = match super::args::parse_family(from) {
        Ok(f) => f,
        Err(_) => {
            return Err(Error::bad_input(
                format!("--from {from}"),
                "not a family probed here",
                "I, II or IIsym",
            ))
        }
    };
    let [d] = ds else {
        return Err(Error::bad_input(
            format!("--d {}", a.d),
            "a basin probe takes one d",
            "a single integer d",
        ));
    };
    for &r in &a.radius {
        positive(
            "--radius",
            r,
            "positive numbers, comma-separated (e.g. 0.001,0.01,0.1)",
        )?;
    }
    let progress = Progress::new(
        (a.runs * a.radius.len()) as u64,
        &format!("descend --from {from} d = {d}"),
    );
    let ran = |r: &desc::RunEnd| progress.inc(&format!("run {} {}", r.index, r.stop.name()));
    let p = desc::probe::probe(family, *d, &a.radius, a.runs, a.seed, opts, fam, &ran).ok_or_else(
        || {
            Error::bad_input(
                format!("--from {from} --d {d}"),
                "the family's point could not be located at this d",
                "a d at which the family is located (see relucert find)",
            )
        },
    )?;
    progress.finish();
    if a.json {
        print_json(&render::probe_json(&p))?;
    } else {
        out!("{}", render::probe_table(&p))?;
    }
    let incomplete = p.ends.iter().any(|r| !r.stop.ended()) || !p.assignment.uncertified.is_empty();
    Ok(if incomplete { EXIT_INCONCLUSIVE } else { 0 })
}
