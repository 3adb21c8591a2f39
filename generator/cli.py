"""The `kehoach` command: parses options, calls one library function per command, prints the
result or the problems. Exit codes: 0 success, 1 check findings, 2 a problem with the user's input,
70 a bug of kehoach's (sysexits EX_SOFTWARE; the traceback goes to a log file, see _internal_error).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import DataError, InternalError, KehoachError, NotWritable, UserError
from .text import shell_arg

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .jobs.batch import BatchInterrupted
    from .jobs.progress import ProgressError

EXIT_OK, EXIT_FINDINGS, EXIT_USER, EXIT_INTERNAL = 0, 1, 2, 70
EXIT_UNVERIFIED = 3
"""verify: every signature intact, but no trust anchor establishes a signer."""


def _render(args: argparse.Namespace) -> int:
    from .jobs.issue import issue_file
    from .jobs.record import short

    done = issue_file(args.data, args.output, final=args.final, number=args.number, date=args.date,
                      force=args.force, pdf=args.pdf, template=args.template, unnumbered=args.unnumbered)
    for warning in done.warnings:
        print(f"cảnh báo: {warning}", file=sys.stderr)
    if done.pdf_only or done.unchanged:
        print(f"Bản phát hành đã có và giống hệt dữ liệu này, giữ nguyên: {done.docx}")
    elif args.unnumbered:
        print(f"Đã tạo bản trình ký (số và ngày để trống cho văn thư đóng sau khi ký): {done.docx}")
    elif done.final:
        print(f"Đã tạo bản phát hành: {done.docx}")
    elif done.plan.is_final:
        # Number and full day in the data: a final all the same, protected like one.
        print(f"Đã tạo bản phát hành (dữ liệu đã có {'số và ngày' if done.plan.own_number else 'ngày'}): "
              f"{done.docx}")
    else:
        blank = [w for w, missing in (("số", done.plan.lacks_number), ("ngày", not done.plan.date.complete))
                 if missing]
        print(f"Đã tạo dự thảo ({' và '.join(blank)} để trống): {done.docx}")
    if done.pdf and not done.unchanged:
        print(f"Đã tạo PDF: {done.pdf}")
    if done.metadata:
        print(f"Thông tin văn bản cho sổ đăng ký (JSON): {done.metadata}")
    if done.recorded:
        number = f"số {done.plan.number} và " if done.plan.own_number else ""
        print(f"Đã ghi {number}ngày {short(done.plan.date)} vào tệp dữ liệu: {args.data}")
    _say_superseded(done.superseded)
    return EXIT_OK


def _dossier(args: argparse.Namespace) -> int:
    from .jobs.dossier import LABELS, write_dossier

    result = write_dossier(args.data, args.output, final=args.final, pdf=args.pdf, force=args.force,
                           template=args.template, unnumbered=args.unnumbered)
    issued = [doc for doc in result.documents if doc.plan.is_final]
    if result.unnumbered:
        print("Đã tạo bản trình ký của hồ sơ (không dấu DỰ THẢO, số và ngày để trống cho văn thư đóng sau khi "
              "ký: kehoach sign --as agency --number N --date NGÀY):")
    elif not result.final:
        print("Đã tạo hồ sơ trình ban hành, dự thảo (số, ngày để trống):")
    elif len(issued) == len(result.documents):
        print("Đã tạo hồ sơ trình ban hành, bản phát hành:")
    else:
        # The set as submitted: the decision is signed and numbered later by the authority.
        print("Đã tạo bộ hồ sơ trình: văn bản của cơ quan soạn thảo là bản phát hành; Quyết định và Kế hoạch "
              "kèm theo còn là dự thảo, chờ số, ngày của Quyết định (ghi vào dossier.decision rồi chạy lại "
              "với --final):")
    for doc in result.documents:
        state = ((" — bản phát hành" + (" đã có, giữ nguyên" if doc.kept else "")) if doc.plan.is_final
                 else " — bản trình ký" if doc.signing else " — dự thảo") if result.final else ""
        print(f"  {doc.label}: {doc.path}{state}" + (f" (PDF: {doc.pdf})" if doc.pdf else ""))
    if result.waiting:
        # Signed in the office's order: the decision cites the Tờ trình by the number it has not yet.
        # Named by what is still missing: the Tờ trình, or only the comment table sent up with it.
        lacking = " và ".join(LABELS[k] for k, _ in result.waiting_on)
        where = ", ".join(at for _, at in result.waiting_on)
        print(f"{' và '.join(LABELS[k] for k in result.waiting)}: bản trình ký tạo sau, khi {lacking} đã có số, "
              f"ngày (ghi vào {where} rồi chạy lại lệnh này)")
    _say_superseded(result.superseded)
    return EXIT_OK


def _say_superseded(stale: Sequence[Path]) -> None:
    """Earlier drafts beside the finals just issued (render, batch, dossier): left in place (a file may
    be open in Word or attached to a mail), named so that no one sends one."""
    if stale:
        print("Dự thảo, bản trình ký cũ do kehoach tạo (chưa ai sửa), nay đã có bản phát hành bên cạnh; kehoach "
              "không xóa, hãy xóa hoặc chuyển đi để không gửi nhầm:")
        for path in stale:
            print(f"  {path}")


def _validate(args: argparse.Namespace) -> int:
    from .plan.loader import load_plan

    plan = load_plan(args.data)
    state = "bản phát hành (đã có số và ngày)" if plan.is_final else "dự thảo (chưa có số hoặc ngày)"
    print(f"{args.data}: hợp lệ — {state}")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from .plan.schema import schema_text, write_schema

    if args.output:
        print(f"Đã ghi: {write_schema(args.output, force=args.force)}")
    else:
        sys.stdout.write(schema_text())
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .check import check_file

    try:
        report = check_file(args.file)  # a .docx is read within the read budget (limits.read_budget)
    except UserError as exc:
        if args.json:
            # A script reading --json gets JSON in every case, not an empty stdout (the message
            # still goes to stderr, the exit code stays 2).
            problems = [str(p) for p in exc.problems] if isinstance(exc, DataError) else [str(exc)]
            print(json.dumps({"source": args.file, "errors": problems, "exit_code": exc.exit_code},
                             ensure_ascii=False, indent=2))
        raise
    print(report.to_json() if args.json else report.to_table(verbose=args.verbose))
    return EXIT_FINDINGS if report.errors else EXIT_OK


def _rollover(args: argparse.Namespace) -> int:
    from .jobs.progress import ProgressError
    from .jobs.rollover import format_report, rollover_file

    try:
        result = rollover_file(args.data, args.year, args.output, force=args.force, progress=args.progress)
    except ProgressError as exc:
        return _progress_problems(exc)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_report(result))
    return EXIT_OK


def _progress_problems(exc: ProgressError) -> int:
    for problem in exc.problems:
        print(f"lỗi: {problem}", file=sys.stderr)
    print(f"{len(exc.problems)} lỗi trong bảng tiến độ; chưa tạo tệp nào.", file=sys.stderr)
    return exc.exit_code


def _progress(args: argparse.Namespace) -> int:
    from .jobs.progress import write_progress_sheet

    result = write_progress_sheet(args.data, args.output, per_unit=args.per_unit)
    for warning in result.warnings:
        print(f"cảnh báo: {warning}", file=sys.stderr)
    print(f"Đã tạo: {result.output} ({result.tasks} nhiệm vụ, {len(result.sheets)} trang tính: "
          f"{', '.join(result.sheets[:5])}{' …' if len(result.sheets) > 5 else ''})")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from .jobs.progress import ProgressError
    from .jobs.report import COLUMNS, OVERDUE, build_report

    try:
        result = build_report(args.data, args.progress, args.as_of, args.output)
    except ProgressError as exc:
        return _progress_problems(exc)
    for warning in result.warnings:
        print(f"cảnh báo: {warning}", file=sys.stderr)
    t = result.total
    print(f"Đã tạo: {result.output} — {t.sentence()}; " + ", ".join(
        f"{COLUMNS[k].lower()}: {n}" for k, n in t.by_state.items()))
    for s in result.overdue:
        # One line per task: a cell's line breaks (several lead units) would break the list apart.
        content = " ".join(s.task.content.split())
        content = content if len(content) <= 80 else content[:79].rsplit(" ", 1)[0] + "…"
        lead = ", ".join(s.task.leads) or " ".join(s.task.lead.split()) or "không ghi"
        print(f"  {COLUMNS[OVERDUE].lower()}: {content} — Chủ trì: {lead}; thời hạn: {' '.join(s.task.time.split())}")
    print(f"Viết phần đánh giá trong tệp rồi tạo văn bản: kehoach render {shell_arg(result.output)}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from .jobs.importer import import_file
    from .plan.sheets import SPREADSHEET_SUFFIXES

    sheet = args.sheet if Path(args.docx).suffix.lower() in SPREADSHEET_SUFFIXES else None
    result = import_file(args.docx, args.output, force=args.force, sheet=sheet)
    if result.note:
        print(f"Lưu ý: {result.note}", file=sys.stderr)
    for warning in result.warnings:
        print(f"cảnh báo: {warning}", file=sys.stderr)
    print(f"Đã tạo: {result.output}"
          + (f" ({len(result.warnings)} cảnh báo: kiểm tra và sửa tay)" if result.warnings else ""))
    return EXIT_OK


def _check_template(args: argparse.Namespace) -> int:
    from .document.template_check import check_template

    problems = check_template(args.template)
    for problem in problems:
        print(f"lỗi: {args.template}: {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} lỗi trong mẫu; hãy sửa trước khi tạo văn bản.", file=sys.stderr)
        return EXIT_USER
    print(f"{args.template}: mẫu hợp lệ")
    return EXIT_OK


TEMPLATE_COPY = "mau-kehoach.docx"


def _template(args: argparse.Namespace) -> int:
    """Write an editable copy of the default template: next to a data file, into a folder, or under
    a name; never over an existing file (an office's restyled template must not be lost)."""
    from .document.render import DEFAULT_TEMPLATE
    from .errors import UserError
    from .word.output import write_file

    where = args.target or "."
    target = Path(where)
    data = "DATA.yaml"
    if target.suffix.lower() in (".yaml", ".yml"):
        data = str(target)
        target = target.parent / TEMPLATE_COPY  # next to the data it will render
    elif str(where).endswith(("/", "\\")) or target.is_dir():
        target = target / TEMPLATE_COPY
    elif target.suffix.lower() != ".docx":
        raise UserError(f"{where}: mẫu phải có đuôi .docx (hoặc cho một thư mục, một tệp dữ liệu .yaml)")
    if not target.parent.is_dir():
        raise UserError(f"{target.parent}: thư mục không có; hãy tạo thư mục trước")
    write_file(target, DEFAULT_TEMPLATE.read_bytes(), inputs=[data],
               hint="có thể là mẫu đã sửa; hãy xóa hoặc đổi tên tệp đó, hoặc cho tên khác: kehoach template TÊN.docx")
    print(f"Đã tạo bản sao mẫu để sửa: {target}")
    print("Sửa các kiểu (style) tên \"KH …\" bằng Word hoặc LibreOffice (xem docs/huong-dan.md, mục Mẫu văn bản), rồi:")
    print(f"  kehoach check-template {target}")
    print(f"  kehoach render {data} --template {target}")
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from .jobs.starter import SCHEMA_FILE, start_folder

    started = start_folder(args.folder)
    print(f"Đã tạo trong thư mục {started.folder}:")
    print(f"  {started.plan.name}: kế hoạch mẫu năm {started.year} (dự thảo), sửa thành kế hoạch của mình (các "
          "trường có chú thích; văn bản được dẫn vẫn là của mẫu)")
    print(f"  {started.units.name}: ví dụ tệp đơn vị cho kehoach batch")
    print(f"  {SCHEMA_FILE}: để trình soạn thảo (VS Code với tiện ích YAML) kiểm tra và gợi ý khi gõ")
    print("Lệnh tiếp theo:")
    print(f"  kehoach render {shell_arg(started.plan)}")
    print(f"rồi kehoach check {shell_arg(started.output)} (kiểm tra thể thức); muốn sửa định dạng (phông, cỡ chữ): "
          f"kehoach template {shell_arg(started.plan)}")
    return EXIT_OK


def _read_secret(args: argparse.Namespace, what: str) -> str:
    """The key's password or PIN: from --password-file, else typed at a prompt. Never an argument,
    because arguments are visible to every user of the machine (ps) and stay in the shell history."""
    if args.password_file:
        from pathlib import Path

        try:
            lines = Path(args.password_file).read_text(encoding="utf-8").splitlines()
            return lines[0] if lines else ""
        except (OSError, UnicodeDecodeError) as exc:
            from .errors import UserError

            reason = getattr(exc, "strerror", None) or exc
            raise UserError(f"{args.password_file}: không đọc được tệp mật khẩu ({reason})") from None
    if not sys.stdin.isatty():
        from .errors import UserError

        raise UserError(f"cần {what}: chạy lệnh trên màn hình để nhập, hoặc ghi vào một tệp chỉ mình bạn "
                        "đọc được rồi dùng --password-file TỆP")
    import getpass

    return getpass.getpass(f"{what}: ")


def _sign(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .errors import UserError
    from .esign.common import said_time
    from .esign.sign import Pkcs11Key, Pkcs12Key, check_paths, sign_file

    if bool(args.p12) == bool(args.pkcs11_lib):
        raise UserError("chọn một nguồn khóa: --p12 TỆP.p12, hoặc --pkcs11-lib THƯ-VIỆN --token-label NHÃN")
    if args.pkcs11_lib and not args.token_label:
        raise UserError("--pkcs11-lib cần thêm --token-label NHÃN (tên token trên thiết bị ký số)")
    # The files first: a missing PDF or a taken output is said before the password is asked for.
    check_paths(Path(args.pdf), Path(args.output), args.force, [args.image, args.seal, args.p12])
    if args.p12:
        key: Pkcs12Key | Pkcs11Key = Pkcs12Key(Path(args.p12), _read_secret(args, "mật khẩu tệp khóa").encode())
    else:
        key = Pkcs11Key(args.pkcs11_lib, args.token_label, _read_secret(args, "mã PIN của token"),
                        args.key_label)
    done = sign_file(args.pdf, args.output, role=args.role, key=key, image=args.image, seal=args.seal,
                     seal_mm=args.seal_mm, attachment=args.attachment, force=args.force,
                     number=args.number, date=args.date)
    for warning in done.warnings:
        print(f"cảnh báo: {warning}", file=sys.stderr)
    who = {"signer": "người có thẩm quyền", "agency": "cơ quan"}[args.role]
    if done.stamped:
        print(f"Văn thư đã ghi vào chỗ trống, mỗi chỗ một chữ ký số của cơ quan: {'; '.join(done.stamped)}")
    print(f"Đã ký số ({who}, trang {done.page + 1}, lúc {said_time(done.time)}): {done.output}")
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    import json

    from .esign.verify import VERDICT_VI, verify_file

    result = verify_file(args.pdf, trust=args.trust)
    code = {"valid": EXIT_OK, "invalid": EXIT_FINDINGS, "unverified": EXIT_UNVERIFIED}[result.verdict]
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return code
    if not result.signatures:
        print(f"{args.pdf}: không có chữ ký số nào", file=sys.stderr)
        return EXIT_FINDINGS
    for number, report in enumerate(result.signatures, 1):
        print(report.to_text(number))
    counts = {v: sum(1 for r in result.signatures if r.verdict == v) for v in VERDICT_VI}
    summary = ", ".join(f"{n} {VERDICT_VI[v]}" for v, n in counts.items() if n)
    line = f"Kết luận: {VERDICT_VI[result.verdict]} ({len(result.signatures)} chữ ký: {summary})"
    print(line, file=sys.stderr if result.verdict == "invalid" else sys.stdout)
    return code


def _serve(args: argparse.Namespace) -> int:
    from .serve import run

    return run(args.folder, port=args.port, browser=not args.no_browser)


def _add_sign_commands(sub: argparse._SubParsersAction) -> None:
    """`kehoach sign` and `kehoach verify` (issue 15): electronic issue of a final."""
    # allow_abbrev=False: otherwise `--password abc` would be taken as --password-file abc.
    p = sub.add_parser("sign", allow_abbrev=False, help="ký số tệp PDF bản phát hành (người ký, rồi cơ quan)",
                       description="Ký số PAdES tệp PDF do kehoach xuất, đặt chữ ký theo Nghị định 30: "
                                   "ảnh chữ ký giữa chức vụ và họ tên (--as signer), dấu của cơ quan đè "
                                   "1/3 ảnh chữ ký bên trái (--as agency), hoặc chữ ký không hình ảnh ở góc "
                                   "trên bên phải trang 1 của phụ lục tệp riêng (--as agency --attachment). "
                                   "Mỗi lần ký là một lần cập nhật nối tiếp: chữ ký trước vẫn hợp lệ.",
                       epilog="Mật khẩu/PIN được hỏi khi chạy hoặc đọc từ --password-file, không bao giờ "
                              "là tham số. Mã thoát: 0 đã ký; 2 tham số, khóa hoặc tệp PDF không dùng được.")
    p.add_argument("pdf", metavar="FILE.pdf", help="tệp PDF cần ký (không bao giờ bị ghi đè)")
    p.add_argument("-o", "--output", required=True, metavar="SIGNED.pdf", help="tệp PDF đã ký")
    p.add_argument("--as", dest="role", required=True, choices=["signer", "agency"],
                   help="signer: người có thẩm quyền ký; agency: văn thư ký số của cơ quan")
    p.add_argument("--image", metavar="CHU-KY.png", help="ảnh chữ ký (PNG nền trong suốt, màu xanh)")
    p.add_argument("--seal", metavar="DAU.png", help="ảnh con dấu (PNG nền trong suốt, màu đỏ)")
    p.add_argument("--seal-mm", type=float, default=36.0, metavar="MM",
                   help="đường kính thật của con dấu, mm (mặc định 36)")
    p.add_argument("--attachment", action="store_true",
                   help="phụ lục là tệp riêng: chữ ký không hình ảnh ở góc trên bên phải trang 1")
    p.add_argument("--number", metavar="N",
                   help="cùng --as agency và --date: văn thư đóng số N vào chỗ trống của bản trình ký đã ký "
                        "(render --final --unnumbered), mỗi chỗ trống một chữ ký số của cơ quan; cùng "
                        "--attachment: đóng cùng số, ngày vào phụ lục tệp riêng")
    p.add_argument("--date", metavar="NGÀY/THÁNG/NĂM",
                   help="ngày ban hành đóng vào chỗ trống ngày (và tháng), ví dụ 20/03/2024; là ngày ký số: "
                        "ngày sau ngày ký (giờ Việt Nam) vẫn được đóng nhưng có cảnh báo")
    p.add_argument("--p12", metavar="KEY.p12", help="tệp khóa PKCS#12 (.p12, .pfx)")
    p.add_argument("--pkcs11-lib", metavar="LIB.so", help="thư viện PKCS#11 của token/USB ký số")
    p.add_argument("--token-label", metavar="NHÃN", help="tên token (cùng --pkcs11-lib)")
    p.add_argument("--key-label", metavar="NHÃN", help="nhãn khóa trên token khi token có nhiều khóa")
    p.add_argument("--password-file", metavar="TỆP", help="đọc mật khẩu/PIN từ dòng đầu của tệp")
    p.add_argument("--force", action="store_true", help="cho phép ghi đè tệp kết quả đã có (không bao giờ tệp gốc)")
    p.set_defaults(func=_sign)

    p = sub.add_parser("verify", help="kiểm tra các chữ ký số trong tệp PDF",
                       description="Với từng chữ ký: ai ký, lúc nào, phần được ký còn nguyên vẹn không, người "
                                   "ký có được xác minh bằng chứng thư gốc tin cậy không, và những gì thay đổi "
                                   "sau chữ ký, theo từng lần cập nhật (chữ ký, hình/chữ của chữ ký, ô biểu mẫu, "
                                   "chú thích, nội dung trang kèm số trang và chữ bị đổi).",
                       epilog="Mã thoát: 0 mọi chữ ký hợp lệ và người ký được xác minh; 1 có chữ ký không hợp "
                              "lệ (hoặc không có chữ ký); 3 nguyên vẹn nhưng chưa xác minh được người ký (thêm "
                              "--trust); 2 tệp không đọc được.")
    p.add_argument("pdf", metavar="SIGNED.pdf", help="tệp PDF đã ký cần kiểm tra")
    p.add_argument("--trust", action="append", metavar="CA.cer",
                   help="chứng thư gốc/trung gian tin cậy (PEM hoặc DER: .pem .cer .crt .der) hoặc thư mục "
                        "chứa chúng; dùng nhiều lần được")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=_verify)


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (kill) and SIGHUP (terminal closed) unwind like Ctrl-C, so atomic writes remove
    their temporary file and the user is told the run stopped."""
    raise KeyboardInterrupt


def _batch(args: argparse.Namespace) -> int:
    from .jobs.batch import BatchInterrupted, run_batch

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if args.quiet or not sys.stderr.isatty():
            return  # a bar only for a person watching a terminal: logs and pipes stay clean
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit=" văn bản", file=sys.stderr, leave=False)
        bar.n = done
        bar.refresh()

    try:
        result = run_batch(args.data, args.units, args.output, jobs=args.jobs, template=args.template,
                           progress=progress, pdf=args.pdf, force=args.force, final=args.final,
                           unnumbered=args.unnumbered)
    except BatchInterrupted as stop:
        _say_pdfs_stopped(stop, args.argv)
        raise  # exit 130, as any stop
    finally:
        if bar is not None:
            with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
                bar.close()
    if not args.quiet:
        for done in result.written:
            # A final already there and the same as the data gives is kept, as `render` says it.
            print(f"Đã có, giống hệt dữ liệu, giữ nguyên: {done.path}" if done.kept else f"Đã tạo: {done.path}")
    for warning in result.warnings:
        print(f"cảnh báo: {warning}", file=sys.stderr)
    for failure in result.failed:
        for line in str(failure).splitlines():
            print(f"lỗi: {line}", file=sys.stderr)
    made = ("bản trình ký (số, ngày để trống cho văn thư đóng sau khi ký)" if args.unnumbered
            else "bản phát hành (kèm tệp .json thông tin văn bản)" if args.final else "văn bản")
    kept = sum(1 for done in result.written if done.kept)
    summary = f"{len(result.written) - kept} {made} đã tạo trong {result.output_dir}"
    if kept:
        summary += f"; {kept} bản phát hành đã có, giống hệt, giữ nguyên"
    if result.pdfs:
        summary += f" (kèm {len(result.pdfs)} tệp PDF)"
    if result.failed:
        summary += f"; {len(result.failed)} đơn vị lỗi, chưa tạo: " + ", ".join(
            f.spec.label for f in result.failed)
        print(summary, file=sys.stderr)
        _say_superseded(result.superseded)
        return EXIT_USER
    print(summary)
    _say_superseded(result.superseded)
    return EXIT_OK


def _say_pdfs_stopped(stop: BatchInterrupted, argv: Sequence[str]) -> None:
    """A batch stopped while it made the PDFs (jobs.batch.BatchInterrupted): every document is
    there; the văn thư is told so, which PDFs are missing, and that the same command makes them."""
    result, missing = stop.result, stop.without_pdf
    done = len(result.written) - len(missing)
    lines = [f"Đã dừng khi đang tạo PDF. Đã tạo đủ {len(result.written)} văn bản .docx trong "
             f"{result.output_dir}; {done} văn bản đã có PDF, {len(missing)} văn bản chưa có PDF:"]
    lines += [f"  {path}" for path in missing]
    lines.append("Chạy lại đúng lệnh này để tạo nốt các tệp PDF (văn bản, PDF đã tạo không mất):")
    lines.append("  " + " ".join(shell_arg(a) for a in ["kehoach", *argv]))
    _say("\n".join(lines))


def _positive(text: str) -> int:
    """An argparse type: a positive whole number, refused in Vietnamese otherwise."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"phải là số nguyên dương, không phải '{text}'")
    return value


def _port(text: str) -> int:
    """An argparse type: a TCP port; 99999 used to reach bind() and end as an internal error."""
    value = _positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"cổng phải từ 1 đến 65535, ví dụ 8030, không phải '{text}'")
    return value


class _Formatter(argparse.HelpFormatter):
    """argparse's help with its one English word, the usage line's "usage:", in Vietnamese."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse speaking Vietnamese where a user reads it: usage, help headings, -h, errors."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        message = re.sub(r"ambiguous option: (\S+) could match (.+)",
                         r"tùy chọn \1 chưa đủ rõ, có thể là \2; hãy viết đủ tên", message)
        message = re.sub(r"ignored explicit argument (.+)",
                         r"tùy chọn này không nhận giá trị (\1); bỏ phần =… đi", message)
        message = (message.replace("the following arguments are required", "thiếu tham số bắt buộc")
                   .replace("unrecognized arguments", "tham số không nhận ra")
                   .replace("expected at least one argument", "cần ít nhất một giá trị sau tùy chọn này")
                   .replace("expected at most one argument", "chỉ nhận một giá trị")
                   .replace("expected one argument", "cần một giá trị sau tùy chọn này")
                   .replace("not allowed with argument", "không dùng cùng tham số")
                   .replace("invalid choice", "lựa chọn không hợp lệ").replace("choose from", "chọn một trong")
                   .replace("argument ", "tham số "))
        self.exit(EXIT_USER, f"{self.prog}: lỗi: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kehoach",
        description="Soạn Kế hoạch theo Nghị định 30/2020/NĐ-CP thành tệp Word từ dữ liệu YAML.",
        epilog="Mã thoát: 0 thành công; 1 có lỗi thể thức khi kiểm tra (verify: chữ ký không hợp lệ); "
               "2 dữ liệu hoặc tham số sai; 3 verify: chữ ký nguyên vẹn nhưng chưa xác minh "
               "được người ký; 70 lỗi bên trong kehoach (chi tiết trong tệp nhật ký có đường dẫn in ra, xin gửi "
               "khi báo lỗi); 130 đã dừng (Ctrl-C).",
    )
    parser.add_argument("--version", action="version", version=f"kehoach {__version__}",
                        help="in phiên bản rồi thoát")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", required=True)

    p = sub.add_parser("init", help="bắt đầu ở thư mục riêng: kế hoạch mẫu, tệp đơn vị, JSON Schema",
                       description="Ghi vào THƯ-MỤC (tạo nếu chưa có) một kế hoạch mẫu để sửa thành kế "
                                   "hoạch của mình, một tệp đơn vị ví dụ cho kehoach batch và JSON Schema "
                                   "cho trình soạn thảo, rồi in lệnh tiếp theo. Không bao giờ ghi đè tệp đã có.",
                       epilog="Mã thoát: 0 đã tạo; 2 tệp đã có hoặc đường dẫn sai (không ghi tệp nào).")
    p.add_argument("folder", nargs="?", default=".", metavar="THƯ-MỤC",
                   help="thư mục làm việc (mặc định: thư mục hiện tại)")
    p.set_defaults(func=_init, choose_folder="kehoach init THƯ-MỤC")

    p = sub.add_parser("render", help="tạo tệp .docx từ tệp dữ liệu",
                       description="Tạo văn bản .docx từ tệp dữ liệu YAML.")
    p.add_argument("data", metavar="DATA.yaml", help="tệp dữ liệu kế hoạch")
    p.add_argument("-o", "--output", metavar="OUT.docx|DIR",
                   help="tệp hoặc thư mục kết quả (mặc định: thư mục output cạnh tệp dữ liệu — cạnh "
                        "thư mục data khi tệp nằm trong data/ — tên <tên tệp dữ liệu>.docx)")
    p.add_argument("--template", metavar="T.docx", help="mẫu docxtpl khác mẫu mặc định")
    p.add_argument("--final", action="store_true",
                   help="tạo bản phát hành: cần số và ngày đầy đủ, không có dấu DỰ THẢO; mặc định "
                        "ghi output/<tên tệp dữ liệu>-so-<số>.docx, kèm tệp .json thông tin văn bản, rồi "
                        "ghi số và ngày vào tệp dữ liệu. Không có --final: in đúng dữ liệu, "
                        "thiếu số hoặc ngày thì là dự thảo (để trống chỗ đó)")
    p.add_argument("--number", metavar="N", help="số văn bản do văn thư cấp (thay số trong dữ liệu; cùng --final)")
    p.add_argument("--unnumbered", action="store_true",
                   help="cùng --final: bản trình ký, không dấu DỰ THẢO, để trống số và ngày (ghi "
                        "<tên>-trinh-ky.docx); văn thư đóng số, ngày khi ký số của cơ quan "
                        "(kehoach sign --as agency --number N --date NGÀY)")
    p.add_argument("--date", metavar="NGÀY/THÁNG/NĂM",
                   help="ngày ban hành, ví dụ 20/03/2024 hoặc 2024-03-20 (thay ngày trong dữ liệu)")
    p.add_argument("--force", action="store_true",
                   help="cho phép ghi đè tệp đã có; bản phát hành chỉ được tạo lại với cùng số (mặc định: từ chối)")
    p.add_argument("--pdf", action="store_true", help="xuất thêm PDF cạnh tệp .docx (cần LibreOffice)")
    p.set_defaults(func=_render)

    p = sub.add_parser("validate", help="kiểm tra tệp dữ liệu, không tạo văn bản",
                       description="Kiểm tra tệp dữ liệu; báo mọi lỗi cùng lúc với dòng, cột và trường.",
                       epilog="Mã thoát: 0 dữ liệu dùng được; 2 dữ liệu có lỗi (liệt kê từng lỗi).")
    p.add_argument("data", metavar="DATA.yaml", help="tệp dữ liệu kế hoạch")
    p.set_defaults(func=_validate)

    p = sub.add_parser("check", help="kiểm tra thể thức một văn bản .docx hoặc tệp dữ liệu theo Nghị định 30",
                       description="Kiểm tra từng quy tắc thể thức của Nghị định 30/2020/NĐ-CP trên tệp .docx "
                       "(kể cả văn bản soạn tay bằng Word) hoặc quy tắc nội dung trên tệp dữ liệu YAML.",
                       epilog="Mã thoát: 0 không có lỗi; 1 có lỗi thể thức; 2 không đọc được tệp.")
    p.add_argument("file", metavar="FILE", help="tệp .docx (cả .doc, .odt, .rtf, trang web HTML/MHTML, Word XML "
                                                "khi máy có LibreOffice) hoặc tệp dữ liệu .yaml")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON cho máy đọc")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="in mọi quy tắc, kể cả quy tắc đạt (mặc định: chỉ lỗi, cảnh báo, quy tắc chưa "
                        "đánh giá và một dòng tổng kết)")
    p.set_defaults(func=_check)

    p = sub.add_parser("batch", help="tạo hàng loạt văn bản cho từng cơ quan, phòng, đơn vị",
                       description="Từ một kế hoạch mẫu, tạo mỗi đơn vị một văn bản theo tệp đơn vị "
                                   "(kế hoạch triển khai của từng cơ quan, hoặc bản gửi/bản trích "
                                   "cho từng phòng, đơn vị). Xem docs/huong-dan.md, mục Tạo văn bản hàng loạt.")
    p.add_argument("data", metavar="DATA.yaml", help="tệp dữ liệu kế hoạch mẫu")
    p.add_argument("--units", required=True, metavar="UNITS",
                   help="tệp danh sách đơn vị: .yaml, hoặc bảng tính .xlsx, .xls, .ods, .csv mỗi đơn vị một hàng "
                        "(cột Tên, Số, Ngày, Cơ quan, Viết tắt, Người ký, Chức vụ; docs/phat-hanh.md)")
    p.add_argument("-o", "--output", metavar="DIR",
                   help="thư mục kết quả (mặc định: output/<tên tệp đơn vị>/, thư mục output cạnh kế hoạch mẫu)")
    p.add_argument("--jobs", type=_positive, metavar="N", help="số tiến trình song song (mặc định: số lõi CPU)")
    p.add_argument("--template", metavar="T.docx", help="mẫu docxtpl khác mẫu mặc định")
    p.add_argument("-q", "--quiet", action="store_true", help="không hiện thanh tiến độ và danh sách tệp")
    p.add_argument("--pdf", action="store_true",
                   help="xuất thêm PDF cạnh mỗi tệp .docx, một tiến trình LibreOffice cho cả lô")
    p.add_argument("--final", action="store_true",
                   help="phát hành: mỗi đơn vị một bản phát hành với số và ngày ghi trong mục của đơn vị "
                        "(number:, date: hoặc cột Số, Ngày của bảng đơn vị), tên <đơn vị>-so-<số>.docx, kèm "
                        "tệp .json thông tin văn bản; đơn vị nào thiếu số thì không tạo tệp nào")
    p.add_argument("--unnumbered", action="store_true",
                   help="cùng --final: bản trình ký của từng đơn vị, không dấu DỰ THẢO, để trống số và ngày "
                        "(<đơn vị>-trinh-ky.docx; không cần số trong tệp đơn vị); văn thư đóng số, ngày khi ký số "
                        "của cơ quan (kehoach sign --as agency --number N --date NGÀY)")
    p.add_argument("--force", action="store_true",
                   help="cho phép ghi đè tệp không do kehoach tạo; bản phát hành chỉ được tạo lại với cùng số "
                        "(mặc định: từ chối)")
    p.set_defaults(func=_batch)

    p = sub.add_parser("schema", help="in JSON Schema của tệp dữ liệu (cho trình soạn thảo)",
                       description="In JSON Schema của tệp dữ liệu để trình soạn thảo kiểm tra và gợi ý.")
    p.add_argument("-o", "--output", metavar="FILE.json", help="ghi ra tệp thay vì in ra màn hình")
    p.add_argument("--force", action="store_true", help="ghi đè nếu tệp đã có")
    p.set_defaults(func=_schema)

    p = sub.add_parser("rollover", help="chuyển tệp dữ liệu sang năm mới (dự thảo) và báo chỗ cần sửa",
                       description="Tạo tệp dữ liệu kế hoạch năm mới từ tệp năm nay: chuyển năm của kế "
                       "hoạch, bỏ số và ngày (dự thảo), giữ nguyên chú thích; báo mọi văn bản được dẫn, "
                       "năm và giai đoạn khác cần người xem lại.")
    p.add_argument("data", metavar="DATA.yaml", help="tệp dữ liệu kế hoạch năm nay")
    p.add_argument("--year", type=_positive, required=True, help="năm của kế hoạch mới, ví dụ 2025")
    p.add_argument("-o", "--output", metavar="NEW.yaml",
                   help="tệp dữ liệu mới (mặc định: tên tệp cũ với năm mới)")
    p.add_argument("--force", action="store_true", help="ghi đè nếu tệp kết quả đã có")
    p.add_argument("--json", action="store_true", help="in báo cáo dạng JSON")
    p.add_argument("--progress", nargs="+", metavar="BẢNG.xlsx",
                   help="bảng tiến độ đã điền (hoặc thư mục chứa chúng): nhiệm vụ chưa hoàn thành được chuyển "
                        "sang năm mới (báo để xem lại), nhiệm vụ một lần đã hoàn thành được bỏ khỏi tệp mới (liệt kê)")
    p.set_defaults(func=_rollover)

    p = sub.add_parser("progress", help="tạo bảng tiến độ (.xlsx) các nhiệm vụ của kế hoạch cho đơn vị điền",
                       description="Tạo bảng tính “Tiến độ”: mỗi nhiệm vụ của danh mục và các bảng nhiệm vụ "
                                   "một hàng (STT, Nội dung, Chủ trì, Thời hạn, Tình trạng chọn trong danh sách, "
                                   "Ngày hoàn thành, Kết quả). Không bao giờ ghi đè tệp đã có.")
    p.add_argument("data", metavar="DATA.yaml", help="tệp dữ liệu kế hoạch")
    p.add_argument("-o", "--output", required=True, metavar="TIEN-DO.xlsx", help="tệp bảng tiến độ")
    p.add_argument("--per-unit", action="store_true", help="mỗi đơn vị chủ trì một trang tính")
    p.set_defaults(func=_progress)

    p = sub.add_parser("dossier", help="tạo hồ sơ trình ban hành: Tờ trình, Quyết định, Kế hoạch kèm theo, "
                                       "bảng tổng hợp ý kiến góp ý",
                       description="Từ mục dossier của tệp dữ liệu kế hoạch: Tờ trình của cơ quan soạn thảo, dự "
                                   "thảo Quyết định ban hành, Kế hoạch ban hành kèm theo Quyết định và (khi có ý "
                                   "kiến góp ý) bảng tổng hợp ý kiến. Dự thảo để trống số, ngày; --final in số, ngày "
                                   "văn thư đã cấp và điền các dẫn chiếu. Xem docs/ho-so.md.",
                       epilog="Mã thoát: 0 đã tạo; 2 dữ liệu thiếu hoặc sai, tệp đã có.")
    p.add_argument("data", metavar="DATA.yaml", help="tệp dữ liệu kế hoạch có mục dossier")
    p.add_argument("-o", "--output", metavar="THƯ-MỤC",
                   help="thư mục ghi các văn bản (mặc định: thư mục output cạnh tệp dữ liệu)")
    p.add_argument("--final", action="store_true",
                   help="bản phát hành: số, ngày của Tờ trình (và bảng tổng hợp) lấy từ dữ liệu; Quyết định "
                        "và Kế hoạch kèm theo là bản phát hành khi dữ liệu có số, ngày của Quyết định, chưa có "
                        "thì vẫn là dự thảo dẫn Tờ trình đã có số (bộ hồ sơ trình)")
    p.add_argument("--unnumbered", action="store_true",
                   help="cùng --final: bản trình ký của văn bản chưa có số, ngày, không dấu DỰ THẢO, để trống số "
                        "và ngày (<tên>-to-trinh-trinh-ky.docx …): trước hết Tờ trình (và bảng tổng hợp); khi Tờ "
                        "trình đã có số, Quyết định (dẫn Tờ trình theo số) và Kế hoạch kèm theo (dòng “Ban hành "
                        "kèm theo Quyết định số … ngày …” để trống, văn thư đóng số, ngày của Quyết định); văn "
                        "bản đã có số giữ như bản phát hành")
    p.add_argument("--pdf", action="store_true", help="tạo thêm PDF cho mỗi văn bản (cần LibreOffice)")
    p.add_argument("--force", action="store_true", help="ghi đè tệp đã có (không bao giờ ghi đè tệp dữ liệu)")
    p.add_argument("--template", metavar="MAU.docx", help="mẫu Word riêng (mặc định: mẫu của kehoach)")
    p.set_defaults(func=_dossier)

    p = sub.add_parser("report", help="tạo Báo cáo kết quả thực hiện kế hoạch (tệp dữ liệu) từ bảng tiến độ",
                       description="Đọc các bảng tiến độ đã điền, đếm nhiệm vụ hoàn thành đúng hạn, trễ hạn, "
                                   "đang thực hiện, quá hạn tới ngày báo cáo và ghi Báo cáo dạng tệp dữ liệu "
                                   "để người soạn viết đánh giá, rồi kehoach render.",
                       epilog="Mã thoát: 0 đã tạo; 2 bảng tiến độ có lỗi (liệt kê từng ô) hoặc tham số sai.")
    p.add_argument("data", metavar="DATA.yaml", help="tệp dữ liệu kế hoạch")
    p.add_argument("--progress", nargs="+", required=True, metavar="BẢNG.xlsx",
                   help="một hoặc nhiều bảng tiến độ đã điền, hoặc thư mục chứa chúng (tệp khóa tạm "
                        "~$… của Excel được bỏ qua)")
    p.add_argument("--as-of", required=True, metavar="NGÀY", help="ngày báo cáo, ví dụ 30/06/2026 (hoặc 2026-06-30)")
    p.add_argument("-o", "--output", required=True, metavar="BAO-CAO.yaml", help="tệp dữ liệu báo cáo")
    p.set_defaults(func=_report)

    p = sub.add_parser("import", help="đọc Kế hoạch soạn bằng Word (.docx; .doc, .odt, .rtf, trang web "
                       "HTML/MHTML, Word XML khi có LibreOffice) hoặc danh mục trong bảng tính thành tệp dữ liệu",
                       description="Đọc một Kế hoạch đã soạn bằng Word theo bố cục thông thường thành "
                       "tệp dữ liệu YAML; phần không nhận ra được báo thành cảnh báo kèm vị trí. Một trang "
                       "tính danh mục (.xlsx, .xls, .ods, .csv) thành một phụ lục dạng bảng.")
    p.add_argument("docx", metavar="FILE.docx|BẢNG.xlsx",
                   help="văn bản Word cần đọc (.docx; cả .doc, .odt, .rtf, trang web HTML/MHTML, Word XML khi "
                        "máy có LibreOffice), hoặc bảng "
                        "tính danh mục (.xlsx, .xls, .ods, .csv)")
    p.add_argument("-o", "--output", metavar="DATA.yaml",
                   help="tệp dữ liệu kết quả (mặc định: cùng tên, đuôi .yaml)")
    p.add_argument("--sheet", metavar="TÊN", help="trang tính cần đọc (mặc định: trang đầu tiên)")
    p.add_argument("--force", action="store_true", help="ghi đè nếu tệp kết quả đã có")
    p.set_defaults(func=_import)
    p = sub.add_parser("check-template", help="kiểm tra một mẫu .docx trước khi dùng",
                       description="Kiểm tra mẫu docxtpl: thẻ bị Word tách, thẻ thiếu đóng/mở, "
                                   "biến không có trong dữ liệu, thao tác bị cấm; và những gì văn bản "
                                   "cần: các kiểu \"KH …\", số trang ở đầu trang, dấu ngắt phần của "
                                   "phụ lục (khổ ngang/dọc, đánh lại số trang), thẻ của mọi phần.",
                       epilog="Mã thoát: 0 mẫu dùng được; 2 mẫu có lỗi (kèm cách sửa).")
    p.add_argument("template", metavar="T.docx", help="mẫu .docx đã sửa (ví dụ mau-kehoach.docx)")
    p.set_defaults(func=_check_template)
    p = sub.add_parser("template", help="chép mẫu văn bản mặc định ra để sửa định dạng",
                       description="Ghi một bản sao của mẫu mặc định (đi kèm chương trình) để sửa "
                                   "bằng Word hoặc LibreOffice rồi dùng với --template. Không bao giờ "
                                   "ghi đè tệp đã có.",
                       epilog="Mã thoát: 0 đã tạo; 2 tệp đích đã có hoặc đường dẫn sai.")
    p.add_argument("target", nargs="?", metavar="ĐÍCH",
                   help=f"tệp .docx, thư mục, hoặc tệp dữ liệu .yaml (mẫu đặt cạnh nó, tên {TEMPLATE_COPY}); "
                        f"mặc định: {TEMPLATE_COPY} trong thư mục hiện tại")
    p.set_defaults(func=_template, choose_folder="kehoach template ĐÍCH")
    _add_sign_commands(sub)

    p = sub.add_parser("serve", help="mở trình soạn thảo kế hoạch trên trình duyệt (không cần viết YAML)",
                       description="Chạy trình soạn thảo trên máy này (chỉ 127.0.0.1): sửa tệp dữ liệu "
                                   "bằng biểu mẫu, thấy lỗi ngay tại trường, xem trước các trang như khi in. "
                                   "Chỉ đọc, ghi trong THƯ-MỤC: các tệp .yaml, bảng tính danh mục tải lên, "
                                   "và văn bản tạo ra (phát hành, hàng loạt) trong THƯ-MỤC/output/.",
                       epilog="Cần cài: pip install \"kehoach[serve]\". Xem trước trang cần LibreOffice và "
                              "pdftoppm (poppler-utils).")
    p.add_argument("folder", nargs="?", default=".", metavar="THƯ-MỤC",
                   help="thư mục chứa các tệp dữ liệu (mặc định: thư mục hiện tại)")
    p.add_argument("--port", type=_port, default=8030, help="cổng (mặc định 8030)")
    p.add_argument("--no-browser", action="store_true", help="không tự mở trình duyệt")
    p.set_defaults(func=_serve)
    for command in sub.choices.values():
        command.set_defaults(command_parser=command)  # an unknown option is said in its command's words
    return parser


def _unknown_options(command: argparse.ArgumentParser, extra: list[str]) -> str:
    """The error for options a command does not have: its name, and the option meant when one is
    close (--froce, --so for --force, --number), so the usage printed above is not all there is."""
    import difflib

    known = sorted({o for a in command._actions for o in a.option_strings})  # argparse keeps them there only
    hints = []
    for word in extra:
        if word.startswith("-"):
            # Long names only: "--so" (số) is no misspelt "-o".
            close = difflib.get_close_matches(word.split("=", 1)[0], [o for o in known if o.startswith("--")],
                                              n=1, cutoff=0.6)
            if close:
                hints.append(f"có phải ý bạn là {close[0]}?")
    tail = f"; {' '.join(hints)}" if hints else f"; xem kehoach {command.prog.split()[-1]} --help"
    return f"tham số không nhận ra: {' '.join(extra)}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # the command as typed, to be run again
    if extra:
        args.command_parser.error(_unknown_options(args.command_parser, extra))
    if argv is None:  # only as the program, not inside a host app
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), _terminate)
    try:
        return args.func(args)
    except DataError as exc:
        for problem in exc.problems:
            print(f"lỗi: {problem}", file=sys.stderr)
        n = len(exc.problems)
        print(f"{n} lỗi; chưa tạo tệp nào.", file=sys.stderr)
        return exc.exit_code
    except InternalError as exc:
        return _internal_error(exc, argv)
    except NotWritable as exc:
        print(f"lỗi: {exc.said(_choose_folder(args))}", file=sys.stderr)
        return exc.exit_code
    except KehoachError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        _say("Đã dừng; không có tệp dở dang nào được ghi.")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`kehoach check … | head`): nothing left to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except MemoryError:
        _say("lỗi: không đủ bộ nhớ để xử lý tệp này; chưa tạo tệp nào.")
        return EXIT_USER
    except RecursionError:
        _say("lỗi: dữ liệu lồng nhau quá sâu để xử lý; chưa tạo tệp nào.")
        return EXIT_USER
    except Exception as exc:  # noqa: BLE001 - last resort: a bug, told apart from the user's mistakes
        return _internal_error(exc, argv)


def _choose_folder(args: argparse.Namespace) -> str | None:
    """How this command is told to write elsewhere, for a folder it may not write into: its -o, or
    what it declares (init and template take the folder as their argument); None when it has no way."""
    declared = getattr(args, "choose_folder", None)
    if declared:
        return declared
    command = getattr(args, "command_parser", None)
    options = {o for action in getattr(command, "_actions", []) for o in action.option_strings}
    return "-o" if "-o" in options else None


def _internal_error(exc: BaseException, argv: list[str] | None) -> int:
    """A bug, not the user's mistake: its own exit code (70, never 2, so a script can tell "fix your
    file" from "report this"), a Vietnamese message asking for a report, and the traceback in a log
    file the user can send, not on the screen of someone who cannot act on it."""
    if os.environ.get("KEHOACH_TRACEBACK"):
        raise exc
    import platform
    import tempfile
    import time
    import traceback

    details = (f"kehoach {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
               f"thời điểm: {time.strftime('%Y-%m-%d %H:%M:%S %z')}\n"
               f"lệnh: kehoach {' '.join(sys.argv[1:] if argv is None else argv)}\n\n"
               + "".join(traceback.format_exception(exc)))
    try:
        # mkstemp: a new file of our own (exclusive create, owner-only), never one already there.
        fd, log = tempfile.mkstemp(prefix=f"kehoach-loi-{time.strftime('%Y%m%d-%H%M%S')}-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(details)
        where = f"Chi tiết đã ghi vào tệp {log}; xin gửi tệp đó (kèm tệp dữ liệu nếu được) khi báo lỗi."
    except OSError:
        _say(details)  # nowhere to write it: the details on the screen are all a report can carry
        where = "Xin chép phần chi tiết ở trên khi báo lỗi."
    _say(f"lỗi: lỗi bên trong kehoach ({type(exc).__name__}: {str(exc)[:200]}), không phải lỗi của "
         f"dữ liệu hay của bạn; không có tệp dở dang nào được ghi. {where}")
    return EXIT_INTERNAL


def _say(message: str) -> None:
    """Print to stderr, unless the terminal is gone (SIGHUP): then there is no one to tell."""
    try:
        print(message, file=sys.stderr)
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
