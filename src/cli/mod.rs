//! The command-line interface: argument definitions, dispatch and exit codes.
//!
//! Exit codes: 0 certified / success, 1 refuted (or, for `verify`, not all verified),
//! 2 inconclusive, bad input, I/O error. Errors print one line on stderr.

mod arcs;
mod args;
mod certify;
mod compare;
mod eval;
mod find;
mod output;
mod regen;
mod scan;

use clap::{Parser, Subcommand};

/// relucert: prove facts about the loss landscape of two-layer ReLU networks.
#[derive(Parser, Debug)]
#[command(name = "relucert", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Locate a family's critical point (approximate) and classify it by the dense spectrum.
    Find(find::FindArgs),
    /// Find the distinct critical points of a fixed space from random starts.
    Scan(scan::ScanArgs),
    /// Enclose the loss, reduced gradient and reduced Hessian at a point refined at a precision.
    Eval(eval::EvalArgs),
    /// Prove a unique critical point, its loss, spectrum and classification; write a certificate.
    Certify(certify::CertifyArgs),
    /// Tangency arcs leaving a certified critical point: types, certified points, ends.
    Arcs(arcs::ArcsArgs),
    /// Re-check certificate files independently (exit 0 all verified, 1 not all, 2 malformed).
    Verify(certify::VerifyArgs),
    /// Compare families across d: smallest-eigenvalue component, margins, gaps (x sqrt d).
    Compare(compare::CompareArgs),
    /// Regenerate the shipped certificate set (certificates, comparison report, index).
    Regen(regen::RegenArgs),
}

/// Parse the command line and run; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let result = match &cli.command {
        Command::Find(a) => find::run(a),
        Command::Scan(a) => scan::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Certify(a) => certify::run(a),
        Command::Verify(a) => certify::run_verify(a),
        Command::Arcs(a) => arcs::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Regen(a) => regen::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("relucert: {e}");
            2
        }
    }
}
