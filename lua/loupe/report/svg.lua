-- loupe.report.svg: what every chart is drawn with: the checks of a
-- chart's arguments, the scale of its values (finite, infinite, below 0,
-- NaN), SVG elements with escaped attributes, axes and the chart object
-- (tostring gives the SVG; its data is kept for tables and Markdown).
-- The charts themselves are in loupe.report.charts.
local check = require("loupe.check")
local text = require("loupe.report.text")

local getmetatable, ipairs, setmetatable = getmetatable, ipairs, setmetatable
local type = type
local math_ceil, math_floor, math_huge = math.ceil, math.floor, math.huge
local math_log, math_max, math_min = math.log, math.max, math.min
local string_format, table_concat = string.format, table.concat

local escape = text.escape_html
local text_of = text.text_of

local _ENV <const> = nil

local M = {}

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
M.check_sizes = check_sizes

-- The list argument of a chart: a table whose items are tables.
local function check_rows(fname, rows, what)
  check.rows(1, fname, rows, what)
end
M.check_rows = check_rows

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
M.share = share

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
M.scale_of = scale_of

-- The room a note takes under a chart.
local NOTE_H = 16
M.NOTE_H = NOTE_H

local function set(list)
  local t = {}
  for _, k in ipairs(list) do t[k] = true end
  return t
end
M.set = set

local Chart = check.class("loupe.report.chart")
Chart.__tostring = function(c) return c.svg end

function M.is_chart(x) return getmetatable(x) == Chart end

local function num(x)
  local s = string_format("%.1f", x)
  return (s:gsub("%.0$", ""))
end
M.num = num

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
M.tag = tag

local function text_el(x, y, s, attrs)
  local a = { "x", x, "y", y }
  for _, v in ipairs(attrs or {}) do a[#a + 1] = v end
  return tag("text", a) .. escape(s) .. "</text>"
end
M.text_el = text_el

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
M.axis = axis

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
M.svg_open = svg_open

-- The note under a chart of width w and height h (without the note):
-- "" when there is none.
local function note_el(w, h, note)
  if not note then return "" end
  return text_el(w - 16, h + NOTE_H - 5, note, { "text-anchor", "end",
    "fill", "#666", "font-size", 11 })
end
M.note_el = note_el

local function new_chart(svg, title, data, columns)
  return setmetatable({ svg = svg, title = title, data = data,
                        columns = columns }, Chart)
end
M.new_chart = new_chart

--- The title of a chart of width w, centred over it.
function M.title_el(w, title)
  return M.text_el(w / 2, 20, title, { "text-anchor", "middle",
    "font-size", 14, "font-weight", "bold", "fill", "#222" })
end

return M
