# Fuzzer of mediad/sec/srtp_session.c (unprotect of peer bytes, round trips,
# keyBase64); ./CMakeLists.txt instruments braid_sec. libsrtp2 itself is not
# instrumented (it has its own fuzzer upstream).
braid_add_fuzzer(mediad_sec_srtp_session_fuzz
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/srtp_session_fuzz.c
  LIBS braid_sec braid_common
  CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/srtp_session)
