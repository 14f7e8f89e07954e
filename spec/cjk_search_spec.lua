-- spec/cjk_search_spec.lua - full-text search of Chinese, Japanese and
-- Korean text finds every article holding what an analyst types (CJK runs
-- are indexed character by character, tokenizer.c), phrase and NEAR count
-- characters, snippets cut on characters, English words mixed in are
-- found as before; English stems on request (stem = "en", chosen when a
-- corpus is created); a corpus of schema version 3 is re-indexed on a
-- writable open and read as it is read-only. Every article is invented.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"

local PAGES = {
  { outlet = "Qingchuan Evening News", title = "青川市水务系统遭遇网络攻击",
    date = "2021年4月6日",
    paragraphs = {
      "青川市政府周二表示，市水务系统上周遭到网络攻击，黑客试图篡改供水数据。",
      "技术人员已经恢复系统。副市长说，网络安全是城市治理的重要部分。",
    } },
  { outlet = "Qingchuan Evening News", title = "第十届青川电影节开幕",
    date = "2021年5月2日",
    paragraphs = {
      "第十届青川电影节昨晚开幕，经典影片《黑客帝国》重新放映，观众笑声哈哈哈哈不断。",
      "影迷们在剧院门口排队购票，现场气氛热烈。",
    } },
  { outlet = "Qingchuan Farm Weekly", title = "春雨充足小麦长势良好",
    date = "2021年3月20日",
    paragraphs = {
      "今年春季降雨充足，小麦长势良好。很多农民用iPhone手机查看天气预报。",
      "Farmers near Qingchuan now log the rain with an app called FieldNote.",
    } },
  { outlet = "Toto Shimbun", title = "東都市立図書館、開館時間を延長",
    date = "2021年6月1日",
    paragraphs = {
      "東都市の図書館は来月から開館時間を夜九時まで延長すると発表した。",
      "市民からは歓迎の声が上がっている。",
    } },
  { outlet = "Hanbit Ilbo", title = "한빛시, 내년부터 무료 버스 운행",
    date = "2021년 7월 3일",
    paragraphs = {
      "한빛시는 내년부터 시내 무료 버스를 운행한다고 밝혔다.",
      "시민들은 교통비 부담이 줄어들 것이라고 말했다.",
    } },
  { outlet = "Harrowgate Herald", title = "Payroll hacker caught",
    date = "June 4, 2021",
    paragraphs = {
      "The hacker who broke into the council payroll system was caught on "
        .. "Friday, police said.",
    } },
  { outlet = "Harrowgate Herald", title = "Ransom gang arrested",
    date = "June 9, 2021",
    paragraphs = {
      "Three hackers were arrested after the ransom demand sent to the "
        .. "ferry company was traced.",
    } },
}

local function page_text(p)
  return h.news_page(p)
end

local function fill(c)
  for i, p in ipairs(PAGES) do
    assert(c:add(page_text(p), { path = "page" .. i .. ".txt" }))
  end
  return c
end

-- The first hit of a query.
local function first(q)
  local list = {}
  for hit in q:each() do list[#list + 1] = hit end
  return list[1]
end

-- The titles of the articles a query finds, sorted.
local function titles(q)
  local t = {}
  for hit in q:each() do t[#t + 1] = hit.title end
  table.sort(t)
  return t
end

-- The titles of the stored articles whose title or body holds s.
local function holding(c, s)
  local t = {}
  for a in c:articles() do
    if ((a.title or "") .. "\n" .. a.body):find(s, 1, true) then
      t[#t + 1] = a.title
    end
  end
  table.sort(t)
  return t
end

describe("CJK search", function()
  local c
  setup(function() c = fill(assert(loupe.open(":memory:"))) end)
  teardown(function() c:close() end)

  it("finds every article holding a Chinese, Japanese or Korean substring",
    function()
      local terms = { "网络攻击", "网络", "攻击", "黑客", "黑客帝国", "网", "击",
        "青川", "电影节", "笑声", "水务系统", "図書館", "開館時間", "東都",
        "무료", "버스", "교통비", "한빛시" }
      for _, term in ipairs(terms) do
        local want = holding(c, term)
        assert.is_true(#want > 0, term)
        assert.are.same(want, titles(c:query(term)), term)
      end
      assert.are.same({ "青川市水务系统遭遇网络攻击" }, titles(c:query("网络攻击")))
      assert.are.same({ "第十届青川电影节开幕", "青川市水务系统遭遇网络攻击" },
        titles(c:query("黑客")))
      assert.are.same({ "第十届青川电影节开幕" }, titles(c:query("黑客帝国")))
    end)

  it("finds nothing for characters that never stand side by side", function()
    -- 攻击，黑客: a comma between; 帝国 and 黑客 in the other order
    assert.are.same({}, titles(c:query("击黑")))
    assert.are.same({}, titles(c:query("帝国黑客")))
    assert.are.same({}, titles(c:query("館図")))
    assert.are.same({}, holding(c, "击黑"))
  end)

  it("matches a phrase of characters in order and a phrase across scripts",
    function()
      assert.are.same({ "青川市水务系统遭遇网络攻击" },
        titles(c:query():phrase("网络攻击")))
      assert.are.same({}, titles(c:query():phrase("攻击网络")))
      assert.are.same({ "春雨充足小麦长势良好" },
        titles(c:query():phrase("用iPhone手机")))
      assert.are.same({ "春雨充足小麦长势良好" },
        titles(c:query():phrase("iphone 手机")))
    end)

  it("counts NEAR distances in characters", function()
    -- 水务 系统上周遭到网络攻击 黑客: ten characters between (the comma
    -- is no token)
    assert.are.same({ "青川市水务系统遭遇网络攻击" },
      titles(c:query():near("水务", "黑客", 10)))
    assert.are.same({}, titles(c:query():near("水务", "黑客", 9)))
    assert.are.same({ "東都市立図書館、開館時間を延長" },
      titles(c:query():near("図書館", "延長", 12)))
  end)

  it("finds English words written into Chinese text, and both together",
    function()
      local farm = { "春雨充足小麦长势良好" }
      assert.are.same(farm, titles(c:query("iphone")))
      assert.are.same(farm, titles(c:query("iPhone手机")))
      assert.are.same(farm, titles(c:query("FieldNote")))
      assert.are.same(farm, titles(c:query("农民 rain")))
      assert.are.same({ "Payroll hacker caught" }, titles(c:query("hacker")))
    end)

  it("cuts snippets and highlights on character boundaries", function()
    local seen = 0
    for _, term in ipairs({ "网络攻击", "网", "哈哈", "開館", "버스", "図書",
                            "手机" }) do
      for hit in c:query(term):each() do
        seen = seen + 1
        local s = hit.snippet
        assert.is_not_nil(utf8.len(s), term .. ": " .. s)
        assert.is_not_nil(utf8.len(hit.highlight), hit.highlight)
        -- without the marks, every piece is text of the article
        local a = c:get(hit.id)
        for piece in s:gsub("[%[%]]", ""):gmatch("[^…]+") do
          local text = (a.title or "") .. "\n" .. a.body
          assert.is_truthy(text:find(piece, 1, true), term .. ": " .. piece)
        end
        assert.is_truthy(s:find("[" .. term, 1, true)
          or s:find("[" .. term:sub(1, 3), 1, true), term .. ": " .. s)
      end
    end
    assert.is_true(seen >= 7)
    local hit = first(c:query("网络攻击"))
    assert.is_truthy(hit.snippet:find("[网络攻击]", 1, true), hit.snippet)
  end)

  it("gives KWIC lines of whole characters around every occurrence",
    function()
      local rows = 0
      for row in c:query("网络"):kwic("网络", 6) do
        rows = rows + 1
        assert.are.equal("网络", row.match)
        assert.is_true(utf8.len(row.left) <= 6, row.left)
        assert.is_true(utf8.len(row.right) <= 6, row.right)
      end
      -- the title is no KWIC line; the body has 网络 twice
      assert.are.equal(2, rows)
      for row in c:query("버스"):kwic("버스", 3) do
        assert.are.equal("무료 ", row.left)
        assert.is_not_nil(utf8.len(row.right), row.right)
      end
    end)
end)

describe("English stems", function()
  it("are indexed only when the corpus is created with stem = 'en'",
    function()
      local plain = fill(assert(loupe.open(":memory:")))
      local stem = fill(assert(loupe.open(":memory:", { stem = "en" })))
      local both = { "Payroll hacker caught", "Ransom gang arrested" }
      assert.are.same({ "Payroll hacker caught" },
        titles(plain:query("hacker")))
      assert.are.same({ "Ransom gang arrested" },
        titles(plain:query("hackers")))
      assert.are.same(both, titles(stem:query("hacker")))
      assert.are.same(both, titles(stem:query("hackers")))
      assert.are.same({ "Ransom gang arrested" },
        titles(stem:query("arrests")))
      -- a phrase of stems; a prefix keeps the word as typed
      assert.are.same({ "Ransom gang arrested" },
        titles(stem:query():phrase("hacker were arrest")))
      assert.are.same(both, titles(stem:query("hack*", { raw = true })))
      assert.are.same({ "Ransom gang arrested" },
        titles(stem:query("hackers*", { raw = true })))
      -- a regex narrowed through the index by the word as written
      assert.are.same({ "Ransom gang arrested" },
        titles(stem:query():regex("\\shackers")))
      assert.are.same({ "Payroll hacker caught" },
        titles(stem:query():regex(" hacker ")))
      -- Chinese is searched the same way with stems
      assert.are.same({ "第十届青川电影节开幕" }, titles(stem:query("黑客帝国")))
      local hit = first(stem:query("hackers"))
      assert.is_truthy(hit.snippet:find("[hacker]", 1, true)
        or hit.snippet:find("[hackers]", 1, true), hit.snippet)
      assert.is_true(assert(stem:check()).ok)
      plain:close()
      stem:close()
    end)

  it("are the corpus's choice from its creation on", function()
    local dir = h.tmpdir()
    local path = dir .. "/stem.loupe"
    fill(assert(loupe.open(path, { stem = "en" }))):close()
    local c = assert(loupe.open(path))
    assert.are.equal(2, c:query("hackers"):count())
    c:close()
    local ro = assert(loupe.open(path, { readonly = true }))
    assert.are.equal(2, ro:query("hacker"):count())
    assert.are.equal(1, ro:query("黑客帝国"):count())
    -- the full-text check of a read-only open tokenizes as the corpus
    local r = assert(ro:check())
    assert.is_true(r.ok, table.concat(r.problems, "\n"))
    ro:close()
    local no, msg, code = loupe.open(path, { stem = "none" })
    assert.is_nil(no)
    assert.is_truthy(msg:find(path, 1, true), msg)
    assert.is_truthy(msg:find("created with English stemming", 1, true), msg)
    assert.are.equal("string", type(code))
    assert.has_error(function() loupe.open(path, { stem = "fr" }) end,
      "bad argument #2 to 'open' (option 'stem': en or none expected, "
        .. 'got "fr")')
    h.rmtree(dir)
  end)

  it("are chosen by loupe ingest --stem en", function()
    local dir = h.tmpdir()
    for i, p in ipairs(PAGES) do
      h.write(dir .. "/p" .. i .. ".txt", page_text(p))
    end
    local db = dir .. ".loupe"
    local code, _, err = h.loupe({ "ingest", "-q", "--stem", "en", db, dir })
    assert.are.equal(0, code, err)
    local out
    code, out, err = h.loupe({ "search", db, "hackers", "--format", "csv" })
    assert.are.equal(0, code, err)
    assert.is_truthy(out:find("Payroll hacker caught", 1, true), out)
    assert.is_truthy(out:find("Ransom gang arrested", 1, true), out)
    code, out, err = h.loupe({ "check", db })
    assert.are.equal(0, code, out .. err)
    code, _, err = h.loupe({ "ingest", "-q", "--stem", "xx", db, dir })
    assert.are.equal(2, code)
    assert.is_truthy(err:find("--stem", 1, true), err)
    h.rmtree(dir)
    for _, x in ipairs({ "", "-wal", "-shm" }) do os.remove(db .. x) end
  end)
end)

describe("the tokens computed ahead by ingest threads", function()
  it("make the same index as the tokenizer itself", function()
    local dir = h.tmpdir()
    for i, p in ipairs(PAGES) do
      h.write(dir .. "/p" .. i .. ".txt", page_text(p))
    end
    local res = {}
    for _, threads in ipairs({ 0, 2 }) do
      for _, stem in ipairs({ "none", "en" }) do
        local c = assert(loupe.open(dir .. "/t" .. threads .. stem
          .. ".loupe", { stem = stem }))
        assert(c:ingest({ dir }, { threads = threads }))
        local r = assert(c:check())
        assert.is_true(r.ok, table.concat(r.problems or {}, "\n"))
        local found = {}
        for _, term in ipairs({ "网络", "黑客帝国", "開館", "버스", "hackers",
                                "iphone手机" }) do
          found[#found + 1] = table.concat(titles(c:query(term)), "|")
        end
        res[threads .. stem] = table.concat(found, "\n")
        c:close()
      end
    end
    assert.are.equal(res["0none"], res["2none"])
    assert.are.equal(res["0en"], res["2en"])
    assert.are_not.equal(res["0none"], res["0en"])
    h.rmtree(dir)
  end)
end)

local it_sql = h.sqlite3_cli() and it or pending

describe("a corpus of schema version 3", function()
  it_sql("is searched as it is read-only and re-indexed on a writable open,"
    .. " with a notice", function()
    local dir = h.tmpdir()
    local path = dir .. "/old.loupe"
    fill(assert(loupe.open(path))):close()
    -- what loupe 3 made: the built-in unicode61 over whole runs
    h.sql(path, "DROP TABLE articles_fts;"
      .. " CREATE VIRTUAL TABLE articles_fts USING fts5(title, body,"
      .. " content='articles', content_rowid='id',"
      .. " tokenize='unicode61 remove_diacritics 2');"
      .. " INSERT INTO articles_fts(articles_fts) VALUES('rebuild');"
      .. " DELETE FROM meta WHERE key = 'tokenizer';"
      .. " UPDATE meta SET value = '3' WHERE key = 'schema_version';")
    local ro = assert(loupe.open(path, { readonly = true }))
    assert.is_truthy(ro.notices[1]:find("schema version 3 is older", 1,
      true), ro.notices[1])
    assert.are.equal(0, ro:query("网络"):count())
    -- the old tokens: a whole run between punctuation
    assert.are.equal(1, ro:query("市水务系统上周遭到网络攻击"):count())
    assert.are.equal(1, ro:query("hacker"):count())
    assert.is_true(assert(ro:check()).ok)
    ro:close()
    local c = assert(loupe.open(path, { stem = "en" }))
    assert.are.equal(1, #c.notices, table.concat(c.notices, "\n"))
    assert.is_truthy(c.notices[1]:find("full-text index rebuilt for schema "
      .. "version 6 (7 articles)", 1, true), c.notices[1])
    assert.are.equal(1, c:query("网络"):count())
    assert.are.equal(2, c:query("hackers"):count())
    assert.is_true(assert(c:check()).ok)
    c:close()
    assert.are.equal("6", h.sql(path,
      "SELECT value FROM meta WHERE key = 'schema_version'"))
    assert.are.equal("cjk stem=en", h.sql(path,
      "SELECT value FROM meta WHERE key = 'tokenizer'"))
    -- the sqlite3 shell still reads the file and its index of English
    assert.are.equal("2", h.sql(path, "SELECT count(*) FROM articles_fts"
      .. " WHERE articles_fts MATCH 'ransom OR payroll'"))
    c = assert(loupe.open(path))
    assert.are.same({}, c.notices)
    c:close()
    h.rmtree(dir)
  end)
end)
