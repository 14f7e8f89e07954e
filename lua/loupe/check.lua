-- loupe.check: the argument checks every loupe module shares. A check
-- that fails raises Lua's usual "bad argument #n to 'f' (reason)" at the
-- first stack level outside loupe's own modules, so the message carries
-- the caller's file and line, never a line inside loupe. Dates, integers,
-- lists of strings and option tables are checked here, once; class makes
-- the metatables of loupe's objects.
local error, ipairs, pairs, tonumber = error, ipairs, pairs, tonumber
local tostring, type = tostring, type
local debug_getinfo, math_maxinteger = debug.getinfo, math.maxinteger
local math_tointeger, math_type = math.tointeger, math.type
local string_format, table_concat = string.format, table.concat

local _ENV <const> = nil

local M = {}

-- The source name of loupe's modules: "@.../lua/loupe/" (this file's
-- folder), so a frame whose source starts with it is loupe's own.
local HOME = debug_getinfo(1, "S").source:match("^(@.*[/\\])") or "@?"

-- The largest value a C int holds: distances, widths and counts that the
-- core keeps in an int are checked against it, never cut to it.
M.INT_MAX = 2147483647
-- PCRE2 keeps its match, depth and heap limits in 32 bits.
M.UINT32_MAX = 4294967295

--- The level, for error(), of the first function up the stack that is
-- not loupe's (1 is the function calling this one). A C function there
-- (pcall, a metamethod call) gives a message without a position, as Lua's
-- own errors do.
local function outside_level()
  local level = 3
  while true do
    local info = debug_getinfo(level, "S")
    if info == nil then return 0 end
    if info.source:sub(1, #HOME) ~= HOME then return level - 1 end
    level = level + 1
  end
end

--- Raise msg at the caller's level (see outside_level).
function M.raise(msg)
  error(msg, outside_level())
end

--- Raise "bad argument #n to 'fname' (reason)" at the caller's level.
function M.argerror(n, fname, reason)
  error(string_format("bad argument #%d to '%s' (%s)", n, fname, reason),
    outside_level())
end
local argerror = M.argerror

-- A value for a message: strings quoted and cut, others by tostring.
local function show(v)
  if type(v) == "string" then
    if #v > 40 then v = v:sub(1, 40) .. "..." end
    return (string_format("%q", v):gsub("\\\n", "\\n"))
  end
  return tostring(v)
end
M.show = show

--- Check that v has Lua type want (or is nil when optional); returns v.
function M.type(n, fname, v, want, optional)
  local got = type(v)
  if got ~= want and not (optional and v == nil) then
    argerror(n, fname, want .. " expected, got "
      .. got)
  end
  return v
end

-- The phrase for an integer range: "a positive integer", "an integer
-- from 0 to 64".
local function range_words(lo, hi)
  if hi == math_maxinteger then
    if lo == 0 then return "a non-negative integer" end
    if lo == 1 then return "a positive integer" end
    return "an integer of at least " .. lo
  end
  return "an integer from " .. lo .. " to " .. hi
end

--- v as an integer in [lo, hi] (hi defaults to math.maxinteger): a float
-- with an integral value is taken (as Lua's own functions take 3.0);
-- fractions, NaN, infinities, strings and values out of range raise
-- "<what> must be <range>, got <v>" (what defaults to "value"). Returns
-- the integer, or nil for a nil v when optional.
function M.integer(n, fname, v, lo, hi, what, optional)
  if v == nil and optional then return nil end
  hi = hi or math_maxinteger
  local i = math_type(v) and math_tointeger(v)
  if i == nil or i < lo or i > hi then
    argerror(n, fname, string_format("%s must be %s, got %s", what or "value",
      range_words(lo, hi), v == nil and "nil" or show(v)))
  end
  return i
end

--- v as a finite number in [lo, hi]; NaN and infinities raise.
-- open_lo excludes lo itself (for "in (0, 1]").
function M.number(n, fname, v, lo, hi, what, open_lo, optional)
  if v == nil and optional then return nil end
  local ok = type(v) == "number" and v == v and v ~= 1 / 0 and v ~= -1 / 0
    and (v > lo or (v == lo and not open_lo)) and v <= hi
  if not ok then
    argerror(n, fname, string_format("%s must be a number %s %s to %s, "
      .. "got %s", what or "value", open_lo and "above" or "from", tostring(lo),
      tostring(hi), v == nil and "nil" or show(v)))
  end
  return v
end

--- rows checked as a list whose items are tables ("row 3 is a number
-- (a table expected)"; what names an item, default "row"). Returns rows.
function M.rows(n, fname, rows, what)
  M.type(n, fname, rows, "table")
  for i, r in ipairs(rows) do
    if type(r) ~= "table" then
      argerror(n, fname, string_format("%s %d is a %s (a table expected)",
        what or "row", i, type(r)))
    end
  end
  return rows
end

--- The option key of opts checked to be of Lua type want when present
-- ("option 'progress' must be a function, got string"); returns it.
function M.option(n, fname, opts, key, want)
  local v = opts[key]
  if v ~= nil and type(v) ~= want then
    argerror(n, fname, string_format("option '%s' must be a%s %s, got %s",
      key, want:find("^[aeiou]") and "n" or "", want, type(v)))
  end
  return v
end

-- "a, b or c" from a list of words.
local function alternatives(list)
  if #list == 1 then return list[1] end
  return table_concat(list, ", ", 1, #list - 1) .. " or " .. list[#list]
end

--- v checked to be one of the strings of list: "[what: ]a, b or c
-- expected, got <v>" (Lua's "x expected, got y" form). Returns v.
function M.one_of(n, fname, v, list, what)
  for _, w in ipairs(list) do
    if v == w then return v end
  end
  argerror(n, fname, string_format("%s%s expected, got %s",
    what and (what .. ": ") or "", alternatives(list),
    v == nil and "nil" or show(v)))
end

--- v checked to be a non-empty string without a NUL byte (a path, a
-- name the core reads as a C string); what names it. Returns v.
function M.name(n, fname, v, what)
  if type(v) ~= "string" then
    argerror(n, fname, string_format("%s must be a string, got %s", what,
      type(v)))
  end
  if v == "" then argerror(n, fname, what .. " is an empty string") end
  return M.no_nul(n, fname, v, what)
end

--- opts as an options table whose keys are all in allowed (a set):
-- nil gives {}; anything else, or an unknown key, raises naming it (as
-- an "option", or as noun says: "filter").
function M.options(n, fname, opts, allowed, noun)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    argerror(n, fname, "table expected, got " .. type(opts))
  end
  for k in pairs(opts) do
    if not allowed[k] then
      argerror(n, fname, "unknown " .. (noun or "option") .. " "
        .. (type(k) == "string" and ("'" .. k .. "'") or show(k)))
    end
  end
  return opts
end

--- s checked to hold no NUL byte: the core reads it as a C string and
-- would silently stop there. what names it in messages. Returns s.
function M.no_nul(n, fname, s, what)
  if s:find("\0", 1, true) then
    argerror(n, fname, what .. " holds a NUL byte")
  end
  return s
end
local no_nul = M.no_nul

--- The list t checked as a sequence of strings: no holes (a nil inside
-- it, {nil, "x"}), no other keys, at least one element unless
-- allow_empty, and no empty string unless allow_blank. what names the
-- list in messages ("filter 'outlet'"). Returns a copy: the caller may
-- change its table later.
function M.strings(n, fname, t, what, allow_empty, allow_blank)
  local count, top = 0, 0
  for k, v in pairs(t) do
    if math_type(k) ~= "integer" or k < 1 then
      argerror(n, fname, what .. " has key " .. show(k)
        .. " (a list of strings expected)")
    end
    if type(v) ~= "string" then
      argerror(n, fname, string_format("%s holds a %s at [%d] (strings "
        .. "expected)", what, type(v), k))
    end
    if v == "" and not allow_blank then
      argerror(n, fname, string_format("%s holds an empty string at [%d]",
        what, k))
    end
    no_nul(n, fname, v, string_format("%s at [%d]", what, k))
    count = count + 1
    if k > top then top = k end
  end
  if count < top then
    local hole = 1
    while t[hole] ~= nil do hole = hole + 1 end
    argerror(n, fname, string_format("%s has a hole: nil at [%d] of %d",
      what, hole, top))
  end
  if count == 0 and not allow_empty then
    argerror(n, fname, what .. " is an empty list")
  end
  local copy = {}
  for i = 1, count do copy[i] = t[i] end
  return copy
end

--- A filter value: a non-empty string, or a list of them (see strings).
-- Returns the string or a copy of the list.
function M.string_or_list(n, fname, v, what)
  if type(v) == "string" then
    if v == "" then argerror(n, fname, what .. " is an empty string") end
    return no_nul(n, fname, v, what)
  end
  if type(v) ~= "table" then
    argerror(n, fname, what .. " must be a string or a list of strings, got "
      .. type(v))
  end
  return M.strings(n, fname, v, what)
end

-- ------------------------------------------------------------- dates

local DAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

local function days_in(year, month)
  if month == 2 and year % 4 == 0 and (year % 100 ~= 0 or year % 400 == 0)
  then
    return 29
  end
  return DAYS[month]
end

--- Is s an ISO 8601 date a query can be bounded by? "2021", "2021-03",
-- "2021-03-07", optionally with a time ("T09:30", "T09:30:15", a
-- fraction) and a zone ("Z", "+08:00"). Returns true, or nil and the
-- reason ("month 13 is not 01 to 12").
function M.iso_date(s)
  if type(s) ~= "string" then return nil, "a string expected" end
  local y, rest = s:match("^(%d%d%d%d)(.*)$")
  if not y then return nil, "not YYYY, YYYY-MM or YYYY-MM-DD" end
  if rest == "" then return true end
  local m, rest2 = rest:match("^%-(%d%d)(.*)$")
  if not m then return nil, "not YYYY, YYYY-MM or YYYY-MM-DD" end
  m = tonumber(m)
  if m < 1 or m > 12 then
    return nil, string_format("month %02d is not 01 to 12", m)
  end
  if rest2 == "" then return true end
  local d, time = rest2:match("^%-(%d%d)(.*)$")
  if not d then return nil, "not YYYY, YYYY-MM or YYYY-MM-DD" end
  d = tonumber(d)
  local last = days_in(tonumber(y), m)
  if d < 1 or d > last then
    return nil, string_format("day %02d is not in %s-%02d (01 to %02d)", d, y,
      m, last)
  end
  if time == "" then return true end
  local hh, mm, tail = time:match("^T(%d%d):(%d%d)(.*)$")
  if not hh then
    return nil, "the time after the date is not THH:MM[:SS][zone]"
  end
  local ss, after = tail:match("^:(%d%d)(.*)$")
  if ss then tail = after:match("^%.%d+(.*)$") or after end
  if tonumber(hh) > 23 or tonumber(mm) > 59 or (ss and tonumber(ss) > 60)
  then
    return nil, "the time " .. time:sub(2) .. " is out of range"
  end
  if tail == "" or tail == "Z" then return true end
  local zh, zm = tail:match("^[+-](%d%d):?(%d%d)$")
  if not zh or tonumber(zh) > 14 or tonumber(zm) > 59 then
    return nil, "the zone " .. tail .. " is not Z or +HH:MM"
  end
  return true
end

--- v checked as a date bound (see iso_date); what names it in messages.
function M.date(n, fname, v, what)
  if type(v) ~= "string" then
    argerror(n, fname, what .. " must be an ISO 8601 date string, got "
      .. type(v))
  end
  local ok, why = M.iso_date(v)
  if not ok then
    argerror(n, fname, string_format("%s: %s is not a valid date (%s)", what,
      show(v), why))
  end
  return v
end

--- A class: a metatable that is its own __index (methods are set on it),
-- named name (its __name, which tostring shows) when name is given.
function M.class(name)
  local c = { __name = name }
  c.__index = c
  return c
end

return M
