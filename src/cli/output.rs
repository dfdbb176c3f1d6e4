//! Output helpers shared by the commands: JSON emission and number formatting.

use relucert::arith::decimal;
use relucert::arith::Mpfr;
use relucert::model::partition::Partition;
use serde_json::{json, Value};

/// Approximate: an MPFR value as a decimal string with the digits its precision carries.
pub fn mp_str(x: &Mpfr) -> String {
    decimal::to_decimal(&x.0, decimal::digits_for_prec(x.0.prec()) - 2)
}

/// Exact: `d` as JSON (an integer when it is one).
pub fn d_json(d: f64) -> Value {
    if d.fract() == 0.0 && d < 9e15 {
        json!(d as u64)
    } else {
        json!(d)
    }
}

/// Exact: the block sizes as a JSON array.
pub fn partition_json(p: &Partition) -> Value {
    Value::Array(p.sizes().iter().map(|&n| d_json(n)).collect())
}

/// Exact: pretty JSON with a trailing newline.
pub fn print_json(v: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(v).expect("JSON values serialize")
    );
}
