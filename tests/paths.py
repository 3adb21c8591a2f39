"""Paths the tests share, defined once: the project folder and its sample plans."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SAMPLE = DATA / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"
"""The sample plan (the README's quick start renders it)."""
FULL = DATA / "ke-hoach-cau-truc-day-du.yaml"
"""A plan that uses every structure of the data format."""
