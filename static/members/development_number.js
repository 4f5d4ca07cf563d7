/* The "next free number" button of the development number input (members/widgets.py).
   No framework and no CDN: the app runs on closed networks. */
(function () {
  "use strict";

  function csrfToken(widget) {
    var form = widget.closest("form");
    var field = (form || document).querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function joinYear(id) {
    var element = id && document.getElementById(id);
    var match = element && /(\d{4})/.exec(element.value || "");
    return match ? match[1] : "";
  }

  function show(widget, text, failed) {
    var message = widget.querySelector(".dn-message");
    message.textContent = text;
    message.className = "dn-message " + (failed ? "error" : "success");
  }

  function takeNext(widget, button) {
    var input = widget.querySelector("input:not([type=hidden])");
    var organization = document.getElementById(widget.dataset.dnOrganization);
    var body = new FormData();
    body.append("organization", organization ? organization.value : "");
    body.append("year", joinYear(widget.dataset.dnYear));
    var key = widget.querySelector(".dn-key");
    body.append("form_key", key ? key.value : "");
    button.disabled = true;
    fetch(widget.dataset.dnUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(widget), "Accept": "application/json" }
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (answer) {
        if (answer.ok) {
          input.value = answer.data.number;
          input.dispatchEvent(new Event("change", { bubbles: true }));
          show(widget, answer.data.message, false);
        } else {
          show(widget, answer.data.error, true);
        }
      })
      .catch(function () { show(widget, widget.dataset.dnFailed, true); })
      .finally(function () { button.disabled = false; });
  }

  function bind(root) {
    root.querySelectorAll(".dn-widget").forEach(function (widget) {
      if (widget.dataset.dnBound) { return; }
      widget.dataset.dnBound = "1";
      var button = widget.querySelector(".dn-next");
      button.addEventListener("click", function () { takeNext(widget, button); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { bind(document); });
  } else {
    bind(document);
  }
})();
