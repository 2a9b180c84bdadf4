"""The step widget's plot: every word's 2-D input vector, the last update's nudges as arrows, and the history of
the loss and of cos(pair). A view: it draws what it is given (trainer, record, histories) and computes nothing
about training.

Sized for a projector: 528 x 490 px at 100 dpi, so it fits the 577 px a 1024x768 screen leaves with JupyterLab's
file browser open (531 px in View > Presentation Mode, whose prompts are wider), and its smallest text (11 pt at
100 dpi, 15.3 px) reads at 11 pt on that screen. The axes, ticks and legend are drawn once into a cached background
(kept zlib-packed: :class:`helpers.widgets.canvas.PackedPixels`); an update redraws only the moving artists over it
(blitting). Frames go to the browser whole (see :mod:`helpers.widgets.canvas`). The history panels are :mod:`.history_panels`; label placement is :mod:`.label_layout`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..model.records import UpdateRecord
from ..plots.style import OKABE_ITO, class_label, class_styles, marker_edge
from .canvas import DRAW_LOCK, FigureManager, FullFrameCanvas, LabelStamp, PackedPixels
from .history_panels import FONT, HistoryPanels
from .label_layout import nice_magnification, place_labels

TARGET_COLOUR = OKABE_ITO["black"]
OUTPUT_COLOUR = OKABE_ITO["reddish purple"]
SIZE_INCHES, DPI = (5.28, 4.9), 100  # 528 x 490 px: 11-pt text is 15.3 px
#: The smallest half-width of the view (data units): the scale halves down to it when the vectors shrink.
MIN_LIMIT = 1 / 64
#: Points of each traced word's path drawn: its most recent positions.
TRAIL_POINTS = 40


class StepFigure:
    """The figure of a step widget for one vocabulary; :meth:`show` draws a state.

    Parameters
    ----------
    words : sequence of str
        The trainer's vocabulary, in id order.
    classes : mapping of word to class
        Colour and marker of each word's point (one class for all is fine).
    class_order : sequence of str
        Legend order of the classes.
    pair : (str, str)
        The words whose cosine is plotted and whose paths are traced.
    """

    def __init__(self, words: Sequence[str], classes: Mapping[str, str], class_order: Sequence[str],
                 pair: tuple[str, str]) -> None:
        self.figure = fig = Figure(figsize=SIZE_INCHES, dpi=DPI)
        self.canvas = FullFrameCanvas(fig)
        FigureManager(self.canvas, 0)  # ipympl wants a manager for its toolbar and resize messages
        self.canvas.toolbar_visible = False
        self.canvas.header_visible = False
        self.canvas.footer_visible = False
        self.canvas.resizable = False
        self.canvas.add_class("wv-step-canvas")
        self.canvas.mpl_connect("draw_event", self._on_full_draw)
        self._background = None
        self._saving = False
        self.build(words, classes, class_order, pair)

    # ----- building --------------------------------------------------------------------------------------------

    def build(self, words: Sequence[str], classes: Mapping[str, str], class_order: Sequence[str],
              pair: tuple[str, str]) -> None:
        """(Re)create every artist for this vocabulary (the learner's own sentences bring a new one)."""
        fig = self.figure
        fig.clear()
        self.words, self.pair = list(words), tuple(pair)
        self.limit = 0.5  # half-width of the plane's view in data units; doubles when a vector nears the edge
        self._limits: tuple = ()  # (history limits..., plane scale) of the last full draw
        self._background = None
        ax = self.ax_plane = fig.add_axes((0.075, 0.30, 0.52, 0.56))
        self.history = HistoryPanels(fig, self.pair)
        styles = class_styles(list(class_order))  # the same colour and marker as every other plot of the course
        self._class_rows, self._class_lines = {}, {}
        for cls in class_order:
            colour, marker = styles[cls]
            self._class_rows[cls] = np.array([i for i, w in enumerate(words) if classes[w] == cls], dtype=int)
            (self._class_lines[cls],) = ax.plot([], [], ls="", marker=marker, color=colour, ms=8,
                                                mec=marker_edge(colour), mew=0.6, label=class_label(cls), zorder=3)
        self._labels = [self._stamp(w, color=OKABE_ITO["black"]) for w in words]
        self._trail_lines = [ax.plot([], [], ls=":", lw=1.2, marker="", color=OKABE_ITO["black"], alpha=0.6,
                                     zorder=2)[0] for _ in pair]
        (self._context_point,) = ax.plot([], [], ls="", marker="*", ms=13, mfc="none", mec=OUTPUT_COLOUR, mew=1.5,
                                         zorder=3)
        (self._noise_points,) = ax.plot([], [], ls="", marker="X", ms=10, mfc="none", mec=OUTPUT_COLOUR, mew=1.2,
                                        zorder=3)
        self._output_labels: list[LabelStamp] = []
        self._target_arrow = ax.quiver([0], [0], [0], [0], angles="xy", scale_units="xy", scale=1, width=0.008,
                                       color=TARGET_COLOUR, zorder=5)
        self._output_arrows = ax.quiver([0], [0], [0], [0], angles="xy", scale_units="xy", scale=1, width=0.005,
                                        color=OUTPUT_COLOUR, zorder=5)
        self._arrow_note = self._stamp("", color=OKABE_ITO["black"], in_axes_coords=True)
        self._arrow_note.set_position((0.02, 0.02))
        # Vectors are drawn divided by a scale that doubles as they grow, with a scale bar instead of tick labels:
        # the axes never change, so growing vectors never force a full redraw.
        ax.plot([-0.95, -0.45], [0.93, 0.93], color=OKABE_ITO["black"], lw=3, marker="|", ms=8)
        self._scale_label = self._stamp("", color=OKABE_ITO["black"])
        self._scale_label.set_position((-0.95, 0.80))  # under the bar
        ax.axhline(0, color="#999", lw=0.8, zorder=1)
        ax.axvline(0, color="#999", lw=0.8, zorder=1)
        ax.set(xlim=(-1.0, 1.0), ylim=(-1.0, 1.0), xticks=[], yticks=[])
        ax.set_aspect("equal", adjustable="box")
        ax.apply_aspect()  # now, not at the first draw: labels are placed in pixels before that draw
        ax.set_title("input vectors and\nthe last update's nudges", fontsize=FONT + 1, loc="left")
        ax.set_xlabel("dimension 1", fontsize=FONT, labelpad=2)
        ax.set_ylabel("dimension 2", fontsize=FONT, labelpad=2)
        handles = [*self._class_lines.values(),
                   Line2D([], [], ls="", marker="*", ms=11, mfc="none", mec=OUTPUT_COLOUR, mew=1.5),
                   Line2D([], [], ls="", marker="X", ms=9, mfc="none", mec=OUTPUT_COLOUR, mew=1.2),
                   Line2D([], [], color=TARGET_COLOUR, lw=2.5), Line2D([], [], color=OUTPUT_COLOUR, lw=1.5)]
        names = [*(class_label(c) for c in class_order), "context (output vector)", "noise or other words (output)",
                 "nudge of the target", "nudges of output vectors"]
        fig.legend(handles, names, loc="lower left", bbox_to_anchor=(0.0, 0.0), ncols=2, fontsize=FONT,
                   frameon=False, handlelength=1.6, columnspacing=1.0, handletextpad=0.4, labelspacing=0.25)
        self._moving = [*self._class_lines.values(), *self._labels, *self._trail_lines, self._context_point,
                        self._noise_points, self._target_arrow, self._output_arrows, self._arrow_note,
                        self._scale_label, *self.history.moving]
        for artist in self._moving:
            artist.set_animated(True)

    def _stamp(self, text: str, **props: Any) -> LabelStamp:
        stamp = LabelStamp(fontsize=props.pop("fontsize", FONT), **props)
        stamp.set_text(text)
        stamp.set_zorder(4)
        self.ax_plane.add_artist(stamp)
        return stamp

    def _output_label(self, i: int) -> LabelStamp:
        """The i-th output-vector label, created on first use (softmax labels one, negative sampling 1 + k)."""
        while len(self._output_labels) <= i:
            stamp = self._stamp("", color=OUTPUT_COLOUR, style="italic")
            stamp.set_animated(True)
            self._output_labels.append(stamp)
            self._moving.append(stamp)
        return self._output_labels[i]

    # ----- drawing ---------------------------------------------------------------------------------------------

    def _on_full_draw(self, event: Any) -> None:
        """After any full draw (ours, or one the browser asks for): keep the background, add the moving parts."""
        if self._saving:
            return
        self._background = PackedPixels(self.canvas.get_renderer())  # kilobytes: the canvas keeps no pixels
        self._draw_moving()

    def _draw_moving(self) -> None:
        for artist in self._moving:
            artist.axes.draw_artist(artist)

    def show(self, W_in: np.ndarray, record: UpdateRecord | None, outputs: tuple[np.ndarray, np.ndarray, list[str]],
             loss_history: Sequence[float], cos_history: Sequence[tuple[int, float]],
             trails: Sequence[Sequence[np.ndarray]], steps_done: int) -> None:
        """Draw this state and send the frame.

        Parameters
        ----------
        W_in : ndarray, shape (V, 2)
            The input vectors now.
        record : UpdateRecord or None
            The update whose nudges are drawn (None: no arrows).
        outputs : (ndarray (m, 2), ndarray (m, 2), list of str)
            The output vectors the update touched before it (true context first), how far each moved, and the
            words to label (the first ones of the rows).
        loss_history : sequence of float
        cos_history : sequence of (updates done, cosine)
        trails : one sequence of (2,) vectors per word of the pair
        steps_done : int
        """
        before, moves, labelled = outputs
        extent = max(float(np.abs(W_in).max()), float(np.abs(before).max(initial=0.0)),
                     float(np.abs(before + moves).max(initial=0.0)))
        while extent * 1.15 > self.limit:
            self.limit *= 2
        # ... and halves once the words fit in a third of the view, so a long Play keeps them spread out instead
        # of shrinking into a smudge (a third, not a half: a vector near the boundary does not flip the scale).
        while extent * 1.15 * 3 < self.limit and self.limit > MIN_LIMIT:
            self.limit /= 2
        self._update_plane(W_in, record, before, moves, labelled, trails)
        self.history.update(loss_history, cos_history)
        limits = (*self.history.set_limits(loss_history, steps_done), self.limit)
        with DRAW_LOCK:  # e.g. a new widget in a cell while another one's Play draws on a subshell thread
            renderer = self.canvas.get_renderer()  # shared by every canvas of this size: its pixels are not ours
            if self._background is None or limits != self._limits or not self._background.fits(renderer):
                self._limits = limits
                self.canvas.draw()  # full draw; _on_full_draw caches the background and draws the moving parts
            else:
                self._background.paste(renderer)
                self._draw_moving()
                self.canvas.blit(self.figure.bbox)

    def pixels(self) -> np.ndarray:
        """The frame of the state last shown, drawn afresh (not sent): what the browser must show.

        Returns
        -------
        ndarray of uint8, shape (height, width, 4)
            RGBA, top row first, as the browser's canvas holds it.
        """
        with DRAW_LOCK:  # a cell's call, while a widget message may be drawing on a subshell thread
            renderer = self.canvas.get_renderer()
            if self._background is None or not self._background.fits(renderer):
                FigureCanvasAgg.draw(self.canvas)  # Agg's draw, not ipympl's: nothing is sent
            else:
                self._background.paste(renderer)
                self._draw_moving()
            return np.asarray(renderer.buffer_rgba()).copy()

    def _update_plane(self, W_in: np.ndarray, record: UpdateRecord | None, before: np.ndarray, moves: np.ndarray,
                      labelled: list[str], trails: Sequence[Sequence[np.ndarray]]) -> None:
        scale = self.limit  # data units per view unit
        points = W_in / scale
        for cls, rows in self._class_rows.items():
            self._class_lines[cls].set_data(points[rows, 0], points[rows, 1])
        for line, trail in zip(self._trail_lines, trails):
            path = np.asarray(trail[-TRAIL_POINTS:]).reshape(-1, 2) / scale  # the recent path: a long one smudges
            line.set_data(path[:, 0], path[:, 1])
        self._scale_label.set_text(f"length {scale / 2:g}")  # the bar spans half a view unit
        for label in self._output_labels:
            label.set_visible(False)
        arrows = (self._target_arrow, self._output_arrows, self._context_point, self._noise_points)
        if record is None:
            for artist in arrows:
                artist.set_visible(False)
            self._arrow_note.set_text("")
            self._place([(label, p) for label, p in zip(self._labels, points)], points)
            return
        out, out_moves = before / scale, moves / scale
        self._context_point.set_data(out[:1, 0], out[:1, 1])
        self._noise_points.set_data(out[1:, 0], out[1:, 1])
        target_move = (record.after["target_in"] - record.before["target_in"]) / scale
        # Magnify so that the target's nudge, the update's main actor, is visible; all arrows share the factor.
        longest = max(float(np.linalg.norm(target_move)), float(np.linalg.norm(out_moves, axis=1).max()))
        factor = nice_magnification(float(np.linalg.norm(target_move)), longest, 2.0)
        self._target_arrow.set_offsets(record.before["target_in"][None, :] / scale)
        self._target_arrow.set_UVC([target_move[0] * factor], [target_move[1] * factor])
        if self._output_arrows.N != len(out):  # a quiver's number of arrows is fixed: replace it
            self._moving.remove(self._output_arrows)
            self._output_arrows.remove()
            self._output_arrows = self.ax_plane.quiver(
                out[:, 0], out[:, 1], out_moves[:, 0], out_moves[:, 1], angles="xy", scale_units="xy", scale=1,
                width=0.005, color=OUTPUT_COLOUR, zorder=5, animated=True)
            self._moving.append(self._output_arrows)
        self._output_arrows.set_offsets(out)
        self._output_arrows.set_UVC(out_moves[:, 0] * factor, out_moves[:, 1] * factor)
        for artist in arrows:
            artist.set_visible(True)
        self._arrow_note.set_text("" if factor == 1 else f"arrows ×{factor:g}")
        pending = []
        seen = set()
        for i, (word, position) in enumerate(zip(labelled, out)):
            if word in seen:  # a noise word drawn twice: one label
                continue
            seen.add(word)
            label = self._output_label(len(seen) - 1)
            label.set_text(word)
            label.set_visible(True)
            pending.append((label, position))
        # Input labels first: they name the points the learner follows.
        self._place([*zip(self._labels, points), *pending], np.vstack([points, out]))

    def _place(self, labels: list[tuple[LabelStamp, np.ndarray]], markers: np.ndarray) -> None:
        """Put each label next to its point without overlaps (see :func:`place_labels`)."""
        to_px = self.ax_plane.transData
        box = self.ax_plane.bbox
        anchors = to_px.transform(np.array([p for _, p in labels]).reshape(-1, 2))
        sizes = [label.size(self.figure.dpi) for label, _ in labels]
        offsets = place_labels(anchors, sizes, (box.x0, box.y0, box.x1, box.y1), to_px.transform(markers))
        for (label, position), offset in zip(labels, offsets):
            label.set_position(position)
            label.set_offset(offset)

    def label_boxes(self) -> list[tuple[str, tuple[float, float, float, float], tuple[float, float]]]:
        """Each visible plane label: its text, its box (x0, y0, x1, y1) and its point, in pixels (for checks)."""
        boxes = []
        for label in [*self._labels, *self._output_labels]:
            if not label.get_visible() or not label.text:
                continue
            x, y = self.ax_plane.transData.transform(label.xy)
            w, h = label.size(self.figure.dpi)
            x0, y0 = x + label.offset[0], y + label.offset[1]
            boxes.append((label.text, (x0, y0, x0 + w, y0 + h), (float(x), float(y))))
        return boxes

    # ----- static form and closing -----------------------------------------------------------------------------

    def png(self) -> bytes:
        """The current figure as PNG bytes (moving parts included)."""
        buffer = io.BytesIO()
        with DRAW_LOCK:  # a cell's call, while a widget message may be drawing on a subshell thread
            for artist in self._moving:  # savefig skips animated artists
                artist.set_animated(False)
            self._saving = True
            try:
                self.figure.savefig(buffer, format="png")
            finally:
                for artist in self._moving:
                    artist.set_animated(True)
                self._saving = False
                self._background = None  # savefig drew on the same canvas: cache a clean background next time
        return buffer.getvalue()

    def close(self) -> None:
        """Free the pixels and artists; the figure cannot be drawn again. A closed widget may stay referenced (a
        variable, ``Out[n]``), so nothing big may hang on: every artist list goes, and the canvas's last frame."""
        self.figure.clear()
        self.canvas.close()
        self.canvas._data_url = None
        for name in [k for k in vars(self) if k not in ("figure", "canvas", "words", "pair")]:
            delattr(self, name)
        self.closed = True
