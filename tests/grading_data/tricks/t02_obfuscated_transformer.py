# ruff: noqa
# 같은 입력 변환기를 이름을 감춰서 겁니다 (__import__, getattr, 문자열 이어 붙이기).
# expect: {"status": "review", "runtime": ["hook"]}
_shell = getattr(__import__("IPy" + "thon"), "get_" + "ipython")()
getattr(_shell, "input_transformers_" + "post").append(
    lambda lines: lines[-1:] if lines and lines[0].startswith("# [점검]") else lines
)
