-- loupe.regex: PCRE2 patterns from Lua. `loupe.regex(pattern [, flags [,
-- limits]])` compiles once (UTF-8, invalid-UTF-8 safe, JIT when there)
-- and gives find, match and gmatch; every match runs under match, depth
-- and heap limits, so a catastrophic pattern reports the limit it hit.
local core = require "loupe.core"

local error = error
local getmetatable = getmetatable
local math_type = math.type
local setmetatable = setmetatable
local table_unpack = table.unpack
local type = type

local Regex = {}
Regex.__index = Regex
Regex.__name = "loupe.regex"

local M = {}

--- Compile a pattern; nil, message (with the offset), "syntax" when bad.
function M.new(pattern, flags, limits)
  if type(pattern) ~= "string" then
    error("bad argument #1 to 'regex' (string expected, got "
      .. type(pattern) .. ")", 2)
  end
  if flags ~= nil and type(flags) ~= "string" then
    error("bad argument #2 to 'regex' (string expected, got "
      .. type(flags) .. ")", 2)
  end
  if limits ~= nil and type(limits) ~= "table" then
    error("bad argument #3 to 'regex' (table expected, got "
      .. type(limits) .. ")", 2)
  end
  local re, err, code = core.regex(pattern, flags, limits)
  if not re then return nil, err, code end
  return setmetatable({ pattern = pattern, flags = flags, _re = re }, Regex)
end

function M.is_regex(x)
  return getmetatable(x) == Regex
end

local function check_subject(fname, s, init)
  if type(s) ~= "string" then
    error(("bad argument #1 to '%s' (string expected, got %s)")
      :format(fname, type(s)), 3)
  end
  if init ~= nil and math_type(init) ~= "integer" then
    error(("bad argument #2 to '%s' (integer expected, got %s)")
      :format(fname, type(init)), 3)
  end
end

--- Like string.find: start and end of the first match (1-based) and the
-- captures; nil when there is none; nil, message, "limit" when a limit
-- stopped the match.
function Regex:find(s, init)
  check_subject("find", s, init)
  local a, b, caps = self._re:exec(s, init or 1)
  if a == nil then return nil, b, caps end
  return a, b, table_unpack(caps)
end

--- Like string.match: the captures, or the whole match when the pattern
-- has none.
function Regex:match(s, init)
  check_subject("match", s, init)
  local a, b, caps = self._re:exec(s, init or 1)
  if a == nil then return nil, b, caps end
  if #caps == 0 then return s:sub(a, b) end
  return table_unpack(caps)
end

--- Like string.gmatch: an iterator over the matches (captures, or the
-- whole match). An empty match advances one character; a limit raises.
function Regex:gmatch(s)
  check_subject("gmatch", s)
  local re, pos, len = self._re, 1, #s
  return function()
    if pos > len + 1 then return nil end
    local a, b, caps = re:exec(s, pos)
    if a == nil then
      if b then error(b, 2) end
      pos = len + 2
      return nil
    end
    if b < a then
      -- empty match: step over one UTF-8 character
      local c = s:byte(a) or 0
      pos = a + (c >= 0xF0 and 4 or c >= 0xE0 and 3 or c >= 0xC0 and 2 or 1)
    else
      pos = b + 1
    end
    if #caps == 0 then return s:sub(a, b) end
    return table_unpack(caps)
  end
end

function Regex:groups()
  return self._re:groups()
end

function Regex:close()
  self._re:close()
end

return M
