# ruff: noqa
# 다른 (쉬운) 연습으로 채점받기 (테스트가 직접 만드는 제출): 과제 06 폴더에 파일 이름이 `06_data_and_minibatches_
# exercises.ipynb`인 노트북을 내되, 메타데이터 course.exercise_set을 "00_environment_and_tensors"로 하고 연습 00의
# 답을 넣습니다. identify()는 메타데이터를 파일 이름보다 먼저 믿으므로 연습 00으로 채점되어 13/13, 100 %, 상태 ok.
# exercise_set 열에만 드러나고 review도 경고도 없습니다 (성적표로 옮길 때 점수만 보면 모릅니다).
# 믿을 수 있는 결과: 파일 이름의 연습과 메타데이터의 연습이 다르면 review(또는 --set으로 정한 연습만 채점).
FILES = {
    "hw06/kim/06_data_and_minibatches_exercises.ipynb": "solved-00 with metadata course.exercise_set = 00_environment_and_tensors"
}
EXPECT = {"status": "review"}
