-- spec/lifecycle_spec.lua - a corpus file's life around an ingest: a
-- first ingest that fails leaves no file; two first ingests at once both
-- finish; a writer waits for another (busy timeout) and says whom it
-- waited for when it gives up; Ctrl-C ends `loupe ingest` between pages
-- with exit status 130 and a line saying what is stored; callbacks that
-- yield cannot hold the write lock; cancel stops an ingest.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"
local core = require "loupe.core"

local function mkdir(path)
  assert(os.execute("mkdir -p " .. h.shq(path)))
end

local function write_numbered(dir, n)
  mkdir(dir)
  for i = 1, n do
    h.write(("%s/p%04d.txt"):format(dir, i), h.numbered_page(i))
  end
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

-- Is process pid gone (or a zombie)?
local function dead(pid)
  local f = io.open("/proc/" .. pid .. "/stat", "r")
  if not f then return true end
  local stat = f:read("a") or ""
  f:close()
  return stat:match("^%d+ %b() (%a)") == "Z"
end

local function wait_for(pred, seconds)
  local waited = 0
  while not pred() and waited < seconds do
    h.sleep(0.05)
    waited = waited + 0.05
  end
  return pred()
end

describe("a first ingest", function()
  local dir

  before_each(function()
    dir = h.tmpdir()
  end)

  after_each(function()
    h.rmtree(dir)
  end)

  local function no_corpus(db)
    for _, suffix in ipairs({ "", "-wal", "-shm", "-journal" }) do
      assert.is_false(exists(db .. suffix), db .. suffix)
    end
  end

  it("of a missing folder leaves no corpus file", function()
    local db = dir .. "/new.loupe"
    local code, _, err = h.loupe({ "ingest", db, dir .. "/no-such-folder" })
    assert.are.equal(1, code)
    assert.is_truthy(err:find("no-such-folder", 1, true), err)
    no_corpus(db)
  end)

  it("whose every page fails leaves no corpus file", function()
    mkdir(dir .. "/bad")
    h.write(dir .. "/bad/empty.txt", "")
    h.write(dir .. "/bad/noise.bin", h.noise(3000, 3, 7))
    local db = dir .. "/new.loupe"
    local code, out, err = h.loupe({ "ingest", "-q", db, dir .. "/bad" })
    assert.are.equal(1, code)
    assert.is_truthy(err:find("empty.txt", 1, true), err)
    assert.is_truthy(out:find("nothing stored, no corpus written", 1, true),
      out)
    no_corpus(db)
  end)

  it("into an existing corpus that stores nothing leaves it as it was",
    function()
      write_numbered(dir .. "/good", 2)
      local db = dir .. "/c.loupe"
      assert.are.equal(0, (h.loupe({ "ingest", "-q", db, dir .. "/good" })))
      local before = h.read(db)
      mkdir(dir .. "/bad")
      h.write(dir .. "/bad/empty.txt", "")
      assert.are.equal(1, (h.loupe({ "ingest", "-q", db, dir .. "/bad" })))
      assert.are.equal(before, h.read(db))
    end)

  it("run twice at once ends with both done and every page once", function()
    write_numbered(dir .. "/pages", 60)
    local env = h.lua_env()
    for round = 1, 3 do
      local db = ("%s/race%d.loupe"):format(dir, round)
      local cmd = ("lua5.4 %s ingest -q %s %s"):format(
        h.shq(h.abs_root() .. "bin/loupe"), h.shq(db),
        h.shq(dir .. "/pages"))
      local out, ok = h.sh(env .. " sh -c " .. h.shq(
        "(" .. cmd .. " >" .. h.shq(db .. ".out1") .. " 2>&1; echo $? >"
        .. h.shq(db .. ".rc1") .. ") & (" .. cmd .. " >" .. h.shq(db
        .. ".out2") .. " 2>&1; echo $? >" .. h.shq(db .. ".rc2") .. ") &"
        .. " wait"))
      assert.is_true(ok, out)
      assert.are.equal("0\n", h.read(db .. ".rc1"), h.read(db .. ".out1"))
      assert.are.equal("0\n", h.read(db .. ".rc2"), h.read(db .. ".out2"))
      local c = assert(loupe.open(db, { readonly = true }))
      assert.are.equal(60, c:count())
      assert.is_true(assert(c:check()).ok)
      c:close()
    end
  end)
end)

describe("loupe ingest and Ctrl-C", function()
  local dir

  before_each(function()
    dir = h.tmpdir()
  end)

  after_each(function()
    h.rmtree(dir)
  end)

  it("stops between pages with exit status 130 and says what is stored",
    function()
      local pages = dir .. "/pages"
      write_numbered(pages, 400)
      local db, err, pidf, rcf = dir .. "/c.loupe", dir .. "/err",
        dir .. "/pid", dir .. "/rc"
      local cmd = ("lua5.4 %s ingest --threads 0 --batch 10 %s %s"):format(
        h.shq(h.abs_root() .. "bin/loupe"), h.shq(db), h.shq(pages))
      -- the ingest in the background; its status written when it ends
      h.sh(h.lua_env() .. " sh -c " .. h.shq("(" .. cmd .. " >/dev/null 2>"
        .. h.shq(err) .. " & echo $! >" .. h.shq(pidf) .. "; wait $!; echo"
        .. " $? >" .. h.shq(rcf) .. ") >/dev/null 2>&1 &"))
      assert.is_true(wait_for(function()
        return exists(pidf) and h.read(pidf):match("%d+\n") ~= nil
      end, 10))
      local pid = h.read(pidf):match("%d+")
      -- once some pages are stored (a progress line is written at each
      -- tenth of the files)
      assert.is_true(wait_for(function()
        return exists(err) and h.read(err):find("ingest: ", 1, true) ~= nil
      end, 60), "no progress")
      os.execute("kill -INT " .. pid)
      assert.is_true(wait_for(function()
        return exists(rcf) and h.read(rcf):match("%d+\n") ~= nil
      end, 60))
      assert.is_true(dead(pid))
      assert.are.equal("130", h.read(rcf):match("%d+"))
      local text = h.read(err)
      local last = text:match("([^\n]*)\n$")
      local n = tonumber(last:match("^loupe: interrupted; (%d+) pages? "
        .. "stored, run again to continue$"))
      assert.is_truthy(n, last)
      assert.is_falsy(text:find("traceback", 1, true), text)
      assert.is_falsy(text:find("%.lua:%d"), text)
      local c = assert(loupe.open(db, { readonly = true }))
      assert.are.equal(n, c:count())
      assert.is_true(n > 0 and n < 400, "stored " .. n)
      c:close()
      -- run again: the rest
      local code, out = h.loupe({ "ingest", "-q", db, pages })
      assert.are.equal(0, code)
      assert.is_truthy(out:find((400 - n) .. " added, 0 updated, " .. n
        .. " unchanged", 1, true), out)
    end)

  it("is caught by the command only while it ingests", function()
    local catcher = core.catch_interrupt()
    assert.is_false(catcher:pending())
    assert.error_matches(function() core.catch_interrupt() end,
      "caught already", 1, true)
    catcher:close()
    catcher:close()
    -- closed: the handler before is back, and another may catch
    local again <close> = core.catch_interrupt()
    assert.is_false(again:pending())
  end)
end)

describe("two writers", function()
  local dir, db

  before_each(function()
    dir = h.tmpdir()
    db = dir .. "/c.loupe"
    local c = assert(loupe.open(db))
    assert(c:add(h.numbered_page(1), { path = "one.txt" }))
    c:close()
  end)

  after_each(function()
    h.rmtree(dir)
  end)

  -- Another process holds the write lock for seconds.
  local function hold_lock(seconds)
    local mark, script = dir .. "/holding", dir .. "/hold.lua"
    h.write(script, ([[
local loupe = require "loupe"
local c = assert(loupe.open(%q))
assert(c._db:begin())
assert(c:add(%q, { path = "two.txt" }))
local f = assert(io.open(%q, "w")) f:close()
os.execute("sleep %s")
assert(c._db:commit())
c:close()
]]):format(db, h.numbered_page(2), mark, seconds))
    h.sh(h.lua_env() .. " sh -c " .. h.shq("lua5.4 " .. h.shq(script)
      .. " >/dev/null 2>&1 &"))
    assert.is_true(wait_for(function() return exists(mark) end, 20))
  end

  it("waits for the other to commit", function()
    hold_lock(1)
    local c = assert(loupe.open(db, { busy_timeout = 20 }))
    local t0 = os.time()
    local status = c:add(h.numbered_page(3), { path = "three.txt" })
    assert.are.equal("added", status)
    assert.is_true(os.time() - t0 <= 20)
    assert.are.equal(3, c:count())
    c:close()
  end)

  it("gives up after its busy timeout, naming the corpus", function()
    hold_lock(3)
    local c = assert(loupe.open(db, { busy_timeout = 0.3 }))
    local ok, msg, code = c:add(h.numbered_page(3), { path = "three.txt" })
    assert.is_nil(ok)
    assert.are.equal("busy", code)
    assert.is_truthy(msg:find("^loupe: " .. db:gsub("%p", "%%%0")
      .. ": the corpus is locked by another connection"), msg)
    assert.is_truthy(msg:find("300 ms", 1, true), msg)
    c:close()
  end)

  it("rejects a busy timeout that is not a number of seconds", function()
    for _, bad in ipairs({ -1, "5", 0 / 0, 1e9 }) do
      assert.error_matches(function()
        loupe.open(db, { busy_timeout = bad })
      end, "option 'busy_timeout'", 1, true)
    end
  end)
end)

describe("corpus:ingest callbacks", function()
  local dir, db

  before_each(function()
    dir = h.tmpdir()
    write_numbered(dir .. "/pages", 6)
    db = dir .. "/c.loupe"
  end)

  after_each(function()
    h.rmtree(dir)
  end)

  it("may not yield in progress: a clear error, and the batch is rolled "
    .. "back at once", function()
    local c = assert(loupe.open(db))
    local co = coroutine.create(function()
      return c:ingest(dir .. "/pages", { batch = 100, threads = 0,
        progress = function(info)
          if info.done == 3 then coroutine.yield("paused") end
        end })
    end)
    local ok, err = coroutine.resume(co)
    assert.is_false(ok)
    assert.is_truthy(tostring(err):find("the progress function of ingest "
      .. "yielded", 1, true), tostring(err))
    -- nothing holds the write lock: another connection writes at once
    local other = assert(loupe.open(db, { busy_timeout = 0 }))
    assert.are.equal("added", (other:add(h.numbered_page(50),
      { path = "fifty.txt" })))
    other:close()
    -- and the corpus goes on
    local s = assert(c:ingest(dir .. "/pages"))
    assert.are.equal(6, s.added)
    assert.are.equal(7, c:count())
    c:close()
  end)

  it("stops at cancel, keeping the pages stored so far", function()
    local c = assert(loupe.open(db))
    local asked = 0
    local s = assert(c:ingest(dir .. "/pages", { batch = 2, threads = 2,
      cancel = function()
        asked = asked + 1
        return true
      end }))
    assert.are.equal(1, asked)
    assert.is_true(s.interrupted)
    assert.are.equal(1, s.added)
    assert.are.equal(1, c:count())
    s = assert(c:ingest(dir .. "/pages"))
    assert.is_nil(s.interrupted)
    assert.are.equal(5, s.added)
    assert.are.equal(1, s.unchanged)
    c:close()
  end)

  it("may not yield in cancel either", function()
    local c = assert(loupe.open(db))
    local co = coroutine.wrap(function()
      return c:ingest(dir .. "/pages", { cancel = function()
        coroutine.yield()
      end })
    end)
    assert.error_matches(co, "the cancel function of ingest yielded", 1,
      true)
    c:close()
  end)
end)
