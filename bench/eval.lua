-- bench/eval.lua: extraction quality on real pages from ../shared (never
-- needed by `make test`). Prints each seed's fields, then body precision,
-- recall and F1 on the extraction-dev text dumps against the trivial
-- "whole page is the body" baseline, date accuracy to the day, quotes and
-- speakers, and body extraction on hard-wrapped wire copy.
-- Usage: lua5.4 bench/eval.lua [SHARED_DIR]
local loupe = require "loupe"
local cjson = require "cjson"

local shared = arg[1] or "../shared"
local dev = shared .. "/data/extraction-dev"
local scorer = shared .. "/tools/score_extraction.py"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function sh_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- 1. seeds
print("== seeds (" .. shared .. "/seeds)")
local p = io.popen("ls " .. sh_quote(shared .. "/seeds"))
for name in p:lines() do
  local a, err = loupe.parse_file(shared .. "/seeds/" .. name)
  print("-- " .. name)
  if not a then
    print("   error: " .. err)
  else
    for _, k in ipairs { "title", "date", "date_precision", "dateline",
                         "credit", "outlet", "lang" } do
      print(string.format("   %-15s %s", k, tostring(a[k])))
    end
    for _, k in ipairs { "authors", "editors" } do
      print(string.format("   %-15s %s", k, table.concat(a[k], "; ")))
    end
    print(string.format("   %-15s %d", "paragraphs", #a.paragraphs))
  end
end
p:close()

-- 2. body extraction on the dev text dumps
local ids = {}
for id in io.lines(dev .. "/ids.txt") do ids[#ids + 1] = id end
local pred, base = {}, {}
local parsed = {}
for _, id in ipairs(ids) do
  local text = read(dev .. "/text/" .. id .. ".txt")
  local a = loupe.parse(text, { name = id })
  parsed[id] = a
  pred[id] = { articleBody = a and a.body or "" }
  base[id] = { articleBody = text }
end
local tmp = os.tmpname()
local function write_json(path, t)
  local f = assert(io.open(path, "wb"))
  f:write(cjson.encode(t))
  f:close()
end
write_json(tmp .. "-loupe.json", pred)
write_json(tmp .. "-base.json", base)
local function score(path, truth)
  local cmd = "python3 " .. sh_quote(scorer) .. " "
    .. sh_quote(truth or dev .. "/ground-truth.json") .. " " .. sh_quote(path)
    .. " --json " .. sh_quote(path .. ".score") .. " >/dev/null"
  assert(os.execute(cmd), "scorer failed: " .. cmd)
  local r = cjson.decode(read(path .. ".score"))
  os.remove(path .. ".score")
  return r
end
local function fig(r)
  -- the scorer's JSON: find precision/recall/f1 wherever it puts them
  local function find(t, key)
    if type(t) ~= "table" then return nil end
    if type(t[key]) == "number" then return t[key] end
    if type(t[key]) == "table" and type(t[key][1]) == "number" then
      return t[key][1]
    end
    for _, v in pairs(t) do
      local x = find(v, key)
      if x then return x end
    end
  end
  return find(r, "precision"), find(r, "recall"), find(r, "f1")
end
local lp, lr, lf = fig(score(tmp .. "-loupe.json"))
local bp, br, bf = fig(score(tmp .. "-base.json"))
os.remove(tmp .. "-loupe.json")
os.remove(tmp .. "-base.json")
os.remove(tmp)
print(("\n== body extraction, %d dev text dumps (4-token shingles, macro)")
  :format(#ids))
local row = "   %-22s P %.3f  R %.3f  F1 %.3f"
print(row:format("loupe", lp, lr, lf))
print(row:format("baseline: whole page", bp, br, bf))

-- 3. dates, on pages whose gold date is visible in the dump
local n, right, none, wrong = 0, 0, 0, {}
for line in io.lines(dev .. "/dates.jsonl") do
  local d = cjson.decode(line)
  if d.visible_in_text and d.gold_date ~= cjson.null then
    n = n + 1
    local a = parsed[d.id]
    local got = a and a.date and a.date:sub(1, 10)
    if got == d.gold_date then right = right + 1
    elseif not got then
      none = none + 1
      wrong[#wrong + 1] = d.id .. " none want " .. d.gold_date
    else
      wrong[#wrong + 1] = d.id .. " got " .. got .. " want " .. d.gold_date
    end
  end
end
print(("\n== dates: right to the day on %d of %d visible (%.3f); "
  .. "%d without a date"):format(right, n, right / n, none))
if os.getenv("LOUPE_EVAL_VERBOSE") then
  for _, w in ipairs(wrong) do print("   " .. w) end
end

-- 4. quotes and speakers on the labelled invented pages
local qscore = dofile("spec/quote_score.lua")
local qt = qscore.all("spec/fixtures/quotes", function(path)
  return loupe.parse_file(path)
end)
print(("\n== quotes, %d labelled in %d invented pages (spec/fixtures/quotes)")
  :format(qt.labels, #qt.pages))
print(("   precision %.3f  recall %.3f  speaker accuracy %.3f  kind %.3f")
  :format(qt.precision, qt.recall, qt.speaker_accuracy, qt.kind_accuracy))
print(("   negatives taken for quotes: %d of %d"):format(qt.negatives_hit,
  qt.negatives))

-- 5. speakers on real transcripts: in the Foreign Ministry pages of
-- ../shared the spokesperson of each briefing is known from the data;
-- every quote loupe credits to a named person on such a page should be
-- that spokesperson unless the page names someone else in the text.
local mfa = shared .. "/data/mfa-spokesperson-2016-2020/mfa_en.jsonl.gz"
local fh = io.popen("gzip -dc " .. sh_quote(mfa) .. " 2>/dev/null")
local credited, to_spokesperson, pages_seen = 0, 0, 0
for line in fh:lines() do
  local d = cjson.decode(line)
  if d.speaker ~= cjson.null and d.page_text ~= cjson.null then
    local a = loupe.parse(d.page_text)
    if a then
      pages_seen = pages_seen + 1
      local surname = d.speaker:match("^(%S+)")
      for _, q in ipairs(a.quotes) do
        if q.speaker and q.speaker:find(surname, 1, true) then
          to_spokesperson = to_spokesperson + 1
          credited = credited + 1
        elseif q.speaker and q.kind ~= "phrase" then
          credited = credited + 1
        end
      end
    end
  end
end
fh:close()
print(("\n== speakers on %d real spokesperson transcripts (mfa_en)")
  :format(pages_seen))
print(("   %d quotes credited to a speaker, %d (%.3f) to the briefing's "
  .. "spokesperson"):format(credited, to_spokesperson,
  credited > 0 and to_spokesperson / credited or 0))
print("   (transcript turns 'A:' are not quotes; the figure covers quotes "
  .. "inside the answers)")

-- 6. hard-wrapped wire copy: Reuters-21578 stories keep their original
-- line breaks (wrapped near 64 columns, paragraphs opened by an indent,
-- the first line short where the dateline was cut). Every 7th story with
-- a text of prose (few digits, "the" in 1 word of 25) is put in a page
-- between a menu line, its headline and date, and a copyright footer;
-- the story without its "Reuter" sign-off is the body to find.
local wire = shared .. "/data/reuters-21578/reuters21578.jsonl.gz"
local wh = io.popen("gzip -dc " .. sh_quote(wire) .. " 2>/dev/null")
local wgold, wpred, wn, seen = {}, {}, 0, 0
local first_kept, paras_right = 0, 0
for line in wh:lines() do
  local d = cjson.decode(line)
  local text = d.text
  if d.text_type == "NORM" and #text > 400 then
    local _, digits = text:gsub("%d", "")
    local _, the = text:gsub("%f[%a][Tt]he%f[%A]", "")
    local _, words = text:gsub("%S+", "")
    if digits * 12 < #text and the * 25 > words then
      seen = seen + 1
      if seen % 7 == 0 and wn < 1500 then
        wn = wn + 1
        local title = d.title:gsub("<[^>]*>", ""):gsub("%s+$", "")
        local page = "Home | Markets | World | Business | Jobs\n\n" .. title
          .. "\n" .. d.date_raw .. "\n\n" .. text
          .. "\n\nCopyright 1987 Wire Archive. All rights reserved.\n"
        local gold = text:gsub("%s*[Rr][Ee][Uu][Tt][Ee][Rr]%s*$", "")
        local a = loupe.parse(page)
        wgold[d.id] = { articleBody = gold }
        wpred[d.id] = { articleBody = a and a.body or "" }
        local g1 = gold:match("^%s*(%S+%s+%S+)")
        if a and a.body:match("^(%S+%s+%S+)") == g1 then
          first_kept = first_kept + 1
        end
        -- paragraphs: the first, then one per indented line
        local want = 1
        for l in gold:gmatch("\n([^\n]*)") do
          if l:match("^  +%S") then want = want + 1 end
        end
        if a and #a.paragraphs == want then paras_right = paras_right + 1 end
      end
    end
  end
end
wh:close()
if wn > 0 then
  write_json(tmp .. "-wire-gold.json", wgold)
  write_json(tmp .. "-wire.json", wpred)
  local wp, wr, wf = fig(score(tmp .. "-wire.json", tmp .. "-wire-gold.json"))
  os.remove(tmp .. "-wire-gold.json")
  os.remove(tmp .. "-wire.json")
  print(("\n== hard-wrapped wire copy, %d Reuters-21578 stories in pages")
    :format(wn))
  print(row:format("loupe", wp, wr, wf))
  print(("   first words kept %d of %d; paragraph count right %d of %d")
    :format(first_kept, wn, paras_right, wn))
end
