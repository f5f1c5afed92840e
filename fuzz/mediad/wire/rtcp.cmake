# Fuzzers of the RTCP wire layer (mediad/wire/rtcp/). Included by
# CMakeLists.txt, which instruments braid_wire and braid_common.
#
#   mediad_rtcp_compound_fuzz  a datagram: compound iteration, every
#                              sub-parser on every packet, rebuild, re-parse
#   mediad_rtcp_twcc_fuzz      TWCC parse -> build -> parse, and the builder
#                              on generated arrival lists
#   mediad_rtcp_nack_fuzz      NACK parse -> expand -> build, and the builder
#                              on generated sorted lists
#
# Seed corpora: corpus/rtcp_<name>/ holds the valid unit-test vectors
# (regenerate them by running the unit tests with BRAID_RTCP_SEED_DIR set,
# see tests/mediad/wire/rtcp/rtcp_test.h), plus datagrams captured from
# Chromium 156 (capture_*, loopback call with --disable-webrtc-encryption)
# and compound_every_type, the concatenation of one vector of each type.
foreach(name compound twcc nack)
  set(dict "")
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/rtcp_${name}.dict)
    set(dict DICT ${CMAKE_CURRENT_SOURCE_DIR}/rtcp_${name}.dict)
  endif()
  braid_add_fuzzer(mediad_rtcp_${name}_fuzz
    SOURCES rtcp_${name}_fuzz.c
    LIBS braid_wire braid_common
    CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/rtcp_${name}
    ${dict})
endforeach()
