"""`kehoach serve` in a real browser: Debian's chromium driven by Selenium (system chromedriver,
nothing downloaded). Skipped when any of them is missing."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest

pytest.importorskip("starlette")
webdriver = pytest.importorskip("selenium.webdriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="cần chromium và chromedriver (apt-get install chromium chromium-driver)")

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from generator.plan.loader import load_plan  # noqa: E402
from generator.serve import server_config  # noqa: E402
from generator.serve.app import create_app  # noqa: E402
from generator.serve.preview import Previews  # noqa: E402

from tests.paths import ROOT  # noqa: E402

FULL = "ke-hoach-cau-truc-day-du.yaml"
SAMPLE = "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"
TOOLS = bool((shutil.which("soffice") or shutil.which("libreoffice")) and shutil.which("pdftoppm"))


@pytest.fixture
def served(tmp_path):
    import uvicorn

    data = tmp_path / "data"
    data.mkdir()
    for name in (FULL, SAMPLE):
        shutil.copy(ROOT / "data" / name, data / name)
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
def downloads(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


@pytest.fixture
def browser(tmp_path, downloads):
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # The system chromium, quiet: no network of its own, nothing fetched at run time, a fresh profile.
    for arg in ("--headless=new", "--no-sandbox", "--window-size=1400,1000", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()


def field(driver, path):
    return driver.find_element(By.CSS_SELECTOR, f'.field[data-path="{path}"]')


def wait(driver, predicate, timeout=60):
    # The editor redraws a field when its value is checked: an element found during one poll may be
    # gone by the next call on it. That is "not yet", not a failure (a flaky run showed it).
    return WebDriverWait(driver, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
                         ).until(lambda d: predicate(d))


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
    date = field(browser, "date").find_element(By.CSS_SELECTOR, "input")  # found again: it may be redrawn
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


def opened(driver, url, name):
    driver.get(url.replace(f"f={FULL}", f"f={name}"))
    wait(driver, lambda d: f"Đã mở {name}" in d.find_element(By.ID, "status").text)


def test_add_a_task_row_to_the_catalogue(served, browser):
    url, path = served
    sample = path.with_name(SAMPLE)
    opened(browser, url, SAMPLE)
    tasks = "appendices[0].groups[0].tasks"
    before = len(load_plan(sample).appendices[0].groups[0].tasks)
    add = field(browser, tasks).find_element(
        By.XPATH, "./div[@class='row']/div[@class='ctl']/div[contains(@class,'array')]/button[contains(@class,'add')]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", add)
    add.click()
    new = f"{tasks}[{before}].content"
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f'.field[data-path="{new}"]'))
    content = field(browser, new).find_element(By.CSS_SELECTOR, ".rich, textarea, input")
    content.click()
    content.send_keys("Nhiệm vụ mới thêm từ trình duyệt")
    browser.find_element(By.ID, "save").click()
    wait(browser, lambda d: "Đã lưu" in d.find_element(By.ID, "status").text)
    got = load_plan(sample).appendices[0].groups[0].tasks
    assert len(got) == before + 1
    assert "Nhiệm vụ mới thêm từ trình duyệt" in str(got[-1].content)
    assert "# yaml-language-server" in sample.read_text(encoding="utf-8")  # the file's comments are kept


def job(driver, name):
    driver.find_element(By.ID, f"job-{name}").click()
    dialog = driver.find_element(By.ID, f"dlg-{name}")
    wait(driver, lambda d: dialog.is_displayed(), 10)
    return dialog


def test_import_a_word_file(served, browser, tmp_path):
    from generator import render_plan

    url, path = served
    word = tmp_path / "Kế hoạch nhập.docx"
    word.write_bytes(render_plan(load_plan(ROOT / "data" / SAMPLE)))
    opened(browser, url, FULL)
    dialog = job(browser, "import")
    dialog.find_element(By.ID, "import-file").send_keys(str(word))
    dialog.find_element(By.CLASS_NAME, "go").click()
    wait(browser, lambda d: "Đã mở ke-hoach-nhap.yaml" in d.find_element(By.ID, "status").text)
    assert "Đã tạo ke-hoach-nhap.yaml" in dialog.text
    made = path.with_name("ke-hoach-nhap.yaml")
    assert load_plan(made).subject == load_plan(ROOT / "data" / SAMPLE).subject
    dialog.find_element(By.XPATH, ".//button[@value='close']").click()
    subject = field(browser, "subject").find_element(By.CSS_SELECTOR, "textarea").get_attribute("value")
    assert "kiểm soát thủ tục hành chính" in subject
    # A file that is no Word document: the message, and no file.
    bad = tmp_path / "khong-phai.docx"
    bad.write_bytes(b"%PDF-1.7 not a docx")
    dialog = job(browser, "import")
    dialog.find_element(By.ID, "import-file").send_keys(str(bad))
    dialog.find_element(By.CLASS_NAME, "go").click()
    wait(browser, lambda d: "PDF" in dialog.find_element(By.CLASS_NAME, "result").text)
    assert not path.with_name("khong-phai.yaml").exists()


def test_issue_a_final_and_download_it(served, browser, downloads):
    from generator.jobs.issue import existing_document

    url, path = served
    opened(browser, url, SAMPLE)
    dialog = job(browser, "issue")
    number = dialog.find_element(By.ID, "issue-number")
    number.clear()
    number.send_keys("125")
    date = dialog.find_element(By.ID, "issue-date")
    date.clear()
    date.send_keys("2024-03-20")
    pdf = dialog.find_element(By.ID, "issue-pdf")
    if pdf.is_selected():
        pdf.click()  # the PDF has its own tests; the browser test stays fast
    dialog.find_element(By.CLASS_NAME, "go").click()
    wait(browser, lambda d: "Đã tạo bản phát hành số 125" in dialog.text)
    name = "ke-hoach-truyen-thong-kiem-soat-tthc-2024-phat-hanh.docx"
    dialog.find_element(By.PARTIAL_LINK_TEXT, name).click()
    got = downloads / name
    wait(browser, lambda d: got.exists() and got.stat().st_size > 0, 30)
    assert got.read_bytes() == (path.parent / "output" / name).read_bytes()
    assert existing_document(got).kind == "final"
    # Again: refused, the final is never overwritten.
    dialog.find_element(By.CLASS_NAME, "go").click()
    wait(browser, lambda d: "không bao giờ bị ghi đè" in dialog.text)


def test_rollover_gives_a_to_do_list_that_leads_to_each_field(served, browser):
    url, path = served
    opened(browser, url, SAMPLE)
    dialog = job(browser, "rollover")
    assert dialog.find_element(By.ID, "rollover-year").get_attribute("value") == "2025"
    dialog.find_element(By.CLASS_NAME, "go").click()
    new = "ke-hoach-truyen-thong-kiem-soat-tthc-2025.yaml"
    wait(browser, lambda d: f"Đã mở {new}" in d.find_element(By.ID, "status").text)
    assert path.with_name(new).exists()
    wait(browser, lambda d: not dialog.is_displayed(), 10)
    todo = browser.find_element(By.ID, "todo")
    assert todo.is_displayed() and "năm 2025" in todo.text
    item = todo.find_element(By.XPATH, ".//a[starts-with(text(), 'references.')]")
    target = item.text.split(":")[0]
    item.click()
    wait(browser, lambda d: "flash" in field(d, target).get_attribute("class")
         or "flash" in d.execute_script("return document.activeElement.closest('.field')?.className || ''"))
    tick = todo.find_element(By.CSS_SELECTOR, "li input[type=checkbox]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", tick)
    tick.click()
    assert todo.find_element(By.CSS_SELECTOR, "li").get_attribute("class") == "done"
    n = len(todo.find_elements(By.TAG_NAME, "li"))
    assert f"{n - 1} / {n} chỗ" in todo.find_element(By.TAG_NAME, "summary").text
