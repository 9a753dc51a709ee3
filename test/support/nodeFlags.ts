/**
 * Flags for every node process of the test run: the test files (test/run.mjs passes them on) and the
 * servers and CLIs they spawn.
 *
 * `--liftoff-only` keeps PGlite's WebAssembly on V8's baseline compiler (Liftoff). By default V8
 * recompiles every function that gets warm with its optimising compiler (TurboFan) on background
 * threads, and a PGlite start warms most of PostgreSQL: a server on PGlite spent 2.4 CPU-seconds from
 * spawn to its exit after SIGTERM, 1.35 with the flag (1.6 → 1.1 s of wall time), and the suite opens
 * PGlite a hundred-odd times on two cores. What it costs is speed in long runs, which no test
 * measures (the benchmarks run without it). WebAssembly means the same under either compiler.
 * (V8 refuses the flag in NODE_OPTIONS, so it goes on each command line.)
 */
export const TEST_NODE_FLAGS: readonly string[] = ['--liftoff-only']
