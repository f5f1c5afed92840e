# Unit tests of the STUN wire layer (mediad/wire/stun_msg.c) and of RFC 4571
# framing (mediad/wire/tcp_framing.c), one binary each. With
# BRAID_STUN_SEED_DIR=<source dir>/fuzz/mediad/wire/corpus set, the tests
# also write their valid vectors as the fuzzers' seed corpora.
braid_unit_test(mediad_stun_msg_test stun_msg_test.c)
braid_unit_test(mediad_tcp_framing_test tcp_framing_test.c)
