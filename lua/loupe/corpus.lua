-- loupe.corpus: a corpus is one SQLite file (WAL) holding the parsed
-- articles, their paragraphs and an FTS5 index. `loupe.open(path)` gives
-- a corpus object: articles one by one (get, articles), counts, queries
-- (loupe.query) and its check. Its other methods live by job in
-- loupe/corpus/: ingest (loading pages), quotes (speakers, quotes,
-- utterances), clusters (republication clusters, talking points).
-- Errors (README "Errors"): a script's mistake raises; a bad corpus or
-- file gives nil, message, code from the one-shot calls and lists, and
-- raises from the iterators (articles, quotes, clusters).
local check = require("loupe.check")
local cjson = require("cjson")
local clusters = require("loupe.corpus.clusters")
local core = require("loupe.core")
local cursor = require("loupe.cursor")
local ingest = require("loupe.corpus.ingest")
local query = require("loupe.query")
local quotes = require("loupe.corpus.quotes")
local stats = require("loupe.corpus.stats")

local ipairs, pairs, pcall, setmetatable = ipairs, pairs, pcall, setmetatable
local tostring, type = tostring, type
local math_floor, math_mininteger = math.floor, math.mininteger
local math_tointeger, math_type = math.tointeger, math.type

local argerror, raise = check.argerror, check.raise
local cjson_decode = cjson.decode

local _ENV <const> = nil

local Corpus = check.class("loupe.corpus")

local M = {}

local OPEN_OPTS = { readonly = true, clustering = true,
                    cluster_threshold = true, busy_timeout = true,
                    max_query_bytes = true, max_query_terms = true,
                    stem = true }

--- Open (creating as needed) the corpus at path; ":memory:" for a private
-- in-memory one. opts.readonly opens an existing corpus for reading and
-- writes nothing (a read-only file or folder is fine); opts.busy_timeout
-- is how many seconds to wait for a corpus another process holds locked
-- (default 10; 0 fails at once); opts.max_query_bytes and
-- opts.max_query_terms bound the search text of its queries (defaults in
-- the core: 1 MiB and 4,096 terms). opts.stem = "en" makes a new corpus
-- index English word stems too ("hackers" finds "hacker"); the choice is
-- the corpus's from then on ("none" or nil for an existing one's own).
-- corpus.notices lists what the caller
-- should be told of the open (a migration of an older corpus, an older
-- corpus read as it is), as "loupe: " messages.
function M.open(path, opts)
  check.type(1, "open", path, "string")
  check.name(1, "open", path, "the path")
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
  if opts.stem ~= nil then
    check.one_of(2, "open", opts.stem, { "en", "none" }, "option 'stem'")
  end
  local db, err, code = core.open(path, opts.readonly,
    busy and (busy == 0 and -1 or math_floor(busy * 1000 + 0.5)) or 0,
    opts.stem)
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

--- Before the first write of an open: is the file sound? A damaged
-- corpus is not written into (SQLite would only notice the damage on the
-- pages it touches). Once per open: it reads the whole file. Returns
-- true or nil, message, code.
function Corpus:_verify()
  if self._verified then return true end
  local ok, err, code = self:_handle():verify()
  if not ok then return nil, err, code end
  self._verified = true
  return true
end

-- The decoder of the core's JSON lists of names (kept here for callers
-- of earlier versions).
M.decode_names = cursor.names

-- A hit or article row as analysts see it: people as lists.
function Corpus._article_row(row)
  row.authors = cursor.names(row.authors)
  row.editors = cursor.names(row.editors)
  return row
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
  local ok, verr, vcode = self:_verify()
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

--- Entities named in the corpus: a list of rows { name, kind, role,
-- articles, mentions }; filter.kind = "person" | "organisation" |
-- "place".
local ENTITY_KINDS = { "person", "organisation", "place" }
-- The page's own fields a stored article keeps in its provenance JSON.
local PAGE_FIELDS = { "source_format", "url", "date_modified",
                      "date_visible", "section", "description", "captured" }

function Corpus:entities(filter)
  local db = self:_handle()
  local kind = check.options(1, "entities", filter, { kind = true },
    "filter").kind
  if kind ~= nil then
    check.one_of(1, "entities", kind, ENTITY_KINDS, "filter 'kind'")
  end
  local cur, err, code = db:entities(kind)
  if not cur then return nil, err, code end
  return cursor.list(cur)
end

-- The methods each module of loupe/corpus/ holds (see the header).
Corpus.ingest = ingest.ingest
M.default_threads = ingest.default_threads
Corpus.speakers = quotes.speakers
Corpus._resolve_speakers = quotes.resolve_speakers
Corpus.quotes = quotes.quotes
Corpus.utterances = quotes.utterances
Corpus.clusters = clusters.clusters
Corpus.talking_points = clusters.talking_points
Corpus.keyness = stats.keyness

--- id -> { hash, cluster, quotes = { {text, speaker, role, kind,
-- paragraph} }, entities = { {name, kind, role} } } of every article (for
-- exports); raises when the corpus cannot be read.
function Corpus:_export_extras()
  local cur, err = self:_handle():export_extras()
  if not cur then raise(err) end
  local rows, rerr = cursor.list(cur)
  if not rows then raise(rerr) end
  local by = {}
  for _, r in ipairs(rows) do
    r.quotes = cjson_decode(r.quotes)
    r.entities = cjson_decode(r.entities)
    by[r.id] = r
  end
  return by
end
Corpus.collocations = stats.collocations
Corpus.dfm = stats.dfm

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

local function path_of(p) return p.path end

-- The stored list of metadata values as loupe.parse gives them: one value
-- per key ("authors" a list), and their provenance under the same keys.
local function page_meta(list)
  local meta, prov = {}, {}
  for _, m in ipairs(list) do
    local p = { offset = m.offset, line = m.line, rule = m.rule }
    if m.key == "author" then
      local names, where = meta.authors or {}, prov.authors or {}
      names[#names + 1], where[#where + 1] = m.value, p
      meta.authors, prov.authors = names, where
    else
      meta[m.key], prov[m.key] = m.value, p
    end
  end
  return meta, prov
end

-- The paragraphs of article id and their provenance; nil, message, code
-- when they cannot be read.
local function paragraphs(db, id)
  local cur, err, code = db:paragraphs(id)
  if not cur then return nil, err, code end
  local rows, rerr, rcode = cursor.list(cur)
  if not rows then return nil, rerr, rcode end
  local paras, prov = {}, {}
  for i, p in ipairs(rows) do
    paras[i] = p.text
    prov[i] = { offset = p.offset, line = p.line, rule = "prose" }
  end
  return paras, prov
end

--- One article with its paths, paragraphs and provenance (a table, as
-- loupe.parse gives it), nil when there is none with this id, or nil,
-- message, code when it cannot be read.
function Corpus:get(id)
  local db = self:_handle()
  id = check.integer(1, "get", id, math_mininteger, nil, "id")
  local cur, err, code = db:article(id)
  if not cur then return nil, err, code end
  local found, ferr, fcode = cursor.list(cur)
  if not found then return nil, ferr, fcode end
  local row = found[1]
  if not row then return nil end
  row = Corpus._article_row(row)
  -- every path the article was read from (row.path is the first)
  local pcur, perr, pcode = db:paths(id)
  if not pcur then return nil, perr, pcode end
  row.paths, perr, pcode = cursor.list(pcur, path_of)
  if not row.paths then return nil, perr, pcode end
  local paras, prov, qcode = paragraphs(db, id)
  if not paras then return nil, prov, qcode end
  row.paragraphs = paras
  row.paragraph_provenance = prov
  if row.provenance then
    local ok, decoded = pcall(cjson_decode, row.provenance)
    if not ok then
      return nil, "loupe: article " .. id .. ": its provenance is not "
        .. "JSON (" .. tostring(decoded) .. "); run 'loupe check'", "corrupt"
    end
    decoded = integers(decoded)
    decoded.paragraphs = prov
    -- what the page said beside its text (format, HTML fields, metadata)
    -- comes back as loupe.parse gave it; corpora older than this keep none
    local page = decoded.page
    if page then
      decoded.page = nil
      for _, k in ipairs(PAGE_FIELDS) do row[k] = page[k] end
      if page.meta then row.meta, decoded.meta = page_meta(page.meta) end
    end
    row.provenance = decoded
  end
  return row
end

return M
