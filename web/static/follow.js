// The Follow button: makes an Atom alert subscription for the entity of
// the page, or for the search in the address bar, and shows its feed URL.
// Creating a subscription is a write, so it needs the API token.
(() => {
  "use strict";
  const box = document.getElementById("follow");
  if (!box) return;
  const button = box.querySelector(".follow-button");
  const form = box.querySelector("form");
  const token = form.querySelector("input[name=token]");
  const result = box.querySelector(".follow-result");

  function spec() {
    if (box.dataset.entity) return { entities: [box.dataset.entity], atom: true };
    const p = new URLSearchParams(location.search);
    const s = { query: p.get("q") || "", provinces: p.getAll("province"), compounds: p.getAll("compound"),
      tycoons: p.getAll("tycoon"), outlets: p.getAll("outlet"), atom: true };
    if (!s.query && !s.provinces.length && !s.compounds.length && !s.tycoons.length && !s.outlets.length) return null;
    return s;
  }

  function say(text, url) {
    result.replaceChildren(document.createTextNode(text));
    if (url) {
      const a = document.createElement("a");
      a.href = url;
      a.className = "feed-url";
      a.textContent = url;
      result.append(" ", a);
    }
  }

  button.addEventListener("click", () => {
    form.hidden = false;
    token.value = sessionStorage.getItem("cw-api-token") || "";
    token.focus();
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const s = spec();
    if (!s) {
      say("Search for something first: the feed follows the search shown.");
      return;
    }
    say("Creating the feed…");
    try {
      const resp = await fetch("/api/alerts", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: "Bearer " + token.value },
        body: JSON.stringify(s),
      });
      const body = await resp.json();
      if (!resp.ok) {
        say(body && body.error ? body.error : "Could not follow (" + resp.status + ")");
        return;
      }
      sessionStorage.setItem("cw-api-token", token.value);
      form.hidden = true;
      say("Following. Add this feed to your reader:", new URL(body.feed, location.origin).href);
    } catch (err) {
      say("Could not follow: " + err.message);
    }
  });
})();
