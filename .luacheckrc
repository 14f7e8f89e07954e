-- .luacheckrc - Lua 5.4 only, no globals; busted's globals in spec/ only.
-- Code lines up to 80 columns (STYLE section 7); long string literals
-- (fixture text) are not limited. A module that ends its imports with
-- `local _ENV <const> = nil` (a global is then a compile-time error)
-- never reads that local: unused by design.
std = "lua54"
max_line_length = 80
max_string_line_length = false
ignore = { "211/_ENV" }
files["spec"] = { std = "+busted" }
exclude_files = {
  "build/**",
  "build-asan/**",
  "lua_modules/**",
  ".luarocks/**",
  "spec/fixtures/**",
}
