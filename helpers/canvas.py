"""A fast interactive matplotlib canvas for widgets: ipympl without its side effects, a quick PNG encoder,
and word labels stamped from cached bitmaps.

A widget step must redraw in a few milliseconds; these three pieces take the largest costs out of a frame
(rasterising text, encoding the PNG diff) and keep ``import ipympl`` from switching every notebook figure to a
live canvas without a static image.
"""

from __future__ import annotations

import base64
import struct
import sys
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def _import_ipympl_keeping_the_backend() -> Any:
    """Import ipympl's canvas without letting it change pyplot's backend.

    ``ipympl/__init__.py`` calls ``matplotlib.use("ipympl")`` if matplotlib is already loaded: every later ``plt``
    figure of the notebook would become a live widget without a static image, and switching back would not restore
    the inline backend's PNG output. The step widget builds its own canvas and needs no backend, so ipympl's
    ``__init__`` runs while matplotlib is hidden from it (it imports nothing but its version).
    """
    if "ipympl" not in sys.modules:
        loaded = sys.modules.pop("matplotlib", None)
        try:
            import ipympl  # noqa: F401
        finally:
            if loaded is not None:
                sys.modules["matplotlib"] = loaded
    from ipympl import backend_nbagg

    return backend_nbagg


_ipympl = _import_ipympl_keeping_the_backend()
Canvas, FigureManager = _ipympl.Canvas, _ipympl.FigureManager


def png_bytes(rgba: np.ndarray) -> bytes:
    """PNG file bytes of an (h, w, 4) uint8 image, written for speed: no row filters, zlib level 1.

    A frame's diff is mostly empty pixels: this costs about half of Pillow's PNG encoder (which tries a filter per
    row and compresses harder) for the same size, and encoding is the largest cost of a widget step.
    """
    height, width, _ = rgba.shape
    rows = np.zeros((height, 1 + 4 * width), dtype=np.uint8)  # each row starts with its filter type, 0 = none
    rows[:, 1:] = rgba.reshape(height, 4 * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits per channel, RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
            + chunk(b"IEND", b""))


class FastCanvas(Canvas):
    """ipympl's canvas, sending each frame's PNG diff through the fast encoder :func:`png_bytes`.

    The body of ``get_diff_image`` is matplotlib 3.11's otherwise.
    """

    def get_diff_image(self) -> bytes | None:
        if not self._png_is_old:
            return None
        pixels = np.asarray(self.get_renderer().buffer_rgba())
        buff = pixels.view(np.uint32).squeeze(2)
        if self._force_full or buff.shape != self._last_buff.shape or (pixels[:, :, 3] != 255).any():
            self.set_image_mode("full")
            output = buff
        else:
            self.set_image_mode("diff")
            output = np.where(buff != self._last_buff, buff, 0)
        self._last_buff = buff.copy()
        self._force_full = False
        self._png_is_old = False
        return png_bytes(output.view(np.uint8).reshape((*output.shape, 4)))

    def send_binary(self, data: bytes) -> None:
        # ipympl 0.10 stores frames drawn before the browser view exists as bare base64, without the
        # "data:image/png;base64," prefix; JupyterLab then fails on the broken image ("Error setting state:
        # drawImage ...") and the canvas stays 0 px tall. The step widget draws before it is shown, so store a
        # valid data URL (found by tests/test_browser.py).
        if self.syncing_data_url:
            pixels = self._last_buff.view(np.uint8).reshape((*self._last_buff.shape, 4))
            self._data_url = "data:image/png;base64," + base64.b64encode(png_bytes(pixels)).decode("ascii")
        self.send({"data": '{"type": "binary"}'}, buffers=[data])


class LabelStamp(Artist):
    """A word label at a data point, drawn from a bitmap rendered once per word and resolution.

    Laying out and rasterising text is most of the cost of redrawing a frame; a label whose text does not change
    only needs its pixels copied to the new position.
    """

    _bitmaps: dict[tuple, np.ndarray] = {}  # shared: every label of a word looks the same

    def __init__(self, *, fontsize: float, color: str, style: str = "normal", below: bool = False,
                 right_aligned: bool = False, in_axes_coords: bool = False) -> None:
        super().__init__()
        self.text = ""
        self.xy = (0.0, 0.0)
        self._props = {"fontsize": fontsize, "color": color, "style": style}
        self._below = below  # hangs below the point instead of sitting on it
        self._right_aligned = right_aligned  # ends at the point instead of starting there
        self._in_axes_coords = in_axes_coords  # xy in axes fractions (0..1), not data

    def set_text(self, text: str) -> None:
        self.text = text

    def set_position(self, xy: Sequence[float]) -> None:
        self.xy = (float(xy[0]), float(xy[1]))

    def _bitmap(self, dpi: float) -> np.ndarray:
        key = (self.text, dpi, *self._props.values())
        if key not in self._bitmaps:
            figure = Figure(figsize=(4, 1), dpi=dpi)
            figure.patch.set_alpha(0)
            canvas = FigureCanvasAgg(figure)
            label = figure.text(0.01, 0.3, self.text, **self._props)
            canvas.draw()
            box = label.get_window_extent(canvas.get_renderer())
            pixels = np.asarray(canvas.buffer_rgba())
            top = pixels.shape[0]
            self._bitmaps[key] = pixels[int(top - np.ceil(box.y1)):int(top - np.floor(box.y0)),
                                        int(np.floor(box.x0)):int(np.ceil(box.x1))].copy()
        return self._bitmaps[key]

    def draw(self, renderer: Any) -> None:
        if not self.get_visible() or not self.text:
            return
        bitmap = self._bitmap(renderer.dpi)
        x, y = (self.axes.transAxes if self._in_axes_coords else self.axes.transData).transform(self.xy)
        if not self.axes.bbox.contains(x, y):
            return
        gc = renderer.new_gc()
        gc.set_clip_rectangle(self.axes.bbox)
        height, width = bitmap.shape[:2]
        renderer.draw_image(gc, round(x - width if self._right_aligned else x),
                            round(y - height if self._below else y), bitmap[::-1])
        gc.restore()
