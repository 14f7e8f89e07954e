-- loupe.regex: PCRE2 patterns from Lua. `loupe.regex(pattern [, flags [,
-- limits]])` compiles once (UTF-8, invalid-UTF-8 safe, JIT when there)
-- and gives find, match and gmatch; every match runs under match, depth
-- and heap limits, so a catastrophic pattern reports the limit it hit.
local check = require("loupe.check")
local core = require("loupe.core")

local getmetatable, pairs, setmetatable = getmetatable, pairs, setmetatable
local math_mininteger, table_unpack = math.mininteger, table.unpack

local _ENV <const> = nil

local Regex = check.class("loupe.regex")

local M = {}

local LIMITS = { match_limit = true, depth_limit = true, heap_limit = true }
local LIMIT_MAX = check.UINT32_MAX

--- Compile a pattern; nil, message (with the offset), "syntax" when bad.
-- limits (match_limit, depth_limit, heap_limit: integers from 1 to
-- 4294967295, PCRE2's 32 bits) stay with the object, and apply where a
-- query uses it too.
function M.new(pattern, flags, limits)
  check.type(1, "regex", pattern, "string")
  check.type(2, "regex", flags, "string", true)
  local lim
  if limits ~= nil then
    lim = {}
    for k, v in pairs(check.options(3, "regex", limits, LIMITS)) do
      lim[k] = check.integer(3, "regex", v, 1, LIMIT_MAX,
        "option '" .. k .. "'")
    end
  end
  local re, err, code = core.regex(pattern, flags, lim)
  if not re then return nil, err, code end
  return setmetatable({ pattern = pattern, flags = flags, limits = lim,
                        _re = re }, Regex)
end

function M.is_regex(x)
  return getmetatable(x) == Regex
end

-- The subject checked, and init as an integer (default 1).
local function check_subject(fname, s, init)
  check.type(1, fname, s, "string")
  return check.integer(2, fname, init, math_mininteger, nil, "init", true)
    or 1
end

--- Like string.find: start and end of the first match (1-based) and the
-- captures; nil when there is none; nil, message, "limit" when a limit
-- stopped the match.
function Regex:find(s, init)
  init = check_subject("find", s, init)
  local a, b, caps = self._re:exec(s, init)
  if a == nil then return nil, b, caps end
  return a, b, table_unpack(caps)
end

--- Like string.match: the captures, or the whole match when the pattern
-- has none.
function Regex:match(s, init)
  init = check_subject("match", s, init)
  local a, b, caps = self._re:exec(s, init)
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
      if b then check.raise(b) end
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
