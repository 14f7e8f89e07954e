-- loupe.corpus.warc: the web archives of an ingest (.warc, .warc.gz).
-- Each response record holding an HTML or text page is stored as one
-- page under the path "FILE#OFFSET" (OFFSET: the record's byte offset in
-- the file; in a .warc.gz that of the gzip member it starts, as CDX
-- indexes give it, followed by "+N" in the rare file whose record starts
-- N bytes into a member's inflated data). The page's URL falls back to
-- the record's WARC-Target-URI, its charset to the HTTP header's. WARC
-- files are read here, on the storing thread, not by the prefetcher.
local core = require("loupe.core")

local ipairs = ipairs

local _ENV <const> = nil

local M = {}

--- Whether path names a web archive.
function M.is_warc(path)
  local p = path:lower()
  return p:sub(-5) == ".warc" or p:sub(-8) == ".warc.gz"
end

--- The paths of list that are not web archives (for the prefetcher).
function M.pages_only(list)
  local out = {}
  for _, p in ipairs(list) do
    if not M.is_warc(p) then out[#out + 1] = p end
  end
  return out
end

--- The path a record is stored under.
function M.record_path(path, rec)
  if rec.inner and rec.inner > 0 then
    return path .. "#" .. rec.offset .. "+" .. rec.inner
  end
  return path .. "#" .. rec.offset
end

-- Store one page of the reader and count it (run: loupe.corpus.ingest's,
-- which begins the batch and counts). Returns true, or nil, message, code
-- when the corpus itself failed.
local function store_page(run, reader, path, rec)
  local where = M.record_path(path, rec)
  local ok, berr, bcode = run:begin()
  if not ok then return nil, berr, bcode end
  local status, err, code = run:counted(where, rec.bytes,
    reader:store(run.db, where, run.o.charset))
  if not status then return nil, err, code end
  return true
end

--- Store the pages of the web archive at path. Returns the file's
-- status ("warc", or "failed" when it cannot be read) and its size, or
-- nil, message, code when the corpus failed.
function M.load(run, path)
  local summary = run.summary
  -- the file is mapped, not read: an archive may be gigabytes
  local reader <close>, rerr, rcode = core.warc_open_file(path)
  if not reader then
    summary.failed[#summary.failed + 1] = { path = path, error = rerr,
                                            code = rcode }
    return "failed", 0
  end
  while true do
    local rec, msg, code = reader:next()
    if rec == nil then break end
    if rec == false then
      -- a damaged record: named by file and offset, the next one is read
      summary.failed[#summary.failed + 1] = { path = path,
        error = "loupe: " .. path .. ": " .. msg, code = code }
    else
      local ok, err, ecode = store_page(run, reader, path, rec)
      if not ok then return nil, err, ecode end
      -- an archive may hold thousands of pages: cancel is asked between
      -- them (the pages stored are kept, as between files)
      if run.o.cancel and run:callback("cancel", run.o.cancel) then
        summary.interrupted = true
        break
      end
    end
  end
  local c = reader:counts()
  if c.pages == 0 then
    summary.notes = summary.notes or {}
    summary.notes[#summary.notes + 1] = "loupe: " .. path .. ": no page "
      .. "in this web archive (" .. c.records .. " records, "
      .. c.responses .. " HTTP responses, none an HTML or text page "
      .. "with status 2xx)"
  end
  return "warc", c.bytes
end

return M
