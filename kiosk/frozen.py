"""A quicker ``__init__`` for the frozen value objects every order makes by the dozen.

A frozen dataclass's own ``__setattr__`` refuses, so its generated ``__init__`` sets each
field through ``object.__setattr__``: most of what building an
:class:`~kiosk.engine.orders.Award` or a ledger ``Entry`` costs (a busy sale makes some
twenty, and the ledger re-runs every uploaded order). :func:`quick_init` gives a frozen
slots dataclass an ``__init__`` of the same signature, defaults and ``__post_init__`` that
sets each slot through the slot's own descriptor: the same object in about half the time.
It is written out per class (as :mod:`dataclasses` writes its own) from the field names
alone, never from data.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def quick_init(cls: type[T]) -> type[T]:
    """``cls`` (a ``@dataclass(frozen=True, slots=True)`` whose fields are all plain
    init fields: no ``default_factory``, ``init=False`` or ``kw_only``) with the quicker
    ``__init__``; TypeError for any other class."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: quick_init is for frozen slots dataclasses")
    names: dict[str, Any] = {}
    args, body = [], []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]  # a dataclass, checked above
        if not f.init or f.kw_only or f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: quick_init takes plain fields only")
        names[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is dataclasses.MISSING:
            args.append(f.name)
        else:
            names[f"_default_{f.name}"] = f.default
            args.append(f"{f.name}=_default_{f.name}")
        body.append(f"    _set_{f.name}(self, {f.name})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    exec(f"def __init__(self, {', '.join(args)}):\n" + "\n".join(body or ["    pass"]),
         names)
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = cls.__init__.__annotations__  # what inspect and typing read
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]  # the point of this function
    return cls
