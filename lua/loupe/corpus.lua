-- loupe.corpus: a corpus is one SQLite file (WAL) holding the parsed
-- articles, their paragraphs and an FTS5 index. `loupe.open(path)` gives
-- a corpus object: incremental, transactional ingest of files, folders
-- and globs; queries; iteration over articles.
local check = require "loupe.check"
local core = require "loupe.core"
local query = require "loupe.query"

local io_open = io.open
local ipairs = ipairs
local math_tointeger = math.tointeger
local math_min = math.min
local math_type = math.type
local pairs = pairs
local pcall = pcall
local require = require
local setmetatable = setmetatable
local tonumber = tonumber
local type = type
local utf8_char = utf8.char
local table_concat = table.concat
local table_sort = table.sort

local argerror = check.argerror
local raise = check.raise
local INT_MAX = check.INT_MAX

local coroutine_create = coroutine.create
local coroutine_resume = coroutine.resume
local coroutine_status = coroutine.status
local math_floor = math.floor

local Corpus = {}
Corpus.__index = Corpus
Corpus.__name = "loupe.corpus"

local M = {}

local OPEN_OPTS = { readonly = true, clustering = true,
                    cluster_threshold = true, busy_timeout = true,
                    max_query_bytes = true, max_query_terms = true }

--- Open (creating as needed) the corpus at path; ":memory:" for a private
-- in-memory one. opts.readonly opens an existing corpus for reading and
-- writes nothing (a read-only file or folder is fine); opts.busy_timeout
-- is how many seconds to wait for a corpus another process holds locked
-- (default 10; 0 fails at once); opts.max_query_bytes and
-- opts.max_query_terms bound the search text of its queries (defaults in
-- the core: 1 MiB and 4,096 terms). corpus.notices lists what the caller
-- should be told of the open (a migration of an older corpus, an older
-- corpus read as it is), as "loupe: " messages.
function M.open(path, opts)
  check.type(1, "open", path, "string")
  if path == "" then argerror(1, "open", "the path is an empty string") end
  check.no_nul(1, "open", path, "the path")
  opts = check.options(2, "open", opts, OPEN_OPTS)
  check.number(2, "open", opts.cluster_threshold, 0, 1,
    "option 'cluster_threshold'", true, true)
  local busy = check.number(2, "open", opts.busy_timeout, 0, 86400,
    "option 'busy_timeout' (seconds)", false, true)
  local limits = {
    max_query_bytes = check.integer(2, "open", opts.max_query_bytes, 1, nil,
      "option 'max_query_bytes'", true),
    max_query_terms = check.integer(2, "open", opts.max_query_terms, 1, nil,
      "option 'max_query_terms'", true),
  }
  local db, err, code = core.open(path, opts.readonly,
    busy and (busy == 0 and -1 or math_floor(busy * 1000 + 0.5)) or 0)
  if not db then return nil, err, code end
  if opts.clustering ~= nil or opts.cluster_threshold then
    db:set_clustering(opts.clustering ~= false, opts.cluster_threshold or 0)
  end
  return setmetatable({ _db = db, path = path, notices = db:notices(),
    _limits = limits }, Corpus)
end

--- The core handle; raises on a closed corpus (at the caller's line).
function Corpus:_handle()
  local db = self._db
  if db == nil or db:is_closed() then
    raise("attempt to use a closed corpus")
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
                      threads = true, defer_indexes = true, charset = true,
                      cancel = true, verify = true }

-- Before the first write of an open: is the file sound? A damaged corpus
-- is not written into (SQLite would only notice the damage on the pages
-- it touches). Once per open: it reads the whole file.
local function verify_once(self, db)
  if self._verified then return true end
  local ok, err, code = db:verify()
  if not ok then return nil, err, code end
  self._verified = true
  return true
end

-- Call a callback of ingest so that it cannot yield: a yield would leave
-- the batch transaction open for as long as the coroutine is suspended
-- (forever, if it is never resumed). It runs in a coroutine of its own;
-- one that did not finish is an error. Returns the callback's first
-- result; its errors are raised again as they are.
local function call_no_yield(name, f, arg)
  local co = coroutine_create(f)
  local ok, res = coroutine_resume(co, arg)
  if not ok then error(res, 0) end
  if coroutine_status(co) ~= "dead" then
    error("loupe: the " .. name .. " function of ingest yielded; it must "
      .. "return (a yield would hold the corpus's write lock open)", 0)
  end
  return res
end

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
-- to the corpus and at least as many as it holds. cancel = function()
-- is asked between pages: when it returns true, the pages stored so far
-- are committed and the summary comes back with interrupted = true.
-- progress and cancel must not yield. verify = false skips the check of
-- the file before the first write of this open (SQLite's quick check,
-- which reads the whole file). summary.duplicate counts files
-- whose content was stored already under another path (or as text):
-- their path is recorded as another location of that article.
function Corpus:ingest(specs, opts)
  local db = self:_handle()
  if type(specs) == "string" then
    if specs == "" then argerror(1, "ingest", "the path is an empty string") end
    specs = { check.no_nul(1, "ingest", specs, "the path") }
  elseif type(specs) == "table" then
    -- a nil in the list ({dir, nil_variable, other}) or an empty one is
    -- the script's mistake, not an empty ingest
    specs = check.strings(1, "ingest", specs, "the list of paths")
  else
    argerror(1, "ingest", "string or list of strings expected, got "
      .. type(specs))
  end
  opts = check.options(2, "ingest", opts, INGEST_OPTS)
  local progress = opts.progress
  if progress ~= nil and type(progress) ~= "function" then
    argerror(2, "ingest", "option 'progress' must be a function, got "
      .. type(progress))
  end
  local cancel = opts.cancel
  if cancel ~= nil and type(cancel) ~= "function" then
    argerror(2, "ingest", "option 'cancel' must be a function, got "
      .. type(cancel))
  end
  local batch = check.integer(2, "ingest", opts.batch, 1, nil,
    "option 'batch'", true) or 200
  local batch_bytes = check.integer(2, "ingest", opts.batch_bytes, 1, nil,
    "option 'batch_bytes'", true) or 32 * 1024 * 1024
  local threads = check.integer(2, "ingest", opts.threads, 0, MAX_THREADS,
    "option 'threads'", true) or M.default_threads()
  local defer = opts.defer_indexes
  if defer ~= nil and type(defer) ~= "boolean" then
    argerror(2, "ingest", "option 'defer_indexes' must be a boolean, got "
      .. type(defer))
  end
  local verify = opts.verify
  if verify ~= nil and type(verify) ~= "boolean" then
    argerror(2, "ingest", "option 'verify' must be a boolean, got "
      .. type(verify))
  end
  local charset = opts.charset
  if charset ~= nil and type(charset) ~= "string" then
    argerror(2, "ingest", "option 'charset' must be a string, got "
      .. type(charset))
  end
  do
    local ok, cerr = pcall(db.set_charset, db, charset or "auto")
    if not ok then
      argerror(2, "ingest", "option 'charset': "
        .. tostring(cerr):gsub("^.-%((.*)%)$", "%1"))
    end
  end
  local files, err, code = core.list_files(specs)
  if not files then
    db:set_charset("auto")
    return nil, err, code
  end
  if verify ~= false and #files > 0 then
    local ok, verr, vcode = verify_once(self, db)
    if not ok then
      db:set_charset("auto")
      return nil, verr, vcode
    end
  end
  local summary = { added = 0, updated = 0, unchanged = 0, duplicate = 0,
                    failed = {}, files = #files }
  local deferred = false
  -- whatever ends this function (return, error in a callback), an open
  -- batch is rolled back, never left half-written, and deferred indexes
  -- are built (a killed run leaves them to the next writable open)
  local pf
  local function clean_up()
    if pf then pf:close() end        -- the workers stop and are joined
    if db:is_closed() then return end
    db:set_charset("auto")
    if db:in_transaction() then db:rollback() end
    if deferred then
      deferred = false
      db:build_indexes()
    end
  end
  -- luacheck: push ignore 211
  local guard <close> = setmetatable({}, { __close = clean_up })
  -- luacheck: pop
  -- A callback's error is raised after cleaning up here: an error does
  -- not close the variables of a coroutine (only coroutine.close does),
  -- and ingest may run in one.
  local function callback(name, f, arg)
    local ok, res = pcall(call_no_yield, name, f, arg)
    if not ok then
      clean_up()
      error(res, 0)
    end
    return res
  end
  local read, perr
  read, pf, perr = page_source(db, files, #files > 0 and threads or 0,
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
      callback("progress", progress, { done = i, total = #files,
        path = path, status = status, bytes = len or 0 })
    end
    if cancel and i < #files and callback("cancel", cancel) then
      summary.interrupted = true
      break
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
  check.type(1, "add", text, "string")
  meta = check.options(2, "add", meta, { path = true })
  local path = meta.path
  if path ~= nil and (type(path) ~= "string" or path == "") then
    argerror(2, "add", "option 'path' must be a non-empty string, got "
      .. check.show(path))
  end
  if path then check.no_nul(2, "add", path, "option 'path'") end
  local ok, verr, vcode = verify_once(self, db)
  if not ok then return nil, verr, vcode end
  return db:add(text, path)
end

function Corpus:count()
  return self:_handle():count()
end

--- A query over this corpus (see loupe.query).
function Corpus:query(text, opts)
  self:_handle()
  return query.new(self, text, opts, self._limits)
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

-- The filter of corpus:quotes (and utterances) split into the query's
-- where and its quotes options, every value checked; fname names the
-- caller in messages, allowed its filters.
local function quote_filter(fname, filter, allowed)
  local where, qopts = {}, {}
  for k, v in pairs(check.options(1, fname, filter, allowed, "filter")) do
    if k == "since" or k == "until" then
      where[k] = check.date(1, fname, v, "filter '" .. k .. "'")
    elseif k == "speaker" or k == "kind" or k == "text" or k == "outlet" then
      v = check.string_or_list(1, fname, v, "filter '" .. k .. "'")
      if k == "kind" then
        for _, x in ipairs(type(v) == "table" and v or { v }) do
          if not query.QUOTE_KINDS[x] then
            argerror(1, fname, "filter 'kind': " .. check.show(x)
              .. " is not direct, reported or phrase")
          end
        end
      end
      if k == "outlet" then where[k] = v else qopts[k] = v end
    end
  end
  if qopts.speaker then where.speaker = qopts.speaker end
  return where, qopts
end

--- Iterate quotes: filters speaker, since, until, kind, text, outlet.
function Corpus:quotes(filter)
  self:_handle()
  local where, qopts = quote_filter("quotes", filter, QUOTES_OPTS)
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
local CLUSTER_OPTS = { since = true, ["until"] = true, min_size = true }

function Corpus:clusters(filter)
  local db = self:_handle()
  filter = check.options(1, "clusters", filter, CLUSTER_OPTS, "filter")
  for _, k in ipairs({ "since", "until" }) do
    if filter[k] ~= nil then
      check.date(1, "clusters", filter[k], "filter '" .. k .. "'")
    end
  end
  local min_size = check.integer(1, "clusters", filter.min_size, 2, nil,
    "filter 'min_size'", true) or 2
  local cur, err = db:clusters()
  if not cur then raise(err) end
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
      local ok = #c.members >= min_size
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
  opts = check.options(1, "talking_points", opts, TP_OPTS)
  local lim = {}
  for k, default in pairs({ min_articles = 3, min_years = 1, min_words = 6 })
  do
    lim[k] = check.integer(1, "talking_points", opts[k], 1, INT_MAX,
      "option '" .. k .. "'", true) or default
  end
  for _, k in ipairs({ "since", "until" }) do
    if opts[k] ~= nil then
      check.date(1, "talking_points", opts[k], "option '" .. k .. "'")
    end
  end
  local speaker = opts.speaker
  if speaker ~= nil then
    check.type(1, "talking_points", speaker, "string")
    if speaker == "" then
      argerror(1, "talking_points", "option 'speaker' is an empty string")
    end
    local names, err = self:_resolve_speakers(speaker)
    if not names then return nil, err, "ambiguous" end
    speaker = names[1]
  end
  local cur, err, code = db:talking_points(lim.min_articles, lim.min_years,
    lim.min_words, speaker, opts.since, opts["until"])
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

local UTTERANCE_OPTS = { min_occurrences = true }
for k in pairs(QUOTES_OPTS) do UTTERANCE_OPTS[k] = true end

-- The quotes of a corpus:utterances() run, phrases left out, each as
-- { q = row, words = its words, toks = its words as a set of numbers,
-- sorted }: a token is a word and its occurrence (the second "the" is
-- another token than the first), numbered by how many quotes hold it,
-- rarest first.
local function utterance_quotes(corpus, where, qopts)
  local list, freq = {}, {}
  for q in corpus:query():where(where):quotes(qopts) do
    if q.kind ~= "phrase" then
      local w, toks, seen = quote_words(q.text), {}, {}
      for i, x in ipairs(w) do
        local k = (seen[x] or 0) + 1
        seen[x] = k
        local t = k == 1 and x or (x .. "\0" .. k)
        toks[i] = t
        freq[t] = (freq[t] or 0) + 1
      end
      list[#list + 1] = { q = q, words = w, toks = toks }
    end
  end
  local order = {}
  for t in pairs(freq) do order[#order + 1] = t end
  table_sort(order, function(x, y)
    local fx, fy = freq[x], freq[y]
    if fx ~= fy then return fx < fy end
    return x < y
  end)
  local rank = {}
  for i, t in ipairs(order) do rank[t] = i end
  for _, e in ipairs(list) do
    local toks = e.toks
    for i = 1, #toks do toks[i] = rank[toks[i]] end
    table_sort(toks)
  end
  return list
end

--- Quotes repeated across articles and outlets linked as one utterance:
-- rows { text, speaker, first, last, occurrences = { { article_id,
-- outlet, date, text, verbatim } } } for utterances seen at least twice.
-- An occurrence is verbatim when its words equal the first one's.
-- filter: speaker, since, until, kind, text, outlet, min_occurrences (2).
--
-- A quote joins the first group (in order of creation) of the same
-- speaker whose first quote shares words with it at a word F1 of 0.8 or
-- more (F1 of the words in common, a repeated word counted as often as
-- both quotes have it), else starts one. The groups that can reach 0.8
-- are found through an index instead of comparing the quote with every
-- group: F1 >= 0.8 needs c >= 2n/3 words in common for a quote of n
-- words (c <= the other's length), so, with every quote's words sorted
-- rarest first, two such quotes share a word among the first
-- n - ceil(2n/3) + 1 of each (prefix filtering); only the groups indexed
-- under one of those words, of a length within 2/3 to 3/2 of the
-- quote's, and whose words after the first shared one can still make up
-- the overlap (positional filtering), are compared, with the same F1 as
-- before. With the usual
-- spread of words, time grows about linearly with the quotes instead of
-- with their square.
function Corpus:utterances(filter)
  self:_handle()
  filter = check.options(1, "utterances", filter, UTTERANCE_OPTS, "filter")
  local min = check.integer(1, "utterances", filter.min_occurrences, 1, nil,
    "filter 'min_occurrences'", true) or 2
  local qf = {}
  for k, v in pairs(filter) do
    if k ~= "min_occurrences" then qf[k] = v end
  end
  local where, qopts = quote_filter("utterances", qf, QUOTES_OPTS)
  local quotes = utterance_quotes(self, where, qopts)
  local NONE = {}                  -- the index key of unattributed quotes
  -- index[speaker][token] = { group, position of the token in the
  -- group's first quote, group, position, ... }
  local groups, index = {}, {}
  for _, e in ipairs(quotes) do
    local q, w, toks = e.q, e.words, e.toks
    local n, home = #toks, nil
    local idx = index[q.speaker or NONE]
    local prefix = n - (2 * n + 2) // 3 + 1
    if n > 0 and idx then
      local cand, seen = {}, {}
      for i = 1, prefix do
        local list = idx[toks[i]]
        for k = 1, list and #list or 0, 2 do
          local gi, j = list[k], list[k + 1]
          if not seen[gi] then
            seen[gi] = true
            local a = #groups[gi].words
            -- F1 >= 0.8 needs c >= 2(n + a)/5 words in common, so the
            -- shorter at least 2/3 of the longer; and as two quotes
            -- share no word before the first of their prefixes' (they
            -- would have met there), at most 1 + min(n - i, a - j)
            if 2 * a <= 3 * n and 2 * n <= 3 * a and
                5 * (1 + math_min(n - i, a - j)) >= 2 * (n + a) then
              cand[#cand + 1] = gi
            end
          end
        end
      end
      table_sort(cand)
      for _, gi in ipairs(cand) do
        local g = groups[gi]
        local a = #g.words
        -- the words in common, a repeated word as often as both have it:
        -- the tokens of the quote in the group's first quote
        local c, set = 0, g.toks
        for i = 1, n do
          if set[toks[i]] then c = c + 1 end
        end
        if c > 0 then
          local p, r = c / n, c / a
          if 2 * p * r / (p + r) >= 0.8 then
            home = g
            break
          end
        end
      end
    end
    if not home then
      local set = {}
      for i = 1, n do set[toks[i]] = true end
      home = { text = q.text, speaker = q.speaker, words = w, toks = set,
               occurrences = {} }
      groups[#groups + 1] = home
      -- a quote without words never reaches an F1 above 0
      if n > 0 then
        if not idx then
          idx = {}
          index[q.speaker or NONE] = idx
        end
        for i = 1, prefix do
          local list = idx[toks[i]]
          if not list then
            list = {}
            idx[toks[i]] = list
          end
          list[#list + 1] = #groups
          list[#list + 1] = i
        end
      end
    end
    home.occurrences[#home.occurrences + 1] = {
      article_id = q.article_id, outlet = q.outlet, date = q.date,
      text = q.text, verbatim = table_concat(w, " ")
        == table_concat(home.words, " "),
    }
  end
  local rows = {}
  for _, g in ipairs(groups) do
    if #g.occurrences >= min then
      local first, last
      for _, o in ipairs(g.occurrences) do
        if o.date and (not first or o.date < first) then first = o.date end
        if o.date and (not last or o.date > last) then last = o.date end
      end
      g.first, g.last, g.words, g.toks = first, last, nil, nil
      rows[#rows + 1] = g
    end
  end
  return rows
end

--- Entities named in the corpus: rows { name, kind, role, articles,
-- mentions }; filter.kind = "person" | "organisation" | "place".
local ENTITY_KINDS = { person = true, organisation = true, place = true }

function Corpus:entities(filter)
  local db = self:_handle()
  local kind = check.options(1, "entities", filter, { kind = true },
    "filter").kind
  if kind ~= nil and not ENTITY_KINDS[kind] then
    argerror(1, "entities", "filter 'kind': " .. check.show(kind)
      .. " is not person, organisation or place")
  end
  local cur, err, code = db:entities(kind)
  if not cur then return nil, err, code end
  local rows = {}
  while true do
    local r = cur:next()
    if not r then break end
    rows[#rows + 1] = r
  end
  return rows
end

--- Check the corpus file: SQLite's integrity check, the full-text
-- index's check against the articles, the counts and links that must
-- agree, the schema version. Returns { ok =, problems = { "..." },
-- notes = { "..." }, schema_version =, articles =, paragraphs =, quotes
-- =, entities =, paths =, index_rows =, deferred_indexes = } (ok is true
-- when problems is empty; notes are not problems: an older schema read as
-- it is, indexes left to build). Writes nothing.
function Corpus:check()
  local r, err, code = self:_handle():check()
  if not r then return nil, err, code end
  r.ok = #r.problems == 0
  r.notes = {}
  if r.schema_version < core.SCHEMA_VERSION then
    r.notes[#r.notes + 1] = ("schema version %d is older than this "
      .. "loupe's (%d): open the corpus once for writing (loupe ingest) to "
      .. "upgrade it"):format(r.schema_version, core.SCHEMA_VERSION)
  end
  if r.deferred_indexes then
    r.notes[#r.notes + 1] = "the indexes by speaker and entity name are "
      .. "not built (a bulk ingest stopped early); the next writable open "
      .. "builds them"
  end
  return r
end

--- Remove the file of a corpus this open created if it holds no article
-- (a first ingest that stored nothing) and nobody else has it open; the
-- corpus is closed then. Returns true when removed, false when kept.
function Corpus:_discard()
  local db = self:_handle()
  local ok, err, code = db:discard()
  if ok then self._db = nil end
  return ok, err, code
end

--- One article with its paragraphs and provenance, or nil when absent.
function Corpus:get(id)
  local db = self:_handle()
  if math_type(id) ~= "integer" then
    argerror(1, "get", "integer expected, got " .. type(id))
  end
  local cur = db:article(id)
  local row = cur:next()
  if not row then return nil end
  cur:close()
  row = Corpus._article_row(row)
  -- every path the article was read from (row.path is the first)
  local paths, pcur = {}, db:paths(id)
  while true do
    local p = pcur:next()
    if not p then break end
    paths[#paths + 1] = p.path
  end
  row.paths = paths
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
