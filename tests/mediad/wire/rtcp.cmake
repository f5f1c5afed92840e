# Unit tests of mediad/wire/rtcp/: one binary per source file (STYLE.md
# rules 3 and 36). Included by CMakeLists.txt (BRAID_TEST_LIBS = braid_wire).
#
# Running them with BRAID_RTCP_SEED_DIR=<dir> also writes every valid test
# vector to <dir>, the source of the fuzzers' seed corpora (see
# fuzz/mediad/wire/rtcp.cmake).
foreach(name header compound builder report_block sr rr sdes bye app xr fb nack pli fir remb twcc)
  braid_unit_test(mediad_rtcp_${name}_test rtcp/${name}_test.c)
endforeach()
