/* RTP listener of a transport: SSRC table, then MID, then RID (see
 * rtp_listener.h). */
#include "mediad/rtc/rtp_listener.h"

#include <string.h>

#include "common/mem.h"

#define STR_MAX BRAID_RTP_EXT_STR_MAX

/* One encoding of a producer: signalled and learned SSRCs. */
typedef struct enc_rec {
  uint32_t ssrc, rtx_ssrc;
  bool has_ssrc, has_rtx;       /* bound: signalled or learned */
  bool ssrc_signalled;          /* ssrc came from the rtpParameters */
  uint8_t rid_len;
  char rid[STR_MAX];
} enc_rec_t;

typedef struct producer_rec {
  void *producer; /* borrowed, opaque */
  uint64_t media_pt[2], rtx_pt[2]; /* bit per payload type */
  uint8_t n_enc;
  uint8_t mid_len;
  char mid[STR_MAX];
  enc_rec_t enc[BRAID_RTP_LISTENER_MAX_ENCODINGS];
} producer_rec_t;

/* An SSRC table slot; prod is the producer index + 1 (0 = empty). */
typedef struct slot {
  uint32_t ssrc;
  uint16_t prod;
  uint8_t enc;
  uint8_t rtx;
} slot_t;

struct braid_rtp_listener {
  braid_rtp_listener_ext_ids_t ids;
  size_t n, cap;          /* producers in use, and room */
  producer_rec_t *prods;  /* owned: cap records, in the order they were added */
  slot_t *slots;          /* owned: 1 << bits slots, open addressing, linear probing */
  unsigned bits;
};

/* Fibonacci hashing: the top bits of ssrc * 2^32 / phi. */
static inline size_t hash(uint32_t ssrc, unsigned bits) {
  return (size_t)((ssrc * 2654435769u) >> (32 - bits));
}

static const slot_t *table_find(const braid_rtp_listener_t *l, uint32_t ssrc) {
  size_t mask = ((size_t)1 << l->bits) - 1;
  for (size_t i = hash(ssrc, l->bits);; i = (i + 1) & mask) {
    const slot_t *s = &l->slots[i];
    if (s->prod == 0) return NULL;
    if (s->ssrc == ssrc) return s;
  }
}

/* The table holds at most 4 x the SSRCs the producers can bind, so there
 * is always a free slot and probes stay short. */
static void table_insert(braid_rtp_listener_t *l, uint32_t ssrc, size_t prod, size_t enc,
                         bool rtx) {
  size_t mask = ((size_t)1 << l->bits) - 1;
  size_t i = hash(ssrc, l->bits);
  while (l->slots[i].prod != 0) i = (i + 1) & mask;
  l->slots[i] = (slot_t){ssrc, (uint16_t)(prod + 1), (uint8_t)enc, rtx ? 1 : 0};
}

static void table_rebuild(braid_rtp_listener_t *l) {
  memset(l->slots, 0, sizeof(slot_t) << l->bits);
  for (size_t p = 0; p < l->n; p++) {
    const producer_rec_t *r = &l->prods[p];
    for (size_t e = 0; e < r->n_enc; e++) {
      if (r->enc[e].has_ssrc) table_insert(l, r->enc[e].ssrc, p, e, false);
      if (r->enc[e].has_rtx) table_insert(l, r->enc[e].rtx_ssrc, p, e, true);
    }
  }
}

int braid_rtp_listener_new(braid_rtp_listener_t **out, size_t max_producers) {
  if (max_producers == 0 || max_producers > BRAID_RTP_LISTENER_MAX_PRODUCERS) return BRAID_EINVAL;
  braid_rtp_listener_t *l = braid_xcalloc(1, sizeof *l);
  size_t need = max_producers * BRAID_RTP_LISTENER_MAX_ENCODINGS * 2 * 4;
  l->bits = 4;
  while (((size_t)1 << l->bits) < need) l->bits++;
  l->cap = max_producers;
  l->prods = braid_xcalloc(max_producers, sizeof *l->prods);
  l->slots = braid_xcalloc((size_t)1 << l->bits, sizeof *l->slots);
  *out = l;
  return 0;
}

void braid_rtp_listener_free(braid_rtp_listener_t *l) {
  if (l == NULL) return;
  braid_free(l->prods);
  braid_free(l->slots);
  braid_free(l);
}

void braid_rtp_listener_set_ext_ids(braid_rtp_listener_t *l, braid_rtp_listener_ext_ids_t ids) {
  l->ids = ids;
}

size_t braid_rtp_listener_count(const braid_rtp_listener_t *l) { return l->n; }

static inline bool str_is(const char *s, size_t len, braid_str_t v) {
  return len == v.len && (len == 0 || memcmp(s, v.p, len) == 0);
}

static inline bool pt_has(const uint64_t set[2], uint8_t pt) {
  return pt < 128 && ((set[pt >> 6] >> (pt & 63)) & 1);
}

static int fail(const char **why, int rc, const char *reason) {
  if (why != NULL) *why = reason;
  return rc;
}

static producer_rec_t *find_producer(braid_rtp_listener_t *l, const void *producer, size_t *idx) {
  for (size_t i = 0; i < l->n; i++) {
    if (l->prods[i].producer == producer) {
      if (idx != NULL) *idx = i;
      return &l->prods[i];
    }
  }
  return NULL;
}

/* The first producer (in add order) with an encoding whose rid is rid. */
static producer_rec_t *find_by_rid(braid_rtp_listener_t *l, braid_str_t rid, size_t *idx) {
  for (size_t i = 0; i < l->n; i++) {
    const producer_rec_t *r = &l->prods[i];
    for (size_t e = 0; e < r->n_enc; e++) {
      if (r->enc[e].rid_len > 0 && str_is(r->enc[e].rid, r->enc[e].rid_len, rid)) {
        *idx = i;
        return &l->prods[i];
      }
    }
  }
  return NULL;
}

static producer_rec_t *find_by_mid(braid_rtp_listener_t *l, braid_str_t mid, size_t *idx) {
  for (size_t i = 0; i < l->n; i++) {
    if (l->prods[i].mid_len > 0 && str_is(l->prods[i].mid, l->prods[i].mid_len, mid)) {
      *idx = i;
      return &l->prods[i];
    }
  }
  return NULL;
}

/* Checks that ssrc is neither on the transport nor earlier in p. */
static bool ssrc_taken(const braid_rtp_listener_t *l, const braid_rtp_listener_producer_t *p,
                       size_t upto, bool rtx, uint32_t ssrc) {
  if (table_find(l, ssrc) != NULL) return true;
  for (size_t e = 0; e <= upto; e++) {
    const braid_rtp_listener_encoding_t *x = &p->encodings[e];
    if (e < upto && (x->ssrc == ssrc || x->rtx_ssrc == ssrc)) return true;
    if (e == upto && rtx && x->ssrc == ssrc) return true; /* media and RTX share it */
  }
  return false;
}

/* Validates p against itself and the transport; nothing is changed. */
static int check_producer(braid_rtp_listener_t *l, const braid_rtp_listener_producer_t *p,
                          const char **why) {
  if (p->producer == NULL) return fail(why, BRAID_EINVAL, "producer is NULL");
  if (p->n_encodings == 0 || p->n_encodings > BRAID_RTP_LISTENER_MAX_ENCODINGS)
    return fail(why, BRAID_EINVAL, "no or too many encodings");
  if (p->n_media_pts == 0) return fail(why, BRAID_EINVAL, "no media payload type");
  for (size_t i = 0; i < p->n_media_pts; i++)
    if (p->media_pts[i] > 127) return fail(why, BRAID_EINVAL, "payload type > 127");
  for (size_t i = 0; i < p->n_rtx_pts; i++)
    if (p->rtx_pts[i] > 127) return fail(why, BRAID_EINVAL, "RTX payload type > 127");
  if (p->mid.len > STR_MAX) return fail(why, BRAID_EINVAL, "mid longer than 16 bytes");
  if (find_producer(l, p->producer, NULL) != NULL)
    return fail(why, BRAID_EEXIST, "producer already in RTP listener");
  if (l->n == l->cap) return fail(why, BRAID_ELIMIT, "too many producers on the transport");

  size_t idx;
  for (size_t e = 0; e < p->n_encodings; e++) {
    const braid_rtp_listener_encoding_t *x = &p->encodings[e];
    if (x->rid.len > STR_MAX) return fail(why, BRAID_EINVAL, "rid longer than 16 bytes");
    if (x->ssrc != 0 && ssrc_taken(l, p, e, false, x->ssrc))
      return fail(why, BRAID_EEXIST, "ssrc already exists in RTP listener");
    if (x->rtx_ssrc != 0 && ssrc_taken(l, p, e, true, x->rtx_ssrc))
      return fail(why, BRAID_EEXIST, "RTX ssrc already exists in RTP listener");
    if (x->rid.len == 0) continue;
    for (size_t f = 0; f < e; f++)
      if (p->encodings[f].rid.len == x->rid.len &&
          memcmp(p->encodings[f].rid.p, x->rid.p, x->rid.len) == 0)
        return fail(why, BRAID_EINVAL, "same rid twice in the encodings");
    if (p->mid.len == 0 && find_by_rid(l, x->rid, &idx) != NULL)
      return fail(why, BRAID_EEXIST, "RID already exists in RTP listener and no MID is given");
  }
  if (p->mid.len > 0 && find_by_mid(l, p->mid, &idx) != NULL)
    return fail(why, BRAID_EEXIST, "MID already exists in RTP listener");
  return 0;
}

int braid_rtp_listener_add(braid_rtp_listener_t *l, const braid_rtp_listener_producer_t *p,
                           const char **why) {
  int rc = check_producer(l, p, why);
  if (rc != 0) return rc;

  size_t pi = l->n++;
  producer_rec_t *r = &l->prods[pi];
  memset(r, 0, sizeof *r);
  r->producer = p->producer;
  r->mid_len = (uint8_t)p->mid.len;
  if (p->mid.len > 0) memcpy(r->mid, p->mid.p, p->mid.len);
  for (size_t i = 0; i < p->n_media_pts; i++)
    r->media_pt[p->media_pts[i] >> 6] |= (uint64_t)1 << (p->media_pts[i] & 63);
  for (size_t i = 0; i < p->n_rtx_pts; i++)
    r->rtx_pt[p->rtx_pts[i] >> 6] |= (uint64_t)1 << (p->rtx_pts[i] & 63);
  r->n_enc = (uint8_t)p->n_encodings;
  for (size_t e = 0; e < p->n_encodings; e++) {
    const braid_rtp_listener_encoding_t *x = &p->encodings[e];
    enc_rec_t *er = &r->enc[e];
    er->rid_len = (uint8_t)x->rid.len;
    if (x->rid.len > 0) memcpy(er->rid, x->rid.p, x->rid.len);
    if (x->ssrc != 0) {
      er->ssrc = x->ssrc;
      er->has_ssrc = er->ssrc_signalled = true;
      table_insert(l, x->ssrc, pi, e, false);
    }
    if (x->rtx_ssrc != 0) {
      er->rtx_ssrc = x->rtx_ssrc;
      er->has_rtx = true;
      table_insert(l, x->rtx_ssrc, pi, e, true);
    }
  }
  return 0;
}

int braid_rtp_listener_remove(braid_rtp_listener_t *l, const void *producer) {
  size_t i;
  if (find_producer(l, producer, &i) == NULL) return BRAID_ENOTFOUND;
  /* Keep the add order: "first producer added" decides RID lookups. */
  memmove(&l->prods[i], &l->prods[i + 1], (l->n - i - 1) * sizeof *l->prods);
  l->n--;
  table_rebuild(l);
  return 0;
}

static void fill(braid_rtp_listener_match_t *m, const producer_rec_t *r, size_t enc, bool rtx,
                 bool learned) {
  m->producer = r->producer;
  m->encoding = (uint8_t)enc;
  m->rtx = rtx;
  m->learned = learned;
}

int braid_rtp_listener_find_ssrc(const braid_rtp_listener_t *l, uint32_t ssrc,
                                 braid_rtp_listener_match_t *m) {
  const slot_t *s = table_find(l, ssrc);
  if (s == NULL) return BRAID_ENOTFOUND;
  fill(m, &l->prods[s->prod - 1], s->enc, s->rtx != 0, false);
  return 0;
}

/* The encoding of r for a packet of an unknown SSRC, by rid (RRID first
 * for RTX) or as r's only encoding; then binds the SSRC to it. */
static int bind_stream(braid_rtp_listener_t *l, size_t pi, const braid_rtp_packet_t *pkt,
                       const braid_rtp_ext_t *ext, braid_rtp_listener_match_t *m) {
  producer_rec_t *r = &l->prods[pi];
  bool rtx = pt_has(r->rtx_pt, pkt->pt);
  if (!rtx && !pt_has(r->media_pt, pkt->pt)) return BRAID_ENOTFOUND;

  braid_str_t rid = {NULL, 0};
  bool have_rid = false;
  if (rtx && l->ids.rrid != 0) have_rid = braid_rtp_ext_get_rid(ext, l->ids.rrid, &rid) == 0;
  if (!have_rid && l->ids.rid != 0) have_rid = braid_rtp_ext_get_rid(ext, l->ids.rid, &rid) == 0;

  size_t e;
  if (have_rid) {
    for (e = 0; e < r->n_enc; e++)
      if (r->enc[e].rid_len > 0 && str_is(r->enc[e].rid, r->enc[e].rid_len, rid)) break;
    if (e == r->n_enc) return BRAID_ENOTFOUND;
  } else if (r->n_enc == 1 && !r->enc[0].ssrc_signalled && r->enc[0].rid_len == 0) {
    e = 0;
  } else {
    return BRAID_ENOTFOUND;
  }

  enc_rec_t *er = &r->enc[e];
  if (!rtx) {
    if (er->has_ssrc) return BRAID_ESTATE; /* bound to another SSRC */
    er->ssrc = pkt->ssrc;
    er->has_ssrc = true;
  } else {
    if (!er->has_ssrc || er->has_rtx) return BRAID_ESTATE; /* no media yet, or bound */
    er->rtx_ssrc = pkt->ssrc;
    er->has_rtx = true;
  }
  table_insert(l, pkt->ssrc, pi, e, rtx);
  fill(m, r, e, rtx, true);
  return 0;
}

int braid_rtp_listener_lookup(braid_rtp_listener_t *l, const braid_rtp_packet_t *pkt,
                              const braid_rtp_ext_t *ext, braid_rtp_listener_match_t *m) {
  if (braid_rtp_listener_find_ssrc(l, pkt->ssrc, m) == 0) return 0;

  braid_rtp_ext_t parsed;
  if (ext == NULL) {
    if (!pkt->has_ext || braid_rtp_ext_parse(&parsed, pkt) != 0) return BRAID_ENOTFOUND;
    ext = &parsed;
  }
  size_t pi;
  braid_str_t v;
  /* A known MID decides; an unknown one falls through to the RID table. */
  if (l->ids.mid != 0 && braid_rtp_ext_get_mid(ext, l->ids.mid, &v) == 0 &&
      find_by_mid(l, v, &pi) != NULL)
    return bind_stream(l, pi, pkt, ext, m);
  if ((l->ids.rid != 0 && braid_rtp_ext_get_rid(ext, l->ids.rid, &v) == 0) ||
      (l->ids.rrid != 0 && braid_rtp_ext_get_rid(ext, l->ids.rrid, &v) == 0)) {
    if (find_by_rid(l, v, &pi) == NULL) return BRAID_ENOTFOUND;
    return bind_stream(l, pi, pkt, ext, m);
  }
  return BRAID_ENOTFOUND;
}
