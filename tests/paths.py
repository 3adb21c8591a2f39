"""Paths the tests share, defined once: the project folder and its sample plans."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SAMPLE = DATA / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"
"""The sample plan (the README's quick start renders it)."""
FULL = DATA / "ke-hoach-cau-truc-day-du.yaml"
"""A plan that uses every structure of the data format."""

SHEET_PLAN = """\
agency: {name: Sở Thử nghiệm, abbreviation: STN, place: Hà Nội}
date: 2026-05
subject: Thử danh mục từ bảng tính
sections: [{title: Mục đích, blocks: [Một đoạn văn.]}]
recipients: [Sở Tài chính]
signer: {name: Nguyễn Văn An, title: Giám đốc}
appendices:
  - title: Danh mục
    table: {sheet: "%s"}
"""
"""A small plan whose one appendix is the sheet named by %s (file or file#Sheet)."""
