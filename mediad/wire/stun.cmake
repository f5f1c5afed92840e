# STUN wire layer: the message parser, checks and writer (RFC 5389/8489),
# and RFC 4571 framing for ICE-TCP. Included by CMakeLists.txt.
list(APPEND BRAID_WIRE_SOURCES stun_msg.c tcp_framing.c)
