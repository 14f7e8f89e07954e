-- spec/html_spec.lua - HTML pages: loupe.parse and parse_file on invented
-- pages in spec/fixtures/html/ (a news page with menus, cookie banner,
-- JSON-LD, Open Graph, related box, comments and sidebar; an old table
-- layout with broken markup and no metadata; GBK and Shift_JIS pages with
-- a meta charset), the format option, provenance into the page's bytes,
-- per-block lines, gzip, and ingest of .html, .htm and .html.gz files.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"

local HTML_DIR = spec_dir .. "fixtures/html/"

local function fixture(name)
  return h.read(HTML_DIR .. name)
end

local function contains(s, part)
  return s:find(part, 1, true) ~= nil
end

-- 1-based line of byte offset off (0-based) in s.
local function line_at(s, off)
  local n = 1
  for _ in s:sub(1, off):gmatch("\n") do n = n + 1 end
  return n
end

describe("loupe.parse on an HTML news page", function()
  local page = fixture("gazette-ferry.html")
  local a

  setup(function()
    a = assert(loupe.parse(page))
  end)

  it("detects HTML by its content and says so", function()
    assert.are.equal("html", a.source_format)
  end)

  it("takes the headline block the metadata names", function()
    assert.are.equal("Harbour council backs ferry link to the outer islands",
      a.title)
    local p = a.provenance.title
    assert.are.equal("Harbour council", page:sub(p.offset + 1, p.offset + 15))
    assert.are.equal('<h1 class="headline">', page:sub(p.offset - 20, p.offset))
    assert.are.equal(line_at(page, p.offset), p.line)
  end)

  it("keeps the article's paragraphs and its list", function()
    assert.is_true(contains(a.body, "ARVENSTAD – The harbour council"))
    assert.is_true(contains(a.body, "“We waited a long time for this,”"))
    assert.is_true(contains(a.body,
      "a stop at the fish market pier on weekdays before eight"))
    assert.is_true(contains(a.body, "work on the two piers would begin"))
  end)

  it("drops menus, banners, related lists, captions, comments and footers",
    function()
      for _, junk in ipairs {
        "We use cookies", "Skip to content", "Business", "Bus fares",
        "Nordlys", "Advertisement", "Share on Facebook", "Ferries",
        "always late in the winter", "Most read", "Storm closes",
        "newsletter", "All rights reserved", "hidden and must not",
        "dataLayer",
      } do
        assert.is_false(contains(a.body, junk), junk)
      end
    end)

  it("reads the date from JSON-LD and keeps the one the page shows", function()
    assert.are.equal("2022-03-03T10:15:00+01:00", a.date)
    assert.are.equal("second", a.date_precision)
    assert.are.equal("jsonld:datePublished", a.provenance.date.rule)
    assert.are.equal("2022-03-03T10:15", a.date_visible)
    assert.are.equal("2022-03-03T16:42:00+01:00", a.date_modified)
  end)

  it("points the date's provenance at its value in the page", function()
    local p = a.provenance.date
    assert.are.equal("2022-03-03T10:15:00+01:00",
      page:sub(p.offset + 1, p.offset + 25))
    assert.are.equal(line_at(page, p.offset), p.line)
  end)

  it("reads authors, outlet, section, language, URL and description",
    function()
      assert.are.same({ "Mira Koval", "Tomas Varga" }, a.authors)
      assert.are.equal("Harbour Gazette", a.outlet)
      assert.are.equal("Local", a.section)
      assert.are.equal("en", a.lang)
      assert.are.equal("https://www.harbourgazette.example/local/2022/03/03/"
        .. "ferry-link-outer-islands", a.url)
      assert.are.equal("Councillors approved a ferry line that halves the "
        .. "trip to three islands.", a.description)
    end)

  it("keeps every metadata value with the rule it came from", function()
    local m, pm = a.meta, a.provenance.meta
    assert.are.equal("2022-03-03T10:15:00+01:00", m.date_published)
    assert.are.equal("jsonld:datePublished", pm.date_published.rule)
    assert.are.equal("2022-03-03", m.date_url)
    assert.are.equal("url", pm.date_url.rule)
    assert.are.equal("2022-03-03T10:15:00+01:00", m.date_time)
    assert.are.equal("time[datetime]", pm.date_time.rule)
    assert.are.same({ "Mira Koval", "Tomas Varga" }, m.authors)
    assert.are.equal("jsonld:author", pm.authors[1].rule)
    assert.are.equal("jsonld:headline", pm.title.rule)
  end)

  it("points each paragraph at its text in the page, line included",
    function()
      for i, p in ipairs(a.provenance.paragraphs) do
        local text = a.paragraphs[i]
        local head = text:sub(1, 8)
        if not head:find("[\128-\255]") then
          assert.are.equal(head, page:sub(p.offset + 1, p.offset + 8),
            "paragraph " .. i)
        end
        assert.are.equal(line_at(page, p.offset), p.line, "paragraph " .. i)
      end
    end)

  it("gives one line per source line with the label of its text",
    function()
      local b = assert(loupe.parse(page, { lines = true }))
      local src = {}
      for l in (page .. "\n"):gmatch("([^\n]*)\n") do src[#src + 1] = l end
      if src[#src] == "" then src[#src] = nil end
      assert.are.equal(#src, #b.lines)
      assert.are.equal(#src, b.provenance.input.lines)
      for i, l in ipairs(b.lines) do
        assert.are.equal(i, l.line)
        assert.are.equal(i, line_at(page, l.offset))
        assert.is_true(h.LABELS[l.label] ~= nil, l.label)
        if contains(src[i], "We use cookies") then
          assert.are.equal("boilerplate", l.label)
        elseif contains(src[i], "ARVENSTAD") then
          assert.are.equal("body", l.label)
        elseif src[i] == "<head>" then
          assert.are.equal("blank", l.label)
        end
      end
    end)
end)

describe("loupe.parse_file on an old table page with broken markup", function()
  local a

  setup(function()
    a = assert(loupe.parse_file(HTML_DIR .. "coast-weekly-storm.htm"))
  end)

  it("reads it as HTML by its name", function()
    assert.are.equal("html", a.source_format)
  end)

  it("finds the article between the menus", function()
    assert.are.equal(4, #a.paragraphs)
    assert.is_true(contains(a.paragraphs[2], "to the islands & back."))
    assert.is_false(contains(a.body, "Classifieds"))
    assert.is_false(contains(a.body, "Back to news"))
  end)

  it("reads the fields from the visible text when there is no metadata",
    function()
      assert.are.equal("Storm closes northern road", a.title)
      assert.are.equal("2022-03-03T10:15", a.date)
      assert.are.same({ "Jana Ostrow" }, a.authors)
      assert.is_nil(a.date_visible and a.meta and a.meta.date_published)
      assert.is_false(a.provenance.date.rule:find(":") ~= nil)
    end)
end)

describe("loupe.parse on pages in legacy charsets", function()
  it("reads a GBK page its meta charset declares", function()
    local page = fixture("gbk-harbour.html")
    local a = assert(loupe.parse(page))
    assert.are.equal("gb18030", a.provenance.input.encoding)
    assert.are.equal("港口新航线获批", a.title)
    assert.are.equal("zh", a.lang)
    assert.are.equal(3, #a.paragraphs)
    assert.is_true(contains(a.paragraphs[1], "市议会周四批准了一条新的渡轮航线"))
    assert.are.equal("2022-03-03T10:15", a.date)
    -- the offset is the paragraph's place among the GBK bytes
    local p = a.provenance.paragraphs[1]
    assert.are.equal("<p>", page:sub(p.offset - 2, p.offset))
    assert.are.equal(line_at(page, p.offset), p.line)
  end)

  it("reads a Shift_JIS page its http-equiv declares", function()
    local a = assert(loupe.parse(fixture("sjis-harbour.html")))
    assert.are.equal("shift_jis", a.provenance.input.encoding)
    assert.are.equal("港の新航路が承認", a.title)
    assert.are.equal("ja", a.lang)
    assert.is_true(contains(a.body, "新しいフェリー航路を承認した"))
    assert.are.equal("2022-03-03", a.date)
  end)
end)

describe("loupe.parse's format option", function()
  local page = fixture("gazette-ferry.html")

  it("reads HTML as text when told to", function()
    local a = assert(loupe.parse(page, { format = "text" }))
    assert.are.equal("text", a.source_format)
    assert.is_nil(a.meta)
  end)

  it("reads a page with few tags as HTML when told to", function()
    local src = "<p>The ferry company said on Friday that the winter "
      .. "timetable would start a week early this year, with fewer "
      .. "crossings on <b>Sundays</b>.</p>"
    assert.are.equal("text", assert(loupe.parse(src)).source_format)
    local a = assert(loupe.parse(src, { format = "html" }))
    assert.are.equal("html", a.source_format)
    assert.is_false(contains(a.body, "<b>"))
  end)

  it("detects Markdown by its markup", function()
    local md = "# Ferry timetable for winter\n\nBy **Mira Koval**\n\n"
      .. "The ferry company [published](https://x.example/t) its winter "
      .. "timetable on Friday, with two crossings fewer on Sundays and an "
      .. "earlier last boat on weekdays.\n"
    assert.are.equal("markdown", assert(loupe.parse(md)).source_format)
  end)

  it("raises on an unknown format", function()
    assert.error_matches(function() loupe.parse(page, { format = "pdf" }) end,
      "option 'format'", 1, true)
    assert.error_matches(function() loupe.parse(page, { format = 1 }) end,
      "option 'format' must be a string", 1, true)
  end)

  it("gives nil, a message and a code for a page with no visible text",
    function()
      local a, msg, code = loupe.parse("<html><head>"
        .. "<script>var a;</script></head><body></body></html>",
        { name = "empty.html" })
      assert.is_nil(a)
      assert.are.equal("loupe: empty.html: the page holds no visible text",
        msg)
      assert.are.equal("empty", code)
    end)
end)

describe("HTML files in a corpus", function()
  local dir, db

  before_each(function()
    dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p '" .. dir .. "/pages'"))
    h.write(dir .. "/pages/ferry.html", fixture("gazette-ferry.html"))
    h.write(dir .. "/pages/storm.htm", fixture("coast-weekly-storm.htm"))
    h.write(dir .. "/pages/harbour.html", fixture("gbk-harbour.html"))
    assert(os.execute("gzip -c '" .. dir .. "/pages/ferry.html' > '" .. dir
      .. "/pages/ferry-copy.html.gz'"))
    db = assert(loupe.open(dir .. "/c.loupe"))
  end)

  after_each(function()
    if db then db:close() end
    h.remove_tmp(dir)
  end)

  it("ingests .html, .htm and .html.gz pages as HTML; a compressed copy "
    .. "is the page it holds", function()
    local s = assert(db:ingest({ dir .. "/pages" }, { threads = 0 }))
    assert.are.equal(3, s.added)
    assert.are.equal(1, s.duplicate)
    assert.are.same({}, s.failed)
    local titles = {}
    for a in db:articles() do titles[#titles + 1] = a.title end
    table.sort(titles)
    assert.are.same({
      "Harbour council backs ferry link to the outer islands",
      "Storm closes northern road", "港口新航线获批" }, titles)
    assert.are.equal(1, db:query("ferry link"):count())
    local ferry = assert(db:get(db:query("ferry link"):ids()[1]))
    assert.are.equal(2, #ferry.paths)
    assert.are.equal(3, db:query():where { since = "2022-03-03",
      ["until"] = "2022-03-03" }:count())
  end)

  it("keeps what the page said beside its text: format, URL, dates, "
    .. "section, description and the metadata with its sources", function()
    assert(db:ingest({ dir .. "/pages/ferry.html", dir .. "/pages/storm.htm" },
      { threads = 0 }))
    local parsed = assert(loupe.parse(fixture("gazette-ferry.html")))
    local id = db:query("ferry link"):ids()[1]
    local a = assert(db:get(id))
    assert.are.equal("html", a.source_format)
    for _, k in ipairs { "url", "date_modified", "section", "description" } do
      assert.are.equal(parsed[k], a[k], k)
    end
    assert.are.same(parsed.meta, a.meta)
    assert.are.same(parsed.provenance.meta, a.provenance.meta)
    assert.are.equal("Local", a.meta.section)
    assert.are.equal("2022-03-03T16:42:00+01:00", a.meta.date_modified)
    -- the old table layout has no metadata, and says it was HTML all the same
    local storm = assert(db:get(db:query("northern road"):ids()[1]))
    assert.are.equal("html", storm.source_format)
    assert.is_nil(storm.url)
    -- the page fields are lifted out of the provenance, not kept twice
    assert.is_nil(a.provenance.page)
  end)

  it("ingests them the same way on worker threads", function()
    local s = assert(db:ingest({ dir .. "/pages" }, { threads = 2 }))
    assert.are.equal(3, s.added)
    assert.are.equal(1, s.duplicate)
    assert.are.equal(1, db:query("northern road"):count())
  end)
end)
