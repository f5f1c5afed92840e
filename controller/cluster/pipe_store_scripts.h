/*
 * The Lua scripts behind pipe_store.c (same rules as store_scripts.h: each
 * runs atomically, keys are built from ARGV[1], the prefix).
 *
 * Records are JSON text of strings and numbers only (no arrays), so Lua may
 * decode and re-encode them. A reply that carries a producer record splices
 * its stored text in unchanged (re-encoding would turn [] into {}).
 */
#ifndef BRAID_CONTROLLER_CLUSTER_PIPE_STORE_SCRIPTS_H
#define BRAID_CONTROLLER_CLUSTER_PIPE_STORE_SCRIPTS_H

#include "controller/cluster/lua_dec.h"

/* ARGV: prefix, room, producer, target node, claim token (the claiming
 * operation's: its controller's id and a random part), now_ms, fan-out, stale
 * ms, "producers" or "dataproducers" (which records the id names). Claims
 * the pipe of a producer (or data producer) to a node, once per node:
 *   {"state":"ready"}    the producer is there already (its own node, or
 *                        a pipe that is ready, whose "ts" is renewed: a
 *                        consumer is on its way);
 *   {"state":"wait"}     another claim is under way (younger than stale);
 *   {"state":"claimed","from","fromRouter","router","producer"}: this
 *                        caller makes the pipe, from node "from" (the
 *                        origin while it has fewer pipes of the producer
 *                        than the fan-out, else the first node the
 *                        producer was piped to that has; when all are at
 *                        the fan-out, the one with the fewest) to the
 *                        target's router "router"; "producer" is the
 *                        producer record.
 * Errors: "producer closed", "no router" (the target has no router of the
 * room), "origin gone" (the producer's node is dead). */
static const char braid_lua_pipe_claim[] =
    BRAID_LUA_DEC
    "local p, room, prod, target = ARGV[1], ARGV[2], ARGV[3], ARGV[4] "
    "local now, fanout, stale = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]) "
    "local base = p .. 'room:' .. room "
    "local text = redis.call('HGET', base .. ':' .. ARGV[9], prod) "
    "if not text then return redis.error_reply('producer closed') end "
    "local rec = dec(text) "
    "if rec.node == target then return '{\"state\":\"ready\"}' end "
    "local function live(n) "
    "  return redis.call('EXISTS', p .. 'node:' .. tostring(n)) == 1 and "
    "         redis.call('EXISTS', p .. 'node:' .. tostring(n) .. ':dead') == 0 end "
    "if not live(rec.node) then return redis.error_reply('origin gone') end "
    "local pk = base .. ':pipes' "
    "local field = prod .. '@' .. target "
    "local cur = redis.call('HGET', pk, field) "
    "if cur then "
    "  local c = dec(cur) "
    "  if c.state == 'ready' then "
    /* In use: the teardown leaves it alone for another grace period. */
    "    c.ts = now "
    "    redis.call('HSET', pk, field, cjson.encode(c)) "
    "    return '{\"state\":\"ready\"}' "
    "  end "
    "  if now - (tonumber(c.ts) or 0) < stale then return '{\"state\":\"wait\"}' end "
    "end "
    "local router = redis.call('HGET', base .. ':routers', target) "
    "if not router then return redis.error_reply('no router') end "
    "local holders, routers, children = {rec.node}, {}, {} "
    "routers[rec.node] = rec.router "
    "local all = redis.call('HGETALL', pk) "
    "for i = 1, #all, 2 do "
    "  local d = dec(all[i+1]) "
    "  if d.producerId == prod and all[i] ~= field then "
    "    if d.from then children[d.from] = (children[d.from] or 0) + 1 end "
    "    if d.state == 'ready' and d.node and live(d.node) then "
    "      table.insert(holders, d.node) "
    "      routers[d.node] = d.router "
    "    end "
    "  end "
    "end "
    /* The first holder below the fan-out (the origin first), else the one
     * with the fewest pipes of it: the tree grows a level. */
    "local from = nil "
    "for _, n in ipairs(holders) do "
    "  if (children[n] or 0) < fanout then from = n break end "
    "end "
    "if not from then "
    "  local best = nil "
    "  for _, n in ipairs(holders) do "
    "    local k = children[n] or 0 "
    "    if best == nil or k < best then from, best = n, k end "
    "  end "
    "end "
    "redis.call('HSET', pk, field, cjson.encode({producerId = prod, node = target, "
    "  router = router, from = from, fromRouter = routers[from], state = 'pending', "
    "  ctl = ARGV[5], ts = now, kind = rec.kind or 'data'})) "
    "return '{\"state\":\"claimed\",\"from\":' .. cjson.encode(from) .. "
    "  ',\"fromRouter\":' .. cjson.encode(routers[from]) .. ',\"router\":' .. "
    "  cjson.encode(router) .. ',\"producer\":' .. text .. '}'";

/* ARGV: prefix, room, node a, node b (a < b), ctl, now_ms, stale ms, new
 * transport id on a, new transport id on b. Claims the pipe transport pair
 * of the room between two nodes (one pair per node pair, both ways):
 * {"state":"ready","ta","tb"}, {"state":"wait"}, or
 * {"state":"claimed","ta","tb","ra","rb"} (the caller creates and
 * connects both; ra and rb are the room's routers on a and b). Error "no
 * router" when either node has no router of the room. */
static const char braid_lua_pipe_transport_claim[] =
    BRAID_LUA_DEC
    "local p, room, a, b = ARGV[1], ARGV[2], ARGV[3], ARGV[4] "
    "local now, stale = tonumber(ARGV[6]), tonumber(ARGV[7]) "
    "local base = p .. 'room:' .. room "
    "local k = base .. ':pipetransports' "
    "local field = a .. '|' .. b "
    "local cur = redis.call('HGET', k, field) "
    "if cur then "
    "  local c = dec(cur) "
    "  if c.state == 'ready' then "
    "    return cjson.encode({state = 'ready', ta = c.ta, tb = c.tb}) end "
    "  if now - (tonumber(c.ts) or 0) < stale then return '{\"state\":\"wait\"}' end "
    "end "
    "local ra = redis.call('HGET', base .. ':routers', a) "
    "local rb = redis.call('HGET', base .. ':routers', b) "
    "if not ra or not rb then return redis.error_reply('no router') end "
    "redis.call('HSET', k, field, cjson.encode({a = a, b = b, ta = ARGV[8], tb = ARGV[9], "
    "  state = 'pending', ctl = ARGV[5], ts = now})) "
    "return cjson.encode({state = 'claimed', ta = ARGV[8], tb = ARGV[9], ra = ra, rb = rb})";

/* ARGV: prefix, room, "a|b", transport id on a, json of fields to add
 * (ports, addresses, srtp). Marks the pair ready if the pending claim is
 * still the one that made transport ta. Returns {} or false. */
static const char braid_lua_pipe_transport_ready[] =
    BRAID_LUA_DEC
    "local k = ARGV[1] .. 'room:' .. ARGV[2] .. ':pipetransports' "
    "local cur = redis.call('HGET', k, ARGV[3]) "
    "if not cur then return false end "
    "local c = dec(cur) "
    "if c.ta ~= ARGV[4] then return false end "
    "for key, v in pairs(dec(ARGV[5])) do c[key] = v end "
    "c.state = 'ready' "
    "redis.call('HSET', k, ARGV[3], cjson.encode(c)) "
    "return '{}'";

/* ARGV: prefix, room, producer, target, claim token, transportId,
 * fromTransportId, pipeConsumerId, "producers" or "dataproducers", now_ms.
 * Marks the pipe ready when the claim is still this token's and the
 * producer still exists: {"state":"ready","paused":bool} (the producer's
 * paused now: the caller makes the piped producer match). When the
 * producer is gone (or its pipes were dropped with it), drops the claim
 * if it is this token's and returns {"state":"gone"}; when another claim
 * took this one over, {"state":"lost"}. */
static const char braid_lua_pipe_ready[] =
    BRAID_LUA_DEC
    "local base = ARGV[1] .. 'room:' .. ARGV[2] "
    "local pk = base .. ':pipes' "
    "local field = ARGV[3] .. '@' .. ARGV[4] "
    "local cur = redis.call('HGET', pk, field) "
    "local c = cur and dec(cur) or nil "
    "local mine = c ~= nil and c.ctl == ARGV[5] and c.state == 'pending' "
    "local text = redis.call('HGET', base .. ':' .. ARGV[9], ARGV[3]) "
    "if c ~= nil and not mine and text then return '{\"state\":\"lost\"}' end "
    "if not mine or not text then "
    "  if mine then redis.call('HDEL', pk, field) end "
    "  return '{\"state\":\"gone\"}' "
    "end "
    "c.state = 'ready' "
    "c.ts = tonumber(ARGV[10]) "
    "c.transportId, c.fromTransportId, c.pipeConsumerId = ARGV[6], ARGV[7], ARGV[8] "
    "redis.call('HSET', pk, field, cjson.encode(c)) "
    "return cjson.encode({state = 'ready', paused = dec(text).paused == true})";

/* ARGV: prefix, room, hash ("pipes" or "pipetransports"), field, claim
 * token, the record's key holding the token ("ctl" for pipes, "ta" for
 * pairs, whose transport id is unique to its claim). Drops a pending claim of this token (a pipe it failed to make):
 * {"removed":bool}, false when another claim has it (its maker's copy
 * must stay). */
static const char braid_lua_pipe_abort[] =
    BRAID_LUA_DEC
    "local k = ARGV[1] .. 'room:' .. ARGV[2] .. ':' .. ARGV[3] "
    "local cur = redis.call('HGET', k, ARGV[4]) "
    "if cur then "
    "  local c = dec(cur) "
    "  if c[ARGV[6]] == ARGV[5] and c.state ~= 'ready' then "
    "    redis.call('HDEL', k, ARGV[4]) "
    "    return '{\"removed\":true}' "
    "  end "
    "end "
    "return '{\"removed\":false}'";

/* ARGV: prefix, room, producer, "1" to remove them. Returns a JSON array
 * of the nodes the producer is piped to (ready or under way), removing
 * their records when asked (the producer closed). */
static const char braid_lua_pipes_of[] =
    BRAID_LUA_DEC
    "local pk = ARGV[1] .. 'room:' .. ARGV[2] .. ':pipes' "
    "local all = redis.call('HGETALL', pk) "
    "local out = {} "
    "for i = 1, #all, 2 do "
    "  local d = dec(all[i+1]) "
    "  if d.producerId == ARGV[3] then "
    "    if type(d.node) == 'string' then table.insert(out, cjson.encode(d.node)) end "
    "    if ARGV[4] == '1' then redis.call('HDEL', pk, all[i]) end "
    "  end "
    "end "
    "return '[' .. table.concat(out, ',') .. ']'";

/* ARGV: prefix, room, now_ms, grace ms, abandoned ms. Tears down what
 * nothing uses: a ready pipe older than grace whose copy has no consumer
 * (data consumer for a data producer) on its node and feeds no other pipe,
 * or a claim still pending after "abandoned" (its maker died half way);
 * then, until nothing changes (a relay whose last edge went is next), the
 * same again; then the transport pairs that carry no pipe either way,
 * ready ones older than grace and pending ones older than "abandoned". Returns {"pipes":[{"producer","node","from","kind",
 * "pipeConsumerId"}...],"pairs":[{"a","ta","b","tb"}...]}: the caller
 * closes the copies, the pipe consumers and the transports. */
static const char braid_lua_pipes_gc[] =
    BRAID_LUA_DEC
    "local base = ARGV[1] .. 'room:' .. ARGV[2] "
    "local now, grace, abandoned = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]) "
    "local pk, tk = base .. ':pipes', base .. ':pipetransports' "
    "if redis.call('EXISTS', pk, tk) == 0 then return '{}' end "
    "local res = {pipes = {}, pairs = {}} "
    "local used = {} "
    "local function mark(key, n) "
    "  local all = redis.call('HGETALL', base .. key) "
    "  for i = 1, #all, 2 do "
    "    local c = dec(all[i+1]) "
    "    local pid = c[n] "
    "    if pid then used[tostring(pid) .. '@' .. tostring(c.node)] = true end "
    "  end end "
    "mark(':consumers', 'producerId') "
    "mark(':dataconsumers', 'dataProducerId') "
    "local recs = {} "
    "local all = redis.call('HGETALL', pk) "
    "for i = 1, #all, 2 do recs[all[i]] = dec(all[i+1]) end "
    "local changed = true "
    "while changed do "
    "  changed = false "
    "  local feeds = {} "
    "  for k, r in pairs(recs) do "
    "    feeds[tostring(r.producerId) .. '@' .. tostring(r.from)] = true end "
    "  for k, r in pairs(recs) do "
    "    local age = now - (tonumber(r.ts) or 0) "
    "    if (r.state == 'ready' and age > grace and not used[k] and not feeds[k]) or "
    "       (r.state ~= 'ready' and age > abandoned) then "
    "      redis.call('HDEL', pk, k) "
    "      recs[k] = nil "
    "      changed = true "
    "      table.insert(res.pipes, {producer = r.producerId, node = r.node, from = r.from, "
    "        kind = r.kind, pipeConsumerId = r.pipeConsumerId}) "
    "    end "
    "  end "
    "end "
    "local linked = {} "
    "for k, r in pairs(recs) do "
    "  local a, b = tostring(r.from), tostring(r.node) "
    "  if b < a then a, b = b, a end "
    "  linked[a .. '|' .. b] = true "
    "end "
    "local ts = redis.call('HGETALL', tk) "
    "for i = 1, #ts, 2 do "
    "  local t = dec(ts[i+1]) "
    "  local age = now - (tonumber(t.ts) or 0) "
    "  if not linked[ts[i]] and ((t.state == 'ready' and age > grace) or age > abandoned) then "
    "    redis.call('HDEL', tk, ts[i]) "
    "    table.insert(res.pairs, {a = t.a, ta = t.ta, b = t.b, tb = t.tb}) "
    "  end "
    "end "
    "return cjson.encode(res)";

#endif
