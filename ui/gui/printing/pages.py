"""A PDF's pages as pictures, for the preview and for Qt's printer (pypdfium2). No Qt here: the
worker renders plain RGB bytes; the GUI thread wraps them in QImages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PREVIEW_DPI = 96.0
MAX_PREVIEW_PAGES = 12


@dataclass(frozen=True)
class PageImage:
    width: int
    height: int
    rgb: bytes  # width * height * 3 bytes, row by row


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    pages: tuple[PageImage, ...]  # the first pages only (see page_count)
    page_count: int | None  # None: no renderer here (pypdfium2 missing), so no pictures


def render_pages(pdf: bytes, dpi: float, limit: int | None = None) -> RenderedPdf:
    try:
        import pypdfium2 as pdfium  # optional: without it the preview shows no pictures
    except ImportError:
        return RenderedPdf(pdf, (), None)
    document = pdfium.PdfDocument(pdf)
    try:
        count = len(document)
        pages = []
        for index in range(count if limit is None else min(limit, count)):
            image = document[index].render(scale=dpi / 72).to_pil().convert("RGB")
            pages.append(PageImage(image.width, image.height, image.tobytes()))
        return RenderedPdf(pdf, tuple(pages), count)
    finally:
        document.close()


def build_and_render(build: Callable[[str], bytes], key: str, dpi: float) -> RenderedPdf:
    """Runs on the worker: the PDF for ``key``, and pictures of its first pages."""
    return render_pages(build(key), dpi, MAX_PREVIEW_PAGES)
