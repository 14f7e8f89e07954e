-- spec/parse_spec.lua - loupe.parse and loupe.parse_file on invented pages:
-- every field of every fixture in spec/fixtures/pages/ against
-- spec/fixtures/expected.lua, provenance, and unit-level behaviours
-- (line endings, BOM, NBSP, repeated headline, lead and body, dates, options).

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"

local EXPECTED = h.expected()

-- Parse each fixture once; keep the three returns.
local cache = {}
local function parsed(name)
  local c = cache[name]
  if not c then
    local art, msg, code = loupe.parse_file(h.pages_dir .. name)
    c = { art = art, msg = msg, code = code }
    cache[name] = c
  end
  assert(c.art, ("parse_file(%s) failed: %s (%s)"):format(name,
    tostring(c.msg), tostring(c.code)))
  return c.art
end

local function field_value(exp, key)
  local v = exp[key]
  if v == false then return nil end
  return v
end

describe("loupe.parse_file on the fixture pages", function()
  for _, name in ipairs(h.page_names(EXPECTED)) do
    local exp = EXPECTED[name]

    describe(name, function()
      local text = h.page(name)
      local lines = h.split_lines(text)

      it("returns a table with only the documented fields", function()
        local art = parsed(name)
        for k in pairs(art) do
          assert.is_true(h.FIELDS[k] ~= nil, "unexpected field " .. tostring(k))
        end
        assert.are.equal("table", type(art.paragraphs))
        assert.are.equal("table", type(art.authors))
        assert.are.equal("table", type(art.editors))
        assert.are.equal("table", type(art.provenance))
        assert.are.equal("string", type(art.body))
      end)

      it("finds the title", function()
        assert.are.equal(field_value(exp, "title"), parsed(name).title)
      end)

      it("finds the date at the precision the page gives", function()
        local art = parsed(name)
        assert.are.equal(field_value(exp, "date"), art.date)
        assert.are.equal(field_value(exp, "date_precision"), art.date_precision)
      end)

      it("finds the dateline, credit and outlet", function()
        local art = parsed(name)
        assert.are.equal(field_value(exp, "dateline"), art.dateline)
        assert.are.equal(field_value(exp, "credit"), art.credit)
        assert.are.equal(field_value(exp, "outlet"), art.outlet)
      end)

      it("tells the language", function()
        assert.are.equal(field_value(exp, "lang"), parsed(name).lang)
      end)

      it("lists the authors and editors", function()
        local art = parsed(name)
        assert.are.same(exp.authors, art.authors)
        assert.are.same(exp.editors, art.editors)
      end)

      it("gives every body paragraph once, in reading order", function()
        local art = parsed(name)
        assert.are.same(exp.paragraphs, art.paragraphs,
          h.describe_diff(exp.paragraphs, art.paragraphs))
      end)

      it("joins the paragraphs into the body with blank lines", function()
        local art = parsed(name)
        assert.are.equal(table.concat(art.paragraphs, "\n\n"), art.body)
      end)

      it("keeps menus, captions, lists and footers out of the body", function()
        local art = parsed(name)
        for i, p in ipairs(art.paragraphs) do
          for _, bad in ipairs(exp.not_in_body) do
            assert.is_nil(p:find(bad, 1, true),
              ("paragraph %d holds %q: %s"):format(i, bad, p))
          end
          assert.is_nil(p:find(h.NBSP, 1, true), "NBSP left in paragraph " .. i)
          assert.are.equal(h.norm(p), p, "paragraph " .. i .. " not normalised")
        end
      end)

      it("points the title's provenance at a line holding the title", function()
        local art = parsed(name)
        local prov = art.provenance.title
        assert.is_table(prov)
        assert.is_true(h.line_has(lines, prov.line, art.title),
          ("line %s does not hold the title"):format(tostring(prov.line)))
        assert.is_true(h.offset_in_line(lines, prov.line, prov.offset),
          ("offset %s is outside line %s"):format(tostring(prov.offset),
            tostring(prov.line)))
        assert.are.equal("string", type(prov.rule))
        assert.is_true(#prov.rule > 0)
      end)

      if exp.date_raw then
        it("points the date's provenance at the line where it is written",
          function()
            local prov = parsed(name).provenance.date
            assert.is_table(prov)
            assert.is_true(h.line_has(lines, prov.line, exp.date_raw),
              ("line %s does not hold %q"):format(tostring(prov.line),
                exp.date_raw))
            assert.is_true(h.offset_in_line(lines, prov.line, prov.offset))
            assert.are.equal("string", type(prov.rule))
          end)
      else
        it("has no provenance for the missing date", function()
          assert.is_nil(parsed(name).provenance.date)
        end)
      end

      it("points each found field's provenance at a line holding it", function()
        local art = parsed(name)
        for _, key in ipairs({ "dateline", "credit", "outlet" }) do
          if art[key] ~= nil then
            local prov = art.provenance[key]
            assert.is_table(prov, "no provenance for " .. key)
            assert.is_true(h.line_has(lines, prov.line, art[key]),
              ("%s: line %s does not hold %q"):format(key,
                tostring(prov.line), art[key]))
            assert.is_true(h.offset_in_line(lines, prov.line, prov.offset))
          else
            assert.is_nil(art.provenance[key])
          end
        end
      end)

      it("points each paragraph's provenance at a line holding its start",
        function()
          local art = parsed(name)
          local provs = art.provenance.paragraphs
          assert.is_table(provs)
          assert.are.equal(#art.paragraphs, #provs)
          for i, p in ipairs(art.paragraphs) do
            local prov = provs[i]
            local start = p:sub(1, 20)
            assert.is_true(h.line_has(lines, prov.line, start),
              ("paragraph %d: line %s does not hold %q"):format(i,
                tostring(prov.line), start))
            assert.is_true(h.offset_in_line(lines, prov.line, prov.offset))
          end
        end)

      it("counts the input bytes and lines", function()
        local input = parsed(name).provenance.input
        assert.are.equal(#text, input.bytes)
        assert.are.equal(#lines, input.lines)
        assert.are.equal(0, input.invalid_utf8)
        assert.are.equal(0, input.nul_bytes)
        assert.are.equal("utf-8", input.encoding)
      end)
    end)
  end
end)

describe("loupe.parse", function()
  it("gives the same article for LF, CRLF and a UTF-8 BOM", function()
    local lf = h.page("05_chinadaily-rulers-related.txt")
    local crlf = lf:gsub("\n", "\r\n")
    local a = assert(loupe.parse(lf))
    local b = assert(loupe.parse(crlf))
    local c = assert(loupe.parse(h.BOM .. lf))
    local d = assert(loupe.parse(h.BOM .. crlf))
    assert.are.same(h.core(a), h.core(b))
    assert.are.same(h.core(a), h.core(c))
    assert.are.same(h.core(a), h.core(d))
    assert.are.equal(a.provenance.title.line, b.provenance.title.line)
    assert.are.equal(a.provenance.date.line, d.provenance.date.line)
  end)

  it("reads a CRLF page like the same page with LF endings", function()
    local crlf = h.page("13_security-news-crlf.txt")
    local lf = crlf:gsub("\r\n", "\n")
    assert.are.same(h.core(assert(loupe.parse(lf))),
      h.core(assert(loupe.parse(crlf))))
  end)

  it("folds non-breaking spaces into plain spaces", function()
    local page, paras = h.sample_page({ nbsp = true })
    local art = assert(loupe.parse(page))
    assert.are.same(paras, art.paragraphs,
      h.describe_diff(paras, art.paragraphs))
    assert.is_nil(art.body:find(h.NBSP, 1, true))
  end)

  it("gives the same article with and without non-breaking spaces", function()
    local a = assert(loupe.parse((h.sample_page({ nbsp = true }))))
    local b = assert(loupe.parse((h.sample_page())))
    assert.are.same(h.core(b), h.core(a))
  end)

  it("takes a headline printed three times as the title, never a paragraph",
    function()
      local page, paras = h.sample_page({ title_times = 3 })
      assert.are.equal(3, h.count(page, h.SAMPLE_TITLE))
      local art = assert(loupe.parse(page))
      assert.are.equal(h.SAMPLE_TITLE, art.title)
      for _, p in ipairs(art.paragraphs) do
        assert.is_nil(p:find(h.SAMPLE_TITLE, 1, true))
      end
      assert.are.same(paras, art.paragraphs,
        h.describe_diff(paras, art.paragraphs))
    end)

  it("keeps the fuller lead once, first, when a shorter teaser precedes it",
    function()
      local page, paras = h.sample_page({ teaser = true })
      local art = assert(loupe.parse(page))
      assert.are.equal(paras[1], art.paragraphs[1])
      assert.are.same(paras, art.paragraphs,
        h.describe_diff(paras, art.paragraphs))
      assert.is_nil(art.body:find(h.SAMPLE_TEASER, 1, true))
    end)

  it("keeps each paragraph once when the whole body is printed twice",
    function()
      local page, paras = h.sample_page({ body_twice = true })
      local art = assert(loupe.parse(page))
      assert.are.same(paras, art.paragraphs,
        h.describe_diff(paras, art.paragraphs))
    end)

  it("drops a repeat of the body glued into one line without spaces",
    function()
      local page, paras = h.sample_page({ glued_copy = true })
      local art = assert(loupe.parse(page))
      assert.are.same(paras, art.paragraphs,
        h.describe_diff(paras, art.paragraphs))
    end)

  it("keeps the body once when the lead, body and headline all repeat",
    function()
      local page, paras = h.sample_page({
        teaser = true, body_twice = true, glued_copy = true, title_times = 3,
      })
      local art = assert(loupe.parse(page))
      assert.are.equal(h.SAMPLE_TITLE, art.title)
      assert.are.same(paras, art.paragraphs,
        h.describe_diff(paras, art.paragraphs))
    end)

  it("finds the date of the sample page", function()
    local art = assert(loupe.parse((h.sample_page({ related = true }))))
    assert.are.equal("2024-03-12T09:30", art.date)
    assert.are.equal("minute", art.date_precision)
    assert.are.same({ "Corinne Aldana" }, art.authors)
    assert.are.equal("Tidewater Ledger", art.outlet)
  end)

  it("gives no date for a page that has none", function()
    local art = assert(loupe.parse((h.sample_page({ date = false }))))
    assert.is_nil(art.date)
    assert.is_nil(art.date_precision)
    assert.is_nil(art.provenance.date)
  end)

  it("never takes the date from a related-stories list", function()
    local art = assert(loupe.parse((h.sample_page({
      date = false, related = true,
    }))))
    assert.is_nil(art.date)
    assert.is_nil(art.date_precision)
  end)

  it("reads a day-only date at day precision", function()
    local art = assert(loupe.parse((h.sample_page({
      date = "Published: 12 March 2024", related = true,
    }))))
    assert.are.equal("2024-03-12", art.date)
    assert.are.equal("day", art.date_precision)
  end)

  it("keeps the first paragraph's dateline in its text", function()
    local art = assert(loupe.parse(h.page("05_chinadaily-rulers-related.txt")))
    assert.are.equal("BEIJING", art.dateline)
    assert.is_truthy(art.paragraphs[1]:find("^BEIJING %-%- China on Friday"))
  end)

  describe("with opts.lines", function()
    local function labels(name)
      local text = h.page(name)
      local art = assert(loupe.parse(text, { lines = true }))
      return art, h.split_lines(text)
    end

    it("labels every source line once, in order", function()
      local art, lines = labels("01_portal-xinhua-utc8.txt")
      assert.is_table(art.lines)
      assert.are.equal(#lines, #art.lines)
      for i, l in ipairs(art.lines) do
        assert.are.equal(i, l.line)
        assert.are.equal(lines[i].offset, l.offset)
        assert.is_true(h.LABELS[l.label] ~= nil,
          ("line %d: unknown label %s"):format(i, tostring(l.label)))
        assert.are.equal("string", type(l.reason))
        assert.is_true(#l.reason > 0)
      end
    end)

    it("labels the title, date, body, blank and menu lines", function()
      local art, lines = labels("01_portal-xinhua-utc8.txt")
      local function label_of(s)
        for i, l in ipairs(lines) do
          if h.norm(l.text) == s then return art.lines[i].label end
        end
        error("no line " .. s)
      end
      assert.are.equal("title", art.lines[4].label)
      assert.are.equal("blank", art.lines[3].label)
      assert.are.equal("meta", art.lines[art.provenance.date.line].label)
      assert.are.equal("body", art.lines[12].label)
      assert.are.equal("boilerplate", label_of("Special Reports"))
      assert.are.equal("boilerplate", label_of("Follow Us"))
      assert.are.equal("boilerplate",
        label_of("Copyright 2019 © Huangpu Evening Post All Rights Reserved."))
    end)

    it("labels the second printing of the body as duplicate", function()
      local art, lines = labels("15_newspaper-body-twice.txt")
      local seen = {}
      for i, l in ipairs(lines) do
        local s = h.norm(l.text)
        if s:find("^Harbor Link Ferries said") then seen[#seen + 1] = i end
      end
      assert.are.equal(2, #seen)
      assert.are.equal("body", art.lines[seen[1]].label)
      assert.are.equal("duplicate", art.lines[seen[2]].label)
    end)

    it("labels body every line a paragraph comes from", function()
      local art = labels("06_reuters-wire.txt")
      for i, prov in ipairs(art.provenance.paragraphs) do
        assert.are.equal("body", art.lines[prov.line].label,
          "paragraph " .. i)
      end
    end)
  end)

  it("leaves lines out unless opts.lines is set", function()
    local text = h.page("03_review-dot-source.txt")
    assert.is_nil(assert(loupe.parse(text)).lines)
    assert.is_nil(assert(loupe.parse(text, { lines = false })).lines)
  end)

  it("accepts name, lines and max_bytes together", function()
    local text = h.page("03_review-dot-source.txt")
    local art = assert(loupe.parse(text, {
      name = "review.txt", lines = true, max_bytes = #text,
    }))
    assert.are.equal(EXPECTED["03_review-dot-source.txt"].title, art.title)
  end)

  it("raises on an unknown option", function()
    assert.error_matches(function() loupe.parse("text", { xyz = 1 }) end,
      "bad argument #2 to 'parse' (unknown option 'xyz')", 1, true)
  end)

  it("raises when the text is not a string", function()
    assert.error_matches(function() loupe.parse(nil) end,
      "bad argument #1 to 'parse'", 1, true)
    assert.error_matches(function() loupe.parse({}) end,
      "bad argument #1 to 'parse'", 1, true)
  end)

  it("raises when the options are not a table", function()
    assert.error_matches(function() loupe.parse("text", "lines") end,
      "bad argument #2 to 'parse'", 1, true)
  end)

  it("names opts.name in its messages", function()
    local art, msg, code = loupe.parse("", { name = "blank-page.txt" })
    assert.is_nil(art)
    assert.are.equal("empty", code)
    assert.is_truthy(msg:find("^loupe: "))
    assert.is_truthy(msg:find("blank-page.txt", 1, true))
  end)
end)

describe("loupe.parse_file", function()
  local path

  before_each(function()
    path = os.tmpname()
    local page = h.sample_page({ related = true, teaser = true })
    h.write(path, page)
  end)

  after_each(function()
    os.remove(path)
  end)

  it("reads a page from a file as parse reads its text", function()
    local from_file = assert(loupe.parse_file(path))
    local from_text = assert(loupe.parse(h.read(path)))
    assert.are.same(h.core(from_text), h.core(from_file))
    assert.are.same(from_text.provenance, from_file.provenance)
  end)

  it("takes the same options as parse", function()
    local art = assert(loupe.parse_file(path, { lines = true }))
    assert.is_table(art.lines)
    assert.error_matches(function() loupe.parse_file(path, { colour = 1 }) end,
      "unknown option 'colour'", 1, true)
  end)

  it("returns nil, a message naming the file and 'io' when it is missing",
    function()
      os.remove(path)
      local art, msg, code = loupe.parse_file(path)
      assert.is_nil(art)
      assert.are.equal("io", code)
      assert.are.equal("string", type(msg))
      assert.is_truthy(msg:find("^loupe: "))
      assert.is_truthy(msg:find(path, 1, true))
    end)

  it("raises when the path is not a string", function()
    assert.error_matches(function() loupe.parse_file(nil) end,
      "bad argument #1 to 'parse_file'", 1, true)
  end)
end)

describe("loupe", function()
  it("has a version string", function()
    assert.are.equal("string", type(loupe._VERSION))
    assert.is_true(#loupe._VERSION > 0)
  end)
end)
