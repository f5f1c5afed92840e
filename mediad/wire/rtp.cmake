# RTP wire layer: packet view and rewrite, RFC 8285 header extensions,
# RFC 4588 retransmission, codec payload inspection.
list(APPEND BRAID_WIRE_SOURCES rtp_packet.c rtp_ext.c rtp_rtx.c rtp_codec.c)
