-- spec/query_spec.lua - query objects over a corpus: terms, phrases, NEAR,
-- analyst text that is never FTS5 syntax, raw FTS5 text, regex filters,
-- where (dates, outlet, credit, author, lang), order and paging, count,
-- group_by, kwic, ids, snippets, bound values, immutability, iterators
-- and their closing, and a hostile regex that must hit its limit. Most
-- checks run on the sample corpus (examples/corpus, ground truth in its
-- README.md); the rest on invented pages.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"

-- The talking point in all its variants (README: 11 pages).
local TP = "world.s largest source of cyber[- ]?attacks"
local TP_PAGES = { 3, 5, 7, 9, 11, 12, 13, 16, 18, 21, 23 }

-- Page numbers (the NN_ prefix of the file names) -> article ids and back.
local function page_numbers(c)
  local id_of, num_of = {}, {}
  for art in c:articles() do
    local n = tonumber(art.path:match("/(%d%d)_[^/]*$"))
    id_of[n], num_of[art.id] = art.id, n
  end
  return id_of, num_of
end

-- Sorted page numbers of the articles a query matches.
local function pages_of(q, num_of)
  local out = {}
  for _, id in ipairs(assert(q:ids())) do out[#out + 1] = num_of[id] end
  table.sort(out)
  return out
end

local function sorted(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = v end
  table.sort(out)
  return out
end

local function union(a, b)
  local seen, out = {}, {}
  for _, list in ipairs({ a, b }) do
    for _, v in ipairs(list) do
      if not seen[v] then
        seen[v] = true
        out[#out + 1] = v
      end
    end
  end
  table.sort(out)
  return out
end

-- group_by rows as a map; the key of undated or unattributed articles is
-- written "(none)".
local function group_map(rows)
  local m = {}
  for _, r in ipairs(rows) do
    local k = r.key == nil and "(none)" or r.key
    assert.is_nil(m[k], "key " .. tostring(k) .. " listed twice")
    assert.are.equal("integer", math.type(r.count))
    m[k] = r.count
  end
  return m
end

-- Build a corpus from the sample pages once for the read-only checks.
local function sample_corpus()
  local c = assert(loupe.open(":memory:"))
  local s = assert(c:ingest(h.corpus_glob))
  assert(s.added == h.CORPUS_PAGES, "sample corpus not fully ingested")
  return c
end

-- ---- invented pages -------------------------------------------------------

-- Two stories either side of a year boundary.
local YEAR_END = h.news_page {
  outlet = "Harrowgate Herald",
  title = "Year-end storm floods the quay at Harrowgate",
  date = "December 31, 2021 / 11:50 PM",
  year = "2021",
  paragraphs = {
    "A storm flooded the quay at Harrowgate just before midnight on "
      .. "Friday, the harbour master said, and the fireworks over the "
      .. "harbour were called off.",
    "Crews worked through the night to pump water out of the warehouses "
      .. "along the inner basin.",
  },
}

local NEW_YEAR = h.news_page {
  outlet = "Harrowgate Herald",
  title = "New year opens with calm seas at Harrowgate",
  date = "January 1, 2022 / 12:10 AM",
  paragraphs = {
    "The sea at Harrowgate was calm in the first minutes of the new year, "
      .. "the harbour master said, after the storm that flooded the quay.",
    "Crews said the warehouses along the inner basin would reopen on "
      .. "Monday once the pumps had done their work.",
  },
}

-- Accented text all round a keyword, for kwic widths in characters.
local ORSUND_PARAS = {
  "Die Behörde prüfte am Montag die Schäden in Ørsund, wo die Flut über "
    .. "Nacht die Lagerhäuser am Kai überschwemmt hatte, und bestätigte, "
    .. "dass niemand verletzt wurde.",
  "Laut Hafenmeisterin Åsa Lindqvist müssen die Fähren nach Ørsund noch "
    .. "zwei Tage lang im Nachbarhafen anlegen, bis die Kaimauer geprüft "
    .. "ist.",
  "Die Gemeinde öffnete die Turnhalle für Anwohner, deren Keller "
    .. "vollgelaufen waren.",
}
local ORSUND = h.news_page {
  outlet = "Nordküsten Rundschau",
  section = "Regionales",
  title = "Sturmflut überschwemmt Lagerhäuser in Ørsund",
  date = "14.02.2023 08:30",
  year = "2023",
  paragraphs = ORSUND_PARAS,
}

-- A witness statement with a long run of one letter: food for a
-- catastrophic pattern.
local SCREAM = h.news_page {
  outlet = "Harrowgate Herald",
  title = "Night-time scream at the harbour turns out to be a stuck siren",
  date = "June 8, 2022 / 6:00 AM",
  paragraphs = {
    "Residents of the harbour district called the police on Tuesday night "
      .. "after a noise one of them wrote down as " .. string.rep("a", 6000)
      .. "! went on for several minutes.",
    "Officers found that the fog siren on the north pier had jammed after "
      .. "a power cut, and a technician switched it off shortly after "
      .. "midnight.",
  },
}

-- =========================================================================

describe("queries on the sample corpus", function()
  local c, id_of, num_of

  lazy_setup(function()
    c = sample_corpus()
    id_of, num_of = page_numbers(c)
  end)

  lazy_teardown(function()
    c:close()
  end)

  local function pages(q) return pages_of(q, num_of) end

  describe("corpus:query text", function()
    it("finds the articles that hold a term", function()
      assert.are.same({ 16 }, pages(c:query("sheriff")))
    end)

    it("requires every word of the text (AND)", function()
      assert.are.same({ 7 }, pages(c:query("Dunai digital bully")))
      assert.are.same({ 14, 15 }, pages(c:query("Glass Heron fabricated")))
      assert.are.same({ 14, 15, 16 }, pages(c:query("Glass Heron drone")))
    end)

    it("ignores case and the position of the words", function()
      assert.are.same(pages(c:query("glass heron")),
        pages(c:query("HERON Glass")))
    end)

    it("matches an exact phrase with :phrase", function()
      assert.are.same({ 3, 9, 16, 18, 21 },
        pages(c:query():phrase("largest source of cyber attacks")))
      assert.are.same({}, pages(c:query():phrase("cyber largest attacks")))
    end)

    it("matches two terms within a distance with :near", function()
      assert.are.same({ 16 }, pages(c:query():near("cyber", "sheriff", 0)))
      assert.are.same({ 3, 9, 16, 18, 21 },
        pages(c:query():near("largest", "attacks", 3)))
      assert.are.same({}, pages(c:query():near("largest", "attacks", 2)))
    end)

    it("finds 'cyberattacks' and 'cyber attacks' through a regex",
      function()
        local joined = pages(c:query("cyberattacks"))
        local apart = pages(c:query():phrase("cyber attacks"))
        assert.are.same({ 5, 7, 9, 11, 12, 13, 23 }, joined)
        assert.are.same({ 3, 9, 16, 18, 21 }, apart)
        assert.are.same(union(joined, apart),
          pages(c:query():regex("cyber[- ]?attacks", "i")))
      end)

    it("finds the talking point on its 11 pages and not the near misses",
      function()
        local found = pages(c:query():regex(TP, "i"))
        assert.are.same(TP_PAGES, found)
        for _, miss in ipairs({ 10, 20 }) do
          for _, n in ipairs(found) do assert.are_not.equal(miss, n) end
        end
      end)

    it("takes a compiled loupe.regex as well as a pattern and flags",
      function()
        local re = assert(loupe.regex(TP, "i"))
        assert.are.same(TP_PAGES, pages(c:query():regex(re)))
        assert.are.equal(#TP_PAGES, c:query():regex(re):count())
      end)

    it("combines text, phrase and regex", function()
      local q = c:query("Varga"):phrase("largest source"):regex(TP, "i")
      assert.are.same({ 9, 11, 12, 13, 16 }, pages(q))
    end)
  end)

  describe("analyst text", function()
    local HOSTILE = {
      "U.S.", "cyber-attacks", "world's", "world’s", '"fabricated',
      "(Reuters)", "AND OR NOT NEAR", '"', "*", "Varga:", "col:umn",
      "NEAR(cyber sheriff, 0)", "^", "-", "a*b", "{x}", "'", '""',
      "()", "+", "Arvenia AND", "OR", "NOT Varga", "title:sheriff",
      "\\", "'; --", "a\"b\"c",
    }

    it("never raises or fails with an FTS5 syntax error", function()
      for _, text in ipairs(HOSTILE) do
        local n, msg, code = c:query(text):count()
        assert.are.equal("integer", math.type(n),
          ("%q: %s (%s)"):format(text, tostring(msg), tostring(code)))
        local rows = 0
        for _ in c:query(text):each() do rows = rows + 1 end
        assert.are.equal(n, rows, text)
      end
    end)

    it("reads dotted, hyphenated and quoted words as words", function()
      assert.are.same({ 7, 14, 15, 23 }, pages(c:query("U.S.")))
      assert.are.same(pages(c:query():phrase("cyber attacks")),
        pages(c:query("cyber-attacks")))
      assert.are.same(pages(c:query():phrase("fabricated from start")),
        pages(c:query('"fabricated from start"')))
      assert.are.same(pages(c:query("Reuters")), pages(c:query("(Reuters)")))
    end)

    it("reads OR, NEAR and a star as the search language; AND, NOT and "
      .. "lower-case or as words", function()
      local varga, brandt = pages(c:query("Varga")), pages(c:query("Brandt"))
      local either = pages(c:query("Varga OR Brandt"))
      assert.is_true(#either >= math.max(#varga, #brandt))
      assert.are.same(pages(c:query("varga brandt or")),
        pages(c:query("Varga brandt or", { literal = true })))
      assert.are.same(pages(c:query():near("cyber", "sheriff", 0)),
        pages(c:query("NEAR(cyber sheriff, 0)")))
      assert.are.same(varga, pages(c:query("Varg*")))
      assert.are.same({}, pages(c:query("Varg*", { literal = true })))
    end)

    it("gives a clear error, not FTS5's, for a malformed NEAR", function()
      for _, text in ipairs({ "NEAR(", "NEAR(cyber sheriff, x)",
                              "NEAR(cyber)", "-Varga" }) do
        local n, msg, code = c:query(text):count()
        assert.is_nil(n, text)
        assert.are.equal("syntax", code, text)
        assert.is_falsy(msg:find("fts5", 1, true), msg)
        assert.is_truthy(msg:find("^loupe: query: "), msg)
      end
    end)
  end)

  describe("raw FTS5 text", function()
    it("is read as FTS5 syntax with {raw = true}", function()
      local varga, brandt = pages(c:query("Varga")), pages(c:query("Brandt"))
      assert.are.same(union(varga, brandt),
        pages(c:query("Varga OR Brandt", { raw = true })))
      assert.are.same(varga, pages(c:query("Varg*", { raw = true })))
      assert.are.same({ 16 },
        pages(c:query("NEAR(cyber sheriff, 0)", { raw = true })))
    end)

    it("gives nil, a message and 'syntax' from count for bad syntax",
      function()
        for _, text in ipairs({ "AND OR", "Varga AND", "NOT Varga",
                                "(Varga", "NEAR(cyber sheriff" }) do
          local n, msg, code = c:query(text, { raw = true }):count()
          assert.is_nil(n, text)
          assert.are.equal("string", type(msg), text)
          assert.is_truthy(msg:find("^loupe: "), msg)
          assert.are.equal("syntax", code, text .. ": " .. msg)
        end
      end)

    it("gives 'syntax' for an unterminated string", function()
      local n, msg, code = c:query('"glass heron', { raw = true }):count()
      assert.is_nil(n)
      assert.are.equal("string", type(msg))
      assert.are.equal("syntax", code, msg)
    end)

    it("gives nil, a message and 'syntax' from group_by and ids too",
      function()
        for _, text in ipairs({ "AND OR", '"glass heron' }) do
          local q = c:query(text, { raw = true })
          for _, rows_of in ipairs({ q.ids, function(x)
            return x:group_by("year") end }) do
            local rows, msg, code = rows_of(q)
            assert.is_nil(rows, text)
            assert.is_truthy(msg:find("^loupe: "), msg)
            assert.are.equal("syntax", code, text .. ": " .. msg)
          end
        end
      end)

    it("raises inside the loop for bad syntax", function()
      for _, text in ipairs({ "AND OR", "Varga AND", '"glass heron' }) do
        local q = c:query(text, { raw = true })
        assert.error_matches(function()
          for _ in q:each() do end
        end, "loupe: ", 1, true)
      end
    end)
  end)

  describe("query:where", function()
    it("keeps dates from since on and up to until, both inclusive",
      function()
        assert.are.same({ 1, 2 }, pages(c:query():where { ["until"] = "2015" }))
        assert.are.same({ 14, 15, 16 },
          pages(c:query():where { since = "2021", ["until"] = "2021" }))
        assert.are.same({ 11, 12 }, pages(c:query():where {
          since = "2020-06-09", ["until"] = "2020-06-09" }))
        assert.are.same({ 13 }, pages(c:query():where {
          since = "2020-06-10", ["until"] = "2020-06" }))
        assert.are.same({ 22, 23, 24 },
          pages(c:query():where { since = "2024-10" }))
      end)

    it("matches outlets without regard to case, a list OR-ed", function()
      assert.are.same({ 12, 17, 23 },
        pages(c:query():where { outlet = "lindenport evening post" }))
      assert.are.same({ 14, 15, 22 }, pages(c:query():where {
        outlet = { "PACIFIC LEDGER", "Lakeshore Tribune" } }))
    end)

    it("matches credits, a list OR-ed", function()
      assert.are.same({ 14, 15, 22 },
        pages(c:query():where { credit = "reuters" }))
      assert.are.same({ 1, 3, 7, 10, 12, 13, 16, 17, 18, 23 },
        pages(c:query():where { credit = { "ANA", "Meridian" } }))
    end)

    it("matches authors but not editors", function()
      assert.are.same({ 8, 20 },
        pages(c:query():where { author = "rafael odum" }))
      assert.are.same({}, pages(c:query():where { author = "Karin Holm" }))
    end)

    it("matches the language", function()
      assert.are.same({ 10 }, pages(c:query():where { lang = "es" }))
      assert.are.equal(23, c:query():where { lang = "EN" }:count())
    end)

    it("ANDs different keys and combines with text", function()
      assert.are.same({ 12, 13 }, pages(c:query():where {
        credit = "ANA", since = "2020", ["until"] = "2020" }))
      assert.are.same({ 14, 15 },
        pages(c:query("Varga"):where { credit = "Reuters" }))
    end)

    it("raises on an unknown filter, naming it", function()
      assert.error_matches(function()
        c:query():where { outlett = "Pacific Ledger" }
      end, "bad argument #1 to 'where' (unknown filter 'outlett')", 1, true)
    end)

    it("raises on a value of the wrong type", function()
      assert.error_matches(function() c:query():where { since = 2021 } end,
        "bad argument #1 to 'where'", 1, true)
      assert.error_matches(function() c:query():where { outlet = 5 } end,
        "bad argument #1 to 'where'", 1, true)
      assert.error_matches(function() c:query():where "outlet" end,
        "bad argument #1 to 'where'", 1, true)
    end)
  end)

  describe("filter values", function()
    it("are as many as the caller gives: a list of 300 outlets filters "
      .. "like the one among them that the corpus holds", function()
        local outlet
        for hit in c:query():each() do
          outlet = outlet or hit.outlet
        end
        assert.is_string(outlet)
        local many = {}
        for i = 1, 300 do many[i] = "Outlet number " .. i end
        many[#many + 1] = outlet
        local want = c:query():where { outlet = outlet }:count()
        assert.is_true(want > 0)
        assert.are.equal(want, c:query():where { outlet = many }:count())
      end)

    it("beyond what SQLite binds in one statement: count gives nil, a "
      .. "message naming the limit and 'limit'", function()
        local many = {}
        -- more than any SQLite build binds (32,766 by default, 250,000 in
        -- Debian's): the values must not be cut or dropped silently
        for i = 1, 260000 do many[i] = "Outlet " .. i end
        local q = c:query():where { outlet = many }
        local n, msg, code = q:count()
        assert.is_nil(n)
        assert.are.equal("limit", code)
        assert.is_truthy(msg:find("^loupe: "), msg)
        assert.is_truthy(msg:find("over SQLite's limit of", 1, true), msg)
        assert.error_matches(function()
          for _ in q:each() do end
        end, "limit", 1, true)
      end)
  end)

  describe("order, limit and offset", function()
    local function dates(q)
      local out = {}
      for hit in q:each() do out[#out + 1] = hit.date or false end
      return out
    end

    it("orders by date, oldest first, undated last", function()
      local d = dates(c:query():order("date"))
      assert.are.equal(h.CORPUS_PAGES, #d)
      assert.is_false(d[#d])
      for i = 2, #d - 1 do
        assert.is_true(d[i - 1] <= d[i], d[i - 1] .. " > " .. d[i])
      end
    end)

    it("orders by date, newest first, with '-date'", function()
      local d = dates(c:query():order("-date"))
      assert.are.equal(h.CORPUS_PAGES, #d)
      assert.is_false(d[#d])
      for i = 2, #d - 1 do
        assert.is_true(d[i - 1] >= d[i], d[i - 1] .. " < " .. d[i])
      end
      assert.are.equal("2025-02-06", d[1]:sub(1, 10))
    end)

    it("orders by rank, best first, and uses rank by default with text",
      function()
        local ranks, ids = {}, {}
        for hit in c:query("Varga"):order("rank"):each() do
          assert.are.equal("number", type(hit.rank))
          ranks[#ranks + 1] = hit.rank
          ids[#ids + 1] = hit.id
        end
        assert.are.equal(8, #ranks)
        for i = 2, #ranks do assert.is_true(ranks[i - 1] <= ranks[i]) end
        assert.are.same(ids, c:query("Varga"):ids())
      end)

    it("pages through the hits with limit and offset", function()
      local all = c:query():order("date"):ids()
      assert.are.same({ all[3], all[4], all[5] },
        c:query():order("date"):limit(3):offset(2):ids())
      assert.are.same({}, c:query():order("date"):limit(0):ids())
      assert.are.same({ all[23], all[24] },
        c:query():order("date"):offset(22):ids())
      assert.are.equal(5, c:query():limit(5):count())
    end)

    it("gives every page of a query as the slice of its whole list",
      function()
        -- paged text queries take other plans (the search table alone in
        -- rank order, the date index in date order): same hits, ranks,
        -- counts, ids, kwic and quotes as the slice of the unpaged list
        local queries = {
          c:query("the"), c:query("Varga"), c:query("cyber attacks"),
          c:query("said"):where { since = "2019", ["until"] = "2023" },
          c:query("said"):where { credit = "Reuters" },
          c:query():phrase("largest source of cyber attacks"),
          c:query():regex("cyber[- ]?attacks", "i"), c:query(),
        }
        local cuts = { { 1, 0 }, { 3, 0 }, { 3, 2 }, { 5, 4 }, { 0, 0 },
                       { 2, 100 }, { 30, 1 } }
        local undated_seen = false
        for qi, base in ipairs(queries) do
          for _, order in ipairs({ "date", "-date", "rank" }) do
            local q = base:order(order)
            local all, rank_of = {}, {}
            for hit in q:each() do
              all[#all + 1] = hit.id
              rank_of[hit.id] = hit.rank
              if hit.date == nil then undated_seen = true end
            end
            for _, pg in ipairs(cuts) do
              local n, off = pg[1], pg[2]
              local what = ("query %d %s limit %d offset %d"):format(qi,
                order, n, off)
              local want = {}
              for i = off + 1, math.min(off + n, #all) do
                want[#want + 1] = all[i]
              end
              local pq = q:limit(n):offset(off)
              local got = {}
              for hit in pq:each() do
                got[#got + 1] = hit.id
                assert.are.equal(rank_of[hit.id], hit.rank, what)
              end
              assert.are.same(want, got, what)
              assert.are.same(want, pq:ids(), what)
              assert.are.equal(#want, pq:count(), what)
              local in_page = {}
              for _, id in ipairs(want) do in_page[id] = true end
              for k in pq:kwic("the") do
                assert.is_true(in_page[k.id], what)
              end
              local quoted, want_quoted = {}, {}
              for qt in pq:quotes() do quoted[qt.article_id] = true end
              for qt in q:quotes() do
                if in_page[qt.article_id] then
                  want_quoted[qt.article_id] = true
                end
              end
              assert.are.same(want_quoted, quoted, what)
            end
          end
        end
        assert.is_true(undated_seen)
      end)

    it("raises on an unknown order and a negative limit", function()
      assert.error_matches(function() c:query():order("newest") end,
        "bad argument #1 to 'order'", 1, true)
      assert.error_matches(function() c:query():limit(-1) end,
        "bad argument #1 to 'limit'", 1, true)
      assert.error_matches(function() c:query():offset(1.5) end,
        "bad argument #1 to 'offset'", 1, true)
    end)
  end)

  describe("query:count and query:ids", function()
    it("count gives the number of hits as an integer", function()
      local n = c:query("Arvenia"):count()
      assert.are.equal("integer", math.type(n))
      local rows = 0
      for _ in c:query("Arvenia"):each() do rows = rows + 1 end
      assert.are.equal(rows, n)
      assert.are.equal(h.CORPUS_PAGES, c:query():count())
    end)

    it("ids gives the integer ids in query order", function()
      local from_each = {}
      for hit in c:query():where { credit = "Reuters" }:order("-date"):each()
      do
        from_each[#from_each + 1] = hit.id
      end
      local ids = c:query():where { credit = "Reuters" }:order("-date"):ids()
      assert.are.same(from_each, ids)
      assert.are.same({ id_of[22], id_of[15], id_of[14] }, ids)
      for _, id in ipairs(ids) do
        assert.are.equal("integer", math.type(id))
      end
    end)
  end)

  describe("hits", function()
    it("carry the article fields", function()
      local hit
      for x in c:query():where { outlet = "Pacific Ledger",
                                 since = "2021", ["until"] = "2021" }:each()
      do
        hit = x
      end
      assert.are.equal(id_of[14], hit.id)
      assert.is_truthy(hit.path:find("14_pacific%-ledger"))
      assert.are.equal("U.S. intelligence chief says Arvenia-linked hackers "
        .. "breached defense suppliers", hit.title)
      assert.are.equal("2021-04-14", hit.date:sub(1, 10))
      assert.are.equal("string", type(hit.date_precision))
      assert.are.equal("WASHINGTON", hit.dateline)
      assert.are.equal("Reuters", hit.credit)
      assert.are.equal("Pacific Ledger", hit.outlet)
      assert.are.equal("en", hit.lang)
      assert.is_truthy(hit.body:find("^WASHINGTON, April 14 %(Reuters%) %- "))
      assert.is_nil(hit.rank)
      assert.is_nil(hit.snippet)
    end)

    it("carry authors and editors as lists of names", function()
      local hit = c:query():where { outlet = "Pacific Ledger",
                                    since = "2021", ["until"] = "2021" }
      for x in hit:each() do hit = x end
      assert.are.same({ "Colin Mayhew", "Priyanka Desai" }, hit.authors)
      assert.are.same({ "Tom Brenner", "Leslie Adler" }, hit.editors)
    end)

    it("carry rank, snippet and highlight holding the term with text",
      function()
        local hits = {}
        for hit in c:query("sheriff"):each() do hits[#hits + 1] = hit end
        assert.are.equal(1, #hits)
        local hit = hits[1]
        assert.are.equal("number", type(hit.rank))
        assert.is_truthy(hit.snippet:lower():find("[sheriff]", 1, true),
          hit.snippet)
        assert.is_truthy(hit.highlight:lower():find("[sheriff]", 1, true),
          hit.highlight)
        assert.are.equal(hit.title, (hit.highlight:gsub("[%[%]]", "")))
      end)
  end)

  describe("query:group_by", function()
    it("counts the articles per year, undated ones under no key", function()
      local rows = c:query():group_by("year")
      assert.are.same({
        ["2015"] = 2, ["2016"] = 2, ["2017"] = 2, ["2018"] = 2,
        ["2019"] = 2, ["2020"] = 3, ["2021"] = 3, ["2022"] = 1,
        ["2023"] = 2, ["2024"] = 2, ["2025"] = 2, ["(none)"] = 1,
      }, group_map(rows))
      -- keys in order, the undated group last
      for i = 2, #rows - 1 do assert.is_true(rows[i - 1].key < rows[i].key) end
      assert.is_nil(rows[#rows].key)
    end)

    it("counts the talking point per year", function()
      assert.are.same({
        ["2016"] = 1, ["2017"] = 1, ["2018"] = 1, ["2019"] = 1,
        ["2020"] = 3, ["2021"] = 1, ["2024"] = 1, ["2025"] = 1,
        ["(none)"] = 1,
      }, group_map(c:query():regex(TP, "i"):group_by("year")))
    end)

    it("counts the articles per month", function()
      local m = group_map(c:query():group_by("month"))
      assert.are.equal(3, m["2020-06"])
      assert.are.equal(3, m["2021-04"])
      assert.are.equal(1, m["2015-07"])
      assert.are.equal(1, m["2025-02"])
      local total = 0
      for k, n in pairs(m) do
        total = total + n
        if k ~= "(none)" then assert.is_truthy(k:match("^%d%d%d%d%-%d%d$")) end
      end
      assert.are.equal(h.CORPUS_PAGES, total)
    end)

    it("counts the articles per day", function()
      local m = group_map(c:query():where { since = "2020-06",
        ["until"] = "2020-06" }:group_by("day"))
      assert.are.same({ ["2020-06-09"] = 2, ["2020-06-10"] = 1 }, m)
    end)

    it("counts the articles per outlet as the parser names them", function()
      local want = {}
      local files = h.sh("ls " .. h.shq(h.corpus_dir) .. "*/*.txt")
      for name in files:gmatch("[^\n]+") do
        local art = assert(loupe.parse_file(name))
        local k = art.outlet or "(none)"
        want[k] = (want[k] or 0) + 1
      end
      local got = group_map(c:query():group_by("outlet"))
      assert.are.same(want, got)
      -- the README's outlets
      assert.are.equal(3, got["Lindenport Evening Post"])
      assert.are.equal(3, got["Eastland Times Online"])
      assert.are.equal(2, got["Pacific Ledger"])
      assert.are.equal(2, got["Harbour Daily"])
      assert.are.equal(2, got["Westvale Courier"])
      assert.are.equal(2, got["Arvenia Review"])
      assert.are.equal(2, got["Bitline Media"])
      assert.are.equal(1, got["Lakeshore Tribune"])
      assert.are.equal(1, got["Coastal Freight Review"])
    end)

    it("counts the articles per credit", function()
      assert.are.same({
        ANA = 7, ["Arvenia News Agency"] = 2, Meridian = 3, Reuters = 3,
        ["(none)"] = 9,
      }, group_map(c:query():group_by("credit")))
    end)

    it("counts only what the query matches", function()
      assert.are.same({ ["Pacific Ledger"] = 1, ["Lakeshore Tribune"] = 1 },
        group_map(c:query("Glass Heron"):where { credit = "Reuters" }
          :group_by("outlet")))
    end)

    it("raises on an unknown key", function()
      assert.error_matches(function() c:query():group_by("fortnight") end,
        "bad argument #1 to 'group_by'", 1, true)
    end)
  end)

  describe("query:kwic", function()
    local function flat_body(id)
      return (c:get(id).body:gsub("\n", " "))
    end

    it("gives every occurrence of a literal term, case-insensitive, with "
      .. "its context", function()
      local rows = {}
      for k in c:query():where { credit = "Reuters" }:kwic("glass heron", 20)
      do
        rows[#rows + 1] = k
      end
      -- pages 14 and 15 name Glass Heron twice each; page 22 not at all
      assert.are.equal(4, #rows)
      for _, k in ipairs(rows) do
        assert.are.equal("Glass Heron", k.match)
        assert.is_true(utf8.len(k.left) <= 20 and utf8.len(k.right) <= 20)
        assert.are.equal(20, utf8.len(k.left))
        assert.is_truthy(flat_body(k.id):find(k.left .. k.match .. k.right, 1,
          true))
        assert.is_true(k.id == id_of[14] or k.id == id_of[15])
        assert.are.equal(c:get(k.id).date, k.date)
      end
    end)

    it("takes a loupe.regex as the term", function()
      local re = assert(loupe.regex("cyber[- ]?attacks", "i"))
      local seen = {}
      for k in c:query():regex(TP, "i"):kwic(re, 15) do
        assert.is_truthy(k.match:match("^[Cc]yber[- ]?attacks$"), k.match)
        assert.is_true(utf8.len(k.left) <= 15)
        assert.is_truthy(flat_body(k.id):find(k.left .. k.match .. k.right, 1,
          true))
        seen[num_of[k.id]] = true
      end
      local got = {}
      for n in pairs(seen) do got[#got + 1] = n end
      assert.are.same(TP_PAGES, sorted(got))
    end)

    it("returns iter, state, control and a closing cursor", function()
      local it_, state, control, closer = c:query():kwic("Varga")
      assert.are.equal("function", type(it_))
      assert.is_nil(state)
      assert.is_nil(control)
      assert.is_false(closer:is_closed())
      local first = it_(state, control)
      assert.are.equal("string", type(first.match))
      closer:close()
      assert.is_true(closer:is_closed())
    end)

    it("raises on a missing term and a bad width", function()
      assert.error_matches(function() c:query():kwic(nil) end,
        "bad argument #1 to 'kwic'", 1, true)
      assert.error_matches(function() c:query():kwic("Varga", 0) end,
        "bad argument #2 to 'kwic'", 1, true)
    end)
  end)

  describe("values from the analyst", function()
    local EVIL = "'; DROP TABLE articles; --"

    it("are bound, not spliced into SQL", function()
      for _, key in ipairs({ "outlet", "credit", "author", "lang" }) do
        assert.are.equal(0, c:query():where { [key] = EVIL }:count(), key)
        assert.are.equal(0, c:query():where {
          [key] = "x' OR '1'='1" }:count(), key)
      end
      assert.are.equal("integer", math.type(c:query(EVIL):count()))
      assert.are.equal(0, c:query():phrase(EVIL):count())
      for _ in c:query():kwic(EVIL) do error("kwic found " .. EVIL) end
      assert.are.equal(h.CORPUS_PAGES, c:count())
      assert.are.equal(h.CORPUS_PAGES, c:query():count())
    end)
  end)

  describe("a query", function()
    it("is not changed by refining it", function()
      local q = c:query("Varga")
      local ids = q:ids()
      local refined = {
        q:where { credit = "Reuters" }, q:phrase("cyber sheriff"),
        q:near("Varga", "sheriff", 1), q:regex("Glass Heron"),
        q:order("-date"), q:limit(1), q:offset(5),
      }
      for _, r in ipairs(refined) do assert.are_not.same(ids, r:ids()) end
      assert.are.same(ids, q:ids())
      assert.are.equal(8, q:count())
    end)

    it("is not changed when the caller later edits a list it was given",
      function()
        local outlets = { "Pacific Ledger" }
        local q = c:query():where { outlet = outlets }
        assert.are.equal(2, q:count())
        outlets[2] = "Lakeshore Tribune"
        assert.are.equal(2, q:count())
      end)

    it("gives refinements of one base that do not see each other",
      function()
        local base = c:query():phrase("cyber attacks")
        local bully = base:phrase("digital bully")
        local sheriff = base:phrase("sheriff")
        assert.are.same({}, pages(bully))
        assert.are.same({ 16 }, pages(sheriff))
        local a = base:where { outlet = "Lindenport Evening Post" }
        local b = base:where { since = "2021" }
        assert.are.same({}, pages(a))
        assert.are.same({ 16, 21 }, pages(b))
      end)
  end)
end)

-- =========================================================================

describe("date bounds at a year boundary", function()
  local c

  before_each(function()
    c = assert(loupe.open(":memory:"))
    assert(c:add(YEAR_END))
    assert(c:add(NEW_YEAR))
  end)

  after_each(function()
    c:close()
  end)

  local function titles(filter)
    local out = {}
    for hit in c:query():where(filter):order("date"):each() do
      out[#out + 1] = hit.title:match("^(%S+)")
    end
    return out
  end

  it("reads until as inclusive at its precision", function()
    assert.are.same({ "Year-end" }, titles { ["until"] = "2021" })
    assert.are.same({ "Year-end" }, titles { ["until"] = "2021-12" })
    assert.are.same({ "Year-end" }, titles { ["until"] = "2021-12-31" })
    assert.are.same({ "Year-end", "New" }, titles { ["until"] = "2022" })
  end)

  it("reads since as inclusive at its precision", function()
    assert.are.same({ "New" }, titles { since = "2022" })
    assert.are.same({ "New" }, titles { since = "2022-01-01" })
    assert.are.same({ "Year-end", "New" }, titles { since = "2021-12-31" })
    assert.are.same({}, titles { since = "2022-01-02" })
  end)
end)

describe("kwic on accented text", function()
  local c

  before_each(function()
    c = assert(loupe.open(":memory:"))
    assert(c:add(ORSUND))
  end)

  after_each(function()
    c:close()
  end)

  it("counts the width in characters and keeps UTF-8 whole", function()
    local rows = {}
    for k in c:query():kwic("ørsund", 12) do rows[#rows + 1] = k end
    assert.are.equal(2, #rows)
    local body = table.concat(ORSUND_PARAS, " ")
    for _, k in ipairs(rows) do
      assert.are.equal("Ørsund", k.match)
      assert.are.equal(12, utf8.len(k.left), k.left)
      assert.are.equal(12, utf8.len(k.right), k.right)
      assert.is_truthy(body:find(k.left .. k.match .. k.right, 1, true))
    end
    assert.are.equal("Schäden in ", rows[1].left:sub(-12))
  end)

  it("gives a shorter left side at the start of the body", function()
    local rows = {}
    for k in c:query():kwic("Die Behörde", 10) do rows[#rows + 1] = k end
    assert.are.equal(1, #rows)
    assert.are.equal("", rows[1].left)
    assert.are.equal(" prüfte am", rows[1].right)
  end)
end)

describe("query iterators", function()
  local c

  before_each(function()
    c = assert(loupe.open(":memory:"))
    for _, page in ipairs({ YEAR_END, NEW_YEAR, ORSUND }) do
      assert(c:add(page))
    end
  end)

  after_each(function()
    if c then c:close() end
  end)

  it("work in a for loop over all hits", function()
    local n = 0
    for hit in c:query():each() do
      n = n + 1
      assert.are.equal("integer", math.type(hit.id))
    end
    assert.are.equal(3, n)
  end)

  it("close their cursor when exhausted", function()
    local it_, s, ctl, cursor = c:query():each()
    for _ in it_, s, ctl, cursor do end -- luacheck: ignore 512
    assert.is_true(cursor:is_closed())
  end)

  it("let the corpus close after a break", function()
    local it_, s, ctl, cursor = c:query():each()
    for _ in it_, s, ctl, cursor do break end -- luacheck: ignore 512
    assert.is_true(cursor:is_closed())
    c:close()
    assert.is_true(c:is_closed())
  end)

  it("may be dropped half-way and collected", function()
    do
      local it_ = c:query():each()
      assert.are.equal("table", type(it_()))
    end
    collectgarbage()
    collectgarbage()
    assert.are.equal(3, c:query():count())
    c:close()
    assert.is_true(c:is_closed())
  end)

  it("close their cursor as a <close> variable", function()
    local outer
    do
      local it_, _, _, cursor = c:query():each()
      local cur <close> = cursor
      outer = cur
      assert.are.equal("table", type(it_()))
      assert.is_false(cur:is_closed())
    end
    assert.is_true(outer:is_closed())
  end)

  it("close their cursor when the loop body raises", function()
    local it_, s, ctl, cursor = c:query():each()
    local ok, err = pcall(function()
      for _ in it_, s, ctl, cursor do error("analyst bug") end
    end)
    assert.is_false(ok)
    assert.is_truthy(tostring(err):find("analyst bug", 1, true))
    assert.is_true(cursor:is_closed())
    c:close()
    assert.is_true(c:is_closed())
  end)

  it("raise 'closed' when continued after corpus:close()", function()
    local it_ = c:query():each()
    assert.are.equal("table", type(it_()))
    c:close()
    assert.error_matches(function() it_() end, "closed", 1, true)
  end)

  it("raise 'closed' for a kwic iterator continued after close", function()
    local it_ = c:query():kwic("harbour")
    assert.are.equal("table", type(it_()))
    c:close()
    assert.error_matches(function() it_() end, "closed", 1, true)
  end)

  it("raise 'attempt to use a closed cursor' after the cursor's close",
    function()
      local it_, _, _, cursor = c:query():each()
      assert.are.equal("table", type(it_()))
      cursor:close()
      cursor:close()
      assert.is_true(cursor:is_closed())
      assert.error_matches(function() it_() end,
        "attempt to use a closed cursor", 1, true)
    end)

  it("keep their corpus alive while they run", function()
    local function corpus()
      local x = assert(loupe.open(":memory:"))
      for _, page in ipairs({ YEAR_END, NEW_YEAR, ORSUND }) do
        assert(x:add(page))
      end
      return x
    end
    local n = 0
    for hit in corpus():query():order("date"):each() do
      collectgarbage()
      collectgarbage()
      n = n + 1
      assert.are.equal("integer", math.type(hit.id))
    end
    assert.are.equal(3, n)
  end)

  it("raise 'attempt to use a closed corpus' for a query made before close",
    function()
      local q = c:query("storm")
      c:close()
      for _, fn in ipairs({
        function() return q:count() end, function() return q:each() end,
        function() return q:ids() end,
        function() return q:group_by("year") end,
        function() return q:kwic("storm") end,
      }) do
        assert.error_matches(fn, "attempt to use a closed corpus", 1, true)
      end
    end)
end)

describe("a hostile regex in a query", function()
  local c

  before_each(function()
    c = assert(loupe.open(":memory:"))
    assert(c:add(YEAR_END))
    assert(c:add(SCREAM))
  end)

  after_each(function()
    c:close()
  end)

  local function names_limit(msg)
    return msg:find("match_limit", 1, true) or msg:find("depth_limit", 1, true)
      or msg:find("heap_limit", 1, true)
  end

  it("stops at the limit: count gives nil, a message and 'limit' within "
    .. "a second", function()
    local t0 = os.clock()
    local n, msg, code = c:query():regex("(a+)+$"):count()
    assert.is_true(os.clock() - t0 < 1, "took " .. (os.clock() - t0) .. " s")
    assert.is_nil(n)
    assert.are.equal("limit", code)
    assert.is_truthy(msg:find("^loupe: "), msg)
    assert.is_truthy(names_limit(msg), msg)
  end)

  it("gives the same nil, message and 'limit' from every aggregate "
    .. "(group_by and ids too: a list is never cut short)", function()
    local q = c:query():regex("(a+)+$")
    local _, cmsg = q:count()
    for name, f in pairs({
      group_by = function() return q:group_by("year") end,
      ids = function() return q:ids() end,
    }) do
      local rows, msg, code = f()
      assert.is_nil(rows, name)
      assert.are.equal("limit", code, name)
      assert.are.equal(cmsg, msg, name)
    end
  end)

  it("raises inside the loop naming the limit", function()
    local t0 = os.clock()
    local ok, err = pcall(function()
      for _ in c:query():regex("(a+)+$"):each() do end
    end)
    assert.is_true(os.clock() - t0 < 1)
    assert.is_false(ok)
    assert.is_truthy(names_limit(tostring(err)), err)
    -- the corpus is still usable
    assert.are.equal(2, c:count())
    assert.are.equal(1, c:query():regex("siren"):count())
  end)

  it("raises inside a kwic loop naming the limit", function()
    local re = assert(loupe.regex("(a+)+$"))
    local ok, err = pcall(function()
      for _ in c:query():kwic(re) do end
    end)
    assert.is_false(ok)
    assert.is_truthy(names_limit(tostring(err)), err)
  end)

  it("gives nil, a message with the offset and 'syntax' for a bad pattern",
    function()
      local n, msg, code = c:query():regex("(storm"):count()
      assert.is_nil(n)
      assert.are.equal("syntax", code)
      assert.is_truthy(msg:find("offset %d+"), msg)
    end)
end)
