-- loupe.cursor: the two ways rows of the C core's cursors reach Lua, by
-- the rules of README "Errors" and "Iterators and lists": an iterator
-- (each) raises when reading fails, as a nil would end the loop as if it
-- were complete; a list (list) is read whole and gives nil, message, code
-- instead, never a part as if it were the whole. Also the decoder of the
-- string lists the core stores as JSON arrays.
local check = require("loupe.check")

local pcall, tonumber, tostring, type = pcall, tonumber, tostring, type
local table_concat, utf8_char = table.concat, utf8.char

local raise = check.raise

local _ENV <const> = nil

local M = {}

--- An iterator over cursor (a core cursor of core handle db): iter,
-- state, initial, closing value, so that `for` closes the cursor on break
-- and on error; it closes itself when exhausted. convert(row) (optional)
-- makes each row. A loop continued after corpus:close() or
-- cursor:close() raises at the loop; once exhausted, the iterator keeps
-- returning nil. A failure to read raises (see the header).
function M.each(db, cursor, convert)
  local done = false
  local function iter()
    if done then return nil end
    if db:is_closed() then raise("attempt to use a closed corpus") end
    if cursor:is_closed() then raise("attempt to use a closed cursor") end
    local row = cursor:next()
    if row == nil then
      done = true
      return nil
    end
    return convert and convert(row) or row
  end
  return iter, nil, nil, cursor
end

--- Every row of cursor as a list, convert(row) (optional) making each.
-- When reading fails part way the cursor is closed and the result is
-- failed(message) when given (a query re-asks its count for the code),
-- else nil, message, "db".
function M.list(cursor, convert, failed)
  local rows = {}
  while true do
    local ok, row = pcall(cursor.next, cursor)
    if not ok then
      cursor:close()
      if failed then return failed(tostring(row)) end
      return nil, tostring(row), "db"
    end
    if row == nil then return rows end
    rows[#rows + 1] = convert and convert(row) or row
  end
end

--- The list of strings in s, a JSON array of strings as the core writes
-- them for authors, editors, outlets and variants (it escapes quotes,
-- backslashes and control characters only); {} for nil or "[]".
function M.names(s)
  local list = {}
  if type(s) ~= "string" or s == "[]" then return list end
  if not s:find("\\", 1, true) then     -- no escapes: the quoted strings
    for name in s:gmatch('"(.-)"') do list[#list + 1] = name end
    return list
  end
  local i, n = 1, #s
  while i <= n do
    local q = s:find('"', i, true)
    if not q then break end
    local j, buf = q + 1, {}
    while j <= n do
      local c = s:sub(j, j)
      if c == "\\" then
        local nx = s:sub(j + 1, j + 1)
        if nx == "u" then
          buf[#buf + 1] = utf8_char(tonumber(s:sub(j + 2, j + 5), 16) or 63)
          j = j + 6
        else
          buf[#buf + 1] = nx
          j = j + 2
        end
      elseif c == '"' then
        break
      else
        buf[#buf + 1] = c
        j = j + 1
      end
    end
    list[#list + 1] = table_concat(buf)
    i = j + 1
  end
  return list
end

return M
