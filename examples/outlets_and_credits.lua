-- examples/outlets_and_credits.lua - report script: which outlets ran
-- the stories, and which agencies (credits) they came from: top-N bars,
-- an outlet-by-credit table and the list of credited (wire) pages.
-- Usage: loupe report DB examples/outlets_and_credits.lua [N]
local corpus, report, args = ...

local top = math.tointeger(tonumber(args[1] or "12")) or 12
local q = corpus:query()
local outlets = assert(q:group_by("outlet"))
local credits = assert(q:group_by("credit"))

-- named outlets, and articles that credit an agency
local named, credited = 0, 0
for _, r in ipairs(outlets) do
  if r.key then named = named + 1 end
end
for _, r in ipairs(credits) do
  if r.key then credited = credited + r.count end
end

local page = report.page{
  title = "Outlets and credits",
  intro = ("%d articles from %d named outlets; %d credit an agency.")
    :format(corpus:count(), named, credited),
}

page:chart(report.hbar_chart(outlets, { title = "Articles per outlet",
  top = top, xlabel = "articles", label = "outlet",
  missing = "(outlet not stated)" }))
page:chart(report.hbar_chart(credits, { title = "Articles per credit",
  top = top, xlabel = "articles", label = "credit",
  missing = "(no credit)", color = report.PALETTE[2] }))

-- outlet x credit
local cells, credit_names, seen = {}, {}, {}
local wire = {}
for a in corpus:articles() do
  local o = a.outlet or "(outlet not stated)"
  local c = a.credit or "(own)"
  cells[o] = cells[o] or { outlet = o, total = 0 }
  cells[o][c] = (cells[o][c] or 0) + 1
  cells[o].total = cells[o].total + 1
  if not seen[c] then
    seen[c] = true
    credit_names[#credit_names + 1] = c
  end
  if a.credit then wire[#wire + 1] = a end
end
table.sort(credit_names, function(x, y)
  if x == "(own)" then return false end
  if y == "(own)" then return true end
  return x < y
end)
local rows = {}
for _, r in pairs(cells) do rows[#rows + 1] = r end
table.sort(rows, function(x, y)
  if x.total ~= y.total then return x.total > y.total end
  return x.outlet < y.outlet
end)
local cols = { { key = "outlet", title = "outlet" } }
for _, c in ipairs(credit_names) do
  cols[#cols + 1] = { key = c, title = c, align = "right" }
end
cols[#cols + 1] = { key = "total", title = "total", align = "right" }
page:section("Outlet by credit", "How many articles each outlet "
  .. "printed under each agency's credit; “(own)” is uncredited copy.")
page:table(rows, cols)

page:section("Credited pages", "Articles that name an agency, oldest "
  .. "first: the same credit on several outlets on the same day is "
  .. "usually one wire story reprinted.")
page:table(wire, {
  { key = "date", title = "date", format = function(d)
    return d and d:sub(1, 10) or "undated" end },
  "credit", "outlet", "dateline", { key = "title", title = "title",
    max = 90 },
  { key = "id", title = "id", align = "right" },
})

return page
