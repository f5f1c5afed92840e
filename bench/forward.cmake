# Per-packet cost of the forwarding path (transport, producer, consumers)
# with SRTP on the way out, for 1, 10 and 100 consumers.
# docs/BENCHMARKS.md has the numbers and the command.
# fwd_kit.c: the fake transports, packets and commands forward_bench and
# pipe_bench (pipe.cmake) share.
add_library(bench_fwd_kit STATIC ${CMAKE_CURRENT_SOURCE_DIR}/fwd_kit.c)
target_link_libraries(bench_fwd_kit PUBLIC braid_mediad_core)
add_executable(forward_bench ${CMAKE_CURRENT_SOURCE_DIR}/forward_bench.c)
target_link_libraries(forward_bench PRIVATE bench_fwd_kit)

# A quick smoke run under ctest keeps it building, and its checks (every
# consumer sent every packet, the SRTP output decrypts) passing.
if(BRAID_BUILD_TESTS)
  enable_testing()
  add_test(NAME forward_bench_smoke COMMAND forward_bench --quick)
endif()
