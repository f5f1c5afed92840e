# SRTP sessions (mediad/sec/srtp_session.c). The test also links OpenSSL
# (through braid_sec) for its independent known-answer references.
set(BRAID_TEST_LIBS braid_sec)
braid_unit_test(mediad_sec_srtp_session_test srtp_session_test.c)
