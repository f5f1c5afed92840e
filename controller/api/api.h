/*
 * The broadcaster HTTP API (mediasoup-protocol.md §2.6 and §2.8): what
 * mediasoup-demo's broadcasters/ffmpeg.sh and gstreamer.sh speak, so that
 * FFmpeg, GStreamer or any RTP endpoint joins a room as a "broadcaster"
 * peer: browsers get newPeer for it and newConsumer for its producers.
 *
 * Routes (both demo generations; ids are path segments):
 *   GET    /rooms/:room                                   router RTP capabilities
 *   POST   /rooms/:room/broadcasters                      create {id|peerId, displayName, device, rtpCapabilities?}
 *   DELETE /rooms/:room/broadcasters/:b                   delete (closes what it has)
 *   POST   /rooms/:room/broadcasters/:b/join              (current demo) join after transports
 *   POST   /rooms/:room/broadcasters/:b/transports        create {type:'plain'|'webrtc', rtcpMux, comedia,
 *                                                          enableSrtp, srtpCryptoSuite, direction,
 *                                                          sctpCapabilities}
 *   POST   .../transports/:t/connect                      {ip, port, rtcpPort, srtpParameters} (plain)
 *   POST   .../transports/:t/producers                    produce {kind, rtpParameters, appData}
 *   POST   /rooms/:room/broadcasters/:b/producers         same with transportId in the body (current)
 *   POST   .../transports/:t/consume?producerId=P         consume with the broadcaster's rtpCapabilities
 *   POST   /rooms/:room/broadcasters/:b/consumers         {transportId, producerId, paused, rtpCapabilities} (current)
 *   POST   /rooms/:room/broadcasters/:b/consumers/:c/resume
 *   POST   .../transports/:t/produce/data                 {label, protocol, sctpStreamParameters, appData}
 *   POST   .../transports/:t/consume/data                 {dataProducerId} -> {id, streamId, ...}
 *   POST   /rooms/:room/broadcasters/:b/dataProducers     same with transportId in the body (ours:
 *   POST   /rooms/:room/broadcasters/:b/dataConsumers      the current demo has no data routes)
 *   (DataChannels need a transport created with sctpCapabilities: bcast_data.c.)
 *
 * Answers carry the keys of both generations where they differ ("id" and
 * "transportId", "id" and "producerId", ...). Errors: api_req.h.
 */
#ifndef BRAID_CONTROLLER_API_API_H
#define BRAID_CONTROLLER_API_API_H

#include "controller/ctl.h"
#include "controller/net/http_req.h"

/* ws_server's on_http hook: routes r and answers it (now or later). */
void braid_api_on_http(braid_ctl_t *ctl, braid_http_req_t *r);

#endif
