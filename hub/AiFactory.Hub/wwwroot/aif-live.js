// Live places of a page drawn once on the server: an element with data-live-source names a WebSocket on this hub whose
// messages are JSON objects (live place -> its new text; the first holds every place); each element with
// data-live="place" inside it shows that text. data-live-kind says how: "chip" is "template|text", a copy of the page's <template data-live-template>
// with the text in its [data-live-text]; "fragment" is an address on this hub whose HTML is shown (empty: nothing);
// otherwise the text itself. Streams open on load and after each of Blazor's enhanced navigations, and close when
// their element leaves the page.
(() => {
    "use strict";
    const open = new Map(); // element -> { url, socket, places, fetches, failures, timer, stopped }

    function index(root) {
        const places = new Map();
        for (const el of root.querySelectorAll("[data-live]")) {
            const key = el.getAttribute("data-live");
            if (!places.has(key)) {
                places.set(key, []);
            }
            places.get(key).push(el);
        }
        return places;
    }

    function showChip(root, el, value) {
        const bar = value.indexOf("|");
        const name = bar < 0 ? value : value.slice(0, bar);
        const text = bar < 0 ? "" : value.slice(bar + 1);
        const template = root.querySelector(`template[data-live-template="${CSS.escape(name)}"]`);
        if (!template) {
            return;
        }
        const chip = template.content.cloneNode(true);
        for (const slot of chip.querySelectorAll("[data-live-text]")) {
            slot.textContent = text;
        }
        el.replaceChildren(chip);
    }

    function showFragment(state, el, url) {
        // Only the newest answer for a place is shown, whatever order the answers come in.
        const ticket = (state.fetches.get(el) || 0) + 1;
        state.fetches.set(el, ticket);
        if (!url) {
            el.replaceChildren();
            return;
        }
        fetch(url, { credentials: "same-origin" })
            .then(r => r.ok ? r.text() : Promise.reject(new Error(`${url}: ${r.status}`)))
            .then(html => {
                if (state.fetches.get(el) === ticket) {
                    el.innerHTML = html;
                }
            })
            .catch(e => console.warn("aif-live: a chart could not be drawn", e));
    }

    function apply(root, state, changes) {
        for (const [key, value] of Object.entries(changes)) {
            for (const el of state.places.get(key) || []) {
                switch (el.getAttribute("data-live-kind")) {
                    case "chip": showChip(root, el, value); break;
                    case "fragment": showFragment(state, el, value); break;
                    default: el.textContent = value;
                }
            }
        }
    }

    function start(root) {
        const path = root.getAttribute("data-live-source");
        const state = { url: path, socket: null, places: index(root), fetches: new Map(), failures: 0, timer: 0, stopped: false };
        open.set(root, state);
        connect(root, state);
    }

    function connect(root, state) {
        const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + state.url);
        let heard = false;
        state.socket = socket;
        root.setAttribute("data-live-state", "connecting");
        socket.addEventListener("message", e => {
            heard = true;
            state.failures = 0;
            root.setAttribute("data-live-state", "open");
            apply(root, state, JSON.parse(e.data));
        });
        socket.addEventListener("close", e => {
            if (state.stopped) {
                return;
            }
            if (e.code === 1008) {
                // The hub ended the stream because the session's key was revoked or changed: the page itself now
                // redirects to sign in.
                state.stopped = true;
                location.reload();
                return;
            }
            root.setAttribute("data-live-state", "reconnecting");
            state.failures = heard ? 1 : state.failures + 1;
            if (state.failures < 3) {
                state.timer = setTimeout(() => connect(root, state), 2000);
                return;
            }
            // Refused three times: if the page itself is no longer served as it was (signed out or session expired: a
            // redirect to sign in; the line gone: a page without its live places), reloading shows why; if the hub
            // cannot be reached or answers an error for now (restarting, a proxy's 502), keep trying: a control-room
            // screen stays up.
            const retry = () => { state.timer = setTimeout(() => connect(root, state), 5000); };
            fetch(location.href, { credentials: "same-origin", redirect: "manual" })
                .then(r => r.type === "opaqueredirect" ? false : r.ok ? r.text().then(html => html.includes("data-live-source")) : true)
                .then(same => {
                    if (state.stopped) {
                        return;
                    }
                    if (same) {
                        retry();
                    } else {
                        location.reload();
                    }
                })
                .catch(retry);
        });
    }

    function stop(root) {
        const state = open.get(root);
        state.stopped = true;
        clearTimeout(state.timer);
        state.socket.close();
        open.delete(root);
    }

    function scan() {
        for (const [root, state] of open) {
            if (!root.isConnected || root.getAttribute("data-live-source") !== state.url) {
                stop(root);
            }
        }
        for (const root of document.querySelectorAll("[data-live-source]")) {
            if (!open.has(root)) {
                start(root);
            }
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", scan);
    } else {
        scan();
    }
    if (window.Blazor && typeof window.Blazor.addEventListener === "function") {
        // An enhanced navigation may patch a live page's places back to its drawn texts: every stream starts again,
        // and its first event sets every place.
        window.Blazor.addEventListener("enhancedload", () => {
            for (const root of [...open.keys()]) {
                stop(root);
            }
            scan();
        });
    }
    window.addEventListener("pagehide", () => {
        for (const root of [...open.keys()]) {
            stop(root);
        }
    });
    window.addEventListener("pageshow", scan);
})();
