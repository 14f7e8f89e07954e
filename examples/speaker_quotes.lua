-- examples/speaker_quotes.lua - report script: everything one speaker
-- is quoted as saying, with their labels (short quoted phrases), quotes
-- per year and the outlets that carried them.
-- Usage: loupe report DB examples/speaker_quotes.lua [NAME]
-- NAME is a full name or an unambiguous surname (default: the most
-- quoted speaker).
local corpus, report, args = ...

local speakers = assert(corpus:speakers())
local want = args[1] or (speakers[1] and speakers[1].name)
if not want then
  return report.page{ title = "Quotes", intro = "The corpus has no quotes." }
end

local list, by_year, by_outlet = {}, {}, {}
for q in corpus:quotes{ speaker = want } do
  list[#list + 1] = q
  local y = q.date and q.date:sub(1, 4) or false
  by_year[y] = (by_year[y] or 0) + 1
  local o = q.outlet or "(outlet not stated)"
  by_outlet[o] = (by_outlet[o] or 0) + 1
end

-- the stored name and role (the speaker row matching the quotes found)
local who = { name = want }
for _, s in ipairs(speakers) do
  if list[1] and s.name == list[1].speaker then who = s end
end

local page = report.page{
  title = "Quotes of " .. who.name,
  intro = (who.role and (who.role .. ". ") or "")
    .. ("%d quotes%s."):format(#list, who.first and (", "
      .. who.first:sub(1, 10) .. " to " .. who.last:sub(1, 10)) or ""),
}
if #list == 0 then
  page:text("No quote is attributed to “" .. want .. "”.")
  return page
end

local years, outlets = {}, {}
for y, c in pairs(by_year) do
  years[#years + 1] = { key = y or nil, count = c }
end
table.sort(years, function(a, b)
  return (a.key or "9999") < (b.key or "9999")
end)
for o, c in pairs(by_outlet) do outlets[#outlets + 1] = { key = o,
  count = c } end
page:chart(report.bar_chart(years, { title = "Quotes per year",
  xlabel = "year", ylabel = "quotes", color = report.PALETTE[3] }))
page:chart(report.hbar_chart(outlets, { title = "Outlets quoting "
  .. who.name, xlabel = "quotes", label = "outlet" }))

local labels = {}
for _, q in ipairs(list) do
  if q.kind == "phrase" then
    labels[#labels + 1] = "“" .. q.text .. "” (" .. (q.date or "undated")
      :sub(1, 10) .. ", " .. (q.outlet or q.title or "?") .. ")"
  end
end
if #labels > 0 then
  page:section("Labels", "Short phrases quoted from " .. who.name .. ".")
  page:list(labels)
end

page:section("All quotes", "Oldest first; “reported” is indirect "
  .. "speech, “phrase” a short quoted label.")
page:table(list, {
  { key = "date", title = "date", format = function(d)
    return d and d:sub(1, 10) or "undated" end },
  "kind", { key = "text", title = "quote" }, "cue", "outlet",
  { key = "article_id", title = "article", align = "right" },
})

return page
