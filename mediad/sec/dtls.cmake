# DTLS for WebRTC transports: the process identity and one association per
# transport (OpenSSL is linked by CMakeLists.txt).
list(APPEND BRAID_SEC_SOURCES dtls_cert.c dtls_transport.c)
