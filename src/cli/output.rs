//! Output shared by the commands: the one writer of stdout and stderr, JSON emission and
//! number formatting.
//!
//! **stdout.** Every command writes stdout through [`write_stdout`] (the macros [`out!`] and
//! [`outln!`]), which writes and flushes at once and returns the failure:
//! - ENOSPC, EIO and every other write error is an [`Error::Io`] naming `stdout`; the command
//!   stops and `relucert` exits 2 with one line (`relucert: stdout: No space left on device
//!   (os error 28)`), so output is never lost behind exit 0;
//! - a closed pipe (EPIPE: the reader, e.g. `head -1`, has gone) is not an error: the rest
//!   of stdout is dropped quietly and the command finishes its work, so its exit code is
//!   still its verdict (a verdict must not depend on how much output the reader wanted).
//!
//! SIGPIPE stays ignored (Rust's default), so a closed pipe is an EPIPE error at a write,
//! handled here, and never a silent death half-way through a write (for example into an
//! output FIFO whose reader went away, which is an error naming that file).
//!
//! **stderr.** [`errln!`] writes one line to stderr and ignores a failure: there is nowhere
//! left to report it (the exit code still tells).

use relucert::arith::decimal;
use relucert::arith::Mpfr;
use relucert::error::{Error, Result};
use relucert::model::partition::Partition;
use serde_json::{json, Value};
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once stdout's reader has gone (EPIPE); later output is dropped.
static READER_GONE: AtomicBool = AtomicBool::new(false);

/// Exact: write `args` to stdout and flush (see the module contract): `Ok` when written or
/// when the reader has gone, an error naming `stdout` otherwise.
pub fn write_stdout(args: std::fmt::Arguments<'_>) -> Result<()> {
    if READER_GONE.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    match out.write_fmt(args).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) => stdout_failed(e),
    }
}

/// Exact: what a failed write or flush of stdout means (see the module contract).
pub fn stdout_failed(e: io::Error) -> Result<()> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        READER_GONE.store(true, Ordering::Relaxed);
        Ok(())
    } else {
        Err(Error::io("stdout", e))
    }
}

/// Exact: flush stdout (the final check before the exit code is returned).
pub fn flush_stdout() -> Result<()> {
    if READER_GONE.load(Ordering::Relaxed) {
        return Ok(());
    }
    match io::stdout().lock().flush() {
        Ok(()) => Ok(()),
        Err(e) => stdout_failed(e),
    }
}

/// Exact: write `args` and a newline to stderr, ignoring a failure.
pub fn write_stderr_line(args: std::fmt::Arguments<'_>) {
    let mut err = io::stderr().lock();
    let _ = err.write_fmt(format_args!("{args}\n"));
    let _ = err.flush();
}

/// `print!` through [`write_stdout`]: evaluates to `Result<()>`.
macro_rules! out {
    ($($t:tt)*) => {
        $crate::cli::output::write_stdout(format_args!($($t)*))
    };
}

/// `println!` through [`write_stdout`]: evaluates to `Result<()>`.
macro_rules! outln {
    () => {
        $crate::cli::output::write_stdout(format_args!("\n"))
    };
    ($($t:tt)*) => {
        $crate::cli::output::write_stdout(format_args!("{}\n", format_args!($($t)*)))
    };
}

/// `eprintln!` that never panics: a failure to write stderr is ignored.
macro_rules! errln {
    ($($t:tt)*) => {
        $crate::cli::output::write_stderr_line(format_args!($($t)*))
    };
}

pub(crate) use {errln, out, outln};

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

/// Exact: pretty JSON with a trailing newline, to stdout (see [`write_stdout`]).
pub fn print_json(v: &Value) -> Result<()> {
    outln!(
        "{}",
        serde_json::to_string_pretty(v).expect("JSON values serialize")
    )
}
