"""A kernel on a student's server, driven over the Jupyter server's websocket as JupyterLab drives it: cells are
execute requests, and widgets are comm messages. The Step button is clicked the way the browser clicks it (a
``custom`` comm message ``{"event": "click"}`` to the button's model), and the ipympl canvas gets what its front
end sends (``initialized`` on display, ``draw`` when the kernel asks for a frame), so a step is done when the new
PNG frame has arrived, as on a student's screen.

Wire format: the server's default (no subprotocol) JSON text frames, and for messages with buffers (ipympl's
frames) its binary framing: a count, offsets, the JSON message, then the buffers.
"""

from __future__ import annotations

import asyncio
import json
import struct
import time
import uuid
from dataclasses import dataclass, field

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect


def decode(frame: str | bytes) -> dict:
    """A websocket frame as a message dict (``buffers`` a list of bytes)."""
    if isinstance(frame, str):
        message = json.loads(frame)
        message["buffers"] = []
        return message
    count = struct.unpack("!I", frame[:4])[0]
    offsets = [*struct.unpack(f"!{count}I", frame[4:4 * (count + 1)]), len(frame)]
    parts = [frame[offsets[i]:offsets[i + 1]] for i in range(count)]
    message = json.loads(parts[0].decode("utf-8"))
    message["buffers"] = parts[1:]
    return message


@dataclass
class Run:
    """One request to the kernel and what came back for it."""

    sent: float
    first_output: float | None = None
    done: float | None = None
    status: str | None = None  # execute_reply's "ok" / "error"
    error: str | None = None
    stdout: list[str] = field(default_factory=list)
    needs_reply: bool = False  # an execute request ends with its reply and the idle status, in either order
    idle: bool = False
    finished: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def latency(self) -> float:
        return (self.done or time.monotonic()) - self.sent


class KernelConnection:
    """One websocket to one kernel; :meth:`listen` must run as a task while it is used."""

    def __init__(self, ws, username: str) -> None:
        self.ws, self.username = ws, username
        self.session = uuid.uuid4().hex
        self.runs: dict[str, Run] = {}
        self.models: dict[str, dict] = {}  # comm id -> widget state (with "_model_name")
        self.frames = 0  # PNG frames the canvas sent
        self.frame_arrived = asyncio.Event()
        self.waiting_for_image = False  # as ipympl's front end: one draw request at a time
        self.closed: str | None = None

    @classmethod
    async def open(cls, base_url: str, token: str, kernel_id: str, username: str,
                   timeout: float = 60) -> KernelConnection:
        url = f"{base_url.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
        request = HTTPRequest(url, headers={"Authorization": f"token {token}"}, connect_timeout=timeout,
                              request_timeout=timeout)
        ws = await websocket_connect(request, max_message_size=64 * 2**20)
        return cls(ws, username)

    def close(self) -> None:
        self.ws.close()

    # ----- sending -------------------------------------------------------------------------------------------

    def _send(self, msg_type: str, content: dict, channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        self.ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": self.username, "session": self.session,
                       "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}))
        return msg_id

    async def execute(self, code: str, timeout: float) -> Run:
        """Run ``code`` as a cell; returns when the kernel is idle again (or raises TimeoutError)."""
        run = Run(sent=time.monotonic(), needs_reply=True)
        msg_id = self._send("execute_request", {"code": code, "silent": False, "store_history": True,
                                                "user_expressions": {}, "allow_stdin": False,
                                                "stop_on_error": True})
        self.runs[msg_id] = run
        await self._wait(run.finished, timeout, "the cell")
        return run

    def comm_custom(self, comm_id: str, content: dict) -> Run:
        """What a widget's front end sends (``model.send(content)``): a custom comm message."""
        run = Run(sent=time.monotonic())
        msg_id = self._send("comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": content}})
        self.runs[msg_id] = run
        return run

    async def _wait(self, event: asyncio.Event, timeout: float, what: str) -> None:
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(f"{what} did not finish within {timeout:.0f} s") from None
        if self.closed and not event.is_set():
            raise ConnectionError(self.closed)

    # ----- widgets ---------------------------------------------------------------------------------------------

    def find_model(self, model_name: str, **state) -> str:
        """The comm id of the newest widget model of that class whose state has these values."""
        found = [comm for comm, model in self.models.items() if model.get("_model_name") == model_name
                 and all(model.get(key) == value for key, value in state.items())]
        if not found:
            raise LookupError(f"no {model_name} with {state} among the kernel's {len(self.models)} widget models")
        return found[-1]

    def children(self, comm_id: str) -> list[str]:
        return [child.removeprefix("IPY_MODEL_") for child in self.models[comm_id].get("children", [])]

    def show_canvas(self, comm_id: str) -> None:
        """What ipympl's front end sends when the canvas is displayed."""
        self.canvas = comm_id
        for content in ({"type": "set_device_pixel_ratio", "device_pixel_ratio": 1}, {"type": "refresh"},
                        {"type": "send_image_mode"}, {"type": "initialized"}):
            self.comm_custom(comm_id, content)

    async def next_frame(self, after: int, timeout: float) -> None:
        """Wait until the canvas has sent more than ``after`` frames."""
        deadline = time.monotonic() + timeout
        while self.frames <= after:
            self.frame_arrived.clear()
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                raise TimeoutError(self.closed or f"no new frame of the canvas within {timeout:.0f} s")
            try:
                await asyncio.wait_for(self.frame_arrived.wait(), left)
            except asyncio.TimeoutError:
                pass

    # ----- receiving -------------------------------------------------------------------------------------------

    async def listen(self) -> None:
        while True:
            frame = await self.ws.read_message()
            if frame is None:
                self.closed = f"the kernel's websocket closed ({self.ws.close_code} {self.ws.close_reason})"
                for run in self.runs.values():
                    run.finished.set()
                self.frame_arrived.set()
                return
            self._handle(decode(frame))

    def _handle(self, msg: dict) -> None:
        kind, content = msg["header"]["msg_type"], msg["content"]
        run = self.runs.get(msg.get("parent_header", {}).get("msg_id"))
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.models[content["comm_id"]] = dict(content["data"].get("state", {}))
        elif kind == "comm_msg":
            self._comm_message(content, msg["buffers"])
        if run is None:
            return
        if kind in ("stream", "display_data", "execute_result", "error") and run.first_output is None:
            run.first_output = time.monotonic()
        if kind == "stream" and content.get("name") == "stdout":
            run.stdout.append(content["text"])
        elif kind == "error":
            run.error = f"{content['ename']}: {content['evalue']}"
        elif kind == "execute_reply":
            run.status = content["status"]
        elif kind == "status" and content["execution_state"] == "idle":
            run.idle, run.done = True, time.monotonic()
        if run.idle and (run.status is not None or not run.needs_reply):
            run.done = max(run.done, time.monotonic())
            run.finished.set()

    def _comm_message(self, content: dict, buffers: list[bytes]) -> None:
        data, comm_id = content.get("data", {}), content.get("comm_id")
        if data.get("method") == "update" and comm_id in self.models:
            self.models[comm_id].update(data.get("state", {}))
        elif data.get("method") == "custom" and comm_id == getattr(self, "canvas", None):
            event = json.loads(data["content"].get("data", "{}"))
            if event.get("type") == "draw" and not self.waiting_for_image:
                self.waiting_for_image = True
                self.comm_custom(comm_id, {"type": "draw"})
            elif event.get("type") == "binary" and buffers:
                self.waiting_for_image = False
                self.frames += 1
                self.frame_arrived.set()
