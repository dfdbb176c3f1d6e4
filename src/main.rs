//! The `relucert` binary: parse, run, exit code. The command line lives here and calls
//! only the public library.

// mimalloc (with its `override` feature, also for GMP/MPFR's allocations): the interval
// and AD arithmetic allocate per operation, and glibc's malloc costs about a third of
// the run time there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli;

fn main() -> std::process::ExitCode {
    let code = cli::main();
    std::process::ExitCode::from(u8::try_from(code).unwrap_or(2))
}
