"""Small charts as inline SVG strings: no JavaScript, no fonts or scripts fetched from anywhere.

Used by the evaluation report (``newsevents evaluate all --report``) and by ``newsevents stats
--chart``. Every function returns one ``<svg>`` element that scales to its container (a
``viewBox`` and ``width="100%"``), carries a ``<title>`` for screen readers, and escapes every
label, so text from articles or gold files cannot inject markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

#: Colour-blind-safe palette (Okabe & Ito 2008).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: One colour per quad class, cooperation blue-green, conflict orange-red, neutral grey.
QUAD_COLOURS = ("#9E9E9E", "#56B4E9", "#009E73", "#E69F00", "#D55E00")
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
            f'style="max-width:{width:.0f}px" role="img" aria-label="{escape(title)}" {FONT} font-size="12">'
            f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def _text(x: float, y: float, s: object, anchor: str = "start", size: int | None = None, weight: str = "",
          fill: str = "#222") -> str:
    extra = (f' font-size="{size}"' if size else "") + (f' font-weight="{weight}"' if weight else "")
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{extra}>{escape(str(s))}</text>'


def _legend(names: Sequence[str], colours: Sequence[str], x: float, y: float) -> list[str]:
    out = []
    for i, name in enumerate(names):
        out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colours[i % len(colours)]}"/>')
        out.append(_text(x + 14, y, name))
        x += 24 + 7 * len(str(name))
    return out


def bars(series: dict[str, Sequence[float]], labels: Sequence[str], title: str, max_value: float = 1.0,
         fmt: str = "{:.2f}", colours: Sequence[str] = PALETTE, width: int = 520) -> str:
    """Horizontal bars, one group per label and one bar per series (e.g. P, R, F1 per class)."""
    names = list(series)
    label_w = min(260, 12 + 7 * max((len(str(lab)) for lab in labels), default=4))
    bar_h, gap = 15, 10
    group_h = bar_h * len(names) + gap
    top = 44
    height = top + group_h * len(labels) + 10
    plot_w = width - label_w - 60
    body = [_text(8, 18, title, size=14, weight="600"), *_legend(names, colours, label_w, 36)]
    for t in (0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + plot_w * t
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 8}" stroke="#e2e2e2"/>')
    for i, label in enumerate(labels):
        y0 = top + i * group_h
        body.append(_text(label_w - 8, y0 + group_h / 2, label, anchor="end"))
        for j, name in enumerate(names):
            v = series[name][i]
            v = 0.0 if v is None else float(v)
            w = plot_w * max(0.0, min(v / max_value, 1.0)) if max_value else 0.0
            y = y0 + j * bar_h
            body.append(f'<rect x="{label_w}" y="{y:.1f}" width="{w:.1f}" height="{bar_h - 2}" '
                        f'fill="{colours[j % len(colours)]}"><title>{escape(f"{label} {name}: {fmt.format(v)}")}</title></rect>')
            body.append(_text(label_w + w + 4, y + bar_h - 4, fmt.format(v), size=11))
    return _svg(width, height, title, body)


def heatmap(matrix: Sequence[Sequence[int]], rows: Sequence[str], columns: Sequence[str], title: str,
            row_title: str = "gold", column_title: str = "predicted", width: int = 520) -> str:
    """A confusion matrix: counts in cells shaded by their share of the row (the gold class)."""
    label_w = min(200, 16 + 7 * max((len(str(r)) for r in rows), default=4))
    top = 62
    cell = max(28, min(70, (width - label_w - 20) / max(len(columns), 1)))
    width = label_w + cell * len(columns) + 20
    height = top + cell * len(rows) + 28
    body = [_text(8, 18, title, size=14, weight="600"),
            _text(label_w + cell * len(columns) / 2, 38, f"{column_title} →", anchor="middle", fill="#555"),
            _text(8, height - 8, f"↓ {row_title} (shade: share of the row)", fill="#555")]
    for j, c in enumerate(columns):
        body.append(_text(label_w + cell * (j + 0.5), top - 6, c, anchor="middle"))
    for i, (r, row) in enumerate(zip(rows, matrix)):
        total = sum(row) or 1
        y = top + i * cell
        body.append(_text(label_w - 8, y + cell / 2 + 4, r, anchor="end"))
        for j, v in enumerate(row):
            share = v / total
            x = label_w + j * cell
            fill = f"rgba(0,114,178,{0.08 + 0.92 * share:.3f})" if v else "#fafafa"
            ink = "#fff" if share > 0.55 else "#222"
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell - 2:.1f}" height="{cell - 2:.1f}" fill="{fill}" '
                        f'stroke="{"#D55E00" if i == j else "#ddd"}"><title>{escape(f"gold {r}, predicted {columns[j]}: {v}")}'
                        f"</title></rect>")
            body.append(_text(x + (cell - 2) / 2, y + cell / 2 + 4, v, anchor="middle", fill=ink))
    return _svg(width, height, title, body)


def reliability(bins: Sequence[dict], title: str, subtitle: str = "", width: int = 420) -> str:
    """A reliability diagram: per confidence bin, the share of correct predictions (bars) against
    the mean confidence (the diagonal is perfect calibration); bar labels give the counts.

    ``bins``: ``{"low", "high", "n", "confidence", "accuracy"}`` per bin (empty bins have n 0).
    """
    left, top, size = 48, 50 if subtitle else 34, width - 70
    height = top + size + 44
    body = [_text(8, 18, title, size=14, weight="600")]
    if subtitle:
        body.append(_text(8, 36, subtitle, fill="#555"))
    for t in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + size * (1 - t)
        x = left + size * t
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + size}" y2="{y:.1f}" stroke="#eee"/>')
        body.append(_text(left - 6, y + 4, f"{t:.2f}", anchor="end", size=10))
        body.append(_text(x, top + size + 14, f"{t:.2f}", anchor="middle", size=10))
    for b in bins:
        if not b["n"]:
            continue
        x = left + size * b["low"]
        w = size * (b["high"] - b["low"])
        h = size * b["accuracy"]
        body.append(f'<rect x="{x + 1:.1f}" y="{top + size - h:.1f}" width="{w - 2:.1f}" height="{h:.1f}" '
                    f'fill="#0072B2" fill-opacity="0.75"><title>{escape(_bin_title(b))}</title></rect>')
        body.append(_text(x + w / 2, top + size - h - 4, b["n"], anchor="middle", size=10))
        cy = top + size * (1 - b["confidence"])
        body.append(f'<circle cx="{left + size * b["confidence"]:.1f}" cy="{cy:.1f}" r="3" fill="#D55E00"/>')
    body.append(f'<line x1="{left}" y1="{top + size}" x2="{left + size}" y2="{top}" stroke="#888" stroke-dasharray="4 3"/>')
    body.append(f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" stroke="#999"/>')
    body.append(_text(left + size / 2, top + size + 30, "predicted confidence", anchor="middle", fill="#555"))
    body.append(f'<text transform="translate(12 {top + size / 2:.1f}) rotate(-90)" text-anchor="middle" fill="#555">'
                "share correct</text>")
    return _svg(width, height, title, body)


def _bin_title(b: dict) -> str:
    return (f"confidence {b['low']:.1f}-{b['high']:.1f}: {b['n']} predictions, mean confidence "
            f"{b['confidence']:.2f}, correct {b['accuracy']:.2f}")


def columns(periods: Sequence[str], series: dict[str, Sequence[float]], title: str,
            colours: Sequence[str] = PALETTE, width: int = 720, y_label: str = "events") -> str:
    """Stacked columns over periods (e.g. events per month by quad class)."""
    names = list(series)
    left, top, bottom = 50, 48, 60
    plot_h = 220
    n = max(len(periods), 1)
    step = (width - left - 16) / n
    totals = [sum(float(series[s][i] or 0) for s in names) for i in range(len(periods))]
    peak = max(totals, default=0) or 1
    height = top + plot_h + bottom
    body = [_text(8, 18, title, size=14, weight="600"), *_legend(names, colours, left, 36)]
    for t in (0, 0.5, 1.0):
        y = top + plot_h * (1 - t)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 16}" y2="{y:.1f}" stroke="#eee"/>')
        body.append(_text(left - 6, y + 4, f"{peak * t:.0f}", anchor="end", size=10))
    body.append(f'<text transform="translate(14 {top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" fill="#555">'
                f"{escape(y_label)}</text>")
    every = max(1, round(n / 12))  # at most a dozen axis labels
    for i, period in enumerate(periods):
        x = left + i * step
        y = top + plot_h
        for j, name in enumerate(names):
            v = float(series[name][i] or 0)
            if v <= 0:
                continue
            h = plot_h * v / peak
            y -= h
            bar_w = min(step * 0.8, 48)
            body.append(f'<rect x="{x + (step - bar_w) / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                        f'fill="{colours[j % len(colours)]}"><title>{escape(f"{period} {name}: {v:g}")}</title></rect>')
        if i % every == 0:
            body.append(f'<text transform="translate({x + step / 2:.1f} {top + plot_h + 12}) rotate(35)" '
                        f'font-size="10" fill="#222">{escape(str(period))}</text>')
    return _svg(width, height, title, body)
