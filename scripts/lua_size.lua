-- lua_size.lua - the size rule of the Lua modules (issue 16): no file over
-- MAX_FILE lines and no function over MAX_FUNCTION lines, so that each
-- piece can be read whole. Function extents come from the compiler's own
-- listing (luac5.4 -p -l: "function <file:first,last>"), not a parse of
-- ours. Usage: lua5.4 scripts/lua_size.lua FILE.lua...; prints each
-- breach as "file:line: ..." and exits 1 when there is one.
-- (The C sources have their own checker; this one reads .lua only.)
local MAX_FILE = 900
local MAX_FUNCTION = 120
local LUAC = os.getenv("LUAC") or "luac5.4"

local function quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local function count_lines(path)
  local f = assert(io.open(path, "rb"))
  local n = 0
  for _ in f:lines() do n = n + 1 end
  f:close()
  return n
end

local breaches = 0
local function breach(path, line, what)
  io.stderr:write(string.format("%s:%d: %s\n", path, line, what))
  breaches = breaches + 1
end

for _, path in ipairs(arg) do
  local lines = count_lines(path)
  if lines > MAX_FILE then
    breach(path, 1, string.format("%d lines (at most %d: split it by job)",
      lines, MAX_FILE))
  end
  local pipe = assert(io.popen(LUAC .. " -p -l " .. quote(path) .. " 2>&1"))
  local listing = pipe:read("a")
  if not pipe:close() then
    breach(path, 1, "luac failed: " .. listing:gsub("\n.*", ""))
  end
  for first, last in listing:gmatch("\nfunction <[^\n]-:(%d+),(%d+)>") do
    local n = tonumber(last) - tonumber(first) + 1
    if n > MAX_FUNCTION then
      breach(path, tonumber(first), string.format(
        "function of %d lines (at most %d)", n, MAX_FUNCTION))
    end
  end
end

if breaches > 0 then
  io.stderr:write(string.format("lua_size: %d breach%s of the size rule\n",
    breaches, breaches == 1 and "" or "es"))
  os.exit(1)
end
print(string.format("lua_size: %d files, none over %d lines, no function "
  .. "over %d lines", #arg, MAX_FILE, MAX_FUNCTION))
