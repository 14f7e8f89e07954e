-- examples/demo.lua: what `make demo` runs. Ingests the bundled sample
-- corpus (examples/corpus/YEAR/*.txt) into a corpus file and prints a
-- report: the pages as parsed, pages per year and outlet, and how one
-- talking point recurs over the years, with keyword-in-context lines.
-- Usage: lua5.4 examples/demo.lua [CORPUS_FILE [PAGES_GLOB]]
local loupe = require "loupe"

local db_path = arg[1] or "build/demo.loupe"
local pages = arg[2] or "examples/corpus/*/*.txt"

local function cut(s, n)
  s = s or "-"
  if (utf8.len(s) or 0) > n then
    return s:sub(1, utf8.offset(s, n) - 1) .. "…"
  end
  return s
end

os.remove(db_path)
os.remove(db_path .. "-wal")
os.remove(db_path .. "-shm")
local corpus <close> = assert(loupe.open(db_path))
local summary = assert(corpus:ingest(pages))
print(("loupe %s: ingested %d pages from %s into %s"):format(loupe._VERSION,
  summary.files, pages, db_path))
print(("  added %d, updated %d, unchanged %d, failed %d\n"):format(
  summary.added, summary.updated, summary.unchanged, #summary.failed))
for _, f in ipairs(summary.failed) do print("  failed: " .. f.error) end

print(("%-25s %-24s %-12s %s"):format("date", "outlet", "credit", "title"))
for a in corpus:articles() do
  print(("%-25s %-24s %-12s %s"):format(a.date or "-", cut(a.outlet, 22),
    cut(a.credit, 10), cut(a.title, 58)))
end

print("\npages per year")
for _, r in ipairs(corpus:query():group_by("year")) do
  print(("  %-8s %s"):format(r.key or "undated", ("#"):rep(r.count)))
end

print("\npages per outlet")
for _, r in ipairs(corpus:query():group_by("outlet")) do
  print(("  %-28s %d"):format(r.key or "(not stated)", r.count))
end

local point = loupe.regex("largest source of cyber[- ]?attacks", "i")
local q = corpus:query():regex(point)
print(("\n'largest source of cyber attacks': %d pages"):format(q:count()))
for _, r in ipairs(q:group_by("year")) do
  print(("  %-8s %s"):format(r.key or "undated", ("#"):rep(r.count)))
end
print("\nin context")
for k in q:order("date"):kwic(point, 40) do
  print(("  %-10s %40s[%s]%s"):format((k.date or "-"):sub(1, 10),
    k.left, k.match, k.right))
end
