// The facilitator's console: every team's state, and the buttons that steer the session -
// lock, pause, reveal, start the round for all, undo a round, an event for all or one team.
// The console joins with the token in the link's #fragment (never sent in a request line).
"use strict";

(() => {
  const S = Samenspel;
  const $ = (id) => document.getElementById(id);
  const token = new URLSearchParams(location.hash.slice(1)).get("token")
    || location.hash.slice(1);
  let catalogue = null;
  let state = null;
  let progress = null;
  let connection = null;

  function kpi(key) { return catalogue.kpis.find((k) => k.key === key); }

  function render() {
    $("no-token").classList.toggle("hidden", !!state);
    $("console").classList.toggle("hidden", !state);
    if (!state || !catalogue) return;
    const flags = state.flags;
    const busy = !!flags.busy;
    const first = state.teams[0].view;
    $("round").textContent = first.phase === "finished" ? S.t("web.finished")
      : S.t("web.round", { round: first.round + 1, rounds: first.rounds });
    const banners = [];
    if (flags.busy === "start_round") {
      const pct = Math.round(100 * (progress ?? flags.progress));
      banners.push(S.el("div", { class: "banner info" }, S.t("web.running", { percent: `${pct}%` }),
        S.el("div", { class: "progress" }, S.el("div", { style: { width: `${pct}%` } }))));
    } else if (busy) banners.push(S.el("div", { class: "banner info" }, S.t(`web.busy.${flags.busy}`)));
    if (flags.paused) banners.push(S.el("div", { class: "banner" }, S.t("web.paused")));
    if (flags.locked) banners.push(S.el("div", { class: "banner" }, S.t("web.locked")));
    if (state.save_error) banners.push(S.el("div", { class: "banner" },
      S.t("web.console.save_error", { error: state.save_error })));
    $("banners").replaceChildren(...banners);
    $("lock").textContent = S.t(flags.locked ? "web.console.unlock" : "web.console.lock");
    $("pause").textContent = S.t(flags.paused ? "web.console.resume" : "web.console.pause");
    $("reveal").textContent = S.t(flags.revealed ? "web.console.hide" : "web.console.reveal");
    for (const id of ["start", "lock", "reveal", "undo"]) $(id).disabled = busy;
    $("pause").disabled = busy && flags.busy !== "start_round";  // a running round can pause
    renderInject();
    renderBranch();
    renderTeams();
    renderScoreboard();
  }

  function renderInject() {
    const cards = $("inject-card");
    const teams = $("inject-team");
    const keep = [cards.value, teams.value];
    cards.replaceChildren(...catalogue.events.map((e) => S.el("option", { value: e.id },
      S.t(`card.${e.id}.title`))));
    teams.replaceChildren(S.el("option", { value: "" }, S.t("web.console.all")),
      ...state.teams.map((team) => S.el("option", { value: String(team.index) }, team.name)));
    if (keep[0]) cards.value = keep[0];
    teams.value = keep[1];
  }

  // A branch starts from the start of a round the team has reached (its own round or earlier).
  function renderBranch() {
    const teams = $("branch-team");
    const rounds = $("branch-round");
    const keep = [teams.value, rounds.value];
    teams.replaceChildren(...state.teams.map((team) => S.el("option",
      { value: String(team.index) }, team.name)));
    if (keep[0] && Number(keep[0]) < state.teams.length) teams.value = keep[0];
    const reached = state.teams[Number(teams.value) || 0].view.round;
    rounds.replaceChildren(...Array.from({ length: reached + 1 }, (_, r) => S.el("option",
      { value: String(r) }, String(r + 1))));
    if (keep[1] && Number(keep[1]) <= reached) rounds.value = keep[1];
    $("branch-form").querySelector("button").disabled = !!state.flags.busy;
  }

  function renderTeams() {
    const head = S.el("tr", {}, ...["team", "code", "online", "phase", "ready", "budget",
      "cards", "prediction"].map((k) => S.el("th", {}, S.t(`web.console.${k}`))),
    ...catalogue.kpis.map((k) => S.el("th", {}, S.t(`kpi.short.${k.key}`))));
    const rows = state.teams.map((team) => {
      const v = team.view;
      const p = v.prediction;
      return S.el("tr", { "data-team": team.index },
        S.el("td", {}, team.name),
        S.el("td", { class: "code" }, team.code),
        S.el("td", { class: team.connected ? "yes" : "no" },
          team.connected ? S.t("web.yes") : S.t("web.no")),
        S.el("td", {}, `${v.round + 1} · ${S.t(`web.phase.${v.phase}`)}`),
        S.el("td", { class: v.ready ? "yes" : "no" }, v.ready ? S.t("web.yes") : S.t("web.no")),
        S.el("td", {}, S.euro(v.budget_left)),
        S.el("td", {}, [...v.cards, ...v.events].map((id) => S.t(`card.${id}.title`)).join(", ")),
        S.el("td", {}, p ? `${S.t(`kpi.short.${p.kpi}`)} ${S.shown(p.value, kpi(p.kpi).fmt)}` : ""),
        ...catalogue.kpis.map((k) => S.el("td", {}, S.shown((v.kpis || {})[k.key], k.fmt))));
    });
    $("teams").replaceChildren(S.el("thead", {}, head), S.el("tbody", {}, rows));
  }

  // Every team against the targets and against the base run ("no new decisions").
  function renderScoreboard() {
    const board = state.scoreboard;
    const rows = board.teams || [];
    const head = S.el("tr", {}, S.el("th", {}, S.t("web.console.team")),
      S.el("th", {}, S.t("web.console.points")),
      ...board.kpis.map((key) => S.el("th", {}, S.t(`kpi.short.${key}`),
        board.targets[key] !== null ? S.el("div", { class: "muted" },
          S.t("web.kpi.target", { value: S.shown(board.targets[key], kpi(key).fmt) })) : null)));
    $("scoreboard").replaceChildren(S.el("thead", {}, head), S.el("tbody", {},
      rows.map((row) => S.el("tr", {}, S.el("td", {}, row.name), S.el("td", {}, String(row.points)),
        ...board.kpis.map((key) => cell(row, key))))));
  }

  function cell(row, key) {
    if (!row.kpis) return S.el("td", {}, "–");
    const fmt = kpi(key).fmt;
    const better = row.better[key];
    const mark = better > 0 ? "▲" : better < 0 ? "▼" : "=";
    return S.el("td", {}, S.el("span", { class: "big" }, S.shown(row.kpis[key], fmt)),
      row.meets[key] ? S.el("span", { class: "yes", title: S.t("web.console.meets") }, " ✓") : null,
      S.el("div", { class: `small ${better > 0 ? "yes" : better < 0 ? "why" : "muted"}` },
        `${mark} ${S.t("web.kpi.base", { value: S.shown(row.base[key], fmt) })}`));
  }

  function onMessage(message) {
    if (message.type === "joined" && message.role === "team") {  // a team's code: its page
      connection.stop();
      location.href = `/#code=${encodeURIComponent(token)}`;
    } else if (message.type === "catalogue") catalogue = message;
    else if (message.type === "state") { state = message; progress = null; render(); }
    else if (message.type === "progress") {
      progress = message.progress;
      if (state) { state.flags = { ...state.flags, busy: message.busy }; render(); }
    } else if (message.type === "refused") S.toast(S.explain(message));
    else if (message.type === "error") {
      if (message.key === "web.error.code") {
        connection.stop();
        $("token-error").textContent = S.explain(message);
      }
      S.toast(S.explain(message));
    }
  }

  async function start() {
    await S.loadLanguage(S.lang);
    S.languageButton(render);
    S.status("idle");
    render();
    const send = (message) => connection && connection.send(message);
    $("start").addEventListener("click", () => send({ type: "start_round" }));
    $("lock").addEventListener("click", () => send({ type: state.flags.locked ? "unlock" : "lock" }));
    $("pause").addEventListener("click", () => send({ type: state.flags.paused ? "resume" : "pause" }));
    $("reveal").addEventListener("click", () => send({ type: "reveal", on: !state.flags.revealed }));
    $("undo").addEventListener("click", () => {
      if (window.confirm(S.t("web.console.undo.confirm"))) send({ type: "undo_round" });
    });
    $("inject-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const team = $("inject-team").value;
      send({ type: "inject", card: $("inject-card").value, team: team === "" ? null : Number(team) });
    });
    $("branch-team").addEventListener("change", () => state && renderBranch());
    $("branch-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const name = $("branch-name").value.trim();
      send({ type: "branch", team: Number($("branch-team").value),
        round: Number($("branch-round").value), name: name || null });
      $("branch-name").value = "";
    });
    if (token) {
      connection = new S.Connection(() => token, onMessage, S.status);
      connection.open();
    }
  }

  start();
})();
