"""Results of a check: one object per rule evaluation, a Vietnamese table for people, JSON for machines.

Why returned, not printed: the library says what it found; the command line decides how to show it,
and tests assert on the results themselves.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

PASS, FAIL, NOT_EVALUATED = "pass", "fail", "not_evaluated"
ERROR, WARNING = "error", "warning"

SEVERITY_VI = {ERROR: "lỗi", WARNING: "cảnh báo"}


@dataclass(frozen=True)
class Result:
    """One rule applied to one element (or to every element of a kind, aggregated)."""

    rule: str  # e.g. "PL1.III.4.ngay-thang"; see rules.py for the scheme
    element: str  # Vietnamese element name, the table groups by it
    title: str  # what the rule asks, in Vietnamese
    severity: str  # error | warning: what a failure counts as
    status: str  # pass | fail | not_evaluated
    measured: str = ""
    expected: str = ""
    location: str = ""
    message: str = ""

    @property
    def is_error(self) -> bool:
        return self.status == FAIL and self.severity == ERROR

    @property
    def is_warning(self) -> bool:
        return self.status == FAIL and self.severity == WARNING


@dataclass
class Report:
    source: str
    kind: str  # docx | data
    results: list[Result] = field(default_factory=list)
    document_type: str | None = None  # "Kế hoạch", "Công văn", … as recognised; None: not recognised
    note: str | None = None  # said once above the findings (a file read from LibreOffice's conversion)

    @property
    def errors(self) -> list[Result]:
        return [r for r in self.results if r.is_error]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.is_warning]

    @property
    def not_evaluated(self) -> list[Result]:
        return [r for r in self.results if r.status == NOT_EVALUATED]

    def failed(self, rule: str) -> list[Result]:
        """Failures of one rule id (tests and callers ask "was this flagged?")."""
        return [r for r in self.results if r.rule == rule and r.status == FAIL]

    def summary(self) -> dict[str, int]:
        c = Counter(r.status for r in self.results)
        return {
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "not_evaluated": c[NOT_EVALUATED],
            "passed": c[PASS],
            "total": len(self.results),
        }

    def summary_line(self) -> str:
        s = self.summary()
        verdict = "CÓ LỖI" if s["errors"] else "KHÔNG CÓ LỖI"
        kind = f" ({self.document_type})" if self.document_type else ""
        return (f"{self.source}{kind}: {verdict} — {s['errors']} lỗi, {s['warnings']} cảnh báo, "
                f"{s['not_evaluated']} chưa đánh giá, {s['passed']} đạt ({s['total']} quy tắc)")

    def to_json(self) -> str:
        data = {"source": self.source, "kind": self.kind, "document_type": self.document_type,
                **({"note": self.note} if self.note else {}), "summary": self.summary(),
                "results": [asdict(r) for r in self.results]}
        return json.dumps(data, ensure_ascii=False, indent=2)

    def to_table(self, *, verbose: bool = True) -> str:
        """A plain-text table grouped by element, failures first within each group.

        verbose=False keeps only what needs a person (failures and rules not evaluated) and the
        summary line: a sound document is one line, and a problem is not lost among 80 passes.
        """
        order = {FAIL: 0, NOT_EVALUATED: 1, PASS: 2}
        groups: dict[str, list[Result]] = {}
        for r in self.results:
            if verbose or r.status != PASS:
                groups.setdefault(r.element, []).append(r)
        # A rule applied once per section (or per appendix, per signer line) gives several rows with
        # the same id: a passing row then names its place too, or the rows cannot be told apart.
        repeated = {rule for rule, n in Counter(r.rule for r in self.results).items() if n > 1}
        lines = [f"Lưu ý: {self.note}"] if self.note else []
        if verbose or groups or not self.document_type:
            lines.append(f"Loại văn bản: {self.document_type or 'không nhận ra (kiểm tra như kế hoạch)'}")
        for element, rows in groups.items():
            lines.append(f"■ {element}")
            for r in sorted(rows, key=lambda r: order[r.status]):
                if r.status == FAIL:
                    mark = "✗ " + SEVERITY_VI[r.severity].upper()
                elif r.status == NOT_EVALUATED:
                    mark = "? chưa đánh giá"
                else:
                    mark = "✓ đạt"
                line = f"  {mark:<16} {r.rule:<34} {r.title}"
                if r.status == PASS and r.location and r.rule in repeated:
                    line += f" — tại: {r.location}"
                lines.append(line)
                if r.status != PASS:
                    detail = []
                    if r.measured:
                        detail.append(f"đo được: {r.measured}")
                    if r.expected:
                        detail.append(f"cần: {r.expected}")
                    if detail:
                        lines.append("        " + "; ".join(detail))
                    if r.location:
                        lines.append(f"        tại: {r.location}")
                    if r.message:
                        lines.append(f"        {r.message}")
        if lines:
            lines.append("")
        lines.append(self.summary_line())
        return "\n".join(lines)
