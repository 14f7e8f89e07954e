-- spec/utterances_spec.lua - corpus:utterances() groups quotes by an
-- index of their rarest words instead of comparing every quote with
-- every group: on invented articles full of reprinted, edited, repeated,
-- very short and wordless quotes, with and without speakers, it must give
-- exactly the groups of the pairwise comparison it replaced (written out
-- here as the reference). Its filter is checked as corpus:quotes checks
-- its own.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"

-- The pairwise grouping: each quote joins the first group of the same
-- speaker whose first quote reaches a word F1 of 0.8, else starts one.
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

local function reference(c, filter, min)
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
        home = { text = q.text, speaker = q.speaker, words = w,
                 occurrences = {} }
        groups[#groups + 1] = home
      end
      home.occurrences[#home.occurrences + 1] = {
        article_id = q.article_id, outlet = q.outlet, date = q.date,
        text = q.text, verbatim = table.concat(w, " ")
          == table.concat(home.words, " "),
      }
    end
  end
  local rows = {}
  for _, g in ipairs(groups) do
    if #g.occurrences >= (min or 2) then
      local first, last
      for _, o in ipairs(g.occurrences) do
        if o.date and (not first or o.date < first) then first = o.date end
        if o.date and (not last or o.date > last) then last = o.date end
      end
      g.first, g.last, g.words = first, last, nil
      rows[#rows + 1] = g
    end
  end
  return rows
end

local function rng(seed)
  local x = seed
  return function(n)
    x = x ~ (x << 13)
    x = x ~ (x >> 7)
    x = x ~ (x << 17)
    return (x >> 1) % n + 1
  end
end

local SPEAKERS = { { "Maren Telford", "the finance officer" },
  { "Osric Vane", "a ferry operator" }, { "Ilse Brandt", "the mayor" },
  { "Corvin Ashdown", "the harbour master" } }
local VOCAB = { "quay", "levy", "ferry", "island", "council", "winter",
  "repairs", "fares", "we", "will", "not", "the", "our", "this", "must",
  "pay", "no", "every", "family", "money", "harbour", "storm", "vote" }

-- A quote as the pool gives it: invented words; sometimes very short,
-- with a word repeated, or in a script quote_words does not count.
local function new_quote(r)
  local kind = r(10)
  if kind == 1 then return "Ωμέγα δέλτα κάππα" end
  local t = {}
  for i = 1, (kind == 2 and r(3) or r(10) + 5) do t[i] = VOCAB[r(#VOCAB)] end
  if kind == 3 then t[#t + 1] = t[1] t[#t + 1] = t[1] end
  t[1] = t[1]:sub(1, 1):upper() .. t[1]:sub(2)
  return table.concat(t, " ")
end

-- An edited reprint: a word changed, dropped, added or moved, or half
-- as many words again added or a third dropped (a length ratio of 3/2,
-- where an F1 of 0.8 is just reachable).
local function edit(r, text)
  local t = {}
  for w in text:gmatch("%S+") do t[#t + 1] = w end
  local e = r(7)
  if e == 1 and #t > 1 then t[r(#t)] = VOCAB[r(#VOCAB)]
  elseif e == 2 and #t > 2 then table.remove(t, r(#t))
  elseif e == 3 then table.insert(t, r(#t + 1), VOCAB[r(#VOCAB)])
  elseif e == 4 and #t > 1 then t[1], t[#t] = t[#t], t[1]
  elseif e == 5 then
    for _ = 1, (#t + 1) // 2 do t[#t + 1] = VOCAB[r(#VOCAB)] end
  elseif e == 6 then
    for _ = 1, #t // 3 do table.remove(t) end
  end
  return table.concat(t, " ")
end

local function build_corpus()
  local r = rng(0x7531)
  local c = assert(loupe.open(":memory:"))
  local said = {}
  for i = 1, 120 do
    local paras = { ("The island council met on Tuesday, meeting number "
      .. "%d, to discuss the ferry levy and the quay repairs."):format(i) }
    for _ = 1, r(3) + 1 do
      local sp, text = SPEAKERS[r(#SPEAKERS)]
      if #said > 0 and r(2) == 1 then
        local old = said[r(#said)]
        text = r(2) == 1 and old.text or edit(r, old.text)
        if r(4) > 1 then sp = old.sp end
      else
        text = new_quote(r)
      end
      said[#said + 1] = { sp = sp, text = text }
      if r(4) == 1 then
        paras[#paras + 1] = ("A notice at the ferry terminal read: "
          .. "\"%s.\""):format(text)
      else
        paras[#paras + 1] = ("\"%s,\" said %s, %s."):format(text, sp[1],
          sp[2])
      end
    end
    paras[#paras + 1] = "The vote is expected next month."
    assert(c:add(h.news_page {
      outlet = ({ "Brackwater Gazette", "Isle Courier", "Northmoor Post" })
        [i % 3 + 1],
      title = ("Island council weighs the ferry levy, meeting %d"):format(i),
      date = ("March %d, %d"):format(i % 28 + 1, 2019 + i % 4),
      paragraphs = paras,
    }, { path = ("meeting-%03d.txt"):format(i) }))
  end
  return c
end

describe("corpus:utterances", function()
  local c

  setup(function() c = build_corpus() end)
  teardown(function() c:close() end)

  it("gives the groups of the pairwise comparison, in the same order",
    function()
      local want = reference(c, {})
      assert.is_true(#want >= 20, "only " .. #want .. " groups")
      assert.are.same(want, c:utterances())
    end)

  it("gives them for one speaker and for other minimum counts", function()
    for _, f in ipairs({ { speaker = "Osric Vane" },
                         { speaker = "Brandt", min_occurrences = 3 },
                         { since = "2020", ["until"] = "2021-06" },
                         { min_occurrences = 1 } }) do
      local qf, min = {}, f.min_occurrences
      for k, v in pairs(f) do
        if k ~= "min_occurrences" then qf[k] = v end
      end
      assert.are.same(reference(c, qf, min), c:utterances(f))
    end
  end)

  it("holds quotes without a speaker in groups of their own", function()
    local none = 0
    for _, u in ipairs(c:utterances()) do
      if u.speaker == nil then
        none = none + 1
        assert.is_true(#u.occurrences >= 2)
      end
    end
    assert.is_true(none > 0, "no unattributed utterance in the corpus")
  end)

  it("raises on an unknown filter and a bad minimum, naming them",
    function()
      assert.error_matches(function() c:utterances { speakr = "Vane" } end,
        "bad argument #1 to 'utterances' (unknown filter 'speakr')", 1, true)
      for _, bad in ipairs({ 0, 1.5, "2", 0 / 0, math.huge }) do
        assert.error_matches(function()
          c:utterances { min_occurrences = bad }
        end, "bad argument #1 to 'utterances' (filter 'min_occurrences' "
          .. "must be a positive integer", 1, true)
      end
      assert.error_matches(function() c:utterances { since = "2021-02-30" } end,
        "bad argument #1 to 'utterances' (filter 'since': \"2021-02-30\" is "
        .. "not a valid date (day 30 is not in 2021-02", 1, true)
      assert.error_matches(function() c:utterances { speaker = {} } end,
        "filter 'speaker' is an empty list", 1, true)
    end)
end)
