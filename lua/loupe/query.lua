-- loupe.query: query objects over a corpus. A query is an immutable
-- description (text, phrases, NEAR groups, a regex, filters, order,
-- paging); each refining method returns a new query. Terminal methods
-- (each, count, group_by, kwic, ids) hand the description to the C core,
-- which compiles it to one SQL statement with bound parameters.
local regex = require "loupe.regex"

local error = error
local getmetatable = getmetatable
local ipairs = ipairs
local math_type = math.type
local next = next
local pairs = pairs
local rawget = rawget
local rawset = rawset
local setmetatable = setmetatable
local tostring = tostring
local type = type

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

local function copy(t)
  local c = {}
  for k, v in pairs(t) do
    if type(v) == "table" then
      local l = {}
      for i, x in ipairs(v) do l[i] = x end
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

local function argerr(n, fname, msg)
  error(("bad argument #%d to '%s' (%s)"):format(n, fname, msg), 3)
end

local function check_string(n, fname, v)
  if type(v) ~= "string" then
    argerr(n, fname, "string expected, got " .. type(v))
  end
end

--- A new query on corpus; text (optional) is searched as literal terms.
-- opts.raw = true passes the text to FTS5 as its own syntax.
function M.new(corpus, text, opts)
  if text ~= nil then check_string(1, "query", text) end
  local d = { text = text }
  if opts ~= nil then
    if type(opts) ~= "table" then argerr(2, "query", "table expected") end
    for k, v in pairs(opts) do
      if k == "raw" then d.raw = v and true or nil
      else argerr(2, "query", "unknown option '" .. tostring(k) .. "'") end
    end
  end
  return setmetatable({ _corpus = corpus, _desc = d }, Query)
end

function M.is_query(x)
  return getmetatable(x) == Query
end

--- Refine by filters: since, until (ISO dates), outlet, credit, author,
-- lang (a string or a list of strings, OR-ed).
function Query:where(filters)
  if type(filters) ~= "table" then
    argerr(1, "where", "table expected, got " .. type(filters))
  end
  local changes = {}
  for k, v in pairs(filters) do
    local kind = WHERE[k]
    if not kind then
      argerr(1, "where", "unknown filter '" .. tostring(k) .. "'")
    end
    if kind == "date" then
      if type(v) ~= "string" then
        argerr(1, "where", "filter '" .. k .. "' must be an ISO date string")
      end
    elseif type(v) == "table" then
      local list = {}
      for i, x in ipairs(v) do
        if type(x) ~= "string" then
          argerr(1, "where", "filter '" .. k .. "' takes strings")
        end
        list[i] = x
      end
      v = list         -- a copy: the caller may change its table later
    elseif type(v) ~= "string" then
      argerr(1, "where", "filter '" .. k .. "' must be a string or a list")
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
  check_string(1, "phrase", s)
  local p = copy(self._desc).phrases or {}
  p[#p + 1] = s
  return derive(self, { phrases = p })
end

--- Refine by two terms within distance tokens (default 10).
function Query:near(a, b, distance)
  check_string(1, "near", a)
  check_string(2, "near", b)
  if distance ~= nil and (math_type(distance) ~= "integer" or distance < 0) then
    argerr(3, "near", "distance must be a non-negative integer")
  end
  local n = copy(self._desc).nears or {}
  n[#n + 1] = { a, b, distance or 10 }
  return derive(self, { nears = n })
end

--- Refine by a regular expression over the body (a pattern string with
-- flags, or a loupe.regex object).
function Query:regex(pattern, flags)
  if regex.is_regex(pattern) then
    return derive(self, { regex = pattern.pattern,
                          regex_flags = pattern.flags })
  end
  check_string(1, "regex", pattern)
  if flags ~= nil then check_string(2, "regex", flags) end
  return derive(self, { regex = pattern, regex_flags = flags })
end

local ORDERS = { date = true, ["-date"] = true, rank = true }

function Query:order(how)
  if not ORDERS[how] then
    argerr(1, "order", "'date', '-date' or 'rank' expected, got "
      .. tostring(how))
  end
  return derive(self, { order = how })
end

function Query:limit(n)
  if math_type(n) ~= "integer" or n < 0 then
    argerr(1, "limit", "non-negative integer expected")
  end
  return derive(self, { limit = n })
end

function Query:offset(n)
  if math_type(n) ~= "integer" or n < 0 then
    argerr(1, "offset", "non-negative integer expected")
  end
  return derive(self, { offset = n })
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

-- An iterator over a core cursor: iter, state, initial, closing value
-- (the cursor closes on break, on error and when exhausted).
local function iterate(cursor, convert)
  local function iter()
    local row = cursor:next()
    if row == nil then return nil end
    return convert and convert(row) or row
  end
  return iter, nil, nil, cursor
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
      error("loupe: cannot read '" .. k .. "' of hit " .. tostring(id)
        .. ": the corpus is closed", 3)
    end
    -- a snippet comes with the highlight, read in the same pass
    local v, hl, code = db:hit_field(id, k, match)
    if code then error(hl, 3) end
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
  if not d then error(rerr, 2) end
  local db = db_of(self)
  local cur, match = db:run(d, "hits")
  if not cur then error(match, 2) end
  local mt, article_row = hit_meta(db, match), self._corpus._article_row
  return iterate(cur, function(row)
    return setmetatable(article_row(row), mt)
  end)
end

--- Number of matching articles; nil, message, code for bad search text.
function Query:count()
  local d, err, code = resolved(self)
  if not d then return nil, err, code end
  return db_of(self):run(d, "count")
end

local GROUPS = { year = true, month = true, day = true, outlet = true,
                 credit = true }

--- Rows { key =, count = } for the matching articles; with
-- opts.clusters = true the count is of republication clusters (a story
-- and its copies count once).
function Query:group_by(key, opts)
  if not GROUPS[key] then
    argerr(1, "group_by", "one of year, month, day, outlet, credit expected")
  end
  if opts ~= nil then
    if type(opts) ~= "table" then argerr(2, "group_by", "table expected") end
    for k in pairs(opts) do
      if k ~= "clusters" then
        argerr(2, "group_by", "unknown option '" .. tostring(k) .. "'")
      end
    end
  end
  local d, rerr, rcode = resolved(opts and opts.clusters
    and derive(self, { count_clusters = true }) or self)
  if not d then return nil, rerr, rcode end
  local cur, err, code = db_of(self):run(d, "group", key)
  if not cur then return nil, err, code end
  local rows = {}
  while true do
    local r = cur:next()
    if not r then break end
    rows[#rows + 1] = r
  end
  return rows
end

--- Keyword-in-context rows { left =, match =, right =, id =, date = } for
-- every occurrence of term (a literal, case-insensitive, or a
-- loupe.regex) in the matching articles; width characters each side.
function Query:kwic(term, width)
  if width ~= nil and (math_type(width) ~= "integer" or width < 1) then
    argerr(2, "kwic", "width must be a positive integer")
  end
  local d, rerr = resolved(self)
  if not d then error(rerr, 2) end
  local cur, err
  if regex.is_regex(term) then
    cur, err = db_of(self):run(d, "kwic", term.pattern, true,
      term.flags, width or 40)
  else
    check_string(1, "kwic", term)
    cur, err = db_of(self):run(d, "kwic", term, false, nil,
      width or 40)
  end
  if not cur then error(err, 2) end
  return iterate(cur)
end

--- The ids of the matching articles, in query order.
function Query:ids()
  local d, rerr, rcode = resolved(self)
  if not d then return nil, rerr, rcode end
  local cur, err, code = db_of(self):run(d, "ids")
  if not cur then return nil, err, code end
  local ids = {}
  while true do
    local r = cur:next()
    if not r then break end
    ids[#ids + 1] = r.id
  end
  return ids
end

--- Iterate the quotes of the matching articles: { text, speaker, role,
-- cue, kind, offset, paragraph, line, article_id, date, outlet, title }.
-- opts may narrow the quotes themselves: speaker, kind ("direct",
-- "reported", "phrase"), text (a case-insensitive substring).
local QUOTE_OPTS = { speaker = true, kind = true, text = true }

function Query:quotes(opts)
  local changes = {}
  if opts ~= nil then
    if type(opts) ~= "table" then argerr(1, "quotes", "table expected") end
    for k, v in pairs(opts) do
      if not QUOTE_OPTS[k] then
        argerr(1, "quotes", "unknown option '" .. tostring(k) .. "'")
      end
      if type(v) ~= "string" and type(v) ~= "table" then
        argerr(1, "quotes", "option '" .. k .. "' must be a string or list")
      end
      if k == "text" then changes.quote_text = v else changes[k] = v end
    end
  end
  local q = next(changes) and derive(self, changes) or self
  local d, rerr = resolved(q)
  if not d then error(rerr, 2) end
  local cur, err = db_of(q):run(d, "quotes")
  if not cur then error(err, 2) end
  return iterate(cur)
end

return M
