"""Loading YAML config files into pydantic models, with errors that name the file, entry and field."""

from __future__ import annotations

import difflib
import errno
import re
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml
from pydantic import BaseModel, ValidationError

from pipeline.errors import ConfigError
from pipeline.safewrite import atomic_output

M = TypeVar("M", bound=BaseModel)


class _StrictLoader(yaml.SafeLoader):
    """yaml.safe_load, except that a key given twice in one mapping is an error: PyYAML keeps the last one silently,
    so a watchlist entry with two `name:` lines would lose the first without a word."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.setdefault(key, key_node.start_mark.line)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if first != key_node.start_mark.line:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice (first at line {first + 1})", key_node.start_mark)
        return super().construct_mapping(node, deep)


# YAML 1.2 booleans: only true/false. YAML 1.1 also reads yes/no/on/off as booleans, so a feed named `Off` or a
# header value `no` was refused as "not a valid string"; boolean fields still accept those words (pydantic).
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                    list("tTfF"))


def read_yaml(path: Path) -> Any:
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except FileNotFoundError:
        why = "is a symbolic link to a missing file" if path.is_symlink() else "does not exist"
        raise ConfigError(f"Config file {path} {why}.") from None
    except IsADirectoryError:
        raise ConfigError(f"Config file {path} is a directory, not a file.") from None
    except OSError as exc:  # a symbolic link loop, no permission to read
        reason = "is a symbolic link loop" if exc.errno == errno.ELOOP else f"cannot be read ({exc.strerror or exc})"
        raise ConfigError(f"Config file {path} {reason}.") from None
    except RecursionError:
        raise ConfigError(f"Config file {path} is not usable YAML: it is nested too deeply.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"Config file {path} is not valid YAML{where}: {problem}.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"Config file {path} is not UTF-8 text.") from None


def field_names(model: type[BaseModel]) -> set[str]:
    """Every field name of `model` and of the models nested in it (the vocabulary of a config file)."""
    names: set[str] = set()
    todo, seen = [model], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            names.add(info.alias or name)
            stack = [info.annotation]
            while stack:
                tp = stack.pop()
                if isinstance(tp, type) and issubclass(tp, BaseModel):
                    todo.append(tp)
                stack.extend(get_args(tp))
    return names


_KEY_LIKE = re.compile(r"^[A-Za-z_][\w-]{0,63}$")


def _did_you_mean(key: object, known: set[str]) -> str:
    close = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def describe_validation_error(path: Path, exc: ValidationError, data: Any = None, list_key: str | None = None,
                              model: type[BaseModel] | None = None) -> str:
    """One sentence per problem: file, entry (by its name when it has one) and field.

    An unknown key (a typo like `relevence`, which would otherwise be silently ignored) says what it may have meant,
    from the field names of `model`.
    """
    known = field_names(model) if model is not None else set()
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        entry = ""
        if list_key and len(loc) >= 2 and loc[0] == list_key and isinstance(loc[1], int):
            index = loc[1]
            name = None
            try:
                name = data[list_key][index].get("name")
            except Exception:  # noqa: BLE001 - best effort to name the entry
                pass
            entry = f"entry #{index + 1}" + (f" ({name!r})" if name else "")
            loc = loc[2:]
        field = ".".join(str(p) for p in loc) or "(whole entry)"
        where = f"{entry}, field {field!r}" if entry else f"field {field!r}"
        message = err["msg"]
        if err["type"] == "extra_forbidden" and loc:
            if not _KEY_LIKE.match(str(loc[-1])):  # not a typo of a field: maybe a line of another file
                where = f"{entry}, a key" if entry else "a key"  # (`--feeds /etc/shadow` quoted password hashes)
                message = "not a field name (not shown); is this the right file?"
            else:
                message = f"unknown key{_did_you_mean(loc[-1], known)}"
        lines.append(f"{path}: {where}: {message}")
    return "Invalid config: " + "; ".join(dict.fromkeys(lines))


def load_model(path: Path, model: type[M], list_key: str | None = None) -> M:
    """Parse `path` as YAML and validate it against `model`; raise ConfigError otherwise."""
    data = read_yaml(path)
    if data is None:
        data = {}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(path, exc, data, list_key, model)) from None


def dump_yaml(path: Path, data: Any) -> None:
    """Write atomically so a crash never leaves a half-written config file.

    Through a symlink (its target gets the new content), keeping the file's mode and owner: a feeds file may hold
    credentials in its `headers:`.
    """
    with atomic_output(Path(path), what="Config file", suffix=".tmp") as fh:
        yaml.safe_dump(data, fh, allow_unicode=True, sort_keys=False, width=120)
