-- spec/hits_spec.lua - the hits of query:each(): body, snippet and
-- highlight read from the corpus when first indexed, equal to what the
-- eager statement gave (golden values and a direct query through the
-- sqlite3 shell), kept in the hit, readable after the loop and its
-- cursor ended, a clear error once the corpus is closed, and whole
-- records for pairs(), hit:load() and the report writers.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"
local report = require "loupe.report"
local cjson = require "cjson"

local it_sql = h.sqlite3_cli() and it or pending

-- ---- invented pages: long bodies, so a snippet is a cut of the body ----

local FILLER = {
  "The council met in the old assembly rooms on the quay, where the "
    .. "harbour master read out the tide tables for the coming month.",
  "Residents asked about the ferry timetable, the price of mooring "
    .. "permits and the repairs to the north breakwater.",
  "A fisherman said the winter had been the hardest in twenty years and "
    .. "that the fleet had lost three boats to the storms.",
}
local PLACES = { "Orsund", "Kessport", "Westvale", "Harrowgate", "Calder",
  "Meridian", "Eastland", "Skerry" }
local THINGS = { "ferry", "quay", "breakwater", "boatyard", "slipway",
  "net loft", "fish market", "harbour wall", "tide gauge" }
local NTH = { "first", "second", "third", "fourth", "fifth" }

-- n paragraphs of harbour business with mid among them.
local function long_body(mid, n)
  local ps = {}
  for i = 1, n do
    ps[#ps + 1] = ("%s In %s the %s was discussed by members of the %s "
      .. "committee for the %s time."):format(FILLER[i % 3 + 1],
      PLACES[i % 8 + 1], THINGS[i % 9 + 1], PLACES[(i * 3) % 8 + 1],
      NTH[i % 5 + 1])
  end
  table.insert(ps, n // 2, mid)
  return ps
end

local PAGES = {
  ["p1.txt"] = h.news_page { outlet = "Harrowgate Herald",
    title = "Lighthouse keepers return to Skerry Point",
    byline = "By Ottilie Marsh", date = "March 3, 2022 10:15 AM",
    paragraphs = long_body("The lighthouse on Skerry Point will be "
      .. "staffed again from May, the trust said, and its lighthouse "
      .. "keepers will live in the cottages beside the lamp room.", 40) },
  ["p2.txt"] = h.news_page { outlet = "Calder Bay Gazette",
    title = "Trust buys the old signal station",
    byline = "By Jana Ostrow", date = "April 9, 2023 8:00 AM",
    paragraphs = long_body("Volunteers who once kept the lighthouse "
      .. "logbooks will move them to the signal station museum.", 12) },
  ["p3.txt"] = h.news_page { outlet = "Calder Bay Gazette",
    title = "Lighthouse fund reaches its target",
    byline = "By Jana Ostrow", date = "May 1, 2024 9:30 AM",
    paragraphs = long_body("The appeal closed a week early.", 6) },
}

-- What the eager hits statement (snippet() and highlight() in the query
-- itself) gave for query("lighthouse"), by page, best match first.
local GOLDEN = {
  { "p3.txt", "Residents asked about the ferry timetable, the price of "
      .. "mooring permits and the repairs to the…",
    "[Lighthouse] fund reaches its target" },
  { "p1.txt", "…The [lighthouse] on Skerry Point will be staffed again "
      .. "from May, the trust said, and its…",
    "[Lighthouse] keepers return to Skerry Point" },
  { "p2.txt", "…Volunteers who once kept the [lighthouse] logbooks will "
      .. "move them to the signal station museum.\n\nResidents…",
    "Trust buys the old signal station" },
}
local GOLDEN_PHRASE = { "p1.txt", "…from May, the trust said, and its "
  .. "[lighthouse keepers] will live in the cottages beside the…",
  "[Lighthouse keepers] return to Skerry Point" }

local dir, path, c

before_each(function()
  dir = h.tmpdir()
  path = dir .. "/hits.loupe"
  -- the pages share their filler paragraphs: p3's text is almost all in
  -- p1, which clustering would call a shortened copy; off, so each page
  -- stays its own hit (and its own cluster for :collapse())
  c = assert(loupe.open(path, { clustering = false }))
  for _, name in ipairs({ "p1.txt", "p2.txt", "p3.txt" }) do
    assert(c:add(PAGES[name], { path = name }))
  end
end)

after_each(function()
  c:close()
  h.rmtree(dir)
end)

-- Every hit of q, collected (the loop ends and closes its cursor).
local function hits_of(q)
  local list = {}
  for hit in q:each() do list[#list + 1] = hit end
  return list
end

-- The eager values by article id, from a direct query through the sqlite3
-- shell: the statement hits were built with before they were lazy.
local function direct(match)
  local sql = "SELECT a.id AS id, a.body AS body,"
    .. " snippet(articles_fts, 1, '[', ']', '…', 16) AS snippet,"
    .. " highlight(articles_fts, 0, '[', ']') AS highlight"
    .. " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
    .. " WHERE articles_fts MATCH '" .. match:gsub("'", "''") .. "'"
  local out, ok = h.sh(h.sqlite3_cli() .. " -json " .. h.shq(path) .. " "
    .. h.shq(sql) .. " 2>&1")
  assert(ok, out)
  local by_id = {}
  for _, r in ipairs(out == "" and {} or cjson.decode(out)) do
    by_id[r.id] = r
  end
  return by_id
end

describe("hits of query:each()", function()
  it("give the snippets and highlights the eager statement gave", function()
    local list = hits_of(c:query("lighthouse"))
    assert.are.equal(#GOLDEN, #list)
    for i, want in ipairs(GOLDEN) do
      assert.are.equal(want[1], list[i].path)
      assert.are.equal(want[2], list[i].snippet)
      assert.are.equal(want[3], list[i].highlight)
    end
    local phrase = hits_of(c:query():phrase("lighthouse keepers"))
    assert.are.equal(1, #phrase)
    assert.are.same(GOLDEN_PHRASE, { phrase[1].path, phrase[1].snippet,
      phrase[1].highlight })
  end)

  it_sql("equal a direct query of body, snippet and highlight", function()
    local cases = {
      { c:query("lighthouse"), '"lighthouse"' },
      { c:query("lighthouse"):where { outlet = "Calder Bay Gazette" }
          :order("-date"), '"lighthouse"' },
      { c:query():phrase("lighthouse keepers"), '"lighthouse keepers"' },
      { c:query():near("lighthouse", "logbooks", 5),
        'NEAR("lighthouse" "logbooks", 5)' },
      { c:query("lighthouse"):order("date"):limit(1):offset(1),
        '"lighthouse"' },
    }
    local seen = 0
    for _, case in ipairs(cases) do
      local want = direct(case[2])
      for hit in case[1]:each() do
        local w = assert(want[hit.id], "no direct row for " .. hit.id)
        assert.are.equal(w.body, hit.body)
        assert.are.equal(w.snippet, hit.snippet)
        assert.are.equal(w.highlight, hit.highlight)
        seen = seen + 1
      end
    end
    assert.are.equal(3 + 2 + 1 + 1 + 1, seen)
  end)

  it("read body, snippet and highlight only when indexed, then keep them",
    function()
      for hit in c:query("lighthouse"):each() do
        assert.is_nil(rawget(hit, "body"))
        assert.is_nil(rawget(hit, "snippet"))
        assert.is_nil(rawget(hit, "highlight"))
        assert.is_string(rawget(hit, "title"))
        assert.is_number(rawget(hit, "rank"))
        local s = hit.snippet
        assert.are.equal(s, rawget(hit, "snippet"))
        assert.is_nil(rawget(hit, "body"))
      end
    end)

  it("read the rank of a page in date order when indexed", function()
    local rank_of = {}
    for _, hit in ipairs(hits_of(c:query("lighthouse"))) do
      rank_of[hit.id] = hit.rank
    end
    local n = 0
    for hit in c:query("lighthouse"):order("-date"):limit(2):each() do
      assert.is_nil(rawget(hit, "rank"))
      assert.is_number(rank_of[hit.id])
      assert.are.equal(rank_of[hit.id], hit.rank)
      assert.are.equal(rank_of[hit.id], rawget(hit, "rank"))
      n = n + 1
    end
    assert.are.equal(2, n)
    local list = hits_of(c:query("lighthouse"):order("date"):limit(3))
    local keys = {}
    for k in pairs(list[3]) do keys[k] = true end
    assert.is_true(keys.rank)
    c:close()
    assert.error_matches(function() return list[1].rank end,
      "the corpus is closed", 1, true)
    assert.are.equal(rank_of[list[3].id], list[3].rank)
  end)

  it("give the body the corpus stores, and no snippet without text",
    function()
      local list = hits_of(c:query():where { outlet = "Calder Bay Gazette" })
      assert.are.equal(2, #list)
      for _, hit in ipairs(list) do
        assert.are.equal(c:get(hit.id).body, hit.body)
        assert.is_truthy(#hit.body > 400)
        assert.is_nil(hit.snippet)
        assert.is_nil(hit.highlight)
        assert.is_nil(hit.rank)
      end
      for art in c:articles() do
        assert.are.equal(c:get(art.id).body, art.body)
      end
    end)

  it("read the fields after the loop ended or broke off", function()
    local list = hits_of(c:query("lighthouse"))
    collectgarbage()
    assert.are.equal(GOLDEN[1][2], list[1].snippet)
    assert.are.equal(c:get(list[1].id).body, list[1].body)
    local first, n = nil, 0
    for hit in c:query("lighthouse"):order("date"):each() do
      first, n = hit, n + 1
      if hit.path == "p1.txt" then break end
    end
    collectgarbage()
    assert.are.equal(1, n)
    assert.are.equal("p1.txt", first.path)
    assert.are.equal(GOLDEN[2][2], first.snippet)
    assert.are.equal(GOLDEN[2][3], first.highlight)
  end)

  it("read the fields of collapsed hits", function()
    local want = {}
    for _, hit in ipairs(hits_of(c:query("lighthouse"))) do
      want[hit.id] = hit.snippet
    end
    local n = 0
    for hit in c:query("lighthouse"):collapse():each() do
      assert.are.equal(c:get(hit.id).body, hit.body)
      assert.are.equal(want[hit.id], hit.snippet)
      n = n + 1
    end
    assert.are.equal(3, n)
  end)

  it("raise 'the corpus is closed' for a field not read before close",
    function()
      local list = hits_of(c:query("lighthouse"))
      local kept = list[1].snippet
      local title = list[2].highlight
      c:close()
      -- what was read stays; the snippet brought its highlight along
      assert.are.equal(kept, list[1].snippet)
      assert.are.equal(GOLDEN[1][3], list[1].highlight)
      assert.are.equal(title, list[2].highlight)
      assert.are.equal(GOLDEN[1][1], list[1].path)
      assert.error_matches(function() return list[1].body end,
        "cannot read 'body' of hit " .. list[1].id
          .. ": the corpus is closed", 1, true)
      assert.error_matches(function() return list[2].snippet end,
        "cannot read 'snippet' of hit " .. list[2].id
          .. ": the corpus is closed", 1, true)
      assert.error_matches(function() return list[3].highlight end,
        "the corpus is closed", 1, true)
      assert.error_matches(function()
        for _ in pairs(list[3]) do end
      end, "the corpus is closed", 1, true)
      collectgarbage()
      assert.error_matches(function() return list[3].body end,
        "the corpus is closed", 1, true)
    end)

  it("hold every field for pairs(hit) and hit:load()", function()
    local list = hits_of(c:query("lighthouse"))
    local keys = {}
    for k, v in pairs(list[1]) do keys[k] = type(v) end
    assert.are.equal("string", keys.body)
    assert.are.equal("string", keys.snippet)
    assert.are.equal("string", keys.highlight)
    assert.are.equal("string", keys.title)
    assert.are.equal("table", keys.authors)
    assert.is_nil(keys.load)
    local hit = list[2]:load()
    assert.are.equal(list[2], hit)
    c:close()
    assert.are.equal(GOLDEN[2][2], rawget(hit, "snippet"))
    assert.is_string(rawget(hit, "body"))
    assert.is_string(rawget(hit, "highlight"))
    -- a loaded hit stays whole after close: pairs reads nothing more
    local n = 0
    for _ in pairs(hit) do n = n + 1 end
    assert.is_true(n > 10)
  end)

  it("leave body and snippet in JSONL and CSV written from pairs()",
    function()
      local list = hits_of(c:query("lighthouse"))
      local jsonl = report.jsonl(list)      -- columns: the first hit's keys
      local n = 0
      for line in jsonl:gmatch("[^\n]+") do
        n = n + 1
        local obj = cjson.decode(line)
        assert.are.equal(GOLDEN[n][1], obj.path)
        assert.are.equal(GOLDEN[n][2], obj.snippet)
        assert.are.equal(c:get(math.tointeger(obj.id)).body, obj.body)
      end
      assert.are.equal(3, n)
      local csv = report.csv(hits_of(c:query("lighthouse")))
      local header = csv:match("^[^\r\n]*")
      assert.is_truthy(("," .. header .. ","):find(",body,", 1, true), header)
      assert.is_truthy(("," .. header .. ","):find(",snippet,", 1, true),
        header)
      assert.is_truthy(csv:find("the [lighthouse] logbooks", 1, true))
      assert.is_truthy(csv:find("Volunteers who once kept", 1, true))
      local w = report.writer("jsonl", report.buffer(), { "id", "body" })
      for art in c:articles() do w:row(art) end
      for line in tostring(w:close()):gmatch("[^\n]+") do
        local obj = cjson.decode(line)
        assert.are.equal(c:get(math.tointeger(obj.id)).body, obj.body)
      end
    end)

  it("keep a value the caller sets", function()
    local list = hits_of(c:query("lighthouse"))
    list[1].body = "replaced"
    list[1].snippet = "mine"
    c:close()
    assert.are.equal("replaced", list[1].body)
    assert.are.equal("mine", list[1].snippet)
  end)
end)
