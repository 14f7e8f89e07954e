-- spec/quote_score.lua - scores extracted quotes against the labelled
-- pages in spec/fixtures/quotes (used by spec/quotes_spec.lua and by
-- `make eval`). A quote matches a label when their words agree (token F1
-- at least 0.8, case and punctuation ignored); precision, recall, speaker
-- and kind accuracy are micro-averaged over all pages.
local M = {}

local function words(s)
  local t = {}
  for w in s:lower():gmatch("[%w\128-\255]+") do t[#t + 1] = w end
  return t
end

local function token_f1(a, b)
  local wa, wb = words(a), words(b)
  if #wa == 0 or #wb == 0 then return 0 end
  local count = {}
  for _, w in ipairs(wa) do count[w] = (count[w] or 0) + 1 end
  local common = 0
  for _, w in ipairs(wb) do
    if (count[w] or 0) > 0 then
      common = common + 1
      count[w] = count[w] - 1
    end
  end
  if common == 0 then return 0 end
  local p, r = common / #wb, common / #wa
  return 2 * p * r / (p + r)
end
M.token_f1 = token_f1

local function norm_name(s)
  if not s then return "" end
  return (s:lower():gsub("^the ", ""):gsub("%s+", " "))
end

--- Score one page: labels = { quotes = {...}, negatives = {...} }, got =
-- the parser's quotes. Returns a table of counts and the mismatches.
function M.page(labels, got)
  local r = { labels = #labels.quotes, found = #got, matched = 0,
              speaker_ok = 0, kind_ok = 0, negatives_hit = 0,
              missed = {}, extra = {}, wrong_speaker = {} }
  local used = {}
  for _, l in ipairs(labels.quotes) do
    local best, best_f = nil, 0.8
    for j, q in ipairs(got) do
      if not used[j] then
        local f = token_f1(l.text, q.text)
        if f >= best_f then best, best_f = j, f end
      end
    end
    if best then
      used[best] = true
      r.matched = r.matched + 1
      local q = got[best]
      if norm_name(q.speaker) == norm_name(l.speaker or nil) then
        r.speaker_ok = r.speaker_ok + 1
      else
        r.wrong_speaker[#r.wrong_speaker + 1] = { label = l, got = q }
      end
      if q.kind == l.kind then r.kind_ok = r.kind_ok + 1 end
    else
      r.missed[#r.missed + 1] = l
    end
  end
  for j, q in ipairs(got) do
    if not used[j] then r.extra[#r.extra + 1] = q end
  end
  for _, neg in ipairs(labels.negatives or {}) do
    for _, q in ipairs(got) do
      if q.text:find(neg, 1, true) then
        r.negatives_hit = r.negatives_hit + 1
        break
      end
    end
  end
  return r
end

--- Score every labelled page with parse (a function path -> article).
function M.all(dir, parse)
  local labels = dofile(dir .. "/labels.lua")
  local total = { labels = 0, found = 0, matched = 0, speaker_ok = 0,
                  kind_ok = 0, negatives_hit = 0, negatives = 0, pages = {} }
  local names = {}
  for name in pairs(labels) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    local a = assert(parse(dir .. "/" .. name))
    local r = M.page(labels[name], a.quotes)
    r.name = name
    total.pages[#total.pages + 1] = r
    for _, k in ipairs { "labels", "found", "matched", "speaker_ok",
                         "kind_ok", "negatives_hit" } do
      total[k] = total[k] + r[k]
    end
    total.negatives = total.negatives + #(labels[name].negatives or {})
  end
  total.precision = total.found > 0 and total.matched / total.found or 0
  total.recall = total.labels > 0 and total.matched / total.labels or 0
  total.speaker_accuracy = total.matched > 0
    and total.speaker_ok / total.matched or 0
  total.kind_accuracy = total.matched > 0 and total.kind_ok / total.matched
    or 0
  return total
end

return M
