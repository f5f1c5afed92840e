# SRTP/SRTCP sessions on libsrtp2 (braid::srtp2, cmake/BraidSrtp.cmake: our
# static OpenSSL build, or Debian's NSS build as a loud fallback).
list(APPEND BRAID_SEC_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/srtp_session.c)
list(APPEND BRAID_SEC_LIBS braid::srtp2)
