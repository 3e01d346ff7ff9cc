"""Loading YAML config files into pydantic models, with errors that name the file, entry and field."""

from __future__ import annotations

import difflib
import errno
import gc
import re
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from pipeline.errors import ConfigError
from pipeline.safewrite import atomic_output

M = TypeVar("M", bound=BaseModel)


try:  # libyaml's scanner and parser: PyYAML's pure-Python ones took 74 s of a 100,000-feed file's 4 min `feeds list`
    from yaml._yaml import CParser as _Parser
except ImportError:  # PyYAML built without libyaml: its pure-Python loader reads and parses (the same reading)
    _Parser = yaml.SafeLoader  # type: ignore[misc,assignment]


class _StrictLoader(_Parser, yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """yaml.safe_load, except that a key given twice in one mapping is an error: PyYAML keeps the last one silently,
    so a watchlist entry with two `name:` lines would lose the first without a word. A merge key (`<<: *anchor`) is
    no key of the mapping: the keys it brings are overridden by the mapping's own, as YAML says (the check read `<<`
    as a key before PyYAML merged it, and refused every file using one: "no constructor for the tag merge").

    The events come from libyaml when PyYAML has it (yaml.CSafeLoader's parser), but the nodes are composed by
    PyYAML's Python composer: libyaml's own composer recurses in C, and a file nested 20,000 deep (`[[[…`) ended
    the process with a segmentation fault, where Python's stops at its recursion limit (one sentence below)."""

    def __init__(self, stream):
        _Parser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    check_node = yaml.composer.Composer.check_node  # not CParser's C composer
    get_node = yaml.composer.Composer.get_node
    get_single_node = yaml.composer.Composer.get_single_node
    aliased = False  # whether the file holds an alias (*name): only then can its values repeat (construct_document)

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            self.aliased = True
        return yaml.composer.Composer.compose_node(self, parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for place, (key_node, _) in enumerate(node.value):
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            try:  # by the key's place, not its line: `{name: A, name: B}` gives both on one line
                first, line = seen.setdefault(key, (place, key_node.start_mark.line))
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if first != place:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice (first at line {line + 1})", key_node.start_mark)
        return super().construct_mapping(node, deep)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # not a YAMLError: it ended every command with a traceback
            shown = shown_value(node.value) if isinstance(node.value, str) else "this value"
            raise yaml.constructor.ConstructorError(
                None, None, f"{shown} cannot be read as the date or number it looks like "
                f"({str(exc).split(';')[0]}); quote it to keep it as text",
                node.start_mark) from None

    def construct_document(self, node):
        extra = _alias_expansion(node) if self.aliased else 0  # the scan took a quarter of a 100,000-feed file's parse
        if extra > MAX_ALIAS_EXPANSION:
            raise _AliasBomb(f"its aliases (*name) repeat {extra:,} characters, more than {MAX_ALIAS_EXPANSION:,}; "
                             "write the repeated values out")
        return super().construct_document(node)


# An alias repeats its anchor's whole value: 300 aliases of a 300-term list of one 1,000-character anchor make a 17 KB
# topics file that reads as 90,000 terms and 90 MB (its matcher took 49 s and 2.2 GB to build). No shipped file uses
# aliases; a few shared blocks repeat far less than this.
MAX_ALIAS_EXPANSION = 1_000_000


class _AliasBomb(yaml.YAMLError):
    pass


def _alias_expansion(root: yaml.Node) -> int:
    """How many characters (scalar values, one per node) the aliases of a composed document add to what it holds as
    written: each node's expanded size is computed once, so a billion laughs is measured in linear time. A node
    that contains itself (a recursive alias) counts once there."""
    expanded: dict[int, int] = {}
    own = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, done = stack.pop()
        children = ([] if isinstance(node, yaml.ScalarNode) else
                    [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else node.value)
        if done:
            open_nodes.discard(id(node))
            expanded[id(node)] = 1 + (len(node.value) if isinstance(node, yaml.ScalarNode) else
                                      sum(expanded.get(id(child), 1) for child in children))
            continue
        if id(node) in expanded or id(node) in open_nodes:
            continue
        open_nodes.add(id(node))
        own += 1 + (len(node.value) if isinstance(node, yaml.ScalarNode) else 0)
        stack.append((node, True))
        stack.extend((child, False) for child in children)
    return expanded[id(root)] - own


# YAML 1.2 booleans: only true/false. YAML 1.1 also reads yes/no/on/off as booleans, so a feed named `Off` or a
# header value `no` was refused as "not a valid string"; boolean fields still accept those words (pydantic).
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                    list("tTfF"))


def read_yaml(path: Path) -> Any:
    path = Path(path)
    collecting = gc.isenabled()
    try:
        with path.open(encoding="utf-8") as fh:
            # the cycle collector paused: it ran over the growing tree again and again, half of a 100,000-feed
            # file's parse (16 s → 7 s); what the parse leaves is collected when it is back
            gc.disable()
            return yaml.load(fh, Loader=_StrictLoader)  # noqa: S506 - SafeLoader's constructor and resolver
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
    except _AliasBomb as exc:
        raise ConfigError(f"Config file {path} is not usable YAML: {exc}.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"Config file {path} is not valid YAML{where}: {problem}.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"Config file {path} is not UTF-8 text.") from None
    finally:
        if collecting:
            gc.enable()


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


def _leaves(tp: Any) -> list[Any]:
    """`tp` without its Annotated/Optional/Union wrappers: the types a value there may have."""
    out, todo = [], [tp]
    while todo:
        current = todo.pop()
        origin = get_origin(current)
        if origin is Annotated:
            todo.append(get_args(current)[0])
        elif origin in (Union, UnionType):
            todo.extend(get_args(current))
        else:
            out.append(current)
    return out


def models_at(model: type[BaseModel], loc: list) -> list[type[BaseModel]]:
    """The models that may hold the key at `loc` (a pydantic error location: field names, list indices, union
    tags): where an unknown key was found. Empty when the location cannot be followed."""
    current: list[Any] = [model]
    for part in loc:
        following: list[Any] = []
        for tp in [leaf for tp in current for leaf in _leaves(tp)]:
            origin, args = get_origin(tp), get_args(tp)
            if isinstance(part, int) and origin in (list, tuple, set, frozenset) and args:
                following.append(args[0])
            elif isinstance(part, str) and origin is dict and len(args) == 2:
                following.append(args[1])
            elif isinstance(part, str) and isinstance(tp, type) and issubclass(tp, BaseModel):
                fields = {info.alias or name: info for name, info in tp.model_fields.items()}
                if part in fields:
                    following.append(fields[part].annotation)
        if not following and isinstance(part, str):  # a union's tag (`slack`) or class name: keep that branch
            following = [tp for tp in [leaf for tp in current for leaf in _leaves(tp)]
                         if isinstance(tp, type) and issubclass(tp, BaseModel)
                         and (tp.__name__ == part or any(part in get_args(info.annotation)
                                                         for info in tp.model_fields.values()))]
        current = following
        if not current:
            return []
    return [tp for tp in current for tp in _leaves(tp) if isinstance(tp, type) and issubclass(tp, BaseModel)]


def _did_you_mean(key: object, known: set[str]) -> str:
    close = difflib.get_close_matches(str(key), sorted(known - {str(key)}), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unknown_key(key: object, model: type[BaseModel] | None, loc: list) -> str:
    """Why `key` is refused at `loc`: a model's own hint for it (`unknown_key_hints`), else the closest field name of
    the models at that place (never the key itself), else of the whole file's vocabulary."""
    here = models_at(model, loc) if model is not None else []
    for candidate in here:
        hint = (getattr(candidate, "unknown_key_hints", None) or {}).get(str(key))
        if hint:
            return f"unknown key: {hint}"
    known = {info.alias or name for candidate in here for name, info in candidate.model_fields.items()}
    suggestion = _did_you_mean(key, known)
    if not suggestion and not here and model is not None:
        suggestion = _did_you_mean(key, field_names(model))
    return f"unknown key{suggestion}"


def describe_validation_error(path: Path, exc: ValidationError, data: Any = None, list_key: str | None = None,
                              model: type[BaseModel] | None = None) -> str:
    """One sentence per problem: file, entry (by its name when it has one) and field.

    An unknown key (a typo like `relevence`, which would otherwise be silently ignored) says what it may have meant,
    from the field names of `model`.
    """
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
            entry = f"entry #{index + 1}" + (f" ({shown_value(name)})" if name else "")
            loc = loc[2:]
        field = ".".join(str(p) for p in loc) or "(whole entry)"
        where = f"{entry}, field {field!r}" if entry else f"field {field!r}" if loc else "the whole file"
        message = err["msg"]
        if err["type"] == "extra_forbidden" and loc:
            if not _KEY_LIKE.match(str(loc[-1])):  # not a typo of a field: maybe a line of another file
                where = f"{entry}, a key" if entry else "a key"  # (`--feeds /etc/shadow` quoted password hashes)
                message = "not a field name (not shown); is this the right file?"
            else:
                message = _unknown_key(loc[-1], model, list(err["loc"])[:-1])
        lines.append(f"{path}: {where}: {message}")
    return "Invalid config: " + "; ".join(dict.fromkeys(lines))


SHOWN_VALUE_CHARS = 80


def shown_value(value: Any) -> str:
    """A config value quoted in an error, cut to SHOWN_VALUE_CHARS: a 10 MB entry name was quoted whole in each of
    the entry's errors (the sentence ran to megabytes)."""
    text = repr(value)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[:SHOWN_VALUE_CHARS - 1] + "…"


def load_model(path: Path, model: type[M], list_key: str | None = None) -> M:
    """Parse `path` as YAML and validate it against `model`; raise ConfigError otherwise."""
    data = read_yaml(path)
    if data is None:
        data = {}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(path, exc, data, list_key, model)) from None


# libyaml's emitter: PyYAML's pure-Python one took 5.1 s of CPU to write 20,000 feeds (`feeds add`, `remove`,
# `import-opml`), libyaml's 1.65 s, the same bytes. Two differences: libyaml escapes characters past U+FFFF ("📰 Tech"
# written as "\U0001F4F0 Tech"), so such a file is written by PyYAML's emitter to keep it as its owner typed it; and it
# escapes a NEL (U+0085) that PyYAML's writes raw in single quotes, where it reads back as a line break (changed).
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_PAST_BMP = re.compile("[\U00010000-\U0010FFFF]")


def _holds_text_past_bmp(data: Any) -> bool:
    """Whether a key or value anywhere in `data` holds a character past U+FFFF (walked without recursion)."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if not value.isascii() and _PAST_BMP.search(value):
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, (list, tuple)):
            pending.extend(value)
    return False


def dump_yaml(path: Path, data: Any) -> None:
    """Write atomically so a crash never leaves a half-written config file.

    Through a symlink (its target gets the new content), keeping the file's mode and owner: a feeds file may hold
    credentials in its `headers:`.
    """
    dumper = yaml.SafeDumper if _holds_text_past_bmp(data) else _Dumper
    with atomic_output(Path(path), what="Config file", suffix=".tmp") as fh:
        yaml.dump(data, fh, Dumper=dumper, allow_unicode=True, sort_keys=False, width=120)
