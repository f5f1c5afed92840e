#include "bench/data_profile.h"

#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <usrsctp.h>

#include "mediad/rtc/data_producer.h"

/* ---- the profile ------------------------------------------------------------ */

const char *const bucket_names[NBUCKETS] = {"harness", "copy",    "d.rx",      "d.crc",
                                            "d.fwd",   "d.us.rx", "d.us.sack", "d.us.tx",
                                            "e.braid", "e.crc",   "e.us",      "timers"};

prof_t prof;

int64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Charges the time since the last bracket to bucket b, unless the thread
 * was evidently preempted meanwhile (no bracket lasts that long). */
static void prof_charge(bucket_t b, int64_t t) {
  int64_t d = t - prof.last;
  if (d > PREEMPTED_NS) {
    prof.preempted++;
    prof.preempted_ns += d;
  } else {
    prof.acc[b] += d;
  }
  prof.last = t;
}

void prof_push(bucket_t b) {
  if (!prof.on) return;
  prof_charge(prof.stack[prof.depth - 1], mono_ns());
  prof.stack[prof.depth++] = b;
  prof.events++;
}

void prof_pop(void) {
  if (!prof.on) return;
  prof_charge(prof.stack[--prof.depth], mono_ns());
}

void prof_start(void) {
  memset(&prof, 0, sizeof prof);
  prof.on = true;
  prof.depth = 1;
  prof.stack[0] = P_HARNESS;
  prof.last = mono_ns();
}

void prof_stop(void) {
  prof_pop();
  prof.on = false;
}

/* ---- wrapped functions (bench/data.cmake links with --wrap) -------------------- */

void __real_usrsctp_conninput(void *addr, const void *buf, size_t len, uint8_t ecn);
ssize_t __real_usrsctp_sendv(struct socket *so, const void *data, size_t len, struct sockaddr *to,
                             int addrcnt, void *info, socklen_t infolen, unsigned int infotype,
                             int flags);
bool __real_braid_sctp_packet_check_crc(const uint8_t *data, size_t len);
void __real_braid_data_producer_receive(braid_data_producer_t *p, uint32_t ppid,
                                        const uint8_t *data, size_t len);
void __wrap_usrsctp_conninput(void *addr, const void *buf, size_t len, uint8_t ecn);
ssize_t __wrap_usrsctp_sendv(struct socket *so, const void *data, size_t len, struct sockaddr *to,
                             int addrcnt, void *info, socklen_t infolen, unsigned int infotype,
                             int flags);
bool __wrap_braid_sctp_packet_check_crc(const uint8_t *data, size_t len);
void __wrap_braid_data_producer_receive(braid_data_producer_t *p, uint32_t ppid,
                                        const uint8_t *data, size_t len);

static bucket_t usrsctp_bucket(bool tx) {
  switch (prof.side) {
  case SIDE_DAEMON_A: return tx ? P_D_US_TX : P_D_US_RX;
  case SIDE_DAEMON_B: return tx ? P_D_US_TX : P_D_US_SACK;
  case SIDE_ENDPOINT: return P_E_US;
  case SIDE_TIMERS: break;
  }
  return P_TIMERS;
}

void __wrap_usrsctp_conninput(void *addr, const void *buf, size_t len, uint8_t ecn) {
  prof_push(usrsctp_bucket(false));
  __real_usrsctp_conninput(addr, buf, len, ecn);
  prof_pop();
}

ssize_t __wrap_usrsctp_sendv(struct socket *so, const void *data, size_t len, struct sockaddr *to,
                             int addrcnt, void *info, socklen_t infolen, unsigned int infotype,
                             int flags) {
  prof_push(usrsctp_bucket(true));
  ssize_t n = __real_usrsctp_sendv(so, data, len, to, addrcnt, info, infolen, infotype, flags);
  prof_pop();
  return n;
}

bool __wrap_braid_sctp_packet_check_crc(const uint8_t *data, size_t len) {
  prof_push(prof.side == SIDE_ENDPOINT ? P_E_CRC : P_D_CRC);
  bool ok = __real_braid_sctp_packet_check_crc(data, len);
  prof_pop();
  return ok;
}

void __wrap_braid_data_producer_receive(braid_data_producer_t *p, uint32_t ppid,
                                        const uint8_t *data, size_t len) {
  prof_push(P_D_FWD);
  __real_braid_data_producer_receive(p, ppid, data, len);
  prof_pop();
}

