-- loupe.cli: the `loupe` command (ingest, search, show, parse, stats,
-- quotes, export, report). `require("loupe.cli").main(arg)` runs it and
-- returns the exit status: 0 done, 1 data error, 2 usage error. Errors go
-- to stderr as `loupe: <file or argument>: <reason>`.
local argparse = require "argparse"
local check = require "loupe.check"

local debug_traceback = debug.traceback

local error = error
local io_open = io.open
local io_stderr = io.stderr
local io_stdout = io.stdout
local ipairs = ipairs
local math_floor = math.floor
local math_max = math.max
local math_min = math.min
local math_tointeger = math.tointeger
local next = next
local os_clock = os.clock
local os_getenv = os.getenv
local os_remove = os.remove
local os_rename = os.rename
local os_time = os.time
local pairs = pairs
local pcall = pcall
local require = require
local string_format = string.format
local table_concat = table.concat
local table_sort = table.sort
local tonumber = tonumber
local tostring = tostring
local type = type
local utf8_charpattern = "^" .. utf8.charpattern
local utf8_codepoint = utf8.codepoint
local utf8_len = utf8.len
local utf8_offset = utf8.offset
local xpcall = xpcall

local M = {}

local COMMANDS = { "ingest", "search", "show", "parse", "stats", "quotes",
                   "export", "report", "check" }

-- ------------------------------------------------------------ output

local stdout, stderr = io_stdout, io_stderr

local function say(...)
  stdout:write(...)
end

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
    stderr:write("loupe: ", shown(subject), ": ", shown(reason), "\n")
  else
    stderr:write("loupe: ", shown(reason), "\n")
  end
end

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

-- Data error: the message on stderr, status 1.
local function data_error(subject_or_msg, reason)
  if reason then
    complain(subject_or_msg, reason)
  else
    stderr:write("loupe: ", shown(lib_message(subject_or_msg)), "\n")
  end
  return 1
end

-- Usage error: the message and a pointer to --help, status 2.
local function usage_error(command, subject, reason)
  complain(subject, reason)
  stderr:write("Try 'loupe ", command and (command .. " ") or "",
    "--help'.\n")
  return 2
end

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

-- Colors only on a terminal, never with NO_COLOR set or TERM=dumb.
local function color_for(f)
  if os_getenv("NO_COLOR") or os_getenv("TERM") == "dumb" then return nil end
  if not isatty(f) then return nil end
  local t = term()
  return t and t.colors
end

local function width_of(s)
  return utf8_len(s) or #s
end

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

local function pad(s, n, right)
  s = cut(s, n)
  local fill = (" "):rep(n - width_of(s))
  return right and (fill .. s) or (s .. fill)
end

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

local function columns_wide()
  local n = tonumber(os_getenv("COLUMNS") or "")
  return n and math_max(n, 40) or 100
end

local function day(date)
  return date and tostring(date):sub(1, 10) or "-"
end

local function human_bytes(n)
  if n >= 1e9 then return string_format("%.1f GB", n / 1e9) end
  if n >= 1e6 then return string_format("%.1f MB", n / 1e6) end
  if n >= 1e3 then return string_format("%.1f KB", n / 1e3) end
  return string_format("%d B", n)
end

local function clock_time(s)
  s = math_floor(s + 0.5)
  if s >= 3600 then
    return string_format("%d:%02d:%02d", s // 3600, s % 3600 // 60, s % 60)
  end
  return string_format("%d:%02d", s // 60, s % 60)
end

-- ------------------------------------------------------- arguments

-- A date option: YYYY, YYYY-MM or YYYY-MM-DD (a time may follow), the
-- month 01-12 and the day within its month (loupe.check.iso_date).
local function date_arg(name)
  return function(s)
    local ok, why = check.iso_date(s)
    if not ok then
      return nil, name .. ": '" .. s .. "' is not a valid date (" .. why
        .. "; YYYY, YYYY-MM or YYYY-MM-DD)"
    end
    return s
  end
end

local CHARSET_HELP = "Charset of the pages: utf-8, utf-16le, utf-16be, "
  .. "cp1252 (latin1), gbk (gb18030), big5 or shift_jis (default: "
  .. "detected page by page)."

-- --charset NAME: a name loupe reads (loupe.parse raises on any other).
local function charset_arg(s)
  local ok, err = pcall(require("loupe").parse, " ", { charset = s })
  if ok then return s end
  return nil, "--charset: " .. (tostring(err):match("option 'charset': "
    .. "(.-)%)?$") or ("unknown charset '" .. s .. "'"))
end

-- A count option: decimal digits only, at least min, at most max.
local function count_arg(name, min, max)
  return function(s)
    local n = s:match("^%d+$") and math_tointeger(tonumber(s))
    if not n or n < (min or 0) then
      return nil, name .. ": '" .. s .. "' is not "
        .. ((min or 0) > 0 and "a positive" or "a non-negative")
        .. " integer"
    end
    if max and n > max then
      return nil, name .. ": '" .. s .. "' is more than " .. max
    end
    return n
  end
end

-- Elasticsearch index names: lowercase, none of \/*?"<>| , # or space,
-- not starting with -, _ or +, not . or .., at most 255 bytes.
local function index_arg(s)
  if s == "" or #s > 255 or s:find('[\\/%*%?"<>|, #A-Z]') or
      s:find("^[-_+]") or s == "." or s == ".." then
    return nil, "--es-bulk: '" .. s .. "' is not a valid index name "
      .. "(lowercase, no spaces or \\/*?\"<>|,#, not starting with -_+)"
  end
  return s
end

local function add_help(parser, state)
  parser:add_help(false)
  parser:flag("-h --help", "Show this help and exit.")
    :action(function() state.help = state.help or parser end)
  parser:help_max_width(80)
end

local FORMAT_HELP = "Output format: %s (default %s)."

local function build_parser(state)
  local p = argparse("loupe")
    :description("Turn scraped news pages into a searchable corpus of "
      .. "clean articles, and report on it.")
    :epilog("Run 'loupe COMMAND --help' for the options of a command.\n"
      .. "Exit status: 0 done, 1 data error (missing or bad file, "
      .. "failed pages), 2 usage error.")
    :command_target("command"):require_command(false)
  add_help(p, state)
  p:flag("--version", "Print the version and exit.")
  state.parsers = { loupe = p }

  local function command(name, summary, epilog)
    local c = p:command(name):summary(summary):description(summary)
    if epilog then c:epilog(epilog) end
    add_help(c, state)
    state.parsers[name] = c
    return c
  end

  local c = command("ingest", "Add pages (files, folders, globs) to a "
    .. "corpus, creating it if needed.",
    "An article is its content: unchanged files are skipped, and a file "
    .. "whose content\nis stored already under another path (a copy, the "
    .. "folder named another way)\nis recorded as another location of that "
    .. "article (a duplicate). A changed file\nreplaces its record. A first "
    .. "ingest that stores nothing leaves no corpus file.\nCtrl-C stops "
    .. "after the page at hand, keeping what is stored (exit status\n130); "
    .. "run the same command again to continue.\nA progress bar shows on "
    .. "a terminal, plain progress lines otherwise.\nExit status 1 when "
    .. "any page failed (the others are stored).\n\nExample: loupe ingest "
    .. "news.loupe pages/ 'more/*.txt'")
  c:argument("DB", "The corpus file."):target("db")
  c:argument("PATH", "Files, folders (recursive) or glob patterns.")
    :target("paths"):args("+")
  c:flag("-q --quiet", "No progress output.")
  c:option("--batch", "Files per transaction (default 200).")
    :argname("N"):convert(count_arg("--batch", 1))
  c:option("--busy-timeout", "Seconds to wait for a corpus another "
    .. "process is writing to (default 10).")
    :argname("SECONDS"):convert(function(s)
      local n = tonumber(s)
      if not n or n ~= n or n < 0 or n > 86400 then
        return nil, "--busy-timeout: '" .. s .. "' is not a number of "
          .. "seconds from 0 to 86400"
      end
      return n
    end)
  c:option("--threads", "Worker threads reading and parsing ahead while "
    .. "pages are stored (0: none; default: processors online minus one, "
    .. "1 to 8).")
    :argname("N"):convert(count_arg("--threads", 0, 64))

  c:option("--charset", CHARSET_HELP):argname("NAME")
    :convert(charset_arg)

  c = command("search", "Search the corpus: text, filters, a regex.",
    "QUERY is searched as literal words (with --raw as FTS5 syntax).\n"
    .. "Filters combine; a repeated --outlet, --credit or --speaker "
    .. "means any of them.\n\nExamples:\n"
    .. "  loupe search news.loupe 'largest source' --since 2019\n"
    .. "  loupe search news.loupe --regex 'cyber[- ]?attacks' -i "
    .. "--format csv")
  c:argument("DB", "The corpus file."):target("db")
  c:argument("QUERY", "Words to search for (optional with filters).")
    :target("query"):args("?")
  c:option("--since", "Only articles dated on or after DATE "
    .. "(YYYY[-MM[-DD]]).")
    :argname("DATE"):convert(date_arg("--since"))
  c:option("--until", "Only articles dated on or before DATE.")
    :argname("DATE"):convert(date_arg("--until"))
  c:option("--outlet", "Only articles from this outlet."):argname("NAME")
    :count("*")
  c:option("--credit", "Only articles credited to this agency.")
    :argname("NAME"):count("*")
  c:option("--speaker", "Only articles quoting this speaker.")
    :argname("NAME"):count("*")
  c:option("--lang", "Only articles in this language (ISO 639-1).")
    :argname("CODE"):count("*")
  c:option("--regex", "Only articles whose body matches this PCRE2 "
    .. "pattern."):argname("PATTERN")
  c:flag("-i --ignore-case", "Match --regex without regard to case.")
  c:flag("--raw", "Pass QUERY to FTS5 as its own syntax.")
  c:option("--order", "date (oldest first), newest (also written "
    .. "--order=-date) or rank (default rank with QUERY, else date).")
    :choices({ "date", "newest", "-date", "rank" }):argname("ORDER")
  c:option("--limit", "At most N articles; 0 for all (default 20).")
    :argname("N"):convert(count_arg("--limit")):default("20")
    :show_default(false)
  c:option("--format", FORMAT_HELP:format("table, csv, jsonl, md", "table"))
    :choices({ "table", "csv", "jsonl", "md" }):default("table")
    :show_default(false):argname("FORMAT")

  c = command("show", "Print one stored article: fields, paragraphs, "
    .. "quotes.")
  c:argument("DB", "The corpus file."):target("db")
  c:argument("ID", "The article id (from search)."):target("id")
    :convert(count_arg("ID", 1))
  c:option("--format", FORMAT_HELP:format("text, json", "text"))
    :choices({ "text", "json" }):default("text"):show_default(false)
    :argname("FORMAT")

  c = command("parse", "Parse one page file and print the article "
    .. "record (no corpus needed).")
  c:argument("FILE", "The page file."):target("file")
  c:option("--format", FORMAT_HELP:format("text, json", "text"))
    :choices({ "text", "json" }):default("text"):show_default(false)
    :argname("FORMAT")
  c:option("--charset", CHARSET_HELP):argname("NAME")
    :convert(charset_arg)

  c = command("stats", "Summarise a corpus: articles per year, outlet "
    .. "and credit, languages, speakers.")
  c:argument("DB", "The corpus file."):target("db")
  c:option("--format", FORMAT_HELP:format("text, json", "text"))
    :choices({ "text", "json" }):default("text"):show_default(false)
    :argname("FORMAT")

  c = command("quotes", "List quotes (who said what, when, where), or "
    .. "the speakers.",
    "A speaker may be given by full name or, when unambiguous, by "
    .. "surname.\n\nExamples:\n  loupe quotes news.loupe --speaker Varga"
    .. "\n  loupe quotes news.loupe --speakers --format csv")
  c:argument("DB", "The corpus file."):target("db")
  c:option("--speaker", "Only quotes by this speaker."):argname("NAME")
    :count("*")
  c:option("--kind", "Only quotes of this kind."):argname("KIND")
    :choices({ "direct", "reported", "phrase" })
  c:option("--text", "Only quotes containing this text (any case).")
    :argname("TEXT")
  c:option("--since", "Only quotes dated on or after DATE.")
    :argname("DATE"):convert(date_arg("--since"))
  c:option("--until", "Only quotes dated on or before DATE.")
    :argname("DATE"):convert(date_arg("--until"))
  c:option("--outlet", "Only quotes printed by this outlet.")
    :argname("NAME"):count("*")
  c:flag("--speakers", "List the speakers instead (quotes, first and "
    .. "last date, outlets).")
  c:option("--limit", "At most N rows; 0 for all (default 0).")
    :argname("N"):convert(count_arg("--limit")):default("0")
    :show_default(false)
  c:option("--format", FORMAT_HELP:format("table, csv, jsonl, md", "table"))
    :choices({ "table", "csv", "jsonl", "md" }):default("table")
    :show_default(false):argname("FORMAT")

  c = command("export", "Write every article as JSON Lines or CSV, or "
    .. "as an Elasticsearch bulk request.",
    "JSON Lines: one object per article (id, path, title, date, "
    .. "date_precision,\ndateline, credit, outlet, lang, authors, editors,"
    .. " body).\n--es-bulk INDEX writes for each article the action line "
    .. "{\"index\":{\"_index\":INDEX,\"_id\":\"ID\"}}\nand then the "
    .. "document, as POST /_bulk expects.\n\nExample: loupe export "
    .. "news.loupe --es-bulk news > bulk.ndjson")
  c:argument("DB", "The corpus file."):target("db")
  c:option("--format", FORMAT_HELP:format("jsonl, csv", "jsonl"))
    :choices({ "jsonl", "csv" }):argname("FORMAT")
  c:option("--es-bulk", "Elasticsearch bulk format for index INDEX.")
    :argname("INDEX"):convert(index_arg)
  c:option("-o --output", "Write to FILE instead of standard output.")
    :argname("FILE")

  c = command("report", "Run a report script on a corpus and write "
    .. "its page (HTML or Markdown).",
    "The script is a Lua chunk called with (corpus, report, args): the "
    .. "open\ncorpus (read-only), the loupe.report module and args, the "
    .. "list of ARGs\n(args.db is the corpus path, args.output the -o "
    .. "file). It returns a page\n(report.page{...}), a string to write "
    .. "as is, or nothing when it wrote\nits own output. Without -o the "
    .. "page goes to standard output.\n\nExample: loupe report news.loupe"
    .. " examples/who_said_what.lua -o who.html")
  c:argument("DB", "The corpus file."):target("db")
  c:argument("SCRIPT", "The report script (Lua)."):target("script")
  c:argument("ARG", "Arguments for the script."):target("args"):args("*")
  c:option("-o --output", "Write the page to FILE.")
    :argname("FILE")
  c:option("--format", "html or md (default: md for a .md FILE, else "
    .. "html).")
    :choices({ "html", "md" }):argname("FORMAT")

  c = command("check", "Check a corpus file: SQLite's and the full-text "
    .. "index's integrity, the counts that must agree, the schema version.",
    "The corpus is opened read-only and never written (the full-text "
    .. "index is checked\non a temporary copy). Exit status 1 when a "
    .. "problem is found; each goes to\nstandard error.\n\nExample: "
    .. "loupe check news.loupe")
  c:argument("DB", "The corpus file."):target("db")
  c:option("--format", FORMAT_HELP:format("text, json", "text"))
    :choices({ "text", "json" }):default("text"):show_default(false)
    :argname("FORMAT")

  c = command("help", "Show the help of a command.")
  c:argument("COMMAND", "A command."):target("topic"):args("?")
  state.parsers.help = c
  return p
end

-- argparse's message as "subject: reason".
local function split_usage(msg, command)
  msg = tostring(msg):gsub("\n.*", "")
  local s, r = msg:match("^(%-%-?[%w-]+): (.*)$")
  if s then return s, r end
  s, r = msg:match("^(ID): (.*)$")
  if s then return s, r end
  s = msg:match("^unknown option '(.-)'")
  if s then return s, "unknown option" end
  s = msg:match("^unknown command '(.-)'")
  if s then
    return s, "unknown command (one of " .. table_concat(COMMANDS, ", ")
      .. ")"
  end
  s = msg:match("^missing argument '(.-)'")
  if s then return s:upper(), "missing argument" end
  s = msg:match("^option '(.-)' requires an argument")
  if s then return s, "needs a value" end
  s, r = msg:match("^argument for option '(.-)' must be (.*)$")
  if s then return s, "must be " .. r end
  s = msg:match("^option '(.-)' must be used")
  if s then return s, msg:gsub("^option '.-' ", "") end
  if msg == "a command is required" then
    return "COMMAND", "missing (one of " .. table_concat(COMMANDS, ", ")
      .. ")"
  end
  return command or "loupe", msg
end

-- ---------------------------------------------------------- corpus

local loupe_mod
local function loupe()
  loupe_mod = loupe_mod or require "loupe"
  return loupe_mod
end

local function report_mod()
  return require "loupe.report"
end

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
  for _, n in ipairs(corpus.notices) do stderr:write(n, "\n") end
  return corpus
end

-- A sink for writers: a file opened for -o, or standard output.
local function open_output(path)
  if not path or path == "-" then return stdout, function() return true end
  end
  local f, err = io_open(path, "wb")
  if not f then return nil, err end
  return f, function()
    local ok, cerr = f:close()
    return ok, cerr
  end
end

-- ------------------------------------------------------------ ingest

-- A progress reporter: on a terminal one redrawn bar (files, MB/s, ETA),
-- otherwise a plain line per tenth of the files. Returns the callback and
-- a finish function that ends the bar and gives bytes and seconds.
local function progress_meter(stream, tty, quiet)
  local t0, c0 = os_time(), os_clock()
  local bytes, last, next_pct = 0, -1, 10
  local function elapsed()
    -- os.time counts whole seconds, os.clock CPU time: the larger is the
    -- better estimate of the wall time of a CPU-bound ingest
    return math_max(os_time() - t0, os_clock() - c0, 1e-6)
  end
  local drawn = false
  local function line(info)
    local el = elapsed()
    local rate = bytes / el / 1e6
    local eta = info.done > 0 and el / info.done * (info.total - info.done)
      or 0
    return el, rate, eta
  end
  local function update(info)
    bytes = bytes + (info.bytes or 0)
    if quiet then return end
    local _, rate, eta = line(info)
    if tty then
      local now = os_clock()
      if info.done < info.total and now - last < 0.05 then return end
      last = now
      local width = 28
      local filled = info.total > 0
        and math_floor(width * info.done / info.total) or width
      local head = string_format("\r[%s%s] %d/%d files  %.1f MB/s  ETA %s  ",
        ("#"):rep(filled), ("."):rep(width - filled), info.done, info.total,
        rate, clock_time(eta))
      local room = columns_wide() - width_of(head) - 1
      local name = shown(tostring(info.path or ""):match("[^/]*$"))
      stream:write(head, cut(name, room), "\27[K")
      stream:flush()
      drawn = true
    else
      local pct = info.total > 0 and info.done * 100 // info.total or 100
      if pct >= next_pct or info.done == info.total then
        next_pct = (pct // 10 + 1) * 10
        stream:write(string_format(
          "ingest: %d/%d files (%d%%), %.1f MB/s, ETA %s\n", info.done,
          info.total, pct, rate, clock_time(eta)))
      end
    end
  end
  local function finish()
    if drawn then stream:write("\n") end
    return bytes, elapsed()
  end
  return update, finish
end

local function cmd_ingest(a)
  local core = require "loupe.core"
  -- Ctrl-C ends the ingest between pages, keeping what is stored; caught
  -- from the start, so that one during the open or the check of the file
  -- ends the same way
  local catcher <close> = core.catch_interrupt()
  local fresh = true
  local f = io_open(a.db, "rb")
  if f then
    fresh = false
    f:close()
  end
  if fresh then
    -- no corpus is made for a list of files that does not hold
    local files, lerr = core.list_files(a.paths)
    if not files then return data_error(lerr) end
  end
  local corpus, err = loupe().open(a.db, { busy_timeout = a.busy_timeout })
  if not corpus then return data_error(err) end
  for _, n in ipairs(corpus.notices) do stderr:write(n, "\n") end
  -- a first ingest that stores nothing leaves no corpus file behind
  local function finish_corpus()
    local removed = false
    if fresh and not corpus:is_closed() then
      removed = corpus:_discard() == true
    end
    corpus:close()
    return removed
  end
  local update, finish = progress_meter(stderr, isatty(stderr), a.quiet)
  local ok, summary, ierr = pcall(corpus.ingest, corpus, a.paths,
    { progress = update, batch = a.batch, threads = a.threads,
      charset = a.charset,
      cancel = function() return catcher:pending() end })
  catcher:close()
  local bytes, secs = finish()
  if not ok or not summary then
    finish_corpus()
    return data_error(ok and ierr or summary)
  end
  if summary.interrupted then
    local stored = summary.added + summary.updated + summary.duplicate
    finish_corpus()
    stderr:write(string_format("loupe: interrupted; %d page%s stored, run "
      .. "again to continue\n", stored, stored == 1 and "" or "s"))
    return 130
  end
  local total = corpus:count()
  local removed = total == 0 and finish_corpus()
  corpus:close()
  for _, fl in ipairs(summary.failed) do
    data_error(fl.error or (fl.path .. ": " .. tostring(fl.code)))
  end
  local c = color_for(stdout)
  local failed = #summary.failed
  local failed_s = failed .. " failed"
  if c and failed > 0 then failed_s = c.red .. failed_s .. c.reset end
  say(string_format("%s: %d files, %s in %.2f s (%.1f MB/s): %d added, "
    .. "%d updated, %d unchanged, %d duplicate%s, %s; %s\n", shown(a.db),
    summary.files, human_bytes(bytes), secs, bytes / secs / 1e6,
    summary.added, summary.updated, summary.unchanged, summary.duplicate,
    summary.duplicate == 1 and "" or "s", failed_s,
    removed and "nothing stored, no corpus written"
      or string_format("%d articles in the corpus", total)))
  return failed > 0 and 1 or 0
end

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

-- Mark [highlighted] terms of a snippet line on a colour terminal.
local function colour_marks(s, color)
  return (tostring(s):gsub("%[(.-)%]", function(w)
    return tostring(color.bright) .. tostring(color.yellow) .. w
      .. tostring(color.reset)
  end))
end

-- Rows in a writer format (csv, md, jsonl) to stdout.
local function write_rows(format, rows, columns)
  local w = report_mod().writer(format, stdout, columns)
  for _, r in ipairs(rows) do w:row(r) end
  w:close()
end

-- ------------------------------------------------------------ search

local HIT_COLUMNS = { "id", "date", "outlet", "credit", "title", "authors",
                      "lang", "path" }

local function cmd_search(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local L = loupe()
  local q = corpus:query(a.query, a.raw and { raw = true } or nil)
  local where = {}
  where.since, where["until"] = a.since, a["until"]
  if #a.outlet > 0 then where.outlet = a.outlet end
  if #a.credit > 0 then where.credit = a.credit end
  if #a.speaker > 0 then where.speaker = a.speaker end
  if #a.lang > 0 then where.lang = a.lang end
  if next(where) then q = q:where(where) end
  if a.regex then
    local re, rerr = L.regex(a.regex, a.ignore_case and "i" or nil)
    if not re then
      corpus:close()
      return usage_error("search", "--regex", lib_message(rerr))
    end
    q = q:regex(re)
  elseif a.ignore_case then
    corpus:close()
    return usage_error("search", "--ignore-case", "needs --regex")
  end
  local order = a.order or (a.query and "rank" or "date")
  if order == "newest" then order = "-date" end
  if order == "rank" and not a.query then order = "date" end
  q = q:order(order)
  local total, cerr, ccode = q:count()
  if not total then
    corpus:close()
    if ccode == "syntax" then          -- the QUERY argument is malformed
      return usage_error("search", "QUERY",
        (lib_message(cerr):gsub("^query: ", "")))
    end
    return data_error(cerr)
  end
  if a.limit > 0 then q = q:limit(a.limit) end
  local rows = {}
  -- hits read the body only when asked; the snippet is read here, before
  -- the corpus closes
  for hit in q:each() do
    if hit.snippet then hit.snippet = hit.snippet:gsub("%s+", " ") end
    rows[#rows + 1] = hit
  end
  corpus:close()
  local cols = {}
  for i, k in ipairs(HIT_COLUMNS) do cols[i] = k end
  if a.query then
    cols[#cols + 1] = "snippet"
    cols[#cols + 1] = "rank"
  end
  if a.format ~= "table" then
    write_rows(a.format, rows, cols)
    return 0
  end
  local color = color_for(stdout)
  for _, r in ipairs(rows) do
    r.day = day(r.date)
    if r.snippet then r.extra = { r.snippet } end
  end
  if #rows > 0 then
    text_table(rows, {
      { key = "id", title = "ID", right = true },
      { key = "day", title = "DATE", width = 10 },
      { key = "outlet", title = "OUTLET", width = 24 },
      { key = "title", title = "TITLE", flex = true },
    }, color, color and function(l) return colour_marks(l, color) end)
  end
  say(string_format("%d of %d matching article%s\n", #rows, total,
    total == 1 and "" or "s"))
  return 0
end

-- -------------------------------------------------------- show/parse

local FIELD_ORDER = { "id", "title", "date", "date_precision", "dateline",
  "credit", "outlet", "authors", "editors", "lang", "path", "paths", "hash",
  "bytes", "parser_version", "ingested_at" }

local function print_fields(rec, color)
  for _, k in ipairs(FIELD_ORDER) do
    local v = rec[k]
    if type(v) == "table" then v = table_concat(v, "; ") end
    if v ~= nil and v ~= "" then
      local key = string_format("%-15s", k)
      if color then key = color.bright .. key .. color.reset end
      say(key, shown(v, true), "\n")
    end
  end
end

local function print_quotes(quotes)
  if #quotes == 0 then return end
  say("\nquotes\n")
  for _, q in ipairs(quotes) do
    local who = q.speaker or "(unattributed)"
    if q.role then who = who .. ", " .. q.role end
    local head = string_format("  [%s] %s: ", shown(q.kind or "?"),
      shown(who, true))
    local lines = wrap("“" .. shown(q.text, true) .. "”",
      math_max(30, columns_wide() - 6))
    say(head, "\n")
    for _, l in ipairs(lines) do say("      ", l, "\n") end
  end
end

local function print_paragraphs(paras)
  say("\n")
  local n = math_max(40, columns_wide() - 2)
  for i, p in ipairs(paras) do
    if i > 1 then say("\n") end
    for _, l in ipairs(wrap(shown(p, true), n)) do say(l, "\n") end
  end
end

-- The quotes stored for article id (narrowed by its day).
local function quotes_of(corpus, art)
  local filter = {}
  if art.date then
    filter.since, filter["until"] = day(art.date), day(art.date)
  end
  local list = {}
  for q in corpus:quotes(filter) do
    if q.article_id == art.id then list[#list + 1] = q end
  end
  return list
end

local function cmd_show(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local art, err = corpus:get(a.id)
  if not art then
    corpus:close()
    if err then return data_error(err) end
    return data_error(a.db, "no article with id " .. a.id)
  end
  art.quotes = quotes_of(corpus, art)
  corpus:close()
  if a.format == "json" then
    art.body = art.body or table_concat(art.paragraphs or {}, "\n\n")
    art.paragraph_provenance = nil
    say(report_mod().json(art, FIELD_ORDER), "\n")
    return 0
  end
  print_fields(art, color_for(stdout))
  print_paragraphs(art.paragraphs or {})
  print_quotes(art.quotes)
  return 0
end

local function cmd_parse(a)
  local art, err = loupe().parse_file(a.file, { charset = a.charset })
  if not art then return data_error(err) end
  if a.format == "json" then
    say(report_mod().json(art, FIELD_ORDER), "\n")
    return 0
  end
  art.path = a.file
  print_fields(art, color_for(stdout))
  print_paragraphs(art.paragraphs or {})
  print_quotes(art.quotes or {})
  return 0
end

-- ------------------------------------------------------------ stats

local function cmd_stats(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local q = corpus:query()
  local st = { corpus = a.db, articles = corpus:count() }
  st.years = q:group_by("year")
  st.outlets = q:group_by("outlet")
  st.credits = q:group_by("credit")
  local first, last, undated = nil, nil, 0
  for _, r in ipairs(q:group_by("day")) do
    if r.key == nil then undated = undated + r.count
    else
      first = first or r.key
      last = r.key
    end
  end
  st.first, st.last, st.undated = first, last, undated
  local langs = {}
  for hit in q:each() do
    local k = hit.lang or "?"
    langs[k] = (langs[k] or 0) + 1
  end
  st.languages = {}
  for k, n in pairs(langs) do st.languages[#st.languages + 1] =
    { key = k, count = n } end
  table_sort(st.languages, function(x, y)
    if x.count ~= y.count then return x.count > y.count end
    return x.key < y.key
  end)
  local speakers = corpus:speakers() or {}
  local nq, attributed = 0, 0
  for _ in corpus:quotes() do nq = nq + 1 end
  for _, s in ipairs(speakers) do
    attributed = attributed + (s.quotes or 0)
  end
  st.quotes, st.attributed, st.speakers = nq, attributed, #speakers
  st.top_speakers = {}
  for i = 1, math_min(10, #speakers) do
    local s = speakers[i]
    st.top_speakers[i] = { name = s.name, role = s.role, quotes = s.quotes,
                           first = s.first, last = s.last }
  end
  corpus:close()
  if a.format == "json" then
    say(report_mod().json(st, { "corpus", "articles", "first", "last",
      "undated", "quotes", "attributed", "speakers", "years", "outlets",
      "credits", "languages", "top_speakers" }), "\n")
    return 0
  end
  local color = color_for(stdout)
  local function head(s)
    say("\n", color and (color.bright .. s .. color.reset) or s, "\n")
  end
  say(string_format("%-12s %s\n%-12s %d\n", "corpus", shown(a.db),
    "articles", st.articles))
  if first then
    say(string_format("%-12s %s .. %s%s\n", "dates", first, last,
      undated > 0 and string_format(" (%d undated)", undated) or ""))
  end
  say(string_format("%-12s %d (%d attributed to %d speakers)\n", "quotes",
    nq, attributed, #speakers))
  local parts = {}
  for i, r in ipairs(st.languages) do
    parts[i] = shown(r.key, true) .. " " .. r.count
  end
  say(string_format("%-12s %s\n", "languages", table_concat(parts, ", ")))
  local function bars(title, rows, missing)
    head(title)
    local maxn, wide = 0, 8
    for _, r in ipairs(rows) do
      maxn = math_max(maxn, r.count)
      wide = math_max(wide, width_of(shown(r.key or missing, true)))
    end
    wide = math_min(wide, 34)
    for _, r in ipairs(rows) do
      local n = maxn > 0 and math_max(1, math_floor(30 * r.count / maxn))
        or 0
      say("  ", pad(shown(r.key or missing, true), wide), "  ",
        pad(tostring(r.count), 5, true), "  ", ("#"):rep(n), "\n")
    end
  end
  bars("articles per year", st.years, "undated")
  bars("outlets", st.outlets, "(not stated)")
  bars("credits", st.credits, "(none)")
  if #st.top_speakers > 0 then
    head("most quoted")
    for _, s in ipairs(st.top_speakers) do
      say("  ", pad(shown(s.name, true), 26),
        pad(tostring(s.quotes), 5, true), "  ", day(s.first), " .. ",
        day(s.last), s.role and ("  " .. shown(s.role, true)) or "", "\n")
    end
  end
  return 0
end

-- ----------------------------------------------------------- quotes

local QUOTE_COLUMNS = { "date", "speaker", "role", "kind", "text", "cue",
  "outlet", "title", "article_id", "paragraph", "line", "offset" }

local SPEAKER_COLUMNS = { "name", "role", "quotes", "first", "last",
                          "outlets" }

local function cmd_quotes(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local rows = {}
  if a.speakers then
    local list, err = corpus:speakers()
    corpus:close()
    if not list then return data_error(err) end
    for _, s in ipairs(list) do
      if a.limit > 0 and #rows >= a.limit then break end
      rows[#rows + 1] = s
    end
    if a.format ~= "table" then
      write_rows(a.format, rows, SPEAKER_COLUMNS)
      return 0
    end
    for _, r in ipairs(rows) do
      r.span = day(r.first) .. " .. " .. day(r.last)
      r.where = table_concat(r.outlets or {}, ", ")
    end
    text_table(rows, {
      { key = "name", title = "SPEAKER", width = 28 },
      { key = "quotes", title = "QUOTES", right = true },
      { key = "span", title = "DATES" },
      { key = "role", title = "ROLE", flex = true },
    }, color_for(stdout))
    return 0
  end
  local filter = { since = a.since, ["until"] = a["until"], kind = a.kind,
                   text = a.text }
  if #a.speaker > 0 then filter.speaker = a.speaker end
  if #a.outlet > 0 then filter.outlet = a.outlet end
  local ok, err = pcall(function()
    for q in corpus:quotes(filter) do
      rows[#rows + 1] = q
      if a.limit > 0 and #rows >= a.limit then break end
    end
  end)
  corpus:close()
  if not ok then
    local msg = lib_message(err)
    if #a.speaker > 0 and msg:find("ambiguous", 1, true) then
      return data_error("--speaker", (msg:gsub("^speaker ", "")))
    end
    return data_error(msg)
  end
  if a.format ~= "table" then
    write_rows(a.format, rows, QUOTE_COLUMNS)
    return 0
  end
  for _, r in ipairs(rows) do
    r.day = day(r.date)
    r.quote = "“" .. tostring(r.text) .. "” (" .. tostring(r.outlet or
      r.title or "?") .. ", #" .. tostring(r.article_id) .. ")"
    r.wrap_flex = true
  end
  if #rows > 0 then
    text_table(rows, {
      { key = "day", title = "DATE", width = 10 },
      { key = "speaker", title = "SPEAKER", width = 22 },
      { key = "kind", title = "KIND", width = 8 },
      { key = "quote", title = "QUOTE", flex = true },
    }, color_for(stdout))
  end
  say(string_format("%d quote%s\n", #rows, #rows == 1 and "" or "s"))
  return 0
end

-- ----------------------------------------------------------- export

local EXPORT_COLUMNS = { "id", "path", "title", "date", "date_precision",
  "dateline", "credit", "outlet", "lang", "authors", "editors", "body" }

local function cmd_export(a)
  if a.es_bulk and a.format == "csv" then
    return usage_error("export", "--es-bulk", "writes JSON; it cannot be "
      .. "combined with --format csv")
  end
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  -- a file is written under a temporary name and renamed once complete:
  -- an export that fails leaves no partial FILE
  local to_file = a.output and a.output ~= "-"
  local part = to_file and (a.output .. ".part") or nil
  local out, close = open_output(part)
  if not out then
    corpus:close()
    return data_error(close)
  end
  local R = report_mod()
  local total = corpus:count()
  local n = 0
  local ok, err = pcall(function()
    if a.es_bulk then
      local action = '{"index":{"_index":' .. R.json(a.es_bulk)
        .. ',"_id":'
      for art in corpus:articles() do
        local doc = {}
        for _, k in ipairs(EXPORT_COLUMNS) do doc[k] = art[k] end
        out:write(action, R.json(tostring(art.id)), "}}\n",
          R.json(doc, EXPORT_COLUMNS), "\n")
        n = n + 1
      end
    else
      local w = R.writer(a.format or "jsonl", out, EXPORT_COLUMNS)
      for art in corpus:articles() do
        w:row(art)
        n = n + 1
      end
      w:close()
    end
  end)
  corpus:close()
  local cok, cerr = close()
  if ok and not cok then ok, err = false, (a.output or "stdout") .. ": "
    .. tostring(cerr) end
  if ok and n ~= total then
    -- rows a damaged index or table never gave: the output is short
    ok, err = false, a.db .. ": the corpus is damaged (it counts " .. total
      .. " articles, reading gave " .. n .. "); run 'loupe check " .. a.db
      .. "'"
  end
  if not ok then
    data_error(err)
    if to_file then
      os_remove(part)
      return data_error(a.output, string_format("not written: the export "
        .. "stopped after %d of %d articles", n, total))
    end
    return data_error("export", string_format("stopped after %d of %d "
      .. "articles: the output is incomplete", n, total))
  end
  if to_file then
    local rok, rerr = os_rename(part, a.output)
    if not rok then
      os_remove(part)
      return data_error(a.output, tostring(rerr))
    end
  end
  return 0
end

-- ------------------------------------------------------------ check

local function cmd_check(a)
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local r, err = corpus:check()
  corpus:close()
  if not r then return data_error(err) end
  if a.format == "json" then
    r.corpus = a.db
    say(report_mod().json(r, { "corpus", "ok", "schema_version", "articles",
      "paragraphs", "quotes", "entities", "paths", "index_rows",
      "deferred_indexes", "problems", "notes" }), "\n")
  else
    say(string_format("%-14s %s\n", "corpus", a.db))
    say(string_format("%-14s %d\n", "schema", r.schema_version))
    for _, k in ipairs({ "articles", "paragraphs", "quotes", "entities",
                         "paths", "index_rows" }) do
      say(string_format("%-14s %d\n", (k:gsub("_", " ")), r[k]))
    end
    for _, n in ipairs(r.notes) do say("note: ", n, "\n") end
  end
  for _, p in ipairs(r.problems) do complain(a.db, p) end
  if not r.ok then
    complain(a.db, string_format("%d problem%s found", #r.problems,
      #r.problems == 1 and "" or "s"))
    return 1
  end
  if a.format ~= "json" then say(a.db, ": ok\n") end
  return 0
end

-- ----------------------------------------------------------- report

local function cmd_report(a)
  local R = report_mod()
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local args = { db = a.db, output = a.output }
  for i, v in ipairs(a.args) do args[i] = v end
  local result, err = R.run_script(a.script, corpus, args)
  corpus:close()
  if not result then return data_error(err) end
  local text
  if R.is_page(result) then
    local format = a.format or (a.output and a.output:match("%.md$")
      and "md") or "html"
    text = result:render(format)
  elseif type(result) == "string" then
    text = result
  elseif result ~= true then
    return data_error(a.script, "returned a " .. type(result)
      .. " (a report page, a string or nothing expected)")
  end
  if text == nil then return 0 end
  local out, close = open_output(a.output)
  if not out then return data_error(close) end
  local wok, werr = out:write(text)
  local cok, cerr = close()
  if not wok or not cok then
    return data_error(a.output or "stdout", tostring(werr or cerr))
  end
  if a.output and a.output ~= "-" then
    say(string_format("%s: wrote %s\n", shown(a.output),
      human_bytes(#text)))
  end
  return 0
end

-- ------------------------------------------------------------- main

local RUN = { ingest = cmd_ingest, search = cmd_search, show = cmd_show,
              parse = cmd_parse, stats = cmd_stats, quotes = cmd_quotes,
              export = cmd_export, report = cmd_report, check = cmd_check }

--- Run the command line argv (a list of strings, like the global arg)
-- and return the exit status: 0, 1 (data error) or 2 (usage error).
-- opts.stdout and opts.stderr replace the standard streams.
function M.main(argv, opts)
  stdout = opts and opts.stdout or io_stdout
  stderr = opts and opts.stderr or io_stderr
  if argv ~= nil and type(argv) ~= "table" then
    error("bad argument #1 to 'main' (table expected, got " .. type(argv)
      .. ")", 2)
  end
  local list = {}
  for i, v in ipairs(argv or {}) do list[i] = tostring(v) end
  local state = {}
  local parser = build_parser(state)
  local ok, args = parser:pparse(list)
  if state.help then
    say(state.help:get_help(), "\n")
    return 0
  end
  if not ok then
    local cmd
    for _, v in ipairs(list) do
      if state.parsers[v] and v ~= "loupe" then cmd = v break end
    end
    local subject, reason = split_usage(args, cmd)
    return usage_error(cmd, subject, reason)
  end
  if args.version then
    local vok, L = pcall(loupe)
    say("loupe ", vok and tostring(L._VERSION) or "(core not found)", "\n")
    return 0
  end
  if not args.command then
    return usage_error(nil, "COMMAND", "missing (one of "
      .. table_concat(COMMANDS, ", ") .. ")")
  end
  if args.command == "help" then
    local topic = args.topic
    if topic and not RUN[topic] then
      return usage_error(nil, topic, "unknown command (one of "
        .. table_concat(COMMANDS, ", ") .. ")")
    end
    say(state.parsers[topic or "loupe"]:get_help(), "\n")
    return 0
  end
  local rok, rc = xpcall(RUN[args.command], function(e)
    if os_getenv("LOUPE_DEBUG") then return debug_traceback(e, 2) end
    return e
  end, args)
  if not rok then return data_error(rc) end
  return rc or 0
end

return M
