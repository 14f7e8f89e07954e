-- examples/demo.lua: what `make demo` runs. Parses every page of the
-- bundled sample corpus (examples/corpus/YEAR/*.txt) and prints a report:
-- one row per page, then pages per year, per outlet and per credited agency.
-- Usage: lua5.4 examples/demo.lua [CORPUS_DIR]
local loupe = require "loupe"

local dir = arg[1] or "examples/corpus"

local function list_pages(root)
  local pages = {}
  local p = assert(io.popen("find '" .. root:gsub("'", "'\\''")
    .. "' -type f -name '*.txt' | LC_ALL=C sort"))
  for path in p:lines() do pages[#pages + 1] = path end
  p:close()
  return pages
end

local function cut(s, n)
  s = s or "-"
  if utf8.len(s) and utf8.len(s) > n then
    return s:sub(1, utf8.offset(s, n)) .. "…"
  end
  return s
end

local function tally(t, k) t[k or "-"] = (t[k or "-"] or 0) + 1 end

local function print_tally(title, t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  print("\n" .. title)
  for _, k in ipairs(keys) do print(("  %-28s %3d"):format(k, t[k])) end
end

local pages = list_pages(dir)
if #pages == 0 then
  io.stderr:write("demo: no pages under " .. dir .. "\n")
  os.exit(1)
end

print(("loupe %s: %d pages under %s\n"):format(loupe._VERSION, #pages, dir))
print(("%-17s %-22s %-20s %-5s %s"):format("date", "outlet", "credit",
  "paras", "title"))
local years, outlets, credits, failed = {}, {}, {}, 0
for _, path in ipairs(pages) do
  local a, err = loupe.parse_file(path)
  if not a then
    failed = failed + 1
    print("  " .. err)
  else
    print(("%-17s %-22s %-20s %5d %s"):format(a.date or "-",
      cut(a.outlet, 20), cut(a.credit, 18), #a.paragraphs, cut(a.title, 60)))
    tally(years, a.date and a.date:sub(1, 4))
    tally(outlets, a.outlet)
    tally(credits, a.credit)
  end
end
print_tally("pages per year", years)
print_tally("pages per outlet", outlets)
print_tally("pages per credited agency", credits)
if failed > 0 then
  print(("\n%d pages could not be parsed"):format(failed))
  os.exit(1)
end
