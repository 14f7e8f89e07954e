-- spec/corpus_spec.lua - loupe.open and the corpus object: the schema a new
-- file gets, ingest of folders, files and globs (summaries, idempotence,
-- changed and bad files, progress, batches rolled back, a killed ingest,
-- readers beside an open batch), add, get, read-only and foreign files,
-- and closing (close, <close>, use after close).

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"

-- ---- invented pages -------------------------------------------------------

local BARRIER = h.news_page {
  outlet = "Harrowgate Herald",
  title = "Tidal barrier closes early as storm surge builds along the coast",
  byline = "By Ottilie Marsh",
  date = "March 3, 2022 / 7:15 AM",
  paragraphs = {
    "HARROWGATE, March 3 (Reuters) - Engineers closed the tidal barrier at "
      .. "the mouth of the Senn estuary six hours earlier than planned on "
      .. "Thursday as a storm surge built along the coast, the port "
      .. "authority said.",
    "The authority said the water level at the outer gauge had risen "
      .. "faster than its forecasts predicted, and that the barrier would "
      .. "stay shut until the evening tide had passed.",
    "Shops along the quay were told to move goods to upper floors, and two "
      .. "ferry crossings to the islands were cancelled for the day.",
  },
}

local RECOUNT = h.news_page {
  outlet = "Quillon Courier",
  title = "Regional court orders new vote count in Marrow district",
  byline = "By Bastian Ekholm",
  date = "11 October 2019",
  year = "2019",
  paragraphs = {
    "The regional court on Friday ordered a full recount of the ballots "
      .. "cast in the Marrow district after observers reported that several "
      .. "hundred postal votes had been counted twice.",
    "The electoral commission said it would begin the recount on Monday "
      .. "and expected to publish the corrected result within a week.",
    "Candidates from both leading parties welcomed the ruling and urged "
      .. "their supporters to wait calmly for the outcome.",
  },
}

local TEMPORAL = h.news_page {
  outlet = "Diario Ventisca",
  section = "Economía",
  title = "El puerto de Lastra suspende la descarga de contenedores por el "
    .. "temporal",
  date = "5 de enero de 2021, 10:20",
  year = "2021",
  paragraphs = {
    "La autoridad portuaria de Lastra suspendió este martes la descarga de "
      .. "contenedores durante doce horas debido a las rachas de viento de "
      .. "más de cien kilómetros por hora.",
    "Los estibadores recibieron instrucciones de asegurar las grúas y de "
      .. "abandonar los muelles hasta que el temporal perdiera fuerza, según "
      .. "un comunicado de la empresa.",
    "Varias navieras desviaron sus buques hacia el puerto de Calvera, donde "
      .. "las condiciones eran algo mejores durante la mañana.",
  },
}

local ORCHARD = h.news_page {
  outlet = "Fenwick Valley Chronicle",
  section = "Local",
  title = "Late frost threatens cherry harvest in the Fenwick valley",
  byline = "By Imogen Thale",
  date = "April 22, 2023 / 6:40 PM",
  year = "2023",
  paragraphs = {
    "Growers in the Fenwick valley lit smudge pots across their orchards on "
      .. "Saturday night as temperatures fell well below freezing three "
      .. "weeks after the cherry trees had come into blossom.",
    "The growers' cooperative said it was too early to say how much of the "
      .. "crop had been lost, but that the damage in the lower orchards "
      .. "near the river appeared to be severe.",
    "Forecasters expect milder nights from Tuesday onwards.",
  },
}

-- The page files written for each test, relative to the pages folder
-- (sorted as the ingest sorts them).
local PAGE_FILES = {
  ["barrier.txt"] = BARRIER,
  ["recount.txt"] = RECOUNT,
  ["sub/deeper/orchard.txt"] = ORCHARD,
  ["sub/temporal.txt"] = TEMPORAL,
}
local PAGE_NAMES = { "barrier.txt", "recount.txt", "sub/deeper/orchard.txt",
                     "sub/temporal.txt" }

local function mkdir(path)
  assert(os.execute("mkdir -p " .. h.shq(path)))
end

local function write_pages(dir)
  for name, text in pairs(PAGE_FILES) do
    local sub = (dir .. "/" .. name):match("^(.*)/[^/]*$")
    mkdir(sub)
    h.write(dir .. "/" .. name, text)
  end
end

-- Write n numbered pages into dir; their paths in order.
local function write_numbered(dir, n)
  mkdir(dir)
  local paths = {}
  for i = 1, n do
    paths[i] = ("%s/p%03d.txt"):format(dir, i)
    h.write(paths[i], h.numbered_page(i))
  end
  return paths
end

-- Check the three returns of a data error: nil, a "loupe: " message that
-- holds `needle` (plain text), and the code.
local function assert_data_error(code, needle, value, msg, got_code)
  assert.is_nil(value)
  assert.are.equal("string", type(msg))
  assert.is_truthy(msg:find("^loupe: "), "message: " .. tostring(msg))
  if needle then
    assert.is_truthy(msg:find(needle, 1, true),
      ("message %q does not name %q"):format(msg, needle))
  end
  assert.are.equal(code, got_code)
end

-- Tests that read the file with the sqlite3 shell are pending without it.
local it_sql = h.sqlite3_cli() and it or pending

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- ---- opening --------------------------------------------------------------

describe("loupe.open", function()
  local dir

  before_each(function()
    dir = h.tmpdir()
  end)

  after_each(function()
    h.rmtree(dir)
  end)

  it("creates an empty corpus with the schema in a new file", function()
    local path = dir .. "/new.db"
    local c = assert(loupe.open(path))
    assert.are.equal(0, c:count())
    assert.is_false(c:is_closed())
    c:close()
    -- reopening finds the same, empty corpus
    local again = assert(loupe.open(path))
    assert.are.equal(0, again:count())
    again:close()
  end)

  it_sql("writes a file that sqlite3 reads: articles table, WAL journal, "
    .. "schema_version 6", function()
    local path = dir .. "/schema.db"
    local c = assert(loupe.open(path))
    c:close()
    assert.are.equal("0", h.sql(path, "SELECT count(*) FROM articles"))
    assert.are.equal("wal", h.sql(path, "PRAGMA journal_mode"))
    assert.are.equal("6", h.sql(path,
      "SELECT value FROM meta WHERE key = 'schema_version'"))
    assert.are.equal("0", h.sql(path, "SELECT count(*) FROM articles_fts"))
    assert.are.equal("0", h.sql(path, "SELECT count(*) FROM paths"))
  end)

  it("keeps what was stored across a close and a reopen", function()
    local path = dir .. "/keep.db"
    local c = assert(loupe.open(path))
    local status, id = c:add(BARRIER, { path = "barrier.txt" })
    assert.are.equal("added", status)
    c:close()
    local again = assert(loupe.open(path))
    assert.are.equal(1, again:count())
    assert.are.equal(
      "Tidal barrier closes early as storm surge builds along the coast",
      again:get(id).title)
    again:close()
  end)

  it("gives every ':memory:' corpus its own private store", function()
    local a = assert(loupe.open(":memory:"))
    local b = assert(loupe.open(":memory:"))
    assert(a:add(BARRIER))
    assert.are.equal(1, a:count())
    assert.are.equal(0, b:count())
    a:close()
    b:close()
  end)

  it_sql("returns nil, a message naming the file and 'corrupt' for a SQLite "
    .. "database that is not a corpus", function()
    local path = dir .. "/notes.db"
    h.sql(path, "CREATE TABLE notes(x TEXT); "
      .. "INSERT INTO notes VALUES ('buy more tape')")
    assert_data_error("corrupt", path, loupe.open(path))
    assert_data_error("corrupt", path, loupe.open(path, { readonly = true }))
  end)

  it_sql("leaves a SQLite database that is not a corpus as it was", function()
    local path = dir .. "/notes.db"
    h.sql(path, "CREATE TABLE notes(x TEXT); "
      .. "INSERT INTO notes VALUES ('buy more tape')")
    assert.are.equal("delete", h.sql(path, "PRAGMA journal_mode"))
    assert.is_nil(loupe.open(path))
    assert.are.equal("buy more tape", h.sql(path, "SELECT x FROM notes"))
    assert.are.equal("notes", h.sql(path,
      "SELECT group_concat(name) FROM sqlite_schema"))
    -- a failed open must not switch someone else's database to WAL
    assert.are.equal("delete", h.sql(path, "PRAGMA journal_mode"))
  end)

  it("returns nil, a message naming the file and 'corrupt' or 'io' for a "
    .. "file of random bytes, and leaves the file alone", function()
    local path = dir .. "/garbage.db"
    local bytes = h.noise(8192, 77)
    h.write(path, bytes)
    local c, msg, code = loupe.open(path)
    assert.is_nil(c)
    assert.are.equal("string", type(msg))
    assert.is_truthy(msg:find("^loupe: "), msg)
    assert.is_truthy(msg:find(path, 1, true), msg)
    assert.is_truthy(code == "corrupt" or code == "io",
      "code: " .. tostring(code))
    assert.are.equal(bytes, h.read(path))
  end)

  it("returns nil, a message naming the path and 'io' when the folder "
    .. "does not exist", function()
    local path = dir .. "/no/such/folder/c.db"
    assert_data_error("io", path, loupe.open(path))
  end)

  it("returns nil, a message and 'io' for a read-only open of a missing "
    .. "file, creating nothing", function()
    local path = dir .. "/missing.db"
    assert_data_error("io", path, loupe.open(path, { readonly = true }))
    assert.is_nil(io.open(path, "rb"))
  end)

  it("raises on a bad path type and an unknown option", function()
    assert.error_matches(function() loupe.open(42) end,
      "bad argument #1 to 'open'", 1, true)
    assert.error_matches(function()
      loupe.open(":memory:", { read_only = true })
    end, "bad argument #2 to 'open' (unknown option 'read_only')", 1, true)
  end)
end)

-- ---- ingest ---------------------------------------------------------------

describe("corpus:ingest", function()
  local dir, pages, c

  before_each(function()
    dir = h.tmpdir()
    pages = dir .. "/pages"
    write_pages(pages)
    c = assert(loupe.open(dir .. "/corpus.db"))
  end)

  after_each(function()
    if c then c:close() end
    h.rmtree(dir)
  end)

  it("stores every page of a folder, walking its subfolders", function()
    local s = assert(c:ingest(pages))
    assert.are.same({ added = 4, updated = 0, unchanged = 0, duplicate = 0,
                      failed = {}, files = 4 }, s)
    assert.are.equal(4, c:count())
    local paths = {}
    for art in c:articles() do paths[#paths + 1] = art.path end
    table.sort(paths)
    local want = {}
    for i, name in ipairs(PAGE_NAMES) do want[i] = pages .. "/" .. name end
    assert.are.same(want, paths)
  end)

  it("stores a single file", function()
    local s = assert(c:ingest(pages .. "/recount.txt"))
    assert.are.same({ added = 1, updated = 0, unchanged = 0, duplicate = 0,
                      failed = {}, files = 1 }, s)
    assert.are.equal(1, c:count())
    assert.are.equal(1, c:query("recount"):count())
    assert.are.equal(0, c:query("barrier"):count())
  end)

  it("expands a glob pattern", function()
    local s = assert(c:ingest(h.corpus_glob))
    assert.are.same({ added = h.CORPUS_PAGES, updated = 0, unchanged = 0,
                      duplicate = 0, failed = {}, files = h.CORPUS_PAGES }, s)
    assert.are.equal(h.CORPUS_PAGES, c:count())
  end)

  it("takes a list of paths and globs and reads a file named twice once",
    function()
      local s = assert(c:ingest({ pages .. "/sub/*.txt", pages .. "/*.txt",
                                  pages .. "/barrier.txt" }))
      assert.are.equal(3, s.files)
      assert.are.equal(3, s.added)
      assert.are.equal(3, c:count())
    end)

  it("finds nothing new when the same files are ingested again", function()
    assert(c:ingest(pages))
    local ids = c:query():ids()
    local s = assert(c:ingest(pages))
    assert.are.same({ added = 0, updated = 0, unchanged = 4, duplicate = 0,
                      failed = {}, files = 4 }, s)
    assert.are.equal(4, c:count())
    assert.are.same(ids, c:query():ids())
    if h.sqlite3_cli() then
      assert.are.equal("4", h.sql(dir .. "/corpus.db",
        "SELECT count(*) FROM articles"))
      assert.are.equal("4", h.sql(dir .. "/corpus.db",
        "SELECT count(DISTINCT path) FROM articles"))
    end
  end)

  it("replaces the record of a changed file under the same id", function()
    assert(c:ingest(pages))
    local path = pages .. "/recount.txt"
    local before = c:query("recount"):ids()
    assert.are.equal(1, #before)
    h.write(path, RECOUNT:gsub("electoral commission",
      "lighthouse keepers' guild"):gsub("recount", "tally"))
    local s = assert(c:ingest(pages))
    assert.are.same({ added = 0, updated = 1, unchanged = 3, duplicate = 0,
                      failed = {}, files = 4 }, s)
    assert.are.equal(4, c:count())
    assert.are.same(before, c:query("lighthouse guild"):ids())
    assert.are.equal(0, c:query("recount"):count())
    assert.are.equal(0, c:query():phrase("electoral commission"):count())
    local art = c:get(before[1])
    assert.is_truthy(art.body:find("lighthouse keepers' guild", 1, true))
    assert.is_nil(art.body:find("electoral", 1, true))
    if h.sqlite3_cli() then
      h.sql(dir .. "/corpus.db",
        "INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
    end
  end)

  it("skips binary and empty files, reports them with path and code, and "
    .. "stores the others", function()
    h.write(pages .. "/blank.txt", "")
    h.write(pages .. "/photo.txt", h.noise(4000, 9, 11))
    local s = assert(c:ingest(pages))
    assert.are.equal(6, s.files)
    assert.are.equal(4, s.added)
    assert.are.equal(4, c:count())
    local failed = {}
    for _, f in ipairs(s.failed) do
      assert.are.equal("string", type(f.error))
      failed[f.path] = f.code
    end
    assert.are.same({ [pages .. "/blank.txt"] = "empty",
                      [pages .. "/photo.txt"] = "encoding" }, failed)
  end)

  it("reports a file that vanishes between listing and reading as 'io'",
    function()
      local gone = pages .. "/recount.txt"
      local s = assert(c:ingest(pages, { progress = function(info)
        if info.path == pages .. "/barrier.txt" then os.remove(gone) end
      end }))
      assert.are.equal(4, s.files)
      assert.are.equal(3, s.added)
      assert.are.equal(1, #s.failed)
      assert.are.equal(gone, s.failed[1].path)
      assert.are.equal("io", s.failed[1].code)
      assert.is_truthy(s.failed[1].error:find(gone, 1, true))
      assert.are.equal(3, c:count())
    end)

  it("reports a dangling symlink in a folder as failed with code 'io'",
    function()
      local link = pages .. "/moved.txt"
      assert(os.execute("ln -s " .. h.shq(dir .. "/nowhere.txt") .. " "
        .. h.shq(link)))
      local s = assert(c:ingest(pages))
      assert.are.equal(4, s.added)
      assert.are.equal(4, c:count())
      assert.are.equal(1, #s.failed, "the dangling link is not reported")
      assert.are.equal(link, s.failed[1].path)
      assert.are.equal("io", s.failed[1].code)
    end)

  it("starts every failure message with 'loupe: ' and names the file",
    function()
      h.write(pages .. "/blank.txt", "")
      local gone = pages .. "/recount.txt"
      local s = assert(c:ingest(pages, { progress = function(info)
        if info.path == pages .. "/barrier.txt" then os.remove(gone) end
      end }))
      assert.are.equal(2, #s.failed)
      for _, f in ipairs(s.failed) do
        assert.is_truthy(f.error:find("^loupe: "),
          ("%s (%s): %q"):format(f.path, f.code, f.error))
        assert.is_truthy(f.error:find(f.path, 1, true), f.error)
      end
    end)

  it("returns nil, a message naming a missing path and 'io', storing "
    .. "nothing", function()
    local missing = dir .. "/no-such-folder"
    assert_data_error("io", missing,
      c:ingest({ pages .. "/barrier.txt", missing }))
    assert.are.equal(0, c:count())
  end)

  it("returns nil, a message naming a glob that matches nothing and 'io'",
    function()
      local glob = pages .. "/*.html"
      assert_data_error("io", glob, c:ingest(glob))
      assert.are.equal(0, c:count())
    end)

  it("returns nil, a message and 'limit' for folders nested too deep",
    function()
      local deep = dir .. "/deep" .. string.rep("/d", 70)
      mkdir(deep)
      h.write(deep .. "/lost.txt", BARRIER)
      assert_data_error("limit", dir .. "/deep", c:ingest(dir .. "/deep"))
      assert.are.equal(0, c:count())
    end)

  it("calls progress once per file with done, total, path and status",
    function()
      h.write(pages .. "/blank.txt", "")
      local calls = {}
      assert(c:ingest(pages, { progress = function(info)
        calls[#calls + 1] = { done = info.done, total = info.total,
                              path = info.path, status = info.status }
      end }))
      local names = { "barrier.txt", "blank.txt", "recount.txt",
                      "sub/deeper/orchard.txt", "sub/temporal.txt" }
      local want = {}
      for i, name in ipairs(names) do
        want[i] = { done = i, total = 5, path = pages .. "/" .. name,
                    status = name == "blank.txt" and "failed" or "added" }
      end
      assert.are.same(want, calls)
      -- a second run reports every stored page as unchanged
      local statuses = {}
      assert(c:ingest(pages .. "/sub", { progress = function(info)
        statuses[#statuses + 1] = info.status
      end }))
      assert.are.same({ "unchanged", "unchanged" }, statuses)
    end)

  it("rolls back the open batch when progress raises and stays usable",
    function()
      local bulk = write_numbered(dir .. "/bulk", 6)
      assert.error_matches(function()
        c:ingest(dir .. "/bulk", { batch = 2, progress = function(info)
          if info.done == 3 then error("operator pressed stop") end
        end })
      end, "operator pressed stop", 1, true)
      -- batch 1 (pages 1-2) was committed; page 3 was in the open batch
      assert.are.equal(2, c:count())
      assert.are.equal(0, c:query():phrase("HQ-0003"):count())
      assert.are.equal(1, c:query():phrase("HQ-0002"):count())
      -- the corpus is still usable and a new run completes the rest
      local s = assert(c:ingest(dir .. "/bulk"))
      assert.are.equal(#bulk, s.files)
      assert.are.equal(4, s.added)
      assert.are.equal(2, s.unchanged)
      assert.are.equal(6, c:count())
    end)

  it("commits every batch of batch files", function()
    write_numbered(dir .. "/bulk", 5)
    local seen = {}
    assert(c:ingest(dir .. "/bulk", { batch = 2, progress = function(info)
      -- what another connection sees: only whole batches
      local other = assert(loupe.open(dir .. "/corpus.db",
        { readonly = true }))
      seen[info.done] = other:count()
      other:close()
    end }))
    assert.are.same({ 0, 2, 2, 4, 4 }, seen)
    assert.are.equal(5, c:count())
  end)

  it("raises on a bad spec, an unknown option and a bad batch size",
    function()
      assert.error_matches(function() c:ingest(42) end,
        "bad argument #1 to 'ingest'", 1, true)
      assert.error_matches(function() c:ingest(pages, { batches = 2 }) end,
        "unknown option 'batches'", 1, true)
      assert.error_matches(function() c:ingest(pages, { batch = 0 }) end,
        "bad argument #2 to 'ingest'", 1, true)
      assert.error_matches(function()
        c:ingest(pages, { progress = "yes" })
      end, "bad argument #2 to 'ingest'", 1, true)
      assert.are.equal(0, c:count())
    end)
end)

-- ---- an ingest killed half-way --------------------------------------------

describe("an ingest killed with SIGKILL", function()
  local dir

  before_each(function()
    dir = h.tmpdir()
  end)

  after_each(function()
    h.rmtree(dir)
  end)

  -- Is process pid gone (or a zombie waiting to be reaped)?
  local function dead(pid)
    local f = io.open("/proc/" .. pid .. "/stat", "r")
    if not f then return true end
    local stat = f:read("a") or ""
    f:close()
    return stat:match("^%d+ %b() (%a)") == "Z"
  end

  it("leaves a consistent corpus that a second ingest completes", function()
    local N = 40
    local bulk = dir .. "/bulk"
    write_numbered(bulk, N)
    local db, mark, script = dir .. "/killed.db", dir .. "/done",
                             dir .. "/child.lua"
    h.write(script, ([[
local loupe = require "loupe"
local c = assert(loupe.open(%q))
assert(c:ingest(%q, { batch = 1, progress = function(info)
  local f = assert(io.open(%q, "w"))
  f:write(info.done)
  f:close()
  local stop = os.clock() + 0.05
  while os.clock() < stop do end
end }))
c:close()
]]):format(db, bulk, mark))
    local errors = dir .. "/child.err"
    local pid = h.sh(h.lua_env() .. " sh -c " .. h.shq("lua5.4 "
      .. h.shq(script) .. " >/dev/null 2>" .. h.shq(errors) .. " & echo $!"))
    assert.is_truthy(pid:match("^%d+$"), "no pid: " .. pid)
    -- wait until a few batches are committed, then kill it mid-batch
    local done, waited = 0, 0
    while done < 5 and waited < 100 do
      h.sleep(0.05)
      waited = waited + 1
      local f = io.open(mark, "r")
      if f then
        done = tonumber(f:read("a")) or done
        f:close()
      end
    end
    os.execute("kill -9 " .. pid .. " 2>/dev/null")
    waited = 0
    while not dead(pid) and waited < 100 do
      h.sleep(0.02)
      waited = waited + 1
    end
    local f = io.open(errors, "r")
    local child_err = f and f:read("a") or ""
    if f then f:close() end
    assert.is_true(done >= 5, "the child never got going: " .. child_err)

    local c = assert(loupe.open(db))
    local n = c:count()
    assert.is_true(n >= done, ("%d stored, %d reported"):format(n, done))
    assert.is_true(n < N, "the child finished before it was killed")
    assert.are.equal(n, c:query("objection"):count())
    if h.sqlite3_cli() then
      assert.are.equal("ok", h.sql(db, "PRAGMA integrity_check"))
      h.sql(db, "INSERT INTO articles_fts(articles_fts) "
        .. "VALUES('integrity-check')")
      assert.are.equal(tostring(n), h.sql(db,
        "SELECT count(*) FROM articles_fts"))
      assert.are.equal(tostring(n), h.sql(db,
        "SELECT count(DISTINCT article_id) FROM paragraphs"))
    end
    local s = assert(c:ingest(bulk))
    assert.are.equal(N, s.files)
    assert.are.equal(N, s.added + s.unchanged)
    assert.are.equal(n, s.unchanged)
    assert.are.same({}, s.failed)
    assert.are.equal(N, c:count())
    assert.are.equal(N, c:query("objection"):count())
    c:close()
  end)
end)

-- ---- readers beside an open batch -----------------------------------------

describe("a corpus file with an ingest batch open", function()
  local dir, db, c

  before_each(function()
    dir = h.tmpdir()
    db = dir .. "/shared.db"
    write_pages(dir .. "/pages")
    write_numbered(dir .. "/bulk", 4)
    c = assert(loupe.open(db))
    assert(c:ingest(dir .. "/pages/barrier.txt"))
  end)

  after_each(function()
    if c then c:close() end
    h.rmtree(dir)
  end)

  -- Ingest the bulk pages in one batch; reader(info) runs inside it
  -- after the second page.
  local function with_open_batch(reader)
    local s = assert(c:ingest(dir .. "/bulk", { batch = 100,
      progress = function(info)
        if info.done == 2 then reader(info) end
      end }))
    assert.are.equal(4, s.added)
    assert.are.equal(5, c:count())
  end

  it("lets a second loupe.open on the file read the last committed state",
    function()
      local got = {}
      with_open_batch(function()
        local other, msg, code = loupe.open(db)
        got.open = { other ~= nil, msg, code }
        if other then
          got.count = other:count()
          got.objections = other:query("objection"):count()
          other:close()
        end
      end)
      assert.are.same({ true }, got.open)
      assert.are.equal(1, got.count)
      assert.are.equal(0, got.objections)
    end)

  it("gives a second writer nil, a message and 'busy'", function()
    local other = assert(loupe.open(db, { busy_timeout = 0.2 }))
    local got
    with_open_batch(function()
      got = { other:add(RECOUNT, { path = "recount.txt" }) }
    end)
    assert.is_nil(got[1])
    assert.are.equal("string", type(got[2]))
    assert.is_truthy(got[2]:find("^loupe: "), got[2])
    assert.are.equal("busy", got[3])
    assert.are.equal(5, other:count())
    other:close()
  end)

  it("lets a read-only open read the last committed state", function()
    local got = {}
    with_open_batch(function()
      local other = assert(loupe.open(db, { readonly = true }))
      got.count = other:count()
      got.barrier = other:query("barrier"):count()
      got.objections = other:query("objection"):count()
      other:close()
    end)
    assert.are.same({ count = 1, barrier = 1, objections = 0 }, got)
  end)

  it("lets another process read the last committed state", function()
    local script = dir .. "/reader.lua"
    h.write(script, ([[
local loupe = require "loupe"
local c = assert(loupe.open(%q, { readonly = true }))
io.write(c:count(), " ", c:query("objection"):count())
c:close()
]]):format(db))
    local out, ok, cli
    with_open_batch(function()
      out, ok = h.sh(h.lua_env() .. " lua5.4 " .. h.shq(script) .. " 2>&1")
      if h.sqlite3_cli() then
        cli = h.sql(db, "SELECT count(*) FROM articles")
      end
    end)
    assert.is_true(ok, out)
    assert.are.equal("1 0", out)
    if cli then assert.are.equal("1", cli) end
  end)
end)

-- ---- add ------------------------------------------------------------------

describe("corpus:add", function()
  local c

  before_each(function()
    c = assert(loupe.open(":memory:"))
  end)

  after_each(function()
    if c then c:close() end
  end)

  it("stores text without a path once, identified by its content",
    function()
      local status, id = c:add(BARRIER)
      assert.are.equal("added", status)
      assert.are.equal("integer", math.type(id))
      local again, id2 = c:add(BARRIER)
      assert.are.equal("unchanged", again)
      assert.are.equal(id, id2)
      assert.are.equal(1, c:count())
      local other, id3 = c:add(RECOUNT)
      assert.are.equal("added", other)
      assert.are_not.equal(id, id3)
      assert.are.equal(2, c:count())
    end)

  it("replaces the text stored under a path", function()
    local status, id = c:add(BARRIER, { path = "desk/story.txt" })
    assert.are.equal("added", status)
    local status2, id2 = c:add(RECOUNT, { path = "desk/story.txt" })
    assert.are.equal("updated", status2)
    assert.are.equal(id, id2)
    assert.are.equal(1, c:count())
    assert.are.equal(0, c:query("barrier"):count())
    assert.are.equal(1, c:query("recount"):count())
    local status3 = c:add(RECOUNT, { path = "desk/story.txt" })
    assert.are.equal("unchanged", status3)
  end)

  it("finds the content of text without a path again in a file, and of a "
    .. "file in text without a path", function()
    local _, id = assert(c:add(RECOUNT))
    -- the same content as a file is the same article, at that path now
    local status, id2 = c:add(RECOUNT, { path = "desk/recount.txt" })
    assert.are.equal("duplicate", status)
    assert.are.equal(id, id2)
    assert.are.same({ "desk/recount.txt" }, c:get(id).paths)
    assert.are.equal("desk/recount.txt", c:get(id).path)
    local _, bid = assert(c:add(BARRIER, { path = "desk/barrier.txt" }))
    local again, bid2 = c:add(BARRIER)
    assert.are.equal("unchanged", again)
    assert.are.equal(bid, bid2)
    assert.are.equal(2, c:count())
  end)

  it("returns nil, a message and 'empty' or 'encoding' for unusable text",
    function()
      assert_data_error("empty", nil, c:add(" \n\n  \n"))
      assert_data_error("encoding", "noise.bin",
        c:add(h.noise(3000, 5, 9), { path = "noise.bin" }))
      assert.are.equal(0, c:count())
    end)

  it("raises on a non-string text and an unknown key", function()
    assert.error_matches(function() c:add(nil) end,
      "bad argument #1 to 'add'", 1, true)
    assert.error_matches(function() c:add(BARRIER, { name = "x" }) end,
      "bad argument #2 to 'add'", 1, true)
    assert.are.equal(0, c:count())
  end)
end)

describe("an ingest that builds the indexes by name at its end", function()
  local dir

  before_each(function() dir = h.tmpdir() end)
  after_each(function() h.rmtree(dir) end)

  local function indexes(path)
    return h.sql(path, "SELECT group_concat(name, ' ') FROM (SELECT name"
      .. " FROM sqlite_master WHERE name IN ('quotes_speaker',"
      .. " 'entities_name') ORDER BY name)")
  end

  local function marked(path)
    return h.sql(path, "SELECT count(*) FROM meta WHERE key ="
      .. " 'indexes_deferred'")
  end

  -- what queries by speaker and entity return
  local function answers(c)
    local out = {}
    for _, r in ipairs(assert(c:speakers())) do
      local n = 0
      for q in c:quotes { speaker = r.name } do
        n = n + 1
        out[#out + 1] = r.name .. "|" .. q.text
      end
      out[#out + 1] = r.name .. "=" .. n
    end
    for _, e in ipairs(assert(c:entities())) do
      out[#out + 1] = e.name .. "#"
        .. c:query():where { entity = e.name }:count()
    end
    return out
  end

  it_sql("finds the same quotes and entities as an ingest row by row",
    function()
      local a = assert(loupe.open(dir .. "/rows.db"))
      local b = assert(loupe.open(dir .. "/bulk.db"))
      assert(a:ingest(h.corpus_glob, { defer_indexes = false }))
      local s = assert(b:ingest(h.corpus_glob, { defer_indexes = true }))
      assert.are.equal(h.CORPUS_PAGES, s.added)
      local want, got = answers(a), answers(b)
      assert.is_true(#want > 2 * h.CORPUS_PAGES)
      assert.are.same(want, got)
      a:close()
      b:close()
      assert.are.equal("entities_name quotes_speaker",
        indexes(dir .. "/bulk.db"))
      assert.are.equal("0", marked(dir .. "/bulk.db"))
    end)

  it_sql("builds them when the ingest ends in an error", function()
    local path = dir .. "/c.db"
    local c = assert(loupe.open(path))
    local ok, err = pcall(c.ingest, c, h.corpus_glob, {
      defer_indexes = true,
      progress = function(info)
        if info.done == 5 then error("stop at five") end
      end })
    assert.is_false(ok)
    assert.is_truthy(tostring(err):find("stop at five", 1, true))
    assert.are.equal("entities_name quotes_speaker", indexes(path))
    assert.are.equal("0", marked(path))
    c:close()
  end)

  it_sql("leaves a killed run's indexes to the next writable open",
    function()
      local path = dir .. "/c.db"
      local c = assert(loupe.open(path))
      assert(c:ingest(h.corpus_glob))
      c:close()
      -- what a bulk load killed before its end leaves behind
      h.sql(path, "DROP INDEX quotes_speaker; DROP INDEX entities_name;"
        .. " INSERT INTO meta(key, value) VALUES ('indexes_deferred', 'x')")
      local ro = assert(loupe.open(path, { readonly = true }))
      local n = ro:query():where { speaker = "Varga" }:count()
      assert.is_true(n > 0)
      ro:close()
      assert.are.equal("", indexes(path))
      c = assert(loupe.open(path))
      assert.are.equal(n, c:query():where { speaker = "Varga" }:count())
      c:close()
      assert.are.equal("entities_name quotes_speaker", indexes(path))
      assert.are.equal("0", marked(path))
    end)

  it_sql("defers them on its own for 1,000 new files, not for 1,000 "
    .. "unchanged ones", function()
    local path = dir .. "/c.db"
    write_numbered(dir .. "/many", 1000)
    local c = assert(loupe.open(path))
    -- halfway, with the indexes as the run left them
    local function halfway()
      local seen
      return function(info)
        if info.done == 500 then seen = indexes(path) end
      end, function() return seen end
    end
    local progress, seen = halfway()
    local s = assert(c:ingest(dir .. "/many", { threads = 1,
                                                progress = progress }))
    assert.are.equal(1000, s.added)
    assert.are.equal("", seen())
    assert.are.equal("entities_name quotes_speaker", indexes(path))
    progress, seen = halfway()
    s = assert(c:ingest(dir .. "/many", { threads = 1, progress = progress }))
    assert.are.equal(1000, s.unchanged)
    assert.are.equal("entities_name quotes_speaker", seen())
    c:close()
  end)

  it("rejects a defer_indexes that is not a boolean", function()
    local c = assert(loupe.open(":memory:"))
    assert.error_matches(function()
      c:ingest(h.corpus_glob, { defer_indexes = "yes" })
    end, "option 'defer_indexes' must be a boolean", 1, true)
    assert.are.equal(0, c:count())
    c:close()
  end)
end)

describe("a corpus opened read-only", function()
  local dir, path

  before_each(function()
    dir = h.tmpdir()
    path = dir .. "/ro.db"
    local c = assert(loupe.open(path))
    assert(c:add(BARRIER, { path = "barrier.txt" }))
    c:close()
    h.write(dir .. "/recount.txt", RECOUNT)
  end)

  after_each(function()
    h.rmtree(dir)
  end)

  -- Run fn(corpus); it must fail (raise, or return nil and a message)
  -- with a message that says the corpus is read-only.
  local function refused(ro, fn)
    local ok, value, msg = pcall(fn, ro)
    local text = ok and msg or value
    if ok then assert.is_nil(value) end
    assert.are.equal("string", type(text))
    assert.is_truthy(text:lower():find("read%-only"), text)
  end

  it("reads what is stored", function()
    local ro = assert(loupe.open(path, { readonly = true }))
    assert.are.equal(1, ro:count())
    assert.are.equal(1, ro:query("barrier"):count())
    ro:close()
  end)

  it("refuses add and ingest and stores nothing", function()
    local ro = assert(loupe.open(path, { readonly = true }))
    refused(ro, function(x) return x:add(RECOUNT) end)
    refused(ro, function(x) return x:ingest(dir .. "/recount.txt") end)
    assert.are.equal(1, ro:count())
    ro:close()
    local rw = assert(loupe.open(path))
    assert.are.equal(1, rw:count())
    rw:close()
  end)
end)

-- ---- get and articles -----------------------------------------------------

describe("corpus:get", function()
  local c, id, page, parsed

  before_each(function()
    c = assert(loupe.open(":memory:"))
    page = h.sample_page { related = true }
    parsed = assert(loupe.parse(page))
    local status
    status, id = c:add(page, { path = "ledger/envoy.txt" })
    assert.are.equal("added", status)
  end)

  after_each(function()
    if c then c:close() end
  end)

  it("returns the stored fields and the paragraphs in order", function()
    local art = c:get(id)
    assert.are.equal(id, art.id)
    assert.are.equal("ledger/envoy.txt", art.path)
    assert.are.equal(parsed.title, art.title)
    assert.are.equal(parsed.date, art.date)
    assert.are.equal(parsed.date_precision, art.date_precision)
    assert.are.equal(parsed.outlet, art.outlet)
    assert.are.equal(parsed.lang, art.lang)
    assert.are.same(h.SAMPLE_PARAGRAPHS, art.paragraphs)
    assert.are.equal(table.concat(h.SAMPLE_PARAGRAPHS, "\n\n"), art.body)
  end)

  it("gives authors and editors as lists of names", function()
    local art = c:get(id)
    assert.are.same({ "Corinne Aldana" }, parsed.authors)
    assert.are.same(parsed.authors, art.authors)
    assert.are.same(parsed.editors, art.editors)
    assert.are.equal("text", parsed.source_format)
    assert.are.equal(parsed.source_format, art.source_format)
    assert.is_nil(art.url)
  end)

  it("gives provenance with integer lines that point into the page",
    function()
      local art = c:get(id)
      local lines = h.split_lines(page)
      assert.are.equal("table", type(art.provenance))
      local t = art.provenance.title
      assert.are.equal("integer", math.type(t.line))
      assert.are.equal("integer", math.type(t.offset))
      assert.are.equal(parsed.provenance.title.line, t.line)
      assert.is_true(h.line_has(lines, t.line, art.title))
      assert.are.equal("integer", math.type(art.provenance.date.line))
      local paras = art.provenance.paragraphs
      assert.are.equal(#h.SAMPLE_PARAGRAPHS, #paras)
      for i, p in ipairs(paras) do
        assert.are.equal("integer", math.type(p.line), "paragraph " .. i)
        assert.are.equal("integer", math.type(p.offset), "paragraph " .. i)
        assert.is_true(h.line_has(lines, p.line,
          h.SAMPLE_PARAGRAPHS[i]:sub(1, 40)), "paragraph " .. i)
        assert.is_true(h.offset_in_line(lines, p.line, p.offset),
          "paragraph " .. i)
      end
    end)

  it("returns nil for an id that is not stored", function()
    assert.is_nil(c:get(id + 1000))
  end)

  it("raises for an id that is not an integer", function()
    assert.error_matches(function() c:get("1") end,
      "bad argument #1 to 'get'", 1, true)
  end)
end)

describe("corpus:articles", function()
  local c

  before_each(function()
    c = assert(loupe.open(":memory:"))
    for _, text in ipairs({ BARRIER, RECOUNT, TEMPORAL, ORCHARD }) do
      assert(c:add(text))
    end
  end)

  after_each(function()
    if c then c:close() end
  end)

  it("iterates every article oldest first", function()
    local titles = {}
    for art in c:articles() do titles[#titles + 1] = art.date:sub(1, 10) end
    assert.are.same({ "2019-10-11", "2021-01-05", "2022-03-03",
                      "2023-04-22" }, titles)
  end)

  it("takes the filters of where", function()
    local outlets = {}
    for art in c:articles { since = "2021", lang = "en" } do
      outlets[#outlets + 1] = art.outlet
    end
    assert.are.same({ "Harrowgate Herald", "Fenwick Valley Chronicle" },
      outlets)
  end)
end)

-- ---- closing --------------------------------------------------------------

describe("corpus:close", function()
  it("is idempotent and is_closed tells", function()
    local c = assert(loupe.open(":memory:"))
    assert.is_false(c:is_closed())
    c:close()
    assert.is_true(c:is_closed())
    c:close()
    assert.is_true(c:is_closed())
  end)

  it("runs at the end of a <close> block", function()
    local outer
    do
      local c <close> = assert(loupe.open(":memory:"))
      assert(c:add(BARRIER))
      outer = c
    end
    assert.is_true(outer:is_closed())
  end)

  it("runs when a <close> block is left by an error", function()
    local outer
    local ok = pcall(function()
      local c <close> = assert(loupe.open(":memory:"))
      outer = c
      error("analyst script failed")
    end)
    assert.is_false(ok)
    assert.is_true(outer:is_closed())
  end)

  it("makes every other method raise 'attempt to use a closed corpus'",
    function()
      local c = assert(loupe.open(":memory:"))
      assert(c:add(BARRIER))
      c:close()
      local calls = {
        count = function() return c:count() end,
        add = function() return c:add(RECOUNT) end,
        ingest = function() return c:ingest(h.corpus_glob) end,
        query = function() return c:query("barrier") end,
        articles = function() return c:articles() end,
        get = function() return c:get(1) end,
      }
      for _, name in ipairs(sorted_keys(calls)) do
        assert.error_matches(calls[name], "attempt to use a closed corpus",
          1, true)
      end
    end)

  it("leaves the file to the next user when a corpus is only collected",
    function()
      local dir = h.tmpdir()
      local path = dir .. "/gc.db"
      do
        local c = assert(loupe.open(path))
        assert(c:add(BARRIER))
        c = nil -- luacheck: ignore 311
      end
      collectgarbage()
      collectgarbage()
      local c = assert(loupe.open(path))
      assert.are.equal("added", (c:add(RECOUNT)))
      assert.are.equal(2, c:count())
      c:close()
      h.rmtree(dir)
    end)
end)
