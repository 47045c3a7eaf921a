// The interest request section of an association's public page (forening.html?id=…): fills
// <section id="interest-request"> with the request form, or says that the association takes no requests now.
// The page's own module draws the profile; this one only the section (it loads the public profile itself).
import { api } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { loadLocale, onLocaleChange, storedLocale, t } from "./i18n.js";
import { interestRequestForm } from "./interest-request-form.js";

const section = document.getElementById("interest-request");
const params = new URLSearchParams(window.location.search);

async function slugOf() {
  return params.get("kommun") ?? (await api("/api/municipalities?limit=1")).items[0]?.slug;
}

async function start() {
  if (!section || !params.get("id")) return;
  await loadLocale(storedLocale()); // the page's own module loads it too; this one may come first
  let profile;
  let categories;
  try {
    const slug = await slugOf();
    const query = `municipality=${encodeURIComponent(slug)}`;
    [profile, categories] = await Promise.all([
      api(`/api/association-directory/${encodeURIComponent(params.get("id"))}?${query}`),
      api(`/api/interest-categories?${query}`),
    ]);
  } catch {
    return; // the page itself says that the association was not found
  }
  const draw = () => {
    const heading = h("h2", { id: "interest-request-heading" }, t("matchingRequests.request.headingPlain"));
    section.setAttribute("aria-labelledby", "interest-request-heading");
    if (!profile.accepts_requests) {
      replaceChildren(section, heading, h("p", {}, t("matchingRequests.request.paused")));
      return;
    }
    replaceChildren(section, heading, interestRequestForm({
      prefix: "profile-request", association: { id: profile.association_id, name: profile.name },
      categories: categories.items ?? categories, interests: profile.interests.map((i) => i.id),
    }));
  };
  draw();
  onLocaleChange(draw);
}

start();
