-- spec/toolkit_spec.lua - the analyst's toolkit on invented pages: the
-- search language (phrases, prefixes, exclusions, OR, NEAR), KWIC on
-- word boundaries with the article's fields, counts per period with
-- their share of all coverage, groups by lang, cluster and speaker, and
-- the commands kwic, count, clusters, speakers and search --phrase/--near.
local h = dofile("spec/helpers.lua")
local loupe = require "loupe"
local qlang = require "loupe.qlang"

local PAGES = {
  { outlet = "Harbour Courier", title = "Hackers hit the port's ticket "
      .. "office", date = "March 3, 2021",
    paragraphs = {
      "A group of hackers broke into the ticket office of the Velmar "
        .. "port on Tuesday, the harbour master Anja Kvist said.",
      "\"The hacker left a note on every screen,\" Kvist said. The "
        .. "hacking took the booking system down for six hours.",
      "The group's site, www.hacker.example/notes, listed the stolen "
        .. "files; mail went to admin@hacker.example.",
    } },
  { outlet = "Harbour Courier", title = "Ferry timetable returns after "
      .. "outage", date = "March 9, 2021",
    paragraphs = {
      "Ferries to the outer islands sailed on time again on Monday after "
        .. "a week of delays, the operator said.",
      "The hacker behind the outage has not been found, Kvist told "
        .. "reporters at the quay.",
    } },
  { outlet = "Inland Gazette", title = "Council votes on new quay",
    date = "April 14, 2021",
    paragraphs = {
      "The town council voted for a new quay on the east bank, with "
        .. "fourteen votes to three.",
      "Building starts in the summer and the quay should open in two "
        .. "years, the mayor Piet Dolmans said.",
    } },
  { outlet = "Inland Gazette", title = "Night market draws crowds",
    date = "April 20, 2021",
    paragraphs = {
      "The night market on the east bank drew record crowds on Saturday "
        .. "as stalls sold smoked fish and honey cakes.",
      "Organisers said the market would run every weekend until the "
        .. "autumn.",
    } },
}

local function open_sample()
  local c = assert(loupe.open(":memory:"))
  for i, p in ipairs(PAGES) do
    assert(c:add(h.news_page(p), { path = "page" .. i .. ".txt" }))
  end
  return c
end

local function titles(q)
  local t = {}
  for hit in q:order("date"):each() do t[#t + 1] = hit.title end
  return t
end

describe("the search language", function()
  local c
  setup(function() c = open_sample() end)
  teardown(function() c:close() end)

  it("reads a quoted phrase as a phrase", function()
    assert.are.equal(1, c:query('"ticket office"'):count())
    assert.are.equal(0, c:query('"office ticket"'):count())
    assert.are.equal(1, c:query("office ticket"):count())
  end)

  it("reads word* as a prefix", function()
    assert.are.equal(0, c:query("hack"):count())
    assert.are.equal(2, c:query("hack*"):count())
  end)

  it("excludes -word and -\"a phrase\"", function()
    assert.are.same({ "Ferry timetable returns after outage" },
      titles(c:query("hacker -ticket")))
    assert.are.same({ "Night market draws crowds" },
      titles(c:query('"east bank" -"new quay"')))
  end)

  it("binds OR closer than the implicit AND", function()
    assert.are.same({ "Council votes on new quay",
                      "Night market draws crowds" },
      titles(c:query("east bank (quay OR market)")))
    assert.are.same({ "Ferry timetable returns after outage",
                      "Council votes on new quay" },
      titles(c:query("ferries OR council")))
  end)

  it("reads NEAR(a b, n) with the distance in words", function()
    assert.are.equal(1, c:query("NEAR(hacker outage, 3)"):count())
    -- "Kvist said. / The hacker": two words apart across a paragraph
    assert.are.equal(0, c:query("NEAR(hacker Kvist, 1)"):count())
    assert.are.equal(1, c:query("NEAR(hacker Kvist, 2)"):count())
    assert.are.equal(2, c:query("NEAR(hacker Kvist)"):count())
  end)

  it("compiles to FTS5 that quotes every word", function()
    local p = assert(qlang.parse('a "b c"* -d e OR f NEAR(g h, 2)'))
    assert.are.equal('"a" "b c" * AND ("e" OR "f") AND '
      .. 'NEAR("g" "h", 2)', p.fts:match("^%((.*)%) NOT"))
    assert.are.equal('"d"', p.fts:match('NOT (.*)$'))
    assert.are.equal(6, #p.terms)
  end)

  it("never lets an FTS5 syntax error through, whatever the text",
    function()
      local PIECES = { '"', "*", "-", "OR", "NEAR(", ")", ",", " ", "hacker",
        "quay", "3", "(", ":", "^", "+", "AND", "NOT", "NEAR", "or", "'",
        "-\"", "\"*", "{", "}", "east bank", "港口" }
      local seed = 20261207
      local function rand(n)
        seed = (seed * 1103515245 + 12345) % 2147483648
        return seed % n + 1
      end
      for _ = 1, 1500 do
        local t = {}
        for k = 1, rand(8) do t[k] = PIECES[rand(#PIECES)] end
        local text = table.concat(t, rand(2) == 1 and " " or "")
        local n, msg, code = c:query(text):count()
        if n == nil then
          assert.are.equal("syntax", code, text .. ": " .. tostring(msg))
          assert.is_falsy(msg:find("fts5", 1, true), text .. ": " .. msg)
        else
          assert.are.equal("integer", math.type(n), text)
        end
      end
    end)

  it("errors clearly on a malformed NEAR and on exclusions alone",
    function()
      local _, e1 = qlang.parse("NEAR(quay, 3)")
      assert.are.equal("NEAR( at offset 0 needs two terms or more", e1)
      local _, e2 = qlang.parse("x NEAR(a b, three)")
      assert.is_truthy(e2:find("offset 2", 1, true), e2)
      local _, e3 = qlang.parse("-hacker -quay")
      assert.is_truthy(e3:find("only exclusions", 1, true), e3)
    end)
end)

describe("kwic", function()
  local c
  setup(function() c = open_sample() end)
  teardown(function() c:close() end)

  local function lines(q, term, width)
    local rows = {}
    for k in q:kwic(term, width) do rows[#rows + 1] = k end
    return rows
  end

  it("matches whole words, never inside a longer word or a URL",
    function()
      local rows = lines(c:query(), "hacker", 20)
      -- "hackers", "hacking", www.hacker.example and admin@hacker... are
      -- not the word hacker
      assert.are.equal(2, #rows)
      for _, k in ipairs(rows) do
        assert.are.equal("hacker", k.match:lower())
        assert.is_falsy(k.left:find("[%w/@.]$"), k.left)
        assert.is_falsy(k.right:find("^%w"), k.right)
      end
    end)

  it("matches prefixes and phrases as the search does", function()
    local words = {}
    for _, k in ipairs(lines(c:query(), "hack*", 10)) do
      words[#words + 1] = k.match:lower()
    end
    table.sort(words)
    assert.are.same({ "hacker", "hacker", "hackers", "hacking" }, words)
    local ph = lines(c:query(), "east bank", 10)
    assert.are.equal(2, #ph)
    assert.are.equal("east bank", ph[1].match)
  end)

  it("gives each line the article's id, date, outlet and title",
    function()
      local rows = lines(c:query(), "quay", 15)
      assert.are.equal(3, #rows)
      for _, k in ipairs(rows) do
        local a = c:get(k.id)
        assert.are.equal(a.date, k.date)
        assert.are.equal(a.outlet, k.outlet)
        assert.are.equal(a.title, k.title)
        assert.is_true(utf8.len(k.left) <= 15)
      end
    end)

  it("finds the word forms the search finds in a corpus of stems",
    function()
      local st = assert(loupe.open(":memory:", { stem = "en" }))
      for i, p in ipairs(PAGES) do
        assert(st:add(h.news_page(p), { path = "page" .. i .. ".txt" }))
      end
      local words = {}
      for k in st:query():kwic("hacker", 10) do
        words[#words + 1] = k.match:lower()
      end
      table.sort(words)
      -- hackers and hacking are forms of "hacker" and "hack" to the
      -- stemmer: the search finds hackers, not hacking; nor does KWIC
      assert.are.same({ "hacker", "hacker", "hackers" }, words)
      local vote = {}
      for k in st:query():kwic("vote", 10) do vote[#vote + 1] = k.match end
      assert.are.same({ "voted", "votes" }, vote)
      st:close()
    end)

  it("uses the query's own search text when no term is given", function()
    local rows = lines(c:query('"night market" OR ferries'), nil, 10)
    local got = {}
    for _, k in ipairs(rows) do got[#got + 1] = k.match:lower() end
    table.sort(got)
    assert.are.same({ "ferries", "night market" }, got)
  end)
end)

describe("count_by and group_by", function()
  local c
  setup(function() c = open_sample() end)
  teardown(function() c:close() end)

  it("gives each month's count and its share of all articles", function()
    local rows = assert(c:query("quay OR hacker"):count_by("month",
      { share = true }))
    assert.are.same({
      { key = "2021-03", count = 2, total = 2, share = 1 },
      { key = "2021-04", count = 1, total = 2, share = 0.5 },
    }, rows)
  end)

  it("counts by ISO week", function()
    local rows = assert(c:query():count_by("week", { share = false }))
    assert.are.same({ { key = "2021-W09", count = 1 },
                      { key = "2021-W10", count = 1 },
                      { key = "2021-W15", count = 1 },
                      { key = "2021-W16", count = 1 } }, rows)
    local qm = require "loupe.query"
    assert.are.equal("2020-W53", qm.iso_week("2021-01-03"))
    assert.are.equal("2020-W01", qm.iso_week("2019-12-30"))
  end)

  it("gives the share of the same outlet when counted by outlet",
    function()
      local rows = assert(c:query("hacker"):count_by("outlet"))
      assert.are.same({ { key = "Harbour Courier", count = 2, total = 2,
                          share = 1 } }, rows)
    end)

  it("groups by lang and speaker", function()
    local langs = assert(c:query():group_by("lang"))
    assert.are.equal(4, langs[1].count)
    local sp = assert(c:query("hacker"):group_by("speaker"))
    local kvist
    for _, r in ipairs(sp) do if r.key:find("Kvist") then kvist = r end end
    assert.is_truthy(kvist)
    assert.are.equal(#c:query("hacker"):where({ speaker = kvist.key })
      :ids(), kvist.count)
  end)
end)

describe("the toolkit commands", function()
  local dir, db
  setup(function()
    dir = h.tmpdir()
    for i, p in ipairs(PAGES) do
      h.write(dir .. "/page" .. i .. ".txt", h.news_page(p))
    end
    db = h.tmpdir() .. "/t.loupe"
    local code, _, err = h.loupe({ "ingest", "-q", db, dir })
    assert.are.equal(0, code, err)
  end)
  teardown(function()
    h.rmtree(dir)
    h.rmtree(db:match("^(.*)/"))
  end)

  it("loupe kwic prints id, date and the line; csv has every field",
    function()
      local code, out = h.loupe({ "kwic", db, "hacker", "--width", "12" })
      assert.are.equal(0, code)
      assert.is_truthy(out:find("2 lines", 1, true), out)
      assert.is_truthy(out:find("[hacker]", 1, true), out)
      code, out = h.loupe({ "kwic", db, "quay", "--format", "csv" })
      assert.are.equal(0, code)
      assert.are.equal("id,date,outlet,title,left,match,right",
        out:match("^[^\r\n]+"))
    end)

  it("loupe kwic names TERM when it is malformed", function()
    local code, _, err = h.loupe({ "kwic", db, "NEAR(quay" })
    assert.are.equal(2, code)
    assert.is_truthy(err:find("loupe: TERM: NEAR(", 1, true), err)
  end)

  it("loupe count --by month --share", function()
    local code, out = h.loupe({ "count", db, "hacker OR quay", "--by",
      "month", "--share", "--format", "csv" })
    assert.are.equal(0, code)
    assert.are.equal("key,count,total,share\n2021-03,2,2,1\n"
      .. "2021-04,1,2,0.5\n", (out:gsub("\r", "")))
  end)

  it("loupe search --phrase and --near", function()
    local code, out = h.loupe({ "search", db, "--phrase", "east bank",
      "--near", "market", "crowds", "3", "--format", "csv" })
    assert.are.equal(0, code)
    assert.is_truthy(out:find("Night market draws crowds", 1, true), out)
    assert.is_falsy(out:find("new quay", 1, true), out)
    code = h.loupe({ "search", db, "--near", "a", "b", "x" })
    assert.are.equal(2, code)
  end)

  it("loupe speakers and loupe clusters run", function()
    local code, out = h.loupe({ "speakers", db, "--format", "csv" })
    assert.are.equal(0, code)
    assert.is_truthy(out:find("Kvist", 1, true), out)
    code, out = h.loupe({ "clusters", db })
    assert.are.equal(0, code)
    assert.is_truthy(out:find("0 clusters", 1, true), out)
  end)
end)
