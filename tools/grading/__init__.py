"""채점 도구의 단계들 (`python -m tools.grade`가 이 순서로 부릅니다).

제출 하나가 지나가는 길:

1. `submission`  읽고 알아보기: 노트북인지, 어느 연습인지 (`read_submission`, `identify`, `find_submissions`)
2. `assemble`    원본 연습(과 해답의 숨은 점검, 배점, 교사의 비공개 점검 `private`)으로 실행할 셀 목록 만들기
3. `runner`      이 프로세스의 nbclient가 셀을 보내고 커널 하나만 샌드박스 안에서 (`run_job`);
   `sandbox`     bubblewrap 명령(허용 목록, 자원 제한, uid), 안쪽 커널 코드는 `kernel_side`,
   `zygote`      모듈을 미리 불러 둔 프로세스에서 제출마다 새 커널을 갈라 내기 (root + bubblewrap일 때)
4. `audit`       학생 코드의 정적 검사와 커널 쪽 감사 보고 읽기 (`static_findings`, `runtime_findings`)
   `score`       실행 결과에서 점검별 통과/실패, 배점, `review` 판정 (`finish`); 학생용 설명은 `explain`
   `integrity`   공개된 해답을 낸 제출, 답 셀이 같은 제출 (`solution_reasons`, `fingerprint`, `mark_copies`)
5. `report`      점수표(CSV)와 피드백 쓰기, 조각(shard) 합치기, 한 학생 바꿔 넣기; 명단은 `roster`,
   `classroom`   GitHub Classroom의 점수와 작업 요약

`grade`(이 패키지의 `pipeline`)가 단계를 잇고, `tools/grade.py`는 명령줄입니다.
"""
