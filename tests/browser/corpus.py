#!/usr/bin/env python3
"""Drives a tifa corpus report in headless Chromium through chromedriver (Python selenium).

Usage: corpus.py OUT_DIR CORPUS_REPORT.html

Checks, in the live page after its script ran:
  - the summary, the pairs table, the formula tables, the heatmap and the graph are there;
  - the page ships no more than it shows: at most 300 pair rows, 60 formulas per class, an 80 x 80
    heatmap and 150 graph nodes, whatever the size of the corpus;
  - paginated tables show one page (at most 50 rows) and the next-page button shows the next rows;
  - moving the threshold slider hides the graph's lighter edges;
  - the first pair's link opens its pair report (written beside the page);
and measures the load time (navigation start to the load event). Screenshots (laptop, graph after the
slider, phone) go to OUT_DIR. Prints one JSON line of figures and a closing "N passed, M failed" line;
exits 1 if any check failed.
"""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import drive  # noqa: E402  (driver set-up and the check counters)
from drive import check, driver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

VISIBLE_ROWS = "return Array.from(arguments[0].tBodies[0].rows).filter(r => !r.hidden).length;"
FIRST_VISIBLE = "return Array.from(arguments[0].tBodies[0].rows).find(r => !r.hidden).dataset.a;"
SHOWN_LINES = ("return Array.from(document.querySelectorAll('#graph line[data-weight]'))"
               ".filter(l => l.style.display !== 'none').length;")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    out, path = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    url = "file://" + os.path.abspath(path)
    figures = {"report": os.path.basename(path), "bytes": os.path.getsize(path)}
    with tempfile.TemporaryDirectory() as profile:
        d = driver(profile, 1400, 1000)
        try:
            d.get(url)
            figures["load_ms"] = d.execute_script(
                "const t = performance.getEntriesByType('navigation')[0];"
                "return Math.round(t.loadEventEnd);")
            d.save_screenshot(os.path.join(out, "corpus-laptop.png"))
            docs = int(d.find_element(By.CSS_SELECTOR, "[data-summary=documents]").text)
            figures["documents"] = docs
            pairs = d.find_element(By.ID, "pairs")
            rows = len(pairs.find_elements(By.CSS_SELECTOR, "tbody tr"))
            figures["pair_rows"] = rows
            check(0 < rows <= 300, f"pair rows shipped: {rows}")
            shown = d.execute_script(VISIBLE_ROWS, pairs)
            check(0 < shown <= 50, f"one page of pairs shown: {shown}")
            if rows > 50:
                first = d.execute_script(FIRST_VISIBLE, pairs)
                nxt = d.find_elements(By.CSS_SELECTOR, "#pairs-section .pager button")[1]
                nxt.click()
                check(d.execute_script(FIRST_VISIBLE, pairs) != first, "next page shows other pairs")
            for t in d.find_elements(By.CSS_SELECTOR, "table.formulas"):
                n = len(t.find_elements(By.CSS_SELECTOR, "tbody tr"))
                check(0 < n <= 60, f"formula rows shipped per class: {n}")
            cells = len(d.find_elements(By.CSS_SELECTOR, "#heatmap rect[data-v]"))
            nodes = len(d.find_elements(By.CSS_SELECTOR, "#graph circle[data-doc]"))
            figures["heatmap_cells"], figures["graph_nodes"] = cells, nodes
            check(0 < cells <= 80 * 80, f"heatmap cells: {cells}")
            check(0 < nodes <= 150, f"graph nodes: {nodes}")
            before = d.execute_script(SHOWN_LINES)
            d.execute_script(
                "const s = document.getElementById('threshold'); s.value = 0.2;"
                "s.dispatchEvent(new Event('input'));")
            after = d.execute_script(SHOWN_LINES)
            figures["edges_shown"] = [before, after]
            check(after < before, f"the slider hides lighter edges ({before} -> {after})")
            d.execute_script("document.getElementById('graph-section').scrollIntoView()")
            d.save_screenshot(os.path.join(out, "corpus-graph.png"))
            link = d.find_elements(By.CSS_SELECTOR, "#pairs a[href]")
            check(bool(link), "the top pairs link their pair reports")
            if link:
                d.get(link[0].get_attribute("href"))
                check(bool(d.find_elements(By.ID, "pane-a")), "the linked pair report opens")
        finally:
            d.quit()
    with tempfile.TemporaryDirectory() as profile:
        d = driver(profile, 390, 844, phone=True)
        try:
            d.get(url)
            d.save_screenshot(os.path.join(out, "corpus-phone.png"))
            width = d.execute_script("return document.documentElement.scrollWidth")
            check(width <= 400, f"no horizontal overflow on a phone (scrollWidth {width})")
        finally:
            d.quit()
    print(json.dumps(figures, ensure_ascii=False))
    print(f"{drive.passed} passed, {drive.failed} failed")
    sys.exit(1 if drive.failed else 0)


if __name__ == "__main__":
    main()
