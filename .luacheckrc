-- .luacheckrc - Lua 5.4 only, no globals; busted's globals in spec/ only.
-- Code lines up to 120 columns (STYLE asks 80; not enforced yet); long
-- string literals (fixture text) are not limited.
std = "lua54"
max_line_length = 80
max_string_line_length = false
files["spec"] = { std = "+busted" }
exclude_files = {
  "build/**",
  "build-asan/**",
  "lua_modules/**",
  ".luarocks/**",
  "spec/fixtures/**",
}
