-- loupe.cli.show: `loupe show` (a stored article) and `loupe parse` (one
-- page file, no corpus): fields, paragraphs and quotes, or JSON.
local output = require("loupe.cli.output")

local ipairs, type = ipairs, type
local math_max, string_format = math.max, string.format
local table_concat = table.concat

local color_for, columns_wide = output.color_for, output.columns_wide
local data_error, day, loupe = output.data_error, output.day, output.loupe
local open_existing, report_mod = output.open_existing, output.report_mod
local say, shown, wrap = output.say, output.shown, output.wrap

local _ENV <const> = nil

local M = {}

-- -------------------------------------------------------- show/parse

local FIELD_ORDER = { "id", "title", "date", "date_precision", "dateline",
  "credit", "outlet", "authors", "editors", "lang", "source_format", "url",
  "section", "date_modified", "date_visible", "captured", "path", "paths",
  "hash", "bytes", "parser_version", "ingested_at" }

local function print_fields(rec, color)
  for _, k in ipairs(FIELD_ORDER) do
    local v = rec[k]
    if type(v) == "table" then v = table_concat(v, "; ") end
    if v ~= nil and v ~= "" then
      local key = string_format("%-15s", k)
      if color then key = color.bright .. key .. color.reset end
      say(key, shown(v, true), "\n")
    end
  end
end

local function print_quotes(quotes)
  if #quotes == 0 then return end
  say("\nquotes\n")
  for _, q in ipairs(quotes) do
    local who = q.speaker or "(unattributed)"
    if q.role then who = who .. ", " .. q.role end
    local head = string_format("  [%s] %s: ", shown(q.kind or "?"),
      shown(who, true))
    local lines = wrap("“" .. shown(q.text, true) .. "”",
      math_max(30, columns_wide() - 6))
    say(head, "\n")
    for _, l in ipairs(lines) do say("      ", l, "\n") end
  end
end

local function print_paragraphs(paras)
  say("\n")
  local n = math_max(40, columns_wide() - 2)
  for i, p in ipairs(paras) do
    if i > 1 then say("\n") end
    for _, l in ipairs(wrap(shown(p, true), n)) do say(l, "\n") end
  end
end

-- The quotes stored for article id (narrowed by its day).
local function quotes_of(corpus, art)
  local filter = {}
  if art.date then
    filter.since, filter["until"] = day(art.date), day(art.date)
  end
  local list = {}
  for q in corpus:quotes(filter) do
    if q.article_id == art.id then list[#list + 1] = q end
  end
  return list
end

function M.cmd_show(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local art, err = corpus:get(a.id)
  if not art then
    corpus:close()
    if err then return data_error(err) end
    return data_error(a.db, "no article with id " .. a.id)
  end
  art.quotes = quotes_of(corpus, art)
  corpus:close()
  if a.format == "json" then
    art.body = art.body or table_concat(art.paragraphs or {}, "\n\n")
    art.paragraph_provenance = nil
    say(report_mod().json(art, FIELD_ORDER), "\n")
    return 0
  end
  print_fields(art, color_for(output.stdout))
  print_paragraphs(art.paragraphs or {})
  print_quotes(art.quotes)
  return 0
end

function M.cmd_parse(a)
  local art, err = loupe().parse_file(a.file, { charset = a.charset,
    format = a.input ~= "auto" and a.input or nil })
  if not art then return data_error(err) end
  if a.format == "json" then
    say(report_mod().json(art, FIELD_ORDER), "\n")
    return 0
  end
  art.path = a.file
  print_fields(art, color_for(output.stdout))
  print_paragraphs(art.paragraphs or {})
  print_quotes(art.quotes or {})
  return 0
end

return M
