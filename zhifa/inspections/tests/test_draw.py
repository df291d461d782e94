"""The draw as a pure function (zhifa/inspections/drawing.py), against the text of docs/inspections.md."""

import hashlib
import math

import pytest

from zhifa.inspections import drawing

PARAMS = {"strata": [{"key": "high", "ratio_bp": 3000}, {"key": "low", "ratio_bp": 150}],
          "agencies": [{"key": "7", "inspectors": 2}]}


def pools(targets=200, inspectors=6, agencies=("7",)):
    t = [f"{i}\t{'high' if i % 4 == 0 else 'low'}\t91330400MA{i:08d}\t公司{i}" for i in range(1, targets + 1)]
    p = [f"{100 + i}\t{agencies[i % len(agencies)]}\t330400{i:05d}\t人员{i}" for i in range(inspectors)]
    return t, p


def test_quota_rounds_up_per_stratum():
    assert drawing.quota(50, 3000) == 15
    assert drawing.quota(150, 150) == 3  # 2.25 → 3
    assert drawing.quota(1, 1) == 1  # a stratum with anyone in it is never skipped
    assert drawing.quota(0, 3000) == 0
    assert drawing.quota(7, 10000) == 7


def test_each_stratum_is_drawn_at_its_own_ratio():
    t, p = pools()
    draw = drawing.Draw(1, t, p, PARAMS, "seed")
    by = {"high": 0, "low": 0}
    for _, stratum in draw.selected:
        by[stratum] += 1
    assert by == {"high": math.ceil(50 * 0.30), "low": math.ceil(150 * 0.015)}


def test_same_inputs_same_draw_and_any_change_moves_it():
    t, p = pools()
    first = drawing.Draw(1, t, p, PARAMS, "03 11 17").result()
    assert drawing.Draw(1, t, p, PARAMS, "  03   11 17 ").result() == first  # blanks normalised
    assert drawing.Draw(1, t, p, PARAMS, "03 11 18").result() != first
    assert drawing.Draw(2, t, p, PARAMS, "03 11 17").result() != first
    assert drawing.Draw(1, t[:-1], p, PARAMS, "03 11 17").result() != first


def test_every_target_gets_distinct_inspectors_and_the_load_is_even():
    t, p = pools(targets=400, inspectors=7)
    draw = drawing.Draw(1, t, p, PARAMS, "x")
    loads = {}
    for row in draw.result():
        team = row["inspectors"]["7"]
        assert len(team) == 2 and len(set(team)) == 2
        for i in team:
            loads[i] = loads.get(i, 0) + 1
    assert max(loads.values()) - min(loads.values()) <= 2


def test_joint_plan_takes_inspectors_from_each_agency():
    t, p = pools(agencies=("7", "9"))
    params = {**PARAMS, "agencies": [{"key": "7", "inspectors": 1}, {"key": "9", "inspectors": 1}]}
    for row in drawing.Draw(1, t, p, params, "x").result():
        assert len(row["inspectors"]["7"]) == 1 and len(row["inspectors"]["9"]) == 1
        assert int(row["inspectors"]["7"][0]) % 2 == 0 and int(row["inspectors"]["9"][0]) % 2 == 1


def test_too_few_inspectors_is_refused():
    t, p = pools(inspectors=1)
    with pytest.raises(ValueError, match="少于"):
        drawing.Draw(1, t, p, PARAMS, "x")


def test_a_target_at_the_cap_is_passed_over_and_the_next_takes_its_place():
    t, p = pools()
    plain = drawing.Draw(1, t, p, PARAMS, "x")
    first = plain.selected[0][0]
    capped = drawing.Draw(1, t, p, PARAMS, "x", skipped={first, "99999"})
    assert first not in [s for s, _ in capped.selected]
    assert capped.passed_over == [first]  # a skipped target the walk never met is not "passed over"
    assert len(capped.selected) == len(plain.selected)


def test_recusal_draws_a_replacement_from_the_same_agency_not_already_on_the_target():
    t, p = pools(inspectors=5)
    draw = drawing.Draw(1, t, p, PARAMS, "x")
    target = draw.selected[0][0]
    team = list(draw.assigned[target]["7"])
    replacement = draw.recuse(target, team[0])
    assert replacement not in team and draw.assigned[target]["7"] == [replacement, team[1]]
    again = draw.recuse(target, replacement)
    assert again not in (team[0], replacement, team[1])


def test_order_follows_the_specification_text():
    """docs/inspections.md: targets ordered by SM3(key ‖ "T:" ‖ id); the key is SM3 of the six lines."""
    t, p = pools(targets=20)
    params = {"strata": [{"key": "high", "ratio_bp": 10000}, {"key": "low", "ratio_bp": 10000}], "agencies": [{"key": "7", "inspectors": 2}]}

    def h(b):
        return hashlib.new("sm3", b).digest()

    def hexof(lines):
        return h("".join(x + "\n" for x in lines).encode()).hex()

    import json

    params_hex = h(json.dumps(params, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()).hex()
    key = h("\n".join(["zhifa-draw/1", "5", hexof(t), hexof(p), params_hex, "a b"]).encode())
    high = sorted((line.split("\t")[0] for line in t if "\thigh\t" in line), key=lambda i: (h(key + f"T:{i}".encode()), i))
    draw = drawing.Draw(5, t, p, params, " a  b ")
    assert [s for s, stratum in draw.selected if stratum == "high"] == high
    first_round = sorted([line.split("\t")[0] for line in p], key=lambda i: (h(key + f"I:7:0:{i}".encode()), i))
    assert draw.assigned[high[0]]["7"] == first_round[:2]
