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
    # The progress sheet is made by the page's button, not by a command.
    (r"do lệnh kehoach progress tạo", "tải về bằng nút “Tải bảng tiến độ”"),
    (r"(?:bằng )?(?:lệnh )?kehoach progress", "bằng nút “Tải bảng tiến độ”"),
    (r"\s*\(--progress [^()]*\)", ""),
]]
_FLAG = re.compile(r"--[a-z][\w-]*")
_ABSOLUTE = re.compile(r"(?<![\w/.])/(?:[^\s:;,'\"()/]+/)+[^\s:;,'\"()/]*")


def page_words(message: str, folder: Path | None = None) -> str:
    """The message as the page says it: no command-line option, no path of the server's disk."""
    text = message
    for pattern, instead in _SAID_AGAIN:
        text = pattern.sub(instead, text)
    if _FLAG.search(text):
        # An option no rule above knows: drop the part of the sentence that asks for it.
        parts = [p for p in re.split(r"(?<=[;.])\s+", text) if not _FLAG.search(p)]
        text = " ".join(parts).rstrip(";") if parts else _FLAG.sub("", text)
    if folder is not None:
        root = str(folder)
        text = text.replace(f"thư mục {root}", "thư mục dữ liệu").replace(root + "/", "").replace(
            root, "thư mục dữ liệu")
    return _ABSOLUTE.sub(lambda m: Path(m.group(0)).name or m.group(0), text)
