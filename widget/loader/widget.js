// nimchat loader: draws the bubble, queues window.$nimchat calls, and loads the chat
// (WebAssembly) only when the visitor reaches for the bubble or the page calls the API.
// Until then it makes no request, sets no cookie and writes no storage; a visitor who
// wrote before gets one request, for the replies they have not seen (a badge and a preview).
(function () {
  var script = document.currentScript;
  if (!script || window.$nimchat) return;
  var inbox = script.getAttribute("data-inbox");
  var base = new URL(script.src).origin;
  var settings = window.nimchatSettings || {};
  var queue = [], widget, loading;
  var host = document.createElement("div");
  var root = host.attachShadow({ mode: "open" });
  var side = settings.position === "left" ? "left" : "right";
  // A constructed style sheet, not a <style>: pages with a strict CSP forbid inline styles.
  // The chat adopts its own sheet in place of this one when it takes over #l.
  var sheet = new CSSStyleSheet();
  sheet.replaceSync("#o{position:fixed;bottom:20px;" + side + ":20px;width:56px;height:56px;border:0;" +
    "border-radius:50%;background:#1f6feb;color:#fff;cursor:pointer;box-shadow:0 12px 32px rgb(0 0 0/18%);" +
    "z-index:2147483000;display:grid;place-items:center}#b{position:absolute;top:-4px;right:-4px;min-width:20px;" +
    "height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#cf222e;font:700 12px/20px " +
    "system-ui}#p{position:fixed;bottom:88px;" + side + ":20px;max-width:260px;padding:10px 14px;border:0;" +
    "border-radius:12px;background:#fff;color:#1b1f24;font:14px/1.4 system-ui;box-shadow:0 12px 32px rgb(0 0 0/18%);" +
    "cursor:pointer;z-index:2147483000;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}[hidden]{display:none}");
  root.adoptedStyleSheets = [sheet];
  root.innerHTML =
    "<div id=l><button id=o type=button aria-label=\"" +
    (settings.launcherTitle || "Open chat") + "\"" + (settings.hideMessageBubble ? " hidden" : "") +
    "><svg viewBox=\"0 0 24 24\" width=28 height=28 aria-hidden=true><path fill=currentColor " +
    "d=\"M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z\"/></svg><span id=b aria-hidden=true hidden>" +
    "</span></button><button id=p type=button hidden></button></div>";
  var launcher = root.getElementById("o"), preview = root.getElementById("p");

  function load() {
    loading = loading || import(base + "/widget/nimchat_widget.js").then(function (module) {
      return module.default({ module_or_path: base + "/widget/nimchat_widget_bg.wasm" }).then(function () {
        // start() takes #l's place, and its focus.
        widget = module.start(root, base, inbox, settings, tone);
        queue.splice(0).forEach(function (call) { call(); });
      });
    }).catch(function (error) {
      loading = null;
      dispatchEvent(new CustomEvent("nimchat:error", { detail: String(error) }));
    });
    return loading;
  }

  // A soft 150 ms tone for a reply the visitor is not looking at (the chat decides when;
  // nimchatSettings.sound: false silences it). Here, not in the wasm, where WebAudio's
  // bindings weighed ten times as much. Browsers play it only after the visitor interacted.
  var audio;
  function tone() {
    try {
      audio = audio || new AudioContext();
      var wave = audio.createOscillator(), volume = audio.createGain();
      wave.frequency.value = 880;
      volume.gain.value = 0.08;
      wave.connect(volume).connect(audio.destination);
      wave.start();
      wave.stop(audio.currentTime + 0.15);
    } catch (e) {}
  }

  function later(method) {
    return function () {
      var args = arguments;
      var call = function () { widget[method].apply(widget, args); };
      if (widget) call(); else { queue.push(call); load(); }
    };
  }

  window.$nimchat = {
    toggle: later("toggle"),
    toggleBubbleVisibility: later("toggle_bubble_visibility"),
    setUser: later("set_user"),
    setCustomAttributes: later("set_custom_attributes"),
    deleteCustomAttribute: later("delete_custom_attribute"),
    setLocale: later("set_locale"),
    setColorScheme: later("set_color_scheme"),
    reset: later("reset")
  };
  [launcher, preview].forEach(function (button) {
    button.addEventListener("mouseenter", load);
    button.addEventListener("focus", load);
    button.addEventListener("click", function () { later("toggle")("open"); });
  });
  var session;
  try { session = JSON.parse(localStorage.getItem("nimchat:" + inbox)); } catch (e) {}
  if (session && session.source_id) {
    fetch(base + "/public/api/v1/inboxes/" + inbox + "/contacts/" + encodeURIComponent(session.source_id) + "/unread")
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (unread) {
        var count = unread.unread_count, reply = unread.last_message, sender = reply && reply.sender;
        if (!count || widget) return;
        var badge = root.getElementById("b");
        badge.textContent = count > 9 ? "9+" : count;
        badge.hidden = false;
        launcher.setAttribute("aria-label", launcher.getAttribute("aria-label") + " (" + count + ")");
        // A reply of files alone is previewed by its first file's name, as in the chat.
        var words = reply && (reply.content || (reply.attachments && reply.attachments[0] && reply.attachments[0].file_name));
        if (words) {
          preview.textContent = (sender ? (sender.available_name || sender.name) + ": " : "") + words;
          preview.hidden = false;
        }
      }).catch(function () {});
  }
  if (document.body) document.body.appendChild(host);
  else addEventListener("DOMContentLoaded", function () { document.body.appendChild(host); });
})();
