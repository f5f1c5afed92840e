# Fuzzers of the RTCP wire layer (mediad/wire/rtcp/). Included by
# CMakeLists.txt, which instruments braid_wire and braid_common.
#
#   mediad_rtcp_compound_fuzz  a datagram: compound iteration, every
#                              sub-parser on every packet, rebuild, re-parse,
#                              the compound builder
#   mediad_rtcp_<type>_fuzz    one packet (any bytes) to one parser, with the
#                              checks of rtcp_check.h (views inside the
#                              input, the header agreeing, parse -> build ->
#                              parse), and for most types the writer driven
#                              by the same input as a recipe; one per parser:
#                              report_block sr rr sdes bye app xr fb pli fir
#                              remb nack twcc
#
# Every target runs under ctest over a copy of its seed corpus (see
# braid_add_fuzzer() in fuzz/CMakeLists.txt), with rtcp_<type>.dict when
# there is one.
#
# Seed corpora: corpus/rtcp_<type>/ holds the unit-test vectors of that
# type: the valid ones (<type>_*) and the annotated malformed ones
# (bad_<type>_*), written by the unit tests of tests/mediad/wire/rtcp/ when
# run with BRAID_RTCP_SEED_DIR=<dir> (see rtcp_test.h); then the packets of
# that type cut out of the Chromium 156 captures of corpus/rtcp_compound/
# (capture_*, loopback call with --disable-webrtc-encryption), named
# capture_<compound>_<index>. corpus/rtcp_compound/ holds the valid vectors
# of every type, the captures and compound_every_type, the concatenation of
# one vector of each type. rtcp_seeds.py does all of this again:
#   python3 fuzz/mediad/wire/rtcp_seeds.py <build dir>
foreach(name compound report_block sr rr sdes bye app xr fb pli fir remb nack twcc)
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
