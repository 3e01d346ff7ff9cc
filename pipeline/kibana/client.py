"""Import the saved objects into Kibana (saved objects import API, overwrite) and explain what Kibana refused."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import httpx

from pipeline.errors import ConfigError, NewsroomError
from pipeline.kibana.objects import saved_objects, to_ndjson
from pipeline.replies import Reply, ReplyError, post_capped
from pipeline.settings import Settings

SPACE_ID = re.compile(r"^[a-z0-9_-]+$")  # what Kibana accepts as a space identifier
UPLOAD_NAME = "newsroom-saved-objects.ndjson"


class KibanaError(NewsroomError):
    """Kibana is unreachable, refused the request, or rejected some of the saved objects."""


@dataclass
class ObjectError:
    type: str
    id: str
    title: str
    error_type: str
    detail: str = ""

    def sentence(self) -> str:
        what = f"{self.type} {self.title!r} ({self.id})" if self.title else f"{self.type} {self.id}"
        if self.error_type == "missing_references":
            return f"{what} was not imported: it refers to objects missing from Kibana: {self.detail}."
        if self.error_type == "conflict":
            return f"{what} was not imported: it conflicts with an existing object{self._tail()}."
        if self.error_type == "ambiguous_conflict":
            return f"{what} was not imported: it matches several existing objects{self._tail()}."
        if self.error_type == "unsupported_type":
            return f"{what} was not imported: this Kibana does not support the type {self.type!r}."
        return f"{what} was not imported ({self.error_type}){self._tail()}."

    def _tail(self) -> str:
        return f": {self.detail}" if self.detail else ""


@dataclass
class ImportResult:
    url: str
    success: bool
    success_count: int
    errors: list[ObjectError] = field(default_factory=list)

    def sentences(self) -> list[str]:
        return [e.sentence() for e in self.errors]

    def as_dict(self) -> dict:
        return {"url": self.url, "success": self.success, "success_count": self.success_count,
                "errors": [{"type": e.type, "id": e.id, "title": e.title, "error": e.error_type,
                            "message": e.sentence()} for e in self.errors]}


def import_url(kibana_url: str, space: str | None = None) -> str:
    if not kibana_url or not kibana_url.startswith(("http://", "https://")):
        raise ConfigError(f"Kibana URL {kibana_url!r} must start with http:// or https:// (NEWSROOM_KIBANA_URL or --url).")
    base = kibana_url.rstrip("/")
    if space and space != "default":
        if not SPACE_ID.match(space):
            raise ConfigError(f"Kibana space {space!r} is not a valid space id (lowercase letters, digits, _ and -).")
        base += f"/s/{space}"
    return base + "/api/saved_objects/_import"


def _object_error(raw: dict) -> ObjectError:
    error = raw.get("error") or {}
    error_type = str(error.get("type") or "unknown")
    detail = error.get("message") or ""
    if error_type == "missing_references":
        detail = ", ".join(f"{r.get('type')} {r.get('id')}" for r in error.get("references") or []) or "(unspecified)"
    elif error_type in ("conflict", "ambiguous_conflict") and error.get("destinationId"):
        detail = f"destination id {error['destinationId']}"
    title = raw.get("title") or (raw.get("meta") or {}).get("title") or ""
    return ObjectError(type=str(raw.get("type", "?")), id=str(raw.get("id", "?")), title=str(title),
                       error_type=error_type, detail=str(detail))


def _refusal(url: str, response: Reply) -> KibanaError:
    try:
        body = json.loads(response.content)
        message = body.get("message") or body.get("error") or json.dumps(body)[:300]
    except (ValueError, AttributeError):
        message = response.text.strip()[:300] or response.reason_phrase
    if response.status_code in (401, 403):
        hint = " (check --user/--password or --api-key)"
    elif response.status_code == 404:
        hint = " (is this the Kibana URL, and does the space exist?)"
    else:
        hint = ""
    return KibanaError(f"Kibana at {url} refused the import with HTTP {response.status_code}{hint}: {message}")


def import_saved_objects(
    kibana_url: str,
    ndjson: str,
    *,
    user: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    space: str | None = None,
    timeout: float = 60.0,
    deadline: float = 120.0,
) -> ImportResult:
    """POST the NDJSON to `<kibana>[/s/<space>]/api/saved_objects/_import?overwrite=true`.

    The reply is read up to 1 MB and `deadline` seconds in all (pipeline.replies): a hostile server cannot exhaust
    memory or hold the command.

    Raises KibanaError (naming the URL) when Kibana cannot be reached or refuses the whole request; per-object
    errors come back in the result so the caller can list all of them.
    """
    url = import_url(kibana_url, space)
    headers = {"kbn-xsrf": "true"}
    auth = None
    if api_key:
        headers["Authorization"] = f"ApiKey {api_key}"
    elif user:
        auth = httpx.BasicAuth(user, password or "")
    try:
        response = post_capped(url, params={"overwrite": "true"}, headers=headers, auth=auth, timeout=timeout,
                               deadline=deadline,
                               files={"file": (UPLOAD_NAME, ndjson.encode("utf-8"), "application/ndjson")})
    except ReplyError as exc:
        raise KibanaError(f"Kibana at {exc}") from None
    except httpx.HTTPError as exc:
        raise KibanaError(f"Cannot reach Kibana at {url}: {type(exc).__name__}: {exc}") from None
    if response.status_code >= 400:
        raise _refusal(url, response)
    try:
        body = json.loads(response.content)
    except ValueError:
        raise KibanaError(f"Kibana at {url} answered HTTP {response.status_code} with a non-JSON body: "
                          f"{response.text.strip()[:200]!r}") from None
    if not isinstance(body, dict) or "success" not in body:
        raise KibanaError(f"Kibana at {url} answered without an import result: {json.dumps(body)[:200]}")
    return ImportResult(url=url, success=bool(body.get("success")), success_count=int(body.get("successCount", 0)),
                        errors=[_object_error(e) for e in body.get("errors") or []])


def import_with_settings(
    settings: Settings,
    *,
    url: str | None = None,
    user: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    space: str | None = None,
) -> ImportResult:
    """Import the objects generated for `settings.es_index_prefix` and the watchlist's renames; arguments override
    NEWSROOM_KIBANA_*."""
    url = url or settings.kibana_url
    if not url:
        raise ConfigError("No Kibana URL: pass --url or set NEWSROOM_KIBANA_URL.")
    if api_key is None and settings.kibana_api_key and not user:
        api_key = settings.kibana_api_key.get_secret_value()
    if user is None and not api_key:
        user = settings.kibana_user
        if password is None and settings.kibana_password:
            password = settings.kibana_password.get_secret_value()
    from pipeline.companies import renamed

    # each company under its name today in every panel, from the watchlist's `former_names:`
    ndjson = to_ndjson(saved_objects(settings.es_index_prefix, renamed(settings)))
    return import_saved_objects(url, ndjson, user=user, password=password, api_key=api_key,
                                space=space or settings.kibana_space)


def check(result: ImportResult) -> ImportResult:
    """Raise KibanaError listing every rejected object when the import was not fully successful."""
    if result.success and not result.errors:
        return result
    sentences = result.sentences() or ["Kibana reported failure without details."]
    raise KibanaError(f"Kibana at {result.url} imported {result.success_count} object(s) and rejected "
                      f"{len(result.errors)}: " + " ".join(sentences))
