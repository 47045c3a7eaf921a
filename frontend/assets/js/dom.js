// A small element builder. Text always goes in as text nodes, never as HTML, so names and
// descriptions from the API cannot inject markup.

/**
 * h("a", {href: "/", class: "brand"}, "Bokning") -> <a href="/" class="brand">Bokning</a>
 * Attributes whose value is false, null or undefined are left out; true gives an empty attribute.
 * Keys starting with "on" add event listeners (no inline handlers: the CSP forbids them).
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace all children of `element`. */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}
