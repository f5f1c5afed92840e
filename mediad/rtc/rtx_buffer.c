/* Retransmission buffer: slot table by sequence number over a byte ring
 * (see rtx_buffer.h). */
#include "mediad/rtc/rtx_buffer.h"

#include <string.h>

#include "common/mem.h"
#include "mediad/wire/rtp_packet.h"
#include "mediad/wire/rtp_rtx.h"

#define DEFAULT_RTT_MS 100

typedef struct slot {
  uint64_t pos;       /* virtual arena position of the first byte */
  int64_t stored_ms;  /* when it was stored */
  int64_t resent_ms;  /* when it was last resent; valid when resends > 0 */
  uint16_t seq;
  uint16_t len;       /* 0 = empty slot */
  uint8_t resends;
} slot_t;

struct braid_rtx_buffer {
  braid_rtx_buffer_config_t cfg;
  braid_rtx_buffer_stats_t stats;
  uint16_t rtx_seq;   /* next RTX sequence number */
  uint16_t newest;    /* newest sequence number stored */
  bool any;           /* newest is valid */
  uint64_t head;      /* virtual arena position of the next write */
  slot_t *slots;      /* owned: cfg.max_packets */
  uint8_t *arena;     /* owned: cfg.max_bytes */
};

int braid_rtx_buffer_new(braid_rtx_buffer_t **out, const braid_rtx_buffer_config_t *cfg) {
  uint32_t n = cfg->max_packets;
  if (n < 16 || n > BRAID_RTX_BUFFER_MAX_SLOTS || (n & (n - 1)) != 0) return BRAID_EINVAL;
  if (cfg->max_bytes < BRAID_RTX_BUFFER_MAX_PACKET || cfg->max_bytes > BRAID_RTX_BUFFER_MAX_BYTES)
    return BRAID_EINVAL;
  if (cfg->max_resends == 0 || (cfg->rtx && cfg->rtx_pt > 127)) return BRAID_EINVAL;
  braid_rtx_buffer_t *buf = braid_xcalloc(1, sizeof *buf);
  buf->cfg = *cfg;
  buf->rtx_seq = cfg->rtx_seq;
  buf->slots = braid_xcalloc(n, sizeof *buf->slots);
  buf->arena = braid_xmalloc(cfg->max_bytes);
  *out = buf;
  return 0;
}

void braid_rtx_buffer_free(braid_rtx_buffer_t *buf) {
  if (buf == NULL) return;
  braid_free(buf->slots);
  braid_free(buf->arena);
  braid_free(buf);
}

const braid_rtx_buffer_stats_t *braid_rtx_buffer_stats(const braid_rtx_buffer_t *buf) {
  return &buf->stats;
}

void braid_rtx_buffer_clear(braid_rtx_buffer_t *buf) {
  memset(buf->slots, 0, buf->cfg.max_packets * sizeof *buf->slots);
  buf->any = false;
}

static inline slot_t *slot_of(braid_rtx_buffer_t *buf, uint16_t seq) {
  return &buf->slots[seq & (buf->cfg.max_packets - 1)];
}

/* A slot holds seq, and its bytes have not been overwritten by the ring:
 * later writes reach the slot's first byte once head passes pos + size. */
static inline bool slot_holds(const braid_rtx_buffer_t *buf, const slot_t *s, uint16_t seq) {
  return s->len != 0 && s->seq == seq && buf->head - s->pos <= buf->cfg.max_bytes;
}

int braid_rtx_buffer_store(braid_rtx_buffer_t *buf, const uint8_t *data, size_t len,
                           int64_t now_ms) {
  if (len < BRAID_RTP_FIXED_HDR_LEN) return BRAID_ETRUNC;
  if (len > BRAID_RTX_BUFFER_MAX_PACKET || len > buf->cfg.max_bytes) return BRAID_ETOOBIG;
  uint16_t seq = (uint16_t)((data[2] << 8) | data[3]);
  int16_t ahead = (int16_t)(uint16_t)(seq - buf->newest);
  if (buf->any && ahead <= -(int32_t)buf->cfg.max_packets) return BRAID_ESTATE;
  if (!buf->any || ahead > 0) {
    buf->newest = seq;
    buf->any = true;
  }

  /* A packet never straddles the end of the arena: skip to its start. */
  size_t off = (size_t)(buf->head % buf->cfg.max_bytes);
  if (buf->cfg.max_bytes - off < len) {
    buf->head += buf->cfg.max_bytes - off;
    off = 0;
  }
  memcpy(buf->arena + off, data, len);
  slot_t *s = slot_of(buf, seq);
  *s = (slot_t){.pos = buf->head, .stored_ms = now_ms, .seq = seq, .len = (uint16_t)len};
  buf->head += len;
  buf->stats.stored++;
  return 0;
}

int braid_rtx_buffer_get(const braid_rtx_buffer_t *buf, uint16_t seq, int64_t now_ms,
                         const uint8_t **data, size_t *len) {
  const slot_t *s = &buf->slots[seq & (buf->cfg.max_packets - 1)];
  if (!slot_holds(buf, s, seq)) return BRAID_ENOTFOUND;
  if (now_ms - s->stored_ms > (int64_t)buf->cfg.max_age_ms) return BRAID_ETIMEDOUT;
  *data = buf->arena + (size_t)(s->pos % buf->cfg.max_bytes);
  *len = s->len;
  return 0;
}

/* Checks the resend policy for s; bumps the counter of a refusal. */
static int may_resend(braid_rtx_buffer_t *buf, const slot_t *s, int64_t now_ms, uint32_t rtt_ms) {
  if (now_ms - s->stored_ms > (int64_t)buf->cfg.max_age_ms) {
    buf->stats.too_old++;
    return BRAID_ETIMEDOUT;
  }
  if (s->resends >= buf->cfg.max_resends) {
    buf->stats.over_limit++;
    return BRAID_ELIMIT;
  }
  if (s->resends > 0 && now_ms - s->resent_ms <= (int64_t)(rtt_ms != 0 ? rtt_ms : DEFAULT_RTT_MS)) {
    buf->stats.too_soon++;
    return BRAID_ESTATE;
  }
  return 0;
}

int braid_rtx_buffer_resend(braid_rtx_buffer_t *buf, uint16_t seq, int64_t now_ms,
                            uint32_t rtt_ms, uint8_t *out, size_t cap, size_t tail_room,
                            size_t *out_len) {
  slot_t *s = slot_of(buf, seq);
  if (!slot_holds(buf, s, seq)) {
    buf->stats.not_found++;
    return BRAID_ENOTFOUND;
  }
  int rc = may_resend(buf, s, now_ms, rtt_ms);
  if (rc != 0) return rc;

  const uint8_t *data = buf->arena + (size_t)(s->pos % buf->cfg.max_bytes);
  size_t len;
  if (buf->cfg.rtx) {
    braid_rtp_packet_t orig;
    rc = braid_rtp_packet_parse(&orig, data, s->len);
    if (rc != 0) return rc;
    rc = braid_rtp_rtx_wrap(out, cap, tail_room, &orig, buf->cfg.rtx_ssrc, buf->cfg.rtx_pt,
                            buf->rtx_seq, &len);
    if (rc != 0) return rc;
    buf->rtx_seq++;
  } else {
    if (cap < tail_room || cap - tail_room < s->len) return BRAID_ETOOBIG;
    len = s->len;
    memcpy(out, data, len);
  }
  if (s->resends == 0) buf->stats.repaired++;
  s->resends++;
  s->resent_ms = now_ms;
  buf->stats.resent++;
  *out_len = len;
  return 0;
}
