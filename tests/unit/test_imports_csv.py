"""Reading and writing CSV as spreadsheet programs in Sweden do (booking/domain/imports/csv_text.py)."""

from __future__ import annotations

import pytest

from booking.domain.imports.csv_text import Column, neutralise, read_csv, sniff_separator, write_csv
from booking.domain.shared.errors import ValidationError

COLUMNS = (Column("namn", ("name",)), Column("befolkning_0_17", ("population_0_17",), required=False))


def _refusal(text: str) -> tuple[str, str, str]:
    with pytest.raises(ValidationError) as caught:
        read_csv(text, COLUMNS)
    [problem] = caught.value.problems
    return problem.field, problem.code, problem.message


def test_semicolons_and_commas_are_told_apart_by_the_header_line() -> None:
    assert sniff_separator("namn;befolkning_0_17") == ";"
    assert sniff_separator("namn,befolkning_0_17") == ","
    assert sniff_separator('"namn, med komma";befolkning') == ";"
    semicolon = read_csv("namn;befolkning_0_17\r\nNacksta;1 200\r\n", COLUMNS)
    comma = read_csv("namn,befolkning_0_17\nNacksta,1 200\n", COLUMNS)
    assert [r.cells for r in semicolon] == [r.cells for r in comma] == [{"namn": "Nacksta",
                                                                          "befolkning_0_17": "1 200"}]


def test_a_byte_order_mark_is_dropped_and_headers_are_forgiving() -> None:
    [row] = read_csv("\ufeffName;Befolkning 0-17\nSkönsberg;300\n", COLUMNS)
    assert row.cells == {"namn": "Skönsberg", "befolkning_0_17": "300"}
    assert row.line == 2


def test_quoted_cells_keep_separators_quotes_and_line_breaks_and_lines_count_from_the_file() -> None:
    rows = read_csv('namn;befolkning_0_17\n"Nacksta; norra ""gamla""";5\n"Två\nrader";6\n\nSist;7\n', COLUMNS)
    assert [r.get("namn") for r in rows] == ['Nacksta; norra "gamla"', "Två\nrader", "Sist"]
    assert [r.line for r in rows] == [2, 3, 6]


def test_an_optional_column_may_be_left_out_and_short_rows_read_as_empty_cells() -> None:
    [row] = read_csv("namn\nNacksta\n", COLUMNS)
    assert row.cells == {"namn": "Nacksta"} and not row.has("befolkning_0_17")
    [short] = read_csv("namn;befolkning_0_17\nNacksta\n", COLUMNS)
    assert short.cells == {"namn": "Nacksta", "befolkning_0_17": ""}


def test_a_missing_unknown_or_repeated_column_refuses_the_file_naming_csv() -> None:
    assert _refusal("befolkning_0_17\n12\n")[:2] == ("csv", "missing-column")
    assert "namn" in _refusal("befolkning_0_17\n12\n")[2]
    assert _refusal("namn;färg\nNacksta;blå\n")[:2] == ("csv", "unknown-column")
    assert _refusal("namn;name\nA;B\n")[:2] == ("csv", "repeated-column")


@pytest.mark.parametrize(("text", "code"), [
    ("", "required"),
    ("  \r\n", "required"),
    ("namn\nNacks\ufffdta\n", "encoding"),  # what decoding Latin-1 bytes as UTF-8 leaves
    ("namn\nNacksta\x00\n", "encoding"),
    ("namn\nNack\x1bsta\n", "encoding"),
    ('namn\n"Nacksta\n', "malformed"),  # an unterminated quote
])
def test_text_no_spreadsheet_writes_is_refused_naming_csv(text: str, code: str) -> None:
    field, got, _ = _refusal(text)
    assert (field, got) == ("csv", code)


def test_at_most_ten_thousand_rows() -> None:
    assert len(read_csv("namn\n" + "A\n" * 10_000, COLUMNS)) == 10_000
    assert _refusal("namn\n" + "A\n" * 10_001)[:2] == ("csv", "too-many-rows")


def test_a_cell_beyond_the_named_columns_is_kept_for_the_kind_to_report() -> None:
    [row] = read_csv("namn\nNacksta;extra\n", COLUMNS)
    assert row.get("") == "extra"


@pytest.mark.parametrize("cell", ["=1+1", "+46701234567", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_formulas_are_neutralised_on_export_and_read_back_as_written(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    text = write_csv(["namn"], [[cell]])
    assert text.startswith("\ufeffnamn\r\n")
    assert "'" + cell[0] in text
    if cell[0] not in "\t\r":
        [row] = read_csv(text, COLUMNS)
        assert row.get("namn") == cell


def test_ordinary_cells_are_written_as_they_are() -> None:
    text = write_csv(["namn", "befolkning_0_17"], [["Nacksta; norra", 12], ["O'Hara", None]])
    assert text == '\ufeffnamn;befolkning_0_17\r\n"Nacksta; norra";12\r\nO\'Hara;\r\n'
