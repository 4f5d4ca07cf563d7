"""The growth curves, the national projection and the flags on results that did not come from
the run: the pure parts of ``bench.report_scale``."""

import json

import pytest

from bench.report_scale import (
    fit,
    growth,
    growth_section,
    is_stale,
    layout_section,
    load_scale,
    project,
    provenance,
    series,
)

RUN = {"started": "2026-12-02T15:50:00+00:00"}


def sized(members, *, province_p95, rebuild, database_bytes, export_rate=10_000):
    return {
        "dashboards": {
            "members": members,
            "pages": {"province dashboard": {"p95_ms": province_p95, "queries": 30}},
        },
        "scale": {
            "members": members,
            "rebuild_tallies_seconds": rebuild,
            "export_city": {"rows_per_s": export_rate},
            "disk": {"database_bytes": database_bytes, "tables_bytes": 1, "indexes_bytes": 1},
        },
    }


def test_fit_recovers_the_exponent_and_the_constant_of_a_power_law():
    points = [(size, 3 * size**1.5) for size in (500_000, 2_000_000, 5_000_000)]
    k, c = fit(points)
    assert k == pytest.approx(1.5)
    assert c == pytest.approx(3)
    assert project((k, c), 75_000_000) == pytest.approx(3 * 75_000_000**1.5)


def test_fit_of_a_flat_cost_has_an_exponent_near_zero():
    k, _c = fit([(500_000, 100.0), (2_000_000, 101.0), (5_000_000, 99.5)])
    assert abs(k) < 0.01
    assert growth(k) == "flat (does not grow with size)"
    assert growth(1.02) == "linear"
    assert growth(1.4) == "super-linear"
    assert growth(0.5) == "sub-linear"


def test_fit_needs_two_sizes_and_ignores_values_below_the_timers_resolution():
    assert fit([(500_000, 1.0)]) is None
    assert fit([(500_000, 0.0), (2_000_000, 2.0)]) is None
    assert fit([(500_000, None), (2_000_000, 2.0), (5_000_000, 5.0)])[0] == pytest.approx(1)


def test_results_older_than_the_run_or_undated_are_stale():
    assert is_stale({"measured_at": "2026-12-02T15:49:59+00:00"}, RUN["started"])
    assert is_stale({}, RUN["started"])
    assert not is_stale({"measured_at": "2026-12-02T16:10:00+00:00"}, RUN["started"])
    assert not is_stale({}, None)  # no run recorded: nothing to compare with


def test_provenance_names_date_machine_database_and_flags_a_stale_result():
    data = {
        "measured_at": "2026-12-02T14:00:00+00:00",
        "machine": {"cpu": "AMD EPYC", "cores": 2},
        "database": "yl_bench_2m",
        "load_at_save": [0.4, 0.3, 0.2],
    }
    line = provenance(data, RUN)
    assert line.startswith(
        "_measured 2026-12-02 14:00 UTC, on AMD EPYC (2 cores), database yl_bench_2m, "
        "load average 0.4 when saved._"
    )
    assert "**Older than the run of 2026-12-02 15:50 UTC: not from it.**" in line
    fresh = {**data, "measured_at": "2026-12-02T16:00:00+00:00"}
    assert "Older" not in provenance(fresh, RUN)


def test_growth_section_tabulates_each_size_and_projects_the_national_case():
    by_database = {
        "yl_bench_2m": sized(2_000_000, province_p95=100, rebuild=40, database_bytes=4 * 10**9),
        "yl_bench_05m": sized(500_000, province_p95=100, rebuild=10, database_bytes=10**9),
        "yl_bench_5m": sized(5_000_000, province_p95=100, rebuild=100, database_bytes=10 * 10**9),
    }
    assert [m for m, _ in series(by_database)["rebuild_tallies"]] == [500_000, 2_000_000, 5_000_000]
    lines = growth_section(by_database)
    assert "| measure | 0.5 M | 2 M | 5 M | k | growth | at 75 M |" in lines
    assert (
        "| province dashboard p95 | 100 ms | 100 ms | 100 ms | 0.00 | flat (does not grow with "
        "size) | 100 ms |" in lines
    )
    assert "| rebuild_tallies | 10 s | 40 s | 100 s | 1.00 | linear | 1,500 s |" in lines
    text = "\n".join(lines)
    assert "2.00 GB at 0.5 M, 2.00 GB at 2 M, 2.00 GB at 5 M" in text
    assert "take about 150 GB" in text
    assert "Flat with size (k < 0.15): province dashboard p95" in text


def test_layout_section_states_the_recommendation_with_the_projected_numbers():
    by_database = {
        "a": sized(500_000, province_p95=100, rebuild=60, database_bytes=10**9),
        "b": sized(5_000_000, province_p95=100, rebuild=600, database_bytes=10 * 10**9),
    }
    text = "\n".join(layout_section(by_database, "b"))
    assert "one database per province behind the same code" in text
    assert "rebuild_tallies: about 2.5 h nationally, against 5 min" in text  # 600 s per 5 M
    assert "about 150 GB in one database" in text


def test_load_scale_reads_one_folder_per_database(tmp_path):
    folder = tmp_path / "scale" / "yl_bench_05m"
    folder.mkdir(parents=True)
    (folder / "scale.json").write_text(json.dumps({"members": 500_000}))
    assert load_scale(tmp_path) == {"yl_bench_05m": {"scale": {"members": 500_000}}}
    assert load_scale(tmp_path / "nowhere") == {}


def test_layout_section_cites_the_partitioned_look_up_without_the_region():
    partitioned = {
        "regions": 10,
        "queries": {
            "member by ID number, region unknown": {
                "plain_member": {"p50_ms": 0.05},
                "part_member": {"p50_ms": 0.4},
            }
        },
    }
    text = "\n".join(layout_section({}, None, partitioned))
    assert "without the region took 0.4 ms partitioned against 0.05 ms in one table" in text


def test_the_orchestrator_takes_the_database_nearest_two_million_as_reference():
    from bench.all import nearest, url_of

    databases = [
        {"name": "small", "members": 500_000},
        {"name": "middle", "members": 2_000_000},
        {"name": "large", "members": 5_000_000},
    ]
    assert nearest(databases, 2_000_000) == "middle"
    assert nearest(databases[::2], 2_000_000) == "large"  # 2.5 × above is nearer than 4 × below
    assert url_of("postgres://postgres@127.0.0.1:5432/x", "yl_bench_5m") == (
        "postgres://postgres@127.0.0.1:5432/yl_bench_5m"
    )


def test_durations_read_in_the_unit_that_fits_and_the_wording_follows_the_exponents():
    from bench.report_scale import duration

    assert [duration(s) for s in (7, 600, 9000)] == ["7 s", "10 min", "2.5 h"]
    flat = {
        "a": sized(500_000, province_p95=100, rebuild=60, database_bytes=10**9),
        "b": sized(5_000_000, province_p95=101, rebuild=600, database_bytes=10 * 10**9),
    }
    assert "they barely grow with the table" in "\n".join(layout_section(flat))
    steep = {
        "a": sized(500_000, province_p95=100, rebuild=60, database_bytes=10**9),
        "b": sized(5_000_000, province_p95=400, rebuild=600, database_bytes=10 * 10**9),
    }
    assert "they grow far slower than the data" in "\n".join(layout_section(steep))
