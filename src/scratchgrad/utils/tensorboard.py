"""``torch.utils.tensorboard``: ``SummaryWriter``, logging to TensorBoard event files.

Events are written with tensorboard's own event-file writer and protocol buffers, so
TensorBoard (and anything reading its files) sees what torch's writer would write. Needs
the optional ``tensorboard`` package: ``pip install scratchgrad[tensorboard]``.
"""

from __future__ import annotations

import io
import socket
import time
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

try:
    from tensorboard.compat.proto.event_pb2 import Event, SessionLog
    from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary, SummaryMetadata
    from tensorboard.compat.proto.tensor_pb2 import TensorProto
    from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto
    from tensorboard.plugins.text.plugin_data_pb2 import TextPluginData
    from tensorboard.summary.writer.event_file_writer import EventFileWriter
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError(
        "scratchgrad.utils.tensorboard needs the tensorboard package: "
        "pip install scratchgrad[tensorboard]"
    ) from e


def _default_bins() -> list[float]:
    """TensorFlow's histogram buckets: +-1e-12 growing by 1.1 up to 1e20, and 0."""
    v, buckets = 1e-12, []
    while v < 1e20:
        buckets.append(v)
        v *= 1.1
    return [-b for b in reversed(buckets)] + [0.0] + buckets


def _numpy(x: Any) -> np.ndarray:
    """A Tensor, array or number as a NumPy array."""
    return np.asarray(getattr(x, "data", x) if hasattr(x, "requires_grad") else x)


def _histogram(values: np.ndarray, bins: Any, max_bins: int | None) -> HistogramProto:
    """The histogram proto of ``values``, as torch's ``make_histogram`` builds it."""
    if values.size == 0:
        raise ValueError("The input has no element.")
    values = values.reshape(-1).astype(np.float64)
    counts, limits = np.histogram(values, bins=bins)
    if max_bins is not None and len(counts) > max_bins:
        sub = len(counts) // max_bins
        counts = np.pad(counts, (0, (-len(counts)) % sub)).reshape(-1, sub).sum(axis=-1)
        limits = np.concatenate([limits[:-1:sub], limits[-1:]])
    nonzero = np.cumsum(counts > 0)
    start, end = np.searchsorted(nonzero, [0, nonzero[-1] - 1], side="right")
    start, end = int(start), int(end) + 1
    # TensorBoard keeps right bin edges only: one empty bin on the left keeps the left edge
    counts = counts[start - 1 : end] if start > 0 else np.concatenate([[0], counts[:end]])
    return HistogramProto(
        min=values.min(),
        max=values.max(),
        num=len(values),
        sum=values.sum(),
        sum_squares=values.dot(values),
        bucket_limit=limits[start : end + 1].tolist(),
        bucket=counts.tolist(),
    )


def _hwc(img: np.ndarray, dataformats: str) -> np.ndarray:
    """An image as (H, W, C) with 1 channel made 3, from "CHW", "HWC" or "HW"."""
    fmt = dataformats.upper()
    if len(set(fmt)) != len(fmt) or img.ndim != len(fmt) or fmt not in ("CHW", "HWC", "HW"):
        raise ValueError(
            f"add_image: dataformats must be CHW, HWC or HW matching the image: "
            f"got {dataformats!r} for shape {img.shape}"
        )
    img = img[:, :, None] if fmt == "HW" else img.transpose([fmt.find(c) for c in "HWC"])
    return np.concatenate([img] * 3, axis=2) if img.shape[2] == 1 else img


def _image(img: Any, dataformats: str) -> Summary.Image:
    """PNG-encoded image proto: floats in [0, 1] scaled by 255, uint8 as they are."""
    from PIL import Image  # pillow comes with matplotlib

    arr = _numpy(img)
    scale = 1 if arr.dtype == np.uint8 else 255
    hwc = (_hwc(arr, dataformats).astype(np.float32) * scale).clip(0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(hwc).save(out, format="PNG")
    h, w, c = hwc.shape
    return Summary.Image(height=h, width=w, colorspace=c, encoded_image_string=out.getvalue())


def _text(tag: str, text: str) -> Summary:
    content = TextPluginData(version=0).SerializeToString()
    meta = SummaryMetadata(
        plugin_data=SummaryMetadata.PluginData(plugin_name="text", content=content)
    )
    tensor = TensorProto(
        dtype="DT_STRING",
        string_val=[text.encode("utf_8")],
        tensor_shape=TensorShapeProto(dim=[TensorShapeProto.Dim(size=1)]),
    )
    return Summary(value=[Summary.Value(tag=tag + "/text_summary", metadata=meta, tensor=tensor)])


def _scalar(tag: str, value: Any, new_style: bool, double_precision: bool) -> Summary:
    arr = _numpy(value).squeeze()
    if arr.ndim != 0:
        raise ValueError(f"add_scalar: {tag!r} needs one value, got shape {arr.shape}")
    v = float(arr)
    if not new_style:
        return Summary(value=[Summary.Value(tag=tag, simple_value=v)])
    proto = (
        TensorProto(double_val=[v], dtype="DT_DOUBLE")
        if double_precision
        else TensorProto(float_val=[v], dtype="DT_FLOAT")
    )
    meta = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="scalars"))
    return Summary(value=[Summary.Value(tag=tag, tensor=proto, metadata=meta)])


class SummaryWriter:
    """Write TensorBoard event files, as ``torch.utils.tensorboard.SummaryWriter``.

    Args:
        log_dir: the folder of the event files (default ``runs/<date>_<hostname><comment>``).
        comment: appended to the default ``log_dir``; ignored when ``log_dir`` is given.
        purge_step: TensorBoard discards events from an earlier, crashed run at steps
            >= this one.
        max_queue: events held in memory before the writer flushes.
        flush_secs: seconds between flushes to disk.
        filename_suffix: appended to the event files' names.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d, SummaryWriter(d) as w:
    ...     w.add_scalar("loss", 0.5, global_step=1)
    """

    def __init__(
        self,
        log_dir: str | Path | None = None,
        comment: str = "",
        purge_step: int | None = None,
        max_queue: int = 10,
        flush_secs: int = 120,
        filename_suffix: str = "",
    ) -> None:
        if not log_dir:
            now = datetime.now().strftime("%b%d_%H-%M-%S")
            log_dir = str(Path("runs") / f"{now}_{socket.gethostname()}{comment}")
        self.log_dir = str(log_dir)
        self.purge_step, self.max_queue = purge_step, max_queue
        self.flush_secs, self.filename_suffix = flush_secs, filename_suffix
        self.default_bins = _default_bins()
        self._writers: dict[str, Any] | None = None
        self._writer()

    def get_logdir(self) -> str:
        """The folder the event files are written to."""
        return self.log_dir

    def _writer(self, sub: str | None = None) -> Any:
        """The event writer of ``log_dir`` (or of a sub-folder), opened on first use."""
        if self._writers is None:
            self._writers = {}
            main = self._open(self.log_dir)
            if self.purge_step is not None:
                main.add_event(Event(step=self.purge_step, file_version="brain.Event:2"))
                start = SessionLog(status=SessionLog.START)
                main.add_event(Event(step=self.purge_step, session_log=start))
                self.purge_step = None
        key = self.log_dir if sub is None else f"{self.log_dir}/{sub}"
        if key not in self._writers:
            self._open(key)
        return self._writers[key]

    def _open(self, folder: str) -> Any:
        assert self._writers is not None
        writer = EventFileWriter(folder, self.max_queue, self.flush_secs, self.filename_suffix)
        self._writers[folder] = writer
        return writer

    def _add(
        self, summary: Summary, step: int | None, walltime: float | None, sub: str | None = None
    ) -> None:
        event = Event(summary=summary, wall_time=time.time() if walltime is None else walltime)
        if step is not None:
            event.step = int(step)
        self._writer(sub).add_event(event)

    def add_scalar(
        self,
        tag: str,
        scalar_value: Any,
        global_step: int | None = None,
        walltime: float | None = None,
        new_style: bool = False,
        double_precision: bool = False,
    ) -> None:
        """Log one number (a float, or a one-element tensor) under ``tag``."""
        self._add(_scalar(tag, scalar_value, new_style, double_precision), global_step, walltime)

    def add_scalars(
        self,
        main_tag: str,
        tag_scalar_dict: dict[str, Any],
        global_step: int | None = None,
        walltime: float | None = None,
    ) -> None:
        """Log several numbers in one chart: each goes to ``log_dir/<main_tag>_<tag>``."""
        walltime = time.time() if walltime is None else walltime
        for tag, value in tag_scalar_dict.items():
            sub = main_tag.replace("/", "_") + "_" + tag
            self._add(_scalar(main_tag, value, False, False), global_step, walltime, sub)

    def add_histogram(
        self,
        tag: str,
        values: Any,
        global_step: int | None = None,
        bins: Any = "tensorflow",
        walltime: float | None = None,
        max_bins: int | None = None,
    ) -> None:
        """Log the distribution of ``values`` (any shape); ``bins`` as ``np.histogram``."""
        if isinstance(bins, str) and bins == "tensorflow":
            bins = self.default_bins
        histo = _histogram(_numpy(values), bins, max_bins)
        self._add(Summary(value=[Summary.Value(tag=tag, histo=histo)]), global_step, walltime)

    def add_image(
        self,
        tag: str,
        img_tensor: Any,
        global_step: int | None = None,
        walltime: float | None = None,
        dataformats: str = "CHW",
    ) -> None:
        """Log an image: floats in [0, 1] or uint8, shape (C, H, W), (H, W, C) or (H, W)."""
        image = _image(img_tensor, dataformats)
        self._add(Summary(value=[Summary.Value(tag=tag, image=image)]), global_step, walltime)

    def add_text(
        self,
        tag: str,
        text_string: str,
        global_step: int | None = None,
        walltime: float | None = None,
    ) -> None:
        """Log a text (Markdown in TensorBoard) under ``tag``."""
        self._add(_text(tag, text_string), global_step, walltime)

    def flush(self) -> None:
        """Write pending events to disk."""
        for writer in (self._writers or {}).values():
            writer.flush()

    def close(self) -> None:
        """Flush and close every event file (a later ``add_*`` opens new ones)."""
        for writer in (self._writers or {}).values():
            writer.flush()
            writer.close()
        self._writers = None

    def __enter__(self) -> SummaryWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


__all__ = ["SummaryWriter"]
