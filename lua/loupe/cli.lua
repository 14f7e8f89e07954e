-- loupe.cli: the `loupe` command (ingest, search, show, parse, stats,
-- quotes, export, report, check, kwic, count, points, clusters,
-- speakers). `require("loupe.cli").main(arg)` runs
-- it and returns the exit status: 0 done, 1 data error, 2 usage error
-- (130 for an interrupted ingest). Errors go to stderr as `loupe: <file or
-- argument>: <reason>`. The parts, in lua/loupe/cli/: parser (the
-- command line), output (streams, messages, tables), and the commands by
-- job: ingest, search (search, quotes), show (show, parse), stats (stats,
-- check), export (export, report).
local check = require("loupe.check")
local output = require("loupe.cli.output")
local parser = require("loupe.cli.parser")

local ipairs, pcall, require = ipairs, pcall, require
local tostring, xpcall = tostring, xpcall
local debug_traceback, io_stderr = debug.traceback, io.stderr
local io_stdout, os_getenv = io.stdout, os.getenv

local ONE_OF_COMMANDS = parser.ONE_OF_COMMANDS
local say, usage_error = output.say, output.usage_error

local _ENV <const> = nil

local M = {}

M.shown = output.shown

-- The module of lua/loupe/cli/ that runs each command (its function is
-- cmd_<command>), loaded when the command runs: `loupe search` does not
-- load the ingest's or the report's code.
local RUN = { ingest = "ingest", search = "search", quotes = "search",
              show = "show", parse = "show", stats = "stats",
              check = "stats", export = "export", report = "export",
              kwic = "toolkit", count = "toolkit", points = "toolkit",
              clusters = "toolkit", speakers = "toolkit" }

-- Run command cmd on the parsed arguments a.
local function run(cmd, a)
  return require("loupe.cli." .. RUN[cmd])["cmd_" .. cmd](a)
end

--- Run the command line argv (a list of strings, like the global arg)
-- and return the exit status: 0, 1 (data error) or 2 (usage error).
-- opts.stdout and opts.stderr replace the standard streams.
function M.main(argv, opts)
  check.type(1, "main", argv, "table", true)
  opts = check.options(2, "main", opts, { stdout = true, stderr = true })
  output.stdout = opts.stdout or io_stdout
  output.stderr = opts.stderr or io_stderr
  local list = {}
  for i, v in ipairs(argv or {}) do list[i] = tostring(v) end
  local state = {}
  local p = parser.build_parser(state)
  local ok, args = p:pparse(list)
  if state.help then
    say(state.help:get_help(), "\n")
    return 0
  end
  if not ok then
    local cmd
    for _, v in ipairs(list) do
      if state.parsers[v] and v ~= "loupe" then cmd = v break end
    end
    local subject, reason = parser.split_usage(args, cmd)
    return usage_error(cmd, subject, reason)
  end
  if args.version then
    local vok, L = pcall(output.loupe)
    say("loupe ", vok and tostring(L._VERSION) or "(core not found)", "\n")
    return 0
  end
  if not args.command then
    return usage_error(nil, "COMMAND", "missing " .. ONE_OF_COMMANDS)
  end
  if args.command == "help" then
    local topic = args.topic
    if topic and not RUN[topic] then
      return usage_error(nil, topic, "unknown command " .. ONE_OF_COMMANDS)
    end
    say(state.parsers[topic or "loupe"]:get_help(), "\n")
    return 0
  end
  local rok, rc = xpcall(run, function(e)
    if os_getenv("LOUPE_DEBUG") then return debug_traceback(e, 2) end
    return e
  end, args.command, args)
  if not rok then return output.data_error(rc) end
  return rc or 0
end

return M
