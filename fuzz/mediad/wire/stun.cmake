# Fuzzers of the STUN wire layer (mediad/wire/stun_msg.c) and of RFC 4571
# framing (mediad/wire/tcp_framing.c). Included by CMakeLists.txt, which
# instruments braid_wire and braid_common.
#
# Seed corpora: corpus/stun_msg/ and corpus/tcp_framing/ hold every valid
# unit-test vector. To write them again after changing the tests, run the
# unit tests with
#   BRAID_STUN_SEED_DIR=<source dir>/fuzz/mediad/wire/corpus
# (see tests/mediad/wire/stun_msg_test.c and tcp_framing_test.c; the
# tcp_framing seeds start with the fuzzer's 3 control bytes, which the test
# writes). stun_msg.dict holds the magic cookie and attribute types.
braid_add_fuzzer(mediad_stun_msg_fuzz
  SOURCES stun_msg_fuzz.c
  LIBS braid_wire braid_common
  CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/stun_msg
  DICT ${CMAKE_CURRENT_SOURCE_DIR}/stun_msg.dict)
braid_add_fuzzer(mediad_tcp_framing_fuzz
  SOURCES tcp_framing_fuzz.c
  LIBS braid_wire braid_common
  CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/tcp_framing)
