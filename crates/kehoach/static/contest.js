// The attempt page: answers are kept in the browser and autosaved to the
// server, the countdown follows the server's clock, and submitting retries
// with backoff when the server is busy or the connection drops, so a
// participant never loses their answers. Without this script the page is a
// plain form that still works.
(function () {
  "use strict";
  var form = document.getElementById("attempt");
  if (!form) return;
  var token = form.getAttribute("data-token");
  var key = "kehoach-attempt-" + token;
  var statusEl = form.querySelector(".status");
  var button = form.querySelector("button");
  var timer = document.querySelector(".timer");
  var deadline = Number(timer.getAttribute("data-deadline"));
  var skew = Number(timer.getAttribute("data-now")) - Date.now();
  var msg = function (name) { return form.getAttribute("data-msg-" + name) || ""; };
  var submitting = false;

  function answers() {
    var out = [];
    form.querySelectorAll("input[type=radio]:checked").forEach(function (r) {
      out.push(r.name.slice(1) + ":" + r.value);
    });
    return out.join(",");
  }

  function prediction() {
    var p = form.querySelector("input[name=prediction]");
    return p ? p.value : "";
  }

  function body() {
    var b = new URLSearchParams();
    b.set("token", token);
    b.set("answers", answers());
    b.set("prediction", prediction());
    var hp = form.querySelector("input[name=website]");
    b.set("website", hp ? hp.value : "");
    return b;
  }

  function keepLocally() {
    try {
      localStorage.setItem(key, JSON.stringify({ answers: answers(), prediction: prediction() }));
    } catch (e) { /* private mode: the server copy remains */ }
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved) return;
    (saved.answers || "").split(",").forEach(function (pair) {
      var parts = pair.split(":");
      var input = form.querySelector("input[name=q" + parts[0] + "][value='" + parts[1] + "']");
      if (input) input.checked = true;
    });
    var p = form.querySelector("input[name=prediction]");
    if (p && saved.prediction) p.value = saved.prediction;
  }

  var saveTimer = null;
  function saveSoon() {
    keepLocally();
    clearTimeout(saveTimer);
    saveTimer = setTimeout(function () {
      fetch("/thi/bai/luu", {
        method: "POST",
        headers: { "Accept": "application/json" },
        body: body()
      }).catch(function () { /* kept locally; saved with the next change */ });
    }, 1500);
  }

  function say(text) { statusEl.textContent = text; }

  var total = form.querySelectorAll("fieldset.question").length;
  var countEl = form.querySelector(".answered");
  function unanswered() {
    return total - form.querySelectorAll("fieldset.question input[type=radio]:checked").length;
  }
  function count() {
    if (countEl) countEl.textContent = msg("answered").replace("%a", String(total - unanswered())).replace("%t", String(total));
  }

  function retry(attempt, afterSeconds) {
    var delay = afterSeconds ? afterSeconds * 1000 : Math.min(30000, 1000 * Math.pow(2, attempt));
    delay += Math.floor(Math.random() * 500);
    say(msg("busy").replace("%s", String(Math.ceil(delay / 1000))));
    setTimeout(function () { send(attempt + 1); }, delay);
  }

  function send(attempt) {
    fetch("/thi/bai/nop", {
      method: "POST",
      headers: { "Accept": "application/json" },
      body: body()
    }).then(function (res) {
      if (res.ok || res.status === 409) {
        try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
        window.location.reload();
        return;
      }
      if (res.status === 503 || res.status === 429 || res.status >= 500) {
        retry(attempt, Number(res.headers.get("Retry-After")) || 0);
        return;
      }
      res.json().then(function (j) { say(j.message || msg("failed")); }, function () { say(msg("failed")); });
      submitting = false;
      button.disabled = false;
    }, function () {
      retry(attempt, 0);
    });
  }

  function submit() {
    if (submitting) return;
    submitting = true;
    button.disabled = true;
    keepLocally();
    say(msg("sending"));
    send(0);
  }

  function tick() {
    var left = Math.max(0, deadline - (Date.now() + skew));
    var m = Math.floor(left / 60000);
    var s = Math.floor((left % 60000) / 1000);
    timer.textContent = msg("left") + " " + m + ":" + (s < 10 ? "0" : "") + s;
    if (left === 0) submit();
    else setTimeout(tick, 1000);
  }

  restore();
  count();
  form.addEventListener("change", function () { count(); saveSoon(); });
  form.addEventListener("input", function (e) { if (e.target.name === "prediction") saveSoon(); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var left = unanswered();
    // Asked only when the participant hands in; time running out hands in as is.
    if (left > 0 && !window.confirm(msg("unanswered").replace("%n", String(left)))) return;
    submit();
  });
  tick();
})();
