// Opens a tree node in place: its children arrive as an HTML fragment the first time it opens.
(function () {
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("details[data-children]") || !details.open) return;
    if (details.dataset.loaded) return;
    details.dataset.loaded = "1";
    fetch(details.dataset.children, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var loading = details.querySelector(".loading");
        if (loading) loading.remove();
        details.insertAdjacentHTML("beforeend", html);
      })
      .catch(function () { delete details.dataset.loaded; });
  }, true);
})();
