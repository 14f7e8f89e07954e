-- loupe.report.page: a report page, a list of blocks (headings, text,
-- lists, tables, charts, keyword-in-context lines) rendered as one
-- self-contained HTML file (inline CSS, no scripts, no external
-- resources, a Content-Security-Policy forbidding both) or as Markdown.
-- A page takes no raw markup: every text is escaped. Part of loupe.report.
local check = require("loupe.check")
local svg = require("loupe.report.svg")
local text = require("loupe.report.text")
local writers = require("loupe.report.writers")

local getmetatable, ipairs, setmetatable = getmetatable, ipairs, setmetatable
local tostring, type = tostring, type
local io_open, math_ceil, math_max = io.open, math.ceil, math.max
local math_min, os_date, string_format = math.min, os.date, string.format
local table_concat, utf8_len = table.concat, utf8.len

local columns_of, escape = writers.columns, text.escape_html
local escape_md, text_of = text.escape_md, text.text_of
local valid_utf8 = text.valid_utf8

local _ENV <const> = nil

local M = {}

local Page = check.class("loupe.report.page")

function M.is_page(x) return getmetatable(x) == Page end

local PAGE_OPTS = { title = true, intro = true, footer = true }

--- A report page: page{ title=, intro=, footer= }. Add blocks with
-- :section, :text, :table, :chart, :kwic, :list, :include; render with
-- :html() (one self-contained file: inline CSS, no scripts, no external
-- resources) or :markdown(); :write(path [, format]) saves it.
function M.page(opts)
  opts = check.options(1, "page", opts, PAGE_OPTS)
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
  opts = check.options(3, "section", opts, { sub = true })
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
  opts = check.options(3, "table", opts, { caption = true, empty = true })
  check.type(1, "table", rows, "table")
  return self:_add({ kind = "table", rows = rows,
    columns = columns_of(rows, columns, "table"), caption = opts.caption,
    empty = opts.empty })
end

--- A chart made by report.bar_chart, line_chart, hbar_chart or timeline
-- (only those: the page takes no raw markup); opts.caption.
function Page:chart(chart, opts)
  opts = check.options(2, "chart", opts, { caption = true })
  if not svg.is_chart(chart) then
    check.argerror(1, "chart", "chart expected, got " .. type(chart))
  end
  return self:_add({ kind = "chart", chart = chart,
                     caption = opts.caption })
end

--- Keyword-in-context lines: rows { left=, match=, right=, date=, id=,
-- ... } as query:kwic gives them; opts.caption, opts.source (a function
-- (row) -> text shown in the last column, default the date and id).
function Page:kwic(rows, opts)
  opts = check.options(2, "kwic", opts, { caption = true, source = true })
  svg.check_rows("kwic", rows, "row")
  check.option(2, "kwic", opts, "source", "function")
  local list = {}
  for _, r in ipairs(rows) do list[#list + 1] = r end
  return self:_add({ kind = "kwic", rows = list,
    caption = opts.caption, source = opts.source })
end

--- Append another page's blocks: its title becomes a section heading and
-- its headings move one level down.
function Page:include(other)
  if not M.is_page(other) then
    check.argerror(1, "include", "page expected, got " .. type(other))
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
      local w = writers.writer("html", writers.buffer(), b.columns)
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
  local out = { "# " .. escape_md(self.title), "" }
  if self.intro then out[#out + 1] = escape_md(self.intro) .. "\n" end
  for _, b in ipairs(self.blocks) do
    if b.kind == "heading" then
      out[#out + 1] = ("#"):rep(b.level) .. " " .. escape_md(b.text)
        .. "\n"
    elseif b.kind == "text" then
      out[#out + 1] = escape_md(b.text) .. "\n"
    elseif b.kind == "list" then
      for _, s in ipairs(b.items) do
        out[#out + 1] = "- " .. escape_md(s)
      end
      out[#out + 1] = ""
    elseif b.kind == "table" or b.kind == "chart" then
      local rows, cols = b.rows, b.columns
      if b.kind == "chart" then rows, cols = b.chart.data, b.chart.columns end
      local cap = b.caption or (b.kind == "chart" and b.chart.title)
      if cap then out[#out + 1] = "*" .. escape_md(cap) .. "*\n" end
      if #rows == 0 then
        out[#out + 1] = escape_md(b.empty or "(none)") .. "\n"
      else
        out[#out + 1] = writers.markdown(rows, cols)
      end
    elseif b.kind == "kwic" then
      local src = b.source or kwic_source
      if b.caption then
        out[#out + 1] = "*" .. escape_md(b.caption) .. "*\n"
      end
      out[#out + 1] = "| left | match | right | source |\n| ---: | --- "
        .. "| --- | --- |"
      for _, r in ipairs(b.rows) do
        out[#out + 1] = "| " .. escape_md(r.left) .. " | **"
          .. escape_md(r.match) .. "** | " .. escape_md(r.right)
          .. " | " .. escape_md(src(r)) .. " |"
      end
      out[#out + 1] = ""
    end
  end
  return table_concat(out, "\n")
end

--- Render as "html" or "md".
local RENDER_FORMATS = { "html", "md", "markdown" }

function Page:render(format)
  check.one_of(1, "render", format or "html", RENDER_FORMATS, "format")
  if format == nil or format == "html" then return self:html() end
  return self:markdown()
end

--- Write the page to path (format from the argument, else from the
-- extension: .md is Markdown, anything else HTML). Returns true or nil,
-- message, "io".
function Page:write(path, format)
  check.type(1, "write", path, "string")
  if format ~= nil then
    check.one_of(2, "write", format, RENDER_FORMATS, "format")
  end
  format = format or (path:match("%.md$") and "md") or "html"
  local doc = self:render(format)
  local f, err = io_open(path, "wb")
  if not f then return nil, "loupe: " .. err, "io" end
  local ok, werr = f:write(doc)
  f:close()
  if not ok then return nil, "loupe: " .. path .. ": " .. werr, "io" end
  return true
end

return M
