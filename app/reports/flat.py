"""`RowReader`: a flat-file report, fed as byte chunks, out as rows keyed by the report's own header line.

Push-style and pure (no I/O): `feed(chunk)` returns the rows the chunk completed, `close()` the rest,
so a report of any size streams through in memory bounded by one line plus one chunk. Decoding is
incremental (a codecs incremental decoder), so a multi-byte character split across two chunks
decodes whole. The codec is chosen from the first bytes (charsets.py): a BOM, else the declared
charset, else the marketplace's; undecodable bytes become U+FFFD rather than failing the report.

Amazon's quirks:
- tab-separated with no quoting: a `"` is data (reports.md §5), so cells are split on tabs only;
- a header with no tab but commas (a report served as .csv, reports.md §5): read with the csv module;
- CRLF or LF line ends; blank lines are skipped; a leading U+FEFF on the header is dropped;
- a trailing tab after the header and every row (an empty last column) is dropped; a row shorter
  than the header gets "" for the missing cells, a longer one keeps its extra non-empty cells under
  `column-<n>` (1-based);
- repeated header names get `-2`, `-3`… so no cell is lost;
- an empty report (no bytes, or only a header) has no rows.
A line longer than `max_line` characters raises `MalformedReport` as soon as the excess is seen.
"""
from __future__ import annotations

import codecs
import csv
from typing import Callable

from . import charsets
from .errors import MalformedReport

MAX_LINE = 1 << 20                  # characters; Amazon's longest real rows are a few KB

Row = dict[str, str]


class RowReader:
    def __init__(self, *, content_type: str | None = None, marketplace_id: str | None = None,
                 report_type: str | None = None, max_line: int = MAX_LINE) -> None:
        self.content_type, self.marketplace_id, self.report_type = content_type, marketplace_id, report_type
        self.max_line = max_line
        self.codec: str | None = None       # chosen on the first bytes
        self.header: list[str] | None = None
        self._head = b""
        self._decoder: codecs.IncrementalDecoder | None = None
        self._pending = ""                  # the current line's text so far
        self._split: Callable[[str], list[str]] = _tabs
        self._width = 0

    # -- bytes in -----------------------------------------------------------------------------
    def feed(self, chunk: bytes) -> list[Row]:
        if self._decoder is None:
            self._head += chunk
            if len(self._head) < charsets.LONGEST_BOM:
                return []
            chunk = self._start()
        return self._text(self._decoding.decode(chunk))

    def close(self) -> list[Row]:
        if self._decoder is None:
            chunk = self._start()
            rows = self._text(self._decoding.decode(chunk, final=True))
        else:
            rows = self._text(self._decoder.decode(b"", final=True))
        if self._pending:
            rows += self._line(self._pending)
            self._pending = ""
        return rows

    @property
    def _decoding(self) -> codecs.IncrementalDecoder:
        assert self._decoder is not None, "_start() chooses the decoder before any text is decoded"
        return self._decoder

    def _start(self) -> bytes:
        """Choose the codec from the first bytes; what is left of them after a BOM."""
        head, self._head = self._head, b""
        marked = charsets.bom(head)
        if marked:
            self.codec, skip = marked
            head = head[skip:]
        else:
            self.codec = charsets.declared(self.content_type) or charsets.fallback(self.marketplace_id,
                                                                                    self.report_type)
        self._decoder = codecs.getincrementaldecoder(self.codec)(errors="replace")
        return head

    # -- text to lines --------------------------------------------------------------------------
    def _text(self, text: str) -> list[Row]:
        if "\n" not in text:
            self._pending += text
            self._check(self._pending)
            return []
        lines = text.split("\n")
        lines[0] = self._pending + lines[0]
        self._pending = lines.pop()
        self._check(self._pending)
        rows: list[Row] = []
        for line in lines:
            self._check(line)
            rows += self._line(line)
        return rows

    def _check(self, line: str) -> None:
        if len(line) > self.max_line:
            raise MalformedReport(f"The report has a line longer than {self.max_line} characters; "
                                  "it is not a flat-file report this reader can take")

    # -- lines to rows --------------------------------------------------------------------------
    def _line(self, line: str) -> list[Row]:
        line = line.removesuffix("\r")
        if self.header is None:
            line = line.lstrip("\ufeff")
            if line.strip():
                self._set_header(line)
            return []
        if not line.strip():
            return []
        cells = self._split(line)
        if len(cells) == self._width:
            return [dict(zip(self.header, cells))]
        return [self._uneven(cells)]

    def _set_header(self, line: str) -> None:
        if "\t" not in line and "," in line:
            self._split = _csv
        names = [name.strip() for name in self._split(line)]
        while names and not names[-1]:
            names.pop()                     # the trailing tab of Amazon's header line
        seen: dict[str, int] = {}
        for n, name in enumerate(names):
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                names[n] = f"{name}-{seen[name]}"
        self.header, self._width = names, len(names)

    def _uneven(self, cells: list[str]) -> Row:
        width = self._width
        if len(cells) < width:
            return dict(zip(self.header or (), cells + [""] * (width - len(cells))))
        row = dict(zip(self.header or (), cells))
        row.update({f"column-{n + 1}": cell for n, cell in enumerate(cells[width:], start=width) if cell})
        return row


def _tabs(line: str) -> list[str]:
    return line.split("\t")


def _csv(line: str) -> list[str]:
    return next(csv.reader([line]), [])
