# What a pipe (a producer piped between media daemons) costs per packet:
# the origin's pipe consumer, the far daemon's piped producer, both ends
# together, and NACKs answered from the producer's store.
# docs/BENCHMARKS.md has the numbers and the commands; pipe_callgrind.sh
# gives instruction counts under valgrind.
add_executable(pipe_bench ${CMAKE_CURRENT_SOURCE_DIR}/pipe_bench.c)
target_link_libraries(pipe_bench PRIVATE bench_fwd_kit)

# A quick smoke run under ctest keeps it building, and its checks (every
# packet forwarded and through the pipe unchanged, every NACK answered)
# passing. It asserts nothing about time.
if(BRAID_BUILD_TESTS)
  enable_testing()
  add_test(NAME pipe_bench_smoke COMMAND pipe_bench --quick --consumers 1,10)
endif()
