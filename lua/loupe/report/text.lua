-- loupe.report.text: text made safe for where it goes: valid UTF-8,
-- escaped for HTML/XML and Markdown, cut to a width, cleaned of control
-- characters for CSV and Markdown cells, and JSON (through lua-cjson)
-- with a stable key order. Part of loupe.report, which gives these.
local cjson = require("cjson")

local error, getmetatable, ipairs, next = error, getmetatable, ipairs, next
local pairs, tostring, type = pairs, tostring, type
local math_floor, math_huge, math_type = math.floor, math.huge, math.type
local string_format, table_concat = string.format, table.concat
local table_sort, utf8_len, utf8_offset = table.sort, utf8.len, utf8.offset

local cjson_encode = cjson.encode

local _ENV <const> = nil

local M = {}

--- s as valid UTF-8: each invalid byte becomes U+FFFD.
local function valid_utf8(s)
  if utf8_len(s) then return s end
  local out, i, n = {}, 1, #s
  while i <= n do
    local ok, bad = utf8_len(s, i)
    if ok then
      out[#out + 1] = s:sub(i)
      break
    end
    out[#out + 1] = s:sub(i, bad - 1)
    out[#out + 1] = "\u{FFFD}"
    i = bad + 1
  end
  return table_concat(out)
end
M.valid_utf8 = valid_utf8

-- A cell value as text: nil is empty, lists are joined with "; ".
local function text_of(v)
  local t = type(v)
  if v == nil then return "" end
  if t == "string" then return v end
  if t == "table" and getmetatable(v) == nil then
    local parts = {}
    for i, x in ipairs(v) do parts[i] = text_of(x) end
    return table_concat(parts, "; ")
  end
  if math_type(v) == "float" and v == math_floor(v) and v < 2^53
      and v > -2^53 then
    return string_format("%d", v)
  end
  return tostring(v)
end
M.text_of = text_of

-- Text that XML 1.0 accepts: valid UTF-8 without C0 controls (other than
-- tab, LF, CR), DEL or the non-characters U+FFFE and U+FFFF.
local function xml_text(v)
  local s = valid_utf8(text_of(v))
  s = s:gsub("[%z\1-\8\11\12\14-\31\127]", "")
  s = s:gsub("\239\191[\190\191]", "\u{FFFD}")
  return s
end

local ESC = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
              ['"'] = "&quot;", ["'"] = "&#39;" }

--- Escape text for HTML or XML element content and quoted attributes.
function M.escape_html(v)
  return (xml_text(v):gsub("[&<>\"']", ESC))
end
local escape = M.escape_html
M.escape_xml = escape

--- Cut s to at most n characters, marking the cut with an ellipsis.
local function cut(s, n)
  s = valid_utf8(text_of(s))
  if n and (utf8_len(s) or 0) > n then
    return s:sub(1, utf8_offset(s, n) - 1) .. "…"
  end
  return s
end
M.cut = cut

--- Text for a CSV or Markdown cell: valid UTF-8, and every control
-- character but tab, CR and LF (C0, DEL, the C1 controls U+0080-U+009F)
-- replaced by U+FFFD. A spreadsheet has no use for them, and a cell
-- printed to a terminal could otherwise move the cursor or recolour it
-- (a file name holding "\27[2J"). JSON keeps them, escaped.
local function cell_text(v)
  local s = valid_utf8(text_of(v))
  if not s:find("[%c\194]") then return s end
  s = s:gsub("[%z\1-\8\11\12\14-\31\127]", "\u{FFFD}")
  return (s:gsub("\194[\128-\159]", "\u{FFFD}"))
end
M.cell_text = cell_text

local MD_ESC = { ["\\"] = "\\\\", ["|"] = "\\|", ["`"] = "\\`",
                 ["*"] = "\\*", ["_"] = "\\_", ["["] = "\\[",
                 ["]"] = "\\]", ["<"] = "&lt;", [">"] = "&gt;" }

--- Text for a Markdown table cell or paragraph: pipes and the characters
-- that start emphasis, code, links or HTML are escaped, line breaks
-- become spaces, and an `&` that would start an entity is written &amp;.
function M.escape_md(v)
  local s = cell_text(v)
  s = s:gsub("[\r\n]+", " ")
  s = s:gsub("&(#?%w+;)", "&amp;%1")
  return (s:gsub("[\\|`*_%[%]<>]", MD_ESC))
end

-- -------------------------------------------------------------- JSON

local json_value

local function is_list(t)
  local n = #t
  if n == 0 then return next(t) == nil end
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  return count == n
end

-- Keys of t in a stable order: the given order first, the rest sorted.
local function ordered_keys(t, order)
  local keys, seen = {}, {}
  if order then
    for _, k in ipairs(order) do
      if t[k] ~= nil and not seen[k] then
        keys[#keys + 1], seen[k] = k, true
      end
    end
  end
  local rest = {}
  for k in pairs(t) do
    if not seen[k] then rest[#rest + 1] = k end
  end
  table_sort(rest, function(a, b) return tostring(a) < tostring(b) end)
  for _, k in ipairs(rest) do keys[#keys + 1] = k end
  return keys
end

-- (for loupe.report.writers: a row's keys as default columns)
M.ordered_keys = ordered_keys

local function json_object(t, order, depth)
  local parts = {}
  for _, k in ipairs(ordered_keys(t, order)) do
    parts[#parts + 1] = json_value(tostring(k), depth + 1) .. ":"
      .. json_value(t[k], depth + 1)
  end
  return "{" .. table_concat(parts, ",") .. "}"
end

function json_value(v, depth)
  depth = depth or 0
  if depth > 64 then error("loupe.report: JSON nesting deeper than 64", 0) end
  local t = type(v)
  if t == "string" then
    -- cjson writes "/" as "\/"; every "/" it emits is escaped that way,
    -- so taking the backslash away again is exact
    return (cjson_encode(valid_utf8(v)):gsub("\\/", "/"))
  end
  if math_type(v) == "integer" then return string_format("%d", v) end
  if t == "number" then
    if v ~= v or v == math_huge or v == -math_huge then return "null" end
    return cjson_encode(v)
  end
  if t == "boolean" then return tostring(v) end
  if t == "table" then
    if is_list(v) then          -- an empty table is written as []
      local parts = {}
      for i, x in ipairs(v) do parts[i] = json_value(x, depth + 1) end
      return "[" .. table_concat(parts, ",") .. "]"
    end
    return json_object(v, nil, depth)
  end
  return "null"
end

--- Encode a value as JSON: objects with keys in `order` first and the
-- others sorted (so output is stable), empty tables as [], strings made
-- valid UTF-8, NaN and infinities as null.
function M.json(v, order)
  if type(v) == "table" and not is_list(v) then
    return json_object(v, order, 0)
  end
  return json_value(v, 0)
end

return M
