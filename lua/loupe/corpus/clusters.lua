-- loupe.corpus.clusters: text that recurs across articles. The
-- near-duplicate clusters kept at ingest, each described against its
-- origin (corpus:clusters(), an iterator: describing a cluster reads its
-- members), and the talking points, phrasings repeated by separate
-- stories (corpus:talking_points(), a list).
local check = require("loupe.check")
local cursor = require("loupe.cursor")

local ipairs, tonumber = ipairs, tonumber
local math_ceil, math_max = math.ceil, math.max

local raise = check.raise
local INT_MAX = check.INT_MAX

local _ENV <const> = nil

local M = {}

-- Normalised paragraph text for comparing copies of a story.
local function para_key(p)
  return (p:lower():gsub("[^%w\128-\255]+", " "):gsub("^ ", ""))
end

-- Word-set overlap of two paragraphs (0..1).
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

-- Article id of corpus with its paragraphs; raises when it cannot be
-- read (clusters is an iterator).
local function article(corpus, id)
  local a, err = corpus:get(id)
  if not a then
    raise(err or ("loupe: article " .. id .. " of a cluster is gone"))
  end
  return a
end

-- What member article a changed from origin: { headline =, added =,
-- dropped =, edited = { { from =, to = } } }; have holds the keys of the
-- origin's paragraphs.
local function changes(origin, have, a)
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
  return { headline = a.title ~= origin.title, added = added,
           dropped = dropped, edited = edited }
end

-- Cluster c with each member's changes against the origin.
local function describe(corpus, c)
  local origin = article(corpus, c.origin_id)
  local have = {}
  for _, p in ipairs(origin.paragraphs) do have[para_key(p)] = true end
  for _, m in ipairs(c.members) do
    m.changed = changes(origin, have, article(corpus, m.id))
  end
  return c
end

local CLUSTER_OPTS = { since = true, ["until"] = true, min_size = true }

--- Iterate republication clusters (two or more near-identical
-- articles): { id, origin = member, members = { { id, date, outlet,
-- credit, title, similarity, changed = { headline =, added = {...},
-- dropped = {...} } } } }, in the order of the origin's date. The origin
-- is the earliest dated member; `changed` compares each member with it.
-- filter: since, until (of the origin's date), min_size.
function M.clusters(corpus, filter)
  local db = corpus:_handle()
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
  local rows, rerr = cursor.list(cur)
  if not rows then raise(rerr) end
  local list, by_id = {}, {}
  for _, r in ipairs(rows) do
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
  return function()
    while true do
      i = i + 1
      local c = list[i]
      if not c then return nil end
      local d = c.origin and c.origin.date
      local ok = #c.members >= min_size
        and (not filter.since or (d and d >= filter.since))
        and (not filter["until"] or (d and d <= filter["until"] .. "~"))
      if ok then return describe(corpus, c) end
    end
  end
end

local TP_OPTS = { min_articles = true, min_years = true, speaker = true,
                  since = true, ["until"] = true, min_words = true }

local function talking_point(r)
  local years = {}
  for y, n in (r.years or ""):gmatch("(%d%d%d%d):(%d+)") do
    years[y] = tonumber(n)
  end
  r.years = years
  r.speakers = cursor.names(r.speakers)
  r.outlets = cursor.names(r.outlets)
  r.variants = cursor.names(r.variants)
  return r
end

local CJK_LANGS = { zh = true, ja = true, ko = true }

-- The defaults that depend on the corpus: a talking point is in at least
-- one story in 200 (3 at least), so a few thousand transcripts give a
-- list of hundreds; in a corpus mostly in Chinese, Japanese or Korean a
-- "word" of min_words is a character, and 8 of them make a phrase.
local function corpus_defaults(corpus)
  local n = corpus:count()
  local langs = corpus:query():group_by("lang") or {}
  local cjk, all = 0, 0
  for _, r in ipairs(langs) do
    all = all + r.count
    if r.key and CJK_LANGS[r.key] then cjk = cjk + r.count end
  end
  return { min_articles = math_max(3, math_ceil(n / 200)), min_years = 1,
           min_words = (all > 0 and cjk * 2 > all) and 8 or 6 }
end

--- Phrasings that recur across separate articles (copies of one story
-- count once): a list of rows { text, words, first, last, articles,
-- clusters, years = { ["2019"] = n, ... }, speakers, outlets, variants },
-- most widespread first. Reporters' question turns, headlines, URLs and
-- speakers' labels never give one, nor a phrase more common in questions
-- than in answers; phrases are trimmed of function words and overlapping
-- fragments merged into the longest phrase. opts: min_articles (one
-- story in 200, at least 3), min_years (1), min_words (6; 8 characters
-- in a corpus mostly in CJK), speaker (only that speaker's quotes),
-- since, until.
function M.talking_points(corpus, opts)
  local db = corpus:_handle()
  opts = check.options(1, "talking_points", opts, TP_OPTS)
  local lim, dflt = {}, nil
  for _, k in ipairs({ "min_articles", "min_years", "min_words" }) do
    lim[k] = check.integer(1, "talking_points", opts[k], 1, INT_MAX,
      "option '" .. k .. "'", true)
    if lim[k] == nil then
      dflt = dflt or corpus_defaults(corpus)
      lim[k] = dflt[k]
    end
  end
  for _, k in ipairs({ "since", "until" }) do
    if opts[k] ~= nil then
      check.date(1, "talking_points", opts[k], "option '" .. k .. "'")
    end
  end
  local speaker = opts.speaker
  if speaker ~= nil then
    check.name(1, "talking_points", speaker, "option 'speaker'")
    local names, err = corpus:_resolve_speakers(speaker)
    if not names then return nil, err, "ambiguous" end
    speaker = names[1]
  end
  local cur, err, code = db:talking_points(lim.min_articles, lim.min_years,
    lim.min_words, speaker, opts.since, opts["until"])
  if not cur then return nil, err, code end
  return cursor.list(cur, talking_point)
end

return M
