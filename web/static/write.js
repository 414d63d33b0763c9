// The page's write actions, each behind the API token: Follow makes an
// Atom alert subscription for the entity of the page, or for the search
// in the address bar, and shows its feed URL; Link (on entity pages)
// records an editor's decision that a name found in coverage is this
// entity. The token is kept for the tab's session only.
(() => {
  "use strict";

  // action wires a box holding a button, a form with a token field and a
  // result line. submit(form) returns {path, body} to POST, or a string
  // to show instead; done(response body) returns {text, url} to show.
  function action(box, submit, done) {
    if (!box) return;
    const button = box.querySelector("button[type=button]");
    const form = box.querySelector("form");
    const token = form.querySelector("input[name=token]");
    const result = box.querySelector("[role=status]");
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
      (form.querySelector("input:not([name=token])") || token).focus();
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const req = submit(form);
      if (typeof req === "string") {
        say(req);
        return;
      }
      say("Working…");
      try {
        const resp = await fetch(req.path, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: "Bearer " + token.value },
          body: JSON.stringify(req.body),
        });
        const body = await resp.json();
        if (!resp.ok) {
          say(body && body.error ? body.error : "Refused (" + resp.status + ")");
          return;
        }
        sessionStorage.setItem("cw-api-token", token.value);
        form.hidden = true;
        const shown = done(body);
        say(shown.text, shown.url);
      } catch (err) {
        say("Failed: " + err.message);
      }
    });
  }

  const follow = document.getElementById("follow");
  action(follow, () => {
    if (follow.dataset.entity) return { path: "/api/alerts", body: { entities: [follow.dataset.entity], atom: true } };
    const p = new URLSearchParams(location.search);
    const s = { query: p.get("q") || "", provinces: p.getAll("province"), compounds: p.getAll("compound"),
      tycoons: p.getAll("tycoon"), outlets: p.getAll("outlet"), atom: true };
    if (!s.query && !s.provinces.length && !s.compounds.length && !s.tycoons.length && !s.outlets.length) {
      return "Search for something first: the feed follows the search shown.";
    }
    return { path: "/api/alerts", body: s };
  }, (body) => ({ text: "Following. Add this feed to your reader:", url: new URL(body.feed, location.origin).href }));

  const link = document.getElementById("link");
  action(link, (form) => ({
    path: "/api/entity/" + encodeURIComponent(link.dataset.entity) + "/links",
    body: { name: form.querySelector("input[name=name]").value },
  }), (body) => ({ text: "Linked “" + body.linked + "” to " + body.name + ". " + body.note + "." }));
})();
