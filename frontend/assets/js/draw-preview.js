// The staff's preview of a draw: the figures overall and per home area, the seed (anyone may run it again),
// every child's wishes with the outcome and why, and the hand adjustments (grant or remove a wish; a refusal
// names what is in the way, shown in words at its row).
import { ApiError } from "./api.js";
import { h } from "./dom.js";
import { formatDateTime, formatNumber, t } from "./i18n.js";
import { problemText } from "./booking-ui.js";
import { reasonText } from "./draw-ui.js";

const CLASHES = ["full", "overlap", "max", "age", "not_wished"];

const percent = (share) => `${formatNumber(Math.round(share * 1000) / 10)} %`;
const decimal = (value) => (value === null || value === undefined ? "–" : formatNumber(Math.round(value * 100) / 100));

/** The words of a refused hand grant (409): the API's errors[].reason, with the session in the way. */
export function clashText(error, titleOf) {
  if (!(error instanceof ApiError) || error.status !== 409) return problemText(error);
  const item = (error.problem.errors ?? [])[0];
  const reason = item?.reason ?? item?.code;
  if (!CLASHES.includes(reason)) return problemText(error);
  const blocking = item.session_id && titleOf(item.session_id);
  return reason === "overlap" && blocking ? t("draw.clash.overlapWith", { title: blocking }) : t(`draw.clash.${reason}`);
}

function figuresTable(figures, areaName) {
  const cols = ["area", "children", "withPlace", "share", "meanRank", "before", "after"];
  const row = (a) => h("tr", {},
    h("th", { scope: "row" }, a.area_name ?? areaName(a.area_id)),
    h("td", { class: "number" }, formatNumber(a.children)),
    h("td", { class: "number" }, formatNumber(a.with_place)),
    h("td", { class: "number" }, percent(a.share_with_place)),
    h("td", { class: "number" }, decimal(a.mean_rank_granted)),
    h("td", { class: "number" }, decimal(a.per_1000_before)),
    h("td", { class: "number" }, decimal(a.per_1000_after)));
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "area-caption" },
    h("table", { class: "data-table", id: "area-table" },
      h("caption", { id: "area-caption" }, t("draw.preview.perArea")),
      h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, t(`draw.preview.col.${c}`))))),
      h("tbody", {}, figures.per_area.map(row))));
}

/**
 * The preview section. ctx: {preview, editable, busyRow, rowErrors (Map "child|session" -> text),
 * areaName(id), titleOf(sessionId), zone, adjust(child, wish, granted)}.
 */
export function previewView(ctx) {
  const p = ctx.preview;
  const f = p.figures;
  const fact = (term, value, id) => h("div", {}, h("dt", {}, term), h("dd", { id }, value));
  return h("section", { class: "section", "aria-labelledby": "preview-heading", id: "preview" },
    h("h2", { id: "preview-heading", tabindex: "-1" }, t("draw.preview.heading")),
    h("p", { class: "seed", id: "preview-seed" }, t("draw.preview.seed", { seed: p.seed })),
    h("p", { class: "hint" }, t("draw.preview.seedHint")),
    h("dl", { class: "facts", id: "preview-figures" },
      fact(t("draw.preview.children"), formatNumber(f.children), "figure-children"),
      fact(t("draw.preview.withPlace"), `${formatNumber(f.with_place)} (${percent(f.share_with_place)})`,
        "figure-with-place"),
      fact(t("draw.preview.meanRank"), decimal(f.mean_rank_granted), "figure-mean-rank")),
    h("p", { class: "hint" }, t("draw.preview.figuresHint")),
    figuresTable(f, ctx.areaName),
    h("h3", {}, t("draw.preview.childrenHeading")),
    h("ul", { class: "child-list", id: "outcome-list" }, p.children.map((c) => childOutcome(c, ctx))));
}

function childOutcome(child, ctx) {
  const area = child.home_area_id ? ctx.areaName(child.home_area_id) : t("draw.preview.noArea");
  const headingId = `outcome-${child.child_id}`;
  return h("li", { class: "child-card", dataset: { child: child.child_id } },
    h("h4", { id: headingId }, child.first_name),
    h("p", { class: "hint" }, [t("draw.child.bornIn", { year: String(child.birth_year) }), area,
      t("draw.child.maxShort", { count: child.max_activities }),
      child.group_code ? t("draw.child.groupShort", { code: child.group_code }) : null].filter(Boolean).join(" · ")),
    h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": headingId },
      h("table", { class: "data-table outcome-table" },
        h("thead", {}, h("tr", {}, ["rank", "activity", "outcome", "score"].map((c) =>
          h("th", { scope: "col" }, t(`draw.preview.col.${c}`))))),
        h("tbody", {}, child.wishes.map((w) => wishRow(child, w, ctx))))));
}

function wishRow(child, wish, ctx) {
  const key = `${child.child_id}|${wish.session_id}`;
  const error = ctx.rowErrors.get(key);
  const errorId = `row-error-${child.child_id}-${wish.session_id}`;
  const label = wish.granted ? t("draw.preview.remove") : t("draw.preview.grant");
  const button = ctx.editable ? h("button", {
    type: "button", class: `button button-small ${wish.granted ? "button-quiet" : ""}`.trim(),
    id: `adjust-${child.child_id}-${wish.session_id}`, "aria-disabled": ctx.busyRow ? "true" : null,
    "aria-describedby": error ? errorId : null,
    onclick: () => ctx.adjust(child, wish, !wish.granted),
  }, label, h("span", { class: "visually-hidden" }, ` ${child.first_name}: ${wish.activity_title}`)) : null;
  return h("tr", { dataset: { session: wish.session_id }, class: wish.granted ? "is-granted" : null },
    h("td", { class: "number" }, formatNumber(wish.rank), wish.favourite ? [" ",
      h("span", { "aria-hidden": "true" }, "★"), h("span", { class: "visually-hidden" }, t("draw.wishes.favourite"))]
      : null),
    h("td", {}, wish.activity_title, h("br"), h("span", { class: "hint" }, formatDateTime(wish.starts_at, ctx.zone))),
    h("td", {}, h("span", { class: `badge ${wish.granted ? "badge-granted" : "badge-denied"}` },
      t(wish.granted ? "draw.outcome.granted" : "draw.outcome.refused")), " ", reasonText(wish.reason, wish.rank),
    // the hand adjustment under the outcome it changes (four columns fit a phone)
    ctx.editable ? h("div", { class: "row-adjust" }, button,
      error ? h("p", { class: "field-error row-error", id: errorId, role: "alert", tabindex: "-1" }, error) : null)
      : null),
    h("td", { class: "number" }, decimal(wish.score)));
}
