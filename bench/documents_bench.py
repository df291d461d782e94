#!/usr/bin/env python3
"""执法文书 figures: time and size of rendering and sealing one document through the real service
(documents.services.issue_document), and whether WeasyPrint can subset fonts (libharfbuzz-subset).

    .venv/bin/python bench/documents_bench.py [--count 10]

Without libharfbuzz-subset WeasyPrint falls back to subsetting the Noto CJK fonts in Python (fontTools):
measured here on 2026-11-24, 11.8 s per document without it and 0.22 s with it, the PDF the same size
(339 KiB). scripts/setup installs libharfbuzz-subset0. Prints figures; asserts nothing.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="zhifa-bench-docs-")
    os.environ["ZHIFA_VAR_DIR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from weasyprint.text.ffi import harfbuzz_subset  # None when the library is missing

    from zhifa.cases import services as cases
    from zhifa.cases.samples import PARTY
    from zhifa.cases.tests.factories import team
    from zhifa.core.roles import Role
    from zhifa.documents import services as docs
    from zhifa.documents.samples import filled
    from zhifa.org.tests import factories as f

    agency = f.agency("基准测试局")
    officer = f.person(agency, Role.OFFICER, Role.HEAD, username="bench_officer", full_name="张伟")
    f.credential(officer)
    world = type("W", (), {"admin": f.admin(), "city_a": agency, "officer_a": officer})()
    partner = team(world)
    case = cases.open_case(officer, procedure_code="penalty_general", title="基准", source="inspection", parties=[PARTY],
                           officers=[partner], occurred_on=django.utils.timezone.localdate())
    cases.set_proposal(officer, case, outcome="penalty", penalty_kinds=["fine"], fine_amount="50000", legal_basis="某条例第十条")
    times, sizes = [], []
    for _ in range(args.count):
        draft = docs.draft_document(officer, case, doc_type="penalty_notice", content=filled("penalty_notice"))
        started = time.perf_counter()
        issued = docs.issue_document(officer, draft)
        times.append(time.perf_counter() - started)
        sizes.append(issued.pdf_size)
    print(f"libharfbuzz-subset: {'yes' if harfbuzz_subset else 'NO (whole fonts embedded)'}")
    print(f"issue (number + PDF + PAdES seal): median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over {args.count}")
    print(f"PDF size: median {statistics.median(sizes) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
