-- spec/stats_spec.lua - keyness, collocations and the document-feature
-- matrix on four invented articles, checked against a worked example of
-- quanteda's definitions (textstat_keyness) computed by hand below.
local h = dofile("spec/helpers.lua")
local loupe = require "loupe"

local PAGES = {
  { outlet = "Harbour Courier", title = "Cranes return to the harbour",
    date = "March 3, 2021", paragraphs = {
      "The harbour board said new cranes will lift containers at the "
        .. "harbour from Monday morning onwards.",
      "Workers at the harbour welcomed the cranes after a long winter of "
        .. "delays and broken engines." } },
  { outlet = "Harbour Courier", title = "Harbour fees fall",
    date = "March 9, 2021", paragraphs = {
      "Fees for ships using the harbour will fall next month, the harbour "
        .. "board said in a short statement.",
      "Shipping firms said lower fees would bring more cargo to the "
        .. "harbour and more work for the town." } },
  { outlet = "Inland Gazette", title = "Council backs new library",
    date = "April 14, 2021", paragraphs = {
      "The town council voted to build a new library beside the market "
        .. "square after a long debate on Tuesday.",
      "The library will open in two years and the council said the old "
        .. "building will become a youth centre." } },
  { outlet = "Inland Gazette", title = "Market square to close",
    date = "April 20, 2021", paragraphs = {
      "The market square will close for repairs in the summer, the council "
        .. "said, and traders will move to the park.",
      "Traders said the move would hurt trade, but the council promised to "
        .. "cut their fees for the whole season." } },
}

local function near(want, got, what)
  assert.is_number(got, what)
  assert.is_true(math.abs(want - got) < 5e-5,
    ("%s: want %.4f, got %.6f"):format(what, want, got))
end

local function row_of(rows, feature)
  for _, r in ipairs(rows) do if r.feature == feature then return r end end
end

describe("corpus statistics", function()
  local c, courier, gazette

  setup(function()
    c = assert(loupe.open(":memory:"))
    for i, p in ipairs(PAGES) do
      assert(c:add(h.news_page(p), { path = "s" .. i .. ".txt" }))
    end
    courier = c:query():where { outlet = "Harbour Courier" }
    gazette = c:query():where { outlet = "Inland Gazette" }
  end)

  teardown(function() c:close() end)

  -- The bodies are the paragraphs above: the Courier's two articles hold
  -- 32 + 36 = 68 words, "harbour" 6 times; the Gazette's 36 + 41 = 77,
  -- "harbour" never, "council" 4 times.
  it("reads the words the worked example counts", function()
    local n = 0
    for hit in courier:each() do
      for _ in c:get(hit.id).body:gmatch("%w+") do n = n + 1 end
    end
    assert.are.equal(68, n)
  end)

  -- harbour: a = 6, b = 0, c = 68 - 6 = 62, d = 77, N = 145.
  -- chi2 (Yates): |ad - bc| = 462; N (462 - 72.5)^2 = 21997986.25;
  --   (a+b)(c+d)(a+c)(b+d) = 6 * 139 * 68 * 77 = 4366824;
  --   chi2 = 5.0375, + since a > E11 = 6 * 68 / 145 = 2.8138.
  -- ll: E11 = 2.8138, E12 = 3.1862, E21 = 65.1862, E22 = 73.8138;
  --   G2 = 2 (6 ln 2.1324 + 0 + 62 ln 0.9511 + 77 ln 1.0432) = 9.3806;
  --   Williams q = 1 + (145/6 + 145/139 - 1)(145/68 + 145/77 - 1) / 870
  --   = 1.0839; ll = 9.3806 / 1.0839 = 8.6544.
  -- pmi: log2(6 / 2.8138) = 1.0924.
  -- council: a = 0, b = 4, c = 68, d = 73: |ad - bc| = 272;
  --   chi2 = 145 (272 - 72.5)^2 / (4 * 141 * 68 * 77) = 1.9542, negative.
  it("computes keyness as quanteda defines it", function()
    local chi = assert(c:keyness(courier, gazette, { limit = 0 }))
    local r = row_of(chi, "harbour")
    assert.are.equal(6, r.target)
    assert.are.equal(0, r.reference)
    near(5.0375, r.chi2, "chi2 harbour")
    near(0.0248, r.p, "p harbour")
    near(-1.9542, row_of(chi, "council").chi2, "chi2 council")
    assert.are.equal("harbour", chi[1].feature)
    near(8.6544, row_of(assert(c:keyness(courier, gazette,
      { measure = "ll", limit = 0 })), "harbour").ll, "ll harbour")
    near(1.0924, row_of(assert(c:keyness(courier, gazette,
      { measure = "pmi", limit = 0 })), "harbour").pmi, "pmi harbour")
  end)

  it("takes every other article as the reference by default", function()
    local a = assert(c:keyness(courier, nil, { limit = 5 }))
    local b = assert(c:keyness(courier, gazette, { limit = 5 }))
    assert.are.same(b, a)
    assert.are.equal(5, #a)
  end)

  -- Collocations of "harbour", window 2: the words within two of it in
  -- the two Courier articles (the only ones holding it) are 11 + 12 = 23;
  -- the rest, the term's 6 aside, 68 - 23 - 6 = 39. board: a = 2, b = 0,
  -- c = 21, d = 39, N = 62, E11 = 2 * 23 / 62 = 0.7419:
  --   pmi = log2(2 / 0.7419) = 1.4306;
  --   G2 = 2 (2 ln 2.6957 + 21 ln 0.9435 + 39 ln 1.0333) = 4.0805,
  --   q = 1 + (31 + 62/60 - 1)(62/23 + 62/39 - 1) / 372 = 1.2741,
  --   ll = 3.2027.
  it("computes windowed collocations as keyness of the window", function()
    local ll = assert(c:collocations("harbour", { window = 2, min = 2,
                                                  limit = 0 }))
    local r = row_of(ll, "board")
    assert.are.equal(2, r.target)
    assert.are.equal(0, r.reference)
    near(3.2027, r.ll, "ll board")
    assert.is_nil(row_of(ll, "harbour"))
    assert.is_nil(row_of(ll, "cranes"))       -- once in a window: < min
    local pmi = assert(c:collocations("harbour", { window = 2, min = 2,
      measure = "pmi" }))
    near(1.4306, row_of(pmi, "board").pmi, "pmi board")
  end)

  it("exports the document-feature matrix, sparse", function()
    local d = assert(c:dfm(courier, { features = { "harbour", "fees",
                                                   "council" } }))
    assert.are.same({ "harbour", "fees", "council" }, d.features)
    assert.are.equal(2, #d.docs)
    local cells = {}
    for _, x in ipairs(d.cells) do
      cells[#cells + 1] = x.doc .. ":" .. x.feature .. "=" .. x.count
    end
    table.sort(cells)
    assert.are.same({ d.docs[1] .. ":harbour=3", d.docs[2] .. ":fees=2",
                      d.docs[2] .. ":harbour=3" }, cells)
    local path = os.tmpname()
    local f = assert(io.open(path, "w"))
    d:write(f, "mtx")
    f:close()
    local mtx = h.read(path)
    os.remove(path)
    assert.is_truthy(mtx:find("^%%%%MatrixMarket matrix coordinate integer "
      .. "general\n"))
    assert.is_truthy(mtx:find("\n2 3 3\n", 1, true), mtx)
  end)

  it("checks its arguments", function()
    assert.has_error(function() c:keyness(42) end)
    assert.has_error(function() c:keyness(courier, nil, { measure = "t" })
    end)
    assert.has_error(function() c:collocations("--") end)
    assert.has_error(function() c:collocations("harbour", { window = 0 })
    end)
  end)
end)

-- Keyness against every other article keeps the corpus's word totals for
-- the connection and reads only the smaller side afterwards: the rows
-- must be those of a first call on a fresh connection, and any change
-- to the corpus, by this connection or another, must drop the totals.
describe("keyness against the rest", function()
  local dir, path

  local function open(opts)
    return assert(loupe.open(path, opts))
  end

  local function keyed(c, target)
    return assert(c:keyness(target, nil, { limit = 0 }))
  end

  -- The reference count of word in keyness rows (fails when it is absent).
  local function reference_count(rows, word)
    for _, x in ipairs(rows) do
      if x.feature == word then return x.reference end
    end
    error("no keyness row for '" .. word .. "'")
  end

  setup(function()
    dir = h.tmpdir()
    path = dir .. "/k.db"
    local c = open()
    for i, p in ipairs(PAGES) do
      assert(c:add(h.news_page(p), { path = "s" .. i .. ".txt" }))
    end
    c:close()
  end)

  teardown(function() h.rmtree(dir) end)

  it("gives the same rows from the kept totals", function()
    local c = open({ readonly = true })
    local small = c:query("cranes")
    local big = c:query():where { since = "2021-03-05" }
    assert.are.equal(3, #assert(big:ids()))
    local first_small = keyed(c, small)
    local again_small, again_big = keyed(c, small), keyed(c, big)
    c:close()
    c = open({ readonly = true })
    local first_big = keyed(c, c:query():where { since = "2021-03-05" })
    c:close()
    assert.are.same(first_small, again_small)
    assert.is_true(#first_small > 10)
    assert.are.same(first_big, again_big)
  end)

  it("drops the totals when this connection adds an article", function()
    local c = open()
    keyed(c, c:query("cranes"))
    keyed(c, c:query("cranes"))
    assert(c:add(h.news_page { outlet = "Inland Gazette", title = "Light",
      date = "May 2, 2021", paragraphs = { "The old lighthouse on the "
        .. "point was lit again on Friday for the first time in years." } },
      { path = "s5.txt" }))
    assert.are.equal(1, reference_count(keyed(c, c:query("cranes")),
      "lighthouse"))
    c:close()
  end)

  it("drops the totals when another connection adds an article", function()
    local c = open({ readonly = true })
    keyed(c, c:query("cranes"))
    local w = open()
    assert(w:add(h.news_page { outlet = "Inland Gazette", title = "Gulls",
      date = "May 9, 2021", paragraphs = { "Gulls nested on the roof of "
        .. "the fish market all spring, the stallholders said." } },
      { path = "s6.txt" }))
    w:close()
    assert.are.equal(1, reference_count(keyed(c, c:query("cranes")),
      "gulls"))
    c:close()
  end)
end)
