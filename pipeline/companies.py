"""Watched companies as the store holds them.

Each article and mention stores the company's name at enrichment time. A company renamed in the watchlist
(OVHcloud → "OVH Groupe SA", Atos → Eviden) keeps its former name under `former_names:`, and its articles stored
before stay under that name until `newsroom reenrich` rewrites them (the last 30 days by default): so every query
filters on the name and the former names, and shows, counts and groups them as the company's name today.
"""

from __future__ import annotations

from pipeline.settings import Settings, load_settings

WATCHLIST_FILE = "watchlist.yaml"  # as pipeline.enrich.watchlist reads it


def renamed(settings: Settings | None = None) -> dict[str, str]:
    """Each former name, as its articles were stored, → the company's name today (config/watchlist.yaml).

    Read from the file as written, not through the watchlist model: importing the enrichment package for it cost
    `search` 0.3 s of start-up; every command that resolves a company name validates the file (a former name that is
    another company's is refused there)."""
    from pipeline.configfiles import read_yaml

    settings = settings or load_settings()
    path = settings.config_path(WATCHLIST_FILE)
    if not path.exists():  # nothing renamed; a command that needs the watchlist says it is missing
        return {}
    data = read_yaml(path)
    entries = data.get("companies") if isinstance(data, dict) and isinstance(data.get("companies"), list) else []
    return {str(former).strip(): str(entry["name"]).strip() for entry in entries
            if isinstance(entry, dict) and entry.get("name") and isinstance(entry.get("former_names"), list)
            for former in entry["former_names"] if str(former).strip()}


def names_of(company: str, renames: dict[str, str]) -> list[str]:
    """A company's name today and the former names its articles may be stored under."""
    return [company, *(old for old, now in renames.items() if now == company)]


def stored_names(companies: list[str], settings: Settings | None = None) -> list[str]:
    """The companies (canonical names) and their former names: what a filter on them must match in the store."""
    renames = renamed(settings) if companies else {}
    return list(dict.fromkeys(name for company in companies for name in names_of(company, renames)))


def current_name(stored: str | None, renames: dict[str, str]) -> str | None:
    """The company's name today for a name stored (a former name → the name it was renamed to)."""
    return renames.get(stored, stored) if stored else stored


def merged_counts(buckets: list[dict], renames: dict[str, str]) -> list[tuple[str, int]]:
    """A terms aggregation's (name, count) pairs, a former name's count added to the company's name today, most
    counted first: `OVHcloud` (before the rename) and `OVH Groupe SA` (after) are one company."""
    counts: dict[str, int] = {}
    for bucket in buckets:
        name = current_name(bucket["key"], renames)
        counts[name] = counts.get(name, 0) + bucket["doc_count"]
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def named_today(doc: dict, renames: dict[str, str]) -> dict:
    """A stored article or mention with each company under its name today (`orgs`, `company_sentiment`, `company`),
    so one company is not shown, listed or told apart under two names."""
    if not renames:
        return doc
    doc = dict(doc)
    if doc.get("orgs"):
        doc["orgs"] = list(dict.fromkeys(current_name(name, renames) for name in doc["orgs"]))
    if doc.get("company_sentiment"):
        doc["company_sentiment"] = [{**entry, "company": current_name(entry.get("company"), renames)}
                                    for entry in doc["company_sentiment"]]
    if doc.get("company"):
        doc["company"] = current_name(doc["company"], renames)
    return doc
