-- lua_rules.lua - two rules of the Lua modules that luacheck does not
-- check. Size (issue 16): no file over MAX_FILE lines and no function
-- over MAX_FUNCTION lines, so that each piece can be read whole. No
-- global after `local _ENV <const> = nil`: luacheck takes a read of a
-- standard global there (pcall) for fine, but it would fail at run time
-- ("attempt to index a nil value") on whatever path reaches it first.
-- Both are read from the compiler's own listing (luac5.4 -p -l -l:
-- "function <file:first,last>"; a global read through the nil _ENV is
-- LOADNIL r followed by an index of r), not from a parse of ours.
-- Usage: lua5.4 scripts/lua_rules.lua FILE.lua...; prints each breach
-- as "file:line: ..." and exits 1 when there is one. (The C sources have
-- their own size checker; this one reads .lua only.)
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
  local pipe = assert(io.popen(LUAC .. " -p -l -l " .. quote(path)
    .. " 2>&1"))
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
  local nil_reg
  for line in listing:gmatch("[^\n]+") do
    local at, op, a, b = line:match("^%s*%d+%s+%[(%d+)%]%s+(%u+)%s+(%d+)"
      .. "%s+(%d+)")
    if op == "GETFIELD" or op == "SELF" then
      if nil_reg and b == nil_reg then
        breach(path, tonumber(at), "a global read after _ENV = nil: "
          .. (line:match('; "([^"]*)"') or "?") .. " (bind it to a local "
          .. "before)")
      end
    elseif op == "SETFIELD" and nil_reg and a == nil_reg then
      breach(path, tonumber(at), "a global written after _ENV = nil: "
        .. (line:match('; "([^"]*)"') or "?"))
    end
    nil_reg = op == "LOADNIL" and b == "0" and a or nil
  end
end

if breaches > 0 then
  io.stderr:write(string.format("lua_rules: %d breach%s\n",
    breaches, breaches == 1 and "" or "es"))
  os.exit(1)
end
print(string.format("lua_rules: %d files, none over %d lines, no function "
  .. "over %d lines, no global after _ENV = nil", #arg, MAX_FILE,
  MAX_FUNCTION))
