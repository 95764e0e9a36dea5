"""`make bench`: every benchmark in turn, a table each, JSON in bench/results/."""

from __future__ import annotations

from bench import hall_pages, speech


def main() -> None:
    outcome = hall_pages.run()
    print(f"\n## Hall node, {outcome['items']} items")
    print(hall_pages.report(outcome))
    print(f"kiosk serve RSS: idle {outcome['rss_mb']['idle']:.0f} MB, "
          f"under load {outcome['rss_mb']['under_load']:.0f} MB")
    hall_pages.write_result("hall_pages", outcome)
    speech.main()


if __name__ == "__main__":
    main()
