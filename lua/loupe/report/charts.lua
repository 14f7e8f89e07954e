-- loupe.report.charts: the charts of a report as inline SVG: bars of
-- counts over time (bar_chart), lines of several series (line_chart),
-- the top N as horizontal bars (hbar_chart) and who said what when
-- (timeline). Each checks its arguments (a mistake raises) and draws only
-- from data: every text is escaped. Part of loupe.report.
local check = require("loupe.check")
local svg = require("loupe.report.svg")
local text = require("loupe.report.text")

local ipairs, pairs, tonumber, tostring = ipairs, pairs, tonumber, tostring
local type = type
local math_ceil, math_floor, math_huge = math.ceil, math.floor, math.huge
local math_max, math_min, table_concat = math.max, math.min, table.concat
local table_sort, utf8_len = table.sort, utf8.len

local axis, check_rows, check_sizes = svg.axis, svg.check_rows, svg.check_sizes
local cut, escape, new_chart = text.cut, text.escape_html, svg.new_chart
local note_el, num, PALETTE = svg.note_el, svg.num, svg.PALETTE
local scale_of, set, share = svg.scale_of, svg.set, svg.share
local svg_open, tag, text_el = svg.svg_open, svg.tag, svg.text_el
local text_of, title_el = text.text_of, svg.title_el
local value_label, NOTE_H = svg.value_label, svg.NOTE_H

local _ENV <const> = nil

local M = {}

local BAR_OPTS = set{ "title", "xlabel", "ylabel", "width", "height",
  "color", "fill", "from", "to", "missing", "key", "value" }
local HBAR_OPTS = set{ "title", "xlabel", "width", "color", "top",
  "label_chars", "label", "missing", "key", "value" }
local TIMELINE_OPTS = set{ "title", "width", "speakers", "max_speakers",
  "colors" }

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

-- The start of a chart of width w and height h: a buffer holding the
-- opening tag and, when there is a title, the title over the chart.
local function begin_svg(w, h, title)
  local buf = { svg_open(w, h, title) }
  if title then buf[#buf + 1] = title_el(w, title) end
  return buf
end

-- The end of a chart of width w and height h (without its note): the
-- label of the x axis centred at x, the note, and the closing tag.
-- Returns the SVG text.
local function end_svg(buf, w, h, note, x, xlabel)
  if xlabel then
    buf[#buf + 1] = text_el(x, h - 8, xlabel,
      { "text-anchor", "middle", "fill", "#222" })
  end
  buf[#buf + 1] = note_el(w, h, note)
  buf[#buf + 1] = "</svg>"
  return table_concat(buf, "\n")
end

-- The chart object of a chart of keys and counts: its SVG, title and
-- data, which it writes as two columns titled key_title and count_title.
local function key_count_chart(svg_text, title, data, key_title, count_title)
  return new_chart(svg_text, title, data,
    { { key = "key", title = key_title },
      { key = "count", title = count_title, align = "right" } })
end

-- The arguments of chart fname checked: rows a list of tables (each a
-- what), opts an options table of allowed keys with valid sizes.
local function chart_args(fname, rows, what, opts, allowed)
  check_rows(fname, rows, what)
  opts = check.options(2, fname, opts, allowed)
  check_sizes(fname, opts)
  return opts
end

--- Vertical bars of counts over time (or any keys): rows { key=, count= }
-- (or opts.key / opts.value). opts: title, xlabel, ylabel, width (720),
-- height (280), color, fill (fill missing years, default true), from, to,
-- missing (label of rows without a key, "undated"). Returns a chart
-- (tostring gives the SVG).
function M.bar_chart(rows, opts)
  opts = chart_args("bar_chart", rows, "row", opts, BAR_OPTS)
  local data = series_rows(rows, opts)
  local w, h = opts.width or 720, opts.height or 280
  local ml, mr, mt, mb = 56, 16, opts.title and 34 or 14, 48
  local plot_w, plot_h = w - ml - mr, h - mt - mb
  local x0, y0 = ml, h - mb
  local values = {}
  for i, r in ipairs(data) do values[i] = r.count end
  local max, note = scale_of(values)
  local buf = begin_svg(w, h + (note and NOTE_H or 0), opts.title)
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
  return key_count_chart(
    end_svg(buf, w, h, note, x0 + plot_w / 2, opts.xlabel), opts.title, data,
    opts.xlabel or "key", opts.ylabel or "count")
end

--- Lines over time: series is a list of { name=, rows={ {key=, count=} }
-- } sharing their keys (years are filled). opts as bar_chart. A legend
-- names the series.
function M.line_chart(series, opts)
  opts = chart_args("line_chart", series, "series", opts, BAR_OPTS)
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
  local buf = begin_svg(w, h + (note and NOTE_H or 0), opts.title)
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
  opts = chart_args("hbar_chart", rows, "row", opts, HBAR_OPTS)
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
  local buf = begin_svg(w, h + (note and NOTE_H or 0), opts.title)
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
  return key_count_chart(
    end_svg(buf, w, h, note, x0 + plot_w / 2, opts.xlabel), opts.title, data,
    opts.label or "name", opts.xlabel or "count")
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

-- The rows of a timeline: a list of { name =, first =, points = {
-- { x = year, p = point } } } (in opts.speakers' order, else by first
-- quote), the count of undated points, the first and last year seen.
local function speaker_rows(points, speakers)
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
  if speakers then
    local list = {}
    for _, n in ipairs(speakers) do
      if by[n] then list[#list + 1] = by[n] end
    end
    order = list
  else
    table_sort(order, function(a, b)
      if a.first ~= b.first then return a.first < b.first end
      return a.name < b.name
    end)
  end
  return order, undated, lo, hi
end

-- The table under a timeline: a row per speaker shown.
local function timeline_data(order)
  local data = {}
  for _, s in ipairs(order) do
    local first, last = math_huge, -math_huge
    for _, pt in ipairs(s.points) do
      first, last = math_min(first, pt.x), math_max(last, pt.x)
    end
    data[#data + 1] = { speaker = s.name, quotes = #s.points,
      first = math_floor(first), last = math_floor(last) }
  end
  return data
end

--- Who said what: speakers on rows, each quote a dot at its date (a
-- tooltip gives date, outlet and text). points: list of { speaker=,
-- date=, text=, kind=, outlet=, title= } (the rows of corpus:quotes()).
-- opts: title, width (900), speakers (the rows, in order; default: by
-- first quote), max_speakers (12), colors (kind -> color). Undated
-- quotes are left out and counted in the caption.
function M.timeline(points, opts)
  opts = chart_args("timeline", points, "point", opts, TIMELINE_OPTS)
  if opts.speakers ~= nil then
    check.strings(2, "timeline", check.type(2, "timeline", opts.speakers,
      "table"), "option 'speakers'", true, true)
  end
  if opts.colors ~= nil then check.type(2, "timeline", opts.colors, "table") end
  local order, undated, lo, hi = speaker_rows(points, opts.speakers)
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
  local buf = begin_svg(w, h, opts.title)
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
  return new_chart(table_concat(buf, "\n"), opts.title, timeline_data(order),
    { "speaker", { key = "quotes", title = "quotes", align = "right" },
      "first", "last" })
end

return M
