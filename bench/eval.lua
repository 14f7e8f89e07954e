-- bench/eval.lua: extraction quality on real pages from ../shared (never
-- needed by `make test`); `make eval` runs it.
--
-- Page sets (text dumps; HTML beside them once loupe parses HTML):
-- extraction-dev, l3s-dev (bodies and dates), dates-dev (dates only). For
-- each set, per half of its sites and overall: body precision, recall and
-- F1 (score_extraction.py: 4-token shingles, macro over pages), dates on
-- pages whose gold date is visible in the dump (right to the day, wrong,
-- none) and on every page with a gold date, and the worst pages with the
-- rule and the line that decided. Then quotes: the invented labelled
-- pages, PolNeAR dev (score_quotes.py, by `via` and by half), the answer
-- turns of the foreign-ministry transcripts; and hard-wrapped wire copy.
--
-- Halves: a page's site (sources.tsv; for extraction-dev the host of its
-- url without www./m./amp., with the data sets' site groups, see
-- eval/util.lua) is hashed, h = FNV-1a 64 of "loupe-half:" .. site;
-- half A ("tune") when h's top bit is 0, B ("check") when it is 1. Tune
-- rules on A; a change that helps A and not B is overfitting. Figures
-- whose A and B differ by more than 0.02 are flagged with "!".
local script_dir = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
package.path = script_dir .. "/?.lua;" .. package.path

local cjson = require "cjson"
local U = require "eval.util"
local pages_mod = require "eval.pages"
local quotes = require "eval.quotes"
local search = require "eval.search"
local wire = require "eval.wire"
local loupe = require "loupe"

local USAGE = [[
usage: lua5.4 bench/eval.lua [options] [SHARED_DIR]
  --shared DIR   the shared folder (default ../shared)
  --set LIST     comma-separated sections: seeds, extraction, l3s, dates,
                 fixtures, polnear, mfa, wire, search; or pages (the three page
                 sets), quotes (fixtures, polnear, mfa); default all
  --format F     text, html or both (default both: the HTML of the page
                 sets is evaluated when loupe parses HTML, else skipped)
  --half H       A, B or all: whose worst pages and misses are shown
                 (default all; tune on A)
  --worst N      worst pages listed per set (default 10, 0 for none)
  --json FILE    write every figure as JSON (compare two runs with
                 lua5.4 bench/eval_compare.lua OLD NEW)
  --misses FILE  write, as TSV, every wrongly kept or dropped line and
                 every date miss of the chosen half (for analysis)
  --page ID      show one page of the page sets: its lines with label,
                 reason and share in the gold; its date and where from
]]

-- ------------------------------------------------------------ options

local opt = { shared = "../shared", format = "both", half = "all",
              worst = 10, sets = nil }
do
  local i = 1
  local function value(name)
    i = i + 1
    local v = arg[i]
    if not v then
      io.stderr:write("eval.lua: ", name, " needs a value\n", USAGE)
      os.exit(2)
    end
    return v
  end
  while i <= #arg do
    local a = arg[i]
    if a == "--shared" then opt.shared = value(a)
    elseif a == "--set" then opt.sets = value(a)
    elseif a == "--format" then opt.format = value(a)
    elseif a == "--half" then opt.half = value(a)
    elseif a == "--worst" then opt.worst = tonumber(value(a))
    elseif a == "--json" then opt.json = value(a)
    elseif a == "--misses" then opt.misses = value(a)
    elseif a == "--page" then opt.page = value(a)
    elseif a == "-h" or a == "--help" then io.write(USAGE) os.exit(0)
    elseif a:sub(1, 1) == "-" then
      io.stderr:write("eval.lua: unknown option ", a, "\n", USAGE)
      os.exit(2)
    else opt.shared = a end
    i = i + 1
  end
  local ok = ({ text = 1, html = 1, both = 1 })[opt.format]
    and ({ A = 1, B = 1, all = 1 })[opt.half] and opt.worst
  if not ok then
    io.stderr:write("eval.lua: bad --format, --half or --worst\n", USAGE)
    os.exit(2)
  end
end

local ALL = { "seeds", "extraction", "l3s", "dates", "fixtures", "polnear",
              "mfa", "wire", "search" }
local want = {}
if opt.sets then
  local groups = { pages = { "extraction", "l3s", "dates" },
                   quotes = { "fixtures", "polnear", "mfa" } }
  for s in opt.sets:gmatch("[^,%s]+") do
    for _, x in ipairs(groups[s] or { s }) do
      local known = false
      for _, k in ipairs(ALL) do known = known or k == x end
      if not known then
        io.stderr:write("eval.lua: unknown set ", x, "\n", USAGE)
        os.exit(2)
      end
      want[x] = true
    end
  end
else
  for _, k in ipairs(ALL) do want[k] = true end
end

local shared = opt.shared
if not U.exists(shared .. "/data/extraction-dev/ids.txt") then
  io.stderr:write("eval.lua: shared directory '", shared, "' not found or "
    .. "incomplete (pass --shared DIR; `make eval SHARED=DIR`)\n")
  os.exit(1)
end
local scorer = shared .. "/tools/score_extraction.py"
local results = { shared = shared, half_rule =
  'FNV-1a 64 of "loupe-half:" .. site; A when the top bit is 0',
  sets = {}, overall = {} }
do
  local p = io.popen("git rev-parse --short HEAD 2>/dev/null")
  results.commit = p:read("l")
  p:close()
  results.date = os.date("!%Y-%m-%dT%H:%MZ")
end

local function f3(x) return x and ("%.3f"):format(x) or "  -  " end

-- -------------------------------------------------------------- seeds

local function seeds()
  print("== seeds (" .. shared .. "/seeds)")
  local p = io.popen("ls " .. U.sh_quote(shared .. "/seeds"))
  for name in p:lines() do
    local a, err = loupe.parse_file(shared .. "/seeds/" .. name)
    print("-- " .. name)
    if not a then
      print("   error: " .. err)
    else
      for _, k in ipairs { "title", "date", "date_precision", "dateline",
                           "credit", "outlet", "lang" } do
        print(string.format("   %-15s %s", k, tostring(a[k])))
      end
      for _, k in ipairs { "authors", "editors" } do
        print(string.format("   %-15s %s", k, table.concat(a[k], "; ")))
      end
      print(string.format("   %-15s %d", "paragraphs", #a.paragraphs))
    end
  end
  p:close()
end

-- ----------------------------------------------------- the page sets

local HEAD = "   %-28s %8s %9s %9s"

local function row(label, t, key, sub, is_count)
  local function get(h)
    local x = t[h]
    for k in (key .. "."):gmatch("([^.]+)%.") do x = x and x[k] end
    if sub then x = x and x[sub] end
    return x
  end
  local a, b, all = get("A"), get("B"), get("all")
  local fmt = function(x)
    if is_count then return x and ("%d"):format(x) or "-" end
    return f3(x)
  end
  local flag = ""
  if not is_count and a and b and math.abs(a - b) > 0.02 then
    flag = ("  ! A-B %+.3f"):format(a - b)
    -- a share over n pages: say when the gap is within two standard
    -- errors of the difference (sampling noise, not a real split)
    local na = sub and t.A[key] and t.A[key].n
    local nb = sub and t.B[key] and t.B[key].n
    if na and nb and na > 0 and nb > 0 then
      local pooled = (a * na + b * nb) / (na + nb)
      local se = math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
      if math.abs(a - b) < 2 * se then
        flag = flag .. (" (within noise, 2 s.e. %.3f)"):format(2 * se)
      end
    end
  end
  print(HEAD:format(label, fmt(all), fmt(a), fmt(b)) .. flag)
end

local function print_figures(title, res)
  print(("\n== %s: %d pages, %d sites (A tune %d pages / %d sites, "
    .. "B check %d / %d)"):format(title, res.pages.all, res.sites.all,
    res.pages.A, res.sites.A, res.pages.B, res.sites.B))
  print(HEAD:format("", "all", "A tune", "B check"))
  if res.body then
    row("body precision", res.body, "precision")
    row("body recall", res.body, "recall")
    row("body F1", res.body, "f1")
    if res.baseline then
      row("(whole page as body: F1)", res.baseline, "f1")
    end
    if res.tokenizer_agrees and res.tokenizer_agrees < res.pages.all then
      print(("   (line diagnostics: Lua shingles equal the scorer's on "
        .. "%d of %d pages)"):format(res.tokenizer_agrees, res.pages.all))
    end
  end
  local d = res.dates
  if d.all.visible.n > 0 then
    row("dates, gold visible: pages", d, "visible", "n", true)
    row("  right to the day", d, "visible", "right_rate")
    row("  wrong date", d, "visible", "wrong_rate")
    row("  no date", d, "visible", "none_rate")
  end
  if d.all.gold.n > d.all.visible.n then
    row("dates, any gold: pages", d, "gold", "n", true)
    row("  right to the day", d, "gold", "right_rate")
    row("  wrong date", d, "gold", "wrong_rate")
    row("  no date", d, "gold", "none_rate")
  end
  if d.all.nogold.n > 0 then
    row("no gold date (not judged)", d, "nogold", "n", true)
    row("  a date answered", d, "nogold", "answered", true)
  end
end

local function short(id) return id:sub(1, 12) end

local function print_worst(set, run, format)
  if opt.worst <= 0 then return end
  local scope = opt.half == "all" and "all halves" or "half " .. opt.half
  local out = { bodies = {}, dates = {} }
  if set.has_body then
    print(("   -- worst %d bodies (%s): page F1, what was dropped and "
      .. "kept wrongly, with the labeller's label/reason"):format(
      opt.worst, scope))
    for _, w in ipairs(pages_mod.worst_bodies(run, opt.half, opt.worst)) do
      local p = w.page
      print(("   F1 %.3f  P %.3f  R %.3f  %s  %s [%s]%s"):format(w.f1, w.p,
        w.r, short(p.id), p.site, p.half, p.err and "  (" .. p.err .. ")"
        or ""))
      local kept, dropped = pages_mod.body_diagnosis(set, p.id, format)
      local shown = { { "dropped", dropped }, { "kept", kept } }
      -- the side that costs the page most first
      if w.p < w.r then shown = { shown[2], shown[1] } end
      for _, s in ipairs(shown) do
        for i = 1, math.min(2, #s[2]) do
          local l = s[2][i]
          print(("      %-7s %s %-28s %3d tok  %s"):format(s[1],
            l.line and "L" .. l.line or "-", l.label .. "/"
            .. tostring(l.reason), l.tokens, U.clip(l.text, 70)))
        end
      end
      out.bodies[#out.bodies + 1] = { id = p.id, site = p.site,
        half = p.half, f1 = w.f1, precision = w.p, recall = w.r }
    end
  end
  local worst, nmiss = pages_mod.worst_dates(run, opt.half, opt.worst)
  if #worst > 0 then
    print(("   -- date misses (%s): %d, worst %d: wrong on a visible "
      .. "date, wrong on a hidden one, none though visible"):format(scope,
      nmiss, #worst))
  end
  for _, w in ipairs(worst) do
    local p = w.page
    local what = p.date and "wrong" or "none"
    local from = ""
    if p.date and p.date_prov then
      from = ("by %s at L%d: %s"):format(p.date_prov.rule, p.date_prov.line,
        pages_mod.date_window(set, p, format, 60))
    end
    print(("   %-5s %s %s [%s]: got %s %s"):format(what, short(p.id),
      p.site, p.half, p.date_full or "nil", from))
    print(("         gold %s%s"):format(p.gold_date, p.visible and
      (" visible at L%s: %s"):format(tostring(p.gold_line),
        U.clip(p.gold_match, 40)) or " (not visible in the dump)"))
    out.dates[#out.dates + 1] = { id = p.id, site = p.site, half = p.half,
      got = p.date, gold = p.gold_date, visible = p.visible,
      rule = p.date_prov and p.date_prov.rule,
      line = p.date_prov and p.date_prov.line }
  end
  return out
end

local function write_misses(f, set, run, format)
  for _, p in ipairs(pages_mod.by_half(run, opt.half)) do
    if set.has_body then
      local kept, dropped = pages_mod.body_diagnosis(set, p.id, format)
      for _, s in ipairs { { "kept", kept }, { "dropped", dropped } } do
        for _, l in ipairs(s[2]) do
          f:write(table.concat({ set.name, format, p.half, p.id, p.site,
            "body-" .. s[1], tostring(l.line or ""), l.label,
            tostring(l.reason), tostring(l.tokens),
            ("%.2f"):format(l.frac), U.clip(l.text, 300) }, "\t"), "\n")
        end
      end
    end
    if p.gold_date and p.date ~= p.gold_date then
      local pv = p.date_prov or {}
      f:write(table.concat({ set.name, format, p.half, p.id, p.site,
        "date-" .. (p.date and "wrong" or "none") .. (p.visible and
        "-visible" or "-hidden"), tostring(pv.line or ""),
        tostring(p.date_full or ""), tostring(pv.rule or ""),
        p.gold_date, tostring(p.gold_line or ""),
        pages_mod.date_window(set, p, format, 300),
        U.clip(p.gold_match or "", 100) }, "\t"), "\n")
    end
  end
end

local function page_detail(sets)
  for _, set in ipairs(sets) do
    for _, id in ipairs(set.ids) do
      if id:sub(1, #opt.page) == opt.page then
        local input = pages_mod.input(set, id, "text")
        local a, err = loupe.parse(input, { name = id, lines = true })
        print(("== page %s of %s, site %s, half %s"):format(id, set.label,
          set.site[id], set.half[id]))
        if not a then print("   parse failed: " .. tostring(err)) return end
        local gold = set.truth and U.gold_index(set.truth[id].articleBody
          or "")
        local src = U.split_lines(input)
        for _, l in ipairs(a.lines) do
          if l.label ~= "blank" then
            local g = gold and ("%.2f"):format((U.in_gold(gold,
              src[l.line] or ""))) or "  - "
            print(("%5d %-11s %-18s gold %s  %s"):format(l.line, l.label,
              tostring(l.reason), g, U.clip(src[l.line], 90)))
          end
        end
        local g = set.gold[id] or {}
        local pv = a.provenance.date
        print(("   date %s%s; gold %s%s"):format(tostring(a.date),
          pv and (" by %s at L%d"):format(pv.rule, pv.line) or "",
          tostring(g.date), g.visible and " visible at L"
          .. tostring(g.line) .. ": " .. tostring(g.match) or ""))
        return
      end
    end
  end
  io.stderr:write("eval.lua: no page ", opt.page, " in the page sets\n")
  os.exit(1)
end

local function page_sets()
  local loaded = {}
  for _, def in ipairs(pages_mod.SETS) do
    if want[def.name] or opt.page then
      loaded[#loaded + 1] = pages_mod.load(shared, def)
    end
  end
  if opt.page then return page_detail(loaded) end
  if #loaded == 0 then return end
  local formats = opt.format == "both" and { "text", "html" }
    or { opt.format }
  local misses
  if opt.misses then
    misses = assert(io.open(opt.misses, "wb"))
    misses:write("set\tformat\thalf\tid\tsite\twhat\tline\tlabel_or_got"
      .. "\treason_or_rule\ttokens_or_gold\tshare_or_gold_line\ttext"
      .. "\tgold_match\n")
  end
  for _, format in ipairs(formats) do
    local ok, why = true
    if format == "html" then
      ok, why = pages_mod.html_supported(loaded[1])
      if not ok then
        print(("\n== HTML of the page sets: skipped: loupe does not parse "
          .. "HTML yet (tried %s/html/%s.html.gz: %s)"):format(
          loaded[1].label, loaded[1].ids[1]:sub(1, 12), U.clip(why, 100)))
        for _, set in ipairs(loaded) do
          results.sets[set.name] = results.sets[set.name] or {}
          results.sets[set.name].html = { skipped = why }
        end
      end
    end
    if ok then
      local runs = {}
      for _, set in ipairs(loaded) do
        local run = pages_mod.run(set, format)
        local res = pages_mod.score(set, run, scorer, format)
        runs[#runs + 1] = { set = set, pages = run }
        print_figures(("%s, %s"):format(set.label, format == "text" and
          "text dumps" or "HTML"), res)
        res.worst = print_worst(set, run, format)
        results.sets[set.name] = results.sets[set.name] or {}
        results.sets[set.name][format] = res
        if misses then write_misses(misses, set, run, format) end
      end
      if #runs > 1 then
        local names = {}
        for _, r in ipairs(runs) do names[#names + 1] = r.set.label end
        local res = pages_mod.pool(runs)
        print_figures(("overall (%s), %s; bodies macro over the pages "
          .. "with body gold"):format(table.concat(names, " + "),
          format == "text" and "text dumps" or "HTML"), res)
        results.overall[format] = res
      end
    end
  end
  if misses then
    misses:close()
    print("\n   misses written to " .. opt.misses)
  end
end

-- ------------------------------------------------------------- quotes

local function fixtures()
  local q = quotes.fixtures()
  results.fixtures = q
  print(("\n== quotes, %d labelled in %d invented pages "
    .. "(spec/fixtures/quotes)"):format(q.labels, q.pages))
  print(("   precision %.3f  recall %.3f  speaker accuracy %.3f  kind %.3f")
    :format(q.precision, q.recall, q.speaker_accuracy, q.kind_accuracy))
  print(("   negatives taken for quotes: %d of %d"):format(q.negatives_hit,
    q.negatives))
end

local VIA = { "named", "organisation", "pronoun", "role_noun", "other" }
local UNCHECKED = { pronoun = true, role_noun = true }

local function polnear()
  local r = quotes.polnear(shared, script_dir)
  results.polnear = r
  local a = r.all
  print(("\n== quotes, PolNeAR dev: %d articles, %d gold quotes; "
    .. "predictions: quotes of every kind but \"reported\" (%d left out)")
    :format(r.articles, a.gold, r.reported_left_out))
  print("   halves by article: FNV-1a 64 of \"loupe-half:\" .. id")
  print(HEAD:format("", "all", "A tune", "B check"))
  row("span precision", r, "precision")
  row("span recall", r, "recall")
  row("span F1", r, "f1")
  row("speaker accuracy (any via)", r, "speaker_accuracy")
  row("speaker answered wrong", r, "speaker_wrong_rate")
  for _, via in ipairs(VIA) do
    if a.via[via] then
      local mark = UNCHECKED[via] and " *" or ""
      row(("%s: gold"):format(via .. mark), r, "via." .. via, "gold", true)
      row("  recall", r, "via." .. via, "recall")
      row("  speaker accuracy", r, "via." .. via, "speaker_accuracy")
      row("  answered wrong", r, "via." .. via, "speaker_wrong_rate")
    end
  end
  print(("   predictions of 2+ words only: precision %.3f (%d predictions)")
    :format(r.two_words.precision, r.two_words.predictions))
  print(("   not_quote spans taken for quotes: %d of %d; predictions in "
    .. "articles without gold (ignored): %d"):format(a.not_quote_predicted,
    a.not_quote, a.predictions_unknown_id))
  print("   * unchecked gold: pronoun and role-noun speakers were resolved "
    .. "by a machine (coref_checked false, ~40% wrong): report, do not tune")
end

local function mfa()
  for _, lang in ipairs { "en", "zh" } do
    local r = quotes.mfa(shared, lang)
    results[lang == "en" and "mfa" or "mfa_zh"] = r
    print(("\n== speakers on %d real spokesperson transcripts (mfa_%s)")
      :format(r.pages, lang))
    print(("   answer turns (\"A:\"/答： or \"<spokesperson>:\" paragraphs): "
      .. "%d; covered by a quote %d; attributed to the spokesperson %d "
      .. "(%.3f)"):format(r.turns, r.covered, r.right, r.right_rate))
    print(("   %d quotes credited to a speaker, %d (%.3f) to the briefing's "
      .. "spokesperson"):format(r.credited, r.to_spokesperson,
      r.credited > 0 and r.to_spokesperson / r.credited or 0))
  end
end

local function wire_copy()
  local r = wire.run(shared)
  if not r then return end
  results.wire = r
  print(("\n== hard-wrapped wire copy, %d Reuters-21578 stories in pages "
    .. "(no sites, no halves)"):format(r.stories))
  print(("   loupe                  P %.3f  R %.3f  F1 %.3f"):format(
    r.precision, r.recall, r.f1))
  print(("   first words kept %d of %d; paragraph count right %d of %d")
    :format(r.first_kept, r.stories, r.paras_right, r.stories))
end

-- ------------------------------------------------------------- search

local function search_recall()
  local r = search.run(shared)
  results.search = r
  for _, lang in ipairs({ "zh", "en" }) do
    local s = r[lang]
    print(("\n== search recall, mfa_%s (%d articles): articles found by "
      .. "corpus:query(term) of those whose title or body holds it (%s)")
      :format(lang, s.articles, lang == "zh" and "a plain substring"
        or "a whole word, case folded"))
    for _, t in ipairs(s.terms) do
      -- padded to 16 columns: a CJK character takes two
      local w = lang == "zh" and 2 * utf8.len(t.term) or #t.term
      print(("   %s%s holding %4d  found %4d  recall %.3f  extra %d")
        :format(t.term, (" "):rep(math.max(0, 16 - w)), t.containing,
          t.found, t.recall, t.extra))
    end
    print(("   all terms: recall %.3f (lowest %.3f), %d of %d; extra %d")
      :format(s.all.recall, s.all.min_recall, s.all.found,
        s.all.containing, s.all.extra))
    print(("   talking points recurring in 3 years or more: %d; the first: %s")
      :format(s.points3, table.concat(s.points3_top, " | ")))
    local t = s.top_speakers
    print(("   corpus:speakers(), top %d: %d of them spokespersons: %s")
      :format(t.want, t.right, table.concat(t.names, ", ")))
  end
end

-- --------------------------------------------------------------- main

if want.seeds and not opt.page then seeds() end
page_sets()
if not opt.page then
  if want.fixtures then fixtures() end
  if want.polnear then polnear() end
  if want.mfa then mfa() end
  if want.wire then wire_copy() end
  if want.search then search_recall() end
end
if opt.json then
  U.write(opt.json, cjson.encode(results))
  print("\nfigures written to " .. opt.json)
end
