"""An interactive matplotlib canvas for widgets: ipympl without its side effects, sending whole frames, and word
labels stamped from cached bitmaps.

Why whole frames: ipympl 0.10 (matplotlib's webagg core) sends each frame as a PNG of the pixels that changed
("diff" mode) and its front end cancels an image still loading when the next one arrives, so after two quick
clicks a diff is lost and the browser keeps stale pixels for good (measured: 3,229 wrong pixels after 30 clicks
30 ms apart). A whole frame ("full" mode, which the webagg core already has) replaces everything the browser
shows: frames may be skipped under a burst, but the last one painted is always the kernel's figure.
"""

from __future__ import annotations

import base64
import io
import sys
import threading
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from PIL import Image


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


#: Held by whatever draws or changes what a widget shows: a widget callback (:func:`helpers.widgets.common.report_errors`),
#: a browser message to a canvas, a figure's ``pixels`` or ``png``. JupyterLab 4 with ipykernel 7 delivers widget
#: messages on kernel subshell threads as well as the main thread (measured: Play's ticks on a subshell, Step clicks
#: on the main thread, two draws at once), and every canvas of one size draws into one shared renderer: a full draw
#: on one thread cached its blitting background while another thread's moving artists were in the renderer, which
#: baked ghosts of old frames into every later frame. Re-entrant: a callback's draw takes it again.
DRAW_LOCK = threading.RLock()

_ipympl = _import_ipympl_keeping_the_backend()
Canvas, FigureManager = _ipympl.Canvas, _ipympl.FigureManager


class FullFrameCanvas(Canvas):
    """ipympl's canvas, always sending whole frames (see the module's docstring), and holding no pixels of its own.

    Memory: a canvas's Agg renderer is a whole frame of pixels (1.0 MB at 528 x 490, 4.1 MB on a HiDPI screen) and
    Agg keeps it between draws; 50 widgets would hold 50. Here every canvas of one size draws into one shared
    renderer: a frame is drawn, encoded and sent in one go (the kernel runs one callback at a time), so no canvas
    reads its pixels later. What a canvas keeps is the PNG of its last frame (about 55 kB), for the re-send; it
    keeps no copy for diffs either (a diff needs one).
    """

    #: One Agg renderer per (width, height, dpi), shared by every canvas of that size; the most recent few only.
    _renderers: dict[tuple, RendererAgg] = {}
    _MAX_RENDERERS = 3

    def _handle_message(self, object: Any, content: dict, buffers: list) -> None:
        with DRAW_LOCK:  # the browser's draw, resize and refresh requests arrive on any kernel thread
            super()._handle_message(object, content, buffers)

    #: The PNG of the last frame sent (None before the first).
    _last_frame: bytes | None = None

    def get_renderer(self) -> RendererAgg:
        # Whoever draws next overwrites the pixels: callers draw into the renderer and read it right away.
        width, height = self.get_width_height(physical=True)
        key = (width, height, self.figure.dpi)
        renderer = self._renderers.pop(key, None)
        if renderer is None:
            renderer = RendererAgg(width, height, self.figure.dpi)
        self._renderers[key] = renderer  # most recently used last
        while len(self._renderers) > self._MAX_RENDERERS:
            del self._renderers[next(iter(self._renderers))]
        self.renderer, self._lastKey = renderer, key
        return renderer

    def get_diff_image(self) -> bytes | None:
        if not self._png_is_old:
            return None
        self.set_image_mode("full")  # tells the front end to clear before painting
        self._png_is_old = False
        with io.BytesIO() as png:
            # Level 1: a frame is mostly white, the fastest level is barely bigger and encodes in half the time.
            Image.fromarray(np.asarray(self.get_renderer().buffer_rgba())).save(png, format="png", compress_level=1)
            self._last_frame = png.getvalue()
        return self._last_frame

    #: Seconds after the last frame of a burst when that frame is sent once more.
    SETTLE_SECONDS = 0.3

    def send_binary(self, data: bytes) -> None:
        # ipympl 0.10 stores frames drawn before the browser view exists as bare base64, without the
        # "data:image/png;base64," prefix; JupyterLab then fails on the broken image ("Error setting state:
        # drawImage ...") and the canvas stays 0 px tall. A whole frame is the PNG itself: store it as a data URL.
        if self.syncing_data_url:
            self._data_url = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        self.send({"data": '{"type": "binary"}'}, buffers=[data])
        if not getattr(self, "_settling", False):
            self._schedule_settle()

    def _schedule_settle(self) -> None:
        """Send the last frame again once no new one came for SETTLE_SECONDS.

        Whole frames made stale pixels impossible, yet bursts still ended with the browser showing an earlier
        frame: ipympl's front end drops a frame now and then (its handle_binary swaps the image source and
        revokes the previous blob URL with nothing ordering the loads). Sending the last frame again once the
        burst is over (when nothing else is in flight) repairs that; it costs one frame. Measured 2026-12-01 with
        tests/test_browser.py's burst test: without the re-send 2 runs of 5 ended wrong after "clicks during Play"
        (976 and 1,619 wrong pixels); with it 0 wrong pixels in 36 bursts over 6 runs.
        Without a running event loop (tests, scripts) nothing is scheduled.
        """
        try:
            from tornado.ioloop import IOLoop

            loop = IOLoop.current()
        except Exception:  # noqa: BLE001 - no loop: nothing to repair later
            return
        handle = getattr(self, "_settle_handle", None)
        if handle is not None:
            loop.remove_timeout(handle)
        self._settle_handle = loop.call_later(self.SETTLE_SECONDS, self._settle)

    def close(self) -> None:
        """Close the widget, drop a pending re-send (the event loop would keep the canvas alive) and the last frame."""
        handle = getattr(self, "_settle_handle", None)
        if handle is not None:
            from tornado.ioloop import IOLoop

            IOLoop.current().remove_timeout(handle)
            self._settle_handle = None
        self._last_frame = None
        self.__dict__.pop("renderer", None)
        self._lastKey = None
        super().close()

    def _settle(self) -> None:
        self._settle_handle = None
        if self.comm is None or self._last_frame is None:
            return  # closed
        self._settling = True
        try:
            # The PNG already sent, not the shared renderer: another canvas may have drawn into it since.
            self.send_binary(self._last_frame)
        finally:
            self._settling = False


class PackedPixels:
    """A zlib-packed copy of a renderer's whole RGBA buffer: a blitting background that costs kilobytes, not a
    frame's megabyte (the figure's static parts are mostly white: 0.9 MB pack into about 35 kB, and unpack in about
    1 ms).

    Parameters
    ----------
    renderer : RendererAgg
        Its pixels now, shape (height, width, 4).
    """

    def __init__(self, renderer: RendererAgg) -> None:
        pixels = np.asarray(renderer.buffer_rgba())
        self.shape = pixels.shape
        self._packed = zlib.compress(pixels, 1)

    @property
    def nbytes(self) -> int:
        return len(self._packed)

    def fits(self, renderer: RendererAgg) -> bool:
        """True if ``renderer`` has the size these pixels came from (a HiDPI screen or a resize changes it)."""
        return np.asarray(renderer.buffer_rgba()).shape == self.shape

    def paste(self, renderer: RendererAgg) -> None:
        """Overwrite every pixel of ``renderer`` with these."""
        np.asarray(renderer.buffer_rgba())[...] = np.frombuffer(zlib.decompress(self._packed),
                                                                 np.uint8).reshape(self.shape)


class LabelStamp(Artist):
    """A word label at a data point, drawn from a bitmap rendered once per word and resolution.

    Laying out and rasterising text is most of the cost of redrawing a frame; a label whose text does not change
    only needs its pixels copied to the new position. The label's lower-left corner sits at its point plus an
    offset in pixels (see :meth:`set_offset`), which the caller chooses so that labels do not overlap.
    """

    _bitmaps: dict[tuple, np.ndarray] = {}  # shared: every label of a word looks the same

    def __init__(self, *, fontsize: float, color: str, style: str = "normal", in_axes_coords: bool = False) -> None:
        super().__init__()
        self.text = ""
        self.xy = (0.0, 0.0)
        self.offset = (0.0, 0.0)
        self._props = {"fontsize": fontsize, "color": color, "style": style}
        self._in_axes_coords = in_axes_coords  # xy in axes fractions (0..1), not data

    def set_text(self, text: str) -> None:
        self.text = text

    def set_position(self, xy: Sequence[float]) -> None:
        self.xy = (float(xy[0]), float(xy[1]))

    def set_offset(self, offset: Sequence[float]) -> None:
        """Pixels from the point to the label's lower-left corner."""
        self.offset = (float(offset[0]), float(offset[1]))

    def size(self, dpi: float) -> tuple[int, int]:
        """(width, height) of the label in pixels at ``dpi``; (0, 0) without text."""
        if not self.text:
            return 0, 0
        height, width = self._bitmap(dpi).shape[:2]
        return width, height

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
        renderer.draw_image(gc, round(x + self.offset[0]), round(y + self.offset[1]), bitmap[::-1])
        gc.restore()
