# Unit tests of RFC 8832 DCEP messages (mediad/sctp/dcep.c). With
# BRAID_SCTP_SEED_DIR=<source dir>/fuzz/mediad/sctp/corpus set, the test
# also writes its valid messages as the fuzzer's seeds.
set(BRAID_TEST_LIBS braid_sctp)
braid_unit_test(mediad_sctp_dcep_test dcep_test.c)
