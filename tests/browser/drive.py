#!/usr/bin/env python3
"""Drives tifa pair reports in headless Chromium through chromedriver (WebDriver, Python selenium).

Usage: drive.py OUT_DIR REPORT.html [REPORT.html ...]

For each report it checks, in the live page after its scripts ran:
  - both panes exist and the script linked them (data-linked);
  - every data-passage number highlighted in one pane is highlighted in the other, and the legends exist;
  - a click on a passage in pane A scrolls pane B so that the counterpart is visible (and back, B -> A);
  - synchronised scrolling moves the other pane;
  - unchecking a family's toggle removes that family's underline and leaves the others;
and measures the click handler's time and the frame times while scrolling pane A from top to bottom.
Screenshots (laptop, the panes after a click, a phone) go to OUT_DIR. Prints one JSON line of figures per
report and a closing "N passed, M failed" line; exits 1 if any check failed.

Only local files are opened; Selenium Manager is kept offline (the driver and browser paths are given).
"""

import json
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

CHROMIUM = os.environ.get("TIFA_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("TIFA_CHROMEDRIVER", "/usr/bin/chromedriver")

passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}", file=sys.stderr)
    return cond


def driver(profile, width, height, phone=False):
    opts = webdriver.ChromeOptions()
    if phone:
        opts.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0, "touch": True}})
    opts.binary_location = CHROMIUM
    for a in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
    ]:
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)


VISIBLE = """
const [pane, el] = arguments;
const p = pane.getBoundingClientRect(), r = el.getBoundingClientRect();
return r.top >= p.top - 1 && r.top <= p.bottom - 4;
"""

# Scrolls pane A in steps, one per animation frame, and returns the frame durations (ms).
SCROLL_FRAMES = """
const done = arguments[arguments.length - 1];
const pane = document.getElementById('pane-a');
const max = pane.scrollHeight - pane.clientHeight, steps = 120;
const times = [];
let i = 0, last = performance.now();
function step(now) {
  times.push(now - last); last = now;
  if (i > steps) { done(times.slice(2)); return; }
  pane.scrollTop = max * i / steps; i++;
  requestAnimationFrame(step);
}
requestAnimationFrame(step);
"""

CLICK_TIME = """
const el = arguments[0];
const t0 = performance.now();
el.dispatchEvent(new MouseEvent('click', {bubbles: true}));
document.getElementById('pane-b').getBoundingClientRect();
return performance.now() - t0;
"""


def drive(path, out, name):
    url = "file://" + os.path.abspath(path)
    figures = {"report": os.path.basename(path)}
    with tempfile.TemporaryDirectory() as profile:
        d = driver(profile, 1400, 1000)
        try:
            t0 = time.perf_counter()
            d.get(url)
            figures["load_s"] = round(time.perf_counter() - t0, 3)
            figures["dom_content_loaded_ms"] = d.execute_script(
                "const t = performance.getEntriesByType('navigation')[0];"
                "return Math.round(t.domContentLoadedEventEnd);"
            )
            d.save_screenshot(os.path.join(out, f"{name}-laptop.png"))
            pa = d.find_element(By.ID, "pane-a")
            pb = d.find_element(By.ID, "pane-b")
            check(pa.get_attribute("data-linked") is not None, f"{name}: pane A linked by the script")
            na = set(d.execute_script(
                "return [...document.querySelectorAll('#pane-a mark[data-passage]')].map(e => e.dataset.passage)"))
            nb = set(d.execute_script(
                "return [...document.querySelectorAll('#pane-b mark[data-passage]')].map(e => e.dataset.passage)"))
            figures["passages"] = len(na)
            check(len(na) > 0, f"{name}: highlighted passages in pane A")
            check(na == nb, f"{name}: same data-passage numbers in both panes ({len(na)} vs {len(nb)})")
            for legend in ["legend-status", "legend-passages", "legend-rhetoric"]:
                check(len(d.find_elements(By.CSS_SELECTOR, f".legend.{legend}")) == 1, f"{name}: {legend}")
            check(len(d.find_elements(By.CSS_SELECTOR, "tr[data-status]")) > 0, f"{name}: outline rows")

            # Click: the passage whose counterpart lies farthest down pane B, so B must move.
            d.find_element(By.ID, "sync").click()  # off: only the click may move pane B
            d.execute_script("document.getElementById('texts').scrollIntoView()")
            n = d.execute_script(
                "const ms = [...document.querySelectorAll('#pane-b mark[data-passage]')];"
                "ms.sort((x, y) => y.offsetTop - x.offsetTop); return ms[0].dataset.passage;")
            a_el = d.find_element(By.CSS_SELECTOR, f'#pane-a mark[data-passage="{n}"]')
            b_el = d.find_element(By.CSS_SELECTOR, f'#pane-b mark[data-passage="{n}"]')
            d.execute_script("arguments[0].scrollTop = 0", pb)
            d.execute_script(
                "arguments[0].scrollTop = arguments[1].offsetTop - 60", pa, a_el)
            b_far = not d.execute_script(VISIBLE, pb, b_el)
            a_el.click()
            time.sleep(0.2)
            check(d.execute_script(VISIBLE, pb, b_el),
                  f"{name}: click on passage {n} in A scrolls B to it (was off screen: {b_far})")
            check("flash" in (b_el.get_attribute("class") or ""), f"{name}: counterpart flashes")
            d.save_screenshot(os.path.join(out, f"{name}-after-click.png"))
            # And back: B -> A.
            first_a = d.execute_script(
                "return document.querySelector('#pane-a mark[data-passage]').dataset.passage")
            b2 = d.find_element(By.CSS_SELECTOR, f'#pane-b mark[data-passage="{first_a}"]')
            a2 = d.find_element(By.CSS_SELECTOR, f'#pane-a mark[data-passage="{first_a}"]')
            d.execute_script("arguments[0].scrollTop = arguments[0].scrollHeight", pa)
            d.execute_script("arguments[0].scrollTop = arguments[1].offsetTop - 60", pb, b2)
            b2.click()
            time.sleep(0.2)
            check(d.execute_script(VISIBLE, pa, a2), f"{name}: click on passage {first_a} in B scrolls A to it")
            clicks = [d.execute_script(CLICK_TIME, a_el) for _ in range(20)]
            figures["click_ms_median"] = round(statistics.median(clicks), 2)
            figures["click_ms_max"] = round(max(clicks), 2)

            # Synchronised scrolling.
            d.find_element(By.ID, "sync").click()  # on again
            d.execute_script("arguments[0].scrollTop = 0; arguments[1].scrollTop = 0", pa, pb)
            time.sleep(0.1)
            d.execute_script("arguments[0].scrollTop = arguments[0].scrollHeight / 2", pa)
            time.sleep(0.3)
            if d.execute_script("return arguments[0].scrollHeight > arguments[0].clientHeight + 10", pb):
                check(d.execute_script("return arguments[0].scrollTop", pb) > 0,
                      f"{name}: sync scrolling moves B")
            frames = d.execute_async_script(SCROLL_FRAMES)
            figures["scroll_frame_ms_median"] = round(statistics.median(frames), 2)
            figures["scroll_frame_ms_p95"] = round(sorted(frames)[int(len(frames) * 0.95) - 1], 2)
            figures["scroll_frame_ms_max"] = round(max(frames), 2)

            # Family toggle.
            family = d.execute_script(
                "const u = document.querySelector('.pane u[data-family]'); return u && u.dataset.family;")
            if check(family is not None, f"{name}: rhetoric hits in the panes"):
                deco = "return getComputedStyle(arguments[0]).textDecorationLine"
                hit = d.find_element(By.CSS_SELECTOR, f'.pane u[data-family="{family}"]')
                check(d.execute_script(deco, hit) == "underline", f"{name}: {family} underlined")
                d.find_element(By.CSS_SELECTOR, f'input[data-toggle-family="{family}"]').click()
                check("off-" + family in d.find_element(By.TAG_NAME, "body").get_attribute("class"),
                      f"{name}: toggle adds off-{family}")
                check(d.execute_script(deco, hit) == "none", f"{name}: {family} no longer underlined")
                others = d.find_elements(By.CSS_SELECTOR, f'.pane u[data-family]:not([data-family="{family}"])')
                if others:
                    check(d.execute_script(deco, others[0]) == "underline", f"{name}: other families stay")
                d.execute_script("document.getElementById('texts').scrollIntoView()")
                d.save_screenshot(os.path.join(out, f"{name}-family-off.png"))
        finally:
            d.quit()
    with tempfile.TemporaryDirectory() as profile:
        d = driver(profile, 390, 844, phone=True)
        try:
            d.get(url)
            d.save_screenshot(os.path.join(out, f"{name}-phone.png"))
            width = d.execute_script("return document.documentElement.scrollWidth")
            check(width <= 400, f"{name}: no horizontal overflow on a phone (scrollWidth {width})")
        finally:
            d.quit()
    print(json.dumps(figures, ensure_ascii=False))


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for path in sys.argv[2:]:
        drive(path, out, os.path.splitext(os.path.basename(path))[0])
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
