-- bench/pathological.lua: time and memory of the parser on hostile pages
-- it writes itself (issue 15): a 100 MB page of ordinary news text, a
-- 2.7 MB page naming 30,000 distinct people, one paragraph of 8 MB, quote
-- marks nested 100,000 deep, and single paragraphs of the sizes that once
-- came out empty. Each page is parsed in a child process (so its peak RSS
-- is its own) and compared with a bare read of the same file in the same
-- child: the figures are ratios, never timed tests. Needs no ../shared.
-- Usage: lua5.4 bench/pathological.lua [--dir DIR] [--only NAME]
--                                      [--big-mb N] [--timeout S] [--keep]
-- Internal: lua5.4 bench/pathological.lua --child FILE [noextract]

local clock = os.clock
local concat = table.concat
local io_open = io.open
local string_format = string.format

local MB = 1024 * 1024

local function die(code, msg)
  io.stderr:write("pathological: ", msg, "\n")
  os.exit(code)
end

local function sh_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local function median(xs)
  local s = {}
  for k = 1, #xs do s[k] = xs[k] end
  table.sort(s)
  local n = #s
  if n % 2 == 1 then return s[(n + 1) // 2] end
  return (s[n // 2] + s[n // 2 + 1]) / 2
end

-- Peak resident set of this process in KiB (Linux), or nil.
local function peak_rss_kib()
  local f = io_open("/proc/self/status", "r")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return tonumber(s:match("VmHWM:%s*(%d+)"))
end

-- ------------------------------------------------------------ child mode
-- Parses FILE (median of up to three runs, fewer when a run is long),
-- notes the peak RSS, then reads FILE bare three times (median) and
-- prints one line of key=value.

if arg[1] == "--child" then
  local path, mode = arg[2], arg[3]
  local loupe = require "loupe"
  local opts = mode == "noextract" and { extract = false } or nil
  local rss0 = peak_rss_kib() or 0
  local t_parse, a, err = {}, nil, nil
  for r = 1, 3 do
    a = nil -- luacheck: ignore 311 (dropped before the next run)
    collectgarbage("collect")
    local t0 = clock()
    a, err = loupe.parse_file(path, opts)
    t_parse[r] = clock() - t0
    if not a then break end
    if t_parse[r] > 10 then break end
  end
  local rss = peak_rss_kib() or 0
  local t_read = {}
  local size = 0
  for r = 1, 3 do
    local t0 = clock()
    local f = assert(io_open(path, "rb"))
    local s = f:read("a")
    f:close()
    t_read[r] = clock() - t0
    size = #s
    collectgarbage("collect")
  end
  if not a then
    print("error=" .. tostring(err):gsub("%s", "_"))
    os.exit(0)
  end
  local nents = a.entities and #a.entities or 0
  print(string_format("read=%.6f parse=%.6f size=%d rss0=%d rss=%d "
    .. "paragraphs=%d body=%d quotes=%d entities=%d",
    median(t_read), median(t_parse), size, rss0, rss,
    #a.paragraphs, #(a.body or ""), #(a.quotes or {}), nents))
  os.exit(0)
end

-- ------------------------------------------------------------- arguments

local opts = { dir = nil, only = nil, big_mb = 100, timeout = 600,
               keep = false }
do
  local i = 1
  while arg[i] do
    local a = arg[i]
    if a == "--dir" then opts.dir = arg[i + 1]; i = i + 1
    elseif a == "--only" then opts.only = arg[i + 1]; i = i + 1
    elseif a == "--big-mb" then
      opts.big_mb = tonumber(arg[i + 1]) or die(2, "--big-mb needs a number")
      i = i + 1
    elseif a == "--timeout" then
      opts.timeout = tonumber(arg[i + 1]) or die(2, "--timeout needs seconds")
      i = i + 1
    elseif a == "--keep" then opts.keep = true
    else die(2, "unknown argument '" .. a .. "'\nusage: lua5.4 bench/"
      .. "pathological.lua [--dir DIR] [--only NAME] [--big-mb N] "
      .. "[--timeout S] [--keep]") end
    i = i + 1
  end
end

local made_dir = false
if not opts.dir then
  opts.dir = os.tmpname()
  os.remove(opts.dir)
  made_dir = true
end
os.execute("mkdir -p " .. sh_quote(opts.dir))

-- ------------------------------------------------------------ generators
-- All text is invented: a fixed seed makes the same pages every run.

local R = math.random

local VOCAB = {}
for w in ([[the minister said on tuesday that officials in the region would
  continue talks about water and energy while critics argued the plan was
  rushed and costly for taxpayers who had already paid for earlier projects
  in several districts according to a report published by the agency last
  week harbour council budget rail bridge schools nurses farmers river
  flooding contract tender inquiry]]):gmatch("%a+") do
  VOCAB[#VOCAB + 1] = w
end
local FIRST = { "Ilse", "Tomas", "Marta", "Oren", "Lidia", "Pavel", "Sanna",
  "Josef", "Anouk", "Bram", "Carys", "Dario", "Elin", "Fenna", "Goran",
  "Hanne", "Ivo", "Jorun", "Kasimir", "Leona" }
local SYL = { "var", "ko", "len", "bru", "sta", "mer", "dov", "ani", "tel",
  "gra", "pol", "rin", "sek", "ula", "bor", "vitz", "den", "hal", "ost",
  "mar", "qui", "zel", "nor", "ebb", "lund", "fra", "tov", "cza", "wen",
  "dri" }

local function sentence(lo, hi)
  local n, w = R(lo, hi), {}
  for k = 1, n do w[k] = VOCAB[R(#VOCAB)] end
  local s = concat(w, " ")
  return s:sub(1, 1):upper() .. s:sub(2)
end

-- The k-th invented surname (k >= 1): distinct for every k below 27,000
-- (three syllables), four syllables beyond.
local function surname(k)
  local n, parts = k, {}
  repeat
    parts[#parts + 1] = SYL[n % #SYL + 1]
    n = n // #SYL
  until n == 0 and #parts >= 2
  local s = concat(parts)
  return s:sub(1, 1):upper() .. s:sub(2)
end

local HEAD = "Harbour plan will proceed, minister says\n\nBy Ines Kallio\n"
  .. "March 3, 2021\n\n"

local function write(name, text)
  local path = opts.dir .. "/" .. name
  local f = assert(io_open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

-- Words of ordinary prose: the function words of news copy, then 4,000
-- invented words, drawn with Zipf's law (the k-th word about 1/k as
-- often), so that like real text most word triples are rare.
local ZIPF
local function zipf_word()
  if not ZIPF then
    local words = {}
    for w in ([[the of and to in a that for on said is was with by as at
      from it his her will would has have be are not this which who they
      its an after were had but been their also more about than over]])
      :gmatch("%a+") do
      words[#words + 1] = w
    end
    for k = 1, 4000 do
      local a, b, c = k % 30 + 1, (k // 30) % 30 + 1, (k // 900) % 30 + 1
      words[#words + 1] = SYL[a] .. SYL[b] .. (k >= 900 and SYL[c] or "")
    end
    ZIPF = {}
    for k, w in ipairs(words) do
      for _ = 1, 4000 // k + 1 do ZIPF[#ZIPF + 1] = w end
    end
  end
  return ZIPF[R(#ZIPF)]
end

local function prose(lo, hi)
  local n, w = R(lo, hi), {}
  for k = 1, n do w[k] = zipf_word() end
  local s = concat(w, " ")
  return s:sub(1, 1):upper() .. s:sub(2)
end

-- Ordinary news text: paragraphs of 2-5 sentences, some quoted with a
-- speaker from a pool of 200 names, some dated, until size bytes.
local function gen_news(size)
  local names = {}
  for k = 1, 200 do names[k] = FIRST[k % #FIRST + 1] .. " " .. surname(k) end
  local parts, n = { HEAD }, #HEAD
  while n < size do
    local para = {}
    for k = 1, R(2, 5) do
      local s = prose(8, 24)
      local x = R()
      if x < 0.25 then
        s = string_format("\"%s,\" said %s.", s, names[R(#names)])
      elseif x < 0.3 then
        s = s .. " on " .. ({ "January", "May", "October" })[R(3)] .. " "
          .. R(1, 28) .. ", " .. R(2015, 2022) .. "."
      else
        s = s .. "."
      end
      para[k] = s
    end
    local p = concat(para, " ") .. "\n\n"
    parts[#parts + 1] = p
    n = n + #p
  end
  return concat(parts)
end

-- 30,000 distinct people, each named once or twice in a sentence of its
-- own, four sentences a paragraph (about 2.7 MB).
local function gen_names(count)
  local parts = { HEAD }
  local para = {}
  for k = 1, count do
    local name = FIRST[k % #FIRST + 1] .. " " .. surname(k + 900)
    local s
    if k % 3 == 0 then
      s = string_format("\"%s,\" said %s.", sentence(7, 11), name)
    else
      s = string_format("%s of the %s board said %s.", name,
        VOCAB[R(#VOCAB)], sentence(6, 10):lower())
    end
    para[#para + 1] = s
    if #para == 4 then
      parts[#parts + 1] = concat(para, " ") .. "\n\n"
      para = {}
    end
  end
  if #para > 0 then parts[#parts + 1] = concat(para, " ") .. "\n" end
  return concat(parts)
end

-- One paragraph of prose without a line break, 20% quoted sentences.
local function gen_oneline(size)
  local names = { "Ilse Brandt", "Oren Maltby", "Marta Vico", "Josef Lind",
    "Anouk Tern" }
  local parts, n = {}, 0
  while n < size do
    local s = sentence(8, 20)
    if R() < 0.2 then
      s = string_format("\"%s,\" said %s", s, names[R(#names)])
    end
    s = s .. ". "
    parts[#parts + 1] = s
    n = n + #s
  end
  local text = concat(parts):sub(1, size)
  return "Minister says plan will proceed\n\nMarch 3, 2021\n\n" .. text
    .. "\n"
end

-- Quote marks nested depth deep in one paragraph, then their closers.
local function gen_nested(depth)
  local opens = { "\u{201C}", "\u{2018}", "\u{AB}", "\"", "'" }
  local closes = { "\u{201D}", "\u{2019}", "\u{BB}", "\"", "'" }
  local a, b = {}, {}
  for k = 1, depth do
    a[k] = opens[(k - 1) % 5 + 1]
    b[depth - k + 1] = closes[(k - 1) % 5 + 1]
  end
  return "Title of the page\n\nHe said " .. concat(a, " x ") .. " deep "
    .. concat(b, " y ") .. " said Ilse Brandt.\n"
end

-- ----------------------------------------------------------------- cases

local cases = {
  { name = "big", what = string_format("%d MB of ordinary news text",
      opts.big_mb), make = function() return gen_news(opts.big_mb * MB) end,
    max_ratio = 20, max_rss = 10 },
  { name = "names30k", what = "30,000 distinct names (about 2.7 MB)",
    make = function() return gen_names(30000) end, max_secs = 2 },
  { name = "oneline8m", what = "one paragraph of 8 MB",
    make = function() return gen_oneline(8 * MB) end, max_secs = 2 },
  { name = "nested100k", what = "quote marks nested 100,000 deep (1 MB)",
    make = function() return gen_nested(100000) end, max_secs = 2 },
}
-- single paragraphs of the sizes where a 16-bit count once wrapped
for _, kb in ipairs { 1280, 1536, 2304, 2560, 3328 } do
  cases[#cases + 1] = { name = "oneline" .. kb .. "k",
    what = string_format("one paragraph of %.2f MB, no extraction",
      kb / 1024), mode = "noextract",
    make = function() return gen_oneline(kb * 1024) end, nonempty = true }
end

local lua = arg[-1] or "lua5.4"
local failed = 0
print(string_format("== pathological pages (%s): parse time against a bare "
  .. "read of the same file, in one child process each", opts.dir))
for ci, c in ipairs(cases) do
  if not opts.only or opts.only == c.name then
    math.randomseed(9, ci)         -- each page the same whatever runs
    local path = write(c.name .. ".txt", c.make())
    collectgarbage("collect")
    local cmd = string_format("timeout %d %s %s --child %s %s 2>&1",
      opts.timeout, sh_quote(lua), sh_quote(arg[0]), sh_quote(path),
      c.mode or "")
    local wall0 = os.time()
    local p = io.popen(cmd)
    local out = p:read("a")
    local ok = p:close()
    local r = {}
    for k, v in out:gmatch("(%w+)=(%S+)") do r[k] = tonumber(v) or v end
    local verdict, text
    if not ok or not r.parse then
      verdict = "FAIL"
      text = (r.error and ("error " .. r.error)) or
        (os.time() - wall0 >= opts.timeout and
          string_format("no result in %d s", opts.timeout))
        or out:gsub("\n", " "):sub(1, 200)
    else
      local ratio = r.parse / math.max(r.read, 1e-6)
      local rss = r.rss * 1024 / r.size
      local good = true
      if c.max_ratio and ratio >= c.max_ratio then good = false end
      if c.max_rss and rss >= c.max_rss then good = false end
      if c.max_secs and r.parse >= c.max_secs then good = false end
      if c.nonempty and (r.paragraphs == 0 or r.body == 0) then
        good = false
      end
      verdict = good and "ok" or "FAIL"
      text = string_format("%.1f MB: parse %.3f s = %.1f x read (%.4f s); "
        .. "peak RSS %.0f MB = %.1f x size; %d paragraphs, %d quotes, %d "
        .. "entities", r.size / MB, r.parse, ratio, r.read, r.rss / 1024,
        rss, r.paragraphs, r.quotes, r.entities)
    end
    if verdict ~= "ok" then failed = failed + 1 end
    print(string_format("  %-4s %-12s %s\n       %s", verdict, c.name, c.what,
      text))
    io.stdout:flush()
    if not opts.keep then os.remove(path) end
  end
end
if made_dir and not opts.keep then os.remove(opts.dir) end
print(string_format("  targets: big < 20 x read and < 10 x size in RSS; "
  .. "names30k, oneline8m, nested100k < 2 s; no empty body. %d missed",
  failed))
