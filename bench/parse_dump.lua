-- bench/parse_dump.lua: every parse result of the dev pages written out
-- canonically (keys sorted, strings quoted, one record a page), so that
-- two builds can be compared byte for byte: a change made for speed must
-- leave the file as it was (`cmp OLD NEW`). Pages: the text dumps of
-- extraction-dev, dates-dev and l3s-dev, the PolNeAR articles and the
-- first 150 English and 150 Chinese MFA briefings; with --stdin, the
-- files named one a line on stdin instead.
-- Usage (the tree's paths set as `make eval` sets them):
--   lua5.4 bench/parse_dump.lua [--shared DIR] [--stdin] OUT
local cjson = require "cjson"
local loupe = require "loupe"

local shared, from_stdin, out_path = "../../shared", false, nil
do
  local i = 1
  while arg[i] do
    if arg[i] == "--shared" then shared = arg[i + 1]; i = i + 1
    elseif arg[i] == "--stdin" then from_stdin = true
    else out_path = arg[i] end
    i = i + 1
  end
end
if not out_path then
  io.stderr:write("usage: lua5.4 bench/parse_dump.lua [--shared DIR] "
    .. "[--stdin] OUT\n")
  os.exit(2)
end

-- A value as text, tables with their keys sorted.
local function ser(v)
  local t = type(v)
  if t == "table" then
    local keys, parts = {}, {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    for _, k in ipairs(keys) do
      parts[#parts + 1] = tostring(k) .. "=" .. ser(v[k])
    end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif t == "string" then
    return string.format("%q", v)
  elseif t == "userdata" or t == "function" then
    return t
  end
  return tostring(v)
end

local out = assert(io.open(out_path, "wb"))
local pages = 0

local function dump(name, text)
  local ok, a, err = pcall(loupe.parse, text)
  local rec
  if not ok then rec = "ERROR " .. tostring(a)
  elseif not a then rec = "FAIL " .. tostring(err)
  else
    local t = {}
    for k, v in pairs(a) do t[k] = v end
    rec = ser(t)
  end
  out:write(name, " ", rec, "\n")
  pages = pages + 1
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function text_dir(dir)
  local p = assert(io.popen("ls " .. dir .. " 2>/dev/null"))
  for name in p:lines() do dump(name, read(dir .. "/" .. name)) end
  p:close()
end

local function jsonl_gz(path, limit)
  local p = assert(io.popen("gzip -dc " .. path .. " 2>/dev/null"))
  local n = 0
  for line in p:lines() do
    local ok, rec = pcall(cjson.decode, line)
    if ok and type(rec) == "table" and type(rec.text) == "string" then
      dump(tostring(rec.id), rec.text)
      n = n + 1
      if limit and n >= limit then break end
    end
  end
  p:close()
end

if from_stdin then
  for path in io.lines() do dump(path, read(path)) end
else
  local d = shared .. "/data/"
  for _, set in ipairs { "extraction-dev", "dates-dev", "l3s-dev" } do
    text_dir(d .. set .. "/text")
  end
  jsonl_gz(d .. "polnear-quotes-dev/articles.jsonl.gz")
  jsonl_gz(d .. "mfa-spokesperson-2016-2020/mfa_en.jsonl.gz", 150)
  jsonl_gz(d .. "mfa-spokesperson-2016-2020/mfa_zh.jsonl.gz", 150)
end
out:close()
print(pages .. " pages written to " .. out_path)
