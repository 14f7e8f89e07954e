-- spec/check_spec.lua - loupe check and corpus:check(): SQLite's and the
-- full-text index's integrity, the counts that must agree; and what every
-- command says when it meets a damaged corpus: one line naming the file
-- and suggesting loupe check, no partial export, no ingest into it.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"

local N = 8
local ROOT = h.abs_root()

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

-- Overwrite page n (1-based, 4096 bytes) of file with garbage.
local function smash_page(file, n)
  local f = assert(io.open(file, "r+b"))
  f:seek("set", (n - 1) * 4096)
  f:write(("\222\173\190\239"):rep(1024))
  f:close()
end

local it_sql = h.sqlite3_cli() and it or pending

describe("loupe check", function()
  local dir, db

  before_each(function()
    dir = h.tmpdir()
    db = make_corpus(dir)
  end)

  after_each(function()
    h.rmtree(dir)
  end)

  it("passes a sound corpus with its counts, exit status 0", function()
    local before = h.read(db)
    local code, out, err = h.loupe({ "check", db })
    assert.are.equal(0, code, err)
    assert.are.equal("", err)
    assert.is_truthy(out:find("articles%s+" .. N .. "\n"), out)
    assert.is_truthy(out:find("index rows%s+" .. N .. "\n"), out)
    assert.is_truthy(out:find("paragraphs%s+" .. 3 * N .. "\n"), out)
    assert.is_truthy(out:find("schema%s+6\n"), out)
    assert.is_truthy(out:find(db .. ": ok\n", 1, true), out)
    assert.are.equal(before, h.read(db))
    local c = assert(loupe.open(db))
    local r = assert(c:check())
    assert.is_true(r.ok)
    assert.are.same({}, r.problems)
    assert.are.equal(N, r.articles)
    assert.are.equal(N, r.index_rows)
    assert.are.equal(N, r.paths)
    assert.are.equal(3 * N, r.paragraphs)
    c:close()
  end)

  it_sql("lists what does not agree, one line each, and exits 1", function()
    h.sql(db, "DELETE FROM paragraphs WHERE article_id = 2 AND n = 2;"
      .. " DELETE FROM articles_fts_docsize WHERE id = 3;"
      .. " DELETE FROM quotes WHERE article_id = 4;"
      .. " INSERT INTO paths VALUES ('ghost.txt', 99)")
    local code, out, err = h.loupe({ "check", db, "--format", "json" })
    assert.are.equal(1, code)
    local want = {
      "1 articles whose paragraphs do not make up their body",
      "1 articles with paragraphs missing from their numbering",
      "the full-text index holds " .. (N - 1) .. " documents for " .. N
        .. " articles",
      "1 paths whose article is gone",
      "full-text index: ",
    }
    for _, w in ipairs(want) do
      assert.is_truthy(err:find("loupe: " .. db .. ": " .. w, 1, true),
        w .. " in\n" .. err)
    end
    assert.is_truthy(err:find("problems found\n$"), err)
    assert.is_truthy(out:find('"ok":false', 1, true), out)
    -- the same from Lua, on a writable open (the full-text check runs on
    -- the corpus itself then) and a read-only one (on a copy)
    for _, ro in ipairs({ false, true }) do
      local c = assert(loupe.open(db, { readonly = ro }))
      local r = assert(c:check())
      assert.is_false(r.ok)
      local all = table.concat(r.problems, "\n")
      for _, w in ipairs(want) do
        assert.is_truthy(all:find(w, 1, true), w .. " in\n" .. all)
      end
      c:close()
    end
  end)

  it_sql("finds a damaged page of the file", function()
    local root = tonumber(h.sql(db, "SELECT rootpage FROM sqlite_schema"
      .. " WHERE name = 'articles'"))
    smash_page(db, root)
    local code, _, err = h.loupe({ "check", db })
    assert.are.equal(1, code)
    assert.is_truthy(err:find("loupe: " .. db .. ": integrity: ", 1, true),
      err)
  end)

  it("notes an older schema and indexes left to build, without failing",
    function()
      if not h.sqlite3_cli() then
        pending("needs the sqlite3 shell")
        return
      end
      h.sql(db, "INSERT INTO meta VALUES ('indexes_deferred', 'x')")
      local code, out = h.loupe({ "check", db })
      assert.are.equal(0, code)
      assert.is_truthy(out:find("note: the indexes by speaker", 1, true), out)
    end)
end)

describe("a damaged corpus", function()
  local dir, db

  before_each(function()
    dir = h.tmpdir()
    db = make_corpus(dir)
    if h.sqlite3_cli() then
      local root = tonumber(h.sql(db, "SELECT rootpage FROM sqlite_schema"
        .. " WHERE name = 'articles'"))
      smash_page(db, root)
    end
  end)

  after_each(function()
    h.rmtree(dir)
  end)

  local function damaged_line()
    return "loupe: " .. db .. ": the corpus is damaged (database disk "
      .. "image is malformed); run 'loupe check " .. db .. "'\n"
  end

  it_sql("is named in one line by every read command, exit status 1",
    function()
      for _, args in ipairs({
        { "search", db, "objection" },
        { "search", db, "--regex", "HQ-000[1-3]" },
        { "stats", db },
        { "quotes", db },
        { "show", db, "2" },
        { "report", db, ROOT .. "examples/who_said_what.lua" },
      }) do
        local code, _, err = h.loupe(args)
        assert.are.equal(1, code, args[1])
        assert.are.equal(damaged_line(), err, table.concat(args, " "))
      end
    end)

  it_sql("gives nil, the message and 'corrupt' to Lua", function()
    local c = assert(loupe.open(db, { readonly = true }))
    local n, msg, code = c:query():regex("HQ-000[1-3]"):count()
    assert.is_nil(n)
    assert.are.equal(damaged_line(), msg .. "\n")
    assert.are.equal("corrupt", code)
    assert.error_matches(function()
      for _ in c:query():regex("HQ"):each() do end
    end, damaged_line():sub(1, -2), 1, true)
    c:close()
  end)

  it_sql("is not exported in part: no file, or exit 1 with the count",
    function()
      local out = dir .. "/all.jsonl"
      local code, _, err = h.loupe({ "export", db, "-o", out })
      assert.are.equal(1, code)
      assert.is_truthy(err:find(damaged_line(), 1, true), err)
      assert.is_truthy(err:find("loupe: " .. out .. ": not written: the "
        .. "export stopped after 0 of ", 1, true), err)
      assert.is_nil(io.open(out, "r"))
      assert.is_nil(io.open(out .. ".part", "r"))
      code, _, err = h.loupe({ "export", db })
      assert.are.equal(1, code)
      assert.is_truthy(err:find("loupe: export: stopped after 0 of ", 1,
        true), err)
    end)

  it_sql("refuses an ingest, writing nothing", function()
    local before = h.read(db)
    h.write(dir .. "/new.txt", h.numbered_page(30))
    local code, out, err = h.loupe({ "ingest", "-q", db, dir .. "/new.txt" })
    assert.are.equal(1, code, out)
    assert.is_truthy(err:find("^loupe: " .. db:gsub("%p", "%%%0")
      .. ": the corpus is damaged %("), err)
    assert.is_truthy(err:find("run 'loupe check " .. db .. "'", 1, true),
      err)
    assert.are.equal(before, h.read(db))
    local c = assert(loupe.open(db))
    local s, msg, code2 = c:ingest(dir .. "/new.txt")
    assert.is_nil(s)
    assert.are.equal("corrupt", code2)
    assert.is_truthy(msg:find("damaged", 1, true))
    local added, amsg = c:add(h.numbered_page(31), { path = "x.txt" })
    assert.is_nil(added)
    assert.is_truthy(amsg:find("damaged", 1, true))
    c:close()
  end)

  it("that is not a database at all is named as such", function()
    local fake = dir .. "/notes.loupe"
    h.write(fake, ("These are my notes, not a corpus.\n"):rep(400))
    local code, _, err = h.loupe({ "search", fake, "notes" })
    assert.are.equal(1, code)
    assert.are.equal("loupe: " .. fake .. ": not a corpus, or a damaged one "
      .. "(file is not a database); run 'loupe check " .. fake .. "'\n", err)
  end)
end)
