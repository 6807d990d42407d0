"""4단계(앞), 조작 찾기: 학생 코드의 정적 검사(둘째 그물)와, 커널 쪽 감사(kernel_side.py)의 보고 읽기.

커널 안의 조작(입력 변환기, 예외 처리기, trace 함수, 점검이 쓰는 이름 다시 묶기, torch나 강좌 모듈의
클래스·함수 바꿔치기)을 완전히 막을 수는 없습니다. 대신 보이지 않게 두지 않습니다:

1. 커널 쪽 감사 훅(지울 수 없음)이 바꾸는 순간을 보고 파이프로 알립니다 (이름이 아니라 행동을 봅니다).
2. 학생 코드 전의 스냅숏과 학생 코드 뒤(그리고 숨은 점검 뒤)의 상태를 비교합니다 (이름이 아니라 변화).
3. 학생 코드의 정적 검사: 위험한 이름과 모듈 (둘째 그물).

하나라도 걸리면, 또는 감사가 끝났다는 표시(END)를 받지 못하면 그 제출은 `review`가 됩니다.
"""

from __future__ import annotations

import ast
import builtins
import re

# 실행 방식을 바꾸는 훅의 속성 이름
HOOK_ATTRS = {
    "input_transformers_cleanup",
    "input_transformers_post",
    "ast_transformers",
    "set_custom_exc",
    "custom_exceptions",
    "CustomTB",
    "settrace",
    "setprofile",
    "set_trace",
    "events",
    "register_magic_function",
    "run_cell",
    "run_code",
    "run_ast_nodes",
    "showtraceback",
    "excepthook",
    "displayhook",
    "meta_path",
    "path_hooks",
    "modules",
    "_getframe",
    "user_ns",
    "user_global_ns",
    "shell",
    "kernel",
    "addaudithook",
    "path_importer_cache",
    "setrecursionlimit",
    "monitoring",
}
# 코드를 만들어 실행하거나 이름을 문자열로 다루는 내장 함수
DYNAMIC_CALLS = {"exec", "eval", "compile", "__import__", "globals", "vars", "locals", "setattr", "delattr"}
DYNAMIC_CALLS |= {"breakpoint"}
# 커널·인터프리터를 직접 건드릴 수 있는 모듈
RISKY_MODULES = {
    "builtins",
    "IPython",
    "ipykernel",
    "traitlets",
    "zmq",
    "jupyter_client",
    "gc",
    "inspect",
    "ctypes",
    "importlib",
    "runpy",
    "marshal",
    "code",
    "codeop",
    "atexit",
    "signal",
    "subprocess",
    "multiprocessing",
    "threading",
    "_thread",
    "types",
    "sysconfig",
    "site",
    "posix",
    "fcntl",
    "pty",
    "resource",
    "mmap",
    "concurrent",
    "asyncio",
    "pickle",
    "copyreg",
    "unittest",
    "pdb",
    "bdb",
    "faulthandler",
    "course_grader_kernel",
}
RISKY_OS = {"fork", "forkpty", "system", "popen", "execv", "execve", "execl", "execlp", "execvp", "spawnv", "spawnl"}
RISKY_OS |= {"posix_spawn", "dup", "dup2", "close", "closerange", "fdopen", "write", "kill", "killpg", "openpty"}
RISKY_OS |= {"register_at_fork", "setuid", "setgid", "chroot", "unshare", "setns"}
RISKY_DUNDERS = {
    "__globals__",
    "__builtins__",
    "__subclasses__",
    "__code__",
    "__closure__",
    "__dict__",
    "__bases__",
    "__mro__",
    "__class__",
    "__getattribute__",
    "__loader__",
    "__spec__",
    "__module__",
    "__qualname__",
    "__wrapped__",
    "__self__",
    "__defaults__",
    "__kwdefaults__",
    "__setattr__",
    "__delattr__",
    "__reduce__",
    "__reduce_ex__",
    "__init_subclass__",
    "__func__",
    "f_globals",
    "f_locals",
    "f_back",
    "f_builtins",
    "tb_frame",
    "gi_frame",
    "cr_frame",
}
PUBLIC_UNDERSCORE = {"_exit", "_asdict", "_replace", "_fields", "_make", "_field_defaults"}  # 밑줄이지만 공개 API
SAFE_MAGICS = {"matplotlib", "time", "timeit", "who", "whos", "pinfo", "pinfo2", "psource", "pdoc"}
BUILTIN_NAMES = set(dir(builtins))


def _python(source: str) -> ast.Module | None:
    """IPython 문법(%매직, !명령)을 파이썬으로 바꿔 읽습니다. 문법 오류면 None (그 셀은 실행되지 않습니다)."""
    try:
        return ast.parse(source)
    except SyntaxError:
        pass
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))
    except Exception:
        return None


def bound_names(source: str) -> set[str]:
    """코드가 (어느 깊이에서든) 묶는 이름."""
    tree = _python(source)
    names: set[str] = set()
    if tree is None:
        return names
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def used_names(source: str) -> set[str]:
    tree = _python(source)
    if tree is None:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def import_bindings(source: str) -> dict[str, tuple[str, str | None]]:
    """가져오기 문이 묶는 이름 -> (모듈, 속성 또는 None). `import a.b`는 a를 묶습니다."""
    tree = _python(source)
    found: dict[str, tuple[str, str | None]] = {}
    if tree is None:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                found[a.asname or a.name.split(".")[0]] = (a.name if a.asname else a.name.split(".")[0], None)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                if a.name != "*":
                    found[a.asname or a.name] = (node.module, a.name)
    return found


class Profile:
    """한 연습에서 점검이 기대는 것: 점검이 쓰는 이름 가운데 학생이 다시 묶으면 안 되는 것과 그 원래 출처."""

    def __init__(self, given: list[str], checks: list[str], solution_bound: set[str]):
        self.imports: dict[str, tuple[str, str | None]] = {}
        given_bound: set[str] = set()
        for text in given:
            self.imports.update(import_bindings(text))
            given_bound |= bound_names(text)
        check_used: set[str] = set()
        check_bound: set[str] = set()
        for text in checks:
            check_used |= used_names(text)
            check_bound |= bound_names(text)
            for name, origin in import_bindings(text).items():
                self.imports.setdefault(name, origin)
        self.protected = (check_used & (given_bound | BUILTIN_NAMES)) - solution_bound - check_bound
        self.protected_imports = {n: o for n, o in self.imports.items() if n in self.protected}
        self.protected_builtins = sorted(n for n in self.protected if n in BUILTIN_NAMES and n not in given_bound)
        self.modules = sorted({m for m, _ in self.imports.values()})  # 감사할 모듈 (원래 가져오는 것들)
        # 주어진 셀이 묶고 점검이 쓰는 값 (예: training_record): 주어진 셀 뒤에 기억해 두고 바뀌면 보고
        self.given = sorted(n for n in self.protected if n in given_bound and n not in self.imports)
        self.needs_seed = any("grading_seed" in text for text in checks)

    def kernel_config(self) -> dict:
        """커널 쪽 감사(kernel_side.py)에 넘길 설정."""
        return {
            "packages": sorted(set(KERNEL_PACKAGES) | {m.split(".")[0] for m in self.modules}),
            "modules": self.modules,
            "imports": self.protected_imports,
            "builtins": self.protected_builtins,
            "needs_seed": self.needs_seed,
            "given": self.given,
        }


def static_findings(sources: list[str], profile: Profile) -> list[str]:
    """학생 코드에서 실행 방식이나 점검을 바꿀 수 있는 코드를 찾아 한국어 이유 목록으로 돌려줍니다."""
    found: list[str] = []
    for source in sources:
        tree = _python(source)
        if tree is not None:
            found += _Scanner(profile).scan(tree)
    return list(dict.fromkeys(found))


class _Scanner(ast.NodeVisitor):
    def __init__(self, profile: Profile):
        self.profile = profile
        self.found: list[str] = []
        self.roots = set(profile.imports) | {"sys", "os", "builtins"}  # 라이브러리 객체를 가리키는 이름
        self.libraries: set[str] = set()  # 가져오기로 묶은 이름만 (별명 대입은 빼고): 내부 속성 규칙

    def scan(self, tree: ast.Module) -> list[str]:
        for node in ast.walk(tree):  # 먼저 학생이 가져온 것과 그 별명을 모읍니다
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self.roots |= {(a.asname or a.name).split(".")[0] for a in node.names}
        self.libraries = {n for n, (m, attr) in self.profile.imports.items() if attr is None} | {"sys", "os"}
        self.libraries |= set(getattr(self.profile, "given", ()))  # 예: training_record._calls (점검용 기록의 속)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                self.libraries |= {(a.asname or a.name).split(".")[0] for a in node.names}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Name, ast.Attribute)):
                if _root(node.value) in self.roots:
                    self.roots |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        self.visit(tree)
        return self.found

    def flag(self, reason: str) -> None:
        self.found.append(reason)

    def visit_Import(self, node):
        for a in node.names:
            self._module(a.name)
            self._rebind(a.asname or a.name.split(".")[0], (a.name if a.asname else a.name.split(".")[0], None))

    def visit_ImportFrom(self, node):
        if node.module:
            self._module(node.module)
            for a in node.names:
                if a.name != "*":  # `from 모듈 import *`는 모듈 검사(_module)와 커널 감사에 맡깁니다
                    self._rebind(a.asname or a.name, (node.module, a.name))
                if node.module in ("os", "posix") and a.name in RISKY_OS:
                    self.flag(f"프로세스나 파일 디스크립터를 직접 다룸 ({node.module}.{a.name})")
                elif a.name in HOOK_ATTRS and node.module in ("sys", "threading", "IPython"):
                    self.flag(f"실행 방식을 바꿀 수 있는 훅에 접근함 ({node.module}.{a.name})")
                elif a.name.startswith("_") and not a.name.startswith("__"):
                    self.flag(f"라이브러리의 내부 이름을 가져옴 ({node.module}.{a.name})")

    def _module(self, name: str) -> None:
        top = name.split(".")[0]
        if top in RISKY_MODULES:
            self.flag(f"커널이나 인터프리터를 건드릴 수 있는 모듈을 가져옴 ({name})")
        elif any(part.startswith("_") for part in name.split(".")[1:]):
            self.flag(f"라이브러리의 내부 모듈을 가져옴 ({name})")

    def _rebind(self, name: str, origin=None) -> None:
        if name in self.profile.protected and (origin is None or self.profile.imports.get(name) != origin):
            self.flag(f"점검이 쓰는 이름을 다시 묶음 ({name})")

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._rebind(node.id)
        elif node.id == "get_ipython":
            self.flag("IPython 셸에 접근함 (get_ipython)")
        elif node.id in ("__builtins__", "__loader__", "__spec__"):
            self.flag(f"내부 이름에 접근함 ({node.id})")

    def visit_FunctionDef(self, node):
        self._rebind(node.name)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self._rebind(node.name)
        self.generic_visit(node)

    def visit_Global(self, node):
        for name in node.names:
            self._rebind(name)

    def visit_Attribute(self, node):
        if node.attr in HOOK_ATTRS and _root(node) in self.roots | {"get_ipython", "ip", "shell"}:
            self.flag(f"실행 방식을 바꿀 수 있는 훅에 접근함 ({_dotted(node)})")
        elif node.attr in RISKY_DUNDERS:
            self.flag(f"내부 속성에 접근함 ({node.attr})")
        elif node.attr in RISKY_OS and _root(node) in ("os", "posix"):
            self.flag(f"프로세스나 파일 디스크립터를 직접 다룸 (os.{node.attr})")
        elif (
            node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr not in PUBLIC_UNDERSCORE
            and _root(node) in self.libraries
        ):
            self.flag(f"라이브러리의 내부 속성에 접근함 ({_dotted(node)})")
        if isinstance(node.ctx, (ast.Store, ast.Del)) and _root(node) in self.roots:
            self.flag(f"라이브러리나 강좌 모듈의 속성을 바꿈 ({_dotted(node)})")
        elif isinstance(node.ctx, ast.Store) and _dotted(node).startswith(("sys.std", "sys.")):
            self.flag(f"인터프리터 설정을 바꿈 ({_dotted(node)})")
        self.generic_visit(node)

    def visit_Subscript(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)) and _root(node) in self.roots:
            self.flag(f"라이브러리나 강좌 모듈의 내용을 바꿈 ({_dotted(node.value)}[...])")
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Name) and func.id in DYNAMIC_CALLS:
            self.flag(f"코드나 이름을 동적으로 다룸 ({func.id})")
        elif isinstance(func, ast.Name) and func.id == "getattr":
            attr = node.args[1] if len(node.args) > 1 else None
            if not (isinstance(attr, ast.Constant) and isinstance(attr.value, str)):
                self.flag("코드나 이름을 동적으로 다룸 (getattr)")
            elif attr.value in HOOK_ATTRS | RISKY_DUNDERS | RISKY_OS or attr.value.startswith("_"):
                self.flag(f"코드나 이름을 동적으로 다룸 (getattr ..., {attr.value!r})")
        if _is_magic(node):  # get_ipython().run_line_magic('time', ...)는 괜찮습니다
            name = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else ""
            if name not in SAFE_MAGICS:
                self.flag(f"매직이나 셸 명령 (%{name})" if name else "매직이나 셸 명령")
            for arg in node.args[1:]:
                self.visit(arg)
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip():
                    inner = _python(arg.value)  # %%time, %timeit 안의 코드도 같은 검사를 받습니다 (r11)
                    if inner is not None:
                        self.found += _Scanner(self.profile).scan(inner)
            return
        self.generic_visit(node)


def _is_magic(node: ast.Call) -> bool:
    func = node.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in ("run_line_magic", "run_cell_magic", "system", "getoutput")
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == "get_ipython"
    )


def _root(node) -> str:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _dotted(node) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    parts.append(node.id if isinstance(node, ast.Name) else "...")
    return ".".join(reversed(parts))


# --- 커널 쪽 감사의 보고 읽기 ----------------------------------------------------------------
KERNEL_PACKAGES = ("torch", "numpy", "helper_functions", "sklearn", "builtins", "math", "operator", "functools")
KERNEL_PACKAGES += ("random", "warnings", "itertools", "collections", "torchmetrics")
RUNTIME_TEXT = {
    "exec": "코드 문자열을 실행함 (exec/eval)",
    "compile": "코드 문자열을 컴파일함 (compile)",
    "code-object": "함수의 코드 객체를 읽거나 새로 만듦",
    "patch": "라이브러리나 강좌 모듈의 클래스·함수를 바꿈",
    "frame": "실행 중인 프레임에 접근함",
    "trace": "trace/profile 함수를 걺",
    "audit-hook": "감사 훅을 추가함 (sys.addaudithook)",
    "gc": "gc로 객체를 찾음",
    "ctypes": "ctypes로 메모리나 C 함수를 직접 다룸",
    "marshal": "marshal로 코드 객체를 읽음",
    "pickle": "pickle로 임의의 함수를 부름",
    "write-code": "파이썬 파일을 씀",
    "load-code": "환경 밖의 파이썬 파일을 불러옴",
    "module-origin": "환경 밖에서 불러온 모듈이 있음",
    "fd": "파일 디스크립터를 직접 엶",
    "process": "프로세스를 띄움",
    "signal": "다른 프로세스에 신호를 보냄",
    "changed": "학생 코드 전과 달라짐",
    "hook": "IPython이나 커널의 훅이 바뀜",
    "dispatch": "PyTorch 디스패치 모드나 전역 모듈 훅이 바뀜",
    "namespace": "점검이 쓰는 이름이 다른 것을 가리킴",
    "history": "점검 셀의 코드가 실행 전에 바뀜 (입력 변환기)",
    "internal": "채점 도구의 감사 코드가 실패함",
    "liar": "점검의 비교를 속일 수 있는 클래스를 만듦 (값 타입의 하위 클래스, 비교·torch/NumPy 프로토콜 정의)",
    "thread": "학생 코드가 스레드를 띄움",
    "reply": "커널이 채점 도구와의 통신 규칙을 어김 (한 셀에 답장 두 번, 읽을 수 없는 메시지)",
    "flood": "감사 보고가 너무 많음",
    "garbage": "감사 보고 통로에 알 수 없는 내용이 들어옴",
}
NO_AUDIT = "커널 감사가 끝났다는 표시를 받지 못했습니다 (감사 호출이나 보고 통로가 막혔을 수 있습니다)"
CLOSED = "커널 감사의 보고 통로가 실행 중에 닫혔습니다"
_DETAIL = re.compile(r"[^0-9A-Za-z_.\[\]'<>가-힣-]")


def runtime_findings(run: dict) -> list[str]:
    """커널 쪽 감사의 보고(run["reports"])를 한국어 문장으로. 숨은 점검 뒤의 보고는 종류만 씁니다."""
    found = []
    reports = list(run.get("reports") or [])
    # 숨은 점검 뒤의 보고는 종류만, 순서 없이 (도착 순서로 숨은 점검의 내용을 알리는 통로가 되지 않게)
    reports = [r for r in reports if not r[2]] + sorted({(r[0], "", True) for r in reports if r[2]})
    for category, detail, after_hidden in reports:
        text = RUNTIME_TEXT.get(category, RUNTIME_TEXT["garbage"])
        detail = "" if after_hidden or category not in RUNTIME_TEXT else _DETAIL.sub("", str(detail))[:80]
        suffix = " (숨은 점검 중)" if after_hidden else ""
        found.append(f"커널 감사: {text}" + (f" ({detail})" if detail else "") + suffix)
    if run.get("status") == "ok":
        if run.get("report_eof_early"):
            found.append(f"커널 감사: {CLOSED}")
        if not {"student", "end"} <= set(run.get("ends") or []) or run.get("unacked"):
            found.append(f"커널 감사: {NO_AUDIT}")
    return list(dict.fromkeys(found))[:40]
