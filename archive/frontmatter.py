"""YAML front matter that never changes a value's type behind the archivist's back.

Reading uses the YAML 1.2 core schema: ``no``, ``on`` and ``16:00`` stay strings,
dates stay strings, anchors and aliases are refused (no "billion laughs").
Writing quotes every string that a YAML 1.1 reader would take for something else,
keeps key order and never wraps lines, so a one-field edit is a one-line diff.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from archive.errors import CorpusError, CorpusErrors

Path_ = tuple[str | int, ...]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core scalars and no anchors or aliases."""

    yaml_implicit_resolvers: ClassVar[dict] = {}

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="YAML anchors and aliases (&name, *name) are not allowed",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


# YAML 1.2 core schema: the only plain scalars that are not text.
_TYPED_SCALARS = (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
)
_TYPED_PATTERNS = tuple(re.compile(pattern) for _, pattern, _ in _TYPED_SCALARS)
for (_tag, _pattern, _first), _compiled in zip(_TYPED_SCALARS, _TYPED_PATTERNS, strict=True):
    _StrictLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", _compiled, list(_first))


try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml
    _FastLoader: type | None = None
else:

    class _FastLoader(CParser, SafeConstructor, Resolver):  # type: ignore[no-redef]
        """libyaml's parser with the same YAML 1.2 core scalars (no alias check: see load)."""

        yaml_implicit_resolvers: ClassVar[dict] = {}

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    for (_tag, _pattern, _first), _compiled in zip(_TYPED_SCALARS, _TYPED_PATTERNS, strict=True):
        _FastLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", _compiled, list(_first))

# Where an anchor (&a) or alias (*a) could start; "SPD & FW" and "Bürger*innen" do not match.
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\[\]{}]", re.MULTILINE)


class _StableDumper(yaml.SafeDumper):
    """SafeDumper that indents lists under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):  # type: ignore[no-untyped-def]
        return super().increase_indent(flow, False)


_YAML_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Strings as usual, but quoted wherever our reader would not read them back as
    the same text: numbers etc. of the YAML 1.2 core schema, and characters YAML takes
    for line breaks (NEL, U+2028, U+2029) that must be escaped."""
    if _YAML_LINE_BREAKS.search(value):
        style: str | None = '"'
    elif any(p.match(value) for p in _TYPED_PATTERNS):
        style = "'"  # e.g. "0E0": text to YAML 1.1 writers, a number to our reader
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_StableDumper.add_representer(str, _represent_str)


class _BlockDumper(_StableDumper):
    """``_StableDumper`` writing texts of several lines as literal blocks (``|``), the way
    a person would type them; PyYAML falls back to quoting where a block cannot hold one."""


def _represent_block(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not _YAML_LINE_BREAKS.search(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return _represent_str(dumper, value)


_BlockDumper.add_representer(str, _represent_block)


def _line_map(node: yaml.Node, first_line: int) -> dict[Path_, int]:
    """File line of every key and list item, by its path in the document."""
    lines: dict[Path_, int] = {}

    def walk(n: yaml.Node, path: Path_) -> None:
        lines[path] = n.start_mark.line + first_line
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                child = (*path, str(key.value))
                lines[child] = key.start_mark.line + first_line
                walk(value, child)
                lines[child] = key.start_mark.line + first_line
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*path, i))

    walk(node, ())
    return lines


class _SharedNode(yaml.YAMLError):
    """An alias reached the fast reader: let the strict reader refuse it properly."""


def _check_nodes(node: yaml.Node, path: Any, first_line: int, seen: set[int] | None = None) -> None:
    """Refuse a key given twice (YAML would silently keep the last value).

    Also stops at a node reached twice (an alias), before anything expands it.
    """
    seen = set() if seen is None else seen
    if id(node) in seen:
        raise _SharedNode("alias")
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, int] = {}
        for key, value in node.value:
            line = key.start_mark.line + first_line
            name = str(key.value)
            if name in keys:
                raise CorpusError(
                    path, f"key {name!r} appears twice (lines {keys[name]} and {line})", line
                )
            keys[name] = line
            _check_nodes(value, path, first_line, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_nodes(item, path, first_line, seen)


def _describe(exc: yaml.MarkedYAMLError, first_line: int) -> tuple[str, int]:
    """Message and line of a YAML error: the line where the broken construct starts.

    PyYAML marks where it gave up (often the next key); an unclosed ``[``, ``{`` or
    quote starts earlier, on the line the archivist has to fix.
    """
    problem = exc.problem or exc.context or "invalid YAML"
    if problem == "mapping values are not allowed here":
        problem += " (a value containing ': ' must be put in quotes)"
    opened = exc.context and re.search(r"flow|quoted", exc.context)
    mark = (exc.context_mark if opened else None) or exc.problem_mark or exc.context_mark
    line = mark.line + first_line if mark else first_line
    if opened and exc.context_mark and exc.problem_mark:
        problem_line = exc.problem_mark.line + first_line
        if problem_line != line:
            problem = f"{problem} on line {problem_line} ({exc.context} from line {line})"
        else:
            problem = f"{problem} ({exc.context})"
    return f"front matter is not valid YAML: {problem}", line


def _parse(loader_class: type, text: str, path: Any, first_line: int) -> tuple[Any, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, None
        _check_nodes(node, path, first_line)
        return loader.construct_document(node), node
    finally:
        loader.dispose()


def split(text: str, path: Any) -> tuple[str, str, int]:
    """A corpus file's text (papers, meetings, organisations) → its front matter (between
    the ``---`` lines), its body, and the file line the body starts on; line endings are
    ``\n``. ``CorpusErrors`` when the front matter is missing or not closed."""
    text = text.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise CorpusErrors(
            [CorpusError(path, "missing front matter: the file must start with a line '---'", 1)]
        )
    end = text.find("\n---\n", 3)
    if end == -1 and text.endswith("\n---"):
        end = len(text) - 4
    if end == -1:
        raise CorpusErrors([CorpusError(path, "front matter is not closed by a line '---'", 1)])
    return text[4 : end + 1], text[end + 5 :], text[: end + 5].count("\n") + 1


def load(text: str, path: Any, first_line: int = 2) -> tuple[Any, dict[Path_, int]]:
    """Parse front matter; returns the data and a map from key path to file line.

    ``first_line`` is the file line on which the YAML text starts. Uses libyaml when
    it is there and the text has no anchor or alias (about 7× faster); any problem is
    then parsed again by the pure-Python reader, whose messages and lines are exact.
    """
    if _FastLoader is not None and not _ANCHOR_OR_ALIAS.search(text):
        try:
            data, node = _parse(_FastLoader, text, path, first_line)
            return data, _line_map(node, first_line) if node is not None else {}
        except (yaml.YAMLError, RecursionError):
            pass
    try:
        data, node = _parse(_StrictLoader, text, path, first_line)
        return data, _line_map(node, first_line) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        raise CorpusError(path, *_describe(exc, first_line)) from None
    except yaml.YAMLError as exc:
        raise CorpusError(path, f"front matter is not valid YAML: {exc}", first_line) from None
    except RecursionError:
        message = "front matter is not valid YAML: lists or mappings nested hundreds of levels deep"
        raise CorpusError(path, message, _deep_line(text, first_line)) from None


def _deep_line(text: str, first_line: int, limit: int = 50) -> int:
    """The line on which brackets or indentation first nest more than ``limit`` levels."""
    depth = 0
    for number, line in enumerate(text.split("\n")):
        if len(line) - len(line.lstrip(" ")) > 2 * limit:
            return first_line + number
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > limit:
                return first_line + number
    return first_line


def dump(data: dict[str, Any], *, blocks: bool = False) -> str:
    """Serialise front matter deterministically (fixed key order, no wrapping); with
    ``blocks``, texts of several lines as literal blocks (meeting files; paper files keep
    the form they always had, so their bytes do not change)."""
    return yaml.dump(
        data,
        Dumper=_BlockDumper if blocks else _StableDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=float("inf"),
    )
