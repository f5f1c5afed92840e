# ICE-lite agent of WebRTC transports (mediad/rtc/ice_lite.c). Included by
# mediad/CMakeLists.txt, which compiles BRAID_MEDIAD_RTC_SOURCES into
# braid_mediad_core; it needs braid_wire (STUN) and braid_common.
list(APPEND BRAID_MEDIAD_RTC_SOURCES ${CMAKE_CURRENT_LIST_DIR}/ice_lite.c)
