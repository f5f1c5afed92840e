# DTLS fuzzers (see ../CMakeLists.txt of fuzz/ for braid_add_fuzzer).
braid_add_fuzzer(mediad_sec_dtls_transport_fuzz
  SOURCES dtls_transport_fuzz.c
  LIBS braid_sec braid_common
  CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/dtls_transport)
braid_add_fuzzer(mediad_sec_dtls_cert_fuzz
  SOURCES dtls_cert_fuzz.c
  LIBS braid_sec braid_common
  CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/dtls_cert)

# Writes the seed corpora (not built by default):
#   mediad_sec_dtls_gen_corpus <source dir>/fuzz/mediad/sec/corpus
add_executable(mediad_sec_dtls_gen_corpus EXCLUDE_FROM_ALL dtls_gen_corpus.c)
target_link_options(mediad_sec_dtls_gen_corpus PRIVATE ${BRAID_FUZZ_SAN_FLAGS})
target_link_libraries(mediad_sec_dtls_gen_corpus PRIVATE braid_sec braid_common)
