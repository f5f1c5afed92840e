# BraidSrtp.cmake: which libsrtp2 Braid links (issue 3).
#
# Preferred: the static libsrtp2 2.5+ built with its OpenSSL backend by
# tools/build-libsrtp.sh into BRAID_LIBSRTP_DIR (tools/braid-dev runs it
# before configuring). Fallback: Debian's libsrtp2 through pkg-config, which
# is built against NSS and costs ~5x more CPU per packet; the configure step
# then warns loudly and compiles with BRAID_SRTP_FALLBACK_NSS=1, so that
# braid_srtp_backend() reports it at run time.
#
# Defines the target braid::srtp2 (link it; never PkgConfig::LIBSRTP2, so one
# binary cannot end up with two libsrtp2 builds) and BRAID_SRTP_BACKEND
# ("openssl" or "nss").
set(BRAID_LIBSRTP_DIR "${CMAKE_SOURCE_DIR}/build/third_party/libsrtp2" CACHE PATH
    "Prefix of libsrtp2 built with OpenSSL by tools/build-libsrtp.sh")

if(TARGET braid::srtp2)
  return()
endif()

if(EXISTS "${BRAID_LIBSRTP_DIR}/lib/libsrtp2.a" AND
   EXISTS "${BRAID_LIBSRTP_DIR}/include/srtp2/srtp.h")
  # The static library needs libcrypto (and, per its libsrtp2.pc, -ldl and
  # -pthread) on the link line after it.
  pkg_check_modules(BRAID_LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto>=1.1.0)
  find_package(Threads REQUIRED)
  add_library(braid::srtp2 STATIC IMPORTED GLOBAL)
  set_target_properties(braid::srtp2 PROPERTIES
    IMPORTED_LOCATION "${BRAID_LIBSRTP_DIR}/lib/libsrtp2.a"
    INTERFACE_INCLUDE_DIRECTORIES "${BRAID_LIBSRTP_DIR}/include"
    INTERFACE_LINK_LIBRARIES "PkgConfig::BRAID_LIBCRYPTO;Threads::Threads;${CMAKE_DL_LIBS}")
  set(BRAID_SRTP_BACKEND openssl)
  message(STATUS "libsrtp2: static build with OpenSSL in ${BRAID_LIBSRTP_DIR}")
else()
  pkg_check_modules(LIBSRTP2 REQUIRED IMPORTED_TARGET libsrtp2>=2.5)
  add_library(braid::srtp2 INTERFACE IMPORTED GLOBAL)
  set_target_properties(braid::srtp2 PROPERTIES
    INTERFACE_LINK_LIBRARIES PkgConfig::LIBSRTP2
    INTERFACE_COMPILE_DEFINITIONS BRAID_SRTP_FALLBACK_NSS=1)
  set(BRAID_SRTP_BACKEND nss)
  message(WARNING
    "\n"
    "****************************************************************************\n"
    "  libsrtp2 FALLBACK: no OpenSSL build of libsrtp2 in\n"
    "    ${BRAID_LIBSRTP_DIR}\n"
    "  (lib/libsrtp2.a and include/srtp2/srtp.h), so Braid links Debian's\n"
    "  NSS-backed libsrtp2 ${LIBSRTP2_VERSION}, whose SRTP costs ~5x more CPU per packet\n"
    "  (~4,900 vs ~1,000 ns to protect 1,200 bytes, docs/BENCHMARKS.md).\n"
    "  Fix: run tools/build-libsrtp.sh (as root), then configure again with\n"
    "  -DBRAID_LIBSRTP_DIR=<its prefix>.\n"
    "****************************************************************************")
endif()
