/*
 * getStats() of transports, producers, consumers, data producers and data
 * consumers as mediasoup returns them (node/src/{WebRtcTransport,
 * PlainTransport,Producer,Consumer,DataProducer,DataConsumer}.ts stats types;
 * shared/docs/mediasoup-protocol.md §5.5-5.7): JSON text written into a
 * caller buffer, which the controller passes through to the client.
 *
 * Each writer returns the text's length, or BRAID_ETOOBIG when it does
 * not fit in cap (buf then holds a truncated text; do not send it).
 * Called per request, never on the per-packet path.
 */
#ifndef BRAID_MEDIAD_RTC_STATS_JSON_H
#define BRAID_MEDIAD_RTC_STATS_JSON_H

#include <stddef.h>
#include <sys/types.h>

#include "mediad/rtc/consumer.h"
#include "mediad/rtc/data_consumer.h"
#include "mediad/rtc/data_producer.h"
#include "mediad/rtc/plain_transport.h"
#include "mediad/rtc/producer.h"
#include "mediad/rtc/webrtc_transport.h"

/* [{"type":"webrtc-transport", ...}] */
ssize_t braid_stats_json_webrtc_transport(braid_webrtc_transport_t *t, char *buf, size_t cap);
/* [{"type":"plain-rtp-transport", ..., "rtcpMux", "comedia", "tuple",
 * "rtcpTuple"?}]: the tuple names the daemon's announced address and the
 * local port, and the remote once there is one. A pipe transport:
 * [{"type":"pipe-transport", ..., "tuple"}] (mediasoup's PipeTransportStats). */
ssize_t braid_stats_json_plain_transport(braid_plain_transport_t *t, char *buf, size_t cap);
/* One pipe transport in the node's pipes hash (node.h): {"transport",
 * "router", "room", "remoteIp" ("" before connect), "remotePort",
 * "srtp", "rtpRx", "rtpTx" (RTP packets), "bytesRx", "bytesTx" (whole
 * datagrams), "rxBps", "txBps" (since the previous call: it moves the
 * transport's rate window, braid_plain_transport_rates()), "consumers",
 * "producers"}. */
ssize_t braid_stats_json_pipe_summary(braid_plain_transport_t *t, int64_t now_ms, char *buf,
                                      size_t cap);
/* One "inbound-rtp" entry per stream that has received. */
ssize_t braid_stats_json_producer(braid_producer_t *p, char *buf, size_t cap);
/* The consumer's "outbound-rtp", then its producer's current stream; a
 * pipe consumer's "outbound-rtp" of each stream it forwards. */
ssize_t braid_stats_json_consumer(braid_consumer_t *c, char *buf, size_t cap);
/* [{"type":"data-producer","timestamp","label","protocol",
 * "messagesReceived","bytesReceived"}] */
ssize_t braid_stats_json_data_producer(const braid_data_producer_t *p, char *buf, size_t cap);
/* [{"type":"data-consumer","timestamp","label","protocol","messagesSent",
 * "bytesSent","bufferedAmount"}]: the label and protocol are its data
 * producer's, the buffered amount its association's. */
ssize_t braid_stats_json_data_consumer(const braid_data_consumer_t *c, char *buf, size_t cap);

#endif
