//! `relucert eval`: refine a point by MPFR Newton at the requested precision, then print
//! interval enclosures of the loss, the reduced gradient and the reduced Hessian there
//! (at the exact float point Newton returned; no claim about a critical point).

use super::args;
use super::output::{d_json, mp_str, outln, partition_json, print_json};
use relucert::arith::Interval;
use relucert::certificate::critical_point::{coordinate_names, interval_json};
use relucert::error::{Error, Result};
use relucert::prove::evaluate::{evaluate_at, EvaluateError};
use serde_json::{json, Map, Value};

/// Arguments of `eval`.
#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    #[command(flatten)]
    point: args::PointArgs,
    /// Precision in bits of the Newton refinement and the intervals (64..8192).
    #[arg(long, default_value_t = 256, value_parser = args::prec_value, allow_negative_numbers = true)]
    prec: u32,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// In JSON, write every endpoint exactly (lossless decimals of the binary floats)
    /// instead of rounded outward to the digits the precision carries.
    #[arg(long, requires = "json")]
    exact: bool,
}

/// Run `eval`.
pub fn run(a: &EvalArgs) -> Result<i32> {
    let prec = args::check_prec(a.prec)?;
    let sel = a.point.select(None, None)?;
    let part = &sel.partition;
    let enc = evaluate_at(part, &sel.found.theta, prec).map_err(|e| match e {
        EvaluateError::Newton(e) => Error::Numerical(format!("Newton at {prec} bits: {e}")),
        e => Error::Numerical(e.to_string()),
    })?;
    let (found_theta, jet) = (&enc.point, &enc.jet);
    // All the digits the precision carries: the JSON shows the enclosures at full width.
    let digits = relucert::arith::decimal::digits_for_prec(prec);
    let iv = |x: &Interval| -> Value {
        if a.exact {
            let (lo, hi) = x.exact_decimals();
            json!({"lo": lo, "hi": hi})
        } else {
            interval_json(x, digits)
        }
    };
    let names = coordinate_names(sel.family, part);
    if a.json {
        let mut coords = Map::new();
        for (n, i) in &names {
            coords.insert(n.clone(), json!(mp_str(&found_theta[*i])));
        }
        let gradient: Vec<Value> = names.iter().map(|(_, i)| iv(&jet.g[*i])).collect();
        let hessian: Vec<Value> = names
            .iter()
            .map(|(_, i)| Value::Array(names.iter().map(|(_, j)| iv(&jet.hess(*i, *j))).collect()))
            .collect();
        print_json(&json!({
            "family": sel.family.map(|f| f.name()),
            "d": d_json(part.d()),
            "partition": partition_json(part),
            "precision_bits": prec,
            "coordinates": coords,
            "loss": iv(&jet.v),
            "gradient": gradient,
            "hessian": hessian,
        }))?;
    } else {
        outln!(
            "enclosures at the point below (MPFR Newton at {prec} bits), {prec}-bit interval arithmetic, partition {}:",
            part.label()
        )?;
        for (n, i) in &names {
            outln!("  {n:>4} = {}", mp_str(&found_theta[*i]))?;
        }
        outln!(
            "  loss in {:.30}  (width {:.1e})",
            jet.v,
            jet.v.width().to_f64()
        )?;
        outln!("  reduced gradient (d L / d theta_p, the full gradient summed over each parameter's entries):")?;
        for (n, i) in &names {
            outln!("    {n:>4}: {:.6}", jet.g[*i])?;
        }
        outln!("  reduced Hessian (rows and columns in the order above):")?;
        for (_, i) in &names {
            let row: Vec<String> = names
                .iter()
                .map(|(_, j)| format!("{:.6}", jet.hess(*i, *j)))
                .collect();
            outln!("    {}", row.join(" "))?;
        }
    }
    Ok(0)
}
