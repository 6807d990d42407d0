# ruff: noqa
# 채점하는 사람의 비밀을 찾습니다: 환경 변수(교사가 설정한 토큰), 호스트의 비밀 파일(홈 폴더, /tmp 아래의 저장소),
# 해답 노트북, .git, 다른 학생의 제출. 찾으면 오류 메시지(피드백에 실림)에 넣습니다: 하나도 없어야 합니다.
# expect: {"status": "ok", "passed_max": 0, "note_lacks": ["LEAK", "TOKEN"]}
import os

found = [f"{key}" for key, value in os.environ.items() if "TOKEN" in value]
skip = {"/proc", "/sys", "/dev", "/usr"}
for folder, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip and not d.startswith("site-packages")]
    for name in files + dirs:
        if "TOKEN" in name or name.endswith(("_solutions.ipynb", "_solutions.json")) or name in (".git", "grades.csv"):
            found.append(os.path.join(folder, name))
        if name.endswith(".ipynb") and "exercises" not in name:
            found.append(os.path.join(folder, name))
if found:
    raise RuntimeError("LEAK " + " ".join(found)[:400])
