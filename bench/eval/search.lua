-- bench/eval/search.lua: full-text search recall on the foreign-ministry
-- pages (mfa_zh, mfa_en). Every page is added to an in-memory corpus;
-- for each term the articles found by corpus:query(term) are compared
-- with the articles whose stored title or body contains the term: a plain
-- substring for Chinese, a whole word (case folded) for English. Recall
-- is found / containing; "extra" counts articles found that do not
-- contain it (their text matches after the tokenizer's folding only).
local cjson = require "cjson"
local U = require "eval.util"
local loupe = require "loupe"

local M = {}

-- Terms an analyst of the briefings would type: compounds and the
-- shorter words inside them, a name, a phrase, one character alone and
-- one absent title.
M.ZH_TERMS = {
  "网络攻击", "网络", "网", "黑客", "黑客帝国", "中美关系", "台湾", "香港",
  "新冠肺炎", "疫情", "一带一路", "朝鲜半岛", "南海", "贸易", "制裁",
  "人权", "世界卫生组织", "主权", "多边主义", "发言人",
}
M.EN_TERMS = {
  "hacker", "hackers", "cyber", "sanctions", "Taiwan", "coronavirus",
  "Xinjiang", "trade", "sovereignty", "multilateralism",
}

-- The corpus of the pages of path, the text of each article by id and
-- the set of spokespersons the records name (their `speaker` field).
local function load(path)
  local c = assert(loupe.open(":memory:"))
  local named = {}
  for _, d in ipairs(U.jsonl_gz(path)) do
    if d.page_text ~= cjson.null then
      assert(c:add(d.page_text, { path = tostring(d.id) }))
      if type(d.speaker) == "string" then named[d.speaker] = true end
    end
  end
  local texts = {}
  for a in c:articles() do
    texts[a.id] = (a.title or "") .. "\n" .. (a.body or "")
  end
  return c, texts, named
end

-- The most quoted speakers of corpus:speakers() (as many as the records
-- name spokespersons, issue 12: the spokespersons are the top four) and
-- how many of them are spokespersons (by name or by an alias).
local function top_speakers(c, named)
  local want = 0
  for _ in pairs(named) do want = want + 1 end
  local rows = assert(c:speakers())
  local top, right = {}, 0
  for k = 1, math.min(want, #rows) do
    local r, hit = rows[k], named[rows[k].name]
    for _, a in ipairs(r.aliases or {}) do hit = hit or named[a] end
    if hit then right = right + 1 end
    top[k] = string.format("%s (%d)", r.name, r.quotes)
  end
  return { want = want, right = right, names = top }
end

local function contains_zh(text, term)
  return text:find(term, 1, true) ~= nil
end

local function contains_en(text, term)
  return text:lower():find("%f[%w]" .. term:lower() .. "%f[%W]") ~= nil
end

local function score(c, texts, terms, contains)
  local rows, all = {}, { containing = 0, found = 0, extra = 0 }
  for _, term in ipairs(terms) do
    local r = { term = term, containing = 0, found = 0, extra = 0 }
    local hit = {}
    for _, id in ipairs(assert(c:query(term):ids())) do hit[id] = true end
    for id, text in pairs(texts) do
      local has = contains(text, term)
      if has then r.containing = r.containing + 1 end
      if has and hit[id] then r.found = r.found + 1 end
      if hit[id] and not has then r.extra = r.extra + 1 end
    end
    r.recall = r.containing > 0 and r.found / r.containing or 1
    for _, k in ipairs({ "containing", "found", "extra" }) do
      all[k] = all[k] + r[k]
    end
    rows[#rows + 1] = r
  end
  all.recall = all.containing > 0 and all.found / all.containing or 1
  local min = 1
  for _, r in ipairs(rows) do min = math.min(min, r.recall) end
  all.min_recall = min
  return { terms = rows, all = all }
end

function M.run(shared)
  local dir = shared .. "/data/mfa-spokesperson-2016-2020/"
  local out = {}
  for _, set in ipairs({
    { name = "zh", file = "mfa_zh.jsonl.gz", terms = M.ZH_TERMS,
      contains = contains_zh },
    { name = "en", file = "mfa_en.jsonl.gz", terms = M.EN_TERMS,
      contains = contains_en },
  }) do
    local c, texts, named = load(dir .. set.file)
    local n = 0
    for _ in pairs(texts) do n = n + 1 end
    local r = score(c, texts, set.terms, set.contains)
    r.articles = n
    -- talking points that recur in at least 3 years (issue 14: on
    -- characters for Chinese, with the same options as English)
    local pts = assert(c:talking_points { min_years = 3 })
    r.points3 = #pts
    r.points3_top = {}
    for k = 1, math.min(5, #pts) do r.points3_top[k] = pts[k].text end
    r.top_speakers = top_speakers(c, named)
    out[set.name] = r
    c:close()
  end
  return out
end

return M
