-- loupe.cli.parser: the command line of `loupe` (argparse): its
-- commands, their arguments and options with the checks of their values,
-- and argparse's complaints in the command's form (split_usage).
local argparse = require("argparse")
local check = require("loupe.check")

local pcall, require, tonumber, tostring = pcall, require, tonumber, tostring
local math_tointeger, table_concat = math.tointeger, table.concat

local _ENV <const> = nil

local M = {}

M.COMMANDS = { "ingest", "search", "show", "parse", "stats", "quotes",
               "export", "report", "check", "kwic", "count", "points",
               "clusters", "speakers" }
local COMMANDS = M.COMMANDS
-- What a command must be, as usage errors say it.
M.ONE_OF_COMMANDS = "(one of " .. table_concat(COMMANDS, ", ") .. ")"

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


-- --format FORMAT, one of choices; the first is the default unless
-- no_default (the command then picks one).
local function format_option(c, choices, no_default)
  local o = c:option("--format", FORMAT_HELP:format(
    table_concat(choices, ", "), choices[1])):choices(choices)
  if not no_default then o:default(choices[1]):show_default(false) end
  o:argname("FORMAT")
end

-- --since DATE and --until DATE, with their help texts.
local function date_options(c, since_help, until_help)
  c:option("--since", since_help):argname("DATE")
    :convert(date_arg("--since"))
  c:option("--until", until_help):argname("DATE")
    :convert(date_arg("--until"))
end

-- --limit N (0 for all), default dflt.
local function limit_option(c, help, dflt)
  c:option("--limit", help):argname("N"):convert(count_arg("--limit"))
    :default(dflt):show_default(false)
end

-- The arguments and options of `loupe ingest`.
local function define_ingest(corpus_command)
  local c = corpus_command("ingest",
    "Add pages (files, folders, globs) to a corpus, creating it if needed.",
    [[
An article is its content: unchanged files are skipped, and a file whose content
is stored already under another path (a copy, the folder named another way)
is recorded as another location of that article (a duplicate). A changed file
replaces its record. A first ingest that stores nothing leaves no corpus file.
Ctrl-C stops after the page at hand, keeping what is stored (exit status
130); run the same command again to continue.
A progress bar shows on a terminal, plain progress lines otherwise.
Exit status 1 when any page failed (the others are stored).

Example: loupe ingest news.loupe pages/ 'more/*.txt']])
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
  c:option("--stem", "Word forms in the full-text index of a new corpus: "
    .. "en (English stems: 'hackers' finds 'hacker') or none.")
    :argname("LANG"):choices({ "en", "none" })

  c:option("--charset", CHARSET_HELP):argname("NAME")
    :convert(charset_arg)
end

-- The arguments and options of `loupe search`.
local function define_search(corpus_command)
  local c = corpus_command("search",
    "Search the corpus: text, filters, a regex.",
    [[
QUERY is read in loupe's search language: "a phrase", word* (prefix),
-word (without), a OR b, NEAR(a b, 5); anything else is a literal word
(--literal: every word literal; --raw: FTS5 syntax).
Filters combine; a repeated --outlet, --credit or --speaker means any of them.

Examples:
  loupe search news.loupe 'largest source' --since 2019
  loupe search news.loupe --regex 'cyber[- ]?attacks' -i --format csv]])
  c:argument("QUERY", "Words to search for (optional with filters).")
    :target("query"):args("?")
  date_options(c, "Only articles dated on or after DATE "
    .. "(YYYY[-MM[-DD]]).", "Only articles dated on or before DATE.")
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
  c:flag("--literal", "Search every word of QUERY literally.")
  c:option("--phrase", "Only articles holding this exact phrase.")
    :argname("TEXT"):count("*")
  c:option("--near", "Only articles where A and B are at most N words "
    .. "apart (default 10)."):args("2-3"):argname({ "A", "B", "N" })
    :count("*")
  c:option("--order", "date (oldest first), newest (also written "
    .. "--order=-date) or rank (default rank with QUERY, else date).")
    :choices({ "date", "newest", "-date", "rank" }):argname("ORDER")
  limit_option(c, "At most N articles; 0 for all (default 20).", "20")
  format_option(c, { "table", "csv", "jsonl", "md" })
end

-- The arguments and options of `loupe show`.
local function define_show(corpus_command)
  local c = corpus_command("show",
    "Print one stored article: fields, paragraphs, quotes.")
  c:argument("ID", "The article id (from search)."):target("id")
    :convert(count_arg("ID", 1))
  format_option(c, { "text", "json" })
end

-- The arguments and options of `loupe parse`.
local function define_parse(command)
  local c = command("parse", "Parse one page file and print the article "
    .. "record (no corpus needed).")
  c:argument("FILE", "The page file (text, Markdown or HTML; .gz "
    .. "inflated)."):target("file")
  format_option(c, { "text", "json" })
  c:option("--input", "How to read FILE: auto (default: by its name, "
    .. "else by its content), text, markdown or html.")
    :choices({ "auto", "text", "markdown", "html" }):argname("FORMAT")
  c:option("--charset", CHARSET_HELP):argname("NAME")
    :convert(charset_arg)
end

-- The arguments and options of `loupe stats`.
local function define_stats(corpus_command)
  local c = corpus_command("stats", "Summarise a corpus: articles per "
    .. "year, outlet and credit, languages, speakers.")
  format_option(c, { "text", "json" })
end

-- The arguments and options of `loupe quotes`.
local function define_quotes(corpus_command)
  local c = corpus_command("quotes",
    "List quotes (who said what, when, where), or the speakers.",
    [[
A speaker may be given by full name or, when unambiguous, by surname.

Examples:
  loupe quotes news.loupe --speaker Varga
  loupe quotes news.loupe --speakers --format csv]])
  c:option("--speaker", "Only quotes by this speaker."):argname("NAME")
    :count("*")
  c:option("--kind", "Only quotes of this kind."):argname("KIND")
    :choices({ "direct", "reported", "phrase" })
  c:option("--text", "Only quotes containing this text (any case).")
    :argname("TEXT")
  date_options(c, "Only quotes dated on or after DATE.",
    "Only quotes dated on or before DATE.")
  c:option("--outlet", "Only quotes printed by this outlet.")
    :argname("NAME"):count("*")
  c:flag("--speakers", "List the speakers instead (quotes, first and "
    .. "last date, outlets).")
  limit_option(c, "At most N rows; 0 for all (default 0).", "0")
  format_option(c, { "table", "csv", "jsonl", "md" })
end

-- The arguments and options of `loupe export`.
local function define_export(corpus_command)
  local c = corpus_command("export", "Write every article as JSON Lines "
    .. "or CSV, or as an Elasticsearch bulk request.",
    [[
JSON Lines: one object per article (id, path, title, date, date_precision,
dateline, credit, outlet, lang, authors, editors, body).
--es-bulk INDEX writes for each article the action line {"index":{"_index":INDEX,"_id":"ID"}}
and then the document, as POST /_bulk expects.

Example: loupe export news.loupe --es-bulk news > bulk.ndjson]])
  format_option(c, { "jsonl", "csv" }, true)
  c:option("--es-bulk", "Elasticsearch bulk format for index INDEX.")
    :argname("INDEX"):convert(index_arg)
  c:option("-o --output", "Write to FILE instead of standard output.")
    :argname("FILE")
end

-- The arguments and options of `loupe report`.
local function define_report(corpus_command)
  local c = corpus_command("report",
    "Run a report script on a corpus and write its page (HTML or Markdown).",
    [[
The script is a Lua chunk called with (corpus, report, args): the open
corpus (read-only), the loupe.report module and args, the list of ARGs
(args.db is the corpus path, args.output the -o file). It returns a page
(report.page{...}), a string to write as is, or nothing when it wrote
its own output. Without -o the page goes to standard output.

Example: loupe report news.loupe examples/who_said_what.lua -o who.html]])
  c:argument("SCRIPT", "The report script (Lua)."):target("script")
  c:argument("ARG", "Arguments for the script."):target("args"):args("*")
  c:option("-o --output", "Write the page to FILE.")
    :argname("FILE")
  c:option("--format", "html or md (default: md for a .md FILE, else "
    .. "html).")
    :choices({ "html", "md" }):argname("FORMAT")
end

-- The arguments and options of `loupe check`.
local function define_check(corpus_command)
  local c = corpus_command("check", "Check a corpus file: SQLite's and "
    .. "the full-text index's integrity, the counts that must agree, the "
    .. "schema version.",
    [[
The corpus is opened read-only and never written (the full-text index is checked
on a temporary copy). Exit status 1 when a problem is found; each goes to
standard error.

Example: loupe check news.loupe]])
  format_option(c, { "text", "json" })
end

--- The parser of the command line: a command per entry of COMMANDS;
-- state.parsers holds each command's parser, state.help the one whose
-- --help was given.
function M.build_parser(state)
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

  -- A command on a corpus: its first argument is the corpus file, DB.
  local function corpus_command(name, summary, epilog)
    local c = command(name, summary, epilog)
    c:argument("DB", "The corpus file."):target("db")
    return c
  end

  define_ingest(corpus_command)
  define_search(corpus_command)
  define_show(corpus_command)
  define_parse(command)
  define_stats(corpus_command)
  define_quotes(corpus_command)
  define_export(corpus_command)
  define_report(corpus_command)
  define_check(corpus_command)
  require("loupe.cli.toolkit").define(command, {
    date_options = date_options, format_option = format_option,
    limit_option = limit_option, count_arg = count_arg,
    corpus_command = corpus_command })
  local c = command("help", "Show the help of a command.")
  c:argument("COMMAND", "A command."):target("topic"):args("?")
  state.parsers.help = c
  return p
end

-- argparse's message as "subject: reason".
function M.split_usage(msg, command)
  msg = tostring(msg):gsub("\n.*", "")
  local s, r = msg:match("^(%-%-?[%w-]+): (.*)$")
  if s then return s, r end
  s, r = msg:match("^(ID): (.*)$")
  if s then return s, r end
  s = msg:match("^unknown option '(.-)'")
  if s then return s, "unknown option" end
  s = msg:match("^unknown command '(.-)'")
  if s then
    return s, "unknown command " .. M.ONE_OF_COMMANDS
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
    return "COMMAND", "missing " .. M.ONE_OF_COMMANDS
  end
  return command or "loupe", msg
end

return M
