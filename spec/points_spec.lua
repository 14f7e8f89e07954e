-- spec/points_spec.lua - talking points on invented briefing transcripts:
-- the spokesperson's recurring phrase is found once, as its longest
-- form; reporters' question formulas, URL fragments, headline repeats
-- and phrases spanning a paragraph break are not points; Chinese pages
-- give points on characters; `loupe points` lists them.
local h = dofile("spec/helpers.lua")
local loupe = require "loupe"

local YEARS = { "2019", "2019", "2020", "2020", "2021" }
local TOPICS = { "the fishing quota", "the border bridge", "the grain fund",
                 "the river treaty", "the radio mast" }

-- The day's own answers, so that no two briefings are near-copies (they
-- would be one republication cluster).
local NEWS = {
  "A: Lumber exports rose sharply in the spring after the harbour at "
    .. "Tolvik reopened. Freight rates fell for the first time since the "
    .. "old customs office closed, and sawmills in the north hired "
    .. "seasonal workers from the coastal villages again.",
  "A: A storm closed the ferry line to Harsa island for three days. "
    .. "Engineers repaired the pier lights overnight, the weather service "
    .. "issued new warnings for sailors, and schools on the island stayed "
    .. "shut until the generators were checked.",
  "A: The national orchestra toured four provinces, playing to full halls "
    .. "every night. Its conductor announced her retirement after thirty "
    .. "seasons, and the culture office will name a successor from the "
    .. "conservatory staff before autumn.",
  "A: Farmers in the valley reported an early harvest thanks to a warm, "
    .. "dry summer. Prices at the wholesale market barely moved, although "
    .. "cooperatives stored more barley than usual in the new silos near "
    .. "the railway junction.",
  "A: Two museums agreed to exchange medieval maps for a joint exhibition "
    .. "next winter. Students of the old academy will curate it, and a "
    .. "travelling version will visit libraries in smaller towns during "
    .. "the spring holidays.",
}

local function news_of(i)
  return NEWS[i] .. "\n\n" .. NEWS[i % #NEWS + 1]:gsub("^A: ", "A: Also, ")
end

-- Briefing i: a reporter's formula in a question turn, the answer with
-- the recurring phrase, a press-office link, and the title repeated.
local function briefing(i)
  local title = "Spokesperson Lena Marsk's Regular Briefing on May " .. i
  return table.concat({
    "Ministry of Foreign Affairs of Estmark", "",
    title, "",
    YEARS[i] .. "-05-" .. string.format("%02d", i + 10), "",
    title, "",
    "Q: Yesterday a neighbouring paper wrote about " .. TOPICS[i]
      .. ". Do you have any comment on the report?", "",
    "A: Estmark firmly upholds the principle of good neighbourliness and "
      .. "shared prosperity on the northern shore, and we have said so "
      .. "many times.", "",
    "Q: Could you share more details about the visit of the trade "
      .. "delegation next week?", "",
    "A: The delegation will stay for " .. (i + 1) .. " days. Details "
      .. "will be released in due course.", "",
    news_of(i),
    "The full text is posted at https://press.estmark.example/briefings/"
      .. "daily-remarks-and-answers/latest today.", "",
    "Copyright Ministry of Foreign Affairs of Estmark", "",
  }, "\n")
end

local function points_text(rows)
  local t = {}
  for i, r in ipairs(rows) do t[i] = r.text end
  return table.concat(t, "\n")
end

describe("talking points on briefing transcripts", function()
  local c, rows

  setup(function()
    c = assert(loupe.open(":memory:"))
    for i = 1, #YEARS do
      assert(c:add(briefing(i), { path = "briefing" .. i .. ".txt" }))
    end
    rows = assert(c:talking_points { min_articles = 3 })
  end)

  teardown(function() c:close() end)

  it("finds the spokesperson's phrase once, as its longest form",
    function()
      local found = {}
      for _, r in ipairs(rows) do
        if r.text:find("good neighbourliness", 1, true) then
          found[#found + 1] = r
        end
      end
      assert.are.equal(1, #found, points_text(rows))
      local r = found[1]
      -- the whole answer sentence, its label "A:" left out
      assert.are.equal("Estmark firmly upholds the principle of good "
        .. "neighbourliness and shared prosperity on the northern shore, and "
        .. "we have said so many times", r.text)
      assert.are.equal(5, r.clusters)
      assert.are.same({ ["2019"] = 2, ["2020"] = 2, ["2021"] = 1 }, r.years)
    end)

  it("leaves out question formulas, URLs and headline repeats", function()
    local all = points_text(rows):lower()
    for _, bad in ipairs({ "comment on", "do you have", "share more details",
                           "estmark.example", "briefings", "daily remarks",
                           "regular briefing", "lena marsk" }) do
      assert.is_falsy(all:find(bad, 1, true), bad .. " in:\n" .. all)
    end
  end)

  it("leaves out the end of the sentence before a point", function()
    local texts = {}
    for _, r in ipairs(rows) do texts[r.text] = true end
    -- "... for N days. Details will be ...": the number changes, the
    -- point is the next sentence alone
    assert.is_true(texts["Details will be released in due course"],
      points_text(rows))
  end)

  it("never joins the end of one paragraph to the next", function()
    for _, r in ipairs(rows) do
      assert.is_falsy(r.text:find("\n", 1, true), r.text)
      assert.is_falsy(r.text:lower():find("times%W+q"), r.text)
    end
  end)

  it("starts and ends a point on a content word", function()
    for _, r in ipairs(rows) do
      local first, last = r.text:lower():match("^(%a+).-(%a+)$")
      for _, w in ipairs({ "the", "of", "and", "to", "a", "we" }) do
        assert.are_not.equal(w, first, r.text)
        assert.are_not.equal(w, last, r.text)
      end
    end
  end)

  it("is listed by loupe points", function()
    local dir = h.tmpdir()
    for i = 1, #YEARS do
      h.write(dir .. "/b" .. i .. ".txt", briefing(i))
    end
    local db = h.tmpdir() .. "/p.loupe"
    assert.are.equal(0, (h.loupe({ "ingest", "-q", db, dir })))
    local code, out = h.loupe({ "points", db, "--min-articles", "3",
      "--format", "csv" })
    assert.are.equal(0, code)
    assert.is_truthy(out:find("good neighbourliness", 1, true), out)
    code, out = h.loupe({ "points", db, "--min-years", "4" })
    assert.are.equal(0, code)
    assert.is_truthy(out:find("0 of 0 talking points", 1, true), out)
    h.rmtree(dir)
    h.rmtree(db:match("^(.*)/"))
  end)
end)

describe("talking points in Chinese", function()
  it("are found on characters, with the same options", function()
    local c = assert(loupe.open(":memory:"))
    local days = { "2019年3月4日", "2019年9月8日", "2020年5月6日",
                   "2021年7月2日" }
    -- each day's own answer, so that no two pages are near-copies
    local news = {
      "答：今年春季木材出口大幅增长，托尔维克港重新开放后运费首次下降，北部"
        .. "锯木厂再次从沿海村庄招收季节工人。",
      "答：一场风暴使通往哈尔萨岛的渡轮停航三天，工程师连夜修复码头灯光，"
        .. "气象部门向船员发布新的预警，岛上学校停课至发电机检修完毕。",
      "答：国家乐团在四个省份巡演，每晚座无虚席。指挥宣布在执棒三十个乐季后"
        .. "退休，文化部门将在秋季前从音乐学院中选出继任者。",
      "答：河谷农民因夏季温暖干燥而提早收获，批发市场价格几乎没有变化，合作社"
        .. "在铁路枢纽附近的新粮仓里储存了比往年更多的大麦。",
    }
    for i, d in ipairs(days) do
      local body = table.concat({
        "埃斯特马克外交部", "",
        "发言人林玛主持例行记者会 " .. i, "",
        d, "",
        "问：有报道称邻国将调整渔业配额" .. i .. "，你对此有何评论？", "",
        "答：我们始终坚持睦邻友好、共同繁荣的北岸合作原则，愿同各方一道推进"
          .. "务实合作。", "",
        news[i], "",
      }, "\n")
      assert(c:add(body, { path = "zh" .. i .. ".txt" }))
    end
    local rows = assert(c:talking_points { min_articles = 3 })
    local all = points_text(rows)
    assert.is_truthy(all:find("睦邻友好", 1, true), all)
    assert.is_falsy(all:find("有何评论", 1, true), all)
    for _, r in ipairs(rows) do
      assert.is_true(r.words >= 7, r.text)
    end
    c:close()
  end)
end)
