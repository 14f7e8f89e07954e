-- bench/eval_compare.lua: the figures that changed between two runs of
-- `lua5.4 bench/eval.lua --json FILE`.
-- Usage: lua5.4 bench/eval_compare.lua OLD.json NEW.json [--all]
-- Prints every number that moved (by at least 0.0005; --all prints the
-- unchanged ones too) as path, old, new, delta. A figure of half A
-- ("tune") that rose by more than 0.005 while the same figure of half B
-- ("check") did not rise is marked "helps A only": the sign of a rule
-- tuned to the pages it was tuned on.
local cjson = require "cjson"

local files, show_all = {}, false
for _, a in ipairs(arg) do
  if a == "--all" then show_all = true else files[#files + 1] = a end
end
if #files ~= 2 then
  io.stderr:write("usage: lua5.4 bench/eval_compare.lua OLD.json NEW.json "
    .. "[--all]\n")
  os.exit(2)
end

local function load(path)
  local f, err = io.open(path, "rb")
  if not f then
    io.stderr:write("eval_compare: ", err, "\n")
    os.exit(1)
  end
  local ok, t = pcall(cjson.decode, f:read("a"))
  f:close()
  if not ok or type(t) ~= "table" then
    io.stderr:write("eval_compare: ", path, ": not the JSON of eval.lua\n")
    os.exit(1)
  end
  return t
end

-- numeric leaves by dotted path; the lists of worst pages are left out
local function flatten(t, prefix, out)
  for k, v in pairs(t) do
    local path = prefix and prefix .. "." .. tostring(k) or tostring(k)
    if type(v) == "table" and k ~= "worst" then
      flatten(v, path, out)
    elseif type(v) == "number" then
      out[path] = v
    end
  end
  return out
end

local old, new = load(files[1]), load(files[2])
local a, b = flatten(old, nil, {}), flatten(new, nil, {})
print(("old %s (%s), new %s (%s)"):format(files[1], tostring(old.commit),
  files[2], tostring(new.commit)))

local paths = {}
for p in pairs(a) do paths[#paths + 1] = p end
for p in pairs(b) do if a[p] == nil then paths[#paths + 1] = p end end
table.sort(paths)

local function leaf(p) return p:match("([^.]+)$") end
local RATES = { precision = true, recall = true, f1 = true,
                speaker_accuracy = true, right_rate = true,
                wrong_rate = true, none_rate = true, accuracy = true,
                kind_accuracy = true, speaker_wrong_rate = true }
-- figures where lower is better
local LOWER = { wrong_rate = true, none_rate = true, wrong = true,
                speaker_wrong_rate = true, speaker_wrong = true,
                none = true, pages_empty_pred = true }

local shown = 0
for _, p in ipairs(paths) do
  local x, y = a[p], b[p]
  local moved = x == nil or y == nil or math.abs(y - x) >= 0.0005
  if moved or show_all then
    local note = ""
    if x and y and p:find("%.A%.") and RATES[leaf(p)] then
      local pb = p:gsub("%.A%.", ".B.", 1)
      local da, db = y - x, (b[pb] or 0) - (a[pb] or 0)
      if LOWER[leaf(p)] then da, db = -da, -db end
      if da > 0.005 and db <= 0 then note = "  <- helps A only" end
    end
    local fmt = RATES[leaf(p)] and "%.3f" or "%g"
    print(("%-60s %10s %10s %+10.4f%s"):format(p,
      x and fmt:format(x) or "-", y and fmt:format(y) or "-",
      (y or 0) - (x or 0), note))
    shown = shown + 1
  end
end
if shown == 0 then print("no figure moved") end
