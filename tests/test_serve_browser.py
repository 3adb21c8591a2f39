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
    wait(browser, lambda d: "không có tháng 13" in field(d, "date").text)
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


def add_task_row(browser, sample):
    """Click "add" under the first catalogue group's tasks; returns that list's path and its length before."""
    tasks = "appendices[0].groups[0].tasks"
    before = len(load_plan(sample).appendices[0].groups[0].tasks)
    add = field(browser, tasks).find_element(
        By.XPATH, "./div[@class='row']/div[@class='ctl']/div[contains(@class,'array')]/button[contains(@class,'add')]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", add)
    add.click()
    return tasks, before


def test_add_a_task_row_to_the_catalogue(served, browser):
    url, path = served
    sample = path.with_name(SAMPLE)
    opened(browser, url, SAMPLE)
    tasks, before = add_task_row(browser, sample)
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
    # The trích yếu prints as two balanced lines (issue 27) and is imported as those lines.
    assert " ".join(load_plan(made).subject) == " ".join(load_plan(ROOT / "data" / SAMPLE).subject)
    dialog.find_element(By.XPATH, ".//button[@value='close']").click()
    subject = field(browser, "subject").find_element(By.CSS_SELECTOR, "textarea").get_attribute("value")
    assert "kiểm soát thủ tục hành chính" in " ".join(subject.split())
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
    name = "ke-hoach-truyen-thong-kiem-soat-tthc-2024-so-125.docx"
    dialog.find_element(By.PARTIAL_LINK_TEXT, name).click()
    got = downloads / name
    wait(browser, lambda d: got.exists() and got.stat().st_size > 0, 30)
    assert got.read_bytes() == (path.parent / "output" / name).read_bytes()
    assert existing_document(got).kind == "final"
    # The data file now records the issue, typed the Vietnamese way: the same again is kept as it is.
    assert "number: 125" in (path.parent / SAMPLE).read_text(encoding="utf-8")
    date = dialog.find_element(By.ID, "issue-date")
    date.clear()
    date.send_keys("20/03/2024")
    dialog.find_element(By.CLASS_NAME, "go").click()
    wait(browser, lambda d: "đã có và giống hệt, giữ nguyên" in dialog.text)
    # Another number: refused, the final stays.
    number = dialog.find_element(By.ID, "issue-number")
    number.clear()
    number.send_keys("126")
    dialog.find_element(By.CLASS_NAME, "go").click()
    wait(browser, lambda d: "đã ghi số 125" in dialog.text)
    assert got.read_bytes() == (path.parent / "output" / name).read_bytes()


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


# --- issue 28: the clerk's editor ---------------------------------------------------------------------

UNITS = "don-vi-noi-bo-skhcn.yaml"


def test_the_plan_opens_first_and_the_last_file_opened_opens_again(served, browser):
    url, path = served
    shutil.copy(ROOT / "data" / UNITS, path.with_name(UNITS))  # a units file, first by name
    bare = url.split("&f=")[0]
    browser.get(bare)
    wait(browser, lambda d: "Đã mở" in d.find_element(By.ID, "status").text)
    assert d_status(browser) == f"Đã mở {FULL}"  # the first plan, not the units file
    assert not browser.find_elements(By.CSS_SELECTOR, "#problems li")
    names = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#file option")]
    assert names == [FULL, SAMPLE, UNITS]  # plans first, units files after
    groups = [g.get_attribute("label") for g in browser.find_elements(By.CSS_SELECTOR, "#file optgroup")]
    assert groups == ["Kế hoạch", "Tệp đơn vị (tạo hàng loạt)"]
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "file")).select_by_value(SAMPLE)
    wait(browser, lambda d: d_status(d) == f"Đã mở {SAMPLE}")
    browser.get(bare)  # the editor opened again, no file named: the one opened last
    wait(browser, lambda d: "Đã mở" in d_status(d))
    assert d_status(browser) == f"Đã mở {SAMPLE}"


def d_status(driver):
    return driver.find_element(By.ID, "status").text


def test_a_task_shows_every_column_and_its_lead_unit_is_picked_from_the_list(served, browser, tmp_path):
    from selenium.webdriver.support.ui import Select

    url, path = served
    sample = path.with_name(SAMPLE)
    opened(browser, url, SAMPLE)
    tasks, before = add_task_row(browser, sample)
    new = f"{tasks}[{before}]"
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f'.field[data-path="{new}.lead"]'))
    # Every column of the catalogue at once: no "+ Thêm trường…" to find them behind.
    for column, label in (("content", "Nội dung"), ("lead", "Chủ trì"), ("support", "Phối hợp"), ("time", "Thời gian")):
        assert field(browser, f"{new}.{column}").find_element(By.TAG_NAME, "label").text == label
    # No lead unit yet: the page says which task.
    warnings = browser.find_element(By.ID, "warnings")
    wait(browser, lambda d: "chưa có đơn vị chủ trì" in warnings.text)
    assert f"nhóm I, nhiệm vụ {before + 1}" in warnings.text
    assert "chưa có đơn vị chủ trì" in field(browser, f"{new}.lead").text
    content = field(browser, f"{new}.content").find_element(By.CSS_SELECTOR, ".rich")
    content.click()
    content.send_keys("Rà soát quy trình nội bộ")
    # Chủ trì picked from the plan's units, by name; Phối hợp typed freely.
    pick = Select(field(browser, f"{new}.lead").find_element(By.CSS_SELECTOR, "select.pick"))
    assert "Phòng Hành chính - Tổng hợp" in [o.text for o in pick.options]
    pick.select_by_visible_text("Phòng Hành chính - Tổng hợp")
    wait(browser, lambda d: field(d, f"{new}.lead").find_elements(By.CSS_SELECTOR, '.chip[data-unit="hcth"]'))
    wait(browser, lambda d: not d.find_element(By.ID, "warnings").text)
    Select(field(browser, f"{new}.support").find_element(By.CSS_SELECTOR, "select.pick")).select_by_visible_text(
        "Đơn vị khác (gõ tên)…")
    other = field(browser, f"{new}.support").find_element(By.CSS_SELECTOR, "input[type=text]")
    other.send_keys("Công an tỉnh", Keys.TAB)
    wait(browser, lambda d: "Công an tỉnh" in [i.get_attribute("value") for i in
                                                     field(d, f"{new}.support").find_elements(By.TAG_NAME, "input")])
    when = field(browser, f"{new}.time").find_element(By.CSS_SELECTOR, "input")
    when.send_keys("Quý IV")
    browser.find_element(By.ID, "save").click()
    wait(browser, lambda d: "Đã lưu" in d_status(d))
    task = load_plan(sample).appendices[0].groups[0].tasks[before]
    assert task.lead == ["hcth"] and task.support == ["Công an tỉnh"] and task.time == "Quý IV"
    assert "Rà soát quy trình nội bộ" in str(task.content)
    browser.save_screenshot(str(tmp_path / "task.png"))


def test_a_date_typed_the_vietnamese_way_is_accepted(served, browser):
    url, path = served
    opened(browser, url, FULL)
    date = field(browser, "date").find_element(By.CSS_SELECTOR, "input")
    assert date.get_attribute("value") == "05/2026"  # the draft's month, shown as a clerk writes it
    date.clear()
    date.send_keys("20/03/2024")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
    wait(browser, lambda d: "Đã lưu" in d_status(d))
    assert not browser.find_elements(By.CSS_SELECTOR, ".field.bad")
    plan = load_plan(path)
    assert (plan.date.year, plan.date.month, plan.date.day) == (2024, 3, 20)
    assert "date: 2024-03-20" in path.read_text(encoding="utf-8")  # written as the data file writes dates
    date = field(browser, "date").find_element(By.CSS_SELECTOR, "input")
    date.clear()
    date.send_keys("2/3/2024")
    wait(browser, lambda d: "Chưa lưu" in d_status(d))
    browser.find_element(By.ID, "save").click()
    wait(browser, lambda d: "Đã lưu" in d_status(d))
    assert "date: 2024-03-02" in path.read_text(encoding="utf-8")


def test_issue_with_the_date_as_typed_then_refused_in_the_pages_words(served, browser):
    url, path = served
    opened(browser, url, SAMPLE)
    dialog = job(browser, "issue")
    number = dialog.find_element(By.ID, "issue-number")
    number.clear()
    number.send_keys("7")
    date = dialog.find_element(By.ID, "issue-date")
    date.clear()
    date.send_keys("20/03/2024")
    pdf = dialog.find_element(By.ID, "issue-pdf")
    if pdf.is_selected():
        pdf.click()
    dialog.find_element(By.CLASS_NAME, "go").click()
    wait(browser, lambda d: "Đã tạo bản phát hành số 7" in dialog.text)
    final = path.parent / "output" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024-so-07.docx"
    from docx import Document

    text = "\n".join(p.text for p in Document(str(final)).paragraphs)
    assert "Kế hoạch số 07/KH-SKHCN ngày 20/3/2024" in text  # the appendix's line, from the date given
    # Another number for the same plan: refused, its data file records số 7 (issue 24), in the page's words.
    number = dialog.find_element(By.ID, "issue-number")
    number.clear()
    number.send_keys("8")
    dialog.find_element(By.CLASS_NAME, "go").click()
    result = dialog.find_element(By.CLASS_NAME, "result")
    wait(browser, lambda d: "đã ghi số 7" in result.text)
    assert "--" not in result.text and str(path.parent) not in result.text and "/tmp" not in result.text
    assert "output/ke-hoach-truyen-thong-kiem-soat-tthc-2024-so-07.docx" in result.text


# --- issue 25 in the editor: the plan's year, a batch through the pool, a catalogue from a spreadsheet ---

def test_progress_sheet_out_filled_sheet_in_and_the_report_opens(served, browser, downloads, tmp_path):
    from tests.year_fixtures import FILLED, fill, write_plan

    url, path = served
    write_plan(path.parent, "ke-hoach.yaml")

    opened(browser, url, "ke-hoach.yaml")
    dialog = job(browser, "progress")
    dialog.find_element(By.ID, "progress-sheet").click()
    link = wait(browser, lambda d: dialog.find_element(By.PARTIAL_LINK_TEXT, "ke-hoach-tien-do.xlsx"))
    assert "10 nhiệm vụ" in dialog.find_element(By.ID, "progress-sheet-result").text
    link.click()
    sheet = downloads / "ke-hoach-tien-do.xlsx"
    wait(browser, lambda d: sheet.exists() and sheet.stat().st_size > 0, 30)
    assert not path.with_name("ke-hoach-tien-do.xlsx").exists()  # downloaded, not written into the folder
    as_of = dialog.find_element(By.ID, "progress-as-of")
    as_of.clear()
    as_of.send_keys("30/09/2025")
    # A sheet filled wrong: every bad cell named as Sheet!cell, in the page's words, nothing made.
    wrong = fill(sheet, tmp_path / "sai.xlsx", {"Rà soát quy chế làm việc của Sở": ("Xong", None, None)})
    dialog.find_element(By.ID, "progress-files").send_keys(str(wrong))
    wait(browser, lambda d: "sai.xlsx" in dialog.find_element(By.ID, "progress-uploaded").text)
    dialog.find_element(By.ID, "progress-read").click()
    result = dialog.find_element(By.CLASS_NAME, "result")
    wait(browser, lambda d: "sai.xlsx: Tiến độ!E" in result.text)
    assert "“Xong” không có trong danh sách" in result.text and "--" not in result.text
    assert "bad" in result.get_attribute("class")
    dialog.find_element(By.CSS_SELECTOR, "#progress-uploaded button").click()  # taken off the list
    # A unit fills it in (with openpyxl, as Excel would save it) and the clerk uploads it.
    filled = fill(sheet, tmp_path / "van-phong.xlsx", FILLED)
    dialog.find_element(By.ID, "progress-files").send_keys(str(filled))
    wait(browser, lambda d: "Đã tải lên 1 bảng" in dialog.find_element(By.CLASS_NAME, "result").text)
    assert dialog.find_element(By.ID, "progress-uploaded").text.strip().startswith("van-phong.xlsx")
    dialog.find_element(By.ID, "progress-read").click()
    wait(browser, lambda d: "hoàn thành 5/10 nhiệm vụ (đạt 50%)" in dialog.text)
    assert "Công bố danh mục thủ tục hành chính" in dialog.text  # the overdue task, with its lead unit
    dialog.find_element(By.CLASS_NAME, "go").click()
    wait(browser, lambda d: d_status(d) == "Đã mở bao-cao-ke-hoach.yaml")
    report = load_plan(path.with_name("bao-cao-ke-hoach.yaml"))
    assert report.type.value == "Báo cáo"
    assert "Kết quả thực hiện Kế hoạch số 617" in report.subject_text
    assert not browser.find_elements(By.CSS_SELECTOR, "#problems li")
    # Next year's plan from the same filled sheet: the unfinished tasks carried, listed to review.
    opened(browser, url, "ke-hoach.yaml")
    dialog = job(browser, "rollover")
    dialog.find_element(By.ID, "rollover-sheets").send_keys(str(filled))
    dialog.find_element(By.CLASS_NAME, "go").click()
    wait(browser, lambda d: d_status(d) == "Đã mở ke-hoach-2026.yaml", 120)
    todo = browser.find_element(By.ID, "todo")
    # The labels are the rollover's own (jobs/rollover.py KINDS), sent with each item.
    assert "Nhiệm vụ chưa hoàn thành, chuyển sang năm mới" in todo.text
    assert "Nhiệm vụ một lần đã hoàn thành, bỏ khỏi năm mới" in todo.text
    # A task left out has no field in the new file: listed by where it stood, not linked.
    gone = todo.find_element(By.XPATH, ".//li[div[@class='hint' and text()='Số hóa hồ sơ thủ tục hành chính']]")
    assert not gone.find_elements(By.TAG_NAME, "a") and "của ke-hoach.yaml" in gone.text, gone.text
    assert "Số hóa hồ sơ thủ tục hành chính" not in path.with_name("ke-hoach-2026.yaml").read_text(encoding="utf-8")


def test_a_batch_from_the_page_runs_in_the_worker_pool(served, browser, monkeypatch):
    from selenium.webdriver.support.ui import Select

    from generator.jobs import batch

    monkeypatch.setattr(batch, "default_jobs", lambda: 2)  # the server runs in this process
    url, path = served
    shutil.copy(ROOT / "data" / "don-vi-trien-khai.yaml", path.with_name("don-vi-trien-khai.yaml"))
    opened(browser, url, SAMPLE)
    dialog = job(browser, "batch")
    Select(dialog.find_element(By.ID, "batch-units")).select_by_value("don-vi-trien-khai.yaml")
    dialog.find_element(By.CLASS_NAME, "go").click()
    wait(browser, lambda d: "văn bản đã tạo" in dialog.text, 120)
    assert "2 tiến trình song song" in dialog.text
    made = sorted((path.parent / "output" / "don-vi-trien-khai").glob("*.docx"))
    assert len(made) > 1 and dialog.find_element(By.PARTIAL_LINK_TEXT, "don-vi-trien-khai.zip")
    assert f"{len(made)} văn bản đã tạo" in dialog.text


def test_an_excel_catalogue_uploaded_becomes_an_appendix_in_the_preview(served, browser, tmp_path):
    import openpyxl

    url, path = served
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(["DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ"])
    ws.append(["STT", "Nhiệm vụ", "Chủ trì", "Thời gian"])
    for i in range(1, 41):
        ws.append([i, f"Nhiệm vụ số hóa thứ {i} của kho lưu trữ", "Văn phòng", "Quý IV/2026"])
    book = tmp_path / "Danh mục số hóa.xlsx"
    wb.save(book)
    opened(browser, url, FULL)
    if TOOLS:
        wait(browser, lambda d: "Bản xem trước:" in d.find_element(By.ID, "preview-status").text, 120)
        before = len(browser.find_elements(By.CSS_SELECTOR, "#pages > *"))
    appendices = len(load_plan(path).appendices)
    dialog = job(browser, "catalogue")
    dialog.find_element(By.ID, "catalogue-file").send_keys(str(book))
    dialog.find_element(By.ID, "catalogue-upload").click()
    wait(browser, lambda d: "Đã lưu danh-muc-so-hoa.xlsx" in dialog.text)
    assert "40 hàng" in dialog.text
    assert path.with_name("danh-muc-so-hoa.xlsx").read_bytes() == book.read_bytes()
    dialog.find_element(By.CLASS_NAME, "go").click()
    wait(browser, lambda d: "lấy bảng từ danh-muc-so-hoa.xlsx#Nhiệm vụ" in d_status(d))
    if TOOLS:
        # The preview draws the new appendix: 40 rows make at least one page more.
        wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#pages > *")) > before
             and "Bản xem trước:" in d.find_element(By.ID, "preview-status").text, 120)
    browser.find_element(By.ID, "save").click()
    wait(browser, lambda d: "Đã lưu" in d_status(d))
    plan = load_plan(path)
    assert len(plan.appendices) == appendices + 1
    assert "Nhiệm vụ số hóa thứ 40 của kho lưu trữ" in str(plan.appendices[-1].table.rows)
    assert "sheet: danh-muc-so-hoa.xlsx#Nhiệm vụ" in path.read_text(encoding="utf-8")


def test_a_name_kept_on_its_printed_lines_stays_one_paragraph_when_edited(served, browser):
    """An issuer name imported as Word wrapped it (one paragraph, "…\\n…") shows its printed lines;
    edited and saved it is still one paragraph on those lines: made two paragraphs, its first line
    would print, and read, as a parent agency. Two paragraphs of which one wraps keep their shape."""
    url, full = served
    text = (ROOT / "data" / SAMPLE).read_text(encoding="utf-8")
    line = "  name: Sở Khoa học và Công nghệ        # cơ quan ban hành (tự in hoa)"
    assert line in text
    cases = {"mot.yaml": ('"Sở Khoa học\\nvà Công nghệ"', ["Sở Khoa học\nvà Công nghệ tỉnh"]),
             "hai.yaml": ('["Sở Khoa học\\nvà Công nghệ", "tỉnh Quảng Ngãi"]',
                          ["Sở Khoa học\nvà Công nghệ", "tỉnh Quảng Ngãi mới"])}
    for name, (given, saved) in cases.items():
        path = full.parent / name
        path.write_text(text.replace(line, f"  name: {given}"), encoding="utf-8")
        opened(browser, url, name)
        box = field(browser, "agency.name").find_element(By.CSS_SELECTOR, "textarea")
        assert box.get_attribute("value").split("\n")[:2] == ["Sở Khoa học", "và Công nghệ"]
        box.send_keys(Keys.CONTROL, Keys.END, Keys.NULL, " tỉnh" if name == "mot.yaml" else " mới")
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
        wait(browser, lambda d: "Đã lưu" in d.find_element(By.ID, "status").text)
        assert load_plan(path).agency.name == saved


def test_a_joint_plans_co_signer_is_edited_under_its_own_name_and_kept(served, browser):
    """A joint plan (văn bản liên tịch) opened in the editor: the other agency's signer shows under
    'Người ký liên tịch', is edited like the signer, and the saved file keeps both agencies."""
    url, full = served
    text = (ROOT / "data" / SAMPLE).read_text(encoding="utf-8")
    joint = full.parent / "lien-tich.yaml"
    line = "  name: Sở Khoa học và Công nghệ        # cơ quan ban hành (tự in hoa)"
    assert line in text
    joint.write_text(text.replace(line, line + "\n  co_issuers:\n    - [Ủy ban Mặt trận Tổ quốc Việt Nam, tỉnh Quảng Ngãi]")
                     + "co_signers:\n  - {name: Nguyễn Văn An, title: Chủ tịch}\n", encoding="utf-8")
    opened(browser, url, "lien-tich.yaml")
    assert field(browser, "co_signers").find_element(By.TAG_NAME, "label").text == "Người ký liên tịch"
    assert field(browser, "agency.co_issuers").find_element(By.TAG_NAME, "label").text == "Cơ quan cùng ban hành"
    box = field(browser, "co_signers[0].name").find_element(By.CSS_SELECTOR, "input, textarea")
    box.send_keys(Keys.CONTROL, Keys.END, Keys.NULL, " Bình")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
    wait(browser, lambda d: "Đã lưu" in d.find_element(By.ID, "status").text)
    plan = load_plan(joint)
    assert [s.name for s in plan.co_signers] == ["Nguyễn Văn An Bình"]
    assert plan.agency.co_issuers == [["Ủy ban Mặt trận Tổ quốc Việt Nam", "tỉnh Quảng Ngãi"]]


def test_a_superscript_and_a_footnote_are_added_from_the_keyboard_and_kept(served, browser):
    """The text bar's x² and ¹ buttons, reached and pressed from the keyboard as B and I are: a
    raised "2" and a footnote at the caret, saved as {sup} and {footnote} pieces."""
    url, path = served
    browser.get(url)
    wait(browser, lambda d: "Đã mở" in d.find_element(By.ID, "status").text)
    closing = field(browser, "closing").find_element(By.CSS_SELECTOR, ".rich")
    closing.click()
    closing.send_keys(Keys.END, " sân 500 m")
    closing.send_keys(Keys.CONTROL, Keys.SHIFT, "=")  # Word's key for superscript
    closing.send_keys("2")
    closing.send_keys(Keys.CONTROL, Keys.SHIFT, "=")
    closing.send_keys(" theo quy hoạch")
    note = field(browser, "closing").find_element(By.XPATH, ".//button[text()='¹']")
    browser.execute_script("arguments[0].focus()", note)
    note.send_keys(Keys.ENTER)  # a focused button pressed with Enter, as a keyboard user does
    prompt = WebDriverWait(browser, 10).until(lambda d: d.switch_to.alert)
    prompt.send_keys("Quyết định số 9/QĐ-UBND ngày 02/3/2026 của UBND tỉnh.")
    prompt.accept()
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
    wait(browser, lambda d: "Đã lưu" in d.find_element(By.ID, "status").text)
    from generator.plan.model import Footnote, Superscript

    closing_pieces = load_plan(path).closing
    assert isinstance(closing_pieces, list)
    assert [type(p) for p in closing_pieces if not isinstance(p, str)][-2:] == [Superscript, Footnote]
    raised, footnote = [p for p in closing_pieces if not isinstance(p, str)][-2:]
    assert raised.sup == "2" and footnote.footnote == "Quyết định số 9/QĐ-UBND ngày 02/3/2026 của UBND tỉnh."
    assert "sân 500 m" in "".join(p for p in closing_pieces if isinstance(p, str))
