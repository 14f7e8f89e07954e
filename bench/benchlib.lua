-- bench/benchlib.lua: the small file and clock helpers the benchmarks
-- share. Load it with dofile from the script's own folder:
--   local here = arg[0]:match("^(.*/)") or "./"
--   local lib = dofile(here .. "benchlib.lua")

local io_open = io.open
local os_time = os.time
local tonumber = tonumber

local M = {}

--- s quoted for a POSIX shell command line.
function M.sh_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

--- The bytes of the file at path, or nil when it cannot be read.
function M.read_file(path)
  local f = io_open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

--- Write data to the file at path (raises when it cannot be opened).
function M.write_file(path, data)
  local f, err = io_open(path, "wb")
  if not f then error(err, 2) end
  f:write(data)
  f:close()
end

--- Wall-clock seconds (10 ms resolution) from /proc/uptime.
function M.wall()
  local s = M.read_file("/proc/uptime")
  return s and tonumber(s:match("^(%S+)")) or os_time()
end

return M
