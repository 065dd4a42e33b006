"""How fast a saved web page is read as a letter (reconcile.letters.reading.read_document).

    .venv/bin/python benchmarks/html_letters.py [--posts 12000] [--paragraphs 2000]

Writes a page shaped like a Prop. 1 S "Forslag til vedtak" on regjeringen.no (head, script,
navigation, paragraphs, then one Kap. | Post | Formål | Kroner table with a row per post, amounts
with &nbsp;) to a temporary file, reads it three times and prints its size, the lines read and
the best time. The extractor is not part of the figure: this measures html_lines only.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from reconcile.letters.reading import read_document


def page(posts: int, paragraphs: int) -> str:
    rows = []
    for n in range(posts):
        kap, post = 100 + n // 4, (1, 21, 45, 70)[n % 4]
        rows.append(
            f"<tr><td>{kap}</td><td>{post:02}</td><td>Driftsutgifter, <em>kan overføres</em></td>"
            f'<td class="belop">{n + 1}&nbsp;{n % 1000:03}&nbsp;000</td></tr>'
        )
    return (
        '<!DOCTYPE html><html lang="nb"><head><title>Prop. 1 S</title><script>var a = 1;</script>'
        "</head><body><nav><ul><li>Forsiden</li></ul></nav><main>\n"
        + "<p>Innledning med <strong>tekst</strong> og <a href='#'>lenker</a>.</p>\n" * paragraphs
        + "<table><thead><tr><th>Kap.</th><th>Post</th><th>Formål</th><th>Kroner</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></main></body></html>\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=12000, help="table rows (default 12 000)")
    parser.add_argument("--paragraphs", type=int, default=2000, help="paragraphs before the table")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "vedtak.html"
        path.write_text(page(args.posts, args.paragraphs), encoding="utf-8")
        best, lines = float("inf"), 0
        for _ in range(3):
            started = time.perf_counter()
            lines = len(read_document(path).lines)
            best = min(best, time.perf_counter() - started)
        size = path.stat().st_size
    print(f"{size / 1e6:.2f} MB, {lines} lines, best of 3: {best:.2f} s ({size / 1e6 / best:.1f} MB/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
