-- loupe.qlang: the analyst's search language, read into an FTS5
-- expression that cannot fail to parse and into the matcher KWIC uses,
-- so both find the same words.
--
--   word        a literal word (punctuation inside splits it as the
--               index does: U.S., cyber-attacks)
--   "a b c"     a phrase (an unclosed quote runs to the end)
--   word*       every word starting with word ("a phrase"* too)
--   -word       articles without word (-"a phrase" too)
--   a OR b      either; OR binds closer than the implicit AND
--   NEAR(a b, n)  a and b at most n words apart (n = 10 when left out)
--
-- Anything else is literal: AND, NOT, lower-case or, parentheses,
-- colons, carets. Malformed NEAR groups and searches holding only
-- exclusions are errors with the offset, never FTS5's own messages.
local ipairs, tonumber = ipairs, tonumber
local string_format, table_concat = string.format, table.concat

local _ENV <const> = nil

local M = {}

local function has_word(s)
  return s:find("[%w\128-\255]") ~= nil
end

-- s as an FTS5 string.
local function quote(s)
  return '"' .. s:gsub('"', '""') .. '"'
end

-- The end of the word starting at i (stops at whitespace, a quote or,
-- inside NEAR, a parenthesis or a comma).
local function word_end(s, i, in_near)
  local stop = in_near and '^[^%s"(),]+' or '^[^%s"]+'
  local w = s:match(stop, i)
  return w and i + #w - 1 or i - 1
end

-- One term at s[i]: a phrase or a word, with a trailing * as prefix.
-- Returns term, next index; term is nil when it holds no word.
local function term_at(s, i, in_near)
  local t
  if s:sub(i, i) == '"' then
    local close = s:find('"', i + 1, true)
    local text = s:sub(i + 1, (close or #s + 1) - 1)
    i = close and close + 1 or #s + 1
    t = { kind = "phrase", text = text }
  else
    local e = word_end(s, i, in_near)
    t = { kind = "word", text = s:sub(i, e) }
    i = e + 1
  end
  if t.kind == "word" and t.text:sub(-1) == "*" then
    t.text, t.prefix = t.text:gsub("%*+$", ""), true
  elseif s:sub(i, i) == "*" then
    t.prefix, i = true, i + 1
  end
  if not has_word(t.text) then return nil, i end
  return t, i
end

local function fts_term(t)
  return quote(t.text) .. (t.prefix and " *" or "")
end

-- NEAR(a b ..., n) at s[i] ("NEAR(" already seen): the group and the
-- index after it, or nil, message.
local function near_at(s, i)
  local start, terms, dist = i, {}, 10
  i = i + 5
  while true do
    i = s:find("[^%s]", i) or #s + 1
    local c = s:sub(i, i)
    if c == "" then
      return nil, string_format("NEAR( at offset %d has no closing ')'",
        start - 1)
    elseif c == ")" then
      i = i + 1
      break
    elseif c == "," then
      local n, rest = s:match("^,%s*([^%s)]*)%s*()", i)
      if not n:match("^%d+$") or s:sub(rest, rest) ~= ")" then
        return nil, string_format("NEAR( at offset %d: the distance "
          .. "after ',' must be a whole number and then ')'", start - 1)
      end
      dist, i = tonumber(n), rest + 1
      break
    else
      local t, ni = term_at(s, i, true)
      if ni == i then ni = i + 1 end
      if t then terms[#terms + 1] = t end
      i = ni
    end
  end
  if #terms < 2 then
    return nil, string_format("NEAR( at offset %d needs two terms or more",
      start - 1)
  end
  return { kind = "near", terms = terms, distance = dist }, i
end

-- The items of s: { term or near, negated =, joined = (OR with the one
-- before) }.
local function items_of(s)
  local items, i, n, pending_or = {}, 1, #s, false
  while true do
    i = s:find("[^%s]", i)
    if not i then break end
    local neg = false
    if s:sub(i, i) == "-" and s:find('^[%w\128-\255"]', i + 1) then
      neg, i = true, i + 1
    end
    local item, ni
    if s:find("^NEAR%(", i) then
      item, ni = near_at(s, i)
      if not item then return nil, ni end
    elseif not neg and s:find("^OR[%s]", i) and #items > 0
        and not pending_or and s:find("[^%s]", i + 2) then
      pending_or, ni = true, i + 2
    else
      item, ni = term_at(s, i, false)
      if ni == i then ni = i + 1 end
    end
    if item then
      item.negated = neg
      item.joined = pending_or and not neg and not items[#items].negated
      pending_or = false
      items[#items + 1] = item
    end
    i = ni
    if i > n then break end
  end
  return items
end

local function fts_item(it)
  if it.kind ~= "near" then return fts_term(it) end
  local parts = {}
  for k, t in ipairs(it.terms) do parts[k] = fts_term(t) end
  return "NEAR(" .. table_concat(parts, " ") .. ", " .. it.distance .. ")"
end

--- Parse text: { fts = FTS5 expression or nil (nothing to search),
-- terms = the positive terms (for KWIC) } or nil, message.
function M.parse(text)
  local items, err = items_of(text)
  if not items then return nil, err end
  local groups, neg, terms = {}, {}, {}
  for _, it in ipairs(items) do
    if it.negated then
      neg[#neg + 1] = fts_item(it)
    else
      local g = it.joined and groups[#groups] or nil
      if g then g[#g + 1] = fts_item(it)
      else groups[#groups + 1] = { fts_item(it) } end
      for _, t in ipairs(it.kind == "near" and it.terms or { it }) do
        terms[#terms + 1] = t
      end
    end
  end
  if #groups == 0 then
    if #neg > 0 then
      return nil, "the search has only exclusions (-word): add a word to "
        .. "search for"
    end
    return { terms = terms }
  end
  -- AND by juxtaposition between plain phrases, as FTS5 allows (the
  -- words count against max_query_terms as the analyst typed them); an
  -- explicit AND next to a group
  local fts = ""
  for k, g in ipairs(groups) do
    local e = #g > 1 and "(" .. table_concat(g, " OR ") .. ")" or g[1]
    local plain = e:sub(1, 1) == '"'
    if k > 1 then fts = fts .. ((plain and groups[k - 1].plain) and " "
      or " AND ") end
    fts, g.plain = fts .. e, plain
  end
  for _, x in ipairs(neg) do fts = "(" .. fts .. ") NOT " .. x end
  return { fts = fts, terms = terms }
end

-- ---- the KWIC matcher ----

-- A literal for PCRE2: ASCII punctuation escaped.
local function escape(s)
  return (s:gsub("[%p]", "\\%0"))
end

local WORD = "[\\p{L}\\p{N}]"
-- A match starts where no word character, and no URL or address
-- character glued to the word, precedes it; it ends where no word
-- character follows, nor a path or a domain ending.
local BEFORE = "(?<![\\p{L}\\p{N}_/@#=&%\\\\.])"
local AFTER = "(?![\\p{L}\\p{N}_]|/|\\.[a-z]{2,}\\b|@)"

-- Is c (the first or last character of a term) a CJK one (no spaces
-- between words, so no word boundary to ask for)?
local function is_cjk_byte(s)
  local b = s:byte(1) or 0
  return b >= 0xE3 and b <= 0xED
end

-- The English word forms a stemmed index folds into one (as the
-- stemmer's first step: plural, -ed, -ing): "attack" matches attacks,
-- attacked, attacking; "policy" policies; "stop" stopped. w is ASCII
-- letters; other words are matched as they are.
local function forms(w)
  if #w < 3 or w:find("[^%a]") then return escape(w) end
  local l = w:lower()
  local root = l:match("^(.-)ies$") or l:match("^(.-[^aeiou])y$")
  if root and #root >= 2 then return root .. "(?:y|ies|ied|ying)" end
  root = l:match("^(.-[aeiou].-)ing$") or l:match("^(.-[aeiou].-)ed$")
    or l:match("^(.-)sses$") and l:sub(1, -3)
    or (not l:find("[su]s$") and l:match("^(.-)s$")) or l
  if #root < 3 then root = l end
  root = root:gsub("(%a)%1$", "%1")           -- stopp(ed) -> stop
  local tail = root:sub(-1)
  if tail == "e" then root = root:sub(1, -2) end
  return root .. (tail == "e" and "e?" or "")
    .. (tail:find("[^aeiouwxy]") and (tail .. "?") or "")
    .. "(?:s|es|ed|d|ing)?"
end

local function term_pattern(t, stemmed)
  local words = {}
  for w in t.text:gmatch("[%w\128-\255]+") do
    words[#words + 1] = (stemmed and not t.prefix) and forms(w) or escape(w)
  end
  if #words == 0 then return nil end
  local body = table_concat(words, "[^\\p{L}\\p{N}]{1,8}")
  local first = t.text:match("[%w\128-\255]+")
  local last = t.text:match("([%w\128-\255]+)[^%w\128-\255]*$")
  local lead = is_cjk_byte(first) and "" or BEFORE
  local tail
  if t.prefix then tail = WORD .. "*"
  elseif is_cjk_byte(last:sub(-3)) then tail = ""
  else tail = AFTER end
  return lead .. body .. tail
end

--- A PCRE2 pattern (flags "i") matching each positive term of a parsed
-- search as the index does: whole words, phrases with any punctuation
-- or spacing between their words, prefixes; with stemmed (an index of
-- English stems) each word's forms too; nil without terms.
function M.kwic_pattern(parsed, stemmed)
  local alts = {}
  for _, t in ipairs(parsed.terms) do
    local p = term_pattern(t, stemmed)
    if p then alts[#alts + 1] = p end
  end
  if #alts == 0 then return nil end
  return "(?:" .. table_concat(alts, "|") .. ")"
end

return M
