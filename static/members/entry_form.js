/* The member entry form checks itself while it is filled in (members/views_entry.py):
   typing an ID number fills in the birth date and gender it holds, and the problems the save
   would find (ID number, age at joining, number year) show under their fields at once.
   No framework and no CDN: the app runs on closed networks. */
(function () {
  "use strict";

  var CHECKED = ["id_number", "birth_date", "gender", "join_date", "development_number"];
  var SENT = CHECKED.concat(["document_type", "developing_organization"]);

  function field(form, name) {
    return form.querySelector("[name=" + name + "]");
  }

  function valueOf(form, name) {
    var checked = form.querySelector("[name=" + name + "]:checked");
    if (checked) { return checked.value; }
    var element = field(form, name);
    return element && element.type !== "radio" ? element.value : "";
  }

  function setValue(form, name, value) {
    var radios = form.querySelectorAll("input[type=radio][name=" + name + "]");
    if (radios.length) {
      radios.forEach(function (radio) { radio.checked = radio.value === value; });
      return;
    }
    var element = field(form, name);
    if (element && element.value !== value) {
      element.value = value;
      element.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function messageList(form, name) {
    var list = form.querySelector(".live-check[data-for=" + name + "]");
    if (list) { return list; }
    var element = field(form, name);
    if (!element) { return null; }
    list = document.createElement("ul");
    list.className = "live-check";
    list.dataset.for = name;
    list.setAttribute("role", "status");
    list.setAttribute("aria-live", "polite");
    var anchor = element.closest(".dn-widget, .related-widget-wrapper, .datetimeshortcuts") || element;
    if (element.type === "radio") { anchor = element.closest("ul, div") || element; }
    anchor.parentNode.insertBefore(list, anchor.nextSibling);
    return list;
  }

  function show(form, name, errors, notes) {
    var list = messageList(form, name);
    if (!list) { return; }
    list.textContent = "";
    (errors || []).forEach(function (text) {
      var item = document.createElement("li");
      item.className = "error";
      item.textContent = text;
      list.appendChild(item);
    });
    (notes || []).forEach(function (text) {
      var item = document.createElement("li");
      item.className = "note";
      item.textContent = text;
      list.appendChild(item);
    });
  }

  function csrfToken(form) {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    return token ? token.value : "";
  }

  function check(form, url, typedIdNumber) {
    var body = new FormData();
    SENT.forEach(function (name) { body.append(name, valueOf(form, name)); });
    if (!typedIdNumber) { body.set("id_number", valueOf(form, "id_number")); }
    form.dataset.checking = "1";
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) { return; }
        if (answer.fill && answer.fill.birth_date) {
          setValue(form, "birth_date", answer.fill.birth_date);
          setValue(form, "gender", answer.fill.gender);
        }
        CHECKED.forEach(function (name) {
          show(form, name, answer.problems[name], name === "id_number" ? answer.notes : []);
        });
        form.dataset.checked = (parseInt(form.dataset.checked || "0", 10) + 1).toString();
      })
      .catch(function () { /* the save checks everything again */ })
      .finally(function () { delete form.dataset.checking; });
  }

  function bind(input) {
    var form = input.form;
    if (!form || form.dataset.entryCheckBound) { return; }
    form.dataset.entryCheckBound = "1";
    var url = input.dataset.checkUrl;
    var timer = null;
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { check(form, url, true); }, 250);
    }
    input.addEventListener("input", later);
    ["join_date", "development_number", "document_type", "birth_date", "gender"].forEach(function (name) {
      form.querySelectorAll("[name=" + name + "]").forEach(function (element) {
        element.addEventListener("change", later);
      });
    });
  }

  function start() {
    document.querySelectorAll("input[data-check-url]").forEach(bind);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
