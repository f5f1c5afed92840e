# Unit tests of mediad/sec DTLS: the identity; the association, with two
# transports wired together in one process (harness: dtls_test.h), split by
# concern; and interop with the openssl command-line tool as a real peer
# over loopback UDP.
set(BRAID_TEST_LIBS braid_sec)
braid_unit_test(mediad_sec_dtls_cert_test dtls_cert_test.c)
braid_unit_test(mediad_sec_dtls_transport_test dtls_transport_test.c)
braid_unit_test(mediad_sec_dtls_transport_input_test dtls_transport_input_test.c)
braid_unit_test(mediad_sec_dtls_transport_timer_test dtls_transport_timer_test.c)
braid_unit_test(mediad_sec_dtls_openssl_test dtls_openssl_test.c)
