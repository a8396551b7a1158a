"""One key scheme for every cache and memo: :func:`canonical` turns a value into a stable text, :func:`digest`
hashes texts, :func:`tree_digest` hashes code and data files, :func:`versions` names the packages involved.

A key must change whenever what it stands for could change the output, so :func:`canonical` refuses what it cannot
describe faithfully: a function is never reduced to its name (two lambdas with one name behave differently), and
an object of an unknown type is never reduced to its ``repr``. Such a value raises :class:`Unhashable`, and the
caller does without the cache for it. Order counts where it means something (lists, tuples), not where it does
not (dicts, sets); ``1``, ``True`` and ``"1"`` stay apart; a named tuple or a dataclass keeps its type's name.

Templates read the same frozen views thousands of times per build, so a :class:`Canon` remembers the text of each
frozen dataclass it has walked (holding the object, so its ``id`` cannot be reused while the text is kept).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import os
import re
import types
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from importlib import metadata
from pathlib import Path, PurePath
from typing import Any

Fallback = Callable[[Any], "str | None"]
_FUNCTIONS = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.LambdaType,
              functools.partial, types.MethodWrapperType, types.WrapperDescriptorType)


class Unhashable(TypeError):
    """A value that no key can describe faithfully; ``where`` says whose value it is."""

    def __init__(self, what: str, where: str = "") -> None:
        self.what = what
        self.where = where or "a value"
        super().__init__(f"{self.where} holds {what}")


class _Opaque(Exception):
    def __init__(self, what: str) -> None:
        self.what = what


def _scalar(value: Any) -> str | None:
    """The text of a value of a plain built-in type (exact types only: subclasses may behave differently)."""
    kind = type(value)
    if value is None:
        return "N"
    if kind is str:
        return repr(value)
    if kind is bool:
        return "T" if value else "F"
    if kind is int:
        return f"i{value}"
    if kind is float:
        return f"f{value!r}"
    if kind is bytes:
        return "b" + repr(value)
    return None


class Canon:
    """Makes canonical texts; ``fallback`` describes objects of types this module does not know (or returns
    None for those it cannot describe either)."""

    def __init__(self, fallback: Fallback | None = None) -> None:
        self.fallback = fallback
        self._frozen: dict[int, tuple[Any, str]] = {}

    def text(self, value: Any, where: str = "") -> str:
        """The canonical text of ``value``; raises :class:`Unhashable` naming ``where``."""
        try:
            return self._text(value)
        except _Opaque as exc:
            raise Unhashable(exc.what, where) from None
        except RecursionError:
            raise Unhashable("a structure nested too deeply (or containing itself)", where) from None

    def _text(self, value: Any) -> str:
        kind = type(value)
        if kind is str:  # most of what a page key walks: the fast path before the general one
            return repr(value)
        known = self._frozen.get(id(value))  # a frozen value walked before (the same view on many pages)
        if known is not None and known[0] is value:
            return known[1]
        found = _scalar(value)
        if found is not None:
            return found
        if kind is list:
            return "[" + ",".join(map(self._text, value)) + "]"
        if kind is tuple:
            return "(" + ",".join(map(self._text, value)) + ")"
        if kind is dict:
            return self._mapping(value)
        if kind is set or kind is frozenset:
            return "<" + ",".join(sorted(map(self._text, value))) + ">"
        keyed = getattr(kind, "__key__", None)  # a value that knows its own key (a view carrying its digest)
        if keyed is not None and callable(keyed) and not isinstance(value, type):
            return f"{kind.__qualname__}:" + self._text(value.__key__())
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self._dataclass(value)
        return self._other(value, kind)

    def _mapping(self, value: Mapping[Any, Any]) -> str:
        items = sorted(f"{self._text(k)}:{self._text(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"

    def _dataclass(self, value: Any) -> str:
        frozen = type(value).__dataclass_params__.frozen  # type: ignore[attr-defined]
        if frozen:
            known = self._frozen.get(id(value))
            if known is not None and known[0] is value:
                return known[1]
        fields = ",".join(f"{name}={self._text(getattr(value, name))}" for name in _compared(type(value)))
        text = f"{type(value).__qualname__}({fields})"
        if frozen:
            self._frozen[id(value)] = (value, text)
        return text

    def _other(self, value: Any, kind: type) -> str:  # noqa: C901 - one case per kind of value, flat
        if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
            return kind.__qualname__ + "(" + ",".join(map(self._text, value)) + ")"
        if isinstance(value, (*_FUNCTIONS, type)):
            name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None) or repr(value)
            raise _Opaque(f"{'a class' if isinstance(value, type) else 'a function'} ({name})")
        if self.fallback is not None:
            found = self.fallback(value)
            if found is not None:
                return found
        if isinstance(value, enum.Enum):
            return f"{kind.__qualname__}.{value.name}"
        if isinstance(value, str | bytes | int | float):  # subclasses of plain types (Markup, IntEnum…)
            return f"{kind.__qualname__}:{_scalar(kind.__mro__[-2](value)) or repr(value)}"
        if isinstance(value, dt.date | dt.time):
            return f"{kind.__qualname__}:{value.isoformat()}:{value.tzinfo if hasattr(value, 'tzinfo') else ''}"
        if isinstance(value, dt.tzinfo):  # ZoneInfo's text is its key, timezone's its offset
            return f"{kind.__qualname__}:{value}"
        if isinstance(value, dt.timedelta | Decimal | Fraction):
            return f"{kind.__qualname__}:{value!r}"
        if isinstance(value, PurePath):
            return f"{kind.__qualname__}:{str(value)!r}"
        if isinstance(value, re.Pattern):
            return f"re:{value.pattern!r}:{value.flags}"
        if isinstance(value, types.ModuleType):
            return f"<module {value.__name__}>"  # the code of loaded plugins is keyed on its own
        if isinstance(value, Mapping):
            return f"{kind.__qualname__}:" + self._mapping(value)
        if isinstance(value, list | tuple | set | frozenset):
            inner = [self._text(v) for v in value]
            return f"{kind.__qualname__}:" + ",".join(inner if isinstance(value, list | tuple) else sorted(inner))
        if hasattr(value, "model_dump") and callable(value.model_dump):  # a pydantic model
            return f"{kind.__qualname__}:" + self._text(value.model_dump())
        raise _Opaque(f"an object of type {kind.__module__}.{kind.__qualname__}")


@functools.lru_cache(maxsize=1024)
def _compared(kind: type) -> tuple[str, ...]:
    """The names of a dataclass's fields that take part in equality (what its key is made of), once per class."""
    return tuple(f.name for f in dataclasses.fields(kind) if f.compare)


def canonical(value: Any, where: str = "", canon: Canon | None = None) -> str:
    """The canonical text of ``value`` (see the module docstring); ``where`` names it in the error."""
    return (canon or Canon()).text(value, where)


def digest(parts: Iterable[str | bytes]) -> str:
    """SHA-256 of the parts, each prefixed by its length so that no two lists of parts run into each other."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else bytes(part)
        hasher.update(b"%d:" % len(data))
        hasher.update(data)
    return hasher.hexdigest()


def tree_digest(folders: Iterable[str | os.PathLike], suffixes: tuple[str, ...] = ()) -> str:
    """Digest of every file (those ending in ``suffixes``, when given) under ``folders``: names and bytes.

    Compiled files (``__pycache__``) are left out; they follow from the sources."""
    parts: list[str | bytes] = []
    for folder in folders:
        root = Path(folder)
        parts.append(str(root.name))
        found = []
        for current, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in files:
                if not suffixes or name.endswith(suffixes):
                    found.append(os.path.join(current, name))
        for path in sorted(found):
            parts.append(Path(path).relative_to(root).as_posix())
            parts.append(Path(path).read_bytes())
    return digest(parts)


@functools.lru_cache(maxsize=64)
def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def versions(names: Iterable[str]) -> str:
    """``name==version`` of each distribution ("absent" when it is not installed), in the order given."""
    return ";".join(f"{name}=={_version(name)}" for name in names)
