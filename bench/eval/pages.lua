-- bench/eval/pages.lua: body and date figures on the dev page sets of
-- ../shared/data (extraction-dev, l3s-dev, dates-dev), on their text
-- dumps or their HTML, per set, per half of the sites and overall, and
-- the worst pages with the rule and the line that decided.
local loupe = require "loupe"
local cjson = require "cjson"
local U = require "eval.util"

local M = {}

-- The page sets: folder, whether it has body gold, how to find a page's
-- site (extraction-dev has no sources.tsv: its ground truth's url).
M.SETS = {
  { name = "extraction", dir = "extraction-dev", body = true },
  { name = "l3s", dir = "l3s-dev", body = true },
  { name = "dates", dir = "dates-dev", body = false },
}

local function null(v)
  if v == cjson.null then return nil end
  return v
end

--- Load a set's ids, sites, halves, body truth and date gold.
function M.load(shared, def)
  local dir = shared .. "/data/" .. def.dir
  local set = { name = def.name, dir = dir, label = def.dir,
                has_body = def.body, ids = U.lines_of(dir .. "/ids.txt"),
                site = {}, half = {}, gold = {} }
  if def.body then
    set.truth = cjson.decode(U.must_read(dir .. "/ground-truth.json"))
  end
  if U.exists(dir .. "/sources.tsv") then
    for _, r in ipairs(U.tsv(dir .. "/sources.tsv")) do
      set.site[r.id] = r.site
    end
  end
  for _, id in ipairs(set.ids) do
    if not set.site[id] then
      local t = set.truth and set.truth[id]
      assert(t and t.url, def.dir .. ": no site known for page " .. id)
      set.site[id] = U.site_of(t.url)
    end
    set.half[id] = U.half_of(set.site[id])
  end
  for _, d in ipairs(U.jsonl(dir .. "/dates.jsonl")) do
    set.gold[d.id] = {
      date = null(d.gold_date), visible = d.visible_in_text == true,
      match = null(d.visible_match),
      line = null(d.visible_line) and math.tointeger(d.visible_line),
    }
  end
  return set
end

-- --------------------------------------------------------------- input

--- The input of a page in a format: its text dump, or its HTML.
function M.input(set, id, format)
  if format == "html" then
    return U.gunzip(set.dir .. "/html/" .. id .. ".html.gz")
  end
  return U.read(set.dir .. "/text/" .. id .. ".txt")
end

--- Can loupe.parse take HTML? Tried on one real page: the call must
-- accept {format = "html"} and say the record came from HTML.
-- Returns true, or false and why not.
function M.html_supported(set)
  local id = set.ids[1]
  local html, err = M.input(set, id, "html")
  if not html then return false, err end
  local ok, a, perr = pcall(loupe.parse, html, { format = "html", name = id })
  if not ok then return false, tostring(a) end
  if not a then return false, tostring(perr) end
  if a.source_format ~= "html" then
    return false, "the record has source_format "
      .. tostring(a.source_format) .. ", not \"html\""
  end
  return true
end

local function parse(input, id, format, extra)
  if not input then return nil, "unreadable" end
  local opts = { name = id }
  if format == "html" then opts.format = "html" end
  for k, v in pairs(extra or {}) do opts[k] = v end
  return loupe.parse(input, opts)
end

-- --------------------------------------------------------------- run

--- Parse every page of a set; returns the per-page results.
function M.run(set, format)
  local pages = {}
  for _, id in ipairs(set.ids) do
    local input = M.input(set, id, format)
    local a, err = parse(input, id, format)
    local g = set.gold[id] or {}
    local got = a and a.date and a.date:sub(1, 10) or nil
    pages[#pages + 1] = {
      id = id, site = set.site[id], half = set.half[id],
      body = a and a.body or "", err = not a and err or nil,
      date = got, date_full = a and a.date,
      date_prov = a and a.provenance and a.provenance.date,
      gold_date = g.date, visible = g.visible, gold_match = g.match,
      gold_line = g.line,
    }
  end
  return pages
end

-- ------------------------------------------------------------- figures

local function date_counts(pages)
  local function new() return { n = 0, right = 0, wrong = 0, none = 0 } end
  local c = { visible = new(), gold = new(), hidden = new(),
              nogold = { n = 0, answered = 0 } }
  for _, p in ipairs(pages) do
    if p.gold_date then
      local kinds = { c.gold, p.visible and c.visible or c.hidden }
      for _, k in ipairs(kinds) do
        k.n = k.n + 1
        if not p.date then k.none = k.none + 1
        elseif p.date == p.gold_date then k.right = k.right + 1
        else k.wrong = k.wrong + 1 end
      end
    else
      c.nogold.n = c.nogold.n + 1
      if p.date then c.nogold.answered = c.nogold.answered + 1 end
    end
  end
  for _, k in ipairs { c.visible, c.gold, c.hidden } do
    local n = k.n > 0 and k.n or 1
    k.right_rate, k.wrong_rate = k.right / n, k.wrong / n
    k.none_rate = k.none / n
  end
  return c
end

local HALVES = { "all", "A", "B" }

local function by_half(pages, half)
  if half == "all" then return pages end
  local out = {}
  for _, p in ipairs(pages) do
    if p.half == half then out[#out + 1] = p end
  end
  return out
end

local function pages_scores(pages)
  local rs = {}
  for _, p in ipairs(pages) do rs[#rs + 1] = p.score end
  return rs
end

local function count_sites(pages)
  local s, n = {}, 0
  for _, p in ipairs(pages) do
    if not s[p.site] then s[p.site], n = true, n + 1 end
  end
  return n
end

--- Score a set's bodies (and the whole-page baseline on text dumps)
-- with score_extraction.py; attach per-page tp/fp/fn.
function M.score(set, pages, scorer, format)
  local res = { pages = {}, sites = {}, dates = {} }
  for _, h in ipairs(HALVES) do
    local ps = by_half(pages, h)
    res.pages[h], res.sites[h] = #ps, count_sites(ps)
    res.dates[h] = date_counts(ps)
  end
  if not set.has_body then return res end
  res.body = {}
  local pred, ids = {}, {}
  for _, p in ipairs(pages) do
    pred[p.id], ids[#ids + 1] = p.body, p.id
  end
  local rows, overall = U.score_bodies(scorer,
    set.dir .. "/ground-truth.json", pred, ids)
  for _, p in ipairs(pages) do p.score = rows[p.id] end
  -- the halves are aggregated here as the scorer aggregates; check that
  -- this gives the scorer's own figure on all pages
  local mine = U.macro(pages_scores(pages))
  for _, k in ipairs { "precision", "recall", "f1" } do
    assert(math.abs(mine[k] - overall[k]) < 1e-9,
      "macro " .. k .. " differs from the scorer's")
  end
  for _, h in ipairs(HALVES) do
    res.body[h] = U.macro(pages_scores(by_half(pages, h)))
  end
  -- the line diagnostics tokenize in Lua: count the pages where that
  -- gives the scorer's own tp/fp/fn
  local agree = 0
  for _, p in ipairs(pages) do
    local t = U.shingles(U.tokens(set.truth[p.id].articleBody or ""))
    local q, nq = U.shingles(U.tokens(p.body))
    local tp, nt = 0, 0
    for k, c in pairs(q) do tp = tp + math.min(c, t[k] or 0) end
    for _, c in pairs(t) do nt = nt + c end
    local r = p.score
    if r.tp == tp and r.fp == nq - tp and r.fn == nt - tp then
      agree = agree + 1
    end
  end
  res.tokenizer_agrees = agree
  if format == "text" then
    local whole = {}
    for _, p in ipairs(pages) do
      whole[p.id] = M.input(set, p.id, "text") or ""
    end
    local wrows = U.score_bodies(scorer, set.dir .. "/ground-truth.json",
      whole, ids)
    res.baseline = {}
    for _, h in ipairs(HALVES) do
      local rs = {}
      for _, p in ipairs(by_half(pages, h)) do rs[#rs + 1] = wrows[p.id] end
      res.baseline[h] = U.macro(rs)
    end
  end
  return res
end


--- Pool several sets' results into one "overall" figure: dates over
-- every page with gold, bodies macro-averaged over every page with body
-- gold (so a set weighs by its number of pages).
function M.pool(runs)
  local all, body_pages = {}, {}
  for _, r in ipairs(runs) do
    for _, p in ipairs(r.pages) do
      all[#all + 1] = p
      if r.set.has_body then body_pages[#body_pages + 1] = p end
    end
  end
  local res = { pages = {}, sites = {}, dates = {}, body = {} }
  for _, h in ipairs(HALVES) do
    local ps = by_half(all, h)
    res.pages[h], res.sites[h] = #ps, count_sites(ps)
    res.dates[h] = date_counts(ps)
    local bs = by_half(body_pages, h)
    if #bs > 0 then res.body[h] = U.macro(pages_scores(bs)) end
  end
  if not next(res.body) then res.body = nil end
  return res
end

-- ------------------------------------------------------- diagnostics

--- The lines that decided a page's body: kept lines that the gold does
-- not hold and gold lines that were not kept, each with the labeller's
-- label and reason (text dumps), or, on HTML, the paragraphs kept with
-- their rule and the gold paragraphs missed. Sorted by weight (tokens).
function M.body_diagnosis(set, id, format)
  local input = M.input(set, id, format)
  local truth = set.truth[id].articleBody or ""
  local kept, dropped = {}, {}
  local a = parse(input, id, format, { lines = format == "text" })
  if format == "text" and a and a.lines then
    local gold = U.gold_index(truth)
    local src = U.split_lines(input)
    -- lines kept claim their gold shingles first, in page order; a line
    -- not kept is "dropped" only for the gold that no kept line claimed
    local rows = {}
    for pass = 1, 2 do
      for _, l in ipairs(a.lines) do
        local body = l.label == "body"
        if l.label ~= "blank" and body == (pass == 1) then
          local text = src[l.line] or ""
          local frac, ntok = U.in_gold(gold, text, true)
          rows[#rows + 1] = { line = l.line, label = l.label,
            reason = l.reason, text = text, tokens = ntok, frac = frac,
            body = body }
        end
      end
    end
    for _, r in ipairs(rows) do
      if r.body and r.frac < 0.5 then
        r.weight = r.tokens * (1 - r.frac)
        kept[#kept + 1] = r
      elseif not r.body and r.frac >= 0.5 then
        r.weight = r.tokens * r.frac
        dropped[#dropped + 1] = r
      end
    end
  else
    local gold = U.gold_index(truth)
    local pred = U.gold_index(a and a.body or "")
    for i, para in ipairs(a and a.paragraphs or {}) do
      local frac, ntok = U.in_gold(gold, para, true)
      if frac < 0.5 then
        local pv = a.provenance.paragraphs[i] or {}
        kept[#kept + 1] = { line = pv.line, label = "body",
          reason = pv.rule, text = para, tokens = ntok, frac = frac,
          weight = ntok * (1 - frac) }
      end
    end
    for para in (truth .. "\n"):gmatch("([^\n]*)\n") do
      local frac, ntok = U.in_gold(pred, para, true)
      if ntok > 0 and frac < 0.5 then
        dropped[#dropped + 1] = { label = "-", reason = "not in body",
          text = para, tokens = ntok, frac = 1 - frac,
          weight = ntok * (1 - frac) }
      end
    end
  end
  local function heavy(x, y) return x.weight > y.weight end
  table.sort(kept, heavy)
  table.sort(dropped, heavy)
  return kept, dropped, a
end

--- The line a date came from, around the date, cut to n characters.
function M.date_window(set, p, format, n)
  if not p.date_prov then return "" end
  return U.window(M.input(set, p.id, format), p.date_prov.line,
    p.date_prov.offset, n)
end

--- Pages sorted from worst body F1 up.
function M.worst_bodies(pages, half, n)
  local ps = {}
  for _, p in ipairs(by_half(pages, half)) do
    if p.score then
      local pr, rc, f = U.page_prf(p.score)
      ps[#ps + 1] = { page = p, p = pr, r = rc, f1 = f }
    end
  end
  table.sort(ps, function(x, y)
    if x.f1 ~= y.f1 then return x.f1 < y.f1 end
    return x.page.id < y.page.id
  end)
  local out = {}
  for i = 1, math.min(n, #ps) do out[i] = ps[i] end
  return out
end

--- Date misses, worst first: a wrong date on a page whose date is
-- visible, a wrong date on a page whose date is not, then no date
-- although it is visible.
function M.worst_dates(pages, half, n)
  local ps = {}
  for _, p in ipairs(by_half(pages, half)) do
    if p.gold_date and p.date ~= p.gold_date then
      local rank = p.date and (p.visible and 1 or 2) or (p.visible and 3)
      if rank then ps[#ps + 1] = { page = p, rank = rank } end
    end
  end
  table.sort(ps, function(x, y)
    if x.rank ~= y.rank then return x.rank < y.rank end
    return x.page.id < y.page.id
  end)
  local out = {}
  for i = 1, math.min(n, #ps) do out[i] = ps[i] end
  return out, #ps
end

M.by_half = by_half
M.HALVES = HALVES

return M
