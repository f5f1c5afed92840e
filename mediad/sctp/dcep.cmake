# RFC 8832 DCEP messages: a pure parser and writer (no usrsctp).
list(APPEND BRAID_SCTP_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/dcep.c)
