-- loupe.corpus: a corpus is one SQLite file (WAL) holding the parsed
-- articles, their paragraphs and an FTS5 index. `loupe.open(path)` gives
-- a corpus object: incremental, transactional ingest of files, folders
-- and globs; queries; iteration over articles.
local core = require "loupe.core"
local query = require "loupe.query"

local error = error
local io_open = io.open
local ipairs = ipairs
local math_tointeger = math.tointeger
local math_type = math.type
local pairs = pairs
local pcall = pcall
local require = require
local setmetatable = setmetatable
local tonumber = tonumber
local tostring = tostring
local type = type
local utf8_char = utf8.char
local table_concat = table.concat

local Corpus = {}
Corpus.__index = Corpus
Corpus.__name = "loupe.corpus"

local M = {}

local OPEN_OPTS = { readonly = true, clustering = true,
                    cluster_threshold = true }

--- Open (creating as needed) the corpus at path; ":memory:" for a private
-- in-memory one. opts.readonly opens an existing corpus for reading.
function M.open(path, opts)
  if type(path) ~= "string" then
    error("bad argument #1 to 'open' (string expected, got " .. type(path)
      .. ")", 2)
  end
  if opts ~= nil then
    if type(opts) ~= "table" then
      error("bad argument #2 to 'open' (table expected, got " .. type(opts)
        .. ")", 2)
    end
    for k in pairs(opts) do
      if not OPEN_OPTS[k] then
        error("bad argument #2 to 'open' (unknown option '" .. tostring(k)
          .. "')", 2)
      end
    end
  end
  if opts and opts.cluster_threshold ~= nil and
      (type(opts.cluster_threshold) ~= "number" or
       opts.cluster_threshold <= 0 or opts.cluster_threshold > 1) then
    error("bad argument #2 to 'open' (option 'cluster_threshold' must be a "
      .. "number in (0, 1])", 2)
  end
  local db, err, code = core.open(path, opts and opts.readonly)
  if not db then return nil, err, code end
  if opts and (opts.clustering ~= nil or opts.cluster_threshold) then
    db:set_clustering(opts.clustering ~= false, opts.cluster_threshold or 0)
  end
  return setmetatable({ _db = db, path = path }, Corpus)
end

--- The core handle; raises on a closed corpus.
function Corpus:_handle()
  local db = self._db
  if db == nil or db:is_closed() then
    error("attempt to use a closed corpus", 3)
  end
  return db
end

--- Close the corpus (idempotent); live iterators are finalized first.
function Corpus:close()
  local db = self._db
  if db then
    db:close()
    self._db = nil
  end
end

-- No __gc here: the core handle has its own, and iterators still running
-- keep that handle alive after this table is collected.
Corpus.__close = Corpus.close

function Corpus:is_closed()
  return self._db == nil or self._db:is_closed()
end

-- Decode the JSON string arrays the core writes for authors and editors
-- (it escapes quotes, backslashes and control characters only).
local function decode_names(s)
  local list = {}
  if type(s) ~= "string" or s == "[]" then return list end
  if not s:find("\\", 1, true) then     -- no escapes: the quoted strings
    for name in s:gmatch('"(.-)"') do list[#list + 1] = name end
    return list
  end
  local i, n = 1, #s
  while i <= n do
    local q = s:find('"', i, true)
    if not q then break end
    local j, buf = q + 1, {}
    while j <= n do
      local c = s:sub(j, j)
      if c == "\\" then
        local nx = s:sub(j + 1, j + 1)
        if nx == "u" then
          buf[#buf + 1] = utf8_char(tonumber(s:sub(j + 2, j + 5), 16) or 63)
          j = j + 6
        else
          buf[#buf + 1] = nx
          j = j + 2
        end
      elseif c == '"' then
        break
      else
        buf[#buf + 1] = c
        j = j + 1
      end
    end
    list[#list + 1] = table_concat(buf)
    i = j + 1
  end
  return list
end
M.decode_names = decode_names

-- A hit or article row as analysts see it: people as lists.
function Corpus._article_row(row)
  row.authors = decode_names(row.authors)
  row.editors = decode_names(row.editors)
  return row
end

local INGEST_OPTS = { progress = true, batch = true, batch_bytes = true,
                      threads = true, defer_indexes = true, charset = true }

-- An ingest of at least this many new files that also at least doubles
-- the corpus builds the indexes by name at its end (see db:defer_indexes).
local DEFER_MIN_FILES = 1000

-- Most worker threads an ingest starts (the C core's limit).
local MAX_THREADS = 64

--- The number of worker threads an ingest uses by default: one per
-- processor online but the one that stores, at least 1, at most 8.
function M.default_threads()
  local n = core.cpu_count() - 1
  if n < 1 then return 1 end
  if n > 8 then return 8 end
  return n
end

local function read_file(path)
  local f, err = io_open(path, "rb")
  if not f then return nil, "loupe: " .. (err or path) end
  local data, rerr = f:read("a")
  f:close()
  if not data then return nil, "loupe: " .. path .. ": " .. tostring(rerr) end
  return data
end

-- The page source of an ingest: read(path) -> bytes, add | nil, message,
-- where add() stores the page read (as db:add: status, id | nil, msg,
-- code). With threads > 0 a prefetcher reads and parses ahead on worker
-- threads; the second result is then the prefetcher, to be closed.
local function page_source(db, files, threads, charset)
  if threads == 0 then
    return function(path)
      local data, rerr = read_file(path)
      if not data then return nil, rerr end
      return #data, function() return db:add(data, path) end
    end
  end
  local pf, err, code = db:prefetch(files, threads, charset)
  if not pf then return nil, err, code end
  local function add() return db:add_page(pf) end
  return function()
    local got, len, perr = pf:next()
    if not got then return nil, len or perr end
    return len, add
  end, pf
end

--- Ingest files, folders (recursively) and glob patterns.
-- Returns { added =, updated =, unchanged =, failed = { {path=, error=,
-- code=}, ... }, files = } or nil, message, code when the corpus itself
-- fails (the batches already committed stay). Each batch is one
-- transaction: an interrupted run leaves the corpus consistent and the
-- next run completes it (unchanged files are skipped by content hash).
-- opts: progress = function(info) (info: done, total, path, status,
-- bytes), batch = files per transaction (200), batch_bytes (32 MB),
-- threads = worker threads that read and parse the next files while
-- this one stores (default M.default_threads(); 0 reads and parses here,
-- one file at a time). Pages are stored in the same order either way.
-- charset = the charset of the pages ("gbk", "cp1252", ...; see
-- loupe.parse); default: detected page by page.
-- defer_indexes = true builds the indexes of quotes by speaker and
-- entities by name once at the end instead of row by row (faster for a
-- bulk load; queries by speaker or entity are slower meanwhile); false
-- never; default: with threads, when 1,000 or more of the files are new
-- to the corpus and at least as many as it holds.
function Corpus:ingest(specs, opts)
  local db = self:_handle()
  if type(specs) == "string" then specs = { specs } end
  if type(specs) ~= "table" then
    error("bad argument #1 to 'ingest' (string or list expected, got "
      .. type(specs) .. ")", 2)
  end
  opts = opts or {}
  if type(opts) ~= "table" then
    error("bad argument #2 to 'ingest' (table expected)", 2)
  end
  for k in pairs(opts) do
    if not INGEST_OPTS[k] then
      error("bad argument #2 to 'ingest' (unknown option '" .. tostring(k)
        .. "')", 2)
    end
  end
  local progress = opts.progress
  if progress ~= nil and type(progress) ~= "function" then
    error("bad argument #2 to 'ingest' (option 'progress' must be a "
      .. "function)", 2)
  end
  local batch = opts.batch or 200
  local batch_bytes = opts.batch_bytes or 32 * 1024 * 1024
  if math_type(batch) ~= "integer" or batch < 1 then
    error("bad argument #2 to 'ingest' (option 'batch' must be a positive "
      .. "integer)", 2)
  end
  local threads = opts.threads
  if threads == nil then
    threads = M.default_threads()
  elseif math_type(threads) ~= "integer" or threads < 0
      or threads > MAX_THREADS then
    error("bad argument #2 to 'ingest' (option 'threads' must be 0 or a "
      .. "positive integer up to " .. MAX_THREADS .. ")", 2)
  end
  local defer = opts.defer_indexes
  if defer ~= nil and type(defer) ~= "boolean" then
    error("bad argument #2 to 'ingest' (option 'defer_indexes' must be a "
      .. "boolean)", 2)
  end
  local charset = opts.charset
  if charset ~= nil and type(charset) ~= "string" then
    error("bad argument #2 to 'ingest' (option 'charset' must be a string)",
      2)
  end
  do
    local ok, cerr = pcall(db.set_charset, db, charset or "auto")
    if not ok then
      error("bad argument #2 to 'ingest' (option 'charset': "
        .. tostring(cerr):gsub("^.-%((.*)%)$", "%1") .. ")", 2)
    end
  end
  local files, err, code = core.list_files(specs)
  if not files then
    db:set_charset("auto")
    return nil, err, code
  end
  local summary = { added = 0, updated = 0, unchanged = 0, failed = {},
                    files = #files }
  local deferred = false
  -- whatever ends this function (return, error in a callback), an open
  -- batch is rolled back, never left half-written, and deferred indexes
  -- are built (a killed run leaves them to the next writable open)
  -- luacheck: push ignore 211
  local guard <close> = setmetatable({}, { __close = function()
    if db:is_closed() then return end
    db:set_charset("auto")
    if db:in_transaction() then db:rollback() end
    if deferred then
      deferred = false
      db:build_indexes()
    end
  end })
  -- luacheck: pop
  local read, pf, perr = page_source(db, files, #files > 0 and threads or 0,
    charset)
  if not read then return nil, pf, perr end
  -- closed before the guard on the way out: the workers stop and are
  -- joined before the batch is rolled back
  -- luacheck: push ignore 211
  local workers <close> = pf
  -- luacheck: pop
  if defer == nil then
    -- new files (not changed or unchanged ones) at least as many as the
    -- corpus holds, known from the look-ahead (without threads: never)
    local fresh = pf and pf:fresh() or 0
    defer = fresh >= DEFER_MIN_FILES and fresh >= (db:count() or 0)
  end
  -- without the lock (another writer) the ingest goes on with the indexes
  deferred = defer and db:defer_indexes() or false
  local n, bytes = 0, 0
  for i, path in ipairs(files) do
    local len, add = read(path)
    local status, id, acode
    if not len then
      summary.failed[#summary.failed + 1] = { path = path, error = add,
                                              code = "io" }
      status = "failed"
    else
      if not db:in_transaction() then
        local ok, berr, bcode = db:begin()
        if not ok then return nil, berr, bcode end
      end
      status, id, acode = add()
      if status then
        summary[status] = summary[status] + 1
        n, bytes = n + 1, bytes + len
      elseif acode == "empty" or acode == "encoding" or acode == "limit" then
        summary.failed[#summary.failed + 1] = { path = path, error = id,
                                                code = acode }
        status = "failed"
      else
        return nil, id, acode            -- the corpus, not the file, failed
      end
    end
    if n >= batch or bytes >= batch_bytes then
      local ok, cerr, ccode = db:commit()
      if not ok then return nil, cerr, ccode end
      n, bytes = 0, 0
    end
    if progress then
      progress { done = i, total = #files, path = path, status = status,
                 bytes = len or 0 }
    end
  end
  if db:in_transaction() then
    local ok, cerr, ccode = db:commit()
    if not ok then return nil, cerr, ccode end
  end
  if deferred then
    deferred = false
    local ok, ierr, icode = db:build_indexes()
    if not ok then return nil, ierr, icode end
  end
  return summary
end

--- Add one page from a string. meta.path names it (a later add with the
-- same path replaces it); without one the content hash identifies it.
-- Returns status ("added", "updated", "unchanged"), id or nil, msg, code.
function Corpus:add(text, meta)
  local db = self:_handle()
  if type(text) ~= "string" then
    error("bad argument #1 to 'add' (string expected, got " .. type(text)
      .. ")", 2)
  end
  local path
  if meta ~= nil then
    if type(meta) ~= "table" then
      error("bad argument #2 to 'add' (table expected)", 2)
    end
    for k in pairs(meta) do
      if k ~= "path" then
        error("bad argument #2 to 'add' (unknown key '" .. tostring(k)
          .. "')", 2)
      end
    end
    path = meta.path
  end
  return db:add(text, path)
end

function Corpus:count()
  return self:_handle():count()
end

--- A query over this corpus (see loupe.query).
function Corpus:query(text, opts)
  self:_handle()
  return query.new(self, text, opts)
end

--- Iterate the articles (oldest first), optionally filtered as :where.
function Corpus:articles(filter)
  local q = self:query():order("date")
  if filter ~= nil then q = q:where(filter) end
  return q:each()
end

-- cjson gives every number as a float; offsets and lines are integers.
local function integers(t)
  for k, v in pairs(t) do
    if type(v) == "table" then integers(v)
    elseif math_type(v) == "float" and math_tointeger(v) then
      t[k] = math_tointeger(v)
    end
  end
  return t
end

--- Speakers quoted in the corpus: rows { name, role, quotes, first, last,
-- outlets (list) }, most quoted first.
function Corpus:speakers()
  local cur, err, code = self:_handle():speakers()
  if not cur then return nil, err, code end
  local rows = {}
  while true do
    local r = cur:next()
    if not r then break end
    r.outlets = decode_names(r.outlets)
    rows[#rows + 1] = r
  end
  return rows
end

-- Speaker names as stored: exact (any case) first, else the unique
-- speaker whose first or last name it is.
function Corpus:_resolve_speakers(names)
  if type(names) == "string" then names = { names } end
  local known = self:speakers() or {}
  local out = {}
  for _, want in ipairs(names) do
    local lw, exact, parts = want:lower(), nil, {}
    for _, r in ipairs(known) do
      local ln = r.name:lower()
      if ln == lw then exact = r.name break end
      local first, last = ln:match("^(%S+)"), ln:match("(%S+)$")
      if first == lw or last == lw then parts[#parts + 1] = r.name end
    end
    if exact then out[#out + 1] = exact
    elseif #parts == 1 then out[#out + 1] = parts[1]
    elseif #parts > 1 then
      return nil, "loupe: speaker '" .. want .. "' is ambiguous ("
        .. table_concat(parts, ", ") .. ")"
    else out[#out + 1] = want end
  end
  return out
end

local QUOTES_OPTS = { speaker = true, since = true, ["until"] = true,
                      kind = true, text = true, outlet = true }

--- Iterate quotes: filters speaker, since, until, kind, text, outlet.
function Corpus:quotes(filter)
  self:_handle()
  filter = filter or {}
  if type(filter) ~= "table" then
    error("bad argument #1 to 'quotes' (table expected, got "
      .. type(filter) .. ")", 2)
  end
  local where, qopts = {}, {}
  for k, v in pairs(filter) do
    if not QUOTES_OPTS[k] then
      error("bad argument #1 to 'quotes' (unknown filter '" .. tostring(k)
        .. "')", 2)
    end
    if k == "speaker" or k == "kind" or k == "text" then qopts[k] = v
    else where[k] = v end
  end
  if qopts.speaker then where.speaker = qopts.speaker end
  return self:query():where(where):quotes(qopts)
end

-- Normalised paragraph text for comparing copies of a story.
local function para_key(p)
  return (p:lower():gsub("[^%w\128-\255]+", " "):gsub("^ ", ""))
end

--- Iterate republication clusters (two or more near-identical
-- articles): { id, origin = member, members = { { id, date, outlet,
-- credit, title, similarity, changed = { headline =, added = {...},
-- dropped = {...} } } } }, in the order of the origin's date. The origin
-- is the earliest dated member; `changed` compares each member with it.
-- filter: since, until (of the origin's date), min_size.
function Corpus:clusters(filter)
  local db = self:_handle()
  filter = filter or {}
  for k in pairs(filter) do
    if k ~= "since" and k ~= "until" and k ~= "min_size" then
      error("bad argument #1 to 'clusters' (unknown filter '"
        .. tostring(k) .. "')", 2)
    end
  end
  local cur, err = db:clusters()
  if not cur then error(err, 2) end
  local list, by_id = {}, {}
  while true do
    local r = cur:next()
    if not r then break end
    local c = by_id[r.cluster]
    if not c then
      c = { id = r.cluster, origin_id = r.origin, members = {} }
      by_id[r.cluster] = c
      list[#list + 1] = c
    end
    c.members[#c.members + 1] = r
    if r.id == r.origin then c.origin = r end
  end
  local i = 0
  -- word-set overlap of two paragraphs (0..1)
  local function overlap(x, y)
    local wx, n, common, ny = {}, 0, 0, 0
    for w in para_key(x):gmatch("%S+") do
      if not wx[w] then wx[w] = true n = n + 1 end
    end
    local seen = {}
    for w in para_key(y):gmatch("%S+") do
      if not seen[w] then
        seen[w] = true
        ny = ny + 1
        if wx[w] then common = common + 1 end
      end
    end
    local m = n > ny and n or ny
    return m > 0 and common / m or 0
  end
  local function describe(c)
    local origin = self:get(c.origin_id)
    local have = {}
    for _, p in ipairs(origin.paragraphs) do have[para_key(p)] = true end
    for _, m in ipairs(c.members) do
      local a = self:get(m.id)
      local mine, added, dropped, edited = {}, {}, {}, {}
      local new_paras = {}
      for _, p in ipairs(a.paragraphs) do
        local k = para_key(p)
        mine[k] = true
        if not have[k] then new_paras[#new_paras + 1] = p end
      end
      local matched = {}
      for _, p in ipairs(origin.paragraphs) do
        if not mine[para_key(p)] then
          -- an edited paragraph: most of its words are in a new one
          local best, best_o = nil, 0.6
          for j, q in ipairs(new_paras) do
            local o = overlap(p, q)
            if not matched[j] and o >= best_o then best, best_o = j, o end
          end
          if best then
            matched[best] = true
            edited[#edited + 1] = { from = p, to = new_paras[best] }
          else
            dropped[#dropped + 1] = p
          end
        end
      end
      for j, q in ipairs(new_paras) do
        if not matched[j] then added[#added + 1] = q end
      end
      m.changed = { headline = a.title ~= origin.title, added = added,
                    dropped = dropped, edited = edited }
    end
    return c
  end
  return function()
    while true do
      i = i + 1
      local c = list[i]
      if not c then return nil end
      local d = c.origin and c.origin.date
      local ok = #c.members >= (filter.min_size or 2)
        and (not filter.since or (d and d >= filter.since))
        and (not filter["until"] or (d and d <= filter["until"] .. "~"))
      if ok then return describe(c) end
    end
  end
end

local TP_OPTS = { min_articles = true, min_years = true, speaker = true,
                  since = true, ["until"] = true, min_words = true }

--- Phrasings that recur across separate articles (copies of one story
-- count once): rows { text, words, first, last, articles, clusters,
-- years = { ["2019"] = n, ... }, speakers, outlets, variants }, most
-- widespread first. opts: min_articles (3), min_years (1), min_words
-- (6), speaker (only that speaker's quotes), since, until.
function Corpus:talking_points(opts)
  local db = self:_handle()
  opts = opts or {}
  if type(opts) ~= "table" then
    error("bad argument #1 to 'talking_points' (table expected)", 2)
  end
  for k, v in pairs(opts) do
    if not TP_OPTS[k] then
      error("bad argument #1 to 'talking_points' (unknown option '"
        .. tostring(k) .. "')", 2)
    end
    if (k == "min_articles" or k == "min_years" or k == "min_words") and
        (math_type(v) ~= "integer" or v < 1) then
      error("bad argument #1 to 'talking_points' (option '" .. k
        .. "' must be a positive integer)", 2)
    end
  end
  local speaker = opts.speaker
  if speaker then
    local names, err = self:_resolve_speakers(speaker)
    if not names then return nil, err, "ambiguous" end
    speaker = names[1]
  end
  local cur, err, code = db:talking_points(opts.min_articles or 3,
    opts.min_years or 1, opts.min_words or 6, speaker, opts.since,
    opts["until"])
  if not cur then return nil, err, code end
  local rows = {}
  while true do
    local r = cur:next()
    if not r then break end
    local years = {}
    for y, n in (r.years or ""):gmatch("(%d%d%d%d):(%d+)") do
      years[y] = tonumber(n)
    end
    r.years = years
    r.speakers = decode_names(r.speakers)
    r.outlets = decode_names(r.outlets)
    r.variants = decode_names(r.variants)
    rows[#rows + 1] = r
  end
  return rows
end

-- Words of a quote for comparing its copies.
local function quote_words(s)
  local t = {}
  for w in s:lower():gsub("[\226][\128][\152\153]", "'"):gmatch("[%w']+") do
    t[#t + 1] = w
  end
  return t
end

local function word_f1(a, b)
  local count, common = {}, 0
  for _, w in ipairs(a) do count[w] = (count[w] or 0) + 1 end
  for _, w in ipairs(b) do
    if (count[w] or 0) > 0 then
      common = common + 1
      count[w] = count[w] - 1
    end
  end
  if common == 0 then return 0 end
  local p, r = common / #b, common / #a
  return 2 * p * r / (p + r)
end

--- Quotes repeated across articles and outlets linked as one utterance:
-- rows { text, speaker, first, last, occurrences = { { article_id,
-- outlet, date, text, verbatim } } } for utterances seen at least twice.
-- An occurrence is verbatim when its words equal the first one's.
-- filter: speaker, since, until, min_occurrences (2).
function Corpus:utterances(filter)
  filter = filter or {}
  local min = filter.min_occurrences or 2
  local qf = {}
  for k, v in pairs(filter) do
    if k ~= "min_occurrences" then qf[k] = v end
  end
  local groups = {}
  for q in self:quotes(qf) do
    if q.kind ~= "phrase" then
      local w = quote_words(q.text)
      local home
      for _, g in ipairs(groups) do
        if g.speaker == q.speaker and word_f1(g.words, w) >= 0.8 then
          home = g
          break
        end
      end
      if not home then
        home = { text = q.text, speaker = q.speaker, words = w,
                 occurrences = {} }
        groups[#groups + 1] = home
      end
      home.occurrences[#home.occurrences + 1] = {
        article_id = q.article_id, outlet = q.outlet, date = q.date,
        text = q.text, verbatim = table_concat(w, " ")
          == table_concat(home.words, " "),
      }
    end
  end
  local rows = {}
  for _, g in ipairs(groups) do
    if #g.occurrences >= min then
      local first, last
      for _, o in ipairs(g.occurrences) do
        if o.date and (not first or o.date < first) then first = o.date end
        if o.date and (not last or o.date > last) then last = o.date end
      end
      g.first, g.last, g.words = first, last, nil
      rows[#rows + 1] = g
    end
  end
  return rows
end

--- Entities named in the corpus: rows { name, kind, role, articles,
-- mentions }; filter.kind = "person" | "organisation" | "place".
function Corpus:entities(filter)
  local kind
  if filter ~= nil then
    if type(filter) ~= "table" then
      error("bad argument #1 to 'entities' (table expected)", 2)
    end
    for k, v in pairs(filter) do
      if k ~= "kind" then
        error("bad argument #1 to 'entities' (unknown filter '"
          .. tostring(k) .. "')", 2)
      end
      kind = v
    end
  end
  local cur, err, code = self:_handle():entities(kind)
  if not cur then return nil, err, code end
  local rows = {}
  while true do
    local r = cur:next()
    if not r then break end
    rows[#rows + 1] = r
  end
  return rows
end

--- One article with its paragraphs and provenance, or nil when absent.
function Corpus:get(id)
  local db = self:_handle()
  if math_type(id) ~= "integer" then
    error("bad argument #1 to 'get' (integer expected, got " .. type(id)
      .. ")", 2)
  end
  local cur = db:article(id)
  local row = cur:next()
  if not row then return nil end
  cur:close()
  row = Corpus._article_row(row)
  local paras, prov = {}, {}
  local pc = db:paragraphs(id)
  while true do
    local p = pc:next()
    if not p then break end
    paras[#paras + 1] = p.text
    prov[#prov + 1] = { offset = p.offset, line = p.line, rule = "prose" }
  end
  row.paragraphs = paras
  row.paragraph_provenance = prov
  local ok, cjson = pcall(require, "cjson")
  if ok and row.provenance then
    local okd, decoded = pcall(cjson.decode, row.provenance)
    if okd then
      decoded = integers(decoded)
      decoded.paragraphs = prov
      row.provenance = decoded
    end
  end
  return row
end

return M
