/*
 * BENCH_SANITIZED: defined when the benchmark is built with ASan or TSan,
 * whose timings mean nothing (the benchmarks then only check that they
 * run, and say so).
 */
#ifndef BRAID_BENCH_SANITIZED_H
#define BRAID_BENCH_SANITIZED_H

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BENCH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define BENCH_SANITIZED 1
#endif
#endif

#endif
