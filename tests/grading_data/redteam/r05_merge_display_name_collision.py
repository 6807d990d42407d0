# ruff: noqa
# 제출 폴더 배치 공격 (노트북 내용이 아니라 파일 이름: graderkit의 `# expect:` 형식 밖이라 테스트가 직접 만듭니다).
# 한 학생이 UTF-8이 아닌 바이트 하나만 다른 이름의 노트북 두 개를 냅니다 (또는 두 학생 폴더 이름이 NFC/NFD로만
# 다름). 화면용 이름(clean_text: 잘못된 바이트는 �, NFC)이 같아져 CSV의 file 열과 피드백 이름(그 해시)이 겹칩니다.
# --shard 2조각으로 나누면 두 파일이 다른 조각에 들어가 `merge`가 "같은 제출이 두 조각에 있습니다"로 반 전체를
# 거부합니다(종료 코드 2). 조각 없이 채점해도 같은 file 값의 줄이 둘이라 어느 줄이 어느 파일인지 알 수 없습니다.
# 믿을 수 있는 결과: merge가 성공하고, 줄 2개가 서로 다른 file 값(예: 원래 바이트의 짧은 해시를 붙인 이름)을 가짐.
FILES = {
    b"kim/hw\xff.ipynb": "blank-00",
    b"kim/hw\xfe.ipynb": "blank-00",
    "이순신".encode() + b"/00.ipynb": "blank-00",  # NFC
    b"\xe1\x84\x8b\xe1\x85\xb5\xe1\x84\x89\xe1\x85\xae\xe1\x86\xab\xe1\x84\x89\xe1\x85\xb5\xe1\x86\xab/00.ipynb": "blank-00",  # NFD
}
RUN = {"shards": 2, "merge": True}
EXPECT = {"merge_returncode": 0, "rows": 4, "distinct_file_values": 4, "distinct_feedback_files": 4}
