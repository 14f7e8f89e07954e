-- rockspec_spec.lua - builds loupe with `luarocks make --deps-mode=none` into
-- a temporary tree (from a copy of the sources, so no .o lands in the work
-- tree) and loads it from another directory with the tree first on the
-- path: loupe's modules must come from it, its dependencies (lua-cjson,
-- argparse) from the system.

local ROCKSPEC = "rockspec/loupe-scm-1.rockspec"

local function quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- Runs a shell command; returns true when it exits 0, and its output.
-- LD_PRELOAD is dropped: under `make sanitize` it carries libasan, which
-- neither luarocks' compiler runs nor the uninstrumented rock need.
local function run(cmd)
  local pipe = assert(io.popen("unset LD_PRELOAD; " .. cmd .. " 2>&1"))
  local out = pipe:read("a")
  local ok = pipe:close()
  return ok == true, out
end

-- The repository root: this file's directory's parent.
local function repo_root()
  local src = debug.getinfo(1, "S").source:gsub("^@", "")
  local dir = src:match("^(.*)/[^/]*$") or "."
  local ok, out = run("cd " .. quote(dir .. "/..") .. " && pwd")
  assert(ok, out)
  return (out:gsub("\n$", ""))
end

describe("rockspec/loupe-scm-1.rockspec", function()
  local root = repo_root()
  local dir, tree, built, build_log

  setup(function()
    dir = os.tmpname()
    os.remove(dir)
      tree = dir .. "/tree"
    local ok, out = run("mkdir -p " .. quote(dir .. "/src") ..
      " && cd " .. quote(root) ..
      " && cp -R csrc lua rockspec bin " .. quote(dir .. "/src/"))
    assert(ok, out)
    built, build_log = run("cd " .. quote(dir .. "/src") ..
      " && luarocks --lua-version 5.4 make --deps-mode=none " ..
      ROCKSPEC .. " --tree=" .. quote(tree))
  end)

  teardown(function()
    if dir and dir:match("^/.+/lua_%w+$") then
      run("rm -rf " .. quote(dir))
    end
  end)

  it("builds offline with luarocks make --deps-mode=none", function()
    assert(built, "luarocks make failed:\n" .. build_log)
  end)

  it("installs loupe.core and the Lua modules into the tree", function()
    assert(built, "luarocks make failed:\n" .. build_log)
    for _, path in ipairs({
      "/lib/lua/5.4/loupe/core.so",
      "/share/lua/5.4/loupe/init.lua",
      "/share/lua/5.4/loupe/report/page.lua",
      "/share/lua/5.4/loupe/corpus/ingest.lua",
    }) do
      local f = io.open(tree .. path, "rb")
      assert(f, "not installed: " .. tree .. path)
      f:close()
    end
  end)

  it("loads from the tree alone, in another directory", function()
    assert(built, "luarocks make failed:\n" .. build_log)
    local code = string.format([[
      local tree = %q
      -- the tree first; the rock's dependencies (lua-cjson, built with
      -- --deps-mode=none) come from the system's default paths after it
      package.path = tree .. "/share/lua/5.4/?.lua;"
        .. tree .. "/share/lua/5.4/?/init.lua;" .. package.path
      package.cpath = tree .. "/lib/lua/5.4/?.so;" .. package.cpath
      local loupe = require "loupe"
      assert(type(loupe._VERSION) == "string", "_VERSION is not a string")
      assert(type(loupe.parse) == "function", "parse is not a function")
      local so = package.searchpath("loupe.core", package.cpath)
      assert(so and so:sub(1, #tree) == tree, "loupe.core not from tree")
      for _, m in ipairs({ "loupe", "loupe.corpus", "loupe.report.page",
                           "loupe.cli.parser" }) do
        local lua = package.searchpath(m, package.path)
        assert(lua and lua:sub(1, #tree) == tree, m .. " not from tree")
        assert(package.loaded[m] or require(m), m)
      end
      io.write("ok ", loupe._VERSION, "\n")
    ]], tree)
    -- -E: ignore LUA_PATH, LUA_CPATH and LUA_INIT from the environment.
    local ok, out = run("cd " .. quote(dir) .. " && lua5.4 -E -e " ..
      quote(code))
    assert(ok, "require \"loupe\" from the tree failed:\n" .. out)
    assert.matches("^ok %S+", out)
  end)
end)
