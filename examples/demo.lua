-- examples/demo.lua: what `make demo` runs. Ingests the bundled sample
-- corpus (examples/corpus/YEAR/*.txt), prints a short summary checked
-- against the corpus README's ground truth, and writes one HTML report
-- built by the example report scripts (who said what, a talking point by
-- year, outlets and credits, one speaker's quotes).
-- Usage: lua5.4 examples/demo.lua [CORPUS_FILE [REPORT_FILE]]
local loupe = require "loupe"
local report = require "loupe.report"

local db_path = arg[1] or "build/demo.loupe"
local out_path = arg[2] or "build/demo-report.html"
local pages = "examples/corpus/*/*.txt"
local here = (arg[0] or ""):match("^(.*)/[^/]*$") or "examples"

-- s cut to n characters and padded to n (UTF-8 aware, unlike %-24s)
local function cell(s, n)
  s = s or "-"
  local len = utf8.len(s) or #s
  if len > n then return s:sub(1, utf8.offset(s, n) - 1) .. "…" end
  return s .. (" "):rep(n - len)
end

for _, suffix in ipairs({ "", "-wal", "-shm" }) do
  os.remove(db_path .. suffix)
end
local corpus <close> = assert(loupe.open(db_path))
local summary = assert(corpus:ingest(pages))
print(("loupe %s: ingested %d pages from %s into %s"):format(loupe._VERSION,
  summary.files, pages, db_path))
print(("  added %d, updated %d, unchanged %d, failed %d\n"):format(
  summary.added, summary.updated, summary.unchanged, #summary.failed))
for _, f in ipairs(summary.failed) do print("  failed: " .. f.error) end

print(("%-11s %-24s %-12s %s"):format("date", "outlet", "credit", "title"))
for a in corpus:articles() do
  print(("%-11s %s %s %s"):format((a.date or "-"):sub(1, 10),
    cell(a.outlet, 24), cell(a.credit, 12), cell(a.title, 50)))
end

-- The talking point, checked against examples/corpus/README.md: 11 pages
-- in 9 years (the undated 2022 page counts by its folder there).
local tp = "largest source of cyber[- ]?attacks"
local q = corpus:query():regex(loupe.regex(tp, "i"))
local years, undated = 0, 0
for _, r in ipairs(q:group_by("year")) do
  if r.key then years = years + 1 else undated = undated + r.count end
end
print(("\ntalking point /%s/i: %d pages in %d years + %d undated "
  .. "(ground truth: 11 pages in 9 years)"):format(tp, q:count(), years,
  undated))
local speakers = corpus:speakers()
print(("speakers: %d; most quoted: %s"):format(#speakers,
  table.concat((function()
    local t = {}
    for i = 1, math.min(3, #speakers) do
      t[i] = speakers[i].name .. " (" .. speakers[i].quotes .. ")"
    end
    return t
  end)(), ", ")))

-- The HTML report: each example script makes a page; they become the
-- sections of one.
local page = report.page{
  title = "loupe demo: the sample corpus",
  intro = ("%d invented news pages (2015-2025) from examples/corpus, "
    .. "ingested into %s. Sections below come from the report scripts "
    .. "in examples/ and can be run alone with `loupe report`.")
    :format(corpus:count(), db_path),
}
local scripts = {
  { "who_said_what.lua" },
  { "keyword_by_year.lua", tp, "largest source of cyber attacks" },
  { "outlets_and_credits.lua" },
  { "speaker_quotes.lua", "Tomas Varga" },
}
for _, s in ipairs(scripts) do
  local args = { db = db_path, table.unpack(s, 2) }
  local sub = assert(report.run_script(here .. "/" .. s[1], corpus, args))
  page:include(sub)
end
assert(page:write(out_path))
print(("\nreport: %s (open it in a browser)"):format(out_path))
