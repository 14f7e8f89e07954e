-- spec/warc_spec.lua - web archives in an ingest: invented .warc and
-- .warc.gz files written here (a warcinfo record, a request, two HTML
-- responses - one gzip content-encoded, one chunked -, a revisit, a PDF
-- response), stored one page per response record under "FILE#OFFSET",
-- with the record's URL and the HTTP charset as fallbacks; re-ingest,
-- copies across archives, damaged records, archives with no page.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"
local core = require "loupe.core"

local PIER = [[<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Pier repairs start in Lindholm | Fjordside Courier</title>
<meta property="og:title" content="Pier repairs start in Lindholm">
<meta property="article:published_time" content="2023-05-11T08:30:00+02:00">
<link rel="canonical" href="https://courier.example/local/pier-repairs">
</head><body>
<nav><a href="/">Home</a> | <a href="/local">Local</a> |
<a href="/sport">Sport</a></nav>
<article><h1>Pier repairs start in Lindholm</h1>
<p>LINDHOLM – Divers began work on Tuesday on the wooden pier that has
served the ferry to the skerries for more than sixty years, the harbour
office said.</p>
<p>The repairs will close the pier to cars until the end of June, and foot
passengers will board from the fish quay for the duration of the work.</p>
<p>“The posts have lasted longer than anyone expected,” said Elin Voss, who
runs the harbour office. “Now they need replacing before the winter.”</p>
</article>
<footer>© Fjordside Courier. All rights reserved.</footer>
</body></html>
]]

-- No canonical link and no meta charset: the record's URL and the HTTP
-- header's charset (cp1252: the é below is one byte) must stand in.
local MARKET = "<html><head><title>Night market returns to Brannvik"
  .. "</title></head><body><div class=\"menu\"><a href=\"/\">Front page</a>"
  .. " <a href=\"/news\">News</a></div>\n<h1>Night market returns to "
  .. "Brannvik</h1>\n<p>The night market on the old square opens again on "
  .. "Friday after three quiet years, with forty stalls selling smoked "
  .. "fish, bread and crafts from the valley.</p>\n<p>Organisers at the "
  .. "caf\xE9 on the corner expect crowds until midnight, and the council "
  .. "has asked visitors to leave their cars at the station.</p>\n"
  .. "<p>Stall holders paid a small fee this year, which the council says "
  .. "will cover the cost of lights and cleaning after each evening.</p>\n"
  .. "</body></html>\n"

local function gzip(data, dir)
  local p = dir .. "/gz.in"
  h.write(p, data)
  local f = assert(io.popen("gzip -n -c '" .. p .. "'", "r"))
  local out = f:read("a")
  f:close()
  os.remove(p)
  return out
end

local function chunked(data)
  local parts, i = {}, 1
  while i <= #data do
    local piece = data:sub(i, i + 99)
    parts[#parts + 1] = string.format("%x;ext=1\r\n%s\r\n", #piece, piece)
    i = i + 100
  end
  return table.concat(parts) .. "0\r\n\r\n"
end

local function record(typ, uri, ctype, block, extra)
  local head = { "WARC/1.1", "WARC-Type: " .. typ,
    "WARC-Record-ID: <urn:uuid:" .. typ .. "-" .. #block .. ">",
    "WARC-Date: 2024-02-03T10:00:00Z" }
  if uri then head[#head + 1] = "WARC-Target-URI: " .. uri end
  for _, x in ipairs(extra or {}) do head[#head + 1] = x end
  head[#head + 1] = "Content-Type: " .. ctype
  head[#head + 1] = "Content-Length: " .. #block
  return table.concat(head, "\r\n") .. "\r\n\r\n" .. block .. "\r\n\r\n"
end

local function http(ctype, body, headers)
  return "HTTP/1.1 200 OK\r\nContent-Type: " .. ctype .. "\r\n"
    .. (headers or "") .. "Server: invented\r\n\r\n" .. body
end

-- The records of the archive, in order, as separate strings.
local function records(dir)
  return {
    record("warcinfo", nil, "application/warc-fields",
      "software: spec-writer/1.0\r\nformat: WARC File Format 1.1\r\n"),
    record("request", "https://courier.example/local/pier-repairs",
      "application/http; msgtype=request",
      "GET /local/pier-repairs HTTP/1.1\r\nHost: courier.example\r\n\r\n"),
    record("response", "https://courier.example/local/pier-repairs?utm=feed",
      "application/http; msgtype=response",
      http("text/html; charset=utf-8", gzip(PIER, dir),
        "Content-Encoding: gzip\r\n")),
    record("response", "https://brannvik-post.example/2023/night-market",
      "application/http; msgtype=response",
      http("text/html; charset=windows-1252", chunked(MARKET),
        "Transfer-Encoding: chunked\r\n")),
    record("revisit", "https://courier.example/local/pier-repairs",
      "application/http; msgtype=response",
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
      { "WARC-Profile: http://netpreserve.org/warc/1.1/revisit/"
        .. "identical-payload-digest" }),
    record("response", "https://courier.example/files/timetable.pdf",
      "application/http; msgtype=response",
      http("application/pdf", "%PDF-1.4\n%invented\n1 0 obj\n<<>>\nendobj\n")),
  }
end

local function offsets(recs)
  local out, at = {}, 0
  for i, r in ipairs(recs) do
    out[i] = at
    at = at + #r
  end
  return out
end

local function sorted_paths(db)
  local out = {}
  for a in db:articles() do
    local full = assert(db:get(a.id))
    for _, p in ipairs(full.paths) do out[#out + 1] = p end
  end
  table.sort(out)
  return out
end

describe("web archives in a corpus", function()
  local dir, db, recs

  before_each(function()
    dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p '" .. dir .. "/in'"))
    recs = records(dir)
    h.write(dir .. "/in/crawl.warc", table.concat(recs))
    db = assert(loupe.open(dir .. "/c.loupe"))
  end)

  after_each(function()
    if db then db:close() end
    h.remove_tmp(dir)
  end)

  it("stores each HTML response as a page at FILE#OFFSET, with its URL, "
    .. "title and date", function()
    local file = dir .. "/in/crawl.warc"
    local s = assert(db:ingest(file, { threads = 0 }))
    assert.are.equal(2, s.added)
    assert.are.same({}, s.failed)
    assert.is_nil(s.notes)
    local off = offsets(recs)
    local want = { file .. "#" .. off[3], file .. "#" .. off[4] }
    table.sort(want)
    assert.are.same(want,
      sorted_paths(db))
    local pier = assert(db:get(db:query("wooden pier"):ids()[1]))
    assert.are.equal("Pier repairs start in Lindholm", pier.title)
    assert.are.equal("2023-05-11", pier.date:sub(1, 10))
    -- the page's canonical URL wins over the record's
    assert.are.equal("https://courier.example/local/pier-repairs", pier.url)
    assert.is_truthy(pier.body:find("Elin Voss", 1, true))
    assert.is_falsy(pier.body:find("All rights reserved", 1, true))
    local market = assert(db:get(db:query("night market"):ids()[1]))
    assert.are.equal("Night market returns to Brannvik", market.title)
    -- no canonical link: the record's target URI
    assert.are.equal("https://brannvik-post.example/2023/night-market",
      market.url)
    -- the HTTP charset read the byte 0xE9 as é
    assert.is_truthy(market.body:find("café on the corner", 1, true))
    assert.are.equal("html", market.source_format)
    -- when the crawler fetched it, beside (never instead of) the date
    assert.are.equal("2024-02-03T10:00:00Z", market.captured)
    assert.are.equal("2024-02-03T10:00:00Z", pier.captured)
    assert.is_nil(market.date)
  end)

  it("finds nothing new on a second ingest", function()
    local file = dir .. "/in/crawl.warc"
    assert(db:ingest(file, { threads = 0 }))
    local s = assert(db:ingest({ dir .. "/in" }, { threads = 2 }))
    assert.are.equal(0, s.added)
    assert.are.equal(2, s.unchanged)
    assert.are.equal(2, db:count())
  end)

  it("reads the .warc.gz form, one gzip member per record, as the same "
    .. "pages", function()
    local gz, coff, at = {}, {}, 0
    for i, r in ipairs(recs) do
      gz[i] = gzip(r, dir)
      coff[i] = at
      at = at + #gz[i]
    end
    local file = dir .. "/in/crawl.warc.gz"
    h.write(file, table.concat(gz))
    local s = assert(db:ingest({ dir .. "/in" }, { threads = 2 }))
    -- the plain archive's pages come first, the compressed copy's are the
    -- same content: two more locations of the same two articles
    assert.are.equal(2, s.added)
    assert.are.equal(2, s.duplicate)
    assert.are.equal(2, db:count())
    local pier = assert(db:get(db:query("wooden pier"):ids()[1]))
    table.sort(pier.paths)
    assert.are.same({ dir .. "/in/crawl.warc#" .. offsets(recs)[3],
      file .. "#" .. coff[3] }, pier.paths)
  end)

  it("is one article with a page file of the same bytes, read beside "
    .. "files on worker threads", function()
    local warc_file = dir .. "/in/crawl.warc"
    h.write(dir .. "/in/a-market.html", MARKET)
    h.write(dir .. "/in/z-note.txt", "Harbour notes\n\nThe harbour office "
      .. "in Lindholm is closed on Monday for the spring holiday, and the "
      .. "ferry runs to the Sunday timetable.\n")
    local s = assert(db:ingest({ dir .. "/in" }, { threads = 2 }))
    assert.are.equal(3, s.added)        -- the market page, pier, the note
    assert.are.equal(1, s.duplicate)    -- the market record: the file's bytes
    assert.are.equal(3, s.files)
    local market = assert(db:get(db:query("night market"):ids()[1]))
    table.sort(market.paths)
    assert.are.same({ dir .. "/in/a-market.html",
      warc_file .. "#" .. offsets(recs)[4] }, market.paths)
    assert.are.equal(1, db:query("spring holiday"):count())
  end)

  it("names the file and byte offset of a damaged record and goes on",
    function()
      local off = offsets(recs)
      -- the request record's Content-Length is cut to a wrong number
      local bad = recs[2]:gsub("Content%-Length: %d+", "Content-Length: x9")
      local data = recs[1] .. bad .. table.concat(recs, "", 3)
      local file = dir .. "/in/damaged.warc"
      os.remove(dir .. "/in/crawl.warc")
      h.write(file, data)
      local s = assert(db:ingest(file, { threads = 0 }))
      assert.are.equal(2, s.added)
      assert.are.equal(1, #s.failed)
      assert.are.equal("loupe: " .. file .. ": byte " .. off[2]
        .. ": damaged WARC record (no valid Content-Length)",
        s.failed[1].error)
      assert.are.equal("encoding", s.failed[1].code)
    end)

  it("asks cancel between the pages of an archive and keeps what is "
    .. "stored", function()
    local asked = 0
    local s = assert(db:ingest(dir .. "/in/crawl.warc", { threads = 0,
      cancel = function()
        asked = asked + 1
        return true
      end }))
    assert.is_true(s.interrupted)
    assert.are.equal(1, asked)
    assert.are.equal(1, s.added)
    assert.are.equal(1, db:count())
    s = assert(db:ingest(dir .. "/in/crawl.warc", { threads = 0 }))
    assert.are.equal(1, s.unchanged)
    assert.are.equal(1, s.added)
  end)

  it("says so when an archive holds no page", function()
    local file = dir .. "/in/empty.warc"
    os.remove(dir .. "/in/crawl.warc")
    h.write(file, recs[1] .. recs[2] .. recs[6])
    local s = assert(db:ingest(file, { threads = 0 }))
    assert.are.equal(0, s.added)
    assert.are.same({}, s.failed)
    assert.are.same({ "loupe: " .. file .. ": no page in this web archive "
      .. "(3 records, 1 HTTP responses, none an HTML or text page with "
      .. "status 2xx)" }, s.notes)
  end)
end)

describe("core.warc_open", function()
  it("gives the pages of an archive with their record fields", function()
    local name = os.tmpname()   -- only its folder is wanted
    os.remove(name)
    local recs = records(name:match("^(.*)/") or "/tmp")
    local r = core.warc_open(table.concat(recs))
    local off = offsets(recs)
    local p1 = assert(r:next())
    assert.are.equal(off[3], p1.offset)
    assert.are.equal("https://courier.example/local/pier-repairs?utm=feed",
      p1.uri)
    assert.are.equal("2024-02-03T10:00:00Z", p1.date)
    assert.are.equal("<urn:uuid:response-" .. #recs[3]:match(
      "\r\n\r\n(.*)\r\n\r\n$") .. ">", p1.id)
    assert.are.equal("utf-8", p1.charset)
    assert.are.equal(PIER, r:payload())
    local p2 = assert(r:next())
    assert.are.equal(off[4], p2.offset)
    assert.are.equal("windows-1252", p2.charset)
    assert.are.equal(MARKET, r:payload())
    assert.is_nil(r:next())
    assert.are.same({ bytes = #table.concat(recs), records = 6,
      responses = 3, pages = 2, not_page = 1, damaged = 0 }, r:counts())
    r:close()
  end)
end)

describe("loupe ingest of web archives", function()
  local ROOT = h.root
  local so = package.searchpath("loupe.core", package.cpath)
  local BUILD = so and so:gsub("loupe/core%.so$", "") or (ROOT .. "build/")
  local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
  local dir

  local function run(...)
    local parts = { "LUA_PATH_5_4=" .. q(ROOT .. "lua/?.lua;" .. ROOT
      .. "lua/?/init.lua;;"), "LUA_CPATH_5_4=" .. q(BUILD .. "?.so;;"),
      "NO_COLOR=1", "lua5.4", q(ROOT .. "bin/loupe") }
    for _, a in ipairs({ ... }) do parts[#parts + 1] = q(a) end
    local p = assert(io.popen(table.concat(parts, " ") .. " 2>" .. q(dir
      .. "/err") .. " </dev/null"))
    local out = p:read("a")
    local _, _, code = p:close()
    return code, out, h.read(dir .. "/err")
  end

  before_each(function()
    dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p '" .. dir .. "'"))
  end)

  after_each(function()
    h.remove_tmp(dir)
  end)

  it("counts the pages of an archive and names a damaged record",
    function()
      local recs = records(dir)
      local bad = recs[5]:gsub("Content%-Length: %d+", "Content-Length: -")
      local file = dir .. "/crawl.warc"
      h.write(file, table.concat(recs, "", 1, 4) .. bad .. recs[6])
      local code, out, err = run("ingest", "-q", dir .. "/c.loupe", file)
      assert.are.equal(1, code)
      assert.matches("1 files, .*: 2 added, 0 updated, 0 unchanged, "
        .. "0 duplicates, 1 failed; 2 articles in the corpus", out)
      assert.are.equal("loupe: " .. file .. ": byte "
        .. offsets(recs)[5] .. ": damaged WARC record (no valid "
        .. "Content-Length)\n", err)
    end)

  it("says so when an archive holds no page and stores nothing",
    function()
      local recs = records(dir)
      local file = dir .. "/requests.warc"
      h.write(file, recs[1] .. recs[2])
      local code, out, err = run("ingest", "-q", dir .. "/c.loupe", file)
      assert.are.equal(0, code)
      assert.matches("0 added.*nothing stored", out)
      assert.are.equal("loupe: " .. file .. ": no page in this web archive "
        .. "(2 records, 0 HTTP responses, none an HTML or text page with "
        .. "status 2xx)\n", err)
    end)
end)

describe("core.warc_open_file", function()
  it("maps an archive and reads it as its bytes; a missing one is an io "
    .. "failure naming it", function()
    local dir = os.tmpname()
    local recs = records(dir:match("^(.*)/") or "/tmp")
    h.write(dir, table.concat(recs))
    local r = assert(core.warc_open_file(dir))
    assert.are.equal(offsets(recs)[3], assert(r:next()).offset)
    assert.are.equal(PIER, r:payload())
    r:close()
    os.remove(dir)
    local none, msg, code = core.warc_open_file(dir)
    assert.is_nil(none)
    assert.are.equal("loupe: " .. dir .. ": No such file or directory", msg)
    assert.are.equal("io", code)
    local empty = assert(core.warc_open_file("/dev/null") == nil
      and io.open(dir, "w"))
    empty:close()
    local e = assert(core.warc_open_file(dir))
    assert.is_nil(e:next())
    assert.are.equal(0, e:counts().records)
    os.remove(dir)
  end)
end)
