# SRTP protect/unprotect cost with the libsrtp2 Braid links (braid::srtp2).
# docs/BENCHMARKS.md has the numbers and the command.
add_executable(srtp_bench ${CMAKE_CURRENT_SOURCE_DIR}/srtp_bench.c)
target_link_libraries(srtp_bench PRIVATE braid_sec)

# The same benchmark against Debian's NSS-backed libsrtp2, for comparison,
# when the build links our OpenSSL one and Debian's is installed too. It
# compiles its own copy of srtp_session.c: one binary, one libsrtp2.
if(BRAID_SRTP_BACKEND STREQUAL "openssl")
  pkg_check_modules(BRAID_NSS_SRTP2 QUIET IMPORTED_TARGET libsrtp2>=2.5)
  if(BRAID_NSS_SRTP2_FOUND)
    add_executable(srtp_bench_nss ${CMAKE_CURRENT_SOURCE_DIR}/srtp_bench.c
                   ${CMAKE_SOURCE_DIR}/mediad/sec/srtp_session.c)
    target_compile_definitions(srtp_bench_nss PRIVATE BRAID_SRTP_FALLBACK_NSS=1)
    target_link_libraries(srtp_bench_nss PRIVATE braid_common PkgConfig::BRAID_NSS_SRTP2)
  endif()
endif()

# A quick smoke run under ctest keeps it building and working (the top level
# enables testing only after this directory is added, hence enable_testing()).
if(BRAID_BUILD_TESTS)
  enable_testing()
  add_test(NAME srtp_bench_smoke COMMAND srtp_bench --quick)
endif()
