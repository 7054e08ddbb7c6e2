// Samenspel in the browser: what the team page and the facilitator's console share.
// Translations come from the game's own files (/i18n/<lang>.json); every text from the
// server is put on the page as text, never as HTML. The socket reconnects by itself and
// joins again with the code it has, so a reload or a dropped network finds the same state.
"use strict";

const Samenspel = (() => {
  const LANGS = ["nl", "en"];
  let lang = LANGS.includes(localStorage.getItem("samenspel.lang"))
    ? localStorage.getItem("samenspel.lang") : "nl";
  let dict = {};

  async function loadLanguage(next) {
    const response = await fetch(`/i18n/${next}.json`);
    dict = await response.json();
    lang = next;
    localStorage.setItem("samenspel.lang", lang);
    document.documentElement.lang = lang;
    for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
    for (const node of document.querySelectorAll("[data-t-placeholder]")) {
      node.placeholder = t(node.dataset.tPlaceholder);
    }
  }

  function locale() { return lang === "nl" ? "nl-NL" : "en-GB"; }

  function t(key, fields = {}) {
    let text = dict[key];
    if (text === undefined) return `[${key}]`;
    if (typeof text === "object") {
      const form = new Intl.PluralRules(locale()).select(Number(fields.n ?? 0));
      text = text[form] ?? text.other;
    }
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in fields
      ? (typeof fields[name] === "number" ? number(fields[name], Number.isInteger(fields[name]) ? 0 : 1)
        : String(fields[name]))
      : whole));
  }

  function number(value, decimals = 0) {
    if (value === null || value === undefined || !Number.isFinite(value)) return "–";
    return new Intl.NumberFormat(locale(), { minimumFractionDigits: decimals,
      maximumFractionDigits: decimals }).format(value);
  }

  function euro(value) {
    if (value === null || value === undefined || !Number.isFinite(value)) return "–";
    return new Intl.NumberFormat(locale(), { style: "currency", currency: "EUR",
      maximumFractionDigits: 0 }).format(value);
  }

  // A KPI value as the game shows it (game.fmt.Formatter.shown).
  function shown(value, kind) {
    if (value === null || value === undefined || !Number.isFinite(value)) return "–";
    if (kind === "weeks" || kind === "rating") return number(value, 1);
    if (kind === "share") return new Intl.NumberFormat(locale(), { style: "percent" }).format(value);
    if (kind === "euro") return new Intl.NumberFormat(locale(), { style: "currency",
      currency: "EUR", notation: "compact", maximumFractionDigits: 1 }).format(value);
    return number(value);
  }

  // el("p", {class: "x", onclick: f}, "text", child): nodes built, text never parsed as HTML.
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "style") Object.assign(node.style, value);  // CSSOM: allowed by the CSP
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function toast(text, ok = false) {
    const box = document.getElementById("toasts");
    const item = el("div", { class: ok ? "toast ok" : "toast", role: "alert" }, text);
    box.append(item);
    setTimeout(() => item.remove(), ok ? 2500 : 7000);
  }

  // An error or a refusal from the server, in the page's language.
  function explain(message) {
    if (message.type === "refused") return t(message.key);
    return t(message.key, { field: message.field, value: message.value,
      allowed: message.allowed });
  }

  // A small line chart as SVG: a value at the start of every round and now, in the KPI's
  // fixed range (widened when a value leaves it), the target dashed.
  function chart(points, range, target, kind) {
    const ns = "http://www.w3.org/2000/svg";
    const W = 260; const H = 90; const L = 52; const B = 14;
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    const add = (tag, attrs, text) => {
      const node = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      if (text !== undefined) node.textContent = text;
      svg.append(node);
      return node;
    };
    const good = points.filter((p) => Number.isFinite(p[1]));
    let [lo, hi] = range;
    for (const [, v] of good) { if (v > hi) hi = v; if (v < lo) lo = v; }
    if (hi <= lo) hi = lo + 1;
    const x0 = good.length ? good[0][0] : 0;
    const x1 = good.length > 1 ? good[good.length - 1][0] : x0 + 1;
    const X = (w) => L + ((w - x0) / (x1 - x0 || 1)) * (W - L - 4);
    const Y = (v) => 4 + (1 - (v - lo) / (hi - lo)) * (H - B - 8);
    add("line", { class: "axis", x1: L, y1: Y(lo), x2: W - 4, y2: Y(lo) });
    add("text", { x: L - 3, y: Y(hi) + 8, "text-anchor": "end" }, shown(hi, kind));
    add("text", { x: L - 3, y: Y(lo), "text-anchor": "end" }, shown(lo, kind));
    add("text", { x: L, y: H - 2 }, t("web.chart.start"));
    add("text", { x: W - 4, y: H - 2, "text-anchor": "end" }, t("web.chart.now"));
    if (target !== null && target !== undefined && target >= lo && target <= hi) {
      add("line", { class: "target", x1: L, y1: Y(target), x2: W - 4, y2: Y(target) });
    }
    if (good.length) {
      add("polyline", { class: "line",
        points: good.map(([w, v]) => `${X(w).toFixed(1)},${Y(v).toFixed(1)}`).join(" ") });
      for (const [w, v] of good) add("circle", { class: "dot", cx: X(w), cy: Y(v), r: 2.5 });
    }
    return svg;
  }

  // The socket: opens, joins with `code()`, reconnects after a drop (0.5 s, then slower).
  class Connection {
    constructor(code, onMessage, onStatus) {
      this.code = code; this.onMessage = onMessage; this.onStatus = onStatus;
      this.delay = 500; this.socket = null; this.stopped = false;
    }

    open() {
      this.stopped = false;
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      const socket = new WebSocket(`${scheme}://${location.host}/ws`);
      this.socket = socket;
      this.onStatus("connecting");
      socket.onopen = () => {
        this.delay = 500;
        this.onStatus("online");
        socket.send(JSON.stringify({ type: "join", code: this.code() }));
      };
      socket.onmessage = (event) => {
        let message;
        try { message = JSON.parse(event.data); } catch (_) { return; }
        this.onMessage(message);
      };
      socket.onclose = () => {
        if (this.socket !== socket) return;
        this.onStatus(this.stopped ? "idle" : "offline");
        if (this.stopped) return;
        setTimeout(() => this.open(), this.delay);
        this.delay = Math.min(this.delay * 2, 5000);
      };
    }

    send(message) {
      if (this.socket && this.socket.readyState === WebSocket.OPEN) {
        this.socket.send(JSON.stringify(message));
        return true;
      }
      toast(t("web.status.offline"));
      return false;
    }

    stop() {
      this.stopped = true;
      if (this.socket) this.socket.close();
    }
  }

  function languageButton(onChange) {
    const button = document.getElementById("lang");
    button.addEventListener("click", async () => {
      await loadLanguage(lang === "nl" ? "en" : "nl");
      status(document.getElementById("status").dataset.state);
      onChange();
    });
  }

  function status(state) {
    const node = document.getElementById("status");
    node.textContent = t(`web.status.${state}`);
    node.className = state === "offline" ? "status offline" : "status";
    node.dataset.state = state;
  }

  return { loadLanguage, t, number, euro, shown, el, toast, explain, chart, Connection,
    languageButton, status, get lang() { return lang; } };
})();
