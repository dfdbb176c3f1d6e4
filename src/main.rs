//! The `relucert` binary: parse, run, exit code (all logic lives in the library).

// mimalloc (with its `override` feature, also for GMP/MPFR's allocations): the interval
// and AD arithmetic allocate per operation, and glibc's malloc costs about a third of
// the run time there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(relucert::cli::main());
}
