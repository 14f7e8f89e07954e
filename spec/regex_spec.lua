-- spec/regex_spec.lua - loupe.regex: compiling (flags, syntax errors with
-- their offset, limits options), find/match/gmatch with string.find's
-- positions and captures, empty matches, invalid UTF-8 subjects, limits
-- that stop a catastrophic pattern, and use after close.

local spec_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local h = dofile(spec_dir .. "helpers.lua")
local loupe = require "loupe"

local LEAD = h.SAMPLE_PARAGRAPHS[1]

-- Collect everything a gmatch iterator yields (each step as a list).
local function collect(re, s, max)
  local out = {}
  for a, b in re:gmatch(s) do
    out[#out + 1] = b == nil and a or { a, b }
    assert(#out <= (max or 1000), "gmatch does not end")
  end
  return out
end

describe("loupe.regex", function()
  it("compiles a pattern into an object with find, match and gmatch",
    function()
      local re = assert(loupe.regex("spokes\\w+"))
      assert.are.equal("function", type(re.find))
      assert.are.equal("function", type(re.match))
      assert.are.equal("function", type(re.gmatch))
    end)

  it("returns nil, a message with the offset and 'syntax' for a bad "
    .. "pattern", function()
    for pattern, offset in pairs({ ["Kallas (said"] = 12, ["a{2,1}"] = 5,
                                   ["[z-a]"] = 3, ["(?<n>x)(?<n>y)"] = 12 }) do
      local re, msg, code = loupe.regex(pattern)
      assert.is_nil(re, pattern)
      assert.are.equal("syntax", code, pattern)
      assert.is_truthy(msg:find("^loupe: "), msg)
      assert.is_truthy(msg:find("offset " .. offset, 1, true),
        ("%q: %s"):format(pattern, msg))
    end
  end)

  it("refuses \\C, which could end a match inside a character", function()
    -- "é" is two bytes: \C\C would match it byte by byte, and a single
    -- \C would give a match that ends between its bytes.
    local re, msg, code = loupe.regex("caf\\C")
    assert.is_nil(re)
    assert.are.equal("syntax", code)
    assert.is_truthy(msg:find("\\C", 1, true), msg)
    assert.is_truthy(msg:find("offset", 1, true), msg)
  end)

  it("returns nil, a message naming the flag and 'syntax' for an unknown "
    .. "flag", function()
    local re, msg, code = loupe.regex("envoy", "iq")
    assert.is_nil(re)
    assert.are.equal("syntax", code)
    assert.is_truthy(msg:find("'q'", 1, true), msg)
  end)

  it("raises on arguments of the wrong type", function()
    assert.error_matches(function() loupe.regex(nil) end,
      "bad argument #1 to 'regex'", 1, true)
    assert.error_matches(function() loupe.regex("x", 1) end,
      "bad argument #2 to 'regex'", 1, true)
    assert.error_matches(function() loupe.regex("x", nil, "fast") end,
      "bad argument #3 to 'regex'", 1, true)
  end)

  it("raises on a bad limit option", function()
    for _, opts in ipairs({ { match_limit = 0 }, { match_limit = -5 },
                            { depth_limit = "deep" }, { heap_limit = 1.5 },
                            { match_limt = 10 } }) do
      assert.error_matches(function() loupe.regex("(a+)+$", nil, opts) end,
        "bad argument #3 to 'regex'", 1, true)
    end
  end)

  it("accepts each limit option", function()
    assert.is_truthy(loupe.regex("x", nil, { match_limit = 100,
      depth_limit = 100, heap_limit = 1024 }))
  end)
end)

describe("regex:find", function()
  it("gives 1-based inclusive positions as string.find does", function()
    for _, case in ipairs({ { "Kallas", "Kallas" }, { "Vienna", "Vienna" },
                            { "said%.", "said\\." }, { "^The", "^The" },
                            { "autumn%.$", "autumn\\.$" } }) do
      local want = { LEAD:find(case[1]) }
      local got = { assert(loupe.regex(case[2])):find(LEAD) }
      if #want == 0 then want = { nil } end
      assert.are.same(want, got, case[2])
    end
    assert.are.same({ ("Kallas told"):find("told") },
      { loupe.regex("told"):find("Kallas told") })
  end)

  it("counts positions in bytes for UTF-8 text", function()
    local s = "Åsa Lindqvist in Ørsund"
    assert.are.same({ s:find("Ørsund", 1, true) },
      { loupe.regex("Ørsund"):find(s) })
  end)

  it("starts at init", function()
    local re = loupe.regex("embass")
    local first = re:find(LEAD)
    local second = re:find(LEAD, first + 1)
    assert.are.equal(LEAD:find("embass", first + 1, true), second)
    assert.is_nil(re:find(LEAD, #LEAD + 2))
    assert.are.same({ 4, 3 }, { loupe.regex("x*"):find("abc", 4) })
  end)

  it("counts a negative init from the end as string.find does", function()
    local s = "said, said, said"
    assert.are.same({ s:find("said", -4) }, { loupe.regex("said"):find(s, -4) })
  end)

  it("returns nil when there is no match", function()
    local a, b = loupe.regex("Norvaldic ambassador"):find("nothing here")
    assert.is_nil(a)
    assert.is_nil(b)
  end)

  it("gives the captures after the positions", function()
    assert.are.same({ 13, 22, "2024", "03", "12" },
      { loupe.regex("(\\d{4})-(\\d\\d)-(\\d\\d)")
        :find("Updated on: 2024-03-12T09:30") })
  end)

  it("gives false for a group that took no part", function()
    local re = loupe.regex("(Estmark)|(Norvald)")
    assert.are.same({ 1, 7, false, "Norvald" }, { re:find("Norvald") })
    local all = table.pack(re:find("Estmark"))
    assert.are.equal(4, all.n, "a trailing group that took no part is "
      .. "missing from the results")
    assert.are.same({ 1, 7, "Estmark", false }, { all[1], all[2], all[3],
                                                  all[4] })
  end)

  it("gives an empty capture as an empty string", function()
    assert.are.same({ 1, 3, "", "abc" }, { loupe.regex("(x*)(abc)")
      :find("abc") })
  end)

  it("gives every capture of a pattern with many groups", function()
    -- a dated line of 40 fields, each its own group: none is dropped
    local fields, groups = {}, {}
    for i = 1, 40 do
      fields[i] = string.format("f%02d", i)
      groups[i] = "(f\\d\\d)"
    end
    local all = table.pack(loupe.regex(table.concat(groups, ";"))
      :find("2024-03-12 " .. table.concat(fields, ";")))
    assert.are.equal(42, all.n)
    assert.are.equal(12, all[1])
    assert.are.equal("f01", all[3])
    assert.are.equal("f32", all[34])
    assert.are.equal("f40", all[42])
  end)
end)

describe("regex:match", function()
  it("gives the whole match when the pattern has no groups", function()
    assert.are.equal("Arvid Kallas", loupe.regex("Arvid \\w+"):match(LEAD ..
      " Spokesman Arvid Kallas told reporters"))
  end)

  it("gives the captures when it has groups", function()
    local y, m, d = loupe.regex("(\\d{4})-(\\d\\d)-(\\d\\d)")
      :match("filed 2024-03-12")
    assert.are.same({ "2024", "03", "12" }, { y, m, d })
  end)

  it("gives false for a group that took no part", function()
    local re = loupe.regex("(Estmark)|(Norvald)")
    assert.are.same({ false, "Norvald" }, { re:match("Norvald") })
    assert.are.equal(2, select("#", re:match("Estmark")))
  end)

  it("starts at init and returns nil without a match", function()
    assert.are.equal("cd", loupe.regex("\\w+"):match("ab cd", 3))
    assert.is_nil(loupe.regex("\\d"):match("no digits"))
  end)
end)

describe("regex:gmatch", function()
  it("yields every match in order", function()
    assert.are.same({ "Vienna", "Oslo", "Lisbon" },
      collect(loupe.regex("Vienna|Oslo|Lisbon"), h.SAMPLE_PARAGRAPHS[2]))
  end)

  it("yields the captures of each match", function()
    assert.are.same({ { "Vienna", "1" }, { "Oslo", "2" } },
      collect(loupe.regex("(\\w+)=(\\d)"), "Vienna=1, Oslo=2"))
  end)

  it("advances past empty matches as string.gmatch does", function()
    local want = {}
    for m in ("abc"):gmatch("x*") do want[#want + 1] = m end
    assert.are.same(want, collect(loupe.regex("x*"), "abc"))
    assert.are.same({ "", "", "", "" }, collect(loupe.regex("\\b"), "ab cd"))
    assert.are.same({ "", "b", "" }, collect(loupe.regex("b*"), "ab"))
  end)

  it("steps over a whole UTF-8 character after an empty match", function()
    local got = collect(loupe.regex("x*"), "Øy")
    assert.are.equal(3, #got)
    for _, m in ipairs(got) do assert.are.equal("", m) end
    local words = collect(loupe.regex("\\w*", "u"), "Ørsund, Åsa")
    for _, w in ipairs(words) do assert.is_truthy(utf8.len(w), w) end
    assert.are.same({ "Ørsund", "", "", "Åsa", "" }, words)
  end)

  it("yields nothing for a subject without a match", function()
    assert.are.same({}, collect(loupe.regex("\\d"), "no digits here"))
    assert.are.same({ "" }, collect(loupe.regex("x*"), ""))
  end)

  it("raises inside the loop when a limit is hit", function()
    local re = assert(loupe.regex("(a+)+$", nil, { match_limit = 1000 }))
    assert.error_matches(function()
      for _ in re:gmatch("ok " .. string.rep("a", 40) .. "!") do end
    end, "match_limit", 1, true)
  end)
end)

describe("regex flags", function()
  it("'i' ignores case, also beyond ASCII", function()
    assert.is_nil(loupe.regex("kallas"):find(LEAD .. " KALLAS"))
    assert.is_truthy(loupe.regex("kallas", "i"):find("KALLAS"))
    assert.is_truthy(loupe.regex("ørsund", "i"):find("ØRSUND"))
  end)

  it("'m' makes ^ and $ match at line breaks", function()
    local s = "Vienna\nOslo\nLisbon"
    assert.is_nil(loupe.regex("^Oslo$"):find(s))
    assert.are.same({ 8, 11 }, { loupe.regex("^Oslo$", "m"):find(s) })
  end)

  it("'s' makes the dot match a line break", function()
    local s = "Kallas\nsaid"
    assert.is_nil(loupe.regex("Kallas.said"):find(s))
    assert.are.same({ 1, 11 }, { loupe.regex("Kallas.said", "s"):find(s) })
  end)

  it("'x' ignores white space and comments in the pattern", function()
    local re = loupe.regex("\\d{4} - \\d\\d  # year and month", "x")
    assert.are.equal("2024-03", re:match("on 2024-03-12"))
  end)

  it("'u' gives \\w and \\b their Unicode meaning", function()
    assert.are.equal("rsund", loupe.regex("\\w+"):match("Ørsund"))
    assert.are.same({ 1, 2 }, { loupe.regex("\\b\\w", "u"):find("Øy") })
    assert.are.equal("Ørsund", loupe.regex("\\w+", "u"):match("Ørsund"))
  end)

  it("combine", function()
    assert.are.equal("OSLO\nlisbon",
      loupe.regex("^oslo.lisbon$", "ims"):match("Vienna\nOSLO\nlisbon"))
  end)
end)

describe("a regex on invalid UTF-8", function()
  local BAD = "Kallas \xff\xfe said \xc3( the \xe2\x82 embassies"

  it("matches around the invalid bytes", function()
    assert.are.same({ BAD:find("said", 1, true) },
      { loupe.regex("said"):find(BAD) })
    assert.are.same({ "Kallas", "said", "the", "embassies" },
      collect(loupe.regex("[a-zA-Z]+"), BAD))
  end)

  it("never matches an invalid byte as a character", function()
    assert.is_nil(loupe.regex("^.$"):find("\xff"))
    assert.is_nil(loupe.regex("Kallas .."):match("Kallas \xff\xfe"))
  end)

  it("ends a gmatch of empty matches", function()
    local got = collect(loupe.regex("x*"), "\xff\xc3\xe2\x82")
    assert.is_true(#got >= 2 and #got <= 5, #got .. " matches")
  end)
end)

describe("regex limits", function()
  local SUBJECT = string.rep("a", 14) .. "!"

  it("stop a catastrophic pattern with nil, a message and 'limit'",
    function()
      local t0 = os.clock()
      local a, msg, code = loupe.regex("(a+)+$")
        :find(string.rep("a", 5000) .. "!")
      assert.is_true(os.clock() - t0 < 1, "took " .. (os.clock() - t0))
      assert.is_nil(a)
      assert.are.equal("limit", code)
      assert.is_truthy(msg:find("^loupe: "), msg)
      assert.is_truthy(msg:find("limit", 1, true), msg)
    end)

  it("are lowered by the match_limit option, named in the message",
    function()
      -- the defaults let this small subject finish (without a match) ...
      local a, msg = loupe.regex("(a+)+$"):find(SUBJECT)
      assert.is_nil(a)
      assert.is_nil(msg)
      -- ... a low match_limit does not
      local b, msg2, code = loupe.regex("(a+)+$", nil, { match_limit = 500 })
        :find(SUBJECT)
      assert.is_nil(b)
      assert.are.equal("limit", code)
      assert.is_truthy(msg2:find("match_limit", 1, true), msg2)
      assert.is_truthy(msg2:find("500", 1, true), msg2)
    end)

  it("apply to match as well", function()
    local a, msg, code = loupe.regex("(a+)+$", nil, { match_limit = 500 })
      :match(SUBJECT)
    assert.is_nil(a)
    assert.are.equal("limit", code)
    assert.is_truthy(msg:find("match_limit", 1, true), msg)
  end)
end)

describe("regex:close", function()
  it("is idempotent and later use raises 'closed'", function()
    local re = loupe.regex("Estmark")
    assert.is_truthy(re:find(LEAD))
    re:close()
    re:close()
    assert.error_matches(function() re:find(LEAD) end, "closed", 1, true)
    assert.error_matches(function() re:match(LEAD) end, "closed", 1, true)
    assert.error_matches(function()
      for _ in re:gmatch(LEAD) do end
    end, "closed", 1, true)
  end)
end)
