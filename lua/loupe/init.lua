-- loupe: turn scraped news pages into clean article records.
-- This module is `require "loupe"`: the parser entry points over the C
-- core (`loupe.core`); later modules add the corpus, queries and reports.
local core = require "loupe.core"

local io_open = io.open
local type = type

local loupe = {
  _VERSION = core._VERSION,
}

--- Parse page text (a string of raw bytes) into an article table.
-- Returns the table, or nil, message, code for unusable input.
function loupe.parse(text, opts)
  if type(text) ~= "string" then
    error("bad argument #1 to 'parse' (string expected, got " .. type(text) .. ")", 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error("bad argument #2 to 'parse' (table expected, got " .. type(opts) .. ")", 2)
  end
  return core.parse(text, opts)
end

--- Read and parse one file; the error message names the path.
function loupe.parse_file(path, opts)
  if type(path) ~= "string" then
    error("bad argument #1 to 'parse_file' (string expected, got " .. type(path) .. ")", 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error("bad argument #2 to 'parse_file' (table expected, got " .. type(opts) .. ")", 2)
  end
  local f, err = io_open(path, "rb")
  if not f then
    return nil, "loupe: " .. (err or path), "io"
  end
  local data, rerr = f:read("a")
  f:close()
  if not data then
    return nil, "loupe: " .. path .. ": " .. (rerr or "read failed"), "io"
  end
  local o = { name = path }
  if opts then
    for k, v in pairs(opts) do o[k] = v end
    o.name = opts.name or path
  end
  return core.parse(data, o)
end

return loupe
