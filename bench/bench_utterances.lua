-- bench/bench_utterances.lua - corpus:utterances() on a generated corpus
-- of invented articles (named and unnamed speakers, quotes reprinted by
-- other outlets with small edits), against the pairwise grouping it
-- replaced, in the same run. Prints the number of quotes and groups and
-- the CPU seconds (os.clock) of each way, with and without a speaker.
--
--   lua5.4 bench/bench_utterances.lua [ARTICLES [SEED]]   (default 3000)
--   BASELINE=0 skips the old pairwise grouping (quadratic: minutes);
--   KEEP=1 keeps the generated pages and corpus (the path is printed).
local loupe = require "loupe"

local clock = os.clock
local concat = table.concat
local fmt = string.format

local N = tonumber(arg[1] or "") or 3000
local seed = tonumber(arg[2] or "") or 15
local baseline = os.getenv("BASELINE") ~= "0"
math.randomseed(seed)
local rnd = math.random

local function pick(t) return t[rnd(#t)] end

local FIRST = { "Maren", "Osric", "Ilse", "Tamsin", "Corvin", "Edda",
  "Bastian", "Liesel", "Rurik", "Sabine", "Tobias", "Wenna", "Aurel",
  "Brisa", "Caspar", "Dagny", "Emeric", "Fenna", "Gisli", "Halla" }
local LAST = { "Telford", "Vane", "Brandt", "Korhonen", "Delacroix",
  "Marsh", "Quillon", "Ashdown", "Varga", "Lindqvist", "Okafor", "Pell",
  "Ruska", "Stroud", "Tennant", "Ulloa", "Wexley", "Yarrow", "Zeller",
  "Hallam" }
local ROLES = { "the finance minister", "a ferry operator",
  "the harbour master", "a council spokeswoman", "the mayor",
  "a union leader", "the port director", "an economist at Brackwater "
  .. "University" }
local OUTLETS = { "Brackwater Gazette", "Harrowgate Herald",
  "Tidewater Ledger", "Northmoor Post", "Isle Courier", "Saltmarsh Times" }
-- content words: 8,000 invented ones drawn with Zipf's law (the r-th
-- most common word with weight 1/r), as words spread in real text;
-- SMALL_VOCAB=1 draws from the first 60 only (a harsh case: every quote
-- shares words with most others)
local WORDS, CUM = {}, {}
do
  local syl = { "ka", "lo", "ver", "min", "tes", "ra", "bo", "dun", "el",
    "fi", "gar", "hu", "is", "jo", "kel", "mar", "nos", "pe", "quil", "sta" }
  local nwords = os.getenv("SMALL_VOCAB") == "1" and 60 or 8000
  local total = 0
  for r = 1, nwords do
    local x, w = r, {}
    repeat
      w[#w + 1] = syl[x % #syl + 1]
      x = x // #syl
    until x == 0
    WORDS[r] = concat(w)
    total = total + 1 / r
    CUM[r] = total
  end
  for r = 1, nwords do CUM[r] = CUM[r] / total end
end
local function content_word()
  local u, lo, hi = rnd(), 1, #CUM
  while lo < hi do
    local mid = (lo + hi) // 2
    if CUM[mid] < u then lo = mid + 1 else hi = mid end
  end
  return WORDS[lo]
end
local GLUE = { "we", "will", "not", "the", "this", "is", "a", "for", "of",
  "and", "to", "our", "must", "cannot", "should", "every", "on", "in" }

local speakers = {}
for i = 1, 300 do
  speakers[i] = { name = FIRST[(i - 1) % #FIRST + 1] .. " "
    .. LAST[((i - 1) // #FIRST + i) % #LAST + 1], role = pick(ROLES) }
end

local function sentence()
  local t = {}
  for i = 1, rnd(8, 18) do
    t[i] = (i % 2 == 0) and content_word() or pick(GLUE)
  end
  t[1] = t[1]:sub(1, 1):upper() .. t[1]:sub(2)
  return concat(t, " ")
end

-- a quote printed before, with one word changed now and then
local said = {}
local function quote_for(sp)
  if #said > 0 and rnd() < 0.35 then
    local old = pick(said)
    if old.sp == sp or rnd() < 0.8 then
      local words = {}
      for w in old.text:gmatch("%S+") do words[#words + 1] = w end
      if rnd() < 0.5 then words[rnd(#words)] = content_word() end
      return old.sp, concat(words, " ")
    end
  end
  local text = sentence()
  said[#said + 1] = { sp = sp, text = text }
  return sp, text
end

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p '" .. dir .. "'"))
for i = 1, N do
  local paras = { fmt("The council of the island met on day %d to discuss "
    .. "the levy on ferry tickets and the repairs to the old quay.", i) }
  for _ = 1, rnd(2, 4) do
    local sp, text = quote_for(pick(speakers))
    if rnd() < 0.25 then
      paras[#paras + 1] = fmt("A notice at the terminal read: \"%s.\"",
        text)
    else
      paras[#paras + 1] = fmt("\"%s,\" said %s, %s.", text, sp.name,
        sp.role)
    end
  end
  paras[#paras + 1] = "The vote is expected next month."
  local page = concat({
    OUTLETS[i % #OUTLETS + 1], "", "  • Home", "  • World", "",
    fmt("Island council weighs ferry levy, meeting number %d", i), "",
    "By Ines Corran", "", fmt("March %d, %d", i % 28 + 1, 2015 + i % 9),
    "", concat(paras, "\n\n"), "",
    fmt("© %d %s. All rights reserved.", 2015 + i % 9,
      OUTLETS[i % #OUTLETS + 1]), "" }, "\n")
  local f = assert(io.open(fmt("%s/p%05d.txt", dir, i), "wb"))
  f:write(page)
  f:close()
end

local db = dir .. "/bench.loupe"
local c = assert(loupe.open(db))
assert(c:ingest({ dir .. "/*.txt" }))
local nq = 0
for _ in c:quotes() do nq = nq + 1 end

-- the grouping utterances() used before: every quote compared with every
-- group found so far (kept here as the baseline)
local function quote_words(s)
  local t = {}
  for w in s:lower():gsub("[\226][\128][\152\153]", "'"):gmatch("[%w']+") do
    t[#t + 1] = w
  end
  return t
end
local function word_f1(a, b)
  local count, common = {}, 0
  for _, w in ipairs(a) do count[w] = (count[w] or 0) + 1 end
  for _, w in ipairs(b) do
    if (count[w] or 0) > 0 then
      common = common + 1
      count[w] = count[w] - 1
    end
  end
  if common == 0 then return 0 end
  local p, r = common / #b, common / #a
  return 2 * p * r / (p + r)
end
local function old_groups(filter)
  local groups = {}
  for q in c:quotes(filter) do
    if q.kind ~= "phrase" then
      local w = quote_words(q.text)
      local home
      for _, g in ipairs(groups) do
        if g.speaker == q.speaker and word_f1(g.words, w) >= 0.8 then
          home = g
          break
        end
      end
      if not home then
        home = { speaker = q.speaker, words = w, n = 0 }
        groups[#groups + 1] = home
      end
      home.n = home.n + 1
    end
  end
  local n = 0
  for _, g in ipairs(groups) do if g.n >= 2 then n = n + 1 end end
  return n
end

local busiest = c:speakers()[1].name
print(fmt("%d articles, %d quotes, %d speakers (busiest %s)", c:count(), nq,
  #c:speakers(), busiest))
for _, case in ipairs({ { "all speakers", nil },
                        { "one speaker", { speaker = busiest } } }) do
  local t0 = clock()
  local rows = c:utterances(case[2])
  local t_new = clock() - t0
  local line = fmt("  %-13s utterances(): %6d groups in %8.3f s", case[1],
    #rows, t_new)
  if baseline then
    t0 = clock()
    local n_old = old_groups(case[2])
    local t_old = clock() - t0
    line = line .. fmt(" | pairwise: %6d groups in %8.3f s (%.0fx)", n_old,
      t_old, t_old / math.max(t_new, 1e-6))
  end
  print(line)
end
c:close()
if os.getenv("KEEP") == "1" then
  print("kept " .. db)
else
  os.execute("rm -rf '" .. dir .. "'")
end
