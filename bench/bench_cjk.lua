-- bench/bench_cjk.lua: ingest cost of Chinese pages against English pages
-- of the same size (issue 14: "within 20%").
--
-- Takes the foreign ministry's briefing pages in both languages
-- (../shared/data/mfa-spokesperson-2016-2020, whole-page `page_text`),
-- the first pages of each until both hold the same number of bytes, writes
-- them as files and ingests each set into a new corpus, one worker thread
-- (the CPU of one process is the figure; threads would only add noise).
-- The two ingests alternate, --runs times; the figure is the median CPU
-- seconds a megabyte, and the Chinese/English ratio of those medians.
--
-- Usage: lua5.4 bench/bench_cjk.lua [--shared DIR] [--mb N] [--runs N]

local here = arg[0]:match("^(.*/)") or "./"
local lib = dofile(here .. "benchlib.lua")

local os_clock, os_remove, os_tmpname = os.clock, os.remove, os.tmpname
local string_format, table_sort, tonumber = string.format, table.sort, tonumber

local opts = { shared = "../shared", mb = 4, runs = 5 }
do
  local i = 1
  while i <= #arg do
    local a, v = arg[i], arg[i + 1]
    if a == "--shared" and v then opts.shared = v
    elseif a == "--mb" and tonumber(v) then opts.mb = tonumber(v)
    elseif a == "--runs" and tonumber(v) then opts.runs = tonumber(v)
    else
      io.stderr:write("usage: bench_cjk.lua [--shared DIR] [--mb N] "
        .. "[--runs N]\nbench_cjk.lua: bad argument '" .. tostring(a)
        .. "'\n")
      os.exit(2)
    end
    i = i + 2
  end
end

local ok_l, loupe = pcall(require, "loupe")
local ok_j, cjson = pcall(require, "cjson")
if not (ok_l and ok_j) then
  io.stderr:write("bench_cjk.lua: cannot load loupe or cjson (run it "
    .. "from `make bench`, which sets LUA_PATH and LUA_CPATH)\n")
  os.exit(1)
end

local DATA = opts.shared .. "/data/mfa-spokesperson-2016-2020/"
local budget = math.floor(opts.mb * 1e6)

-- Writes pages of FILE into folder dir until `budget` bytes; returns the
-- bytes and pages written.
local function write_pages(file, dir)
  local p = assert(io.popen("gzip -dc " .. lib.sh_quote(DATA .. file)))
  local bytes, n = 0, 0
  for line in p:lines() do
    local text = cjson.decode(line).page_text
    if type(text) == "string" and text ~= "" then
      if bytes + #text > budget then break end
      n = n + 1
      lib.write_file(string_format("%s/p%04d.txt", dir, n), text)
      bytes = bytes + #text
    end
  end
  p:close()
  return bytes, n
end

local root = os_tmpname()
os_remove(root)
assert(os.execute("mkdir -p " .. lib.sh_quote(root .. "/zh") .. " "
  .. lib.sh_quote(root .. "/en")))

local sets = {
  { name = "Chinese", file = "mfa_zh.jsonl.gz", dir = root .. "/zh" },
  { name = "English", file = "mfa_en.jsonl.gz", dir = root .. "/en" },
}
for _, s in ipairs(sets) do
  s.bytes, s.pages = write_pages(s.file, s.dir)
  s.cpu = {}
end

-- CPU seconds of one ingest of set s into a new corpus.
local function ingest(s)
  local db = root .. "/" .. s.name .. ".db"
  os_remove(db)
  local c0 = os_clock()
  local c = assert(loupe.open(db))
  local r = assert(c:ingest({ s.dir }, { threads = 0 }))
  c:close()
  local cpu = os_clock() - c0
  assert(r.added == s.pages, s.name .. ": not every page was added")
  os_remove(db)
  return cpu
end

for _ = 1, opts.runs do
  for _, s in ipairs(sets) do s.cpu[#s.cpu + 1] = ingest(s) end
end

local function median(t)
  table_sort(t)
  local n = #t
  return n % 2 == 1 and t[(n + 1) / 2] or (t[n / 2] + t[n / 2 + 1]) / 2
end

print(string_format("== Chinese against English ingest, foreign-ministry "
  .. "briefings of the same size, median of %d runs (CPU, one thread)",
  opts.runs))
local per_mb = {}
for _, s in ipairs(sets) do
  local m = median(s.cpu)
  per_mb[s.name] = m / (s.bytes / 1e6)
  print(string_format("   %-8s %4d pages %6.2f MB  %6.3f s  %6.3f s/MB",
    s.name, s.pages, s.bytes / 1e6, m, per_mb[s.name]))
end
print(string_format("   Chinese / English, a megabyte: %.2f (target: at most "
  .. "1.20)", per_mb.Chinese / per_mb.English))

os.execute("rm -rf " .. lib.sh_quote(root))
