# Fuzzers of the usrsctp wrapper: the packet check (pure) and one
# association fed packets as if from its peer (sctp_assoc_fuzz.h explains
# the input format and the rewriting). usrsctp itself is not instrumented
# (it has its own fuzzers upstream); its code runs under the sanitizers'
# interceptors only.
#
# Seed corpora: corpus/sctp_packet/ comes from the unit tests (run
# mediad_sctp_packet_test with BRAID_SCTP_SEED_DIR=<source dir>/fuzz/mediad/sctp/corpus);
# corpus/sctp_assoc/ from real sessions captured by the generator:
#   mediad_sctp_gen_corpus <source dir>/fuzz/mediad/sctp/corpus
braid_add_fuzzer(mediad_sctp_packet_fuzz
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sctp_packet_fuzz.c
  LIBS braid_sctp braid_common
  CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/sctp_packet)
braid_add_fuzzer(mediad_sctp_assoc_fuzz
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sctp_assoc_fuzz.c
  LIBS braid_sctp braid_common
  CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/sctp_assoc)

add_executable(mediad_sctp_gen_corpus EXCLUDE_FROM_ALL sctp_gen_corpus.c)
target_link_options(mediad_sctp_gen_corpus PRIVATE ${BRAID_FUZZ_SAN_FLAGS})
target_link_libraries(mediad_sctp_gen_corpus PRIVATE braid_sctp braid_common)
