#include "controller/ortc/supported_caps.h"

#include "common/err.h"
#include "controller/ortc/validate.h"

/* The table reads best one entry per line, which clang-format cannot keep. */
/* clang-format off */

/* rtcpFeedback lists shared by several entries. */
#define FB_OPUS "[{\"type\":\"nack\"},{\"type\":\"transport-cc\"}]"
#define FB_TCC "[{\"type\":\"transport-cc\"}]"
#define FB_VIDEO                                                                                   \
  "[{\"type\":\"nack\"},{\"type\":\"nack\",\"parameter\":\"pli\"},"                                \
  "{\"type\":\"ccm\",\"parameter\":\"fir\"},{\"type\":\"goog-remb\"},"                             \
  "{\"type\":\"transport-cc\"}]"

/* Audio codec with transport-cc only, with or without a static PT. */
#define AUDIO_TCC(mime, rate)                                                                      \
  "{\"kind\":\"audio\",\"mimeType\":\"" mime "\",\"clockRate\":" rate ",\"rtcpFeedback\":" FB_TCC "},"
#define AUDIO_TCC_PT(mime, pt, rate)                                                               \
  "{\"kind\":\"audio\",\"mimeType\":\"" mime "\",\"preferredPayloadType\":" pt                     \
  ",\"clockRate\":" rate ",\"rtcpFeedback\":" FB_TCC "},"
#define MULTIOPUS(ch, map, streams, coupled)                                                       \
  "{\"kind\":\"audio\",\"mimeType\":\"audio/multiopus\",\"clockRate\":48000,\"channels\":" ch      \
  ",\"parameters\":{\"channel_mapping\":\"" map "\",\"num_streams\":" streams                      \
  ",\"coupled_streams\":" coupled "},\"rtcpFeedback\":" FB_OPUS "},"
#define CN(rate)                                                                                   \
  "{\"kind\":\"audio\",\"mimeType\":\"audio/CN\",\"preferredPayloadType\":13,\"clockRate\":" rate "},"
#define TEL_EVENT(rate)                                                                            \
  "{\"kind\":\"audio\",\"mimeType\":\"audio/telephone-event\",\"clockRate\":" rate "},"
#define EXT(kind, uri, id, dir)                                                                    \
  "{\"kind\":\"" kind "\",\"uri\":\"" uri "\",\"preferredId\":" id                                 \
  ",\"preferredEncrypt\":false,\"direction\":\"" dir "\"}"

const char braid_ortc_supported_caps_text[] =
    "{\"codecs\":["
    "{\"kind\":\"audio\",\"mimeType\":\"audio/opus\",\"clockRate\":48000,\"channels\":2,"
    "\"rtcpFeedback\":" FB_OPUS "},"
    MULTIOPUS("4", "0,1,2,3", "2", "2")          /* quad */
    MULTIOPUS("6", "0,4,1,2,3,5", "4", "2")      /* 5.1 */
    MULTIOPUS("8", "0,6,1,2,3,4,5,7", "5", "3")  /* 7.1 */
    AUDIO_TCC_PT("audio/PCMU", "0", "8000")
    AUDIO_TCC_PT("audio/PCMA", "8", "8000")
    AUDIO_TCC("audio/ISAC", "32000")
    AUDIO_TCC("audio/ISAC", "16000")
    AUDIO_TCC_PT("audio/G722", "9", "8000")
    AUDIO_TCC("audio/iLBC", "8000")
    AUDIO_TCC("audio/SILK", "24000")
    AUDIO_TCC("audio/SILK", "16000")
    AUDIO_TCC("audio/SILK", "12000")
    AUDIO_TCC("audio/SILK", "8000")
    CN("32000") CN("16000") CN("8000")
    TEL_EVENT("48000") TEL_EVENT("32000") TEL_EVENT("16000") TEL_EVENT("8000")
    "{\"kind\":\"video\",\"mimeType\":\"video/VP8\",\"clockRate\":90000,"
    "\"rtcpFeedback\":" FB_VIDEO "},"
    "{\"kind\":\"video\",\"mimeType\":\"video/VP9\",\"clockRate\":90000,"
    "\"rtcpFeedback\":" FB_VIDEO "},"
    "{\"kind\":\"video\",\"mimeType\":\"video/H264\",\"clockRate\":90000,"
    "\"parameters\":{\"level-asymmetry-allowed\":1},\"rtcpFeedback\":" FB_VIDEO "},"
    "{\"kind\":\"video\",\"mimeType\":\"video/AV1\",\"clockRate\":90000,"
    "\"parameters\":{},\"rtcpFeedback\":" FB_VIDEO "}"
    "],\"headerExtensions\":["
    EXT("audio", "urn:ietf:params:rtp-hdrext:sdes:mid", "1", "sendrecv") ","
    EXT("video", "urn:ietf:params:rtp-hdrext:sdes:mid", "1", "sendrecv") ","
    EXT("video", "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", "2", "recvonly") ","
    EXT("video", "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id", "3", "recvonly") ","
    EXT("audio", "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", "4", "sendrecv") ","
    EXT("video", "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", "4", "sendrecv") ","
    /* For audio mediasoup only receives transport-wide-cc-01. */
    EXT("audio", "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", "5",
        "recvonly") ","
    EXT("video", "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", "5",
        "sendrecv") ","
    EXT("audio", "urn:ietf:params:rtp-hdrext:ssrc-audio-level", "6", "sendrecv") ","
    EXT("video",
        "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension",
        "7", "recvonly") ","
    EXT("video", "urn:3gpp:video-orientation", "8", "sendrecv") ","
    EXT("video", "urn:ietf:params:rtp-hdrext:toffset", "9", "sendrecv") ","
    EXT("audio", "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time", "10", "sendrecv") ","
    EXT("video", "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time", "10", "sendrecv") ","
    EXT("audio", "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay", "11", "sendrecv") ","
    EXT("video", "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay", "11", "sendrecv") ","
    EXT("audio", "urn:mediasoup:params:rtp-hdrext:packet-id", "12", "sendrecv") ","
    EXT("video", "urn:mediasoup:params:rtp-hdrext:packet-id", "12", "sendrecv")
    "]}";

/* clang-format on */

/* Normalises every entry of caps[key] with check(); any failure is a bug in
 * the text above, except running out of memory. */
static int normalize_all(json_t *caps, const char *key, int (*check)(json_t *, char *, size_t)) {
  json_t *list = json_object_get(caps, key);
  if (!json_is_array(list)) return BRAID_EINTERNAL;
  size_t i;
  json_t *entry;
  json_array_foreach(list, i, entry) {
    int rc = check(entry, NULL, 0);
    if (rc != 0) return rc == BRAID_ENOMEM ? rc : BRAID_EINTERNAL;
  }
  return 0;
}

int braid_ortc_supported_caps_new(json_t **out) {
  *out = NULL;
  json_t *caps = json_loads(braid_ortc_supported_caps_text, JSON_REJECT_DUPLICATES, NULL);
  /* The text is a constant that the unit tests parse, so a failure here
   * means jansson could not allocate: it reports that as out_of_memory, with
   * no code, or (inside its lexer) as a syntax error. */
  if (caps == NULL) return BRAID_ENOMEM;

  int rc = normalize_all(caps, "codecs", braid_ortc_validate_codec_cap);
  if (rc == 0) rc = normalize_all(caps, "headerExtensions", braid_ortc_validate_hdrext_cap);
  if (rc != 0) {
    json_decref(caps);
    return rc;
  }
  *out = caps;
  return 0;
}
