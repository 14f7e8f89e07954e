-- loupe.corpus.stats: keyness, collocations and the document-feature
-- matrix, computed by the core (stats.c) over the stored texts; the
-- measures are quanteda's (README "Keyness and collocations").
local check = require("loupe.check")
local cjson = require("cjson")
local cursor = require("loupe.cursor")
local query = require("loupe.query")

local ipairs, setmetatable, type = ipairs, setmetatable, type
local string_format, table_concat = string.format, table.concat
local cjson_encode = cjson.encode

local argerror = check.argerror

local _ENV <const> = nil

local M = {}

local KIND = { keyness = 0, collocations = 1, dfm = 2 }
local MEASURE = { chi2 = 0, ll = 1, pmi = 2 }
local MEASURES = { "chi2", "ll", "pmi" }

-- q (a query or search text, checked as argument n of fname) as a query
-- of corpus.
local function as_query(corpus, n, fname, q, what)
  if query.is_query(q) then return q end
  if type(q) == "string" then return corpus:query(q) end
  argerror(n, fname, what .. " must be a query or a search string, got "
    .. check.show(q))
end

-- The ids of query q as a JSON array, or nil, message, code.
local function ids_json(q)
  local ids, err, code = q:ids()
  if not ids then return nil, err, code end
  return cjson_encode(ids), ids
end

local function rows(cur, err, code)
  if not cur then return nil, err, code end
  return cursor.list(cur)
end

local KEY_OPTS = { measure = true, limit = true, min = true, recount = true }

--- Keyness of the articles of target against those of reference (both
-- queries or search strings; reference nil = every other article): a
-- list of { feature, target, reference, chi2|ll|pmi, p }, the most key
-- first (features of the reference alone last, with negative scores).
-- opts: measure ("chi2", "ll", "pmi"; default "chi2"), limit (50; 0 for
-- all), min (least count in the target, 0), recount (true: count the
-- words of every article read instead of the corpus's kept word totals;
-- the same result, slower: a check).
function M.keyness(corpus, target, reference, opts)
  local db = corpus:_handle()
  local tq = as_query(corpus, 1, "keyness", target, "the target")
  local rq = reference ~= nil
    and as_query(corpus, 2, "keyness", reference, "the reference") or nil
  opts = check.options(3, "keyness", opts, KEY_OPTS)
  local measure = check.one_of(3, "keyness", opts.measure or "chi2",
    MEASURES, "option 'measure'")
  local limit = check.integer(3, "keyness", opts.limit, 0, nil,
    "option 'limit'", true) or 50
  local min = check.integer(3, "keyness", opts.min, 0, nil, "option 'min'",
    true) or 0
  local recount = check.option(3, "keyness", opts, "recount", "boolean")
    or false
  local tj, tids, tcode = ids_json(tq)
  if not tj then return nil, tids, tcode end
  local rj
  if rq then
    local rerr, rcode
    rj, rerr, rcode = ids_json(rq)
    if not rj then return nil, rerr, rcode end
  else
    local all, aerr, acode = corpus:query():ids()
    if not all then return nil, aerr, acode end
    local mine, rest = {}, {}
    for _, id in ipairs(tids) do mine[id] = true end
    for _, id in ipairs(all) do
      if not mine[id] then rest[#rest + 1] = id end
    end
    rj = cjson_encode(rest)
  end
  return rows(db:stats(KIND.keyness, tj, rj, nil, nil, MEASURE[measure], 5,
    min, limit, recount))
end

local COLL_OPTS = { measure = true, limit = true, min = true, window = true,
                    query = true }

--- Words found within opts.window (5) words of term in the articles
-- that hold it: a list of { feature, target (count in the windows),
-- reference (count elsewhere in those texts), ll|pmi|chi2[, p] }, the
-- most attracted first. opts: measure ("ll", "pmi", "chi2"; default
-- "ll"), min (least count in the windows, 3), limit (50; 0 for all),
-- query (a query or search string narrowing the articles).
function M.collocations(corpus, term, opts)
  local db = corpus:_handle()
  check.type(1, "collocations", term, "string")
  check.no_nul(1, "collocations", term, "the term")
  if not term:find("[%w\128-\255]") then
    argerror(1, "collocations", "the term has no letter or digit")
  end
  opts = check.options(2, "collocations", opts, COLL_OPTS)
  local measure = check.one_of(2, "collocations", opts.measure or "ll",
    MEASURES, "option 'measure'")
  local window = check.integer(2, "collocations", opts.window, 1, 1000,
    "option 'window'", true) or 5
  local min = check.integer(2, "collocations", opts.min, 1, nil,
    "option 'min'", true) or 3
  local limit = check.integer(2, "collocations", opts.limit, 0, nil,
    "option 'limit'", true) or 50
  local q = opts.query ~= nil
    and as_query(corpus, 2, "collocations", opts.query, "option 'query'")
    or corpus:query()
  -- the articles holding the term (as a phrase when it has several words)
  local phrase = term:gsub('"', " ")
  q = q:phrase(phrase)
  local tj, err, code = ids_json(q)
  if not tj then return nil, err, code end
  return rows(db:stats(KIND.collocations, tj, nil, term, nil,
    MEASURE[measure], window, min, limit))
end

-- ---- the document-feature matrix ----

local Dfm = check.class()

local DFM_FORMATS = { "csv", "jsonl", "mtx" }

--- Write the matrix to file handle f: "csv" (doc,feature,count rows),
-- "jsonl" (one object per cell) or "mtx" (Matrix Market coordinate:
-- rows are docs in self.docs order, columns features in self.features
-- order, both 1-based).
function Dfm:write(f, format)
  check.one_of(2, "write", format, DFM_FORMATS, "the format")
  if format == "csv" then
    f:write("doc,feature,count\n")
    for _, c in ipairs(self.cells) do
      local feat = c.feature
      if feat:find('[,"\n\r]') then
        feat = '"' .. feat:gsub('"', '""') .. '"'
      end
      f:write(c.doc, ",", feat, ",", c.count, "\n")
    end
  elseif format == "jsonl" then
    for _, c in ipairs(self.cells) do
      f:write(cjson_encode({ doc = c.doc, feature = c.feature,
                             count = c.count }), "\n")
    end
  else
    local row, col = {}, {}
    for i, d in ipairs(self.docs) do row[d] = i end
    for i, w in ipairs(self.features) do col[w] = i end
    f:write("%%MatrixMarket matrix coordinate integer general\n",
      "% rows: article ids ", table_concat(self.docs, " "), "\n",
      string_format("%d %d %d\n", #self.docs, #self.features,
        #self.cells))
    for _, c in ipairs(self.cells) do
      f:write(row[c.doc], " ", col[c.feature], " ", c.count, "\n")
    end
  end
  return true
end

--- The document-feature matrix of the articles of q (a query or search
-- string): { docs = { ids }, features = { words: opts.features in
-- their order, or as first seen },
-- cells = { { doc, feature, count } }, write = Dfm.write }, sparse (no
-- zero cells). opts.features limits it to these words.
function M.dfm(corpus, q, opts)
  local db = corpus:_handle()
  q = as_query(corpus, 1, "dfm", q or corpus:query(), "the query")
  opts = check.options(2, "dfm", opts, { features = true })
  local features = opts.features
  if features ~= nil then
    check.type(2, "dfm", features, "table")
    features = check.strings(2, "dfm", features, "option 'features'")
    if #features > 256 then
      argerror(2, "dfm", "option 'features' holds more than 256 words")
    end
  end
  local tj, ids, code = ids_json(q)
  if not tj then return nil, ids, code end
  local cells, err, ecode = rows(db:stats(KIND.dfm, tj, nil, nil, features,
    0, 5, 0, 0))
  if not cells then return nil, err, ecode end
  local seen, feats = {}, {}
  for _, w in ipairs(features or {}) do
    w = w:lower()
    if not seen[w] then seen[w] = true feats[#feats + 1] = w end
  end
  for _, c in ipairs(cells) do
    if not seen[c.feature] then
      seen[c.feature] = true
      feats[#feats + 1] = c.feature
    end
  end
  return setmetatable({ docs = ids, features = feats, cells = cells }, Dfm)
end

return M
