-- loupe.report: writers for tables of rows (CSV, Markdown, JSON Lines,
-- HTML), charts as inline SVG (bars over time, lines, top-N bars, a
-- who-said-what timeline) and a self-contained HTML page that holds them.
-- Every piece of text is escaped; nothing here needs the C core.
local check = require "loupe.check"

local debug_traceback = debug.traceback
local error = error
local getmetatable = getmetatable
local io_open = io.open
local ipairs = ipairs
local loadfile = loadfile
local math_ceil = math.ceil
local math_floor = math.floor
local math_huge = math.huge
local math_log = math.log
local math_max = math.max
local math_min = math.min
local math_type = math.type
local next = next
local os_date = os.date
local os_getenv = os.getenv
local pairs = pairs
local require = require
local select = select
local setmetatable = setmetatable
local string_format = string.format
local table_concat = table.concat
local table_sort = table.sort
local tonumber = tonumber
local tostring = tostring
local type = type
local xpcall = xpcall
local utf8_len = utf8.len
local utf8_offset = utf8.offset

local M = {}

-- ------------------------------------------------------------- text

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

-- -------------------------------------------------------------- JSON

local cjson_mod
local function cjson()
  cjson_mod = cjson_mod or require "cjson"
  return cjson_mod
end

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
    return (cjson().encode(valid_utf8(v)):gsub("\\/", "/"))
  end
  if math_type(v) == "integer" then return string_format("%d", v) end
  if t == "number" then
    if v ~= v or v == math_huge or v == -math_huge then return "null" end
    return cjson().encode(v)
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

-- ----------------------------------------------------------- columns

-- Columns as { key=, title=, format=, align=, max= } from a list of keys
-- or column tables; without a list, the keys of the first row, sorted.
-- fname and n name the caller's function and argument in errors.
local function columns_of(rows, columns, fname, n)
  fname, n = fname or "columns", n or 2
  if columns == nil then
    local first = type(rows[1]) == "table" and rows[1] or {}
    columns = ordered_keys(first)
  end
  if type(columns) ~= "table" then
    check.argerror(n, fname, "list of columns expected, got "
      .. type(columns))
  end
  local out = {}
  for i, c in ipairs(columns) do
    if type(c) == "string" then
      out[i] = { key = c, title = c }
    elseif type(c) == "table" and c.key ~= nil then
      if c.format ~= nil and type(c.format) ~= "function" then
        check.argerror(n, fname, "column " .. i .. ": format must be a "
          .. "function, got " .. type(c.format))
      end
      check.integer(n, fname, c.max, 1, nil, "column " .. i .. ": max", true)
      out[i] = { key = c.key, title = c.title or tostring(c.key),
                 format = c.format, align = c.align, max = c.max }
    else
      check.argerror(n, fname, "column " .. i .. " needs a key")
    end
  end
  return out
end
M.columns = columns_of

local function cell(row, col)
  local v = row[col.key]
  if col.format then v = col.format(v, row) end
  return v
end

-- ------------------------------------------------------------- CSV

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

--- One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR
-- or LF, with quotes doubled; control characters as cell_text gives them.
function M.csv_field(v)
  local s = cell_text(v)
  if s:find('[,"\r\n]') then
    return '"' .. s:gsub('"', '""') .. '"'
  end
  return s
end

--- One CSV record with its CRLF line end.
function M.csv_record(values)
  local parts = {}
  for i = 1, #values do parts[i] = M.csv_field(values[i]) end
  return table_concat(parts, ",") .. "\r\n"
end

-- --------------------------------------------------------- Markdown

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

-- ------------------------------------------------------------- HTML

-- The attributes and content of a <td>: a short value without spaces
-- (a date, a number, an id) is kept on one line; a cut value keeps its
-- whole text in a title attribute.
local function html_cell(v, col)
  local s = text_of(v)
  local len = utf8_len(valid_utf8(s)) or 0
  local nw = (len <= 20 and not s:find("%s")) and ' class="nw"' or ""
  if col.align == "right" then nw = "" end
  if col.max and len > col.max then
    return nw .. ' title="' .. escape(s) .. '">' .. escape(cut(s, col.max))
  end
  return nw .. ">" .. escape(s)
end

-- ---------------------------------------------------------- writers

local Writer = {}
Writer.__index = Writer

local FORMATS = { csv = true, md = true, jsonl = true, html = true }

--- A streaming table writer: writer(format, out, columns) where format
-- is "csv", "md", "jsonl" or "html" and out has :write (a file, or
-- report.buffer()). :row(r) writes one row; :close() ends the table (for
-- HTML) and returns out. Headers come first (CSV, Markdown, HTML).
function M.writer(format, out, columns)
  if not FORMATS[format] then
    error("bad argument #1 to 'writer' (csv, md, jsonl or html expected, "
      .. "got " .. tostring(format) .. ")", 2)
  end
  local t = type(out)
  if (t ~= "table" and t ~= "userdata") or type(out.write) ~= "function"
  then
    error("bad argument #2 to 'writer' (file or buffer expected)", 2)
  end
  local w = setmetatable({ format = format, out = out, n = 0 }, Writer)
  if columns then w.columns = columns_of({}, columns, "writer", 3) end
  return w
end

function Writer:_header()
  local cols, out = self.columns, self.out
  if self.format == "csv" then
    local titles = {}
    for i, c in ipairs(cols) do titles[i] = c.title end
    out:write(M.csv_record(titles))
  elseif self.format == "md" then
    local titles, rule = {}, {}
    for i, c in ipairs(cols) do
      titles[i] = M.escape_md(c.title)
      rule[i] = c.align == "right" and "---:" or "---"
    end
    out:write("| ", table_concat(titles, " | "), " |\n| ",
      table_concat(rule, " | "), " |\n")
  elseif self.format == "html" then
    out:write('<table>\n<thead><tr>')
    for _, c in ipairs(cols) do
      out:write(c.align == "right" and '<th class="num">' or "<th>",
        escape(c.title), "</th>")
    end
    out:write("</tr></thead>\n<tbody>\n")
  end
end

function Writer:row(r)
  if self.closed then check.raise("attempt to use a closed writer") end
  check.type(1, "row", r, "table")
  if not self.columns then self.columns = columns_of({ r }) end
  if self.n == 0 then self:_header() end
  self.n = self.n + 1
  local cols, out, fmt = self.columns, self.out, self.format
  if fmt == "csv" then
    local values = {}
    for i, c in ipairs(cols) do values[i] = cell(r, c) end
    out:write(M.csv_record(values))
  elseif fmt == "md" then
    local values = {}
    for i, c in ipairs(cols) do values[i] = M.escape_md(cell(r, c)) end
    out:write("| ", table_concat(values, " | "), " |\n")
  elseif fmt == "jsonl" then
    local obj, order = {}, {}
    for i, c in ipairs(cols) do
      obj[c.title], order[i] = cell(r, c), c.title
    end
    out:write(M.json(obj, order), "\n")
  else
    out:write("<tr>")
    for _, c in ipairs(cols) do
      out:write(c.align == "right" and '<td class="num"' or "<td",
        html_cell(cell(r, c), c), "</td>")
    end
    out:write("</tr>\n")
  end
  return self
end

function Writer:close()
  if not self.closed then
    self.closed = true
    if self.n == 0 and self.columns and self.format ~= "jsonl" then
      self:_header()
    end
    if self.format == "html" and (self.n > 0 or self.columns) then
      self.out:write("</tbody>\n</table>\n")
    end
  end
  return self.out
end

--- A string buffer with :write, for writers; tostring() gives the text.
function M.buffer()
  local parts = {}
  return setmetatable({}, {
    __index = {
      write = function(self, ...)
        for i = 1, select("#", ...) do
          parts[#parts + 1] = tostring((select(i, ...)))
        end
        return self
      end,
    },
    __tostring = function() return table_concat(parts) end,
  })
end

local function whole(fname, format, rows, columns)
  check.type(1, fname, rows, "table")
  for i, r in ipairs(rows) do
    if type(r) ~= "table" then
      check.argerror(1, fname, "row " .. i .. " is a " .. type(r)
        .. " (a table expected)")
    end
  end
  local w = M.writer(format, M.buffer(), columns_of(rows, columns, fname))
  for _, r in ipairs(rows) do w:row(r) end
  return tostring(w:close())
end

--- rows (a list of tables) as CSV text, a header record first; columns
-- as for writer (default: the first row's keys, sorted).
function M.csv(rows, columns) return whole("csv", "csv", rows, columns) end
--- rows as a Markdown (GFM) table.
function M.markdown(rows, columns)
  return whole("markdown", "md", rows, columns)
end
--- rows as JSON Lines, keys in column order.
function M.jsonl(rows, columns)
  return whole("jsonl", "jsonl", rows, columns)
end
--- rows as an HTML <table>.
function M.html_table(rows, columns)
  return whole("html_table", "html", rows, columns)
end

-- ------------------------------------------------------------ charts
-- Raise for an options table that is not a table or has a key that
-- `allowed` (a set) does not list; the error names the function and the
-- caller's line.
local function check_opts(fname, n, opts, allowed)
  return check.options(n, fname, opts, allowed)
end

-- The sizes and counts a chart takes from its options, checked: a width
-- or height is a number from 100 to 20,000 (pixels), top, label_chars
-- and max_speakers positive integers up to 10,000, from and to years.
local function check_sizes(fname, opts)
  for _, k in ipairs({ "width", "height" }) do
    check.number(2, fname, opts[k], 100, 20000, "option '" .. k .. "'",
      false, true)
  end
  for _, k in ipairs({ "top", "label_chars", "max_speakers" }) do
    check.integer(2, fname, opts[k], 1, 10000, "option '" .. k .. "'", true)
  end
  for _, k in ipairs({ "from", "to" }) do
    check.integer(2, fname, opts[k], 0, 9999, "option '" .. k .. "'", true)
  end
end

-- The list argument of a chart: a table whose items are tables.
local function check_rows(fname, rows, what)
  check.type(1, fname, rows, "table")
  for i, r in ipairs(rows) do
    if type(r) ~= "table" then
      check.argerror(1, fname, ("%s %d is a %s (a table expected)")
        :format(what, i, type(r)))
    end
  end
end

-- Values on a chart. A chart draws finite numbers from 0 up, scaled to
-- the largest finite one; +inf as a bar (or point) at the top of the
-- axis, labelled ∞; a value below 0 at 0; NaN not at all. The last two
-- are counted in a note under the chart. Data tables keep the values as
-- given.
local INF = math_huge

local function finite(v)
  return v == v and v ~= INF and v ~= -INF
end

--- A value as a chart labels it: integers without ".0", ∞ and -∞, NaN.
local function value_label(v)
  if v ~= v then return "NaN" end
  if v == INF then return "∞" end
  if v == -INF then return "-∞" end
  return text_of(v)
end
M.value_label = value_label

-- The share of the axis a value takes: 0 to 1, nil when not drawn.
local function share(v, top)
  if v ~= v then return nil end
  if v <= 0 then return 0 end
  if v == INF then return 1 end
  return math_min(1, v / top)
end

-- The largest finite value of the values (0 at least) and the note for
-- those not drawn as given (nil when all are), for a list of values.
local function scale_of(values)
  local max, nan, below = 0, 0, 0
  for _, v in ipairs(values) do
    if v ~= v then nan = nan + 1
    elseif v < 0 then below = below + 1
    elseif v ~= INF and v > max then max = v end
  end
  local parts = {}
  if nan > 0 then parts[#parts + 1] = nan .. " not a number, not drawn" end
  if below > 0 then parts[#parts + 1] = below .. " below 0, drawn at 0" end
  return max, #parts > 0 and table_concat(parts, "; ") or nil
end

-- The room a note takes under a chart.
local NOTE_H = 16

local function set(list)
  local t = {}
  for _, k in ipairs(list) do t[k] = true end
  return t
end

local BAR_OPTS = set{ "title", "xlabel", "ylabel", "width", "height",
  "color", "fill", "from", "to", "missing", "key", "value" }
local HBAR_OPTS = set{ "title", "xlabel", "width", "color", "top",
  "label_chars", "label", "missing", "key", "value" }
local TIMELINE_OPTS = set{ "title", "width", "speakers", "max_speakers",
  "colors" }


local Chart = {}
Chart.__index = Chart
Chart.__name = "loupe.report.chart"
Chart.__tostring = function(c) return c.svg end

function M.is_chart(x) return getmetatable(x) == Chart end

local function num(x)
  local s = string_format("%.1f", x)
  return (s:gsub("%.0$", ""))
end

-- Build "<tag a="v" ...>" with attributes in the given order.
local function tag(name, attrs, close)
  local parts = { "<", name }
  for i = 1, #attrs, 2 do
    local v = attrs[i + 1]
    if type(v) == "number" then v = num(v) end
    parts[#parts + 1] = " " .. attrs[i] .. '="' .. escape(v) .. '"'
  end
  parts[#parts + 1] = close and "/>" or ">"
  return table_concat(parts)
end

local function text_el(x, y, s, attrs)
  local a = { "x", x, "y", y }
  for _, v in ipairs(attrs or {}) do a[#a + 1] = v end
  return tag("text", a) .. escape(s) .. "</text>"
end

-- A nice step for an axis from 0 to max with about n ticks (integers).
local function nice_step(max, n)
  if max ~= max or max <= 0 then return 1 end
  local raw = max / (n or 5)
  local mag = 10 ^ math_floor(math_log(raw, 10))
  local step = mag
  for _, m in ipairs({ 1, 2, 5, 10 }) do
    step = m * mag
    if step >= raw then break end
  end
  return math_max(1, math_floor(step + 0.5))
end

-- The axis for values up to max (the largest finite value): step, top
-- and the number of steps to the top. Never more than a dozen ticks, and
-- it always ends: a huge max whose nice step overflows gets one step.
local function axis(max)
  if max ~= max or max <= 0 or not finite(max) then return 1, 1, 1 end
  local step = nice_step(max, 5)
  local top = math_ceil(max / step) * step
  if not finite(step) or not finite(top) or top < max or top / step > 12
  then
    return max, max, 1
  end
  top = math_max(step, top)
  return step, top, math_floor(top / step + 0.5)
end

local PALETTE = { "#3b6ea5", "#d9822b", "#4a9c6d", "#b8475a", "#7a5ea8",
                  "#8c6d31", "#3f8f9e", "#6b6b6b" }
M.PALETTE = PALETTE

local function svg_open(w, h, title)
  return table_concat({
    tag("svg", { "xmlns", "http://www.w3.org/2000/svg",
      "viewBox", "0 0 " .. num(w) .. " " .. num(h), "width", w,
      "height", h, "role", "img", "font-family",
      "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif",
      "font-size", 12 }),
    "<title>", escape(title or "chart"), "</title>",
  })
end

-- The note under a chart of width w and height h (without the note):
-- "" when there is none.
local function note_el(w, h, note)
  if not note then return "" end
  return text_el(w - 16, h + NOTE_H - 5, note, { "text-anchor", "end",
    "fill", "#666", "font-size", 11 })
end

local function new_chart(svg, title, data, columns)
  return setmetatable({ svg = svg, title = title, data = data,
                        columns = columns }, Chart)
end

-- Rows { key=, count= } keyed by opts.key / opts.value; when all keys are
-- years, missing years are filled with 0 (opts.fill ~= false) and rows
-- without a key come last as opts.missing ("undated").
local function series_rows(rows, opts)
  local kk, vk = opts.key or "key", opts.value or "count"
  local out, years, other, missing = {}, true, {}, nil
  for _, r in ipairs(rows) do
    local k, v = r[kk], tonumber(r[vk]) or 0
    if k == nil then
      missing = (missing or 0) + v
    else
      other[#other + 1] = { key = text_of(k), count = v }
      if not text_of(k):match("^%d%d%d%d$") then years = false end
    end
  end
  if years and #other > 0 and opts.fill ~= false then
    local have, lo, hi = {}, math_huge, -math_huge
    for _, r in ipairs(other) do
      local y = tonumber(r.key)
      have[y] = (have[y] or 0) + r.count
      lo, hi = math_min(lo, y), math_max(hi, y)
    end
    lo = math_min(lo, tonumber(opts.from) or lo)
    hi = math_max(hi, tonumber(opts.to) or hi)
    for y = lo, hi do out[#out + 1] = { key = tostring(y),
                                        count = have[y] or 0 } end
  else
    for _, r in ipairs(other) do out[#out + 1] = r end
  end
  if missing then
    out[#out + 1] = { key = opts.missing or "undated", count = missing }
  end
  return out
end

-- The frame of a vertical-value chart: y grid, ticks and axis titles.
-- Returns the top of the axis.
local function y_axis(buf, x0, y0, plot_w, plot_h, max, opts)
  local step, top, ticks = axis(max)
  for k = 0, ticks do
    local v = k == ticks and top or k * step
    local y = y0 - plot_h * (v / top)
    buf[#buf + 1] = tag("line", { "x1", x0, "y1", y, "x2", x0 + plot_w,
      "y2", y, "stroke", v == 0 and "#444" or "#ddd" }, true)
    buf[#buf + 1] = text_el(x0 - 6, y + 4, value_label(v),
      { "text-anchor", "end", "fill", "#444" })
  end
  buf[#buf + 1] = tag("line", { "x1", x0, "y1", y0, "x2", x0,
    "y2", y0 - plot_h, "stroke", "#444" }, true)
  if opts.ylabel then
    buf[#buf + 1] = text_el(0, 0, opts.ylabel, { "transform",
      "translate(14 " .. num(y0 - plot_h / 2) .. ") rotate(-90)",
      "text-anchor", "middle", "fill", "#222" })
  end
  return top
end

--- Vertical bars of counts over time (or any keys): rows { key=, count= }
-- (or opts.key / opts.value). opts: title, xlabel, ylabel, width (720),
-- height (280), color, fill (fill missing years, default true), from, to,
-- missing (label of rows without a key, "undated"). Returns a chart
-- (tostring gives the SVG).
function M.bar_chart(rows, opts)
  check_rows("bar_chart", rows, "row")
  opts = check_opts("bar_chart", 2, opts, BAR_OPTS)
  check_sizes("bar_chart", opts)
  local data = series_rows(rows, opts)
  local w, h = opts.width or 720, opts.height or 280
  local ml, mr, mt, mb = 56, 16, opts.title and 34 or 14, 48
  local plot_w, plot_h = w - ml - mr, h - mt - mb
  local x0, y0 = ml, h - mb
  local values = {}
  for i, r in ipairs(data) do values[i] = r.count end
  local max, note = scale_of(values)
  local buf = { svg_open(w, h + (note and NOTE_H or 0), opts.title) }
  if opts.title then
    buf[#buf + 1] = text_el(w / 2, 20, opts.title, { "text-anchor",
      "middle", "font-size", 14, "font-weight", "bold", "fill", "#222" })
  end
  local top = y_axis(buf, x0, y0, plot_w, plot_h, max, opts)
  local n = math_max(#data, 1)
  local slot = plot_w / n
  local bw = math_max(1, slot * 0.7)
  local every = math_ceil(n / math_max(1, math_floor(plot_w / 44)))
  for i, r in ipairs(data) do
    local x = x0 + (i - 1) * slot + (slot - bw) / 2
    local s = share(r.count, top)
    if s then
      local bh = plot_h * s
      buf[#buf + 1] = tag("rect", { "x", x, "y", y0 - bh, "width", bw,
        "height", bh, "fill", opts.color or PALETTE[1] })
        .. "<title>" .. escape(r.key .. ": " .. value_label(r.count))
        .. "</title></rect>"
      if r.count > 0 and bw >= 14 then
        buf[#buf + 1] = text_el(x + bw / 2, y0 - bh - 4,
          value_label(r.count), { "text-anchor", "middle", "font-size", 11,
          "fill", "#222" })
      end
    end
    if (i - 1) % every == 0 then
      buf[#buf + 1] = text_el(x + bw / 2, y0 + 16, cut(r.key, 12),
        { "text-anchor", "middle", "fill", "#444" })
    end
  end
  if opts.xlabel then
    buf[#buf + 1] = text_el(x0 + plot_w / 2, h - 8, opts.xlabel,
      { "text-anchor", "middle", "fill", "#222" })
  end
  buf[#buf + 1] = note_el(w, h, note)
  buf[#buf + 1] = "</svg>"
  return new_chart(table_concat(buf, "\n"), opts.title, data,
    { { key = "key", title = opts.xlabel or "key" },
      { key = "count", title = opts.ylabel or "count", align = "right" } })
end

--- Lines over time: series is a list of { name=, rows={ {key=, count=} }
-- } sharing their keys (years are filled). opts as bar_chart. A legend
-- names the series.
function M.line_chart(series, opts)
  check_rows("line_chart", series, "series")
  opts = check_opts("line_chart", 2, opts, BAR_OPTS)
  check_sizes("line_chart", opts)
  -- the keys of all series, years filled
  local all = {}
  for si, s in ipairs(series) do
    if s.rows ~= nil then
      check_rows("line_chart", s.rows, "row of series " .. si .. ": row")
    end
    for _, r in ipairs(s.rows or {}) do all[#all + 1] = r end
  end
  local keys = series_rows(all, opts)
  local index = {}
  for i, r in ipairs(keys) do index[r.key] = i end
  local w, h = opts.width or 720, opts.height or 280
  local ml, mr, mt, mb = 56, 16, opts.title and 34 or 14, 64
  local plot_w, plot_h = w - ml - mr, h - mt - mb
  local x0, y0 = ml, h - mb
  local values, every_value = {}, {}
  for si, s in ipairs(series) do
    local v = {}
    for _, r in ipairs(series_rows(s.rows or {}, {
        key = opts.key, value = opts.value, fill = false,
        missing = opts.missing })) do
      local i = index[r.key]
      if i then v[i] = (v[i] or 0) + r.count end
    end
    for i = 1, #keys do
      v[i] = v[i] or 0
      every_value[#every_value + 1] = v[i]
    end
    values[si] = v
  end
  local max, note = scale_of(every_value)
  local buf = { svg_open(w, h + (note and NOTE_H or 0), opts.title) }
  if opts.title then
    buf[#buf + 1] = text_el(w / 2, 20, opts.title, { "text-anchor",
      "middle", "font-size", 14, "font-weight", "bold", "fill", "#222" })
  end
  local top = y_axis(buf, x0, y0, plot_w, plot_h, max, opts)
  local n = math_max(#keys, 1)
  local slot = plot_w / n
  local every = math_ceil(n / math_max(1, math_floor(plot_w / 44)))
  local function px(i) return x0 + (i - 0.5) * slot end
  for i, r in ipairs(keys) do
    if (i - 1) % every == 0 then
      buf[#buf + 1] = text_el(px(i), y0 + 16, cut(r.key, 12),
        { "text-anchor", "middle", "fill", "#444" })
    end
  end
  for si, s in ipairs(series) do
    local color = s.color or PALETTE[(si - 1) % #PALETTE + 1]
    local pts, ys = {}, {}
    for i = 1, #keys do
      local sh = share(values[si][i], top)
      if sh then
        ys[i] = y0 - plot_h * sh
        pts[#pts + 1] = num(px(i)) .. "," .. num(ys[i])
      end
    end
    buf[#buf + 1] = tag("polyline", { "points", table_concat(pts, " "),
      "fill", "none", "stroke", color, "stroke-width", 2 }, true)
    for i = 1, #keys do
      if ys[i] then
        buf[#buf + 1] = tag("circle", { "cx", px(i), "cy", ys[i], "r", 3.5,
          "fill", color })
          .. "<title>" .. escape(text_of(s.name) .. ", " .. keys[i].key
          .. ": " .. value_label(values[si][i])) .. "</title></circle>"
      end
    end
    -- legend below the axis
    local lx = x0 + (si - 1) * 200
    buf[#buf + 1] = tag("rect", { "x", lx, "y", h - 20, "width", 12,
      "height", 12, "fill", color }, true)
    buf[#buf + 1] = text_el(lx + 18, h - 10, cut(s.name, 28),
      { "fill", "#222" })
  end
  if opts.xlabel then
    buf[#buf + 1] = text_el(x0 + plot_w / 2, y0 + 34, opts.xlabel,
      { "text-anchor", "middle", "fill", "#222" })
  end
  buf[#buf + 1] = note_el(w, h, note)
  buf[#buf + 1] = "</svg>"
  -- the data as a table: one column per series
  local data, cols = {}, { { key = "key", title = opts.xlabel or "key" } }
  for si, s in ipairs(series) do
    cols[#cols + 1] = { key = si, title = text_of(s.name), align = "right" }
  end
  for i, r in ipairs(keys) do
    local row = { key = r.key }
    for si = 1, #series do row[si] = values[si][i] end
    data[i] = row
  end
  return new_chart(table_concat(buf, "\n"), opts.title, data, cols)
end

--- Horizontal bars of the top N rows by count: rows { key=, count= }
-- (or opts.key / opts.value); opts: title, top (10), width (720),
-- xlabel, color, label_chars (32), missing (label of a nil key).
function M.hbar_chart(rows, opts)
  check_rows("hbar_chart", rows, "row")
  opts = check_opts("hbar_chart", 2, opts, HBAR_OPTS)
  check_sizes("hbar_chart", opts)
  local kk, vk = opts.key or "key", opts.value or "count"
  local data = {}
  for _, r in ipairs(rows) do
    data[#data + 1] = { key = r[kk] == nil and (opts.missing or "(none)")
                          or text_of(r[kk]),
                        count = tonumber(r[vk]) or 0 }
  end
  -- largest first, NaN last (it compares with nothing)
  table_sort(data, function(a, b)
    local x, y = a.count, b.count
    if (x ~= x) ~= (y ~= y) then return y ~= y end
    if x == x and x ~= y then return x > y end
    return a.key < b.key
  end)
  local top_n = opts.top or 10
  while #data > top_n do data[#data] = nil end
  local chars = opts.label_chars or 32
  local longest = 4
  for _, r in ipairs(data) do
    longest = math_max(longest, utf8_len(cut(r.key, chars)) or 0)
  end
  local bar_h, gap = 20, 6
  local w = opts.width or 720
  local ml = math_min(w / 2, 12 + longest * 6.6)
  local mr, mt, mb = 40, opts.title and 34 or 10, opts.xlabel and 46 or 28
  local plot_w = w - ml - mr
  local h = mt + mb + math_max(1, #data) * (bar_h + gap)
  local x0, y0 = ml, mt
  local values = {}
  for i, r in ipairs(data) do values[i] = r.count end
  local max, note = scale_of(values)
  local step, top, ticks = axis(max)
  local buf = { svg_open(w, h + (note and NOTE_H or 0), opts.title) }
  if opts.title then
    buf[#buf + 1] = text_el(w / 2, 20, opts.title, { "text-anchor",
      "middle", "font-size", 14, "font-weight", "bold", "fill", "#222" })
  end
  local y_end = h - mb + gap / 2
  for k = 0, ticks do
    local v = k == ticks and top or k * step
    local x = x0 + plot_w * (v / top)
    buf[#buf + 1] = tag("line", { "x1", x, "y1", y0, "x2", x,
      "y2", y_end, "stroke", v == 0 and "#444" or "#ddd" }, true)
    buf[#buf + 1] = text_el(x, y_end + 14, value_label(v),
      { "text-anchor", "middle", "fill", "#444" })
  end
  for i, r in ipairs(data) do
    local y = y0 + (i - 1) * (bar_h + gap) + gap / 2
    local s = share(r.count, top)
    local bw = plot_w * (s or 0)
    buf[#buf + 1] = text_el(x0 - 6, y + bar_h / 2 + 4, cut(r.key, chars),
      { "text-anchor", "end", "fill", "#222" })
    if s then
      buf[#buf + 1] = tag("rect", { "x", x0, "y", y, "width", bw,
        "height", bar_h, "fill", opts.color or PALETTE[1] })
        .. "<title>" .. escape(r.key .. ": " .. value_label(r.count))
        .. "</title></rect>"
    end
    buf[#buf + 1] = text_el(x0 + bw + 4, y + bar_h / 2 + 4,
      value_label(r.count), { "fill", "#222", "font-size", 11 })
  end
  if opts.xlabel then
    buf[#buf + 1] = text_el(x0 + plot_w / 2, h - 8, opts.xlabel,
      { "text-anchor", "middle", "fill", "#222" })
  end
  buf[#buf + 1] = note_el(w, h, note)
  buf[#buf + 1] = "</svg>"
  return new_chart(table_concat(buf, "\n"), opts.title, data,
    { { key = "key", title = opts.label or "name" },
      { key = "count", title = opts.xlabel or "count", align = "right" } })
end

--- A date string (ISO 8601 at any precision) as a fractional year.
function M.year_of(date)
  if type(date) ~= "string" then return nil end
  local y, m, d = date:match("^(%d%d%d%d)%-?(%d?%d?)%-?(%d?%d?)")
  y = tonumber(y)
  if not y then return nil end
  m, d = tonumber(m), tonumber(d)
  if not m then return y + 0.5 end
  if not d then return y + (m - 0.5) / 12 end
  return y + (m - 1) / 12 + (d - 1) / 366
end

local KIND_COLOR = { direct = "#3b6ea5", reported = "#d9822b",
                     phrase = "#b8475a" }

--- Who said what: speakers on rows, each quote a dot at its date (a
-- tooltip gives date, outlet and text). points: list of { speaker=,
-- date=, text=, kind=, outlet=, title= } (the rows of corpus:quotes()).
-- opts: title, width (900), speakers (the rows, in order; default: by
-- first quote), max_speakers (12), colors (kind -> color). Undated
-- quotes are left out and counted in the caption.
function M.timeline(points, opts)
  check_rows("timeline", points, "point")
  opts = check_opts("timeline", 2, opts, TIMELINE_OPTS)
  check_sizes("timeline", opts)
  if opts.speakers ~= nil then
    check.strings(2, "timeline", check.type(2, "timeline", opts.speakers,
      "table"), "option 'speakers'", true, true)
  end
  if opts.colors ~= nil then check.type(2, "timeline", opts.colors, "table") end
  local by, order, undated = {}, {}, 0
  local lo, hi = math_huge, -math_huge
  for _, p in ipairs(points) do
    local x = M.year_of(p.date)
    local name = p.speaker and text_of(p.speaker) or nil
    if not x then
      undated = undated + 1
    elseif name then
      if not by[name] then
        by[name] = { name = name, first = x, points = {} }
        order[#order + 1] = by[name]
      end
      local s = by[name]
      s.first = math_min(s.first, x)
      s.points[#s.points + 1] = { x = x, p = p }
      lo, hi = math_min(lo, x), math_max(hi, x)
    end
  end
  if opts.speakers then
    local list = {}
    for _, n in ipairs(opts.speakers) do
      if by[n] then list[#list + 1] = by[n] end
    end
    order = list
  else
    table_sort(order, function(a, b)
      if a.first ~= b.first then return a.first < b.first end
      return a.name < b.name
    end)
  end
  local max_rows = opts.max_speakers or 12
  while #order > max_rows do order[#order] = nil end
  if lo == math_huge then lo, hi = 2000, 2001 end
  local y_lo, y_hi = math_floor(lo), math_floor(hi) + 1
  local w = opts.width or 900
  local row_h = 34
  local longest = 4
  for _, s in ipairs(order) do
    longest = math_max(longest, utf8_len(cut(s.name, 28)) or 0)
  end
  local ml, mr, mt, mb = 16 + longest * 6.6, 20, opts.title and 34 or 10, 58
  local plot_w = w - ml - mr
  local h = mt + mb + math_max(1, #order) * row_h
  local x0, y_axis_at = ml, h - mb
  local function px(x) return x0 + plot_w * (x - y_lo) / (y_hi - y_lo) end
  local buf = { svg_open(w, h, opts.title) }
  if opts.title then
    buf[#buf + 1] = text_el(w / 2, 20, opts.title, { "text-anchor",
      "middle", "font-size", 14, "font-weight", "bold", "fill", "#222" })
  end
  local every = math_ceil((y_hi - y_lo) / math_max(1,
    math_floor(plot_w / 48)))
  for y = y_lo, y_hi do
    local x = px(y)
    buf[#buf + 1] = tag("line", { "x1", x, "y1", mt, "x2", x,
      "y2", y_axis_at, "stroke", "#e2e2e2" }, true)
    if (y - y_lo) % every == 0 and y < y_hi then
      buf[#buf + 1] = text_el(px(y + 0.5), y_axis_at + 16, tostring(y),
        { "text-anchor", "middle", "fill", "#444" })
    end
  end
  buf[#buf + 1] = tag("line", { "x1", x0, "y1", y_axis_at,
    "x2", x0 + plot_w, "y2", y_axis_at, "stroke", "#444" }, true)
  local colors = opts.colors or KIND_COLOR
  for i, s in ipairs(order) do
    local cy = mt + (i - 0.5) * row_h
    if i % 2 == 0 then
      buf[#buf + 1] = tag("rect", { "x", x0, "y", cy - row_h / 2,
        "width", plot_w, "height", row_h, "fill", "#f6f7f9" }, true)
    end
    buf[#buf + 1] = text_el(x0 - 8, cy + 4, cut(s.name, 28),
      { "text-anchor", "end", "fill", "#222" })
    -- dots at (nearly) the same place are spread vertically
    local slots = {}
    for _, pt in ipairs(s.points) do
      local x = px(pt.x)
      local key = math_floor(x / 5)
      local k = slots[key] or 0
      slots[key] = k + 1
      local dy = ((k % 5) - 2) * 5
      local p = pt.p
      local tip = text_of(p.date):sub(1, 10) .. " · "
        .. text_of(p.outlet or p.title or "") .. "\n" .. text_of(p.kind)
        .. ": “" .. cut(p.text, 240) .. "”"
      buf[#buf + 1] = tag("circle", { "cx", x, "cy", cy + dy, "r", 5,
        "fill", colors[p.kind] or "#6b6b6b", "fill-opacity", 0.8,
        "stroke", "#fff", "stroke-width", 1 })
        .. "<title>" .. escape(tip) .. "</title></circle>"
    end
  end
  -- legend
  local lx, kinds = x0, {}
  for k in pairs(colors) do kinds[#kinds + 1] = k end
  table_sort(kinds)
  for _, k in ipairs(kinds) do
    buf[#buf + 1] = tag("circle", { "cx", lx + 6, "cy", h - 14, "r", 5,
      "fill", colors[k] }, true)
    buf[#buf + 1] = text_el(lx + 16, h - 10, k .. " quote",
      { "fill", "#222" })
    lx = lx + 130
  end
  if undated > 0 then
    buf[#buf + 1] = text_el(x0 + plot_w, h - 10, undated
      .. " undated quote" .. (undated == 1 and "" or "s") .. " not shown",
      { "text-anchor", "end", "fill", "#666" })
  end
  buf[#buf + 1] = "</svg>"
  local data = {}
  for _, s in ipairs(order) do
    local first, last = math_huge, -math_huge
    for _, pt in ipairs(s.points) do
      first, last = math_min(first, pt.x), math_max(last, pt.x)
    end
    data[#data + 1] = { speaker = s.name, quotes = #s.points,
      first = math_floor(first), last = math_floor(last) }
  end
  return new_chart(table_concat(buf, "\n"), opts.title, data,
    { "speaker", { key = "quotes", title = "quotes", align = "right" },
      "first", "last" })
end

-- -------------------------------------------------------------- page

local Page = {}
Page.__index = Page
Page.__name = "loupe.report.page"

function M.is_page(x) return getmetatable(x) == Page end

local PAGE_OPTS = { title = true, intro = true, footer = true }

--- A report page: page{ title=, intro=, footer= }. Add blocks with
-- :section, :text, :table, :chart, :kwic, :list, :include; render with
-- :html() (one self-contained file: inline CSS, no scripts, no external
-- resources) or :markdown(); :write(path [, format]) saves it.
function M.page(opts)
  opts = opts or {}
  if type(opts) ~= "table" then
    error("bad argument #1 to 'page' (table expected, got " .. type(opts)
      .. ")", 2)
  end
  for k in pairs(opts) do
    if not PAGE_OPTS[k] then
      error("bad argument #1 to 'page' (unknown option '" .. tostring(k)
        .. "')", 2)
    end
  end
  return setmetatable({ title = opts.title or "loupe report",
    intro = opts.intro, footer = opts.footer, blocks = {} }, Page)
end

function Page:_add(b)
  self.blocks[#self.blocks + 1] = b
  return self
end

--- A heading (level 2; level 3 with opts.sub) and an optional line of
-- introduction.
function Page:section(title, intro, opts)
  opts = check_opts("section", 3, opts, { sub = true })
  self:_add({ kind = "heading", level = opts.sub and 3 or 2,
              text = text_of(title) })
  if intro then self:text(intro) end
  return self
end

--- A paragraph of plain text.
function Page:text(s)
  return self:_add({ kind = "text", text = text_of(s) })
end

--- A bulleted list of plain text items.
function Page:list(items)
  check.type(1, "list", items, "table")
  local copy = {}
  for i, v in ipairs(items) do copy[i] = text_of(v) end
  return self:_add({ kind = "list", items = copy })
end

--- A table of rows; columns as for report.writer; opts.caption.
function Page:table(rows, columns, opts)
  opts = check_opts("table", 3, opts, { caption = true, empty = true })
  if type(rows) ~= "table" then
    error("bad argument #1 to 'table' (list of rows expected, got "
      .. type(rows) .. ")", 2)
  end
  return self:_add({ kind = "table", rows = rows,
    columns = columns_of(rows, columns, "table"), caption = opts.caption,
    empty = opts.empty })
end

--- A chart made by report.bar_chart, line_chart, hbar_chart or timeline
-- (only those: the page takes no raw markup); opts.caption.
function Page:chart(chart, opts)
  opts = check_opts("chart", 2, opts, { caption = true })
  if not M.is_chart(chart) then
    error("bad argument #1 to 'chart' (chart expected, got "
      .. type(chart) .. ")", 2)
  end
  return self:_add({ kind = "chart", chart = chart,
                     caption = opts.caption })
end

--- Keyword-in-context lines: rows { left=, match=, right=, date=, id=,
-- ... } as query:kwic gives them; opts.caption, opts.source (a function
-- (row) -> text shown in the last column, default the date and id).
function Page:kwic(rows, opts)
  opts = check_opts("kwic", 2, opts, { caption = true, source = true })
  check_rows("kwic", rows, "row")
  if opts.source ~= nil and type(opts.source) ~= "function" then
    check.argerror(2, "kwic", "option 'source' must be a function, got "
      .. type(opts.source))
  end
  local list = {}
  for _, r in ipairs(rows) do list[#list + 1] = r end
  return self:_add({ kind = "kwic", rows = list,
    caption = opts.caption, source = opts.source })
end

--- Append another page's blocks: its title becomes a section heading and
-- its headings move one level down.
function Page:include(other)
  if not M.is_page(other) then
    error("bad argument #1 to 'include' (page expected, got "
      .. type(other) .. ")", 2)
  end
  self:_add({ kind = "heading", level = 2, text = other.title })
  if other.intro then self:text(other.intro) end
  for _, b in ipairs(other.blocks) do
    if b.kind == "heading" then
      self:_add({ kind = "heading", level = math_min(b.level + 1, 4),
                  text = b.text })
    else
      self:_add(b)
    end
  end
  return self
end

local CSS = [[
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,
sans-serif;color:#1d1f23;background:#fff;margin:0;line-height:1.45}
main{max-width:1080px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:1.7rem;margin:.2em 0 .3em}
h2{font-size:1.3rem;margin:2em 0 .5em;padding-top:.4em;
border-top:2px solid #d8dde6}
h3{font-size:1.08rem;margin:1.5em 0 .4em}
h4{font-size:1rem;margin:1.2em 0 .3em}
p.intro{color:#444;font-size:1.02rem}
nav ol{columns:2;padding-left:1.4em;margin:.4em 0 1em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9rem;
width:100%}
caption{text-align:left;color:#555;font-size:.85rem;padding:.2em 0}
th,td{border-bottom:1px solid #e3e6eb;padding:4px 8px;text-align:left;
vertical-align:top}
thead th{background:#eef1f5;border-bottom:2px solid #c9cfd8}
tbody tr:nth-child(even){background:#f8f9fb}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.nw{white-space:nowrap}
table.kwic{table-layout:fixed}
table.kwic td{font-family:ui-monospace,Menlo,Consolas,monospace;
font-size:.78rem;white-space:nowrap;overflow:hidden;padding:3px 4px}
table.kwic col.src{width:11rem}
table.kwic td.left{text-align:right;color:#444;direction:rtl}
table.kwic td.left span{direction:ltr;unicode-bidi:isolate}
table.kwic td.m{text-align:center}
table.kwic td.right{color:#444;text-overflow:clip}
table.kwic td.src{font-family:inherit;font-size:.8rem;white-space:normal;
color:#555}
mark{background:#ffe58a;padding:0 1px}
figure{margin:1em 0 1.5em}
figure svg{max-width:100%;height:auto;display:block}
figcaption{color:#555;font-size:.85rem}
footer{margin-top:3em;color:#666;font-size:.8rem;
border-top:1px solid #ddd;padding-top:.6em}
@media print{main{max-width:none}h2{break-before:auto}}
]]

-- The Content-Security-Policy: no scripts, no fetches; inline style only.
local CSP = "default-src 'none'; style-src 'unsafe-inline'; "
  .. "img-src data:; base-uri 'none'; form-action 'none'"

local function kwic_source(r)
  local parts = {}
  if r.date then parts[#parts + 1] = text_of(r.date):sub(1, 10) end
  if r.id then parts[#parts + 1] = "#" .. text_of(r.id) end
  return table_concat(parts, " ")
end

local function html_block(b, out, anchors)
  if b.kind == "heading" then
    local id = anchors[b]
    out[#out + 1] = string_format('<h%d%s>%s</h%d>', b.level,
      id and (' id="' .. id .. '"') or "", escape(b.text), b.level)
  elseif b.kind == "text" then
    out[#out + 1] = "<p>" .. escape(b.text) .. "</p>"
  elseif b.kind == "list" then
    out[#out + 1] = "<ul>"
    for _, s in ipairs(b.items) do
      out[#out + 1] = "<li>" .. escape(s) .. "</li>"
    end
    out[#out + 1] = "</ul>"
  elseif b.kind == "table" then
    if #b.rows == 0 then
      out[#out + 1] = '<p class="empty">' .. escape(b.empty or "(none)")
        .. "</p>"
    else
      local w = M.writer("html", M.buffer(), b.columns)
      for _, r in ipairs(b.rows) do w:row(r) end
      local html = tostring(w:close())
      if b.caption then
        local cap = "<table><caption>" .. escape(b.caption) .. "</caption>"
        html = html:gsub("^<table>", function() return cap end, 1)
      end
      out[#out + 1] = html
    end
  elseif b.kind == "chart" then
    out[#out + 1] = "<figure>" .. b.chart.svg
    if b.caption then
      out[#out + 1] = "<figcaption>" .. escape(b.caption)
        .. "</figcaption>"
    end
    out[#out + 1] = "</figure>"
  elseif b.kind == "kwic" then
    out[#out + 1] = '<table class="kwic">'
    if b.caption then
      out[#out + 1] = "<caption>" .. escape(b.caption) .. "</caption>"
    end
    -- the match column as wide as the longest match (in ch units); the
    -- contexts share the rest and are clipped on their far sides
    local widest = 4
    for _, r in ipairs(b.rows) do
      widest = math_max(widest, utf8_len(valid_utf8(text_of(r.match))) or 0)
    end
    out[#out + 1] = '<colgroup><col/><col style="width:'
      .. math_min(math_ceil(widest * 0.95) + 1, 60)
      .. 'ch"/><col/><col class="src"/>'
      .. '</colgroup><tbody>'
    local src = b.source or kwic_source
    for _, r in ipairs(b.rows) do
      out[#out + 1] = '<tr><td class="left"><span>' .. escape(r.left)
        .. '</span></td><td class="m"><mark>' .. escape(r.match)
        .. '</mark></td><td class="right">' .. escape(r.right)
        .. '</td><td class="src">' .. escape(src(r)) .. "</td></tr>"
    end
    out[#out + 1] = "</tbody></table>"
  end
end

--- The page as one HTML document.
function Page:html()
  local out = {
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8"/>',
    '<meta http-equiv="Content-Security-Policy" content="' .. CSP .. '"/>',
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    "<title>" .. escape(self.title) .. "</title>",
    "<style>" .. CSS .. "</style>",
    "</head>",
    "<body>",
    "<main>",
    "<h1>" .. escape(self.title) .. "</h1>",
  }
  if self.intro then
    out[#out + 1] = '<p class="intro">' .. escape(self.intro) .. "</p>"
  end
  local anchors, toc = {}, {}
  for _, b in ipairs(self.blocks) do
    if b.kind == "heading" and b.level == 2 then
      anchors[b] = "s" .. (#toc + 1)
      toc[#toc + 1] = b
    end
  end
  if #toc > 2 then
    out[#out + 1] = "<nav><strong>Contents</strong><ol>"
    for _, b in ipairs(toc) do
      out[#out + 1] = '<li><a href="#' .. anchors[b] .. '">'
        .. escape(b.text) .. "</a></li>"
    end
    out[#out + 1] = "</ol></nav>"
  end
  for _, b in ipairs(self.blocks) do html_block(b, out, anchors) end
  out[#out + 1] = "<footer>" .. escape(self.footer or ("Made with loupe "
    .. os_date("!%Y-%m-%d %H:%M UTC"))) .. "</footer>"
  out[#out + 1] = "</main>\n</body>\n</html>\n"
  return table_concat(out, "\n")
end

--- The page as Markdown: charts are given as their data tables.
function Page:markdown()
  local out = { "# " .. M.escape_md(self.title), "" }
  if self.intro then out[#out + 1] = M.escape_md(self.intro) .. "\n" end
  for _, b in ipairs(self.blocks) do
    if b.kind == "heading" then
      out[#out + 1] = ("#"):rep(b.level) .. " " .. M.escape_md(b.text)
        .. "\n"
    elseif b.kind == "text" then
      out[#out + 1] = M.escape_md(b.text) .. "\n"
    elseif b.kind == "list" then
      for _, s in ipairs(b.items) do
        out[#out + 1] = "- " .. M.escape_md(s)
      end
      out[#out + 1] = ""
    elseif b.kind == "table" or b.kind == "chart" then
      local rows, cols = b.rows, b.columns
      if b.kind == "chart" then rows, cols = b.chart.data, b.chart.columns end
      local cap = b.caption or (b.kind == "chart" and b.chart.title)
      if cap then out[#out + 1] = "*" .. M.escape_md(cap) .. "*\n" end
      if #rows == 0 then
        out[#out + 1] = M.escape_md(b.empty or "(none)") .. "\n"
      else
        out[#out + 1] = M.markdown(rows, cols)
      end
    elseif b.kind == "kwic" then
      local src = b.source or kwic_source
      if b.caption then
        out[#out + 1] = "*" .. M.escape_md(b.caption) .. "*\n"
      end
      out[#out + 1] = "| left | match | right | source |\n| ---: | --- "
        .. "| --- | --- |"
      for _, r in ipairs(b.rows) do
        out[#out + 1] = "| " .. M.escape_md(r.left) .. " | **"
          .. M.escape_md(r.match) .. "** | " .. M.escape_md(r.right)
          .. " | " .. M.escape_md(src(r)) .. " |"
      end
      out[#out + 1] = ""
    end
  end
  return table_concat(out, "\n")
end

--- Render as "html" or "md".
function Page:render(format)
  if format == nil or format == "html" then return self:html() end
  if format == "md" or format == "markdown" then return self:markdown() end
  error("bad argument #1 to 'render' (html or md expected, got "
    .. tostring(format) .. ")", 2)
end

--- Write the page to path (format from the argument, else from the
-- extension: .md is Markdown, anything else HTML). Returns true or nil,
-- message, "io".
function Page:write(path, format)
  format = format or (path:match("%.md$") and "md") or "html"
  local text = self:render(format)
  local f, err = io_open(path, "wb")
  if not f then return nil, "loupe: " .. err, "io" end
  local ok, werr = f:write(text)
  f:close()
  if not ok then return nil, "loupe: " .. path .. ": " .. werr, "io" end
  return true
end

-- -------------------------------------------------------- scripts

--- Run the report script at path: a Lua chunk called with (corpus,
-- report, args), where report is this module. Returns what the script
-- returned (true when it returned nothing), or nil, message, code: "io"
-- when the file cannot be read, "syntax" when it does not compile,
-- "script" when it raised (the message names the script and line).
function M.run_script(path, corpus, args)
  if type(path) ~= "string" then
    error("bad argument #1 to 'run_script' (string expected, got "
      .. type(path) .. ")", 2)
  end
  if args ~= nil and type(args) ~= "table" then
    error("bad argument #3 to 'run_script' (table expected, got "
      .. type(args) .. ")", 2)
  end
  local chunk, err = loadfile(path, "t")
  if not chunk then
    err = tostring(err)
    if err:find("^cannot open ") then
      return nil, "loupe: " .. err:gsub("^cannot open ", ""), "io"
    end
    return nil, "loupe: " .. err, "syntax"
  end
  local ok, result = xpcall(chunk, function(e)
    if os_getenv("LOUPE_DEBUG") then return debug_traceback(e, 2) end
    return e
  end, corpus, M, args or {})
  if not ok then
    local msg = tostring(result)
    -- a loupe message ("loupe: news.loupe: the corpus is damaged ...")
    -- names its file already and passes through whole; anything else
    -- the script raised is prefixed with the script
    if msg:find("^loupe: ") then return nil, msg, "script" end
    if not msg:find(path, 1, true) then msg = path .. ": " .. msg end
    return nil, "loupe: " .. msg, "script"
  end
  if result == nil then return true end
  return result
end

return M
