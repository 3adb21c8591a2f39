"""The `kehoach` command: parses options, calls one library function per command, prints the
result or the problems. Exit codes: 0 success, 1 check findings, 2 a problem with the user's input.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from . import __version__
from .errors import DataError, KehoachError

EXIT_OK, EXIT_FINDINGS, EXIT_USER = 0, 1, 2


def _render(args: argparse.Namespace) -> int:
    from .render import render_file

    path = render_file(args.data, args.output, template=args.template)
    print(f"Đã tạo: {path}")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .loader import load_plan

    plan = load_plan(args.data)
    state = "bản phát hành (đã có số và ngày)" if plan.is_final else "dự thảo (chưa có số hoặc ngày)"
    print(f"{args.data}: hợp lệ — {state}")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from .schema import plan_schema

    text = json.dumps(plan_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        from .package import atomic_write

        atomic_write(args.output, text.encode())
        print(f"Đã ghi: {args.output}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _check_template(args: argparse.Namespace) -> int:
    from .template_check import check_template

    problems = check_template(args.template)
    for problem in problems:
        print(f"lỗi: {args.template}: {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} lỗi trong mẫu; hãy sửa trước khi tạo văn bản.", file=sys.stderr)
        return EXIT_USER
    print(f"{args.template}: mẫu hợp lệ")
    return EXIT_OK


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (kill) unwinds like Ctrl-C, so atomic writes remove their temporary file."""
    raise KeyboardInterrupt


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kehoach",
        description="Soạn Kế hoạch theo Nghị định 30/2020/NĐ-CP thành tệp Word từ dữ liệu YAML.",
        epilog="Mã thoát: 0 thành công; 1 có lỗi thể thức khi kiểm tra; 2 dữ liệu hoặc tham số sai.",
    )
    parser.add_argument("--version", action="version", version=f"kehoach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", required=True)

    p = sub.add_parser("render", help="tạo tệp .docx từ tệp dữ liệu",
                       description="Tạo văn bản .docx từ tệp dữ liệu YAML.")
    p.add_argument("data", metavar="DATA.yaml", help="tệp dữ liệu kế hoạch")
    p.add_argument("-o", "--output", metavar="OUT.docx|DIR",
                   help="tệp hoặc thư mục kết quả (mặc định: output/<tên tệp dữ liệu>.docx)")
    p.add_argument("--template", metavar="T.docx", help="mẫu docxtpl khác mẫu mặc định")
    p.set_defaults(func=_render)

    p = sub.add_parser("validate", help="kiểm tra tệp dữ liệu, không tạo văn bản",
                       description="Kiểm tra tệp dữ liệu; báo mọi lỗi cùng lúc với dòng, cột và trường.")
    p.add_argument("data", metavar="DATA.yaml")
    p.set_defaults(func=_validate)

    p = sub.add_parser("schema", help="in JSON Schema của tệp dữ liệu (cho trình soạn thảo)",
                       description="In JSON Schema của tệp dữ liệu để trình soạn thảo kiểm tra và gợi ý.")
    p.add_argument("-o", "--output", metavar="FILE.json", help="ghi ra tệp thay vì in ra màn hình")
    p.set_defaults(func=_schema)

    p = sub.add_parser("check-template", help="kiểm tra một mẫu .docx trước khi dùng",
                       description="Kiểm tra mẫu docxtpl: thẻ bị Word tách, thẻ thiếu đóng/mở, "
                                   "biến không có trong dữ liệu, thao tác bị cấm.")
    p.add_argument("template", metavar="T.docx")
    p.set_defaults(func=_check_template)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if argv is None and hasattr(signal, "SIGTERM"):  # only as the program, not inside a host app
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.func(args)
    except DataError as exc:
        for problem in exc.problems:
            print(f"lỗi: {problem}", file=sys.stderr)
        n = len(exc.problems)
        print(f"{n} lỗi; chưa tạo tệp nào.", file=sys.stderr)
        return exc.exit_code
    except KehoachError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Đã dừng; không có tệp dở dang nào được ghi.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
