//! The `embargo` command: a thin shell over the library. Each subcommand lives in
//! `src/cli/`; none of them holds screening logic of its own.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
