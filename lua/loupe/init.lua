-- loupe: turn scraped news pages into clean article records.
-- This module is `require "loupe"`: the parser entry points over the C
-- core (`loupe.core`); later modules add the corpus, queries and reports.
local core = require "loupe.core"
local corpus = require "loupe.corpus"
local regex = require "loupe.regex"

local error = error
local io_open = io.open
local pairs = pairs
local type = type

local loupe = {
  _VERSION = core._VERSION,
}

-- Raise Lua's usual "bad argument" error unless value has type want.
local function check_arg(fname, n, value, want, optional)
  local got = type(value)
  if got == want or (optional and value == nil) then return end
  error(("bad argument #%d to '%s' (%s expected, got %s)")
    :format(n, fname, want, got), 3)
end

--- Parse a page (a string of raw bytes: text, Markdown or HTML, maybe
-- gzip-compressed) into an article table. opts.format ("html", "text",
-- "markdown", "auto") forces the format; by default it is detected.
-- Returns the table, or nil, message, code for unusable input.
function loupe.parse(text, opts)
  check_arg("parse", 1, text, "string")
  check_arg("parse", 2, opts, "table", true)
  return core.parse(text, opts)
end

--- Read and parse one file; the error message names the path. A name
-- ending .html, .htm, .xhtml (also with .gz) is read as HTML, .md as
-- Markdown, unless opts.format says otherwise.
function loupe.parse_file(path, opts)
  check_arg("parse_file", 1, path, "string")
  check_arg("parse_file", 2, opts, "table", true)
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
  -- .html, .htm, .xhtml (also .gz) are HTML, .md Markdown, unless told
  if o.format == nil then
    local fmt = core.format_of_path(path)
    if fmt ~= "auto" then o.format = fmt end
  end
  return core.parse(data, o)
end

--- Open a corpus (see loupe.corpus).
loupe.open = corpus.open

--- Compile a regular expression (see loupe.regex).
loupe.regex = regex.new

return loupe
