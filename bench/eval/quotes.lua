-- bench/eval/quotes.lua: quotes and speakers: the invented labelled
-- pages of spec/fixtures/quotes, the PolNeAR dev gold (scored by
-- ../shared/tools/score_quotes.py, broken down by `via` and by half) and
-- the answer turns of the foreign-ministry transcripts (mfa_en, mfa_zh).
local loupe = require "loupe"
local cjson = require "cjson"
local U = require "eval.util"

local M = {}

--- The invented pages (spec/quote_score.lua does the scoring).
function M.fixtures()
  local qscore = dofile("spec/quote_score.lua")
  local qt = qscore.all("spec/fixtures/quotes", function(path)
    return loupe.parse_file(path)
  end)
  return { labels = qt.labels, pages = #qt.pages, precision = qt.precision,
           recall = qt.recall, speaker_accuracy = qt.speaker_accuracy,
           kind_accuracy = qt.kind_accuracy,
           negatives_hit = qt.negatives_hit, negatives = qt.negatives }
end

local function words(s)
  local _, n = s:gsub("%S+", "")
  return n
end

--- PolNeAR dev: every article parsed; a prediction is each quote whose
-- kind is not "reported" (the gold holds quoted spans only; reported
-- speech has no quotation marks), with its text and speaker. Halves by
-- article: U.half_of(article id) (the outlets are too few, 7, to split
-- on). Returns the figures of quotes_by_via.py for "all", "A", "B",
-- and, on all articles, the same with predictions of 2+ words only.
function M.polnear(shared, bench_dir)
  local dir = shared .. "/data/polnear-quotes-dev"
  local scorer = shared .. "/tools/score_quotes.py"
  local tmp = os.tmpname()
  local pred = assert(io.open(tmp .. "-pred.jsonl", "wb"))
  local pred2 = assert(io.open(tmp .. "-pred2.jsonl", "wb"))
  local halves = assert(io.open(tmp .. "-halves.tsv", "wb"))
  local n, reported = 0, 0
  for _, d in ipairs(U.jsonl_gz(dir .. "/articles.jsonl.gz")) do
    n = n + 1
    halves:write(d.id, "\t", U.half_of(d.id), "\n")
    local a = loupe.parse(d.text, { name = d.id })
    for _, q in ipairs(a and a.quotes or {}) do
      if q.kind == "reported" then
        reported = reported + 1
      else
        local rec = cjson.encode { id = d.id, text = q.text,
                                   speaker = q.speaker or cjson.null }
        pred:write(rec, "\n")
        if words(q.text) >= 2 then pred2:write(rec, "\n") end
      end
    end
  end
  pred:close()
  pred2:close()
  halves:close()
  local function run(p, out)
    local cmd = "python3 " .. U.sh_quote(bench_dir .. "/quotes_by_via.py")
      .. " " .. U.sh_quote(scorer) .. " " .. U.sh_quote(dir .. "/gold.jsonl")
      .. " " .. U.sh_quote(p) .. " " .. U.sh_quote(tmp .. "-halves.tsv")
      .. " " .. U.sh_quote(out)
    assert(os.execute(cmd), "quote scorer failed: " .. cmd)
    local r = cjson.decode(U.must_read(out))
    os.remove(out)
    return r
  end
  local res = run(tmp .. "-pred.jsonl", tmp .. "-out.json")
  local res2 = run(tmp .. "-pred2.jsonl", tmp .. "-out2.json")
  for _, s in ipairs { "-pred.jsonl", "-pred2.jsonl", "-halves.tsv", "" } do
    os.remove(tmp .. s)
  end
  res.articles, res.reported_left_out = n, reported
  res.two_words = { precision = res2.all.precision,
                    predictions = res2.all.predictions,
                    recall = res2.all.recall }
  return res
end

-- ------------------------------------------------------------- mfa

local function norm(s)
  return ((s or ""):gsub("\194\160", " ")
    :gsub("[\226][\128][\156\157]", '"')
    :gsub("[\226][\128][\152\153]", "'"):gsub("%s+", " ")
    :gsub("^ ", ""):gsub(" $", ""))
end

--- Does a quote's speaker name the spokesperson? Case-insensitive, a
-- leading title ("Spokesperson", "Mr", "Ms") dropped: the full name, or
-- the family name alone (the first word: names are given family first).
-- Chinese names (no space) must be whole.
local function names_spokesperson(speaker, spokesperson)
  if not speaker then return false end
  local s = norm(speaker):lower():gsub("^spokesperson%s+", "")
    :gsub("^mr%.?%s+", ""):gsub("^ms%.?%s+", "")
  local full = norm(spokesperson):lower()
  return s == full or (full:find(" ", 1, true) ~= nil
                       and s == full:match("^(%S+)"))
end

--- The first words of a turn, as the key a quote must hold: 8 words
-- (English), or 12 characters with every space dropped (Chinese, whose
-- wrapped lines pick up spaces when joined).
local function turn_key(rest, zh)
  if zh then
    local chars = {}
    for ch in rest:gsub("%s+", ""):gmatch("[%z\1-\127\194-\244][\128-\191]*") do
      chars[#chars + 1] = ch
      if #chars == 12 then break end
    end
    return table.concat(chars)
  end
  local w = {}
  for x in rest:gmatch("%S+") do
    w[#w + 1] = x
    if #w == 8 then break end
  end
  return table.concat(w, " ")
end

--- Answer turns of a transcript, from the data set's own `text` (one
-- paragraph a block): paragraphs opened by "A:" (up to 2019) or by the
-- spokesperson's name and a colon ("Zhao Lijian:", 2020); in Chinese
-- 答： or the name and a full-width colon. Returns the key of each.
local function answer_turns(d, zh)
  local out = {}
  local name = d.speaker
  for para in (d.text .. "\n\n"):gmatch("(.-)\n%s*\n") do
    para = norm(para)
    local rest = para:match("^A%s*:%s*(.+)$") or para:match("^答：%s*(.+)$")
    for _, colon in ipairs { ":", "：" } do
      if not rest and para:sub(1, #name + #colon) == name .. colon then
        rest = para:sub(#name + #colon + 1):gsub("^ ", "")
      end
    end
    if rest and rest ~= "" then out[#out + 1] = turn_key(rest, zh) end
  end
  return out
end

--- Share of the answer turns of mfa_en (or mfa_zh with lang "zh"; pages
-- with a known spokesperson) attributed to the right spokesperson: a turn
-- counts when some quote of loupe.parse(page_text) covers it (the
-- quote's text, whitespace and quote marks folded, all spaces dropped in
-- Chinese, holds the turn's key) and its speaker names the
-- spokesperson. Also the older figure: quotes credited to a named
-- speaker, and how many to the spokesperson.
function M.mfa(shared, lang)
  local zh = lang == "zh"
  local path = shared .. "/data/mfa-spokesperson-2016-2020/mfa_"
    .. (zh and "zh" or "en") .. ".jsonl.gz"
  local r = { pages = 0, turns = 0, covered = 0, right = 0,
              credited = 0, to_spokesperson = 0, by_kind = {} }
  for _, d in ipairs(U.jsonl_gz(path)) do
    if d.speaker ~= cjson.null and d.page_text ~= cjson.null then
      local a = loupe.parse(d.page_text, { name = d.id })
      if a then
        r.pages = r.pages + 1
        local qs = {}
        for _, q in ipairs(a.quotes) do
          local t = norm(q.text)
          qs[#qs + 1] = { text = zh and t:gsub("%s+", "") or t, q = q }
          r.by_kind[q.kind] = (r.by_kind[q.kind] or 0) + 1
          if q.speaker and names_spokesperson(q.speaker, d.speaker) then
            r.to_spokesperson = r.to_spokesperson + 1
            r.credited = r.credited + 1
          elseif q.speaker and q.kind ~= "phrase" then
            r.credited = r.credited + 1
          end
        end
        for _, turn in ipairs(answer_turns(d, zh)) do
          r.turns = r.turns + 1
          local covered, right = false, false
          for _, x in ipairs(qs) do
            if x.text:find(turn, 1, true) then
              covered = true
              if names_spokesperson(x.q.speaker, d.speaker) then
                right = true
                break
              end
            end
          end
          if covered then r.covered = r.covered + 1 end
          if right then r.right = r.right + 1 end
        end
      end
    end
  end
  r.right_rate = r.turns > 0 and r.right / r.turns or 0
  return r
end

return M
