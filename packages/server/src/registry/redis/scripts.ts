/**
 * Every write to Redis is one Lua script, so each step is atomic: taking a message id and
 * appending its events to every target session's log happen together or not at all, which is
 * what lets a process die at any instant without losing or repeating an acknowledged message.
 * Scripts run on a single Redis (not Cluster: the default route writes to every session's keys).
 *
 * Layout (P = key prefix; docs/decisions.md "Redis: data layout" says why):
 *   P s:<sid>        hash  u user · c createdAt · o owner process ('' while waiting) · e epoch
 *                          (attach count) · l lostAt · b blockedUntil · q lastSeq · f firstSeq ·
 *                          a bytes appended through q · z bytes appended through f−1 · m mid counter
 *   P s:<sid>:log    stream, entry id '<seq>-0', fields c (a after it), b (body JSON), f (sender)
 *   P s:<sid>:mids   zset   mid → m at the time it was taken (oldest dropped past the cap)
 *   P u:<user>       zset   sid → createdAt
 *   P sessions       zset   '<sid>|<user>' → deadline (LIVE while a process holds it)
 *   P procs          zset   process id → last heartbeat
 *   P p:<proc>       set    sids that process holds
 *   channel P c:<proc>       notices for that process: events, takeovers, ends
 * A live session's keys have no TTL; a waiting one's expire at lostAt + resumeWindowMs, so the
 * window holds across processes with no timer anywhere. A process that dies without detaching is
 * found by its stale heartbeat, and its sessions get their TTL from its last beat.
 */

/** Deadline of a live session in `P sessions` (year 33658). */
export const liveDeadline = '1000000000000000';

const prelude = `
local P = ARGV[1]
local now = tonumber(ARGV[2])
local LIVE = '${liveDeadline}'
local function n(x) return string.format('%.0f', x) end
local function skey(sid) return P .. 's:' .. sid end
local function lkey(sid) return P .. 's:' .. sid .. ':log' end
local function mkey(sid) return P .. 's:' .. sid .. ':mids' end
local function ukey(u) return P .. 'u:' .. u end
local function pkey(p) return P .. 'p:' .. p end
local function chan(p) return P .. 'c:' .. p end
local SESSIONS = P .. 'sessions'
local PROCS = P .. 'procs'
local function member(sid, u) return sid .. '|' .. u end
-- Set after Redis came back without its data, until every process alive before puts back the
-- sessions it holds (or a cap): until then a message or a resume could miss sessions not back yet.
local function recovering() return redis.call('EXISTS', P .. 'recovering') == 1 end

-- ms > 0: expire; ms == nil: persist (a live session never expires).
local function setTtl(sid, ms)
  local keys = { skey(sid), lkey(sid), mkey(sid) }
  for i = 1, 3 do
    if ms then redis.call('PEXPIRE', keys[i], n(ms)) else redis.call('PERSIST', keys[i]) end
  end
end

local function remove(sid, u, owner)
  redis.call('DEL', skey(sid), lkey(sid), mkey(sid))
  redis.call('ZREM', SESSIONS, member(sid, u))
  redis.call('ZREM', ukey(u), sid)
  if owner and owner ~= '' then redis.call('SREM', pkey(owner), sid) end
end

local function own(sid, u, me)
  redis.call('HSET', skey(sid), 'o', me, 'l', 0)
  setTtl(sid, nil)
  redis.call('ZADD', SESSIONS, LIVE, member(sid, u))
  redis.call('SADD', pkey(me), sid)
end

-- A log holds events f..q (contiguous); st = { q, f, a, z }.
local function trim(sid, st, maxEvents, maxBytes)
  if st.q - st.f + 1 <= maxEvents and st.a - st.z <= maxBytes then return end
  local lk = lkey(sid)
  while st.q - st.f + 1 > maxEvents or st.a - st.z > maxBytes do
    local entries = redis.call('XRANGE', lk, n(st.f) .. '-0', '+', 'COUNT', 32)
    if #entries == 0 then st.f = st.q + 1; st.z = st.a; break end
    for _, e in ipairs(entries) do
      if st.q - st.f + 1 <= maxEvents and st.a - st.z <= maxBytes then break end
      st.f = tonumber(string.match(e[1], '^%d+')) + 1
      st.z = tonumber(e[2][2])
    end
  end
  redis.call('XTRIM', lk, 'MINID', n(st.f) .. '-0')
end

-- Forget events up to upTo (the client has them).
local function ackTo(sid, st, upTo)
  if upTo < st.f then return end
  if upTo >= st.q then
    st.z = st.a
  else
    local e = redis.call('XRANGE', lkey(sid), n(upTo) .. '-0', n(upTo) .. '-0')
    st.z = tonumber(e[1][2][2])
  end
  st.f = upTo + 1
  redis.call('XTRIM', lkey(sid), 'MINID', n(st.f) .. '-0')
end

local function append(sid, from, body, bytes, maxEvents, maxBytes, groups)
  local k = skey(sid)
  local h = redis.call('HMGET', k, 'o', 'q', 'f', 'a', 'z')
  if not h[2] then return false end
  local st = { q = tonumber(h[2]) + 1, f = tonumber(h[3]), a = tonumber(h[4]) + bytes, z = tonumber(h[5]) }
  local ok
  if from then
    ok = redis.call('XADD', lkey(sid), 'NOMKSTREAM', n(st.q) .. '-0', 'c', n(st.a), 'b', body, 'f', from)
  else
    ok = redis.call('XADD', lkey(sid), 'NOMKSTREAM', n(st.q) .. '-0', 'c', n(st.a), 'b', body)
  end
  if not ok then return false end
  trim(sid, st, maxEvents, maxBytes)
  redis.call('HSET', k, 'q', n(st.q), 'f', n(st.f), 'a', n(st.a), 'z', n(st.z))
  local o = h[1]
  if o and o ~= '' then
    local g = groups[o]
    if not g then g = {}; groups[o] = g end
    g[#g + 1] = sid
    g[#g + 1] = st.q
  end
  return true
end

-- '*' is every session inside its window; '=x' is session x and every session of user x.
local function resolve(target)
  local out, seen = {}, {}
  local function add(sid)
    if not seen[sid] then seen[sid] = true; out[#out + 1] = sid end
  end
  if target == '*' then
    for _, m in ipairs(redis.call('ZRANGEBYSCORE', SESSIONS, n(now), '+inf')) do add(string.match(m, '^[^|]+')) end
  else
    local t = string.sub(target, 2)
    if string.match(t, '^ses%-[%x%-]+$') and redis.call('EXISTS', skey(t)) == 1 then add(t) end
    for _, sid in ipairs(redis.call('ZRANGE', ukey(t), 0, -1)) do add(sid) end
  end
  return out
end

-- Appends ARGV[i..]: count, then (target, from ('-' none, '+user'), body, bytes) each. Returns counts.
local function appendAll(i, maxEvents, maxBytes)
  local counts = {}
  local count = tonumber(ARGV[i])
  i = i + 1
  for j = 1, count do
    local target, fromArg, body, bytes = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
    i = i + 4
    local from = nil
    if string.sub(fromArg, 1, 1) == '+' then from = string.sub(fromArg, 2) end
    local groups, c = {}, 0
    for _, sid in ipairs(resolve(target)) do
      if append(sid, from, body, bytes, maxEvents, maxBytes, groups) then c = c + 1 end
    end
    for o, list in pairs(groups) do
      redis.call('PUBLISH', chan(o), cjson.encode({ t = 'e', f = from, b = body, s = list }))
    end
    counts[j] = c
  end
  return counts
end
`;

const script = (body: string) => `${prelude}\n${body}`;

/** ARGV: P now me sid epoch mid maxMids maxEvents maxBytes …appends → {'ok', counts…} | {'dup' | 'replaced' | 'gone' | 'recovering'}. */
export const takeScript = script(`
local me, sid, epoch, mid = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if recovering() then return { 'recovering' } end
local k = skey(sid)
local h = redis.call('HMGET', k, 'e', 'm', 'o', 'u')
if not h[1] then return { 'gone' } end
if h[1] ~= epoch then return { 'replaced' } end
if h[3] ~= me then own(sid, h[4], me) end
local m = tonumber(h[2]) + 1
if redis.call('ZADD', mkey(sid), 'NX', n(m), mid) == 0 then return { 'dup' } end
local maxMids = tonumber(ARGV[7])
if m > maxMids then redis.call('ZREMRANGEBYSCORE', mkey(sid), '-inf', n(m - maxMids)) end
redis.call('HSET', k, 'm', n(m))
local counts = appendAll(10, tonumber(ARGV[8]), tonumber(ARGV[9]))
table.insert(counts, 1, 'ok')
return counts
`);

/** ARGV: P now maxEvents maxBytes …appends → counts, or {'recovering'}. */
export const publishScript = script(`
if recovering() then return { 'recovering' } end
return appendAll(5, tonumber(ARGV[3]), tonumber(ARGV[4]))
`);

/**
 * ARGV: P now me sid user clientSeq → {'ok', q, f, e, previousOwner} | {'unknown'} | {'blocked', ms}
 * | {'recovering'}.
 */
export const attachScript = script(`
local me, sid, user = ARGV[3], ARGV[4], ARGV[5]
if recovering() then return { 'recovering' } end
local k = skey(sid)
local h = redis.call('HMGET', k, 'u', 'o', 'e', 'b', 'q', 'f', 'a', 'z')
if not h[1] or h[1] ~= user then return { 'unknown' } end
local blocked = tonumber(h[4])
if blocked > now then return { 'blocked', blocked - now } end
local e = tonumber(h[3]) + 1
local prev = h[2]
local st = { q = tonumber(h[5]), f = tonumber(h[6]), a = tonumber(h[7]), z = tonumber(h[8]) }
ackTo(sid, st, math.min(tonumber(ARGV[6]), st.q))
redis.call('HSET', k, 'o', me, 'e', n(e), 'l', 0, 'f', n(st.f), 'z', n(st.z))
setTtl(sid, nil)
redis.call('ZADD', SESSIONS, LIVE, member(sid, user))
redis.call('SADD', pkey(me), sid)
if prev ~= '' and prev ~= me then
  redis.call('SREM', pkey(prev), sid)
  redis.call('PUBLISH', chan(prev), cjson.encode({ t = 'take', s = sid, e = e }))
end
return { 'ok', st.q, st.f, e, prev }
`);

/** ARGV: P now me sid user maxPerUser → sids of this user's sessions it ended to make room. */
export const createScript = script(`
local me, sid, user, maxPerUser = ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local uk = ukey(user)
local alive = {}
for _, id in ipairs(redis.call('ZRANGE', uk, 0, -1)) do
  local o = redis.call('HGET', skey(id), 'o')
  if o then alive[#alive + 1] = { id, o } else redis.call('ZREM', uk, id) end
end
local ended = {}
while #alive >= maxPerUser do
  local pick = 1
  for i, x in ipairs(alive) do
    if x[2] == '' then pick = i; break end
  end
  local x = table.remove(alive, pick)
  remove(x[1], user, x[2])
  if x[2] ~= '' then
    redis.call('PUBLISH', chan(x[2]), cjson.encode({ t = 'end', s = x[1] }))
    ended[#ended + 1] = x[1]
  end
end
redis.call('HSET', skey(sid), 'u', user, 'c', n(now), 'o', me, 'e', 1, 'l', 0, 'b', 0, 'q', 0, 'f', 1, 'a', 0, 'z', 0, 'm', 0)
-- An empty stream (its last id 0-1), so appends can refuse to create one (NOMKSTREAM).
redis.call('XADD', lkey(sid), '0-1', 'c', 0)
redis.call('XDEL', lkey(sid), '0-1')
redis.call('ZADD', uk, n(now), sid)
redis.call('ZADD', SESSIONS, LIVE, member(sid, user))
redis.call('SADD', pkey(me), sid)
return ended
`);

/**
 * ARGV: P now me sid epoch lostAt window ackSeq. epoch '' detaches whatever this process still
 * holds under that id (reconciliation). Events up to ackSeq (what the client acknowledged last)
 * are dropped on the way. → 1 detached, 0 not ours (taken over, ended, or gone).
 */
export const detachScript = script(`
local me, sid, epoch, lostAt, window = ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local k = skey(sid)
local h = redis.call('HMGET', k, 'e', 'o', 'u', 'q', 'f', 'a', 'z')
if not h[1] then redis.call('SREM', pkey(me), sid); return 0 end
if epoch ~= '' and h[1] ~= epoch then return 0 end
if epoch == '' and h[2] ~= me then redis.call('SREM', pkey(me), sid); return 0 end
local ttl = lostAt + window - now
if ttl <= 0 then remove(sid, h[3], me); return 1 end
local st = { q = tonumber(h[4]), f = tonumber(h[5]), a = tonumber(h[6]), z = tonumber(h[7]) }
ackTo(sid, st, math.min(tonumber(ARGV[8]), st.q))
redis.call('HSET', k, 'o', '', 'l', n(lostAt), 'f', n(st.f), 'z', n(st.z))
setTtl(sid, ttl)
redis.call('ZADD', SESSIONS, n(lostAt + window), member(sid, h[3]))
redis.call('SREM', pkey(me), sid)
return 1
`);

/** ARGV: P now me sid epoch → 1 deleted, 0 not ours. */
export const logoutScript = script(`
local me, sid, epoch = ARGV[3], ARGV[4], ARGV[5]
local h = redis.call('HMGET', skey(sid), 'e', 'o', 'u')
if not h[1] or h[1] ~= epoch then return 0 end
remove(sid, h[3], h[2])
redis.call('SREM', pkey(me), sid)
return 1
`);

/** ARGV: P now me sid epoch until. */
export const blockScript = script(`
local sid, epoch = ARGV[4], ARGV[5]
local k = skey(sid)
if redis.call('HGET', k, 'e') ~= epoch then return 0 end
redis.call('HSET', k, 'b', ARGV[6])
return 1
`);

/** ARGV: P now me sid epoch seq: forget what the client acknowledged. */
export const ackScript = script(`
local sid, epoch = ARGV[4], ARGV[5]
local k = skey(sid)
local h = redis.call('HMGET', k, 'e', 'q', 'f', 'a', 'z')
if not h[1] or h[1] ~= epoch then return 0 end
local st = { q = tonumber(h[2]), f = tonumber(h[3]), a = tonumber(h[4]), z = tonumber(h[5]) }
local upTo = math.min(tonumber(ARGV[6]), st.q)
if upTo < st.f then return 1 end
ackTo(sid, st, upTo)
redis.call('HSET', k, 'f', n(st.f), 'z', n(st.z))
return 1
`);

/** ARGV: P now sid from count → {f, q, id, fields, id, fields…} | {-1} when the session is gone. */
export const rangeScript = script(`
local sid = ARGV[3]
local h = redis.call('HMGET', skey(sid), 'f', 'q')
if not h[1] then return { -1 } end
local out = { tonumber(h[1]), tonumber(h[2]) }
for _, e in ipairs(redis.call('XRANGE', lkey(sid), ARGV[4] .. '-0', '+', 'COUNT', ARGV[5])) do
  out[#out + 1] = e[1]
  out[#out + 1] = e[2]
end
return out
`);

/**
 * ARGV: P now me count (sid user epoch knownSeq)… → per session {status, q}: 0 still ours,
 * 1 recreated (Redis had lost it; its log restarts after knownSeq), 2 taken over.
 * Run after Redis comes back and when this process finds it was reaped.
 */
export const reclaimScript = script(`
local me = ARGV[3]
local out = {}
local i = 5
for _ = 1, tonumber(ARGV[4]) do
  local sid, user, epoch, known = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  i = i + 4
  local k = skey(sid)
  local h = redis.call('HMGET', k, 'e', 'o', 'q')
  if not h[1] then
    redis.call('HSET', k, 'u', user, 'c', n(now), 'o', me, 'e', epoch, 'l', 0, 'b', 0, 'q', n(known),
      'f', n(known + 1), 'a', 0, 'z', 0, 'm', 0)
    redis.call('XADD', lkey(sid), '0-1', 'c', 0)
    redis.call('XDEL', lkey(sid), '0-1')
    redis.call('ZADD', ukey(user), n(now), sid)
    redis.call('ZADD', SESSIONS, LIVE, member(sid, user))
    redis.call('SADD', pkey(me), sid)
    out[#out + 1] = 1
    out[#out + 1] = known
  elseif h[1] ~= epoch then
    out[#out + 1] = 2
    out[#out + 1] = 0
  else
    if h[2] ~= me then own(sid, user, me) end
    out[#out + 1] = 0
    out[#out + 1] = tonumber(h[3])
  end
end
return out
`);

/**
 * ARGV: P now dead window lastBeat batch: sessions a dead process held start their window at its
 * last heartbeat. → 0 when that process has nothing left (and is forgotten), 1 to call again.
 */
export const reapScript = script(`
local dead, window, lastBeat = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
for _, sid in ipairs(redis.call('SPOP', pkey(dead), ARGV[6])) do
  local h = redis.call('HMGET', skey(sid), 'o', 'u')
  if h[1] == dead then
    local ttl = lastBeat + window - now
    if ttl <= 0 then
      remove(sid, h[2], nil)
    else
      redis.call('HSET', skey(sid), 'o', '', 'l', n(lastBeat))
      setTtl(sid, ttl)
      redis.call('ZADD', SESSIONS, n(lastBeat + window), member(sid, h[2]))
    end
  end
end
if redis.call('SCARD', pkey(dead)) == 0 then
  redis.call('ZREM', PROCS, dead)
  return 0
end
return 1
`);

/**
 * ARGV: P now limit: drop index entries of sessions that expired (their keys went with their TTL)
 * and correct deadlines that moved. → how many entries it looked at.
 */
export const janitorScript = script(`
local stale = redis.call('ZRANGEBYSCORE', SESSIONS, '-inf', n(now), 'LIMIT', 0, ARGV[3])
for _, m in ipairs(stale) do
  local sid, u = string.match(m, '^([^|]+)|(.*)$')
  local ttl = redis.call('PTTL', skey(sid))
  if ttl == -2 then
    redis.call('ZREM', SESSIONS, m)
    redis.call('ZREM', ukey(u), sid)
  elseif ttl == -1 then
    redis.call('ZADD', SESSIONS, LIVE, m)
  else
    redis.call('ZADD', SESSIONS, n(now + ttl), m)
  end
end
return #stale
`);

/**
 * ARGV: P now me seenBefore capMs peers…: write the boot marker; if it was missing although this
 * process had seen it, Redis lost its data: refuse messages and resumes until every peer alive
 * before has put its sessions back (or capMs). The first process to look decides, atomically, so
 * every other one looks (and later reports) after the list exists. → 1 when Redis lost its data.
 */
export const bootScript = script(`
if not redis.call('SET', P .. 'boot', ARGV[3], 'NX') then return 0 end
if ARGV[4] ~= '1' then return 0 end
local waiting = P .. 'recovering:waiting'
redis.call('SET', P .. 'recovering', ARGV[3], 'PX', ARGV[5])
redis.call('DEL', waiting)
for i = 6, #ARGV do redis.call('SADD', waiting, ARGV[i]) end
redis.call('PEXPIRE', waiting, ARGV[5])
return 1
`);

/** ARGV: P now me: this process has put its sessions back; the last one ends the recovery. */
export const putBackScript = script(`
local waiting = P .. 'recovering:waiting'
redis.call('SREM', waiting, ARGV[3])
if redis.call('EXISTS', P .. 'recovering') == 1 and redis.call('SCARD', waiting) == 0 then
  redis.call('DEL', P .. 'recovering')
end
return 0
`);
