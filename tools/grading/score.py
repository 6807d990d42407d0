"""4단계(뒤), 점수 매기기: 실행 결과에서 점검별 통과/실패와 배점, 숨은 점검, 조작 의심(review)을 채웁니다."""

from __future__ import annotations

from tools.grading import explain
from tools.grading.audit import runtime_findings
from tools.grading.model import RAN, Result

HIDDEN_FAILED = "숨은 점검 {n}을(를) 통과하지 못했습니다 (채점 때만 실행되는 점검이라 내용은 알려 주지 않습니다)"
NOT_RUN = "실행되지 않음 (앞에서 실행이 멈췄습니다)"


def finish(result: Result, cells: list[dict], run: dict, static: list[str] | None = None) -> Result:
    """실행 결과(run)에서 점검별 통과/실패와 점수를 채웁니다.

    숨은 점검이 있는 점검은 보이는 부분과 숨은 부분이 모두 통과해야 통과입니다. 숨은 점검의 오류 메시지는
    피드백에 옮기지 않습니다 (몇 번째 숨은 점검인지만). 보이는 부분이 실패했으면 숨은 점검은 따로 적지 않습니다
    (같은 실수를 두 번 알리지 않게). 답 셀이 처음 그대로인 문제는 "아직 풀지 않았습니다"로 적습니다.
    조작 근거(static: 정적 검사, run["reports"]: 커널 쪽 감사)가 있으면 상태가 `review`가 되고 근거가 detail과
    피드백에 적힙니다. 점수는 점검 결과 그대로입니다.
    """
    result.status, result.detail = run["status"], run.get("detail", "")
    result.run_status = result.status
    outcomes = run.get("cells", [])
    groups: dict[int, list[tuple[dict, dict]]] = {}
    attempted: dict[int, list[bool]] = {}
    pending: list[bool] = []
    for index, cell in enumerate(cells):
        outcome = outcomes[index] if index < len(outcomes) else {"ran": False, "ok": False}
        if cell["role"] == "answer":
            pending.append(bool(cell.get("attempted", True)))
        if cell["role"] == "check":
            key = cell.get("check", index)
            groups.setdefault(key, []).append((cell, outcome))
            if key not in attempted:
                attempted[key], pending = pending, []
        elif outcome.get("error") and cell["role"] in ("answer", "extra", "given"):
            if cell["role"] == "answer" and not cell.get("attempted", True) and _is_stub_error(outcome):
                continue  # 풀지 않은 답 셀의 NotImplementedError는 그 문제의 "아직 풀지 않았습니다"로 알립니다
            message = explain.with_explanation(outcome.get("ename", ""), outcome.get("evalue", ""), outcome["error"])
            result.notes.append(f"{cell['title']}의 오류: {message}")
        elif cell["role"] in ("setup", "phase", "audit") and outcome.get("ran") and not outcome.get("ok"):
            result.tamper.append(f"채점 도구의 셀이 오류로 끝났습니다 ({cell['title']})")
    for key, parts in groups.items():
        answers = attempted.get(key, [])
        unattempted = bool(answers) and not any(answers)
        result.checks.append(_check(parts, unattempted))
    result.passed = sum(c["passed"] for c in result.checks)
    result.points = sum(c["points"] for c in result.checks if c["passed"])
    result.max_points = sum(c["max_points"] for c in result.checks)

    if result.status == "timeout":
        result.hints.append(explain.timeout_hint(run.get("stopped_at", ""), run.get("timeout", 0)))
    tamper = list(static or []) + result.tamper + runtime_findings(run)
    result.tamper = list(dict.fromkeys(tamper))
    if result.tamper:
        result.flags.append("tamper")
    apply_flags(result)
    return result


def apply_flags(result: Result) -> None:
    """flags(조작, 해답, 같은 답)가 있고 실행까지 간 제출이면 상태를 review로, detail에 근거를 적습니다."""
    if not result.flags or result.run_status not in RAN:
        return
    reasons = []
    if "tamper" in result.flags:
        reasons.append("조작 의심: " + "; ".join(result.tamper[:5]))
    if "solution" in result.flags:
        reasons.append("공개된 해답으로 보임: " + ", ".join(result.solution_reasons))
    if "mismatch" in result.flags:
        reasons.append(result.mismatch)
    before = "" if result.run_status == "ok" else f" (실행 상태: {result.run_status}, {result.detail})"
    result.status = "review"
    result.detail = "; ".join(reasons) + before if reasons else result.detail


def _is_stub_error(outcome: dict) -> bool:
    return outcome.get("ename") == "NotImplementedError" and explain.STUB_TEXT in str(outcome.get("evalue", ""))


def _check(parts: list[tuple[dict, dict]], unattempted: bool = False) -> dict:
    first = parts[0][0]
    title = first["title"]
    hidden = [(cell["hidden"], outcome) for cell, outcome in parts if cell.get("part") == "hidden"]
    visible_ok = all(outcome.get("ok") for cell, outcome in parts if cell.get("part") != "hidden")
    passed = all(outcome.get("ok") for _, outcome in parts)
    message = "통과"
    if not passed:
        message = ""
        for cell, outcome in parts:
            if outcome.get("ok"):
                continue
            if not outcome.get("ran"):
                message = NOT_RUN
            elif cell.get("part") == "hidden":
                message = HIDDEN_FAILED.format(n=cell["hidden"])
            elif unattempted:
                message = explain.UNATTEMPTED
            else:
                error = outcome.get("error", "실패")
                message = explain.with_explanation(outcome.get("ename", ""), outcome.get("evalue", ""), error)
            break
    points = float(first.get("points", 1.0))
    return {
        "title": title,
        "passed": passed,
        "message": message,
        "points": points if passed else 0.0,
        "max_points": points,
        "unattempted": unattempted and not passed,
        # 보이는 부분이 통과했을 때만 숨은 점검을 하나씩 적습니다 (아니면 같은 실수를 또 알리게 됨)
        "hidden": [{"n": n, "passed": bool(o.get("ok")), "ran": bool(o.get("ran"))} for n, o in hidden if visible_ok],
    }
