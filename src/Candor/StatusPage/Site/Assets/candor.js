// Live refresh for the status pages: every few seconds (the body's data-refresh) fetch the page again and swap
// its main content in place. The pages are complete without this script; it only saves a reload. The request
// revalidates with the page's ETag, so an unchanged page costs a 304 and no swap.
(function () {
  "use strict";
  var seconds = Number(document.body.getAttribute("data-refresh"));
  if (!seconds || !window.fetch || !window.DOMParser) {
    return;
  }

  function refresh() {
    // A hidden tab is not read: it refreshes when it is shown again.
    if (document.hidden) {
      return;
    }

    fetch(location.href, { cache: "no-cache", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (text === null) {
          return;
        }

        var next = new DOMParser().parseFromString(text, "text/html");
        var incoming = next.querySelector("main");
        var current = document.querySelector("main");
        // Swapping an unchanged page would lose the reader's focus and place for nothing.
        if (incoming && current && incoming.innerHTML !== current.innerHTML) {
          current.replaceWith(document.adoptNode(incoming));
          document.title = next.title;
        }
      })
      .catch(function () {
        // The server is unreachable: keep showing what was last seen.
      });
  }

  setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      refresh();
    }
  });
}());
