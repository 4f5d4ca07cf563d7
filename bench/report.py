"""Write BENCHMARKS.md from the latest results in bench/results/ (python -m bench.report).

Each section is written by :mod:`bench.report_files` (spreadsheets in and out) or
:mod:`bench.report_pages` (pages and queries)."""

import json

from bench import ROOT
from bench.partitioning import partitioning_section
from bench.report_files import (  # noqa: F401
    COMMAND,
    export_section,
    import_memory_section,
    import_section,
    read_section,
    rust_writer_section,
    verdict,
)
from bench.report_pages import (
    breakdowns_section,
    dashboards_section,
    http_section,
    member_indexes_section,
    pages_section,
    register_lookup_section,
)
from bench.report_scale import (
    growth_section,
    is_stale,
    layout_section,
    load_scale,
    provenance,
    run_section,
)
from bench.run import RESULTS


def load(name):
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def main():
    sections = []
    machine = None
    run = load("run")
    for name in (
        "export_roster",
        "import_roster",
        "read_spreadsheets",
        "import_memory",
        "dashboards",
        "breakdowns",
        "admin_list",
        "tree",
        "register_lookup",
        "member_indexes",
        "rust_writer",
        "http_load",
    ):
        data = load(name)
        if data is None:
            continue
        machine = machine or data["machine"]
        if name == "export_roster":
            sections.append(export_section(data))
        elif name == "import_roster":
            sections.append(import_section(data))
        elif name == "read_spreadsheets":
            sections.append(read_section(data))
        elif name == "import_memory":
            sections.append(import_memory_section(data))
        elif name == "dashboards":
            sections.append(dashboards_section(data))
        elif name == "breakdowns":
            sections.append(breakdowns_section(data))
        elif name == "admin_list":
            sections.append(
                pages_section(
                    "Admin member list and search",
                    name,
                    data,
                    dict.fromkeys(data["pages"], 500),
                )
            )
        elif name == "tree":
            sections.append(
                pages_section(
                    f"Organisation tree, pickers and desk at {data['organizations']:,} organisations",
                    name,
                    data,
                    {page: 1500 if page.startswith("desk") else 500 for page in data["pages"]},
                )
            )
        elif name == "member_indexes":
            sections.append(member_indexes_section(data))
        elif name == "rust_writer":
            sections.append(rust_writer_section(data))
        elif name == "register_lookup":
            sections.append(register_lookup_section(data))
        else:
            sections.append(http_section(data))
        sections[-1] = [*sections[-1], "", provenance(data, run)]
    machine = (run or {}).get("machine") or machine
    intro = (ROOT / "bench" / "INTRO.md").read_text().rstrip()
    facts = [
        "## The machine",
        "",
        f"- CPU: {machine['cpu']} ({machine['cores']} cores); memory {machine['memory']}",
        f"- Python {machine['python']} on {machine['system']}; PostgreSQL on the same machine",
    ]
    by_database = load_scale(RESULTS)
    for database in by_database.values():
        for name, data in database.items():
            if run and is_stale(data, run["started"]):
                sections.append([f"**{name} of {data.get('database')} is older than the run.**"])
    growth = growth_section(by_database, run)
    for name, database in by_database.items():
        if "scale" in database:
            growth += ["", f"{name}: " + provenance(database["scale"], run)]
    sections.append(growth)
    partitioned = load("partitioning")
    sections.append(
        [
            *layout_section(by_database, (run or {}).get("reference"), partitioned),
            "",
            *partitioning_section(partitioned),
            *(["", provenance(partitioned, run)] if partitioned else []),
        ]
    )
    body = [intro, "", *facts, "", *run_section(run, (run or {}).get("databases", [])), ""]
    for section in sections:
        body += [*section, ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(body))
    print("BENCHMARKS.md written")


if __name__ == "__main__":
    main()
