//! The `relucert` binary: parse, run, exit code (all logic lives in the library).

fn main() {
    std::process::exit(relucert::cli::main());
}
