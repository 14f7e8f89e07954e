-- spec/quotes_spec.lua - who said what: quotes, speakers and entities in
-- parse results, their scores on the labelled pages, and the corpus
-- functions built on them (quotes, speakers, entities, speaker filters).
local h = dofile(debug.getinfo(1, "S").source:match("^@(.*[/\\])")
  .. "helpers.lua")
local loupe = require "loupe"
local score = dofile(h.spec_dir .. "quote_score.lua")

-- An invented page: menus, headline, date, the given paragraphs, footer.
local function page(paragraphs)
  return table.concat({
    "Home | World | Politics | Business", "",
    "Ministry rejects claims over grid intrusions", "",
    "Updated: 2023-05-04 18:20", "",
    table.concat(paragraphs, "\n\n"), "",
    "Related Stories", "Port strike enters second week 2023-05-02 10:11",
    "Copyright 2023 © The Harbour Ledger. All rights reserved.",
  }, "\n")
end

local function quotes_of(paragraphs)
  return assert(loupe.parse(page(paragraphs))).quotes
end

local function find_quote(quotes, needle)
  for _, q in ipairs(quotes) do
    if q.text:find(needle, 1, true) then return q end
  end
end

describe("quote extraction on the labelled pages", function()
  local total = score.all(h.spec_dir .. "fixtures/quotes", function(p)
    return loupe.parse_file(p)
  end)

  it("finds quote spans with precision at least 0.95", function()
    assert.is_true(total.precision >= 0.95,
      ("precision %.3f"):format(total.precision))
  end)

  it("finds quote spans with recall at least 0.90", function()
    assert.is_true(total.recall >= 0.90, ("recall %.3f"):format(total.recall))
  end)

  it("attributes at least 0.90 of the found quotes to the right speaker",
    function()
      assert.is_true(total.speaker_accuracy >= 0.90,
        ("speaker accuracy %.3f"):format(total.speaker_accuracy))
    end)

  it("takes no title, name, inch mark or apostrophe for a quote", function()
    assert.are.equal(0, total.negatives_hit)
  end)
end)

describe("loupe.parse quotes", function()
  it("resolves a surname to the full name and role introduced earlier",
    function()
      local qs = quotes_of {
        "Foreign Ministry spokesperson Petra Valk said on Monday that the "
          .. "claims were groundless and politically motivated.",
        "\"We have seen no evidence at all,\" said Valk.",
      }
      local q = find_quote(qs, "no evidence at all")
      assert.are.equal("Petra Valk", q.speaker)
      assert.are.equal("Foreign Ministry spokesperson", q.role)
      assert.are.equal("said", q.cue)
      assert.are.equal("direct", q.kind)
    end)

  it("resolves he and she to the nearest speaker of that gender", function()
    local qs = quotes_of {
      "Senator Ruth Ambler said her committee would hold hearings, and she "
        .. "asked the ministry for documents.",
      "Deputy minister Karl Osten said his office had answered every "
        .. "letter from the committee.",
      "\"The letters were answered within a week,\" he said.",
      "\"We will read every page of them,\" she said.",
    }
    assert.are.equal("Karl Osten", find_quote(qs, "within a week").speaker)
    assert.are.equal("Ruth Ambler", find_quote(qs, "every page").speaker)
  end)

  it("resolves a role noun to the person who holds that role", function()
    local qs = quotes_of {
      "Arvenia's foreign ministry spokesman, Tomas Rell, rejected the "
        .. "report on Tuesday.",
      "\"This is a story written before the facts were known,\" the "
        .. "diplomat said.",
    }
    local q = find_quote(qs, "written before the facts")
    assert.are.equal("Tomas Rell", q.speaker)
    assert.are.equal("Arvenia's foreign ministry spokesman", q.role)
  end)

  it("joins a quote split around its cue into one quote", function()
    local qs = quotes_of {
      "Spokeswoman Lena Hart spoke to reporters on Friday.",
      "\"We were told nothing,\" Hart said. \"Not a single word came from "
        .. "the embassy.\"",
    }
    local q = find_quote(qs, "We were told nothing")
    assert.are.equal("We were told nothing, Not a single word came from "
      .. "the embassy.", q.text)
    assert.are.equal("Lena Hart", q.speaker)
    assert.is_nil(find_quote(qs, "Not a single word") ~= q and
      find_quote(qs, "Not a single word") or nil)
  end)

  it("joins a quote left open at a paragraph end with the next paragraph",
    function()
      local qs = quotes_of {
        "Minister Jonas Kell told parliament on Wednesday: \"The attack "
          .. "began in March and went unnoticed for weeks.",
        "\"Nobody in the ministry saw it until the banks called us.\"",
      }
      local q = find_quote(qs, "The attack began")
      assert.are.equal("The attack began in March and went unnoticed for "
        .. "weeks. Nobody in the ministry saw it until the banks called us.",
        q.text)
      assert.are.equal("Jonas Kell", q.speaker)
    end)

  it("keeps a nested single-quoted name inside the quote", function()
    local qs = quotes_of {
      "Spokesperson Ada Lind said: \"The group known as 'Grey Otter' has "
        .. "never worked for any government.\"",
    }
    local q = find_quote(qs, "Grey Otter")
    assert.are.equal("The group known as 'Grey Otter' has never worked "
      .. "for any government.", q.text)
    assert.are.equal("Ada Lind", q.speaker)
  end)

  it("reads reported speech with its cue as kind 'reported'", function()
    local qs = quotes_of {
      "The ministry will not take part in the inquiry, foreign ministry "
        .. "spokeswoman Maja Ost said on Friday, adding that the evidence "
        .. "had never been shared.",
    }
    local a = find_quote(qs, "will not take part")
    assert.are.equal("reported", a.kind)
    assert.are.equal("Maja Ost", a.speaker)
    assert.are.equal("The ministry will not take part in the inquiry", a.text)
    local b = find_quote(qs, "evidence had never")
    assert.are.equal("adding", b.cue)
    assert.are.equal("Maja Ost", b.speaker)
  end)

  it("attributes a short quoted phrase to the subject who used it",
    function()
      local qs = quotes_of {
        "Foreign Ministry spokesperson Ilka Dorn called the sanctions a "
          .. "\"paper tiger\" and left the briefing early.",
      }
      local q = find_quote(qs, "paper tiger")
      assert.are.equal("phrase", q.kind)
      assert.are.equal("Ilka Dorn", q.speaker)
    end)

  it("takes no quote from titles, names, inch marks or apostrophes",
    function()
      local qs = quotes_of {
        "The institute published a report titled \"Quiet Water: A Study of "
          .. "Port Networks\" on Monday, and the so-called \"Blue Heron\" "
          .. "group was named in it.",
        "The laptops have a 15.6\" screen and the ministry's old 13\" "
          .. "models are being recalled, it's understood.",
      }
      assert.are.same({}, qs)
    end)

  it("gives quote offsets into the body and source lines", function()
    local text = page {
      "Spokesperson Ada Lind said: \"The servers were never ours.\"",
    }
    local a = assert(loupe.parse(text))
    local q = a.quotes[1]
    assert.are.equal("The servers were never ours.",
      a.body:sub(q.offset + 1, q.offset + #q.text))
    local lines = h.split_lines(text)
    assert.is_truthy(lines[q.line].text:find("never ours", 1, true))
  end)

  it("finds no quotes when extraction is switched off", function()
    local a = assert(loupe.parse(page {
      "Spokesperson Ada Lind said: \"The servers were never ours.\"",
    }, { extract = false }))
    assert.are.same({}, a.quotes)
    assert.are.same({}, a.entities)
  end)
end)

describe("loupe.parse entities", function()
  local a = assert(loupe.parse(page {
    "The National Grid Response Centre (NGRC) said on Monday that the U.S. "
      .. "and Russia had both probed its networks.",
    "US officials denied it, and the NGRC later said the United States "
      .. "had not been the source, Foreign Ministry spokesperson Petra Valk "
      .. "said.",
  }))
  local function entity(name)
    for _, e in ipairs(a.entities) do
      if e.name == name then return e end
    end
  end

  it("links the spellings of a country as one place", function()
    local us = entity("United States")
    assert.are.equal("place", us.kind)
    table.sort(us.aliases)
    assert.are.same({ "U.S.", "US" }, us.aliases)
    assert.are.equal(3, #us.mentions)
  end)

  it("links an acronym defined in parentheses to the long name", function()
    local org = entity("National Grid Response Centre")
    assert.are.equal("organisation", org.kind)
    assert.are.same({ "NGRC" }, org.aliases)
    assert.are.equal(3, #org.mentions)
  end)

  it("gives people their role", function()
    local p = entity("Petra Valk")
    assert.are.equal("person", p.kind)
    assert.are.equal("Foreign Ministry spokesperson", p.role)
  end)

  it("gives mentions as offsets into the body", function()
    for _, m in ipairs(entity("Russia").mentions) do
      assert.are.equal("Russia", a.body:sub(m.offset + 1,
        m.offset + m.length))
    end
  end)
end)

describe("corpus quotes", function()
  local corpus
  setup(function()
    corpus = assert(loupe.open(":memory:"))
    assert(corpus:ingest(h.root .. "examples/corpus/*/*.txt"))
  end)
  teardown(function() corpus:close() end)

  it("lists speakers with role, count, first and last date and outlets",
    function()
      local rows = assert(corpus:speakers())
      local varga
      for _, r in ipairs(rows) do
        if r.name == "Tomas Varga" then varga = r end
      end
      assert.is_table(varga)
      assert.is_truthy(varga.role:find("spokes", 1, true))
      assert.is_true(varga.quotes >= 5)
      assert.is_true(varga.first < varga.last)
      assert.is_true(#varga.outlets >= 3)
    end)

  it("iterates the quotes of one speaker named by surname, any case",
    function()
      local n = 0
      for q in corpus:quotes { speaker = "varga" } do
        assert.are.equal("Tomas Varga", q.speaker)
        assert.is_string(q.date)
        n = n + 1
      end
      assert.is_true(n >= 5)
    end)

  it("keep how each speaker was found, as loupe.parse gave it", function()
    local db = assert(loupe.open(":memory:"))
    local text = page {
      "Ilse Brandvold said the pier would reopen in May after the repairs.",
      "\"We have replaced every pile that the storm loosened,\" she said.",
      "The port authority said in a statement: \"Ferries will run on the "
        .. "winter timetable until then.\"",
    }
    local parsed = assert(loupe.parse(text))
    assert(db:add(text, { path = "pier.txt" }))
    local stored = {}
    for q in db:quotes() do stored[#stored + 1] = q end
    assert.are.equal(#parsed.quotes, #stored)
    local pronoun
    for i, q in ipairs(parsed.quotes) do
      local s = stored[i]
      assert.are.equal(q.text, s.text)
      assert.are.equal(q.speaker, s.speaker)
      assert.are.equal(q.speaker_kind, s.speaker_kind)
      assert.are.equal(q.mention, s.mention)
      assert.are.equal(q.rule, s.rule)
      if q.mention == "she" then pronoun = s end
    end
    assert.is_table(pronoun, "a quote whose speaker 'she' points to")
    assert.are.equal("Ilse Brandvold", pronoun.speaker)
    assert.are.equal("person", pronoun.speaker_kind)
    assert.is_string(pronoun.rule)
    -- a body named by its noun alone speaks for itself, not for the
    -- person quoted before it
    local last = stored[#stored]
    assert.are.equal("The port authority", last.mention)
    assert.are.equal("organisation", last.speaker_kind)
    assert.are.equal("port authority", last.speaker)
    db:close()
  end)

  it("shows one person quoted under a Chinese and a romanised name on the "
    .. "same days, and finds the quotes of both by either", function()
    local c = assert(loupe.open(":memory:"))
    local days = { "2019-03-04", "2019-03-05", "2019-03-06", "2019-03-07" }
    local topics = { "港口", "渔业", "铁路", "文化" }
    local en = { "the port", "fisheries", "the railway", "the culture year" }
    for i = 1, 4 do
      local y, m, d = days[i]:match("(%d+)-0?(%d+)-0?(%d+)")
      assert(c:add(table.concat({
        "Foreign Ministry Spokesperson Lin Ma's Regular Press Conference on "
          .. days[i], "", days[i], "",
        "Q: What is your comment on " .. en[i] .. " talks held this week "
          .. "with the neighbouring states?", "",
        "A: We have noted the reports. Cooperation on " .. en[i] .. " serves "
          .. "the common interests of all sides, and we will keep working "
          .. "with the countries concerned.", "",
      }, "\n"), { path = "en" .. i .. ".txt" }))
      assert(c:add(table.concat({
        "外交部发言人林玛主持例行记者会", "", y .. "年" .. m .. "月" .. d .. "日", "",
        "问：你对本周与邻国举行的" .. topics[i] .. "会谈有何评论？", "",
        "答：我们注意到有关报道。" .. topics[i] .. "合作符合各方共同利益，我们将"
          .. "继续同有关国家一道努力推进务实合作。", "",
      }, "\n"), { path = "zh" .. i .. ".txt" }))
    end
    local rows = assert(c:speakers())
    assert.are.equal(1, #rows)
    assert.are.equal("Lin Ma", rows[1].name)
    assert.are.same({ "林玛" }, rows[1].aliases)
    assert.are.equal(8, rows[1].quotes)
    for _, name in ipairs { "Lin Ma", "林玛" } do
      local n = 0
      for _ in c:quotes { speaker = name } do n = n + 1 end
      assert.are.equal(8, n, name)
    end
    c:close()
  end)

  it("keeps two people apart when their days differ", function()
    local c = assert(loupe.open(":memory:"))
    for i = 1, 3 do
      assert(c:add(table.concat({
        "Spokesperson Ann Roe's Regular Press Conference on 2020-05-0" .. i, "",
        "2020-05-0" .. i, "",
        "Q: Will the ferry talks go on this month as planned?", "",
        "A: The talks will go on as planned, and both delegations have agreed "
          .. "on the timetable for the next round.", "",
      }, "\n"), { path = "en" .. i .. ".txt" }))
      assert(c:add(table.concat({
        "外交部发言人林玛主持例行记者会", "", "2021年6月" .. i .. "日", "",
        "问：渡轮会谈本月是否照常进行？", "",
        "答：会谈将照常进行，双方代表团已就下一轮会谈的时间表达成一致。", "",
      }, "\n"), { path = "zh" .. i .. ".txt" }))
    end
    local rows = assert(c:speakers())
    assert.are.equal(2, #rows)
    for _, r in ipairs(rows) do assert.is_nil(r.aliases, r.name) end
    c:close()
  end)

  it("narrows quotes by kind, text and dates", function()
    local n = 0
    for q in corpus:quotes { kind = "direct", text = "largest source",
                             since = "2020" } do
      assert.are.equal("direct", q.kind)
      assert.is_truthy(q.text:lower():find("largest source", 1, true))
      assert.is_true(q.date >= "2020")
      n = n + 1
    end
    assert.is_true(n >= 2)
  end)

  it("filters articles by speaker and entity", function()
    local by_speaker = corpus:query():where { speaker = "Brandt" }:count()
    assert.is_true(by_speaker >= 3)
    local by_alias = corpus:query():where { entity = "US" }:count()
    local by_name = corpus:query():where { entity = "United States" }
      :count()
    assert.are.equal(by_name, by_alias)
    assert.is_true(corpus:query():quotes_only():count() <= corpus:count())
  end)

  it("returns nil, a message and 'ambiguous' for a surname two speakers "
    .. "share", function()
    local db = assert(loupe.open(":memory:"))
    assert(db:add(page {
      "Spokesperson Anna Roe said: \"We saw the report on Monday.\"",
    }, { path = "a" }))
    assert(db:add(page {
      "Minister Karl Roe said: \"We will answer the letter this week.\"",
    }, { path = "b" }))
    local n, err, code = db:query():where { speaker = "Roe" }:count()
    assert.is_nil(n)
    assert.is_truthy(err:find("ambiguous", 1, true))
    assert.are.equal("ambiguous", code)
    assert.are.equal(1, db:query():where { speaker = "Anna Roe" }:count())
    -- the same from the lists that take a speaker; the iterators raise
    for name, f in pairs({
      utterances = function() return db:utterances { speaker = "Roe" } end,
      talking_points = function()
        return db:talking_points { speaker = "Roe" }
      end,
      group_by = function()
        return db:query():where { speaker = "Roe" }:group_by("year")
      end,
    }) do
      local rows, msg, rcode = f()
      assert.is_nil(rows, name)
      assert.are.equal(err, msg, name)
      assert.are.equal("ambiguous", rcode, name)
    end
    assert.error_matches(function()
      for _ in db:quotes { speaker = "Roe" } do end
    end, "is ambiguous", 1, true)
    db:close()
  end)

  it("lists entities by kind", function()
    local rows = assert(corpus:entities { kind = "place" })
    assert.is_true(#rows > 0)
    for _, r in ipairs(rows) do assert.are.equal("place", r.kind) end
    assert.error_matches(function() corpus:entities { knd = "place" } end,
      "unknown filter 'knd'", 1, true)
  end)
end)
