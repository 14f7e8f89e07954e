-- loupe.cli.output: what the loupe command shows and where: the
-- standard streams (replaced by main's opts, for specs), text made safe
-- for a terminal, messages in the command's form (`loupe: subject:
-- reason`) with their exit statuses, terminal tables, widths and
-- colours, and the corpus and output files the commands open.
local ipairs, pcall, require, tonumber = ipairs, pcall, require, tonumber
local tostring = tostring
local io_open, io_stderr, io_stdout = io.open, io.stderr, io.stdout
local math_floor, math_max, math_min = math.floor, math.max, math.min
local os_getenv, string_format = os.getenv, string.format
local table_concat = table.concat
local utf8_charpattern = "^" .. utf8.charpattern
local utf8_codepoint, utf8_len = utf8.codepoint, utf8.len
local utf8_offset = utf8.offset

local _ENV <const> = nil

local M = {}

-- The streams the command writes to (main sets them for each run).
M.stdout, M.stderr = io_stdout, io_stderr

--- Write to the command's standard output.
function M.say(...)
  M.stdout:write(...)
end
local say = M.say

-- Code points a terminal must not be sent raw: the C1 controls (U+009B
-- is an 8-bit CSI) and the bidirectional embeddings, overrides and
-- isolates, which reorder the rest of the line.
local function unsafe_cp(cp)
  return (cp >= 0x80 and cp <= 0x9F) or (cp >= 0x202A and cp <= 0x202E)
    or (cp >= 0x2066 and cp <= 0x2069)
end

--- s as text for a terminal or a table cell: every control character
-- (C0, DEL, C1), bidirectional control and invalid UTF-8 byte is written
-- as a visible escape (\x1b, \u{202E}, \xff), so that a file name or a
-- scraped title holding escape codes cannot move the cursor, recolour or
-- retitle the terminal. With flat, tabs and line breaks become spaces
-- (prose and cells); without, they are escaped too (names, messages).
local function shown(s, flat)
  s = tostring(s)
  if not s:find("[%c\128-\255]") then return s end
  local out, i, n = {}, 1, #s
  while i <= n do
    local c = s:byte(i)
    local ch = s:match(utf8_charpattern, i)
    if c < 0x80 then
      if c >= 32 and c ~= 127 then
        out[#out + 1] = s:sub(i, i)
      elseif flat and (c == 9 or c == 10 or c == 13) then
        out[#out + 1] = " "
      else
        out[#out + 1] = string_format("\\x%02x", c)
      end
      i = i + 1
    elseif ch and #ch > 1 and utf8_len(ch) == 1 then
      local cp = utf8_codepoint(ch)
      out[#out + 1] = unsafe_cp(cp) and string_format("\\u{%X}", cp) or ch
      i = i + #ch
    else
      out[#out + 1] = string_format("\\x%02x", c)
      i = i + 1
    end
  end
  return table_concat(out)
end
M.shown = shown

-- A message we compose: "loupe: subject: reason".
local function complain(subject, reason)
  if subject then
    M.stderr:write("loupe: ", shown(subject), ": ", shown(reason), "\n")
  else
    M.stderr:write("loupe: ", shown(reason), "\n")
  end
end
M.complain = complain

-- A message from the library ("loupe: path: reason", or a raised error
-- with a source position in front), in the command's form.
local function lib_message(msg)
  msg = tostring(msg)
  msg = msg:gsub("^[^\n]-%.lua:%d+: loupe: ", "loupe: ")
  msg = msg:gsub("^loupe: ", "")
  -- "path: path: reason" (a name given twice) once
  local a, rest = msg:match("^([^:\n]+): (.*)$")
  if a and rest:sub(1, #a + 2) == a .. ": " then msg = rest end
  return msg
end
M.lib_message = lib_message

-- Data error: the message on stderr, status 1.
local function data_error(subject_or_msg, reason)
  if reason then
    complain(subject_or_msg, reason)
  else
    M.stderr:write("loupe: ", shown(lib_message(subject_or_msg)), "\n")
  end
  return 1
end
M.data_error = data_error

-- Usage error: the message and a pointer to --help, status 2.
local function usage_error(command, subject, reason)
  complain(subject, reason)
  M.stderr:write("Try 'loupe ", command and (command .. " ") or "",
    "--help'.\n")
  return 2
end
M.usage_error = usage_error

local term_mod
local function term()
  if term_mod == nil then
    local ok, t = pcall(require, "term")
    term_mod = ok and t or false
  end
  return term_mod or nil
end

local function isatty(f)
  local t = term()
  if not t or not t.isatty then return false end
  local ok, yes = pcall(t.isatty, f)
  return ok and yes == true
end
M.isatty = isatty

-- Colors only on a terminal, never with NO_COLOR set or TERM=dumb.
local function color_for(f)
  if os_getenv("NO_COLOR") or os_getenv("TERM") == "dumb" then return nil end
  if not isatty(f) then return nil end
  local t = term()
  return t and t.colors
end
M.color_for = color_for

local function width_of(s)
  return utf8_len(s) or #s
end
M.width_of = width_of

local function cut(s, n)
  s = s == nil and "" or tostring(s)
  if n < 1 then return "" end
  if width_of(s) > n then
    local stop = utf8_offset(s, n)
    if not stop then return s:sub(1, n) end
    return s:sub(1, stop - 1) .. "…"
  end
  return s
end
M.cut = cut

local function pad(s, n, right)
  s = cut(s, n)
  local fill = (" "):rep(n - width_of(s))
  return right and (fill .. s) or (s .. fill)
end
M.pad = pad

-- Words of s in lines of at most n characters.
local function wrap(s, n)
  local lines, line = {}, ""
  for word in tostring(s or ""):gmatch("%S+") do
    if line == "" then line = word
    elseif width_of(line) + 1 + width_of(word) <= n then
      line = line .. " " .. word
    else
      lines[#lines + 1] = line
      line = word
    end
  end
  if line ~= "" or #lines == 0 then lines[#lines + 1] = line end
  return lines
end
M.wrap = wrap

local function columns_wide()
  local n = tonumber(os_getenv("COLUMNS") or "")
  return n and math_max(n, 40) or 100
end
M.columns_wide = columns_wide

local function day(date)
  return date and tostring(date):sub(1, 10) or "-"
end
M.day = day

local function human_bytes(n)
  if n >= 1e9 then return string_format("%.1f GB", n / 1e9) end
  if n >= 1e6 then return string_format("%.1f MB", n / 1e6) end
  if n >= 1e3 then return string_format("%.1f KB", n / 1e3) end
  return string_format("%d B", n)
end
M.human_bytes = human_bytes

local function clock_time(s)
  s = math_floor(s + 0.5)
  if s >= 3600 then
    return string_format("%d:%02d:%02d", s // 3600, s % 3600 // 60, s % 60)
  end
  return string_format("%d:%02d", s // 60, s % 60)
end
M.clock_time = clock_time

-- ------------------------------------------------------------ tables

-- Rows as a plain text table fitted to the terminal width. cols: { key=,
-- title=, width= (fixed) or flex=true, align= }; a flex column takes the
-- room left; a row's `extra` lines are printed under it, indented.
local function text_table(rows, cols, color, decorate)
  local total = columns_wide()
  local fixed, flex = 0, nil
  for _, col in ipairs(cols) do
    if col.flex then flex = col
    else
      local w = width_of(col.title)
      for _, r in ipairs(rows) do
        w = math_max(w, width_of(shown(r[col.key] or "", true)))
      end
      col.w = math_min(w, col.width or w)
      fixed = fixed + col.w + 2
    end
  end
  if flex then flex.w = math_max(10, total - fixed - 1) end
  local function line(values, is_head)
    local parts = {}
    for i, col in ipairs(cols) do
      local v = values[i]
      parts[i] = (i == #cols and not col.right)
        and cut(v, col.w) or pad(v, col.w, col.right)
    end
    local s = table_concat(parts, "  ")
    if is_head and color then s = color.bright .. s .. color.reset end
    say(s, "\n")
  end
  local heads = {}
  for i, col in ipairs(cols) do heads[i] = col.title end
  line(heads, true)
  local indent = cols[1].w + 2
  for _, r in ipairs(rows) do
    local values = {}
    for i, col in ipairs(cols) do
      local v = r[col.key]
      values[i] = v == nil and "" or shown(v, true)
    end
    if flex and r.wrap_flex then
      local idx
      for i, col in ipairs(cols) do if col == flex then idx = i end end
      local lines = wrap(values[idx], flex.w)
      values[idx] = lines[1]
      line(values)
      local lead = 0
      for i = 1, idx - 1 do lead = lead + cols[i].w + 2 end
      for j = 2, #lines do say((" "):rep(lead), lines[j], "\n") end
    else
      line(values)
    end
    for _, extra in ipairs(r.extra or {}) do
      for _, l in ipairs(wrap(shown(extra, true), total - indent - 1)) do
        say((" "):rep(indent), decorate and decorate(l) or l, "\n")
      end
    end
  end
end
M.text_table = text_table

-- The columns of a speakers table (the speakers and quotes --speakers
-- commands).
M.SPEAKER_TABLE = {
  { key = "name", title = "SPEAKER", width = 28 },
  { key = "quotes", title = "QUOTES", right = true },
  { key = "span", title = "DATES" },
  { key = "role", title = "ROLE", flex = true },
}

-- Rows under cols on stdout (no table when there are none), then the
-- count line "N nouns", or "N of TOTAL nouns" when total is given (the
-- plural follows the last number). A command's status: 0.
function M.table_count(rows, cols, noun, total)
  if #rows > 0 then text_table(rows, cols, color_for(M.stdout)) end
  local n = total or #rows
  local count = total and string_format("%d of %d", #rows, total)
    or string_format("%d", #rows)
  say(string_format("%s %s%s\n", count, noun, n == 1 and "" or "s"))
  return 0
end

-- The rows of the iterator that iterate() returns (limit of them when
-- above 0) in a list, corpus closed after: the list, or nil and the
-- library's message when the iterator raised.
function M.collect(corpus, limit, iterate)
  local rows = {}
  local ok, err = pcall(function()
    for r in iterate() do
      rows[#rows + 1] = r
      if limit > 0 and #rows >= limit then break end
    end
  end)
  corpus:close()
  if not ok then return nil, lib_message(err) end
  return rows
end

-- Rows in a writer format (csv, jsonl, md): true; false for the
-- terminal formats (table, text), left to the caller.
function M.written(a, rows, columns)
  if a.format == "table" or a.format == "text" then return false end
  M.write_rows(a.format, rows, columns)
  return true
end

local SPEAKER_COLUMNS = { "name", "role", "quotes", "first", "last",
                          "outlets" }

-- The speakers of an open corpus (closed here), a.limit of them when
-- above 0, in a's format; the table ends with a count line when count.
-- A command's status.
function M.list_speakers(a, corpus, count)
  local list, err = corpus:speakers()
  corpus:close()
  if not list then return data_error(err) end
  local rows = {}
  for _, s in ipairs(list) do
    if a.limit > 0 and #rows >= a.limit then break end
    rows[#rows + 1] = s
  end
  if M.written(a, rows, SPEAKER_COLUMNS) then return 0 end
  for _, r in ipairs(rows) do
    r.span = day(r.first) .. " .. " .. day(r.last)
  end
  if count then return M.table_count(rows, M.SPEAKER_TABLE, "speaker") end
  text_table(rows, M.SPEAKER_TABLE, color_for(M.stdout))
  return 0
end

-- Mark [highlighted] terms of a snippet line on a colour terminal.
local function colour_marks(s, color)
  return (tostring(s):gsub("%[(.-)%]", function(w)
    return tostring(color.bright) .. tostring(color.yellow) .. w
      .. tostring(color.reset)
  end))
end
M.colour_marks = colour_marks

-- Rows in a writer format (csv, md, jsonl) to stdout.
local function write_rows(format, rows, columns)
  local w = require("loupe.report").writer(format, M.stdout, columns)
  for _, r in ipairs(rows) do w:row(r) end
  w:close()
end
M.write_rows = write_rows

-- ---------------------------------------------------------- corpus

local loupe_mod
local function loupe()
  loupe_mod = loupe_mod or require("loupe")
  return loupe_mod
end
M.loupe = loupe

local function report_mod()
  return require("loupe.report")
end
M.report_mod = report_mod

-- Open an existing corpus read-only: nil and the status on failure.
local function open_existing(path)
  local f, err = io_open(path, "rb")
  if not f then
    data_error(err:find(path, 1, true) and err or (path .. ": " .. err))
    return nil
  end
  f:close()
  local corpus, oerr = loupe().open(path, { readonly = true })
  if not corpus then
    data_error(oerr)
    return nil
  end
  for _, n in ipairs(corpus.notices) do M.stderr:write(n, "\n") end
  return corpus
end
M.open_existing = open_existing

-- A sink for writers: a file opened for -o, or standard output.
local function open_output(path)
  if not path or path == "-" then return M.stdout, function() return true end
  end
  local f, err = io_open(path, "wb")
  if not f then return nil, err end
  return f, function()
    local ok, cerr = f:close()
    return ok, cerr
  end
end
M.open_output = open_output

return M
