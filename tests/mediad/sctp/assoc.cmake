# Unit tests of the usrsctp wrapper: the packet check, reassembly, and the
# association, with two associations wired together in one process
# (harness: sctp_assoc_harness.h), split by concern. With
# BRAID_SCTP_SEED_DIR=<source dir>/fuzz/mediad/sctp/corpus set, the packet
# test also writes its valid packets as the packet fuzzer's seeds.
set(BRAID_TEST_LIBS braid_sctp)
braid_unit_test(mediad_sctp_packet_test sctp_packet_test.c)
braid_unit_test(mediad_sctp_reasm_test sctp_reasm_test.c)
braid_unit_test(mediad_sctp_assoc_test sctp_assoc_test.c)
braid_unit_test(mediad_sctp_assoc_reliability_test sctp_assoc_reliability_test.c)
braid_unit_test(mediad_sctp_assoc_input_test sctp_assoc_input_test.c)
# The internals a peer cannot reach on purpose (queue overflow, stale ids):
# the test compiles sctp_assoc.c itself, so it takes the other sources of
# the library rather than braid_sctp.
set(BRAID_TEST_LIBS braid_common PkgConfig::USRSCTP)
braid_unit_test(mediad_sctp_assoc_queue_test sctp_assoc_queue_test.c
                ${CMAKE_SOURCE_DIR}/mediad/sctp/sctp_packet.c
                ${CMAKE_SOURCE_DIR}/mediad/sctp/sctp_reasm.c
                ${CMAKE_SOURCE_DIR}/mediad/sctp/sctp_global.c)
