"""Cell comments: the comments part (`xl/commentsN.xml`) and its legacy VML drawing.

Excel keeps a comment's text in the comments part and its box (position, visibility) as a shape
in a VML drawing tied to the sheet by `<legacyDrawing>`. Both are extended in place: existing
comments and shapes (including form controls that share the VML part) stay as they were; a note
on a cell that already has a comment is appended to it as a new run.

VML from Excel is not always well-formed XML, so it is edited as text only: new shapes go before
the closing `</xml>`; the bytes around them are untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reconcile.output import ooxml, xmltext

AUTHOR = "Avstemming"
_RUN_PROPERTIES = '<rPr><sz val="9"/><color indexed="81"/><rFont val="Tahoma"/><family val="2"/></rPr>'
_COMMENTS_ORDER = ("authors", "commentList", "extLst")
_V = "urn:schemas-microsoft-com:vml"
_O = "urn:schemas-microsoft-com:office:office"
_X = "urn:schemas-microsoft-com:office:excel"


@dataclass(frozen=True)
class Note:
    row: int
    col: int
    text: str


@dataclass(frozen=True)
class CommentsEdit:
    data: bytes
    appended: frozenset[tuple[int, int]]   # cells whose existing comment got the note
    added: frozenset[tuple[int, int]]      # cells that got a new comment
    all_cells: frozenset[tuple[int, int]]  # every commented cell in the part afterwards


def _q(prefix: str, xml: str) -> str:
    if not prefix:
        return xml
    return re.sub(r"<(/?)([A-Za-z])", lambda m: f"<{m.group(1)}{prefix}:{m.group(2)}", xml)


def _run(text: str) -> str:
    return (f"<r>{_RUN_PROPERTIES}<t xml:space=\"preserve\">{xmltext.escape_ooxml_text(text)}"
            "</t></r>")


def new_comments_part(notes: list[Note], main_ns: str) -> CommentsEdit:
    comments = "".join(
        f'<comment ref="{ooxml.cell_name(n.row, n.col)}" authorId="0"><text>{_run(n.text)}</text>'
        "</comment>" for n in notes)
    data = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<comments xmlns="{main_ns}"><authors><author>{AUTHOR}</author></authors>'
        f"<commentList>{comments}</commentList></comments>"
    ).encode("utf-8")
    cells = frozenset((n.row, n.col) for n in notes)
    return CommentsEdit(data, frozenset(), cells, cells)


def edit_comments_part(data: bytes, notes: list[Note]) -> CommentsEdit:
    """Add `notes` to an existing comments part; raises XmlTextError if it cannot be read."""
    text, encoding = xmltext.decode_part(data)
    root = xmltext.parse(text)
    if root.local != "comments":
        raise xmltext.XmlTextError(f"rotelementet er {root.qname}, ikke comments")
    pfx = root.prefix
    edits = xmltext.Edits()

    authors = root.find("authors")
    names = [a.text(text) for a in authors.find_all("author")] if authors else []
    if AUTHOR in names:
        author_id = names.index(AUTHOR)
    else:
        author_id = len(names)
        author_xml = _q(pfx, f"<author>{AUTHOR}</author>")
        if authors is None:
            xmltext.insert_child_ordered(
                edits, root, _q(pfx, "<authors>") + author_xml + _q(pfx, "</authors>"),
                "authors", _COMMENTS_ORDER)
        else:
            xmltext.append_child(edits, authors, author_xml)

    comment_list = root.find("commentList")
    existing: dict[tuple[int, int], xmltext.Node] = {}
    for node in comment_list.find_all("comment") if comment_list else []:
        area = ooxml.parse_area(node.attrs.get("ref", ""))
        if area:
            existing.setdefault((area.row1, area.col1), node)

    appended: set[tuple[int, int]] = set()
    new_xml: list[str] = []
    for note in notes:
        cell = (note.row, note.col)
        node = existing.get(cell)
        if node is None:
            new_xml.append(_q(pfx, f'<comment ref="{ooxml.cell_name(*cell)}" authorId="{author_id}">'
                                   f"<text>{_run(note.text)}</text></comment>"))
            continue
        body = node.find("text")
        if body is None:
            xmltext.append_child(edits, node, _q(pfx, f"<text>{_run(note.text)}</text>"))
        else:
            old = body.text(text)
            run = _q(pfx, _run(("\n" if old.strip() else "") + note.text))
            phonetic = next((c for c in body.children if c.local in ("rPh", "phoneticPr")), None)
            if phonetic is not None:
                edits.insert(phonetic.start, run)
            elif body.empty:
                edits.replace(body.start, body.end,
                              text[body.start:body.end - 2].rstrip() + f">{run}</{body.qname}>")
            else:
                edits.insert(body.end_start, run)
        appended.add(cell)

    if new_xml:
        if comment_list is None:
            xmltext.insert_child_ordered(
                edits, root, _q(pfx, "<commentList>") + "".join(new_xml) + _q(pfx, "</commentList>"),
                "commentList", _COMMENTS_ORDER)
        else:
            xmltext.append_child(edits, comment_list, "".join(new_xml))
    added = frozenset((n.row, n.col) for n in notes) - appended
    all_cells = frozenset(existing) | added
    return CommentsEdit(xmltext.encode_part(edits.apply(text), encoding), frozenset(appended),
                        added, all_cells)


# --- VML -----------------------------------------------------------------------------------

_SHAPETYPE = (
    '<{v}:shapetype id="_x0000_t202" coordsize="21600,21600" {o}:spt="202"'
    ' path="m,l,21600r21600,l21600,xe">\n'
    ' <{v}:stroke joinstyle="miter"/>\n'
    ' <{v}:path gradientshapeok="t" {o}:connecttype="rect"/>\n'
    '</{v}:shapetype>'
)


def _shape(shape_id: int, row: int, col: int, lines: int, v: str, o: str, x: str) -> str:
    """A hidden comment box for the cell at 1-based (row, col)."""
    r0, c0 = row - 1, col - 1
    height_rows = max(4, min(lines + 1, 24))
    top = max(r0 - 1, 0)
    anchor = f"{c0 + 1}, 15, {top}, 10, {c0 + 4}, 15, {top + height_rows}, 4"
    return (
        f'<{v}:shape id="_x0000_s{shape_id}" type="#_x0000_t202"'
        " style='position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:180pt;"
        f"height:{15 * height_rows}pt;z-index:{shape_id % 1024 or 1};visibility:hidden'"
        f' fillcolor="#ffffe1" {o}:insetmode="auto">\n'
        f' <{v}:fill color2="#ffffe1"/>\n'
        f' <{v}:shadow on="t" color="black" obscured="t"/>\n'
        f' <{v}:path {o}:connecttype="none"/>\n'
        f" <{v}:textbox style='mso-direction-alt:auto'><div style='text-align:left'></div>"
        f"</{v}:textbox>\n"
        f' <{x}:ClientData ObjectType="Note">\n'
        f"  <{x}:MoveWithCells/>\n  <{x}:SizeWithCells/>\n"
        f"  <{x}:Anchor>{anchor}</{x}:Anchor>\n"
        f"  <{x}:AutoFill>False</{x}:AutoFill>\n"
        f"  <{x}:Row>{r0}</{x}:Row>\n  <{x}:Column>{c0}</{x}:Column>\n"
        f" </{x}:ClientData>\n"
        f"</{v}:shape>"
    )


def vml_idmaps(data: bytes) -> set[int]:
    """The shape-id blocks a VML part claims (`<o:idmap data="1,2"/>`)."""
    out: set[int] = set()
    for m in re.finditer(rb"""idmap\b[^>]*?\bdata\s*=\s*["']([0-9,\s]+)["']""", data):
        out.update(int(n) for n in re.findall(rb"[0-9]+", m.group(1)))
    return out


def new_vml_part(shapes: list[tuple[int, int, int]], idmap: int) -> bytes:
    """A VML drawing with one hidden note box per (row, col, text lines)."""
    body = "\n".join(_shape(idmap * 1024 + i + 1, r, c, n, "v", "o", "x")
                     for i, (r, c, n) in enumerate(shapes))
    return (
        f'<xml xmlns:v="{_V}"\n xmlns:o="{_O}"\n xmlns:x="{_X}">\n'
        f' <o:shapelayout v:ext="edit">\n  <o:idmap v:ext="edit" data="{idmap}"/>\n'
        " </o:shapelayout>"
        + _SHAPETYPE.format(v="v", o="o") + "\n" + body + "\n</xml>\n"
    ).encode("ascii")


def note_shape_cells(data: bytes) -> set[tuple[int, int]]:
    """Cells (1-based) that already have a note box in a VML part."""
    text = data.decode("latin-1")
    out = set()
    for block in re.finditer(r"<(?:\w+:)?ClientData\b[^>]*ObjectType\s*=\s*[\"']Note[\"'][^>]*>"
                             r"(.*?)</(?:\w+:)?ClientData>", text, re.S):
        row = re.search(r"<(?:\w+:)?Row>\s*(\d+)\s*<", block.group(1))
        col = re.search(r"<(?:\w+:)?Column>\s*(\d+)\s*<", block.group(1))
        if row and col:
            out.add((int(row.group(1)) + 1, int(col.group(1)) + 1))
    return out


def extend_vml_part(data: bytes, shapes: list[tuple[int, int, int]]) -> bytes:
    """Add note boxes to an existing VML drawing; raises ValueError if it cannot be placed."""
    text = data.decode("latin-1")   # byte-for-byte round trip; what we add is ASCII
    close = max((m.start() for m in re.finditer(r"</xml\s*>", text, re.I)), default=-1)
    root = re.search(r"<xml\b[^>]*>", text, re.I)
    if close < 0 or root is None or root.start() > close:
        raise ValueError("VML-tegningen har ikke et <xml>-rotelement")
    declared = {uri: pfx for pfx, uri in
                re.findall(r"""xmlns:([\w.-]+)\s*=\s*["']([^"']+)["']""", text)}
    prefixes = {}
    missing = []
    for uri, wanted in ((_V, "v"), (_O, "o"), (_X, "x")):
        if uri in declared:
            prefixes[wanted] = declared[uri]
        else:
            pfx = wanted
            while pfx in declared.values():
                pfx += "x"
            prefixes[wanted] = pfx
            missing.append(f' xmlns:{pfx}="{uri}"')
    ids = [int(n) for n in re.findall(r"_x0000_s(\d+)", text)]
    maps = sorted(vml_idmaps(data))
    next_id = max(ids) + 1 if ids else (maps[0] * 1024 + 1 if maps else 1025)
    v, o, x = prefixes["v"], prefixes["o"], prefixes["x"]
    parts = []
    if not re.search(r"""id\s*=\s*["']_x0000_t202["']""", text):
        parts.append(_SHAPETYPE.format(v=v, o=o))
    for i, (r, c, n) in enumerate(shapes):
        parts.append(_shape(next_id + i, r, c, n, v, o, x))
    insert = "".join(parts)
    out = text[:close] + insert + text[close:]
    if missing:
        tag_end = root.end() - 1
        out = out[:tag_end] + "".join(missing) + out[tag_end:]
    return out.encode("latin-1")


def text_lines(text: str, width: int = 40) -> int:
    """About how many lines a note box needs to show `text`."""
    return sum(max(1, -(-len(line) // width)) for line in text.split("\n"))
