"""`kehoach serve` in a real browser: Debian's chromium driven by Selenium (system chromedriver,
nothing downloaded). Skipped when any of them is missing."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
webdriver = pytest.importorskip("selenium.webdriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="cần chromium và chromedriver (apt-get install chromium chromium-driver)")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from generator.loader import load_plan  # noqa: E402
from generator.serve import server_config  # noqa: E402
from generator.serve.app import create_app  # noqa: E402
from generator.serve.preview import Previews  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FULL = "ke-hoach-cau-truc-day-du.yaml"
TOOLS = bool((shutil.which("soffice") or shutil.which("libreoffice")) and shutil.which("pdftoppm"))


@pytest.fixture
def served(tmp_path):
    import uvicorn

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / FULL, data / FULL)
    app = create_app(data, token="tok", previews=Previews(tmp_path / "cache"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(server_config(app, port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/?t=tok&f={FULL}", data / FULL
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def browser():
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--window-size=1400,1000", "--disable-gpu"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    yield driver
    driver.quit()


def field(driver, path):
    return driver.find_element(By.CSS_SELECTOR, f'.field[data-path="{path}"]')


def wait(driver, predicate, timeout=60):
    return WebDriverWait(driver, timeout).until(lambda d: predicate(d))


def test_edit_see_errors_at_the_field_and_save(served, browser, tmp_path):
    url, path = served
    browser.get(url)
    wait(browser, lambda d: "Đã mở" in d.find_element(By.ID, "status").text)
    if TOOLS:
        wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#pages img")) >= 2)
        first_pages = browser.find_element(By.CSS_SELECTOR, "#pages img").get_attribute("src")

    # An invalid date: the message appears at the date field.
    date = field(browser, "date").find_element(By.CSS_SELECTOR, "input")
    date.clear()
    date.send_keys("2026-13")
    wait(browser, lambda d: "không được lớn hơn 12" in field(d, "date").text)
    assert "bad" in field(browser, "date").get_attribute("class")
    date.clear()
    date.send_keys("2026-05")
    wait(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, ".field.bad"))

    # Change the trích yếu: the preview changes, then the saved file.
    subject = field(browser, "subject").find_element(By.CSS_SELECTOR, "textarea")
    subject.send_keys(" mới")
    if TOOLS:
        wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#pages img").get_attribute("src") != first_pages)

    # Bold in a text field, the same inline form as the data files.
    closing = field(browser, "closing").find_element(By.CSS_SELECTOR, ".rich")
    closing.click()
    closing.send_keys(Keys.END, " ")
    field(browser, "closing").find_element(By.XPATH, ".//button[text()='B']").click()
    closing.send_keys("Chữ đậm")

    # Add a row to the body table.
    rows = "sections[1].blocks[2].table.rows"
    before = len(browser.find_elements(By.CSS_SELECTOR, f'.field[data-path^="{rows}["]'))
    add = field(browser, rows).find_element(By.XPATH, "./div[@class='row']//select[@class='add']")
    add.find_elements(By.TAG_NAME, "option")[1].click()  # the first kind: a row of cells
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, f'.field[data-path^="{rows}["]')) > before)

    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
    wait(browser, lambda d: "Đã lưu" in d.find_element(By.ID, "status").text)
    text = path.read_text(encoding="utf-8")
    assert "  - trong các cơ quan hành chính năm 2026 mới" in text
    assert "bold: Chữ đậm" in text
    assert "# yaml-language-server" in text and "# dự thảo: chưa có ngày" in text
    plan = load_plan(path)
    assert plan.subject[-1].endswith("mới")
    shot = tmp_path / "editor.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
