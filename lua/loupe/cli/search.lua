-- loupe.cli.search: `loupe search` (hits of a query) and `loupe quotes`
-- (quotes or speakers), as a terminal table or in a writer format.
local output = require("loupe.cli.output")

local ipairs, next, tostring = ipairs, next, tostring
local tonumber = tonumber
local string_format = string.format

local color_for, colour_marks = output.color_for, output.colour_marks
local data_error, day = output.data_error, output.day
local lib_message, loupe = output.lib_message, output.loupe
local open_existing, say = output.open_existing, output.say
local text_table, usage_error = output.text_table, output.usage_error

local _ENV <const> = nil

local M = {}

local written = output.written

-- ------------------------------------------------------------ search

local HIT_COLUMNS = { "id", "date", "outlet", "credit", "title", "authors",
                      "lang", "path" }

function M.cmd_search(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local L = loupe()
  local q = corpus:query(a.query, a.raw and { raw = true }
    or a.literal and { literal = true } or nil)
  for _, ph in ipairs(a.phrase or {}) do
    if not ph:find("[%w\128-\255]") then
      corpus:close()
      return usage_error("search", "--phrase", "'" .. ph .. "' has no "
        .. "letter or digit")
    end
    q = q:phrase(ph)
  end
  for _, nr in ipairs(a.near or {}) do
    local dist = nr[3] and nr[3]:match("^%d+$") and tonumber(nr[3])
    if nr[3] and not dist then
      corpus:close()
      return usage_error("search", "--near", "N '" .. nr[3] .. "' is not "
        .. "a whole number")
    end
    if not (nr[1]:find("[%w\128-\255]") and nr[2]:find("[%w\128-\255]"))
    then
      corpus:close()
      return usage_error("search", "--near", "A and B need letters or "
        .. "digits")
    end
    q = q:near(nr[1], nr[2], dist)
  end
  local where = {}
  where.since, where["until"] = a.since, a["until"]
  if #a.outlet > 0 then where.outlet = a.outlet end
  if #a.credit > 0 then where.credit = a.credit end
  if #a.speaker > 0 then where.speaker = a.speaker end
  if #a.lang > 0 then where.lang = a.lang end
  if next(where) then q = q:where(where) end
  if a.regex then
    local re, rerr = L.regex(a.regex, a.ignore_case and "i" or nil)
    if not re then
      corpus:close()
      return usage_error("search", "--regex", lib_message(rerr))
    end
    q = q:regex(re)
  elseif a.ignore_case then
    corpus:close()
    return usage_error("search", "--ignore-case", "needs --regex")
  end
  local order = a.order or (a.query and "rank" or "date")
  if order == "newest" then order = "-date" end
  if order == "rank" and not a.query then order = "date" end
  q = q:order(order)
  local total, cerr, ccode = q:count()
  if not total then
    corpus:close()
    if ccode == "syntax" then          -- the QUERY argument is malformed
      return usage_error("search", "QUERY",
        (lib_message(cerr):gsub("^query: ", "")))
    end
    return data_error(cerr)
  end
  if a.limit > 0 then q = q:limit(a.limit) end
  local rows = {}
  -- hits read the body only when asked; the snippet is read here, before
  -- the corpus closes
  for hit in q:each() do
    if hit.snippet then hit.snippet = hit.snippet:gsub("%s+", " ") end
    rows[#rows + 1] = hit
  end
  corpus:close()
  local cols = {}
  for i, k in ipairs(HIT_COLUMNS) do cols[i] = k end
  if a.query then
    cols[#cols + 1] = "snippet"
    cols[#cols + 1] = "rank"
  end
  if written(a, rows, cols) then return 0 end
  local color = color_for(output.stdout)
  for _, r in ipairs(rows) do
    r.day = day(r.date)
    if r.snippet then r.extra = { r.snippet } end
  end
  if #rows > 0 then
    text_table(rows, {
      { key = "id", title = "ID", right = true },
      { key = "day", title = "DATE", width = 10 },
      { key = "outlet", title = "OUTLET", width = 24 },
      { key = "title", title = "TITLE", flex = true },
    }, color, color and function(l) return colour_marks(l, color) end)
  end
  say(string_format("%d of %d matching article%s\n", #rows, total,
    total == 1 and "" or "s"))
  return 0
end

-- ----------------------------------------------------------- quotes

local QUOTE_COLUMNS = { "date", "speaker", "role", "kind", "text", "cue",
  "outlet", "title", "article_id", "paragraph", "line", "offset" }

function M.cmd_quotes(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  if a.speakers then return output.list_speakers(a, corpus, false) end
  local filter = { since = a.since, ["until"] = a["until"], kind = a.kind,
                   text = a.text }
  if #a.speaker > 0 then filter.speaker = a.speaker end
  if #a.outlet > 0 then filter.outlet = a.outlet end
  local rows, msg = output.collect(corpus, a.limit, function()
    return corpus:quotes(filter)
  end)
  if not rows then
    if #a.speaker > 0 and msg:find("ambiguous", 1, true) then
      return data_error("--speaker", (msg:gsub("^speaker ", "")))
    end
    return data_error(msg)
  end
  if written(a, rows, QUOTE_COLUMNS) then return 0 end
  for _, r in ipairs(rows) do
    r.day = day(r.date)
    r.quote = "“" .. tostring(r.text) .. "” (" .. tostring(r.outlet or
      r.title or "?") .. ", #" .. tostring(r.article_id) .. ")"
    r.wrap_flex = true
  end
  return output.table_count(rows, {
    { key = "day", title = "DATE", width = 10 },
    { key = "speaker", title = "SPEAKER", width = 22 },
    { key = "kind", title = "KIND", width = 8 },
    { key = "quote", title = "QUOTE", flex = true },
  }, "quote")
end

return M
