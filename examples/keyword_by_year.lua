-- examples/keyword_by_year.lua - report script: how often a keyword or
-- talking point appears, year by year, with keyword-in-context lines and
-- the quotes that carry it.
-- Usage: loupe report DB examples/keyword_by_year.lua [PATTERN [LABEL]]
-- PATTERN is a PCRE2 pattern matched without regard to case (default
-- "cyber[- ]?attacks"); LABEL names it in the report.
local corpus, report, args = ...
local loupe = require "loupe"

local pattern = args[1] or "cyber[- ]?attacks"
local label = args[2] or pattern
local re, err = loupe.regex(pattern, "i")
if not re then error(err, 0) end

local q = corpus:query():regex(re)
local pages = assert(q:count())
local by_year = assert(q:group_by("year"))
local all_years = assert(corpus:query():group_by("year"))
local dated = 0
for _, r in ipairs(by_year) do
  if r.key then dated = dated + 1 end
end

local page = report.page{
  title = "“" .. label .. "” year by year",
  intro = ("Pages whose body matches /%s/i: %d of %d, in %d years%s.")
    :format(pattern, pages, corpus:count(), dated,
      (#by_year > dated) and " (and some undated pages)" or ""),
}

page:chart(report.bar_chart(by_year, {
  title = "Pages mentioning “" .. label .. "” per year",
  xlabel = "year of publication", ylabel = "pages",
}))
page:chart(report.line_chart({
  { name = "all pages", rows = all_years },
  { name = "pages with “" .. label .. "”", rows = by_year },
}, { title = "Share of the coverage", xlabel = "year",
     ylabel = "pages" }))

local rows = {}
local total_by_year = {}
for _, r in ipairs(all_years) do total_by_year[r.key or false] = r.count end
for _, r in ipairs(by_year) do
  local all = total_by_year[r.key or false] or 0
  rows[#rows + 1] = { year = r.key or "undated", pages = r.count,
    of = all, share = all > 0 and ("%d%%"):format(r.count * 100 // all)
      or "" }
end
page:table(rows, { "year",
  { key = "pages", title = "pages", align = "right" },
  { key = "of", title = "of all pages", align = "right" },
  { key = "share", title = "share", align = "right" } })

page:section("In context", "Every occurrence, oldest first.")
local lines = {}
for k in q:order("date"):kwic(re, 48) do lines[#lines + 1] = k end
local outlets = {}
for hit in q:each() do outlets[hit.id] = hit.outlet or hit.credit end
page:kwic(lines, { source = function(k)
  return ((k.date or "undated"):sub(1, 10)) .. " · "
    .. report.cut(outlets[k.id] or "?", 22) .. " #" .. k.id
end })

-- Who voiced it: the quotes whose text matches.
local voiced, count = {}, {}
for qt in corpus:quotes() do
  if qt.text and re:find(qt.text) then
    voiced[#voiced + 1] = qt
    local who = qt.speaker or "(unattributed)"
    count[who] = (count[who] or 0) + 1
  end
end
page:section("Who said it", #voiced .. " quotes contain it.")
local who = {}
for name, c in pairs(count) do who[#who + 1] = { key = name, count = c } end
if #who > 0 then
  page:chart(report.hbar_chart(who, { title = "Quotes by speaker",
    xlabel = "quotes", label = "speaker" }))
end
page:table(voiced, {
  { key = "date", title = "date", format = function(d)
    return d and d:sub(1, 10) or "undated" end },
  "speaker", "kind", { key = "text", title = "quote", max = 200 },
  "outlet",
}, { empty = "No quote carries it." })

return page
