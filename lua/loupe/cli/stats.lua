-- loupe.cli.stats: `loupe stats` (a summary of a corpus) and `loupe
-- check` (is the file sound?), as text or JSON.
local output = require("loupe.cli.output")

local ipairs, pairs, tostring = ipairs, pairs, tostring
local math_floor, math_max, math_min = math.floor, math.max, math.min
local string_format, table_concat = string.format, table.concat
local table_sort = table.sort

local color_for, complain = output.color_for, output.complain
local data_error, day = output.data_error, output.day
local open_existing, pad = output.open_existing, output.pad
local report_mod, say, shown = output.report_mod, output.say, output.shown
local width_of = output.width_of

local _ENV <const> = nil

local M = {}

-- ------------------------------------------------------------ stats

function M.cmd_stats(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local q = corpus:query()
  local st = { corpus = a.db, articles = corpus:count() }
  st.years = q:group_by("year")
  st.outlets = q:group_by("outlet")
  st.credits = q:group_by("credit")
  local first, last, undated = nil, nil, 0
  for _, r in ipairs(q:group_by("day")) do
    if r.key == nil then undated = undated + r.count
    else
      first = first or r.key
      last = r.key
    end
  end
  st.first, st.last, st.undated = first, last, undated
  local langs = {}
  for hit in q:each() do
    local k = hit.lang or "?"
    langs[k] = (langs[k] or 0) + 1
  end
  st.languages = {}
  for k, n in pairs(langs) do st.languages[#st.languages + 1] =
    { key = k, count = n } end
  table_sort(st.languages, function(x, y)
    if x.count ~= y.count then return x.count > y.count end
    return x.key < y.key
  end)
  local speakers = corpus:speakers() or {}
  local nq, attributed = 0, 0
  for _ in corpus:quotes() do nq = nq + 1 end
  for _, s in ipairs(speakers) do
    attributed = attributed + (s.quotes or 0)
  end
  st.quotes, st.attributed, st.speakers = nq, attributed, #speakers
  st.top_speakers = {}
  for i = 1, math_min(10, #speakers) do
    local s = speakers[i]
    st.top_speakers[i] = { name = s.name, role = s.role, quotes = s.quotes,
                           first = s.first, last = s.last }
  end
  corpus:close()
  if a.format == "json" then
    say(report_mod().json(st, { "corpus", "articles", "first", "last",
      "undated", "quotes", "attributed", "speakers", "years", "outlets",
      "credits", "languages", "top_speakers" }), "\n")
    return 0
  end
  local color = color_for(output.stdout)
  local function head(s)
    say("\n", color and (color.bright .. s .. color.reset) or s, "\n")
  end
  say(string_format("%-12s %s\n%-12s %d\n", "corpus", shown(a.db),
    "articles", st.articles))
  if first then
    say(string_format("%-12s %s .. %s%s\n", "dates", first, last,
      undated > 0 and string_format(" (%d undated)", undated) or ""))
  end
  say(string_format("%-12s %d (%d attributed to %d speakers)\n", "quotes",
    nq, attributed, #speakers))
  local parts = {}
  for i, r in ipairs(st.languages) do
    parts[i] = shown(r.key, true) .. " " .. r.count
  end
  say(string_format("%-12s %s\n", "languages", table_concat(parts, ", ")))
  local function bars(title, rows, missing)
    head(title)
    local maxn, wide = 0, 8
    for _, r in ipairs(rows) do
      maxn = math_max(maxn, r.count)
      wide = math_max(wide, width_of(shown(r.key or missing, true)))
    end
    wide = math_min(wide, 34)
    for _, r in ipairs(rows) do
      local n = maxn > 0 and math_max(1, math_floor(30 * r.count / maxn))
        or 0
      say("  ", pad(shown(r.key or missing, true), wide), "  ",
        pad(tostring(r.count), 5, true), "  ", ("#"):rep(n), "\n")
    end
  end
  bars("articles per year", st.years, "undated")
  bars("outlets", st.outlets, "(not stated)")
  bars("credits", st.credits, "(none)")
  if #st.top_speakers > 0 then
    head("most quoted")
    for _, s in ipairs(st.top_speakers) do
      say("  ", pad(shown(s.name, true), 26),
        pad(tostring(s.quotes), 5, true), "  ", day(s.first), " .. ",
        day(s.last), s.role and ("  " .. shown(s.role, true)) or "", "\n")
    end
  end
  return 0
end


-- ------------------------------------------------------------ check

function M.cmd_check(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local r, err = corpus:check()
  corpus:close()
  if not r then return data_error(err) end
  if a.format == "json" then
    r.corpus = a.db
    say(report_mod().json(r, { "corpus", "ok", "schema_version", "articles",
      "paragraphs", "quotes", "entities", "paths", "index_rows",
      "deferred_indexes", "problems", "notes" }), "\n")
  else
    say(string_format("%-14s %s\n", "corpus", a.db))
    say(string_format("%-14s %d\n", "schema", r.schema_version))
    for _, k in ipairs({ "articles", "paragraphs", "quotes", "entities",
                         "paths", "index_rows" }) do
      say(string_format("%-14s %d\n", (k:gsub("_", " ")), r[k]))
    end
    for _, n in ipairs(r.notes) do say("note: ", n, "\n") end
  end
  for _, p in ipairs(r.problems) do complain(a.db, p) end
  if not r.ok then
    complain(a.db, string_format("%d problem%s found", #r.problems,
      #r.problems == 1 and "" or "s"))
    return 1
  end
  if a.format ~= "json" then say(a.db, ": ok\n") end
  return 0
end


return M
