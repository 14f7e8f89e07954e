-- loupe: turn scraped news pages into clean article records.
-- This module is `require "loupe"`: the parser entry points over the C
-- core (`loupe.core`); later modules add the corpus, queries and reports.
local check = require("loupe.check")
local core = require("loupe.core")
local corpus = require("loupe.corpus")
local regex = require("loupe.regex")

local pairs, pcall, tostring = pairs, pcall, tostring
local io_open = io.open

local _ENV <const> = nil

local loupe = {
  _VERSION = core._VERSION,
}

local PARSE_OPTS = { name = true, lines = true, max_bytes = true,
                     extract = true, charset = true, format = true }

-- The options of parse and parse_file, checked here so that a message
-- names the caller's line (the core checks them again).
local function check_parse_opts(fname, opts)
  opts = check.options(2, fname, opts, PARSE_OPTS)
  check.option(2, fname, opts, "name", "string")
  check.option(2, fname, opts, "charset", "string")
  check.option(2, fname, opts, "format", "string")
  check.integer(2, fname, opts.max_bytes, 1, nil, "option 'max_bytes'", true)
end

-- core.parse(text, opts) for fname: an option value the core refuses
-- (a charset it does not know) is raised at the caller's line, naming
-- fname, not at this file's.
local function core_parse(fname, text, opts)
  local ok, art, msg, code = pcall(core.parse, text, opts)
  if ok then return art, msg, code end
  check.raise((tostring(art):gsub("^[^\n]-:%d+: ", "")
    :gsub("^bad argument #(%d+) to '[^']*'", "bad argument #%1 to '"
      .. fname .. "'")))
end

--- Parse a page (a string of raw bytes: text, Markdown or HTML, maybe
-- gzip-compressed) into an article table. opts.format ("html", "text",
-- "markdown", "auto") forces the format; by default it is detected.
-- Returns the table, or nil, message, code for unusable input.
function loupe.parse(text, opts)
  check.type(1, "parse", text, "string")
  check_parse_opts("parse", opts)
  return core_parse("parse", text, opts)
end

--- Read and parse one file; the error message names the path. A name
-- ending .html, .htm, .xhtml (also with .gz) is read as HTML, .md as
-- Markdown, unless opts.format says otherwise.
function loupe.parse_file(path, opts)
  check.type(1, "parse_file", path, "string")
  check_parse_opts("parse_file", opts)
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
  return core_parse("parse_file", data, o)
end

--- Open a corpus (see loupe.corpus).
loupe.open = corpus.open

--- Compile a regular expression (see loupe.regex).
loupe.regex = regex.new

return loupe
