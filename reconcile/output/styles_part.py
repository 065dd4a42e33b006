"""`xl/styles.xml`: append fills, borders, fonts, number formats and cell formats (xf).

Nothing already in the part moves: new entries go at the end of their lists, so every existing
index stays valid. A marked cell gets a copy of its own xf with only the fill (or, under
conditional formatting, only the border) changed: its font, number format, alignment and
protection are kept.
"""

from __future__ import annotations

import re

from reconcile.output import xmltext
from reconcile.output.ooxml import Dialect

STYLESHEET_ORDER = (
    "numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
    "tableStyles", "colors", "extLst",
)
_ITEM = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border",
         "cellStyleXfs": "xf", "cellXfs": "xf"}

DATE_FORMAT_CODE = "dd.mm.yyyy"
NUMFMT_INTEGER = 3      # built-in "#,##0": Excel shows the reader's grouping ("# ##0" in nb-NO)
NUMFMT_DECIMAL = 4      # built-in "#,##0.00"
LINK_COLOUR = "FF0563C1"

_DEFAULT_FONT = '<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/></font>'


def default_styles_part(dialect: Dialect) -> bytes:
    """A minimal styles part for a package that has none (Excel's defaults)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<styleSheet xmlns="{dialect.main_ns}">'
        f'<fonts count="1">{_DEFAULT_FONT}</fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>'
    ).encode("utf-8")


class StylesEditor:
    """Collects new style entries against one styles part and renders the edited part."""

    def __init__(self, data: bytes):
        self._text, self._encoding = xmltext.decode_part(data)
        self._root = xmltext.parse(self._text)
        if self._root.local != "styleSheet":
            raise xmltext.XmlTextError(f"the root element is {self._root.qname}, not styleSheet")
        self._prefix = self._root.prefix
        self._containers = {c.local: c for c in self._root.children if c.local in _ITEM
                            or c.local in STYLESHEET_ORDER}
        self._existing = {
            local: [n for n in node.children if n.local == _ITEM[local]]
            for local, node in self._containers.items() if local in _ITEM
        }
        self._added: dict[str, list[str]] = {local: [] for local in _ITEM}
        self._memo: dict[tuple, int] = {}

    # -- generic ---------------------------------------------------------------------------

    def _q(self, local: str) -> str:
        return xmltext.qualify(self._prefix, local)

    def _qualify_xml(self, xml: str) -> str:
        """Put this part's prefix on the element names of a snippet written unprefixed."""
        if not self._prefix:
            return xml
        return re.sub(r"<(/?)([A-Za-z])", lambda m: f"<{m.group(1)}{self._prefix}:{m.group(2)}", xml)

    def _count(self, container: str) -> int:
        return len(self._existing.get(container, ())) + len(self._added[container])

    def _append(self, container: str, xml: str) -> int:
        index = self._count(container)
        self._added[container].append(self._qualify_xml(xml))
        return index

    def _item_text(self, container: str, index: int) -> str | None:
        items = self._existing.get(container, [])
        if 0 <= index < len(items):
            node = items[index]
            return self._text[node.start:node.end]
        return None

    def _ensure_defaults(self, container: str) -> None:
        """Never let an added entry take an index with a special meaning (fill 0/1, xf 0)."""
        if container == "fills":
            while self._count("fills") < 2:
                kind = "none" if self._count("fills") == 0 else "gray125"
                self._append("fills", f'<fill><patternFill patternType="{kind}"/></fill>')
        elif container == "fonts" and self._count("fonts") == 0:
            self._append("fonts", _DEFAULT_FONT)
        elif container == "borders" and self._count("borders") == 0:
            self._append("borders", "<border><left/><right/><top/><bottom/><diagonal/></border>")
        elif container == "cellXfs" and self._count("cellXfs") == 0:
            self._append("cellXfs", '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>')

    @property
    def changed(self) -> bool:
        return any(self._added.values())

    # -- entries ---------------------------------------------------------------------------

    def fill(self, rgb: str) -> int:
        key = ("fill", rgb)
        if key not in self._memo:
            self._ensure_defaults("fills")
            self._memo[key] = self._append(
                "fills",
                f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/>'
                '<bgColor indexed="64"/></patternFill></fill>')
        return self._memo[key]

    def border(self, rgb: str) -> int:
        key = ("border", rgb)
        if key not in self._memo:
            self._ensure_defaults("borders")
            side = f'style="medium"><color rgb="FF{rgb}"/>'
            self._memo[key] = self._append(
                "borders",
                f"<border><left {side}</left><right {side}</right><top {side}</top>"
                f"<bottom {side}</bottom><diagonal/></border>")
        return self._memo[key]

    def font(self, kind: str) -> int:
        """'regular' (font 0), 'bold', or 'link' (underlined blue): all derived from font 0."""
        if kind == "regular":
            self._ensure_defaults("fonts")
            return 0
        key = ("font", kind)
        if key not in self._memo:
            self._ensure_defaults("fonts")
            base = self._item_text("fonts", 0) or self._qualify_xml(_DEFAULT_FONT)
            self._memo[key] = self._count("fonts")
            self._added["fonts"].append(self._derive_font(base, kind))
        return self._memo[key]

    def _derive_font(self, base: str, kind: str) -> str:
        m = re.match(r"<([^\s/>]+)([^>]*?)(/?)>", base)
        assert m is not None
        name, attrs, empty = m.group(1), m.group(2), m.group(3)
        inner = "" if empty else base[m.end():base.rfind("</")]
        pfx = f"{self._prefix}:" if self._prefix else ""
        if kind == "bold":
            inner = re.sub(rf"<{re.escape(pfx)}b\b[^>]*/>", "", inner)
            inner = f"<{pfx}b/>" + inner
        else:
            inner = re.sub(rf"<{re.escape(pfx)}(?:u|color)\b[^>]*/>", "", inner)
            inner = re.sub(rf"<{re.escape(pfx)}color\b[^>]*>.*?</{re.escape(pfx)}color>", "",
                           inner, flags=re.S)
            inner = f'<{pfx}u/><{pfx}color rgb="{LINK_COLOUR}"/>' + inner
        return f"<{name}{attrs}>{inner}</{name}>"

    def date_format(self, code: str | None = None) -> int:
        """The id of a custom number format with `code` (default dd.mm.yyyy), added if absent."""
        code = code or DATE_FORMAT_CODE
        key = ("numFmt", code)
        if key not in self._memo:
            for node in self._existing.get("numFmts", []):
                if node.attrs.get("formatCode") == code and node.attrs.get(
                        "numFmtId", "").isdigit():
                    self._memo[key] = int(node.attrs["numFmtId"])
                    break
            else:
                ids = [int(n.attrs["numFmtId"]) for n in self._existing.get("numFmts", [])
                       if n.attrs.get("numFmtId", "").isdigit()]
                ids += [v for k, v in self._memo.items() if k[0] == "numFmt"]
                new_id = max([163, *ids]) + 1
                self._append("numFmts", f'<numFmt numFmtId="{new_id}" '
                                        f'formatCode="{xmltext.escape_attr(code)}"/>')
                self._memo[key] = new_id
        return self._memo[key]

    def marked_xf(self, base: int, rgb_fill: str, rgb_border: str, use_border: bool) -> int:
        """A copy of cell format `base` with the status fill (or border) and nothing else changed."""
        key = ("marked", base, rgb_fill, rgb_border, use_border)
        if key not in self._memo:
            source = self._item_text("cellXfs", base)
            if source is None:
                source = self._item_text("cellXfs", 0) or self._qualify_xml(
                    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>')
            self._ensure_defaults("cellXfs")
            if use_border:
                changes = {"borderId": str(self.border(rgb_border)), "applyBorder": "1"}
            else:
                changes = {"fillId": str(self.fill(rgb_fill)), "applyFill": "1"}
            m = re.match(r"<[^>]*>", source, re.S)
            assert m is not None
            start = xmltext.set_attrs(m.group(0), changes)
            self._memo[key] = self._count("cellXfs")
            self._added["cellXfs"].append(start + source[m.end():])
        return self._memo[key]

    def summary_xf(self, font: str, numfmt: int, rgb_fill: str | None, wrap: bool = False) -> int:
        """A cell format for the added summary sheets, aligned to the top of its row (where a long
        text wraps, `wrap`, the row is taller)."""
        key = ("summary", font, numfmt, rgb_fill, wrap)
        if key not in self._memo:
            self._ensure_defaults("cellXfs")
            font_id = self.font(font)
            fill_id = self.fill(rgb_fill) if rgb_fill else 0
            has_style_xf = bool(self._existing.get("cellStyleXfs"))
            xml = (f'<xf numFmtId="{numfmt}" fontId="{font_id}" fillId="{fill_id}" borderId="0"'
                   + (' xfId="0"' if has_style_xf else "")
                   + (' applyNumberFormat="1"' if numfmt else "")
                   + (' applyFont="1"' if font_id else "")
                   + (' applyFill="1"' if fill_id else "")
                   + ' applyAlignment="1"><alignment vertical="top"' + (' wrapText="1"' if wrap else "") + "/></xf>")
            self._memo[key] = self._append("cellXfs", xml)
        return self._memo[key]

    # -- output ----------------------------------------------------------------------------

    def render(self) -> bytes:
        text = self._text
        edits = xmltext.Edits()
        for local in STYLESHEET_ORDER:
            items = self._added.get(local)
            if not items:
                continue
            body = "".join(items)
            node = self._containers.get(local)
            total = self._count(local)
            if node is None:
                xml = f'<{self._q(local)} count="{total}">{body}</{self._q(local)}>'
                xmltext.insert_child_ordered(edits, self._root, xml, local, STYLESHEET_ORDER)
                continue
            start_tag = text[node.start:node.start_end]
            if "count" in node.attrs:
                start_tag = xmltext.set_attrs(start_tag, {"count": str(total)})
            if node.empty:
                start_tag = start_tag[:-2].rstrip() + ">"
                edits.replace(node.start, node.end, f"{start_tag}{body}</{node.qname}>")
            else:
                edits.replace(node.start, node.start_end, start_tag)
                edits.insert(node.end_start, body)
        return xmltext.encode_part(edits.apply(text), self._encoding)
