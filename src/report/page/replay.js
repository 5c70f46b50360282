// The interactive replay of a Handprint report: the journal's own events (embedded as JSON
// in #hp-replay-data) replayed in the browser the way src/replay does in Rust — at each edit,
// delete `d` at char position `p` and insert `i`, every char keeping the origin of the edit
// that inserted it. Positions count Unicode scalar values (Array.from), as Rust's chars do.
// Seeking clones the nearest keyframe (one every 1024 events, as in Rust) and applies at
// most that many events, so a 100,000-event session scrubs without replaying from the start.
(function () {
  "use strict";
  var node = document.getElementById("hp-replay-data");
  if (!node) return;
  var data = JSON.parse(node.textContent);
  var ev = data.events, N = ev.length, PAUSE = data.pause_us, K = 1024;
  var ORIGIN = { typed: 0, ime: 0, input_method: 0, paste_ext: 1, paste_int: 2 };
  var CLASSES = ["o-typed", "o-pasted", "o-moved", "o-other"];
  // Text of the saves flagged `unexplained_insertion` is also marked (origin + 4).
  var FLAGGED = {};
  (data.flagged_saves || []).forEach(function (s) { FLAGGED[s] = true; });

  function origin(c) { var o = ORIGIN[c || "typed"]; return o === undefined ? 3 : o; }
  function className(o) { return o < 4 ? CLASSES[o] : CLASSES[o - 4] + " o-flagged"; }
  function splice(arr, at, del, items) {
    // Large pastes: avoid spreading 100,000 arguments into splice.
    if (items.length > 8192) return arr.slice(0, at).concat(items, arr.slice(at + del));
    Array.prototype.splice.apply(arr, [at, del].concat(items));
    return arr;
  }
  function apply(st, e) {
    if (e.e === "ed") {
      var ins = Array.from(e.i || ""), del = Array.from(e.d || "").length;
      var o = origin(e.c) + (FLAGGED[e.s] ? 4 : 0);
      st.ch = splice(st.ch, e.p, del, ins);
      st.or = splice(st.or, e.p, del, ins.map(function () { return o; }));
    }
    st.applied += 1;
  }
  function copy(st) { return { ch: st.ch.slice(), or: st.or.slice(), applied: st.applied }; }

  var t0 = performance.now();
  var keyframes = [], cur = { ch: [], or: [], applied: 0 };
  for (var i = 0; i < N; i++) {
    if (i % K === 0) keyframes.push(copy(cur));
    apply(cur, ev[i]);
  }
  var last = copy(cur);
  var buildMs = performance.now() - t0;

  // The state after the first n events.
  // Playing forward continues from the current state (`fresh` false) instead of a keyframe.
  function stateAt(n, fresh) {
    n = Math.max(0, Math.min(N, n));
    if (n === N) return copy(last);
    var s;
    if (!fresh && cur.applied <= n && n - cur.applied < K) s = cur;
    else s = copy(keyframes[Math.min(Math.floor(n / K), keyframes.length - 1)]);
    if (s.applied > n) s = copy(keyframes[Math.floor(n / K)]);
    while (s.applied < n) apply(s, ev[s.applied]);
    return s;
  }
  function timeOf(n) { return n === 0 ? 0 : ev[n - 1].t; }
  // Events at or before session time t (binary search; times never decrease).
  function appliedAt(t) {
    var lo = 0, hi = N;
    while (lo < hi) { var m = (lo + hi) >> 1; if (ev[m].t <= t) lo = m + 1; else hi = m; }
    return lo;
  }

  var $ = function (id) { return document.getElementById(id); };
  var textEl = $("hp-text"), scrub = $("hp-scrub"), pos = $("hp-pos"), playBtn = $("hp-play");
  var speedSel = $("hp-speed"), skipBox = $("hp-skip"), nowEl = $("hp-now");
  var player = { t: 0, playing: false, last: 0 };

  function fmt(us) {
    var s = Math.floor(us / 1e6), m = Math.floor(s / 60);
    return m + ":" + String(s % 60).padStart(2, "0");
  }
  function render(st) {
    var frag = document.createDocumentFragment(), run = "", o = -1;
    function flush() {
      if (run) { var span = document.createElement("span"); span.className = className(o); span.textContent = run; frag.appendChild(span); }
      run = "";
    }
    for (var j = 0; j < st.ch.length; j++) {
      if (st.or[j] !== o) { flush(); o = st.or[j]; }
      run += st.ch[j];
    }
    flush();
    textEl.replaceChildren(frag);
  }
  function describe(n) {
    var m = markerAt[n - 1], f = flagAt[n - 1], parts = [];
    if (f) parts.push("⚑ " + f.title + " (" + f.severity + "): " + f.reason);
    if (m) parts.push("● " + m);
    nowEl.textContent = parts.join("  ");
  }
  function show(n, t) {
    cur = stateAt(n);
    player.t = t === undefined ? timeOf(cur.applied) : t;
    render(cur);
    scrub.value = String(cur.applied);
    pos.textContent = "event " + cur.applied + " / " + N + " · " + fmt(player.t) + " / " + fmt(N ? ev[N - 1].t : 0) + " · " + cur.ch.length + " chars";
    describe(cur.applied);
  }
  function seek(n) { stop(); show(n); }

  // Markers on the scrubber, at their event's place.
  var marks = $("hp-marks"), markerAt = {}, flagAt = {}, flagSeqs = [];
  data.markers.forEach(function (m) {
    markerAt[m.s] = markerAt[m.s] ? markerAt[m.s] + ", " + m.label : m.label;
    var tick = document.createElement("i");
    tick.className = "mk mk-" + m.kind;
    tick.style.left = (N ? (m.s + 1) / N * 100 : 0) + "%";
    tick.title = m.label + " (event " + m.s + ")";
    tick.addEventListener("click", function () { seek(m.s + 1); });
    marks.appendChild(tick);
  });
  data.flags.forEach(function (f) {
    f.events.forEach(function (s) {
      if (!flagAt[s]) { flagAt[s] = f; flagSeqs.push(s); }
      var tick = document.createElement("i");
      tick.className = "mk mk-flag";
      tick.style.left = (N ? (s + 1) / N * 100 : 0) + "%";
      tick.title = "flag: " + f.title + " (event " + s + ")";
      tick.addEventListener("click", function () { seek(s + 1); });
      marks.appendChild(tick);
    });
  });
  flagSeqs.sort(function (a, b) { return a - b; });

  function nextFlag(forward) {
    var at = cur.applied, target = null;
    for (var j = 0; j < flagSeqs.length; j++) {
      var n = flagSeqs[j] + 1;
      if (forward && n > at) { target = n; break; }
      if (!forward && n < at) target = n;
    }
    if (target !== null) seek(target);
  }
  function stop() { player.playing = false; playBtn.textContent = "▶ Play"; }
  function frame(now) {
    if (!player.playing) return;
    var dt = Math.max(0, now - player.last) / 1000;
    player.last = now;
    var end = N ? ev[N - 1].t : 0;
    var t = player.t + dt * 1e6 * Number(speedSel.value);
    var next = ev[cur.applied];
    if (skipBox.checked && next && next.t - player.t >= PAUSE) t = Math.max(t, next.t);
    if (t >= end) { t = end; }
    show(appliedAt(t), t);
    if (t >= end) { stop(); return; }
    requestAnimationFrame(frame);
  }
  function play() {
    if (player.playing) { stop(); return; }
    if (cur.applied >= N) show(0);
    player.playing = true; player.last = performance.now(); playBtn.textContent = "⏸ Pause";
    requestAnimationFrame(frame);
  }

  scrub.max = String(N);
  scrub.addEventListener("input", function () { stop(); show(Number(scrub.value)); });
  playBtn.addEventListener("click", play);
  $("hp-back").addEventListener("click", function () { seek(cur.applied - 1); });
  $("hp-fwd").addEventListener("click", function () { seek(cur.applied + 1); });
  $("hp-prev-flag").addEventListener("click", function () { nextFlag(false); });
  $("hp-next-flag").addEventListener("click", function () { nextFlag(true); });
  $("hp-prev-flag").disabled = $("hp-next-flag").disabled = flagSeqs.length === 0;
  show(N);

  // For tests and measurements: the text after n events, and how long the load took.
  window.handprintReplay = {
    textAt: function (n) { return stateAt(n, true).ch.join(""); },
    seek: seek,
    applied: function () { return cur.applied; },
    playing: function () { return player.playing; },
    buildMs: buildMs,
    events: N
  };
})();
