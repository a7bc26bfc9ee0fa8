"""Amazon seller reports as rows: pure parsing, no I/O, the same for MWS and SP-API.

    async for row in rows(chunks, content_type=resp.headers.get("content-type"), marketplace_id=mid):
        ...                                  # {"item-name": "...", "seller-sku": "...", ...}
    for row in iter_rows(body_bytes, marketplace_id="A1VC38T7YXB528"): ...
    async for text in decode(chunks, content_type=...): ...
    records = XmlRecordReader(); records.feed(chunk) ... records.close()   # XML reports
    parse_xml(body)                          # a whole XML report as a dict
    rows(gunzip(chunks), ...)                # an SP-API document with compressionAlgorithm GZIP

`chunks` is the report body as bytes, an iterable of byte chunks (`iter_rows`) or an async iterable
(`rows`, `decode`: httpx's `response.aiter_bytes()`), so a 1,000,000-row report streams in bounded
memory. Which charset (charsets.py), Amazon's flat-file quirks and the line limit (flat.py), XML
(xml.py); every failure is a `MalformedReport` (errors.py).
"""
from __future__ import annotations

import codecs
import zlib
from typing import AsyncIterable, AsyncIterator, Iterable, Iterator, Union

from . import charsets
from .charsets import codec_for
from .errors import MalformedReport
from .flat import MAX_LINE, Row, RowReader
from .xml import XmlRecordReader, element_data, parse_xml

__all__ = ["MAX_LINE", "MalformedReport", "Row", "RowReader", "XmlRecordReader", "codec_for", "decode",
           "element_data", "gunzip", "iter_rows", "parse_xml", "rows"]

Body = Union[bytes, bytearray, memoryview]


def iter_rows(chunks: Body | Iterable[bytes], **options) -> Iterator[Row]:
    """Rows of a flat-file report given as bytes or an iterable of byte chunks (options: RowReader's)."""
    reader = RowReader(**options)
    for chunk in ([bytes(chunks)] if isinstance(chunks, (bytes, bytearray, memoryview)) else chunks):
        yield from reader.feed(chunk)
    yield from reader.close()


async def rows(chunks: Body | AsyncIterable[bytes], **options) -> AsyncIterator[Row]:
    """Rows of a flat-file report given as bytes or an async iterable of byte chunks."""
    if isinstance(chunks, (bytes, bytearray, memoryview)):
        for row in iter_rows(chunks, **options):
            yield row
        return
    reader = RowReader(**options)
    async for chunk in chunks:
        for row in reader.feed(chunk):
            yield row
    for row in reader.close():
        yield row


async def decode(chunks: Body | AsyncIterable[bytes], *, content_type: str | None = None,
                 marketplace_id: str | None = None, report_type: str | None = None) -> AsyncIterator[str]:
    """The report's text, piece by piece, in the charset chosen as `RowReader` chooses it (BOM dropped)."""
    async def source() -> AsyncIterator[bytes]:
        if isinstance(chunks, (bytes, bytearray, memoryview)):
            yield bytes(chunks)
        else:
            async for chunk in chunks:
                yield chunk

    head, decoder = b"", None
    async for chunk in source():
        if decoder is None:
            head += chunk
            if len(head) < charsets.LONGEST_BOM:
                continue
            decoder, chunk = _decoder(head, content_type, marketplace_id, report_type)
        text = decoder.decode(chunk)
        if text:
            yield text
    if decoder is None:
        decoder, head = _decoder(head, content_type, marketplace_id, report_type)
        text = decoder.decode(head, final=True)
    else:
        text = decoder.decode(b"", final=True)
    if text:
        yield text


def _decoder(head: bytes, content_type, marketplace_id, report_type) -> tuple[codecs.IncrementalDecoder, bytes]:
    marked = charsets.bom(head)
    if marked:
        codec, skip = marked
        head = head[skip:]
    else:
        codec = charsets.declared(content_type) or charsets.fallback(marketplace_id, report_type)
    return codecs.getincrementaldecoder(codec)(errors="replace"), head


async def gunzip(chunks: AsyncIterable[bytes], *, max_chunk: int = 1 << 20) -> AsyncIterator[bytes]:
    """Decompress a gzip (or zlib) stream chunk by chunk, each output piece at most `max_chunk` bytes,
    so a small compressed chunk cannot blow up in memory (reports.md §2: SP-API GZIP documents)."""
    inflater = zlib.decompressobj(wbits=47)          # 32 + 15: gzip or zlib header, detected
    try:
        async for chunk in chunks:
            data = inflater.decompress(chunk, max_chunk)
            while data:
                yield data
                data = inflater.decompress(inflater.unconsumed_tail, max_chunk)
        data = inflater.flush()
    except zlib.error as exc:
        raise MalformedReport(f"The compressed report is not valid gzip: {exc}") from None
    if data:
        yield data
    if not inflater.eof:
        raise MalformedReport("The compressed report ends before its gzip stream does")
