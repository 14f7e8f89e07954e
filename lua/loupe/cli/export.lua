-- loupe.cli.export: `loupe export` (every article as JSON Lines, CSV or
-- an Elasticsearch bulk request, written whole or not at all) and `loupe
-- report` (a report script's page to a file).
local output = require("loupe.cli.output")

local ipairs, pcall, tostring, type = ipairs, pcall, tostring, type
local os_remove, os_rename, string_format = os.remove, os.rename, string.format

local data_error = output.data_error
local open_existing, open_output = output.open_existing, output.open_output
local report_mod = output.report_mod

local _ENV <const> = nil

local M = {}

-- ----------------------------------------------------------- export

local EXPORT_COLUMNS = { "id", "path", "title", "date", "date_precision",
  "dateline", "credit", "outlet", "lang", "authors", "editors", "body" }
local ES_COLUMNS = { "id", "hash", "path", "title", "date", "date_precision",
  "dateline", "credit", "outlet", "lang", "authors", "editors", "cluster",
  "body", "quotes", "entities" }

function M.cmd_export(a)
  if a.es_bulk and a.format == "csv" then
    return output.usage_error("export", "--es-bulk", "writes JSON; it "
      .. "cannot be combined with --format csv")
  end
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  -- a file is written under a temporary name and renamed once complete:
  -- an export that fails leaves no partial FILE
  local to_file = a.output and a.output ~= "-"
  local part = to_file and (a.output .. ".part") or nil
  local out, close = open_output(part)
  if not out then
    corpus:close()
    return data_error(close)
  end
  local R = report_mod()
  local total = corpus:count()
  local n = 0
  local ok, err = pcall(function()
    if a.es_bulk then
      -- the content hash as _id: the same article has the same id in
      -- every corpus (the row id is local), with its cluster, quotes and
      -- entities
      local extras = corpus:_export_extras()
      local action = '{"index":{"_index":' .. R.json(a.es_bulk)
        .. ',"_id":'
      for art in corpus:articles() do
        local x = extras[art.id] or {}
        local doc = {}
        for _, k in ipairs(EXPORT_COLUMNS) do doc[k] = art[k] end
        doc.hash, doc.cluster = x.hash, x.cluster
        doc.quotes, doc.entities = x.quotes or {}, x.entities or {}
        out:write(action, R.json(tostring(x.hash or art.id)), "}}\n",
          R.json(doc, ES_COLUMNS), "\n")
        n = n + 1
      end
    else
      local w = R.writer(a.format or "jsonl", out, EXPORT_COLUMNS)
      for art in corpus:articles() do
        w:row(art)
        n = n + 1
      end
      w:close()
    end
  end)
  corpus:close()
  local cok, cerr = close()
  if ok and not cok then ok, err = false, (a.output or "stdout") .. ": "
    .. tostring(cerr) end
  if ok and n ~= total then
    -- rows a damaged index or table never gave: the output is short
    ok, err = false, a.db .. ": the corpus is damaged (it counts " .. total
      .. " articles, reading gave " .. n .. "); run 'loupe check " .. a.db
      .. "'"
  end
  if not ok then
    data_error(err)
    if to_file then
      os_remove(part)
      return data_error(a.output, string_format("not written: the export "
        .. "stopped after %d of %d articles", n, total))
    end
    return data_error("export", string_format("stopped after %d of %d "
      .. "articles: the output is incomplete", n, total))
  end
  if to_file then
    local rok, rerr = os_rename(part, a.output)
    if not rok then
      os_remove(part)
      return data_error(a.output, tostring(rerr))
    end
  end
  return 0
end


-- ----------------------------------------------------------- report

function M.cmd_report(a)
  local R = report_mod()
  local corpus = open_existing(a.db)
  if not corpus then return 1 end
  local args = { db = a.db, output = a.output }
  for i, v in ipairs(a.args) do args[i] = v end
  local result, err = R.run_script(a.script, corpus, args)
  corpus:close()
  if not result then return data_error(err) end
  local text
  if R.is_page(result) then
    local format = a.format or (a.output and a.output:match("%.md$")
      and "md") or "html"
    text = result:render(format)
  elseif type(result) == "string" then
    text = result
  elseif result ~= true then
    return data_error(a.script, "returned a " .. type(result)
      .. " (a report page, a string or nothing expected)")
  end
  if text == nil then return 0 end
  local out, close = open_output(a.output)
  if not out then return data_error(close) end
  local wok, werr = out:write(text)
  local cok, cerr = close()
  if not wok or not cok then
    return data_error(a.output or "stdout", tostring(werr or cerr))
  end
  if a.output and a.output ~= "-" then
    output.say(string_format("%s: wrote %s\n", output.shown(a.output),
      output.human_bytes(#text)))
  end
  return 0
end


return M
