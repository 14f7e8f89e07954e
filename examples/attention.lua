-- examples/attention.lua - report script: the attention a subject gets,
-- month by month, as a share of all the articles of each month (as Media
-- Cloud draws it), with the words that set its articles apart and
-- keyword-in-context lines.
-- Usage: loupe report DB examples/attention.lua [QUERY [PERIOD]]
-- QUERY is in the search language (default "cyber*"); PERIOD is day,
-- week, month (default) or year.
local corpus, report, args = ...

local text = args[1] or "cyber*"
local period = args[2] or "month"
local q = corpus:query(text)
local rows = assert(q:count_by(period, { share = true }))
local n = assert(q:count())

local page = report.page{
  title = "Attention to “" .. text .. "”",
  intro = ("%d of %d articles match; each bar is the share of the "
    .. "articles of its %s."):format(n, corpus:count(), period),
}
for _, r in ipairs(rows) do r.percent = 100 * r.share end
page:chart(report.bar_chart(rows, { value = "percent", ylabel = "% of "
  .. "articles", xlabel = period, title = "Share of coverage" }))
page:table(rows, { "key", { key = "count", align = "right" },
  { key = "total", align = "right" },
  { key = "percent", align = "right",
    format = function(v) return ("%.1f%%"):format(v) end } })

if n > 0 then
  local key = assert(corpus:keyness(q, nil, { measure = "ll", limit = 20 }))
  page:section("Words that set these articles apart (log-likelihood)")
  page:table(key, { "feature", { key = "target", align = "right" },
    { key = "reference", align = "right" },
    { key = "ll", align = "right",
      format = function(v) return ("%.1f"):format(v) end } })
  local lines = {}
  for k in q:limit(50):kwic(nil, 50) do
    lines[#lines + 1] = k
    if #lines >= 30 then break end
  end
  page:section("In context")
  page:kwic(lines)
end
return page
