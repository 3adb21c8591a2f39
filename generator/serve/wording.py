"""The library's messages in the page's own words.

The library speaks to the command line: "dùng --force …", "ví dụ --date 2024-03-20", and names
files by their full path on disk. In the editor there is no option to add and the folder is the
one the page works in, so each message is said again as the page would: the box to fill in, the
button there is, a file by its name in the folder. The facts of the message are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

_SAID_AGAIN: list[tuple[re.Pattern[str], str]] = [(re.compile(a), b) for a, b in [
    # What to type on the command line → what to fill in on the page.
    (r"\s*\(thêm --number N, hoặc trường number trong dữ liệu\)", " (điền ô Số)"),
    (r"\s*\(thêm --date [^()]*\)", " (điền ô Ngày ban hành, ví dụ 20/03/2024)"),
    (r"ví dụ --date \d{4}-\d{2}-\d{2}", "ví dụ 20/03/2024"),
    (r"ví dụ --(?:number|year) (\d+)", r"ví dụ \1"),
    # Replacing a file on purpose is not offered by the page: say how to make room instead.
    (r"[;.]?\s*[Dd]ùng --force nếu chắc chắn muốn tạo lại(?: \([^()]*\))?",
     "; muốn tạo lại thì đổi tên hoặc chuyển tệp đã có ra khỏi thư mục output"),
    (r",? hoặc\s+dùng --force để vẫn ghi đè", ", hoặc chuyển tệp cũ ra khỏi thư mục output"),
    (r";\s*dùng --force để ghi đè", "; không ghi đè"),
    (r";\s*hãy chạy lại với --jobs \d+", "; hãy thử lại"),
    # A dossier's plan goes out with its decision, in a set the page neither makes nor issues: what
    # the command line would run is said as what the page can and cannot do.
    (r";\s*mỗi lần: kehoach dossier .*?docs/ho-so\.md\)",
     "; nút Phát hành của trang này không phát hành riêng kế hoạch này, và trang chưa tạo bộ hồ sơ (Tờ trình, "
     "Quyết định, Kế hoạch kèm theo): bộ hồ sơ được tạo và phát hành ngoài trang soạn thảo, theo hướng dẫn "
     "“Hồ sơ trình ban hành kế hoạch”"),
    # A command named as what does the job: the page's own button, or kehoach itself (the page signs
    # nothing, nor checks a document).
    (r"'kehoach sign' chưa ký số", "kehoach chưa ký số"),
    (r"\s*\(lệnh 'kehoach init' ghi một tệp đơn vị mẫu\)", " (chọn ở ô Tệp đơn vị một tệp có mục units)"),
    (r"đọc thành tệp dữ liệu trước: kehoach import (?:\"[^\"]*\"|\S+) -o (?:\"[^\"]*\"|\S+), "
     r"rồi dùng tệp .*?(?=$|[;.]\s)",
     "đọc thành tệp dữ liệu trước bằng nút “Nhập từ Word…”, rồi mở tệp dữ liệu đó"),
    (r"(?:đọc|nhập riêng) bằng '?kehoach import (?:TÊN|TỆP)\.xlsx'?(?: \(tệp giữ đuôi \.xlsx\))?",
     "gắn vào kế hoạch bằng nút “Bảng tính…”"),
    (r"\.?\s*Kiểm tra thể thức văn bản khác bằng 'kehoach check'", ""),
    (r"lệnh import", "nút “Nhập từ Word…”"),
    # The progress sheet is made by the page's button, not by a command.
    (r"do lệnh kehoach progress tạo", "tải về bằng nút “Tải bảng tiến độ”"),
    (r"(?:bằng )?(?:lệnh )?kehoach progress", "bằng nút “Tải bảng tiến độ”"),
    (r"\s*\(--progress [^()]*\)", ""),
]]
_FLAG = re.compile(r"--[a-z][\w-]*")
# A command no rule above knows ("kehoach render …"): the page has none to run. ASCII only, so the
# program's own name before a Vietnamese word ("kehoach chưa …") is no command.
_COMMAND = re.compile(r"'?kehoach [a-z][a-z-]*(?![\w])")
_ABSOLUTE = re.compile(r"(?<![\w/.])/(?:[^\s:;,'\"()/]+/)+[^\s:;,'\"()/]*")


def page_words(message: str, folder: Path | None = None) -> str:
    """The message as the page says it: no command-line option, no path of the server's disk."""
    text = message
    for pattern, instead in _SAID_AGAIN:
        text = pattern.sub(instead, text)
    for unknown in (_FLAG, _COMMAND):
        if unknown.search(text):
            # An option or a command no rule above knows: drop the part of the sentence that asks for it.
            parts = [p for p in re.split(r"(?<=[;.])\s+", text) if not unknown.search(p)]
            text = " ".join(parts).rstrip(";") if parts else unknown.sub("", text)
    if folder is not None:
        root = str(folder)
        text = text.replace(f"thư mục {root}", "thư mục dữ liệu").replace(root + "/", "").replace(
            root, "thư mục dữ liệu")
    return _ABSOLUTE.sub(lambda m: Path(m.group(0)).name or m.group(0), text)
