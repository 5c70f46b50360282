fn main() -> std::process::ExitCode {
    handprint::cli::main()
}
