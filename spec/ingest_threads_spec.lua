-- spec/ingest_threads_spec.lua - corpus:ingest with worker threads (the
-- threads option): the same summary, articles, ids and progress as the
-- one-thread ingest; unchanged files skipped unparsed; failures in order;
-- files removed or changed during the run; a progress error or an early
-- stop leaving the corpus consistent and the threads joined; the core's
-- prefetcher closed by <close>, close() and the garbage collector.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"
local core = require "loupe.core"
local corpus = require "loupe.corpus"

-- Threads of this process now (Linux: /proc/self/status).
local function thread_count()
  local f = io.open("/proc/self/status", "r")
  if not f then return nil end
  local n = f:read("a"):match("\nThreads:%s*(%d+)")
  f:close()
  return tonumber(n)
end

-- Threads of this process once it has come down to want, or after two
-- seconds: a joined thread may still be counted for a moment, until the
-- kernel has reaped it.
local function threads_down_to(want)
  local n = thread_count()
  for _ = 1, 200 do
    if n == nil or n <= want then break end
    h.sleep(0.01)
    n = thread_count()
  end
  return n
end

-- Threads of this process once a prefetcher has run and been closed: a
-- runtime may start a helper thread of its own at the first thread
-- created (ASan does), which must not count as a worker left running.
local function settled_thread_count(db, files)
  local pf = assert(db:prefetch({ files[1] }, 1))
  pf:next()
  pf:close()
  h.sleep(0.05)
  return thread_count()
end

-- A page with a quote and a credit, so quotes and entities are stored too.
local function quoted_page(i)
  return h.news_page {
    outlet = "Quillon Courier",
    title = ("Ferry operator adds crossing number %d to the winter "
      .. "timetable"):format(i),
    byline = "By Bastian Ekholm",
    date = ("November %d, 2021"):format(i % 28 + 1),
    year = "2021",
    paragraphs = {
      ("QUILLON, Nov %d (Reuters) - The ferry operator Nordvik Lines said "
        .. "on Friday it would add crossing number %d to its winter "
        .. "timetable after a rise in bookings."):format(i % 28 + 1, i),
      ("\"We have never seen demand like this in the dark months,\" said "
        .. "Maren Tollefsen, the company's chief executive, adding that "
        .. "crossing %d would run twice a day."):format(i),
      "The harbour authority said the extra sailings would not need new "
        .. "berths at either end of the route.",
    },
  }
end

-- Write the pages of a run into dir: numbered and quoted pages, two
-- copies of one story (a cluster), and files that fail to parse.
local function write_pages(dir)
  assert(os.execute("mkdir -p " .. h.shq(dir .. "/sub")))
  for i = 1, 14 do
    h.write(("%s/n%02d.txt"):format(dir, i), h.numbered_page(i))
    h.write(("%s/sub/q%02d.txt"):format(dir, i), quoted_page(i))
  end
  h.write(dir .. "/copy-a.txt", quoted_page(99))
  h.write(dir .. "/copy-b.txt", quoted_page(99) .. "\nShare this article\n")
  h.write(dir .. "/n05-blank.txt", "")
  h.write(dir .. "/n09-photo.txt", h.noise(4000, 9, 11))
end

-- Every stored article as comparable rows, in id order.
local function stored(c)
  local rows = {}
  local ids = c:query():order("date"):ids()
  table.sort(ids)
  for _, id in ipairs(ids) do
    local a = c:get(id)
    rows[#rows + 1] = { id = a.id, path = a.path, title = a.title,
                        body = a.body, date = a.date, outlet = a.outlet,
                        authors = a.authors, paragraphs = a.paragraphs }
  end
  local quotes = {}
  for q in c:quotes() do
    quotes[#quotes + 1] = { q.article_id, q.text, q.speaker, q.kind }
  end
  local clusters = {}
  for cl in c:clusters() do
    local members = {}
    for _, m in ipairs(cl.members) do members[#members + 1] = m.id end
    clusters[#clusters + 1] = members
  end
  return { articles = rows, quotes = quotes, clusters = clusters }
end

-- Ingest pages into a new corpus with threads; summary, progress calls,
-- the stored rows.
local function run(dir, name, threads, opts)
  local c = assert(loupe.open(dir .. "/" .. name .. ".db"))
  local calls = {}
  local o = { threads = threads, batch = 5, progress = function(info)
    calls[#calls + 1] = { info.done, info.total, info.path, info.status,
                          info.bytes }
  end }
  for k, v in pairs(opts or {}) do o[k] = v end
  local s = assert(c:ingest(dir .. "/pages", o))
  local rows = stored(c)
  c:close()
  return s, calls, rows
end

describe("corpus:ingest with threads", function()
  local dir

  before_each(function()
    dir = h.tmpdir()
    write_pages(dir .. "/pages")
  end)

  after_each(function()
    h.rmtree(dir)
  end)

  it("stores the same articles, ids, quotes and clusters with 0, 1 and 4 "
    .. "threads", function()
    local s0, calls0, rows0 = run(dir, "t0", 0)
    assert.are.equal(30, s0.added)
    assert.are.equal(2, #s0.failed)
    assert.are.equal(30, #rows0.articles)
    assert.is_true(#rows0.quotes > 0)
    assert.is_true(#rows0.clusters >= 1)
    for _, threads in ipairs({ 1, 4 }) do
      local s, calls, rows = run(dir, "t" .. threads, threads)
      assert.are.same(s0, s)
      assert.are.same(calls0, calls)
      assert.are.same(rows0, rows)
    end
  end)

  -- Workers tokenize each article for the full-text index and the storing
  -- thread hands FTS5 those tokens: the index must be the very one
  -- SQLite's own tokenizer builds.
  local it_sql = h.sqlite3_cli() and it or pending
  it_sql("builds the same full-text index, byte for byte, with and without "
    .. "threads", function()
    run(dir, "t0", 0)
    run(dir, "t2", 2)
    local function index(name)
      return h.sql(dir .. "/" .. name .. ".db", "SELECT count(*) || ' '"
        .. " || group_concat(id || ':' || hex(block), ' ') FROM (SELECT"
        .. " id, block FROM articles_fts_data ORDER BY id)")
    end
    local t0, t2 = index("t0"), index("t2")
    assert.is_truthy(t0:match("^%d+ "))
    assert.is_true(#t0 > 1000)
    assert.are.equal(t0, t2)
    -- and the sqlite3 shell, with SQLite's tokenizer, agrees with it
    assert.are.equal("ok", h.sql(dir .. "/t2.db", "INSERT INTO"
      .. " articles_fts(articles_fts, rank) VALUES ('integrity-check', 1);"
      .. " SELECT 'ok'"))
    local c = assert(loupe.open(dir .. "/t2.db", { readonly = true }))
    local words = { "ministry", "said", "cyber" }
    for _, w in ipairs(words) do
      assert.are.equal(c:query(w):count(), tonumber(h.sql(dir .. "/t2.db",
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '"
        .. w .. "'")))
    end
    c:close()
  end)

  it("reports failed files with their paths, codes and messages in list "
    .. "order", function()
    local link = dir .. "/pages/n07-moved.txt"
    assert(os.execute("ln -s " .. h.shq(dir .. "/nowhere.txt") .. " "
      .. h.shq(link)))
    local s0 = run(dir, "t0", 0)
    local s4 = run(dir, "t4", 4)
    assert.are.same(s0.failed, s4.failed)
    local got = {}
    for _, f in ipairs(s4.failed) do
      got[#got + 1] = { f.path:match("[^/]+$"), f.code }
      assert.is_truthy(f.error:find("^loupe: "), f.error)
      assert.is_truthy(f.error:find(f.path, 1, true), f.error)
    end
    assert.are.same({ { "n05-blank.txt", "empty" },
                      { "n07-moved.txt", "io" },
                      { "n09-photo.txt", "encoding" } }, got)
  end)

  it("finds every file unchanged on a second run and parses none of them",
    function()
      local c = assert(loupe.open(dir .. "/c.db"))
      local first = assert(c:ingest(dir .. "/pages", { threads = 4 }))
      local ids = c:query():ids()
      local again = assert(c:ingest(dir .. "/pages", { threads = 4 }))
      assert.are.same({ added = 0, updated = 0, unchanged = first.added,
                        duplicate = 0, failed = first.failed,
                        files = first.files }, again)
      assert.are.same(ids, c:query():ids())
      -- the prefetcher reports which pages it left unparsed: every stored
      -- one (the two that fail to parse have no stored hash)
      local files = assert(core.list_files({ dir .. "/pages" }))
      local pf <close> = assert(c._db:prefetch(files, 2))
      local skipped = 0
      for _ = 1, #files do
        local path, _, was_skipped = pf:next()
        assert.is_string(path)
        if was_skipped then skipped = skipped + 1 end
      end
      assert.are.equal(first.added, skipped)
      c:close()
    end)

  it("replaces a changed file under the same id", function()
    local c = assert(loupe.open(dir .. "/c.db"))
    assert(c:ingest(dir .. "/pages", { threads = 2 }))
    local before = c:query():phrase("HQ-0003"):ids()
    h.write(dir .. "/pages/n03.txt", h.numbered_page(3)
      :gsub("fifty metres", "eighty metres"))
    local s = assert(c:ingest(dir .. "/pages", { threads = 2 }))
    assert.are.equal(1, s.updated)
    assert.are.equal(29, s.unchanged)
    assert.are.same(before, c:query():phrase("eighty metres"):ids())
    c:close()
  end)

  it("reports a file removed during the run as 'io', as without threads",
    function()
      local c = assert(loupe.open(dir .. "/c.db"))
      local gone = dir .. "/pages/n08.txt"
      local s = assert(c:ingest(dir .. "/pages", { threads = 4,
        progress = function(info)
          if info.path:match("n01%.txt$") then
            h.sleep(0.2)                 -- the workers have read n08 by now
            os.remove(gone)
          end
        end }))
      local io_failed = {}
      for _, f in ipairs(s.failed) do
        if f.code == "io" then io_failed[#io_failed + 1] = f.path end
      end
      assert.are.same({ gone }, io_failed)
      assert.are.equal(29, s.added)
      c:close()
    end)

  it("stores a file as it is at its turn when it changes during the run",
    function()
      local c = assert(loupe.open(dir .. "/c.db"))
      local later = dir .. "/pages/n12.txt"
      assert(c:ingest(dir .. "/pages", { threads = 4,
        progress = function(info)
          if info.path:match("n01%.txt$") then
            h.sleep(0.2)                 -- the workers have read n12 by now
            h.write(later, h.numbered_page(12):gsub("fifty metres",
              "ninety metres"))
          end
        end }))
      assert.are.equal(1, c:query():phrase("ninety metres"):count())
      assert.are.equal(0, c:query():phrase("HQ-0012 asks for the quay to "
        .. "be moved fifty"):count())
      c:close()
    end)

  it("rolls back the open batch and joins its threads when progress raises",
    function()
      local c = assert(loupe.open(dir .. "/c.db"))
      local threads_before = settled_thread_count(c._db,
        assert(core.list_files({ dir .. "/pages" })))
      assert.error_matches(function()
        c:ingest(dir .. "/pages", { threads = 4, batch = 2,
          progress = function(info)
            if info.done == 3 then error("operator pressed stop") end
          end })
      end, "operator pressed stop", 1, true)
      if threads_before then
        assert.are.equal(threads_before, threads_down_to(threads_before))
      end
      -- batch 1 (2 pages) was committed; the third page was rolled back
      assert.are.equal(2, c:count())
      if h.sqlite3_cli() then
        assert.are.equal("ok", h.sql(dir .. "/c.db", "PRAGMA integrity_check"))
      end
      local s = assert(c:ingest(dir .. "/pages", { threads = 4 }))
      assert.are.equal(2, s.unchanged)
      assert.are.equal(28, s.added)
      assert.are.equal(30, c:count())
      c:close()
    end)

  it("raises on a bad threads option", function()
    local c = assert(loupe.open(dir .. "/c.db"))
    for _, bad in ipairs({ -1, 1.5, "2", true, 65 }) do
      assert.error_matches(function()
        c:ingest(dir .. "/pages", { threads = bad })
      end, "bad argument #2 to 'ingest' (option 'threads' must be an "
        .. "integer from 0 to 64", 1, true)
    end
    assert.are.equal(0, c:count())
    c:close()
  end)

  it("uses by default one thread per processor but one, from 1 to 8",
    function()
      local n = corpus.default_threads()
      assert.are.equal("integer", math.type(n))
      assert.is_true(n >= 1 and n <= 8)
      local cpus = core.cpu_count()
      assert.are.equal(math.max(1, math.min(8, cpus - 1)), n)
    end)
end)

describe("db:prefetch", function()
  local dir, c, files

  before_each(function()
    dir = h.tmpdir()
    write_pages(dir .. "/pages")
    c = assert(loupe.open(dir .. "/c.db"))
    files = assert(core.list_files({ dir .. "/pages" }))
  end)

  after_each(function()
    if c then c:close() end
    h.rmtree(dir)
  end)

  it("delivers the files in list order with their sizes", function()
    local pf <close> = assert(c._db:prefetch(files, 3))
    assert.are.equal(3, pf:threads())
    for _, want in ipairs(files) do
      -- every file is readable (the blank and binary ones fail later, in
      -- db:add_page, as in db:add)
      local path, len = pf:next()
      assert.are.equal(want, path)
      assert.are.equal(#h.read(want), len)
    end
    assert.error_matches(function() pf:next() end, "no page left", 1, true)
  end)

  it("counts the files the corpus holds nothing for", function()
    do
      local pf <close> = assert(c._db:prefetch(files, 1))
      assert.are.equal(#files, pf:fresh())
    end
    assert(c:ingest({ files[1], files[2], files[3] }))
    local pf <close> = assert(c._db:prefetch(files, 1))
    assert.are.equal(#files - 3, pf:fresh())
  end)

  it("joins its threads when a loop breaks out and <close> closes it",
    function()
      local before = settled_thread_count(c._db, files)
      -- a list longer than the read-ahead window: the workers are still
      -- there, waiting for room, when the loop breaks out
      local long = {}
      for _ = 1, 10 do
        for _, f in ipairs(files) do long[#long + 1] = f end
      end
      do
        local pf <close> = assert(c._db:prefetch(long, 4))
        for i = 1, #long do
          pf:next()
          if i == 2 then break end
        end
        if before then assert.are.equal(before + 4, thread_count()) end
      end
      if before then assert.are.equal(before, threads_down_to(before)) end
    end)

  it("joins its threads on close() and when collected", function()
    local before = settled_thread_count(c._db, files)
    local pf = assert(c._db:prefetch(files, 4))
    pf:next()
    pf:close()
    pf:close()                              -- idempotent
    assert.error_matches(function() pf:next() end,
      "attempt to use a closed prefetcher", 1, true)
    if before then assert.are.equal(before, threads_down_to(before)) end
    pf = assert(c._db:prefetch(files, 4))
    pf:next()
    pf = nil                                -- luacheck: ignore 311
    collectgarbage()
    collectgarbage()
    if before then assert.are.equal(before, threads_down_to(before)) end
  end)

  it("raises on a bad thread count and a missing page to store", function()
    assert.error_matches(function() c._db:prefetch(files, -1) end,
      "bad argument #2 to 'prefetch'", 1, true)
    assert.error_matches(function() c._db:prefetch(files, 65) end,
      "threads out of range", 1, true)
    local pf <close> = assert(c._db:prefetch(files, 1))
    assert.error_matches(function() c._db:add_page(pf) end,
      "holds no page", 1, true)
  end)
end)
