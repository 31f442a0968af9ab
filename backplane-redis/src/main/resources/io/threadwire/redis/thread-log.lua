-- Threadwire thread log: one atomic step per call for one thread (see backplane-redis/README.md).
-- KEYS[1] meta hash (epoch, top, seq, bytes, last: time of the last append or publish), KEYS[2] stream (entry id = "<offset>-0"),
-- KEYS[3] idempotency zset (key -> offset it was stored at), KEYS[4] idempotency hash
-- (key -> "<offset>:<atMillis>"). All four share the thread's hash tag.
-- ARGV[1] op ("append" | "publish" | "read"), ARGV[2] channel, ARGV[3] now (ms, appender's clock),
-- ARGV[4] key TTL in ms.
local meta, stream, idz, idh = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local op, channel, now, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]

-- The thread's epoch, created on first use (or when the keys are gone: expiry, a restart without
-- persistence). Time-based in microseconds, so a recreated thread gets a larger epoch, below 2^53.
local created = false
local epoch = redis.call('HGET', meta, 'epoch')
if not epoch then
  local t = redis.call('TIME')
  epoch = t[1] .. string.format('%06d', tonumber(t[2]))
  redis.call('DEL', stream, idz, idh)
  redis.call('HSET', meta, 'epoch', epoch, 'top', 0, 'seq', 0, 'bytes', 0)
  created = true
end

local function header(seq, offset, after, at, origin, token)
  return epoch .. ' ' .. seq .. ' ' .. offset .. ' ' .. after .. ' ' .. at .. ' ' .. origin
    .. ' ' .. token .. '\n'
end

local function touch(key)
  if created then
    redis.call('PEXPIRE', key, ttl)
  else
    redis.call('PEXPIRE', key, ttl, 'GT')
    if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ttl) end
  end
end

-- Removes the oldest entry; returns false when the stream is empty.
local function dropOldest()
  local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
  if #first == 0 then return false end
  local id = first[1][1]
  local f = first[1][2]
  redis.call('XDEL', stream, id)
  redis.call('HINCRBY', meta, 'bytes', -tonumber(f[6]))
  return true
end

local function evictOlderThan(cutoff)
  while true do
    local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
    if #first == 0 or tonumber(first[1][2][4]) > cutoff then return end
    dropOldest()
  end
end

if op == 'publish' then
  -- ARGV[5] origin, ARGV[6] token, ARGV[7] body
  local top = redis.call('HGET', meta, 'top')
  local seq = redis.call('HINCRBY', meta, 'seq', 1)
  local receivers = redis.call('PUBLISH', channel, header(seq, 0, top, 0, ARGV[5], ARGV[6]) .. ARGV[7])
  redis.call('HSET', meta, 'last', ARGV[3])
  touch(meta)
  return {'PUBLISHED', epoch, top, receivers}
end

if op == 'read' then
  -- ARGV[5] after (-1: position only), ARGV[6] the caller's epoch ('' if unknown)
  if created then touch(meta) end
  local top = tonumber(redis.call('HGET', meta, 'top'))
  local seq = redis.call('HGET', meta, 'seq')
  local after = tonumber(ARGV[5])
  if after < 0 then return {epoch, tostring(top), seq, 0, {}} end
  local lost = 0
  if (ARGV[6] ~= '' and ARGV[6] ~= epoch) or after > top then
    lost = 1
    after = 0
  end
  local entries = {}
  if top > after then
    entries = redis.call('XRANGE', stream, (after + 1) .. '-0', '+')
  end
  return {epoch, tostring(top), seq, lost, entries}
end

-- append: ARGV[5] max messages, ARGV[6] max bytes, ARGV[7] max age ms, ARGV[8] overflow
-- ('REJECT' | 'DROP_OLDEST'), ARGV[9] idempotency key ('' none), ARGV[10] window ms,
-- ARGV[11] max keys, ARGV[12] size, ARGV[13] origin, ARGV[14] token, ARGV[15] body
local maxMessages, maxBytes = tonumber(ARGV[5]), tonumber(ARGV[6])
local key, window, maxKeys, size = ARGV[9], tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
evictOlderThan(now - tonumber(ARGV[7]))

if key ~= '' then
  -- Forget keys past their window, oldest (lowest offset) first.
  while true do
    local oldest = redis.call('ZRANGE', idz, 0, 0)
    if #oldest == 0 then break end
    local v = redis.call('HGET', idh, oldest[1])
    if v and now - tonumber(string.match(v, ':(%d+)$')) < window then break end
    redis.call('ZREM', idz, oldest[1])
    redis.call('HDEL', idh, oldest[1])
  end
  local seen = redis.call('HGET', idh, key)
  if seen then
    local off, at = string.match(seen, '^(%d+):(%d+)$')
    if now - tonumber(at) < window then
      return {'DUPLICATE', epoch, off}
    end
  end
end

if size > maxBytes then
  return {'TOO_LARGE', epoch, '0'}
end
local count = redis.call('XLEN', stream)
local bytes = tonumber(redis.call('HGET', meta, 'bytes'))
if count + 1 > maxMessages or bytes + size > maxBytes then
  if ARGV[8] == 'REJECT' then
    return {'REJECTED', tostring(count), tostring(bytes)}
  end
  while count + 1 > maxMessages or bytes + size > maxBytes do
    if not dropOldest() then break end
    count = redis.call('XLEN', stream)
    bytes = tonumber(redis.call('HGET', meta, 'bytes'))
  end
end

local top = redis.call('HINCRBY', meta, 'top', 1)
local seq = redis.call('HINCRBY', meta, 'seq', 1)
redis.call('HINCRBY', meta, 'bytes', size)
redis.call('HSET', meta, 'last', ARGV[3])
redis.call('XADD', stream, top .. '-0', 'sq', seq, 'at', ARGV[3], 'sz', ARGV[12], 'o', ARGV[13],
  'tk', ARGV[14], 'b', ARGV[15])
if key ~= '' then
  redis.call('ZADD', idz, top, key)
  redis.call('HSET', idh, key, top .. ':' .. ARGV[3])
  while redis.call('ZCARD', idz) > maxKeys do
    local popped = redis.call('ZPOPMIN', idz)
    redis.call('HDEL', idh, popped[1])
  end
  touch(idz)
  touch(idh)
end
touch(meta)
touch(stream)
local receivers = redis.call('PUBLISH', channel,
  header(seq, top, top - 1, ARGV[3], ARGV[13], ARGV[14]) .. ARGV[15])
-- The 4th element: how many subscribers (nodes, the appender's own included) got the message.
return {'APPENDED', epoch, tostring(top), receivers}
