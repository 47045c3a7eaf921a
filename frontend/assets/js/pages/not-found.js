// The page for unknown addresses (served with status 404 for any path without a file). A booking's
// check-in link (/c/<code>, in its QR code) has no page of its own: it goes on to the check-in page.
import { startPage } from "../app.js";

const checkIn = /^\/c\/([A-Za-z0-9._~-]+)$/.exec(window.location.pathname);
if (checkIn) {
  window.location.replace(`/check-in.html?code=${encodeURIComponent(checkIn[1])}`);
} else {
  startPage({ current: "notFound", titleKey: "notFound.title" });
}
