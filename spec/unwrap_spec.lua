-- spec/unwrap_spec.lua - loupe.parse on hard-wrapped text (wire copy, email,
-- `w3m -cols N` dumps): the wrap width is estimated so an over-long edited
-- line does not stop the joins, indented paragraph starts stay paragraph
-- starts, a short first body line keeps its words, and headlines, dates,
-- sign-offs and list items are never joined into the text. The story is
-- invented; the spec wraps it itself at the widths it needs.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"

local HEADLINE = "Valley railway to reopen in June after three-year closure"
local DATE_LINE = "03-MAR-1992 07:41:15.62"

local PARAGRAPHS = {
  "The Vellmark valley railway will reopen to passengers in June after a "
    .. "three-year closure, the regional transport council said on Monday, "
    .. "ending a long campaign by villages along the line.",
  "The council said repairs to two viaducts and a tunnel had cost 31 mln "
    .. "crowns, about a fifth more than planned, because flood damage was "
    .. "worse than engineers first thought.",
  "Trains will run every two hours on weekdays and every three hours at "
    .. "weekends, with extra services during the summer walking season, "
    .. "council member Ilse Brandvik told a news conference.",
  "Villagers had collected more than 9,000 signatures asking for the line "
    .. "to be saved after the council proposed in 2021 to replace it with "
    .. "buses.",
  "Freight operators said they also hoped to use the line again, but the "
    .. "council said no decision on goods traffic would be taken before "
    .. "next year.",
  "The first train is due to leave the valley terminus at dawn on June 3.",
}

-- Greedy word wrap: lines of at most `width` columns, the first one
-- starting with `indent`.
local function wrap(text, width, indent)
  local lines, cur = {}, indent or ""
  local empty = true
  for word in text:gmatch("%S+") do
    if empty then
      cur, empty = cur .. word, false
    elseif utf8.len(cur) + 1 + utf8.len(word) <= width then
      cur = cur .. " " .. word
    else
      lines[#lines + 1] = cur
      cur = word
    end
  end
  lines[#lines + 1] = cur
  return lines
end

-- A wire page: menu, headline, date line, the story wrapped at `width`
-- with paragraphs opened by a 4-space indent, a sign-off and a footer.
-- Options:
--   width        wrap width (default 64)
--   first_words  put only this many words on the first body line (the
--                dateline cut off the wire copy)
--   edit         { para, line, after, insert }: type `insert` after the
--                text `after` in that wrapped line, past the wrap width
--   replace      { para, line, text }: that wrapped line replaced by a
--                shorter one, as an edit that cut words leaves it
--   headline     the headline line (default HEADLINE)
--   no_date      no date line: the text starts right under the headline
-- Returns the page and the paragraphs the parser should give.
local function wire_page(opts)
  opts = opts or {}
  local width = opts.width or 64
  local body, want = {}, {}
  for k, p in ipairs(PARAGRAPHS) do
    local lines
    if k == 1 and opts.first_words then
      local words = {}
      for w in p:gmatch("%S+") do words[#words + 1] = w end
      lines = { table.concat(words, " ", 1, opts.first_words) }
      for _, l in ipairs(wrap(table.concat(words, " ",
        opts.first_words + 1), width)) do
        lines[#lines + 1] = l
      end
    else
      lines = wrap(p, width, k > 1 and "    " or "")
    end
    local r = opts.replace
    if r and r.para == k then lines[r.line] = r.text end
    local e = opts.edit
    if e and e.para == k then
      local l = lines[e.line]
      local at = assert(l:find(e.after, 1, true), "edit anchor not found")
      local cut = at + #e.after - 1
      lines[e.line] = l:sub(1, cut) .. e.insert .. l:sub(cut + 1)
      assert(utf8.len(lines[e.line]) > width, "the edit must overrun")
    end
    for _, l in ipairs(lines) do body[#body + 1] = l end
    want[k] = h.norm(table.concat(lines, " "))
  end
  local page = "Home | Rail | Roads | Weather | Jobs\n\n"
    .. (opts.headline or HEADLINE) .. "\n"
    .. (opts.no_date and "" or DATE_LINE .. "\n\n")
    .. table.concat(body, "\n") .. "\n REUTER\n\n"
    .. "Copyright 1992 The Vellmark Herald. All rights reserved.\n"
  return page, want
end

local EDIT = { para = 3, line = 2, after = "summer", insert = " hiking and" }

describe("loupe.parse on hard-wrapped wire copy", function()
  it("gives each wrapped paragraph as one paragraph", function()
    local page, want = wire_page()
    local art = assert(loupe.parse(page))
    assert.are.same(want, art.paragraphs, h.describe_diff(want,
      art.paragraphs))
  end)

  it("keeps the whole body when an edited line runs past the wrap width",
    function()
      local page, want = wire_page({ edit = EDIT })
      assert.is_truthy(page:find("summer hiking and", 1, true))
      local art = assert(loupe.parse(page))
      assert.are.same(want, art.paragraphs, h.describe_diff(want,
        art.paragraphs))
    end)

  it("gives indented paragraphs as separate paragraphs", function()
    local page = wire_page({ edit = EDIT })
    local art = assert(loupe.parse(page))
    assert.are.equal(#PARAGRAPHS, #art.paragraphs)
    for i, p in ipairs(art.paragraphs) do
      local starts = 0
      for _, q in ipairs(PARAGRAPHS) do
        if p:find(q:sub(1, 30), 1, true) then starts = starts + 1 end
      end
      assert.are.equal(1, starts, "paragraph " .. i .. ": " .. p)
    end
  end)

  it("keeps the first words of a short first body line", function()
    local page, want = wire_page({ first_words = 6, edit = EDIT })
    assert.is_truthy(page:find("\nThe Vellmark valley railway will reopen\n",
      1, true))
    local art = assert(loupe.parse(page))
    assert.are.equal(want[1], art.paragraphs[1])
    assert.are.same(want, art.paragraphs, h.describe_diff(want,
      art.paragraphs))
  end)

  it("takes the headline as the title, not the short first body line",
    function()
      local page = wire_page({ first_words = 6 })
      local art = assert(loupe.parse(page))
      assert.are.equal(HEADLINE, art.title)
      assert.are.equal("1992-03-03T07:41:15", art.date)
    end)

  it("joins a line an edit left short to the rest of its paragraph",
    function()
      local page, want = wire_page({ replace = { para = 2, line = 2,
        text = "cost 31 mln crowns, more than planned, because" } })
      assert.is_truthy(page:find("because\nflood damage", 1, true))
      local art = assert(loupe.parse(page))
      assert.are.same(want, art.paragraphs, h.describe_diff(want,
        art.paragraphs))
    end)

  it("keeps a headline apart from a short first line right under it",
    function()
      -- the headline looks full: "The" would not have fitted after it
      local headline = "Valley railway to reopen in June after its "
        .. "three-year closure"
      local page, want = wire_page({ headline = headline, no_date = true,
        first_words = 6 })
      assert.is_truthy(page:find(headline .. "\nThe Vellmark valley "
        .. "railway will reopen\n", 1, true))
      local art = assert(loupe.parse(page))
      assert.are.equal(headline, art.title)
      assert.are.same(want, art.paragraphs, h.describe_diff(want,
        art.paragraphs))
    end)

  it("keeps a headline in capitals apart from the text right under it",
    function()
      -- as wide as the wrap: by widths alone it would run on
      local caps = "VALLEY RAILWAY WILL REOPEN IN JUNE AFTER A THREE-YEAR "
        .. "CLOSURE"
      local page, want = wire_page({ headline = caps, no_date = true })
      assert.is_truthy(page:find(caps .. "\nThe Vellmark", 1, true))
      local art = assert(loupe.parse(page))
      assert.are.equal(caps, art.title)
      assert.are.same(want, art.paragraphs, h.describe_diff(want,
        art.paragraphs))
    end)

  it("keeps the sign-off out of the last paragraph", function()
    local page, want = wire_page({ edit = EDIT })
    local art = assert(loupe.parse(page))
    assert.are.equal(want[#want], art.paragraphs[#art.paragraphs])
    assert.is_nil(art.body:find("REUTER", 1, true))
  end)

  it("gives the same paragraphs at 56, 64, 72 and 100 columns", function()
    for _, width in ipairs({ 56, 64, 72, 100 }) do
      local page, want = wire_page({ width = width, first_words = 5 })
      local art = assert(loupe.parse(page))
      assert.are.same(want, art.paragraphs, ("at %d columns: %s"):format(
        width, h.describe_diff(want, art.paragraphs)))
    end
  end)

  it("labels every source line of a joined paragraph as body", function()
    local page = wire_page({ first_words = 6, edit = EDIT })
    local art = assert(loupe.parse(page, { lines = true }))
    local lines = h.split_lines(page)
    for i, l in ipairs(lines) do
      local label = art.lines[i].label
      if l.text:find("^The Vellmark") or l.text:find("^council member") then
        assert.are.equal("body", label, "line " .. i .. ": " .. l.text)
      end
      if l.text == " REUTER" or l.text == DATE_LINE then
        assert.are_not.equal("body", label, "line " .. i)
      end
    end
  end)
end)

describe("loupe.parse provenance in hard-wrapped text", function()
  local page = table.concat({
    "Valley railway to reopen in June after three-year closure",
    "",
  }, "\n") .. "\n"
  local story = {
    "The Vellmark valley railway will reopen to passengers in June",
    "after a three-year closure, the regional transport council said",
    "on Monday, ending a long campaign by villages along the line.",
    "    Council member Ilse Brandvik told a news conference at the",
    "station: \"We have kept our promise to the valley, and the first",
    "trains will run full, I am sure of it,\" adding that tickets go",
    "on sale in May.",
    "    The council said repairs to two viaducts and a tunnel had",
    "cost 31 mln crowns, about a fifth more than planned.",
  }
  page = page .. table.concat(story, "\n") .. "\n"

  for _, eol in ipairs({ "\n", "\r\n" }) do
    it(("points a quote that starts on a wrapped line at that line (%s)")
      :format(eol == "\n" and "LF" or "CRLF"), function()
        local text = page:gsub("\n", eol)
        local art = assert(loupe.parse(text))
        local lines = h.split_lines(text)
        local found = false
        for _, q in ipairs(art.quotes) do
          if q.text:find("^We have kept") then
            found = true
            assert.is_truthy(lines[q.line].text:find("We have kept", 1,
              true), "line " .. q.line .. ": " .. lines[q.line].text)
          end
        end
        assert.is_true(found, "the quote was not found")
        assert.are.equal(3, #art.paragraphs)
      end)
  end
end)

describe("loupe.parse on hard-wrapped email around a list", function()
  -- flush-left paragraphs separated by blank lines, as email is written
  local function email_page(middle)
    local out = { "Subject: Timetable for the valley line", "" }
    for _, l in ipairs(wrap(PARAGRAPHS[1], 68)) do out[#out + 1] = l end
    out[#out + 1] = ""
    for _, l in ipairs(middle) do out[#out + 1] = l end
    out[#out + 1] = ""
    for _, l in ipairs(wrap(PARAGRAPHS[2], 68)) do out[#out + 1] = l end
    out[#out + 1] = ""
    for _, l in ipairs(wrap(PARAGRAPHS[3], 68)) do out[#out + 1] = l end
    return table.concat(out, "\n") .. "\n"
  end

  it("joins the paragraphs of an email wrapped at 68 columns", function()
    local art = assert(loupe.parse(email_page({})))
    assert.are.same({ PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[3] },
      art.paragraphs, h.describe_diff({ PARAGRAPHS[1], PARAGRAPHS[2],
        PARAGRAPHS[3] }, art.paragraphs))
  end)

  it("never joins one numbered list item into the one before", function()
    -- items 1 and 2 end on a line as wide as the wrap: only their
    -- numbers keep the next item out of them
    local items = {
      "1. The two viaducts must pass a load test carried out by an outside "
        .. "engineer before the end of April, with the full report out in "
        .. "May.",
      "2. The tunnel lining must be inspected again once the spring floods "
        .. "have passed and the water table in the hillside has fallen "
        .. "again.",
      "3. The council must publish the timetable at every station at least "
        .. "six weeks before the first passenger train runs on the reopened "
        .. "line.",
    }
    local middle = {}
    for _, item in ipairs(items) do
      for _, l in ipairs(wrap(item, 68)) do middle[#middle + 1] = l end
    end
    local art = assert(loupe.parse(email_page(middle)))
    local want = { PARAGRAPHS[1], items[1], items[2], items[3], PARAGRAPHS[2],
      PARAGRAPHS[3] }
    assert.are.same(want, art.paragraphs, h.describe_diff(want,
      art.paragraphs))
  end)

  it("leaves consecutive unwrapped paragraphs one per line", function()
    local page = "Valley railway to reopen in June\n\n"
      .. table.concat(PARAGRAPHS, "\n") .. "\n"
    local art = assert(loupe.parse(page))
    assert.are.same(PARAGRAPHS, art.paragraphs,
      h.describe_diff(PARAGRAPHS, art.paragraphs))
  end)
end)
