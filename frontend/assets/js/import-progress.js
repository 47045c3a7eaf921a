// An import that reports its progress: POST /api/imports/{kind} with Accept: application/x-ndjson answers
// one JSON object a line, {stage, done, total} while the rows are checked and written, then the plan or a
// problem object (docs/imports.md). What needs no row work (kind, rights, encoding, header) is a plain 4xx.
import { ApiError, CSRF_COOKIE, NetworkError, readCookie } from "./api.js";
import { locale } from "./i18n.js";

const NDJSON = "application/x-ndjson";

/** The import's plan (as api() would give it); `onProgress({stage, done, total})` for each progress line. */
export async function importWithProgress(path, body, onProgress) {
  const headers = { Accept: `${NDJSON}, application/problem+json`, "Accept-Language": locale(),
    "Content-Type": "application/json" };
  const token = readCookie(CSRF_COOKIE);
  if (token) headers["X-CSRF-Token"] = token;
  let response;
  try {
    response = await fetch(path, { method: "POST", headers, body: JSON.stringify(body), credentials: "same-origin" });
  } catch (error) {
    throw new NetworkError(error);
  }
  const type = response.headers.get("Content-Type") ?? "";
  if (!response.ok || !type.includes(NDJSON)) {
    const data = type.includes("json") ? await response.json().catch(() => null) : null;
    if (!response.ok) throw new ApiError(response.status, data);
    return data; // a server that does not stream answers the plan at once
  }
  let last = null;
  for await (const line of lines(response.body)) {
    const item = JSON.parse(line);
    if (item.stage !== undefined) onProgress(item);
    else last = item;
  }
  if (last === null) throw new NetworkError(new Error("The answer ended before its result."));
  if (last.type !== undefined && last.status !== undefined) throw new ApiError(last.status, last);
  return last;
}

/** The stream's text lines, as they arrive. */
async function* lines(stream) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw new NetworkError(error);
    }
    if (chunk.done) break;
    buffer += chunk.value;
    const parts = buffer.split("\n");
    buffer = parts.pop();
    for (const part of parts) if (part.trim()) yield part;
  }
  if (buffer.trim()) yield buffer;
}
