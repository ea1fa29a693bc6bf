// mimalloc: the contest hot path allocates many small buffers per request on
// two threads; the system allocator's locks cost a tenth of its throughput.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kehoach::cli::main()
}
