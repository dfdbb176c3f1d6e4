//! `relucert find`: locate a family's critical point (or Newton from a given start in any
//! fixed space), report coordinates, loss, gradient norm and precision, and for small d the
//! dense f64 Hessian spectrum with the classification it suggests. All approximate.

use super::args;
use super::output::{d_json, errln, mp_str, out, outln, partition_json, print_json};
use relucert::arith::Mpfr;
use relucert::certificate::critical_point::coordinate_names;
use relucert::error::{Error, Result};
use relucert::model::partition::Partition;
use relucert::search::dense_spectrum::{self, Classification, DenseSpectrum};
use relucert::search::families::Family;
use relucert::search::newton::Found;
use serde_json::{json, Map, Value};

/// Arguments of `find`.
#[derive(clap::Args, Debug)]
pub struct FindArgs {
    #[command(flatten)]
    point: args::PointArgs,
    /// Precision in bits for Newton (default: chosen from d; 53 means f64).
    #[arg(long, value_parser = args::prec_value, allow_negative_numbers = true)]
    prec: Option<u32>,
    /// Compute the dense f64 Hessian spectrum (default for d <= 30; allowed up to d = 40).
    #[arg(long)]
    dense: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Only print the parameter layout of --partition (the order --start takes).
    #[arg(long, requires = "partition", conflicts_with_all = ["start", "dense", "prec"])]
    layout: bool,
    /// With --partition: exit 3 unless Newton's point lies within this Frobenius distance
    /// of --start (the Newton step, approximate).
    #[arg(long)]
    max_distance: Option<f64>,
}

const DENSE_MAX: f64 = 40.0;

/// Run `find`.
pub fn run(a: &FindArgs) -> Result<i32> {
    if a.layout {
        let part = a.point.partition()?;
        let names: Vec<String> = part.params().iter().map(|&p| part.name(p)).collect();
        if a.json {
            print_json(&json!({"partition": partition_json(&part), "layout": names}))?;
        } else {
            outln!("{}", names.join(","))?;
        }
        return Ok(0);
    }
    let prec = match a.prec {
        Some(53) => Some(53),
        Some(p) => Some(args::check_prec(p)?),
        None => None,
    };
    args::check_max_distance(&a.point, a.max_distance)?;
    let sel = a.point.select(prec, None)?;
    let part = &sel.partition;
    // Approximate: the Newton step, the dense Frobenius norm of the move from --start.
    let step = match (a.point.start_values()?, part.integral()) {
        (Some(start), Some(ip)) => {
            let theta: Vec<f64> = sel.found.theta.iter().map(|x| x.0.to_f64()).collect();
            Some(relucert::identify::distance::approx_step(
                &ip, &start, &theta,
            ))
        }
        _ => None,
    };
    let d = part.d();
    if a.dense && !part.is_integral() {
        return Err(Error::bad_input(
            "--dense",
            "the dense spectrum needs an integer d",
            "integer d <= 40",
        ));
    }
    if a.dense && d > DENSE_MAX {
        return Err(Error::bad_input(
            "--dense",
            format!("d = {d} is too large for the dense Hessian"),
            "d <= 40",
        ));
    }
    let spec = if part.is_integral() && (a.dense || d <= 30.0) {
        let theta: Vec<f64> = sel.found.theta.iter().map(|x| x.0.to_f64()).collect();
        Some(
            dense_spectrum::dense_spectrum(part, &theta)
                .map_err(|e| Error::Numerical(format!("dense Hessian: {e}")))?,
        )
    } else {
        None
    };
    let report = Report {
        family: sel.family,
        part,
        found: &sel.found,
        prec: sel.prec,
        names: coordinate_names(sel.family, part),
        spec: spec.as_ref(),
    };
    if a.json {
        let mut v = report.json();
        if let Some(step) = step {
            v["newton_step"] = json!(format!("{step:e}"));
        }
        print_json(&v)?;
    } else {
        out!("{}", report.text())?;
        if let Some(step) = step {
            outln!("Newton step from --start (dense Frobenius norm, approximate): {step:.3e}")?;
        }
    }
    if let (Some(step), Some(max)) = (step, a.max_distance) {
        if step.is_nan() || step > max {
            errln!(
                "relucert: refused: Newton's point lies about {step:.3e} from --start, beyond --max-distance {max:e}"
            );
            return Ok(super::EXIT_INCONCLUSIVE);
        }
    }
    Ok(0)
}

struct Report<'a> {
    family: Option<Family>,
    part: &'a Partition,
    found: &'a Found<Mpfr>,
    prec: u32,
    names: Vec<(String, usize)>,
    spec: Option<&'a DenseSpectrum>,
}

impl Report<'_> {
    fn json(&self) -> Value {
        let mut coords = Map::new();
        for (n, i) in &self.names {
            coords.insert(n.clone(), json!(mp_str(&self.found.theta[*i])));
        }
        let mut v = json!({
            "family": self.family.map(Family::name),
            "d": d_json(self.part.d()),
            "partition": partition_json(self.part),
            "coordinates": coords,
            "loss": mp_str(&self.found.loss),
            "grad_norm": format!("{:e}", self.found.grad_norm),
            "precision_bits": self.prec,
            "arithmetic": arithmetic(self.prec),
            "newton_iterations": self.found.iterations,
        });
        if let Some(DenseSpectrum {
            groups,
            classification: c,
            index,
        }) = self.spec
        {
            v["spectrum"] = json!(groups
                .iter()
                .map(|e| json!({"value": format!("{:e}", e.value), "multiplicity": e.multiplicity}))
                .collect::<Vec<_>>());
            v["classification"] = json!(c.name());
            v["index"] = json!(index);
        }
        v
    }

    fn text(&self) -> String {
        let mut s = String::new();
        let what = relucert::search::families::point_label(self.family);
        s += &format!(
            "{what} at d = {}  (fixed space of partition {}, {})\n",
            relucert::model::partition::format_size(self.part.d()),
            self.part.label(),
            arithmetic(self.prec)
        );
        for (n, i) in &self.names {
            s += &format!("  {n:>4} = {}\n", mp_str(&self.found.theta[*i]));
        }
        s += &format!("  loss = {}\n", mp_str(&self.found.loss));
        s += &format!(
            "  dense gradient max-norm = {:.3e}  ({} Newton iterations)\n",
            self.found.grad_norm, self.found.iterations
        );
        if let Some(DenseSpectrum {
            groups,
            classification: c,
            index,
        }) = self.spec
        {
            s += &format!(
                "dense Hessian spectrum (f64, {} distinct eigenvalues, {} in all):\n",
                groups.len(),
                groups.iter().map(|e| e.multiplicity).sum::<usize>()
            );
            s += "  eigenvalue               multiplicity\n";
            for e in groups {
                s += &format!("  {:<24.15e} {}\n", e.value, e.multiplicity);
            }
            s += &match c {
                Classification::Saddle => {
                    format!("classification (approximate): saddle of index {index}\n")
                }
                _ => format!("classification (approximate): {}\n", c.name()),
            };
        }
        s += "All values above are approximations; `relucert certify` proves enclosures.\n";
        s
    }
}

fn arithmetic(prec: u32) -> String {
    if prec == 53 {
        "f64".to_string()
    } else {
        format!("MPFR {prec} bits, round to nearest")
    }
}
