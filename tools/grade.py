"""제출된 연습 노트북 폴더를 채점합니다 (교사용). 학생 코드(커널)만 bubblewrap 샌드박스 안에서 돕니다.

    python -m tools.grade 제출폴더 --out grades/grades.csv
    python -m tools.grade 제출폴더 --out grades/grades.csv --timeout 120 --jobs 4 --sandbox required
    python -m tools.grade 제출폴더 --roster 명단.csv --hidden ~/비공개점검 --out grades/grades.csv
    python -m tools.grade 제출폴더 --shard 3/8 --out grades/part-3.csv     # 8조각 가운데 3번째만
    python -m tools.grade merge grades/part-*.csv --out grades/grades.csv  # 조각들을 합치기
    python -m tools.grade regrade 제출폴더/홍길동 --out grades/grades.csv  # 한 학생만 다시, 그 학생 줄만 바꿈
    python -m tools.grade classroom 노트북.ipynb --sandbox required       # GitHub Classroom: 점수와 요약

제출 하나가 지나가는 단계 (tools/grading/ 패키지, 단계마다 모듈 하나):
1. submission  읽고 알아보기: 제출 폴더 아래의 `.ipynb`(원본은 읽기만), 어느 연습인지(메타데이터
               `course.exercise_set`, 없으면 파일 이름이나 두 자리 번호).
2. assemble    원본 연습 노트북에서 다시 만들기: 답 셀(`solution` 태그)의 코드만 학생 것(셀 id, 태그 순서,
               셀 순서로 맞춤), 학생이 추가한 셀은 자기 자리 근처에, 점검 셀(`# [점검]`)은 언제나 원본.
               숨은 점검(`### BEGIN HIDDEN TESTS`)은 해답 노트북(solutions/)에서 가져와 함께 실행합니다.
3. runner     실행기(nbclient)는 이 프로세스 안에, 제출마다 새 커널 하나만 bubblewrap 안에(sandbox): 파일
   sandbox    시스템은 허용 목록(파이썬, 강좌 모듈 파일 하나)만 읽기 전용, 크기 제한이 있는 /tmp·/dev/shm,
              네트워크 없음, 능력 없음, 환경 변수 비움, 자원 제한(rlimit), root면 제출마다 다른 uid. 결과와
              로그는 샌드박스 밖(이 프로세스의 메모리)에만 있습니다. 숨은 점검은 학생 코드가 모두 끝난 뒤에.
4. audit/score 점검 셀이 오류 없이 끝까지 실행되면(채점마다 바뀌는 표시로 확인) 통과. 커널 쪽 감사(감사 훅과
               전후 비교, kernel_side)와 학생 코드의 정적 검사에서 조작 흔적이 나오면 상태가 `review`.
   integrity   공개된 해답을 낸 제출, 다른 학생과 답 셀이 같은 제출도 `review` (교사가 먼저 볼 것).
5. report      `grades.csv`(한 제출에 한 줄, 점검마다 받은 점수 열, 엑셀용 UTF-8 BOM, 격리 방식 열 포함)와 제출마다
               한국어 피드백(`<csv 이름>_feedback/`). `merge`는 조각들의 CSV와 피드백을 합칩니다. 명단(roster)이
               있으면 학번·이름을 붙이고 내지 않은 학생은 `missing` 줄.

종료 코드: 0 채점 끝남(깨진 제출이 있어도), 1 제출 없음, 2 잘못된 인자, 3 채점 중에 제출 폴더가 바뀜,
4 --sandbox required인데 bubblewrap을 쓸 수 없음. 제출 하나의 어떤 문제도 그 제출의 줄이 될 뿐, 점수표는
언제나 모두에게 쓰입니다.

상태(status) 코드:
  ok                끝까지 실행됨. 답 셀의 문법 오류나 예외는 상태가 아니라 그 뒤 점검 셀의 실패로 나타납니다.
  review            조작 의심 (훅, trace 함수, 점검이 쓰는 이름이나 torch·강좌 모듈 함수 바꿔치기 등):
                    점수는 점검 결과 그대로, 근거는 detail 열과 피드백에. 교사가 노트북을 직접 보세요.
  invalid_notebook  JSON이 아니거나 노트북 형식이 아님 (0점)
  unknown_set       어느 연습인지 알 수 없음 (점수 칸 비움: 이름을 바꿔 다시 내거나 --set NN으로 채점)
  missing           명단에 있는데 낸 노트북이 없음 (점수 칸 비움)
  timeout           시간 제한을 넘김: 그때까지 끝난 점검만 셉니다
  kernel_died       커널이 죽음 (os._exit, 메모리 부족 등): 그때까지 끝난 점검만 셉니다
  output_too_large  출력이 제한보다 큼: 커널을 멈추고 그때까지 끝난 점검만 셉니다
  grader_error      채점 도구 자체의 오류 (점수 칸 비움, 자세한 내용은 피드백 파일)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import stat
import statistics
import sys
import time
from pathlib import Path

from tools import nbutil
from tools.grading import roster as roster_file
from tools.grading.assemble import Exercise, assemble, load_exercise
from tools.grading.model import STATUS_TEXT, Options, Result
from tools.grading.pipeline import grade, new_seed, prepare, resolve_isolation
from tools.grading.private import PrivateTestError
from tools.grading.report import (
    CSV_FIELDS,
    MergeError,
    feedback_text,
    merge,
    read_csv,
    replace_student,
    write_outputs,
)
from tools.grading.sandbox import BWRAP, SandboxError, gpu_devices
from tools.grading.score import finish
from tools.grading.submission import (
    SubmissionError,
    clean_text,
    find_submissions,
    identify,
    load_exercises,
    parse_shard,
    read_file,
    read_submission,
    shard,
    student_name,
)

__all__ = [  # 예전 tools/grade.py의 이름들 (다른 코드와 테스트가 씁니다)
    "CSV_FIELDS",
    "STATUS_TEXT",
    "Exercise",
    "Options",
    "Result",
    "assemble",
    "feedback_text",
    "finish",
    "grade",
    "identify",
    "load_exercise",
    "main",
    "merge",
    "prepare",
    "read_submission",
    "write_outputs",
]
submissions = find_submissions  # 예전 이름
ISOLATION_TEXT = {
    BWRAP: "bubblewrap (커널만 샌드박스 안에: 허용한 파일만 읽기 전용, 크기 제한 /tmp, 네트워크·능력 없음, 자원 제한)",
    "none": "없음 (학생 코드가 채점하는 사람의 권한으로 돌아갑니다)",
}
HASH_LIMIT = 64 * 1024 * 1024  # 이보다 큰 파일은 크기와 수정 시각만 비교합니다 (구멍 난 큰 파일을 읽지 않게)


def _snapshot(root: Path) -> dict[bytes, tuple]:
    """폴더 안 모든 일반 파일의 (크기, 수정 시각, sha256) (채점 전후 비교용). 어떤 파일에서도 멈추지 않습니다."""
    digests: dict[bytes, tuple] = {}
    for folder, _dirs, files in os.walk(root, onerror=lambda err: None, followlinks=False):
        for name in files:
            path = Path(folder) / name
            key = os.fsencode(path.relative_to(root))
            try:
                info = path.lstat()
                if not stat.S_ISREG(info.st_mode):
                    digests[key] = (stat.S_IFMT(info.st_mode),)
                    continue
                digest = ""
                if info.st_size <= HASH_LIMIT:
                    digest = hashlib.sha256(read_file(path, HASH_LIMIT)).hexdigest()
                digests[key] = (info.st_size, info.st_mtime_ns, digest)
            except (OSError, SubmissionError):
                digests[key] = ("?",)
    return digests


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def main_merge(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.grade merge",
        description="--shard로 나눠 채점한 점수표(CSV)와 피드백 폴더를 하나로 합칩니다.",
    )
    parser.add_argument("parts", nargs="+", type=Path, help="조각 점수표 CSV들 (옆에 <이름>_feedback/이 있으면 함께)")
    parser.add_argument("--out", type=Path, default=Path("grades/grades.csv"), help="합친 점수표 (기본: %(default)s)")
    parser.add_argument("--feedback", type=Path, help="합친 피드백 폴더 (기본: CSV 옆의 <이름>_feedback/)")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    feedback = (args.feedback or out.parent / f"{out.stem}_feedback").resolve()
    parts = [p.resolve() for p in args.parts]
    if out in parts:
        print("오류: --out이 합칠 조각과 같은 파일입니다.", file=sys.stderr)
        return 2
    missing = [str(p) for p in parts if not p.is_file()]
    if missing:
        print(f"오류: 파일이 없습니다: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        count = merge(parts, out, feedback)
    except MergeError as err:
        print(f"오류: {err}", file=sys.stderr)
        return 2
    print(f"조각 {len(parts)}개에서 제출 {count}개를 합쳤습니다.\n점수표: {out}\n피드백: {feedback}/")
    return 0


def _parser(prog: str, description: str, regrade: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    if regrade:
        parser.add_argument("student_folder", type=Path, help="다시 채점할 학생의 폴더 (제출폴더/학생이름)")
    else:
        parser.add_argument("submissions", type=Path, help="제출 노트북이 있는 폴더 (하위 폴더 포함)")
    parser.add_argument("--out", type=Path, default=Path("grades/grades.csv"), help="점수표 CSV (기본: %(default)s)")
    parser.add_argument("--feedback", type=Path, help="피드백 폴더 (기본: CSV 옆의 <이름>_feedback/)")
    parser.add_argument(
        "--timeout", type=float, default=120, help="노트북 하나의 실행 시간 제한(초, 커널 시작 제외) (기본: 120)"
    )
    parser.add_argument("--jobs", type=int, default=0, help="동시에 채점할 제출 수 (기본: CPU 코어 수)")
    parser.add_argument(
        "--max-output-mb",
        type=float,
        default=10,
        help="노트북 하나의 출력 제한(MB): 커널이 보낸 모든 메시지의 바이트 합, 메타데이터 포함 (기본: %(default)s)",
    )
    parser.add_argument(
        "--memory-mb",
        type=int,
        default=None,
        help="커널의 메모리(주소 공간) 제한(MB), 0이면 제한 없음. 기본: GPU가 없으면 4096, 있으면 0 (CUDA 때문)",
    )
    parser.add_argument(
        "--tmp-mb", type=int, default=256, help="샌드박스의 /tmp 크기(MB), /dev/shm은 최대 128 (기본: %(default)s)"
    )
    parser.add_argument(
        "--seed",
        "--grading-seed",
        dest="grading_seed",
        type=int,
        default=None,
        help="숨은 점검의 채점 시드 (기본: 채점마다 새로 뽑아 CSV의 grading_seed 열에 남김; "
        + "같은 채점을 되풀이하려면 그 값"
        + (", regrade는 기본으로 점수표의 시드" if regrade else "")
        + ")",
    )
    parser.add_argument(
        "--sandbox",
        choices=["none", "auto", "required"],
        default="auto",
        help="bubblewrap 격리: auto는 쓸 수 없으면 경고하고 격리 없이, required는 그때 채점하지 않음 (기본: auto)",
    )
    if not regrade:
        parser.add_argument("--shard", help="K/N: 제출을 이름순으로 N조각으로 나눈 가운데 K번째(1부터)만 채점")
    parser.add_argument(
        "--roster", type=Path, help="명단 CSV (머리글 '학번,이름'): 학번·이름 열, 내지 않은 학생은 missing"
    )
    parser.add_argument(
        "--hidden",
        type=Path,
        help="교사의 비공개 점검 폴더 (저장소 밖): 연습마다 .py 파일, '# [점검] 문제 N' 부분마다 코드",
    )
    parser.add_argument(
        "--set", dest="forced_set", help="어느 연습인지 알 수 없는 제출을 이 연습(번호 NN 또는 이름)으로 채점"
    )
    parser.add_argument(
        "--no-preload",
        dest="preload",
        action="store_false",
        help="모듈을 미리 불러 둔 프로세스(zygote)에서 커널을 갈라 내지 않고 제출마다 커널을 새로 띄움 (느림)",
    )
    parser.add_argument("--exercises", type=Path, default=nbutil.ROOT / "exercises", help="원본 연습 노트북 폴더")
    parser.add_argument("--solutions", type=Path, default=nbutil.ROOT / "solutions", help="숨은 점검이 있는 해답 폴더")
    return parser


def _resolve_set(text: str | None, known: list[str]) -> tuple[str | None, str]:
    if not text:
        return None, ""
    text = text.strip()
    found = [s for s in known if s == text or s[:2] == text[:2] and text[:2].isdigit() and len(text) <= 2]
    if len(found) != 1:
        return None, f"--set {text!r}: 그런 연습이 없습니다 (연습: {', '.join(known)})"
    return found[0], ""


def _options(args, known: list[str]) -> tuple[Options | None, str]:
    """명령줄 인자에서 Options. 잘못되면 (None, 오류)."""
    if args.grading_seed is not None and not 0 <= args.grading_seed < 2**31 - 1:
        return None, "--seed는 0 이상 2**31 - 1 미만이어야 합니다."
    forced, error = _resolve_set(args.forced_set, known)
    if error:
        return None, error
    private = None
    if args.hidden is not None:
        private = args.hidden.resolve()
        if _inside(private, nbutil.ROOT.resolve()):
            return None, "--hidden: 비공개 점검은 저장소 밖에 두세요 (저장소에 넣으면 학생에게 공개됩니다)."
    memory_mb = args.memory_mb if args.memory_mb is not None else (0 if gpu_devices() else 4096)
    options = Options(
        exercises=args.exercises.resolve(),
        solutions=args.solutions.resolve(),
        timeout=args.timeout,
        max_output_bytes=int(args.max_output_mb * 1024 * 1024),
        jobs=args.jobs,
        memory_bytes=memory_mb * 1024 * 1024,
        sandbox=args.sandbox,
        tmp_bytes=args.tmp_mb * 1024 * 1024,
        grading_seed=args.grading_seed,
        private=private,
        forced_set=forced,
        preload=args.preload,
    )
    return options, ""


def _progress(r: Result) -> None:
    total = "?" if r.total is None else r.total
    score = "     -" if r.score is None else f"{r.score:6.1f}"
    print(f"{score}%  {r.passed}/{total}  {r.status:<16} {r.seconds:5.1f} s  {r.path}", flush=True)


def _apply_roster(results: list[Result], students: list[str], roster: list, missing_too: bool) -> list[str]:
    """결과에 학번·이름을 붙이고(명단에 없으면 detail에 적음), 내지 않은 학생의 missing 줄을 더합니다."""
    found, absent = roster_file.assign(students, roster)
    unmatched = []
    for r in results:
        entry = found.get(r.student)
        if entry is None:
            unmatched.append(r.student)
            r.detail = "명단에서 찾지 못한 학생" + (f"; {r.detail}" if r.detail else "")
            continue
        r.student_id, r.name = entry.student_id, entry.name
    if missing_too:
        for entry in absent:
            results.append(
                Result(
                    path="",
                    student=entry.name or entry.student_id,
                    status="missing",
                    run_status="missing",
                    detail=roster_file.MISSING_DETAIL,
                    student_id=entry.student_id,
                    name=entry.name,
                )
            )
    return sorted(set(unmatched))


def _summary(rows: list[dict], results: list[Result], elapsed: float, isolation: str) -> None:
    ran = [r.seconds for r in results if r.seconds]
    statuses = [row["status"] for row in rows]
    counts = {s: statuses.count(s) for s in STATUS_TEXT if s in statuses}
    print(f"\n제출 {len(results)}개를 {elapsed:.1f}초에 채점했습니다", end="")
    print(f" (실행한 제출 하나에 중앙값 {statistics.median(ran):.1f}초)." if ran else ".")
    print("상태: " + ", ".join(f"{s} {n}" for s, n in counts.items()))
    print(f"격리: {isolation}")
    for row in rows:
        if row["status"] == "review":
            why = row["detail"]
            if row.get("same_answers_as"):
                why = (why + "; " if why else "") + f"답 셀이 같은 제출: {row['same_answers_as']}"
            print(f"확인 필요(review): {row['file']}: {why}")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["merge"]:
        return main_merge(argv[1:])
    if argv[:1] == ["regrade"]:
        return main_regrade(argv[1:])
    if argv[:1] == ["classroom"]:
        from tools.grading import classroom

        return classroom.main(argv[1:])
    parser = _parser(
        "python -m tools.grade",
        "제출된 연습 노트북 폴더를 채점합니다 "
        "(`merge`: 조각 합치기, `regrade`: 한 학생 다시, `classroom`: GitHub Classroom).",
    )
    args = parser.parse_args(argv)

    root = args.submissions.resolve()
    try:
        is_dir = root.is_dir()
    except OSError as err:
        print(f"오류: 제출 폴더를 읽을 수 없습니다: {args.submissions} ({err.strerror})", file=sys.stderr)
        return 2
    if not is_dir:
        print(f"오류: 폴더가 없습니다: {args.submissions}", file=sys.stderr)
        return 2
    try:
        shard_of = parse_shard(args.shard) if args.shard else None
    except ValueError as err:
        print(f"오류: {err}", file=sys.stderr)
        return 2
    out = args.out.resolve()
    feedback = (args.feedback or out.parent / f"{out.stem}_feedback").resolve()
    if _inside(out, root) or _inside(feedback, root):
        print("오류: 결과(--out, --feedback)를 제출 폴더 안에 쓸 수 없습니다.", file=sys.stderr)
        return 2
    known = load_exercises(args.exercises)
    if not known:
        print(f"오류: 원본 연습 노트북이 없습니다: {args.exercises}", file=sys.stderr)
        return 2
    options, error = _options(args, sorted(known))
    if options is None:
        print(f"오류: {error}", file=sys.stderr)
        return 2
    if options.private is not None and _inside(options.private, root):
        print("오류: --hidden 폴더가 제출 폴더 안에 있습니다.", file=sys.stderr)
        return 2
    roster = None
    if args.roster is not None:
        try:
            roster = roster_file.read_roster(args.roster)
        except (OSError, ValueError) as err:
            print(f"오류: {err}", file=sys.stderr)
            return 2
    everyone = find_submissions(root)
    if not everyone and roster is None:
        print(f"오류: {args.submissions}에 .ipynb 파일이 없습니다.", file=sys.stderr)
        return 1
    paths = shard(everyone, root, *shard_of) if shard_of else everyone
    try:
        isolation, warning = resolve_isolation(options)
    except SandboxError as err:
        print(f"오류: {err}", file=sys.stderr)
        return 4
    if warning:
        print(warning, file=sys.stderr)
    shard_text = f", 조각 {shard_of[0]}/{shard_of[1]}" if shard_of else ""
    if options.grading_seed is None:
        options.grading_seed = new_seed()
    print(f"격리: {ISOLATION_TEXT.get(isolation, isolation)}", flush=True)
    print(f"제출 {len(paths)}개를 채점합니다{shard_text}. 숨은 점검 시드: {options.grading_seed}", flush=True)

    before = _snapshot(root)
    start = time.perf_counter()
    try:
        results = grade(root, options, _progress, paths=paths, isolation=isolation) if paths else []
    except PrivateTestError as err:
        print(f"오류: {err}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start
    if roster is not None:
        students = [student_name(p.relative_to(root)) for p in everyone]
        unmatched = _apply_roster(results, students, roster, missing_too=not shard_of or shard_of[0] == 1)
        if unmatched:
            print(f"경고: 명단에서 찾지 못한 학생: {', '.join(unmatched)}", file=sys.stderr)
    rows = write_outputs(results, out, feedback, shard=shard_of)
    _summary(rows, results, elapsed, isolation)
    print(f"점수표: {out}\n피드백: {feedback}/")
    after = _snapshot(root)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        names = ", ".join(clean_text(os.fsdecode(k)) for k in changed[:10])
        print(f"경고: 채점 중에 제출 폴더의 파일이 바뀌었습니다: {names}", file=sys.stderr)
        return 3
    return 0


def main_regrade(argv: list[str]) -> int:
    """한 학생만 다시 채점해 반 점수표(--out)의 그 학생 줄을 바꿉니다 (다른 학생의 줄은 그대로)."""
    parser = _parser(
        "python -m tools.grade regrade",
        "한 학생의 폴더만 다시 채점해 반 점수표(--out)에서 그 학생의 줄(과 missing 줄)을 바꿉니다.",
        regrade=True,
    )
    args = parser.parse_args(argv)
    folder = args.student_folder.resolve()
    if not folder.is_dir():
        print(f"오류: 학생 폴더가 없습니다: {args.student_folder} (제출폴더/학생이름 폴더를 주세요)", file=sys.stderr)
        return 2
    root = folder.parent
    student = clean_text(folder.name)
    out = args.out.resolve()
    feedback = (args.feedback or out.parent / f"{out.stem}_feedback").resolve()
    if not out.is_file():
        print(f"오류: 반 점수표가 없습니다: {out} (먼저 반 전체를 채점하세요)", file=sys.stderr)
        return 2
    if _inside(out, root) or _inside(feedback, root):
        print("오류: 결과(--out, --feedback)를 제출 폴더 안에 쓸 수 없습니다.", file=sys.stderr)
        return 2
    known = load_exercises(args.exercises)
    options, error = _options(args, sorted(known))
    if options is None:
        print(f"오류: {error}", file=sys.stderr)
        return 2
    try:
        old_rows = read_csv(out)
    except MergeError as err:
        print(f"오류: {err}", file=sys.stderr)
        return 2
    if options.grading_seed is None:  # 반과 같은 조건으로: 점수표의 시드가 하나면 그것
        seeds = {row.get("grading_seed") for row in old_rows if row.get("grading_seed")}
        options.grading_seed = int(seeds.pop()) if len(seeds) == 1 else new_seed()
    if args.roster is not None:
        try:
            roster = roster_file.read_roster(args.roster)
        except (OSError, ValueError) as err:
            print(f"오류: {err}", file=sys.stderr)
            return 2
    else:  # 점수표에 이미 있는 학번·이름으로
        roster = [
            roster_file.Student(row["student_id"].lstrip("'"), row["name"].lstrip("'"))
            for row in old_rows
            if row.get("student_id") or row.get("name")
        ]
        roster = list(dict.fromkeys(roster))
    paths = find_submissions(folder)
    try:
        isolation, warning = resolve_isolation(options)
    except SandboxError as err:
        print(f"오류: {err}", file=sys.stderr)
        return 4
    if warning:
        print(warning, file=sys.stderr)
    print(f"{student}의 제출 {len(paths)}개를 다시 채점합니다. 숨은 점검 시드: {options.grading_seed}", flush=True)
    before = _snapshot(folder)
    try:
        results = grade(root, options, _progress, paths=paths, isolation=isolation) if paths else []
    except PrivateTestError as err:
        print(f"오류: {err}", file=sys.stderr)
        return 2
    entry = roster_file.match(student, roster) if roster else None
    if entry is not None:
        for r in results:
            r.student_id, r.name = entry.student_id, entry.name
    if not results and entry is not None:
        results = [
            Result(
                path="",
                student=entry.name or entry.student_id,
                status="missing",
                run_status="missing",
                detail=roster_file.MISSING_DETAIL,
                student_id=entry.student_id,
                name=entry.name,
            )
        ]
    removed = replace_student(out, feedback, results, student, entry.student_id if entry else "")
    print(f"점수표 {out}에서 {student}의 줄 {removed}개를 {len(results)}개로 바꿨습니다.")
    if _snapshot(folder) != before:
        print("경고: 채점 중에 학생 폴더의 파일이 바뀌었습니다.", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
