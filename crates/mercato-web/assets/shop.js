// Mercato storefront: small enhancements. Every page works without this.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "zh-CN";

  // Suggestions as you type (products, part numbers, categories).
  var q = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (q && list && window.fetch) {
    var timer = null, last = "";
    q.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var v = q.value.trim();
        if (v.length < 2 || v === last) return;
        last = v;
        fetch("/api/v1/search/suggest?limit=8&lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(v))
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.items || []).forEach(function (s) {
              var o = document.createElement("option");
              o.value = s.kind === "part_number" ? s.value : s.label;
              list.appendChild(o);
            });
          })
          .catch(function () {});
      }, 150);
    });
  }

  // Filters apply as soon as one is ticked or the sort changes.
  var filters = document.getElementById("filters");
  if (filters) {
    filters.addEventListener("change", function (e) {
      var t = e.target;
      if (t.type === "checkbox" || t.tagName === "SELECT") filters.submit();
    });
    // On a phone the filters start folded, as a drawer.
    var drawer = filters.querySelector("details.drawer");
    if (drawer && window.matchMedia("(max-width: 48rem)").matches) drawer.open = false;
  }

  // Checkout: choosing a shipping method updates the total at once.
  var shipping = document.getElementById("shipping-choice");
  if (shipping) {
    shipping.addEventListener("change", function () { shipping.submit(); });
  }

  // Gallery: a thumbnail shows its picture in place (the link still zooms).
  var main = document.getElementById("main-picture");
  var zoom = document.getElementById("zoom");
  document.querySelectorAll("[data-picture]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      if (!main) return;
      e.preventDefault();
      main.src = a.getAttribute("data-picture");
      main.width = +a.getAttribute("data-width");
      main.height = +a.getAttribute("data-height");
      if (zoom) zoom.href = a.href;
    });
  });
})();
