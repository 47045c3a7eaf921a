"""CSV as spreadsheet programs in Sweden write and read it.

Reading: UTF-8 text (the caller decodes the bytes; a byte-order mark is dropped), `;` or `,` between
cells (whichever the header line uses more of, outside quotes), quoted cells (a quote doubled inside
one, line breaks allowed), a header row naming the columns. Whatever is wrong with the file as a
whole (no header, a missing or unknown column, a character that no text file holds, too many rows)
is a `ValidationError` naming `csv`; what is wrong with a row is the importing kind's business.

Writing: UTF-8 with a byte-order mark, `;` between cells, CRLF line ends, and every cell that a
spreadsheet would take for a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return)
neutralised with a leading `'`. Reading undoes exactly that prefix, so an export reads back unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from booking.domain.shared.errors import ValidationError

FIELD = "csv"
MAX_ROWS = 10_000
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# No text file a spreadsheet writes holds these: a NUL, the replacement character a wrong decoding
# leaves, other C0 controls than tab and line ends, DEL.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ufffe\uffff]")
_SEPARATORS = (";", ",")


@dataclass(frozen=True)
class Column:
    """A column of an import: `key` is its header as written by the export; `aliases` are other
    headers read as the same column (English names, spellings without å, ä, ö)."""

    key: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def names(self) -> set[str]:
        return {header_key(n) for n in (self.key, *self.aliases)}


@dataclass(frozen=True)
class Row:
    """One record of the file: `line` is the line it starts on (the header is line 1); `cells` maps
    each column's key to its text, trimmed ('' for an empty or absent cell)."""

    line: int
    cells: dict[str, str]

    def get(self, key: str) -> str:
        return self.cells.get(key, "")

    def has(self, key: str) -> bool:
        return key in self.cells


def header_key(text: str) -> str:
    """A header compared the forgiving way: case, outer spaces, and spaces or hyphens inside
    (`Befolkning 0-17` is `befolkning_0_17`)."""
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula becomes text: `'` in front."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def unneutralise(cell: str) -> str:
    """The inverse of `neutralise` for a cell read back."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The text of a CSV file for spreadsheet programs: BOM, `;`, CRLF, formulas neutralised.
    None is an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise("" if cell is None else str(cell)) for cell in row])
    return BOM + out.getvalue()


def check_text(text: str, field: str = FIELD) -> str:
    """The file's text without its byte-order mark; refused when it holds what no text file holds
    (most often the sign of a file that was not UTF-8)."""
    text = text.removeprefix(BOM)
    bad = _NOT_TEXT.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        what = "U+FFFD (a character that could not be decoded)" if bad.group() == "\ufffd" \
            else f"the control character U+{ord(bad.group()):04X}"
        raise ValidationError(field, f"Line {line} holds {what}; save the file as UTF-8 text (CSV UTF-8).",
                              "encoding")
    if not text.strip():
        raise ValidationError(field, "The file is empty; the first line names the columns.", "required")
    return text


def sniff_separator(header_line: str) -> str:
    """`;` or `,`: the one the header line uses more of outside quotes (`;` when neither)."""
    outside = re.sub(r'"[^"]*"?', "", header_line)
    return max(_SEPARATORS, key=outside.count) if any(s in outside for s in _SEPARATORS) else ";"


def _records(text: str, separator: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) per record, skipping blank lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    done = 0
    try:
        for cells in reader:
            first, done = done + 1, reader.line_num
            if any(c.strip() for c in cells):
                yield first, cells
    except csv.Error as exc:
        raise ValidationError(FIELD, f"Line {reader.line_num}: the file cannot be read as CSV ({exc}); "
                                     "check the quotes.", "malformed") from exc


def _header(cells: list[str], columns: Sequence[Column]) -> list[str | None]:
    """The column key of each header cell (None for an empty one); refuses unknown, repeated and
    missing columns."""
    by_name = {name: c.key for c in columns for name in c.names()}
    keys: list[str | None] = []
    for cell in cells:
        name = header_key(unneutralise(cell))
        if not name:
            keys.append(None)
            continue
        if name not in by_name:
            known = ", ".join(c.key for c in columns)
            raise ValidationError(FIELD, f"Line 1: the column {cell.strip()!r} is not one of {known}.",
                                  "unknown-column")
        if by_name[name] in keys:
            raise ValidationError(FIELD, f"Line 1: the column {by_name[name]!r} is named twice.", "repeated-column")
        keys.append(by_name[name])
    missing = [c.key for c in columns if c.required and c.key not in keys]
    if missing:
        raise ValidationError(FIELD, f"Line 1: the column {', '.join(missing)} is missing.", "missing-column")
    return keys


def read_csv(text: str, columns: Sequence[Column], max_rows: int = MAX_ROWS) -> list[Row]:
    """The rows of a CSV file (see the module's docstring). A cell beyond the named columns that
    holds text is kept under the key `""` for the kind to report."""
    text = check_text(text)
    separator = sniff_separator(text.split("\n", 1)[0])
    records = _records(text, separator)
    first = next(records, None)
    if first is None:  # pragma: no cover - check_text refuses blank files
        raise ValidationError(FIELD, "The file is empty; the first line names the columns.", "required")
    keys = _header(first[1], columns)
    rows: list[Row] = []
    for line, cells in records:
        if len(rows) == max_rows:
            raise ValidationError(FIELD, f"At most {max_rows} rows in one file; split it.", "too-many-rows")
        padded = [*cells, *[""] * (len(keys) - len(cells))]
        row = {key: unneutralise(cell.strip()) for key, cell in zip(keys, padded, strict=False) if key is not None}
        extra = [c for c in cells[len(keys):] if c.strip()]
        if extra:
            row[""] = extra[0]
        rows.append(Row(line, row))
    return rows
