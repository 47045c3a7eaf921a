// The ranked wishes of one child on the wish list page: reorder by dragging (mouse or touch, by the handle)
// or by the up and down buttons (keyboard), mark favourites, remove. Every move is said in the page's
// aria-live region. The list is redrawn from `wishes` ([{session_id, favourite}], list order = rank).
import { h, replaceChildren } from "./dom.js";
import { formatDate, t } from "./i18n.js";

/**
 * list: the <ol>; wishes: the array it shows (changed in place); sessionOf(id) -> the session or null;
 * announce(text): says a change in the live region; changed(): after any change (the picker redraws).
 */
export function wishList({ list, wishes, sessionOf, announce, changed }) {
  const titleOf = (w) => sessionOf(w.session_id)?.title ?? t("draw.wishes.unknownSession");

  function move(from, to, focusWhich) {
    if (to < 0 || to >= wishes.length || from === to) return;
    const [moved] = wishes.splice(from, 1);
    wishes.splice(to, 0, moved);
    draw();
    announce(t("draw.wishes.moved", { title: titleOf(moved), n: to + 1, count: wishes.length }));
    const item = list.children[to];
    const button = item?.querySelector(`[data-move="${focusWhich}"]`);
    (button && !button.disabled ? button : item?.querySelector("[data-move]:not([disabled])"))?.focus();
    changed();
  }

  function remove(index) {
    const [gone] = wishes.splice(index, 1);
    draw();
    announce(t("draw.wishes.removed", { title: titleOf(gone) }));
    (list.children[Math.min(index, wishes.length - 1)]?.querySelector("[data-move]") ?? list)?.focus();
    changed();
  }

  function toggleFavourite(index) {
    wishes[index].favourite = !wishes[index].favourite;
    draw();
    list.children[index]?.querySelector(".wish-favourite")?.focus();
    changed();
  }

  function item(wish, index) {
    const session = sessionOf(wish.session_id);
    const title = titleOf(wish);
    const hidden = (text) => h("span", { class: "visually-hidden" }, ` ${text}`);
    const button = (label, attrs, onClick) => h("button", { type: "button", class: "button button-quiet button-small",
      ...attrs, onclick: onClick }, label, hidden(title));
    const handle = h("span", { class: "wish-handle", "aria-hidden": "true", title: t("draw.wishes.drag") }, "⠿");
    handle.addEventListener("pointerdown", (event) => startDrag(event, index));
    return h("li", { class: "wish-item", id: `wish-${index}`, tabindex: "-1", dataset: { session: wish.session_id } },
      handle,
      h("div", { class: "wish-text" },
        h("span", { class: "wish-title" }, title),
        session ? h("span", { class: "wish-when" },
          `${formatDate(session.local_date)} ${session.local_start}–${session.local_end}`) : null,
        h("p", { class: "field-error", id: `wish-${index}-error` })),
      h("div", { class: "wish-actions" },
        h("button", { type: "button", class: `button button-quiet button-small wish-favourite${wish.favourite
          ? " is-favourite" : ""}`, "aria-pressed": String(Boolean(wish.favourite)),
        onclick: () => toggleFavourite(index) }, h("span", { "aria-hidden": "true" }, wish.favourite ? "★ " : "☆ "),
        t("draw.wishes.favourite"), hidden(title)),
        button(t("draw.wishes.up"), { "data-move": "up", disabled: index === 0 }, () => move(index, index - 1, "up")),
        button(t("draw.wishes.down"), { "data-move": "down", disabled: index === wishes.length - 1 },
          () => move(index, index + 1, "down")),
        button(t("draw.wishes.remove"), {}, () => remove(index))));
  }

  // Dragging moves the item's node among its siblings; the order is read back from the nodes when the
  // pointer lets go. The document listens (moving the node in the tree would end a pointer capture).
  function startDrag(event, index) {
    if (event.button !== undefined && event.button !== 0) return;
    event.preventDefault();
    const node = list.children[index];
    const pointer = event.pointerId;
    node.classList.add("is-dragging");
    const onMove = (e) => {
      if (e.pointerId !== pointer) return;
      const siblings = [...list.children].filter((n) => n !== node);
      const before = siblings.find((n) => {
        const box = n.getBoundingClientRect();
        return e.clientY < box.top + box.height / 2;
      });
      if (before) {
        if (node.nextSibling !== before) list.insertBefore(node, before);
      } else if (list.lastChild !== node) list.append(node);
    };
    const onUp = (e) => {
      if (e.pointerId !== pointer) return;
      document.removeEventListener("pointermove", onMove);
      document.removeEventListener("pointerup", onUp);
      document.removeEventListener("pointercancel", onUp);
      node.classList.remove("is-dragging");
      const to = [...list.children].indexOf(node);
      if (to === index) return;
      // back to the old order, then one move: the array, the announcement and the focus as for the buttons
      const [moved] = wishes.splice(index, 1);
      wishes.splice(to, 0, moved);
      draw();
      announce(t("draw.wishes.moved", { title: titleOf(moved), n: to + 1, count: wishes.length }));
      changed();
    };
    document.addEventListener("pointermove", onMove);
    document.addEventListener("pointerup", onUp);
    document.addEventListener("pointercancel", onUp);
  }

  function draw() {
    replaceChildren(list, wishes.map(item));
  }

  draw();
  return { draw };
}

/** The period's sessions to choose wishes from: those with sign-up, scheduled, for the child's age if asked. */
export function sessionPicker({ box, sessions, wishes, age, ageOnly, add, maxWishes }) {
  const shown = sessions.filter((s) => age === null || !ageOnly || (s.age_min <= age && age <= s.age_max));
  const rankOf = new Map(wishes.map((w, i) => [w.session_id, i + 1]));
  if (!shown.length) {
    replaceChildren(box, h("p", { class: "empty" }, t("draw.wishes.noSessions")));
    return;
  }
  replaceChildren(box, h("ul", { class: "pick-list", id: "pick-list" }, shown.map((s) => {
    const rank = rankOf.get(s.id);
    const when = `${formatDate(s.local_date)} ${s.local_start}–${s.local_end}`;
    return h("li", { class: "pick-item", dataset: { session: s.id } },
      h("div", { class: "wish-text" },
        h("span", { class: "wish-title" }, s.title),
        h("span", { class: "wish-when" }, when),
        h("span", { class: "hint" }, [t("activities.ages", { min: s.age_min, max: s.age_max }), s.place, s.area_name]
          .filter(Boolean).join(" · "))),
      rank ? h("p", { class: "pick-added" }, t("draw.wishes.added", { n: rank }))
        : h("button", { type: "button", class: "button button-quiet button-small",
          disabled: wishes.length >= maxWishes, onclick: () => add(s) },
        t("draw.wishes.add"), h("span", { class: "visually-hidden" }, ` ${s.title} ${when}`)));
  })));
}
