//! `relucert scan`: distinct critical points of a fixed space from random starts, sorted by
//! loss, with the dense f64 classification for small d. All approximate.

use super::args;
use super::output::{d_json, outln, partition_json, print_json};
use relucert::error::{Error, Result};
use relucert::search::dense_spectrum::{self, Classification};
use relucert::search::scan::{self, Kind};
use serde_json::{json, Map, Value};

/// Arguments of `scan`.
#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// Block sizes of the fixed space, e.g. 9,1.
    #[arg(long, allow_hyphen_values = true)]
    partition: String,
    /// Number of random starts (1..100000).
    #[arg(long, default_value_t = 200, value_parser = args::starts_value, allow_negative_numbers = true)]
    starts: usize,
    /// Seed of the random starts.
    #[arg(long, default_value_t = 1, value_parser = args::seed_value, allow_negative_numbers = true)]
    seed: u64,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Run `scan`.
pub fn run(a: &ScanArgs) -> Result<i32> {
    let part = args::parse_partition(&a.partition)?;
    if !(1..=100_000).contains(&a.starts) {
        return Err(Error::bad_input(
            format!("--starts {}", a.starts),
            "out of range",
            "1 <= starts <= 100000",
        ));
    }
    let dense = part.d() <= 30.0;
    let bar = super::progress::Progress::new(a.starts as u64, "scan");
    let points = scan::scan_with_progress(&part, a.starts, a.seed, dense, &|| bar.inc(""));
    bar.finish();
    let names: Vec<String> = part.params().iter().map(|&p| part.name(p)).collect();
    let describe = |p: &scan::ScanPoint| -> (String, Option<usize>) {
        match (&p.kind, &p.spectrum) {
            (Kind::GlobalMinimum, _) => (
                "global minimum (W = I, on the non-smooth set)".into(),
                Some(0),
            ),
            (Kind::NonSmooth, _) => (
                "non-smooth point (two rows parallel; no Hessian)".into(),
                None,
            ),
            (_, Some(s)) if s.classification == Classification::Saddle => {
                ("saddle".into(), Some(s.index))
            }
            (_, Some(s)) => (s.classification.name().into(), Some(s.index)),
            (_, None) => ("unclassified (d > 30)".into(), None),
        }
    };
    if a.json {
        let rows: Vec<Value> = points
            .iter()
            .map(|p| {
                let mut coords = Map::new();
                for (n, v) in names.iter().zip(&p.theta) {
                    coords.insert(n.clone(), json!(format!("{v:e}")));
                }
                let (class, index) = describe(p);
                let mut row = json!({
                    "coordinates": coords,
                    "loss": format!("{:e}", p.loss),
                    "grad_norm": format!("{:e}", p.grad_norm),
                    "hits": p.hits,
                    "mirror_images_merged": p.images,
                    "family": p.family.map(|f| f.name()),
                    "classification": class,
                    "index": index,
                });
                if let Some(dense_spectrum::DenseSpectrum { groups, .. }) = &p.spectrum {
                    row["spectrum"] = json!(groups
                        .iter()
                        .map(|e| json!({"value": format!("{:e}", e.value), "multiplicity": e.multiplicity}))
                        .collect::<Vec<_>>());
                }
                row
            })
            .collect();
        print_json(&json!({
            "d": d_json(part.d()),
            "partition": partition_json(&part),
            "starts": a.starts,
            "seed": a.seed,
            "points": rows,
        }))?;
    } else {
        outln!(
            "scan of the fixed space of partition {} (d = {}), {} starts, seed {}: {} distinct critical points (mirror images merged)",
            part.label(),
            part.d(),
            a.starts,
            a.seed,
            points.len()
        )?;
        outln!("coordinates in layout order: {}", names.join(", "))?;
        for (k, p) in points.iter().enumerate() {
            let (class, index) = describe(p);
            let class = match (class.as_str(), index) {
                ("saddle", Some(i)) => format!("saddle of index {i}"),
                _ => class,
            };
            let fam = p
                .family
                .map(|f| format!("  [family {}]", f.name()))
                .unwrap_or_default();
            let images = match p.images {
                0 => String::new(),
                1 => "; 1 mirror image merged".into(),
                m => format!("; {m} mirror images merged"),
            };
            outln!(
                "{:>3}. loss {:<22.15e} {}{fam}  ({} start{}{images})",
                k + 1,
                p.loss,
                class,
                p.hits,
                if p.hits == 1 { "" } else { "s" }
            )?;
            let coords: Vec<String> = p.theta.iter().map(|v| format!("{v:.10}")).collect();
            outln!("     ({})", coords.join(", "))?;
        }
        outln!("All values are approximations (f64 Newton, f64 dense spectra). Mirror images: points that a relabelling of blocks of equal size, a column swap in a block of size 2 or a permutation of the columns of blocks of size 1 maps onto each other (the same network, neurons and inputs relabelled).")?;
    }
    Ok(0)
}
