-- loupe.query: query objects over a corpus. A query is an immutable
-- description (text, phrases, NEAR groups, a regex, filters, order,
-- paging); each refining method returns a new query. Terminal methods
-- hand the description to the C core, which compiles it to one SQL
-- statement with bound parameters. Iterators (each, kwic, quotes) raise
-- on every failure, bad search text included; aggregates (count,
-- group_by, ids) return nil, message, code (README "Errors").
local check = require "loupe.check"
local cursor = require "loupe.cursor"
local regex = require "loupe.regex"

local getmetatable, ipairs, next, pairs = getmetatable, ipairs, next, pairs
local rawget, rawset, setmetatable = rawget, rawset, setmetatable
local tostring, type = tostring, type

local argerror, raise, INT_MAX = check.argerror, check.raise, check.INT_MAX

local _ENV <const> = nil

local Query = {}
Query.__index = Query
Query.__name = "loupe.query"

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

local NEW_OPTS = { raw = true, max_query_bytes = true,
                   max_query_terms = true }

--- A new query on corpus; text (optional) is searched as literal terms.
-- opts.raw = true passes the text to FTS5 as its own syntax;
-- opts.max_query_bytes and opts.max_query_terms replace the corpus's
-- limits on the size of the search (see loupe.open). limits holds the
-- corpus's own (may be nil).
function M.new(corpus, text, opts, limits)
  if text ~= nil then check_string(1, "query", text, "the search text") end
  opts = check.options(2, "query", opts, NEW_OPTS)
  local d = { text = text, raw = opts.raw and true or nil }
  limits = limits or {}
  d.max_query_bytes = check.integer(2, "query", opts.max_query_bytes, 1,
    nil, "option 'max_query_bytes'", true) or limits.max_query_bytes
  d.max_query_terms = check.integer(2, "query", opts.max_query_terms, 1,
    nil, "option 'max_query_terms'", true) or limits.max_query_terms
  return setmetatable({ _corpus = corpus, _desc = d }, Query)
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

local GROUPS = { "year", "month", "day", "outlet", "credit" }

--- A list of rows { key =, count = } for the matching articles; with
-- opts.clusters = true the count is of republication clusters (a story
-- and its copies count once).
function Query:group_by(key, opts)
  check.one_of(1, "group_by", key, GROUPS)
  opts = check.options(2, "group_by", opts, { clusters = true })
  local d, rerr, rcode = resolved(opts.clusters
    and derive(self, { count_clusters = true }) or self)
  if not d then return nil, rerr, rcode end
  local db = db_of(self)
  local cur, err, code = db:run(d, "group", key)
  if not cur then return nil, err, code end
  return rows_of(db, d, cur)
end

--- Keyword-in-context rows { left =, match =, right =, id =, date = } for
-- every occurrence of term (a literal, case-insensitive, or a
-- loupe.regex) in the matching articles; width characters each side.
function Query:kwic(term, width)
  local is_re = regex.is_regex(term)
  if not is_re then
    check_string(1, "kwic", term, "the term")
    if term == "" then argerror(1, "kwic", "the term is an empty string") end
  end
  width = check.integer(2, "kwic", width, 1, INT_MAX, "width", true) or 40
  local d, rerr = resolved(self)
  if not d then raise(rerr) end
  local db = db_of(self)
  local cur, err
  if is_re then
    cur, err = db:run(d, "kwic", term.pattern, true, term.flags, width,
      term.limits)
  else
    cur, err = db:run(d, "kwic", term, false, nil, width)
  end
  if not cur then raise(err) end
  return cursor.each(db, cur)
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
local KINDS = { "direct", "reported", "phrase" }

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
