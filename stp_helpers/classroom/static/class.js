// The class page: polls the lesson's state, shows the revealed stages, sends answers.
// No kernel: everything goes through the workbook server's /stp/class/ handlers.
(function () {
  "use strict";
  var root = document.getElementById("stp-class");
  var api = root.getAttribute("data-api");
  var stagesBox = document.getElementById("stp-stages");
  var wait = document.getElementById("stp-wait");
  var status = document.getElementById("stp-status");
  var KEY = "stp-student-id";
  var POLL_MS = 2000;

  // One browser is one student, across reloads: a random id kept in this browser only.
  function studentId() {
    var id = null;
    try { id = window.localStorage.getItem(KEY); } catch (e) { id = null; }
    if (!id || !/^[0-9a-f]{32}$/.test(id)) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      id = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      try { window.localStorage.setItem(KEY, id); } catch (e) { /* private mode: one id for this visit */ }
    }
    return id;
  }
  var student = studentId();
  var shown = [];   // the stage sections already on the page, by index
  var run = null;

  // The server's _xsrf cookie, sent back with each answer as Jupyter's API requires.
  function xsrf() {
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf("_xsrf=") === 0; })[0];
    return found ? decodeURIComponent(found.slice(6)) : "";
  }

  function text(el, value) { el.textContent = value; return el; }

  function say(el, message, kind) {
    el.className = kind ? "stp-" + kind : "";
    text(el, message);
  }

  function questionBox(index, q) {
    var form = document.createElement("form");
    var set = document.createElement("fieldset");
    text(set.appendChild(document.createElement("legend")), q.prompt);
    q.options.forEach(function (option, i) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "radio"; input.name = "q-" + q.id; input.value = option; input.id = "q-" + q.id + "-" + i;
      label.appendChild(input);
      label.appendChild(document.createTextNode(option));
      set.appendChild(label);
    });
    var button = document.createElement("button");
    button.type = "submit"; text(button, "Send my answer");
    set.appendChild(button);
    var line = document.createElement("p");
    line.setAttribute("aria-live", "polite");
    set.appendChild(line);
    form.appendChild(set);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var picked = form.querySelector("input:checked");
      if (!picked) { say(line, "No answer chosen. Pick one of the options, then send it.", "error"); return; }
      send(q.id, picked.value, line);
    });
    return { form: form, line: line, button: button, id: q.id };
  }

  function send(question, answer, line) {
    fetch(api + "/answer", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-XSRFToken": xsrf() },
      body: JSON.stringify({ student: student, question: question, answer: answer })
    }).then(function (r) { return r.json().then(function (d) { return [r.ok, d]; }); })
      .then(function (res) {
        if (res[0]) { say(line, "Sent: " + res[1].sent + ". You can change it until the teacher moves on.", "sent"); }
        else { say(line, res[1].error + " " + (res[1].fix || ""), "error"); poll(); }
      })
      .catch(function () { say(line, "Not sent: the teacher's computer did not answer. Try again.", "error"); });
  }

  function update(state) {
    if (run !== null && state.run !== run) {  // the teacher started a new lesson: start again
      stagesBox.textContent = ""; shown = [];
    }
    run = state.run;
    while (shown.length > state.shown.length) { stagesBox.removeChild(shown.pop().section); }
    state.shown.forEach(function (stage, i) {
      if (!shown[i] && stage.parts !== null) {
        var section = document.createElement("section");
        text(section.appendChild(document.createElement("h2")), "Stage " + (i + 1) + ": " + stage.title);
        var body = section.appendChild(document.createElement("div"));
        body.innerHTML = stage.parts.join("");  // drawn and escaped by the server from the lesson file
        var box = stage.question ? questionBox(i, stage.question) : null;
        if (box) { section.appendChild(box.form); }
        stagesBox.appendChild(section);
        shown[i] = { section: section, box: box };
      }
      var entry = shown[i];
      if (entry && entry.box && stage.question) {
        var q = stage.question;
        var inputs = entry.box.form.querySelectorAll("input");
        Array.prototype.forEach.call(inputs, function (input) {
          input.disabled = !q.open;
          if (q.mine !== null && input.value === q.mine && !entry.touched) { input.checked = true; }
        });
        entry.box.button.disabled = !q.open;
        if (!q.open) {
          say(entry.box.line, q.mine === null ? "Answers to this question are closed."
            : "Answers are closed. Yours: " + q.mine + ".", "");
        } else if (q.mine !== null && !entry.box.line.textContent) {
          say(entry.box.line, "Sent: " + q.mine + ". You can change it until the teacher moves on.", "sent");
        }
        entry.box.form.onchange = function () { entry.touched = true; };
      }
    });
    wait.hidden = state.stage >= state.stages;
    text(status, "");
  }

  function poll() {
    var query = "?student=" + student + "&run=" + (run === null ? "" : run) + "&known=" + shown.length;
    return fetch(api + "/state" + query, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json().then(function (d) { return [r.ok, d]; }); })
      .then(function (res) {
        if (res[0]) { update(res[1]); } else { say(status, res[1].error || "The class page is not available.", "error"); }
      })
      .catch(function () { say(status, "Waiting for the teacher's computer...", ""); });
  }

  poll();
  window.setInterval(poll, POLL_MS);
}());
