-- loupe.corpus.quotes: who said what, over a corpus: corpus:speakers()
-- (a list), corpus:quotes(filter) (an iterator) and
-- corpus:utterances(filter) (a list of the quotes repeated across
-- articles), and the resolution of a speaker's name to the names stored.
local check = require("loupe.check")
local cursor = require("loupe.cursor")
local query = require("loupe.query")

local ipairs, next, pairs, pcall = ipairs, next, pairs, pcall
local tostring = tostring
local type = type
local math_min, table_concat, table_sort = math.min, table.concat, table.sort

local _ENV <const> = nil

local M = {}

local function speaker_row(r)
  r.outlets = cursor.names(r.outlets)
  return r
end

-- Is name written in Han characters (a Chinese name: 耿爽, 华春莹)?
local function is_han(name)
  return name:find("^[\228-\233][\128-\191][\128-\191]") ~= nil
    and not name:find("[%a%s]")
end

-- The days (YYYY-MM-DD) each of names is quoted on.
local function days_of(corpus, names)
  local days = {}
  for _, n in ipairs(names) do days[n] = {} end
  -- every quote, not a speaker filter: that resolves names through
  -- corpus:speakers(), which calls this
  for q in corpus:query():quotes() do
    local d = q.date and q.date:sub(1, 10)
    if d and #d == 10 and days[q.speaker] then days[q.speaker][d] = true end
  end
  return days
end

local function overlap(a, b)
  local shared, na, nb = 0, 0, 0
  for d in pairs(a) do
    na = na + 1
    if b[d] then shared = shared + 1 end
  end
  for _ in pairs(b) do nb = nb + 1 end
  return shared, math_min(na, nb)
end

-- The romanised name each Han name is linked to: the Latin-script speaker
-- quoted on the same days as it (at least 3 days, on 60% of the days of
-- the rarer of the two), each the other's best match. A corpus of the
-- same briefings in Chinese and in English gives 耿爽 = Geng Shuang.
local function han_links(corpus, rows)
  local han, latin = {}, {}
  for _, r in ipairs(rows) do
    if is_han(r.name) then han[#han + 1] = r.name
    elseif r.name:find("^%u%l+ %u%l+") then latin[#latin + 1] = r.name end
  end
  if #han == 0 or #latin == 0 then return {} end
  local all = {}
  for _, n in ipairs(han) do all[#all + 1] = n end
  for _, n in ipairs(latin) do all[#all + 1] = n end
  local days, best, back = days_of(corpus, all), {}, {}
  for _, h in ipairs(han) do
    local top, score = nil, 0
    for _, l in ipairs(latin) do
      local shared, base = overlap(days[h], days[l])
      if shared >= 3 and shared >= 0.6 * base and shared > score then
        top, score = l, shared
      end
    end
    if top then
      best[h] = { top, score }
      if not back[top] or back[top][2] < score then back[top] = { h, score } end
    end
  end
  local links = {}
  for h, b in pairs(best) do
    if back[b[1]][1] == h then links[h] = b[1] end
  end
  return links
end

-- Rows of one person under two scripts folded into the romanised one,
-- with the Han name in its aliases.
local function fold_links(rows, links)
  local by_name, out = {}, {}
  for _, r in ipairs(rows) do by_name[r.name] = r end
  for h, l in pairs(links) do
    local a, b = by_name[l], by_name[h]
    a.quotes = a.quotes + b.quotes
    if b.first and (not a.first or b.first < a.first) then a.first = b.first end
    if b.last and (not a.last or b.last > a.last) then a.last = b.last end
    local seen = {}
    for _, o in ipairs(a.outlets) do seen[o] = true end
    for _, o in ipairs(b.outlets) do
      if not seen[o] then a.outlets[#a.outlets + 1] = o end
    end
    a.aliases = a.aliases or {}
    a.aliases[#a.aliases + 1] = h
    a.role = a.role or b.role
    b.folded = true
  end
  for _, r in ipairs(rows) do
    if not r.folded then out[#out + 1] = r end
  end
  table_sort(out, function(x, y)
    if x.quotes ~= y.quotes then return x.quotes > y.quotes end
    return x.name < y.name
  end)
  return out
end

--- Speakers quoted in the corpus: a list of rows { name, role, quotes,
-- first, last, outlets (list), aliases (list or nil) }, most quoted
-- first. A person quoted under a Chinese and a romanised name on the
-- same days is one row, the Chinese name among its aliases.
function M.speakers(corpus)
  local cur, err, code = corpus:_handle():speakers()
  if not cur then return nil, err, code end
  local rows, lerr, lcode = cursor.list(cur, speaker_row)
  if not rows then return nil, lerr, lcode end
  local ok, links = pcall(han_links, corpus, rows)
  if not ok then return nil, tostring(links), "db" end
  if next(links) == nil then return rows end
  return fold_links(rows, links)
end

--- Speaker names as stored: exact (any case) first, else the unique
-- speaker whose first or last name it is. names is a string or a list;
-- nil, message when a name fits several speakers.
function M.resolve_speakers(corpus, names)
  if type(names) == "string" then names = { names } end
  local known = M.speakers(corpus) or {}
  local out = {}
  for _, want in ipairs(names) do
    local lw, exact, parts = want:lower(), nil, {}
    for _, r in ipairs(known) do
      local ln = r.name:lower()
      if ln == lw then exact = r break end
      for _, a in ipairs(r.aliases or {}) do
        if a == want then exact = r end
      end
      if exact then break end
      local first, last = ln:match("^(%S+)"), ln:match("(%S+)$")
      if first == lw or last == lw then parts[#parts + 1] = r.name end
    end
    if exact then
      -- the person under each of their names
      out[#out + 1] = exact.name
      for _, a in ipairs(exact.aliases or {}) do out[#out + 1] = a end
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
    elseif QUOTES_OPTS[k] then
      v = check.string_or_list(1, fname, v, "filter '" .. k .. "'")
      if k == "kind" then query.check_kinds(1, fname, v, "filter 'kind'") end
      if k == "outlet" then where[k] = v else qopts[k] = v end
    end
  end
  if qopts.speaker then where.speaker = qopts.speaker end
  return where, qopts
end

--- Iterate quotes: filters speaker, since, until, kind, text, outlet.
function M.quotes(corpus, filter)
  corpus:_handle()
  local where, qopts = quote_filter("quotes", filter, QUOTES_OPTS)
  return corpus:query():where(where):quotes(qopts)
end

-- ------------------------------------------------------- utterances

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

-- The number of words of a quote of n tokens among which it shares a
-- word with any quote it can reach an F1 of 0.8 with (prefix filtering,
-- see utterances).
local function prefix_of(n)
  return n - (2 * n + 2) // 3 + 1
end

-- The groups of idx (one speaker's index) that a quote of tokens toks
-- may join, in order of creation: those indexed under one of its prefix
-- words whose length and positions can still make up the overlap.
local function candidates(groups, idx, toks)
  local n = #toks
  local cand, seen = {}, {}
  for i = 1, prefix_of(n) do
    local list = idx[toks[i]]
    for k = 1, list and #list or 0, 2 do
      local gi, j = list[k], list[k + 1]
      if not seen[gi] then
        seen[gi] = true
        local a = #groups[gi].words
        -- F1 >= 0.8 needs c >= 2(n + a)/5 words in common, so the
        -- shorter at least 2/3 of the longer; and as two quotes share
        -- no word before the first of their prefixes' (they would have
        -- met there), at most 1 + min(n - i, a - j)
        if 2 * a <= 3 * n and 2 * n <= 3 * a and
            5 * (1 + math_min(n - i, a - j)) >= 2 * (n + a) then
          cand[#cand + 1] = gi
        end
      end
    end
  end
  table_sort(cand)
  return cand
end

-- The first candidate group whose first quote shares words with toks at
-- an F1 of 0.8 or more (a repeated word counted as often as both have
-- it: the tokens of the quote in the group's first quote); nil if none.
local function matching_group(groups, cand, toks)
  local n = #toks
  for _, gi in ipairs(cand) do
    local g = groups[gi]
    local c, set = 0, g.toks
    for i = 1, n do
      if set[toks[i]] then c = c + 1 end
    end
    if c > 0 then
      local p, r = c / n, c / #g.words
      if 2 * p * r / (p + r) >= 0.8 then return g end
    end
  end
  return nil
end

-- A new group for quote e, indexed under its prefix words in idx.
local function new_group(groups, idx, e)
  local toks, set = e.toks, {}
  for i = 1, #toks do set[toks[i]] = true end
  local g = { text = e.q.text, speaker = e.q.speaker, words = e.words,
              toks = set, occurrences = {} }
  groups[#groups + 1] = g
  -- a quote without words never reaches an F1 above 0
  for i = 1, #toks > 0 and prefix_of(#toks) or 0 do
    local list = idx[toks[i]]
    if not list then
      list = {}
      idx[toks[i]] = list
    end
    list[#list + 1] = #groups
    list[#list + 1] = i
  end
  return g
end

-- The groups of the quotes (see utterances), in order of creation.
local function group_quotes(quotes)
  local NONE = {}                  -- the index key of unattributed quotes
  -- index[speaker][token] = { group, position of the token in the
  -- group's first quote, group, position, ... }
  local groups, index = {}, {}
  for _, e in ipairs(quotes) do
    local q = e.q
    local idx = index[q.speaker or NONE]
    if not idx then
      idx = {}
      index[q.speaker or NONE] = idx
    end
    local home = #e.toks > 0 and matching_group(groups,
      candidates(groups, idx, e.toks), e.toks)
    home = home or new_group(groups, idx, e)
    home.occurrences[#home.occurrences + 1] = {
      article_id = q.article_id, outlet = q.outlet, date = q.date,
      text = q.text, verbatim = table_concat(e.words, " ")
        == table_concat(home.words, " "),
    }
  end
  return groups
end

--- Quotes repeated across articles and outlets linked as one utterance:
-- a list of rows { text, speaker, first, last, occurrences = {
-- { article_id, outlet, date, text, verbatim } } } for utterances seen
-- at least twice. An occurrence is verbatim when its words equal the
-- first one's. filter: speaker, since, until, kind, text, outlet,
-- min_occurrences (2). nil, message, code when the quotes cannot be read
-- ("ambiguous" for a speaker's name that fits several).
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
-- before. With the usual spread of words, time grows about linearly with
-- the quotes instead of with their square.
function M.utterances(corpus, filter)
  corpus:_handle()
  filter = check.options(1, "utterances", filter, UTTERANCE_OPTS, "filter")
  local min = check.integer(1, "utterances", filter.min_occurrences, 1, nil,
    "filter 'min_occurrences'", true) or 2
  local qf = {}
  for k, v in pairs(filter) do
    if k ~= "min_occurrences" then qf[k] = v end
  end
  local where, qopts = quote_filter("utterances", qf, QUOTES_OPTS)
  if where.speaker then
    local names, err = M.resolve_speakers(corpus, where.speaker)
    if not names then return nil, err, "ambiguous" end
  end
  -- an aggregate: a failure while reading is returned, not raised
  local ok, quotes = pcall(utterance_quotes, corpus, where, qopts)
  if not ok then return nil, tostring(quotes), "db" end
  local rows = {}
  for _, g in ipairs(group_quotes(quotes)) do
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

return M
