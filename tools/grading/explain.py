"""학생이 읽을 한국어 설명: 흔한 파이썬 오류(NameError, SyntaxError, 모양 오류 등)에 붙이는 한 줄.

커널이 보낸 오류 메시지에는 셀 코드가 들어 있던 임시 파일의 이름(`3408102822.py`)이 섞여 있습니다. 학생에게는
뜻이 없으므로 `(3408102822.py, line 2)`는 `(2번째 줄)`로 바꿉니다.
"""

from __future__ import annotations

import re

_CELL_FILE = re.compile(r"\s*\((?:[^()\s]*/)?\d+\.py, line (\d+)\)")
_OTHER_CELL_FILE = re.compile(r"(?:/tmp/ipykernel_\d+/)?\b\d{6,}\.py\b")
_NAME = re.compile(r"name '([^']+)' is not defined")
_ATTRIBUTE = re.compile(r"'([^']+)' object has no attribute '([^']+)'")
_MODULE = re.compile(r"No module named '([^']+)'")

SHAPE_WORDS = (
    "shapes cannot be multiplied",
    "must match the size of tensor",
    "size mismatch",
    "must be the same as input size",
    "mismatch in its core dimension",
    "could not be broadcast",
    "operands could not be broadcast",
    "Expected input batch_size",
    "expected input",
    "invalid for input of size",
    "Dimension out of range",
    "inconsistent numbers of samples",
    "Expected 2D array",
)
DTYPE_WORDS = ("dtype", "scalar type", "expected scalar type", "Found dtype", "but got Float", "but got Long")
STUB_TEXT = "아직 풀지 않은 문제입니다"

UNATTEMPTED = "아직 풀지 않았습니다 (답 셀이 처음 그대로입니다)."


def clean_message(text: str) -> str:
    """오류 메시지에서 셀의 임시 파일 이름을 지웁니다: `(3408102822.py, line 2)` -> `(2번째 줄)`."""
    text = _CELL_FILE.sub(lambda m: f" ({m.group(1)}번째 줄)", str(text))
    return _OTHER_CELL_FILE.sub("셀", text)


def explain(ename: str, evalue: str) -> str:
    """오류 종류와 메시지에 맞는 한국어 설명 한 줄 (모르는 오류면 "")."""
    ename, evalue = str(ename or ""), str(evalue or "")
    if ename in ("SyntaxError", "IndentationError", "TabError"):
        line = re.search(r"line (\d+)", evalue)
        where = f" 셀의 {line.group(1)}번째 줄 근처에서" if line else ""
        if ename == "SyntaxError":
            return (
                f"문법 오류: 파이썬이{where} 코드를 읽지 못했습니다. 닫지 않은 괄호·따옴표, 빠진 콜론(:), "
                "오타를 확인하세요. 이 셀의 코드는 한 줄도 실행되지 않았습니다."
            )
        return f"들여쓰기 오류:{where} 들여쓰기가 맞지 않습니다. 같은 블록의 줄은 같은 칸(보통 4칸)만큼 들여 쓰세요."
    if ename == "NameError":
        found = _NAME.search(evalue)
        name = f" `{found.group(1)}`" if found else ""
        return (
            f"이름{name}이(가) 아직 정의되지 않았습니다. 철자(대소문자 포함)를 확인하고, "
            "그 이름을 만드는 셀(앞의 답 셀이나 가져오기 셀)이 오류 없이 끝났는지 보세요."
        )
    if ename == "NotImplementedError" and STUB_TEXT in evalue:
        return UNATTEMPTED
    if any(word in evalue for word in SHAPE_WORDS):
        return (
            "텐서(배열)의 모양(shape)이 맞지 않습니다. 계산에 들어가는 값의 `.shape`를 출력해 보고, 행렬 곱이면 "
            "앞 텐서의 열 수와 뒤 텐서의 행 수가, 원소별 계산이면 두 모양이 (브로드캐스팅 규칙대로) 맞는지 확인하세요."
        )
    if "same device" in evalue or "Expected all tensors to be on the same device" in evalue:
        return "텐서들이 서로 다른 장치(CPU/GPU)에 있습니다. 모델과 데이터를 같은 `device`로 옮기세요 (`.to(device)`)."
    if ename in ("RuntimeError", "TypeError", "ValueError") and any(word in evalue for word in DTYPE_WORDS):
        return (
            "자료형(dtype)이 맞지 않습니다. 예를 들어 손실 함수의 정답(레이블)이 정수여야 하는지 실수여야 하는지, "
            "모델 입력이 float32인지 확인하세요 (`.float()`, `.long()`)."
        )
    if ename == "ModuleNotFoundError":
        found = _MODULE.search(evalue)
        name = f" `{found.group(1)}`" if found else ""
        return f"모듈{name}이(가) 채점 환경에 없습니다. 강좌에서 쓰는 라이브러리만 쓰세요."
    if ename == "AttributeError":
        found = _ATTRIBUTE.search(evalue)
        if found:
            return (
                f"`{found.group(1)}` 객체에는 `{found.group(2)}`이(가) 없습니다. "
                "이름의 철자와, 그 값이 생각한 종류인지 확인하세요."
            )
        return "그 객체에는 그런 속성이나 메서드가 없습니다. 이름의 철자와 값의 종류를 확인하세요."
    if ename == "TypeError":
        return "함수에 넘긴 값의 종류나 개수가 맞지 않습니다. 함수의 인자 목록과 넘긴 값을 비교해 보세요."
    if ename == "IndexError":
        return "인덱스가 범위를 벗어났습니다. 길이나 모양을 출력해 보고 0부터 시작하는 번호인지 확인하세요."
    if ename == "KeyError":
        return "사전(dict)이나 표에 그 키가 없습니다. 키의 철자와 실제로 들어 있는 키를 확인하세요."
    if ename == "ZeroDivisionError":
        return "0으로 나누었습니다. 나누는 값이 0이 될 수 있는지 확인하세요."
    if ename == "MemoryError":
        return "메모리가 모자랐습니다. 너무 큰 텐서나 목록을 만들지 않았는지 확인하세요."
    if ename == "RecursionError":
        return "함수가 자기 자신을 끝없이 불렀습니다. 재귀가 멈추는 조건을 확인하세요."
    return ""


def with_explanation(ename: str, evalue: str, message: str) -> str:
    """`종류: 메시지` 뒤에 설명을 붙인 글 (설명이 없으면 메시지만). 파일 이름은 지웁니다."""
    message = clean_message(message)
    extra = explain(ename, evalue)
    if not extra or extra in message:
        return message
    return f"{message} → {extra}"


def timeout_hint(cell_title: str, seconds: float) -> str:
    where = f"'{cell_title}'에서 " if cell_title else ""
    return (
        f"{where}실행 시간 제한({seconds:g}초)을 넘겨 멈췄습니다. 끝나지 않는 반복문(`while True`나 조건이 바뀌지 않는 "
        "`while`)이 없는지, 반복 횟수(에포크 수)나 데이터가 문제에서 말한 것보다 크지 않은지 확인하세요. 그 뒤의 셀과 "
        "점검은 실행되지 않았습니다."
    )
