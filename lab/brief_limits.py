""""What the model does not know": the limitations section of docs/ODD.md, read at report time.

The brief quotes the model description rather than a copy of it, so the list
an alderman reads is the one the modellers maintain. The section's bullets
(with their nested bullets), its sub-headings and its bold group labels are
kept; its loose paragraphs are left out, because there they are notes to the
maintainers ("Remove these items once they are fixed"), not limitations.
Markdown markup is turned into escaped HTML for the web page, or stripped for
the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from sim.data import data_dir

ODD = data_dir("docs") / "ODD.md"
SECTION = re.compile(r"^##\s+(?:\d+\.\s*)?Limitations\b", re.IGNORECASE)
HEADING = re.compile(r"^###\s+(?:[\d.]+\s+)?(.*)$")
GROUP = re.compile(r"^\*\*([^*]+)\*\*$")
BULLET = re.compile(r"^( *)[-*]\s+(.*)$")


@dataclass
class Item:
    """A heading, a group label, or a bullet with its nested bullets."""

    kind: str  # "heading", "group" or "bullet"
    text: str
    children: list[str]


def limitations(path: Path = ODD) -> list[Item] | None:
    """The limitations section as items, or None when the file or the section is absent."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = _section(text.splitlines())
    items = _parse(lines) if lines is not None else []
    return items or None


def _section(lines: list[str]) -> list[str] | None:
    """The lines after the limitations heading, up to the next level-2 heading."""
    start = next((i for i, line in enumerate(lines) if SECTION.match(line)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    return lines[start + 1:end]


def _parse(lines: list[str]) -> list[Item]:
    items: list[Item] = []
    current: Item | None = None  # the bullet that continuation lines belong to
    nested = False  # whether continuation lines belong to its last nested bullet
    for raw in lines:
        line = raw.rstrip()
        if not line.strip():
            continue
        if heading := HEADING.match(line):
            items.append(Item("heading", heading.group(1).strip(), []))
            current = None
        elif not line.startswith(" ") and (group := GROUP.match(line)):
            items.append(Item("group", group.group(1).strip(), []))
            current = None
        elif bullet := BULLET.match(line):
            indent, body = bullet.groups()
            if indent and current is not None:
                current.children.append(body.strip())
                nested = True
            else:
                current = Item("bullet", body.strip(), [])
                items.append(current)
                nested = False
        elif current is not None and line.startswith(" "):
            if nested:
                current.children[-1] += " " + line.strip()
            else:
                current.text += " " + line.strip()
        else:  # a loose paragraph: a note to maintainers, not a limitation
            current = None
    return items


# -- inline markup --------------------------------------------------------------------------

CODE = re.compile(r"(`[^`]*`)")
BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![*\w])\*(?![\s*])(.+?)(?<![\s*])\*(?![*\w])")


def to_html(text: str) -> Markup:
    """Markdown's **bold**, *italic* and `code` as HTML; everything else escaped."""
    parts = []
    for part in CODE.split(text):
        if part.startswith("`") and part.endswith("`") and len(part) >= 2:
            parts.append(Markup("<code>{}</code>").format(part[1:-1]))
            continue
        safe = str(escape(part))
        safe = BOLD.sub(r"<strong>\1</strong>", safe)
        safe = ITALIC.sub(r"<em>\1</em>", safe)
        parts.append(Markup(safe))
    return Markup("").join(parts)


def to_plain(text: str) -> str:
    """The text without markdown markers, for the PDF."""
    parts = []
    for part in CODE.split(text):
        if part.startswith("`") and part.endswith("`") and len(part) >= 2:
            parts.append(part[1:-1])
        else:
            parts.append(ITALIC.sub(r"\1", BOLD.sub(r"\1", part)))
    return "".join(parts)


# -- nesting for a page ---------------------------------------------------------------------

@dataclass
class Group:
    label: Any
    bullets: list[tuple[Any, list[Any]]]


@dataclass
class Part:
    heading: Any
    groups: list[Group]


def nested(items: list[Item], convert: Callable[[str], Any] = to_html) -> list[Part]:
    """The flat items as parts (sub-headings) of groups (bold labels) of bullets, converted."""
    parts: list[Part] = []
    for item in items:
        if item.kind == "heading" or not parts:
            parts.append(Part(convert(item.text) if item.kind == "heading" else None, []))
            if item.kind == "heading":
                continue
        part = parts[-1]
        if item.kind == "group" or not part.groups:
            part.groups.append(Group(convert(item.text) if item.kind == "group" else None, []))
            if item.kind == "group":
                continue
        part.groups[-1].bullets.append((convert(item.text), [convert(c) for c in item.children]))
    return parts
