"""Drawing the play scene's panels: cards, card detail, KPI strip, timeline, summary.

All functions only read the session and draw; layout rectangles come from the scene.
"""

from __future__ import annotations

import pygame

from game import charts
from game.cards import BY_ID
from game.indicators import BY_KEY, INDICATORS
from game.render import BAD, GOOD, INK, MUTED, PANEL
from game.session import ROUND_WEEKS
from game.stories import highlights
from game.ui import draw_text, draw_wrapped, wrap

PLAYED = (0, 158, 115)


def effects_text(t, card) -> str:
    arrows = {1: "▲", -1: "▼"}
    return "  ".join(f"{t(f'kpi.short.{k}')} {arrows[v]}" for k, v in card.effects.items())


def cost_text(t, card) -> str:
    cost = t("card.cost", k=f"{card.cost_eur / 1000:.0f}") if card.cost_eur else t("card.free")
    if card.cost_eur < 0:
        cost = t("card.gain", k=f"{-card.cost_eur / 1000:.0f}")
    if card.delay_weeks:
        cost += " · " + t("card.delay", weeks=card.delay_weeks)
    return cost


def _panel(surface, rect) -> None:
    pygame.draw.rect(surface, PANEL, rect, border_radius=8)
    pygame.draw.rect(surface, (200, 196, 186), rect, 1, border_radius=8)


def draw_cards(surface, ctx, panel, session, card_rects, selected, page) -> None:
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
        inner = rect.inflate(-10, -6)
        lines = wrap(t(card.title), bold, inner.width)[:2]
        y = inner.top
        for line in lines:
            surface.blit(bold.render(line, True, INK if reason is None else MUTED),
                         (inner.left, y))
            y += bold.get_linesize()
        status = ("✓ " + t("card.played")) if played else cost_text(t, card)
        draw_text(surface, status, small, PLAYED if played else MUTED, inner.bottomleft,
                  "bottomleft")


def draw_detail(surface, ctx, rect, session, selected, notice) -> None:
    t = ctx.t
    _panel(surface, rect)
    inner = rect.inflate(-16, -12)
    small, bold = ctx.font("small"), ctx.font("body", True)
    if selected is None:
        draw_wrapped(surface, t("play.pick_card"), ctx.font("body"), MUTED, inner)
        if notice:
            draw_text(surface, notice, small, PLAYED, inner.bottomleft, "bottomleft")
        return
    card = BY_ID[selected]
    y = draw_text(surface, t(card.title), bold, INK, inner.topleft).bottom
    y = draw_text(surface, cost_text(t, card), small, MUTED, (inner.left, y)).bottom + 4
    y = draw_wrapped(surface, t(card.explain), small, INK,
                     pygame.Rect(inner.left, y, inner.width, inner.bottom - y))
    y = draw_wrapped(surface, "⚖ " + t(card.tradeoff), small, BAD,
                     pygame.Rect(inner.left, y + 2, inner.width, inner.bottom - y))
    draw_text(surface, effects_text(t, card), small, INK, (inner.left, y + 4))
    reason = session.can_play(selected)
    msg = notice or (t(reason) if reason else "")
    if msg:
        draw_text(surface, msg, small, PLAYED if notice else BAD,
                  inner.bottomleft, "bottomleft")


def draw_running(surface, ctx, panel, session) -> None:
    t = ctx.t
    _panel(surface, panel)
    inner = panel.inflate(-20, -16)
    y = draw_text(surface, t("play.running_head", week=max(0, session.weeks_into_turn())),
                  ctx.font("body", True), INK, inner.topleft).bottom + 6
    team = session.team
    played = [t(BY_ID[c].title) for c in team.cards[session.round]]
    text = t("play.played_list", cards=", ".join(played) if played else t("play.none"))
    y = draw_wrapped(surface, text, ctx.font("small"), MUTED,
                     pygame.Rect(inner.left, y, inner.width, inner.height)) + 8
    draw_text(surface, t("play.so_far"), ctx.font("body", True), INK, (inner.left, y))
    y += ctx.font("body").get_linesize() + 4
    for line in highlights(t, session.round_events()):
        y = draw_wrapped(surface, "• " + line, ctx.font("small"), INK,
                         pygame.Rect(inner.left, y, inner.width, inner.bottom - y)) + 4
    key = t("play.map_key") + " " + t("play.click_house")
    small = ctx.font("small")
    height = 5 * small.get_linesize()
    draw_wrapped(surface, key, small, MUTED,
                 pygame.Rect(inner.left, inner.bottom - height, inner.width, height))


def draw_timeline(surface, ctx, panel, title, facts, lines) -> None:
    _panel(surface, panel)
    inner = panel.inflate(-20, -16)
    y = draw_text(surface, title, ctx.font("title", True), INK, inner.topleft).bottom
    y = draw_text(surface, facts, ctx.font("small"), MUTED, (inner.left, y)).bottom + 6
    small = ctx.font("small")
    bottom = inner.bottom - int(ctx.size[1] * 0.07)
    # newest at the bottom; drop the oldest when the panel is full
    blocks = [wrap(line, small, inner.width) for line in lines]
    step = small.get_linesize()
    while blocks and sum(len(b) for b in blocks) * step > bottom - y:
        blocks.pop(0)
    for block in blocks:
        for line in block:
            surface.blit(small.render(line, True, INK), (inner.left, y))
            y += step


def draw_kpis(surface, ctx, rect, session) -> None:
    t = ctx.t
    pygame.draw.rect(surface, (236, 233, 225), rect)
    n = len(INDICATORS)
    tile_w = rect.width // n
    history = session.team.history
    small, bold = ctx.font("small"), ctx.font("small", True)
    big = ctx.font("title", True)
    marks = list(range(ROUND_WEEKS, len(history), ROUND_WEEKS))
    for i, ind in enumerate(INDICATORS):
        tile = pygame.Rect(rect.left + i * tile_w + 6, rect.top + 6, tile_w - 12,
                           rect.height - 12)
        _panel(surface, tile)
        inner = tile.inflate(-12, -8)
        draw_text(surface, t(f"kpi.short.{ind.key}"), bold, INK, inner.topleft)
        value = history[-1][ind.key] if history else None
        ok = meets(ind, value)
        colour = INK if ok is None else (GOOD if ok else BAD)
        y = inner.top + bold.get_linesize()
        vr = draw_text(surface, ind.show(value), big, colour, (inner.left, y))
        if ind.target is not None:
            draw_text(surface, t("kpi.target", value=ind.show_target()), small, MUTED,
                      (vr.right + 8, vr.bottom - 4), "bottomleft")
        chart = pygame.Rect(inner.left, vr.bottom + 2, inner.width, inner.bottom - vr.bottom - 2)
        if chart.height > 10:
            charts.lines(surface, chart, [[row[ind.key] for row in history]], [GOOD],
                         ind.target, marks, length=session.rounds * ROUND_WEEKS + 1)


def meets(ind, value) -> bool | None:
    if ind.target is None or value is None or value != value:
        return None
    return value <= ind.target if ind.better < 0 else value >= ind.target


def draw_summary(surface, ctx, rect, summary) -> None:
    t = ctx.t
    shade = pygame.Surface(ctx.size, pygame.SRCALPHA)
    shade.fill((0, 0, 0, 120))
    surface.blit(shade, (0, 0))
    _panel(surface, rect)
    inner = rect.inflate(-40, -32)
    head = t("summary.title", round=summary["round"] + 1, team=summary["team"])
    y = draw_text(surface, head, ctx.font("title", True), INK, inner.topleft).bottom + 8
    body, bold = ctx.font("body"), ctx.font("body", True)
    draw_text(surface, t("summary.changed"), bold, INK, (inner.left, y))
    y += bold.get_linesize() + 2
    col = inner.left + int(inner.width * 0.5)
    for ind in INDICATORS:
        a, b = summary["before"].get(ind.key), summary["after"].get(ind.key)
        draw_text(surface, t(f"kpi.{ind.key}"), body, INK, (inner.left, y))
        arrow, colour = change(ind, a, b)
        draw_text(surface, f"{ind.show(a)}  →  {ind.show(b)}  {arrow}", body, colour, (col, y))
        y += body.get_linesize()
    y += 8
    draw_text(surface, t("summary.mattered"), bold, INK, (inner.left, y))
    y += bold.get_linesize() + 2
    for line in summary["highlights"]:
        y = draw_wrapped(surface, "• " + line, body, INK,
                         pygame.Rect(inner.left, y, inner.width, inner.bottom - y)) + 2
    pred = summary.get("prediction")
    if pred and pred.get("end") is not None:
        ind = BY_KEY[pred["kpi"]]
        went = (pred["end"] or 0) - (pred["start"] or 0)
        right = (went > 0) == (pred["direction"] > 0)
        key = "summary.predict_right" if right else "summary.predict_wrong"
        y += 6
        draw_wrapped(surface, t(key, kpi=t(f"kpi.{ind.key}")), body, GOOD if right else BAD,
                     pygame.Rect(inner.left, y, int(inner.width * 0.68), inner.bottom - y))


def change(ind, a, b) -> tuple[str, tuple[int, int, int]]:
    if a is None or b is None or a != a or b != b or abs(b - a) < 1e-9:
        return "=", MUTED
    up = b > a
    good = up == (ind.better > 0)
    return ("▲" if up else "▼"), (GOOD if good else BAD)
