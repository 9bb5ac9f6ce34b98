-- Decides one drop's commands in log order; the only writer of the drop's stock.
-- The TypeScript side is sequencer/protocol.ts (encodeCommands / parseReply).
--
-- Rules, per command: offset <= decided_offset is a replay and changes nothing (a join gets its
-- current decision again). join: already decided -> same answer; drop ended -> sold_out; stock >= q
-- -> reserved (hold until now + hold_seconds); holds pending -> waitlisted; else sold_out.
-- release: reserved -> the reason, units back, then the waitlist head(s) get them (FIFO, not once
-- ended); waitlisted + cancelled -> cancelled. purchase: reserved -> purchased, else the current
-- decision is returned. close: ended, waitlist sold_out. After each command, with no hold left the
-- waitlist is settled (those that fit reserved, the rest sold_out) and an open drop with neither
-- stock nor holds is sold_out. Every change gets seq = ++seq and stays in `pending` until acked.
-- `holds` lists every reserved intent by the expiry of its hold (what a hold-expiry loop reads,
-- whether or not PostgreSQL ever heard of the hold); an intent leaves it when it stops being reserved.
-- A settling walk (or the sell-out of a close) handles at most sweep_max waitlisted intents per
-- call; while one is unfinished (state field `sweeping` = 1) no later command is decided: the call
-- stops there (decided_offset = the last command it decided) and the next call resumes the walk
-- first. The caller calls again, with the commands left, until the reply says settled.
--
-- KEYS: 1 state (hash), 2 decisions (hash), 3 waitlist (list), 4 pending (zset seq -> decision JSON),
--       5 holds (zset intent_id by hold_expires_at)
-- ARGV: 1 drop_id, 2 now (epoch ms), 3 partition, 4 pub/sub channel, 5 sweep_max (>= 1),
--       6 known_seq (pending decisions up to it are not returned: the caller has them),
--       7.. commands, 7 fields each: offset, type, intent_id, a, b, c, d
--         join:     a user_id, b quantity, c payment_method_id or '', d shipping_address_id or ''
--         release:  a reason
--         purchase: a order_id
--         close:    (intent_id and the rest '')
--       ids (drop, intent, user, order, address) must be UUIDs: they are written into JSON unescaped.
-- Reply: {'missing'} | {'wrong_partition', partition} |
--        {status, stock, decided_offset, seq, n_redelivered, unsettled (0|1), decision JSON...}
--        where the first n_redelivered decisions were pending from an earlier call.
-- Publishes on the channel a DropEvent whose decisions are compact (intent_id, status, seq, hold_expires_at,
-- order_id); a repeated answer goes as the stored decision, which is a superset.
local STATE, DECISIONS, WAITLIST, PENDING, HOLDS = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local drop_id, now, partition, channel = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local sweep_max, known_seq = tonumber(ARGV[5]), ARGV[6]
local FIRST, STRIDE, CHUNK = 7, 7, 1000

local st = redis.call('HMGET', STATE, 'status', 'stock', 'held', 'purchased', 'decided_offset', 'seq',
  'hold_seconds', 'partition', 'sweeping')
if not st[1] then return { 'missing' } end
if tostring(st[8]) ~= partition then return { 'wrong_partition', tostring(st[8]) } end
local status = st[1]
local stock, held, purchased = tonumber(st[2]), tonumber(st[3]), tonumber(st[4])
local decided, seq, hold_ms = tonumber(st[5]), tonumber(st[6]), tonumber(st[7]) * 1000
local sweeping, swept = st[9] == '1', 0

local function flush(cmd, key, args)
  for i = 1, #args, CHUNK do redis.call(cmd, key, unpack(args, i, math.min(i + CHUNK - 1, #args))) end
end

-- JSON by hand: cjson prints numbers with 14 significant digits and empty tables as {}.
-- Ids are UUIDs (validated before the call) and need no escaping; other strings are escaped.
local function int(n) return string.format('%d', n) end
local function str(s)
  if string.find(s, '[%c"\\]') then return cjson.encode(s) end
  return '"' .. s .. '"'
end
local PREFIX = '{"type":"decision","v":1,"drop_id":"' .. drop_id .. '","intent_id":"'
local AT = ',"at":' .. int(now) .. '}'
local EXPIRES = ',"hold_expires_at":' .. int(now + hold_ms)

-- A reserved decision is always made by this call, so its hold starts now.
local function encode(d)
  local s = PREFIX .. d.intent_id .. '","user_id":"' .. d.user_id .. '","quantity":' .. int(d.quantity) ..
    ',"status":"' .. d.status .. '","seq":' .. int(d.seq) .. ',"offset":' .. int(d.offset)
  if d.status == 'reserved' then s = s .. EXPIRES end
  if d.order_id then s = s .. ',"order_id":"' .. d.order_id .. '"' end
  if d.payment_method_id then s = s .. ',"payment_method_id":' .. str(d.payment_method_id) end
  if d.shipping_address_id then s = s .. ',"shipping_address_id":"' .. d.shipping_address_id .. '"' end
  return s .. AT
end

-- What the waiting room needs of a decision (the DecisionUpdate contract).
local function compact(d)
  local s = '{"intent_id":"' .. d.intent_id .. '","status":"' .. d.status .. '","seq":' .. int(d.seq)
  if d.status == 'reserved' then s = s .. EXPIRES end
  if d.order_id then s = s .. ',"order_id":"' .. d.order_id .. '"' end
  return s .. '}'
end

-- Decisions read (raw JSON, false when absent), decoded, and changed by this call; `shown[id]`:
-- the intent's current decision is already in `out` (and, compactly, in `events`).
local raw, cache, dirty, dirty_order = {}, {}, {}, {}
local out, shown, fresh, events = {}, {}, {}, {}
-- Holds changed by this call: intent id -> expiry (held) or false (no longer held), written at the end.
local holds, holds_order = {}, {}
local function hold(id, expiry)
  if holds[id] == nil then holds_order[#holds_order + 1] = id end
  holds[id] = expiry
end
-- Waitlist appends, buffered until the waitlist is read or the call ends.
local appended = {}
local function waitlist_sync()
  if #appended > 0 then
    flush('RPUSH', WAITLIST, appended)
    appended = {}
  end
end

local function stored(id)
  local j = raw[id]
  if j == nil then
    j = redis.call('HGET', DECISIONS, id)
    raw[id] = j
  end
  return j
end
local function get(id)
  local d = cache[id]
  if d then return d end
  local j = stored(id)
  if not j then return nil end
  d = cjson.decode(j)
  cache[id] = d
  return d
end
local function current(id) return dirty[id] or stored(id) end
-- Reads the decisions of many intents in a few round trips instead of one each.
local function prefetch(ids)
  local missing, seen = {}, {}
  for _, id in ipairs(ids) do
    if raw[id] == nil and not seen[id] then
      seen[id] = true
      missing[#missing + 1] = id
    end
  end
  for i = 1, #missing, CHUNK do
    local last = math.min(i + CHUNK - 1, #missing)
    local vals = redis.call('HMGET', DECISIONS, unpack(missing, i, last))
    for k = 1, last - i + 1 do raw[missing[i + k - 1]] = vals[k] end
  end
end
-- Answers again with the intent's current decision, once per call.
local function repeat_answer(id)
  if shown[id] then return end
  local j = current(id)
  if j then
    out[#out + 1] = j
    events[#events + 1] = j
    shown[id] = true
  end
end

-- Every change of an intent gets the next seq, is stored, kept pending and returned.
local function change(d, new_status)
  d.status = new_status
  seq = seq + 1
  d.seq = seq
  local j = encode(d)
  local id = d.intent_id
  cache[id] = d
  if not dirty[id] then dirty_order[#dirty_order + 1] = id end
  dirty[id] = j
  fresh[#fresh + 1] = seq
  fresh[#fresh + 1] = j
  out[#out + 1] = j
  events[#events + 1] = compact(d)
  shown[id] = true
end
local function reserve(d)
  stock, held = stock - d.quantity, held + d.quantity
  change(d, 'reserved')
  hold(d.intent_id, now + hold_ms)
end

-- A released unit goes to the head of the waitlist, strictly first come first served.
local function refill()
  if status == 'ended' then return end
  waitlist_sync()
  while true do
    local id = redis.call('LINDEX', WAITLIST, 0)
    if not id then return end
    local d = get(id)
    if d and d.status == 'waitlisted' then
      if stock < d.quantity then return end
      redis.call('LPOP', WAITLIST)
      reserve(d)
    else
      redis.call('LPOP', WAITLIST) -- stale entry
    end
  end
end

-- The walk of the waitlist, in order: an intent that fits gets a unit (never once ended), the rest
-- are sold out. At most sweep_max intents per call; `sweeping` stays true until the list is empty.
local function sweep()
  waitlist_sync()
  local budget = sweep_max - swept
  if budget <= 0 then return end
  local ids = redis.call('LRANGE', WAITLIST, 0, budget - 1)
  if #ids > 0 then redis.call('LTRIM', WAITLIST, #ids, -1) end
  swept = swept + #ids
  prefetch(ids)
  for _, id in ipairs(ids) do
    local d = get(id)
    if d and d.status == 'waitlisted' then
      if status ~= 'ended' and stock >= d.quantity then reserve(d) else change(d, 'sold_out') end
    end
  end
  sweeping = redis.call('LLEN', WAITLIST) > 0
end

-- With no hold left nothing can come back: the waitlist is walked.
local function settle()
  if not sweeping and held == 0 and status ~= 'ended' then
    waitlist_sync()
    sweeping = redis.call('LLEN', WAITLIST) > 0
  end
  if sweeping then sweep() end
  if stock == 0 and held == 0 and status == 'open' then status = 'sold_out' end
end

local function join(id, off, user_id, q, pm, sa)
  if current(id) then return repeat_answer(id) end
  local d = { intent_id = id, user_id = user_id, quantity = q, offset = off }
  if pm ~= '' then d.payment_method_id = pm end
  if sa ~= '' then d.shipping_address_id = sa end
  if status == 'ended' then
    change(d, 'sold_out')
  elseif stock >= q then
    reserve(d)
  elseif held > 0 then
    change(d, 'waitlisted')
    appended[#appended + 1] = id
  else
    change(d, 'sold_out')
  end
end

local function release(id, reason)
  local d = get(id)
  if not d then return end
  if d.status == 'reserved' then
    stock, held = stock + d.quantity, held - d.quantity
    change(d, reason)
    hold(id, false)
    refill()
  elseif d.status == 'waitlisted' and reason == 'cancelled' then
    waitlist_sync()
    redis.call('LREM', WAITLIST, 1, id)
    change(d, 'cancelled')
  end
end

local function purchase(id, order_id)
  local d = get(id)
  if not d then return end
  if d.status == 'reserved' then
    held, purchased = held - d.quantity, purchased + d.quantity
    d.order_id = order_id
    change(d, 'purchased')
    hold(id, false)
  else
    repeat_answer(id) -- the hold was lost: the caller learns the current state
  end
end

local function close()
  status = 'ended'
  waitlist_sync()
  sweeping = redis.call('LLEN', WAITLIST) > 0 -- settle() sells the waitlist out
end

-- Read every decision the batch refers to at once.
local ids = {}
for i = FIRST, #ARGV, STRIDE do
  if ARGV[i + 2] ~= '' then ids[#ids + 1] = ARGV[i + 2] end
end
prefetch(ids)

local pending = redis.call('ZRANGEBYSCORE', PENDING, '(' .. known_seq, '+inf')
if sweeping then settle() end -- an unfinished walk comes before any later command
local last_offset = decided
for i = FIRST, #ARGV, STRIDE do
  local off, kind, id = tonumber(ARGV[i]), ARGV[i + 1], ARGV[i + 2]
  if sweeping and off > decided then break end
  if off > last_offset then last_offset = off end
  if off <= decided then
    -- a replay: nothing changes, a join gets its answer again
    if kind == 'join' then repeat_answer(id) end
  else
    if kind == 'join' then
      join(id, off, ARGV[i + 3], tonumber(ARGV[i + 4]), ARGV[i + 5], ARGV[i + 6])
    elseif kind == 'release' then
      release(id, ARGV[i + 3])
    elseif kind == 'purchase' then
      purchase(id, ARGV[i + 3])
    elseif kind == 'close' then
      close()
    end
    settle()
  end
end
decided = last_offset
waitlist_sync()

local writes = {}
for _, id in ipairs(dirty_order) do
  writes[#writes + 1] = id
  writes[#writes + 1] = dirty[id]
end
flush('HSET', DECISIONS, writes)
flush('ZADD', PENDING, fresh)
local held_now, let_go = {}, {}
for _, id in ipairs(holds_order) do
  if holds[id] then
    held_now[#held_now + 1] = holds[id]
    held_now[#held_now + 1] = id
  else
    let_go[#let_go + 1] = id
  end
end
flush('ZADD', HOLDS, held_now)
flush('ZREM', HOLDS, let_go)
redis.call('HSET', STATE, 'status', status, 'stock', stock, 'held', held, 'purchased', purchased,
  'decided_offset', decided, 'seq', seq, 'sweeping', sweeping and 1 or 0)

redis.call('PUBLISH', channel, '{"drop_id":"' .. drop_id .. '"' .. ',"status":"' .. status .. '","remaining":' ..
  int(stock) .. ',"decided_offset":' .. int(decided) .. ',"decisions":[' .. table.concat(events, ',') .. ']}')

local reply = { status, stock, decided, seq, #pending, sweeping and 1 or 0 }
local again = {}
for _, j in ipairs(pending) do
  again[j] = true
  reply[#reply + 1] = j
end
for _, j in ipairs(out) do
  if not again[j] then reply[#reply + 1] = j end
end
return reply
