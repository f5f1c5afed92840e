# Stream logic of the forwarding path (mediad/rtc/): sans-I/O modules
# between "a producer's packet arrived" and "a consumer sends it". Paths
# are absolute, so the fragment can be included from any directory; it
# only appends to BRAID_RTC_STREAM_SOURCES.
list(APPEND BRAID_RTC_STREAM_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/rtp_listener.c
  ${CMAKE_CURRENT_LIST_DIR}/seq_rewriter.c
  ${CMAKE_CURRENT_LIST_DIR}/simulcast_selector.c
  ${CMAKE_CURRENT_LIST_DIR}/svc_selector.c
  ${CMAKE_CURRENT_LIST_DIR}/keyframe_requester.c
  ${CMAKE_CURRENT_LIST_DIR}/rtx_buffer.c
  ${CMAKE_CURRENT_LIST_DIR}/nack_generator.c
  ${CMAKE_CURRENT_LIST_DIR}/rtp_score.c
  ${CMAKE_CURRENT_LIST_DIR}/rtp_recv_stats.c
  ${CMAKE_CURRENT_LIST_DIR}/rtp_send_stats.c
  ${CMAKE_CURRENT_LIST_DIR}/twcc_recorder.c
  ${CMAKE_CURRENT_LIST_DIR}/speaker_detector.c
  ${CMAKE_CURRENT_LIST_DIR}/audio_level_observer.c
  ${CMAKE_CURRENT_LIST_DIR}/twcc_history.c
  ${CMAKE_CURRENT_LIST_DIR}/bwe_delay.c
  ${CMAKE_CURRENT_LIST_DIR}/bwe.c
  ${CMAKE_CURRENT_LIST_DIR}/remb_server.c)
