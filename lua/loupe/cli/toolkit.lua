-- loupe.cli.toolkit: the analyst's commands: `loupe kwic` (keyword in
-- context), `loupe count` (matches per period, as a share of all
-- coverage), `loupe points` (talking points), `loupe clusters`
-- (republication clusters) and `loupe speakers`.
local output = require "loupe.cli.output"

local ipairs, pairs, pcall, tostring = ipairs, pairs, pcall, tostring
local table_sort = table.sort
local math_floor, math_max = math.floor, math.max
local string_format, table_concat = string.format, table.concat
local utf8_len = utf8.len

local color_for, data_error, day = output.color_for, output.data_error,
  output.day
local lib_message, open_existing = output.lib_message, output.open_existing
local say, table_count = output.say, output.table_count
local text_table = output.text_table
local usage_error = output.usage_error

local _ENV <const> = nil

local M = {}

local TABLE_FORMATS = { "table", "csv", "jsonl", "md" }

-- An option taking a whole number of at least least (its name in the
-- message when it is not one); h: the parser's helpers.
local function count_option(h, c, name, help, least)
  c:option(name, help):argname("N"):convert(h.count_arg(name, least))
end

-- The options a ranked list ends with: its rows dated (what: "articles",
-- "clusters whose origin is") in a range, at most N items (default
-- 50), and the table formats.
local function ranked_options(h, c, what, items)
  h.date_options(c, "Only " .. what .. " dated on or after DATE.",
    "Only " .. what .. " dated on or before DATE.")
  h.limit_option(c, "At most N " .. items .. "; 0 for all (default 50).",
    "50")
  h.format_option(c, TABLE_FORMATS)
end

-- ------------------------------------------------------ the commands

--- Add the commands to the parser; command(name, summary, epilog) makes
-- one, h holds the parser's helpers (date_options, format_option,
-- limit_option, count_arg).
function M.define(command, h)
  local c = command("kwic", "Keyword in context: every occurrence of TERM "
    .. "with the words around it.",
    "TERM is read in the search language (see 'loupe help search'); "
    .. "plain words\ntogether are one phrase. It matches whole words as "
    .. "the search does, never\ninside a longer word or a URL.\n\n"
    .. "Example: loupe kwic news.loupe 'hack*' --width 30 --format csv")
  c:argument("DB", "The corpus file."):target("db")
  c:argument("TERM", "The word, \"phrase\" or prefix*."):target("term")
  c:option("--width", "Characters each side (default 40).")
    :argname("N"):convert(h.count_arg("--width", 1, 100000))
    :default("40"):show_default(false)
  c:option("--query", "Only in articles matching this search.")
    :argname("QUERY")
  h.date_options(c, "Only articles dated on or after DATE.",
    "Only articles dated on or before DATE.")
  c:option("--outlet", "Only articles from this outlet."):argname("NAME")
    :count("*")
  h.limit_option(c, "At most N lines; 0 for all (default 0).", "0")
  h.format_option(c, { "text", "csv", "jsonl", "md" })

  c = command("count", "Count the articles matching QUERY per period or "
    .. "outlet, with their share of all articles.",
    "Example: loupe count news.loupe '\"talking point\"' --by month "
    .. "--share")
  c:argument("DB", "The corpus file."):target("db")
  c:argument("QUERY", "The search (optional: every article)."):target("query")
    :args("?")
  c:option("--by", "day, week, month, year or outlet (default month).")
    :choices({ "day", "week", "month", "year", "outlet" }):argname("KEY")
    :default("month"):show_default(false)
  c:flag("--share", "Add each period's total and the share of it.")
  c:flag("--clusters", "Count republication clusters, not articles.")
  h.date_options(c, "Only articles dated on or after DATE.",
    "Only articles dated on or before DATE.")
  h.format_option(c, TABLE_FORMATS)

  c = command("points", "Talking points: phrasings repeated across "
    .. "separate articles.",
    "Reporters' questions, headlines, URLs and boilerplate are left "
    .. "out; overlapping\nfragments are merged into the longest phrase.\n\n"
    .. "Example: loupe points briefings.loupe --min-years 2 --limit 20")
  c:argument("DB", "The corpus file."):target("db")
  c:option("--speaker", "Only this speaker's quotes."):argname("NAME")
  count_option(h, c, "--min-years", "In at least N distinct years (default 1).",
    1)
  count_option(h, c, "--min-articles",
    "In at least N separate stories (default 3).", 1)
  count_option(h, c, "--min-words", "At least N words (default 6).", 1)
  ranked_options(h, c, "articles", "points")

  c = command("clusters", "Republication clusters: stories printed again "
    .. "by other outlets.")
  c:argument("DB", "The corpus file."):target("db")
  count_option(h, c, "--min-size", "Clusters of at least N articles "
    .. "(default 2).", 2)
  ranked_options(h, c, "clusters whose origin is", "clusters")

  c = command("speakers", "The people quoted, most quoted first.")
  c:argument("DB", "The corpus file."):target("db")
  h.limit_option(c, "At most N speakers; 0 for all (default 0).", "0")
  h.format_option(c, TABLE_FORMATS)
end

local written = output.written

-- The filters of a, as a where table (nil when none).
local function where_of(a)
  local w, any = {}, false
  if a.since then w.since, any = a.since, true end
  if a["until"] then w["until"], any = a["until"], true end
  if a.outlet and #a.outlet > 0 then w.outlet, any = a.outlet, true end
  return any and w or nil
end

-- The corpus at a.db and a.query on it, filtered as the options say
-- (nothing when the corpus cannot be opened: the message is out).
local function filtered_query(a)
  local corpus = open_existing(a.db)
  if not corpus then return nil end
  local q = corpus:query(a.query)
  local w = where_of(a)
  if w then q = q:where(w) end
  return corpus, q
end

-- ------------------------------------------------------------ kwic

local KWIC_COLUMNS = { "id", "date", "outlet", "title", "left", "match",
                       "right" }

function M.cmd_kwic(a)
  local corpus, q = filtered_query(a)
  if not corpus then return 1 end
  local rows, msg = output.collect(corpus, a.limit, function()
    return q:kwic(a.term, a.width)
  end)
  if not rows then
    if msg:find("^kwic: ") then
      return usage_error("kwic", "TERM", (msg:gsub("^kwic: ", "")))
    end
    if msg:find("^query: ") then
      return usage_error("kwic", "--query", (msg:gsub("^query: ", "")))
    end
    return data_error(msg)
  end
  if written(a, rows, KWIC_COLUMNS) then return 0 end
  for _, k in ipairs(rows) do
    local left = k.left
    local n = utf8_len(left) or #left
    say(string_format("%8s  %-10s  %s%s[%s]%s\n", tostring(k.id),
      day(k.date), (" "):rep(math_max(0, a.width - n)), left,
      k.match, k.right))
  end
  say(string_format("%d line%s\n", #rows, #rows == 1 and "" or "s"))
  return 0
end

-- ----------------------------------------------------------- count

function M.cmd_count(a)
  local corpus, q = filtered_query(a)
  if not corpus then return 1 end
  local rows, err, code = q:count_by(a.by, { share = a.share,
    clusters = a.clusters or nil })
  corpus:close()
  if not rows then
    if code == "syntax" then
      return usage_error("count", "QUERY",
        (lib_message(err):gsub("^query: ", "")))
    end
    return data_error(err)
  end
  local cols = { "key", "count" }
  if a.share then cols[3], cols[4] = "total", "share" end
  if written(a, rows, cols) then return 0 end
  local most = 0
  for _, r in ipairs(rows) do
    local v = a.share and r.share or r.count
    if v > most then most = v end
  end
  for _, r in ipairs(rows) do
    local v = a.share and r.share or r.count
    r.key = r.key or "(none)"
    r.bar = ("#"):rep(most > 0 and math_floor(v / most * 40 + 0.5) or 0)
    if a.share then
      r.pct = string_format("%5.1f%%", 100 * r.share)
    end
  end
  local tcols = { { key = "key", title = a.by:upper(), width = 24 },
                  { key = "count", title = "COUNT", right = true } }
  if a.share then
    tcols[3] = { key = "total", title = "OF", right = true }
    tcols[4] = { key = "pct", title = "SHARE", right = true }
  end
  tcols[#tcols + 1] = { key = "bar", title = "", flex = true }
  if #rows > 0 then text_table(rows, tcols, color_for(output.stdout)) end
  return 0
end

-- ---------------------------------------------------------- points

local POINT_COLUMNS = { "text", "words", "spread", "clusters", "articles",
                        "first", "last", "years", "speakers", "outlets" }

function M.cmd_points(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local list, err = corpus:talking_points({ speaker = a.speaker,
    min_years = a.min_years, min_articles = a.min_articles,
    min_words = a.min_words, since = a.since, ["until"] = a["until"] })
  corpus:close()
  if not list then
    if a.speaker and lib_message(err):find("ambiguous", 1, true) then
      return data_error("--speaker", lib_message(err))
    end
    return data_error(err)
  end
  local rows = {}
  for _, p in ipairs(list) do
    if a.limit > 0 and #rows >= a.limit then break end
    local ys = {}
    for y in pairs(p.years or {}) do ys[#ys + 1] = y end
    table_sort(ys)
    p.years = table_concat(ys, " ")
    p.speakers = table_concat(p.speakers or {}, "; ")
    p.outlets = table_concat(p.outlets or {}, "; ")
    rows[#rows + 1] = p
  end
  if written(a, rows, POINT_COLUMNS) then return 0 end
  for _, r in ipairs(rows) do
    r.span = day(r.first) .. " .. " .. day(r.last)
    r.wrap_flex = true
  end
  return table_count(rows, {
    { key = "spread", title = "SPREAD", right = true },
    { key = "clusters", title = "STORIES", right = true },
    { key = "span", title = "DATES" },
    { key = "text", title = "PHRASE", flex = true },
  }, "talking point", #list)
end

-- -------------------------------------------------------- clusters

local CLUSTER_COLUMNS = { "id", "size", "date", "outlet", "title",
                          "outlets" }

function M.cmd_clusters(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local rows = {}
  local ok, err = pcall(function()
    for c in corpus:clusters({ since = a.since, ["until"] = a["until"],
                               min_size = a.min_size }) do
      local o, outs = c.origin or c.members[1], {}
      for _, m in ipairs(c.members) do outs[#outs + 1] = m.outlet or "?" end
      rows[#rows + 1] = { id = c.id, size = #c.members, date = o.date,
        outlet = o.outlet, title = o.title,
        outlets = table_concat(outs, "; ") }
      if a.limit > 0 and #rows >= a.limit then break end
    end
  end)
  corpus:close()
  if not ok then return data_error(lib_message(err)) end
  if written(a, rows, CLUSTER_COLUMNS) then return 0 end
  for _, r in ipairs(rows) do r.day = day(r.date) end
  return table_count(rows, {
    { key = "id", title = "CLUSTER", right = true },
    { key = "size", title = "SIZE", right = true },
    { key = "day", title = "DATE", width = 10 },
    { key = "outlet", title = "ORIGIN", width = 24 },
    { key = "title", title = "TITLE", flex = true },
  }, "cluster")
end

-- -------------------------------------------------------- speakers

function M.cmd_speakers(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  return output.list_speakers(a, corpus, true)
end

return M
