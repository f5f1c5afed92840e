/*
 * braid-ortc-caps: prints the router RTP capabilities that
 * braid_ortc_router_caps() computes, as one line of compact JSON (the form
 * JS's JSON.stringify() gives, so it can be compared byte for byte with
 * mediasoup's output).
 *
 *   braid-ortc-caps [--pretty] [MEDIA_CODECS.json]
 *
 * Without a file it uses the built-in default (mediasoup-demo) media codecs.
 * Exit status: 0 on success, 1 on a rejected list (message on stderr),
 * 2 on bad usage.
 */
#include <stdio.h>
#include <string.h>

#include "controller/ortc/router_caps.h"

int main(int argc, char **argv) {
  size_t flags = JSON_COMPACT;
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--pretty") == 0)
      flags = JSON_INDENT(2);
    else if (path == NULL && argv[i][0] != '-')
      path = argv[i];
    else {
      fprintf(stderr, "usage: %s [--pretty] [MEDIA_CODECS.json]\n", argv[0]);
      return 2;
    }
  }

  char err[256];
  json_t *codecs = NULL;
  json_t *caps = NULL;
  if (braid_ortc_load_media_codecs(path, &codecs, err, sizeof(err)) != 0 ||
      braid_ortc_router_caps(codecs, &caps, err, sizeof(err)) != 0) {
    fprintf(stderr, "braid-ortc-caps: %s\n", err);
    json_decref(codecs);
    return 1;
  }
  int rc = json_dumpf(caps, stdout, flags) == 0 && fputc('\n', stdout) != EOF ? 0 : 1;
  json_decref(caps);
  json_decref(codecs);
  return rc;
}
