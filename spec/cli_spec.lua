-- cli_spec.lua - the `loupe` command run as a subprocess (bin/loupe under
-- lua5.4, with this tree's lua/ and build/ on the paths): --help on every
-- command, exit codes (0 done, 1 data error, 2 usage error), the form of
-- error messages, every output format, and a report over a hostile page.
local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local cjson = require "cjson"

local function q(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local ROOT = h.root
-- the build whose loupe.core this run loads (build/, or build-asan/ ...)
local so = package.searchpath("loupe.core", package.cpath)
local BUILD = so and so:gsub("loupe/core%.so$", "") or (ROOT .. "build/")
local ENV = table.concat({
  "LUA_PATH_5_4=" .. q(ROOT .. "lua/?.lua;" .. ROOT .. "lua/?/init.lua;;"),
  "LUA_CPATH_5_4=" .. q(BUILD .. "?.so;;"),
  "LUA_PATH=" .. q(ROOT .. "lua/?.lua;" .. ROOT .. "lua/?/init.lua;;"),
  "LUA_CPATH=" .. q(BUILD .. "?.so;;"),
  "NO_COLOR=1", "COLUMNS=100",
}, " ")

local COMMANDS = { "ingest", "search", "show", "parse", "stats", "quotes",
                   "export", "report", "check", "kwic", "count", "points",
                   "clusters", "speakers" }

-- ------------------------------------------------------------ fixtures

local PAGES = {
  ["a.txt"] = [[
Harbour Daily
Home | World | Business | Tech

Arvenia says "no", again, to hacking claims

By Nora Quist
Jan. 30, 2019 8:03 am ET

ARVENSTAD - Arvenia on Wednesday rejected a US intelligence report that named it as a source of cyber attacks on American utilities.

Foreign Ministry spokesperson Tomas Varga said the report was "a list of suspicions, not facts" and that the United States was the world's largest source of cyber attacks.

"We have asked many times for the evidence behind these claims. Every time, we are told it is classified," Varga said.

The report, published on Tuesday, said hackers linked to Arvenia had probed the networks of several power companies in 2018.

Copyright 2019 Harbour Daily. All rights reserved.
]],
  ["b.txt"] = [[
Pacific Ledger
World | Markets | Tech

Talks | Day 2: Norvald and Valdoria extend fishing deal

October 2, 2021 / 9:05 AM

NORVALDEN, Oct 2 (Reuters) - Norvald and Valdoria agreed on Saturday to extend their fishing agreement for another year, but left the question of herring quotas open.

"We made progress on everything except the fish everyone wants," Valdoria's fisheries minister Carla Benedetti told reporters after the talks.

Officials said talks on herring would resume in January.

Reporting by Ingrid Solheim; Editing by Mark Potter
Copyright 2021 Pacific Ledger
]],
  ["c.txt"] = [[
Home | World | Tech
Ministry rejects <script>alert(1)</script> hacking claims
By Jana Ostrow
March 3, 2022 10:15 AM

ARVENSTAD (Gazette) - Foreign Ministry spokesperson Mira Koval said on Thursday that the claims were "<script>alert(1)</script> guesswork & nothing more", adding that the report was "a <img src=x onerror=alert(2)> fantasy".

"We reject these <script>alert('x')</script> accusations about cyber attacks, which are built on rumours," Koval told reporters at the regular briefing in the capital.

The ministry said it would publish its own findings about the attacks on the national grid next month.

Copyright "Evil" <Gazette> & Co. All rights reserved
]],
}

local dir, db, errfile

-- Run bin/loupe with args; returns exit code, stdout, stderr.
local function loupe(...)
  local parts = { ENV, "lua5.4", q(ROOT .. "bin/loupe") }
  for _, a in ipairs({ ... }) do parts[#parts + 1] = q(a) end
  local p = assert(io.popen(table.concat(parts, " ") .. " 2>" .. q(errfile)
    .. " </dev/null"))
  local out = p:read("a")
  local _, _, code = p:close()
  return code, out, h.read(errfile)
end

local function lines(s)
  local t = {}
  for l in s:gmatch("[^\n]+") do t[#t + 1] = l end
  return t
end

setup(function()
  dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. q(dir .. "/pages")))
  for name, text in pairs(PAGES) do h.write(dir .. "/pages/" .. name, text) end
  db = dir .. "/c.loupe"
  errfile = dir .. "/stderr"
  local code, out, err = loupe("ingest", "-q", db, dir .. "/pages")
  assert(code == 0, "ingest failed: " .. out .. err)
end)

teardown(function()
  if dir and dir:match("^/tmp/") then os.execute("rm -rf " .. q(dir)) end
end)

-- ---------------------------------------------------------------- usage

describe("loupe --help", function()
  it("lists the commands and exits 0", function()
    local code, out, err = loupe("--help")
    assert.are.equal(0, code)
    assert.are.equal("", err)
    assert.matches("^Usage: loupe", out)
    for _, c in ipairs(COMMANDS) do assert.matches("\n   " .. c, out) end
  end)

  for _, c in ipairs(COMMANDS) do
    it("is given by " .. c .. " --help, exit 0", function()
      local code, out, err = loupe(c, "--help")
      assert.are.equal(0, code)
      assert.are.equal("", err)
      assert.matches("^Usage: loupe " .. c, out)
      assert.matches("%-h, %-%-help", out)
    end)
  end

  it("is given by help COMMAND", function()
    local code, out = loupe("help", "export")
    assert.are.equal(0, code)
    assert.matches("^Usage: loupe export", out)
    assert.matches("_index", out, 1, true)
  end)

  it("prints the version", function()
    local code, out = loupe("--version")
    assert.are.equal(0, code)
    assert.matches("^loupe %d", out)
  end)
end)

describe("loupe.cli.main", function()
  it("returns the exit status and writes to the streams given", function()
    local cli = require "loupe.cli"
    local report = require "loupe.report"
    local out, err = report.buffer(), report.buffer()
    assert.are.equal(0, cli.main({ "stats", "--help" },
      { stdout = out, stderr = err }))
    assert.matches("^Usage: loupe stats", tostring(out))
    assert.are.equal(2, cli.main({ "stats" }, { stdout = out, stderr = err }))
    assert.are.equal("loupe: DB: missing argument\nTry 'loupe stats "
      .. "--help'.\n", tostring(err))
  end)
end)

describe("loupe usage errors", function()
  local cases = {
    { {}, "COMMAND" },
    { { "frobnicate" }, "frobnicate" },
    { { "search" }, "DB" },
    { { "search", "x.loupe", "q", "--bogus" }, "--bogus" },
    { { "search", "x.loupe", "q", "--limit", "many" }, "--limit" },
    { { "search", "x.loupe", "q", "--limit=-3" }, "--limit" },
    { { "search", "x.loupe", "q", "--since", "last year" }, "--since" },
    { { "search", "x.loupe", "q", "--since", "2021-13-45" }, "--since" },
    { { "search", "x.loupe", "q", "--until", "2021-02-29" }, "--until" },
    { { "search", "x.loupe", "q", "--until", "2021-04-31" }, "--until" },
    { { "quotes", "x.loupe", "--since", "2021-00" }, "--since" },
    { { "search", "x.loupe", "q", "--limit", "0x10" }, "--limit" },
    { { "ingest", "x.loupe", "pages", "--batch", "1e3" }, "--batch" },
    { { "search", "x.loupe", "q", "--format", "xml" }, "--format" },
    { { "search", "x.loupe", "q", "--order" }, "--order" },
    { { "show", "x.loupe", "abc" }, "ID" },
    { { "export", "x.loupe", "--es-bulk", "Bad Index" }, "--es-bulk" },
    { { "export", "x.loupe", "--es-bulk", "news", "--format", "csv" },
      "--es-bulk" },
    { { "quotes", "x.loupe", "--kind", "shouted" }, "--kind" },
    { { "ingest", "x.loupe", "pages", "--threads=-1" }, "--threads" },
    { { "ingest", "x.loupe", "pages", "--threads", "65" }, "--threads" },
    { { "help", "frobnicate" }, "frobnicate" },
  }
  for _, case in ipairs(cases) do
    local args, subject = case[1], case[2]
    it("exit 2 for `loupe " .. table.concat(args, " ") .. "`", function()
      local code, out, err = loupe(table.unpack(args))
      assert.are.equal(2, code)
      assert.are.equal("", out)
      local first = lines(err)[1] or ""
      assert.are.equal("loupe: " .. subject .. ": ",
        first:sub(1, #subject + 9))
      assert.matches("\nTry 'loupe .*%-%-help'%.\n$", err)
    end)
  end

  it("names the month or day that is out of range", function()
    local code, _, err = loupe("search", db, "--since", "2021-13-45")
    assert.are.equal(2, code)
    assert.are.equal("loupe: --since: '2021-13-45' is not a valid date "
      .. "(month 13 is not 01 to 12; YYYY, YYYY-MM or YYYY-MM-DD)\n"
      .. "Try 'loupe search --help'.\n", err)
    code, _, err = loupe("search", db, "--until", "2023-02-29")
    assert.are.equal(2, code)
    assert.matches("day 29 is not in 2023-02 (01 to 28)", err, 1, true)
    assert.are.equal(0, (loupe("search", db, "--until", "2024-02-29")))
  end)

  it("exit 2 for a regex that does not compile", function()
    local code, _, err = loupe("search", db, "--regex", "cyber(")
    assert.are.equal(2, code)
    assert.matches("^loupe: %-%-regex: .*parenthesis", err)
  end)

  it("exit 2 for raw search text FTS5 cannot read", function()
    local code, _, err = loupe("search", db, '"open AND', "--raw")
    assert.are.equal(2, code)
    assert.matches("^loupe: QUERY: ", err)
  end)
end)

-- ---------------------------------------------------------- data errors

describe("loupe data errors", function()
  it("exit 1 naming a missing corpus", function()
    for _, c in ipairs({ "search", "stats", "quotes", "export" }) do
      local code, out, err = loupe(c, dir .. "/none.loupe")
      assert.are.equal(1, code)
      assert.are.equal("", out)
      assert.are.equal("loupe: " .. dir .. "/none.loupe: No such file or "
        .. "directory\n", err)
    end
  end)

  it("exit 1 naming a missing page file", function()
    local code, _, err = loupe("parse", dir .. "/none.txt")
    assert.are.equal(1, code)
    assert.are.equal("loupe: " .. dir .. "/none.txt: No such file or "
      .. "directory\n", err)
  end)

  it("exit 1 for a file that is not a corpus", function()
    local code, _, err = loupe("stats", dir .. "/pages/a.txt")
    assert.are.equal(1, code)
    assert.matches("^loupe: " .. dir:gsub("%p", "%%%0") .. "/pages/a%.txt: ",
      err)
  end)

  it("exit 1 for an unknown article id", function()
    local code, _, err = loupe("show", db, "999")
    assert.are.equal(1, code)
    assert.are.equal("loupe: " .. db .. ": no article with id 999\n", err)
  end)

  it("exit 1 when a page fails, with the others stored", function()
    local d2 = dir .. "/mixed"
    assert(os.execute("mkdir -p " .. q(d2)))
    h.write(d2 .. "/good.txt", PAGES["a.txt"])
    h.write(d2 .. "/empty.txt", "")
    local code, out, err = loupe("ingest", d2 .. "/m.loupe", d2 .. "/good.txt",
      d2 .. "/empty.txt")
    assert.are.equal(1, code)
    assert.matches("1 added", out, 1, true)
    assert.matches("1 failed", out, 1, true)
    assert.matches("loupe: " .. d2:gsub("%p", "%%%0") .. "/empty%.txt: ", err)
  end)

  it("exit 1 for a path that matches nothing", function()
    local code, _, err = loupe("ingest", dir .. "/n.loupe",
      dir .. "/nothing/*.txt")
    assert.are.equal(1, code)
    assert.matches("^loupe: " .. dir:gsub("%p", "%%%0") .. "/nothing/", err)
  end)

  it("exit 1 naming a report script that is missing or fails", function()
    local code, _, err = loupe("report", db, dir .. "/none.lua")
    assert.are.equal(1, code)
    assert.matches("^loupe: " .. dir:gsub("%p", "%%%0") .. "/none%.lua: ",
      err)
    h.write(dir .. "/boom.lua", "local _ = ...\nerror('no such table')\n")
    code, _, err = loupe("report", db, dir .. "/boom.lua")
    assert.are.equal(1, code)
    assert.matches("boom.lua:2: no such table", err, 1, true)
    h.write(dir .. "/num.lua", "return 42\n")
    code, _, err = loupe("report", db, dir .. "/num.lua")
    assert.are.equal(1, code)
    assert.matches("returned a number", err, 1, true)
  end)
end)

-- --------------------------------------------------------------- ingest

describe("loupe ingest", function()
  it("prints plain progress lines off a terminal and a summary", function()
    local code, out, err = loupe("ingest", dir .. "/p.loupe",
      dir .. "/pages")
    assert.are.equal(0, code)
    assert.matches("^ingest: 3/3 files %(100%%%), [%d.]+ MB/s, ETA 0:00\n$",
      lines(err)[#lines(err)] .. "\n")
    assert.matches("3 files, .* 3 added, 0 updated, 0 unchanged, "
      .. "0 duplicates, 0 failed; 3 articles in the corpus", out)
    code, out = loupe("ingest", "-q", dir .. "/p.loupe", dir .. "/pages")
    assert.are.equal(0, code)
    assert.matches("0 added, 0 updated, 3 unchanged", out, 1, true)
  end)

  it("stores the same with --threads 0 and --threads 3", function()
    for _, n in ipairs({ "0", "3" }) do
      local code, out = loupe("ingest", "-q", "--threads", n,
        dir .. "/t" .. n .. ".loupe", dir .. "/pages")
      assert.are.equal(0, code)
      assert.matches("3 added, 0 updated, 0 unchanged, 0 duplicates, "
        .. "0 failed", out, 1, true)
    end
  end)

  it("draws a progress bar on a terminal", function()
    if not os.execute("command -v script >/dev/null 2>&1") then
      pending("no script(1) to run under a terminal")
      return
    end
    local cmd = ENV .. " lua5.4 " .. q(ROOT .. "bin/loupe") .. " ingest "
      .. q(dir .. "/t.loupe") .. " " .. q(dir .. "/pages")
    local p = io.popen("script -qec " .. q(cmd) .. " /dev/null")
    local out = p:read("a")
    p:close()
    assert.matches("\r%[#+%] 3/3 files  [%d.]+ MB/s  ETA 0:00", out)
    assert.matches("3 added", out, 1, true)
  end)
end)

-- --------------------------------------------------------------- search

describe("loupe search", function()
  -- a file name with terminal escape codes was printed raw
  it("shows control characters in names as escapes, never raw",
    function()
      local d2 = dir .. "/esc"
      assert(os.execute("mkdir -p " .. q(d2)))
      local name = d2 .. "/ferry\27]0;owned\7\27[2J\u{202E}txt.txt"
      h.write(name, PAGES["b.txt"])
      local edb = d2 .. "/e.loupe"
      local code, out, err = loupe("ingest", "-q", edb, name)
      assert.are.equal(0, code, err)
      assert.is_nil(out:find("\27", 1, true))
      for _, fmt in ipairs({ "table", "csv", "md" }) do
        code, out, err = loupe("search", edb, "fishing", "--format", fmt)
        assert.are.equal(0, code, err)
        assert.is_nil(out:find("\27", 1, true), fmt)
        assert.is_nil(out:find("\7", 1, true), fmt)
      end
      -- the text of an article shows the path with visible escapes, the
      -- bidirectional override too
      code, out = loupe("show", edb, "1")
      assert.are.equal(0, code)
      assert.is_nil(out:find("\27", 1, true))
      assert.is_nil(out:find("\u{202E}", 1, true))
      assert.is_truthy(out:find("ferry\\x1b]0;owned\\x07\\x1b[2J"
        .. "\\u{202E}txt.txt", 1, true), out)
      -- CSV cells mark each control character with U+FFFD
      code, out = loupe("search", edb, "fishing", "--format", "csv")
      assert.are.equal(0, code)
      assert.is_truthy(out:find("ferry\u{FFFD}]0;owned\u{FFFD}\u{FFFD}[2J",
        1, true), out)
      -- JSON Lines keep the name whole, escaped as JSON escapes it
      code, out = loupe("search", edb, "fishing", "--format", "jsonl")
      assert.are.equal(0, code)
      assert.are.equal(name, cjson.decode(out).path)
      -- and a message naming the file escapes it
      code, out, err = loupe("stats", name .. ".missing")
      assert.are.equal("", out)
      assert.are.equal(1, code)
      assert.is_nil(err:find("\27", 1, true))
      assert.is_truthy(err:find("ferry\\x1b]0;owned\\x07\\x1b[2J"
        .. "\\u{202E}txt.txt.missing", 1, true), err)
    end)

  it("prints a table with the total", function()
    local code, out, err = loupe("search", db, "cyber attacks")
    assert.are.equal(0, code)
    assert.are.equal("", err)
    local l = lines(out)
    assert.matches("^ID +DATE +OUTLET +TITLE", l[1])
    assert.matches("2 of 2 matching articles", l[#l], 1, true)
  end)

  it("writes CSV with RFC 4180 quoting and CRLF", function()
    local code, out = loupe("search", db, "--format", "csv", "--order",
      "date")
    assert.are.equal(0, code)
    local l = {}
    for rec in out:gmatch("(.-)\r\n") do l[#l + 1] = rec end
    assert.are.equal("id,date,outlet,credit,title,authors,lang,path", l[1])
    assert.are.equal(4, #l)
    assert.matches(',"Arvenia says ""no"", again, to hacking claims",', l[2],
      1, true)
  end)

  it("writes JSON Lines, one article per line", function()
    local code, out = loupe("search", db, "fishing", "--format", "jsonl")
    assert.are.equal(0, code)
    local l = lines(out)
    assert.are.equal(1, #l)
    local hit = cjson.decode(l[1])
    assert.are.equal("Talks | Day 2: Norvald and Valdoria extend fishing deal",
      hit.title)
    assert.are.equal("Reuters", hit.credit)
    assert.truthy(hit.snippet:find("[fishing]", 1, true))
  end)

  it("writes Markdown with pipes escaped", function()
    local code, out = loupe("search", db, "--outlet", "Pacific Ledger",
      "--format", "md")
    assert.are.equal(0, code)
    local l = lines(out)
    assert.are.equal(3, #l)
    assert.matches("^| id | date |", l[1])
    assert.matches("^| %-%-%- |", l[2])
    assert.matches("Talks \\| Day 2", l[3], 1, true)
  end)

  it("filters by date, outlet, regex and limit, in order", function()
    local _, out = loupe("search", db, "--since", "2020", "--format", "csv")
    assert.are.equal(3, #lines(out))          -- header, 2021, 2022
    _, out = loupe("search", db, "--until", "2019-12", "--format", "jsonl")
    assert.are.equal(1, #lines(out))
    _, out = loupe("search", db, "--regex", "HERRING", "-i", "--format",
      "jsonl")
    assert.are.equal(1, #lines(out))
    _, out = loupe("search", db, "--order", "newest", "--limit", "1",
      "--format", "jsonl")
    assert.matches('"date":"2022%-03%-03', out)
    _, out = loupe("search", db, "--order=-date", "--limit", "1",
      "--format", "jsonl")
    assert.matches('"date":"2022%-03%-03', out)
  end)
end)

-- ------------------------------------------------------ show, parse, stats

describe("loupe show", function()
  it("prints fields, paragraphs and quotes", function()
    local code, out = loupe("show", db, "1")
    assert.are.equal(0, code)
    assert.matches("\ntitle +", out)
    assert.matches("\nquotes\n", out)
  end)

  it("prints JSON with --format json", function()
    local code, out = loupe("show", db, "2", "--format", "json")
    assert.are.equal(0, code)
    local a = cjson.decode(out)
    assert.are.equal(2, math.tointeger(a.id))
    assert.is_table(a.paragraphs)
    assert.is_table(a.quotes)
  end)
end)

describe("loupe parse", function()
  it("prints the record of a page file as text or JSON", function()
    local code, out = loupe("parse", dir .. "/pages/b.txt")
    assert.are.equal(0, code)
    assert.matches("credit +Reuters\n", out)
    code, out = loupe("parse", dir .. "/pages/b.txt", "--format", "json")
    assert.are.equal(0, code)
    local a = cjson.decode(out)
    assert.are.equal("NORVALDEN", a.dateline)
    assert.are.same({ "Mark Potter" }, a.editors)
  end)

  it("reads an HTML page, gzip-compressed too, and says so", function()
    local html = h.read(h.spec_dir .. "fixtures/html/gazette-ferry.html")
    h.write(dir .. "/pages/ferry.html", html)
    assert(os.execute("gzip -c '" .. dir .. "/pages/ferry.html' > '" .. dir
      .. "/ferry.html.gz'"))
    local files = { dir .. "/pages/ferry.html", dir .. "/ferry.html.gz" }
    for _, f in ipairs(files) do
      local code, out = loupe("parse", f)
      assert.are.equal(0, code)
      assert.matches("source_format +html\n", out)
      assert.matches("url +https://www.harbourgazette.example/", out)
    end
    os.remove(dir .. "/pages/ferry.html")
  end)

  it("reads a page as the format --input names", function()
    local html = h.read(h.spec_dir .. "fixtures/html/gazette-ferry.html")
    h.write(dir .. "/ferry.txt", html)
    local code, out = loupe("parse", dir .. "/ferry.txt")
    assert.are.equal(0, code)
    assert.matches("source_format +html\n", out)
    code, out = loupe("parse", dir .. "/ferry.txt", "--input", "text")
    assert.are.equal(0, code)
    assert.matches("source_format +text\n", out)
    code = loupe("parse", dir .. "/ferry.txt", "--input", "pdf")
    assert.are.equal(2, code)
  end)
end)

describe("loupe stats", function()
  it("summarises the corpus as text and JSON", function()
    local code, out = loupe("stats", db)
    assert.are.equal(0, code)
    assert.matches("articles +3\n", out)
    assert.matches("articles per year", out, 1, true)
    code, out = loupe("stats", db, "--format", "json")
    assert.are.equal(0, code)
    local st = cjson.decode(out)
    assert.are.equal(3, math.tointeger(st.articles))
    assert.are.equal(3, #st.years)
  end)
end)

-- --------------------------------------------------------------- quotes

describe("loupe quotes", function()
  it("lists a speaker's quotes by surname", function()
    local code, out = loupe("quotes", db, "--speaker", "Varga")
    assert.are.equal(0, code)
    assert.matches("a list of suspicions, not facts", out, 1, true)
    assert.matches("\n%d+ quotes?\n$", out)
    assert.is_nil(out:find("Benedetti", 1, true))
  end)

  it("writes CSV and JSON Lines", function()
    local _, out = loupe("quotes", db, "--speaker", "Tomas Varga",
      "--format", "jsonl")
    for _, l in ipairs(lines(out)) do
      assert.are.equal("Tomas Varga", cjson.decode(l).speaker)
    end
    local _, csv = loupe("quotes", db, "--format", "csv", "--kind", "direct")
    assert.matches("^date,speaker,role,kind,text,", csv)
  end)

  it("lists the speakers", function()
    local code, out = loupe("quotes", db, "--speakers", "--format", "jsonl")
    assert.are.equal(0, code)
    local names = {}
    for _, l in ipairs(lines(out)) do names[cjson.decode(l).name] = true end
    assert.is_true(names["Tomas Varga"])
  end)
end)

-- --------------------------------------------------------------- export

describe("loupe export", function()
  it("writes one JSON object per article", function()
    local code, out = loupe("export", db)
    assert.are.equal(0, code)
    local l = lines(out)
    assert.are.equal(3, #l)
    for _, line in ipairs(l) do
      local a = cjson.decode(line)
      assert.is_string(a.body)
      assert.is_table(a.authors)
    end
  end)

  it("writes CSV with bodies quoted across lines", function()
    local code, out = loupe("export", db, "--format", "csv")
    assert.are.equal(0, code)
    assert.matches("^id,path,title,date,date_precision,dateline,credit,"
      .. "outlet,lang,authors,editors,body\r\n", out)
    assert.matches('"ARVENSTAD %- Arvenia .-\n\nForeign Ministry', out)
  end)

  it("writes an Elasticsearch bulk body", function()
    local path = dir .. "/bulk.ndjson"
    local code, out = loupe("export", db, "--es-bulk", "news", "-o", path)
    assert.are.equal(0, code)
    assert.are.equal("", out)
    local l = lines(h.read(path))
    assert.are.equal(6, #l)
    -- the _id is the content hash (the same in every corpus), and the
    -- document carries the cluster, quotes and entities
    local c = assert(require("loupe").open(db, { readonly = true }))
    for i = 1, #l, 2 do
      local id = l[i]:match('^{"index":{"_index":"news","_id":"(.-)"}}$')
      assert.truthy(id, l[i])
      local doc = cjson.decode(l[i + 1])
      assert.are.equal(c:get(doc.id).hash, id)
      assert.are.equal(id, doc.hash)
      assert.is_table(doc.quotes)
      assert.is_table(doc.entities)
      for _, qt in ipairs(doc.quotes) do assert.is_string(qt.text) end
    end
    c:close()
    assert.matches("\n$", h.read(path))
  end)

  it("gives an article the same --es-bulk _id in another corpus",
    function()
      local other = dir .. "/other.loupe"
      local first = lines(select(2, loupe("export", db, "--es-bulk", "a")))
      -- the same pages ingested in the reverse order: other row ids
      local names = {}
      for name in pairs(PAGES) do names[#names + 1] = name end
      table.sort(names, function(x, y) return x > y end)
      local files = {}
      for i, name in ipairs(names) do files[i] = dir .. "/pages/" .. name end
      assert.are.equal(0, (loupe("ingest", "-q", other, table.unpack(files))))
      local second = lines(select(2, loupe("export", other, "--es-bulk", "a")))
      local ids = {}
      for i = 1, #first, 2 do ids[first[i]] = true end
      for i = 1, #second, 2 do assert.is_true(ids[second[i]], second[i]) end
      os.remove(other)
    end)
end)

-- --------------------------------------------------------------- report

describe("loupe report", function()
  it("writes the page of a script to a file", function()
    h.write(dir .. "/r.lua", [[
      local corpus, report, args = ...
      local page = report.page{ title = "n=" .. corpus:count()
        .. " " .. table.concat(args, ",") }
      page:chart(report.bar_chart(corpus:query():group_by("year")))
      return page
    ]])
    local path = dir .. "/r.html"
    local code, out, err = loupe("report", db, dir .. "/r.lua", "x", "y",
      "-o", path)
    assert.are.equal(0, code)
    assert.are.equal("", err)
    assert.matches("r.html: wrote", out, 1, true)
    local html = h.read(path)
    assert.matches("<title>n=3 x,y</title>", html, 1, true)
    assert.matches("<svg", html, 1, true)
    code = loupe("report", db, dir .. "/r.lua", "-o", dir .. "/r.md")
    assert.are.equal(0, code)
    assert.matches("^# n=3", h.read(dir .. "/r.md"))
  end)

  it("runs the example scripts with no live script from a page",
    function()
    for _, s in ipairs({ "who_said_what.lua", "keyword_by_year.lua",
                         "outlets_and_credits.lua", "speaker_quotes.lua" }) do
      local code, out, err = loupe("report", db, ROOT .. "examples/" .. s)
      assert.are.equal(0, code, err)
      assert.matches("^<!DOCTYPE html>", out)
      assert.is_nil(out:lower():find("<script", 1, true), s)
      assert.is_nil(out:lower():find("<img", 1, true), s)
    end
    local _, out = loupe("report", db, ROOT .. "examples/keyword_by_year.lua",
      "script")
    assert.matches("&lt;script&gt;alert(1)&lt;/script&gt;", out, 1, true)
  end)
end)
