// The page for unknown addresses (served with status 404 for any path without a file).
import { startPage } from "../app.js";

startPage({ current: "notFound", titleKey: "notFound.title" });
