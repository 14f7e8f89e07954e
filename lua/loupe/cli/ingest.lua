-- loupe.cli.ingest: `loupe ingest`: pages into a corpus with a progress
-- bar (or lines) and a summary; Ctrl-C stops between pages; a first
-- ingest that stores nothing leaves no corpus file.
local output = require("loupe.cli.output")

local ipairs, pcall, require, tostring = ipairs, pcall, require, tostring
local io_open, math_floor, math_max = io.open, math.floor, math.max
local os_clock, os_time, string_format = os.clock, os.time, string.format

local clock_time, color_for = output.clock_time, output.color_for
local columns_wide, cut = output.columns_wide, output.cut
local data_error, human_bytes = output.data_error, output.human_bytes
local isatty, loupe, say = output.isatty, output.loupe, output.say
local shown, width_of = output.shown, output.width_of

local _ENV <const> = nil

local M = {}

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

function M.cmd_ingest(a)
  local core = require("loupe.core")
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
  local corpus, err = loupe().open(a.db, { busy_timeout = a.busy_timeout,
    stem = a.stem })
  if not corpus then return data_error(err) end
  for _, n in ipairs(corpus.notices) do output.stderr:write(n, "\n") end
  -- a first ingest that stores nothing leaves no corpus file behind
  local function finish_corpus()
    local removed = false
    if fresh and not corpus:is_closed() then
      removed = corpus:_discard() == true
    end
    corpus:close()
    return removed
  end
  local err_stream = output.stderr
  local update, finish = progress_meter(err_stream, isatty(err_stream),
    a.quiet)
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
    output.stderr:write(string_format("loupe: interrupted; %d page%s "
      .. "stored, run again to continue\n", stored, stored == 1 and "" or "s"))
    return 130
  end
  local total = corpus:count()
  local removed = total == 0 and finish_corpus()
  corpus:close()
  for _, fl in ipairs(summary.failed) do
    data_error(fl.error or (fl.path .. ": " .. tostring(fl.code)))
  end
  -- a web archive without a page, said rather than passed over in silence
  for _, n in ipairs(summary.notes or {}) do output.stderr:write(n, "\n") end
  local c = color_for(output.stdout)
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

return M
