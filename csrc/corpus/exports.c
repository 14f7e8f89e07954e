/*
 * exports.c - what readers of a corpus need beyond the articles' fields:
 * for an export, each article's content hash (a stable id across
 * corpora, unlike the local row id), its republication cluster, its
 * quotes and its entities as JSON arrays; for a matcher that must find
 * what the search finds (KWIC), whether the index holds English stems.
 */
#include "corpus.h"

int loupe_db_export_extras(loupe_db *db, loupe_cursor **out) {
  return lp_simple_cursor(db,
    "SELECT a.id AS id, a.hash AS hash, a.cluster_id AS cluster,"
    " (SELECT json_group_array(json_object('text', qu.text,"
    "   'speaker', qu.speaker, 'role', qu.role, 'kind', qu.kind,"
    "   'paragraph', qu.paragraph)) FROM (SELECT * FROM quotes"
    "   WHERE article_id = a.id ORDER BY n) qu) AS quotes,"
    " (SELECT json_group_array(json_object('name', e.name, 'kind', e.kind,"
    "   'role', e.role)) FROM (SELECT * FROM entities WHERE article_id = a.id"
    "   ORDER BY id) e) AS entities"
    " FROM articles a ORDER BY a.id", out);
}

int loupe_db_stemmed(const loupe_db *db) {
  return db != NULL && (db->tok_mode & LP_TOK_STEM_EN) != 0;
}
