-- loupe.report.writers: tables of rows as CSV (RFC 4180), GitHub
-- Markdown, JSON Lines or an HTML <table>, whole (csv, markdown, jsonl,
-- html_table) or streamed row by row (writer), and the column
-- descriptions they share. Part of loupe.report, which gives these.
local check = require("loupe.check")
local text = require("loupe.report.text")

local ipairs, select, setmetatable = ipairs, select, setmetatable
local tostring, type = tostring, type
local table_concat, utf8_len = table.concat, utf8.len

local cell_text, cut, escape = text.cell_text, text.cut, text.escape_html
local escape_md, text_of = text.escape_md, text.text_of
local valid_utf8 = text.valid_utf8

local _ENV <const> = nil

local M = {}

-- ----------------------------------------------------------- columns

local COLUMN_KEYS = { key = true, title = true, format = true,
                      align = true, max = true }
local ALIGNS = { "left", "right" }

-- Columns as { key=, title=, format=, align=, max= } from a list of keys
-- or column tables; without a list, the keys of the first row, sorted.
-- fname and n name the caller's function and argument in errors; a
-- column table with another key raises, as an unknown option does.
local function columns_of(rows, columns, fname, n)
  fname, n = fname or "columns", n or 2
  if columns == nil then
    local first = type(rows[1]) == "table" and rows[1] or {}
    columns = text.ordered_keys(first)
  end
  check.type(n, fname, columns, "table")
  local out = {}
  for i, c in ipairs(columns) do
    if type(c) == "string" then
      out[i] = { key = c, title = c }
    elseif type(c) == "table" and c.key ~= nil then
      local what = "column " .. i
      check.options(n, fname, c, COLUMN_KEYS, "column key")
      check.option(n, fname, c, "format", "function")
      check.integer(n, fname, c.max, 1, nil, what .. ": max", true)
      if c.align ~= nil then
        check.one_of(n, fname, c.align, ALIGNS, what .. ": align")
      end
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

local Writer = check.class()

local FORMATS = { "csv", "md", "jsonl", "html" }

--- A streaming table writer: writer(format, out, columns) where format
-- is "csv", "md", "jsonl" or "html" and out has :write (a file, or
-- report.buffer()). :row(r) writes one row; :close() ends the table (for
-- HTML) and returns out. Headers come first (CSV, Markdown, HTML).
function M.writer(format, out, columns)
  check.one_of(1, "writer", format, FORMATS)
  local t = type(out)
  if (t ~= "table" and t ~= "userdata") or type(out.write) ~= "function"
  then
    check.argerror(2, "writer", "file or buffer expected, got " .. t)
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
      titles[i] = escape_md(c.title)
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
    for i, c in ipairs(cols) do values[i] = escape_md(cell(r, c)) end
    out:write("| ", table_concat(values, " | "), " |\n")
  elseif fmt == "jsonl" then
    local obj, order = {}, {}
    for i, c in ipairs(cols) do
      obj[c.title], order[i] = cell(r, c), c.title
    end
    out:write(text.json(obj, order), "\n")
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
  check.rows(1, fname, rows)
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

return M
