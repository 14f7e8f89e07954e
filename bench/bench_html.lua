-- bench/bench_html.lua: HTML parse throughput of loupe on the HTML of the
-- dev page sets in ../shared (extraction-dev, l3s-dev, dates-dev), against
-- libxml2's HTML parser alone on the same bytes (build/html_baseline, a
-- small C program: htmlReadMemory building the tree, then xmlFreeDoc), in
-- the same run. CPU time, median of rounds. Never needed by `make test`.
-- Usage: lua5.4 bench/bench_html.lua --baseline PATH [--rounds N]
--                                    [--sets a,b] [SHARED_DIR]
-- (`make bench` builds the tree and the baseline and runs it.)

local cjson = require "cjson"

local clock = os.clock
local collectgarbage = collectgarbage
local floor = math.floor
local io_open = io.open
local io_popen = io.popen
local sort = table.sort
local string_format = string.format
local tonumber = tonumber

local MB = 1e6

local function die(code, msg)
  io.stderr:write("bench_html: ", msg, "\n")
  os.exit(code)
end

local function usage(msg)
  die(2, msg .. "\nusage: lua5.4 bench/bench_html.lua --baseline PATH "
    .. "[--rounds N] [--sets extraction-dev,l3s-dev,dates-dev] [SHARED_DIR]")
end

local opts = { shared = "../shared", rounds = 3, baseline = nil,
               sets = { "extraction-dev", "l3s-dev", "dates-dev" } }
do
  local i = 1
  while arg[i] do
    local a = arg[i]
    if a == "--rounds" then
      local v = tonumber(arg[i + 1])
      if not v or v < 1 then usage("--rounds needs a number >= 1") end
      opts.rounds = floor(v)
      i = i + 1
    elseif a == "--baseline" then
      opts.baseline = arg[i + 1] or usage("--baseline needs a path")
      i = i + 1
    elseif a == "--sets" then
      local list = {}
      for s in (arg[i + 1] or ""):gmatch("[^,]+") do list[#list + 1] = s end
      if #list == 0 then usage("--sets needs a list") end
      opts.sets = list
      i = i + 1
    elseif a:sub(1, 1) == "-" then
      usage("unknown option '" .. a .. "'")
    else
      opts.shared = a
    end
    i = i + 1
  end
  if not opts.baseline then usage("--baseline is required") end
end

local function sh_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local loaded, loupe = pcall(require, "loupe")
if not loaded then
  die(1, "cannot load loupe (run `make bench`): "
    .. tostring(loupe):match("^[^\n]*"))
end

-- ------------------------------------------------------------ the pages

local pages, total = {}, 0
for _, set in ipairs(opts.sets) do
  local dir = opts.shared .. "/data/" .. set .. "/html"
  local p = io_popen("ls -1 " .. sh_quote(dir) .. " 2>/dev/null")
  local names = {}
  for name in p:lines() do
    if name:match("%.html%.gz$") then names[#names + 1] = name end
  end
  p:close()
  if #names == 0 then
    die(1, "no *.html.gz pages in " .. dir .. " (pass SHARED_DIR)")
  end
  sort(names)
  for _, name in ipairs(names) do
    local z = io_popen("gzip -dc " .. sh_quote(dir .. "/" .. name))
    local s = z:read("a")
    z:close()
    if s and #s > 0 then
      pages[#pages + 1] = s
      total = total + #s
    end
  end
end

-- the same bytes for the baseline: records "<bytes>\n<page>"
local input = os.tmpname()
do
  local f = assert(io_open(input, "wb"))
  for _, s in ipairs(pages) do f:write(#s, "\n", s) end
  f:close()
end

-- ------------------------------------------------------------ timing

local function median(xs)
  local s = {}
  for k = 1, #xs do s[k] = xs[k] end
  sort(s)
  local n = #s
  if n % 2 == 1 then return s[(n + 1) // 2] end
  return (s[n // 2] + s[n // 2 + 1]) / 2
end

local HTML = { format = "html" }
local HTML_BARE = { format = "html", extract = false }

local function parse_all(o)
  local ok = 0
  for k = 1, #pages do
    if loupe.parse(pages[k], o) then ok = ok + 1 end
  end
  return ok
end

local function time_it(fn)
  collectgarbage("collect")
  local t0 = clock()
  fn()
  return clock() - t0
end

print(string_format("loupe %s HTML bench: %d pages, %.1f MB (%s)",
  loupe._VERSION or "?", #pages, total / MB, table.concat(opts.sets, ", ")))
print(string_format("== CPU time, median of %d rounds", opts.rounds))

local base
do
  local p = io_popen(sh_quote(opts.baseline) .. " " .. sh_quote(input) .. " "
    .. opts.rounds)
  local out = p:read("a")
  p:close()
  local ok, res = pcall(cjson.decode, out or "")
  if not ok or type(res) ~= "table" or not res.median then
    os.remove(input)
    die(1, "the baseline " .. opts.baseline .. " failed: " .. tostring(out))
  end
  base = res
end
os.remove(input)

local parsed = parse_all(HTML)          -- warm-up, and the success count
local t_full, t_bare = {}, {}
for r = 1, opts.rounds do
  t_full[r] = time_it(function() parse_all(HTML) end)
  t_bare[r] = time_it(function() parse_all(HTML_BARE) end)
end
local m_full, m_bare = median(t_full), median(t_bare)

local function mbps(secs) return total / MB / secs end

print(string_format("  %-22s %8.1f MB/s  %d/%d pages (htmlReadMemory + "
  .. "xmlFreeDoc)", "libxml2 parse alone:", mbps(base.median), base.parsed,
  base.pages))
print(string_format("  %-22s %8.1f MB/s  %d/%d pages, %.2f ms a page",
  "loupe.parse (html):", mbps(m_full), parsed, #pages,
  m_full / #pages * 1000))
print(string_format("  %-22s %8.1f MB/s  fields and body only "
  .. "({extract = false})", "loupe.parse, bare:", mbps(m_bare)))
print(string_format("  loupe runs at %.2f of libxml2's parse alone (target "
  .. "at least 0.5); bare %.2f", base.median / m_full, base.median / m_bare))
