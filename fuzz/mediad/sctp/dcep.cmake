# Fuzzer of RFC 8832 DCEP messages (mediad/sctp/dcep.c); ./CMakeLists.txt
# instruments braid_sctp. corpus/dcep/ holds the unit tests' messages: to
# write them again, run mediad_sctp_dcep_test with
#   BRAID_SCTP_SEED_DIR=<source dir>/fuzz/mediad/sctp/corpus
braid_add_fuzzer(mediad_sctp_dcep_fuzz
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/dcep_fuzz.c
  LIBS braid_sctp braid_common
  CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/dcep)
