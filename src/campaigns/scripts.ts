/** The Lua scripts behind the campaign store: each status change and its count move in one atomic step. */

/**
 * Applies a patch to one reminder when its status is one of the allowed ones (and, if given, its
 * attempt matches), moving the per-status counts with it.
 * KEYS: reminders hash, counts hash. ARGV: id, allowed statuses (JSON array), attempt or '', patch (JSON).
 * Returns {1, new record} when applied, {0, current record or ''} when not.
 */
export const TRANSITION = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return {0, ''} end
local rec = cjson.decode(raw)
local allowed = cjson.decode(ARGV[2])
local ok = false
for _, s in ipairs(allowed) do if rec.s == s then ok = true end end
if not ok then return {0, raw} end
if ARGV[3] ~= '' and tonumber(rec.a) ~= tonumber(ARGV[3]) then return {0, raw} end
local old = rec.s
local patch = cjson.decode(ARGV[4])
for k, v in pairs(patch) do rec[k] = v end
local out = cjson.encode(rec)
redis.call('HSET', KEYS[1], ARGV[1], out)
if rec.s ~= old then
  redis.call('HINCRBY', KEYS[2], old, -1)
  redis.call('HINCRBY', KEYS[2], rec.s, 1)
end
return {1, out}
`;

/**
 * Claims one attempt before its launch: SET NX on the attempt's claim key together with the move
 * scheduled → launching. A claim already taken means the attempt ran before (a job re-run after a
 * crash): a reminder still launching for it becomes unknown, never launched again.
 * KEYS: reminders hash, counts hash, claim key. ARGV: id, attempt, now (ms), claim TTL (s).
 * Returns {'claimed', record} | {'unknown', record} | {'taken', ''} | {'skip', record or ''}.
 */
export const CLAIM = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return {'skip', ''} end
local rec = cjson.decode(raw)
local attempt = tonumber(ARGV[2])
if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', tonumber(ARGV[4])) then
  if rec.s == 'launching' and tonumber(rec.a) == attempt then
    rec.s = 'unknown'
    rec.o = 'unknown'
    rec.u = tonumber(ARGV[3])
    local out = cjson.encode(rec)
    redis.call('HSET', KEYS[1], ARGV[1], out)
    redis.call('HINCRBY', KEYS[2], 'launching', -1)
    redis.call('HINCRBY', KEYS[2], 'unknown', 1)
    return {'unknown', out}
  end
  return {'taken', ''}
end
if rec.s ~= 'scheduled' or tonumber(rec.a) ~= attempt - 1 then return {'skip', raw} end
rec.s = 'launching'
rec.a = attempt
rec.n = cjson.null
rec.u = tonumber(ARGV[3])
local out = cjson.encode(rec)
redis.call('HSET', KEYS[1], ARGV[1], out)
redis.call('HINCRBY', KEYS[2], 'scheduled', -1)
redis.call('HINCRBY', KEYS[2], 'launching', 1)
redis.call('HINCRBY', KEYS[2], '_launches', 1)
return {'claimed', out}
`;

/**
 * Cancels the still-scheduled reminders among the given ids.
 * KEYS: reminders hash, counts hash. ARGV: now (ms), then ids.
 * Returns a flat list {id, attempts, id, attempts, …} of the reminders cancelled.
 */
export const CANCEL = `
local cancelled = {}
for i = 2, #ARGV do
  local raw = redis.call('HGET', KEYS[1], ARGV[i])
  if raw then
    local rec = cjson.decode(raw)
    if rec.s == 'scheduled' then
      rec.s = 'cancelled'
      rec.n = cjson.null
      rec.u = tonumber(ARGV[1])
      redis.call('HSET', KEYS[1], ARGV[i], cjson.encode(rec))
      redis.call('HINCRBY', KEYS[2], 'scheduled', -1)
      redis.call('HINCRBY', KEYS[2], 'cancelled', 1)
      table.insert(cancelled, ARGV[i])
      table.insert(cancelled, tostring(rec.a))
    end
  end
end
return cancelled
`;

/**
 * Reserves the next launch slot, `interval` ms after the previous one (or now), on Redis's clock
 * so every instance shares one schedule. KEYS: pace key. ARGV: interval (ms).
 * Returns how many ms to wait before launching.
 */
export const PACE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, last + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], tostring(slot), 'PX', 60000)
return slot - now
`;
