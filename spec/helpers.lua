-- spec/helpers.lua - shared by the loupe specs: where the fixtures live, file
-- and line helpers, the contract's whitespace normalisation, UTF-16 encoders
-- and a small builder for invented pages. Load it with dofile() from a spec.

local M = {}

local source = debug.getinfo(1, "S").source
M.spec_dir = source:match("^@(.*[/\\])") or "./"
M.root = M.spec_dir .. "../"
M.pages_dir = M.spec_dir .. "fixtures/pages/"

-- `require "loupe"` from any working directory: the Lua modules under lua/
-- and the compiled core under build/ (as .busted sets them).
package.path = M.root .. "lua/?.lua;" .. M.root .. "lua/?/init.lua;"
  .. package.path
package.cpath = M.root .. "build/?.so;" .. package.cpath

M.NBSP = "\u{A0}"
M.BOM = "\u{FEFF}"

-- The fields a parse result may have (lines only with opts.lines).
M.FIELDS = {
  title = true, date = true, date_precision = true, dateline = true,
  credit = true, outlet = true, authors = true, editors = true,
  paragraphs = true, body = true, lang = true, provenance = true,
  quotes = true, entities = true, source_format = true,
  -- HTML pages only: metadata and what it gives
  date_modified = true, date_visible = true, url = true, section = true,
  description = true, meta = true,
}

M.LABELS = {
  blank = true, body = true, title = true, meta = true, boilerplate = true,
  duplicate = true,
}

function M.read(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("a")
  f:close()
  return data
end

--- Remove a scratch folder made by os.tmpname() (/tmp/lua_XXXXXX) and
-- all it holds; any other path is left alone.
function M.remove_tmp(dir)
  if dir and dir:match("^/tmp/lua_%w+$") then
    os.execute("rm -rf '" .. dir .. "'")
  end
end

function M.write(path, data)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
end

-- Fixture expectations, keyed by page file name.
function M.expected()
  return dofile(M.spec_dir .. "fixtures/expected.lua")
end

-- Page file names in a stable order.
function M.page_names(expected)
  local names = {}
  for name in pairs(expected or M.expected()) do
    names[#names + 1] = name
  end
  table.sort(names)
  return names
end

function M.page(name)
  return M.read(M.pages_dir .. name)
end

-- Source lines of `text`: { {text=, offset=, len=}, ... } where offset is the
-- 0-based byte offset of the line start and text excludes the "\n" (a "\r"
-- before it stays). A final line without "\n" counts; a final "\n" does not
-- open an empty line.
function M.split_lines(text)
  local lines, pos = {}, 1
  while pos <= #text do
    local nl = text:find("\n", pos, true)
    local stop = nl and nl - 1 or #text
    lines[#lines + 1] = {
      text = text:sub(pos, stop), offset = pos - 1, len = stop - pos + 1,
    }
    pos = (nl or #text) + 1
  end
  return lines
end

-- Whitespace normalisation as the contract states it: NBSP folded to a
-- space, runs of white space collapsed to one space, trimmed.
function M.norm(s)
  s = s:gsub(M.NBSP, " "):gsub("%s+", " ")
  return (s:match("^ ?(.-) ?$"))
end

-- Does source line `n` of `lines` hold `needle` (both normalised)?
function M.line_has(lines, n, needle)
  local l = lines[n]
  return l ~= nil and M.norm(l.text):find(M.norm(needle), 1, true) ~= nil
end

-- Is byte offset `off` inside source line `n` (its "\n" excluded)?
function M.offset_in_line(lines, n, off)
  local l = lines[n]
  return l ~= nil and type(off) == "number" and off >= l.offset
    and off <= l.offset + l.len
end

-- Count plain (non-pattern) occurrences of `needle` in `s`.
function M.count(s, needle)
  local n, pos = 0, 1
  while true do
    local i = s:find(needle, pos, true)
    if not i then return n end
    n, pos = n + 1, i + #needle
  end
end

local function utf16(s, big_endian)
  local out = { big_endian and "\254\255" or "\255\254" }
  local function unit(u)
    local hi, lo = u >> 8, u & 0xFF
    out[#out + 1] = big_endian and string.char(hi, lo) or string.char(lo, hi)
  end
  for _, cp in utf8.codes(s) do
    if cp >= 0x10000 then
      cp = cp - 0x10000
      unit(0xD800 | (cp >> 10))
      unit(0xDC00 | (cp & 0x3FF))
    else
      unit(cp)
    end
  end
  return table.concat(out)
end

-- UTF-8 text re-encoded as UTF-16 with a byte order mark.
function M.utf16le(s) return utf16(s, false) end
function M.utf16be(s) return utf16(s, true) end

-- Deterministic pseudo-random bytes (an LCG), `nul_every` forcing a NUL
-- every so many bytes: binary-looking filler for hostile input.
function M.noise(len, seed, nul_every)
  local out, x = {}, seed or 12345
  for i = 1, len do
    x = (x * 1103515245 + 12345) % 2147483648
    local b = (x >> 16) & 0xFF
    if nul_every and i % nul_every == 0 then b = 0 end
    out[i] = string.char(b)
  end
  return table.concat(out)
end

-- A readable account of how two lists of paragraphs differ, for assertion
-- messages: count, first differing index, and both versions of it.
function M.describe_diff(expected, actual)
  if type(actual) ~= "table" then
    return "paragraphs is " .. tostring(actual)
  end
  local out = { ("expected %d paragraphs, got %d"):format(#expected, #actual) }
  for i = 1, math.max(#expected, #actual) do
    if expected[i] ~= actual[i] then
      out[#out + 1] = ("first difference at paragraph %d:"):format(i)
      out[#out + 1] = "  expected: " .. tostring(expected[i])
      out[#out + 1] = "  actual:   " .. tostring(actual[i])
      break
    end
  end
  local seen = {}
  for _, p in ipairs(expected) do seen[p] = true end
  for i, p in ipairs(actual) do
    if not seen[p] then
      out[#out + 1] = ("  unexpected paragraph %d: %s"):format(i, p:sub(1, 160))
    end
  end
  return table.concat(out, "\n")
end

-- The article fields that must not depend on line endings, BOM or encoding.
function M.core(art)
  if type(art) ~= "table" then return art end
  return {
    title = art.title, date = art.date, date_precision = art.date_precision,
    dateline = art.dateline, credit = art.credit, outlet = art.outlet,
    lang = art.lang, authors = art.authors, editors = art.editors,
    paragraphs = art.paragraphs, body = art.body,
  }
end

-- An invented news page for the unit-level specs. Options:
--   title_times  headline printed this many times (default 1)
--   teaser       print a shorter teaser of the lead before the article
--   body_twice   print the whole body a second time after the article
--   glued_copy   print paragraphs 2..n glued together before the article
--   date         false for no date line (default "March 12, 2024 09:30")
--   related      include a related-stories list with its own dates
--   nbsp         put non-breaking spaces inside body paragraphs
-- Returns the page text and the paragraphs the parser should give.
M.SAMPLE_TITLE = "Estmark summons envoy over hacking of its embassies"
M.SAMPLE_TEASER = "The foreign ministry of Estmark summoned the Norvaldic "
  .. "ambassador on Tuesday over a hacking campaign against its embassies."
M.SAMPLE_PARAGRAPHS = {
  "The foreign ministry of Estmark summoned the Norvaldic ambassador on "
    .. "Tuesday over what it called a months-long hacking campaign against its "
    .. "embassies in three countries, a ministry spokesman said.",
  "Spokesman Arvid Kallas told reporters that investigators had found the "
    .. "same malicious program on computers in the embassies in Vienna, Oslo "
    .. "and Lisbon, and that it had been copying diplomatic mail since the "
    .. "autumn.",
  "\"We expect a full explanation, and we expect the activity to stop at "
    .. "once,\" Kallas said. He did not say what evidence linked the campaign "
    .. "to Norvald.",
  "The Norvaldic embassy in the capital said in a short statement that its "
    .. "country had nothing to do with the attacks and was ready to help with "
    .. "the investigation.",
}

function M.sample_page(opts)
  opts = opts or {}
  local nb = opts.nbsp and M.NBSP or " "
  local paras = {}
  for i, p in ipairs(M.SAMPLE_PARAGRAPHS) do
    paras[i] = opts.nbsp and p:gsub("Kallas said", "Kallas" .. nb .. "said")
      :gsub("^The ", "The" .. nb .. nb) or p
  end
  local t = {
    "Tidewater Ledger", "", "  • Home", "  • World", "  • Politics",
    "  • Business", "  • Technology", "  • Opinion", "", "Subscribe | Sign In",
    "", "World", "", M.SAMPLE_TITLE, "", "By Corinne Aldana", "",
  }
  local function add(...)
    for _, s in ipairs({ ... }) do t[#t + 1] = s end
  end
  if opts.date ~= false then add(opts.date or "March 12, 2024 09:30", "") end
  if opts.glued_copy then
    add(table.concat(M.SAMPLE_PARAGRAPHS, "", 2), "")
  end
  if opts.teaser then
    add(M.SAMPLE_TEASER, "", "Share" .. nb .. "|" .. nb .. "12", "")
  end
  for i = 2, (opts.title_times or 1) do
    if i == 2 then add(M.SAMPLE_TITLE, "") end
  end
  for _, p in ipairs(paras) do add(p, "") end
  if opts.body_twice then
    add("Print this article", "")
    for _, p in ipairs(paras) do add(p, "") end
  end
  if (opts.title_times or 1) >= 3 then add("", M.SAMPLE_TITLE, "") end
  if opts.related then
    add("Related Stories", "",
      "  • Norvald expels two diplomats over spying claims "
        .. "March 14, 2024 17:05",
      "  • Ministries step up email security after string of breaches "
        .. "March 2, 2024 11:20",
      "  • Estmark and Norvald agree to resume fishing talks February 27, 2024",
      "")
  end
  add("  • About us", "  • Contact", "  • Privacy",
    "© 2024 Tidewater Ledger. All rights reserved.", "")
  local expected = {}
  for i, p in ipairs(M.SAMPLE_PARAGRAPHS) do expected[i] = p end
  return table.concat(t, "\n"), expected
end


-- ---- corpus, query and regex specs ----------------------------------------
-- (appended for spec/corpus_spec.lua, spec/query_spec.lua and
-- spec/regex_spec.lua; the helpers above stay as they were)

-- The sample corpus shipped with loupe: 24 pages whose ground truth is
-- written down in examples/corpus/README.md.
M.corpus_dir = M.root .. "examples/corpus/"
M.corpus_glob = M.corpus_dir .. "*/*.txt"
M.CORPUS_PAGES = 24

-- Quote s for a POSIX shell.
function M.shq(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- Run a shell command; its standard output (trailing newline removed) and
-- whether it exited with status 0.
function M.sh(cmd)
  local p = assert(io.popen(cmd, "r"))
  local out = p:read("a")
  local ok = p:close()
  return (out:gsub("\n$", "")), ok == true
end

-- A fresh empty folder under the system's temp folder.
function M.tmpdir()
  local name = os.tmpname()
  os.remove(name)
  assert(os.execute("mkdir -p " .. M.shq(name .. ".d")))
  return name .. ".d"
end

-- Remove a folder made by tmpdir and everything in it.
function M.rmtree(dir)
  if dir and dir:match("%.d$") then os.execute("rm -rf " .. M.shq(dir)) end
end

function M.sleep(seconds)
  os.execute("sleep " .. tostring(seconds))
end

-- The sqlite3 command-line shell, or nil when it is not installed.
function M.sqlite3_cli()
  if M._sqlite3 == nil then
    local _, ok = M.sh("command -v sqlite3 >/dev/null 2>&1")
    M._sqlite3 = ok
  end
  return M._sqlite3 and "sqlite3" or nil
end

-- Run SQL on a database file through the sqlite3 shell: its output, or
-- nil when the shell is missing; raises when the shell fails.
function M.sql(db, sql)
  local cli = M.sqlite3_cli()
  if not cli then return nil end
  local out, ok = M.sh(cli .. " " .. M.shq(db) .. " " .. M.shq(sql)
    .. " 2>&1")
  assert(ok, "sqlite3 " .. db .. " " .. sql .. ": " .. out)
  return out
end

-- Absolute path of the source tree (for child processes).
function M.abs_root()
  if not M._abs_root then
    local root = M.root
    if root:sub(1, 1) ~= "/" then
      root = M.sh("pwd") .. "/" .. root
    end
    M._abs_root = root
  end
  return M._abs_root
end

-- Environment assignments that make a child lua5.4 load this tree's
-- modules and core (the _5_4 names win over LUA_PATH and LUA_CPATH).
function M.lua_env()
  local r = M.abs_root()
  local lpath = r .. "lua/?.lua;" .. r .. "lua/?/init.lua;;"
  local cpath = r .. "build/?.so;;"
  return ("LUA_PATH=%s LUA_PATH_5_4=%s LUA_CPATH=%s LUA_CPATH_5_4=%s")
    :format(M.shq(lpath), M.shq(lpath), M.shq(cpath), M.shq(cpath))
end

-- Run bin/loupe as a subprocess with this tree's modules (and the
-- loupe.core this run loads): exit code, stdout, stderr. opts.cwd runs it
-- from that folder, opts.wrap under a command (strace ...), opts.env
-- adds environment assignments.
function M.loupe(args, opts)
  opts = opts or {}
  local so = package.searchpath("loupe.core", package.cpath)
  local r = M.abs_root()
  local build = so and so:gsub("loupe/core%.so$", "") or (r .. "build/")
  if build:sub(1, 1) ~= "/" then build = M.sh("pwd") .. "/" .. build end
  local lpath = r .. "lua/?.lua;" .. r .. "lua/?/init.lua;;"
  local parts = {
    opts.cwd and ("cd " .. M.shq(opts.cwd) .. " &&") or "",
    "env", "LUA_PATH=" .. M.shq(lpath), "LUA_PATH_5_4=" .. M.shq(lpath),
    "LUA_CPATH=" .. M.shq(build .. "?.so;;"),
    "LUA_CPATH_5_4=" .. M.shq(build .. "?.so;;"), "NO_COLOR=1",
    opts.env or "", opts.wrap or "", "lua5.4", M.shq(r .. "bin/loupe"),
  }
  for _, a in ipairs(args) do parts[#parts + 1] = M.shq(a) end
  local err = os.tmpname()
  local p = assert(io.popen(table.concat(parts, " ") .. " 2>" .. M.shq(err)
    .. " </dev/null"))
  local out = p:read("a")
  local _, _, code = p:close()
  local e = M.read(err)
  os.remove(err)
  return code, out, e
end

-- Can files in dir be made immutable (chattr +i, which binds root too)?
function M.can_chattr(dir)
  local probe = dir .. "/.chattr-probe"
  M.write(probe, "x")
  local _, ok = M.sh("chattr +i " .. M.shq(probe) .. " 2>/dev/null")
  if ok then M.sh("chattr -i " .. M.shq(probe)) end
  os.remove(probe)
  return ok
end

-- strace, or nil when it is not installed.
function M.strace()
  local _, ok = M.sh("command -v strace >/dev/null 2>&1")
  return ok and "strace" or nil
end

-- An invented news page as "copy all" text: masthead, menu, section,
-- headline, byline and date lines, the paragraphs, a related-stories list
-- and a footer naming the outlet. Options: outlet, title, paragraphs
-- (list), byline ("By ..."), date (as printed), section, year (footer).
function M.news_page(o)
  local t = {
    o.outlet, "", "  • Home", "  • World", "  • Business", "  • Technology",
    "  • Opinion", "", "Subscribe | Sign In", "", o.section or "World", "",
    o.title, "",
  }
  local function add(...)
    for _, s in ipairs({ ... }) do t[#t + 1] = s end
  end
  if o.byline then add(o.byline, "") end
  if o.date then add(o.date, "") end
  for _, p in ipairs(o.paragraphs) do add(p, "") end
  add("Related Stories", "",
    "  • Ferry fares frozen for another year",
    "  • New footbridge opens on the east bank", "")
  add("  • About us", "  • Contact", "  • Privacy",
    "© " .. (o.year or "2022") .. " " .. o.outlet .. ". All rights reserved.",
    "")
  return table.concat(t, "\n")
end

-- A numbered invented page (for bulk ingests): its own headline, date and
-- words, so every page is a distinct article.
function M.numbered_page(i)
  return M.news_page {
    outlet = "Harrowgate Herald",
    title = ("Harbour committee hears objection number %d to the quay plan")
      :format(i),
    byline = "By Ottilie Marsh",
    date = ("March %d, 2022 / 7:%02d AM"):format(i % 28 + 1, i % 60),
    paragraphs = {
      ("The harbour committee met on Monday to hear objection number %d "
        .. "to the plan for a new quay, and residents filled the public "
        .. "gallery for the whole of the afternoon session."):format(i),
      "Councillors said the plan would be decided next month after a "
        .. "further round of consultation with fishermen and the ferry "
        .. "operators who use the inner basin.",
      ("The objection, filed under reference HQ-%04d, asks for the quay to "
        .. "be moved fifty metres to the north."):format(i),
    },
  }
end

return M
