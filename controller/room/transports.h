/*
 * WebRTC transport requests (mediasoup-protocol.md §2.2, §2.7, §3.2):
 * createWebRtcTransport, connectWebRtcTransport, restartIce. The transport
 * lives on the node of the room's router; its record (store.h) names the
 * peer and socket that own it, so only they may use it and their leaving
 * closes it.
 */
#ifndef BRAID_CONTROLLER_ROOM_TRANSPORTS_H
#define BRAID_CONTROLLER_ROOM_TRANSPORTS_H

#include "controller/room/request.h"
#include "controller/room/rooms.h"
#include "controller/signaling/protoo.h"
#include "proto/transport.h"

void braid_transports_create(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req);
void braid_transports_connect(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req);
void braid_transports_restart_ice(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req);

/* The step after braid_transports_load(): record is the transport record
 * (borrowed for the call), rq->node_id and rq->transport_id are set, and
 * the peer is still there. */
typedef void (*braid_transports_loaded_fn)(braid_req_t *rq, json_t *record);

/* Loads the record of transport_id (at most BRAID_ID_MAX bytes) and checks
 * that rq's peer owns it, through this very socket; then runs next(rq,
 * record). Fails rq with 500 'transport with id "X" not found' otherwise,
 * and frees it when the peer has gone. */
void braid_transports_load(braid_req_t *rq, const char *transport_id,
                           braid_transports_loaded_fn next);

/* Closes a transport on its node (fire and forget; idempotent there). */
void braid_transports_close_on_node(braid_ctl_t *ctl, const char *node_id, const char *transport_id);

/* The ICE candidates mediasoup's WebRtcServer would announce for a node
 * (udp first, then tcp passive; priorities as mediasoup computes them).
 * node is the node hash (announced_ip, and rtc_port when port is 0); port
 * is the transport's own, from the node's transport.create_webrtc reply, or
 * 0 (a node that predates it). Returns a new array, empty when there is no
 * address or port. */
json_t *braid_transports_candidates(json_t *node, int port, bool udp, bool tcp);

/* mediasoup's SctpParameters for a transport with SCTP (§3.2): port 5000,
 * OS and MIS, maxMessageSize (the controller's --sctp-max-message-size)
 * and the newer maxSendMessageSize and maxReceiveMessageSize (the same),
 * sendBufferSize max(262144, that), sctpBufferedAmount 0, isDataChannel
 * (true for WebRTC transports, false for plain ones). A new object. */
json_t *braid_transports_sctp_parameters(const braid_ctl_t *ctl, int os, int mis,
                                         bool data_channel);
/* The send buffer a node makes for an association (the same rule). */
long braid_transports_sctp_send_buffer(const braid_ctl_t *ctl);

/* {role:"auto", fingerprints:[...]} from the node hash's "fingerprints"
 * (JSON text written by the node): a new object. */
json_t *braid_transports_dtls_parameters(json_t *node);
/* Checks connect()'s dtlsParameters (an object with an optional role and a
 * non-empty fingerprints array) and fills tc from them, borrowing their
 * strings and transport_id. Returns false with the client's message in err. */
bool braid_transports_connect_cmd(json_t *dtls, const char *transport_id,
                                  braid_cmd_transport_connect_t *tc, char *err, size_t errlen);
#endif
