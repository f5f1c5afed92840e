# One SCTP association on usrsctp (AF_CONN, no threads, loop-driven
# timers): the packet check, message reassembly, usrsctp's process-wide
# state and the association itself. usrsctp is found by CMakeLists.txt.
list(APPEND BRAID_SCTP_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/sctp_packet.c
  ${CMAKE_CURRENT_SOURCE_DIR}/sctp_reasm.c
  ${CMAKE_CURRENT_SOURCE_DIR}/sctp_global.c
  ${CMAKE_CURRENT_SOURCE_DIR}/sctp_assoc.c)
list(APPEND BRAID_SCTP_LIBS PkgConfig::USRSCTP)
