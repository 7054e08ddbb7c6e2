"""Drawing the play scene's panels: cards, card detail, KPI strip, running quarter, summary.

All functions only read the session and draw; layout rectangles come from the scene.
Text goes through `put`, which also notes where each line landed and the box it
belongs to (`DRAWN`), so the layout tests can check that no text leaves its tile
or panel at any window size, text size or language. With `surface=None` the same
functions only measure, so a layout can be chosen that fits before drawing.
"""

from __future__ import annotations

import re

import pygame

from game import charts, influence_table, predictions
from game.cards import BY_ID
from game.fmt import Formatter, formatter
from game.indicators import BY_KEY, INDICATORS
from game.render import BAD, GOOD, INK, MUTED, PANEL
from game.session import ROUND_WEEKS
from game.stories import highlights
from game.ui import draw_text

PLAYED = (0, 158, 115)
TILE_PAD = (12, 8)  # horizontal and vertical padding inside a card tile, in total
ARROWS = {1: "▲", -1: "▼"}
BLOCK_GAP = 4  # between the blocks of a card's page

# (text, where it landed, the box it must stay in) for every line drawn since the last reset
DRAWN: list[tuple[str, pygame.Rect, pygame.Rect]] = []


# -- text -----------------------------------------------------------------------


def sentence(text: str) -> str:
    """A sentence starts with a capital, also when a field (a name, a count word) starts it."""
    return text[:1].upper() + text[1:]


def put(surface, text: str, fnt, colour, pos, box, anchor: str = "topleft") -> pygame.Rect:
    """Draw one line (or only measure it when `surface` is None) and note it against `box`."""
    rect = pygame.Rect((0, 0), fnt.size(text))
    setattr(rect, anchor, pos)
    if surface is not None:
        rect = draw_text(surface, text, fnt, colour, pos, anchor)
        DRAWN.append((text, rect, pygame.Rect(box)))
    return rect


def wrap_text(text: str, fnt, width: int) -> list[str]:
    """Word wrap that may also break after a hyphen ("Lumpsum-" / "contract").

    Long Dutch compounds are what overflow narrow tiles first; a word with no
    hyphen that is wider than `width` stays on its own line (the tests catch it).
    """
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            for i, part in enumerate(re.findall(r"[^-]+-?|-", word) or [word]):
                trial = line + (" " if i == 0 and line else "") + part
                if fnt.size(trial)[0] <= width or not line:
                    line = trial
                else:
                    lines.append(line)
                    line = part
        lines.append(line)
    return lines


def widest_line(text: str, fnt, width: int) -> int:
    return max(fnt.size(line)[0] for line in wrap_text(text, fnt, width))


def put_lines(surface, text: str, fnt, colour, box, y: int, x: int | None = None) -> int:
    """Wrapped text from `y` down, inside `box` from `x`; returns the y below it."""
    x = box.left if x is None else x
    for line in wrap_text(text, fnt, box.right - x):
        put(surface, line, fnt, colour, (x, y), box)
        y += fnt.get_linesize()
    return y


def lines_height(text: str, fnt, width: int) -> int:
    return len(wrap_text(text, fnt, width)) * fnt.get_linesize()


def box(surface, rect) -> None:
    """A white panel with a thin edge (nothing when only measuring)."""
    if surface is None:
        return
    pygame.draw.rect(surface, PANEL, rect, border_radius=8)
    pygame.draw.rect(surface, (200, 196, 186), rect, 1, border_radius=8)


_panel = box


def shade(surface) -> None:
    """Dim what is behind a dialog."""
    dim = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    dim.fill((0, 0, 0, 120))
    surface.blit(dim, (0, 0))


# -- cards ----------------------------------------------------------------------


def effects_lines(t, card, sizes: bool = True,
                  note: bool = True) -> list[tuple[str, bool | None]]:
    """What a card did in paired runs of the model, split into better and worse.

    From the measured table (`game.influence_table`), with each change's size:
    "Beter: Wachttijd ▼ 2,1 wk". A card with no measurable effect on any KPI
    says so (good None: neither colour). A card the table does not know shows
    its expected signs, marked as expected. A page short of room leaves out the
    sizes or the note (`sizes`, `note`). The words ("Beter:", "Slechter:")
    carry the judgement as well as the colour, so an arrow up on waiting time
    does not read like an arrow up on ratings.
    """
    measured = influence_table.card_effects(card.id)
    better, worse = [], []
    if measured is None:
        for key, sign in card.effects.items():
            item = f"{t(f'kpi.short.{key}')} {ARROWS[sign]}"
            (better if (sign > 0) == (BY_KEY[key].better > 0) else worse).append(item)
    else:
        for ind in INDICATORS:
            e = measured.get(ind.key)
            if not isinstance(e, dict) or not e.get("sign") or e.get("diff") is None:
                continue
            sign = int(e["sign"])
            item = f"{t(f'kpi.short.{ind.key}')} {ARROWS[sign]}"
            if sizes:
                item += " " + influence_table.size_text(t, ind, e["diff"])
            (better if (sign > 0) == (ind.better > 0) else worse).append(item)
    out: list[tuple[str, bool | None]] = []
    if better:
        out.append((t("card.better", kpis=" · ".join(better)), True))
    if worse:
        out.append((t("card.worse", kpis=" · ".join(worse)), False))
    if measured is not None and not out:
        out.append((t("card.no_effect"), None))
    elif note:
        out.append((t("card.expected" if measured is None else "card.measured"), None))
    return out


def effects_text(t, card) -> str:
    return "  ".join(text for text, _ in effects_lines(t, card))


def cost_text(t, card) -> str:
    if card.cost_eur > 0:
        cost = t.fmt.euro(card.cost_eur)
    elif card.cost_eur < 0:
        cost = t("card.gain", amount=t.fmt.euro(-card.cost_eur))
    else:
        cost = t("card.free")
    if card.delay_weeks:
        cost += " · " + t("card.delay", weeks=card.delay_weeks)
    return cost


def played_text(t) -> str:
    return "✓ " + t("card.played")


def _status_w(t, card, small) -> int:
    """Room for a tile's price or its "played" mark, whichever is wider."""
    return max(small.size(played_text(t))[0], small.size(cost_text(t, card))[0])


def _grid_pages(ctx, card_ids, area, gap, cols):
    """Equal tiles in `cols` columns, or None when a title or price does not fit a tile."""
    t = ctx.t
    bold, small = ctx.font("small", True), ctx.font("small")
    tile_w = (area.width - (cols - 1) * gap) // cols
    inner = tile_w - TILE_PAD[0]
    titles = [t(BY_ID[c].title) for c in card_ids]
    if any(widest_line(x, bold, inner) > inner for x in titles) or \
            any(_status_w(t, BY_ID[c], small) > inner for c in card_ids):
        return None
    lines = max(len(wrap_text(x, bold, inner)) for x in titles)
    tile_h = lines * bold.get_linesize() + small.get_linesize() + TILE_PAD[1]
    rows = (area.height + gap) // (tile_h + gap)
    if rows < 1:
        return None
    per = cols * rows
    return [[(pygame.Rect(area.left + (k % cols) * (tile_w + gap),
                          area.top + (k // cols) * (tile_h + gap), tile_w, tile_h), c)
             for k, c in enumerate(card_ids[i:i + per])]
            for i in range(0, len(card_ids), per)]


def _list_pages(ctx, card_ids, area, gap):
    """One card a row: title and price on one line where they fit, else title over price."""
    t = ctx.t
    bold, small = ctx.font("small", True), ctx.font("small")
    inner = area.width - TILE_PAD[0]
    pages, page, y, inline = [], [], area.top, set()
    for c in card_ids:
        title = t(BY_ID[c].title)
        if bold.size(title)[0] + 16 + _status_w(t, BY_ID[c], small) <= inner:
            inline.add(c)
            h = bold.get_linesize() + TILE_PAD[1]
        else:
            h = lines_height(title, bold, inner) + small.get_linesize() + TILE_PAD[1]
        if page and y + h > area.bottom:
            pages.append(page)
            page, y = [], area.top
        page.append((pygame.Rect(area.left, y, area.width, h), c))
        y += h + gap
    return pages + [page], inline


def card_pages(ctx, card_ids: list[str], area: pygame.Rect, gap: int = 6
               ) -> tuple[list[list[tuple[pygame.Rect, str]]], set[str]]:
    """The cards' tiles page by page, in the fewest pages, and the ids drawn as one line.

    Equal tiles in three or two columns count only when every title fits its tile
    whole (wrapped, never cut); a one-column list always fits. On a tie the grid
    wins: more cards side by side.
    """
    options = [(pages, set()) for pages in (_grid_pages(ctx, card_ids, area, gap, cols)
                                            for cols in (3, 2)) if pages]
    options.append(_list_pages(ctx, card_ids, area, gap))
    return min(options, key=lambda o: len(o[0]))


def draw_cards(surface, ctx, session, card_rects, selected, inline: set[str]) -> None:
    t = ctx.t
    bold, small = ctx.font("small", True), ctx.font("small")
    for rect, card_id in card_rects:
        card = BY_ID[card_id]
        reason = session.can_play(card_id)
        played = card_id in session.team.cards[session.round] or (
            card.once and session.team.played_ever(card_id))
        bg = (230, 244, 238) if played else (PANEL if reason is None else (236, 234, 228))
        pygame.draw.rect(surface, bg, rect, border_radius=6)
        edge = GOOD if card_id == selected else (PLAYED if played else (170, 170, 170))
        pygame.draw.rect(surface, edge, rect, 3 if card_id == selected else 1, border_radius=6)
        inner = rect.inflate(-TILE_PAD[0], -TILE_PAD[1])
        status = played_text(t) if played else cost_text(t, card)
        colour = INK if reason is None or played else MUTED
        if card_id in inline:
            put(surface, t(card.title), bold, colour, inner.midleft, rect, "midleft")
            put(surface, status, small, PLAYED if played else MUTED, inner.midright, rect,
                "midright")
            continue
        put_lines(surface, t(card.title), bold, colour, inner, inner.top)
        put(surface, status, small, PLAYED if played else MUTED, inner.bottomleft, rect,
            "bottomleft")


def detail_blocks(ctx, card, sizes: bool = True, note: bool = True, explain: bool = True
                  ) -> list[tuple[str, pygame.font.Font, tuple[int, int, int]]]:
    """The card's page, top to bottom: title, price, what it does, its cost, its effects."""
    t = ctx.t
    small = ctx.font("small")
    blocks = [(t(card.title), ctx.font("body", True), INK), (cost_text(t, card), small, MUTED)]
    if explain:
        blocks.append((t(card.explain), small, INK))
    blocks.append(("⚖ " + t(card.tradeoff), small, BAD))
    blocks += [(text, small, MUTED if good is None else GOOD if good else BAD)
               for text, good in effects_lines(t, card, sizes, note)]
    return blocks


# What a card's page leaves out, in this order, when its box is too small (large text):
# the effects' sizes, the note on where they come from, and last what the card does
# (its price, its trade-off and what it did in the model matter most for the choice).
DETAIL_FITS = ((True, True, True), (False, True, True), (True, False, True),
               (False, False, True), (False, False, False))


def draw_detail(surface, ctx, rect, card_id) -> int:
    """The selected card's page inside `rect`; returns the y below its text.

    The fullest page that fits: with the measured effects' sizes and the note on
    where they come from, else without the sizes, then without the note, and on
    the smallest room without what the card does (see DETAIL_FITS). With
    `surface=None` it only measures (the scene checks a page fits its box).
    """
    inner = rect.inflate(-16, -12)
    card = BY_ID[card_id]

    def lay(target, blocks) -> int:
        y = inner.top
        for text, fnt, colour in blocks:
            y = put_lines(target, text, fnt, colour, inner, y) + BLOCK_GAP
        return y + 6

    for sizes, note, explain in DETAIL_FITS:
        blocks = detail_blocks(ctx, card, sizes, note, explain)
        if lay(None, blocks) <= rect.bottom:
            break
    _panel(surface, rect)
    return lay(surface, blocks)


# -- the running quarter ----------------------------------------------------------


def split_played(card_ids) -> tuple[list[str], list[str]]:
    """A round's card ids as (policy cards, facilitator's events)."""
    ids = list(card_ids)
    return [c for c in ids if not BY_ID[c].event], [c for c in ids if BY_ID[c].event]


def played_lines(t, card_ids) -> list[str]:
    """"Played: ..." and, if the facilitator injected any, "Event: ..."."""
    cards, events = split_played(card_ids)
    names = ", ".join(t(BY_ID[c].title) for c in cards) or t("play.none")
    lines = [t("play.played_list", cards=names)]
    if events:
        lines.append(t("play.events_list", n=len(events),
                       events=", ".join(t(BY_ID[c].title) for c in events)))
    return lines


def chosen_lines(t, events) -> list[str]:
    """Where a card that chooses when it lands put its capacity (the model's choice)."""
    return [t("play.capacity_to", domain=t(f"domain.{e['domain']}"))
            for e in events if e["kind"] == "action" and e.get("chosen_as")]


def draw_running(surface, ctx, panel, session) -> None:
    """What is happening this quarter; the map key only when there is room for it."""
    t = ctx.t
    _panel(surface, panel)
    inner = panel.inflate(-20, -16)
    small, bold = ctx.font("small"), ctx.font("body", True)
    key = t("play.map_key") + " " + t("play.click_house")
    key_h = lines_height(key, small, inner.width)
    lines = [sentence(x) for x in highlights(t, session.round_events())]

    def body(target) -> int:
        y = put_lines(target, t("play.running_head", week=max(0, session.weeks_into_turn())),
                      bold, INK, inner, inner.top) + 6
        for line in played_lines(t, session.team.played(session.round)):
            y = put_lines(target, line, small, MUTED, inner, y)
        for line in chosen_lines(t, session.round_events()):
            y = put_lines(target, line, small, MUTED, inner, y)
        y = put_lines(target, t("play.so_far"), bold, INK, inner, y + 8) + 4
        for line in lines:
            y = put_lines(target, "• " + line, small, INK, inner, y) + 4
        return y

    end = body(None)
    body(surface)
    if end + 8 + key_h <= inner.bottom:
        put_lines(surface, key, small, MUTED, inner, inner.bottom - key_h)


# -- KPI strip ----------------------------------------------------------------------


def reference(t, ind, start) -> str:
    """What a tile's value is read against: the target, or else the value at the start."""
    if ind.target is not None:
        return t("kpi.target", value=t.fmt.shown(ind.target, ind.fmt))
    return t("kpi.start", value=t.fmt.shown(start, ind.fmt))


def draw_kpis(surface, ctx, rect, session) -> None:
    """Six tiles: name, value (coloured against a target), its reference, and a sparkline."""
    t = ctx.t
    pygame.draw.rect(surface, (236, 233, 225), rect)
    tile_w = rect.width // len(INDICATORS)
    history = session.team.history
    small, bold = ctx.font("small"), ctx.font("small", True)
    big = ctx.font("title", True)
    labels = [t(f"kpi.short.{ind.key}") for ind in INDICATORS]
    room = tile_w - 16
    fnt = bold if all(bold.size(x)[0] <= room for x in labels) else small
    for i, ind in enumerate(INDICATORS):
        tile = pygame.Rect(rect.left + i * tile_w + 3, rect.top + 4, tile_w - 6,
                           rect.height - 8)
        _panel(surface, tile)
        inner = tile.inflate(-10, -6)
        y = put(surface, labels[i], fnt, INK, inner.topleft, tile).bottom
        value = history[-1][ind.key] if history else None
        start = history[0][ind.key] if history else None
        ok = meets(ind, value)
        colour = INK if ok is None else (GOOD if ok else BAD)
        vr = put(surface, t.fmt.shown(value, ind.fmt), big, colour, (inner.left, y), tile)
        ref = reference(t, ind, start)
        if vr.right + 8 + small.size(ref)[0] <= inner.right:
            bottom = put(surface, ref, small, MUTED, (vr.right + 8, vr.bottom - 4), tile,
                         "bottomleft").bottom
            bottom = max(bottom, vr.bottom)
        else:
            bottom = put(surface, ref, small, MUTED, (inner.left, vr.bottom), tile).bottom
        chart = pygame.Rect(inner.left, bottom + 2, inner.width, inner.bottom - bottom - 2)
        if chart.height >= 16:
            # the rounds played so far and the current one, on the KPI's fixed range
            rounds = min(session.round + 1, session.rounds)
            charts.kpi_lines(surface, chart, ind, [history], [GOOD], t.fmt, small, rounds,
                             ROUND_WEEKS)


def draw_hidden_kpis(surface, ctx, rect) -> None:
    """The KPI strip while the facilitator keeps the figures back: says so, in their place."""
    pygame.draw.rect(surface, (236, 233, 225), rect)
    tile = rect.inflate(-6, -8)
    _panel(surface, tile)
    inner = tile.inflate(-24, -12)
    text = ctx.t("play.kpis_hidden")
    fnt = ctx.fit("body", text, inner.width, inner.height)
    y = inner.centery - lines_height(text, fnt, inner.width) // 2
    put_lines(surface, text, fnt, MUTED, inner, y)


def meets(ind, value) -> bool | None:
    if ind.target is None or value is None or value != value:
        return None
    return value <= ind.target if ind.better < 0 else value >= ind.target


# -- change between two values ------------------------------------------------------


def trend(ind, a, b, fmt: Formatter | None = None) -> int | None:
    """+1 better, -1 worse, 0 no change, None unknown - as the shown values read.

    Values are compared as the screen prints them (rounded), so "45% → 45%"
    never carries an arrow; rounding keeps the order, so the raw values give
    the direction once the printed ones differ.
    """
    fmt = fmt or formatter("nl")
    if a is None or b is None or a != a or b != b:
        return None
    if fmt.shown(a, ind.fmt) == fmt.shown(b, ind.fmt):
        return 0
    return 1 if (b > a) == (ind.better > 0) else -1


def change(ind, a, b, fmt: Formatter | None = None) -> tuple[str, tuple[int, int, int]]:
    """The arrow and colour for a change from `a` to `b`.

    "=" when the shown values match, nothing when one of them is unknown ("–").
    """
    way = trend(ind, a, b, fmt)
    if way is None:
        return "", MUTED
    if way == 0:
        return "=", MUTED
    return ("▲" if b > a else "▼"), (GOOD if way > 0 else BAD)


# -- the quarter's summary ---------------------------------------------------------


def _summary_rows(t, summary, body, width) -> tuple[list[tuple[str, str, tuple]], int]:
    """(name, "a → b ▲ worse", colour) per KPI and the x offset of the values column.

    Full KPI names when they leave room for the values, else the short names.
    """
    rows = []
    for ind in INDICATORS:
        a, b = summary["before"].get(ind.key), summary["after"].get(ind.key)
        arrow, colour = change(ind, a, b, t.fmt)
        way = trend(ind, a, b, t.fmt)
        word = {1: " " + t("summary.better"), -1: " " + t("summary.worse")}.get(way, "")
        shown = f"{t.fmt.shown(a, ind.fmt)}  →  {t.fmt.shown(b, ind.fmt)}"
        rows.append((ind.key, f"{shown}  {arrow}{word}" if arrow else shown, colour))
    values = max(body.size(v)[0] for _, v, _ in rows)
    for prefix in ("kpi.", "kpi.short."):
        names = [t(prefix + k) for k, _, _ in rows]
        col = max(body.size(n)[0] for n in names) + 24
        if col + values <= width:
            break
    return [(n, v, c) for n, (_, v, c) in zip(names, rows, strict=True)], col


def _summary_body(surface, ctx, inner, summary, body, bold) -> int:
    t = ctx.t
    y = put_lines(surface, t("summary.title", round=summary["round"] + 1, team=summary["team"]),
                  ctx.font("title", True), INK, inner, inner.top) + 6
    y = put_lines(surface, t("summary.changed"), bold, INK, inner, y) + 2
    rows, col = _summary_rows(t, summary, body, inner.width)
    for name, values, colour in rows:
        put(surface, name, body, INK, (inner.left, y), inner)
        put(surface, values, body, colour, (inner.left + col, y), inner)
        y += body.get_linesize()
    y += 6
    for line in played_lines(t, summary["cards"]):
        y = put_lines(surface, line, body, MUTED, inner, y)
    y = put_lines(surface, t("summary.mattered"), bold, INK, inner, y + 6) + 2
    for line in summary["highlights"]:
        y = put_lines(surface, "• " + sentence(line), body, INK, inner, y) + 2
    text, right = predictions.outcome_text(t, summary.get("prediction"))
    if text:
        y = put_lines(surface, text, body, GOOD if right else BAD, inner, y + 6)
    return y


def summary_fonts(ctx, rect, summary, button: pygame.Rect):
    """Body and bold fonts for the summary: the body size if it fits, else the small one."""
    inner = rect.inflate(-40, -32)
    for kind in ("body", "small"):
        body, bold = ctx.font(kind), ctx.font(kind, True)
        end = _summary_body(None, ctx, inner, summary, body, bold)
        if end <= button.top - 8 or kind == "small":
            return body, bold


def draw_summary(surface, ctx, rect, summary, button: pygame.Rect) -> None:
    shade(surface)
    _panel(surface, rect)
    body, bold = summary_fonts(ctx, rect, summary, button)
    _summary_body(surface, ctx, rect.inflate(-40, -32), summary, body, bold)
