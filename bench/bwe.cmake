# What the send-side bandwidth estimate costs per packet: recording each
# packet sent, and turning the endpoint's TWCC feedback into the estimate
# (docs/BENCHMARKS.md, "Bandwidth estimation").
set(BRAID_RTC_STREAM_SOURCES "")
include(${CMAKE_SOURCE_DIR}/mediad/rtc/stream.cmake)
add_library(bench_rtc_stream STATIC ${BRAID_RTC_STREAM_SOURCES})
target_link_libraries(bench_rtc_stream PUBLIC braid_wire braid_common m)
add_executable(bwe_bench ${CMAKE_CURRENT_SOURCE_DIR}/bwe_bench.c)
target_link_libraries(bwe_bench PRIVATE bench_rtc_stream)

if(BRAID_BUILD_TESTS)
  enable_testing()
  add_test(NAME bwe_bench_smoke COMMAND bwe_bench 20000)
endif()
