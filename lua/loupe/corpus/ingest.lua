-- loupe.corpus.ingest: corpus:ingest(paths, opts), the incremental,
-- transactional load of files, folders and globs (see loupe.corpus). A
-- script's mistake (a bad option) raises; a failing corpus gives nil,
-- message, code; a bad file is listed in summary.failed and skipped.
local check = require("loupe.check")
local core = require("loupe.core")
local warc = require("loupe.corpus.warc")

local error, ipairs, pcall, setmetatable = error, ipairs, pcall, setmetatable
local tostring, type = tostring, type
local coroutine_create, coroutine_resume = coroutine.create, coroutine.resume
local coroutine_status, io_open = coroutine.status, io.open

local argerror = check.argerror

local _ENV <const> = nil

local M = {}

-- An ingest of at least this many new files that also at least doubles
-- the corpus builds the indexes by name at its end (see db:defer_indexes).
local DEFER_MIN_FILES = 1000

-- Most worker threads an ingest starts (the C core's limit).
local MAX_THREADS = 64

local INGEST_OPTS = { progress = true, batch = true, batch_bytes = true,
                      threads = true, defer_indexes = true, charset = true,
                      cancel = true, verify = true }

-- A failed page's codes: the file, not the corpus, is bad.
local PAGE_FAILURES = { empty = true, encoding = true, limit = true }

--- The number of worker threads an ingest uses by default: one per
-- processor online but the one that stores, at least 1, at most 8.
function M.default_threads()
  local n = core.cpu_count() - 1
  if n < 1 then return 1 end
  if n > 8 then return 8 end
  return n
end

-- Call a callback of ingest so that it cannot yield: a yield would leave
-- the batch transaction open for as long as the coroutine is suspended
-- (forever, if it is never resumed). It runs in a coroutine of its own;
-- one that did not finish is an error. Returns the callback's first
-- result; its errors are raised again as they are.
local function call_no_yield(name, f, arg)
  local co = coroutine_create(f)
  local ok, res = coroutine_resume(co, arg)
  if not ok then error(res, 0) end
  if coroutine_status(co) ~= "dead" then
    error("loupe: the " .. name .. " function of ingest yielded; it must "
      .. "return (a yield would hold the corpus's write lock open)", 0)
  end
  return res
end

local function read_file(path)
  local f, err = io_open(path, "rb")
  if not f then return nil, "loupe: " .. (err or path) end
  local data, rerr = f:read("a")
  f:close()
  if not data then return nil, "loupe: " .. path .. ": " .. tostring(rerr) end
  return data
end

-- The page source of an ingest: read(path) -> bytes, add | nil, message,
-- where add() stores the page read (as db:add: status, id | nil, msg,
-- code). With threads > 0 a prefetcher reads and parses ahead on worker
-- threads; the second result is then the prefetcher, to be closed.
local function page_source(db, files, threads, charset)
  if threads == 0 then
    return function(path)
      local data, rerr = read_file(path)
      if not data then return nil, rerr end
      return #data, function() return db:add(data, path) end
    end
  end
  local pf, err, code = db:prefetch(files, threads, charset)
  if not pf then return nil, err, code end
  local function add() return db:add_page(pf) end
  return function()
    local got, len, perr = pf:next()
    if not got then return nil, len or perr end
    return len, add
  end, pf
end

-- The paths argument as a list: a string, or a non-empty list of
-- strings (a nil in it, {dir, nil_variable, other}, is the script's
-- mistake, not an empty ingest).
local function check_paths(specs)
  if type(specs) == "string" then
    return { check.name(1, "ingest", specs, "the path") }
  elseif type(specs) == "table" then
    return check.strings(1, "ingest", specs, "the list of paths")
  end
  argerror(1, "ingest", "string or list of strings expected, got "
    .. type(specs))
end

-- The options checked, with their defaults.
local function check_opts(db, opts)
  opts = check.options(2, "ingest", opts, INGEST_OPTS)
  local o = {
    progress = check.option(2, "ingest", opts, "progress", "function"),
    cancel = check.option(2, "ingest", opts, "cancel", "function"),
    batch = check.integer(2, "ingest", opts.batch, 1, nil,
      "option 'batch'", true) or 200,
    batch_bytes = check.integer(2, "ingest", opts.batch_bytes, 1, nil,
      "option 'batch_bytes'", true) or 32 * 1024 * 1024,
    threads = check.integer(2, "ingest", opts.threads, 0, MAX_THREADS,
      "option 'threads'", true) or M.default_threads(),
    defer = check.option(2, "ingest", opts, "defer_indexes", "boolean"),
    verify = check.option(2, "ingest", opts, "verify", "boolean"),
    charset = check.option(2, "ingest", opts, "charset", "string"),
  }
  -- the core knows the charsets: a name it refuses is the caller's
  local ok, cerr = pcall(db.set_charset, db, o.charset or "auto")
  if not ok then
    argerror(2, "ingest", "option 'charset': "
      .. tostring(cerr):gsub("^.-%((.*)%)$", "%1"))
  end
  return o
end

-- One ingest run: its state, and what ends it. Whatever ends it (return,
-- an error in a callback), an open batch is rolled back, never left
-- half-written, and deferred indexes are built (a killed run leaves them
-- to the next writable open).
local Run = check.class()

function Run:clean_up()
  local db = self.db
  if self.pf then self.pf:close() end    -- the workers stop and are joined
  if db:is_closed() then return end
  db:set_charset("auto")
  if db:in_transaction() then db:rollback() end
  if self.deferred then
    self.deferred = false
    db:build_indexes()
  end
end

Run.__close = Run.clean_up

-- A callback's error is raised after cleaning up here: an error does not
-- close the variables of a coroutine (only coroutine.close does), and
-- ingest may run in one.
function Run:callback(name, f, arg)
  local ok, res = pcall(call_no_yield, name, f, arg)
  if not ok then
    self:clean_up()
    error(res, 0)
  end
  return res
end

-- Begin the batch's transaction unless one is open: true, or nil,
-- message, code.
function Run:begin()
  if self.db:in_transaction() then return true end
  return self.db:begin()
end

-- Count a page of len bytes stored under where, status, id, code as
-- db:add returns them (loupe.corpus.warc counts its pages here too): in
-- the summary, or in summary.failed when the page was refused; commit
-- when the batch is full. Returns the page's status ("failed" for a
-- refused page), or nil, message, code when the corpus itself failed.
function Run:counted(where, len, status, id, code)
  local summary, o = self.summary, self.o
  if status then
    summary[status] = summary[status] + 1
    self.n, self.bytes = self.n + 1, self.bytes + len
  elseif PAGE_FAILURES[code] then
    summary.failed[#summary.failed + 1] = { path = where, error = id,
                                            code = code }
    status = "failed"
  else
    return nil, id, code                 -- the corpus, not the page, failed
  end
  if self.n >= o.batch or self.bytes >= o.batch_bytes then
    local ok, cerr, ccode = self.db:commit()
    if not ok then return nil, cerr, ccode end
    self.n, self.bytes = 0, 0
  end
  return status
end

-- Store the page at path (the i-th file) and count it. Returns the
-- status and the file's size, or nil, message, code when the corpus
-- itself failed.
function Run:store(path)
  local len, add = self.read(path)
  if not len then
    self.summary.failed[#self.summary.failed + 1] = { path = path,
      error = add, code = "io" }
    return "failed"
  end
  local ok, berr, bcode = self:begin()
  if not ok then return nil, berr, bcode end
  local status, err, code = self:counted(path, len, add())
  if not status then return nil, err, code end
  return status, len
end

-- Store every file; the summary, or nil, message, code.
function Run:load(files)
  local db, o, summary = self.db, self.o, self.summary
  for i, path in ipairs(files) do
    local status, len, code
    if warc.is_warc(path) then
      status, len, code = warc.load(self, path)   -- a page per record
    else
      status, len, code = self:store(path)
    end
    if not status then return nil, len, code end
    if o.progress then
      self:callback("progress", o.progress, { done = i, total = #files,
        path = path, status = status, bytes = len or 0 })
    end
    if summary.interrupted then break end   -- inside a web archive
    if o.cancel and i < #files and self:callback("cancel", o.cancel) then
      summary.interrupted = true
      break
    end
  end
  if db:in_transaction() then
    local ok, cerr, ccode = db:commit()
    if not ok then return nil, cerr, ccode end
  end
  if self.deferred then
    self.deferred = false
    local ok, ierr, icode = db:build_indexes()
    if not ok then return nil, ierr, icode end
  end
  return summary
end

--- Ingest files, folders (recursively) and glob patterns into corpus
-- (see loupe.corpus for the options and the summary).
function M.ingest(corpus, specs, opts)
  local db = corpus:_handle()
  specs = check_paths(specs)
  local o = check_opts(db, opts)
  local files, err, code = core.list_files(specs)
  if not files then
    db:set_charset("auto")
    return nil, err, code
  end
  if o.verify ~= false and #files > 0 then
    local ok, verr, vcode = corpus:_verify()
    if not ok then
      db:set_charset("auto")
      return nil, verr, vcode
    end
  end
  local run <close> = setmetatable({ db = db, o = o, n = 0, bytes = 0,
    summary = { added = 0, updated = 0, unchanged = 0, duplicate = 0,
                failed = {}, files = #files } }, Run)
  -- web archives are read on this thread (loupe.corpus.warc)
  local pages = warc.pages_only(files)
  local read, pf, perr = page_source(db, pages,
    #pages > 0 and o.threads or 0, o.charset)
  if not read then return nil, pf, perr end
  run.read, run.pf = read, pf
  local defer = o.defer
  if defer == nil then
    -- new files (not changed or unchanged ones) at least as many as the
    -- corpus holds, known from the look-ahead (without threads: never)
    local fresh = pf and pf:fresh() or 0
    defer = fresh >= DEFER_MIN_FILES and fresh >= (db:count() or 0)
  end
  -- without the lock (another writer) the ingest goes on with the indexes
  run.deferred = defer and db:defer_indexes() or false
  return run:load(files)
end

return M
