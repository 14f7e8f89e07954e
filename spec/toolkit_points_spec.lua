-- spec/toolkit_points_spec.lua - talking points ranked by spread (years x
-- outlets x speakers), the speakers being those whose turns or quotes
-- hold the phrase, and fragments of one formula that run on into each
-- other in the texts kept once. Invented briefings of two spokespersons
-- of an invented ministry.
local loupe = require "loupe"

local WORDS = { "lumber", "ferry", "harvest", "orchestra", "museum", "silos",
  "pier", "railway", "villages", "conductor", "barley", "storm", "engineers",
  "schools", "maps", "students", "academy", "libraries", "winter", "spring",
  "valley", "market", "prices", "freight", "sawmills", "workers", "lights",
  "warnings", "sailors", "generators", "provinces", "halls", "seasons",
  "office", "staff", "autumn", "farmers", "summer", "cooperatives",
  "junction", "exhibition", "towns", "holidays", "customs", "harbour" }
local PLACES = { "Tolvik", "Harsa", "Velmo", "Brandt", "Oskarby", "Lunne",
  "Marrow", "Kestel", "Ebbing", "Fjeld", "Sorn", "Galtby" }
local VERBS = { "reopened", "closed", "expanded", "moved", "grew", "slowed",
  "improved", "changed", "recovered", "stalled" }

local seed = 7
local function pick(list)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return list[seed % #list + 1]
end

-- An answer of four sentences no other briefing shares (so that no two
-- briefings are near-copies, one republication cluster).
local function news()
  local s = {}
  for k = 1, 4 do
    s[k] = ("The %s in %s %s last week after the %s near the %s %s, and "
      .. "local %s said the %s would follow in %s."):format(pick(WORDS),
      pick(PLACES), pick(VERBS), pick(WORDS), pick(WORDS), pick(VERBS),
      pick(WORDS), pick(WORDS), pick(PLACES))
  end
  return "A: " .. table.concat(s, " ")
end

local WIDE = "Norvale wants the northern corridor to stay open to every "
  .. "fishing fleet in the region."
local NARROW = "The new lighthouse keepers will be trained at the coastal "
  .. "academy in Velmo."
local FORMULA = "river accord and the two coastal declarations signed in "
  .. "Velmo."

local function briefing(i, year, who, answers)
  local title = ("Spokesperson %s's Regular Press Conference on June %d")
    :format(who, i)
  local t = { "Ministry of Foreign Affairs of Norvale", "", title, "",
    ("%s-06-%02d"):format(year, i % 28 + 1), "", title, "",
    "Q: What is the ministry's position on the fishing dispute number " .. i
      .. "?", "" }
  for _, a in ipairs(answers) do
    t[#t + 1] = "A: " .. a
    t[#t + 1] = ""
  end
  t[#t + 1] = news()
  t[#t + 1] = ""
  t[#t + 1] = "Copyright Ministry of Foreign Affairs of Norvale"
  return table.concat(t, "\n")
end

-- Six briefings over three years by both spokespersons say WIDE; nine of
-- one year by one (and one by the other) say NARROW (more articles, less
-- spread). "abide by the
-- river accord" runs on into FORMULA in four of its seven briefings;
-- FORMULA follows other words in three more; "defend the fishing rights
-- under the river accord" shares its end with FORMULA's start but never
-- runs on into it.
local ABIDE = "All sides should abide by the "
local OTHER = { [5] = ABIDE .. "river accord, as the minister said.",
  [6] = ABIDE .. "river accord at all times.",
  [7] = ABIDE .. "river accord, whatever happens at sea.",
  [8] = "Norvale stands by the " .. FORMULA,
  [9] = "Nothing has changed in the " .. FORMULA,
  [10] = "Officials recalled the " .. FORMULA }

local function corpus()
  local c = assert(loupe.open(":memory:"))
  local spokes = { "Ida Brenner", "Tomas Vell" }
  for i = 1, 6 do
    local ans = { WIDE, i <= 4 and ABIDE .. FORMULA or OTHER[i],
      -- an editor's placeholder, in markdown's escapes in half of them
      (i % 2 == 0 and "I will hand over to [senior press officer] and "
        .. "[senior press officer] for the details of the visiting plan."
        or "I will hand over to \\[senior press officer\\] and "
        .. "\\[senior press officer\\] for the details of the visiting "
        .. "plan.") }
    assert(c:add(briefing(i, 2018 + i % 3, spokes[i % 2 + 1], ans),
      { path = "b" .. i }))
  end
  for i = 7, 15 do
    local ans = { NARROW, 'The harbour master Ole Fenn said: "The ice on '
      .. 'the bay will break early this year."' }
    if OTHER[i] then
      ans[3] = OTHER[i]
    elseif i <= 13 then
      ans[3] = "Norvale will always defend the fishing rights under the "
        .. "river accord."
    end
    assert(c:add(briefing(i, 2020, spokes[1], ans), { path = "b" .. i }))
  end
  -- once by the other spokesperson: named, not counted in the spread
  assert(c:add(briefing(16, 2020, spokes[2], { NARROW }), { path = "b16" }))
  return c
end

describe("talking points by spread", function()
  local c, rows

  setup(function()
    c = corpus()
    rows = assert(c:talking_points { min_articles = 3 })
  end)

  teardown(function() c:close() end)

  local function find(pattern)
    local hits = {}
    for k, r in ipairs(rows) do
      if r.text:find(pattern) then hits[#hits + 1] = { rank = k, row = r } end
    end
    return hits
  end

  it("ranks by years x outlets x speakers, then by stories", function()
    local wide, narrow = find("northern corridor"), find("lighthouse keepers")
    assert.are.equal(1, #wide)
    assert.are.equal(1, #narrow)
    assert.are.equal(6, wide[1].row.spread)         -- 3 years x 1 x 2
    assert.are.equal(1, narrow[1].row.spread)
    assert.is_true(narrow[1].row.clusters > wide[1].row.clusters)
    assert.is_true(wide[1].rank < narrow[1].rank)
    for k = 2, #rows do
      assert.is_true(rows[k - 1].spread >= rows[k].spread)
    end
  end)

  it("names the speakers who said the phrase", function()
    local wide, narrow = find("northern corridor"), find("lighthouse keepers")
    local sp = wide[1].row.speakers
    table.sort(sp)
    assert.are.same({ "Ida Brenner", "Tomas Vell" }, sp)
    -- the harbour master is quoted in those briefings, not saying it;
    -- Tomas Vell said it once: named, but a speaker counts in the spread
    -- from two stories
    sp = narrow[1].row.speakers
    table.sort(sp)
    assert.are.same({ "Ida Brenner", "Tomas Vell" }, sp)
    assert.are.equal(1, narrow[1].row.spread)
  end)

  it("never runs across an editor's brackets or markup", function()
    assert.is_true(#find("details of the visiting plan") <= 1)
    for _, r in ipairs(rows) do
      assert.is_falsy(r.text:find("[%[%]\\]"), r.text)
      assert.is_falsy(r.text:find("press officer and", 1, true), r.text)
    end
  end)

  it("keeps one of the pieces of a formula that run on", function()
    local formula = find("coastal declarations")
    assert.are.equal(1, #formula)
    assert.are.equal(0, #find("abide by the river accord$"))
    -- an end shared by chance, not running on: a point of its own
    assert.are.equal(1, #find("defend the fishing rights under the river "
      .. "accord"))
  end)
end)
