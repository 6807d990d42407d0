"""4단계(뒤), 점수 매기기: 실행 결과에서 점검별 통과/실패, 숨은 점검, 조작 의심(review)을 채웁니다."""

from __future__ import annotations

from tools.grading.audit import runtime_findings
from tools.grading.model import Result

HIDDEN_FAILED = "숨은 점검 {n}을(를) 통과하지 못했습니다 (채점 때만 실행되는 점검이라 내용은 알려 주지 않습니다)"


def finish(result: Result, cells: list[dict], run: dict, static: list[str] | None = None) -> Result:
    """실행 결과(run)에서 점검별 통과/실패와 점수를 채웁니다.

    숨은 점검이 있는 점검은 보이는 부분과 숨은 부분이 모두 통과해야 통과입니다. 숨은 점검의 오류 메시지는
    피드백에 옮기지 않습니다 (몇 번째 숨은 점검인지만). 조작 근거(static: 정적 검사, run["reports"]: 커널 쪽
    감사)가 있으면 상태가 `review`가 되고 근거가 detail과 피드백에 적힙니다. 점수는 점검 결과 그대로입니다.
    """
    result.status, result.detail = run["status"], run.get("detail", "")
    outcomes = run.get("cells", [])
    groups: dict[int, list[tuple[dict, dict]]] = {}
    for index, cell in enumerate(cells):
        outcome = outcomes[index] if index < len(outcomes) else {"ran": False, "ok": False}
        if cell["role"] == "check":
            groups.setdefault(cell.get("check", index), []).append((cell, outcome))
        elif outcome.get("error") and cell["role"] in ("answer", "extra", "given"):
            result.notes.append(f"{cell['title']}의 오류: {outcome['error']}")
        elif cell["role"] in ("setup", "phase", "audit") and outcome.get("ran") and not outcome.get("ok"):
            result.tamper.append(f"채점 도구의 셀이 오류로 끝났습니다 ({cell['title']})")
    for parts in groups.values():
        result.checks.append(_check(parts))
    result.passed = sum(c["passed"] for c in result.checks)

    tamper = list(static or []) + result.tamper + runtime_findings(run)
    result.tamper = list(dict.fromkeys(tamper))
    if result.tamper and result.status in ("ok", "timeout", "kernel_died", "output_too_large"):
        before = "" if result.status == "ok" else f" (실행 상태: {result.status}, {result.detail})"
        result.status = "review"
        result.detail = "조작 의심: " + "; ".join(result.tamper[:5]) + before
    return result


def _check(parts: list[tuple[dict, dict]]) -> dict:
    title = parts[0][0]["title"]
    hidden = [(cell["hidden"], outcome) for cell, outcome in parts if cell.get("part") == "hidden"]
    passed = all(outcome.get("ok") for _, outcome in parts)
    message = "통과"
    if not passed:
        message = ""
        for cell, outcome in parts:
            if outcome.get("ok"):
                continue
            if not outcome.get("ran"):
                message = "실행되지 않음 (앞에서 실행이 멈췄습니다)"
            elif cell.get("part") == "hidden":
                message = HIDDEN_FAILED.format(n=cell["hidden"])
            else:
                message = outcome.get("error", "실패")
            break
    return {
        "title": title,
        "passed": passed,
        "message": message,
        "hidden": [{"n": n, "passed": bool(o.get("ok")), "ran": bool(o.get("ran"))} for n, o in hidden],
    }
