"""Read small XML parts as text with positions, and edit them by splicing text.

Parts such as `styles.xml`, `workbook.xml`, relationship parts and comment parts are edited by
inserting or replacing text at known positions, never by re-serialising a parsed tree: a tree
round trip renames namespace prefixes (breaking `mc:Ignorable`), drops the XML declaration's
details and reorders attributes. Here every byte outside an edit stays as it was.

The tokenizer refuses a DOCTYPE (and with it entity declarations), so nothing external is ever
resolved and no entity can expand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

XML_NS = "http://www.w3.org/XML/1998/namespace"

_NAME = r"""[^\s/>!?="'<]+"""
_ATTRS = r"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*"""
_TOKEN = re.compile(
    rf"""<(?:
        (?P<comment>!--.*?-->)
      | (?P<cdata>!\[CDATA\[.*?\]\]>)
      | (?P<pi>\?.*?\?>)
      | (?P<decl>![A-Za-z][^>]*>)
      | /(?P<end>{_NAME})\s*>
      | (?P<start>{_NAME})(?P<attrs>{_ATTRS})\s*(?P<empty>/)?>
    )""",
    re.S | re.X,
)
_ATTR = re.compile(r"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
# Characters XML 1.0 cannot carry at all (a note with a stray control character must not break
# the part).
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Excel reads `_xHHHH_` in text as an escaped character; a literal one must itself be escaped.
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


class XmlTextError(ValueError):
    """The text is not XML this module can work with (malformed, or it carries a DOCTYPE)."""


def unescape(value: str) -> str:
    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
        return _NAMED[name]

    return _ENTITY.sub(one, value)


def escape_text(value: str) -> str:
    value = _INVALID_XML_CHARS.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(value: str) -> str:
    return (
        escape_text(value)
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def escape_ooxml_text(value: str) -> str:
    """Text for a `<t>` element: XML-escaped, and with literal `_xHHHH_` protected."""
    return escape_text(_OOXML_ESCAPE.sub(r"_x005F_\1", value))


def parse_attrs(attr_text: str) -> dict[str, str]:
    return {m.group(1): unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTR.finditer(attr_text)}


def local_name(qname: str) -> str:
    return qname.rpartition(":")[2]


def prefix_of(qname: str) -> str:
    return qname.partition(":")[0] if ":" in qname else ""


@dataclass(eq=False)
class Node:
    """One element: its qualified name, attributes, namespace scope and text positions.

    `start`..`start_end` is the start tag, `end_start`..`end` the end tag (equal to `start_end`
    for an empty element `<x/>`).
    """

    qname: str
    attrs: dict[str, str]
    nsmap: dict[str, str]
    start: int
    start_end: int
    empty: bool
    end_start: int = -1
    end: int = -1
    children: list["Node"] = field(default_factory=list)

    @property
    def local(self) -> str:
        return local_name(self.qname)

    @property
    def prefix(self) -> str:
        return prefix_of(self.qname)

    @property
    def namespace(self) -> str:
        return self.nsmap.get(self.prefix, "")

    def attr_ns(self, namespace: str, name: str) -> str | None:
        """An attribute in a namespace (`r:id`, whatever the prefix is called here)."""
        for key, value in self.attrs.items():
            if ":" in key:
                pfx, _, loc = key.partition(":")
                if loc == name and pfx != "xmlns" and self.nsmap.get(pfx) == namespace:
                    return value
        return None

    def find(self, local: str) -> "Node | None":
        for child in self.children:
            if child.local == local:
                return child
        return None

    def find_all(self, local: str) -> list["Node"]:
        return [c for c in self.children if c.local == local]

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def text(self, source: str) -> str:
        """The element's character data (CDATA included, markup dropped)."""
        if self.empty:
            return ""
        inner = source[self.start_end:self.end_start]
        parts: list[str] = []
        pos = 0
        for m in _TOKEN.finditer(inner):
            parts.append(unescape(inner[pos:m.start()]))
            if m.group("cdata"):
                parts.append(m.group("cdata")[8:-3])
            pos = m.end()
        parts.append(unescape(inner[pos:]))
        return "".join(parts)

    def prefix_for(self, namespace: str) -> str | None:
        """The prefix bound to `namespace` in this element's scope ("" for a default)."""
        for pfx, uri in self.nsmap.items():
            if uri == namespace:
                return pfx
        return None


def parse(text: str) -> Node:
    """Parse a whole part into a tree of `Node`s with text positions; return the root."""
    stack: list[Node] = []
    root: Node | None = None
    pos = 0
    while True:
        lt = text.find("<", pos)
        if lt < 0:
            break
        m = _TOKEN.match(text, lt)
        if m is None:
            raise XmlTextError(f"unreadable XML at character {lt}")
        pos = m.end()
        if m.group("decl"):
            raise XmlTextError("XML with a DOCTYPE declaration is refused")
        if m.group("comment") or m.group("pi") or m.group("cdata"):
            continue
        if m.group("end") is not None:
            if not stack or stack[-1].qname != m.group("end"):
                raise XmlTextError(f"unexpected end tag </{m.group('end')}> at character {lt}")
            node = stack.pop()
            node.end_start, node.end = lt, pos
            continue
        attrs = parse_attrs(m.group("attrs"))
        nsmap = dict(stack[-1].nsmap) if stack else {"xml": XML_NS}
        for key, value in attrs.items():
            if key == "xmlns":
                nsmap[""] = value
            elif key.startswith("xmlns:"):
                nsmap[key[6:]] = value
        empty = m.group("empty") is not None
        node = Node(m.group("start"), attrs, nsmap, lt, pos, empty)
        if empty:
            node.end_start, node.end = pos, pos
        if stack:
            stack[-1].children.append(node)
        elif root is None:
            root = node
        else:
            raise XmlTextError("more than one root element")
        if not empty:
            stack.append(node)
    if root is None or stack:
        raise XmlTextError("incomplete XML" if stack else "empty XML document")
    return root


def decode_part(data: bytes) -> tuple[str, str]:
    """Decode a part's bytes; return (text, encoding) so it can be encoded back the same way."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    head = data[:200]
    m = re.match(rb"""\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""", head)
    encoding = m.group(1).decode("ascii").lower() if m else "utf-8"
    if encoding in ("utf-16", "utf-16le", "utf-16be"):
        return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode(encoding), encoding


def encode_part(text: str, encoding: str) -> bytes:
    return text.encode(encoding)


def set_attrs(start_tag: str, values: dict[str, str]) -> str:
    """Rewrite a start tag: replace the named attributes' values or add them at the end."""
    out = start_tag
    for name, value in values.items():
        pattern = re.compile(r"""(\s)""" + re.escape(name) + r"""(\s*=\s*)(?:"[^"]*"|'[^']*')""")
        replacement = f'{name}="{escape_attr(value)}"'
        if pattern.search(out):
            out = pattern.sub(lambda m: m.group(1) + replacement, out, count=1)
        else:
            tail = 2 if out.endswith("/>") else 1
            body = out[:-tail].rstrip()
            out = f"{body} {replacement}{out[len(out) - tail:]}"
    return out


def remove_attrs(start_tag: str, names: tuple[str, ...]) -> str:
    out = start_tag
    for name in names:
        out = re.sub(r"""\s""" + re.escape(name) + r"""\s*=\s*(?:"[^"]*"|'[^']*')""", "", out)
    return out


class Edits:
    """Text splices against one source string, applied together at the end."""

    def __init__(self) -> None:
        self._edits: list[tuple[int, int, int, str]] = []

    def insert(self, pos: int, text: str) -> None:
        self._edits.append((pos, pos, len(self._edits), text))

    def replace(self, start: int, end: int, text: str) -> None:
        self._edits.append((start, end, len(self._edits), text))

    def __bool__(self) -> bool:
        return bool(self._edits)

    def apply(self, source: str) -> str:
        out: list[str] = []
        pos = 0
        for start, end, _, text in sorted(self._edits):
            if start < pos:
                raise XmlTextError("overlapping edits")
            out.append(source[pos:start])
            out.append(text)
            pos = end
        out.append(source[pos:])
        return "".join(out)


def qualify(prefix: str, local: str) -> str:
    return f"{prefix}:{local}" if prefix else local


def insert_child_ordered(
    edits: Edits, parent: Node, new_xml: str, local: str, order: tuple[str, ...]
) -> None:
    """Insert `new_xml` (an element named `local`) into `parent` at its schema position.

    `order` lists the children's local names in schema order; the new element goes before the
    first existing child that comes after `local` in that order, else at the end of `parent`.
    A child not in `order` (an extension element) is passed over.
    """
    rank = order.index(local)
    later = set(order[rank + 1:])
    for child in parent.children:
        if child.local in later:
            edits.insert(child.start, new_xml)
            return
        if child.local == "AlternateContent" and _alternate_first_local(child) in later:
            edits.insert(child.start, new_xml)
            return
    append_child(edits, parent, new_xml)


def _alternate_first_local(node: Node) -> str | None:
    for choice in node.children:
        for inner in choice.children:
            return inner.local
    return None


def append_child(edits: Edits, parent: Node, new_xml: str) -> None:
    """Append `new_xml` as the last child of `parent` (expanding `<x/>` to `<x>…</x>`)."""
    if parent.empty:
        tag = parent.qname
        # `<x a="1"/>` -> `<x a="1">new</x>`: rewrite the start tag's end.
        edits.replace(parent.start_end - 2, parent.start_end, f">{new_xml}</{tag}>")
    else:
        edits.insert(parent.end_start, new_xml)


def start_tag_text(source: str, node: Node) -> str:
    return source[node.start:node.start_end]
