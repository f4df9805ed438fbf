"""The asylum-process flowchart: its source file, its PNG pictures, and the check that they agree.

The source is content/flowchart/process.yaml (boxes, arrows, texts in ru, en and uk, and where
each box sits). This module loads and validates it, renders content/flowchart/process.<lang>.png
with matplotlib, and stamps each picture with the SHA-256 of the source and the generator's
version in PNG tEXt chunks. The check reads those chunks with the standard library only, so the
tests and CI need no plotting library; matplotlib is imported only to render.

    python tools/flowchart.py           # regenerate every picture
    python tools/flowchart.py --check   # exit 1 if a picture is missing or out of date
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import struct
import sys
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.font_manager import FontProperties

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "content" / "flowchart" / "process.yaml"
LANGS: tuple[str, ...] = ("ru", "en", "uk")
GENERATOR_VERSION = "flowchart.py/1"  # bump when a change to this file changes the pictures
HASH_KEY = "flowchart-source-sha256"
VERSION_KEY = "flowchart-generator"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

KINDS = ("step", "decision", "end")
TONES = ("good", "bad", "neutral")
_ID = re.compile(r"^[a-z0-9-]+$")

# Geometry, in pixels of the picture (y grows downwards).
WIDTH = 1080
DPI = 100
MARGIN = 24
TOP = 40  # space above the title
ROW_GAP = 92  # vertical space between two rows of boxes, where arrows and their labels go
ELBOW = 34  # how far above its target an arrow turns
LOOP_OUT = 34  # how far outside the boxes a looping arrow runs
PAD_X = 22
PAD_Y = 20
POINT = 34  # depth of the pointed ends of a decision box
TEXT_PX = 29
LABEL_PX = 24
TITLE_PX = 40
NOTE_PX = 23
LINE = 1.22  # line height, as a multiple of the font size
MIN_BOX = 96
STROKE = 3.0
ARROW_STROKE = 3.2

COLOURS = {
    "step": ("#E6F0FB", "#2B6CB0"),
    "decision": ("#FFF1CC", "#B7791F"),
    "good": ("#E1F4DE", "#2F855A"),
    "bad": ("#FCE1E0", "#C53030"),
    "neutral": ("#EDF1F5", "#4A5568"),
}
INK = "#1A202C"
ARROW = "#2D3748"
NOTE_INK = "#4A5568"


class SourceError(ValueError):
    """The source file cannot be read as a flowchart."""


@dataclass(frozen=True)
class Node:
    """One box of the chart."""

    id: str
    kind: str
    text: Mapping[str, str]
    topic: str | None
    tone: str
    row: int
    x: float
    width: float


@dataclass(frozen=True)
class Edge:
    """One arrow of the chart."""

    source: str
    target: str
    label: Mapping[str, str]
    lane: float | None
    loop: str | None


@dataclass(frozen=True)
class Chart:
    """The whole chart as read from the source file."""

    title: Mapping[str, str]
    note: Mapping[str, str]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def node(self, node_id: str) -> Node:
        """Return the node with this id."""
        return next(n for n in self.nodes if n.id == node_id)


# ---- the source file -------------------------------------------------------------------------


def source_digest(source: Path) -> str:
    """Return the SHA-256 (hex) of the source file's bytes."""
    return hashlib.sha256(source.read_bytes()).hexdigest()


def load_chart(source: Path) -> Chart:
    """Read the source file into a Chart; raise SourceError when its shape is wrong."""
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SourceError(f"{source}: cannot be read: {error}") from error
    if not isinstance(data, dict):
        raise SourceError(f"{source}: expected title, note, nodes and edges")
    nodes = tuple(_node(item, index) for index, item in enumerate(_list(data, "nodes")))
    edges = tuple(_edge(item, index) for index, item in enumerate(_list(data, "edges")))
    return Chart(
        title=_texts(data.get("title"), "title"),
        note=_texts(data.get("note"), "note"),
        nodes=nodes,
        edges=edges,
    )


def validate(chart: Chart, content_dir: Path | None = None) -> list[str]:
    """Return every problem with the chart: texts, ids, arrows, layout, and topic files if given."""
    problems: list[str] = []
    for where, texts in [("title", chart.title), ("note", chart.note)]:
        problems += _missing_languages(where, texts)
    ids = [n.id for n in chart.nodes]
    for node in chart.nodes:
        where = f'node "{node.id}"'
        if ids.count(node.id) > 1:
            problems.append(f"{where}: the id is used more than once")
        if not _ID.match(node.id):
            problems.append(f"{where}: the id may use only small latin letters, digits and -")
        if node.kind not in KINDS:
            problems.append(f'{where}: kind "{node.kind}" must be one of {", ".join(KINDS)}')
        if node.tone not in TONES:
            problems.append(f'{where}: tone "{node.tone}" must be one of {", ".join(TONES)}')
        problems += _missing_languages(where, node.text)
        if node.width < 2 * POINT + 120 or node.x - node.width / 2 < 0:
            problems.append(f"{where}: the box is too narrow or sticks out on the left")
        if node.x + node.width / 2 > WIDTH:
            problems.append(f"{where}: the box sticks out on the right (picture is {WIDTH} wide)")
        topic_page = None if node.topic is None else Path("ru") / f"{node.topic}.md"
        if content_dir is not None and topic_page and not (content_dir / topic_page).is_file():
            problems.append(f'{where}: topic "{node.topic}" has no content/ru/ page')
        outgoing = [e for e in chart.edges if e.source == node.id]
        if node.kind == "decision" and len(outgoing) < 2:
            problems.append(f"{where}: a decision needs at least two arrows out")
        if node.kind == "step" and not outgoing:
            problems.append(f"{where}: a step needs an arrow out (or make it kind: end)")
        if node.kind == "end" and outgoing:
            problems.append(f"{where}: an end box cannot have arrows out")
    problems += _overlaps(chart.nodes)
    for edge in chart.edges:
        where = f"edge {edge.source} -> {edge.target}"
        if edge.source not in ids or edge.target not in ids:
            problems.append(f"{where}: leads from or to a box that does not exist")
            continue
        if edge.label:
            problems += _missing_languages(where, edge.label)
        if edge.loop not in (None, "left"):
            problems.append(f'{where}: loop "{edge.loop}" must be left')
        down = chart.node(edge.target).row > chart.node(edge.source).row
        if not down and edge.loop is None:
            problems.append(f"{where}: an arrow that does not go down needs loop: left")
    return problems


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise SourceError(f'"{key}" must be a list')
    return value


def _texts(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SourceError(f"{where}: the texts must be given per language (ru:, en:, uk:)")
    return {str(lang): str(text).strip() for lang, text in value.items() if text is not None}


def _number(item: Mapping[str, Any], key: str, where: str) -> float:
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SourceError(f'{where}: "{key}" must be a number')
    return float(value)


def _node(item: Any, index: int) -> Node:
    if not isinstance(item, dict) or "id" not in item:
        raise SourceError(f"node number {index + 1}: must have an id")
    where = f'node "{item["id"]}"'
    row = _number(item, "row", where)
    if row != int(row) or row < 0:
        raise SourceError(f'{where}: "row" must be a whole number, 0 or more')
    topic = item.get("topic")
    return Node(
        id=str(item["id"]),
        kind=str(item.get("kind", "")),
        text=_texts(item.get("text"), where),
        topic=None if topic is None else str(topic),
        tone=str(item.get("tone", "neutral")),
        row=int(row),
        x=_number(item, "x", where),
        width=_number(item, "width", where),
    )


def _edge(item: Any, index: int) -> Edge:
    if not isinstance(item, dict) or "from" not in item or "to" not in item:
        raise SourceError(f"edge number {index + 1}: must have from and to")
    where = f"edge {item['from']} -> {item['to']}"
    loop = item.get("loop")
    return Edge(
        source=str(item["from"]),
        target=str(item["to"]),
        label=_texts(item.get("label"), where),
        lane=_number(item, "lane", where) if "lane" in item else None,
        loop=None if loop is None else str(loop),
    )


def _missing_languages(where: str, texts: Mapping[str, str]) -> list[str]:
    return [f"{where}: no text in {lang}" for lang in LANGS if not texts.get(lang)]


def _overlaps(nodes: Sequence[Node]) -> list[str]:
    problems = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            if a.row == b.row and abs(a.x - b.x) < (a.width + b.width) / 2 + 16:
                problems.append(f'nodes "{a.id}" and "{b.id}": the boxes overlap in row {a.row}')
    return problems


# ---- the check (standard library only) -------------------------------------------------------


def png_text_chunks(data: bytes) -> dict[str, str]:
    """Return the tEXt chunks of a PNG; raise ValueError if the bytes are not a sound PNG."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("it does not start with the PNG signature")
    texts: dict[str, str] = {}
    offset = len(PNG_SIGNATURE)
    seen_end = False
    while offset < len(data):
        if offset + 12 > len(data):
            raise ValueError("it ends in the middle of a chunk")
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if len(body) != length or offset + 12 + length > len(data):
            raise ValueError("it ends in the middle of a chunk")
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError(f"the {kind.decode('latin-1')} chunk is damaged (CRC mismatch)")
        if kind == b"tEXt" and b"\x00" in body:
            key, _, value = body.partition(b"\x00")
            texts[key.decode("latin-1")] = value.decode("latin-1")
        offset += 12 + length
        if kind == b"IEND":
            seen_end = True
            break
    if not seen_end:
        raise ValueError("it has no IEND chunk")
    return texts


def png_size(data: bytes) -> tuple[int, int]:
    """Return (width, height) from a PNG's IHDR chunk; raise ValueError if there is none."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("no IHDR chunk")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def picture_path(source: Path, lang: str) -> Path:
    """Return where the picture for a language lives: beside the source, <stem>.<lang>.png."""
    return source.with_name(f"{source.stem}.{lang}.png")


def check(source: Path = SOURCE, langs: Sequence[str] = LANGS) -> list[str]:
    """Return why the pictures do not match the source; an empty list means they do."""
    if not source.is_file():
        return [f"{_shown(source)}: the flowchart source is missing"]
    digest = source_digest(source)
    problems = []
    regenerate = "regenerate with: python tools/flowchart.py"
    for lang in langs:
        png = picture_path(source, lang)
        if not png.is_file():
            problems.append(f"{_shown(png)}: missing; {regenerate}")
            continue
        try:
            chunks = png_text_chunks(png.read_bytes())
        except ValueError as error:
            problems.append(f"{_shown(png)}: not a valid PNG ({error}); {regenerate}")
            continue
        if chunks.get(HASH_KEY) != digest:
            problems.append(
                f"{_shown(png)}: drawn from another version of {source.name}; {regenerate}"
            )
        elif chunks.get(VERSION_KEY) != GENERATOR_VERSION:
            problems.append(
                f"{_shown(png)}: drawn by {chunks.get(VERSION_KEY) or 'an unknown generator'}, "
                f"not {GENERATOR_VERSION}; {regenerate}"
            )
    return problems


def _shown(path: Path) -> Path:
    """Return the path relative to the working folder when it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


# ---- rendering (needs matplotlib) ------------------------------------------------------------


@dataclass(frozen=True)
class _Box:
    """A node placed on the picture, with its wrapped text lines."""

    node: Node
    lines: tuple[str, ...]
    left: float
    right: float
    top: float
    bottom: float

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    def inset(self) -> float:
        """How far from the sides an arrow may leave or enter the box."""
        return (POINT if self.node.kind == "decision" else 0) + 26


class _Measure:
    """Text widths in pixels, measured with the font that will draw them."""

    def __init__(self) -> None:
        from matplotlib.font_manager import FontProperties
        from matplotlib.textpath import TextToPath

        self._fonts: dict[tuple[float, str], FontProperties] = {}
        self._font_class = FontProperties
        self._paths = TextToPath()

    def font(self, px: float, weight: str = "normal") -> FontProperties:
        """Return DejaVu Sans at px pixels (points equal pixels when measuring)."""
        key = (px, weight)
        if key not in self._fonts:
            self._fonts[key] = self._font_class(family="DejaVu Sans", size=px, weight=weight)
        return self._fonts[key]

    def width(self, text: str, px: float, weight: str = "normal") -> float:
        """Return the width of one line of text, in pixels."""
        w, _, _ = self._paths.get_text_width_height_descent(text, self.font(px, weight), False)
        return float(w)

    def wrap(self, text: str, px: float, room: float, weight: str = "normal") -> tuple[str, ...]:
        """Break text into as few lines as fit room, with the lines as even as possible."""
        lines = self._greedy(text, px, room, weight)
        low, high = 0.0, room
        while high - low > 2:  # the narrowest room that needs no more lines
            middle = (low + high) / 2
            if len(self._greedy(text, px, middle, weight)) <= len(lines):
                high = middle
            else:
                low = middle
        return self._greedy(text, px, high, weight)

    def _greedy(self, text: str, px: float, room: float, weight: str) -> tuple[str, ...]:
        """Break text into lines no wider than room, at spaces; a long word gets its own line."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split():
                candidate = f"{line} {word}" if line else word
                if line and self.width(candidate, px, weight) > room:
                    lines.append(line)
                    line = word
                else:
                    line = candidate
            lines.append(line)
        return tuple(lines)


def _weight(node: Node) -> str:
    return "bold" if node.kind == "decision" else "normal"


def layout(chart: Chart, lang: str, measure: _Measure) -> tuple[dict[str, _Box], float]:
    """Place every box under the title; return the boxes and the y where the last row ends."""
    title_lines = measure.wrap(chart.title[lang], TITLE_PX, WIDTH - 2 * MARGIN, "bold")
    y = TOP + len(title_lines) * TITLE_PX * LINE + 28
    wrapped = {}
    heights: dict[int, float] = {}
    for node in chart.nodes:
        room = node.width - 2 * PAD_X - (2 * POINT if node.kind == "decision" else 0)
        if node.kind == "end":
            room -= 24  # the rounded ends
        lines = measure.wrap(node.text[lang], TEXT_PX, room, _weight(node))
        wrapped[node.id] = lines
        height = max(MIN_BOX, len(lines) * TEXT_PX * LINE + 2 * PAD_Y)
        heights[node.row] = max(heights.get(node.row, 0.0), height)
    row_top: dict[int, float] = {}
    for row in sorted(heights):
        row_top[row] = y
        y += heights[row] + ROW_GAP
    boxes = {}
    for node in chart.nodes:
        lines = wrapped[node.id]
        height = max(MIN_BOX, len(lines) * TEXT_PX * LINE + 2 * PAD_Y)
        cy = row_top[node.row] + heights[node.row] / 2
        boxes[node.id] = _Box(
            node=node,
            lines=lines,
            left=node.x - node.width / 2,
            right=node.x + node.width / 2,
            top=cy - height / 2,
            bottom=cy + height / 2,
        )
    return boxes, y - ROW_GAP


def route(edge: Edge, boxes: Mapping[str, _Box]) -> tuple[list[tuple[float, float]], int]:
    """Return the arrow's points (source to target) and the index of the segment for its label."""
    src, tgt = boxes[edge.source], boxes[edge.target]
    if edge.loop == "left":
        lane = min(src.left, tgt.left) - LOOP_OUT
        return [(src.left, src.cy), (lane, src.cy), (lane, tgt.cy), (tgt.left, tgt.cy)], 1
    wanted = edge.lane if edge.lane is not None else tgt.node.x
    x0 = _clamp(wanted, src.left + src.inset(), src.right - src.inset())
    x1 = _clamp(x0, tgt.left + tgt.inset(), tgt.right - tgt.inset())
    if x0 == x1:
        return [(x0, src.bottom), (x0, tgt.top)], 0
    turn = tgt.top - ELBOW
    return [(x0, src.bottom), (x0, turn), (x1, turn), (x1, tgt.top)], 0


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def render(chart: Chart, lang: str, out: Path, digest: str) -> None:
    """Draw the chart in one language and save it as a PNG stamped with the source digest."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update(
        {"font.family": "DejaVu Sans", "path.simplify": False, "text.antialiased": True}
    )
    measure = _Measure()
    boxes, chart_bottom = layout(chart, lang, measure)
    note_lines = measure.wrap(chart.note[lang], NOTE_PX, WIDTH - 2 * MARGIN)
    note_top = chart_bottom + 44
    height = math.ceil(note_top + len(note_lines) * NOTE_PX * LINE + 36)

    fig = plt.figure(figsize=(WIDTH / DPI, height / DPI), dpi=DPI, facecolor="white")
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(height, 0)
    ax.set_axis_off()

    title_lines = measure.wrap(chart.title[lang], TITLE_PX, WIDTH - 2 * MARGIN, "bold")
    _text_block(ax, title_lines, WIDTH / 2, TOP, TITLE_PX, INK, "bold")
    for edge in chart.edges:
        _draw_edge(ax, edge, boxes, lang, measure)
    for box in boxes.values():
        _draw_box(ax, box)
    _text_block(ax, note_lines, WIDTH / 2, note_top, NOTE_PX, NOTE_INK, "normal")

    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(
        out,
        dpi=DPI,
        format="png",
        facecolor="white",
        metadata={"Software": None, HASH_KEY: digest, VERSION_KEY: GENERATOR_VERSION},
        pil_kwargs={"optimize": False, "compress_level": 9},
    )
    plt.close(fig)


def _pt(px: float) -> float:
    """Convert pixels to points at the picture's DPI (matplotlib sizes in points)."""
    return px * 72 / DPI


def _text_block(
    ax: Axes, lines: Sequence[str], x: float, top: float, px: float, colour: str, weight: str
) -> None:
    for index, line in enumerate(lines):
        ax.text(
            x,
            top + (index + 0.5) * px * LINE,
            line,
            ha="center",
            va="center_baseline",
            fontsize=_pt(px),
            color=colour,
            fontweight=weight,
        )


def _draw_box(ax: Axes, box: _Box) -> None:
    from matplotlib.patches import FancyBboxPatch, Polygon

    node = box.node
    fill, edge = COLOURS[node.kind if node.kind != "end" else node.tone]
    width, height = box.right - box.left, box.bottom - box.top
    if node.kind == "decision":
        points = [
            (box.left, box.cy),
            (box.left + POINT, box.top),
            (box.right - POINT, box.top),
            (box.right, box.cy),
            (box.right - POINT, box.bottom),
            (box.left + POINT, box.bottom),
        ]
        ax.add_patch(
            Polygon(points, closed=True, facecolor=fill, edgecolor=edge, linewidth=_pt(STROKE))
        )
    else:
        radius = height / 2 if node.kind == "end" else 18
        ax.add_patch(
            FancyBboxPatch(
                (box.left, box.top),
                width,
                height,
                boxstyle=f"round,pad=0,rounding_size={radius}",
                facecolor=fill,
                edgecolor=edge,
                linewidth=_pt(STROKE),
            )
        )
    first = box.cy - len(box.lines) * TEXT_PX * LINE / 2
    _text_block(ax, box.lines, node.x, first, TEXT_PX, INK, _weight(node))


def _draw_edge(
    ax: Axes, edge: Edge, boxes: Mapping[str, _Box], lang: str, measure: _Measure
) -> None:
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path as MplPath

    points, label_segment = route(edge, boxes)
    codes = [MplPath.MOVETO] + [MplPath.LINETO] * (len(points) - 1)
    ax.add_patch(
        FancyArrowPatch(
            path=MplPath(points, codes),
            arrowstyle="-|>,head_length=0.9,head_width=0.5",
            mutation_scale=_pt(26),
            color=ARROW,
            linewidth=_pt(ARROW_STROKE),
            joinstyle="miter",
            capstyle="butt",
            shrinkA=0,
            shrinkB=0,
        )
    )
    label = edge.label.get(lang)
    if not label:
        return
    (xa, ya), (_, yb) = points[label_segment], points[label_segment + 1]
    if edge.loop is None:
        y = ya + min(LABEL_PX * 1.25, abs(yb - ya) / 2)  # just under the source box
        x = xa
    else:
        x, y = xa, (ya + yb) / 2
    width = measure.width(label, LABEL_PX)
    x = _clamp(x, MARGIN / 2 + width / 2 + 8, WIDTH - MARGIN / 2 - width / 2 - 8)
    ax.text(
        x,
        y,
        label,
        ha="center",
        va="center_baseline",
        fontsize=_pt(LABEL_PX),
        color=INK,
        fontstyle="italic",
        bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "none"},
    )


# ---- command line ----------------------------------------------------------------------------


def generate(source: Path = SOURCE, langs: Sequence[str] = LANGS) -> list[Path]:
    """Render every language's picture from the source; raise SourceError if it is invalid."""
    chart = load_chart(source)
    problems = validate(chart, source.parent.parent)
    if problems:
        raise SourceError("\n".join(f"{_shown(source)}: {p}" for p in problems))
    digest = source_digest(source)
    written = []
    for lang in langs:
        out = picture_path(source, lang)
        render(chart, lang, out, digest)
        written.append(out)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: regenerate the pictures, or with --check only verify them."""
    parser = argparse.ArgumentParser(
        prog="flowchart", description="Regenerate or check the flowchart pictures."
    )
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if out of date")
    parser.add_argument("--source", type=Path, default=SOURCE, help="the flowchart source file")
    args = parser.parse_args(argv)
    if args.check:
        problems = check(args.source)
        for problem in problems:
            print(problem)
        print("flowchart pictures: " + ("out of date" if problems else "up to date"))
        return 1 if problems else 0
    try:
        written = generate(args.source)
    except SourceError as error:
        print(error, file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {_shown(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
