"""What the client returns, and how it turns enum names into numbers.

Every ``Client`` method that returns a reply message returns a :class:`Reply`: a read-only view of the
message with the same attribute names (``session.id``, ``frame.step``, ``stats.step_latency.p99_us``), in
which

* an enum field reads as its value's name without the enum's prefix, upper case as in the .proto:
  ``Session.state`` is ``"LEARNING"`` (``SESSION_STATE_LEARNING``), ``LearningState.mode`` is ``"FROZEN"``,
  ``JobInfo.state`` is ``"SUCCEEDED"``; the unset value reads ``"UNSPECIFIED"``, and a number this client's
  stubs do not know (a newer server) stays an ``int``;
* a sub-message reads as a ``Reply`` too (proto3 semantics: an unset one reads as its defaults; ``has(name)``
  tells them apart, ``which(oneof)`` names the member of a oneof that is set);
* a repeated field reads as a new ``list`` (of names, ``Reply``s or numbers), a map field as a new ``dict``.

Names rather than numbers because a number means nothing without the .proto beside it, and strings rather
than Python enums because they print, compare and serialise as they are (``state == "LEARNING"``).
``repr`` shows the fields that are set, enum names unquoted: ``Session(id='s-1', state=LEARNING, ...)``.
The message itself is ``reply.proto`` (for ``SerializeToString``, ``WhichOneof``, ``json_format``).

Going the other way, the client takes enum arguments (a learning mode, a label kind, a neuron model, frame
fields) as these names in any case, or as the .proto's full names or numbers (never UNSPECIFIED);
anything else is a ``ValueError`` naming the valid values (:func:`enum_number`).
"""

from __future__ import annotations

from typing import Union

_PREFIXES: dict = {}


def _prefix(enum_type) -> str:
    """The prefix every value of `enum_type` shares: the name of its value 0 minus ``UNSPECIFIED``
    (``SESSION_STATE_``), by the proto style guide's convention; "" for an enum not following it."""
    prefix = _PREFIXES.get(enum_type.full_name)
    if prefix is None:
        zero = enum_type.values_by_number.get(0)
        prefix = zero.name[:-len("UNSPECIFIED")] if zero and zero.name.endswith("UNSPECIFIED") else ""
        if not all(v.name.startswith(prefix) for v in enum_type.values):
            prefix = ""
        _PREFIXES[enum_type.full_name] = prefix
    return prefix


def enum_name(enum_type, number: int) -> Union[str, int]:
    """The short name of `number` in `enum_type` (``SESSION_STATE_LEARNING`` -> ``"LEARNING"``); a number
    the descriptor does not know is returned as it is."""
    value = enum_type.values_by_number.get(number)
    if value is None:
        return number
    return value.name[len(_prefix(enum_type)):]


def enum_names(enum_type) -> list:
    """The short names a caller may pass, lower case, in .proto order, ``UNSPECIFIED`` left out."""
    return [enum_name(enum_type, v.number).lower() for v in enum_type.values if v.number != 0]


def enum_number(enum_type, value, what: str) -> int:
    """The number of `value` in `enum_type`: a short name in any case (``"enabled"``), the full name
    (``"LEARNING_MODE_ENABLED"``) or a number the enum defines. Never 0 (UNSPECIFIED): a caller who
    means "unset" leaves the argument out.

    Raises ValueError naming `what` and the valid short names, e.g.
    ``mode 'enable' is not one of: enabled, paused, frozen``.
    """
    if isinstance(value, str):
        key = value.upper()
        prefix = _prefix(enum_type)
        for v in enum_type.values:
            if v.number != 0 and key in (v.name, v.name[len(prefix):]):
                return v.number
    elif isinstance(value, int) and not isinstance(value, bool) and value != 0 and value in enum_type.values_by_number:
        return value
    raise ValueError(f"{what} {value!r} is not one of: {', '.join(enum_names(enum_type))}")


def _is_map(field) -> bool:
    return field.message_type is not None and field.message_type.GetOptions().map_entry


def _is_repeated(field) -> bool:
    # protobuf 7 dropped FieldDescriptor.label for is_repeated (added in 6.x); requirements allow both.
    repeated = getattr(field, "is_repeated", None)
    return repeated if repeated is not None else field.label == field.LABEL_REPEATED


def _single(field, value):
    if field.enum_type is not None:
        return enum_name(field.enum_type, value)
    if field.message_type is not None:
        return Reply(value)
    return value


def _read(field, value):
    if _is_map(field):
        value_field = field.message_type.fields_by_name["value"]
        return {k: _single(value_field, value[k]) for k in value}
    if _is_repeated(field):
        return [_single(field, v) for v in value]
    return _single(field, value)


class _EnumText(str):
    """An enum name inside a repr: printed bare (``state=LEARNING``), unlike a string field."""

    def __repr__(self):
        return str(self)


def _repr_value(field, value):
    if isinstance(value, str) and field.enum_type is not None:
        return _EnumText(value)
    if isinstance(value, list):
        return [_repr_value(field, v) for v in value]
    if isinstance(value, dict):
        value_field = field.message_type.fields_by_name["value"]
        return {k: _repr_value(value_field, v) for k, v in value.items()}
    return value


class Reply:
    """A read-only view of a reply message; see the module docstring for what each field reads as."""

    __slots__ = ("_message",)

    def __init__(self, message):
        object.__setattr__(self, "_message", message)

    @property
    def proto(self):
        """The protobuf message itself (its enum fields are numbers)."""
        return self._message

    def has(self, name: str) -> bool:
        """Whether the sub-message (or optional field) `name` is set: proto3's HasField."""
        return self._message.HasField(name)

    def which(self, oneof: str):
        """The name of the field set in the oneof `oneof` (e.g. a FrontEndStage's "stage"), or None."""
        return self._message.WhichOneof(oneof)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        field = self._message.DESCRIPTOR.fields_by_name.get(name)
        if field is None:
            raise AttributeError(f"{self._message.DESCRIPTOR.name} has no field {name!r}")
        return _read(field, getattr(self._message, name))

    def __setattr__(self, name, value):
        raise AttributeError(f"a reply is read-only (set fields on reply.proto, a {self._message.DESCRIPTOR.name})")

    def __dir__(self):
        return sorted(set(self._message.DESCRIPTOR.fields_by_name) | {"proto", "has", "which"})

    def __eq__(self, other):
        if isinstance(other, Reply):
            return self._message == other._message
        return NotImplemented

    __hash__ = None  # the message underneath is mutable

    def __reduce__(self):
        return Reply, (self._message,)

    def __repr__(self):
        parts = []
        for field, _ in self._message.ListFields():
            value = _repr_value(field, _read(field, getattr(self._message, field.name)))
            parts.append(f"{field.name}={value!r}")
        return f"{self._message.DESCRIPTOR.name}({', '.join(parts)})"
