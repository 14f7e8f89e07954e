-- spec/clusters_spec.lua - republication clusters (near-duplicate copies
-- of one wire story), collapse and cluster counts in queries, talking
-- points and utterances, on invented pages built here.
local h = dofile(debug.getinfo(1, "S").source:match("^@(.*[/\\])")
  .. "helpers.lua")
local loupe = require "loupe"

-- An invented page: menu, headline, date line, paragraphs, footer.
local function page(p)
  return table.concat({
    p.menu, "",
    p.title, "",
    "Updated: " .. p.date, "",
    table.concat(p.paras, "\n\n"), "",
    p.footer,
  }, "\n")
end

local function copy(t)
  local r = {}
  for k, v in ipairs(t) do r[k] = v end
  return r
end

-- The wire story: eight invented paragraphs credited (ANA).
local LEAD = "VELMORA, March 4 (ANA) - The port of Velmora reopened two of "
  .. "its five container terminals on Thursday after a winter storm tore "
  .. "roofs from warehouses and left cranes stranded for nearly a week, "
  .. "the harbour authority said."
local QUOTE = "\"We expect to restore full service at every terminal by "
  .. "Friday evening,\" said Elena Marsh, director of the harbour "
  .. "authority."
local QUOTE_ALTERED = "\"We expect to restore normal service at every "
  .. "terminal by Friday evening,\" said Elena Marsh, director of the "
  .. "harbour authority."
local DROPPED = "Shipping lines had diverted at least forty vessels to the "
  .. "smaller northern harbour at Kessig, where queues of lorries stretched "
  .. "along the coast road for several kilometres on Wednesday."
local WIRE = {
  LEAD,
  QUOTE,
  "Engineers spent the weekend inspecting the quay walls, which were "
    .. "built in the nineteen sixties and have not been fully repaired "
    .. "since an earlier flood damaged their foundations.",
  DROPPED,
  "Exporters of timber and frozen fish said the closure had cost them "
    .. "contracts with buyers abroad, and a trade association asked the "
    .. "regional council for emergency loans to cover the losses.",
  "The council said it would consider the request at its next sitting "
    .. "and promised to publish an estimate of the total damage before the "
    .. "end of the month.",
  "Meteorologists warned that another band of strong winds could reach "
    .. "the coast early next week, although they expected it to be weaker "
    .. "than the storm that closed the port.",
  "Dock workers returned to the reopened terminals on Thursday morning "
    .. "and the first container ship, carrying machinery and grain, was "
    .. "unloaded by early afternoon.",
}
local WIRE_TITLE = "Port of Velmora reopens after storm damage"

local OUTLETS = {
  { menu = "Home | News | Harbours | Weather",
    footer = "Copyright 2021 © The Coastal Gazette. All rights reserved." },
  { menu = "Front page | Region | Economy | Sport | Opinion",
    footer = "© 2021 Northern Ledger Media. All rights reserved." },
  { menu = "Start | Business | Markets | Shipping | Contact us",
    footer = "Copyright © 2021 Trade Daily Herald. All rights reserved." },
  { menu = "Home | Local | World | Culture",
    footer = "Copyright 2021 © The Valley Courier. All rights reserved." },
}

local function wire_pages()
  -- the agency's own page: the origin, earliest dated
  local wire = { menu = "ANA | Latest | Photos | Services",
    title = WIRE_TITLE, date = "2021-03-04 09:15", paras = copy(WIRE),
    footer = "Copyright 2021 © Adriatic News Agency. All rights reserved." }
  -- copy 1: new headline, drops a paragraph
  local c1 = copy(WIRE)
  table.remove(c1, 4)
  -- copy 2: same headline, adds a sentence to the last paragraph
  local c2 = copy(WIRE)
  c2[8] = c2[8] .. " Port officials said overtime would be paid to the "
    .. "crews."
  -- copy 3: a changed lead and a reworded quote
  local c3 = copy(WIRE)
  c3[1] = "VELMORA, March 4 (ANA) - Velmora's port reopened two of its five "
    .. "container terminals on Thursday after a winter storm tore roofs "
    .. "from warehouses and left cranes stranded for almost a week, the "
    .. "harbour authority said."
  c3[2] = QUOTE_ALTERED
  return {
    { path = "wire.txt", text = page(wire) },
    { path = "gazette.txt", text = page { menu = OUTLETS[1].menu,
      title = "Storm-hit Velmora port back in business",
      date = "2021-03-04 14:40", paras = c1, footer = OUTLETS[1].footer } },
    { path = "ledger.txt", text = page { menu = OUTLETS[2].menu,
      title = WIRE_TITLE, date = "2021-03-05 07:05", paras = c2,
      footer = OUTLETS[2].footer } },
    { path = "herald.txt", text = page { menu = OUTLETS[3].menu,
      title = "Velmora terminals reopen, full service promised by Friday",
      date = "2021-03-05 11:30", paras = c3, footer = OUTLETS[3].footer } },
  }
end

local UNRELATED = {
  { path = "library.txt", text = page { menu = OUTLETS[4].menu,
    title = "City library extends opening hours", date = "2021-03-06 10:00",
    paras = {
      "The city library in Orvane will stay open until nine in the "
        .. "evening from next month, after readers asked for more time to "
        .. "use its study rooms and its small archive of local newspapers.",
      "The library's director said two more librarians would be hired and "
        .. "that the children's section would hold reading mornings on "
        .. "Saturdays throughout the spring.",
    }, footer = OUTLETS[4].footer } },
  { path = "orchard.txt", text = page { menu = OUTLETS[2].menu,
    title = "Frost threatens apple harvest in the hills",
    date = "2021-04-12 08:30", paras = {
      "Growers in the Tarn hills lit small fires between the rows of "
        .. "their orchards overnight as temperatures fell well below "
        .. "freezing just as the apple trees came into blossom.",
      "A cooperative of farmers said it was too early to know how much of "
        .. "the crop had been lost, but that the worst damage was in low "
        .. "valleys where the cold air settles.",
      "Farmers hope that warmer weather forecast for the weekend will "
        .. "save most of the blossom in the upper orchards.",
    }, footer = OUTLETS[2].footer } },
}

-- The talking point, said by two invented spokespersons in separate
-- articles in 2019, 2020 and 2021, with spelling variants.
local TALK = {
  { path = "tp2019.txt", date = "2019-06-11 16:00", outlet = 1,
    title = "Ministry rejects hacking report",
    paras = {
      "Foreign ministry spokesperson Idris Kalvo on Tuesday dismissed a "
        .. "report by a private security firm that blamed state hackers "
        .. "for the breach of a regional energy company.",
      "\"The U.S. is the world's largest source of cyber attacks and has "
        .. "no standing to accuse anyone,\" said Kalvo.",
      "He said the ministry had not been shown any technical evidence "
        .. "and would not comment further on the matter.",
    } },
  { path = "tp2020.txt", date = "2020-09-02 11:20", outlet = 2,
    title = "Spokeswoman answers questions on data rules",
    paras = {
      "At the regular briefing on Wednesday, spokeswoman Sena Ormund "
        .. "answered questions about new data rules and a dispute over "
        .. "fishing quotas in the northern sea.",
      "Asked about accusations of espionage, Ormund said: \"The US is the "
        .. "world's largest source of cyberattacks, and everyone knows "
        .. "it.\"",
      "She added that the fishing talks would resume next month in the "
        .. "capital with delegations from both governments.",
    } },
  { path = "tp2021.txt", date = "2021-11-23 15:45", outlet = 3,
    title = "Ministry says claims of espionage are groundless",
    paras = {
      "Idris Kalvo, spokesperson of the foreign ministry, told reporters "
        .. "on Tuesday that claims published by a newspaper in the west "
        .. "were groundless and politically motivated.",
      "\"The U.S. is the world's largest source of cyberattacks,\" Kalvo "
        .. "said, adding that his government opposed all forms of hacking.",
      "The ministry also announced a visit by the trade minister to three "
        .. "neighbouring countries in December.",
    } },
}

local function talk_pages()
  local out = {}
  for i, t in ipairs(TALK) do
    local o = OUTLETS[t.outlet]
    out[i] = { path = t.path, text = page { menu = o.menu, title = t.title,
      date = t.date, paras = t.paras, footer = o.footer } }
  end
  return out
end

local function all_pages()
  local list = {}
  for _, group in ipairs { wire_pages(), UNRELATED, talk_pages() } do
    for _, p in ipairs(group) do list[#list + 1] = p end
  end
  return list
end

-- A corpus in a temp file holding the given pages; ids by path.
local tmpfiles = {}
local function build(pages, opts)
  local path = os.tmpname()
  os.remove(path)
  tmpfiles[#tmpfiles + 1] = path
  local c = assert(loupe.open(path, opts))
  local ids = {}
  for _, p in ipairs(pages) do
    local status, id = c:add(p.text, { path = p.path })
    assert(status, id)
    ids[p.path] = id
  end
  return c, ids, path
end

local function cluster_of(c, id)
  for hit in c:query():each() do
    if hit.id == id then return hit.cluster end
  end
end

local function all_clusters(c, filter)
  local list = {}
  for cl in c:clusters(filter) do list[#list + 1] = cl end
  return list
end

local function member(cl, id)
  for _, m in ipairs(cl.members) do
    if m.id == id then return m end
  end
end

local COPIES = { "wire.txt", "gazette.txt", "ledger.txt", "herald.txt" }
local OTHERS = { "library.txt", "orchard.txt", "tp2019.txt", "tp2020.txt",
                 "tp2021.txt" }

teardown(function()
  for _, p in ipairs(tmpfiles) do
    os.remove(p)
    os.remove(p .. "-wal")
    os.remove(p .. "-shm")
  end
end)

describe("republication clusters", function()
  local c, ids

  setup(function()
    c, ids = build(all_pages(), { cluster_threshold = 0.8,
                                  clustering = true })
  end)

  teardown(function() c:close() end)

  it("puts the wire story and its three copies in one cluster", function()
    local cl = cluster_of(c, ids["wire.txt"])
    assert.is_not_nil(cl)
    for _, p in ipairs(COPIES) do
      assert.are.equal(cl, cluster_of(c, ids[p]), p)
    end
  end)

  it("leaves the unrelated articles in no cluster", function()
    for _, p in ipairs(OTHERS) do
      assert.is_nil(cluster_of(c, ids[p]), p)
    end
  end)

  it("lists one cluster of four members, its origin the earliest dated",
    function()
      local list = all_clusters(c)
      assert.are.equal(1, #list)
      local cl = list[1]
      assert.are.equal(4, #cl.members)
      assert.are.equal(ids["wire.txt"], cl.origin_id)
      assert.are.equal(ids["wire.txt"], cl.origin.id)
      assert.are.equal("Adriatic News Agency", cl.origin.outlet)
      assert.are.equal(cluster_of(c, ids["wire.txt"]), cl.id)
      for _, m in ipairs(cl.members) do
        assert.is_true(m.date >= cl.origin.date)
        assert.is_truthy(m.outlet)
        assert.are.equal("ANA", m.credit)
      end
    end)

  it("gives similarities in (0.8, 1]", function()
    local cl = all_clusters(c)[1]
    for _, m in ipairs(cl.members) do
      assert.is_number(m.similarity)
      assert.is_true(m.similarity > 0.8 and m.similarity <= 1,
        tostring(m.similarity))
    end
    assert.are.equal(1, member(cl, ids["wire.txt"]).similarity)
    assert.is_true(member(cl, ids["ledger.txt"]).similarity < 1)
  end)

  it("says what each copy changed", function()
    local cl = all_clusters(c)[1]
    local origin = member(cl, ids["wire.txt"]).changed
    assert.is_false(origin.headline)
    assert.are.same({}, origin.added)
    assert.are.same({}, origin.dropped)
    assert.are.same({}, origin.edited)

    local gazette = member(cl, ids["gazette.txt"]).changed
    assert.is_true(gazette.headline)
    assert.are.same({ DROPPED }, gazette.dropped)
    assert.are.same({}, gazette.added)
    assert.are.same({}, gazette.edited)

    local ledger = member(cl, ids["ledger.txt"]).changed
    assert.is_false(ledger.headline)
    assert.are.same({}, ledger.dropped)
    assert.are.equal(1, #ledger.edited)
    assert.are.equal(WIRE[8], ledger.edited[1].from)
    assert.is_truthy(ledger.edited[1].to:find("overtime", 1, true))

    local herald = member(cl, ids["herald.txt"]).changed
    assert.is_true(herald.headline)
    assert.are.same({}, herald.dropped)
    assert.are.equal(2, #herald.edited)
    assert.are.equal(LEAD, herald.edited[1].from)
    assert.is_truthy(herald.edited[1].to:find("Velmora's port", 1, true))
  end)

  it("filters clusters by the origin's date and size", function()
    assert.are.equal(1, #all_clusters(c, { since = "2021-03-04" }))
    assert.are.equal(0, #all_clusters(c, { since = "2021-03-05" }))
    assert.are.equal(1, #all_clusters(c, { ["until"] = "2021-03-04" }))
    assert.are.equal(0, #all_clusters(c, { ["until"] = "2021-03-03" }))
    assert.are.equal(1, #all_clusters(c, { min_size = 4 }))
    assert.are.equal(0, #all_clusters(c, { min_size = 5 }))
  end)

  it("collapse() gives one hit per cluster", function()
    assert.are.equal(4, c:query("Velmora"):count())
    local n, hit_id = 0, nil
    for hit in c:query("Velmora"):collapse():each() do
      n = n + 1
      hit_id = hit.id
    end
    assert.are.equal(1, n)
    assert.are.equal(ids["wire.txt"], hit_id)
    assert.are.equal(9, c:query():count())
    assert.are.equal(6, c:query():collapse():count())
  end)

  it("group_by counts clusters with { clusters = true }", function()
    local function by_key(rows)
      local t = {}
      for _, r in ipairs(rows) do t[tostring(r.key)] = r.count end
      return t
    end
    local plain = by_key(assert(c:query():group_by("year")))
    assert.are.same({ ["2019"] = 1, ["2020"] = 1, ["2021"] = 7 }, plain)
    local cl = by_key(assert(c:query():group_by("year", { clusters = true })))
    assert.are.same({ ["2019"] = 1, ["2020"] = 1, ["2021"] = 4 }, cl)
  end)

  it("keeps cluster ids stable when the same pages are ingested again",
    function()
      local before = {}
      for p, id in pairs(ids) do before[p] = cluster_of(c, id) end
      for _, p in ipairs(all_pages()) do
        local status, id = c:add(p.text, { path = p.path })
        assert.are.equal("unchanged", status)
        assert.are.equal(ids[p.path], id)
      end
      for p, id in pairs(ids) do
        assert.are.equal(before[p], cluster_of(c, id), p)
      end
      assert.are.equal(1, #all_clusters(c))
    end)

  it("keeps the cluster when a copy is updated under its path", function()
    local pages = wire_pages()
    local cl = cluster_of(c, ids["wire.txt"])
    local text = pages[3].text:gsub("Dock workers", "Dockers")
    local status, id = c:add(text, { path = "ledger.txt" })
    assert.are.equal("updated", status)
    assert.are.equal(ids["ledger.txt"], id)
    assert.are.equal(cl, cluster_of(c, id))
    assert.are.equal(4, #all_clusters(c)[1].members)
    assert.is_nil(cluster_of(c, ids["library.txt"]))
  end)
end)

describe("cluster options", function()
  it("a threshold of 0.99 splits a copy with reworded paragraphs",
    function()
      -- herald.txt rewrites the lead and a quote: a fifth of its text is
      -- not in the wire story; gazette.txt (a paragraph dropped) and
      -- ledger.txt (a sentence added) contain or are contained whole, so
      -- at 0.99 they may stay, within the estimate's error
      local c, ids = build(all_pages(), { cluster_threshold = 0.99 })
      local wire = cluster_of(c, ids["wire.txt"])
      local cl = cluster_of(c, ids["herald.txt"])
      assert.is_true(cl == nil or cl ~= wire)
      for _, p in ipairs(OTHERS) do assert.is_nil(cluster_of(c, ids[p]), p) end
      c:close()
    end)

  it("joins a shortened copy that keeps the first half of the story",
    function()
      local pages = wire_pages()
      local half = {}
      for k = 1, 4 do half[k] = WIRE[k] end
      local c, ids = build({ pages[1], UNRELATED[1], { path = "brief.txt",
        text = page { menu = OUTLETS[4].menu, title = "Velmora port reopens",
          date = "2021-03-04 18:00", paras = half,
          footer = OUTLETS[4].footer } } })
      local cl = cluster_of(c, ids["wire.txt"])
      assert.is_not_nil(cl)
      assert.are.equal(cl, cluster_of(c, ids["brief.txt"]))
      assert.is_nil(cluster_of(c, ids["library.txt"]))
      local m = member(all_clusters(c)[1], ids["brief.txt"])
      assert.is_true(m.similarity >= 0.8 and m.similarity <= 1)
      c:close()
    end)

  it("a copy of the body under another masthead joins at 0.99", function()
    local pages = wire_pages()
    local c, ids = build({ pages[1], { path = "mirror.txt",
      text = page { menu = OUTLETS[2].menu, title = WIRE_TITLE,
        date = "2021-03-04 09:15", paras = copy(WIRE),
        footer = OUTLETS[2].footer } } }, { cluster_threshold = 0.99 })
    assert.are_not.equal(ids["wire.txt"], ids["mirror.txt"])
    assert.is_not_nil(cluster_of(c, ids["wire.txt"]))
    assert.are.equal(cluster_of(c, ids["wire.txt"]),
      cluster_of(c, ids["mirror.txt"]))
    c:close()
  end)

  it("an exact copy under another path is the same article, not a member",
    function()
      local pages = wire_pages()
      local c, ids = build({ pages[1], { path = "mirror.txt",
        text = pages[1].text:gsub("\n", "\r\n") } })
      assert.are.equal(ids["wire.txt"], ids["mirror.txt"])
      assert.are.equal(1, c:count())
      assert.are.same({}, all_clusters(c))
      c:close()
    end)

  local it_sql = h.sqlite3_cli() and it or pending
  it_sql("a schema 1 corpus is migrated on a writable open and clustered "
    .. "again; a read-only open reads it and names the fix", function()
    local c, ids, path = build(all_pages())
    local before = {}
    for p, id in pairs(ids) do before[p] = cluster_of(c, id) end
    c:close()
    -- the version 1 layout: (band, hash) rows, 512-byte signatures, no
    -- paths table, hashes of the bytes indexed for text without a path
    h.sql(path, "DROP TABLE paths; DROP INDEX articles_hash;"
      .. " CREATE INDEX articles_hash ON articles(hash) WHERE path IS NULL;"
      .. " DROP TABLE lsh_pending; DROP TABLE lsh;"
      .. " CREATE TABLE lsh(band INTEGER NOT NULL,"
      .. " hash INTEGER NOT NULL, article_id INTEGER NOT NULL REFERENCES"
      .. " articles(id) ON DELETE CASCADE); CREATE INDEX lsh_band_hash ON"
      .. " lsh(band, hash); UPDATE articles SET minhash = zeroblob(512),"
      .. " cluster_id = NULL; UPDATE meta SET value = '1' WHERE key ="
      .. " 'schema_version'")
    -- read as it is, with a notice that names the fix
    local ro = assert(loupe.open(path, { readonly = true }))
    assert.are.equal(1, #ro.notices)
    assert.is_truthy(ro.notices[1]:find("schema version 1 is older", 1,
      true), ro.notices[1])
    assert.is_truthy(ro.notices[1]:find("open it once for writing", 1,
      true), ro.notices[1])
    assert.are.equal(#all_pages(), ro:count())
    ro:close()
    c = assert(loupe.open(path))
    for p, id in pairs(ids) do
      assert.are.equal(before[p], cluster_of(c, id), p)
    end
    c:close()
    assert.are.equal("6", h.sql(path,
      "SELECT value FROM meta WHERE key = 'schema_version'"))
    assert.are.equal("0", h.sql(path, "SELECT count(*) FROM articles"
      .. " WHERE length(minhash) = 512"))
  end)

  it("finds a copy through the band keys a closed session left waiting",
    function()
      local pages = wire_pages()
      local c, ids, path = build({ pages[1] })
      c:close()
      c = assert(loupe.open(path))
      local _, copy_id = c:add(pages[3].text, { path = "ledger.txt" })
      local cl = cluster_of(c, ids["wire.txt"])
      assert.is_not_nil(cl)
      assert.are.equal(cl, cluster_of(c, copy_id))
      c:close()
      if h.sqlite3_cli() then
        assert.are.equal("2", h.sql(path, "SELECT count(*) FROM lsh_pending"))
      end
    end)

  it("sees the band keys another connection committed meanwhile",
    function()
      local pages = wire_pages()
      local c1, ids, path = build({ UNRELATED[1] })
      local c2 = assert(loupe.open(path))
      assert(c2:add(UNRELATED[2].text, { path = "orchard.txt" }))
      assert(c1:add(pages[1].text, { path = "wire.txt" }))
      local _, copy_id = c2:add(pages[2].text, { path = "gazette.txt" })
      local wire
      for hit in c2:query():each() do
        if hit.path == "wire.txt" then wire = hit end
      end
      assert.is_not_nil(wire.cluster)
      assert.are.equal(wire.cluster, cluster_of(c2, copy_id))
      assert.is_nil(cluster_of(c2, ids["library.txt"]))
      c1:close()
      c2:close()
    end)

  it_sql("writes the waiting band keys into lsh once a thousand articles "
    .. "have gathered, and still finds copies there", function()
    -- invented filler stories: sentences of a fixed shape around nouns
    -- drawn from a made-up vocabulary
    local rnd = 12345
    local function r(n)
      rnd = (rnd * 1103515245 + 12345) % 2147483648
      return rnd % n + 1
    end
    local syll = { "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze",
                   "ba", "do", "fu" }
    local words = {}
    for k = 1, 400 do
      words[k] = syll[r(12)] .. syll[r(12)] .. syll[r(12)]
    end
    local function w() return words[r(400)] end
    local function story()
      local ps = {}
      for p = 1, 3 do
        ps[p] = ("The %s of the %s said on Monday that the %s would "
          .. "visit the %s and the %s in %s before the end of the week. "
          .. "A %s for the %s told reporters that %s had been agreed with "
          .. "the %s."):format(w(), w(), w(), w(), w(), w(), w(), w(), w(),
          w())
      end
      return ps
    end
    local c, _, path = build({})
    local kept
    for k = 1, 1001 do
      local ps = story()
      if k == 7 then kept = ps end
      assert(c:add(page { menu = OUTLETS[k % 4 + 1].menu,
        title = "Filler story " .. k, date = "2020-01-01 10:00",
        paras = ps, footer = OUTLETS[k % 4 + 1].footer },
        { path = "filler" .. k .. ".txt" }))
    end
    assert.is_true(tonumber(h.sql(path, "SELECT count(*) FROM lsh")) >= 16000)
    assert.is_true(tonumber(h.sql(path,
      "SELECT count(*) FROM lsh_pending")) <= 1)
    local _, again = c:add(page { menu = OUTLETS[1].menu,
      title = "Filler story, again", date = "2020-01-02 10:00",
      paras = kept, footer = OUTLETS[1].footer }, { path = "again.txt" })
    local cl = cluster_of(c, again)
    assert.is_not_nil(cl)
    local members = {}
    for _, m in ipairs(all_clusters(c)[1].members) do
      members[#members + 1] = m.path
    end
    table.sort(members)
    assert.are.same({ "again.txt", "filler7.txt" }, members)
    c:close()
  end)

  it("clustering = false puts nothing in clusters", function()
    local c, ids = build(all_pages(), { clustering = false })
    for p, id in pairs(ids) do assert.is_nil(cluster_of(c, id), p) end
    assert.are.equal(0, #all_clusters(c))
    c:close()
  end)

  it("does not cluster unrelated pages that have no body text", function()
    local pages = {}
    for i, t in ipairs { "ACME CORP SETS PAYOUT", "LIFFE YEN CLOSE 1610",
                         "HELM RESOURCES 4TH QTR LOSS" } do
      pages[i] = { path = "short" .. i .. ".txt", text = t
        .. "\n18-MAR-1987 14:42:49.97\n\nQtly div " .. i .. " cts vs "
        .. (i + 4) .. " cts prior\n    Pay July " .. i .. "\n Reuter\n" }
    end
    local c, ids = build(pages)
    for p, id in pairs(ids) do assert.is_nil(cluster_of(c, id), p) end
    c:close()
  end)

  it("rejects a threshold outside (0, 1]", function()
    assert.has_error(function() loupe.open(":memory:",
      { cluster_threshold = 0 }) end)
    assert.has_error(function() loupe.open(":memory:",
      { cluster_threshold = 1.5 }) end)
    assert.has_error(function() loupe.open(":memory:",
      { cluster_threshold = "0.8" }) end)
  end)
end)

describe("talking points", function()
  local c

  setup(function()
    c = build(all_pages())
  end)

  teardown(function() c:close() end)

  local function find_row(rows, needle)
    for _, r in ipairs(rows) do
      if r.text:lower():find(needle, 1, true) then return r end
    end
  end

  it("finds the repeated sentence across years, spelling variants folded",
    function()
      local rows = assert(c:talking_points { min_articles = 2,
                                              min_years = 2 })
      local r = find_row(rows, "largest source of")
      assert.is_not_nil(r, "talking point not found")
      assert.is_true(r.words >= 6)
      assert.are.equal(3, r.articles)
      assert.are.equal(3, r.clusters)
      assert.are.same({ ["2019"] = 1, ["2020"] = 1, ["2021"] = 1 }, r.years)
      assert.are.equal("2019-06-11", r.first:sub(1, 10))
      assert.are.equal("2021-11-23", r.last:sub(1, 10))
      local spellings = table.concat(r.variants, "\n"):lower()
      assert.is_truthy(spellings:find("cyber attacks", 1, true), spellings)
      assert.is_truthy(spellings:find("cyberattacks", 1, true), spellings)
      local sp = table.concat(r.speakers, "\n")
      assert.is_truthy(sp:find("Idris Kalvo", 1, true), sp)
      assert.is_truthy(sp:find("Sena Ormund", 1, true), sp)
      assert.are.equal(3, #r.outlets)
    end)

  it("does not count copies of the wire story as separate articles",
    function()
      local rows = assert(c:talking_points { min_articles = 2,
                                              min_years = 1 })
      for _, r in ipairs(rows) do
        assert.is_nil(r.text:lower():find("container terminals", 1, true),
          r.text)
        assert.is_nil(r.text:lower():find("quay walls", 1, true), r.text)
        assert.is_nil(r.text:lower():find("meteorologists", 1, true), r.text)
      end
      assert.is_not_nil(find_row(rows, "largest source of"))
    end)

  it("wants the sentence in three years with min_years = 3, not four",
    function()
      local three = assert(c:talking_points { min_articles = 2,
                                               min_years = 3 })
      assert.is_not_nil(find_row(three, "largest source of"))
      local four = assert(c:talking_points { min_articles = 2,
                                              min_years = 4 })
      assert.is_nil(find_row(four, "largest source of"))
      local many = assert(c:talking_points { min_articles = 4 })
      assert.is_nil(find_row(many, "largest source of"))
    end)

  it("narrows to one speaker's quotes", function()
    local kalvo = assert(c:talking_points { min_articles = 2,
      speaker = "Idris Kalvo" })
    local r = find_row(kalvo, "largest source of")
    assert.is_not_nil(r)
    assert.are.equal(2, r.articles)
    assert.are.same({ ["2019"] = 1, ["2021"] = 1 }, r.years)
    assert.are.same({ "Idris Kalvo" }, r.speakers)
    -- Ormund said it once: not a talking point of hers
    local ormund = assert(c:talking_points { min_articles = 2,
      speaker = "Sena Ormund" })
    assert.is_nil(find_row(ormund, "largest source of"))
    -- the whole bodies are not searched for one speaker: the ministry's
    -- other sentences never come back
    for _, row in ipairs(kalvo) do
      assert.is_nil(row.text:lower():find("ministry", 1, true), row.text)
    end
  end)

  it("narrows to dates", function()
    local since = assert(c:talking_points { min_articles = 2,
      since = "2020-01-01" })
    local r = find_row(since, "largest source of")
    assert.is_not_nil(r)
    assert.are.equal(2, r.articles)
    local before = assert(c:talking_points { min_articles = 2,
      ["until"] = "2019-12-31" })
    assert.is_nil(find_row(before, "largest source of"))
  end)

  it("rejects bad options", function()
    assert.has_error(function() c:talking_points { min_articles = 0 } end)
    assert.has_error(function() c:talking_points { bogus = 1 } end)
  end)
end)

describe("utterances", function()
  local c, ids

  setup(function()
    c, ids = build(all_pages())
  end)

  teardown(function() c:close() end)

  it("links a quote repeated across the copies, verbatim or altered",
    function()
      local rows = c:utterances { speaker = "Elena Marsh" }
      local u
      for _, r in ipairs(rows) do
        if r.text:find("full service", 1, true) then u = r end
      end
      assert.is_not_nil(u, "utterance not found")
      assert.are.equal("Elena Marsh", u.speaker)
      assert.are.equal(4, #u.occurrences)
      local by_article = {}
      for _, o in ipairs(u.occurrences) do by_article[o.article_id] = o end
      for _, p in ipairs { "wire.txt", "gazette.txt", "ledger.txt" } do
        assert.is_true(by_article[ids[p]].verbatim, p)
      end
      local altered = by_article[ids["herald.txt"]]
      assert.is_false(altered.verbatim)
      assert.is_truthy(altered.text:find("normal service", 1, true))
      assert.are.equal("2021-03-04", u.first:sub(1, 10))
      assert.are.equal("2021-03-05", u.last:sub(1, 10))
    end)
end)
