"""BENCHMARKS.md shows the breakdown alternatives side by side and judges what the pages run."""

from bench.report import breakdowns_section


def result(p50, p95):
    return {"url": "/x/", "p50_ms": p50, "p95_ms": p95, "min_ms": p50, "runs": 10, "queries": 7}


def test_breakdowns_section_lists_every_alternative_and_judges_the_last():
    data = {
        "machine": {"cores": 2},
        "members": 2_000_000,
        "load_before": [8.1, 8.0, 7.0],
        "load_after": [9.2, 8.5, 7.5],
        "alternatives": ["before", "now"],
        "pages": {
            "province breakdown, one attribute": {
                "before": result(2500, 2900),
                "now": result(600, 800),
            },
            "city breakdown, two attributes": {"before": result(200, 280), "now": result(90, 350)},
        },
    }
    lines = breakdowns_section(data)
    text = "\n".join(lines)
    assert "load average 8.1 before the run and 9.2 after, on 2 cores" in text
    assert (
        "| province breakdown, one attribute | before | 2500 ms | 2900 ms | 7 | p95 < 1000 ms |  |"
        in lines
    )
    assert (
        "| province breakdown, one attribute | now | 600 ms | 800 ms | 7 | p95 < 1000 ms | met |"
        in lines
    )
    assert (
        "| city breakdown, two attributes | now | 90 ms | 350 ms | 7 | p95 < 300 ms | **missed** |"
        in lines
    )


def test_dashboards_section_puts_the_live_recount_beside_the_roll_ups_and_judges_these():
    from bench.report import dashboards_section

    data = {
        "members": 2_000_000,
        "pages": {"province dashboard": result(90, 120), "city dashboard": result(60, 95)},
        "live_pages": {"province dashboard": result(300, 310), "city dashboard": result(100, 140)},
    }
    lines = dashboards_section(data)
    assert "| province dashboard | roll-ups | 90 ms | 120 ms | 7 | p95 < 150 ms | met |" in lines
    assert (
        "| province dashboard | live recount (before) | 300 ms | 310 ms | 7 | p95 < 150 ms |  |"
        in lines
    )
    assert "| city dashboard | roll-ups | 60 ms | 95 ms | 7 | p95 < 80 ms | **missed** |" in lines
