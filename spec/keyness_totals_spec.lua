-- spec/keyness_totals_spec.lua - the word totals a corpus keeps for
-- keyness (schema version 6, csrc/corpus/totals.c): keyness against the
-- rest read from them must be the keyness counted from the texts
-- (recount = true) after an ingest, a re-ingest of a changed file and the
-- removal of an article; loupe check compares them with the articles; an
-- older corpus is read as it is read-only and counted when it is
-- upgraded. The articles are invented, in the seeds' plain-text format.
local h = dofile("spec/helpers.lua")
local cjson = require "cjson"
local loupe = require "loupe"

local it_sql = h.sqlite3_cli() and it or pending

local TOPICS = {
  { "harbour", "cranes", "ferry", "quay", "pilots" },
  { "council", "library", "budget", "auditors", "ballot" },
  { "drought", "reservoir", "wells", "crops", "rainfall" },
}
local FILLER = { "week", "town", "plan", "report", "morning", "street",
  "workers", "families", "officials", "residents" }

-- Article i: two paragraphs of sentences drawn from a topic and filler,
-- the same every run (a small generator of its own).
local function page(i, extra)
  local seed = i * 7919
  local function pick(list)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return list[seed % #list + 1]
  end
  local topic = TOPICS[i % #TOPICS + 1]
  local paras = {}
  for p = 1, 2 do
    local s = {}
    for k = 1, 3 do
      s[k] = ("The %s near the %s was on the agenda again, and the %s said"
        .. " the %s would be ready for the %s by the end of the %s.")
        :format(pick(topic), pick(FILLER), pick(FILLER), pick(topic),
          pick(topic), pick(FILLER))
    end
    if extra and p == 2 then s[#s + 1] = extra end
    paras[p] = table.concat(s, " ")
  end
  return h.news_page {
    outlet = i % 2 == 0 and "Harbour Courier" or "Inland Gazette",
    title = "Report number " .. i .. " on the " .. topic[1],
    date = ("March %d, 2021"):format(i), paragraphs = paras }
end

-- Keyness against the rest from the kept totals and counted afresh, for
-- several targets and measures: the two must be the same rows.
local function same_keyness(c)
  local targets = { c:query("harbour"), c:query("drought"),
    c:query():where { outlet = "Inland Gazette" } }
  for _, q in ipairs(targets) do
    for _, m in ipairs({ "chi2", "ll", "pmi" }) do
      local kept = assert(c:keyness(q, nil, { measure = m, limit = 0 }))
      local counted = assert(c:keyness(q, nil, { measure = m, limit = 0,
                                                  recount = true }))
      assert.is_true(#kept > 10)
      assert.are.equal(cjson.encode(counted), cjson.encode(kept), m)
    end
  end
end

local function features(rows)
  local set = {}
  for _, r in ipairs(rows) do set[r.feature] = r end
  return set
end

local function check_ok(c)
  local r = assert(c:check())
  assert.are.same({}, r.problems)
  assert.is_true(r.ok)
end

describe("the word totals kept for keyness", function()
  local dir, db

  before_each(function()
    dir = h.tmpdir()
    db = dir .. "/corpus.loupe"
    assert(os.execute("mkdir -p " .. h.shq(dir .. "/pages")))
    for i = 1, 12 do
      h.write(("%s/pages/p%02d.txt"):format(dir, i), page(i))
    end
  end)

  after_each(function() h.rmtree(dir) end)

  it("give the keyness counted from the texts after an ingest, a changed"
    .. " file and a removed article", function()
    local c = assert(loupe.open(db))
    assert.are.equal(12, assert(c:ingest(dir .. "/pages")).added)
    same_keyness(c)
    check_ok(c)
    -- a changed file: its article's body is replaced, with a new word
    h.write(dir .. "/pages/p02.txt", page(2, "The quinquereme sailed in."))
    assert.are.equal(1, assert(c:ingest(dir .. "/pages")).updated)
    local rows = assert(c:keyness(c:query("harbour"), nil, { limit = 0 }))
    assert.are.equal(1, features(rows).quinquereme.reference)
    same_keyness(c)
    check_ok(c)
    -- p02 now holds p04's content: the article it held loses its last
    -- path and goes, its words with it
    h.write(dir .. "/pages/p02.txt", page(4))
    local s = assert(c:ingest(dir .. "/pages"))
    assert.are.equal(1, s.duplicate)
    assert.are.equal(11, c:count())
    rows = assert(c:keyness(c:query("harbour"), nil, { limit = 0 }))
    assert.is_nil(features(rows).quinquereme)
    same_keyness(c)
    check_ok(c)
    c:close()
    -- another connection reads the same totals on its first call
    local ro = assert(loupe.open(db, { readonly = true }))
    same_keyness(ro)
    ro:close()
  end)

  it("are the same when the pages are added one by one (their changes"
    .. " logged, then added up), and after a batch rolled back", function()
    local c = assert(loupe.open(db))
    for i = 1, 20 do
      assert(c:add(page(i), { path = ("p%02d.txt"):format(i) }))
    end
    if h.sqlite3_cli() then
      -- 16 transactions logged were added up; the last 4 wait in the log
      assert.are.equal("4", h.sql(db, "SELECT count(*) FROM"
        .. " word_totals_log"))
      assert.is_true(tonumber(h.sql(db, "SELECT count(*) FROM word_totals"))
        > 20)
    end
    same_keyness(c)
    check_ok(c)
    local handle = c:_handle()
    assert(handle:begin())
    assert(c:add(page(40, "The quinquereme sailed in."),
                 { path = "p40.txt" }))
    assert(handle:rollback())
    assert.are.equal(20, c:count())
    assert.is_nil(features(assert(c:keyness(c:query("harbour"), nil,
      { limit = 0 }))).quinquereme)
    same_keyness(c)
    check_ok(c)
    c:close()
  end)

  it_sql("are checked: a kept total that the articles do not give is a"
    .. " problem of loupe check", function()
    local c = assert(loupe.open(db))
    assert(c:ingest(dir .. "/pages"))
    c:close()
    -- one more 'harbour' than the articles hold, as a logged change
    h.sql(db, "INSERT INTO word_totals_log(changes) VALUES (CAST('harbour'"
      .. " || char(9) || '1' || char(10) AS BLOB))")
    c = assert(loupe.open(db))
    local r = assert(c:check())
    assert.is_false(r.ok)
    assert.are.equal(1, #r.problems)
    assert.is_truthy(r.problems[1]:find("1 word whose kept totals (read by "
      .. "keyness) differ from the articles' words, e.g. 'harbour' kept ",
      1, true), r.problems[1])
    c:close()
    local code, out, err = h.loupe({ "check", db })
    assert.are.equal(1, code)
    assert.is_truthy((out .. err):find("'harbour' kept", 1, true), out)
  end)

  it_sql("of a corpus of schema version 5 are counted when it is opened"
    .. " for writing; read-only it is read as it is", function()
    local c = assert(loupe.open(db))
    assert(c:ingest(dir .. "/pages"))
    local want = cjson.encode((assert(c:keyness(c:query("harbour"), nil,
      { limit = 0 }))))
    c:close()
    -- what loupe 5 made: no word totals
    h.sql(db, "DROP TABLE word_totals; DROP TABLE word_totals_log;"
      .. " UPDATE meta SET value = '5' WHERE key = 'schema_version';"
      .. " PRAGMA wal_checkpoint(TRUNCATE);")
    local before = h.read(db)
    local ro = assert(loupe.open(db, { readonly = true }))
    assert.is_truthy(ro.notices[1]:find("schema version 5 is older", 1,
      true), ro.notices[1])
    assert.are.equal(want, cjson.encode((assert(ro:keyness(ro:query(
      "harbour"), nil, { limit = 0 })))))
    same_keyness(ro)
    check_ok(ro)
    ro:close()
    assert.are.equal(before, h.read(db))
    assert.are.equal("0", h.sql(db, "SELECT count(*) FROM sqlite_schema"
      .. " WHERE name = 'word_totals'"))
    c = assert(loupe.open(db))
    assert.are.equal(1, #c.notices, table.concat(c.notices, "\n"))
    assert.is_truthy(c.notices[1]:find(": upgraded from schema version 5 "
      .. "to 6: the word totals keyness reads are kept (", 1, true),
      c.notices[1])
    assert.are.equal(want, cjson.encode((assert(c:keyness(c:query(
      "harbour"), nil, { limit = 0 })))))
    same_keyness(c)
    check_ok(c)
    c:close()
    assert.are.equal("6", h.sql(db,
      "SELECT value FROM meta WHERE key = 'schema_version'"))
  end)

  it("are refused as an option of another type", function()
    local c = assert(loupe.open(":memory:"))
    assert.has_error(function()
      c:keyness(c:query("harbour"), nil, { recount = "yes" })
    end, "bad argument #3 to 'keyness' (option 'recount' must be a "
      .. "boolean, got string)")
    c:close()
  end)
end)
