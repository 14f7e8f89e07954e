-- loupe.report: writers for tables of rows (CSV, Markdown, JSON Lines,
-- HTML), charts as inline SVG (bars over time, lines, top-N bars, a
-- who-said-what timeline) and a self-contained HTML page that holds them.
-- Every piece of text is escaped; nothing here needs the C core. This
-- module gathers the parts, each of one job, in lua/loupe/report/: text
-- (escaping, JSON), writers (tables), svg and charts, page; and runs
-- report scripts (run_script, what `loupe report` does).
local charts = require("loupe.report.charts")
local check = require("loupe.check")
local page = require("loupe.report.page")
local svg = require("loupe.report.svg")
local text = require("loupe.report.text")
local writers = require("loupe.report.writers")

local loadfile, tostring, xpcall = loadfile, tostring, xpcall
local debug_traceback, os_getenv = debug.traceback, os.getenv

local _ENV <const> = nil

local M = {}

-- text
M.valid_utf8 = text.valid_utf8
M.text_of = text.text_of
M.escape_html = text.escape_html
M.escape_xml = text.escape_xml
M.escape_md = text.escape_md
M.cut = text.cut
M.cell_text = text.cell_text
M.json = text.json

-- tables
M.columns = writers.columns
M.csv_field = writers.csv_field
M.csv_record = writers.csv_record
M.writer = writers.writer
M.buffer = writers.buffer
M.csv = writers.csv
M.markdown = writers.markdown
M.jsonl = writers.jsonl
M.html_table = writers.html_table

-- charts
M.PALETTE = svg.PALETTE
M.value_label = svg.value_label
M.is_chart = svg.is_chart
M.bar_chart = charts.bar_chart
M.line_chart = charts.line_chart
M.hbar_chart = charts.hbar_chart
M.timeline = charts.timeline
M.year_of = charts.year_of

-- pages
M.page = page.page
M.is_page = page.is_page

-- -------------------------------------------------------- scripts

--- Run the report script at path: a Lua chunk called with (corpus,
-- report, args), where report is this module. Returns what the script
-- returned (true when it returned nothing), or nil, message, code: "io"
-- when the file cannot be read, "syntax" when it does not compile,
-- "script" when it raised (the message names the script and line).
function M.run_script(path, corpus, args)
  check.type(1, "run_script", path, "string")
  check.type(3, "run_script", args, "table", true)
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
