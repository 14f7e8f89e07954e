-- spec/readonly_spec.lua - a corpus that cannot be written is still read:
-- loupe.open(p, {readonly=true}) and every read command of the CLI work
-- in a folder even root cannot write (chattr +i) and on a read-only file
-- seen by another user, and they attempt no write: the file's bytes and
-- time stay, no file appears, and strace shows no opening of the corpus
-- or its log for writing and no write to them. A corpus of a newer
-- loupe is refused by every open; a log that cannot be read is an error.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"

local N = 5
local ROOT = h.abs_root()

-- The read commands of the CLI, with the corpus as DB and a folder for
-- their output files as OUT.
local function read_commands(db, out)
  return {
    { "search", db, "objection" },
    { "search", db, "--regex", "HQ-000[1-3]", "--format", "csv" },
    { "search", db, "--outlet", "Harrowgate Herald", "--format", "jsonl" },
    { "show", db, "2" },
    { "show", db, "3", "--format", "json" },
    { "stats", db },
    { "stats", db, "--format", "json" },
    { "quotes", db },
    { "quotes", db, "--speakers", "--format", "csv" },
    { "export", db },
    { "export", db, "--format", "csv", "-o", out .. "/export.csv" },
    { "export", db, "--es-bulk", "news", "-o", out .. "/bulk.ndjson" },
    { "report", db, ROOT .. "examples/who_said_what.lua", "-o",
      out .. "/who.html" },
    { "report", db, ROOT .. "examples/keyword_by_year.lua", "objection",
      "-o", out .. "/kw.md" },
    { "check", db },
    { "check", db, "--format", "json" },
  }
end

-- Names in dir, sorted.
local function listing(dir)
  local out = h.sh("ls -A " .. h.shq(dir))
  return out
end

-- The file's size and modification time, as stat prints them.
local function stamp(path)
  return (h.sh("stat -c '%s %Y.%y' " .. h.shq(path)))
end

-- A corpus of N pages at dir/corpus.loupe, closed.
local function make_corpus(dir)
  assert(os.execute("mkdir -p " .. h.shq(dir .. "/pages")))
  for i = 1, N do
    h.write(("%s/pages/p%d.txt"):format(dir, i), h.numbered_page(i))
  end
  local db = dir .. "/corpus.loupe"
  local c = assert(loupe.open(db))
  assert(c:ingest(dir .. "/pages"))
  c:close()
  return db
end

describe("a corpus in a folder that cannot be written", function()
  local dir, ro, db, out, it_chattr

  setup(function()
    dir = h.tmpdir()
    it_chattr = h.can_chattr(dir)
  end)

  before_each(function()
    ro = dir .. "/ro"
    out = dir .. "/out"
    assert(os.execute("mkdir -p " .. h.shq(ro) .. " " .. h.shq(out)))
    db = make_corpus(ro)
    os.execute("rm -rf " .. h.shq(ro .. "/pages"))
  end)

  after_each(function()
    h.sh("chattr -i " .. h.shq(ro) .. " " .. h.shq(db) .. " 2>/dev/null")
    os.execute("rm -rf " .. h.shq(ro) .. " " .. h.shq(out))
  end)

  teardown(function()
    h.rmtree(dir)
  end)

  local function lock()
    assert(select(2, h.sh("chattr +i " .. h.shq(db) .. " " .. h.shq(ro))))
  end

  it("is read through loupe.open with readonly = true", function()
    if not it_chattr then
      pending("chattr +i does not work here")
      return
    end
    local before, names = stamp(db), listing(ro)
    lock()
    local c = assert(loupe.open(db, { readonly = true }))
    assert.are.equal(N, c:count())
    assert.are.equal(N, c:query("objection"):count())
    assert.are.equal(1, #c:query():regex("HQ-0002"):ids())
    assert.is_truthy(c:get(1).title)
    for _ in c:quotes() do end
    assert.is_table(c:speakers())
    assert.is_table(c:entities())
    assert.is_table(c:talking_points { min_articles = 2 })
    for _ in c:clusters() do end
    local dated = 0
    for _, row in ipairs(c:query():group_by("year")) do
      dated = dated + row.count
    end
    assert.are.equal(N, dated)
    local r = assert(c:check())
    assert.is_true(r.ok, table.concat(r.problems, "\n"))
    assert.are.equal(N, r.index_rows)
    -- and refuses to write
    assert.is_nil((c:add(h.numbered_page(9), { path = "x.txt" })))
    c:close()
    assert.are.equal(before, stamp(db))
    assert.are.equal(names, listing(ro))
  end)

  it("is read by every read command of the CLI, and nothing is written",
    function()
      if not it_chattr then
        pending("chattr +i does not work here")
        return
      end
      local before, names = stamp(db), listing(ro)
      local bytes = h.read(db)
      lock()
      for _, args in ipairs(read_commands(db, out)) do
        local code, stdout, err = h.loupe(args)
        local what = table.concat(args, " ")
        assert.are.equal(0, code, what .. ": " .. err)
        assert.are.equal("", err, what)
        if not args[#args - 1]:find("^%-o") and args[1] ~= "check" then
          assert.is_true(#stdout > 0, what)
        end
      end
      assert.are.equal(names, listing(ro))
      assert.are.equal(before, stamp(db))
      assert.are.equal(bytes, h.read(db))
      -- the outputs were written where they were asked for
      assert.is_truthy(h.read(out .. "/export.csv"):find("HQ-0001", 1, true))
      assert.is_truthy(h.read(out .. "/who.html"):find("</html>", 1, true))
    end)

  it("refuses ingest with a message naming the file", function()
    if not it_chattr then
      pending("chattr +i does not work here")
      return
    end
    lock()
    h.write(out .. "/new.txt", h.numbered_page(7))
    local code, _, err = h.loupe({ "ingest", "-q", db, out .. "/new.txt" })
    assert.are.equal(1, code)
    assert.is_truthy(err:find("^loupe: " .. db:gsub("%p", "%%%0")
      .. ": the corpus cannot be written"), err)
  end)

  it("with a log waiting beside it is an error naming the log", function()
    if not it_chattr then
      pending("chattr +i does not work here")
      return
    end
    -- a writer that has committed but not folded its log in, copied as it
    -- is (the -wal without the -shm) into the read-only folder
    os.remove(db)
    local src = out .. "/live.loupe"
    local c = assert(loupe.open(src))
    assert(c:add(h.numbered_page(1), { path = "one.txt" }))
    h.sh("cp " .. h.shq(src) .. " " .. h.shq(db) .. " && cp "
      .. h.shq(src .. "-wal") .. " " .. h.shq(db .. "-wal"))
    c:close()
    lock()
    local r, msg, code = loupe.open(db, { readonly = true })
    h.sh("chattr -i " .. h.shq(ro))
    assert.is_nil(r)
    assert.are.equal("io", code)
    assert.is_truthy(msg:find(db .. "-wal", 1, true), msg)
    assert.is_truthy(msg:find("^loupe: " .. db:gsub("%p", "%%%0")), msg)
  end)
end)

describe("a read-only open", function()
  local dir, db

  before_each(function()
    dir = h.tmpdir()
    db = make_corpus(dir)
  end)

  after_each(function()
    h.rmtree(dir)
  end)

  -- Run the CLI under strace: the opens of files named like the corpus
  -- (PATH, -wal, -journal) that ask for writing, and the writes to them.
  local function traced(args)
    local log = dir .. "/trace.log"
    local code, _, err = h.loupe(args, { wrap = "strace -f -qq -o "
      .. h.shq(log) .. " -e trace=open,openat,creat,write,pwrite64,"
      .. "pwritev,pwritev2,writev,ftruncate,truncate,rename,unlink,unlinkat"
      .. ",close" })
    local fds, bad = {}, {}
    local base = db:match("[^/]*$")
    for line in io.lines(log) do
      local call, rest = line:match("^%d+%s+(%w+)%((.*)$")
      if call == "open" or call == "openat" or call == "creat" then
        -- openat(AT_FDCWD, "path", FLAGS...) = fd; open("path", FLAGS) = fd
        if call == "openat" then rest = rest:gsub("^[^,]+, ", "") end
        local path, flags, fd = rest:match('^"([^"]*)", ([%w_|]+).-= (%-?%d+)')
        local name = path and path:match("[^/]*$")
        local ours = name == base or name == base .. "-wal"
          or name == base .. "-journal"
        if ours then
          if flags:find("O_WRONLY") or flags:find("O_RDWR")
              or flags:find("O_CREAT") or flags:find("O_TRUNC") then
            -- SQLite's read-only mode opens the log read-write to share
            -- its locks with writers; it must write nothing into it
            if name ~= base .. "-wal" then bad[#bad + 1] = line end
          end
          if tonumber(fd) >= 0 then fds[fd] = name end
        end
      elseif call == "close" then
        fds[rest:match("^(%d+)")] = nil
      elseif call == "truncate" or call == "rename" or call == "unlink"
          or call == "unlinkat" then
        if rest:find(base, 1, true) and not rest:find("-shm", 1, true) then
          bad[#bad + 1] = line
        end
      else
        local fd = rest:match("^(%d+)")
        if fds[fd] then bad[#bad + 1] = line end
      end
    end
    return code, err, bad
  end

  local it_strace = h.strace() and it or pending

  it_strace("opens nothing of the corpus for writing and writes nothing, "
    .. "for every read command (strace)", function()
    local out = dir .. "/out"
    assert(os.execute("mkdir -p " .. h.shq(out)))
    local bytes, total, seen = h.read(db), 0, {}
    for _, args in ipairs(read_commands(db, out)) do
      -- each command once (its other forms read the same way)
      if seen[args[1]] then goto next end
      seen[args[1]] = true
      local code, err, bad = traced(args)
      assert.are.equal(0, code, table.concat(args, " ") .. ": " .. err)
      assert.are.same({}, bad, table.concat(args, " "))
      total = total + #bad
      ::next::
    end
    assert.are.same({ search = true, show = true, stats = true,
      quotes = true, export = true, report = true, check = true }, seen)
    assert.are.equal(0, total)
    assert.are.equal(bytes, h.read(db))
  end)

  local function run_as_nobody(cmd)
    return h.sh("setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "
      .. h.shq(cmd) .. " 2>&1")
  end

  it("works for another user on a read-only file in a read-only folder",
    function()
      local id = h.sh("id -u")
      local _, has = h.sh("command -v setpriv >/dev/null 2>&1")
      if id ~= "0" or not has then
        pending("needs root and setpriv to act as another user")
        return
      end
      local shared = dir .. "/shared"
      assert(os.execute("mkdir -p " .. h.shq(shared)))
      os.execute("cp " .. h.shq(db) .. " " .. h.shq(shared))
      local copy = shared .. "/corpus.loupe"
      os.execute("chmod 444 " .. h.shq(copy) .. "; chmod 555 "
        .. h.shq(shared) .. "; chmod 755 " .. h.shq(dir))
      -- the checkout may sit in a folder only root can enter (a CI clone
      -- in a mktemp -d folder): give the other user a copy of the
      -- command, the modules and the core it can read
      local tree = dir .. "/tree"
      local r = h.abs_root()
      assert(os.execute("mkdir -p " .. h.shq(tree .. "/build/loupe")
        .. " && cp -R " .. h.shq(r .. "lua") .. " " .. h.shq(r .. "bin")
        .. " " .. h.shq(r .. "examples") .. " " .. h.shq(tree)
        .. " && cp " .. h.shq(r .. "build/loupe/core.so") .. " "
        .. h.shq(tree .. "/build/loupe/")
        .. " && chmod -R a+rX " .. h.shq(tree)))
      local lpath = tree .. "/lua/?.lua;" .. tree .. "/lua/?/init.lua;;"
      local cpath = tree .. "/build/?.so;;"
      local env = ("LUA_PATH_5_4=%s LUA_CPATH_5_4=%s"):format(h.shq(lpath),
        h.shq(cpath))
      local base = tree .. "/"
      local out, ok = run_as_nobody(env .. " lua5.4 " .. h.shq(base
        .. "bin/loupe") .. " search " .. h.shq(copy) .. " objection"
        .. " --format csv")
      assert.is_true(ok, out)
      assert.is_truthy(out:find("HQ") or out:find("objection"), out)
      out, ok = run_as_nobody(env .. " lua5.4 " .. h.shq(base .. "bin/loupe")
        .. " check " .. h.shq(copy))
      assert.is_true(ok, out)
      -- in a folder it may write in, the file itself still read-only
      os.execute("chmod 777 " .. h.shq(shared))
      out, ok = run_as_nobody(env .. " lua5.4 " .. h.shq(base .. "bin/loupe")
        .. " stats " .. h.shq(copy))
      assert.is_true(ok, out)
      out = run_as_nobody(env .. " lua5.4 " .. h.shq(base .. "bin/loupe")
        .. " ingest -q " .. h.shq(copy) .. " " .. h.shq(base
        .. "examples/corpus/2015"))
      assert.is_truthy(out:find("cannot be written", 1, true), out)
      os.execute("chmod -R u+w " .. h.shq(shared))
    end)

  local it_sql = h.sqlite3_cli() and it or pending

  it_sql("refuses a corpus of a newer loupe, read-only or not, naming the "
    .. "file and both versions", function()
    h.sql(db, "UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    local want = "loupe: " .. db .. ": corpus schema version 7 is newer "
      .. "than this loupe's (6); use a newer loupe"
    for _, ro in ipairs({ true, false }) do
      local c, msg, code = loupe.open(db, { readonly = ro })
      assert.is_nil(c)
      assert.are.equal(want, msg)
      assert.are.equal("version", code)
    end
    for _, args in ipairs({ { "search", db, "objection" }, { "stats", db },
                            { "show", db, "1" }, { "check", db },
                            { "ingest", db, ROOT .. "examples/corpus/2015" } })
    do
      local code, _, err = h.loupe(args)
      assert.are.equal(1, code)
      assert.are.equal(want .. "\n", err, args[1])
    end
    assert.are.equal("7", h.sql(db,
      "SELECT value FROM meta WHERE key = 'schema_version'"))
  end)

  it("reads the last committed state while another connection writes",
    function()
      local w = assert(loupe.open(db))
      assert(w._db:begin())
      assert(w:add(h.numbered_page(20), { path = "twenty.txt" }))
      local r = assert(loupe.open(db, { readonly = true }))
      assert.are.equal(N, r:count())
      assert(w._db:commit())
      assert.are.equal(N + 1, r:count())
      r:close()
      w:close()
    end)
end)
