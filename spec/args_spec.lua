-- spec/args_spec.lua - arguments are checked at the door: dates (month,
-- day in month, leap years), integers before they reach C (no value cut
-- to a C type: regex limits, NEAR distance, KWIC width, limit, offset,
-- batch sizes), filter lists that are empty or hold a nil, search text
-- bounded by options that the message names, unknown options, and
-- messages that name the caller's argument and line, never a line inside
-- loupe. Regression specs for ../shared/data/fuzz-repro (int_truncation,
-- long_query) and the misuses listed there, on invented pages.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"
local check = require "loupe.check"

local PAGES = {
  { "Tidewater Ledger", "Minister defends the water plan",
    "March 3, 2021",
    "The minister of water said on Wednesday that the long awaited plan "
      .. "for the northern reservoirs would proceed despite objections." },
  { "Harrowgate Herald", "Harbour levy approved after long debate",
    "February 28, 2020",
    "Councillors approved the harbour levy on Friday after a debate that "
      .. "lasted well into the evening, officials said." },
  { "Saltmarsh Times", "Ferry timetable changes for the winter",
    "December 1, 2022",
    "The ferry company said its winter timetable would start next week, "
      .. "with two fewer crossings on weekdays." },
}

local function corpus()
  local c = assert(loupe.open(":memory:"))
  for i, p in ipairs(PAGES) do
    assert(c:add(h.news_page { outlet = p[1], title = p[2], date = p[3],
      paragraphs = { p[4] } }, { path = "page" .. i .. ".txt" }))
  end
  return c
end

-- The message of the error fn raises (a string).
local function raised(fn)
  local ok, err = pcall(fn)
  assert.is_false(ok, "no error raised")
  return tostring(err)
end

-- fn raises `want` (plain text) at a line of this file.
local function raises_here(fn, want)
  local msg = raised(fn)
  assert.is_truthy(msg:find(want, 1, true), msg)
  assert.is_truthy(msg:find("args_spec%.lua:%d+: "), "no position here: "
    .. msg)
  assert.is_nil(msg:find("lua/loupe/", 1, true), "points inside loupe: "
    .. msg)
end

describe("dates", function()
  local c
  before_each(function() c = corpus() end)
  after_each(function() c:close() end)

  it("are accepted as a year, a month or a day, with a time and zone",
    function()
      for _, d in ipairs({ "2021", "2021-03", "2021-03-03", "2020-02-29",
                           "2000-02-29", "2021-03-03T09:30",
                           "2021-03-03T09:30:15Z", "2021-03-03T09:30+08:00",
                           "2021-12-31T23:59:59.5-05:00" }) do
        assert.is_true(check.iso_date(d), d)
        assert.are.equal("number", type(c:query():where { since = d }
          :count()))
      end
      assert.are.equal(2, c:query():where { since = "2021" }:count())
      assert.are.equal(1, c:query():where { since = "2020-02",
        ["until"] = "2020-02-29" }:count())
    end)

  it("raise naming the filter and the reason for a month or day out of "
    .. "range", function()
      for d, why in pairs({
        ["2021-13-45"] = "month 13 is not 01 to 12",
        ["2021-00"] = "month 00 is not 01 to 12",
        ["2021-02-29"] = "day 29 is not in 2021-02 (01 to 28)",
        ["1900-02-29"] = "day 29 is not in 1900-02 (01 to 28)",
        ["2021-04-31"] = "day 31 is not in 2021-04 (01 to 30)",
        ["2021-03-00"] = "day 00 is not in 2021-03",
        ["21-03-03"] = "not YYYY, YYYY-MM or YYYY-MM-DD",
        ["2021/03/03"] = "not YYYY, YYYY-MM or YYYY-MM-DD",
        ["2021-03-03T25:00"] = "the time 25:00 is out of range",
        ["2021-03-03 09:30"] = "the time after the date",
        ["2021-03-03T09:30+99:00"] = "the zone",
      }) do
        raises_here(function() c:query():where { since = d } end,
          "bad argument #1 to 'where' (filter 'since': \"" .. d
            .. "\" is not a valid date (" .. why)
        raises_here(function() c:query():where { ["until"] = d } end,
          "filter 'until'")
      end
    end)

  it("are checked by quotes, clusters and talking points too", function()
    raises_here(function() c:quotes { since = "2021-02-30" } end,
      "bad argument #1 to 'quotes' (filter 'since'")
    raises_here(function() c:clusters { ["until"] = "2021-13" } end,
      "bad argument #1 to 'clusters' (filter 'until'")
    raises_here(function() c:talking_points { since = "2021-1" } end,
      "bad argument #1 to 'talking_points' (option 'since'")
  end)
end)

describe("integers", function()
  local c
  before_each(function() c = corpus() end)
  after_each(function() c:close() end)

  -- fuzz-repro int_truncation.lua: 2^32 became 0 in C
  it("are never cut: a regex limit of 2^32 raises naming the option",
    function()
      raises_here(function()
        loupe.regex("(a+)+$", nil, { match_limit = 2^32 | 0 })
      end, "bad argument #3 to 'regex' (option 'match_limit' must be an "
        .. "integer from 1 to 4294967295, got 4294967296)")
      for _, k in ipairs({ "depth_limit", "heap_limit" }) do
        raises_here(function()
          loupe.regex("x", nil, { [k] = 2^40 | 0 })
        end, "option '" .. k .. "' must be an integer from 1 to 4294967295")
      end
      assert.is_truthy(loupe.regex("x", nil, { match_limit = 4294967295 }))
    end)

  it("keep the limit the message names when a match hits it", function()
    local re = assert(loupe.regex("(a+)+$", nil, { match_limit = 5000 }))
    local a, msg, code = re:find(("a"):rep(30) .. "b")
    assert.is_nil(a)
    assert.are.equal("limit", code)
    assert.is_truthy(msg:find("current limit is 5000;", 1, true), msg)
    -- and where a query uses the compiled regex
    assert.are.equal(0, c:query():regex(re):count())
    assert(c:add(h.news_page { outlet = "Isle Courier",
      title = "Odd code found in the harbour report",
      paragraphs = { "Inspectors said the harbour report held the code "
        .. ("a"):rep(30) .. "b on its last page, officials said on Monday "
        .. "in the capital." } }))
    for _, q in ipairs({ c:query():regex(re),
                         c:query():regex(re):order("date"):limit(5) }) do
      local n, qmsg, qcode = q:count()
      assert.is_nil(n)
      assert.are.equal("limit", qcode)
      assert.is_truthy(qmsg:find("current limit is 5000;", 1, true), qmsg)
    end
  end)

  it("raise for a NEAR distance or a KWIC width that C cannot hold",
    function()
      raises_here(function()
        c:query():near("minister", "plan", 2^32 | 0)
      end, "bad argument #3 to 'near' (distance must be an integer from 0 "
        .. "to 2147483647, got 4294967296)")
      raises_here(function() c:query():near("minister", "plan", -1) end,
        "bad argument #3 to 'near'")
      raises_here(function() c:query():kwic("plan", 2^40 | 0) end,
        "bad argument #2 to 'kwic' (width must be an integer from 1 to "
        .. "2147483647, got 1099511627776)")
      assert.are.equal(1, c:query():near("minister", "plan", 2147483647)
        :count())
      -- the whole body on either side
      local it_ = c:query():kwic("awaited", 2147483647)
      local row = it_()
      assert.are.equal("The minister of water said on Wednesday that the "
        .. "long ", row.left)
      assert.is_truthy(row.right:find("objections.$"), row.right)
    end)

  it("reject fractions, NaN, infinities and numeric strings", function()
    for _, bad in ipairs({ 1.5, 0 / 0, math.huge, -math.huge, "10" }) do
      raises_here(function() c:query():limit(bad) end,
        "bad argument #1 to 'limit' (limit must be a non-negative integer")
      raises_here(function() c:query():offset(bad) end,
        "bad argument #1 to 'offset'")
      raises_here(function() c:query():near("water", "plan", bad) end,
        "bad argument #3 to 'near'")
      raises_here(function() c:ingest("x", { batch = bad }) end,
        "bad argument #2 to 'ingest' (option 'batch' must be a positive "
        .. "integer")
      raises_here(function() c:ingest("x", { batch_bytes = bad }) end,
        "option 'batch_bytes' must be a positive integer")
      raises_here(function() c:talking_points { min_words = bad } end,
        "option 'min_words' must be an integer from 1 to 2147483647")
      raises_here(function() loupe.parse("x", { max_bytes = bad }) end,
        "option 'max_bytes' must be a positive integer")
    end
    -- a float with an integral value is an integer, as Lua's own take it
    assert.are.equal(1, #assert(c:query():order("date"):limit(1.0):ids()))
  end)

  -- fuzz-repro: ingest(dir, {batch_bytes = "x"}) compared a string
  it("name the option in ingest, never a comparison inside loupe",
    function()
      raises_here(function() c:ingest("x", { batch_bytes = "x" }) end,
        "bad argument #2 to 'ingest' (option 'batch_bytes' must be a "
        .. "positive integer, got \"x\")")
    end)

  it("raise for a cluster threshold that is NaN", function()
    raises_here(function()
      loupe.open(":memory:", { cluster_threshold = 0 / 0 })
    end, "bad argument #2 to 'open' (option 'cluster_threshold'")
  end)
end)

describe("filter lists", function()
  local c
  before_each(function() c = corpus() end)
  after_each(function() c:close() end)

  -- where{outlet={}} and {nil, "x"} matched every article
  it("raise when empty or holding a nil, for every list filter", function()
    for _, k in ipairs({ "outlet", "credit", "author", "lang", "speaker",
                         "entity" }) do
      raises_here(function() c:query():where { [k] = {} } end,
        "bad argument #1 to 'where' (filter '" .. k .. "' is an empty list)")
      raises_here(function() c:query():where { [k] = { nil, "x" } } end,
        "bad argument #1 to 'where' (filter '" .. k .. "' has a hole: nil "
        .. "at [1] of 2)")
      raises_here(function() c:query():where { [k] = { "x", 5 } } end,
        "filter '" .. k .. "' holds a number at [2]")
      raises_here(function() c:query():where { [k] = "" } end,
        "filter '" .. k .. "' is an empty string")
      raises_here(function() c:query():where { [k] = { n = 1 } } end,
        "filter '" .. k .. "' has key \"n\"")
    end
    for _, k in ipairs({ "speaker", "kind", "text" }) do
      raises_here(function() c:query():quotes { [k] = {} } end,
        "bad argument #1 to 'quotes' (option '" .. k .. "' is an empty list)")
      raises_here(function() c:quotes { [k] = { nil, "x" } } end,
        "bad argument #1 to 'quotes' (filter '" .. k .. "' has a hole")
    end
    raises_here(function() c:quotes { outlet = {} } end,
      "filter 'outlet' is an empty list")
    raises_here(function() c:quotes { kind = "shouted" } end,
      "filter 'kind': direct, reported, phrase or turn expected, got "
        .. "\"shouted\"")
    raises_here(function() c:entities { kind = "planet" } end,
      "filter 'kind': person, organisation or place expected, got "
      .. "\"planet\"")
  end)

  it("still OR the values of a full list", function()
    assert.are.equal(2, c:query():where { outlet = { "Tidewater Ledger",
      "saltmarsh times" } }:count())
  end)

  -- ingest({dir, nil}) blamed list_files
  it("of paths raise in ingest, naming ingest and the hole", function()
    local unset = os.getenv("LOUPE_SPEC_UNSET_VARIABLE")
    raises_here(function() c:ingest({ unset, "pages/" }) end,
      "bad argument #1 to 'ingest' (the list of paths has a hole: nil at "
      .. "[1] of 2)")
    raises_here(function() c:ingest({}) end,
      "bad argument #1 to 'ingest' (the list of paths is an empty list)")
    raises_here(function() c:ingest("") end,
      "bad argument #1 to 'ingest' (the path is an empty string)")
    raises_here(function() c:ingest({ "a", "" }) end,
      "the list of paths holds an empty string at [2]")
    assert.are.equal(3, c:count())
  end)
end)

describe("strings the core reads as C strings", function()
  local c
  before_each(function() c = corpus() end)
  after_each(function() c:close() end)

  -- the core would stop at the NUL: "water\0x" searched "water"
  it("raise for a NUL byte instead of being cut at it", function()
    raises_here(function() c:query("water\0plan") end,
      "bad argument #1 to 'query' (the search text holds a NUL byte)")
    raises_here(function() c:query():phrase("the\0plan") end,
      "bad argument #1 to 'phrase' (the phrase holds a NUL byte)")
    raises_here(function() c:query():regex("plan\0|x") end,
      "bad argument #1 to 'regex' (the pattern holds a NUL byte)")
    raises_here(function() c:query():kwic("pl\0an") end,
      "bad argument #1 to 'kwic' (the term holds a NUL byte)")
    raises_here(function() c:query():where { outlet = { "Isle\0x" } } end,
      "filter 'outlet' at [1] holds a NUL byte")
    raises_here(function() c:add("x", { path = "a\0b" }) end,
      "option 'path' holds a NUL byte")
    raises_here(function() c:ingest({ "pages\0/" }) end,
      "the list of paths at [1] holds a NUL byte")
    -- a standalone regex takes the pattern whole, NUL included
    assert.are.equal(2, (loupe.regex("b\0c"):find("ab\0c")))
  end)
end)

describe("search text", function()
  local c
  before_each(function() c = corpus() end)
  after_each(function() c:close() end)

  -- fuzz-repro long_query.lua: an AND chain of 256k words took 13 s
  it("is bounded in terms: count gives nil, a message naming "
    .. "max_query_terms and 'limit'", function()
      -- 256k words are also over the bytes limit: either stops them
      local n, msg, code = c:query(("word "):rep(256000)):count()
      assert.is_nil(n)
      assert.are.equal("limit", code)
      assert.is_truthy(msg:find("option max_query_", 1, true), msg)
      n, msg, code = c:query(("word "):rep(5000)):count()
      assert.is_nil(n)
      assert.are.equal("limit", code)
      assert.is_truthy(msg:find("^loupe: "), msg)
      assert.is_truthy(msg:find("more than 4096 terms (option "
        .. "max_query_terms)", 1, true), msg)
      assert.error_matches(function()
        for _ in c:query(("word "):rep(5000)):each() do end
      end, "max_query_terms", 1, true)
    end)

  it("is bounded in bytes, naming max_query_bytes", function()
    local long = ("w"):rep(2 * 1024 * 1024)
    for _, q in ipairs({ c:query(long), c:query():phrase(long),
                         c:query():regex(long) }) do
      local n, msg, code = q:count()
      assert.is_nil(n)
      assert.are.equal("limit", code)
      assert.is_truthy(msg:find("more than 1048576 bytes", 1, true), msg)
      assert.is_truthy(msg:find("option max_query_bytes", 1, true), msg)
    end
  end)

  it("takes its limits from loupe.open and corpus:query", function()
    local d = assert(loupe.open(":memory:", { max_query_terms = 3,
                                               max_query_bytes = 64 }))
    assert(d:add("Plan approved\n\nThe minister said the plan would "
      .. "proceed.\n"))
    assert.are.equal(1, d:query("minister plan said"):count())
    local n, msg, code = d:query("minister plan said proceed"):count()
    assert.is_nil(n)
    assert.are.equal("limit", code)
    assert.is_truthy(msg:find("more than 3 terms", 1, true), msg)
    assert.are.equal("limit", select(3, d:query(("x"):rep(65)):count()))
    -- a query's own option wins
    assert.are.equal(1, d:query("minister plan said proceed",
      { max_query_terms = 10 }):count())
    -- NEAR terms count, phrases count once
    assert.are.equal("limit", select(3, d:query("minister"):near("plan",
      "said"):phrase("would proceed"):count()))
    d:close()
    raises_here(function() loupe.open(":memory:", { max_query_terms = 0 })
    end, "bad argument #2 to 'open' (option 'max_query_terms' must be a "
      .. "positive integer, got 0)")
    raises_here(function() c:query("x", { max_query_bytes = 1.5 }) end,
      "bad argument #2 to 'query' (option 'max_query_bytes'")
  end)

  it("needs a letter or a digit in a phrase or NEAR term", function()
    raises_here(function() c:query():phrase("...") end,
      "bad argument #1 to 'phrase' (the phrase has no letter or digit)")
    raises_here(function() c:query():near("--", "plan") end,
      "bad argument #1 to 'near' (the first term has no letter or digit)")
  end)
end)

describe("messages", function()
  local c
  before_each(function() c = corpus() end)
  after_each(function() if not c:is_closed() then c:close() end end)

  -- a loop continued after close() said "query.lua:204"
  it("point at the loop continued after corpus:close()", function()
    raises_here(function()
      for _ in c:query():each() do c:close() end
    end, "attempt to use a closed corpus")
  end)

  it("point at the caller for a query of a closed corpus", function()
    local q = c:query("water")
    c:close()
    raises_here(function() q:count() end, "attempt to use a closed corpus")
    raises_here(function() c:query() end, "attempt to use a closed corpus")
  end)

  it("point at the caller for a hit field read after close", function()
    local hit = c:query("water"):each()()
    c:close()
    raises_here(function() local _ = hit.body end,
      "cannot read 'body' of hit")
  end)

  it("name unknown options and filters everywhere", function()
    raises_here(function() c:query():where { outlett = "x" } end,
      "bad argument #1 to 'where' (unknown filter 'outlett')")
    raises_here(function() c:query("x", { rwa = true }) end,
      "bad argument #2 to 'query' (unknown option 'rwa')")
    raises_here(function() c:ingest("x", { thread = 2 }) end,
      "bad argument #2 to 'ingest' (unknown option 'thread')")
    raises_here(function() c:utterances { speakr = "x" } end,
      "bad argument #1 to 'utterances' (unknown filter 'speakr')")
    raises_here(function() c:clusters { min = 2 } end,
      "bad argument #1 to 'clusters' (unknown filter 'min')")
    raises_here(function() c:clusters("x") end,
      "bad argument #1 to 'clusters' (table expected, got string)")
    raises_here(function() c:add("x", { path = 5 }) end,
      "bad argument #2 to 'add' (option 'path' must be a non-empty string")
    raises_here(function() loupe.open("") end,
      "bad argument #1 to 'open' (the path is an empty string)")
    raises_here(function() c:query():regex(loupe.regex("x"), "i") end,
      "bad argument #2 to 'regex' (no flags expected with a compiled regex)")
  end)

  it("point at the caller for a charset the core does not know",
    function()
      raises_here(function() loupe.parse("x", { charset = "klingon" }) end,
        "bad argument #2 to 'parse' (option 'charset': unknown charset "
        .. "'klingon'")
      raises_here(function() loupe.parse("x", { charset = 8 }) end,
        "bad argument #2 to 'parse' (option 'charset' must be a string, got "
        .. "number)")
      raises_here(function() c:ingest("x", { charset = "klingon" }) end,
        "bad argument #2 to 'ingest' (option 'charset': unknown charset")
    end)

  it("name the function and argument in report", function()
    local report = require "loupe.report"
    raises_here(function() report.bar_chart(nil) end,
      "bad argument #1 to 'bar_chart' (table expected, got nil)")
    raises_here(function() report.hbar_chart({ 3 }) end,
      "bad argument #1 to 'hbar_chart' (row 1 is a number (a table "
      .. "expected))")
    raises_here(function() report.timeline("quotes") end,
      "bad argument #1 to 'timeline' (table expected, got string)")
    raises_here(function() report.line_chart({ { rows = 5 } }) end,
      "bad argument #1 to 'line_chart'")
    raises_here(function() report.csv(nil) end,
      "bad argument #1 to 'csv' (table expected, got nil)")
    raises_here(function() report.page():list(nil) end,
      "bad argument #1 to 'list'")
  end)
end)
