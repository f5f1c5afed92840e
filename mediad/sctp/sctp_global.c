/*
 * usrsctp's process-wide state (see sctp_global.h): initialisation, the
 * timer tick, the id table behind usrsctp's conn addresses, and the
 * delivery of queued events when the outermost call into usrsctp returns.
 *
 * Why ids and not pointers as conn addresses: usrsctp keeps the address
 * of an association in its own structures and may call conn_output with
 * it after we freed ours (a timer of a closing association), so the
 * address must stay harmless after the free. An id is a table index plus
 * a generation: a stale id finds nothing, and the packet is dropped
 * (mediasoup's DepUsrSCTP uses a map of ids for the same reason).
 */
#include "mediad/sctp/sctp_global.h"

#include <stdbool.h>
#include <string.h>

#include <usrsctp.h>

#include "common/log.h"
#include "common/mem.h"
#include "mediad/sctp/sctp_packet.h"

/* Table size limit: ids keep the index in their low INDEX_BITS bits. */
#define INDEX_BITS 24
#define INDEX_MAX  ((1u << INDEX_BITS) - 2)
#define NO_SLOT    UINT32_MAX
/* Longest step given to usrsctp at once: keeps its 32-bit tick
 * comparisons far from wrapping after a long pause. */
#define MAX_ELAPSED_MS (10 * 60 * 1000)

typedef struct slot {
  braid_sctp_assoc_t *a; /* borrowed; NULL when free */
  uintptr_t gen;         /* bumped at every reuse */
  uint32_t next_free;    /* free list link */
} slot_t;

/* The one mutable global of mediad/sctp; see sctp_global.h. */
static struct {
  bool initialized;
  int depth;     /* calls into usrsctp on the stack */
  bool draining; /* delivering queued events */
  slot_t *slots; /* owned */
  uint32_t nslots, free_head;
  size_t live;
  uintptr_t *pending; /* owned: ids with queued events, in order */
  size_t npending, pending_cap;
  bool have_last_tick;
  int64_t last_tick_ms;
} g = {.free_head = NO_SLOT};

static uint32_t id_index(uintptr_t id) { return (uint32_t)(id & ((1u << INDEX_BITS) - 1)) - 1; }
static uintptr_t id_gen(uintptr_t id) { return id >> INDEX_BITS; }

uintptr_t braid__sctp_global_register(braid_sctp_assoc_t *a) {
  uint32_t i = g.free_head;
  if (i != NO_SLOT) {
    g.free_head = g.slots[i].next_free;
  } else {
    if (g.nslots > INDEX_MAX) return 0;
    uint32_t cap = g.nslots == 0 ? 16 : g.nslots * 2;
    if (cap > INDEX_MAX + 1) cap = INDEX_MAX + 1;
    g.slots = braid_xrealloc(g.slots, cap * sizeof *g.slots);
    for (uint32_t k = g.nslots; k < cap; k++) {
      g.slots[k] = (slot_t){.a = NULL, .gen = 0, .next_free = k + 1 < cap ? k + 1 : NO_SLOT};
    }
    i = g.nslots;
    g.free_head = i + 1 < cap ? i + 1 : NO_SLOT;
    g.nslots = cap;
  }
  g.slots[i].a = a;
  g.live++;
  /* The generation wraps within the bits left above the index. */
  uintptr_t gen = g.slots[i].gen & (UINTPTR_MAX >> INDEX_BITS);
  return (gen << INDEX_BITS) | (uintptr_t)(i + 1);
}

braid_sctp_assoc_t *braid__sctp_global_lookup(uintptr_t id) {
  uint32_t i = id_index(id);
  if (id == 0 || i >= g.nslots || g.slots[i].a == NULL) return NULL;
  if ((g.slots[i].gen & (UINTPTR_MAX >> INDEX_BITS)) != id_gen(id)) return NULL;
  return g.slots[i].a;
}

void braid__sctp_global_unregister(uintptr_t id) {
  if (braid__sctp_global_lookup(id) == NULL) return;
  uint32_t i = id_index(id);
  g.slots[i].a = NULL;
  g.slots[i].gen++;
  g.slots[i].next_free = g.free_head;
  g.free_head = i;
  g.live--;
}

size_t braid_sctp_global_assoc_count(void) { return g.live; }

bool braid__sctp_global_in_usrsctp(void) { return g.depth > 0; }

void braid__sctp_global_mark_pending(uintptr_t id) {
  if (g.npending == g.pending_cap) {
    g.pending_cap = g.pending_cap == 0 ? 16 : g.pending_cap * 2;
    g.pending = braid_xrealloc(g.pending, g.pending_cap * sizeof *g.pending);
  }
  g.pending[g.npending++] = id;
}

/* Delivers the queued events of every listed association. Deliveries may
 * list more (a callback that sends): the loop runs until none is left. An
 * association freed meanwhile no longer resolves and is skipped. */
static void drain(void) {
  if (g.draining) return;
  g.draining = true;
  for (size_t i = 0; i < g.npending; i++) {
    braid_sctp_assoc_t *a = braid__sctp_global_lookup(g.pending[i]);
    if (a != NULL) braid__sctp_assoc_drain(a);
  }
  g.npending = 0;
  g.draining = false;
}

int braid__sctp_global_enter(void) {
  if (g.depth > 0) return BRAID_ESTATE;
  g.depth++;
  return 0;
}

void braid__sctp_global_leave(void) {
  BRAID_ASSERT(g.depth == 1);
  g.depth--;
  drain();
}

/* usrsctp's output for every AF_CONN association: addr is the id. Runs on
 * usrsctp's stack, with the association locked. */
static int conn_output(void *addr, void *buf, size_t len, uint8_t tos, uint8_t set_df) {
  (void)tos;
  (void)set_df;
  braid_sctp_assoc_t *a = braid__sctp_global_lookup((uintptr_t)addr);
  if (a == NULL) return 0; /* freed: the packet is lost, as on a wire */
  /* usrsctp leaves the checksum to us (offload, see the init); buf is its
   * own contiguous copy of the packet, ours to write. */
  if (len >= BRAID_SCTP_COMMON_HDR_LEN) braid_sctp_packet_set_crc(buf, len);
  braid__sctp_assoc_output(a, buf, len);
  return 0;
}

int braid_sctp_global_init(void) {
  if (g.initialized) return 0;
  /* Port 0: no UDP encapsulation socket; no debug printer: usrsctp prints
   * nothing. */
  usrsctp_init_nothreads(0, conn_output, NULL);
  /* As libwebrtc and mediasoup: no ECN (WebRTC does not use it), and no
   * ASCONF or AUTH, which WebRTC peers do not negotiate and which are
   * attack surface. */
  usrsctp_sysctl_set_sctp_ecn_enable(0);
  usrsctp_sysctl_set_sctp_asconf_enable(0);
  usrsctp_sysctl_set_sctp_auth_enable(0);
  /* Never answer an out-of-the-blue packet with an ABORT (anyone could make
   * us send one to a victim address over plain UDP). */
  usrsctp_sysctl_set_sctp_blackhole(2);
  /* CRC32c "offload": usrsctp neither checks inbound checksums nor
   * computes outbound ones. braid_sctp_assoc_receive() checks every
   * packet before usrsctp sees it, and conn_output() fills in the
   * checksum of every packet it makes, both with the CPU's CRC32
   * instruction when there is one: each byte is summed once, not twice. */
  usrsctp_enable_crc32c_offload();
  g.initialized = true;
  return 0;
}

void braid_sctp_global_tick(int64_t now_ms) {
  if (!g.initialized) return;
  if (!g.have_last_tick) {
    g.have_last_tick = true;
    g.last_tick_ms = now_ms;
    return;
  }
  int64_t elapsed = now_ms - g.last_tick_ms;
  if (elapsed < 0) elapsed = 0;
  if (elapsed > MAX_ELAPSED_MS) elapsed = MAX_ELAPSED_MS;
  if (braid__sctp_global_enter() != 0) return;
  g.last_tick_ms = now_ms;
  usrsctp_handle_timers((uint32_t)elapsed);
  braid__sctp_global_leave();
}
