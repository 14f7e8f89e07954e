-- bench/bench.lua: parse throughput of loupe on the extraction-dev text
-- dumps from ../shared, against merely reading and UTF-8-validating the
-- same bytes, in one process (CPU time from os.clock, median of rounds);
-- then on one large synthetic page. Never needed by `make test`.
-- Usage: lua5.4 bench/bench.lua [--rounds N] [--big-mb N] [--no-hyperfine]
--                               [SHARED_DIR]
-- (`make bench` builds the tree and runs it with LUA_PATH/LUA_CPATH set.)

local clock = os.clock
local collectgarbage = collectgarbage
local concat = table.concat
local floor = math.floor
local io_open = io.open
local io_popen = io.popen
local sort = table.sort
local string_format = string.format
local tonumber = tonumber
local utf8_len = utf8.len

local MB = 1e6              -- MB here is 10^6 bytes
local MIN_SAMPLE = 0.05     -- seconds one timed sample should last at least

local function die(code, msg)
  io.stderr:write("bench: ", msg, "\n")
  os.exit(code)
end

local function usage(msg)
  die(2, msg .. "\nusage: lua5.4 bench/bench.lua [--rounds N] [--big-mb N]"
    .. " [--no-hyperfine] [SHARED_DIR]")
end

-- ------------------------------------------------------------- arguments

local opts = { shared = "../shared", rounds = 7, big_mb = 50,
               hyperfine = true, once = nil }
do
  local i = 1
  local function number_arg(name)
    local v = tonumber(arg[i + 1])
    if not v or v < 1 then usage(name .. " needs a number >= 1") end
    i = i + 1
    return floor(v)
  end
  local positional = 0
  while arg[i] do
    local a = arg[i]
    if a == "--rounds" then opts.rounds = number_arg(a)
    elseif a == "--big-mb" then opts.big_mb = number_arg(a)
    elseif a == "--no-hyperfine" then opts.hyperfine = false
    elseif a == "--once" then
      -- internal: one whole pass, used as the command hyperfine times
      opts.once = arg[i + 1]
      if opts.once ~= "read" and opts.once ~= "parse" then
        usage("--once needs 'read' or 'parse'")
      end
      i = i + 1
    elseif a:sub(1, 1) == "-" then usage("unknown option '" .. a .. "'")
    else
      positional = positional + 1
      if positional > 1 then usage("more than one SHARED_DIR given") end
      opts.shared = a
    end
    i = i + 1
  end
end

local dev = opts.shared .. "/data/extraction-dev/text"

local function sh_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local function read_file(path)
  local f, err = io_open(path, "rb")
  if not f then die(1, err) end
  local s, rerr = f:read("a")
  f:close()
  if not s then die(1, path .. ": " .. tostring(rerr)) end
  return s
end

-- The page files, sorted; exits with a clear message when shared is missing.
local function list_pages()
  local probe = io_open(opts.shared, "rb")
  if not probe then
    die(1, "shared directory '" .. opts.shared .. "' not found (pass "
      .. "SHARED_DIR; `make bench` runs from the tree, next to ../shared)")
  end
  probe:close()
  local p = io_popen("ls -1 " .. sh_quote(dev) .. " 2>/dev/null")
  local paths = {}
  for name in p:lines() do
    if name:match("%.txt$") then paths[#paths + 1] = dev .. "/" .. name end
  end
  p:close()
  if #paths == 0 then die(1, "no *.txt text dumps in " .. dev) end
  sort(paths)
  return paths
end

local paths = list_pages()

local loaded, loupe = pcall(require, "loupe")
if not loaded then
  die(1, "cannot load loupe (run `make bench`, which builds the tree and "
    .. "sets LUA_PATH and LUA_CPATH): " .. tostring(loupe):match("^[^\n]*"))
end

-- ------------------------------------------------------- the timed passes

local function read_all()
  local n = 0
  for k = 1, #paths do
    local f = io_open(paths[k], "rb")
    n = n + #f:read("a")
    f:close()
  end
  return n
end

local function validate_all(pages)
  local valid = 0
  for k = 1, #pages do
    if utf8_len(pages[k], 1, -1, false) then valid = valid + 1 end
  end
  return valid
end

local NO_EXTRACT = { extract = false }

local function parse_all(pages, opts_)
  local ok = 0
  for k = 1, #pages do
    if loupe.parse(pages[k], opts_) then ok = ok + 1 end
  end
  return ok
end

-- Internal mode for hyperfine: one whole pass in a fresh process.
if opts.once then
  local pages = {}
  for k = 1, #paths do pages[k] = read_file(paths[k]) end
  if opts.once == "read" then validate_all(pages) else parse_all(pages) end
  os.exit(0)
end

-- CPU seconds of one call of fn, run reps times in a row (fast passes are
-- repeated so that one sample lasts long enough for os.clock). Garbage
-- left by an earlier pass is collected first, so each pass pays only for
-- its own.
local function time_it(fn, reps)
  collectgarbage("collect")
  local t0 = clock()
  for _ = 1, reps do fn() end
  return (clock() - t0) / reps
end

-- How many repetitions make one sample of fn last MIN_SAMPLE seconds.
local function calibrate(fn)
  local t = time_it(fn, 1)
  if t <= 0 then t = 1e-4 end
  local reps = math.ceil(MIN_SAMPLE / t)
  return reps < 1 and 1 or reps
end

local function median(xs)
  local s = {}
  for k = 1, #xs do s[k] = xs[k] end
  sort(s)
  local n = #s
  if n % 2 == 1 then return s[(n + 1) // 2] end
  return (s[n // 2] + s[n // 2 + 1]) / 2
end

local function range(xs)
  local lo, hi = math.huge, -math.huge
  for k = 1, #xs do
    if xs[k] < lo then lo = xs[k] end
    if xs[k] > hi then hi = xs[k] end
  end
  return lo, hi
end

-- "12.3 MB/s" from bytes and seconds.
local function mbps(bytes, secs)
  return bytes / MB / secs
end

local function line(label, text)
  print(string_format("  %-15s %s", label .. ":", text))
end

-- ------------------------------------------------------- 1. dev pages

local pages, total = {}, 0
for k = 1, #paths do
  pages[k] = read_file(paths[k])
  total = total + #pages[k]
end
local npages = #pages

print(string_format("loupe %s bench: %d pages, %.2f MB (%s)",
  loupe._VERSION or "?", npages, total / MB, dev))
print(string_format("== dev pages, in process: CPU time (os.clock), "
  .. "median of %d rounds", opts.rounds))

local n_valid = validate_all(pages)
local n_parsed = parse_all(pages)       -- warm-up, and the success count
local reps_read = calibrate(read_all)
local reps_valid = calibrate(function() return validate_all(pages) end)

local t_read, t_valid, t_base, t_parse, t_bare = {}, {}, {}, {}, {}
for r = 1, opts.rounds do
  t_read[r] = time_it(read_all, reps_read)
  t_valid[r] = time_it(function() return validate_all(pages) end, reps_valid)
  t_base[r] = t_read[r] + t_valid[r]
  t_parse[r] = time_it(function() return parse_all(pages) end, 1)
  t_bare[r] = time_it(function() return parse_all(pages, NO_EXTRACT) end, 1)
end

local m_read, m_valid = median(t_read), median(t_valid)
local m_base, m_parse = median(t_base), median(t_parse)
local lo, hi = range(t_parse)

line("read", string_format("%8.1f MB/s  io.open + read(\"a\") per file, "
  .. "page cache (x%d per sample)", mbps(total, m_read), reps_read))
line("validate", string_format("%8.1f MB/s  utf8.len(text, 1, -1, false); "
  .. "%d/%d valid (x%d per sample)", mbps(total, m_valid), n_valid, npages,
  reps_valid))
line("read+validate", string_format("%8.1f MB/s  the baseline",
  mbps(total, m_base)))
line("parse", string_format("%8.1f MB/s, %.0f pages/s (median of %d "
  .. "rounds; range %.1f-%.1f MB/s)", mbps(total, m_parse), npages / m_parse,
  opts.rounds, mbps(total, hi), mbps(total, lo)))
print(string_format("  parse costs %.1f x read+validate, %.1f x validate "
  .. "alone; %.2f ms per page; %d/%d parsed", m_parse / m_base,
  m_parse / m_valid, m_parse / npages * 1000, n_parsed, npages))
local m_bare = median(t_bare)
line("parse, bare", string_format("%8.1f MB/s  fields and body only "
  .. "({extract = false})", mbps(total, m_bare)))
print(string_format("  quotes, speakers and entities add %.0f%% to the bare "
  .. "parse (target at most 50%%)", (m_parse / m_bare - 1) * 100))

-- ------------------------------------------------------- 2. one huge page

do
  local want = opts.big_mb * MB
  local copies = math.max(1, math.ceil(want / total))
  local big = concat(pages, "\n\n")
  big = string.rep(big, copies, "\n\n")
  local size = #big
  local runs = 3
  print(string_format("== one large input: the dev pages %d times in one "
    .. "string, %.1f MB", copies, size / MB))
  local tv, tp = {}, {}
  local art, err
  for r = 1, runs do
    tv[r] = time_it(function() return utf8_len(big, 1, -1, false) end, 1)
    collectgarbage("collect")
    local t0 = clock()
    art, err = loupe.parse(big)
    tp[r] = clock() - t0
    if not art then
      die(1, "parse of the large input failed: " .. tostring(err))
    end
  end
  local mv, mp = median(tv), median(tp)
  lo, hi = range(tp)
  line("validate", string_format("%8.1f MB/s", mbps(size, mv)))
  line("parse", string_format("%8.1f MB/s (median of %d runs; range "
    .. "%.1f-%.1f MB/s)", mbps(size, mp), runs, mbps(size, hi),
    mbps(size, lo)))
  print(string_format("  parse costs %.1f x validate; %.0f%% of the "
    .. "dev-page throughput; %d paragraphs kept", mp / mv,
    100 * mbps(size, mp) / mbps(total, m_parse), #art.paragraphs))
end

-- ------------------------------------------------- 3. whole commands

if opts.hyperfine then
  local have = os.execute("command -v hyperfine >/dev/null 2>&1")
  if not have then
    print("== whole command: hyperfine is not installed, skipped "
      .. "(make bench-deps)")
  else
    -- arg[-1] is the interpreter, arg[0] this script; LUA_PATH_5_4 and
    -- LUA_CPATH_5_4 are inherited, so the child sees the same tree.
    local lua = arg[-1] or "lua5.4"
    local function cmd(mode)
      return sh_quote(lua) .. " " .. sh_quote(arg[0]) .. " --once " .. mode
        .. " " .. sh_quote(opts.shared)
    end
    print("== whole command (hyperfine, wall time; process start, "
      .. "module load and file reads included)")
    io.stdout:flush()
    local ok = os.execute("hyperfine --style basic -N --warmup 1 --runs 10 "
      .. "-n read+validate " .. sh_quote(cmd("read"))
      .. " -n read+parse " .. sh_quote(cmd("parse")))
    if not ok then print("  hyperfine failed; its output is above") end
  end
end
