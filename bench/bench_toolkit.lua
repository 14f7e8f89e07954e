-- bench/bench_toolkit.lua: the analyst's toolkit on 30,000 invented
-- articles (issue 17's target: KWIC, count_by and keyness each under
-- 200 ms). The corpus is generated once (about 400 words an article,
-- dates over ten years, 20 outlets, topics that make some words key) and
-- kept under build/ (BENCH_TOOLKIT_DIR), so reruns only time the calls.
-- Each call is timed as the median CPU time of --runs runs, printed in
-- ms and as a ratio to a plain count of the same query in the same run
-- (collocations too, not judged). Keyness is timed on the first call of
-- a connection too (a script opens a corpus and asks once): a fresh
-- read-only connection each run, the median of --runs.
-- Usage: lua5.4 bench/bench_toolkit.lua [--articles N] [--runs N]
--          [--dir DIR] [--rebuild]

local concat = table.concat
local floor = math.floor
local os_execute = os.execute
local random = math.random
local string_format = string.format
local tonumber = tonumber

local VERSION = "bench-toolkit 1"   -- bump when the generator changes
local TARGET_MS = 200

local USAGE = "usage: lua5.4 bench/bench_toolkit.lua [--articles N] "
  .. "[--runs N] [--dir DIR] [--rebuild]"

local function die(msg)
  io.stderr:write("bench_toolkit: ", msg, "\n")
  os.exit(1)
end

local opts = { articles = 30000, runs = 7, dir = "build/bench-toolkit",
               rebuild = false }
do
  local i = 1
  while arg[i] do
    local a = arg[i]
    if a == "--articles" or a == "--runs" then
      local v = tonumber(arg[i + 1] or "")
      if not v or v < 1 then die("bad " .. a .. "\n" .. USAGE) end
      opts[a:sub(3)] = floor(v)
      i = i + 1
    elseif a == "--dir" then
      opts.dir = arg[i + 1] or die("--dir needs a directory\n" .. USAGE)
      i = i + 1
    elseif a == "--rebuild" then opts.rebuild = true
    else die("unknown argument '" .. a .. "'\n" .. USAGE) end
    i = i + 1
  end
end

local ok_l, loupe = pcall(require, "loupe")
if not ok_l then die("cannot load loupe (run `make bench`)") end

local lib = dofile((arg[0]:match("^(.*/)") or "./") .. "benchlib.lua")
local read_file, write_file, sh_quote = lib.read_file, lib.write_file,
  lib.sh_quote
local wall = lib.wall

-- CPU ms of this process (the calls run on the caller's thread; on a
-- shared machine CPU time is steadier than wall time).
local function now_ms() return os.clock() * 1e3 end

-- ------------------------------------------------------------ the pages

-- Invented words: syllables put together, a Zipf-like share each.
local SYL = { "ka", "ro", "mi", "te", "sun", "var", "lo", "den", "pa", "quin",
              "mer", "tal", "o", "bri", "nes", "ul", "gor", "fa", "wen", "is" }
local FUNCTION = { "the", "of", "and", "to", "a", "in", "that", "is", "for",
  "on", "was", "with", "said", "as", "it", "by", "at", "from", "his", "her",
  "be", "have", "are", "which", "this", "not", "but", "had", "they", "were",
  "an", "will", "after", "their", "has", "been", "more", "would", "who" }
local TOPICS = {
  { "harbour", "ferry", "quay", "cranes", "cargo", "dock", "pilots" },
  { "election", "ballot", "candidate", "turnout", "campaign", "polling" },
  { "drought", "reservoir", "rainfall", "irrigation", "wells", "crops" },
  { "hackers", "breach", "ransomware", "passwords", "servers", "malware" },
  { "tariffs", "exports", "customs", "quotas", "shipping", "imports" },
  { "vaccine", "clinic", "nurses", "outbreak", "doses", "wards" },
  { "railway", "tracks", "signals", "commuters", "timetable", "depot" },
  { "library", "archive", "manuscripts", "readers", "catalogue", "shelves" },
  { "wildfire", "firefighters", "evacuation", "smoke", "embers", "ridge" },
  { "budget", "deficit", "treasury", "spending", "bonds", "auditors" },
  { "festival", "orchestra", "stage", "tickets", "audience", "choir" },
  { "mine", "copper", "miners", "shaft", "ore", "smelter" },
}
local OUTLETS = {}
for k = 1, 20 do
  OUTLETS[k] = ({ "Meridian", "Harbour Valley", "Northfield", "Lantern",
    "Eastbrook", "Riverside", "Upland", "Gulfport", "Kestrel Bay",
    "Ashcombe", "Westmarch", "Tarn Vale", "Brackwater", "Ironbridge",
    "Saltmere", "Orchard Hill", "Fenwick", "Greystone", "Marlow Cross",
    "Selby Downs" })[k] .. ({ " Courier", " Gazette", " Post", " Herald" })
    [k % 4 + 1]
end
local MONTHS = { "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December" }

-- A table of words to draw from: word k of the invented vocabulary
-- appears about 1/k times as often as the first.
local function vocabulary(n)
  local words, pool, seen = {}, {}, {}
  while #words < n do
    local w = {}
    for _ = 1, random(2, 4) do w[#w + 1] = SYL[random(#SYL)] end
    local s = concat(w)
    if not seen[s] then
      seen[s] = true
      words[#words + 1] = s
    end
  end
  for k, w in ipairs(words) do
    for _ = 1, math.max(1, floor(2000 / k)) do pool[#pool + 1] = w end
  end
  return pool
end

local function sentence(pool, topic, len)
  local w = {}
  for k = 1, len do
    local r = random()
    if r < 0.45 then w[k] = FUNCTION[random(#FUNCTION)]
    elseif r < 0.53 and topic then w[k] = topic[random(#topic)]
    else w[k] = pool[random(#pool)] end
  end
  w[1] = w[1]:sub(1, 1):upper() .. w[1]:sub(2)
  return concat(w, " ") .. "."
end

-- Article i: { text, outlet, year }.
local function page(i, pool)
  local outlet = OUTLETS[i % #OUTLETS + 1]
  local topic = random() < 0.6 and TOPICS[random(#TOPICS)] or nil
  local year = 2015 + random(0, 9)
  local date = string_format("%s %d, %d", MONTHS[random(12)], random(28),
    year)
  local paras, words = {}, 0
  local want = random(300, 500)
  while words < want do
    local s = {}
    for _ = 1, random(2, 4) do
      local len = random(12, 24)
      s[#s + 1] = sentence(pool, topic, len)
      words = words + len
    end
    paras[#paras + 1] = concat(s, " ")
  end
  local title = sentence(pool, topic, random(6, 10)):gsub("%.$", "")
  local t = { outlet, "", "  • Home", "  • News", "  • Business",
    "  • Opinion", "", title .. " (" .. i .. ")", "", "By Staff Reporter", "",
    date, "" }
  for _, p in ipairs(paras) do t[#t + 1] = p; t[#t + 1] = "" end
  t[#t + 1] = "  • About us"
  t[#t + 1] = "  • Contact"
  t[#t + 1] = string_format("© %d %s. All rights reserved.", year, outlet)
  return concat(t, "\n") .. "\n"
end

-- Generate the pages into dir/pages and ingest them into dir/corpus.db.
local function build(dir, n)
  local db = dir .. "/corpus.db"
  os_execute("rm -rf " .. sh_quote(dir) .. " && mkdir -p "
    .. sh_quote(dir .. "/pages"))
  math.randomseed(17017)
  local pool = vocabulary(20000)
  local t0 = wall()
  local chunks = {}
  for i = 1, n do
    local c = (i - 1) // 1000
    if not chunks[c + 1] then
      chunks[c + 1] = string_format("%s/pages/c%03d", dir, c)
      os_execute("mkdir -p " .. sh_quote(chunks[c + 1]))
    end
    write_file(string_format("%s/%06d.txt", chunks[c + 1], i), page(i, pool))
  end
  local t1 = wall()
  local c = assert(loupe.open(db, { clustering = false }))
  local s = assert(c:ingest(chunks, { batch = 500 }))
  c:close()
  os_execute("rm -rf " .. sh_quote(dir .. "/pages"))
  write_file(dir .. "/stamp", VERSION .. " " .. n .. "\n")
  print(string_format("  built %d articles in %s: %.1f s to write, %.1f s "
    .. "to ingest", s.added, db, t1 - t0, wall() - t1))
  return db
end

-- ------------------------------------------------------------ timing

local function median(xs)
  table.sort(xs)
  local m = #xs
  if m % 2 == 1 then return xs[(m + 1) // 2] end
  return (xs[m // 2] + xs[m // 2 + 1]) / 2
end

-- Median ms of fn over opts.runs runs (after one warm-up run) and the
-- last result.
local function time(fn)
  local r = fn()
  local ms = {}
  for k = 1, opts.runs do
    collectgarbage("collect")
    local t0 = now_ms()
    r = fn()
    ms[k] = now_ms() - t0
  end
  return median(ms), r
end

local function main()
  local dir = opts.dir
  local stamp = read_file(dir .. "/stamp")
  local db = dir .. "/corpus.db"
  print(string_format("loupe %s toolkit bench: %d invented articles, "
    .. "median of %d runs (after a warm-up), CPU ms", loupe._VERSION or "?",
    opts.articles, opts.runs))
  if opts.rebuild or stamp ~= VERSION .. " " .. opts.articles .. "\n"
     or not read_file(db) then
    db = build(dir, opts.articles)
  else
    print("  corpus reused: " .. db .. " (--rebuild to generate it again)")
  end
  do -- a corpus of an older schema is upgraded once (a writable open)
    local w = assert(loupe.open(db))
    for _, n in ipairs(w.notices) do print("  " .. n) end
    w:close()
  end
  local c = assert(loupe.open(db, { readonly = true }))
  local total = c:count()
  local term = "harbour"
  local q = c:query(term)
  local base, hits = time(function() return assert(q:count()) end)
  print(string_format("  corpus: %d articles; query %q matches %d (%.1f%%)",
    total, term, hits, 100 * hits / total))
  print(string_format("  %-44s %9s %8s %s", "call", "ms", "x count",
    "result"))
  local function row(name, ms, result, judged)
    local verdict = ""
    if judged then
      verdict = ms < TARGET_MS and "  (target < 200 ms: met)"
        or "  (target < 200 ms: MISSED)"
    end
    print(string_format("  %-44s %9.1f %8.1f %s%s", name, ms, ms / base,
      result, verdict))
  end
  row(string_format("query(%q):count() (the baseline)", term), base,
    hits .. " articles")
  local ms, n = time(function()
    local k = 0
    for _ in q:kwic(term) do k = k + 1 end
    return k
  end)
  row(string_format("query(%q):kwic(%q)", term, term), ms, n .. " lines",
    true)
  local rows
  ms, rows = time(function() return assert(q:count_by("month")) end)
  row(string_format("query(%q):count_by(\"month\")", term), ms,
    #rows .. " months", true)
  -- keyness against the rest reads the corpus's word totals, kept by
  -- ingest, and only the smaller side's texts, from the first call of a
  -- connection on; recount = true counts every article instead (what the
  -- first call cost before the totals were kept)
  local first = {}
  for k = 1, opts.runs do
    local fc = assert(loupe.open(db, { readonly = true }))
    local fq = fc:query(term)
    collectgarbage("collect")
    local t0 = now_ms()
    rows = assert(fc:keyness(fq, nil, { limit = 20 }))
    first[k] = now_ms() - t0
    fc:close()
  end
  row(string_format("keyness(%q, the rest), first call", term),
    median(first), "first: " .. (rows[1] and rows[1].feature or "none")
    .. " (a new connection each run)", true)
  ms, rows = time(function()
    return assert(c:keyness(q, nil, { limit = 20 }))
  end)
  row(string_format("keyness(%q, the rest), later calls", term), ms,
    "first: " .. (rows[1] and rows[1].feature or "none"), true)
  do
    local t0 = now_ms()
    rows = assert(c:keyness(q, nil, { limit = 20, recount = true }))
    row(string_format("keyness(%q, the rest), recount = true", term),
      now_ms() - t0, "first: " .. (rows[1] and rows[1].feature or "none")
      .. " (every article counted; 1 run)")
  end
  ms, rows = time(function()
    return assert(c:collocations(term, { limit = 20 }))
  end)
  row(string_format("collocations(%q)", term), ms,
    "first: " .. (rows[1] and rows[1].feature or "none"))
  local y1 = c:query():where { since = "2020-01-01",
                               ["until"] = "2020-12-31" }
  local y0 = c:query():where { since = "2019-01-01",
                               ["until"] = "2019-12-31" }
  local yb = time(function() return assert(y1:count()) end)
  ms, rows = time(function()
    return assert(c:keyness(y1, y0, { limit = 20 }))
  end)
  row("keyness(year 2020, year 2019)", ms, string_format("%d + %d "
    .. "articles (their count: %.1f ms); first: %s", assert(y1:count()),
    assert(y0:count()), yb, rows[1] and rows[1].feature or "none"), true)
  c:close()
end

local okm, err = xpcall(main, debug.traceback)
if not okm then die(tostring(err)) end
