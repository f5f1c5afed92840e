# Fuzzers of the RTP wire layer (mediad/wire/rtp_*.c). Included by
# CMakeLists.txt, which instruments braid_wire and braid_common.
#
# Seed corpora: corpus/rtp_<name>/ holds every valid unit-test vector. To
# write them again after changing the tests, run the unit tests with
#   BRAID_RTP_SEED_DIR=<source dir>/fuzz/mediad/wire/corpus
# (see tests/mediad/wire/rtp_*_test.c); captured packets are added by hand.
foreach(name packet ext rtx codec)
  braid_add_fuzzer(mediad_rtp_${name}_fuzz
    SOURCES rtp_${name}_fuzz.c
    LIBS braid_wire braid_common
    CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/rtp_${name})
endforeach()
