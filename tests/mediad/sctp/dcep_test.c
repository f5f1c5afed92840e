/* Unit tests of mediad/sctp/dcep.c: RFC 8832 OPEN and ACK from annotated
 * bytes, every channel type, every truncation, the malformed cases, and
 * the writers. With BRAID_SCTP_SEED_DIR=<dir> set, the valid messages are
 * written to <dir>/dcep/<name> as fuzzer seeds (fuzz/mediad/sctp). */
#include "mediad/sctp/dcep.h"

#include <sys/stat.h>

#include "tests/test.h"

static void seed(const char *name, const uint8_t *data, size_t len) {
  const char *dir = getenv("BRAID_SCTP_SEED_DIR");
  if (dir == NULL) return;
  char path[1024];
  snprintf(path, sizeof path, "%s/dcep", dir);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/dcep/%s", dir, name);
  FILE *f = fopen(path, "wb");
  ASSERT(f != NULL);
  ASSERT_EQ(fwrite(data, 1, len, f), len);
  fclose(f);
}

/* What Chrome sends for createDataChannel("chat", {protocol: "json"}). */
static const uint8_t open_chat[] = {
    0x03,                   /* Message Type: DATA_CHANNEL_OPEN */
    0x00,                   /* Channel Type: reliable, ordered */
    0x01, 0x00,             /* Priority: 256 (normal) */
    0x00, 0x00, 0x00, 0x00, /* Reliability Parameter: 0 */
    0x00, 0x04,             /* Label Length: 4 */
    0x00, 0x04,             /* Protocol Length: 4 */
    'c',  'h',  'a',  't',  /* Label */
    'j',  's',  'o',  'n',  /* Protocol */
};

/* An unordered channel with at most 3 retransmissions, no label or
 * protocol. */
static const uint8_t open_rexmit[] = {
    0x03,                   /* OPEN */
    0x81,                   /* PARTIAL_RELIABLE_REXMIT_UNORDERED */
    0x02, 0x00,             /* Priority: 512 (high) */
    0x00, 0x00, 0x00, 0x03, /* Reliability Parameter: 3 retransmissions */
    0x00, 0x00,             /* Label Length: 0 */
    0x00, 0x00,             /* Protocol Length: 0 */
};

/* An ordered timed channel (lifetime 1500 ms), label only. */
static const uint8_t open_timed[] = {
    0x03,                   /* OPEN */
    0x02,                   /* PARTIAL_RELIABLE_TIMED */
    0x00, 0x80,             /* Priority: 128 (below normal) */
    0x00, 0x00, 0x05, 0xdc, /* Reliability Parameter: 1500 ms */
    0x00, 0x01,             /* Label Length: 1 */
    0x00, 0x00,             /* Protocol Length: 0 */
    'x',                    /* Label */
};

static const uint8_t ack[] = {0x02 /* DATA_CHANNEL_ACK */};

BRAID_TEST(parse_open) {
  seed("open_chat", open_chat, sizeof open_chat);
  braid_dcep_msg_t m;
  ASSERT_EQ(braid_dcep_parse(&m, open_chat, sizeof open_chat, NULL), 0);
  ASSERT_EQ(m.type, BRAID_DCEP_MSG_OPEN);
  ASSERT_EQ(m.channel_type, BRAID_DCEP_CHANNEL_RELIABLE);
  ASSERT_EQ(m.priority, BRAID_DCEP_PRIORITY_NORMAL);
  ASSERT_EQ(m.reliability, 0);
  ASSERT_EQ(m.label_len, 4);
  ASSERT(m.label == open_chat + 12);
  ASSERT_MEM_EQ(m.label, "chat", 4);
  ASSERT_EQ(m.protocol_len, 4);
  ASSERT(m.protocol == open_chat + 16);
  ASSERT_MEM_EQ(m.protocol, "json", 4);
  ASSERT(braid_dcep_channel_ordered(m.channel_type));
  ASSERT_EQ(braid_dcep_channel_reliability(m.channel_type), BRAID_DCEP_RELIABLE);

  /* Serialise and compare. */
  uint8_t out[64];
  ASSERT_EQ(braid_dcep_open_len(&m), sizeof open_chat);
  ASSERT_EQ(braid_dcep_write_open(out, sizeof out, &m), (ssize_t)sizeof open_chat);
  ASSERT_MEM_EQ(out, open_chat, sizeof open_chat);
}

BRAID_TEST(parse_open_partial_reliability) {
  seed("open_rexmit", open_rexmit, sizeof open_rexmit);
  seed("open_timed", open_timed, sizeof open_timed);
  braid_dcep_msg_t m;
  ASSERT_EQ(braid_dcep_parse(&m, open_rexmit, sizeof open_rexmit, NULL), 0);
  ASSERT_EQ(m.channel_type, BRAID_DCEP_CHANNEL_REXMIT_UNORDERED);
  ASSERT_EQ(m.priority, BRAID_DCEP_PRIORITY_HIGH);
  ASSERT_EQ(m.reliability, 3);
  ASSERT(m.label == NULL && m.label_len == 0);
  ASSERT(m.protocol == NULL && m.protocol_len == 0);
  ASSERT(!braid_dcep_channel_ordered(m.channel_type));
  ASSERT_EQ(braid_dcep_channel_reliability(m.channel_type), BRAID_DCEP_REXMIT);
  uint8_t out[64];
  ASSERT_EQ(braid_dcep_write_open(out, sizeof out, &m), (ssize_t)sizeof open_rexmit);
  ASSERT_MEM_EQ(out, open_rexmit, sizeof open_rexmit);

  ASSERT_EQ(braid_dcep_parse(&m, open_timed, sizeof open_timed, NULL), 0);
  ASSERT_EQ(m.channel_type, BRAID_DCEP_CHANNEL_TIMED);
  ASSERT_EQ(m.priority, BRAID_DCEP_PRIORITY_BELOW_NORMAL);
  ASSERT_EQ(m.reliability, 1500);
  ASSERT_EQ(m.label_len, 1);
  ASSERT_EQ(m.label[0], 'x');
  ASSERT(m.protocol == NULL);
  ASSERT(braid_dcep_channel_ordered(m.channel_type));
  ASSERT_EQ(braid_dcep_channel_reliability(m.channel_type), BRAID_DCEP_TIMED);
  ASSERT_EQ(braid_dcep_write_open(out, sizeof out, &m), (ssize_t)sizeof open_timed);
  ASSERT_MEM_EQ(out, open_timed, sizeof open_timed);
}

BRAID_TEST(every_channel_type) {
  static const struct {
    uint8_t type;
    bool ordered;
    braid_dcep_reliability_t rel;
  } types[] = {
      {0x00, true, BRAID_DCEP_RELIABLE}, {0x80, false, BRAID_DCEP_RELIABLE},
      {0x01, true, BRAID_DCEP_REXMIT},   {0x81, false, BRAID_DCEP_REXMIT},
      {0x02, true, BRAID_DCEP_TIMED},    {0x82, false, BRAID_DCEP_TIMED},
  };
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    uint8_t msg[sizeof open_rexmit];
    memcpy(msg, open_rexmit, sizeof msg);
    msg[1] = types[i].type;
    braid_dcep_msg_t m;
    ASSERT_EQ(braid_dcep_parse(&m, msg, sizeof msg, NULL), 0);
    ASSERT_EQ(braid_dcep_channel_ordered(m.channel_type), types[i].ordered);
    ASSERT_EQ(braid_dcep_channel_reliability(m.channel_type), types[i].rel);
    ASSERT_EQ(braid_dcep_channel_type(types[i].ordered, types[i].rel), types[i].type);
    /* RFC 8832 §5.1: the parameter of a reliable channel is ignored. */
    ASSERT_EQ(m.reliability, types[i].rel == BRAID_DCEP_RELIABLE ? 0 : 3);
  }
  /* Every other channel type is refused. */
  for (unsigned t = 0; t < 256; t++) {
    bool known = t == 0x00 || t == 0x80 || t == 0x01 || t == 0x81 || t == 0x02 || t == 0x82;
    ASSERT_EQ(braid_dcep_channel_type_valid((uint8_t)t), known);
    uint8_t msg[sizeof open_rexmit];
    memcpy(msg, open_rexmit, sizeof msg);
    msg[1] = (uint8_t)t;
    braid_dcep_msg_t m;
    const char *why = NULL;
    ASSERT_EQ(braid_dcep_parse(&m, msg, sizeof msg, &why), known ? 0 : BRAID_EMALFORMED);
    if (!known) ASSERT_STR_EQ(why, "unknown channel type");
  }
}

BRAID_TEST(parse_ack) {
  seed("ack", ack, sizeof ack);
  braid_dcep_msg_t m;
  ASSERT_EQ(braid_dcep_parse(&m, ack, sizeof ack, NULL), 0);
  ASSERT_EQ(m.type, BRAID_DCEP_MSG_ACK);
  ASSERT_EQ(m.label_len + m.protocol_len + m.priority + m.channel_type, 0);
  uint8_t out[1];
  ASSERT_EQ(braid_dcep_write_ack(out, sizeof out), 1);
  ASSERT_EQ(out[0], 0x02);
  ASSERT_EQ(braid_dcep_write_ack(out, 0), BRAID_ETOOBIG);
  /* An ACK is exactly one byte. */
  static const uint8_t long_ack[] = {0x02, 0x00};
  const char *why = NULL;
  ASSERT_EQ(braid_dcep_parse(&m, long_ack, sizeof long_ack, &why), BRAID_EMALFORMED);
  ASSERT_STR_EQ(why, "bytes after an ACK");
  ASSERT_EQ(m.type, 0); /* zeroed on error */
}

BRAID_TEST(every_truncation) {
  /* Each prefix of an OPEN is refused as truncated, never read past. */
  for (size_t n = 0; n < sizeof open_chat; n++) {
    uint8_t *copy = malloc(n > 0 ? n : 1); /* exact size: ASan sees any overread */
    memcpy(copy, open_chat, n);
    braid_dcep_msg_t m;
    const char *why = NULL;
    ASSERT_EQ(braid_dcep_parse(&m, n > 0 ? copy : NULL, n, &why), BRAID_ETRUNC);
    ASSERT(why != NULL);
    free(copy);
  }
}

BRAID_TEST(malformed) {
  braid_dcep_msg_t m;
  const char *why = NULL;
  /* A type other than OPEN and ACK. */
  static const uint8_t unknown[] = {0x01, 0x00};
  ASSERT_EQ(braid_dcep_parse(&m, unknown, sizeof unknown, &why), BRAID_EUNKNOWN);
  ASSERT_STR_EQ(why, "unknown DCEP message type");
  /* A byte after the protocol: the lengths do not add up. */
  uint8_t longer[sizeof open_chat + 1];
  memcpy(longer, open_chat, sizeof open_chat);
  longer[sizeof open_chat] = 0;
  ASSERT_EQ(braid_dcep_parse(&m, longer, sizeof longer, &why), BRAID_EMALFORMED);
  ASSERT_STR_EQ(why, "bytes after the protocol of an OPEN");
  /* Lengths that claim more than there is (64 KiB each). */
  uint8_t huge[sizeof open_chat];
  memcpy(huge, open_chat, sizeof huge);
  huge[8] = huge[9] = huge[10] = huge[11] = 0xff;
  ASSERT_EQ(braid_dcep_parse(&m, huge, sizeof huge, &why), BRAID_ETRUNC);
  ASSERT_STR_EQ(why, "OPEN shorter than its label and protocol lengths");
  /* why may be NULL. */
  ASSERT_EQ(braid_dcep_parse(&m, huge, sizeof huge, NULL), BRAID_ETRUNC);
}

BRAID_TEST(write_open_errors) {
  braid_dcep_msg_t m = {.channel_type = 0x03};
  uint8_t out[64];
  ASSERT_EQ(braid_dcep_write_open(out, sizeof out, &m), BRAID_EINVAL);
  m.channel_type = BRAID_DCEP_CHANNEL_RELIABLE;
  m.label_len = 3; /* with a NULL label */
  ASSERT_EQ(braid_dcep_write_open(out, sizeof out, &m), BRAID_EINVAL);
  m.label = (const uint8_t *)"abc";
  ASSERT_EQ(braid_dcep_write_open(out, 14, &m), BRAID_ETOOBIG);
  ASSERT_EQ(braid_dcep_write_open(out, 15, &m), 15);
  /* A reliable channel writes its parameter as 0 whatever it holds. */
  m.reliability = 77;
  ASSERT_EQ(braid_dcep_write_open(out, sizeof out, &m), 15);
  ASSERT_EQ(out[4] | out[5] | out[6] | out[7], 0);
  /* Round trip of the largest strings. */
  static uint8_t big[65535];
  memset(big, 'a', sizeof big);
  m.label = big;
  m.label_len = 65535;
  m.protocol = big;
  m.protocol_len = 65535;
  size_t n = braid_dcep_open_len(&m);
  ASSERT_EQ(n, 12 + 2 * 65535);
  uint8_t *buf = malloc(n);
  ASSERT_EQ(braid_dcep_write_open(buf, n, &m), (ssize_t)n);
  braid_dcep_msg_t back;
  ASSERT_EQ(braid_dcep_parse(&back, buf, n, NULL), 0);
  ASSERT_EQ(back.label_len, 65535);
  ASSERT_EQ(back.protocol_len, 65535);
  ASSERT(back.protocol == buf + 12 + 65535);
  free(buf);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(parse_open)
    BRAID_TEST_ENTRY(parse_open_partial_reliability)
    BRAID_TEST_ENTRY(every_channel_type)
    BRAID_TEST_ENTRY(parse_ack)
    BRAID_TEST_ENTRY(every_truncation)
    BRAID_TEST_ENTRY(malformed)
    BRAID_TEST_ENTRY(write_open_errors)
)
/* clang-format on */
