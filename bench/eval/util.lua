-- bench/eval/util.lua: helpers shared by the evaluation sections of
-- bench/eval.lua: files, shell, the site of a url, the two halves of the
-- dev sites, calls to the shared scorers and a rough line-in-gold test.
local cjson = require "cjson"

local M = {}

function M.read(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("a")
  f:close()
  return s
end

function M.must_read(path)
  return assert(M.read(path))
end

function M.write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

function M.sh_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

function M.exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

--- The decompressed bytes of a .gz file (nil, message when it fails).
function M.gunzip(path)
  local p = io.popen("gzip -dc " .. M.sh_quote(path) .. " 2>/dev/null")
  local s = p:read("a")
  local ok = p:close()
  if not ok or s == "" then return nil, path .. ": gzip -dc failed" end
  return s
end

--- Lines of a .gz file, one JSON object each (decoded), as a list.
function M.jsonl_gz(path)
  local p = io.popen("gzip -dc " .. M.sh_quote(path) .. " 2>/dev/null")
  local out = {}
  for line in p:lines() do
    if line ~= "" then out[#out + 1] = cjson.decode(line) end
  end
  p:close()
  return out
end

function M.jsonl(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then out[#out + 1] = cjson.decode(line) end
  end
  return out
end

function M.lines_of(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

--- Rows of a TSV file with a header line, as tables keyed by column name.
function M.tsv(path)
  local rows, head = {}, nil
  for line in io.lines(path) do
    local cols = {}
    for c in (line .. "\t"):gmatch("([^\t]*)\t") do cols[#cols + 1] = c end
    if not head then
      head = cols
    else
      local r = {}
      for i, k in ipairs(head) do r[k] = cols[i] end
      rows[#rows + 1] = r
    end
  end
  return rows
end

-- ------------------------------------------------------------- sites

-- Registrable domains whose sub-sites share one template: every host
-- under one of them is the one site named by the domain. The list and the
-- Hearst group are those of the data sets' split rule (see the README of
-- ../shared/data/dates-dev), so that the halves below never cut a
-- template in two.
local GROUPS = {
  "icnetwork.co.uk", "guardian.co.uk", "reuters.com", "cnn.com",
  "yourguide.com.au", "washingtonpost.com", "news.com.au", "nwsource.com",
  "timesonline.co.uk", "google.com", "uol.com.br", "goo.ne.jp",
  "piratenpartei.de", "xinhuanet.com", "sputniknews.com",
}
local HEARST = {
  ["ctpost.com"] = true, ["sfgate.com"] = true, ["chron.com"] = true,
  ["timesunion.com"] = true, ["mysanantonio.com"] = true,
}

--- The site of a url: the host in lower case without a leading "www.",
-- "m." or "amp.", a Wayback Machine copy judged by the archived url, the
-- Hearst papers and the domain groups above counted as one site each.
function M.site_of(url)
  local orig = url:match("^%a+://web%.archive%.org/web/[^/]*/(.+)$")
  if orig then
    if not orig:match("^%a+://") then orig = "http://" .. orig end
    return M.site_of(orig)
  end
  local host = url:match("^%a[%w+.-]*://([^/?#]+)") or url
  host = host:gsub("^.*@", ""):gsub(":%d+$", ""):lower()
  for _, p in ipairs { "www.", "m.", "amp." } do
    if host:sub(1, #p) == p then
      host = host:sub(#p + 1)
      break
    end
  end
  for host_part in pairs(HEARST) do
    if host == host_part or host:sub(-#host_part - 1) == "." .. host_part then
      return "hearst-newspapers"
    end
  end
  for _, d in ipairs(GROUPS) do
    if host == d or host:sub(-#d - 1) == "." .. d then return d end
  end
  return host
end

-- ------------------------------------------------------------- halves

--- 64-bit FNV-1a of a string (Lua 5.4 integers wrap modulo 2^64).
function M.fnv1a64(s)
  local h = -3750763034362895579          -- 0xcbf29ce484222325
  for i = 1, #s do
    h = (h ~ s:byte(i)) * 1099511628211   -- 0x100000001b3
  end
  return h
end

--- The half of a site (or, for the quote set, of an article id):
-- h = FNV-1a 64 of "loupe-half:" .. key; "A" (tune) when the top bit
-- of h is 0, "B" (check) when it is 1. The top bit, because FNV's low
-- bits mix poorly (the lowest is the parity of the odd bytes).
function M.half_of(key)
  return M.fnv1a64("loupe-half:" .. key) >= 0 and "A" or "B"
end

-- ------------------------------------------------------------- scorers

--- Run score_extraction.py on {id = body} predictions against a ground
-- truth file (or table); returns {id = {tp, fp, fn}} per page and the
-- scorer's own overall figures {precision, recall, f1, pages}.
function M.score_bodies(scorer, truth, pred, ids)
  local tmp = os.tmpname()
  local truth_path = truth
  if type(truth) == "table" then
    truth_path = tmp .. "-truth.json"
    M.write(truth_path, cjson.encode(truth))
  end
  local p = {}
  for _, id in ipairs(ids) do p[id] = { articleBody = pred[id] or "" } end
  local ids_path = tmp .. "-ids.txt"
  M.write(ids_path, table.concat(ids, "\n") .. "\n")
  M.write(tmp .. "-pred.json", cjson.encode(p))
  local cmd = "python3 " .. M.sh_quote(scorer) .. " " .. M.sh_quote(truth_path)
    .. " " .. M.sh_quote(tmp .. "-pred.json") .. " --ids "
    .. M.sh_quote(ids_path) .. " --n-bootstrap 0 --per-page "
    .. M.sh_quote(tmp .. "-pages.tsv") .. " --json "
    .. M.sh_quote(tmp .. "-score.json") .. " >/dev/null"
  local ok = os.execute(cmd)
  local pages, overall = {}, nil
  if ok then
    for _, r in ipairs(M.tsv(tmp .. "-pages.tsv")) do
      pages[r.id] = { tp = tonumber(r.tp), fp = tonumber(r.fp),
                      fn = tonumber(r.fn) }
    end
    local _, o = next(cjson.decode(M.must_read(tmp .. "-score.json")))
    overall = o
  end
  for _, suffix in ipairs { "-truth.json", "-ids.txt", "-pred.json",
                            "-pages.tsv", "-score.json", "" } do
    os.remove(tmp .. suffix)
  end
  assert(ok, "scorer failed: " .. cmd)
  return pages, overall
end

--- Macro precision, recall and F1 over pages {tp, fp, fn}, exactly as
-- score_extraction.py aggregates them: P is the mean over pages with
-- predicted shingles, R over pages with true shingles, F1 = 2PR/(P+R).
function M.macro(rows)
  local ps, np, rs, nr = 0, 0, 0, 0
  for _, r in ipairs(rows) do
    if r.tp + r.fp > 0 then ps, np = ps + r.tp / (r.tp + r.fp), np + 1 end
    if r.tp + r.fn > 0 then rs, nr = rs + r.tp / (r.tp + r.fn), nr + 1 end
  end
  local p = np > 0 and ps / np or 0
  local r = nr > 0 and rs / nr or 0
  return { precision = p, recall = r,
           f1 = p + r > 0 and 2 * p * r / (p + r) or 0,
           pages = #rows, pages_empty_pred = #rows - np }
end

--- One page's precision, recall and F1 (a page without predicted
-- shingles has precision 0 here, for ranking only).
function M.page_prf(r)
  local p = r.tp + r.fp > 0 and r.tp / (r.tp + r.fp) or 0
  local rc = r.tp + r.fn > 0 and r.tp / (r.tp + r.fn) or 1
  return p, rc, p + rc > 0 and 2 * p * rc / (p + rc) or 0
end

-- ------------------------------------------------- rough line-in-gold
-- For the diagnostics only (which lines were wrongly kept or dropped);
-- the figures come from the scorer. Tokens approximate Python's \w:
-- ASCII letters, digits and "_", and every non-ASCII character outside
-- the usual punctuation, symbol and space blocks.

-- The common combining-mark ranges (Python's \w excludes marks), sorted.
local MARKS = {
  0x0300, 0x036F, 0x0483, 0x0489, 0x0591, 0x05BD, 0x05BF, 0x05C7,
  0x0610, 0x061A, 0x064B, 0x065F, 0x0670, 0x0670, 0x06D6, 0x06ED,
  0x0900, 0x0903, 0x093A, 0x094F, 0x0951, 0x0957, 0x0962, 0x0963,
  0x0981, 0x0983, 0x09BC, 0x09D7, 0x0E31, 0x0E31, 0x0E34, 0x0E3A,
  0x0E47, 0x0E4E, 0x1AB0, 0x1AFF, 0x1DC0, 0x1DFF, 0x20D0, 0x20FF,
  0xFE00, 0xFE0F, 0xFE20, 0xFE2F,
}

local function is_word_cp(c)
  if c < 128 then
    return (c >= 48 and c <= 57) or (c >= 65 and c <= 90)
      or (c >= 97 and c <= 122) or c == 95
  end
  if c <= 0xBF then
    return c == 0xAA or c == 0xB5 or c == 0xBA or c == 0xB2 or c == 0xB3
      or c == 0xB9 or (c >= 0xBC and c <= 0xBE)
  end
  if c == 0xD7 or c == 0xF7 then return false end
  for i = 1, #MARKS, 2 do                            -- combining marks
    if c < MARKS[i] then break end
    if c <= MARKS[i + 1] then return false end
  end
  if c >= 0x2000 and c <= 0x2BFF then                -- punctuation, symbols
    return (c >= 0x2070 and c <= 0x209F) or (c >= 0x2150 and c <= 0x218F)
      or (c >= 0x2460 and c <= 0x249B) or (c >= 0x2C00)
  end
  if c >= 0x3000 and c <= 0x303F then
    return (c >= 0x3005 and c <= 0x3007) or (c >= 0x3021 and c <= 0x3029)
      or (c >= 0x3031 and c <= 0x3035) or (c >= 0x3038 and c <= 0x303C)
  end
  if c >= 0xFE10 and c <= 0xFE6F then return false end
  if c >= 0xFF00 and c <= 0xFF65 then
    return (c >= 0xFF10 and c <= 0xFF19) or (c >= 0xFF21 and c <= 0xFF3A)
      or (c >= 0xFF41 and c <= 0xFF5A)
  end
  if c >= 0x1F000 then return false end              -- emoji, symbols
  if c == 0xFFFD or c == 0xFEFF then return false end
  return true
end

--- Word tokens of a text (see above); invalid UTF-8 bytes separate.
function M.tokens(s)
  local out, cur = {}, {}
  local i, n = 1, #s
  while i <= n do
    local b = s:byte(i)
    local len = b < 0x80 and 1 or b >= 0xF0 and 4 or b >= 0xE0 and 3
      or b >= 0xC0 and 2 or 1
    local ok, c = pcall(utf8.codepoint, s, i)
    if not ok then c, len = 0xFFFD, 1 end
    if is_word_cp(c) then
      cur[#cur + 1] = s:sub(i, i + len - 1)
    elseif #cur > 0 then
      out[#out + 1] = table.concat(cur)
      cur = {}
    end
    i = i + len
  end
  if #cur > 0 then out[#out + 1] = table.concat(cur) end
  return out
end

--- The multiset of 4-token shingles of a token list, as {key = count}
-- (a text of 1 to 3 tokens has one shingle of all of them).
function M.shingles(toks)
  local set, n = {}, 0
  if #toks == 0 then return set, 0 end
  if #toks < 4 then
    set[table.concat(toks, " ")] = 1
    return set, 1
  end
  for i = 1, #toks - 3 do
    local k = table.concat(toks, " ", i, i + 3)
    set[k] = (set[k] or 0) + 1
    n = n + 1
  end
  return set, n
end

--- A gold index for in_gold: its shingle multiset (consumed as lines
-- claim it) and its token string.
function M.gold_index(body)
  local toks = M.tokens(body)
  local set = M.shingles(toks)
  return { set = set, joined = " " .. table.concat(toks, " ") .. " " }
end

--- Share of a line's shingles that the gold still holds, and the line's
-- token count. With consume, the shingles found are taken out of the
-- gold, so a line repeated on the page matches one gold copy only (as
-- the scorer's multiset does). A line of 1 to 3 tokens counts when the
-- gold holds its tokens as a run.
function M.in_gold(gold, line, consume)
  local toks = M.tokens(line)
  if #toks == 0 then return 0, 0 end
  if #toks < 4 then
    local run = " " .. table.concat(toks, " ") .. " "
    return gold.joined:find(run, 1, true) and 1 or 0, #toks
  end
  local hit, n = 0, 0
  for i = 1, #toks - 3 do
    n = n + 1
    local k = table.concat(toks, " ", i, i + 3)
    local c = gold.set[k]
    if c and c > 0 then
      hit = hit + 1
      if consume then gold.set[k] = c - 1 end
    end
  end
  return hit / n, #toks
end

-- ------------------------------------------------------------- text

--- A line cut to n characters (UTF-8 safe), for printing.
function M.clip(s, n)
  s = (s or ""):gsub("[%c]", " "):gsub("%s+", " "):gsub("^ ", "")
  if utf8.len(s) and utf8.len(s) > n then
    return s:sub(1, utf8.offset(s, n + 1) - 1) .. "…"
  end
  if not utf8.len(s) and #s > n then return s:sub(1, n) .. "…" end
  return s
end

--- The text of a line around a byte offset into the input (the start
-- of the line when the offset is not in it), cut to n characters.
function M.window(input, lineno, offset, n)
  if not input or not lineno then return "" end
  local start, k = 1, 1
  while k < lineno do
    local nl = input:find("\n", start, true)
    if not nl then return "" end
    start, k = nl + 1, k + 1
  end
  local stop = (input:find("\n", start, true) or #input + 1) - 1
  local from = start
  if offset and offset + 1 >= start and offset + 1 <= stop then
    from = math.max(start, offset + 1 - 24)
    while from > start and (input:byte(from) or 0) & 0xC0 == 0x80 do
      from = from - 1
    end
  end
  local s = input:sub(from, stop)
  return (from > start and "…" or "") .. M.clip(s, n)
end

--- The lines of a text as a list (CRLF and CR folded).
function M.split_lines(s)
  local out = {}
  s = s:gsub("\r\n?", "\n")
  for l in (s .. "\n"):gmatch("([^\n]*)\n") do out[#out + 1] = l end
  return out
end

return M
