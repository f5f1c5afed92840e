/*
 * braidctl's shared parts (tools/braidctl*.c): it reads the cluster's state
 * from Redis (docs/REDIS.md lists the keys) and prints it as text or JSON.
 *
 * Everything it reads was written by other processes, possibly by an older
 * or newer version, possibly half way or by hand: every reply's type and
 * every record field's type is checked. What cannot be read is skipped
 * with a warning (stderr, and "warnings" in `room --json`); the command
 * still prints the rest and exits 0. Only a lost connection (or a Redis
 * that refuses commands) ends braidctl early, with status 1.
 */
#ifndef BRAID_TOOLS_BRAIDCTL_H
#define BRAID_TOOLS_BRAIDCTL_H

#include <stdbool.h>
#include <stddef.h>

#include <hiredis/hiredis.h>
#include <jansson.h>

/* Display buffers (braidctl_disp()): one printf may use this many. */
#define BRAIDCTL_DISP_SLOTS 16
#define BRAIDCTL_DISP_MAX   256
/* Warnings kept for one run; more are only counted. */
#define BRAIDCTL_WARN_MAX 200
/* Key names (prefix + room id + suffix). */
#define BRAIDCTL_KEY_MAX 1024
/* Pipe tree levels drawn (and walked) below a producer's origin. */
#define BRAIDCTL_TREE_MAX_DEPTH 64

typedef struct braidctl {
  redisContext *rc;   /* owned */
  const char *prefix; /* borrowed: argv or environ */
  bool json;
  json_t *warnings; /* owned: array of strings */
  size_t warnings_dropped;
  char disp[BRAIDCTL_DISP_SLOTS][BRAIDCTL_DISP_MAX];
  unsigned disp_next;
} braidctl_t;

/* ---- braidctl_redis.c: reads ------------------------------------------ */

/* Runs a command. The reply (any type, errors included) is the caller's to
 * free. A lost connection prints an error and exits 1: nothing after it
 * could be read. */
redisReply *braidctl_cmd(braidctl_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Adds a warning (printf-style; control characters become '?'). */
void braidctl_warn(braidctl_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the warnings to stderr. */
void braidctl_warnings_print(braidctl_t *b);

/* Builds "<prefix><fmt...>" into key (BRAIDCTL_KEY_MAX); false (with a
 * warning) when it does not fit. */
bool braidctl_key(braidctl_t *b, char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A hash as a JSON object of strings (field names and values that are not
 * UTF-8 text get '?' for their bad bytes, with a warning). An absent key
 * gives {}; a key of another type, or an unexpected reply, NULL with a
 * warning. Caller owns the result. */
json_t *braidctl_hash(braidctl_t *b, const char *key);
/* A hash of JSON records: field -> the decoded object, or JSON null for a
 * value that is not a JSON object (with a warning naming the key and the
 * field). NULL as braidctl_hash(). */
json_t *braidctl_records(braidctl_t *b, const char *key);
/* 1 when the key exists, 0 when not, -1 (warning) when Redis said neither. */
int braidctl_exists(braidctl_t *b, const char *key);

/* The live media nodes, least loaded first: node id -> its hash (strings).
 * Members of P nodes whose hash is gone are dead and left out. */
json_t *braidctl_live_nodes(braidctl_t *b);
/* A node's pipe transports (P node:<id>:pipes): transport id -> record or
 * null; {} when the node has none (or is dead). */
json_t *braidctl_node_pipes(braidctl_t *b, const char *node);

/* A node's pipe transport record t (of hash key) as braidctl shows it: a
 * copy whose numbers ("rxBps", "rtpRx", "remotePort", ...) are JSON
 * numbers (a numeric string read as one), or null when unreadable (with a
 * warning). NULL when rec is not an object. Caller owns the copy. */
json_t *braidctl_pipe_record(braidctl_t *b, const char *key, const char *t, json_t *rec);

/* ---- braidctl_fmt.c: record fields and output -------------------------- */

/* One record being read: where it is, for the warnings. */
typedef struct braidctl_rec {
  braidctl_t *b;
  const char *key;   /* borrowed: the hash's full key */
  const char *field; /* borrowed: the record's field in it */
  json_t *obj;       /* borrowed: the record (may be NULL or not an object) */
} braidctl_rec_t;

/* A string field, or NULL: absent (warned when required) or of another
 * type (always warned). The string is borrowed from the record. */
const char *braidctl_rec_str(const braidctl_rec_t *r, const char *name, bool required);
/* A number field (a JSON number or a numeric string, as node hashes hold
 * them) into *out; false as braidctl_rec_str(). */
bool braidctl_rec_num(const braidctl_rec_t *r, const char *name, bool required, double *out);
/* A bool field: 1, 0, or -1 when absent or of another type (warned). */
int braidctl_rec_bool(const braidctl_rec_t *r, const char *name);

/* A JSON number for v: an integer when it is one that fits, else a real. */
json_t *braidctl_num_json(double v);
/* A string member of a JSON object we built, or NULL. */
const char *braidctl_get_str(const json_t *o, const char *name);
/* A number member (integer or real) of a JSON object we built, or 0. */
double braidctl_get_num(const json_t *o, const char *name);

/* s made safe for a terminal: control characters become '?', and a long
 * string is cut ("..."). NULL gives "?". The result lives in one of
 * BRAIDCTL_DISP_SLOTS rotating buffers. */
const char *braidctl_disp(braidctl_t *b, const char *s);
/* A bit rate ("950 bit/s", "1.2 Mbit/s") or byte count ("3.4 MB"). */
void braidctl_fmt_bps(double bps, char *buf, size_t cap);
void braidctl_fmt_bytes(double n, char *buf, size_t cap);

/* Prints j (indented) and releases it; 0, or 1 when it cannot be encoded. */
int braidctl_print_json(json_t *j);

/* Fixes bytes that are not UTF-8 text (and NULs) in place to '?'; returns
 * how many it changed. */
size_t braidctl_utf8_fix(char *s, size_t n);

/* ---- the commands ----------------------------------------------------- */

int braidctl_nodes(braidctl_t *b);
int braidctl_pipes(braidctl_t *b);
int braidctl_room(braidctl_t *b, const char *room);
/* braidctl_room_text.c: the text form of braidctl_room()'s JSON. */
void braidctl_room_print(braidctl_t *b, const json_t *room);

#endif
