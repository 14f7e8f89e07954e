-- loupe-scm-1.rockspec - LuaRocks build of loupe: the C core and its Lua
-- binding as the module loupe.core, plus the pure Lua modules. Every source
-- is listed by name (`make check-rockspec` checks none is missing).
rockspec_format = "3.0"
package = "loupe"
version = "scm-1"

source = {
  url = "git+https://example.org/loupe/loupe.git",
  branch = "main",
}

description = {
  summary = "Turn raw scraped news pages into clean, searchable articles",
  detailed = [[
loupe parses the text of scraped news pages into article records (title,
dates, bylines, paragraphs, quotes) with a C99 core on PCRE2 and SQLite,
and exposes it to Lua 5.4 as `require "loupe"`.
]],
  homepage = "https://example.org/loupe",
  license = "MIT",
}

dependencies = {
  "lua >= 5.4, < 5.5",
  "argparse",
  "lua-cjson",
  "lua-term",
}

external_dependencies = {
  PCRE2 = {
    header = "pcre2.h",
    library = "pcre2-8",
  },
  SQLITE = {
    header = "sqlite3.h",
    library = "sqlite3",
  },
  -- libxml2 installs its headers under include/libxml2/ everywhere
  LIBXML2 = {
    header = "libxml2/libxml/HTMLparser.h",
    library = "xml2",
  },
  ZLIB = {
    header = "zlib.h",
    library = "z",
  },
}

build = {
  type = "builtin",
  modules = {
    ["loupe.core"] = {
      sources = {
        "csrc/util/arena.c",
        "csrc/util/identity.c",
        "csrc/util/minhash.c",
        "csrc/util/words.c",
        "csrc/extract/charset.c",
        "csrc/extract/classify.c",
        "csrc/extract/cueafter.c",
        "csrc/extract/dateclock.c",
        "csrc/extract/datepick.c",
        "csrc/extract/daterel.c",
        "csrc/extract/dates.c",
        "csrc/extract/datewords.c",
        "csrc/extract/dedupe.c",
        "csrc/extract/entities.c",
        "csrc/extract/features.c",
        "csrc/extract/fields.c",
        "csrc/extract/fields_people.c",
        "csrc/extract/html.c",
        "csrc/extract/htmlclass.c",
        "csrc/extract/htmldecode.c",
        "csrc/extract/htmltags.c",
        "csrc/extract/input.c",
        "csrc/extract/json.c",
        "csrc/extract/leftovers.c",
        "csrc/extract/mdview.c",
        "csrc/extract/mentions.c",
        "csrc/extract/meta.c",
        "csrc/extract/metald.c",
        "csrc/extract/pagerules.c",
        "csrc/extract/parse.c",
        "csrc/extract/quotes.c",
        "csrc/extract/qwords.c",
        "csrc/extract/registry.c",
        "csrc/extract/reported.c",
        "csrc/extract/speakers.c",
        "csrc/extract/text.c",
        "csrc/extract/transcript.c",
        "csrc/extract/unwrap.c",
        "csrc/extract/verbafter.c",
        "csrc/extract/warc.c",
        "csrc/extract/zhcues.c",
        "csrc/corpus/check.c",
        "csrc/corpus/cluster.c",
        "csrc/corpus/compile.c",
        "csrc/corpus/cursor.c",
        "csrc/corpus/errors.c",
        "csrc/corpus/exports.c",
        "csrc/corpus/files.c",
        "csrc/corpus/ftstok.c",
        "csrc/corpus/hits.c",
        "csrc/corpus/open.c",
        "csrc/corpus/pagehash.c",
        "csrc/corpus/phrase_text.c",
        "csrc/corpus/phrases.c",
        "csrc/corpus/prefetch.c",
        "csrc/corpus/query.c",
        "csrc/corpus/record.c",
        "csrc/corpus/regex.c",
        "csrc/corpus/schema.c",
        "csrc/corpus/statements.c",
        "csrc/corpus/stats.c",
        "csrc/corpus/stem.c",
        "csrc/corpus/store.c",
        "csrc/corpus/tokenizer.c",
        "csrc/corpus/totals.c",
        "csrc/corpus/vocab.c",
        "csrc/lua/lcursor.c",
        "csrc/lua/ldb.c",
        "csrc/lua/lingest.c",
        "csrc/lua/lloupe.c",
        "csrc/lua/lprefetch.c",
        "csrc/lua/lquery.c",
        "csrc/lua/lregex.c",
        "csrc/lua/lwarc.c",
      },
      defines = { "PCRE2_CODE_UNIT_WIDTH=8" },
      incdirs = { "csrc", "$(PCRE2_INCDIR)", "$(SQLITE_INCDIR)",
                  "$(LIBXML2_INCDIR)/libxml2", "$(ZLIB_INCDIR)" },
      libdirs = { "$(PCRE2_LIBDIR)", "$(SQLITE_LIBDIR)", "$(LIBXML2_LIBDIR)",
                  "$(ZLIB_LIBDIR)" },
      -- pthread: the ingest prefetcher's worker threads
      libraries = { "pcre2-8", "sqlite3", "xml2", "z", "m", "pthread" },
    },
    loupe = "lua/loupe/init.lua",
    ["loupe.check"] = "lua/loupe/check.lua",
    ["loupe.cli"] = "lua/loupe/cli.lua",
    ["loupe.cli.export"] = "lua/loupe/cli/export.lua",
    ["loupe.cli.ingest"] = "lua/loupe/cli/ingest.lua",
    ["loupe.cli.output"] = "lua/loupe/cli/output.lua",
    ["loupe.cli.parser"] = "lua/loupe/cli/parser.lua",
    ["loupe.cli.search"] = "lua/loupe/cli/search.lua",
    ["loupe.cli.show"] = "lua/loupe/cli/show.lua",
    ["loupe.cli.stats"] = "lua/loupe/cli/stats.lua",
    ["loupe.cli.toolkit"] = "lua/loupe/cli/toolkit.lua",
    ["loupe.corpus"] = "lua/loupe/corpus.lua",
    ["loupe.corpus.clusters"] = "lua/loupe/corpus/clusters.lua",
    ["loupe.corpus.ingest"] = "lua/loupe/corpus/ingest.lua",
    ["loupe.corpus.quotes"] = "lua/loupe/corpus/quotes.lua",
    ["loupe.corpus.stats"] = "lua/loupe/corpus/stats.lua",
    ["loupe.corpus.warc"] = "lua/loupe/corpus/warc.lua",
    ["loupe.cursor"] = "lua/loupe/cursor.lua",
    ["loupe.qlang"] = "lua/loupe/qlang.lua",
    ["loupe.query"] = "lua/loupe/query.lua",
    ["loupe.regex"] = "lua/loupe/regex.lua",
    ["loupe.report"] = "lua/loupe/report.lua",
    ["loupe.report.charts"] = "lua/loupe/report/charts.lua",
    ["loupe.report.page"] = "lua/loupe/report/page.lua",
    ["loupe.report.svg"] = "lua/loupe/report/svg.lua",
    ["loupe.report.text"] = "lua/loupe/report/text.lua",
    ["loupe.report.writers"] = "lua/loupe/report/writers.lua",
  },
  -- the `loupe` command; LuaRocks wraps it so that it finds this tree
  install = {
    bin = { loupe = "bin/loupe" },
  },
}
