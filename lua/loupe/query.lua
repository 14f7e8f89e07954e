-- loupe.query: query objects over a corpus. A query is an immutable
-- description (text, phrases, NEAR groups, a regex, filters, order,
-- paging); each refining method returns a new query. Terminal methods
-- hand the description to the C core, which compiles it to one SQL
-- statement with bound parameters. Iterators (each, kwic, quotes) raise
-- on every failure, bad search text included; aggregates (count,
-- group_by, ids) return nil, message, code (README "Errors").
local check = require("loupe.check")
local cursor = require("loupe.cursor")
local core = require("loupe.core")
local qlang = require("loupe.qlang")
local regex = require("loupe.regex")

local getmetatable, ipairs, next, pairs = getmetatable, ipairs, next, pairs
local rawget, rawset, setmetatable = rawget, rawset, setmetatable
local assert, pcall, tostring, type = assert, pcall, tostring, type
local math_min, table_concat, table_sort = math.min, table.concat, table.sort

local argerror, raise, INT_MAX = check.argerror, check.raise, check.INT_MAX

local _ENV <const> = nil

local Query = check.class("loupe.query")

local M = {}

-- Filters :where accepts, and whether a list of values is allowed.
local WHERE = {
  since = "date", ["until"] = "date", outlet = "list", credit = "list",
  author = "list", lang = "list", speaker = "list", entity = "list",
}
M.WHERE = WHERE

-- A copy of a description, one level into its tables (lists of values,
-- a regex's limits).
local function copy(t)
  local c = {}
  for k, v in pairs(t) do
    if type(v) == "table" then
      local l = {}
      for i, x in pairs(v) do l[i] = x end
      c[k] = l
    else
      c[k] = v
    end
  end
  return c
end

local function derive(q, changes)
  local d = copy(q._desc)
  for k, v in pairs(changes) do d[k] = v end
  return setmetatable({ _corpus = q._corpus, _desc = d }, Query)
end

-- A string the core reads as a C string (no NUL byte in it).
local function check_string(n, fname, v, what)
  check.type(n, fname, v, "string")
  check.no_nul(n, fname, v, what or "the string")
end

-- A search term must hold a letter or a digit (any non-ASCII byte counts,
-- as in the core): one without would match everything.
local function check_term(n, fname, v, what)
  check_string(n, fname, v, what)
  if not v:find("[%w\128-\255]") then
    argerror(n, fname, what .. " has no letter or digit")
  end
end

local NEW_OPTS = { raw = true, literal = true, max_query_bytes = true,
                   max_query_terms = true }

--- A new query on corpus; text (optional) is read in the search language
-- of loupe.qlang ("phrase", word*, -word, a OR b, NEAR(a b, n); anything
-- else literal). opts.literal = true searches every word as a literal;
-- opts.raw = true passes the text to FTS5 as its own syntax;
-- opts.max_query_bytes and opts.max_query_terms replace the corpus's
-- limits on the size of the search (see loupe.open). limits holds the
-- corpus's own (may be nil).
function M.new(corpus, text, opts, limits)
  if text ~= nil then check_string(1, "query", text, "the search text") end
  opts = check.options(2, "query", opts, NEW_OPTS)
  if opts.raw and opts.literal then
    argerror(2, "query", "options 'raw' and 'literal' exclude each other")
  end
  local d = { text = text, raw = opts.raw and true or nil }
  limits = limits or {}
  d.max_query_bytes = check.integer(2, "query", opts.max_query_bytes, 1,
    nil, "option 'max_query_bytes'", true) or limits.max_query_bytes
  d.max_query_terms = check.integer(2, "query", opts.max_query_terms, 1,
    nil, "option 'max_query_terms'", true) or limits.max_query_terms
  -- a text over the size limit is not read at all: the core refuses it
  -- as the analyst wrote it, naming the option, before any work
  local over = text ~= nil
    and #text > (d.max_query_bytes or core.MAX_QUERY_BYTES)
  if text ~= nil and not opts.raw and not opts.literal and not over then
    local parsed, perr = qlang.parse(text)
    if parsed then
      d.text, d.raw = parsed.fts, true
      d.kwic_pattern = qlang.kwic_pattern(parsed, M.is_stemmed(corpus))
    else
      d.text, d.syntax_error = nil, perr
    end
  end
  return setmetatable({ _corpus = corpus, _desc = d }, Query)
end

--- Does corpus's index hold English stems (so that a search for a word
-- finds its forms, and KWIC must too)? false for a closed corpus.
function M.is_stemmed(corpus)
  local ok, db = pcall(corpus._handle, corpus)
  return ok and db:stemmed() or false
end

function M.is_query(x)
  return getmetatable(x) == Query
end

--- Refine by filters: since, until (ISO dates), outlet, credit, author,
-- lang (a string or a list of strings, OR-ed).
-- A list filter is never empty and never holds a nil: where{outlet={}}
-- would otherwise drop the filter and match every article. Dates are
-- checked as dates (month 01-12, the day in its month).
function Query:where(filters)
  check.type(1, "where", filters, "table")
  local changes = {}
  for k, v in pairs(check.options(1, "where", filters, WHERE, "filter")) do
    if WHERE[k] == "date" then
      v = check.date(1, "where", v, "filter '" .. k .. "'")
    else
      -- a copy: the caller may change its table later
      v = check.string_or_list(1, "where", v, "filter '" .. k .. "'")
    end
    changes[k] = v
  end
  return derive(self, changes)
end

--- One hit per republication cluster: its earliest matching member.
function Query:collapse()
  return derive(self, { collapse = true })
end

--- Keep only articles that carry at least one quote.
function Query:quotes_only()
  return derive(self, { quotes_only = true })
end

--- Refine by an exact phrase.
function Query:phrase(s)
  check_term(1, "phrase", s, "the phrase")
  local p = copy(self._desc).phrases or {}
  p[#p + 1] = s
  return derive(self, { phrases = p })
end

--- Refine by two terms within distance tokens (default 10).
function Query:near(a, b, distance)
  check_term(1, "near", a, "the first term")
  check_term(2, "near", b, "the second term")
  distance = check.integer(3, "near", distance, 0, INT_MAX, "distance", true)
  local n = copy(self._desc).nears or {}
  n[#n + 1] = { a, b, distance or 10 }
  return derive(self, { nears = n })
end

--- Refine by a regular expression over the body (a pattern string with
-- flags, or a loupe.regex object).
function Query:regex(pattern, flags)
  if regex.is_regex(pattern) then
    if flags ~= nil then
      argerror(2, "regex", "no flags expected with a compiled regex")
    end
    return derive(self, { regex = pattern.pattern,
                          regex_flags = pattern.flags,
                          regex_limits = pattern.limits })
  end
  check_string(1, "regex", pattern, "the pattern")
  if flags ~= nil then check_string(2, "regex", flags, "the flags") end
  return derive(self, { regex = pattern, regex_flags = flags })
end

local ORDERS = { "date", "-date", "rank" }

function Query:order(how)
  return derive(self, { order = check.one_of(1, "order", how, ORDERS) })
end

function Query:limit(n)
  return derive(self, { limit = check.integer(1, "limit", n, 0, nil,
                                              "limit") })
end

function Query:offset(n)
  return derive(self, { offset = check.integer(1, "offset", n, 0, nil,
                                               "offset") })
end

-- ---- terminals ----

local function db_of(q)
  return q._corpus:_handle()
end

-- The description with speaker names resolved to the names stored
-- (case-insensitive, and by surname or given name when that is
-- unambiguous); nil, message, "ambiguous" when a name fits several.
local function resolved(q)
  local d = q._desc
  if d.syntax_error then
    return nil, "loupe: query: " .. d.syntax_error, "syntax"
  end
  if d.speaker == nil then return d end
  local names, err = q._corpus:_resolve_speakers(d.speaker)
  if not names then return nil, err, "ambiguous" end
  local c = copy(d)
  c.speaker = names
  return c
end

-- The rows of cursor cur of query description d as a list, or nil,
-- message, code when reading fails part way (a regex limit hit on the
-- tenth body, a malformed raw FTS5 expression): the count of the same
-- description fails the same way and gives the code (the cursor's own
-- failure carries none; "db" when the count passes).
local function rows_of(db, d, cur, convert)
  return cursor.list(cur, convert, function(msg)
    local n, err, code = db:run(d, "count")
    if n == nil then return nil, err, code end
    return nil, msg, "db"
  end)
end

-- ---- hits ----
-- A hit holds the light article fields as the cursor read them. Its body,
-- and with text its snippet and highlight, are read from the corpus the
-- first time they are indexed (one small statement by id, cached in the
-- core) and kept in the hit: a loop that prints titles or counts never
-- pays for them. So is the rank of a page in date order with text (found
-- by walking the date index, which reads no rank). pairs(hit) and
-- hit:load() read them all first, so that report writers and exports see
-- whole records. They can be read after the loop ended, as long as the
-- corpus is open.

local LAZY = { "body", "snippet", "highlight", "rank" }
local NEEDS_TEXT = { snippet = true, highlight = true, rank = true }

-- The metatable of the hits of one run: db the core handle, match the
-- query's FTS5 expression (nil without text).
local function hit_meta(db, match)
  -- fields read as NULL (a title-less article's highlight), not read again
  local absent = setmetatable({}, { __mode = "k" })
  local function fetch(hit, k)
    local none = absent[hit]
    if none and none[k] then return nil end
    local id = rawget(hit, "id")
    if db:is_closed() then
      raise("loupe: cannot read '" .. k .. "' of hit " .. tostring(id)
        .. ": the corpus is closed")
    end
    -- a snippet comes with the highlight, read in the same pass
    local v, hl, code = db:hit_field(id, k, match)
    if code then raise(hl) end
    if v == nil then
      none = none or {}
      none[k], absent[hit] = true, none
    else
      rawset(hit, k, v)
    end
    if k == "snippet" and hl ~= nil and rawget(hit, "highlight") == nil then
      rawset(hit, "highlight", hl)
    end
    return v
  end
  local function load(hit)
    for _, k in ipairs(LAZY) do
      if rawget(hit, k) == nil and (match or not NEEDS_TEXT[k]) then
        fetch(hit, k)
      end
    end
    return hit
  end
  return {
    __index = function(hit, k)
      if k == "body" or (match and NEEDS_TEXT[k]) then return fetch(hit, k) end
      if k == "load" then return load end
      return nil
    end,
    __pairs = function(hit)
      load(hit)
      return next, hit, nil
    end,
  }
end

--- Iterate the hits: article fields plus, when the query has text, rank,
-- snippet and highlight. body, snippet and highlight are read when first
-- indexed (see above); hit:load() reads them all and returns the hit.
function Query:each()
  local d, rerr = resolved(self)
  if not d then raise(rerr) end
  local db = db_of(self)
  local cur, match = db:run(d, "hits")
  if not cur then raise(match) end
  local mt, article_row = hit_meta(db, match), self._corpus._article_row
  return cursor.each(db, cur, function(row)
    return setmetatable(article_row(row), mt)
  end)
end

--- Number of matching articles; nil, message, code for bad search text.
function Query:count()
  local d, err, code = resolved(self)
  if not d then return nil, err, code end
  return db_of(self):run(d, "count")
end

local GROUPS = { "year", "month", "week", "day", "outlet", "credit",
                 "speaker", "lang", "cluster", "entity" }
local CORE_GROUPS = { year = true, month = true, day = true, outlet = true,
                      credit = true }

-- The ISO 8601 week of an ISO date ("2020-01-02" -> "2020-W01"), nil
-- for a date without its day.
local function iso_week(date)
  local y, m, dd = (date or ""):match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
  if not y then return nil end
  y, m, dd = y + 0, m + 0, dd + 0
  -- days from 1970-01-01 (Howard Hinnant's days_from_civil)
  local function days(yy, mm, d)
    yy = mm <= 2 and yy - 1 or yy
    local era = (yy >= 0 and yy or yy - 399) // 400
    local yoe = yy - era * 400
    local doy = (153 * (mm + (mm > 2 and -3 or 9)) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
  end
  local n = days(y, m, dd)
  local wd = (n + 3) % 7                       -- 0 = Monday
  local thursday = n - wd + 3
  -- the week's year is the year of its Thursday
  local wy = y
  if thursday < days(y, 1, 1) then wy = y - 1
  elseif thursday >= days(y + 1, 1, 1) then wy = y + 1 end
  local week = (thursday - days(wy, 1, 1)) // 7 + 1
  return ("%d-W%02d"):format(wy, week)
end
M.iso_week = iso_week

-- Rows { key, count } from a key -> count table, in key order (nil last).
local function sorted_rows(counts, none)
  local rows = {}
  for k, n in pairs(counts) do rows[#rows + 1] = { key = k, count = n } end
  table_sort(rows, function(x, y) return x.key < y.key end)
  if none and none > 0 then rows[#rows + 1] = { count = none } end
  return rows
end

-- Groups the core has no SQL for, counted over the hits (or the quotes)
-- of the description: week, lang, cluster, speaker, entity.
local function group_in_lua(q, key, clusters)
  local counts, none, seen = {}, 0, {}
  local function add(k, hit)
    local ck = clusters and (hit.cluster or -hit.id) or hit.id
    local sk = tostring(k) .. "\0" .. tostring(ck)
    if k == nil then
      if not seen[sk] then none = none + 1 end
    elseif not seen[sk] then
      counts[k] = (counts[k] or 0) + 1
    end
    seen[sk] = true
  end
  local ok, err = pcall(function()
    if key == "speaker" then
      for qt in q:quotes() do
        if qt.speaker then
          add(qt.speaker, { id = qt.article_id })
        end
      end
    elseif key == "entity" then
      local ents = q._corpus:entities()
      for i = 1, math_min(#ents, 200) do
        local n = q:where({ entity = ents[i].name }):count()
        if n and n > 0 then counts[ents[i].name] = n end
      end
    else
      for hit in q:each() do
        add(key == "week" and iso_week(hit.date) or hit[key], hit)
      end
    end
  end)
  if not ok then return nil, tostring(err), "db" end
  return sorted_rows(counts, key ~= "speaker" and key ~= "entity" and none)
end

--- A list of rows { key =, count = } for the matching articles; with
-- opts.clusters = true the count is of republication clusters (a story
-- and its copies count once). key: year, month, week (ISO, "2020-W05"),
-- day, outlet, credit, lang, cluster, speaker (articles quoting each),
-- entity (articles naming each of the 200 most named entities).
function Query:group_by(key, opts)
  check.one_of(1, "group_by", key, GROUPS)
  opts = check.options(2, "group_by", opts, { clusters = true })
  if not CORE_GROUPS[key] then
    local d, rerr, rcode = resolved(self)
    if not d then return nil, rerr, rcode end
    return group_in_lua(self, key, opts.clusters)
  end
  local d, rerr, rcode = resolved(opts.clusters
    and derive(self, { count_clusters = true }) or self)
  if not d then return nil, rerr, rcode end
  local db = db_of(self)
  local cur, err, code = db:run(d, "group", key)
  if not cur then return nil, err, code end
  return rows_of(db, d, cur)
end

local PERIODS = { "day", "week", "month", "year", "outlet" }

--- Counts per period (day, week, month, year) or outlet: rows { key,
-- count, total, share }. With opts.share (the default) total is the
-- number of all articles of the corpus in that period (or of that
-- outlet), and share = count / total: the attention the query's subject
-- gets, as Media Cloud shows it. opts.clusters counts republication
-- clusters, in count and total alike.
function Query:count_by(period, opts)
  check.one_of(1, "count_by", period, PERIODS)
  opts = check.options(2, "count_by", opts, { share = true, clusters = true })
  local gopts = opts.clusters and { clusters = true } or nil
  local rows, err, code = self:group_by(period, gopts)
  if not rows then return nil, err, code end
  if opts.share == false then return rows end
  local base = M.new(self._corpus, nil, nil)
  local all, aerr, acode = base:group_by(period, gopts)
  if not all then return nil, aerr, acode end
  local total = {}
  for _, r in ipairs(all) do total[r.key or false] = r.count end
  for _, r in ipairs(rows) do
    r.total = total[r.key or false] or 0
    r.share = r.total > 0 and r.count / r.total or 0
  end
  return rows
end

-- The matcher and the FTS5 expression of a KWIC term (a string in the
-- search language): a term of plain words is one phrase, as an analyst
-- typing two words into a KWIC box means; nil, message for bad text.
local function kwic_term(term)
  local parsed, err = qlang.parse(term)
  if not parsed then return nil, err end
  local plain = not term:find('["*()]') and not term:find("%f[%w]OR%f[%W]")
    and not term:find("%-[%w\128-\255]")
  if plain and #parsed.terms > 1 then
    parsed = assert(qlang.parse('"' .. term .. '"'))
  end
  return parsed
end

-- The description d narrowed to the articles that hold the parsed term
-- (so only those bodies are read), as one FTS5 expression.
local function and_fts(d, parsed)
  -- a page is cut before the term narrows it
  if not parsed.fts or d.limit or d.offset then return d end
  local c = copy(d)
  if c.text and c.raw then
    c.text = "(" .. c.text .. ") AND (" .. parsed.fts .. ")"
  elseif c.text then           -- literal words, AND-ed by the core
    local lit = {}
    for w in c.text:gmatch("%S+") do
      if w:find("[%w\128-\255]") then
        lit[#lit + 1] = '"' .. w:gsub('"', '""') .. '"'
      end
    end
    lit[#lit + 1] = "(" .. parsed.fts .. ")"
    c.text = table_concat(lit, " AND ")
  else
    c.text = parsed.fts
  end
  c.raw = true
  return c
end

-- id -> { outlet, title } of the articles of description d.
local function kwic_fields(db, d)
  local cur, err = db:run(d, "hits")
  if not cur then raise(err) end
  local rows, lerr = cursor.list(cur)
  if not rows then raise(lerr) end
  local by = {}
  for _, r in ipairs(rows) do by[r.id] = r end
  return by
end

--- Keyword-in-context rows { left =, match =, right =, id =, date =,
-- outlet =, title = } for every occurrence of term in the matching
-- articles, width characters each side (40). term is a string in the
-- search language, matched as the search matches it: whole words (not
-- inside longer words, URLs or addresses), "phrases" across any spacing,
-- word* prefixes, a OR b; plain words together are one phrase. nil uses
-- the query's own search text. A loupe.regex is matched as it is.
function Query:kwic(term, width)
  local is_re = regex.is_regex(term)
  local parsed
  if not is_re then
    if term == nil and self._desc.kwic_pattern then
      parsed = { pattern = self._desc.kwic_pattern }
    else
      check_string(1, "kwic", term, "the term")
      if term == "" then argerror(1, "kwic", "the term is an empty string") end
      local perr
      parsed, perr = kwic_term(term)
      if not parsed then raise("loupe: kwic: " .. perr) end
      parsed.pattern = qlang.kwic_pattern(parsed,
        M.is_stemmed(self._corpus))
      if not parsed.pattern then
        argerror(1, "kwic", "the term has no letter or digit")
      end
    end
  end
  width = check.integer(2, "kwic", width, 1, INT_MAX, "width", true) or 40
  local d, rerr = resolved(self)
  if not d then raise(rerr) end
  local db = db_of(self)
  if parsed then d = and_fts(d, parsed) end
  local fields = kwic_fields(db, d)
  local cur, err
  if is_re then
    cur, err = db:run(d, "kwic", term.pattern, true, term.flags, width,
      term.limits)
  else
    cur, err = db:run(d, "kwic", parsed.pattern, true, "i", width)
  end
  if not cur then raise(err) end
  return cursor.each(db, cur, function(row)
    local f = fields[row.id]
    if f then row.outlet, row.title = f.outlet, f.title end
    return row
  end)
end

local function id_of(row) return row.id end

--- The list of the ids of the matching articles, in query order.
function Query:ids()
  local d, rerr, rcode = resolved(self)
  if not d then return nil, rerr, rcode end
  local db = db_of(self)
  local cur, err, code = db:run(d, "ids")
  if not cur then return nil, err, code end
  return rows_of(db, d, cur, id_of)
end

--- Iterate the quotes of the matching articles: { text, speaker, role,
-- cue, kind, offset, paragraph, line, article_id, date, outlet, title }.
-- opts may narrow the quotes themselves: speaker, kind ("direct",
-- "reported", "phrase"), text (a case-insensitive substring).
local QUOTE_OPTS = { speaker = true, kind = true, text = true }
local KINDS = { "direct", "reported", "phrase", "turn" }

--- v (a string or a list, checked) as quote kinds; what names it.
function M.check_kinds(n, fname, v, what)
  for _, x in ipairs(type(v) == "table" and v or { v }) do
    check.one_of(n, fname, x, KINDS, what)
  end
  return v
end

function Query:quotes(opts)
  local changes = {}
  for k, v in pairs(check.options(1, "quotes", opts, QUOTE_OPTS)) do
    v = check.string_or_list(1, "quotes", v, "option '" .. k .. "'")
    if k == "kind" then M.check_kinds(1, "quotes", v, "option 'kind'") end
    if k == "text" then changes.quote_text = v else changes[k] = v end
  end
  local q = next(changes) and derive(self, changes) or self
  local d, rerr = resolved(q)
  if not d then raise(rerr) end
  local db = db_of(q)
  local cur, err = db:run(d, "quotes")
  if not cur then raise(err) end
  return cursor.each(db, cur)
end

return M
