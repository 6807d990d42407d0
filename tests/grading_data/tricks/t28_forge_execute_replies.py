# ruff: noqa
# 커널의 execute_request 처리기를 바꿔치기: 점검 셀은 실행하지 않고 마지막 줄(끝까지 실행됨 표시)만 실행하며,
# 채점 도구의 감사 셀은 건너뜁니다. 점수는 높게 나올 수 있지만 review여야 합니다.
# expect: {"status": "review"}
_kernel = get_ipython().kernel
_real = _kernel.shell_handlers["execute_request"]


async def _fake(stream, ident, parent):
    code = parent["content"].get("code", "")
    if code.startswith("# [점검]"):
        parent["content"]["code"] = code.splitlines()[-1]
    elif "course_grader_kernel" in code:
        parent["content"]["code"] = "pass"
    return await _real(stream, ident, parent)


_kernel.shell_handlers["execute_request"] = _fake
