/**
 * Benchmarks of DESIGN §16, never shipped: JMH microbenchmarks of the hot paths (request encoding, SSE decoding, the
 * event fan-out, store writes, permission decisions, edit matching, grep) and the mains {@code bench/run} drives
 * ({@link dev.lathe.bench.ServerBench}: many sessions against a real server process; {@link
 * dev.lathe.bench.GrepBench}). Test-only, so free to import any module (the boundary test exempts it); the small
 * classes under {@code dev.lathe.llm.*} and {@code dev.lathe.tools.builtin} in this module reach package-private
 * encoders and search from inside those packages.
 */
package dev.lathe.bench;
