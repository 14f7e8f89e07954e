-- examples/who_said_what.lua - report script: who said what over time. A
-- timeline with the most quoted people on rows and each quote as a dot
-- at its date, the speakers' roles and spans, and the quotes of each.
-- Usage: loupe report DB examples/who_said_what.lua [N [M]] -o who.html
-- (N: speakers on the timeline, default 8; M: how many of them get a
-- table of their quotes, default 3.)
local corpus, report, args = ...

local function count_arg(i, default)
  local n = math.tointeger(tonumber(args[i] or default))
  if not n or n < 0 then
    error("who_said_what.lua: argument " .. i .. " must be a "
      .. "non-negative integer, got " .. tostring(args[i]), 0)
  end
  return n
end
local n, m = count_arg(1, "8"), count_arg(2, "3")

-- Speakers who are people: the quote finder also attributes quotes to
-- organisations and reports ("the report said"); the entity list tells
-- which names are people.
local people = {}
for _, e in ipairs(assert(corpus:entities{ kind = "person" })) do
  people[e.name] = true
end
local speakers = {}
for _, s in ipairs(assert(corpus:speakers())) do
  if people[s.name] and #speakers < n then speakers[#speakers + 1] = s end
end

local page = report.page{
  title = "Who said what, and when",
  intro = ("The %d most quoted people in %s (%d articles): each dot is "
    .. "one quote, placed at the date of the article that printed it."
    ):format(#speakers, args.db or "the corpus", corpus:count()),
}

local names, quotes_of = {}, {}
for i, s in ipairs(speakers) do
  names[i] = s.name
  quotes_of[s.name] = {}
end
local points = {}
-- (a list filter must not be empty: with no speakers there is nothing to read)
if #names > 0 then
  for q in corpus:quotes{ speaker = names } do
    if quotes_of[q.speaker] then
      points[#points + 1] = q
      table.insert(quotes_of[q.speaker], q)
    end
  end
end

page:chart(report.timeline(points, {
  title = "Quotes by speaker over time",
  speakers = names,
}), { caption = "Hover over a dot for the quote. Blue: direct quotes; "
  .. "orange: reported speech; red: short quoted phrases (labels)." })

local rows = {}
for _, s in ipairs(speakers) do
  rows[#rows + 1] = {
    name = s.name, role = s.role, quotes = s.quotes,
    first = (s.first or ""):sub(1, 10), last = (s.last or ""):sub(1, 10),
    outlets = #s.outlets,
  }
end
page:table(rows, {
  { key = "name", title = "speaker" }, "role",
  { key = "quotes", title = "quotes", align = "right" },
  { key = "first", title = "first quoted" },
  { key = "last", title = "last quoted" },
  { key = "outlets", title = "outlets", align = "right" },
}, { caption = "Speakers, most quoted first" })

for i = 1, math.min(m, #speakers) do
  local s = speakers[i]
  page:section(s.name, (s.role and (s.role .. ". ") or "")
    .. ("%d quotes, %s to %s."):format(s.quotes,
      (s.first or "?"):sub(1, 10), (s.last or "?"):sub(1, 10)),
    { sub = true })
  page:table(quotes_of[s.name], {
    { key = "date", title = "date", format = function(d)
      return d and d:sub(1, 10) or "undated" end },
    "kind",
    { key = "text", title = "quote", max = 200 },
    { key = "outlet", title = "outlet" },
  })
end

return page
