//! The command-line interface: argument definitions, dispatch and exit codes.
//!
//! Exit codes, the same for every command (also in `--help`):
//! 0 certified or verified; 1 refuted (a claim is false, or `--expect` is not met);
//! 2 bad input or I/O error (or a malformed certificate); 3 inconclusive (nothing false
//! was found, but not everything was proved: more precision or a smaller radius may
//! help). Every non-zero exit prints one line on stderr.

/// Exit code: a claim is false, or `--expect` is not met.
pub const EXIT_REFUTED: i32 = 1;
/// Exit code: not everything could be proved.
pub const EXIT_INCONCLUSIVE: i32 = 3;

mod arcs;
mod args;
mod certify;
mod compare;
mod descend;
mod eval;
mod find;
mod identify;
mod output;
mod progress;
mod regen;
mod scan;

use clap::{Parser, Subcommand};

/// relucert: prove facts about the loss landscape of two-layer ReLU networks.
#[derive(Parser, Debug)]
#[command(
    name = "relucert",
    version,
    about,
    long_about = None,
    after_help = "Exit codes: 0 certified or verified; 1 refuted (a claim is false, or --expect not met); 2 bad input, I/O error or malformed certificate; 3 inconclusive (more precision or a smaller radius may help)."
)]
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
    /// Re-check certificate files (exit 0 all verified, 1 refuted, 2 malformed, 3 inconclusive).
    Verify(certify::VerifyArgs),
    /// Compare families across d: smallest-eigenvalue component, margins, gaps (x sqrt d).
    Compare(compare::CompareArgs),
    /// Identify weight matrices: symmetry, certified critical point nearby, name (neurons as rows by default).
    Identify(identify::IdentifyArgs),
    /// Gradient descent from random starts; every endpoint certified and counted by type.
    Descend(descend::DescendArgs),
    /// Regenerate the shipped certificate set (certificates, comparison report, index).
    Regen(regen::RegenArgs),
}

/// Parse the command line and run; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if e.use_stderr() => {
            // One line, as for every bad input: clap's first line (without its usage
            // block), with the input cut if it is long.
            let text = e.to_string();
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let mut first = lines.next().unwrap_or("bad command line").to_string();
            if first.ends_with(':') {
                // "the following required arguments were not provided:" names them next.
                first = format!("{first} {}", lines.next().unwrap_or(""));
            }
            let first = first.trim_start_matches("error: ");
            eprintln!(
                "relucert: {}; see relucert --help",
                relucert::error::cut_line(first)
            );
            return 2;
        }
        Err(e) => {
            let _ = e.print();
            return 0;
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
        Command::Identify(a) => identify::run(a),
        Command::Descend(a) => descend::run(a),
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
