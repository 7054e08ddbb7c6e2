// The team page: join by code, then plan the round - cards, a prediction, "ready" - and see
// the results when the facilitator reveals them. The code stays in this browser
// (localStorage), so a reload or a dropped connection joins again by itself.
"use strict";

(() => {
  const S = Samenspel;
  const $ = (id) => document.getElementById(id);
  const stored = () => localStorage.getItem("samenspel.code") || "";
  let catalogue = null;
  let state = null;
  let progress = null;
  let connection = null;

  function code() {
    return stored();
  }

  function cardInfo(id) {
    return (catalogue && catalogue.cards.find((c) => c.id === id)) || { id, cost_eur: 0,
      delay_weeks: 0 };
  }

  function kpiInfo(key) {
    return catalogue.kpis.find((k) => k.key === key);
  }

  // -- rendering ---------------------------------------------------------------------------

  function render() {
    const joined = state !== null;
    $("join").classList.toggle("hidden", joined || !!stored());
    $("game").classList.toggle("hidden", !joined);
    $("leave").classList.toggle("hidden", !stored());
    if (!joined || !catalogue) return;
    const view = state.view;
    const flags = state.flags;
    $("team-name").textContent = state.name;
    document.title = `Samenspel · ${state.name}`;
    // the code, as the facilitator shows it: to join from another laptop too
    const typed = stored().toUpperCase().replace(/[\s-]/g, "");
    $("my-code").textContent = `${typed.slice(0, 3)}-${typed.slice(3)}`;
    $("round").textContent = view.phase === "finished" ? S.t("web.finished")
      : S.t("web.round", { round: view.round + 1, rounds: view.rounds });
    renderBanners(view, flags);
    $("budget").textContent = S.euro(view.budget_left);
    const ready = $("ready");
    ready.textContent = S.t(view.ready ? "web.ready.undo" : "web.ready.button");
    ready.className = view.ready ? "quiet" : "";
    ready.disabled = !!flags.busy || view.phase === "finished";
    $("points").textContent = S.t("web.points", { n: view.points });
    renderPlayed(view);
    renderPrediction(view);
    renderCards(view, flags);
    renderKpis(view, flags);
  }

  function renderBanners(view, flags) {
    const banners = [];
    if (flags.busy === "start_round") {
      banners.push(S.el("div", { class: "banner info" },
        S.t("web.running", { percent: `${Math.round(100 * (progress ?? flags.progress))}%` }),
        S.el("div", { class: "progress" }, S.el("div", {
          style: { width: `${Math.round(100 * (progress ?? flags.progress))}%` } }))));
    } else if (flags.busy) banners.push(S.el("div", { class: "banner info" }, S.t(`web.busy.${flags.busy}`)));
    if (flags.paused) banners.push(S.el("div", { class: "banner" }, S.t("web.paused")));
    if (flags.locked) banners.push(S.el("div", { class: "banner" }, S.t("web.locked")));
    if (view.ready && !flags.busy) banners.push(S.el("div", { class: "banner info" },
      S.t("web.ready.on")));
    $("banners").replaceChildren(...banners);
  }

  function renderPlayed(view) {
    const items = view.cards.map((id) => S.el("li", {}, S.t(`card.${id}.title`),
      S.el("span", { class: "muted" }, ` – ${S.euro(cardInfo(id).cost_eur)}`)));
    const events = view.events.map((id) => S.el("li", {}, S.t(`card.${id}.title`)));
    $("played").replaceChildren(
      items.length ? S.el("ul", { id: "played-list" }, items)
        : S.el("p", { class: "muted" }, S.t("web.played.none")),
      S.el("div", {}, events.length ? [S.el("h3", {}, S.t("web.events")),
        S.el("ul", {}, events)] : []));
  }

  function renderPrediction(view) {
    const select = $("predict-kpi");
    if (!select.options.length || select.dataset.lang !== S.lang) {
      const chosen = select.value;
      select.replaceChildren(...catalogue.kpis.map((k) => S.el("option", { value: k.key },
        S.t(`kpi.${k.key}`))));
      if (chosen) select.value = chosen;
      select.dataset.lang = S.lang;
    }
    const info = kpiInfo(select.value);
    const kind = info.fmt;
    $("predict-unit").textContent = kind === "share" ? S.t("web.predict.percent")
      : S.t(`kpi.unit.${select.value}`);
    // what the KPI can be (the server checks the same): the browser says so before sending
    const input = $("predict-value");
    const range = info.bounded && info.axis ? info.axis : [0, null];
    const scale = kind === "share" ? 100 : 1;
    input.min = String(range[0] * scale);
    if (range[1] === null) input.removeAttribute("max"); else input.max = String(range[1] * scale);
    const p = view.prediction;
    $("prediction").textContent = p ? S.t("web.predict.current", { kpi: S.t(`kpi.${p.kpi}`),
      value: S.shown(p.value, kpiInfo(p.kpi).fmt) }) : "";
    // earlier rounds' predictions, scored (older saves hold a direction: not shown)
    const settled = view.predictions.filter((q) => "end" in q && "value" in q);
    $("settled").replaceChildren(...settled.map((q) => S.el("li", {}, S.t("web.predict.settled", {
      round: q.round + 1, kpi: S.t(`kpi.${q.kpi}`), value: S.shown(q.value, kpiInfo(q.kpi).fmt),
      end: S.shown(q.end, kpiInfo(q.kpi).fmt), n: q.points ?? 0 }))));
  }

  function renderCards(view, flags) {
    const nodes = catalogue.cards.map((card) => {
      const why = view.refusals[card.id] ?? null;
      const played = view.cards.includes(card.id);
      const cost = card.cost_eur >= 0 ? S.t("web.card.cost", { amount: S.euro(card.cost_eur) })
        : S.t("web.card.gain", { amount: S.euro(-card.cost_eur) });
      const when = card.delay_weeks ? S.t("web.card.delay", { n: card.delay_weeks })
        : S.t("web.card.now");
      return S.el("article", { class: played ? "card played" : "card", "data-card": card.id },
        S.el("h3", {}, S.t(`card.${card.id}.title`)),
        S.el("div", { class: "meta" }, `${cost} · ${when}`),
        S.el("div", {}, S.t(`card.${card.id}.explain`)),
        S.el("div", { class: "tradeoff" }, S.t(`card.${card.id}.tradeoff`)),
        S.el("div", { class: "grow" }),
        // a lock is said once, in the banner, not on every card
        why && !played && why !== "play.why.locked" ? S.el("div", { class: "why" }, S.t(why)) : null,
        S.el("button", { class: played ? "quiet" : "", disabled: !!why || !!flags.busy,
          onclick: () => connection.send({ type: "play_card", card: card.id }) },
        played && why ? S.t("web.card.played") : S.t("web.card.play")));
    });
    $("cards").replaceChildren(...nodes);
  }

  function renderKpis(view, flags) {
    const shown = flags.revealed && view.kpis && view.rounds_kpis;
    $("kpis-hidden").classList.toggle("hidden", !!shown);
    if (!shown) { $("kpis").replaceChildren(); return; }
    $("kpis").replaceChildren(...catalogue.kpis.map((k) => {
      const points = view.rounds_kpis.map((row, i) => [i, row[k.key]]);
      const value = view.kpis[k.key];
      const base = view.base ? view.base[k.key] : null;
      return S.el("div", { class: "kpi", "data-kpi": k.key },
        S.el("div", { class: "muted" }, S.t(`kpi.${k.key}`)),
        S.el("div", { class: "value" }, S.shown(value, k.fmt)),
        k.target !== null ? S.el("div", { class: "muted" },
          S.t("web.kpi.target", { value: S.shown(k.target, k.fmt) })) : null,
        S.el("div", { class: "muted" }, S.t("web.kpi.base", { value: S.shown(base, k.fmt) })),
        S.chart(points, k.axis || [0, 2 * Math.max(1, ...points.map((p) => p[1] || 0))],
          k.target, k.fmt));
    }));
  }

  // -- messages ----------------------------------------------------------------------------

  function onMessage(message) {
    if (message.type === "joined" && message.role === "facilitator") {
      // the facilitator's token typed here: its page is the console
      const token = stored();
      localStorage.removeItem("samenspel.code");
      connection.stop();
      location.href = `/facilitator#${token}`;
    } else if (message.type === "joined") {
      $("join-error").textContent = "";
    } else if (message.type === "catalogue") {
      catalogue = message;
    } else if (message.type === "state") {
      state = message;
      progress = null;
      render();
    } else if (message.type === "progress") {
      progress = message.progress;
      if (state) { state.flags = { ...state.flags, busy: message.busy }; render(); }
    } else if (message.type === "refused") {
      S.toast(S.explain(message));
    } else if (message.type === "error") {
      if (message.key === "web.error.code") {
        localStorage.removeItem("samenspel.code");
        connection.stop();
        state = null;
        render();
        $("join-error").textContent = S.explain(message);
      } else {
        S.toast(S.explain(message));
      }
    }
  }

  // -- controls ----------------------------------------------------------------------------

  function join(typed) {
    localStorage.setItem("samenspel.code", typed.trim());
    if (connection) connection.stop();
    connection = new S.Connection(code, onMessage, S.status);
    connection.open();
    render();
  }

  async function start() {
    await S.loadLanguage(S.lang);
    S.languageButton(render);
    S.status("idle");
    // a link with the code (…/#code=K7P-M3X) joins that team, also when the page is open
    const fromLink = () => {
      const linked = new URLSearchParams(location.hash.slice(1)).get("code");
      if (linked) history.replaceState(null, "", location.pathname);
      return linked;
    };
    window.addEventListener("hashchange", () => {
      const linked = fromLink();
      if (linked) { state = null; join(linked); }
    });
    const linked = fromLink();
    if (linked) localStorage.setItem("samenspel.code", linked);
    $("join-form").addEventListener("submit", (event) => {
      event.preventDefault();
      join($("code").value);
    });
    $("leave").addEventListener("click", () => {
      localStorage.removeItem("samenspel.code");
      if (connection) connection.stop();
      state = null;
      render();
    });
    $("ready").addEventListener("click", () => {
      connection.send({ type: "ready", on: !state.view.ready });
    });
    $("predict-kpi").addEventListener("change", () => state && renderPrediction(state.view));
    $("predict-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const key = $("predict-kpi").value;
      let value = $("predict-value").valueAsNumber;
      if (kpiInfo(key).fmt === "share") value /= 100;
      if (!Number.isFinite(value)) value = null;  // the server says what is allowed
      connection.send({ type: "predict", kpi: key, value });
    });
    if (stored()) join(stored());
    else render();
  }

  start();
})();
