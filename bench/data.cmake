# Per-message cost of DataChannel forwarding through the data path (data
# transport, data producer, data consumers, usrsctp), end to end between
# in-process SCTP endpoints, for 1 and 10 consumers and 100 B..256 KiB.
# docs/BENCHMARKS.md has the numbers and the command.
add_executable(data_forward_bench ${CMAKE_CURRENT_SOURCE_DIR}/data_forward_bench.c
                                  ${CMAKE_CURRENT_SOURCE_DIR}/data_profile.c)
target_link_libraries(data_forward_bench PRIVATE braid_mediad_core)
# Its profile runs time usrsctp's entry points and two of ours through the
# linker's --wrap (see the header comment of data_forward_bench.c).
target_link_options(data_forward_bench PRIVATE
  "LINKER:--wrap=usrsctp_conninput,--wrap=usrsctp_sendv"
  "LINKER:--wrap=braid_sctp_packet_check_crc,--wrap=braid_data_producer_receive")

# A quick smoke run under ctest keeps it building, and its checks (every
# subscriber received every message, whole and in order; nothing dropped)
# passing.
if(BRAID_BUILD_TESTS)
  enable_testing()
  add_test(NAME data_forward_bench_smoke COMMAND data_forward_bench --quick)
endif()
