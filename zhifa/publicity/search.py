"""Chinese full-text search without a segmenter: every text is indexed as overlapping character
bigrams, so a two-character word is one index lookup and a longer one is a phrase of bigrams.

SQLite: an FTS5 table kept in step by triggers (migration 0004). PostgreSQL: a stored tsvector column
with a partial GIN index (migration 0005). Both answer the same question exactly: does the text contain the
query as a substring (ignoring punctuation and spaces).
"""

import re

from django.db import connection

from zhifa.core.text import grams


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


def matching_ids_sql(query: str, limit: int, filters=()) -> tuple[str, list] | None:
    """SQL selecting the ids of the `limit` most recent published decisions whose text contains `query`
    and that carry every filter token; None when the query is too short to index. Bounding the set keeps
    every search cheap at any size."""
    phrase = grams(query)
    if not phrase or len(query.strip()) < 2 or all(len(t) < 2 for t in phrase.split()):
        return None
    if connection.vendor == "sqlite":
        match = " AND ".join([f'"{phrase}"', *filters])
        return "SELECT rowid FROM publicity_search WHERE publicity_search MATCH %s ORDER BY rowid DESC LIMIT %s", [match, limit]
    sql = "SELECT id FROM publicity_publication WHERE status = 'published' AND search_vector @@ (phraseto_tsquery('simple', %s)"
    params = [phrase]
    if filters:
        sql += " && to_tsquery('simple', %s)"
        params.append(" & ".join(filters))
    return sql + ") ORDER BY id DESC LIMIT %s", [*params, limit]


# PostgreSQL: GIN cannot hand rows back in id order, so "the newest N matches" over a million rows would
# fetch every match of a common word and sort them. Instead the search walks back from the newest id in
# windows that grow fourfold; each window is the GIN bitmap ANDed with an id range, and a common word fills
# the page from the first window.
FIRST_WINDOW = 20_000


def matching_ids(query: str, limit: int, filters=()) -> list[int] | None:
    """The ids of the `limit` most recent published decisions containing `query` (newest first), or None when
    the query is too short to index."""
    indexed = matching_ids_sql(query, limit, filters)
    if indexed is None:
        return None
    sql, params = indexed
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # FTS5 walks its doclist backwards by rowid: LIMIT stops it early
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT max(id) FROM publicity_publication")
        high = cursor.fetchone()[0] or 0
        head, tail = sql.split(" ORDER BY ", 1)
        found, window = [], FIRST_WINDOW
        while high > 0 and len(found) < limit:
            low = max(0, high - window)
            cursor.execute(f"{head} AND id > %s AND id <= %s ORDER BY id DESC LIMIT %s", [*params[:-1], low, high, limit - len(found)])
            found.extend(row[0] for row in cursor.fetchall())
            high, window = low, window * 4
        return found
