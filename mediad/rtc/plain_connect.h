/*
 * The rules of PlainTransport.connect() (mediasoup's
 * worker/src/RTC/PlainTransport.cpp), apart from the transport that
 * applies them: a transport.connect_plain command, checked against how the
 * transport was created, becomes the remote tuple(s) and the decoded SRTP
 * keys. Sans-I/O and allocation-free, so every rule is a unit test.
 *
 *   comedia             the remote is learned from the first packets: only
 *                       the SRTP parameters may be given (mediasoup ignores
 *                       an ip/port then; we refuse them, to be clear)
 *   not comedia         ip and port are required, and rtcp_port too when
 *                       rtcp_mux is off (and refused when it is on)
 *   SRTP enabled        suite, remote key and local key are required; the
 *                       remote's suite is used both ways, as mediasoup does
 *   SRTP not enabled    none of them may be given
 *   pipe                a PipeTransport (mediasoup's PipeTransport.connect):
 *                       created with rtcp_mux and without comedia, so ip and
 *                       port are required; its SRTP suite can only be
 *                       AEAD_AES_256_GCM
 */
#ifndef BRAID_MEDIAD_RTC_PLAIN_CONNECT_H
#define BRAID_MEDIAD_RTC_PLAIN_CONNECT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "mediad/sec/srtp_session.h"
#include "proto/transport.h"

/* How the transport was created: what connect may and must give. */
typedef struct braid_plain_connect_rules {
  bool rtcp_mux;
  bool comedia;
  bool enable_srtp;
  bool pipe;  /* a PipeTransport: SRTP only with AEAD_AES_256_GCM */
  int family; /* AF_INET or AF_INET6: the local socket's; a remote of the other is refused */
} braid_plain_connect_rules_t;

/* A connect that passed the rules. */
typedef struct braid_plain_connect {
  bool has_tuple;      /* addr is the remote RTP (and muxed RTCP) address */
  bool has_rtcp_tuple; /* rtcp_addr is the remote RTCP address */
  struct sockaddr_storage addr, rtcp_addr;
  socklen_t addr_len; /* of both */
  bool srtp;          /* the fields below are set */
  braid_srtp_suite_t suite;
  uint8_t remote_key[BRAID_SRTP_SESSION_MASTER_MAX]; /* key || salt of the inbound session */
  uint8_t local_key[BRAID_SRTP_SESSION_MASTER_MAX];  /* key || salt of the outbound session */
  size_t key_len, salt_len;
} braid_plain_connect_t;

/*
 * Applies the rules to c (borrowed for the call). Returns 0 with *out
 * filled, or with *why set to a static reason:
 *   BRAID_EINVAL "comedia transport: only srtpParameters may be given",
 *                "missing ip/port", "invalid ip" (not an IPv4/IPv6
 *                literal, or not of rules->family), "invalid port",
 *                "missing rtcpPort", "rtcpPort given with rtcpMux",
 *                "missing srtpParameters", "srtpParameters given but SRTP
 *                is not enabled", "invalid cryptoSuite",
 *                "invalid key length for <suite>", and for a pipe "a pipe
 *                transport takes only AEAD_AES_256_GCM"
 * out holds key material: wipe it (braid_plain_connect_wipe) when done,
 * also on failure.
 */
int braid_plain_connect_parse(braid_plain_connect_t *out, const braid_plain_connect_rules_t *rules,
                              const braid_cmd_transport_connect_plain_t *c, const char **why);

/* Zeroes out, keys included, in a way the compiler keeps. */
void braid_plain_connect_wipe(braid_plain_connect_t *out);

/* Whether a (from a received datagram) is the address b (a connected or
 * learned tuple): same family, address and port. */
bool braid_plain_connect_same_addr(const struct sockaddr *a, const struct sockaddr_storage *b);

#endif
