-- bench/eval/wire.lua: body extraction on hard-wrapped wire copy.
-- Reuters-21578 stories keep their original line breaks (wrapped near 64
-- columns, paragraphs opened by an indent, the first line short where
-- the dateline was cut). Every 7th story with a text of prose (few
-- digits, "the" in 1 word of 25) is put in a page between a menu line,
-- its headline and date, and a copyright footer; the story without its
-- "Reuter" sign-off is the body to find. No sites, so no halves.
local loupe = require "loupe"
local U = require "eval.util"

local M = {}

function M.run(shared)
  local wire = shared .. "/data/reuters-21578/reuters21578.jsonl.gz"
  local gold, pred, ids = {}, {}, {}
  local seen, first_kept, paras_right = 0, 0, 0
  for _, d in ipairs(U.jsonl_gz(wire)) do
    local text = d.text
    if d.text_type == "NORM" and #text > 400 then
      local _, digits = text:gsub("%d", "")
      local _, the = text:gsub("%f[%a][Tt]he%f[%A]", "")
      local _, words = text:gsub("%S+", "")
      if digits * 12 < #text and the * 25 > words then
        seen = seen + 1
        if seen % 7 == 0 and #ids < 1500 then
          local title = d.title:gsub("<[^>]*>", ""):gsub("%s+$", "")
          local page = "Home | Markets | World | Business | Jobs\n\n"
            .. title .. "\n" .. d.date_raw .. "\n\n" .. text
            .. "\n\nCopyright 1987 Wire Archive. All rights reserved.\n"
          local g = text:gsub("%s*[Rr][Ee][Uu][Tt][Ee][Rr]%s*$", "")
          local a = loupe.parse(page)
          local id = tostring(d.id)
          ids[#ids + 1] = id
          gold[id] = { articleBody = g }
          pred[id] = a and a.body or ""
          local g1 = g:match("^%s*(%S+%s+%S+)")
          if a and a.body:match("^(%S+%s+%S+)") == g1 then
            first_kept = first_kept + 1
          end
          -- paragraphs: the first, then one per indented line
          local want = 1
          for l in g:gmatch("\n([^\n]*)") do
            if l:match("^  +%S") then want = want + 1 end
          end
          if a and #a.paragraphs == want then
            paras_right = paras_right + 1
          end
        end
      end
    end
  end
  if #ids == 0 then return nil end
  local _, overall = U.score_bodies(shared .. "/tools/score_extraction.py",
    gold, pred, ids)
  return { stories = #ids, precision = overall.precision,
           recall = overall.recall, f1 = overall.f1,
           first_kept = first_kept, paras_right = paras_right }
end

return M
