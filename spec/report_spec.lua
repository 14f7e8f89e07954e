-- report_spec.lua - loupe.report: CSV (RFC 4180) round trips, Markdown
-- and HTML escaping, JSON Lines, SVG charts that are well-formed XML, the
-- self-contained HTML page, report scripts, and a report over a corpus
-- holding a hostile page that must not carry a live script.
local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local helpers = dofile(spec_dir .. "helpers.lua")
local report = require "loupe.report"
local cjson = require "cjson"

-- ---------------------------------------------------------------- tools

-- An RFC 4180 reader, independent of the writer: records of fields.
local function parse_csv(s)
  local records, fields, i, n = {}, {}, 1, #s
  local field = {}
  local function end_field()
    fields[#fields + 1] = table.concat(field)
    field = {}
  end
  while i <= n do
    local c = s:sub(i, i)
    if c == '"' and #field == 0 then
      local j = i + 1
      while true do
        local q = assert(s:find('"', j, true), "unterminated quote")
        field[#field + 1] = s:sub(j, q - 1)
        if s:sub(q + 1, q + 1) == '"' then
          field[#field + 1] = '"'
          j = q + 2
        else
          i = q + 1
          break
        end
      end
      local nx = s:sub(i, i)
      assert(nx == "," or nx == "\r" or nx == "",
        "junk after a quoted field at byte " .. i)
    elseif c == "," then
      end_field()
      i = i + 1
    elseif c == "\r" then
      assert(s:sub(i + 1, i + 1) == "\n", "CR without LF at byte " .. i)
      end_field()
      records[#records + 1] = fields
      fields = {}
      i = i + 2
    else
      assert(c ~= "\n", "bare LF outside quotes at byte " .. i)
      field[#field + 1] = c
      i = i + 1
    end
  end
  assert(#field == 0 and #fields == 0, "last record without CRLF")
  return records
end

-- A small XML well-formedness checker: one root element, balanced tags,
-- quoted and unique attributes, only the five named entities or numeric
-- ones, no "<" in attribute values, no control characters, valid UTF-8.
local function xml_check(s)
  assert(utf8.len(s), "invalid UTF-8")
  assert(not s:find("[%z\1-\8\11\12\14-\31]"), "control character")
  local function text_ok(t, where)
    for amp in t:gmatch("&[^;]*;?") do
      assert(amp:match("^&[lg]t;$") or amp:match("^&amp;$")
        or amp:match("^&quot;$") or amp:match("^&apos;$")
        or amp:match("^&#%d+;$") or amp:match("^&#x%x+;$"),
        "bad entity " .. amp .. " in " .. where)
    end
  end
  local stack, roots, i, n = {}, 0, 1, #s
  local name_p = "[%a_:][%w_:%.%-]*"
  while i <= n do
    local lt = s:find("<", i, true)
    local text = s:sub(i, (lt or n + 1) - 1)
    text_ok(text, "text")
    if #stack == 0 then
      assert(not text:find("%S"), "text outside the root: " .. text)
    end
    if not lt then break end
    if s:sub(lt, lt + 3) == "<!--" then
      i = assert(s:find("-->", lt + 4, true), "open comment") + 3
    elseif s:sub(lt, lt + 1) == "<?" then
      i = assert(s:find("?>", lt + 2, true), "open PI") + 2
    elseif s:sub(lt, lt + 1) == "</" then
      local name, stop = s:match("^</(" .. name_p .. ")%s*>()", lt)
      assert(name, "bad end tag at byte " .. lt)
      assert(stack[#stack] == name, "</" .. name .. "> closes <"
        .. tostring(stack[#stack]) .. ">")
      stack[#stack] = nil
      i = stop
    else
      local name, pos = s:match("^<(" .. name_p .. ")()", lt)
      assert(name, "bad start tag at byte " .. lt)
      local seen = {}
      while true do
        local close, after = s:match("^%s*(/?>)()", pos)
        if close then
          if #stack == 0 then roots = roots + 1 end
          if close == ">" then stack[#stack + 1] = name end
          pos = after
          break
        end
        local attr, q, after2 = s:match("^%s+(" .. name_p .. ")%s*=%s*"
          .. "([\"'])()", pos)
        assert(attr, "bad attribute in <" .. name .. "> at byte " .. pos)
        assert(not seen[attr], "duplicate attribute " .. attr)
        seen[attr] = true
        local stop = assert(s:find(q, after2, true), "open attribute")
        local value = s:sub(after2, stop - 1)
        assert(not value:find("<", 1, true), "< in attribute " .. attr)
        text_ok(value, "attribute " .. attr)
        pos = stop + 1
      end
      i = pos
    end
  end
  assert(#stack == 0, "unclosed <" .. tostring(stack[#stack]) .. ">")
  assert(roots == 1, "expected one root element, found " .. roots)
  return true
end

local function has_xmllint()
  local ok = os.execute("command -v xmllint >/dev/null 2>&1")
  return ok == true
end

local function xmllint_ok(xml)
  local path = os.tmpname()
  helpers.write(path, xml)
  local p = io.popen("xmllint --noout " .. path .. " 2>&1")
  local out = p:read("a")
  local ok = p:close()
  os.remove(path)
  return ok == true, out
end

local function well_formed(svg)
  assert(xml_check(svg))
  if has_xmllint() then
    local ok, out = xmllint_ok(svg)
    assert(ok, "xmllint: " .. out)
  end
end

local HOSTILE = "<script>alert(1)</script> & \"quoted\" 'single' | pipe"
  .. " \1ctl\127 bad\255byte"

-- ------------------------------------------------------------------ CSV

describe("report.csv cells", function()
  -- a file name or title holding escape codes reached a terminal raw
  it("carry no control characters: each becomes U+FFFD", function()
    assert.are.equal("evil\u{FFFD}[2J.txt",
      report.csv_field("evil\27[2J.txt"))
    assert.are.equal("a\u{FFFD}b\u{FFFD}c\u{FFFD}d",
      report.csv_field("a\0b\127c\u{9B}d"))
    -- tab, CR and LF are CSV's to quote, not to replace
    assert.are.equal('"a\tb\r\nc"', report.csv_field("a\tb\r\nc"))
    assert.are.equal("a\tb", report.csv_field("a\tb"))
    -- invalid UTF-8 is repaired as JSON and Markdown repair it
    assert.are.equal("bad\u{FFFD}byte", report.csv_field("bad\255byte"))
    assert.is_nil(report.escape_md("x\27[31m"):find("\27", 1, true))
  end)
end)

describe("report.csv", function()
  it("quotes fields with commas, quotes, CR or LF and doubles quotes",
    function()
    assert.are.equal("plain", report.csv_field("plain"))
    assert.are.equal('"a,b"', report.csv_field("a,b"))
    assert.are.equal('"say ""hi"""', report.csv_field('say "hi"'))
    assert.are.equal('"two\nlines"', report.csv_field("two\nlines"))
    assert.are.equal('"cr\rhere"', report.csv_field("cr\rhere"))
    assert.are.equal("", report.csv_field(nil))
    assert.are.equal("3", report.csv_field(3))
    assert.are.equal("a; b", report.csv_field({ "a", "b" }))
  end)

  it("ends every record with CRLF, the header first", function()
    local text = report.csv({ { a = 1, b = "x" } }, { "a", "b" })
    assert.are.equal("a,b\r\n1,x\r\n", text)
  end)

  it("round-trips fields with commas, quotes and newlines", function()
    local rows = {
      { id = 1, text = 'He said, "no".', note = "line one\nline two" },
      { id = 2, text = '""', note = "crlf\r\ninside, too" },
      { id = 3, text = "", note = ' leading and trailing ' },
      { id = 4, text = "ünïcødé “quotes”", note = "," },
    }
    local text = report.csv(rows, { "id", "text", "note" })
    local got = parse_csv(text)
    assert.are.same({ "id", "text", "note" }, got[1])
    for i, r in ipairs(rows) do
      assert.are.same({ tostring(r.id), r.text, r.note }, got[i + 1])
    end
    assert.are.equal(#rows + 1, #got)
  end)

  it("writes only the header for no rows when columns are given",
    function()
    assert.are.equal("id,title\r\n", report.csv({}, { "id", "title" }))
  end)
end)

-- ------------------------------------------------------------- Markdown

describe("report.markdown", function()
  it("escapes pipes so each row keeps its cells", function()
    local text = report.markdown({ { a = "x | y", b = "z" } }, { "a", "b" })
    local lines = {}
    for l in text:gmatch("[^\n]+") do lines[#lines + 1] = l end
    assert.are.equal("| a | b |", lines[1])
    assert.are.equal("| --- | --- |", lines[2])
    assert.are.equal("| x \\| y | z |", lines[3])
    -- unescaped pipes: the row's cell borders only
    local bare = select(2, lines[3]:gsub("\\|", ""):gsub("|", ""))
    assert.are.equal(3, bare)
  end)

  it("keeps a cell on one line and escapes HTML and emphasis", function()
    local cell = report.escape_md("a\nb <script>*x*_y_ [l](u) `c`")
    assert.is_nil(cell:find("\n"))
    assert.is_nil(cell:find("<", 1, true))
    assert.matches("&lt;script&gt;", cell, 1, true)
    assert.matches("\\*x\\*", cell, 1, true)
    assert.matches("\\[l\\]", cell, 1, true)
  end)

  it("right-aligns columns marked so", function()
    local text = report.markdown({ { n = 1 } },
      { { key = "n", title = "n", align = "right" } })
    assert.matches("| ---: |", text, 1, true)
  end)
end)

-- ---------------------------------------------------------- JSON Lines

describe("report.jsonl", function()
  it("writes one object per line with keys in column order", function()
    local rows = { { id = 1, title = 'a "b"', authors = {} },
                   { id = 2, title = "c\nd", authors = { "X", "Y" } } }
    local text = report.jsonl(rows, { "id", "title", "authors" })
    local n = 0
    for line in text:gmatch("[^\n]+") do
      n = n + 1
      local obj = cjson.decode(line)
      assert.are.equal(rows[n].title, obj.title)
      assert.are.equal(rows[n].id, math.tointeger(obj.id))
      assert.matches('^{"id":', line)
    end
    assert.are.equal(2, n)
    assert.matches('"authors":%[%]', text)
  end)

  it("makes invalid UTF-8 valid and keeps slashes plain", function()
    local s = report.json({ path = "a/b\255" })
    assert.truthy(utf8.len(s))
    assert.are.equal("a/b\u{FFFD}", cjson.decode(s).path)
    assert.matches('"a/b', s, 1, true)
  end)
end)

-- ----------------------------------------------------------------- HTML

describe("report.escape_html", function()
  it("escapes the five special characters", function()
    assert.are.equal("&lt;a href=&quot;x&quot;&gt;&amp;&#39;",
      report.escape_html("<a href=\"x\">&'"))
  end)

  it("drops control characters and repairs invalid UTF-8", function()
    assert.are.equal("ab\u{FFFD}c", report.escape_html("a\1b\255c\0"))
  end)
end)

describe("report.html_table", function()
  it("escapes cells, headers and attribute values", function()
    local html = report.html_table({ { t = HOSTILE, long = 'say "' ..
      ("x"):rep(50) .. '" <script>' } }, {
      { key = "t", title = "<th>" },
      { key = "long", title = "long", max = 10 } })
    assert.is_nil(html:lower():find("<script", 1, true))
    assert.is_nil(html:find("<th>", 1, true) and
      html:find("<th><th>", 1, true))
    assert.matches("&lt;script&gt;alert%(1%)&lt;/script&gt;", html)
    -- the full text of a cut cell is in a title attribute, quotes escaped
    local attr = html:match('title="([^"]*)"')
    assert.truthy(attr)
    assert.matches("say &quot;x+&quot; &lt;script&gt;", attr)
  end)
end)

-- --------------------------------------------------------------- charts

describe("report charts", function()
  local rows = { { key = "2015", count = 2 }, { key = "2018", count = 5 },
                 { key = nil, count = 1 } }

  it("bar_chart fills missing years and is well-formed SVG", function()
    local c = report.bar_chart(rows, { title = HOSTILE, xlabel = "year",
                                       ylabel = "<pages>" })
    assert.is_true(report.is_chart(c))
    local svg = tostring(c)
    well_formed(svg)
    for y = 2015, 2018 do assert.matches(">" .. y .. "<", svg) end
    assert.matches(">undated<", svg)
    assert.are.equal(5, #c.data)          -- 2015..2018 and undated
  end)

  it("line_chart draws each series with a legend", function()
    local c = report.line_chart({
      { name = "all <pages>", rows = rows },
      { name = HOSTILE, rows = { { key = "2016", count = 1 } } },
    }, { title = "t", xlabel = "year" })
    local svg = tostring(c)
    well_formed(svg)
    assert.are.equal(2, select(2, svg:gsub("<polyline", "")))
    assert.matches("all &lt;pages&gt;", svg, 1, true)
  end)

  it("hbar_chart keeps the top N by count", function()
    local data = {}
    for i = 1, 15 do
      data[i] = { key = "outlet " .. i .. " <&>", count = i }
    end
    local c = report.hbar_chart(data, { top = 5, title = HOSTILE })
    well_formed(tostring(c))
    assert.are.equal(5, #c.data)
    assert.are.equal(15, c.data[1].count)
  end)

  it("timeline puts speakers on rows and quotes as dots", function()
    local points = {
      { speaker = "Ann <A>", date = "2019-01-30", kind = "direct",
        text = HOSTILE, outlet = "O&O" },
      { speaker = "Ann <A>", date = "2020-06-09T10:00Z", kind = "phrase",
        text = "x" },
      { speaker = "Bob", date = "2016", kind = "reported", text = "y" },
      { speaker = "Bob", date = nil, kind = "reported", text = "z" },
    }
    local c = report.timeline(points, { title = "who" })
    local svg = tostring(c)
    well_formed(svg)
    assert.are.equal(3 + 3, select(2, svg:gsub("<circle", "")))
    assert.matches("1 undated quote not shown", svg, 1, true)
    assert.are.same({ "Bob", "Ann <A>" },
      { c.data[1].speaker, c.data[2].speaker })
  end)

  it("raise on unknown options", function()
    assert.error_matches(function()
      report.bar_chart({}, { titel = "x" })
    end, "bad argument #2 to 'bar_chart' (unknown option 'titel')", 1, true)
    assert.error_matches(function()
      report.page():table({}, nil, { captoin = "x" })
    end, "unknown option 'captoin'", 1, true)
  end)

  it("survive empty data", function()
    well_formed(tostring(report.bar_chart({})))
    well_formed(tostring(report.hbar_chart({})))
    well_formed(tostring(report.timeline({})))
    well_formed(tostring(report.line_chart({})))
  end)
end)

-- fuzz-repro report_chart_inf_hang.lua: a count of math.huge made the
-- axis step infinite and the tick loop endless
describe("report charts on counts that are not finite", function()
  local ODD = {
    { key = "2019", count = 3 }, { key = "2020", count = math.huge },
    { key = "2021", count = 0 / 0 }, { key = "2022", count = -2 },
    { key = "2023", count = -math.huge }, { key = "2024", count = 7 },
  }

  -- every number written in an attribute is finite
  local function finite_attrs(svg)
    for name, v in svg:gmatch('([%w-]+)="([^"]*)"') do
      assert.is_nil(v:lower():find("inf", 1, true), name .. "=" .. v)
      assert.is_nil(v:lower():find("nan", 1, true), name .. "=" .. v)
    end
  end

  local function charts(rows)
    return { report.bar_chart(rows), report.hbar_chart(rows),
             report.line_chart({ { name = "pages", rows = rows } }) }
  end

  it("return, drawing +inf at the top as ∞ and noting what is not drawn",
    function()
      for _, c in ipairs(charts(ODD)) do
        local svg = tostring(c)
        well_formed(svg)
        finite_attrs(svg)
        assert.is_truthy(svg:find("1 not a number, not drawn; 2 below 0, "
          .. "drawn at 0", 1, true), svg)
      end
      local svg = tostring(report.bar_chart(ODD))
      assert.is_truthy(svg:find(">∞</text>", 1, true))
      -- the axis is scaled to the largest finite count, 7
      assert.is_truthy(svg:find(">8</text>", 1, true), svg)
      -- the data keeps the values as given
      local hb = report.hbar_chart(ODD)
      assert.are.equal(math.huge, hb.data[1].count)
      assert.is_true(hb.data[#hb.data].count ~= hb.data[#hb.data].count)
    end)

  it("return for counts at the ends of the number line", function()
    for _, v in ipairs({ 1.7e308, math.maxinteger, math.mininteger, 1e-300,
                         2 ^ 63, 0.25 }) do
      for _, c in ipairs(charts({ { key = "2020", count = v },
                                  { key = "2021", count = 1 } })) do
        local svg = tostring(c)
        well_formed(svg)
        finite_attrs(svg)
      end
    end
  end)

  it("have no note when every count is drawn as given", function()
    local svg = tostring(report.bar_chart({ { key = "2020", count = 2 } }))
    assert.is_nil(svg:find("not drawn", 1, true))
    assert.is_nil(svg:find("drawn at 0", 1, true))
  end)

  it("label values as report.value_label does", function()
    assert.are.equal("∞", report.value_label(math.huge))
    assert.are.equal("-∞", report.value_label(-math.huge))
    assert.are.equal("NaN", report.value_label(0 / 0))
    assert.are.equal("12", report.value_label(12.0))
    assert.are.equal("2.5", report.value_label(2.5))
  end)

  it("raise on sizes and years that would never end or draw nothing",
    function()
      assert.error_matches(function()
        report.bar_chart({ { key = "2020", count = 1 } }, { from = -1e18 })
      end, "bad argument #2 to 'bar_chart' (option 'from' must be an "
        .. "integer from 0 to 9999", 1, true)
      assert.error_matches(function()
        report.hbar_chart({}, { top = -1 })
      end, "bad argument #2 to 'hbar_chart' (option 'top' must be an "
        .. "integer from 1 to 10000, got -1)", 1, true)
      assert.error_matches(function()
        report.bar_chart({}, { width = 0 / 0 })
      end, "option 'width' must be a number from 100 to 20000", 1, true)
      assert.error_matches(function()
        report.timeline({}, { max_speakers = 0 })
      end, "option 'max_speakers'", 1, true)
    end)
end)

-- ----------------------------------------------------------------- page

describe("report.page", function()
  local function hostile_page()
    local p = report.page{ title = HOSTILE, intro = HOSTILE }
    p:section(HOSTILE, HOSTILE)
    p:text(HOSTILE)
    p:list({ HOSTILE })
    p:table({ { a = HOSTILE } }, { { key = "a", title = HOSTILE } },
      { caption = HOSTILE })
    p:chart(report.bar_chart({ { key = HOSTILE, count = 1 } },
      { title = HOSTILE }), { caption = HOSTILE })
    p:kwic({ { left = HOSTILE, match = "<script>", right = HOSTILE,
               date = "2020", id = 1 } }, { caption = HOSTILE })
    return p
  end

  it("escapes every piece of text: no live script tag", function()
    local html = hostile_page():html()
    assert.is_nil(html:lower():find("<script", 1, true))
    assert.is_nil(html:find("<img", 1, true))
    assert.matches("&lt;script&gt;alert(1)&lt;/script&gt;", html, 1, true)
  end)

  it("is self-contained: inline CSS, a CSP, no external resources",
    function()
    local html = hostile_page():html()
    assert.matches("<style>", html, 1, true)
    assert.matches("Content-Security-Policy", html, 1, true)
    assert.matches("default-src 'none'", html, 1, true)
    assert.is_nil(html:find("<link", 1, true))
    assert.is_nil(html:find(" src=", 1, true))
    for url in html:gmatch("https?://[^\"'%s<]+") do
      assert.are.equal("http://www.w3.org/2000/svg", url)
    end
    for href in html:gmatch('href="([^"]*)"') do
      assert.matches("^#s%d+$", href)
    end
  end)

  it("is well-formed as XML apart from its doctype", function()
    local html = hostile_page():html():gsub("^<!DOCTYPE html>", "")
    assert(xml_check(html))
  end)

  it("lists its sections in a table of contents", function()
    local p = report.page{ title = "T" }
    for i = 1, 3 do p:section("Part " .. i) end
    local html = p:html()
    assert.matches('<a href="#s3">Part 3</a>', html, 1, true)
    assert.matches('<h2 id="s1">Part 1</h2>', html, 1, true)
  end)

  it("includes other pages as sections", function()
    local a = report.page{ title = "Main" }
    local b = report.page{ title = "Sub", intro = "about" }
    b:section("Inner"):text("body")
    a:include(b)
    local html = a:html()
    assert.matches("<h2[^>]*>Sub</h2>", html)
    assert.matches("<h3>Inner</h3>", html, 1, true)
  end)

  it("renders Markdown with charts as their data", function()
    local md = hostile_page():markdown()
    assert.is_nil(md:find("<script", 1, true))
    assert.matches("^# ", md)
    assert.matches("| key | count |", md, 1, true)
  end)

  it("takes only charts, never raw markup", function()
    local p = report.page()
    assert.error_matches(function() p:chart("<svg/>") end,
      "chart expected", 1, true)
    assert.error_matches(function() report.page{ titel = "x" } end,
      "unknown option 'titel'", 1, true)
  end)

  it("writes a file and reports an unwritable path", function()
    local path = os.tmpname()
    assert.is_true(report.page{ title = "x" }:write(path))
    assert.matches("^<!DOCTYPE html>", helpers.read(path))
    os.remove(path)
    local ok, err, code = report.page():write("/nonexistent/dir/x.html")
    assert.is_nil(ok)
    assert.matches("/nonexistent/dir/x.html", err, 1, true)
    assert.are.equal("io", code)
  end)
end)

-- -------------------------------------------------------------- writers

describe("report.writer", function()
  it("streams rows to a file handle", function()
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    local w = report.writer("csv", f, { "a" })
    w:row({ a = "1,2" }):row({ a = "3" })
    w:close()
    f:close()
    assert.are.equal('a\r\n"1,2"\r\n3\r\n', helpers.read(path))
    os.remove(path)
  end)

  it("rejects unknown formats", function()
    assert.error_matches(function() report.writer("xml", report.buffer()) end,
      "csv, md, jsonl or html expected", 1, true)
  end)
end)

-- ------------------------------------------------------------- scripts

describe("report.run_script", function()
  local dir

  before_each(function()
    dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p " .. dir))
  end)

  after_each(function()
    if dir and dir:match("^/tmp/") then os.execute("rm -rf " .. dir) end
  end)

  it("calls the script with corpus, report and args", function()
    helpers.write(dir .. "/s.lua", [[
      local corpus, report, args = ...
      return report.page{ title = corpus .. " " .. args[1] }
    ]])
    local page = assert(report.run_script(dir .. "/s.lua", "C", { "A" }))
    assert.is_true(report.is_page(page))
    assert.are.equal("C A", page.title)
  end)

  it("returns true when the script returns nothing", function()
    helpers.write(dir .. "/n.lua", "local _ = ...\n")
    assert.is_true(report.run_script(dir .. "/n.lua"))
  end)

  it("returns nil, message, code for missing, bad and failing scripts",
    function()
    local ok, err, code = report.run_script(dir .. "/none.lua")
    assert.is_nil(ok)
    assert.matches(dir .. "/none.lua", err, 1, true)
    assert.are.equal("io", code)
    helpers.write(dir .. "/bad.lua", "return (")
    ok, err, code = report.run_script(dir .. "/bad.lua")
    assert.is_nil(ok)
    assert.are.equal("syntax", code)
    assert.matches("^loupe: .*bad%.lua:1:", err)
    helpers.write(dir .. "/boom.lua", "\nerror('boom')\n")
    ok, err, code = report.run_script(dir .. "/boom.lua")
    assert.is_nil(ok)
    assert.are.equal("script", code)
    assert.matches("boom.lua:2: boom", err, 1, true)
  end)
end)

-- ------------------------------------------- reports on a hostile corpus

describe("example report scripts", function()
  local loupe = require "loupe"
  local corpus

  local PAGE = table.concat({
    "Home | World | Tech",
    "Ministry rejects <script>alert(1)</script> hacking claims",
    "By Jana Ostrow",
    "March 3, 2022 10:15 AM",
    "",
    "ARVENSTAD (Gazette) - Foreign Ministry spokesperson Mira Koval said "
      .. "on Thursday that the claims were \"<script>alert(1)</script> "
      .. "guesswork & nothing more\", adding that the report was \"a "
      .. "<img src=x onerror=alert(2)> fantasy\".",
    "",
    "\"We reject these <script>alert('x')</script> cyber attacks claims, "
      .. "which are built on rumours,\" Koval told reporters at the "
      .. "regular briefing in the capital.",
    "",
    "The ministry said it would publish its own findings about the "
      .. "attacks on the national grid next month.",
    "",
    "Copyright \"Evil\" <Gazette> & Co. All rights reserved",
    "",
  }, "\n")

  before_each(function()
    corpus = assert(loupe.open(":memory:"))
    assert(corpus:add(PAGE, { path = "evil/<script>.txt" }))
    assert(corpus:add(PAGE:gsub("2022", "2023"):gsub("Koval", "Koval"),
      { path = "evil/2.txt" }))
  end)

  after_each(function()
    corpus:close()
  end)

  local scripts = {
    { "who_said_what.lua" },
    { "keyword_by_year.lua", "script|cyber attacks" },
    { "outlets_and_credits.lua" },
    { "speaker_quotes.lua", "Koval" },
  }
  for _, s in ipairs(scripts) do
    it(s[1] .. " makes a page with no live script tag", function()
      local page = assert(report.run_script(helpers.root .. "examples/"
        .. s[1], corpus, { s[2], db = "evil.loupe" }))
      assert.is_true(report.is_page(page))
      local html = page:html()
      assert.is_nil(html:lower():find("<script", 1, true))
      assert.is_nil(html:lower():find("<img", 1, true))
      assert.matches("<svg", html, 1, true)
      if s[1] ~= "outlets_and_credits.lua" then
        assert.matches("&lt;script&gt;", html, 1, true)
      end
      local md = page:markdown()
      assert.is_nil(md:lower():find("<script", 1, true))
    end)
  end
end)
