//! The `tifa` command: a thin shell over the library (argument parsing, exit codes, output files).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
