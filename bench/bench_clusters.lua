-- bench/bench_clusters.lua: republication clusters and talking points on
-- the real corpora in ../shared/data (reuters-21578, bbc, cyber-news)
-- plus synthetic republished copies: for a sample of the originals, 1-3
-- copies each with small edits (a dropped paragraph, a few changed words,
-- an added sentence, a new headline, another outlet's menu and footer),
-- recorded so that clustering can be scored.
-- Usage: lua5.4 bench/bench_clusters.lua [--sizes N,N,...] [--keep]
--          [SHARED_DIR]
-- Default sizes 1,000, 10,000, 30,000 and 100,000 pages. The corpora hold about
-- 26,000 distinct originals; when the largest size needs more pages than
-- 1-3 copies of 60% of the long originals give, every long original gets
-- 1-k copies, k chosen so that the pages suffice (the same families for
-- every size, so the sizes stay comparable).
-- A clustered ingest projected past MAX_ON_WALL seconds is skipped (the
-- set is then ingested without clustering only, for the talking points).
-- Prints per size: clustering cost per article (ingest with clustering
-- minus without, CPU), the with/without ingest rate ratio, pairwise
-- cluster precision and recall on the synthetic copies; and the time of
-- talking_points{} on each set (the target is about 30,000 articles).

local clock = os.clock
local concat = table.concat
local floor = math.floor
local io_popen = io.popen
local ipairs = ipairs
local os_execute = os.execute
local os_exit = os.exit
local pairs = pairs
local random = math.random
local string_format = string.format
local tonumber = tonumber
local tostring = tostring

local CHUNK = 1000          -- page files per folder
local BATCH = 200           -- files per transaction
local COPY_SHARE = 0.6      -- share of the eligible originals copied
local MIN_COPY_WORDS = 150  -- originals shorter than this are not copied
local MAX_ON_WALL = 900     -- s; larger clustered ingests are skipped

local tmp

local function sh_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local function die(code, msg)
  io.stderr:write("bench_clusters: ", msg, "\n")
  if tmp then os_execute("rm -rf " .. sh_quote(tmp)) end
  os_exit(code)
end

local USAGE = "usage: lua5.4 bench/bench_clusters.lua [--sizes N,N,...] "
  .. "[--keep] [SHARED_DIR]"

local opts = { shared = "../shared",
               sizes = { 1000, 10000, 30000, 100000 },
               keep = false }
do
  local i = 1
  while arg[i] do
    local a = arg[i]
    if a == "--sizes" then
      local list = {}
      for n in (arg[i + 1] or ""):gmatch("[^,]+") do
        local v = tonumber(n)
        if not v or v < 10 then die(2, "bad --sizes\n" .. USAGE) end
        list[#list + 1] = floor(v)
      end
      if #list == 0 then die(2, "--sizes needs a list\n" .. USAGE) end
      opts.sizes = list
      i = i + 1
    elseif a == "--quick" then opts.sizes = { 1000, 5000 }
    elseif a == "--keep" then opts.keep = true
    elseif a:sub(1, 1) == "-" then
      die(2, "unknown option '" .. a .. "'\n" .. USAGE)
    else opts.shared = a end
    i = i + 1
  end
  table.sort(opts.sizes)
end

local ok_l, loupe = pcall(require, "loupe")
if not ok_l then
  die(1, "cannot load loupe (run `make bench`): "
    .. tostring(loupe):match("^[^\n]*"))
end
local ok_j, cjson = pcall(require, "cjson")
if not ok_j then die(1, "lua-cjson is needed (make deps)") end
local null = cjson.null

local lib = dofile((arg[0]:match("^(.*/)") or "./") .. "benchlib.lua")
local read_file, write_file, wall = lib.read_file, lib.write_file, lib.wall

local function capture(cmd)
  local p = io_popen(cmd)
  local out = p:read("a")
  p:close()
  return out
end

local function str(v)
  if v == nil or v == null then return nil end
  return tostring(v)
end

-- ------------------------------------------------------------ the pages

local OUTLETS = {
  { menu = "Home | World | Business | Markets | Tech | Opinion",
    footer = "Copyright %s © The Meridian Post. All rights reserved." },
  { menu = "Front page | News | Economy | Sport | Weather",
    footer = "© %s Harbour Valley Times. All rights reserved." },
  { menu = "Start | Latest | Regions | Science | Contact us",
    footer = "Copyright © %s Northfield Daily Record. All rights reserved." },
  { menu = "Home | Local | National | Culture | Jobs",
    footer = "Copyright %s © The Lantern Courier. All rights reserved." },
  { menu = "News | Politics | World | Money | Life | Video",
    footer = "© %s Eastbrook Evening Star Ltd. All rights reserved." },
  { menu = "Latest | Country | Business | Science | Podcasts | About us",
    footer = "Copyright © %s Riverside Observer Group." },
  { menu = "Home | Region | Farming | Sport | Letters | Subscribe",
    footer = "© Copyright %s The Upland Chronicle. All rights reserved." },
  { menu = "Top stories | World | Markets | Opinion | Newsletters",
    footer = "Copyright %s © Gulfport Daily Tribune. All rights reserved." },
}
local FILLER = { "officials", "reported", "several", "major", "recent",
                 "regional", "sources", "analysts", "earlier", "formal" }
local ADDED = {
  "The report could not be independently verified.",
  "Officials did not respond to a request for further comment.",
  "Additional details were expected to be released later in the week.",
}

local function page_of(title, date_line, body, source, year, menu, footer)
  local parts = {}
  if menu then parts[#parts + 1] = menu .. "\n" end
  parts[#parts + 1] = title
  if date_line then parts[#parts + 1] = date_line end
  parts[#parts + 1] = ""
  parts[#parts + 1] = body
  parts[#parts + 1] = "\n" .. (footer or ("© %s " .. source
    .. ". All rights reserved.")):format(year or "") .. "\n"
  return concat(parts, "\n")
end

local function paragraphs(body)
  local ps = {}
  for p in (body .. "\n\n"):gmatch("(.-)\n%s*\n") do
    if p:find("%S") then ps[#ps + 1] = p end
  end
  return ps
end

local function word_count(s)
  local n = 0
  for _ in s:gmatch("%S+") do n = n + 1 end
  return n
end

-- A republished copy of original o: small edits; returns the page.
local function make_copy(o, k)
  local ps = paragraphs(o.body)
  local words = word_count(o.body)
  -- drop a short paragraph (not the lead) of a long enough story
  if #ps >= 5 and random() < 0.5 then
    local j = random(2, #ps)
    if word_count(ps[j]) <= words * 0.1 then table.remove(ps, j) end
  end
  -- change a few words
  if random() < 0.7 then
    local n = math.min(3, 1 + words // 150)
    for _ = 1, n do
      local j = random(#ps)
      local nw = word_count(ps[j])
      if nw > 3 then           -- in place: the line breaks stay
        local at, seen = random(nw), 0
        ps[j] = ps[j]:gsub("%S+", function(w)
          seen = seen + 1
          if seen == at then return FILLER[random(#FILLER)] end
          return w
        end)
      end
    end
  end
  -- add a sentence
  if random() < 0.3 then
    ps[#ps] = ps[#ps] .. " " .. ADDED[random(#ADDED)]
  end
  -- a new headline: the lead's first words
  local lead = {}
  for w in ps[1]:gmatch("%a[%w'-]*") do
    lead[#lead + 1] = w
    if #lead == 8 then break end
  end
  local title = concat(lead, " ")
  if title == o.title or title == "" then title = "REPORT: " .. o.title end
  local outlet = OUTLETS[(o.n + k) % #OUTLETS + 1]
  return page_of(title, o.date_line, concat(ps, "\n\n"), nil, o.year,
    outlet.menu, outlet.footer)
end

local CORPORA = {
  { name = "reuters", file = "reuters-21578/reuters21578.jsonl.gz" },
  { name = "bbc", file = "bbc-news-2004-2005/bbc.jsonl.gz" },
  { name = "cyber-news", file = "cyber-news-2021-2022/articlemd.jsonl.gz" },
}

-- Families: { original page, copies = { pages } }, in a fixed shuffle.
local function prepare(data_dir, need)
  local originals, seen, per = {}, {}, {}
  for _, cs in ipairs(CORPORA) do
    local p = io_popen("gzip -dc " .. sh_quote(data_dir .. "/" .. cs.file))
    local n = 0
    for line in p:lines() do
      local r = cjson.decode(line)
      local body = str(r.text) or ""
      local key = body:gsub("%s+", " ")
      if body:find("%S") and not seen[key] then
        seen[key] = true
        n = n + 1
        local year = (str(r.date) or ""):match("^(%d%d%d%d)")
        originals[#originals + 1] = { title = str(r.title) or "",
          body = body, source = str(r.source) or cs.name, year = year,
          date_line = str(r.date_raw) }
      end
    end
    p:close()
    if n == 0 then die(1, "cannot read " .. data_dir .. "/" .. cs.file) end
    per[#per + 1] = cs.name .. " " .. n
  end
  math.randomseed(20240611)
  for k = #originals, 2, -1 do
    local j = random(k)
    originals[k], originals[j] = originals[j], originals[k]
  end
  -- copies per long original: 1-3 for 60% of them, or 1-kmax for all
  -- when the largest set needs more pages
  local long = 0
  for _, o in ipairs(originals) do
    o.words = word_count(o.body)
    if o.words >= MIN_COPY_WORDS then long = long + 1 end
  end
  local share, kmax = COPY_SHARE, 3
  if #originals + long * share * 2 < need and long > 0 then
    share = 1
    kmax = math.ceil(2 * (need - #originals) / long - 1)
    if kmax < 3 then kmax = 3 end
  end
  local families, copies = {}, 0
  for i, o in ipairs(originals) do
    o.n = i
    local f = { page = page_of(o.title, o.date_line, o.body, o.source,
      o.year), copies = {} }
    if o.words >= MIN_COPY_WORDS and random() < share then
      for k = 1, random(kmax) do f.copies[k] = make_copy(o, k) end
      copies = copies + #f.copies
    end
    families[i] = f
  end
  return families, concat(per, ", "), #originals, copies, share, kmax
end

-- The first n pages of the families (a family is never split, except the
-- last one when it overflows), shuffled; each page { text, fam }.
local function take(families, n)
  local pages, fams = {}, 0
  for i, f in ipairs(families) do
    if #pages >= n then break end
    local fam = #f.copies > 0 and i or nil
    pages[#pages + 1] = { text = f.page, fam = fam }
    for _, cp in ipairs(f.copies) do
      if #pages >= n then break end
      pages[#pages + 1] = { text = cp, fam = fam }
    end
    if fam then fams = fams + 1 end
  end
  for k = #pages, 2, -1 do
    local j = random(k)
    pages[k], pages[j] = pages[j], pages[k]
  end
  return pages
end

local function write_set(dir, pages)
  local chunks, mk = {}, {}
  for k = 0, (#pages - 1) // CHUNK do
    chunks[k + 1] = string_format("%s/c%03d", dir, k)
    mk[#mk + 1] = sh_quote(chunks[k + 1])
  end
  os_execute("mkdir -p " .. concat(mk, " "))
  local fam_of = {}
  for k, p in ipairs(pages) do
    local path = string_format("%s/%06d.txt", chunks[(k - 1) // CHUNK + 1],
      k)
    write_file(path, p.text)
    fam_of[path] = p.fam
  end
  if opts.keep then              -- for diagnosis: which family each page is
    local out = {}
    for path, fam in pairs(fam_of) do out[#out + 1] = path .. "\t" .. fam end
    write_file(dir .. "/families.tsv", concat(out, "\n") .. "\n")
  end
  return chunks, fam_of
end

local function remove_db(db)
  os.remove(db)
  os.remove(db .. "-wal")
  os.remove(db .. "-shm")
end

-- CPU and wall seconds of open + ingest + close into a new corpus.
local function ingest(db, chunks, clustering)
  remove_db(db)
  collectgarbage("collect")
  local c0, w0 = clock(), wall()
  local c = assert(loupe.open(db, { clustering = clustering }))
  local s = assert(c:ingest(chunks, { batch = BATCH }))
  c:close()
  return clock() - c0, wall() - w0, s.added
end

-- Pairwise precision and recall of the clusters against the families.
local function score(db, fam_of)
  local c = assert(loupe.open(db, { readonly = true }))
  local groups, members = {}, {}      -- cluster -> { fam -> n }, sizes
  local fam_size, fam_cl = {}, {}      -- fam -> size; fam -> cl -> n
  local stray = 0                      -- clustered articles of no family
  local empty = 0                      -- clustered articles with no body
  for hit in c:query():each() do
    local fam, cl = fam_of[hit.path], hit.cluster
    if fam then
      fam_size[fam] = (fam_size[fam] or 0) + 1
      local t = fam_cl[fam] or {}
      fam_cl[fam] = t
      local key = cl or ("solo" .. hit.id)
      t[key] = (t[key] or 0) + 1
    end
    if cl then
      members[cl] = (members[cl] or 0) + 1
      local g = groups[cl] or {}
      groups[cl] = g
      local key = fam or ("none" .. hit.id)
      g[key] = (g[key] or 0) + 1
      if not fam then stray = stray + 1 end
      if hit.body == "" then empty = empty + 1 end
    end
  end
  c:close()
  local function pairs_of(n) return n * (n - 1) // 2 end
  local true_pairs, found = 0, 0
  for fam, n in pairs(fam_size) do
    true_pairs = true_pairs + pairs_of(n)
    for _, k in pairs(fam_cl[fam]) do found = found + pairs_of(k) end
  end
  -- same-cluster pairs with at least one member of a family
  local same, nclusters, stray_clusters = 0, 0, 0
  for cl, g in pairs(groups) do
    nclusters = nclusters + 1
    local in_fam = 0
    for key, k in pairs(g) do
      if type(key) == "number" then in_fam = in_fam + k end
    end
    local n = members[cl]
    if in_fam > 0 then
      same = same + pairs_of(n) - pairs_of(n - in_fam)
    else
      stray_clusters = stray_clusters + 1
    end
  end
  return { precision = same > 0 and found / same or 1,
           recall = true_pairs > 0 and found / true_pairs or 1,
           true_pairs = true_pairs, found = found, same = same,
           clusters = nclusters, stray = stray, empty = empty,
           stray_clusters = stray_clusters }
end

local function verdict(ok) return ok and "met" or "MISSED" end

-- Ingest runs each way for a set of n pages.
local function repeats(n)
  if n <= 10000 then return 3 end
  if n <= 30000 then return 2 end
  return 1
end

-- Time talking_points{} on a corpus file: { rows, cpu, wall, top }.
local function talking_points(db)
  local c = assert(loupe.open(db, { readonly = true }))
  local c0, w0 = clock(), wall()
  local tp = assert(c:talking_points {})
  local t = { rows = #tp, cpu = clock() - c0, wall = wall() - w0, top = {} }
  for k = 1, math.min(3, #tp) do
    local r = tp[k]
    t.top[k] = string_format("%d clusters, %d articles: %s", r.clusters,
      r.articles, (r.text:gsub("%s+", " ")):sub(1, 70))
  end
  c:close()
  return t
end

local function main()
  local data_dir = opts.shared .. "/data"
  if not read_file(data_dir .. "/reuters-21578/README.md") then
    die(1, "corpora not found under '" .. data_dir .. "' (pass SHARED_DIR)")
  end
  tmp = capture("mktemp -d -t loupe-bench-clusters.XXXXXX")
    :match("^%s*(.-)%s*$")
  if tmp == "" then die(1, "mktemp failed") end

  local t0 = wall()
  local families, per, n_orig, n_copies, share, kmax =
    prepare(data_dir, opts.sizes[#opts.sizes])
  local available = n_orig + n_copies
  print(string_format("loupe %s cluster bench: %d distinct originals (%s), "
    .. "%d synthetic copies (1-%d each) of %.0f%% of the originals of %d+ "
    .. "words (%.1f s to prepare)", loupe._VERSION or "?", n_orig, per,
    n_copies, kmax, share * 100, MIN_COPY_WORDS, wall() - t0))
  print("  a set of N pages: the first families (original + its copies) "
    .. "of a fixed shuffle, in random order; the fastest of 3 alternating "
    .. "ingest runs each way up to 10,000 pages, of 2 up to 30,000, 1 run "
    .. "above; transactions of " .. BATCH .. " files; CPU = os.clock, wall "
    .. "= /proc/uptime")

  local rows, last_db, last_n, last_kind = {}, nil, 0, nil
  for _, n in ipairs(opts.sizes) do
    if n > available then
      print(string_format("  size %d: only %d pages available; using %d",
        n, available, available))
      n = available
    end
    local dir = string_format("%s/set%d", tmp, n)
    local pages = take(families, n)
    local chunks, fam_of = write_set(dir, pages)
    local db_off, db_on = dir .. "/off.db", dir .. "/on.db"
    local cpu_off, wall_off = ingest(db_off, chunks, false)
    if last_db then remove_db(last_db) end
    last_db, last_n, last_kind = db_off, #pages, "clustering off"
    -- a clustered ingest projected (linearly) past MAX_ON_WALL is skipped
    local prev = rows[#rows]
    local projected = prev and prev.wall_on / prev.n * #pages or 0
    if projected > MAX_ON_WALL then
      print(string_format("  size %d: clustered ingest skipped: %.0f s at "
        .. "%d pages projects to at least %.0f s (over %d s)", #pages,
        prev.wall_on, prev.n, projected, MAX_ON_WALL))
    else
      local cpu_on, wall_on, added = ingest(db_on, chunks, true)
      -- the fastest of a few alternating runs each way: on a shared
      -- machine noise only ever adds time
      for _ = 2, repeats(#pages) do
        local c1, w1 = ingest(db_off, chunks, false)
        cpu_off, wall_off = math.min(cpu_off, c1), math.min(wall_off, w1)
        local c2, w2 = ingest(db_on, chunks, true)
        cpu_on, wall_on = math.min(cpu_on, c2), math.min(wall_on, w2)
      end
      local sc = score(db_on, fam_of)
      rows[#rows + 1] = { n = #pages, added = added, cpu_off = cpu_off,
        cpu_on = cpu_on, wall_off = wall_off, wall_on = wall_on, sc = sc,
        tp = talking_points(db_on) }
      remove_db(db_off)
      last_db, last_kind = db_on, "clustering on"
    end
    if not opts.keep then
      os_execute("rm -rf " .. sh_quote(dir) .. "/c[0-9]*")
    end
    io.stdout:flush()
  end

  print("== 1. clustering cost: ingest with clustering minus without")
  print(string_format("  %8s %9s %9s %9s %11s %9s %9s", "articles",
    "off CPU s", "on CPU s", "on/off", "us/article", "off wall", "on wall"))
  local ratios_ok = true
  for _, r in ipairs(rows) do
    local per_art = (r.cpu_on - r.cpu_off) / r.n * 1e6
    local ratio = r.cpu_off / r.cpu_on      -- rate with / rate without
    if ratio < 0.8 then ratios_ok = false end
    print(string_format("  %8d %9.2f %9.2f %9.2f %11.0f %9.2f %9.2f", r.n,
      r.cpu_off, r.cpu_on, ratio, per_art, r.wall_off, r.wall_on))
  end
  print("  on/off is articles/s with clustering over articles/s without "
    .. "(target >= 0.8: " .. verdict(ratios_ok) .. "); us/article should "
    .. "stay flat as the corpus grows")

  print("== 2. cluster quality on the synthetic copies (pairwise; a true "
    .. "pair is two pages of one family: an original and its copies)")
  local q_ok = true
  for _, r in ipairs(rows) do
    local s = r.sc
    if s.precision < 0.95 or s.recall < 0.95 then q_ok = false end
    print(string_format("  %8d articles: precision %.4f (%d of %d "
      .. "same-cluster pairs touching a family)  recall %.4f (%d of %d "
      .. "true pairs); %d clusters, %d of them of real pages only (%d "
      .. "pages)", r.n, s.precision, s.found, s.same, s.recall, s.found,
      s.true_pairs, s.clusters, s.stray_clusters, s.stray))
    if s.empty > 0 then
      print(string_format("    %d clustered pages have an empty body "
        .. "(no prose found): they all share one signature", s.empty))
    end
  end
  print("  target precision and recall >= 0.95: " .. verdict(q_ok))

  print("== 3. talking_points{} (min_articles 3, min_words 6) on each "
    .. "set, ingested with clustering on")
  local near, tp_top
  for _, r in ipairs(rows) do
    local t = r.tp
    print(string_format("  %8d articles: %6d rows in %6.2f s CPU, %6.2f s "
      .. "wall", r.n, t.rows, t.cpu, t.wall))
    if not near or math.abs(r.n - 30000) < math.abs(near.n - 30000) then
      near = r
    end
    tp_top = t.top
  end
  if near then
    -- at 30,000 as measured, or projected linearly from the nearest size
    local at30 = near.tp.wall * 30000 / near.n
    print(string_format("  target < 10 s over 30,000 articles: %s (%.2f s "
      .. "wall at %d%s)", verdict(at30 < 10), near.tp.wall, near.n,
      near.n == 30000 and "" or string_format("; %.1f s projected to "
      .. "30,000", at30)))
  end
  for _, line in ipairs(tp_top or {}) do print("    " .. line) end
  if last_kind == "clustering off" then
    print(string_format("  (the largest set, %d pages, was ingested without "
      .. "clustering only)", last_n))
  end
end

local ok, err = xpcall(main, debug.traceback)
if opts.keep then print("temp dir kept: " .. tostring(tmp))
elseif tmp then os_execute("rm -rf " .. sh_quote(tmp)) end
if not ok then
  tmp = nil
  die(1, tostring(err))
end
