# ruff: noqa
# base64로 감춘 코드를 exec로 실행합니다. 점검을 지우는 입력 변환기가 채점 도구의 감사 셀을 보면
# 스스로 빠지므로 커널 감사의 훅 검사는 비껴갑니다 (정적 검사의 exec, 감사의 입력 기록 비교가 찾습니다).
# expect: {"status": "review", "runtime": ["exec", "history"]}
import base64

exec(
    base64.b64decode(
        "aXAgPSBnZXRfaXB5dGhvbigpCmRlZiB0KGxpbmVzKToKICAgIGlmICJfZ3JhZGVyX2F1ZGl0XyIgaW4gIiIuam9pbihsaW5lcyk6CiAgICAgICAgaXAuaW5wdXRfdHJhbnNmb3JtZXJzX3Bvc3QucmVtb3ZlKHQpCiAgICAgICAgcmV0dXJuIGxpbmVzCiAgICBpZiBsaW5lcyBhbmQgbGluZXNbMF0uc3RhcnRzd2l0aCgiIyBb7KCQ6rKAXSIpOgogICAgICAgIHJldHVybiBsaW5lc1stMTpdCiAgICByZXR1cm4gbGluZXMKaXAuaW5wdXRfdHJhbnNmb3JtZXJzX3Bvc3QuYXBwZW5kKHQpCg=="
    ).decode()
)
