#!/usr/bin/env python3
"""双随机抽查摇号算法与公开校验程序 (the random draw of zhifa/inspections, and its stand-alone verifier).

This one file is both the algorithm zhifa runs and the verifier anyone can run: it imports nothing but the
Python standard library (3.9+ built with OpenSSL's SM3, as Debian's and most distributions' are), so

    python3 -I -S drawing.py 抽查记录.json

re-computes a published draw from its public record and says whether the record holds together. The
algorithm is specified in docs/inspections.md precisely enough to be written again from the text alone.

Exit status: 0 the draw re-computes exactly, 1 it does not (each difference is named), 2 the record cannot
be read.
"""

import hashlib
import json
import sys

FORMAT = "zhifa-draw/1"
_SM3 = hashlib.new("sm3")


def sm3(data: bytes) -> bytes:
    h = _SM3.copy()
    h.update(data)
    return h.digest()


def canonical(value) -> bytes:
    """Canonical JSON: keys sorted, no spaces, UTF-8 (not \\u escapes)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def pool_text(lines) -> bytes:
    """A pool as committed: its lines in the given order, each ended by a line feed, UTF-8."""
    return "".join(line + "\n" for line in lines).encode("utf-8")


def pool_hash(lines) -> str:
    return sm3(pool_text(lines)).hex()


def normalise_seed(value: str) -> str:
    """Surrounding blanks removed and every run of blanks inside written as one space."""
    return " ".join(str(value).split())


def draw_key(plan_id, targets_sm3: str, inspectors_sm3: str, parameters_sm3: str, seed: str) -> bytes:
    text = "\n".join([FORMAT, str(plan_id), targets_sm3, inspectors_sm3, parameters_sm3, normalise_seed(seed)])
    return sm3(text.encode("utf-8"))


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def quota(size: int, ratio_bp: int) -> int:
    """How many of a stratum of `size` are drawn at a ratio of `ratio_bp` ten-thousandths: rounded up."""
    return min(size, _ceil_div(size * ratio_bp, 10000))


def target_order(key: bytes, ids):
    """The stratum's targets in draw order: by SM3(key ‖ "T:" ‖ id), then by id."""
    return sorted(ids, key=lambda t: (sm3(key + ("T:" + t).encode("utf-8")), t))


def inspector_round(key: bytes, agency: str, number: int, ids):
    """Round `number` of an agency's inspector stream: its inspectors by SM3(key ‖ "I:" ‖ agency ‖ ":" ‖ number ‖ ":" ‖ id), then by id."""
    prefix = key + f"I:{agency}:{number}:".encode("utf-8")
    return sorted(ids, key=lambda i: (sm3(prefix + i.encode("utf-8")), i))


def replacement_rank(key: bytes, target: str, inspector: str, load: int):
    """Recusal: the replacement is the candidate with the fewest targets, then the smallest SM3(key ‖ "R:" ‖ target ‖ ":" ‖ id)."""
    return (load, sm3(key + f"R:{target}:{inspector}".encode("utf-8")), inspector)


def _parse(lines, what: str):
    out = []
    for line in lines:
        parts = line.split("\t")
        if len(parts) != 4 or not parts[0]:
            raise ValueError(f"{what}中有格式不正确的行：{line[:80]}")
        out.append((parts[0], parts[1]))
    return out


def parse_targets(lines):
    """Target pool lines "id<TAB>stratum<TAB>code<TAB>name" → [(id, stratum)]."""
    return _parse(lines, "检查对象名单")


def parse_inspectors(lines):
    """Inspector pool lines "id<TAB>agency<TAB>credential<TAB>name" → [(id, agency)]."""
    return _parse(lines, "执法检查人员名单")


class Draw:
    """The selection as a function of the pools, the parameters, the seed and the targets passed over for the
    yearly cap; then each recusal in its recorded order."""

    def __init__(self, plan_id, targets, inspectors, parameters: dict, seed: str, skipped=()):
        self.parameters = parameters
        self.key = draw_key(
            plan_id, pool_hash(targets), pool_hash(inspectors), sm3(canonical(parameters)).hex(), seed,
        )
        skipped = set(skipped)
        by_stratum: dict[str, list[str]] = {}
        for target, stratum in parse_targets(targets):
            by_stratum.setdefault(stratum, []).append(target)
        self.selected: list[tuple[str, str]] = []  # (target, stratum) in draw order
        self.passed_over: list[str] = []  # skipped targets the walk actually met, in order
        for stratum in parameters["strata"]:
            pool = by_stratum.get(stratum["key"], [])
            want = quota(len(pool), int(stratum["ratio_bp"]))
            taken = 0
            for target in target_order(self.key, pool) if want else ():
                if taken == want:
                    break
                if target in skipped:
                    self.passed_over.append(target)
                    continue
                self.selected.append((target, stratum["key"]))
                taken += 1
        self.pools: dict[str, list[str]] = {}
        for inspector, agency in parse_inspectors(inspectors):
            self.pools.setdefault(agency, []).append(inspector)
        self.assigned: dict[str, dict[str, list[str]]] = {target: {} for target, _ in self.selected}
        self.load: dict[str, int] = {}
        self.recused: dict[str, set] = {}
        for agency, per_target in self._agencies():
            pool = self.pools.get(agency, [])
            if len(pool) < per_target:
                raise ValueError(f"执法主体 {agency} 的执法检查人员（{len(pool)} 人）少于每个检查对象所需的 {per_target} 人。")
            stream, held = self._stream(agency, pool), []
            for target, _ in self.selected:
                team = []
                while len(team) < per_target:
                    pick = next((i for i in held if i not in team), None)
                    if pick is not None:
                        held.remove(pick)
                    else:
                        pick = next(stream)
                        if pick in team:
                            held.append(pick)
                            continue
                    team.append(pick)
                    self.load[pick] = self.load.get(pick, 0) + 1
                self.assigned[target][agency] = team

    def _agencies(self):
        return [(a["key"], int(a["inspectors"])) for a in self.parameters["agencies"]]

    def _stream(self, agency, pool):
        number = 0
        while True:
            yield from inspector_round(self.key, agency, number, pool)
            number += 1

    def recuse(self, target: str, inspector: str) -> str:
        """The inspector leaves the target (回避); the replacement, from the same agency, is returned."""
        team = self.assigned.get(target)
        if team is None:
            raise ValueError(f"检查对象 {target} 不在抽取结果中。")
        agency = next((a for a, people in team.items() if inspector in people), None)
        if agency is None:
            raise ValueError(f"执法检查人员 {inspector} 不在检查对象 {target} 的检查组中。")
        recused = self.recused.setdefault(target, set())
        recused.add(inspector)
        people = team[agency]
        on_target = {i for members in team.values() for i in members}
        candidates = [i for i in self.pools[agency] if i not in on_target and i not in recused]
        if not candidates:
            recused.discard(inspector)
            raise ValueError(f"检查对象 {target} 已没有可以替换的执法检查人员。")
        replacement = min(candidates, key=lambda i: replacement_rank(self.key, target, i, self.load.get(i, 0)))
        self.load[inspector] -= 1
        self.load[replacement] = self.load.get(replacement, 0) + 1
        people[people.index(inspector)] = replacement
        return replacement

    def result(self, *, sort: bool = False) -> list[dict]:
        """Each selected target with its inspectors per agency: in drawn order, or sorted by id (`sort`)."""
        return [
            {"target": target, "stratum": stratum,
             "inspectors": {a: sorted(p) if sort else list(p) for a, p in self.assigned[target].items()}}
            for target, stratum in self.selected
        ]


def verify(record: dict) -> list[str]:
    """Every way the record fails to hold together, in Chinese; empty when the draw re-computes exactly."""
    problems = []
    if record.get("format") != FORMAT:
        return [f"记录格式不是 {FORMAT}。"]
    pools, commitment, parameters = record["pools"], record["commitment"], record["parameters"]
    for name, label in (("targets", "检查对象名单"), ("inspectors", "执法检查人员名单")):
        actual = pool_hash(pools[name])
        if actual != commitment[f"{name}_sm3"]:
            problems.append(f"{label}与摇号前承诺的摘要不符（承诺 {commitment[f'{name}_sm3']}，实际 {actual}）。")
    actual = sm3(canonical(parameters)).hex()
    if actual != commitment["parameters_sm3"]:
        problems.append(f"抽取参数与摇号前承诺的摘要不符（承诺 {commitment['parameters_sm3']}，实际 {actual}）。")
    seed = record.get("seed") or {}
    if not seed.get("value"):
        return problems + ["记录中没有随机种子，尚未摇号。"]
    result = record.get("result") or {}
    skipped = [s["target"] for s in result.get("skipped", [])]
    try:
        draw = Draw(record["plan"]["id"], pools["targets"], pools["inspectors"], parameters, seed["value"], skipped)
    except ValueError as exc:
        return problems + [str(exc)]
    unused = [t for t in skipped if t not in draw.passed_over]
    if unused:
        problems.append(f"记录称因年度检查次数上限跳过的检查对象并未被抽到：{'、'.join(unused[:10])}。")
    if result.get("initial") != draw.result():
        problems.append(_difference("摇号结果", result.get("initial"), draw.result()))
    for n, recusal in enumerate(record.get("recusals", []), start=1):
        try:
            replacement = draw.recuse(recusal["target"], recusal["inspector"])
        except ValueError as exc:
            problems.append(f"第 {n} 次回避：{exc}")
            break
        if replacement != recusal.get("replacement"):
            problems.append(f"第 {n} 次回避（检查对象 {recusal['target']}，人员 {recusal['inspector']}）："
                            f"记录的替换人员为 {recusal.get('replacement')}，重新计算为 {replacement}。")
    if result.get("final") != draw.result(sort=True):
        problems.append(_difference("现有检查组（各部门人员按编号排列）", result.get("final"), draw.result(sort=True)))
    return problems


def _difference(label: str, recorded, computed) -> str:
    recorded, computed = recorded or [], computed or []
    if len(recorded) != len(computed):
        return f"{label}与重新计算的结果不符：记录 {len(recorded)} 个检查对象，重新计算 {len(computed)} 个。"
    for n, (a, b) in enumerate(zip(recorded, computed), start=1):
        if a != b:
            return f"{label}与重新计算的结果不符：第 {n} 个，记录为 {json.dumps(a, ensure_ascii=False)}，重新计算为 {json.dumps(b, ensure_ascii=False)}。"
    return f"{label}与重新计算的结果不符。"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 2
    try:
        with open(argv[0], encoding="utf-8") as f:
            record = json.load(f)
        plan = record["plan"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"无法读取抽查记录：{exc}")
        return 2
    try:
        problems = verify(record)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        print(f"抽查记录内容不完整或格式不正确：{exc!r}")
        return 2
    title = f"{plan.get('number', '')} {plan.get('title', '')}".strip()
    if problems:
        print(f"校验未通过：{title}")
        for p in problems:
            print(f"  - {p}")
        return 1
    result = record["result"]
    print(f"校验通过：{title}")
    print(f"  检查对象名单 {len(record['pools']['targets'])} 个，执法检查人员名单 {len(record['pools']['inspectors'])} 人；"
          f"抽中 {len(result['initial'])} 个，因年度检查次数上限跳过 {len(result.get('skipped', []))} 个，回避 {len(record.get('recusals', []))} 次。")
    print(f"  随机种子：{record['seed'].get('source_label', '')} {record['seed']['value']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
