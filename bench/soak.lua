-- bench/soak.lua: the kill test. Generates a folder of invented pages (and
-- copies of some of them, with CRLF line ends, under another folder),
-- ingests it once without interruption as the reference, then for each
-- cycle: starts `loupe ingest` on a new corpus, kills it with SIGKILL at
-- a random moment, runs `loupe check` on what was left, runs the ingest
-- again (sometimes killing that run too, then once more) and compares the
-- corpus with the reference: the same articles (content hashes and the
-- paths of each), the same counts of paragraphs, quotes, entities, paths
-- and full-text rows, the same hits for a few queries, the same clusters,
-- and `loupe check` passing. Not part of `make test`: `make soak`.
-- Usage: lua5.4 bench/soak.lua [--cycles N] [--pages N] [--seed N]
--          [--keep] [--dir DIR]
-- Prints one line per cycle and "soak: K of N cycles passed"; exits 1
-- when any failed.

local floor = math.floor
local io_open = io.open
local io_popen = io.popen
local ipairs = ipairs
local os_execute = os.execute
local os_exit = os.exit
local pairs = pairs
local string_format = string.format
local table_concat = table.concat
local table_sort = table.sort
local tonumber = tonumber
local tostring = tostring

local USAGE = "usage: lua5.4 bench/soak.lua [--cycles N] [--pages N] "
  .. "[--seed N] [--keep] [--dir DIR]"

local opts = { cycles = 100, pages = 3000, seed = os.time(), keep = false }
do
  local i = 1
  while arg[i] do
    local a = arg[i]
    if a == "--cycles" or a == "--pages" or a == "--seed" then
      opts[a:sub(3)] = tonumber(arg[i + 1])
      if not opts[a:sub(3)] then
        io.stderr:write(USAGE, "\n")
        os_exit(2)
      end
      i = i + 2
    elseif a == "--dir" then
      opts.dir = arg[i + 1]
      i = i + 2
    elseif a == "--keep" then
      opts.keep = true
      i = i + 1
    else
      io.stderr:write(USAGE, "\n")
      os_exit(2)
    end
  end
end

local function q(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function sh(cmd)
  local p = assert(io_popen(cmd, "r"))
  local out = p:read("a")
  local ok, _, code = p:close()
  return out, ok, code
end

local function write(path, text)
  local f = assert(io_open(path, "wb"))
  f:write(text)
  f:close()
end

-- this tree's loupe, as make soak runs it
local script_dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local ROOT = sh("cd " .. q(script_dir .. "..") .. " && pwd"):gsub("\n$", "")
local so = package.searchpath("loupe.core", package.cpath)
local LOUPE = table_concat({ "env",
  "LUA_PATH_5_4=" .. q(ROOT .. "/lua/?.lua;" .. ROOT .. "/lua/?/init.lua;;"),
  "LUA_CPATH_5_4=" .. q((so and so:gsub("loupe/core%.so$", "")
    or (ROOT .. "/build/")) .. "?.so;;"),
  "lua5.4", q(ROOT .. "/bin/loupe") }, " ")
local loupe = require "loupe"

-- ------------------------------------------------------------ pages

-- A small deterministic generator (xorshift), so that a seed gives the
-- same pages and kill moments.
local state = opts.seed % 2147483647
if state == 0 then state = 1 end
local function rand(n)
  state = (state * 48271) % 2147483647
  return state % n + 1
end

local OUTLETS = {
  { "Harrowgate Herald", "Home | World | Business | Sport" },
  { "Quillon Courier", "News | Politics | Culture | Weather" },
  { "Fenwick Valley Chronicle", "Local | Farming | Courts | Events" },
  { "Kessport Tribune", "Harbour | Islands | Opinion | Jobs" },
  { "Pacific Ledger", "World | Markets | Tech | Science" },
}
local PEOPLE = { "Ottilie Marsh", "Bastian Ekholm", "Imogen Thale",
  "Marta Vell", "Henrik Sollen", "Carla Benedetti", "Tomas Varga",
  "Ingrid Solheim", "Elena Marsh", "Nora Quist" }
local PLACES = { "Harrowgate", "Quillon", "Fenwick", "Kessport", "Velmora",
  "Norvalden", "Orla", "Lastra", "Calvera", "Marrow" }
local WORDS = { "harbour", "committee", "council", "plan", "quay",
  "ferry", "islands", "residents", "budget", "storm", "barrier", "tide",
  "orchard", "frost", "growers", "court", "recount", "ballots", "dam",
  "spillway", "inspectors", "reservoir", "anglers", "tariff", "exports",
  "workers", "strike", "union", "hospital", "school", "bridge", "road",
  "trains", "timetable", "licence", "fishermen", "quotas", "herring",
  "museum", "library", "festival", "theatre", "market", "prices",
  "drought", "wells", "pipeline", "wind", "turbines", "survey" }

local function sentence(k)
  local w = {}
  for i = 1, k do w[i] = WORDS[rand(#WORDS)] end
  local s = table_concat(w, " ")
  return s:sub(1, 1):upper() .. s:sub(2) .. "."
end

-- A story: its headline and paragraphs.
local function story(i)
  local place = PLACES[rand(#PLACES)]
  local who = PEOPLE[rand(#PEOPLE)]
  local s = { title = ("%s %s: %s %d"):format(place, WORDS[rand(#WORDS)],
    sentence(4):sub(1, -2), i), paras = {} }
  for p = 1, 2 + rand(6) do
    local text
    if p == 1 then
      text = ("%s, March %d - %s %s %s (item %d)."):format(place:upper(),
        rand(28), sentence(10 + rand(20)), sentence(8 + rand(12)),
        sentence(6), i)
    elseif p == 2 then
      text = ('"%s %s" said %s, who leads the %s %s.'):format(
        sentence(8 + rand(10)), sentence(5), who, place, WORDS[rand(#WORDS)])
    else
      text = sentence(12 + rand(25)) .. " " .. sentence(8 + rand(15))
    end
    s.paras[p] = text
  end
  return s
end

-- A story as an outlet's page.
local function page(st)
  local o = OUTLETS[rand(#OUTLETS)]
  local t = { o[1], "", o[2], "", st.title, "", "By " .. PEOPLE[rand(#PEOPLE)],
    "", ("March %d, %d / %d:%02d AM"):format(rand(28), 2014 + rand(11),
      rand(11), rand(60) - 1), "" }
  for _, p in ipairs(st.paras) do
    t[#t + 1] = p
    t[#t + 1] = ""
  end
  t[#t + 1] = ("Copyright %d %s. All rights reserved."):format(2024, o[1])
  return table_concat(t, "\n") .. "\n"
end

-- ------------------------------------------------------------ corpus

-- What must be equal between two corpora: the articles by content hash
-- with their paths, the counts, hits for some queries, the clusters (as
-- sets of content hashes).
local QUERIES = { "harbour", "frost growers", "council budget", "strike" }

local function snapshot(db)
  local c, err = loupe.open(db, { readonly = true })
  if not c then return nil, err end
  local arts, by_id = {}, {}
  for hit in c:query():each() do
    local a = c:get(hit.id)
    table_sort(a.paths)
    arts[a.hash] = table_concat(a.paths, "|")
    by_id[hit.id] = a.hash
  end
  local r = assert(c:check())
  local s = { articles = arts, check = r, hits = {}, clusters = {} }
  for _, w in ipairs(QUERIES) do s.hits[w] = c:query(w):count() end
  for cl in c:clusters() do
    local hs = {}
    for _, m in ipairs(cl.members) do hs[#hs + 1] = by_id[m.id] end
    table_sort(hs)
    s.clusters[#s.clusters + 1] = table_concat(hs, ",")
  end
  table_sort(s.clusters)
  c:close()
  return s
end

local COUNTS = { "articles", "paragraphs", "quotes", "entities", "paths",
                 "index_rows" }

-- Differences between snapshot a (the reference) and b, as a list.
local function compare(a, b)
  local diff = {}
  for h, p in pairs(a.articles) do
    if b.articles[h] ~= p then
      diff[#diff + 1] = "article " .. h .. (b.articles[h] and
        " has other paths" or " is missing")
    end
  end
  for h in pairs(b.articles) do
    if not a.articles[h] then diff[#diff + 1] = "extra article " .. h end
  end
  for _, k in ipairs(COUNTS) do
    if a.check[k] ~= b.check[k] then
      diff[#diff + 1] = string_format("%s %d, reference %d", k, b.check[k],
        a.check[k])
    end
  end
  for w, n in pairs(a.hits) do
    if b.hits[w] ~= n then
      diff[#diff + 1] = string_format("query %q: %d hits, reference %d", w,
        b.hits[w], n)
    end
  end
  if table_concat(a.clusters, ";") ~= table_concat(b.clusters, ";") then
    diff[#diff + 1] = string_format("clusters differ (%d, reference %d)",
      #b.clusters, #a.clusters)
  end
  if not b.check.ok then
    diff[#diff + 1] = "check: " .. table_concat(b.check.problems, "; ")
  end
  return diff
end

-- ------------------------------------------------------------ the run

local tmp = opts.dir or (os.tmpname() .. ".soak")
os_execute("rm -rf " .. q(tmp) .. " && mkdir -p " .. q(tmp .. "/pages")
  .. " " .. q(tmp .. "/pages/copies"))
local function die(msg)
  io.stderr:write("soak: ", msg, "\n")
  if not opts.keep then os_execute("rm -rf " .. q(tmp)) end
  os_exit(1)
end

-- the pages (one in eight a story republished by another outlet, with a
-- sentence added: a near-duplicate cluster), and CRLF copies of one in
-- ten under copies/ (duplicates of the same content)
local texts, last = {}, nil
for i = 1, opts.pages do
  local st
  if last and rand(8) == 1 then
    st = { title = last.title, paras = {} }
    for k, p in ipairs(last.paras) do st.paras[k] = p end
    st.paras[#st.paras] = st.paras[#st.paras] .. " " .. sentence(9)
  else
    st = story(i)
  end
  last = st
  texts[i] = page(st)
  write(string_format("%s/pages/p%05d.txt", tmp, i), texts[i])
end
for i = 1, opts.pages, 10 do
  write(string_format("%s/pages/copies/c%05d.txt", tmp, i),
    (texts[i]:gsub("\n", "\r\n")))
end
local files = opts.pages + floor((opts.pages + 9) / 10)

local function now()
  return tonumber((sh("date +%s.%N"))) or os.time()
end

-- One ingest of the folder into db; threads nil for the default.
local function ingest_cmd(db, threads)
  return LOUPE .. " ingest -q" .. (threads and (" --threads " .. threads)
    or "") .. " " .. q(db) .. " " .. q(tmp .. "/pages")
end

-- Run an ingest and SIGKILL it after `after` seconds (if still running).
local function killed_ingest(db, threads, after)
  local out = sh("sh -c " .. q(ingest_cmd(db, threads) .. " >/dev/null 2>&1"
    .. " & pid=$!; sleep " .. string_format("%.3f", after) .. "; kill -9"
    .. " $pid 2>/dev/null && echo killed; wait $pid 2>/dev/null; true"))
  return out:find("killed", 1, true) ~= nil
end

local function check_ok(db)
  local out, ok = sh(LOUPE .. " check " .. q(db) .. " 2>&1")
  return ok, out
end

print(string_format("soak: %d pages and %d copies in %s (seed %d)",
  opts.pages, files - opts.pages, tmp, opts.seed))
local ref_db = tmp .. "/reference.loupe"
local t0 = now()
local _, ok = sh(ingest_cmd(ref_db) .. " >/dev/null 2>&1")
local span = now() - t0
if not ok then die("the reference ingest failed") end
local ref = assert(snapshot(ref_db))
local ref_ok, ref_out = check_ok(ref_db)
if not ref_ok then die("loupe check fails on the reference: " .. ref_out) end
local nref = 0
for _ in pairs(ref.articles) do nref = nref + 1 end
print(string_format("soak: reference: %d articles, %d paths, %d clusters, "
  .. "ingest %.1f s", nref, ref.check.paths, #ref.clusters, span))

local passed, killed, checked_after_kill = 0, 0, 0
for cycle = 1, opts.cycles do
  local db = string_format("%s/cycle.loupe", tmp)
  os_execute("rm -f " .. q(db) .. " " .. q(db .. "-wal") .. " "
    .. q(db .. "-shm"))
  -- a moment anywhere from before the file exists to the end (a run may
  -- take longer than the reference did); an ingest that finished first
  -- is run again from scratch, killed sooner
  local threads = rand(3) == 1 and 0 or nil
  local after = span * (rand(1500) - 1) / 1000
  local was_killed = killed_ingest(db, threads, after)
  for _ = 1, 5 do
    if was_killed then break end
    os_execute("rm -f " .. q(db) .. " " .. q(db .. "-wal") .. " "
      .. q(db .. "-shm"))
    after = after * (rand(900) - 1) / 1000
    was_killed = killed_ingest(db, threads, after)
  end
  local notes = {}
  local after_kill_ok = true
  if was_killed then
    killed = killed + 1
    local f = io_open(db, "rb")
    if f then
      f:close()
      local cok, cout = check_ok(db)
      -- a file killed before its schema was written is not a corpus yet
      if not cok and not cout:find("not a loupe corpus", 1, true) then
        after_kill_ok = false
        notes[#notes + 1] = "check after the kill: " .. cout:gsub("\n", " ")
      else
        checked_after_kill = checked_after_kill + 1
      end
    end
    -- one run in three is killed again on its way
    if rand(3) == 1 then
      killed_ingest(db, nil, span * rand(800) / 1000)
    end
  end
  local out, rok = sh(ingest_cmd(db) .. " 2>&1")
  if not rok then notes[#notes + 1] = "the re-run failed: " .. out end
  local snap, serr = snapshot(db)
  local diff = snap and compare(ref, snap) or { "cannot open: " .. serr }
  local cok, cout = check_ok(db)
  if not cok then diff[#diff + 1] = "loupe check: " .. cout end
  for _, n in ipairs(notes) do diff[#diff + 1] = n end
  local good = #diff == 0 and after_kill_ok
  if good then passed = passed + 1 end
  print(string_format("cycle %3d: %s at %.2f s (%s threads)%s: %s", cycle,
    was_killed and "killed" or "finished", after,
    threads and tostring(threads) or "default",
    was_killed and "" or " before any kill",
    good and "check passed, equal to the reference"
      or ("FAILED: " .. table_concat(diff, "; "))))
  io.stdout:flush()
end

print(string_format("soak: %d of %d cycles passed (%d killed mid-ingest, "
  .. "loupe check passed on %d corpora right after the kill)", passed,
  opts.cycles, killed, checked_after_kill))
if not opts.keep then os_execute("rm -rf " .. q(tmp)) end
os_exit(passed == opts.cycles and 0 or 1)
