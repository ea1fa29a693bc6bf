fn main() -> std::process::ExitCode {
    kehoach::cli::main()
}
