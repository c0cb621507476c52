fn main() -> std::process::ExitCode {
    mlscan::cli::run()
}
