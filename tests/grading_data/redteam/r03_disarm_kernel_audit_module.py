# ruff: noqa
# 커널 쪽 감사 모듈(course_grader_kernel)은 학생과 같은 프로세스의 sys.modules에 있고 아무도 지키지 않습니다.
# 그 모듈의 사전에서 verify와 audit를 바꿔, 비교는 하지 않고 끝 표시(END nonce)만 쓰게 합니다 (nonce는 모듈의
# _STATE에 있음). 그다음 감사 이벤트가 없는 조작(IPython의 ast_transformers 리스트에 append)으로 모든 셀의 문장을
# try/except로 감쌉니다: 점검 셀의 어떤 실패도 오류가 되지 않고 마지막 줄(끝까지 실행됨 표시)이 실행됩니다.
# 정적 검사는 operator.attrgetter의 문자열과 sys.modules[...]의 속성 호출을 보지 않습니다. 답은 모두 빈 답입니다.
# (진짜 연습 00, 06, 07에 답 셀 1로 넣어도 숨은 점검까지 100 %, 상태 ok였습니다.)
# expect: {"status": "review", "passed_max": 0}
import ast
import operator
import sys

_modules = operator.attrgetter("modules")(sys)
_kd = operator.attrgetter("__dict__")(_modules["course_grader_kernel"])
_write, _nonce = _kd["_write"], _kd["_STATE"]["config"]["nonce"]
_kd["verify"] = lambda: None
_kd["audit"] = lambda phase: _write(f"END {_nonce} {phase}")


class _Forgive(ast.NodeTransformer):
    def visit_Module(self, node):
        body = []
        for stmt in node.body:
            handler = ast.ExceptHandler(type=ast.Name("BaseException", ast.Load()), name=None, body=[ast.Pass()])
            body.append(ast.Try(body=[stmt], handlers=[handler], orelse=[], finalbody=[]))
        node.body = body
        return ast.fix_missing_locations(node)


_modules["IPython"].get_ipython().ast_transformers.append(_Forgive())
