/*
 * RFC 8832 DCEP messages (see dcep.h for the diagram and the contract).
 */
#include "mediad/sctp/dcep.h"

#include <string.h>

#include "common/bytes.h"
#include "common/rd.h"

bool braid_dcep_channel_type_valid(uint8_t channel_type) {
  switch (channel_type) {
  case BRAID_DCEP_CHANNEL_RELIABLE:
  case BRAID_DCEP_CHANNEL_RELIABLE_UNORDERED:
  case BRAID_DCEP_CHANNEL_REXMIT:
  case BRAID_DCEP_CHANNEL_REXMIT_UNORDERED:
  case BRAID_DCEP_CHANNEL_TIMED:
  case BRAID_DCEP_CHANNEL_TIMED_UNORDERED: return true;
  default: return false;
  }
}

braid_dcep_reliability_t braid_dcep_channel_reliability(uint8_t channel_type) {
  switch (channel_type & ~BRAID_DCEP_CHANNEL_UNORDERED_BIT) {
  case BRAID_DCEP_CHANNEL_REXMIT: return BRAID_DCEP_REXMIT;
  case BRAID_DCEP_CHANNEL_TIMED: return BRAID_DCEP_TIMED;
  default: return BRAID_DCEP_RELIABLE;
  }
}

uint8_t braid_dcep_channel_type(bool ordered, braid_dcep_reliability_t reliability) {
  uint8_t t = BRAID_DCEP_CHANNEL_RELIABLE;
  if (reliability == BRAID_DCEP_REXMIT) t = BRAID_DCEP_CHANNEL_REXMIT;
  if (reliability == BRAID_DCEP_TIMED) t = BRAID_DCEP_CHANNEL_TIMED;
  return ordered ? t : (uint8_t)(t | BRAID_DCEP_CHANNEL_UNORDERED_BIT);
}

/* Parses the body of an OPEN after its type byte (reader r). */
static int parse_open(braid_dcep_msg_t *m, braid_rd_t *r, const char **reason) {
  uint16_t label_len = 0, protocol_len = 0;
  if (braid_rd_left(r) < BRAID_DCEP_OPEN_HDR_LEN - 1) {
    *reason = "OPEN shorter than its 12-byte header";
    return BRAID_ETRUNC;
  }
  /* The header fits: these reads cannot fail. */
  (void)braid_rd_u8(r, &m->channel_type);
  (void)braid_rd_u16(r, &m->priority);
  (void)braid_rd_u32(r, &m->reliability);
  (void)braid_rd_u16(r, &label_len);
  (void)braid_rd_u16(r, &protocol_len);
  if (!braid_dcep_channel_type_valid(m->channel_type)) {
    *reason = "unknown channel type";
    return BRAID_EMALFORMED;
  }
  if (braid_dcep_channel_reliability(m->channel_type) == BRAID_DCEP_RELIABLE) m->reliability = 0;
  if (braid_rd_left(r) < (size_t)label_len + protocol_len) {
    *reason = "OPEN shorter than its label and protocol lengths";
    return BRAID_ETRUNC;
  }
  if (braid_rd_left(r) > (size_t)label_len + protocol_len) {
    *reason = "bytes after the protocol of an OPEN";
    return BRAID_EMALFORMED;
  }
  /* Empty strings stay NULL: no pointer one past the buffer escapes. */
  if (label_len > 0) (void)braid_rd_bytes(r, label_len, &m->label);
  if (protocol_len > 0) (void)braid_rd_bytes(r, protocol_len, &m->protocol);
  m->label_len = label_len;
  m->protocol_len = protocol_len;
  return 0;
}

int braid_dcep_parse(braid_dcep_msg_t *out, const uint8_t *data, size_t len, const char **why) {
  braid_rd_t r;
  const char *reason = NULL;
  int rc;
  memset(out, 0, sizeof *out);
  braid_rd_init(&r, data, len);
  if (braid_rd_u8(&r, &out->type) != 0) {
    reason = "empty DCEP message";
    rc = BRAID_ETRUNC;
  } else if (out->type == BRAID_DCEP_MSG_OPEN) {
    rc = parse_open(out, &r, &reason);
  } else if (out->type == BRAID_DCEP_MSG_ACK) {
    rc = braid_rd_left(&r) == 0 ? 0 : BRAID_EMALFORMED;
    reason = "bytes after an ACK";
  } else {
    reason = "unknown DCEP message type";
    rc = BRAID_EUNKNOWN;
  }
  if (rc != 0) {
    memset(out, 0, sizeof *out);
    if (why != NULL) *why = reason;
  }
  return rc;
}

size_t braid_dcep_open_len(const braid_dcep_msg_t *msg) {
  return BRAID_DCEP_OPEN_HDR_LEN + (size_t)msg->label_len + msg->protocol_len;
}

ssize_t braid_dcep_write_open(uint8_t *buf, size_t cap, const braid_dcep_msg_t *msg) {
  if (!braid_dcep_channel_type_valid(msg->channel_type)) return BRAID_EINVAL;
  if ((msg->label == NULL && msg->label_len > 0) ||
      (msg->protocol == NULL && msg->protocol_len > 0))
    return BRAID_EINVAL;
  size_t n = braid_dcep_open_len(msg);
  if (cap < n) return BRAID_ETOOBIG;
  bool reliable = braid_dcep_channel_reliability(msg->channel_type) == BRAID_DCEP_RELIABLE;
  buf[0] = BRAID_DCEP_MSG_OPEN;
  buf[1] = msg->channel_type;
  braid_put16(buf + 2, msg->priority);
  braid_put32(buf + 4, reliable ? 0 : msg->reliability);
  braid_put16(buf + 8, msg->label_len);
  braid_put16(buf + 10, msg->protocol_len);
  if (msg->label_len > 0) memcpy(buf + 12, msg->label, msg->label_len);
  if (msg->protocol_len > 0) memcpy(buf + 12 + msg->label_len, msg->protocol, msg->protocol_len);
  return (ssize_t)n;
}

ssize_t braid_dcep_write_ack(uint8_t *buf, size_t cap) {
  if (cap < BRAID_DCEP_ACK_LEN) return BRAID_ETOOBIG;
  buf[0] = BRAID_DCEP_MSG_ACK;
  return BRAID_DCEP_ACK_LEN;
}
