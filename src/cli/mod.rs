//! The command-line interface: argument definitions, dispatch and exit codes.
//!
//! Exit codes, the same for every command (also in `--help`):
//! 0 certified or verified; 1 refuted (a claim is false, or `--expect` is not met);
//! 2 bad input or I/O error (or a malformed certificate); 3 inconclusive (nothing false
//! was found, but not everything was proved: more precision or a smaller radius may
//! help). Every non-zero exit prints one line on stderr, except bare `relucert`, which
//! prints its usage (the help) on stderr and exits 2, as for any usage error.
//!
//! stdout is written only through [`output`] (one writer): a failure to write it (a full
//! disk, EIO) is exit 2 with `relucert: stdout: <the system's message>`, checked again by a
//! final flush before the exit code is returned; a closed pipe (`| head -1`) drops the rest
//! of stdout quietly and the command's own exit code stands.

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
mod ladder;
mod output;
mod progress;
mod regen;
mod scan;

use clap::{Parser, Subcommand};
use output::errln;

/// relucert: prove facts about the loss landscape of two-layer ReLU networks.
#[derive(Parser, Debug)]
#[command(
    name = "relucert",
    version,
    about,
    long_about = None,
    arg_required_else_help = true,
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
    /// The two-block ladder: certify every flip point flip(p) (p of d neurons flipped) at one d.
    Ladder(ladder::LadderArgs),
    /// Identify weight matrices: symmetry, certified critical point nearby, name (neurons as rows by default).
    Identify(identify::IdentifyArgs),
    /// Gradient descent from random starts; every endpoint certified and counted by type.
    Descend(descend::DescendArgs),
    /// Regenerate the shipped certificate set (certificates, comparison report, index).
    Regen(regen::RegenArgs),
}

/// Exact: the first line of a clap error without its `error: ` prefix (with the next line
/// when the first ends in a colon: "the following required arguments were not provided:").
fn first_line(e: &clap::Error) -> String {
    let text = e.to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut first = lines.next().unwrap_or("bad command line").to_string();
    if first.ends_with(':') {
        first = format!("{first} {}", lines.next().unwrap_or(""));
    }
    first.trim_start_matches("error: ").to_string()
}

/// Parse the command line and run; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // Bare `relucert`: the usage (the help) on stderr, exit 2 as for any usage error.
            errln!("{}", e.render().to_string().trim_end());
            return 2;
        }
        Err(e) if e.kind() == clap::error::ErrorKind::ValueValidation => {
            // A flag's value refused by the tool's own parser (args.rs): its one line.
            match std::error::Error::source(&e)
                .and_then(|s| s.downcast_ref::<relucert::error::Error>())
            {
                Some(own) => errln!("relucert: {own}"),
                None => errln!(
                    "relucert: {}; see relucert --help",
                    relucert::error::cut_line(first_line(&e).as_str())
                ),
            }
            return 2;
        }
        Err(e) if e.use_stderr() => {
            // One line, as for every bad input: clap's first line (without its usage
            // block), with the input cut if it is long.
            errln!(
                "relucert: {}; see relucert --help",
                relucert::error::cut_line(first_line(&e).as_str())
            );
            return 2;
        }
        Err(e) => {
            // --help and --version: stdout, checked like every other output.
            let printed = e
                .print()
                .or_else(output::stdout_failed)
                .and_then(|()| output::flush_stdout());
            return match printed {
                Ok(()) => 0,
                Err(e) => {
                    errln!("relucert: {e}");
                    2
                }
            };
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
        Command::Ladder(a) => ladder::run(a),
        Command::Identify(a) => identify::run(a),
        Command::Descend(a) => descend::run(a),
        Command::Regen(a) => regen::run(a),
    };
    // The final flush: output still buffered must reach stdout before the verdict's exit
    // code is given (a failure here is exit 2, never a silent 0).
    match result.and_then(|code| output::flush_stdout().map(|()| code)) {
        Ok(code) => code,
        Err(e) => {
            errln!("relucert: {e}");
            2
        }
    }
}
