"""Chinese full-text search without a segmenter: every text is indexed as overlapping character
bigrams, so a two-character word is one index lookup and a longer one is a phrase of bigrams.

SQLite: an FTS5 table kept in step by triggers (migration 0004). PostgreSQL: a stored tsvector column
with a partial GIN index (migration 0005). Both answer the same question exactly: does the text contain the
query as a substring (ignoring punctuation and spaces).
"""

import re

from django.db import connection, transaction

from zhifa.core.text import search_phrase


def filter_tokens(*, year=None, agency_id=None, category=None) -> list[str]:
    """Filters indexed as tokens beside the text, so a filtered search is still one index query.
    They are longer than two characters, so they never collide with a text bigram."""
    tokens = []
    if year:
        tokens.append(f"year{int(year)}")
    if agency_id:
        tokens.append(f"agency{int(agency_id)}")
    if category:
        tokens.append(f"category{re.sub(r'[^a-z]', '', category)}")
    return tokens


def matching_ids_sql(phrase: str, limit: int, filters=()) -> tuple[str, list]:
    """SQL selecting the ids of the `limit` most recent published decisions whose text contains the bigram
    `phrase` (core.text.search_phrase) and that carry every filter token. Bounding the set keeps every search
    cheap at any size."""
    if connection.vendor == "sqlite":
        match = " AND ".join([f'"{phrase}"', *filters])
        return "SELECT rowid FROM publicity_search WHERE publicity_search MATCH %s ORDER BY rowid DESC LIMIT %s", [match, limit]
    sql = "SELECT id FROM publicity_publication WHERE status = 'published' AND search_vector @@ (phraseto_tsquery('simple', %s)"
    params = [phrase]
    if filters:
        sql += " && to_tsquery('simple', %s)"
        params.append(" & ".join(filters))
    return sql + ") ORDER BY id DESC LIMIT %s", [*params, limit]


# PostgreSQL: GIN cannot hand rows back in id order, and for a common word its bitmap holds most of the table
# before any LIMIT applies (187,524 candidates for 危险化学品 at a million rows: 70 ms before the first row).
# So the newest rows are read first without the GIN index: the primary key walked backwards, each row's stored
# tsvector checked, stopping at `limit` matches. A common word fills the page within the first window.
# When it does not, the choice depends on the query. One bigram (王某): GIN answers it exactly, without
# rechecking rows, so it takes the rest. A phrase of several bigrams: GIN would hand back every row holding all
# of them anywhere and recheck each (8 s for a long phrase of common bigrams at a million rows), so the walk
# goes on through a wider window first, and GIN only gets what is left beyond it. Either way the result is
# exactly the newest matches, newest first.
FIRST_WINDOW = 20_000
PHRASE_WINDOWS = (200_000,)


def matching_ids(query: str, limit: int, filters=()) -> list[int] | None:
    """The ids of the `limit` most recent published decisions containing `query` (newest first), or None when
    the query is too short to index."""
    phrase = search_phrase(query)
    if phrase is None:
        return None
    sql, params = matching_ids_sql(phrase, limit, filters)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # FTS5 walks its doclist backwards by rowid: LIMIT stops it early
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT max(id) FROM publicity_publication")
        high = cursor.fetchone()[0] or 0
        head = sql.split(" ORDER BY ", 1)[0]
        windows = (FIRST_WINDOW,) if len(phrase.split()) == 1 else (FIRST_WINDOW, *PHRASE_WINDOWS)
        found, top = [], high
        # With bitmap scans off the planner cannot take GIN (which only answers as a bitmap) and walks the key.
        # This used to be done by matching `search_vector || ''`, which no index matches, but that copied every
        # row's vector: the plain match halves the walk (王某, 201 matches: 38 -> 20 ms at a million rows).
        # SET LOCAL lasts to the end of the transaction, not of the savepoint, hence the reset.
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            try:
                for size in windows:
                    low = max(0, high - size)
                    cursor.execute(f"{head} AND id > %s AND id <= %s ORDER BY id DESC LIMIT %s", [*params[:-1], low, top, limit - len(found)])
                    found.extend(row[0] for row in cursor.fetchall())
                    top = low
                    if len(found) >= limit or low == 0:
                        return found
            finally:
                cursor.execute("SET LOCAL enable_bitmapscan TO DEFAULT")
        # OFFSET 0 fences the match off from the ORDER BY ... LIMIT, so the planner takes the GIN bitmap
        # instead of walking the key backwards through rows that mostly do not match.
        cursor.execute(
            f"SELECT id FROM ({head} AND id <= %s OFFSET 0) AS rest ORDER BY id DESC LIMIT %s",
            [*params[:-1], top, limit - len(found)],
        )
        found.extend(row[0] for row in cursor.fetchall())
        return found
